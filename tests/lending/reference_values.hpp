#pragma once
// Reads a reference script's output (tests/reference/*.out: "name value" per line) into a map.
#include "catch.hpp"

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#if __has_include(<catch2/catch_all.hpp>)
using Approx = Catch::Approx;  // Catch2 v3 names it in Catch, v2 at global scope
#endif

namespace margincall::test {

inline std::map<std::string, double> read_reference_values(const std::string& file) {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/" + file);
    if (!in) throw std::runtime_error("cannot open reference file " + file);
    std::map<std::string, double> values;
    std::string name;
    double value{};
    while (in >> name >> value) values[name] = value;
    return values;
}

}  // namespace margincall::test
