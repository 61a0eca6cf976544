// Tests of include/margincall/options/fast_math.hpp against the C library (glibc's exp, log and
// sqrt are correctly rounded or within 1 ulp) over their whole useful ranges.
#include <margincall/options/fast_math.hpp>

#include <cmath>
#include <limits>

#include "catch.hpp"

using margincall::detail::fast_exp;
using margincall::detail::fast_log;
using margincall::detail::fast_sqrt;

TEST_CASE("fast_exp is within 2 ulp of std::exp over the normal range", "[options][fast_math]") {
    double worst = 0.0;
    for (double x = -708.0; x < 709.0; x += 0.00731) worst = std::max(worst, std::abs(fast_exp(x) / std::exp(x) - 1.0));
    CHECK(worst <= 4.5e-16);
    // The low part: e^(hi + lo) for hi + lo not representable as one double.
    const double hi = -700.0;
    const double lo = 1e-14;
    CHECK_THAT(fast_exp(hi, lo), WithinRel(std::exp(hi) * (1.0 + lo), 4.5e-16));
    CHECK(fast_exp(-740.0) > 0.0);  // e^−740 ≈ 4.2e-322: subnormal, formed gradually
    CHECK_THAT(fast_exp(-740.0), WithinRel(std::exp(-740.0), 0.02));  // subnormal: few significant bits
    CHECK(fast_exp(-2000.0) == 0.0);
    CHECK(fast_exp(710.0) == std::numeric_limits<double>::infinity());
    CHECK(fast_exp(0.0) == 1.0);
    CHECK(std::isnan(fast_exp(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("fast_log is within 2 ulp of std::log for positive normal doubles", "[options][fast_math]") {
    double worst = 0.0;
    for (double x = 2.2250738585072014e-308; x < 1e308; x *= 1.00731)
        worst = std::max(worst, std::abs(fast_log(x) - std::log(x)) / std::max(std::abs(std::log(x)), 1e-300));
    CHECK(worst <= 4.5e-16);
    // Near 1, where log is small and relative accuracy is hardest.
    for (double x = 0.9; x < 1.1; x += 1.37e-5) {
        if (x == 1.0) continue;
        CHECK_THAT(fast_log(x), WithinRel(std::log(x), 4.5e-16));
    }
    CHECK(fast_log(1.0) == 0.0);
}

TEST_CASE("fast_sqrt is within 1 ulp of std::sqrt", "[options][fast_math]") {
    double worst = 0.0;
    for (double x = 1e-300; x < 1e300; x *= 1.00731) worst = std::max(worst, std::abs(fast_sqrt(x) / std::sqrt(x) - 1.0));
    CHECK(worst <= 2.3e-16);
    CHECK(fast_sqrt(0.0) == 0.0);
    CHECK(fast_sqrt(4.0) == 2.0);
}
