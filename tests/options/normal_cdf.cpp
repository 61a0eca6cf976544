// Tests of include/margincall/options/normal_cdf.hpp against Boost.Math: boost::math::cdf of the
// normal distribution in double (the reference the library promises ≤ 1e-13 relative against) and
// Boost.Math's erfc at 50 digits (cpp_bin_float_50), which shows the error of normal_cdf_fast itself.
#include <margincall/options/normal_cdf.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>
#include <cstdio>
#include <limits>

#include "catch.hpp"

namespace {
using big = boost::multiprecision::cpp_bin_float_50;
double exact_cdf(double x) {
    const big r = boost::math::erfc(-big(x) / boost::multiprecision::sqrt(big(2))) / 2;
    return static_cast<double>(r);
}
}  // namespace

TEST_CASE("normal_cdf_fast is within 1e-13 of Boost.Math's double cdf on [-22, 37.5]", "[options][normal_cdf]") {
    const boost::math::normal_distribution<double> normal;
    double worst = 0.0;
    double worst_x = 0.0;
    int count = 0;
    // Below −22 Boost's double cdf itself is off by up to ~x²·ε ≈ 1e-13 (see the next test case).
    for (double x = -22.0; x <= 37.5; x += 0.000713) {  // 83,000 points
        const double ref = boost::math::cdf(normal, x);
        const double err = std::abs(margincall::normal_cdf_fast(x) - ref) / ref;
        if (err > worst) {
            worst = err;
            worst_x = x;
        }
        ++count;
    }
    std::printf("normal_cdf_fast vs boost::math::cdf(normal) in double on [-22, 37.5]: worst relative error %.3g at x = %.6g (%d points)\n",
                worst, worst_x, count);
    CHECK(worst <= 1e-13);
}

TEST_CASE("normal_cdf_fast is within 2e-15 of Boost.Math at 50 digits on [-37.5, 37.5]", "[options][normal_cdf]") {
    // Beyond x ≈ −20, Boost's double cdf itself drifts (it rounds x/√2 before erfc, a relative error of
    // about x²·ε), so the error of normal_cdf_fast is measured against a 50-digit evaluation.
    double worst = 0.0;
    double worst_x = 0.0;
    for (double x = -37.5; x <= 37.5; x += 0.0371) {  // 2,000 points (50-digit erfc is slow)
        const double ref = exact_cdf(x);
        const double err = std::abs(margincall::normal_cdf_fast(x) - ref) / ref;
        if (err > worst) {
            worst = err;
            worst_x = x;
        }
    }
    std::printf("normal_cdf_fast vs 50-digit Boost.Math erfc on [-37.5, 37.5]: worst relative error %.3g at x = %.6g\n",
                worst, worst_x);
    CHECK(worst <= 2e-15);
}

TEST_CASE("normal_cdf_fast limits and special values", "[options][normal_cdf]") {
    CHECK_THAT(margincall::normal_cdf_fast(0.0), WithinAbs(0.5, 1.2e-16));  // within 1 ulp
    CHECK(margincall::normal_cdf_fast(std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(margincall::normal_cdf_fast(-std::numeric_limits<double>::infinity()) == 0.0);
    CHECK(std::isnan(margincall::normal_cdf_fast(std::numeric_limits<double>::quiet_NaN())));
    CHECK(margincall::normal_cdf_fast(-40.0) == 0.0);  // Φ(−40) ≈ 3.7e-350 underflows
    CHECK(margincall::normal_cdf_fast(-38.0) > 0.0);   // Φ(−38) ≈ 2.9e-316 is subnormal
    CHECK(margincall::normal_cdf_fast(-38.0) < 1e-315);
    // Symmetry Φ(x) + Φ(−x) = 1.
    for (double x = 0.0; x < 8.0; x += 0.01)
        CHECK_THAT(margincall::normal_cdf_fast(x) + margincall::normal_cdf_fast(-x), WithinAbs(1.0, 2e-16));
}
