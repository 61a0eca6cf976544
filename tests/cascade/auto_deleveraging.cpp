// Tests of include/margincall/cascade/auto_deleveraging.hpp: BitMEX's published ADL worked
// example (https://www.bitmex.com/app/autoDeleveragingExamples), the two published rankings
// evaluated by hand.
#include <margincall/cascade/auto_deleveraging.hpp>

#include <cmath>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("BitMEX ADL worked example reproduced exactly", "[cascade][adl]") {
    // Six longs (account, quantity, ranking score): (1,10,3) (2,10,6) (3,20,1) (4,30,4) (5,20,5) (6,10,2).
    // Published order and indicator: 2 (20 %), 5 (40 %), 4 (60 %), 1 (80 %), 6 (80 %), 3 (100 %).
    // A short of 20 is liquidated with bankruptcy price 650 and the fund cannot cover it:
    // account 2 is closed 10 @ 650, account 5 is closed 10 @ 650 and keeps 10.
    const std::vector<double> scores{3, 6, 1, 4, 5, 2};
    const std::vector<double> sizes{10, 10, 20, 30, 20, 10};
    const auto order = adl_order<double>(scores);
    CHECK(order == std::vector<std::size_t>{1, 4, 3, 0, 5, 2});
    const auto indicator = adl_indicator<double>(scores, sizes);
    CHECK(indicator == std::vector<int>{80, 20, 100, 60, 40, 80});
    const auto fills = auto_deleverage<double>(scores, sizes, 20.0);
    REQUIRE(fills.size() == 2);
    CHECK(fills[0].account == 1);  // account 2
    CHECK(fills[0].quantity == 10.0);
    CHECK(fills[1].account == 4);  // account 5
    CHECK(fills[1].quantity == 10.0);
    CHECK(sizes[4] - fills[1].quantity == 10.0);  // account 5 keeps 10
    // More than the whole side: everyone is closed, in order.
    CHECK(auto_deleverage<double>(scores, sizes, 1000.0).size() == 6);
}

TEST_CASE("BitMEX ranking: PNL% × effective leverage, or PNL% / leverage at a loss", "[cascade][adl]") {
    // Long 1 at entry 100, mark 120, collateral 10: bankruptcy 90. MarkValue 120, entry 100,
    // BankruptValue 90: PNL% = 0.2, EffectiveLeverage = 120/30 = 4 → 0.8.
    CHECK_THAT(bitmex_adl_score(120.0, 100.0, 90.0), WithinRel(0.8, 1e-15));
    // Short 1 at 100, mark 80, bankruptcy 110: values −80, −100, −110: PNL% = 0.2, EL = 80/30.
    CHECK_THAT(bitmex_adl_score(-80.0, -100.0, -110.0), WithinRel(0.2 * 80.0 / 30.0, 1e-15));
    // A loss: long at 100, mark 95, bankruptcy 90: PNL% = −0.05, EL = 95/5 = 19 → −0.05/19.
    CHECK_THAT(bitmex_adl_score(95.0, 100.0, 90.0), WithinRel(-0.05 / 19.0, 1e-15));
    CHECK(bitmex_adl_score(90.0, 100.0, 90.0) == 0.0);  // at bankruptcy: no cushion
}

TEST_CASE("Binance ranking: PnlPercent × MarginRatio", "[cascade][adl]") {
    // UPnL 50, WB 200, MM 10: PnlPercent 0.25, MarginRatio 10/250 = 0.04 → 0.01.
    CHECK_THAT(binance_adl_score(50.0, 200.0, 10.0), WithinRel(0.01, 1e-15));
    // max(1, WB): WB 0.5 counts as 1. UPnL 2, MM 1: 2 × 1/2.5 = 0.8.
    CHECK_THAT(binance_adl_score(2.0, 0.5, 1.0), WithinRel(0.8, 1e-15));
    CHECK(binance_adl_score(-5.0, 100.0, 1.0) == 0.0);  // losers are not ranked up
}

TEST_CASE("ADL: bad input", "[cascade][adl][errors]") {
    const std::vector<double> scores{1, 2};
    const std::vector<double> sizes{1, -1};
    REQUIRE_THROWS_MATCHES(auto_deleverage<double>(scores, sizes, 1.0), invalid_argument,
                           Message("auto_deleverage: sizes[1] is -1, but must be finite and >= 0"));
    const std::vector<double> one{1};
    REQUIRE_THROWS_MATCHES(auto_deleverage<double>(scores, one, 1.0), invalid_argument,
                           Message("auto_deleverage: the size of sizes is 1, but must be the size of scores (2)"));
    const std::vector<double> nan_scores{1, std::nan("")};
    REQUIRE_THROWS_MATCHES(adl_order<double>(nan_scores), invalid_argument,
                           Message("adl_order: scores[1] is nan, but must be finite"));
    const std::vector<double> zeros{0, 0};
    REQUIRE_THROWS_MATCHES(adl_indicator<double>(scores, zeros), invalid_argument,
                           Message("adl_indicator: the total size is 0, but must be finite and > 0"));
}

TEST_CASE("ADL fills carry the bankruptcy price of the liquidated order", "[cascade][adl]") {
    // BitMEX worked example (above): the short of 20 liquidated with bankruptcy price 650 is taken
    // over by account 2 (10 @ 650) and account 5 (10 @ 650).
    const std::vector<double> scores{3, 6, 1, 4, 5, 2};
    const std::vector<double> sizes{10, 10, 20, 30, 20, 10};
    const auto fills = auto_deleverage<double>(scores, sizes, 20.0, 650.0);
    REQUIRE(fills.size() == 2);
    CHECK(fills[0].account == 1);
    CHECK(fills[0].quantity == 10.0);
    CHECK(fills[0].price == 650.0);
    CHECK(fills[1].account == 4);
    CHECK(fills[1].price == 650.0);
    // The three-argument form is unchanged: same fills, price 0 (not told).
    const auto old = auto_deleverage<double>(scores, sizes, 20.0);
    REQUIRE(old.size() == 2);
    CHECK(old[1].account == 4);
    CHECK(old[1].price == 0.0);
    const adl_fill<double> aggregate{3, 1.5};  // two-field initialisation still compiles
    CHECK(aggregate.price == 0.0);
    REQUIRE_THROWS_MATCHES(auto_deleverage<double>(scores, sizes, 20.0, 0.0), invalid_argument,
                           Message("auto_deleverage: bankruptcy_price is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(auto_deleverage<double>(scores, sizes, 20.0, std::nan("")), invalid_argument,
                           Message("auto_deleverage: bankruptcy_price is nan, but must be finite and > 0"));
}

TEST_CASE("Binance ranking: the components, and the margin ratio the venue publishes", "[cascade][adl]") {
    // Computed: UPnL 50, WB 200, MM 10 → PnlPercent 50/200 = 0.25, MarginRatio 10/250 = 0.04, 0.01.
    const auto c = binance_adl_breakdown(50.0, 200.0, 10.0);
    CHECK(c.pnl_percent == 0.25);
    CHECK(c.margin_ratio == 0.04);
    CHECK_THAT(c.score, WithinRel(0.01, 1e-15));
    CHECK(c.score == binance_adl_score(50.0, 200.0, 10.0));
    // Published: dev.binance.vision thread 17801 (the formula quoted from Binance's ADL FAQ):
    // unrealised profit 40.2, wallet balance 4.27, the margin ratio Binance displays 13.42 %:
    // "Pnl Percent = max(0,40.2)/max(1,4.27) = 9.41", "Leverage Pnl = 9.41 x 13.42% = 1.26".
    const auto p = binance_adl_published(40.2, 4.27, 0.1342);
    CHECK_THAT(p.pnl_percent, WithinAbs(9.41, 0.005));  // the thread's rounding
    CHECK_THAT(p.score, WithinAbs(1.26, 0.005));
    CHECK_THAT(p.pnl_percent, WithinRel(40.2 / 4.27, 1e-15));           // closed form
    CHECK_THAT(p.score, WithinRel(40.2 / 4.27 * 0.1342, 1e-15));
    CHECK(p.margin_ratio == 0.1342);
    CHECK(binance_adl_published(-5.0, 100.0, 0.2).score == 0.0);  // losers are not ranked up
    REQUIRE_THROWS_MATCHES(binance_adl_published(1.0, 1.0, -0.1), invalid_argument,
                           Message("binance_adl_published: published_margin_ratio is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(binance_adl_published(std::nan(""), 1.0, 0.1), invalid_argument,
                           Message("binance_adl_published: unrealised_pnl is nan, but must be finite"));
}

TEST_CASE("BitMEX ranking: the components, and the effective leverage the venue publishes", "[cascade][adl]") {
    // Long 1 at 100, mark 120, bankruptcy 90 (as above): PNL% 0.2, EL 120/30 = 4, score 0.8.
    const auto c = bitmex_adl_breakdown(120.0, 100.0, 90.0);
    CHECK_THAT(c.pnl_percent, WithinRel(0.2, 1e-15));
    CHECK(c.effective_leverage == 4.0);
    CHECK_THAT(c.score, WithinRel(0.8, 1e-15));
    // The venue shows EL 5 for the same position (its own bankruptcy value): 0.2 × 5 = 1.
    const auto p = bitmex_adl_published(120.0, 100.0, 5.0);
    CHECK_THAT(p.score, WithinRel(1.0, 1e-15));
    // A loss divides: mark 95, EL 19 → −0.05 / 19.
    CHECK_THAT(bitmex_adl_published(95.0, 100.0, 19.0).score, WithinRel(-0.05 / 19.0, 1e-15));
    REQUIRE_THROWS_MATCHES(bitmex_adl_published(120.0, 0.0, 5.0), invalid_argument,
                           Message("bitmex_adl_published: |entry_value| is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(bitmex_adl_published(120.0, 100.0, 0.0), invalid_argument,
                           Message("bitmex_adl_published: published_effective_leverage is 0, but must be finite and > 0"));
}
