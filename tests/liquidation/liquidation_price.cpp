// Tests of include/margincall/liquidation/liquidation_price.hpp: closed-form, tier-consistent
// liquidation and bankruptcy prices, one-way and (published and edge cases) hedge mode.
#include <margincall/liquidation/hedged_liquidation.hpp>
#include <margincall/liquidation/liquidation_price.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

// Binance BTCUSDT leverage brackets (GET /fapi/v1/leverageBracket; table in docs/liquidation.md).
tier_schedule<double> btcusdt() {
    return tier_schedule<double>({{0, 50'000, 125, 0.004, 0.0},
                                  {50'000, 250'000, 100, 0.005, 50.0},
                                  {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                  {3'000'000, 20'000'000, 20, 0.025, 46'300.0},
                                  {20'000'000, 40'000'000, 10, 0.05, 546'300.0},
                                  {40'000'000, 100'000'000, 5, 0.1, 2'546'300.0},
                                  {100'000'000, 120'000'000, 4, 0.125, 5'046'300.0},
                                  {120'000'000, 200'000'000, 3, 0.15, 8'046'300.0},
                                  {200'000'000, 300'000'000, 2, 0.25, 28'046'300.0},
                                  {300'000'000, 500'000'000, 1, 0.5, 103'046'300.0}});
}

// A COIN-M-style BTCUSD table in BTC of notional, built so that Binance's published COIN-M
// look-up holds: a 300 BTC position has MMR 12.5 % and maintenance amount 11.605 BTC (COIN-M
// FAQ, newer page). Lower levels illustrative. Same table as tests/reference/liquidation_binance.py.
tier_schedule<double> btcusd() {
    const double inf = std::numeric_limits<double>::infinity();
    return tier_schedule<double>({{0, 5, 125, 0.004, 0.0},
                                  {5, 10, 100, 0.005, 0.005},
                                  {10, 20, 50, 0.01, 0.055},
                                  {20, 50, 20, 0.025, 0.355},
                                  {50, 100, 10, 0.05, 1.605},
                                  {100, 200, 5, 0.1, 6.605},
                                  {200, 400, 4, 0.125, 11.605},
                                  {400, inf, 3, 0.15, 21.605}});
}

tier_schedule<double> flat(double mmr, double max_leverage) {
    return tier_schedule<double>({{0, std::numeric_limits<double>::infinity(), max_leverage, mmr}});
}

template <class Contract>
double surplus(const Contract& c, const tier_schedule<double>& s, const position_leg<double>& leg, double wallet,
               double price, double fee = 0) {
    const double notional = c.notional(leg.quantity, price);
    const double quantity = std::abs(leg.quantity);
    return wallet + c.pnl(leg.quantity, leg.entry_price, price) - s.maintenance_margin(notional, quantity) -
           fee * notional;
}

}  // namespace

TEST_CASE("Bybit USDT isolated example 1: long 1 BTC @ 20,000, 50x, MMR 0.5 % -> LP 19,700", "[liquidation]") {
    // Bybit help centre "Liquidation Price (USDT Contract)": IM = 20,000/50 = 400, MM = 20,000 × 0.5 % = 100,
    // LP = EP − (IM − MM)/Q = 20,000 − 300 = 19,700. Bybit values MM at the entry price.
    const linear_contract<double> c{};
    const auto s = flat(0.005, 50);
    liquidation_options<double> bybit;
    bybit.valuation = margin_valuation::entry;
    const auto lp = liquidation_price(c, s, {1.0, 20'000.0}, {400.0}, 20'000.0, bybit);
    REQUIRE(lp.found());
    CHECK_THAT(lp.price, WithinRel(19'700.0, 1e-14));
    CHECK(lp.tier == 0);
    // The short twin by Bybit's LP_short = EP + (IM − MM)/Q: 20,300.
    const auto sp = liquidation_price(c, s, {-1.0, 20'000.0}, {400.0}, 20'000.0, bybit);
    CHECK_THAT(sp.price, WithinRel(20'300.0, 1e-14));
    // Valued at the liquidation price instead (Binance): 400 + (P − 20,000) = 0.005 P
    // ⇒ P = 19,600 / 0.995 = 19,698.492462311557...
    const auto binance = liquidation_price(c, s, {1.0, 20'000.0}, {400.0}, 20'000.0);
    CHECK_THAT(binance.price, WithinRel(19'600.0 / 0.995, 1e-14));
}

TEST_CASE("Bybit bankruptcy price: long 1 BTC @ 10,000 at 50x -> 9,800", "[liquidation]") {
    // Bybit: BP_long = EP × (1 − IMR) = 10,000 × (1 − 1/50) = 9,800; BP_short = EP × (1 + IMR) = 10,200.
    const linear_contract<double> c{};
    const auto bp = bankruptcy_price(c, position_leg<double>{1.0, 10'000.0}, account_balance<double>{200.0}, 10'000.0);
    REQUIRE(bp.found());
    CHECK_THAT(bp.price, WithinRel(9'800.0, 1e-14));
    const auto sp = bankruptcy_price(c, position_leg<double>{-1.0, 10'000.0}, account_balance<double>{200.0}, 10'000.0);
    CHECK_THAT(sp.price, WithinRel(10'200.0, 1e-14));
}

TEST_CASE("Binance COIN-M calculator value: 101 BTC, long 100,000 BTCUSD @ 45,000 -> 33,599.4", "[liquidation]") {
    // dev.binance.vision thread 6292: wallet 101 BTC, long 100,000 contracts (100 USD) at 45,000, cross,
    // no other positions; Binance's calculator shows 33,599.40. Notional at LP ≈ 297.6 BTC: the 12.5 %
    // bracket with maintenance amount 11.605 BTC (COIN-M FAQ, 300 BTC look-up). COIN-M formula:
    // LP = 100 × 100,000 × (0.125 + 1) / (101 + 11.605 + 100 × 100,000 / 45,000) = 33,599.4186...
    // The calculator truncates to the 0.1 tick. (Using the older page's 11.81 gives 33,578.86: the
    // thread's "off by 20.54".)
    const inverse_contract<double> c{100.0};
    const auto lp = liquidation_price(c, btcusd(), {100'000.0, 45'000.0}, {101.0}, 45'000.0);
    REQUIRE(lp.found());
    CHECK(lp.tier == 6);
    CHECK(std::floor(lp.price * 10.0) / 10.0 == 33'599.4);
    CHECK_THAT(lp.price, WithinRel(1.125e7 / (101.0 + 11.605 + 1e7 / 45'000.0), 1e-13));
}

TEST_CASE("Bybit UTA inverse isolated: LP_long = Qty / [PV + (IM − MM)]", "[liquidation]") {
    // Bybit UTA isolated inverse: 60,000 USD long at 50,000, 10x, MMR 0.5 % → PV = 1.2 BTC,
    // IM = 0.12 BTC (published); MM = 1.2 × 0.5 % = 0.006 BTC, so
    // LP = 60,000 / (1.2 + 0.12 − 0.006) = 60,000 / 1.314 = 45,662.100456621...;
    // LP_short = Qty / [PV − (IM − MM)] = 60,000 / 1.086 = 55,248.618784530...
    const inverse_contract<double> c{1.0};
    const auto s = flat(0.005, 100);
    liquidation_options<double> bybit;
    bybit.valuation = margin_valuation::entry;
    const auto lp = liquidation_price(c, s, {60'000.0, 50'000.0}, {0.12}, 50'000.0, bybit);
    CHECK_THAT(lp.price, WithinRel(60'000.0 / 1.314, 1e-13));
    const auto sp = liquidation_price(c, s, {-60'000.0, 50'000.0}, {0.12}, 50'000.0, bybit);
    CHECK_THAT(sp.price, WithinRel(60'000.0 / 1.086, 1e-13));
}

TEST_CASE("Bybit inverse cross example: BP reproduces, the published LP does not", "[liquidation]") {
    // Bybit (old help article 360039261334): balance 0.5 BTC, long 10,000 contracts (1 USD) at 8,000,
    // MMR 0.5 %, taker fee 0.075 %, no orders. Published: BP = 5,718.57, LP = 5,739.50.
    // BP = 1.00075 × Qty / (Qty/EP + Balance) = 10,007.5 / 1.75 = 5,718.5714... (reproduces).
    // LP by the article's own formula, MM at entry (1.25 × 0.5 % = 0.00625) and fee at BP
    // (10,000 × 0.00075 / 5,718.5714 = 0.00131153...):
    //   1/LP = 1/8,000 + (0.5 − 0.00625 − 0.00131153)/10,000 ⇒ LP = 5,739.0835...
    // 0.42 below the published 5,739.50; no reading of the formula tried (MM or fee at LP, no fee)
    // gives 5,739.50 (docs/liquidation.md). We reproduce the formula, not the printed number.
    const inverse_contract<double> c{1.0};
    liquidation_options<double> bybit;
    bybit.closing_fee_rate = 0.00075;
    const auto bp = bankruptcy_price(c, position_leg<double>{10'000.0, 8'000.0}, account_balance<double>{0.5}, 8'000.0,
                                     bybit);
    CHECK_THAT(bp.price, WithinAbs(5'718.57, 0.005));
    bybit.valuation = margin_valuation::entry;
    bybit.fee_at = fee_valuation::bankruptcy_price;
    const auto lp = liquidation_price(c, flat(0.005, 100), {10'000.0, 8'000.0}, {0.5}, 8'000.0, bybit);
    const double fee = 10'000.0 * 0.00075 / (10'007.5 / 1.75);
    const double expected = 1.0 / (1.0 / 8'000.0 + (0.5 - 0.00625 - fee) / 10'000.0);
    CHECK_THAT(lp.price, WithinRel(expected, 1e-13));
    CHECK_THAT(lp.price, WithinAbs(5'739.08, 0.01));
    CHECK(std::abs(lp.price - 5'739.50) > 0.4);
}

TEST_CASE("Binance USD(S)-M and COIN-M formula with tier iteration (independent Python)", "[liquidation]") {
    // Values printed by tests/reference/liquidation_binance.py (CPython 3.11.2), stored beside it
    // in liquidation_binance.out: Binance's published formula, iterated over brackets as the FAQ says.
    const linear_contract<double> lin{};
    const inverse_contract<double> inv{100.0};
    const auto usdt = btcusdt();
    const auto usd = btcusd();
    SECTION("one-way cross long") {
        const auto r = liquidation_price(lin, usdt, {20.0, 30'000.0}, {10'000.0, 500.0, -1'000.0}, 30'000.0);
        CHECK_THAT(r.price, WithinRel(29808.080808080806, 1e-12));
        CHECK(r.tier == 2);
    }
    SECTION("one-way cross short") {
        const auto r = liquidation_price(lin, usdt, {-50.0, 30'000.0}, {200'000.0, 1'000.0, 2'000.0}, 30'000.0);
        CHECK_THAT(r.price, WithinRel(33708.91089108911, 1e-12));
        CHECK(r.tier == 2);
    }
    SECTION("isolated long whose LP sits one tier below the entry's") {
        CHECK(usdt.tier_index(100.0 * 30'000.0) == 3);
        const auto r = liquidation_price(lin, usdt, {100.0, 30'000.0}, {40'000.0}, 30'000.0);
        CHECK_THAT(r.price, WithinRel(29885.858585858587, 1e-12));
        CHECK(r.tier == 2);
    }
    SECTION("huge notionals: 360 M long falls a tier; 360 M short stays in the top tier") {
        const auto l = liquidation_price(lin, usdt, {9'000.0, 40'000.0}, {150'000'000.0}, 40'000.0);
        CHECK_THAT(l.price, WithinRel(26956.103703703702, 1e-12));
        CHECK(l.tier == 8);
        const auto s = liquidation_price(lin, usdt, {-9'000.0, 40'000.0}, {200'000'000.0}, 40'000.0);
        CHECK_THAT(s.price, WithinRel(49114.54074074074, 1e-12));
        CHECK(s.tier == 9);
    }
    SECTION("hedge mode, net long: long and short legs each in their own tier") {
        const auto r =
            liquidation_prices_hedged(lin, usdt, {10.0, 30'000.0}, {-4.0, 32'000.0}, {20'000.0}, 30'000.0);
        REQUIRE(r.downside.found());
        CHECK_THAT(r.downside.price, WithinRel(25620.748299319723, 1e-12));
        CHECK(r.downside.tier == 2);
        CHECK(r.downside.short_tier == 1);
    }
    SECTION("hedge mode, net short") {
        const auto r = liquidation_prices_hedged(lin, usdt, {3.0, 29'000.0}, {-9.0, 30'500.0}, {30'000.0, 300.0, 500.0},
                                                 30'000.0);
        REQUIRE(r.upside.found());
        CHECK_THAT(r.upside.price, WithinRel(35880.42588042588, 1e-12));
        CHECK(r.upside.tier == 1);
        CHECK(r.upside.short_tier == 2);
    }
    SECTION("COIN-M isolated long, cross short, hedge") {
        const auto l = liquidation_price(inv, usd, {30'000.0, 40'000.0}, {10.0}, 40'000.0);
        CHECK_THAT(l.price, WithinRel(36372.033947231685, 1e-12));
        CHECK(l.tier == 4);
        const auto s = liquidation_price(inv, usd, {-60'000.0, 40'000.0}, {20.0, 0.1, -0.2}, 40'000.0);
        CHECK_THAT(s.price, WithinRel(43655.7661991188, 1e-12));
        CHECK(s.tier == 5);
        const auto h = liquidation_prices_hedged(inv, usd, {50'000.0, 40'000.0}, {-20'000.0, 42'000.0}, {15.0}, 40'000.0);
        REQUIRE(h.downside.found());
        CHECK_THAT(h.downside.price, WithinRel(35788.50696597725, 1e-12));
        CHECK(h.downside.tier == 5);
        CHECK(h.downside.short_tier == 4);
    }
}

TEST_CASE("edge cases: tier boundary, 1x, near zero, hedge with equal legs, already liquidated", "[liquidation]") {
    const linear_contract<double> lin{};
    const auto usdt = btcusdt();
    SECTION("LP exactly on a tier floor") {
        // Long 10 @ 30,000; at P = 25,000 the notional is 250,000 = tier 3's floor, where
        // MM = 250,000 × 1 % − 1,300 = 250,000 × 0.5 % − 50 = 1,200. Equity there is
        // WB + 10 × (25,000 − 30,000) = WB − 50,000, so WB = 51,200 puts the LP exactly on the floor.
        const auto r = liquidation_price(lin, usdt, {10.0, 30'000.0}, {51'200.0}, 30'000.0);
        REQUIRE(r.found());
        CHECK_THAT(r.price, WithinRel(25'000.0, 1e-13));
        CHECK((r.tier == 1 || r.tier == 2));
    }
    SECTION("1x long is never liquidated; slightly less margin gives an LP near zero") {
        const auto r = liquidation_price(lin, usdt, {2.0, 30'000.0}, {60'000.0}, 30'000.0);
        CHECK(r.status == liquidation_status::fully_collateralised);
        CHECK(r.price == 0.0);
        // WB = 59,999: 59,999 + 2(P − 30,000) = 2P × 0.4 % ⇒ P = 1 / 1.992 = 0.50200803...
        const auto z = liquidation_price(lin, usdt, {2.0, 30'000.0}, {59'999.0}, 30'000.0);
        REQUIRE(z.found());
        CHECK_THAT(z.price, WithinRel(1.0 / 1.992, 1e-9));
    }
    SECTION("1x inverse short is never liquidated; inverse long near zero") {
        const inverse_contract<double> inv{100.0};
        const auto usd = btcusd();
        // Short 100 contracts at 40,000 with 0.25 BTC = the notional: a synthetic dollar.
        const auto r = liquidation_price(inv, usd, {-100.0, 40'000.0}, {0.25}, 40'000.0);
        CHECK(r.status == liquidation_status::fully_collateralised);
        // Long 100 contracts at 40,000 backed by 100 BTC: tier 5 (50–100 BTC, 5 %, cum 1.605) at LP:
        // LP = 10,000 × 1.05 / (100 + 1.605 + 0.25) = 10,500 / 101.855 = 103.0877...; notional 97.0 BTC.
        const auto z = liquidation_price(inv, usd, {100.0, 40'000.0}, {100.0}, 40'000.0);
        REQUIRE(z.found());
        CHECK_THAT(z.price, WithinRel(10'500.0 / 101.855, 1e-12));
        CHECK(z.tier == 4);
    }
    SECTION("hedge mode with equal long and short: only an upside LP") {
        // Equity stays 3,000 whatever P; MM = 2 × MM(5P) rises with P: 2 × (5P × 1 % − 1,300) = 3,000
        // ⇒ P = 56,000 (notional 280,000, tier 3). Falling prices only lower the margin.
        const auto r = liquidation_prices_hedged(lin, usdt, {5.0, 30'000.0}, {-5.0, 30'000.0}, {3'000.0}, 30'000.0);
        CHECK(r.downside.status == liquidation_status::unreachable);
        REQUIRE(r.upside.found());
        CHECK_THAT(r.upside.price, WithinRel(56'000.0, 1e-13));
        CHECK(r.upside.tier == 2);
        CHECK(r.upside.short_tier == 2);
    }
    SECTION("already liquidated at the mark") {
        const auto r = liquidation_price(lin, usdt, {1.0, 30'000.0}, {100.0}, 29'000.0);
        CHECK(r.status == liquidation_status::already_liquidated);
        const auto h = liquidation_prices_hedged(lin, usdt, {1.0, 30'000.0}, {0.0, 1.0}, {100.0}, 29'000.0);
        CHECK(h.downside.status == liquidation_status::already_liquidated);
        CHECK(h.upside.status == liquidation_status::already_liquidated);
    }
    SECTION("quantity brackets: the tier follows |quantity|, not the price") {
        // Two quantity tiers: ≤ 10 units 1 %, above 2 %. Long 20 @ 100, WB 200:
        // 200 + 20(P − 100) = 20P × 2 % ⇒ P = 1,800 / 19.6 = 91.836734693877...
        const tier_schedule<double> okx({{0, 10, 50, 0.01}, {10, 1e9, 25, 0.02}}, tier_basis::quantity);
        const auto r = liquidation_price(lin, okx, {20.0, 100.0}, {200.0}, 100.0);
        CHECK_THAT(r.price, WithinRel(1'800.0 / 19.6, 1e-13));
        CHECK(r.tier == 1);
    }
    SECTION("quanto contract: linear in the index, margined in the settlement coin") {
        // BitMEX-style ETHUSD, 1e-6 XBT per contract per USD: long 1,000 @ 3,000 (3 XBT notional), 0.3 XBT
        // margin, MMR 1 %: 0.3 + 1e-3 (P − 3,000) = 1e-5 P ⇒ P = 2.7 / 0.00099 = 2,727.2727...
        const quanto_contract<double> ethusd{1e-6};
        const auto r = liquidation_price(ethusd, flat(0.01, 50), {1'000.0, 3'000.0}, {0.3}, 3'000.0);
        REQUIRE(r.found());
        CHECK_THAT(r.price, WithinRel(2.7 / 0.00099, 1e-12));
    }
    SECTION("MMR + fee >= 1 in a tier: a long with two roots, the walk hands over to the scan") {
        // Tiers [0, 1,000) 1 % and [1,000, ∞) 50 % (cum 490); fee 60 %. Long 1 @ 500, WB 400:
        // below 1,000: f = 400 + (P − 500) − 0.01 P − 0.6 P = 0.39 P − 100 ⇒ root 100 / 0.39 = 256.41...;
        // above: f = 400 + P − 500 − (0.5 P − 490) − 0.6 P = 390 − 0.1 P ⇒ root 3,900 (equity grows slower
        // than margin + fee). From a mark of 1,500 the walk meets slope < 0 and the scan answers.
        const tier_schedule<double> steep({{0, 1'000, 50, 0.01}, {1'000, std::numeric_limits<double>::infinity(), 1, 0.5}});
        liquidation_options<double> o;
        o.closing_fee_rate = 0.6;
        const auto r = liquidation_price(lin, steep, {1.0, 500.0}, {400.0}, 1'500.0, o);
        REQUIRE(r.found());
        CHECK_THAT(r.price, WithinRel(100.0 / 0.39, 1e-13));
        CHECK(r.tier == 0);
        const auto h = liquidation_prices_hedged(lin, steep, {1.0, 500.0}, {0.0, 1.0}, {400.0}, 1'500.0, o);
        CHECK_THAT(h.downside.price, WithinRel(100.0 / 0.39, 1e-13));
        REQUIRE(h.upside.found());
        CHECK_THAT(h.upside.price, WithinRel(3'900.0, 1e-13));
        CHECK(h.upside.tier == 1);
    }
    SECTION("closing-fee buffer at the liquidation price") {
        // Long 1 @ 20,000, WB 400, MMR 0.5 %, fee 0.06 %: 400 + P − 20,000 = 0.0056 P ⇒ P = 19,600 / 0.9944.
        liquidation_options<double> o;
        o.closing_fee_rate = 0.0006;
        const auto r = liquidation_price(lin, flat(0.005, 50), {1.0, 20'000.0}, {400.0}, 20'000.0, o);
        CHECK_THAT(r.price, WithinRel(19'600.0 / 0.9944, 1e-14));
    }
}

TEST_CASE("properties on random books: equity = MM at LP, tier consistency, collateral, agreement", "[liquidation]") {
    std::mt19937_64 rng(20261128);
    std::uniform_real_distribution<double> log_size(std::log(0.01), std::log(20'000.0));
    std::uniform_real_distribution<double> price_draw(1'000.0, 100'000.0);
    std::uniform_real_distribution<double> leverage_draw(1.05, 60.0);
    std::uniform_real_distribution<double> move(-0.02, 0.02);
    std::bernoulli_distribution is_long(0.5);
    const auto usdt = btcusdt();
    const auto usd = btcusd();
    const linear_contract<double> lin{};
    const inverse_contract<double> inv{100.0};
    int found = 0;
    for (int i = 0; i < 4000; ++i) {
        const bool inverse = i % 2 == 1;
        const double entry = price_draw(rng);
        const double size = std::exp(log_size(rng));
        const double q = (is_long(rng) ? 1.0 : -1.0) * (inverse ? std::round(size * entry / 100.0) + 1.0 : size);
        const double notional = inverse ? inv.notional(q, entry) : lin.notional(q, entry);
        const double wallet = notional / leverage_draw(rng);
        const double mark = entry * (1.0 + move(rng));
        const position_leg<double> leg{q, entry};
        const account_balance<double> bal{wallet};
        const auto r = inverse ? liquidation_price(inv, usd, leg, bal, mark) : liquidation_price(lin, usdt, leg, bal, mark);
        const auto& sched = inverse ? usd : usdt;
        if (!r.found()) {
            // Either over-levered at the mark, or a fully collateralised side.
            const double at_mark = inverse ? surplus(inv, sched, leg, wallet, mark) : surplus(lin, sched, leg, wallet, mark);
            if (r.status == liquidation_status::already_liquidated) CHECK(at_mark < 0);
            else CHECK(r.status == liquidation_status::fully_collateralised);
            continue;
        }
        ++found;
        // equity(LP) = MM(LP) to 1e-9 of the notional at LP (the surplus is a difference of
        // numbers of that size).
        const double n_lp = inverse ? inv.notional(q, r.price) : lin.notional(q, r.price);
        const double s_lp = inverse ? surplus(inv, sched, leg, wallet, r.price) : surplus(lin, sched, leg, wallet, r.price);
        CHECK(std::abs(s_lp) <= 1e-9 * n_lp);
        // The tier used is the tier of the notional at LP (away from a floor's rounding band).
        const double floor_gap = std::abs(n_lp - sched.tiers()[sched.tier_index(n_lp)].floor);
        if (floor_gap > 1e-9 * n_lp) CHECK(r.tier == sched.tier_index(n_lp));
        // Long LP below the mark, short above (for inverse too).
        CHECK(((q > 0) ? r.price < mark : r.price > mark));
        // More collateral moves the LP away from the mark (or removes it).
        const account_balance<double> more{wallet * 1.1 + 1.0};
        const auto r2 = inverse ? liquidation_price(inv, usd, leg, more, mark) : liquidation_price(lin, usdt, leg, more, mark);
        if (r2.found()) CHECK(((q > 0) ? r2.price < r.price : r2.price > r.price));
        else CHECK(r2.status == liquidation_status::fully_collateralised);
        // The tier walk and the segment scan (hedge API with an empty leg) agree.
        const auto h = inverse ? liquidation_prices_hedged(inv, usd, q > 0 ? leg : position_leg<double>{0.0, 1.0},
                                                           q < 0 ? leg : position_leg<double>{0.0, 1.0}, bal, mark)
                               : liquidation_prices_hedged(lin, usdt, q > 0 ? leg : position_leg<double>{0.0, 1.0},
                                                           q < 0 ? leg : position_leg<double>{0.0, 1.0}, bal, mark);
        const auto& side = q > 0 ? h.downside : h.upside;
        REQUIRE(side.found());
        CHECK_THAT(side.price, WithinRel(r.price, 1e-12));
        CHECK((q > 0 ? h.upside.status : h.downside.status) == liquidation_status::unreachable);
    }
    CHECK(found > 2500);
}

TEST_CASE("bad input gets the library's error", "[liquidation][errors]") {
    const linear_contract<double> lin{};
    const auto s = btcusdt();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {nan, 30'000.0}, {100.0}, 30'000.0), invalid_argument,
                           Message("liquidation_price: quantity is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {0.0, 30'000.0}, {100.0}, 30'000.0), invalid_argument,
                           Message("liquidation_price: quantity is 0, but must be non-zero"));
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {1.0, 0.0}, {100.0}, 30'000.0), invalid_argument,
                           Message("liquidation_price: entry_price is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {1.0, 30'000.0}, {-5.0}, 30'000.0), invalid_argument,
                           Message("liquidation_price: wallet_balance is -5, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {1.0, 30'000.0}, {100.0, -1.0}, 30'000.0), invalid_argument,
                           Message("liquidation_price: other_maintenance_margin is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {1.0, 30'000.0}, {100.0, 0.0, nan}, 30'000.0), invalid_argument,
                           Message("liquidation_price: other_unrealised_pnl is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {1.0, 30'000.0}, {100.0}, -1.0), invalid_argument,
                           Message("liquidation_price: mark is -1, but must be finite and > 0"));
    liquidation_options<double> o;
    o.closing_fee_rate = 1.0;
    REQUIRE_THROWS_MATCHES(liquidation_price(lin, s, {1.0, 30'000.0}, {100.0}, 30'000.0, o), invalid_argument,
                           Message("liquidation_price: closing_fee_rate is 1, but must be < 1"));
    o.closing_fee_rate = -0.1;
    REQUIRE_THROWS_MATCHES(bankruptcy_price(lin, position_leg<double>{1.0, 30'000.0}, account_balance<double>{100.0},
                                            30'000.0, o),
                           invalid_argument, Message("bankruptcy_price: closing_fee_rate is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(liquidation_prices_hedged(lin, s, {-1.0, 30'000.0}, {-1.0, 30'000.0}, {100.0}, 30'000.0),
                           invalid_argument, Message("liquidation_prices_hedged: long quantity is -1, but must be >= 0"));
    REQUIRE_THROWS_MATCHES(liquidation_prices_hedged(lin, s, {1.0, 30'000.0}, {1.0, 30'000.0}, {100.0}, 30'000.0),
                           invalid_argument, Message("liquidation_prices_hedged: short quantity is 1, but must be <= 0"));
    REQUIRE_THROWS_MATCHES(liquidation_prices_hedged(lin, s, {0.0, 30'000.0}, {0.0, 30'000.0}, {100.0}, 30'000.0),
                           invalid_argument,
                           Message("liquidation_prices_hedged: long quantity is 0, but must be non-zero when the short quantity is 0"));
    REQUIRE_THROWS_MATCHES(liquidation_prices_hedged(lin, s, {1.0, nan}, {0.0, 30'000.0}, {100.0}, 30'000.0),
                           invalid_argument, Message("liquidation_prices_hedged: long entry_price is nan, but must be finite and > 0"));
    liquidation_options<double> at_bp;
    at_bp.closing_fee_rate = 0.001;
    at_bp.fee_at = fee_valuation::bankruptcy_price;
    REQUIRE_THROWS_MATCHES(liquidation_prices_hedged(lin, s, {1.0, 30'000.0}, {0.0, 30'000.0}, {100.0}, 30'000.0, at_bp),
                           invalid_argument,
                           Message("liquidation_prices_hedged: fee_at is bankruptcy_price, but must be liquidation_price in "
                                   "hedge mode (two bankruptcy prices)"));
}

TEMPLATE_TEST_CASE("float and long double give the same Bybit answer", "[liquidation]", float, long double) {
    const linear_contract<TestType> c{};
    const tier_schedule<TestType> s({{TestType(0), std::numeric_limits<TestType>::infinity(), TestType(50), TestType(0.005)}});
    liquidation_options<TestType> bybit;
    bybit.valuation = margin_valuation::entry;
    const auto lp = liquidation_price(c, s, position_leg<TestType>{TestType(1), TestType(20000)},
                                      account_balance<TestType>{TestType(400)}, TestType(20000), bybit);
    CHECK_THAT(static_cast<double>(lp.price), WithinRel(19'700.0, 1e-6));
}

TEST_CASE("50-digit arithmetic: the closed forms are exact, not just close", "[liquidation][multiprecision]") {
    using big = boost::multiprecision::cpp_bin_float_50;
    // Binance COIN-M calculator case (above) in 50 digits: LP = 1.125e7 / (101 + 11.605 + 1e7/45,000).
    const inverse_contract<big> c{big(100)};
    const tier_schedule<big> s({{big(0), big(200), big(5), big("0.1")},
                                {big(200), big(400), big(4), big("0.125")}});
    // cum of tier 2 = 200 × (0.125 − 0.1) = 5; a two-tier table whose tier 2 has MMR 12.5 %.
    const auto lp = liquidation_price(c, s, position_leg<big>{big(100000), big(45000)}, account_balance<big>{big(101)},
                                      big(45000));
    REQUIRE(lp.found());
    const big expected = big("1.125e7") / (big(101) + big(5) + big(10000000) / big(45000));
    CHECK(abs(lp.price - expected) / expected < big("1e-45"));
    // equity(LP) − MM(LP) = 0 to 50 digits.
    const big n = c.notional(big(100000), lp.price);
    const big surplus_at_lp = big(101) + c.pnl(big(100000), big(45000), lp.price) - s.maintenance_margin(n, big(100000));
    CHECK(abs(surplus_at_lp) < big("1e-45") * n);
}
