// Tests of include/margincall/risk/sample_moments.hpp against R 4.2.2 (tests/reference/risk_parametric.R).
#include <margincall/risk/sample_moments.hpp>

#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("sample moments agree with R's mean, var and central moments", "[risk][moments]") {
    std::vector<double> x;  // sample "small" of tests/reference/risk_historical.R
    for (long i = 0; i < 250; ++i) {
        const double m = static_cast<double>((i * 37) % 251) - 100.0;
        x.push_back(m * m * m / 1e4);
    }
    const auto m = moments_of<double>(x);
    // tests/reference/risk_parametric.out, "small sample" line.
    CHECK(m.count == 250);
    CHECK_THAT(m.mean, WithinRel(40.508632400000003, 1e-14));
    CHECK_THAT(m.variance, WithinRel(8891.1691220172997, 1e-13));
    CHECK_THAT(m.central_m2, WithinRel(8855.6044455292304, 1e-13));
    CHECK_THAT(m.skewness, WithinRel(1.4238456594040594, 1e-12));
    CHECK_THAT(m.excess_kurtosis, WithinRel(1.3907730033614065, 1e-12));
}

TEST_CASE("moments of a two-point sample by hand", "[risk][moments]") {
    // {−1, 1}: mean 0, m2 = 1, var = 2, skew 0, m4/m2² − 3 = −2.
    const std::vector<double> x{-1.0, 1.0};
    const auto m = moments_of<double>(x);
    CHECK(m.mean == 0.0);
    CHECK(m.variance == 2.0);
    CHECK(m.central_m2 == 1.0);
    CHECK(m.skewness == 0.0);
    CHECK(m.excess_kurtosis == -2.0);
}

TEST_CASE("moments reject empty and non-finite samples", "[risk][moments][errors]") {
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(moments_of<double>(empty), invalid_argument,
                           Message("moments_of: the size of sample is 0, but must be > 0"));
    const std::vector<double> x{1.0, -std::numeric_limits<double>::infinity()};
    REQUIRE_THROWS_MATCHES(moments_of<double>(x), invalid_argument,
                           Message("moments_of: sample[1] is -inf, but must be finite"));
}
