// Tests of include/margincall/calculator/account_margin_model.hpp: the account_margin_model
// concept's truth table, the default adapter (position_rate_margin) against account::evaluate,
// and an exchange host assembled from the slots (per-position Binance tiers) checked against a
// hand derivation from the published brackets.
#include <margincall/calculator.hpp>
#include <margincall/calculator/account_margin_model.hpp>
#include <margincall/contracts/inverse_contract.hpp>

#include <limits>
#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;
using Catch::Matchers::WithinAbs;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
using schedule = tier_schedule<double>;
using linear = linear_contract<double>;
using tested_account = account<linear, schedule>;

// Binance BTCUSDT brackets 1–3 (tests/reference/binance_btcusdt_brackets.csv), open-ended beyond 3M.
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

struct good_model {
    account_requirement<double> requirement(const tested_account&, std::span<const double>) const { return {}; }
};
struct wrong_return_model {
    pool_requirement<double> requirement(const tested_account&, std::span<const double>) const { return {}; }
};
struct non_const_model {
    account_requirement<double> requirement(const tested_account&, std::span<const double>) { return {}; }
};
struct no_marks_model {
    account_requirement<double> requirement(const tested_account&) const { return {}; }
};

// The exchange host of docs/policies.md, "margin_model": default policies name tier_schedule in
// the slot and the calculator wraps it in position_rate_margin.
struct exchange : default_policies<double> {};
// The same host with the adapter written out: an account-level slot, the rate model named as the
// positions' model, and the solver that reads the account-level model.
struct exchange_explicit : default_policies<double> {
    using margin_model = position_rate_margin;
    using position_model = tier_schedule<double>;
    using liquidation_solver = model_liquidation<double>;
};
}  // namespace

static_assert(account_margin_model<good_model, tested_account, double>);
static_assert(has_account_requirement<good_model, tested_account, double>);
static_assert(!account_margin_model<wrong_return_model, tested_account, double>);
static_assert(!account_margin_model<non_const_model, tested_account, double>);
static_assert(!account_margin_model<no_marks_model, tested_account, double>);
static_assert(!account_margin_model<good_model, tested_account, int>);
static_assert(account_margin_model<position_rate_margin, tested_account, double>);
static_assert(account_margin_model<position_rate_margin, account<inverse_contract<double>, schedule>, double>);
static_assert(margin_rate_model<no_position_margin<double>, double>);
static_assert(margin_call_calculator<exchange>::is_rate_model);
static_assert(std::is_same_v<margin_call_calculator<exchange>::margin_policy_type, position_rate_margin>);
static_assert(!margin_call_calculator<exchange_explicit>::is_rate_model);
static_assert(margin_call_calculator<exchange_explicit>::is_account_model);
static_assert(std::is_same_v<margin_call_calculator<exchange_explicit>::account_type, tested_account>);

TEST_CASE("exchange host from the slots: Binance tiers per position, by hand", "[calculator][account_margin_model]") {
    // Wallet 10,000. Cross BTCUSDT long 1.5 @ 20,000 at 20x; isolated ETHUSDT short 20 @ 1,500 at
    // 10x with 3,000 isolated margin; marks 19,000 / 1,600.
    //   BTC: notional 28,500 → bracket 1 (0.4 %, cum 0): MM = 114; IM = 28,500 / 20 = 1,425;
    //        uPnL = 1.5 × (19,000 − 20,000) = −1,500 → cross equity 8,500.
    //   ETH: notional 32,000 → bracket 2 (0.65 %, cum 15): MM = 32,000 × 0.0065 − 15 = 193;
    //        IM = 32,000 / 10 = 3,200; uPnL = −20 × 100 = −2,000 → pool equity 1,000, call 2,200.
    // Totals: IM 4,625, MM 307, equity 9,500, call 2,200; ETH ratio 193 / 1,000 = 0.193 (healthy).
    const schedule b = btc(), e = eth();
    const std::vector<double> marks{19000.0, 1600.0};
    const auto check = [&](const auto& calc) {
        auto a = calc.make_account(10000.0);
        using pos = position<linear, schedule>;
        a.add_position(pos(b, {.symbol = 0, .leverage = 20.0, .quantity = 1.5, .entry_price = 20000.0}));
        a.add_position(pos(e, {.symbol = 1, .leverage = 10.0, .mode = margin_mode::isolated, .quantity = -20.0, .entry_price = 1500.0, .isolated_margin = 3000.0}));
        const auto r = calc.evaluate(a, marks);
        CHECK_THAT(r.cross.maintenance_margin, WithinAbs(114.0, 1e-9));
        CHECK_THAT(r.cross.initial_margin, WithinAbs(1425.0, 1e-9));
        CHECK_THAT(r.cross.equity, WithinAbs(8500.0, 1e-9));
        CHECK_THAT(r.positions[1].pool.maintenance_margin, WithinAbs(193.0, 1e-9));
        CHECK_THAT(r.positions[1].pool.initial_margin, WithinAbs(3200.0, 1e-9));
        CHECK_THAT(r.positions[1].pool.call_amount, WithinAbs(2200.0, 1e-9));
        CHECK_THAT(r.positions[1].pool.margin_ratio, WithinAbs(0.193, 1e-12));
        CHECK_THAT(r.initial_margin, WithinAbs(4625.0, 1e-9));
        CHECK_THAT(r.maintenance_margin, WithinAbs(307.0, 1e-9));
        CHECK_THAT(r.equity, WithinAbs(9500.0, 1e-9));
        CHECK_THAT(r.call_amount, WithinAbs(2200.0, 1e-9));
        CHECK(r.status == margin_status::healthy);
        return r;
    };
    const auto implicit = check(margin_call_calculator<exchange>{});
    const auto explicit_ = check(margin_call_calculator<exchange_explicit>{});
    // Both assemblies give the same liquidation prices: closed forms vs the model scan, to the scan's tolerance.
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& x = implicit.positions[i].prices.liquidation;
        const auto& y = explicit_.positions[i].prices.liquidation;
        const bool long_leg = i == 0;
        const auto& px = long_leg ? x.downside : x.upside;
        const auto& py = long_leg ? y.downside : y.upside;
        REQUIRE(px.found());
        REQUIRE(py.found());
        CHECK_THAT(py.price, WithinAbs(px.price, 1e-6 * px.price));
    }
}

TEST_CASE("position_rate_margin sums per pool exactly as account::evaluate", "[calculator][account_margin_model]") {
    const schedule b = btc(), e = eth();
    tested_account a(5000.0, position_mode::hedge);
    using pos = position<linear, schedule>;
    a.add_position(pos(b, {.symbol = 0, .leverage = 50.0, .side = position_side::long_leg, .quantity = 2.0, .entry_price = 30000.0}));
    a.add_position(pos(b, {.symbol = 0, .leverage = 50.0, .side = position_side::short_leg, .quantity = -0.5, .entry_price = 31000.0}));
    a.add_position(pos(e, {.symbol = 1, .leverage = 20.0, .mode = margin_mode::isolated, .side = position_side::long_leg, .quantity = 40.0, .entry_price = 2000.0, .isolated_margin = 4500.0}));
    a.add_position(pos(e, {.symbol = 1, .leverage = 20.0, .side = position_side::short_leg, .quantity = -10.0, .entry_price = 2100.0}));
    for (const std::vector<double>& marks : {std::vector<double>{30500.0, 1950.0}, std::vector<double>{26000.0, 2400.0}}) {
        const auto ev = a.evaluate(marks);
        const auto q = position_rate_margin{}.requirement(a, std::span<const double>(marks));
        CHECK(q.cross.initial_margin == ev.cross.initial_margin);
        CHECK(q.cross.maintenance_margin == ev.cross.maintenance_margin);
        CHECK(q.cross.liquidation_level == ev.cross.maintenance_margin);
        CHECK(q.initial_margin == ev.initial_margin);
        CHECK(q.maintenance_margin == ev.maintenance_margin);
        REQUIRE(q.pools.size() == 4);
        for (std::size_t i = 0; i < 4; ++i) {
            CHECK(q.pools[i].initial_margin == ev.pools[i].initial_margin);
            CHECK(q.pools[i].maintenance_margin == ev.pools[i].maintenance_margin);
        }
    }
}

TEST_CASE("no_position_margin charges nothing per position", "[calculator][account_margin_model]") {
    const auto& m = no_position_margin<double>::instance();
    CHECK(m.maintenance_margin(1e6, 10.0) == 0.0);
    CHECK(m.initial_margin(1e6, 10.0, 5.0) == 0.0);
    CHECK(m.max_leverage(1e6, 10.0) == inf);
    CHECK(&m == &no_position_margin<double>::instance());
}

TEST_CASE("position_rate_margin rejects missing marks with the library's message", "[calculator][account_margin_model][errors]") {
    const schedule b = btc();
    tested_account a(1000.0);
    a.add_position(position<linear, schedule>(b, {.symbol = 2, .leverage = 10.0, .quantity = 1.0, .entry_price = 100.0}));
    const std::vector<double> short_marks{100.0, 100.0};
    REQUIRE_THROWS_MATCHES(position_rate_margin{}.requirement(a, std::span<const double>(short_marks)), invalid_argument,
                           Catch::Matchers::Message("position_rate_margin: the size of marks is 2, but must be >= 3 (one mark per symbol)"));
    const std::vector<double> bad{100.0, 100.0, -1.0};
    REQUIRE_THROWS_MATCHES(position_rate_margin{}.requirement(a, std::span<const double>(bad)), invalid_argument,
                           Catch::Matchers::Message("position_rate_margin: marks[2] is -1, but must be finite and > 0"));
}

namespace {
// A host account-level model with configurable (possibly inconsistent) cross-pool figures.
struct fixed_model {
    pool_requirement<double> cross{};
    template <class Account>
    account_requirement<double> requirement(const Account& a, std::span<const double>) const {
        account_requirement<double> r;
        r.cross = cross;
        r.pools.assign(a.positions().size(), cross);
        r.initial_margin = cross.initial_margin;
        r.maintenance_margin = cross.maintenance_margin;
        return r;
    }
};
struct fixed_host : default_policies<double> {
    using margin_model = fixed_model;
    using liquidation_solver = model_liquidation<double>;
};
}  // namespace

TEST_CASE("a host account-level model: its figures reach the report, inconsistent ones are refused",
          "[calculator][account_margin_model][errors]") {
    using calculator = margin_call_calculator<fixed_host>;
    static_assert(std::is_same_v<calculator::account_type, account<linear, no_position_margin<double>>>);
    const std::vector<double> marks{100.0};
    const auto run = [&](pool_requirement<double> x) {
        const calculator calc(calculator::settings{.margin = fixed_model{x}});
        auto a = calc.make_account(1000.0);
        a.add_position(position<linear, no_position_margin<double>>(no_position_margin<double>::instance(), {.symbol = 0, .leverage = 1.0, .quantity = 1.0, .entry_price = 100.0}));
        return calc.evaluate(a, marks);
    };
    // Equity 1,000; IM 1,200, MM 1,000, level 800: MM/equity = 1 → reduce_only (equity in (800, 1,000]).
    const auto r = run({1200.0, 1000.0, 800.0});
    CHECK(r.status == margin_status::reduce_only);
    CHECK(r.call_amount == 200.0);
    CHECK(run({1200.0, 1000.0, 1000.0}).status == margin_status::liquidation);
    REQUIRE_THROWS_MATCHES(run({1200.0, 1000.0, 1100.0}), invalid_argument,
                           Catch::Matchers::Message("margin_call_calculator::evaluate: the cross pool's liquidation level is "
                                                    "1100, but must be <= its maintenance margin (1000)"));
    REQUIRE_THROWS_MATCHES(run({900.0, 1000.0, 1000.0}), invalid_argument,
                           Catch::Matchers::Message("margin_call_calculator::evaluate: the cross pool's maintenance margin is "
                                                    "1000, but must be <= its initial margin (900)"));
    REQUIRE_THROWS_MATCHES(run({1200.0, 1000.0, -1.0}), invalid_argument,
                           Catch::Matchers::Message("margin_call_calculator::evaluate: the cross pool's liquidation level is "
                                                    "-1, but must be finite and >= 0"));
}
