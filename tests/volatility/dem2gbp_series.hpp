// The dem2gbp benchmark series (fGarch's copy of the Bollerslev-Ghysels DEM/GBP daily returns,
// exported by tests/reference/garch_family_fgarch.R to tests/reference/garch_dem2gbp.csv).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"

inline std::vector<double> dem2gbp_series() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/garch_dem2gbp.csv");
    REQUIRE(in.good());
    std::string line;
    std::getline(in, line);  // header
    std::vector<double> r;
    while (std::getline(in, line))
        if (!line.empty()) r.push_back(std::stod(line));
    REQUIRE(r.size() == 1974);
    return r;
}
