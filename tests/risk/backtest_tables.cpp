// The whole backtest table (issue #15): χ² critical values beside the p-values, Christoffersen's
// transition probabilities, the Basel plus factor and multiplier for any T and coverage, and the
// coverage named both ways. References: BCBS (1996) "Supervisory framework for the use of
// 'backtesting' …", Table 2 (T = 250, 99 %), and tests/reference/risk_figures.py (SciPy 1.10.1
// binom/norm/chi2; exact rationals for π01, π11, π).
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/backtest_traffic_light.hpp>
#include <margincall/risk/var_coverage.hpp>

#include <array>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("likelihood-ratio tests print their critical values", "[risk][backtest][tables]") {
    const auto k = kupiec_test<double>(250, 8, 0.99);
    CHECK_THAT(k.unconditional_coverage.critical_value(0.05), WithinRel(3.841458820694124, 1e-13));
    CHECK_THAT(k.unconditional_coverage.critical_value(0.01), WithinRel(6.6348966010212145, 1e-13));
    // Rejection by statistic > critical value and by p-value < significance agree.
    CHECK((k.unconditional_coverage.statistic > k.unconditional_coverage.critical_value(0.05)) ==
          k.unconditional_coverage.rejects(0.05));
    const std::vector<char> raw{0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0};
    std::array<bool, 20> hits{};
    for (std::size_t i = 0; i < raw.size(); ++i) hits[i] = raw[i] != 0;
    const auto c = christoffersen_test<double>(hits, 0.95);
    CHECK_THAT(c.conditional_coverage.critical_value(0.05), WithinRel(5.991464547107979, 1e-13));
    CHECK_THAT(c.independence.critical_value(0.1), WithinRel(2.705543454095404, 1e-13));
}

TEST_CASE("Christoffersen transition probabilities beside the counts", "[risk][backtest][tables]") {
    // Hits 00110001000011100000: n00 10, n01 3, n10 3, n11 3; π01 = 3/13, π11 = 1/2, π = 6/19.
    const std::vector<char> raw{0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0};
    std::array<bool, 20> hits{};
    for (std::size_t i = 0; i < raw.size(); ++i) hits[i] = raw[i] != 0;
    const auto c = christoffersen_test<double>(hits, 0.95);
    CHECK(c.transitions[0][0] == 10);
    CHECK(c.transitions[0][1] == 3);
    CHECK(c.transitions[1][0] == 3);
    CHECK(c.transitions[1][1] == 3);
    REQUIRE(c.pi_01.has_value());
    REQUIRE(c.pi_11.has_value());
    CHECK_THAT(*c.pi_01, WithinRel(0.23076923076923078, 1e-15));
    CHECK_THAT(*c.pi_11, WithinRel(0.5, 1e-15));
    CHECK_THAT(c.pi, WithinRel(0.31578947368421051, 1e-15));
    // No exception before the last day: π11 is undefined (n10 + n11 = 0), not 0 and not NaN.
    const std::array<bool, 4> late{false, false, false, true};
    const auto l = christoffersen_test<double>(late, 0.95);
    CHECK_FALSE(l.pi_11.has_value());
    REQUIRE(l.pi_01.has_value());
    CHECK_THAT(*l.pi_01, WithinRel(1.0 / 3.0, 1e-15));
}

TEST_CASE("coverage named both ways gives the same tests", "[risk][backtest][tables]") {
    const auto by_confidence = var_coverage<double>::from_confidence(0.99);
    const auto by_probability = var_coverage<double>::from_exception_probability(0.01);
    CHECK(by_confidence.confidence() == 0.99);
    CHECK(by_probability.exception_probability() == 0.01);
    const auto a = kupiec_test<double>(250, 7, by_confidence);
    const auto b = kupiec_test<double>(250, 7, by_probability);
    const auto c = kupiec_test<double>(250, 7, 0.99);
    CHECK_THAT(a.unconditional_coverage.statistic, WithinRel(c.unconditional_coverage.statistic, 1e-12));
    CHECK_THAT(b.unconditional_coverage.statistic, WithinRel(c.unconditional_coverage.statistic, 1e-12));
    CHECK_THAT(b.expected_exceptions, WithinRel(2.5, 1e-15));
    // A tiny exception probability keeps its precision (1 − 1e-20 rounds to 1 as a confidence).
    const auto tiny = var_coverage<double>::from_exception_probability(1e-20);
    CHECK(tiny.exception_probability() == 1e-20);
    CHECK(kupiec_test<double>(1000, 0, tiny).unconditional_coverage.p_value > 0.99);
    REQUIRE_THROWS_MATCHES(var_coverage<double>::from_exception_probability(1.5), invalid_argument,
                           Message("var_coverage::from_exception_probability: exception_probability is 1.5, but must be "
                                   "in (0, 1)"));
    REQUIRE_THROWS_MATCHES(var_coverage<double>::from_confidence(0.0), invalid_argument,
                           Message("var_coverage::from_confidence: confidence is 0, but must be in (0, 1)"));
}

TEST_CASE("Basel plus factor and multiplier: BCBS 1996 Table 2 and any T, coverage", "[risk][backtest][tables]") {
    // Table 2 itself: green 0–4 (plus 0), yellow 5–9 (0.40, 0.50, 0.65, 0.75, 0.85), red ≥ 10 (1.00).
    const basel_traffic_light<double> table;
    const std::array<double, 12> published{0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85, 1.00, 1.00};
    for (std::size_t x = 0; x < published.size(); ++x) {
        INFO("x = " << x);
        CHECK_THAT(table.plus_factor(x), WithinAbs(published[x], 1e-15));
        CHECK_THAT(table.multiplier(x), WithinAbs(3 + published[x], 1e-15));
        CHECK(table.plus_factor(x) == basel_plus_factor<double>(x));
    }
    // Other samples and coverages: tests/reference/risk_figures.py, section "basel".
    struct row { std::size_t observations; double confidence; std::size_t yellow, red; std::vector<double> plus; };
    const std::vector<row> rows{
        {500, 0.99, 9, 15, {0.30, 0.40, 0.45, 0.50, 0.55, 0.65}},
        {250, 0.975, 11, 17, {0.45, 0.50, 0.60, 0.70, 0.75, 0.85}},
        {1000, 0.999, 3, 6, {0.35, 0.50, 0.60}},
        {100, 0.95, 9, 15, {0.65, 0.85, 1.00, 1.00, 1.00, 1.00}},
    };
    for (const auto& r : rows) {
        INFO("T " << r.observations << " alpha " << r.confidence);
        const basel_traffic_light<double> light(r.observations, var_coverage<double>::from_confidence(r.confidence));
        CHECK(light.yellow_begin() == r.yellow);
        CHECK(light.red_begin() == r.red);
        CHECK(light.plus_factor(r.yellow - 1) == 0.0);
        for (std::size_t x = r.yellow; x < r.red; ++x) {
            INFO("x = " << x);
            CHECK_THAT(light.plus_factor(x), WithinAbs(r.plus[x - r.yellow], 1e-15));
        }
        CHECK(light.plus_factor(r.red) == 1.0);
        CHECK(light.multiplier(r.red) == 4.0);
    }
    // The exception probability accepted directly: the same zones as the confidence 0.99.
    const basel_traffic_light<double> by_p(250, var_coverage<double>::from_exception_probability(0.01));
    CHECK(by_p.yellow_begin() == 5);
    CHECK(by_p.red_begin() == 10);
    CHECK(by_p.exception_probability() == 0.01);
    REQUIRE_THROWS_AS(table.plus_factor(251), invalid_argument);
}
