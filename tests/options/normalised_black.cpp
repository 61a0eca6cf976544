// Tests of the public normalised Black function (options/normalised_black.hpp) at the edges the
// reliability sweep found: bad input refused by name (a NaN x once wrote out of bounds), tiny and
// subnormal s (once NaN) and |x| beyond the double range of e^(|x|/2) (once NaN). Values by closed
// form: b(x, s) ≤ e^(x/2)·Φ(h + t) for x ≤ 0 (h = x/s, t = s/2), which is below the smallest
// subnormal when h + t < −38.5 (Φ(−38.5) = 1.4e-324, mpmath 1.3.0 ncdf at 30 digits); in the money
// b = 2·sinh(|x|/2) + b(−|x|, s).
#include <margincall/core/error.hpp>
#include <margincall/options/normalised_black.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

#include "catch.hpp"

using margincall::option_type;

namespace {
// The public function takes long double arguments; the tests pass doubles.
double normalised_black(option_type type, double x, double s) {
    return margincall::normalised_black(type, static_cast<long double>(x), static_cast<long double>(s));
}
}  // namespace

TEST_CASE("normalised_black refuses non-finite or negative arguments by name", "[options][normalised_black][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(normalised_black(option_type::call, nan, 0.3), "normalised_black: x is nan, but must be finite");
    CHECK_THROWS_WITH(normalised_black(option_type::put, -0.1, nan), "normalised_black: s is nan, but must be finite and >= 0");
    CHECK_THROWS_WITH(normalised_black(option_type::put, -0.1, -1.0), "normalised_black: s is -1, but must be finite and >= 0");
    CHECK_THROWS_AS(normalised_black(option_type::call, inf, 0.3), margincall::invalid_argument);
    CHECK_THROWS_AS(normalised_black(option_type::call, 0.1, inf), margincall::invalid_argument);
    CHECK_THROWS_AS(normalised_black(static_cast<option_type>(3), 0.1, 0.3), margincall::invalid_argument);
    // In the money at |x| = 1e308: 2 sinh(|x|/2) overflows a double.
    CHECK_THROWS_AS(normalised_black(option_type::call, 1e308, 0.3), margincall::numeric_error);
}

TEST_CASE("tiny and subnormal s: the out-of-the-money value underflows to 0, in the money it is the intrinsic value",
          "[options][normalised_black]") {
    for (const double s : {1e-200, 1e-250, 1e-300, 4.9e-324}) {
        INFO("s " << s);
        CHECK(normalised_black(option_type::call, -0.1, s) == 0.0);  // h + t < −1e199
        CHECK(normalised_black(option_type::put, 0.1, s) == 0.0);
        CHECK(normalised_black(option_type::call, 0.1, s) == 2.0 * std::sinh(0.05));
        CHECK(normalised_black(option_type::put, -0.1, s) == 2.0 * std::sinh(0.05));
    }
    // Far out of the money: b ≤ e^(x/2) < 1.2e-308 for x < −1418.
    CHECK(normalised_black(option_type::call, -1e308, 0.3) == 0.0);
    CHECK(normalised_black(option_type::put, 1500.0, 1e308) == 0.0);
    CHECK(normalised_black(option_type::call, -1500.0, 1e308) == 0.0);
}

// The small-t region (t = s/2 < 0.21, h = x/s in [-10, 0]), where b is the Taylor series of
// nb_small_t_value: 1,500 out-of-the-money calls against 90-digit mpmath values
// (tests/reference/options_normalised_black_small_t_mpmath.py, .out), 1e-13 relative.
TEST_CASE("the small-t series agrees with the 90-digit mpmath reference to 1e-13", "[options][normalised_black]") {
    std::ifstream file(MARGINCALL_TEST_REFERENCE_DIR "/options_normalised_black_small_t_mpmath.out");
    std::string header;
    REQUIRE(!std::getline(file, header).fail());  // one comment line, then "x s b" rows
    int rows = 0;
    double worst = 0.0;
    double x = 0, s = 0;
    long double reference = 0;
    while (file >> x >> s >> reference) {
        const double expected = static_cast<double>(reference);
        INFO("x = " << x << ", s = " << s);
        REQUIRE(0.5 * s < 0.21);
        const double error = std::fabs(normalised_black(option_type::call, x, s) - expected) / expected;
        CHECK(error <= 1e-13);
        worst = std::max(worst, error);
        ++rows;
    }
    CHECK(rows == 1500);
    std::printf("small t: %d values, worst relative error %.3g\n", rows, worst);
}
