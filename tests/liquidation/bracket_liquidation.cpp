// Tests of include/margincall/liquidation/bracket_liquidation.hpp: Binance's per-bracket
// formulas with the venue's published (MMR, cum) reproduce the full-table solver on every
// bracket of Binance's BTCUSDT table (tests/reference/binance_btcusdt_brackets.csv, sources in
// tests/reference/brackets_sources.md) and of Binance's COIN-M BTCUSD table.
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/liquidation/bracket_liquidation.hpp>
#include <margincall/liquidation/hedged_liquidation.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/tiers/maintenance_amount.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

struct published_bracket {
    double floor, cap, leverage, rate, cum;
};

// The leverageBracket answer as stored: bracket,initialLeverage,notionalFloor,notionalCap,maintMarginRatio,cum.
std::vector<published_bracket> binance_btcusdt() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/binance_btcusdt_brackets.csv");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // header
    std::vector<published_bracket> out;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream row(line);
        std::string cell;
        std::vector<double> v;
        while (std::getline(row, cell, ',')) v.push_back(std::stod(cell));
        REQUIRE(v.size() == 6);
        out.push_back({v[2], v[3], v[1], v[4], v[5]});
    }
    REQUIRE(out.size() == 10);
    return out;
}

// Binance COIN-M BTCUSD, notional in BTC (the table of tests/tiers/tier_schedule.cpp, same
// sources: the COIN-M leverage FAQ for floors and leverages, the COIN-M liquidation FAQ for
// the cums 0.56 / 1.81 / 11.81 BTC; the other cums follow from the published ones).
std::vector<published_bracket> binance_coinm_btcusd() {
    return {{0, 10, 125, 0.004, 0.0},      {10, 20, 100, 0.005, 0.01}, {20, 30, 50, 0.01, 0.11},
            {30, 50, 20, 0.025, 0.56},     {50, 100, 10, 0.05, 1.81},  {100, 200, 5, 0.1, 6.81},
            {200, 400, 4, 0.125, 11.81}};
}

// The schedule from floors, caps, leverages and rates only: its maintenance amounts are the
// library's own recursion, the per-bracket forms get the published ones.
tier_schedule<double> schedule_of(const std::vector<published_bracket>& table) {
    std::vector<bracket<double>> b;
    for (const auto& r : table) b.push_back({r.floor, r.cap, r.leverage, r.rate});
    return tier_schedule<double>(b);
}

double mid(const published_bracket& b) { return b.floor + (b.cap - b.floor) / 2; }

}  // namespace

TEST_CASE("per-bracket USDⓈ-M forms with the published cum equal the full table on every BTCUSDT bracket",
          "[liquidation][bracket]") {
    const auto table = binance_btcusdt();
    const auto s = schedule_of(table);
    const linear_contract<double> c{};
    const double lp = 30000.0;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& t = table[i];
        const bracket_margin<double> published{t.rate, t.cum};
        const double q = mid(t) / lp;  // the notional at the liquidation price is mid-bracket
        for (const double side : {1.0, -1.0}) {
            CAPTURE(i, side);
            // Cross: the rest of the account holds TMM1 = 120 and UPNL1 = −80. The wallet is set
            // so that Binance's formula puts LP at 30,000: WB = LP·(Q·MMR − side·Q) − cum + side·Q·EP
            // + TMM1 − UPNL1, with EP on the winning side of LP.
            const double entry = side > 0 ? 31000.0 : 29000.0;
            const double wallet = lp * (q * t.rate - side * q) - t.cum + side * q * entry + 120.0 + 80.0;
            REQUIRE(wallet > 0);
            const account_balance<double> b{wallet, 120.0, -80.0};
            const position_leg<double> leg{side * q, entry};
            const double per_bracket = bracket_liquidation_price(c, leg, b, published);
            CHECK_THAT(per_bracket, WithinRel(lp, 1e-12));
            const auto full = liquidation_price(c, s, leg, b, entry);
            REQUIRE(full.found());
            CHECK(full.tier == i);
            CHECK_THAT(full.price, WithinRel(per_bracket, 1e-12));
            // Bankruptcy: the same line without MM and without TMM1.
            const auto bp = bankruptcy_price(c, leg, b, entry);
            REQUIRE(bp.found());
            CHECK_THAT(bracket_bankruptcy_price(c, leg, b), WithinRel(bp.price, 1e-12));
            // Closed form by hand: BP = (WB + UPNL1 − side·Q·EP) / (−side·Q).
            CHECK_THAT(bp.price, WithinRel((wallet - 80.0 - side * q * entry) / (-side * q), 1e-12));
        }
    }
}

TEST_CASE("per-bracket hedge form equals the full table with each leg on every BTCUSDT bracket",
          "[liquidation][bracket]") {
    const auto table = binance_btcusdt();
    const auto s = schedule_of(table);
    const linear_contract<double> c{};
    const double lp = 30000.0;
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (const bool long_big : {true, false}) {
            CAPTURE(i, long_big);
            // The big leg's notional at LP is mid-bracket i; the other leg holds 0.2 BTC (bracket 1).
            const double big = mid(table[i]) / lp, small = 0.2;
            const double ql = long_big ? big : small, qs = long_big ? small : big;
            const bracket_margin<double> bl = long_big ? bracket_margin<double>{table[i].rate, table[i].cum}
                                                       : bracket_margin<double>{table[0].rate, table[0].cum};
            const bracket_margin<double> bs = long_big ? bracket_margin<double>{table[0].rate, table[0].cum}
                                                       : bracket_margin<double>{table[i].rate, table[i].cum};
            // Net long loses below, net short above: entries on the winning side of LP.
            const double el = long_big ? 31000.0 : 29000.0, es = long_big ? 31000.0 : 29000.0;
            // Binance hedge formula solved for WB with LP = 30,000:
            // WB = LP·(QL·MMRL + QS·MMRS − QL + QS) − cumL − cumS + QL·EL − QS·ES.
            const double wallet = lp * (ql * bl.maintenance_rate + qs * bs.maintenance_rate - ql + qs) -
                                  bl.maintenance_amount - bs.maintenance_amount + ql * el - qs * es;
            REQUIRE(wallet > 0);
            const account_balance<double> b{wallet, 0.0, 0.0};
            const position_leg<double> l{ql, el}, sh{-qs, es};
            const double per_bracket = bracket_liquidation_price_hedged(c, l, bl, sh, bs, b);
            CHECK_THAT(per_bracket, WithinRel(lp, 1e-12));
            const double mark = long_big ? 31000.0 : 29000.0;
            const auto full = liquidation_prices_hedged(c, s, l, sh, b, mark);
            const auto& side = long_big ? full.downside : full.upside;
            REQUIRE(side.found());
            CHECK(side.tier == (long_big ? i : 0));
            CHECK(side.short_tier == (long_big ? 0 : i));
            CHECK_THAT(side.price, WithinRel(per_bracket, 1e-12));
            const auto bp = bankruptcy_prices_hedged(c, l, sh, b, mark);
            const auto& bp_side = long_big ? bp.downside : bp.upside;
            REQUIRE(bp_side.found());
            CHECK_THAT(bracket_bankruptcy_price_hedged(c, l, sh, b), WithinRel(bp_side.price, 1e-12));
        }
    }
}

TEST_CASE("per-bracket COIN-M form with the published cum equals the full table on every BTCUSD bracket",
          "[liquidation][bracket]") {
    const auto table = binance_coinm_btcusd();
    const auto s = schedule_of(table);
    const inverse_contract<double> c{100.0};  // 100 USD per contract
    const double lp = 30000.0;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& t = table[i];
        const double usd = mid(t) * lp;  // Q·CV, so that the BTC notional at LP is mid-bracket
        const double q = usd / 100.0;
        for (const double side : {1.0, -1.0}) {
            CAPTURE(i, side);
            const double entry = side > 0 ? 31000.0 : 29000.0;
            // Binance COIN-M: LP = Q·CV·(MMR + side) / (WB + cum + side·Q·CV/EP), solved for WB.
            const double wallet = usd * (t.rate + side) / lp - t.cum - side * usd / entry;
            REQUIRE(wallet > 0);
            const account_balance<double> b{wallet, 0.0, 0.0};
            const position_leg<double> leg{side * q, entry};
            const double per_bracket = bracket_liquidation_price(c, leg, b, bracket_margin<double>{t.rate, t.cum});
            CHECK_THAT(per_bracket, WithinRel(lp, 1e-12));
            const auto full = liquidation_price(c, s, leg, b, entry);
            REQUIRE(full.found());
            CHECK(full.tier == i);
            CHECK_THAT(full.price, WithinRel(per_bracket, 1e-12));
            const auto bp = bankruptcy_price(c, leg, b, entry);
            REQUIRE(bp.found());
            CHECK_THAT(bracket_bankruptcy_price(c, leg, b), WithinRel(bp.price, 1e-12));
        }
    }
}

TEST_CASE("the snippet of docs/liquidation.md §2.5: Binance's per-bracket formula by hand", "[liquidation][bracket]") {
    // --- docs/liquidation.md §2.5, verbatim ---
    // Binance BTCUSDT bracket 3: MMR 1 %, cum = 250,000 × (1 % − 0.5 %) + 50 = 1,300.
    const double cum3 = margincall::next_maintenance_amount(50.0, 0.005, 250'000.0, 0.01);
    const double lp = margincall::bracket_liquidation_price(
        margincall::linear_contract<double>{}, margincall::position_leg<double>{10.0, 30'000.0},
        margincall::account_balance<double>{40'000.0, 0.0, 0.0}, margincall::bracket_margin<double>{0.01, cum3});
    // lp = (40,000 + 1,300 − 10 × 30,000) / (10 × 0.01 − 10) = 26,131.31…
    // --- end of snippet ---
    CHECK_THAT(cum3, WithinRel(1300.0, 1e-15));
    CHECK_THAT(lp, WithinRel((40000.0 + 1300.0 - 300000.0) / (0.1 - 10.0), 1e-15));
    // A 1x long never reaches its margin: the line's root is not positive.
    CHECK(bracket_liquidation_price(linear_contract<double>{}, position_leg<double>{1.0, 100.0},
                                    account_balance<double>{100.0, 0.0, 0.0}, bracket_margin<double>{0.004, 0.0}) <= 0);
}

TEST_CASE("per-bracket forms reject bad input naming the argument", "[liquidation][bracket][errors]") {
    const linear_contract<double> c{};
    const account_balance<double> b{1000.0, 0.0, 0.0};
    REQUIRE_THROWS_MATCHES(bracket_liquidation_price(c, position_leg<double>{0.0, 100.0}, b, bracket_margin<double>{0.01, 0}),
                           invalid_argument, Message("bracket_liquidation_price: quantity is 0, but must be non-zero"));
    REQUIRE_THROWS_MATCHES(bracket_liquidation_price(c, position_leg<double>{1.0, 100.0}, b, bracket_margin<double>{1.0, 0}),
                           invalid_argument, Message("bracket_liquidation_price: maintenance_rate is 1, but must be < 1"));
    REQUIRE_THROWS_MATCHES(
        bracket_liquidation_price(c, position_leg<double>{1.0, 100.0}, b, bracket_margin<double>{0.01, -5.0}),
        invalid_argument, Message("bracket_liquidation_price: maintenance_amount is -5, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(bracket_liquidation_price_hedged(c, position_leg<double>{-1.0, 100.0}, bracket_margin<double>{},
                                                            position_leg<double>{-1.0, 100.0}, bracket_margin<double>{}, b),
                           invalid_argument,
                           Message("bracket_liquidation_price_hedged: long quantity is -1, but must be >= 0"));
    REQUIRE_THROWS_MATCHES(
        bracket_liquidation_price_hedged(c, position_leg<double>{1.0, 100.0}, bracket_margin<double>{},
                                         position_leg<double>{-1.0, 100.0}, bracket_margin<double>{0.5, -1.0}, b),
        invalid_argument,
        Message("bracket_liquidation_price_hedged: short maintenance_amount is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(bracket_bankruptcy_price(c, position_leg<double>{1.0, 100.0},
                                                    account_balance<double>{-1.0, 0.0, 0.0}),
                           invalid_argument,
                           Message("bracket_bankruptcy_price: wallet_balance is -1, but must be finite and >= 0"));
}
