// Tests of include/margincall/core/distributions.hpp against mpmath 1.2.1 at 40 digits
// (tests/reference/risk_figures.py → risk_figures.out, section "distributions"), and of the
// relation to the option pricer's fast Φ (options/normal_cdf.hpp).
#include <margincall/core/distributions.hpp>
#include <margincall/options/normal_cdf.hpp>

#include <array>
#include <cmath>
#include <limits>

#include "catch.hpp"

using namespace margincall;
using Catch::Matchers::StartsWith;

TEST_CASE("Phi, its upper tail and its inverse match mpmath", "[core][distributions]") {
    struct row { double x, cdf, upper; };
    const std::array<row, 8> rows{{
        {-38, 2.8854283510039645e-316, 1}, {-20, 2.7536241186062337e-89, 1},
        {-5, 2.8665157187919391e-07, 0.99999971334842808}, {-1, 0.15865525393145705, 0.84134474606854293},
        {0, 0.5, 0.5}, {0.5, 0.69146246127401312, 0.30853753872598688},
        {3, 0.9986501019683699, 0.0013498980316300946}, {9, 1, 1.1285884059538405e-19},
    }};
    for (const auto& r : rows) {
        INFO("x = " << r.x);
        // Φ(−38) is subnormal: compare absolutely at its spacing.
        if (r.cdf < 1e-300)
            CHECK_THAT(standard_normal_cdf(r.x), WithinAbs(r.cdf, 1e-320));
        else
            CHECK_THAT(standard_normal_cdf(r.x), WithinRel(r.cdf, 4e-16));
        CHECK_THAT(standard_normal_upper_tail(r.x), WithinRel(r.upper, 4e-16));
    }
    struct quantile_row { double p, x; };
    const std::array<quantile_row, 6> quantiles{{{1e-300, -37.047096299361201}, {1e-10, -6.3613409024040566},
                                                 {0.01, -2.3263478740408412}, {0.5, 0},
                                                 {0.975, 1.9599639845400538}, {0.99, 2.3263478740408408}}};
    for (const auto& q : quantiles) {
        INFO("p = " << q.p);
        CHECK_THAT(standard_normal_quantile(q.p), WithinAbs(q.x, 4e-15 * (1 + std::abs(q.x))));
    }
    CHECK_THAT(standard_normal_upper_quantile(1e-300), WithinRel(37.047096299361201, 1e-14));
    CHECK_THAT(standard_normal_upper_quantile(1e-20), WithinRel(9.262340089798407, 1e-14));
    CHECK(standard_normal_cdf(std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(standard_normal_upper_tail(-std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(standard_normal_pdf(std::numeric_limits<double>::infinity()) == 0.0);
    CHECK_THAT(standard_normal_pdf(0.0), WithinRel(0.3989422804014327, 1e-15));  // 1/√(2π)
}

TEST_CASE("Student-t and chi-square CDFs and quantiles match mpmath", "[core][distributions]") {
    CHECK_THAT(student_t_cdf(-2.5, 3.0), WithinRel(0.043853323504032773, 1e-13));
    CHECK_THAT(student_t_cdf(1.0, 5.0), WithinRel(0.81839126617543867, 1e-13));
    CHECK_THAT(student_t_cdf(2.0, 30.0), WithinRel(0.97268747751850848, 1e-13));
    CHECK_THAT(student_t_quantile(0.99, 3.0), WithinRel(4.5407028585681317, 1e-13));
    CHECK_THAT(student_t_quantile(0.01, 4.5), WithinRel(-3.5270508906260924, 1e-13));
    CHECK_THAT(student_t_quantile(0.975, 10.0), WithinRel(2.2281388519862744, 1e-13));

    // Critical values qchisq(level, df), df = 1..10, levels 0.90, 0.95, 0.99, 0.999.
    const std::array<std::array<double, 4>, 10> critical{{
        {2.7055434540954151, 3.8414588206941245, 6.6348966010212136, 10.827566170662731},
        {4.6051701859880918, 5.9914645471079799, 9.2103403719761818, 13.815510557964272},
        {6.2513886311703235, 7.8147279032511783, 11.34486673014437, 16.266236196238129},
        {7.779440339734859, 9.487729036781154, 13.276704135987622, 18.466826952903169},
        {9.2363568997811196, 11.070497693516351, 15.086272469388987, 20.515005652432876},
        {10.64464067566842, 12.591587243743977, 16.811893829770927, 22.457744484825323},
        {12.01703662378053, 14.067140449340167, 18.475306906582361, 24.321886347856854},
        {13.361566136511728, 15.507313055865451, 20.09023502966323, 26.124481558376139},
        {14.683656573259839, 16.918977604620448, 21.665994333461924, 27.877164871256571},
        {15.987179172105261, 18.307038053275143, 23.209251158954356, 29.588298445074418},
    }};
    const std::array<double, 4> levels{0.90, 0.95, 0.99, 0.999};
    for (std::size_t df = 1; df <= 10; ++df)
        for (std::size_t j = 0; j < levels.size(); ++j) {
            INFO("df " << df << " level " << levels[j]);
            CHECK_THAT(chi_squared_quantile(levels[j], static_cast<double>(df)), WithinRel(critical[df - 1][j], 1e-13));
        }
    // Critical values at significance s given directly (the doubles 0.1, 0.05, 0.01, 0.001).
    const std::array<double, 4> significance{0.1, 0.05, 0.01, 0.001};
    const std::array<double, 4> upper1{2.7055434540954146, 3.8414588206941258, 6.6348966010212154, 10.827566170662733};
    const std::array<double, 4> upper10{15.987179172105261, 18.307038053275146, 23.209251158954359, 29.588298445074418};
    for (std::size_t j = 0; j < significance.size(); ++j) {
        CHECK_THAT(chi_squared_upper_quantile(significance[j], 1.0), WithinRel(upper1[j], 1e-13));
        CHECK_THAT(chi_squared_upper_quantile(significance[j], 10.0), WithinRel(upper10[j], 1e-13));
    }
    CHECK_THAT(chi_squared_cdf(3.841458820694124, 1.0), WithinRel(0.94999999999999996, 1e-14));
    CHECK_THAT(chi_squared_upper_tail(3.841458820694124, 1.0), WithinRel(0.050000000000000058, 1e-13));
    CHECK_THAT(chi_squared_cdf(0.5, 2.0), WithinRel(0.22119921692859512, 1e-14));
    CHECK_THAT(chi_squared_upper_tail(30.0, 7.5), WithinRel(0.00014301587882904851, 1e-12));
    CHECK_THAT(chi_squared_upper_quantile(1e-12, 1.0), WithinRel(50.844127911818155, 1e-12));
    CHECK_THAT(chi_squared_upper_quantile(1e-12, 7.5), WithinRel(72.164193111116646, 1e-12));
    CHECK(chi_squared_upper_tail(0.0, 3.0) == 1.0);
    CHECK(chi_squared_upper_tail(std::numeric_limits<double>::infinity(), 3.0) == 0.0);
}

TEST_CASE("the option pricer's fast Phi agrees with the one documented place", "[core][distributions]") {
    for (double x = -37.5; x <= 37.5; x += 0.37) {
        INFO("x = " << x);
        CHECK_THAT(normal_cdf_fast(x), WithinRel(standard_normal_cdf(x), 1e-13));
    }
}

TEST_CASE("bad arguments raise the library's own error, naming them", "[core][distributions]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(standard_normal_quantile(1.0), invalid_argument,
                           Message("standard_normal_quantile: p is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(standard_normal_cdf(nan), invalid_argument,
                           Message("standard_normal_cdf: x is nan, but must be a number (not NaN)"));
    REQUIRE_THROWS_MATCHES(student_t_quantile(0.5, 0.0), invalid_argument,
                           Message("student_t_quantile: degrees_of_freedom is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(chi_squared_quantile(0.0, 1.0), invalid_argument,
                           Message("chi_squared_quantile: p is 0, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(chi_squared_upper_tail(-1.0, 1.0), invalid_argument,
                           Message("chi_squared_upper_tail: x is -1, but must be >= 0"));
    REQUIRE_THROWS_AS(chi_squared_cdf(1.0, nan), invalid_argument);
}

TEST_CASE("subnormal degrees of freedom and an overflowing quantile raise the library's error (issue #15 sweep)",
          "[core][distributions][reliability]") {
    // Before: Boost's own domain_error ("beta ... must be greater than zero (got a=0)") for a
    // subnormal ν, which halves to 0, and Boost's overflow_error for a quantile beyond DBL_MAX.
    const double tiny = std::numeric_limits<double>::denorm_min();
    REQUIRE_THROWS_MATCHES(student_t_cdf(-2.0, tiny), invalid_argument,
                           Message("student_t_cdf: degrees_of_freedom is 4.94065645841247e-324, but must be a normal "
                                   "number (not subnormal)"));
    REQUIRE_THROWS_AS(student_t_quantile(0.99, tiny), invalid_argument);
    REQUIRE_THROWS_AS(chi_squared_cdf(3.0, tiny), invalid_argument);
    REQUIRE_THROWS_AS(chi_squared_quantile(0.95, tiny), invalid_argument);
    // t_ν⁻¹(0.99) for ν = 1e-300 is about 0.02^(−1/ν): far beyond DBL_MAX (Boost: overflow_error).
    REQUIRE_THROWS_AS(student_t_quantile(0.99, 1e-300), numeric_error);
    REQUIRE_THROWS_WITH(student_t_quantile(0.99, 1e-300),
                        StartsWith("student_t_quantile: p is 0.99, but must be such that the result can be computed in "
                                   "the working precision (degrees_of_freedom = 1e-300; Boost.Math: "));
    // Found by the fuzzer: Γ(k/2) overflows inside P(χ²_k ≤ x) for k = 9.8e241 (Boost's tgamma
    // overflow_error), and the χ²_k quantile at p = 7.1e-38, k = 1.43e25 exceeds Boost's series
    // iteration limit (evaluation_error). Both were foreign exceptions; now numeric_error.
    REQUIRE_THROWS_AS(chi_squared_cdf(3.5587158100249743e-38, 9.8020962034166369e+241), numeric_error);
    REQUIRE_THROWS_WITH(chi_squared_cdf(3.5587158100249743e-38, 9.8020962034166369e+241),
                        StartsWith("chi_squared_cdf: x is 3.55871581002497e-38, but must be such that the result can be "
                                   "computed in the working precision (degrees_of_freedom = 9.80209620341664e+241; "));
    REQUIRE_THROWS_AS(chi_squared_quantile(7.1175030587015329e-38, 1.4341153702316426e+25), numeric_error);
    // The smallest normal ν is accepted.
    CHECK(std::isfinite(student_t_cdf(-2.0, std::numeric_limits<double>::min())));
}
