// Tests of include/margincall/risk/backtest_traffic_light.hpp against BCBS (1996), "Supervisory
// framework for the use of 'backtesting' …", Table 2, and base R 4.2.2 pbinom
// (tests/reference/backtest_reference.R → backtest_reference.out).
#include <margincall/risk/backtest_traffic_light.hpp>

#include <cmath>
#include <vector>

#include "catch.hpp"

using margincall::basel_traffic_light;
using margincall::invalid_argument;
using margincall::traffic_light_zone;

TEST_CASE("250 days at 99 %: the zones and cumulative probabilities of BCBS 1996 Table 2",
          "[risk][backtest][traffic_light]") {
    const basel_traffic_light<double> light;  // defaults: 250 observations, 99 %
    CHECK(light.observations() == 250);
    CHECK(light.confidence() == 0.99);
    // Table 2: green 0–4, yellow 5–9, red 10 or more.
    for (std::size_t x = 0; x <= 4; ++x) CHECK(light.zone(x) == traffic_light_zone::green);
    for (std::size_t x = 5; x <= 9; ++x) CHECK(light.zone(x) == traffic_light_zone::yellow);
    for (std::size_t x = 10; x <= 250; ++x) CHECK(light.zone(x) == traffic_light_zone::red);
    CHECK(light.yellow_begin() == 5);
    CHECK(light.red_begin() == 10);
    // Table 2 cumulative probabilities, in percent, as printed (rounded to two decimals).
    const std::vector<double> table{8.11, 28.58, 54.32, 75.81, 89.22, 95.88, 98.63, 99.60, 99.89, 99.97, 99.99};
    for (std::size_t x = 0; x < table.size(); ++x) {
        INFO("x = " << x);
        CHECK_THAT(std::round(light.cumulative_probability(x) * 1e4) / 100, WithinAbs(table[x], 1e-9));
    }
    // Full precision from R pbinom(x, 250, 0.01).
    const std::vector<double> r{0.081058516162181446, 0.28575173879395277, 0.54316897331572611,
                                0.75811669776488344,  0.89218762690362508, 0.95881681593015156,
                                0.98629855214479623,  0.99597466128819212, 0.99894346750264318,
                                0.9997498099312595,   0.99994610137095297, 0.99998936119237303,
                                0.99999806413624448};
    for (std::size_t x = 0; x < r.size(); ++x) CHECK_THAT(light.cumulative_probability(x), WithinRel(r[x], 1e-12));
    CHECK(light.cumulative_probability(250) == 1.0);
}

TEST_CASE("Basel plus factors of Table 2", "[risk][backtest][traffic_light]") {
    // BCBS 1996 Table 2: 0–4 → 0.00; 5 → 0.40; 6 → 0.50; 7 → 0.65; 8 → 0.75; 9 → 0.85; 10+ → 1.00.
    const std::vector<double> expected{0, 0, 0, 0, 0, 0.40, 0.50, 0.65, 0.75, 0.85, 1.00, 1.00};
    for (std::size_t x = 0; x < expected.size(); ++x) CHECK(margincall::basel_plus_factor(x) == expected[x]);
    static_assert(margincall::basel_plus_factor(7) == 0.65);
}

TEST_CASE("zone boundaries for other samples and confidences match R", "[risk][backtest][traffic_light]") {
    struct row { std::size_t t; double alpha; std::size_t yellow, red; };
    // backtest_reference.out: first count with pbinom ≥ 0.95 (yellow) and ≥ 0.9999 (red).
    const std::vector<row> rows{{250, 0.99, 5, 10},  {500, 0.99, 9, 15},  {1000, 0.99, 15, 24},
                                {250, 0.975, 11, 17}, {100, 0.95, 9, 15}, {750, 0.999, 2, 6}};
    for (const auto& r : rows) {
        INFO("T = " << r.t << ", alpha = " << r.alpha);
        const basel_traffic_light<double> light(r.t, r.alpha);
        CHECK(light.yellow_begin() == r.yellow);
        CHECK(light.red_begin() == r.red);
        CHECK(light.zone(r.yellow - 1) == traffic_light_zone::green);
        CHECK(light.zone(r.red - 1) == traffic_light_zone::yellow);
        CHECK(light.zone(r.red) == traffic_light_zone::red);
    }
}

TEST_CASE("tiny samples: zones stay defined", "[risk][backtest][traffic_light]") {
    // T = 1 at 99 %: P(X ≤ 0) = 0.99 ≥ 0.95 so zero exceptions is already yellow; P(X ≤ 1) = 1 → red.
    const basel_traffic_light<double> one(1, 0.99);
    CHECK(one.yellow_begin() == 0);
    CHECK(one.red_begin() == 1);
    CHECK(one.zone(0) == traffic_light_zone::yellow);
    CHECK(one.zone(1) == traffic_light_zone::red);
    // T = 1 at 50 %: P(X ≤ 0) = 0.5 (green), P(X ≤ 1) = 1 (red: no yellow count exists).
    const basel_traffic_light<double> coin(1, 0.5);
    CHECK(coin.zone(0) == traffic_light_zone::green);
    CHECK(coin.zone(1) == traffic_light_zone::red);
}

TEST_CASE("traffic light rejects bad input with the library's message", "[risk][backtest][traffic_light][errors]") {
    REQUIRE_THROWS_MATCHES(basel_traffic_light<double>(0), invalid_argument,
                           Message("basel_traffic_light: observations is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES(basel_traffic_light<double>(250, 1.5), invalid_argument,
                           Message("basel_traffic_light: confidence is 1.5, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(basel_traffic_light<double>(250, 0.99, 0.99, 0.95), invalid_argument,
                           Message("basel_traffic_light: red_probability is 0.95, but must be > yellow_probability (0.99)"));
    const basel_traffic_light<double> light;
    REQUIRE_THROWS_MATCHES(light.zone(251), invalid_argument,
                           Message("basel_traffic_light::zone: exceptions is 251, but must be <= observations (250)"));
}
