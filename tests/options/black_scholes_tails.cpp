// Tail accuracy of black_scholes_price (double): every price above the smallest normal double
// within 1e-13 relative of the mpmath reference tests/reference/options_tails_mpmath.py (.out):
// deep out-of-the-money calls and puts down to 1e-300, deep in-the-money options, tiny and huge
// total volatility σ√T.
#include <margincall/options/black_scholes.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("prices in the tails agree with the 120-digit mpmath reference to 1e-13", "[options][black_scholes]") {
    std::ifstream file(MARGINCALL_TEST_REFERENCE_DIR "/options_tails_mpmath.out");
    REQUIRE(file.good());
    std::string line;
    int rows = 0;
    int below_1e100 = 0;
    double worst = 0.0;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string kind;
        double s = 0, k = 0, t = 0, r = 0, b = 0, v = 0;
        long double reference = 0;
        in >> kind >> s >> k >> t >> r >> b >> v >> reference;
        REQUIRE(in);
        const double expected = static_cast<double>(reference);
        const option_type type = kind == "call" ? option_type::call : option_type::put;
        const double price = black_scholes_price(type, option_inputs<double>{s, k, t, r, b, v});
        INFO(line);
        const double error = std::fabs(price - expected) / expected;
        CHECK(error <= 1e-13);
        worst = std::max(worst, error);
        ++rows;
        below_1e100 += expected < 1e-100 ? 1 : 0;
    }
    CHECK(rows > 300);
    CHECK(below_1e100 >= 20);
    std::printf("tails: %d prices (%d below 1e-100), worst relative error %.3g\n", rows, below_1e100, worst);
}
