// Tests of include/margincall/calculator.hpp: the assembled calculator reproduces the
// standalone components exactly, honours custom policies, and runs automation with a log.
#include <margincall/calculator.hpp>
#include <margincall/risk/normal_var.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
using schedule = tier_schedule<double>;
using linear = linear_contract<double>;

// Binance BTCUSDT brackets 1–3 (leverageBracket snapshot, tests/reference/binance_btcusdt_brackets.csv),
// open-ended at 2.5 % beyond 3M (cum by the recursion: 1,300 + 3M × 1.5 % = 46,300).
schedule btc() {
    return schedule({{0, 50000, 125, 0.004, 0.0},
                     {50000, 250000, 100, 0.005, 50.0},
                     {250000, 3000000, 50, 0.01, 1300.0},
                     {3000000, inf, 20, 0.025, 46300.0}});
}
// Binance ETHUSDT 2021 brackets 1–3: 0–10k 0.5 %, 10k–100k 0.65 % (cum 15), 100k–500k 1 % (cum 365).
schedule eth() {
    return schedule({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0}, {100000, inf, 50, 0.01, 365.0}});
}

bool same_point(const liquidation_point<double>& a, const liquidation_point<double>& b) {
    return a.status == b.status && a.price == b.price && a.tier == b.tier && a.short_tier == b.short_tier;
}

// A host's own margin model: flat 1 % maintenance, IM = notional / leverage, 100x at most.
struct flat_margin {
    double maintenance_margin(double notional, double) const noexcept { return 0.01 * notional; }
    double initial_margin(double notional, double, double leverage) const { return notional / leverage; }
    double max_leverage(double, double) const noexcept { return 100.0; }
};
struct host_policies : default_policies<double> {
    using margin_model = flat_margin;
    using liquidation_solver = generic_liquidation<double>;
};
struct hedge_policies : default_policies<double> {
    using account_mode = hedge_mode;
};
struct risk_policies : default_policies<double> {
    using risk_measure = normal_var<double>;
};
struct acting_policies : default_policies<double> {
    using top_up_policy = spot_top_up<double>;
    using reduction_policy = auto_reduce<double>;
};
}  // namespace

static_assert(liquidation_solver<closed_form_liquidation, account<linear, schedule>, double>);
static_assert(!liquidation_solver<closed_form_liquidation, account<linear, flat_margin>, double>);
static_assert(liquidation_solver<generic_liquidation<double>, account<linear, flat_margin>, double>);
static_assert(account_mode_policy<one_way_mode> && account_mode_policy<hedge_mode> && !account_mode_policy<int>);
static_assert(risk_measure<no_risk_measure, double> && risk_measure<normal_var<double>, double>);
static_assert(!risk_measure<int, double>);

TEST_CASE("default policies reproduce account::evaluate and the closed forms exactly", "[calculator]") {
    const auto s_btc = btc();
    const auto s_eth = eth();
    margin_call_calculator<default_policies<double>> calc;
    auto a = calc.make_account(10000.0);
    using pos = position<linear, schedule>;
    a.add_position(pos(s_btc, {.symbol = 0, .leverage = 20, .quantity = 1.5, .entry_price = 20000.0}));
    a.add_position(pos(s_eth, {.symbol = 1, .leverage = 10, .quantity = -20.0, .entry_price = 1500.0}));
    a.add_position(pos(s_btc, {.symbol = 2,
                               .leverage = 25,
                               .mode = margin_mode::isolated,
                               .quantity = 2.0,
                               .entry_price = 21000.0,
                               .isolated_margin = 1800.0}));
    const std::vector<double> marks{19000.0, 1600.0, 20500.0};
    const auto r = calc.evaluate(a, marks);
    const auto e = a.evaluate(marks);
    CHECK(r.status == e.worst_status);
    CHECK(r.initial_margin == e.initial_margin);
    CHECK(r.maintenance_margin == e.maintenance_margin);
    CHECK(r.call_amount == e.call_amount);
    CHECK(r.equity == e.cross.equity + e.pools[2].equity);
    CHECK(r.margin_ratio == std::max(e.cross.margin_ratio, e.pools[2].margin_ratio));
    CHECK(r.cross.margin_ratio == e.cross.margin_ratio);
    CHECK_FALSE(r.risk.has_value());
    REQUIRE(r.positions.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(r.positions[i].figures.maintenance_margin == e.positions[i].maintenance_margin);
        CHECK(r.positions[i].pool.equity == e.pools[i].equity);
    }
    // Leg 0 (cross long BTC): WB = wallet, TMM1 / UPNL1 = the ETH leg at its mark.
    const account_balance<double> b0{10000.0, s_eth.maintenance_margin(32000.0, 20.0), -20.0 * (1600.0 - 1500.0)};
    CHECK(same_point(r.positions[0].prices.liquidation.downside,
                     liquidation_price(linear{}, s_btc, position_leg<double>{1.5, 20000.0}, b0, 19000.0)));
    CHECK(same_point(r.positions[0].prices.bankruptcy.downside,
                     bankruptcy_price(linear{}, position_leg<double>{1.5, 20000.0}, b0, 19000.0)));
    CHECK(r.positions[0].prices.liquidation.upside.status == liquidation_status::unreachable);
    // Leg 1 (cross short ETH): the BTC cross leg is the rest of the account.
    const account_balance<double> b1{10000.0, s_btc.maintenance_margin(28500.0, 1.5), 1.5 * (19000.0 - 20000.0)};
    CHECK(same_point(r.positions[1].prices.liquidation.upside,
                     liquidation_price(linear{}, s_eth, position_leg<double>{-20.0, 1500.0}, b1, 1600.0)));
    CHECK(same_point(r.positions[1].prices.bankruptcy.upside,
                     bankruptcy_price(linear{}, position_leg<double>{-20.0, 1500.0}, b1, 1600.0)));
    // Leg 2 (isolated long): its own margin as WB.
    const account_balance<double> b2{1800.0, 0.0, 0.0};
    CHECK(same_point(r.positions[2].prices.liquidation.downside,
                     liquidation_price(linear{}, s_btc, position_leg<double>{2.0, 21000.0}, b2, 20500.0)));
    // Bybit-style check by hand: isolated long, tier 1 (notional ≤ 50k): 1,800 + 2(P − 21,000) = 0.004 × 2P
    // ⇔ P = 40,200 / 1.992 = 20,180.7228...
    CHECK_THAT(r.positions[2].prices.liquidation.downside.price, WithinRel(40200.0 / 1.992, 1e-12));
    CHECK_THAT(r.positions[2].prices.bankruptcy.downside.price, WithinRel(20100.0, 1e-12));
}

TEST_CASE("hedge-mode bag solves a cross pair with the hedged closed form", "[calculator]") {
    const auto s = btc();
    margin_call_calculator<hedge_policies> calc;
    auto a = calc.make_account(3000.0);
    using pos = position<linear, schedule>;
    a.add_position(pos(
        s, {.symbol = 0, .leverage = 20, .side = position_side::long_leg, .quantity = 3.0, .entry_price = 20000.0}));
    a.add_position(pos(
        s, {.symbol = 0, .leverage = 20, .side = position_side::short_leg, .quantity = -1.0, .entry_price = 21000.0}));
    const std::vector<double> marks{20500.0};
    const auto r = calc.evaluate(a, marks);
    const auto expected = liquidation_prices_hedged(linear{}, s, position_leg<double>{3.0, 20000.0},
                                                    position_leg<double>{-1.0, 21000.0},
                                                    account_balance<double>{3000.0, 0.0, 0.0}, 20500.0);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(same_point(r.positions[i].prices.liquidation.downside, expected.downside));
        CHECK(same_point(r.positions[i].prices.liquidation.upside, expected.upside));
    }
    // Equity = 3,000 + 3(P − 20,000) − (P − 21,000) = 2P − 36,000. Near 18,000 the long leg's
    // notional 3P ≈ 54k is in tier 2 (0.5 %, cum 50), the short's P in tier 1 (0.4 %):
    // MM = 0.015P − 50 + 0.004P, so 2P − 36,000 = 0.019P − 50 ⇔ P = 35,950 / 1.981 = 18,147.40...
    // (3P = 54,442 ≥ 50,000 confirms the tier).
    CHECK_THAT(expected.downside.price, WithinRel(35950.0 / 1.981, 1e-12));
    CHECK(expected.downside.tier == 1);
    CHECK(expected.downside.short_tier == 0);
    REQUIRE_THROWS_MATCHES(calc.evaluate(margin_call_calculator<default_policies<double>>{}.make_account(1.0), marks),
                           margincall::invalid_argument,
                           Message("margin_call_calculator::evaluate: the account's mode is one_way, but must be hedge "
                                   "(the policy's account_mode)"));
}

TEST_CASE("a host's margin model and the generic solver are honoured", "[calculator]") {
    const flat_margin m;
    margin_call_calculator<host_policies> calc;
    auto a = calc.make_account(1000.0);
    a.add_position(
        position<linear, flat_margin>(m, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
    const std::vector<double> marks{19800.0};
    const auto r = calc.evaluate(a, marks);
    // equity = 1,000 + (P − 20,000), MM = 0.01 P: liquidation at 19,000 / 0.99, bankruptcy at 19,000.
    CHECK(r.maintenance_margin == 198.0);
    CHECK_THAT(r.positions[0].prices.liquidation.downside.price, WithinRel(19000.0 / 0.99, 1e-12));
    CHECK_THAT(r.positions[0].prices.bankruptcy.downside.price, WithinRel(19000.0, 1e-12));
    CHECK(r.positions[0].prices.liquidation.upside.status == liquidation_status::out_of_range);
}

TEST_CASE("risk policy: normal VaR / ES of the account loss over the scenarios", "[calculator]") {
    const auto s = btc();
    margin_call_calculator<risk_policies> calc;
    auto a = calc.make_account(1000.0);
    a.add_position(position<linear, schedule>(s, {.symbol = 0, .leverage = 10, .quantity = 2.0, .entry_price = 100.0}));
    const std::vector<double> returns{-0.02, -0.01, 0.0, 0.01, 0.03};
    calc.set_risk_scenarios(returns, 1, 0.95);
    const std::vector<double> marks{100.0};
    const auto r = calc.evaluate(a, marks);
    REQUIRE(r.risk.has_value());
    // tests/reference/calculator_risk.py (Python 3.11.7 statistics.NormalDist) printed
    // VaR 5.927878247928928, ES 7.535414612266756.
    CHECK_THAT(r.risk->value_at_risk, WithinRel(5.927878247928928, 1e-12));
    CHECK_THAT(r.risk->expected_shortfall, WithinRel(7.535414612266756, 1e-12));
    // Errors.
    REQUIRE_THROWS_MATCHES(calc.set_risk_scenarios(std::vector<double>{0.1, -1.0}, 1, 0.95), margincall::invalid_argument,
                           Message("margin_call_calculator::set_risk_scenarios: returns[1] is -1, but must be finite and > -1"));
    REQUIRE_THROWS_MATCHES(calc.set_risk_scenarios(std::vector<double>{0.1, 0.2, 0.3}, 2, 0.95), margincall::invalid_argument,
                           Message("margin_call_calculator::set_risk_scenarios: the size of returns is 3, but must be a multiple of symbols = 2"));
    REQUIRE_THROWS_MATCHES(calc.set_risk_scenarios(returns, 1, 1.0), margincall::invalid_argument,
                           Message("margin_call_calculator::set_risk_scenarios: alpha is 1, but must be in (0, 1)"));
    margin_call_calculator<default_policies<double>> plain;
    REQUIRE_THROWS_MATCHES(plain.set_risk_scenarios(returns, 1, 0.95), margincall::invalid_argument,
                           Message("margin_call_calculator::set_risk_scenarios: risk_measure is no_risk_measure, but must be a tail_estimator to use scenarios"));
}

TEST_CASE("step: alert, top-up from spot, reduction, each logged (hand-derived)", "[calculator][automation]") {
    const auto s = btc();
    using calc_t = margin_call_calculator<acting_policies>;
    // Long 1 @ 20,000, wallet 1,000, mark 19,500: equity 500, MM 78, ratio 0.156.
    const std::vector<double> marks{19500.0};
    {
        calc_t calc(calc_t::settings{.alerts = hysteresis_alerts<double>(0.09, 0.15, 1.0, 0.01),
                                     .top_up = spot_top_up<double>(0.15, 0.1),
                                     .reduction = auto_reduce<double>(0.5, 0.2)});
        auto a = calc.make_account(1000.0);
        a.add_position(
            position<linear, schedule>(s, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
        automation_state<double> st{alert_level::none, 1000.0};
        event_log<double> log;
        const auto r = calc.step(a, marks, st, log);
        // Top-up = 78 / 0.1 − 500 = 280; after it the ratio is 0.1 < 0.15 − 0.01: call clears to warning.
        REQUIRE(log.size() == 3);
        CHECK(log.events()[0].kind == event_kind::alert_raised);
        CHECK(log.events()[0].to == alert_level::margin_call);
        CHECK(log.events()[1].kind == event_kind::top_up);
        CHECK_THAT(log.events()[1].amount, WithinRel(280.0, 1e-12));
        CHECK(log.events()[2].kind == event_kind::alert_cleared);
        CHECK(log.events()[2].to == alert_level::warning);
        CHECK_THAT(st.spot_balance, WithinRel(720.0, 1e-12));
        CHECK_THAT(a.wallet_balance(), WithinRel(1280.0, 1e-12));
        CHECK_THAT(r.margin_ratio, WithinRel(0.1, 1e-12));
        CHECK(st.alert == alert_level::warning);
        // Spot short: only 100 left.
        automation_state<double> poor{alert_level::none, 100.0};
        auto b = calc.make_account(1000.0);
        b.add_position(
            position<linear, schedule>(s, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
        event_log<double> log2;
        (void)calc.step(b, marks, poor, log2);
        CHECK(log2.events()[1].kind == event_kind::top_up_short);
        CHECK(poor.spot_balance == 0.0);
        automation_state<double> negative{alert_level::none, -1.0};
        REQUIRE_THROWS_MATCHES(calc.step(b, marks, negative, log2), margincall::invalid_argument,
                               Message("margin_call_calculator::step: spot_balance is -1, but must be finite and >= 0"));
    }
    {
        // No spot: the reduction cuts 28/78 BTC (tests/automation/auto_reduce.cpp derivation).
        calc_t calc(calc_t::settings{.alerts = hysteresis_alerts<double>(0.09, 0.15, 1.0, 0.01),
                                     .top_up = spot_top_up<double>(0.15, 0.1),
                                     .reduction = auto_reduce<double>(0.15, 0.1)});
        auto a = calc.make_account(1000.0);
        a.add_position(
            position<linear, schedule>(s, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
        automation_state<double> st{alert_level::none, 0.0};
        event_log<double> log;
        (void)calc.step(a, marks, st, log);
        REQUIRE(log.size() == 3);
        CHECK(log.events()[1].kind == event_kind::reduction);
        CHECK_THAT(log.events()[1].amount, WithinRel(-28.0 / 78.0, 1e-12));
        CHECK_THAT(a.positions()[0].quantity(), WithinRel(50.0 / 78.0, 1e-12));
        CHECK(std::string(log.events()[1].reason).find("smallest cut") != std::string::npos);
    }
}

TEST_CASE("calculator passes bad marks and legs on as the library's errors", "[calculator][errors]") {
    const auto s = btc();
    margin_call_calculator<default_policies<double>> calc;
    auto a = calc.make_account(1000.0);
    a.add_position(
        position<linear, schedule>(s, {.symbol = 1, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
    const std::vector<double> short_marks{1.0};
    REQUIRE_THROWS_MATCHES(calc.evaluate(a, short_marks), margincall::invalid_argument,
                           Message("account::evaluate: the size of marks is 1, but must be >= 2 (one mark per symbol)"));
    const std::vector<double> marks{1.0, 20000.0};
    REQUIRE_THROWS_MATCHES(closed_form_liquidation{}.prices(a, 3, std::span<const double>(marks)), margincall::invalid_argument,
                           Message("closed_form_liquidation: leg is 3, but must be < 1 (the number of positions)"));
    REQUIRE_THROWS_MATCHES(generic_liquidation<double>{.lower_factor = 2.0}.prices(a, 0, std::span<const double>(marks)),
                           margincall::invalid_argument,
                           Message("generic_liquidation: lower_factor is 2, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(calc.make_account(-1.0), margincall::invalid_argument,
                           Message("account: wallet_balance is -1, but must be finite and >= 0"));
}
