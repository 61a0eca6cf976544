// Tests of include/margincall/margin/position.hpp: a leg's notional, PnL, IM and MM.
#include <limits>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

// Binance BTCUSDT brackets 1–3 (snapshot of GET /fapi/v1/leverageBracket, see
// docs/margin.md): 0–50k 125x 0.4 %, 50k–250k 100x 0.5 % (cum 50), 250k–3M 50x 1 % (cum 1,300).
tier_schedule<double> binance_btcusdt() {
    return tier_schedule<double>({{0, 50000, 125, 0.004, 0.0},
                                  {50000, 250000, 100, 0.005, 50.0},
                                  {250000, 3000000, 50, 0.01, 1300.0}});
}

// Deribit linear perpetual (BTC_USDC) margin, rates linear in size Q (BTC):
// IM = notional × (2 % + Q × 0.005 %), MM = notional × (1 % + Q × 0.005 %); max leverage = 1/IMR.
// Source: Deribit "Linear Perpetual" (support.deribit.com/hc/en-us/articles/25944738177565).
// A host-written margin_rate_model: not a bracket schedule.
struct deribit_linear {
    double base_im = 0.02, base_mm = 0.01, per_unit = 0.00005;
    double maintenance_margin(double notional, double q) const { return notional * (base_mm + q * per_unit); }
    double initial_margin(double notional, double q, double) const { return notional * (base_im + q * per_unit); }
    double max_leverage(double, double q) const { return 1.0 / (base_im + q * per_unit); }
};
static_assert(margin_rate_model<deribit_linear, double>);

}  // namespace

TEST_CASE("Bybit example 1: long 1 BTC @ 20,000 at 50x, MMR 0.5 % → IM 400, MM 100", "[margin]") {
    // Bybit "Liquidation Price (USDT Contract)", Example 1 (published IM 400, MM 100).
    const tier_schedule<double> bybit({{0, 2000000, 100, 0.005}});
    const position<linear_contract<double>, tier_schedule<double>> p(bybit, {.leverage = 50,
                                                                             .mode = margin_mode::isolated,
                                                                             .quantity = 1.0,
                                                                             .entry_price = 20000.0,
                                                                             .isolated_margin = 400.0});
    CHECK(p.notional(20000) == 20000);
    CHECK(p.initial_margin(20000) == 400);
    CHECK(p.maintenance_margin(20000) == 100);
    CHECK(p.unrealised_pnl(19700) == -300);  // equity 400 − 300 = 100 = MM at the published LP
    CHECK(p.isolated_margin() == 400);
    CHECK(p.effective_leverage(20000) == 50);
}

TEST_CASE("Binance FAQ: a 500,000 USDT BTCUSDT position uses maintenance amount 1,300", "[margin]") {
    // Binance FAQ b3c689c1…: 500,000 USDT → level 3, MMR 1 %, cum 1,300 → MM = 5,000 − 1,300 = 3,700.
    const auto s = binance_btcusdt();
    const position<linear_contract<double>, tier_schedule<double>> p(
        s, {.leverage = 20, .quantity = -10.0, .entry_price = 48000.0});
    CHECK(p.notional(50000) == 500000);
    CHECK(p.maintenance_margin(50000) == 3700);
    CHECK(p.initial_margin(50000) == 25000);       // 500,000 / 20
    CHECK(p.unrealised_pnl(50000) == -20000);      // short 10 from 48,000 to 50,000
    // Binance FAQ: a 264,000 USDT position has MMR 1 % → MM = 2,640 − 1,300 = 1,340.
    CHECK_THAT(p.maintenance_margin(26400), WithinRel(1340.0, 1e-12));
}

TEST_CASE("IM is charged at the tier's max leverage once a move carries the leg past its tier", "[margin]") {
    // Hand-derived: 2 BTC at 100x is in tier 2 (≤ 250,000, max 100x) at mark 100,000 (notional
    // 200,000 → IM 2,000); at mark 150,000 the notional 300,000 is in tier 3 (max 50x), so IM =
    // 300,000 / 50 = 6,000, and MM = 300,000 × 1 % − 1,300 = 1,700.
    const auto s = binance_btcusdt();
    const position<linear_contract<double>, tier_schedule<double>> p(
        s, {.leverage = 100, .quantity = 2.0, .entry_price = 100000.0});
    CHECK(p.initial_margin(100000) == 2000);
    CHECK(p.effective_leverage(150000) == 50);
    CHECK(p.initial_margin(150000) == 6000);
    CHECK(p.maintenance_margin(150000) == 1700);
}

TEST_CASE("Deribit BTC_USDC published IM and MM through a host-written model", "[margin]") {
    // Deribit "Linear Perpetual" table, index 100,000: Q = 25 → IM 2.125 % = 53,125 USDC,
    // MM 1.125 % = 28,125 USDC; Q = 350 → IM 3.75 % = 1,312,500 USDC.
    const deribit_linear m{};
    using pos = position<linear_contract<double>, deribit_linear>;
    const pos small(m, {.leverage = 10, .quantity = 25.0, .entry_price = 100000.0});
    CHECK_THAT(small.initial_margin(100000), WithinRel(53125.0, 1e-12));
    CHECK_THAT(small.maintenance_margin(100000), WithinRel(28125.0, 1e-12));
    const pos large(m, {.leverage = 10, .quantity = -350.0, .entry_price = 100000.0});
    CHECK_THAT(large.initial_margin(100000), WithinRel(1312500.0, 1e-12));
}

TEST_CASE("Binance COIN-M: 100 BTCUSD contracts at 25,000 → notional 0.4 BTC, MM 0.0016 BTC", "[margin]") {
    // Binance COIN-M FAQ (es-MX): level 1 MMR 0.4 %, maintenance amount 0.
    const tier_schedule<double> coin_m({{0, 5, 125, 0.004}, {5, 10, 100, 0.005, 0.005}});
    const position<inverse_contract<double>, tier_schedule<double>> p(
        coin_m, {.contract = inverse_contract<double>{100}, .leverage = 20, .quantity = 100.0, .entry_price = 20000.0});
    CHECK_THAT(p.notional(25000), WithinRel(0.4, 1e-15));
    CHECK_THAT(p.maintenance_margin(25000), WithinRel(0.0016, 1e-12));
    // PnL 100 × 100 × (1/20,000 − 1/25,000) = 10,000 × 1e-5 = 0.1 BTC (hand-derived)
    CHECK_THAT(p.unrealised_pnl(25000), WithinRel(0.1, 1e-12));
}

TEST_CASE("averaged entry: arithmetic for linear and quanto, harmonic for inverse", "[margin]") {
    // Linear: 1 @ 20,000 + 1 @ 22,000 → 21,000; 3 @ 100 + 1 @ 200 → 125.
    CHECK(averaged_entry(linear_contract<double>{}, 1.0, 20000.0, 1.0, 22000.0) == 21000.0);
    CHECK(averaged_entry(linear_contract<double>{}, -3.0, 100.0, -1.0, 200.0) == 125.0);
    CHECK(averaged_entry(quanto_contract<double>{1e-6}, 3.0, 100.0, 1.0, 200.0) == 125.0);
    // Inverse: 10,000 USD of contracts @ 10,000 (1 BTC) + 10,000 @ 20,000 (0.5 BTC): entry =
    // 20,000 / 1.5 = 13,333.33…; the combined PnL at any mark equals the two parts' sum.
    const inverse_contract<double> inv{1.0};
    const double e = averaged_entry(inv, 10000.0, 10000.0, 10000.0, 20000.0);
    CHECK_THAT(e, WithinRel(40000.0 / 3.0, 1e-15));
    for (double mark : {5000.0, 15000.0, 30000.0})
        CHECK_THAT(inv.pnl(20000.0, e, mark),
                   WithinRel(inv.pnl(10000.0, 10000.0, mark) + inv.pnl(10000.0, 20000.0, mark), 1e-12));
}

TEST_CASE("a flat leg has no PnL and no margin", "[margin]") {
    const auto s = binance_btcusdt();
    const position<linear_contract<double>, tier_schedule<double>> p(s, {.leverage = 10});
    CHECK(p.is_flat());
    CHECK(p.unrealised_pnl(30000) == 0);
    CHECK(p.initial_margin(30000) == 0);
    CHECK(p.maintenance_margin(30000) == 0);
}

TEST_CASE("a spec names every field and defaults to a flat cross leg on symbol 0", "[margin]") {
    using spec = position_spec<linear_contract<double>>;
    const spec d{};
    CHECK(d.symbol == 0);
    CHECK(d.contract.multiplier() == 1.0);
    CHECK(d.leverage == 0.0);  // no default that passes validation: leverage is required
    CHECK(d.mode == margin_mode::cross);
    CHECK(d.side == position_side::both);
    CHECK(d.quantity == 0.0);
    CHECK(d.entry_price == 0.0);
    CHECK(d.isolated_margin == 0.0);

    // Every field, in declaration order, lands where its name says.
    const auto s = binance_btcusdt();
    const position<quanto_contract<double>, tier_schedule<double>> p(s, {.symbol = 3,
                                                                         .contract = quanto_contract<double>{1e-6},
                                                                         .leverage = 25,
                                                                         .mode = margin_mode::isolated,
                                                                         .side = position_side::short_leg,
                                                                         .quantity = -2.0,
                                                                         .entry_price = 1500.0,
                                                                         .isolated_margin = 120.0});
    CHECK(p.symbol() == 3);
    CHECK(p.contract_spec().multiplier() == 1e-6);
    CHECK(p.leverage() == 25);
    CHECK(p.mode() == margin_mode::isolated);
    CHECK(p.side() == position_side::short_leg);
    CHECK(p.quantity() == -2.0);
    CHECK(p.entry_price() == 1500.0);
    CHECK(p.isolated_margin() == 120.0);
    CHECK(&p.model() == &s);  // held by pointer, not copied

    // Class template argument deduction from a named model and a typed spec.
    const position q(s, position_spec<linear_contract<double>>{.leverage = 10});
    static_assert(std::is_same_v<std::remove_const_t<decltype(q)>,
                                 position<linear_contract<double>, tier_schedule<double>, double>>);
}

TEST_CASE("a position binds only to a named model (truth table)", "[margin]") {
    // The model is held by pointer: an rvalue model (a temporary, or one moved from) would
    // dangle, so those overloads are deleted. tests/compile_fail/position_temporary_model.cpp
    // shows the diagnostic; here the overload set is probed.
    using schedule = tier_schedule<double>;
    using pos = position<linear_contract<double>, schedule>;
    using spec = pos::spec_type;
    static_assert(std::is_constructible_v<pos, const schedule&, spec>);
    static_assert(std::is_constructible_v<pos, schedule&, spec>);
    static_assert(!std::is_constructible_v<pos, schedule, spec>);  // a prvalue: a temporary
    static_assert(!std::is_constructible_v<pos, schedule&&, spec>);
    static_assert(!std::is_constructible_v<pos, const schedule&&, spec>);
    static_assert(!std::is_constructible_v<pos, schedule>);  // no spec, no position
    static_assert(std::is_copy_constructible_v<pos> && std::is_move_constructible_v<pos>);
    using host = position<linear_contract<double>, deribit_linear>;
    static_assert(std::is_constructible_v<host, const deribit_linear&, host::spec_type>);
    static_assert(!std::is_constructible_v<host, deribit_linear, host::spec_type>);
    SUCCEED();
}

TEST_CASE("docs/margin.md: the Positions snippet compiles and gives Bybit's figures", "[margin][docs]") {
    // The snippet of docs/margin.md, "Positions", line for line (keep the two in step).
    const tier_schedule<double> bybit({{0, 2000000, 100, 0.005}});  // one tier, MMR 0.5 %
    using btc_position = position<linear_contract<double>, tier_schedule<double>>;
    const btc_position p(bybit, {.symbol = 0,
                                 .leverage = 50,
                                 .mode = margin_mode::isolated,
                                 .quantity = 1.0,
                                 .entry_price = 20000.0,
                                 .isolated_margin = 400.0});
    // p.initial_margin(20000.0) == 400, p.maintenance_margin(20000.0) == 100 (Bybit, example 1)
    CHECK(p.initial_margin(20000.0) == 400.0);
    CHECK(p.maintenance_margin(20000.0) == 100.0);
}

TEST_CASE("positions are validated, each message naming the spec field", "[margin][errors]") {
    const auto s = binance_btcusdt();
    using pos = position<linear_contract<double>, tier_schedule<double>>;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_MATCHES(pos(s, {}), invalid_argument,
                           Message("position: leverage is 0, but must be finite and > 0"));  // left out
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = -2.0}), invalid_argument,
                           Message("position: leverage is -2, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = nan}), invalid_argument,
                           Message("position: leverage is nan, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = inf}), invalid_argument,
                           Message("position: leverage is inf, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = 10, .quantity = nan, .entry_price = 1.0}), invalid_argument,
                           Message("position: quantity is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(
        pos(s, {.leverage = 10, .side = position_side::long_leg, .quantity = -1.0, .entry_price = 1.0}),
        invalid_argument, Message("position: quantity of the long leg is -1, but must be >= 0"));
    REQUIRE_THROWS_MATCHES(
        pos(s, {.leverage = 10, .side = position_side::short_leg, .quantity = 1.0, .entry_price = 1.0}),
        invalid_argument, Message("position: quantity of the short leg is 1, but must be <= 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = 10, .quantity = 1.0}), invalid_argument,
                           Message("position: entry_price is 0, but must be finite and > 0"));  // left out, open leg
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = 10, .quantity = 1.0, .entry_price = inf}), invalid_argument,
                           Message("position: entry_price is inf, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = 10, .entry_price = -1.0}), invalid_argument,
                           Message("position: entry_price is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = 10,
                                   .mode = margin_mode::isolated,
                                   .quantity = 1.0,
                                   .entry_price = 100.0,
                                   .isolated_margin = -5.0}),
                           invalid_argument, Message("position: isolated_margin is -5, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(pos(s, {.leverage = 10, .quantity = 1.0, .entry_price = 100.0, .isolated_margin = 5.0}),
                           invalid_argument,
                           Message("position: isolated_margin of a cross position is 5, but must be 0"));
    pos p(s, {.leverage = 10, .quantity = 1.0, .entry_price = 100.0});
    REQUIRE_THROWS_MATCHES(p.set_state(1.0, nan, 0.0), invalid_argument,
                           Message("position: entry_price is nan, but must be finite and > 0"));
    CHECK(p.quantity() == 1.0);  // a rejected state leaves the position as it was
    CHECK(std::string(to_string(position_side::long_leg)) == "long");
}
