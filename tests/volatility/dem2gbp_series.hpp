// The dem2gbp benchmark series (fGarch's copy of the Bollerslev-Ghysels DEM/GBP daily returns,
// exported by tests/reference/garch_family_fgarch.R to tests/reference/garch_dem2gbp.csv).
#pragma once

#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"

inline std::vector<double> dem2gbp_series() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/garch_dem2gbp.csv");
    REQUIRE(in.good());
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');  // the header "r"
    std::vector<double> r;
    for (double v = 0; in >> v;) r.push_back(v);
    REQUIRE(r.size() == 1974);
    return r;
}
