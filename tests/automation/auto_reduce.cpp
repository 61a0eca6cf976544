// Tests of include/margincall/automation/auto_reduce.hpp: the smallest cut restoring a target ratio.
#include <margincall/automation/auto_reduce.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
using schedule = tier_schedule<double>;
using linear = linear_contract<double>;
using test_account = account<linear, schedule>;
using pos = position<linear, schedule>;

// Binance BTCUSDT brackets 1–3 (GET /fapi/v1/leverageBracket): 0–50k 125x 0.4 %; 50k–250k
// 100x 0.5 % (cum 50); 250k–3M 50x 1 % (cum 1,300); then open-ended at 2.5 % (cum 46,300)
// so random books never leave the table.
schedule btc() {
    return schedule({{0, 50000, 125, 0.004, 0.0},
                     {50000, 250000, 100, 0.005, 50.0},
                     {250000, 3000000, 50, 0.01, 1300.0},
                     {3000000, std::numeric_limits<double>::infinity(), 20, 0.025, 46300.0}});
}
}  // namespace

static_assert(reduction_policy<auto_reduce<double>, test_account, double>);
static_assert(reduction_policy<no_reduction, test_account, double>);
static_assert(!reduction_policy<int, test_account, double>);

TEST_CASE("auto-reduce: hand-derived cut of a single cross long", "[automation]") {
    const auto s = btc();
    test_account a(1000.0);
    a.add_position(pos(s, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
    const std::vector<double> marks{19500.0};
    // uPnL = −500, equity = 500; MM = 19,500 × 0.4 % = 78; ratio = 0.156.
    // Cutting c at the mark keeps equity at 500 (the loss is realised into the wallet), so
    // ratio(c) = (1 − c) × 78 / 500 = 0.1 ⇔ c = 1 − 50/78 = 28/78.
    const auto plan = auto_reduce<double>(0.15, 0.1).plan(a, marks);
    REQUIRE(plan.status == reduction_status::restored);
    CHECK(plan.leg == 0);
    CHECK_THAT(plan.cut.quantity, WithinRel(-28.0 / 78.0, 1e-12));
    CHECK(plan.cut.price == 19500.0);
    CHECK_THAT(plan.ratio_before, WithinRel(0.156, 1e-14));
    CHECK_THAT(plan.ratio_after, WithinRel(0.1, 1e-12));
    CHECK(plan.ratio_after <= 0.1);
    // Below the trigger nothing happens.
    CHECK(auto_reduce<double>(0.2, 0.1).plan(a, marks).status == reduction_status::not_needed);
    CHECK(no_reduction{}.plan(a, std::span<const double>(marks)).status == reduction_status::not_needed);
}

TEST_CASE("auto-reduce: an isolated leg cannot be cured by a partial cut", "[automation]") {
    const auto s = btc();
    test_account a(0.0);
    // Isolated long 1 @ 20,000 with 1,000 margin at mark 19,500: equity 500, MM 78, ratio 0.156.
    // A cut c releases c × 1,000 of margin and realises c × (−500): the pool keeps (1 − c) of
    // both, so its ratio stays 0.156 for every c < 1.
    a.add_position(pos(s, {.symbol = 0,
                           .leverage = 20,
                           .mode = margin_mode::isolated,
                           .quantity = 1.0,
                           .entry_price = 20000.0,
                           .isolated_margin = 1000.0}));
    const std::vector<double> marks{19500.0};
    const auto plan = auto_reduce<double>(0.15, 0.1).plan(a, marks);
    CHECK(plan.status == reduction_status::restored);  // only the full close restores it
    CHECK_THAT(plan.cut.quantity, WithinRel(-1.0, 1e-9));
}

TEST_CASE("auto-reduce property: ratio after = target, and no smaller cut reaches it", "[automation][property]") {
    const auto s = btc();
    std::mt19937_64 rng(424242);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int planned = 0;
    for (int i = 0; i < 400; ++i) {
        test_account a(0.0);
        const double e0 = 1000 + 60000 * u(rng), e1 = 10 + 3000 * u(rng);
        const double q0 = (u(rng) < 0.5 ? -1 : 1) * (0.01 + 200 * u(rng));
        const double q1 = (u(rng) < 0.5 ? -1 : 1) * (0.01 + 500 * u(rng));
        a.add_position(pos(s, {.symbol = 0, .leverage = 10, .quantity = q0, .entry_price = e0}));
        a.add_position(pos(s, {.symbol = 1, .leverage = 10, .quantity = q1, .entry_price = e1}));
        const std::vector<double> marks{e0 * (0.9 + 0.2 * u(rng)), e1 * (0.9 + 0.2 * u(rng))};
        const double mm = a.evaluate(marks).maintenance_margin;
        const double equity_now = a.evaluate(marks).cross.equity - a.wallet_balance();
        // Wallet so that the ratio is between 0.3 and 0.95.
        const double wallet = mm / (0.3 + 0.65 * u(rng)) - equity_now;
        if (!(wallet > 0)) continue;
        a.deposit(wallet);
        const auto before = a.evaluate(marks);
        const auto plan = auto_reduce<double>(0.25, 0.1).plan(a, marks);
        REQUIRE(plan.status != reduction_status::not_needed);
        const auto& p = a.positions()[plan.leg];
        CHECK(plan.ratio_before == before.cross.margin_ratio);
        if (plan.status == reduction_status::unreachable) {
            CHECK(plan.cut.quantity == -p.quantity());
            CHECK(plan.ratio_after > 0.1);
            continue;
        }
        ++planned;
        // The largest-MM leg was chosen.
        CHECK(before.positions[plan.leg].maintenance_margin >= before.positions[1 - plan.leg].maintenance_margin);
        test_account after = a;
        REQUIRE(after.execute(plan.cut, marks).check == order_check::accepted);
        const double r = after.evaluate(marks).cross.margin_ratio;
        REQUIRE(r <= 0.1);
        REQUIRE(r >= 0.1 * (1 - 1e-9));
        // A cut 10⁻⁹ smaller (relative) leaves the ratio above the target.
        order<double> smaller = plan.cut;
        smaller.quantity *= 1 - 1e-9;
        REQUIRE(a.preview(smaller, marks).after.cross.margin_ratio > 0.1);
    }
    CHECK(planned > 100);
}

TEST_CASE("auto_reduce rejects bad ratios and bad marks", "[automation][errors]") {
    REQUIRE_THROWS_MATCHES(auto_reduce<double>(0.0, 0.1), margincall::invalid_argument,
                           Message("auto_reduce: trigger_ratio is 0, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(auto_reduce<double>(0.5, 0.5), margincall::invalid_argument,
                           Message("auto_reduce: target_ratio is 0.5, but must be in (0, 0.5) (below trigger_ratio)"));
    const auto s = btc();
    test_account a(1000.0);
    a.add_position(pos(s, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
    const std::vector<double> bad{-1.0};
    REQUIRE_THROWS_MATCHES(auto_reduce<double>(0.5, 0.1).plan(a, bad), margincall::invalid_argument,
                           Message("account::evaluate: marks[0] is -1, but must be finite and > 0"));
}

TEST_CASE("auto-reduce: a solve budget that runs out says no_convergence and still restores", "[automation]") {
    const auto s = btc();
    test_account a(1000.0);
    a.add_position(pos(s, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
    const std::vector<double> marks{19500.0};
    // The hand-derived case above: the smallest cut is 28/78. One preview cannot narrow [0, 1]
    // to a few ulps; the plan cuts the restoring end of the bracket reached, at least 28/78.
    const auto plan = auto_reduce<double>(0.15, 0.1, 1).plan(a, marks);
    CHECK(plan.status == reduction_status::no_convergence);
    CHECK(plan.status != reduction_status::restored);
    CHECK(plan.ratio_after <= 0.1);
    CHECK(-plan.cut.quantity >= 28.0 / 78.0);
    CHECK(-plan.cut.quantity <= 1.0);
    CHECK(std::string(to_string(reduction_status::no_convergence)) == "no_convergence");
    // The default budget solves it.
    CHECK(auto_reduce<double>(0.15, 0.1).max_evaluations() == 200);
    CHECK(auto_reduce<double>(0.15, 0.1).plan(a, marks).status == reduction_status::restored);
    REQUIRE_THROWS_MATCHES(auto_reduce<double>(0.5, 0.1, 0), margincall::invalid_argument,
                           Message("auto_reduce: max_evaluations is 0, but must be >= 1"));
}
