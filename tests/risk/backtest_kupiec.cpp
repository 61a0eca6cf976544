// Tests of include/margincall/risk/backtest_kupiec.hpp. Reference values from base R 4.2.2
// (tests/reference/backtest_reference.R → backtest_reference.out): the statistic there is
// −2[dbinom(x, T, p, log) − dbinom(x, T, x/T, log)], an independent route to LR_uc.
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/var_coverage.hpp>

#include <boost/math/distributions/chi_squared.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "catch.hpp"

using margincall::invalid_argument;
using margincall::kupiec_test;
using margincall::var_coverage;

TEST_CASE("chi-squared critical values match the published tables", "[risk][backtest][kupiec]") {
    // Published χ² tables (e.g. NIST/SEMATECH e-Handbook §1.3.6.7.4): 3.841 (df 1), 5.991 (df 2) at
    // 95 %; R qchisq gives 3.841458820694124 and 5.9914645471079799.
    const boost::math::chi_squared_distribution<double> df1(1.0), df2(2.0);
    CHECK_THAT(quantile(df1, 0.95), WithinRel(3.841458820694124, 1e-12));
    CHECK_THAT(quantile(df2, 0.95), WithinRel(5.9914645471079799, 1e-12));
    CHECK_THAT(quantile(df1, 0.95), WithinAbs(3.841, 5e-4));
    CHECK_THAT(quantile(df2, 0.95), WithinAbs(5.991, 5e-4));
    // So a Kupiec statistic at the critical value has p-value 0.05 exactly.
    CHECK_THAT(margincall::detail::chi_squared_test(3.841458820694124, 1).p_value, WithinRel(0.05, 1e-10));
}

TEST_CASE("Kupiec LR_uc and p-values match R", "[risk][backtest][kupiec]") {
    struct row { std::size_t t, x; double alpha, lr, p; };
    // From backtest_reference.out.
    const std::vector<row> rows{
        {250, 0, 0.99, 5.0251679267507248, 0.024981503053449712},
        {250, 2, 0.99, 0.10843521623680408, 0.74193270095262254},
        {250, 5, 0.99, 1.956809788230625, 0.16185491719604245},
        {250, 10, 0.99, 12.955491062356032, 0.00031898450821338166},
        {1000, 30, 0.99, 26.323526355544772, 2.8874979714715587e-07},
        {500, 40, 0.95, 8.07904095227833, 0.0044780138245186897},
        {10, 10, 0.99, 92.103403719761815, 8.2263758435407582e-22},
        {1, 1, 0.99, 9.2103403719761818, 0.0024065194588227625},
    };
    for (const auto& r : rows) {
        INFO("T = " << r.t << ", x = " << r.x);
        const auto k = kupiec_test(r.t, r.x, r.alpha);
        CHECK(k.observations == r.t);
        CHECK(k.exceptions == r.x);
        CHECK_THAT(k.expected_exceptions, WithinRel(static_cast<double>(r.t) * (1 - r.alpha), 1e-12));
        CHECK(k.unconditional_coverage.degrees_of_freedom == 1);
        CHECK_THAT(k.unconditional_coverage.statistic, WithinRel(r.lr, 1e-10));
        CHECK_THAT(k.unconditional_coverage.p_value, WithinRel(r.p, 1e-8));
    }
}

TEST_CASE("Kupiec edge cases: zero exceptions, all exceptions, exact coverage", "[risk][backtest][kupiec]") {
    // x = 0: LR = −2 T ln(1 − p) (0·ln 0 := 0). T = 250, p = 0.01: −500 ln 0.99 = 5.0251679...
    const auto none = kupiec_test(std::size_t{250}, std::size_t{0}, 0.99);
    CHECK_THAT(none.unconditional_coverage.statistic, WithinRel(-500.0 * std::log(0.99), 1e-12));
    // x = T: LR = −2 T ln p. T = 10, p = 0.01: −20 ln 0.01 = 92.1034...
    const auto all = kupiec_test(std::size_t{10}, std::size_t{10}, 0.99);
    CHECK_THAT(all.unconditional_coverage.statistic, WithinRel(-20.0 * std::log(0.01), 1e-12));
    CHECK(all.unconditional_coverage.rejects(0.05));
    // x = T p exactly: LR = 0, p-value 1, never rejected.
    const auto exact = kupiec_test(std::size_t{200}, std::size_t{2}, 0.99);
    CHECK(exact.unconditional_coverage.statistic == 0.0);
    CHECK(exact.unconditional_coverage.p_value == 1.0);
    CHECK_FALSE(exact.unconditional_coverage.rejects(0.05));
}

TEST_CASE("Kupiec from a hit sequence counts the exceptions", "[risk][backtest][kupiec]") {
    bool hits[250] = {};
    hits[3] = hits[7] = hits[100] = hits[101] = hits[249] = true;
    const auto k = kupiec_test(std::span<const bool>(hits), 0.99);
    CHECK(k.exceptions == 5);
    CHECK_THAT(k.unconditional_coverage.statistic, WithinRel(1.956809788230625, 1e-10));  // T=250, x=5 in R
}

TEST_CASE("Kupiec rejects bad input with the library's message", "[risk][backtest][kupiec][errors]") {
    REQUIRE_THROWS_MATCHES(kupiec_test(std::size_t{0}, std::size_t{0}, 0.99), invalid_argument,
                           Message("kupiec_test: observations is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES(kupiec_test(std::size_t{10}, std::size_t{11}, 0.99), invalid_argument,
                           Message("kupiec_test: exceptions is 11, but must be <= observations (10)"));
    REQUIRE_THROWS_MATCHES(kupiec_test(std::size_t{10}, std::size_t{1}, 1.0), invalid_argument,
                           Message("kupiec_test: confidence is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(kupiec_test(std::span<const bool>(), 0.99), invalid_argument,
                           Message("kupiec_test: the size of hits is 0, but must be > 0"));
}

TEST_CASE("Kupiec with a subnormal exception probability stays finite (issue #15 sweep)", "[risk][backtest][kupiec]") {
    // Before: x ln(x/T / p) formed x/T / p = 0.016 / 4.9e-324 = inf, so LR_uc = inf.
    // By hand (mpmath, 30 digits): p = 2^-1074, T = 250, x = 4, 1 − p = 1 in double:
    //   LR = 2 [4 ln(0.016 / p) + 246 ln 0.984] = 5914.5035870076085...
    const auto r = kupiec_test<double>(250, 4, var_coverage<double>::from_exception_probability(
                                                   std::numeric_limits<double>::denorm_min()));
    CHECK_THAT(r.unconditional_coverage.statistic, WithinRel(5914.5035870076085, 1e-13));
    CHECK(r.unconditional_coverage.p_value == 0.0);  // P(chi2_1 > 5914) ~ e^-2957 underflows
}
