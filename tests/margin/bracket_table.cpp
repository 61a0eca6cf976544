// Tests of include/margincall/margin/bracket_table.hpp: the compiled schedule agrees with
// tier_schedule everywhere the schedule answers, and never throws where it would.
#include <margincall/margin/bracket_table.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
// Binance BTCUSDT brackets (GET /fapi/v1/leverageBracket snapshot, repo
// boolean404/heikin-ashi-trading-bot json/fapiPrivate_get_leverage_bracket.py, commit f4c6c76f):
std::vector<bracket<double>> binance_btcusdt_brackets() {
    return {{0, 50000, 125, 0.004, 0.0},
            {50000, 250000, 100, 0.005, 50.0},
            {250000, 3000000, 50, 0.01, 1300.0},
            {3000000, 20000000, 20, 0.025, 46300.0},
            {20000000, 40000000, 10, 0.05, 546300.0},
            {40000000, 100000000, 5, 0.1, 2546300.0},
            {100000000, 120000000, 4, 0.125, 5046300.0},
            {120000000, 200000000, 3, 0.15, 8046300.0},
            {200000000, 300000000, 2, 0.25, 28046300.0},
            {300000000, 500000000, 1, 0.5, 103046300.0}};
}
}  // namespace

TEST_CASE("bracket_table reproduces Binance's published look-ups", "[margin]") {
    const tier_schedule<double> s(binance_btcusdt_brackets());
    const bracket_table<double> t(s);
    CHECK(t.size() == 10);
    // Binance FAQ b3c689c1…: 264,000 USDT → MMR 1 %; 500,000 USDT → maintenance amount 1,300
    CHECK(t.tier_index(264000) == 2);
    CHECK(t.maintenance_margin(500000, 0) == 500000 * 0.01 - 1300);
    // floors are inclusive, caps exclusive
    CHECK(t.tier_index(0) == 0);
    CHECK(t.tier_index(49999.99) == 0);
    CHECK(t.tier_index(50000) == 1);
    CHECK(t.max_leverage(250000, 0) == 50);
}

TEST_CASE("bracket_table agrees with tier_schedule (property)", "[margin][property]") {
    const tier_schedule<double> s(binance_btcusdt_brackets());
    const bracket_table<double> t(s);
    std::mt19937_64 gen(1);
    std::uniform_real_distribution<double> log_size(0.0, 8.69);  // 1 .. 4.9e8
    std::uniform_real_distribution<double> lev(1.0, 125.0);
    for (int i = 0; i < 20000; ++i) {
        const double n = std::pow(10.0, log_size(gen));
        CHECK(t.tier_index(n) == s.tier_index(n));
        CHECK(t.maintenance_margin(n, 1.0) == s.maintenance_margin(n, 1.0));
        CHECK(t.max_leverage(n, 1.0) == s.max_leverage(n, 1.0));
        const double l = lev(gen);
        const double effective = std::min(l, s.max_leverage(n, 1.0));
        CHECK(t.initial_margin(n, 1.0, l) == s.initial_margin(n, 1.0, effective));
    }
    for (const auto& tier : s.tiers()) {  // both sides of every floor
        CHECK(t.tier_index(tier.floor) == s.tier_index(tier.floor));
        const double below = std::nextafter(tier.floor, 0.0);
        CHECK(t.tier_index(below) == s.tier_index(below));
    }
}

TEST_CASE("bracket_table charges sizes beyond the last cap in the last tier, without throwing", "[margin]") {
    const tier_schedule<double> s(binance_btcusdt_brackets());
    const bracket_table<double> t(s);
    // 600,000,000 > last cap 500,000,000: MM = 0.5 × 6e8 − 103,046,300; IM at 1x = 6e8
    CHECK(t.maintenance_margin(6e8, 0) == 3e8 - 103046300.0);
    CHECK(t.initial_margin(6e8, 0, 20) == 6e8);
    CHECK(t.tier_index(std::numeric_limits<double>::infinity()) == 9);
    CHECK(t.tier_index(std::numeric_limits<double>::quiet_NaN()) == 0);
    // the schedule charges the same (the live evaluation and the batch agree) and refuses to open it
    CHECK(s.initial_margin(6e8, 0, 1) == t.initial_margin(6e8, 0, 20));
    CHECK(s.maintenance_margin(6e8, 0) == t.maintenance_margin(6e8, 0));
    CHECK(!s.within_size_limit(6e8, 0));
}

TEST_CASE("bracket_table on quantity brackets (OKX-style) reads the quantity", "[margin]") {
    // OKX ADAUSDT tiers in contracts: ≤1,500 MMR 0.5 % 75x; ≤3,000 0.75 % 50x (OKX tier
    // announcement, 2023; docs/tiers.md).
    const tier_schedule<double> s({{0, 1500, 75, 0.005}, {1500, 3000, 50, 0.0075}}, tier_basis::quantity);
    const bracket_table<double> t(s);
    CHECK(t.maintenance_margin(1000.0, 2000.0) == 1000.0 * 0.0075);
    CHECK(t.maintenance_margin(1000.0, 1000.0) == 1000.0 * 0.005);
    CHECK(t.max_leverage(1e9, 100.0) == 75);
}

TEST_CASE("bracket_table capacity is checked", "[margin][errors]") {
    const tier_schedule<double> s(binance_btcusdt_brackets());
    REQUIRE_THROWS_MATCHES((bracket_table<double, 8>(s)), invalid_argument,
                           Message("bracket_table: the number of tiers is 10, but must be <= 8 (raise MaxTiers)"));
}
