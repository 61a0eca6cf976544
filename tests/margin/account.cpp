// Tests of include/margincall/margin/account.hpp: evaluation, orders, previews, max order size.
#include <margincall/margin/account.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cmath>
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

// Binance BTCUSDT brackets 1–3 (GET /fapi/v1/leverageBracket snapshot, docs/margin.md):
// 0–50k 125x 0.4 %; 50k–250k 100x 0.5 % (cum 50); 250k–3M 50x 1 % (cum 1,300).
schedule binance_btcusdt() {
    return schedule({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}, {250000, 3000000, 50, 0.01, 1300.0}});
}
// Binance ETHUSDT 2021 brackets 1–3: 0–10k 0.5 %, 10k–100k 0.65 % (cum 15), 100k–500k 1 % (cum 365).
schedule binance_ethusdt() {
    return schedule({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0}, {100000, 500000, 50, 0.01, 365.0}});
}

bool same(const margin_summary<double>& a, const margin_summary<double>& b) {
    return a.equity == b.equity && a.initial_margin == b.initial_margin && a.maintenance_margin == b.maintenance_margin &&
           a.margin_ratio == b.margin_ratio && a.call_amount == b.call_amount &&
           a.available_balance == b.available_balance && a.status == b.status;
}
bool same(const account_evaluation<double>& a, const account_evaluation<double>& b) {
    if (!same(a.cross, b.cross) || a.positions.size() != b.positions.size()) return false;
    for (std::size_t i = 0; i < a.positions.size(); ++i) {
        const auto &x = a.positions[i], &y = b.positions[i];
        if (x.notional != y.notional || x.unrealised_pnl != y.unrealised_pnl || x.initial_margin != y.initial_margin ||
            x.maintenance_margin != y.maintenance_margin || !same(a.pools[i], b.pools[i]))
            return false;
    }
    return a.unrealised_pnl == b.unrealised_pnl && a.initial_margin == b.initial_margin &&
           a.maintenance_margin == b.maintenance_margin && a.call_amount == b.call_amount &&
           a.worst_status == b.worst_status;
}

}  // namespace

TEST_CASE("cross account: equity, IM, MM, ratio, status across two symbols (hand-derived)", "[margin]") {
    const auto btc = binance_btcusdt();
    const auto eth = binance_ethusdt();
    test_account a(10000.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 20, .quantity = 1.0, .entry_price = 20000.0}));
    a.add_position(pos(eth, {.symbol = 1, .leverage = 10, .quantity = -5.0, .entry_price = 1500.0}));
    // marks BTC 19,000, ETH 1,600:
    //   BTC uPnL = 1 × (19,000 − 20,000) = −1,000; notional 19,000 (tier 1): IM 950, MM 76
    //   ETH uPnL = −5 × (1,600 − 1,500) = −500; notional 8,000 (tier 1): IM 800, MM 40
    //   equity = 10,000 − 1,500 = 8,500; IM 1,750; MM 116; ratio 116 / 8,500; healthy;
    //   call 0; available 8,500 − 1,750 = 6,750.
    const std::vector<double> marks{19000.0, 1600.0};
    const auto e = a.evaluate(marks);
    CHECK(e.positions[0].unrealised_pnl == -1000);
    CHECK(e.positions[0].initial_margin == 950);
    CHECK(e.positions[0].maintenance_margin == 76);
    CHECK(e.positions[1].unrealised_pnl == -500);
    CHECK(e.positions[1].initial_margin == 800);
    CHECK(e.positions[1].maintenance_margin == 40);
    CHECK(e.cross.equity == 8500);
    CHECK(e.cross.initial_margin == 1750);
    CHECK(e.cross.maintenance_margin == 116);
    CHECK(e.cross.margin_ratio == 116.0 / 8500.0);
    CHECK(e.cross.status == margin_status::healthy);
    CHECK(e.cross.call_amount == 0);
    CHECK(e.cross.available_balance == 6750);
    CHECK(e.call_amount == 0);
    CHECK(e.worst_status == margin_status::healthy);
    CHECK(same(e.pools[0], e.cross));
    // BTC at 10,100: uPnL −9,900, equity 10,000 − 9,900 − 500 = −400 → liquidation, call =
    // IM − equity = (505 + 800) + 400 = 1,705.
    const std::vector<double> crash{10100.0, 1600.0};
    const auto c = a.evaluate(crash);
    CHECK(c.cross.equity == -400);
    CHECK(c.cross.status == margin_status::liquidation);
    CHECK(c.cross.call_amount == 1705);
    CHECK(c.cross.available_balance == 0);
}

TEST_CASE("Bybit isolated example inside an account: the cross wallet is untouched", "[margin]") {
    // Bybit Example 1: long 1 BTC @ 20,000, 50x, MMR 0.5 % → IM 400, MM 100, LP 19,700.
    const schedule bybit({{0, 2000000, 100, 0.005}});
    account<linear, schedule> a(1000.0);
    a.add_position(pos(bybit, {.symbol = 0,
                               .leverage = 50,
                               .mode = margin_mode::isolated,
                               .quantity = 1.0,
                               .entry_price = 20000.0,
                               .isolated_margin = 400.0}));
    const std::vector<double> at_lp{19700.0};
    const auto e = a.evaluate(at_lp);
    CHECK(e.pools[0].equity == 100);
    CHECK(e.pools[0].maintenance_margin == 19700 * 0.005);  // MM at the mark's notional: 98.5
    CHECK(e.pools[0].status == margin_status::margin_call);  // 98.5 / 100 ≥ 0.8, equity > MM
    CHECK(e.pools[0].call_amount == 294);  // IM at the mark 19,700 / 50 = 394, equity 100
    CHECK(e.cross.equity == 1000);  // the wallet does not see the isolated loss
    CHECK(e.cross.status == margin_status::healthy);
    CHECK(e.worst_status == margin_status::margin_call);
    CHECK(e.call_amount == e.pools[0].call_amount);
    // Bybit's LP keeps MM at the entry value (100); margincall charges MM on the mark's
    // notional (98.5 here), so the leg is a margin call at 19,700 and liquidated by 19,600
    // (equity 0).
    const std::vector<double> deeper{19600.0};
    CHECK(a.evaluate(deeper).pools[0].status == margin_status::liquidation);
}

TEST_CASE("isolated positions never touch each other's margin (property)", "[margin][property]") {
    const auto btc = binance_btcusdt();
    const auto eth = binance_ethusdt();
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> u(0.5, 1.5);
    for (int trial = 0; trial < 200; ++trial) {
        test_account a(5000.0 * u(gen));
        a.add_position(pos(btc, {.symbol = 0,
                                 .leverage = 20,
                                 .mode = margin_mode::isolated,
                                 .quantity = u(gen),
                                 .entry_price = 20000.0,
                                 .isolated_margin = 1500.0 * u(gen)}));
        a.add_position(pos(eth, {.symbol = 1,
                                 .leverage = 10,
                                 .mode = margin_mode::isolated,
                                 .quantity = -10 * u(gen),
                                 .entry_price = 1500.0,
                                 .isolated_margin = 1500.0 * u(gen)}));
        a.add_position(pos(eth, {.symbol = 1 + 1, .leverage = 10, .quantity = 3 * u(gen), .entry_price = 1400.0}));
        const std::vector<double> base{20000.0 * u(gen), 1500.0 * u(gen), 1500.0 * u(gen)};
        const auto e0 = a.evaluate(base);
        for (int k = 0; k < 10; ++k) {
            std::vector<double> moved = base;
            moved[0] = 20000.0 * 2 * u(gen);  // only BTC moves
            moved[2] = 1500.0 * 2 * u(gen);   // and the cross leg's symbol
            const auto e1 = a.evaluate(moved);
            CHECK(same(e1.pools[1], e0.pools[1]));  // the ETH isolated pool does not move
            // nor does the BTC isolated leg touch the cross pool: wallet + the cross leg's uPnL
            CHECK(e1.cross.equity == a.wallet_balance() + e1.positions[2].unrealised_pnl);
            CHECK(e1.cross.initial_margin == e1.positions[2].initial_margin);
        }
    }
}

TEST_CASE("hedge mode: a long and a short leg on one symbol, each with its own entry", "[margin]") {
    const auto btc = binance_btcusdt();
    test_account a(2000.0, position_mode::hedge);
    a.add_position(pos(
        btc, {.symbol = 0, .leverage = 20, .side = position_side::long_leg, .quantity = 1.0, .entry_price = 20000.0}));
    a.add_position(
        pos(btc,
            {.symbol = 0, .leverage = 20, .side = position_side::short_leg, .quantity = -1.0, .entry_price = 21000.0}));
    // The PnL of the pair is (M − 20,000) + (21,000 − M) = 1,000 at every mark; tiers are
    // chosen per leg (Binance), so each leg pays its own IM (M/20) and MM (0.4 % M).
    for (double m : {15000.0, 20000.0, 30000.0}) {
        const std::vector<double> marks{m};
        const auto e = a.evaluate(marks);
        CHECK(e.cross.equity == 3000);
        CHECK(e.cross.initial_margin == 2 * m / 20);
        CHECK_THAT(e.cross.maintenance_margin, WithinRel(2 * m * 0.004, 1e-15));
    }
}

TEST_CASE("orders: grow averages the entry, reduce realises PnL, crossing zero flips", "[margin]") {
    const auto btc = binance_btcusdt();
    test_account a(10000.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 20}));
    const std::vector<double> marks{20000.0};
    // buy 1 @ 20,000, buy 1 @ 22,000 → 2 @ 21,000 (quantity-weighted mean)
    REQUIRE(a.execute({0, position_side::both, 1.0, 20000.0}, marks).check == order_check::accepted);
    auto r = a.execute({0, position_side::both, 1.0, 22000.0}, marks);
    REQUIRE(r.check == order_check::accepted);
    CHECK(r.quantity == 2);
    CHECK(r.entry_price == 21000);
    CHECK(a.positions()[0].entry_price() == 21000);
    CHECK(a.wallet_balance() == 10000);
    // sell 1 @ 23,000: realises 1 × (23,000 − 21,000) = 2,000, entry stays 21,000
    r = a.execute({0, position_side::both, -1.0, 23000.0}, marks);
    CHECK(r.realised_pnl == 2000);
    CHECK(r.quantity == 1);
    CHECK(r.entry_price == 21000);
    CHECK(a.wallet_balance() == 12000);
    // sell 3 @ 19,000: closes 1 (realises −2,000) and opens short 2 @ 19,000
    r = a.execute({0, position_side::both, -3.0, 19000.0}, marks);
    CHECK(r.check == order_check::accepted);
    CHECK(r.realised_pnl == -2000);
    CHECK(r.quantity == -2);
    CHECK(r.entry_price == 19000);
    CHECK(a.wallet_balance() == 10000);
    // buy 2 @ 18,000 closes: realises 2 × 1,000; the flat leg keeps no entry
    r = a.execute({0, position_side::both, 2.0, 18000.0}, marks);
    CHECK(r.realised_pnl == 2000);
    CHECK(a.positions()[0].is_flat());
    CHECK(a.positions()[0].entry_price() == 0);
    CHECK(a.wallet_balance() == 12000);
}

TEST_CASE("isolated orders: the wallet tops the leg up to its IM, reductions release margin pro rata", "[margin]") {
    const auto btc = binance_btcusdt();
    test_account a(10000.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 50, .mode = margin_mode::isolated}));
    const std::vector<double> marks{20000.0};
    // buy 1 @ 20,000 at 50x: IM 400 moves from the wallet to the leg (Bybit Example 1 figure)
    auto r = a.execute({0, position_side::both, 1.0, 20000.0}, marks);
    CHECK(r.isolated_transfer == 400);
    CHECK(a.positions()[0].isolated_margin() == 400);
    CHECK(a.wallet_balance() == 9600);
    // sell 0.5 @ 21,000: realises 500, releases half the margin (200): wallet 10,300
    r = a.execute({0, position_side::both, -0.5, 21000.0}, marks);
    CHECK(r.realised_pnl == 500);
    CHECK(a.positions()[0].isolated_margin() == 200);
    CHECK(a.wallet_balance() == 10300);
}

TEST_CASE("money is conserved when orders fill at the mark (property)", "[margin][property]") {
    // Hand-derived: filling at the mark moves value between wallet, isolated margin and uPnL
    // without creating any, so wallet + Σ isolated margin + Σ uPnL is invariant.
    const auto btc = binance_btcusdt();
    const auto eth = binance_ethusdt();
    std::mt19937_64 gen(99);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int trial = 0; trial < 100; ++trial) {
        test_account a(1e6);
        a.add_position(pos(btc, {.symbol = 0, .leverage = 10}));
        a.add_position(pos(eth, {.symbol = 1, .leverage = 10, .mode = margin_mode::isolated}));
        std::vector<double> marks{20000.0, 1500.0};
        for (int k = 0; k < 20; ++k) {
            marks[0] *= 1 + 0.05 * u(gen);
            marks[1] *= 1 + 0.05 * u(gen);
            const auto total = [&] {
                const auto e = a.evaluate(marks);
                return a.wallet_balance() + a.positions()[1].isolated_margin() + e.unrealised_pnl;
            };
            const double before = total();
            const std::size_t s = k % 2;
            const double q = (s == 0 ? 2.0 : 10.0) * u(gen);
            const auto r = a.execute({s, position_side::both, q, marks[s]}, marks);
            CHECK(r.check == order_check::accepted);
            CHECK_THAT(total(), WithinAbs(before, 1e-9 * (std::abs(before) + 1e5)));
        }
    }
}

TEST_CASE("preview equals the live account after execution (property)", "[margin][property]") {
    const auto btc = binance_btcusdt();
    const auto eth = binance_ethusdt();
    std::mt19937_64 gen(2026);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    int accepted = 0, rejected = 0;
    for (int trial = 0; trial < 100; ++trial) {
        test_account a(3000.0 + 3000.0 * u(gen), position_mode::hedge);
        a.add_position(pos(btc, {.symbol = 0, .leverage = 25, .side = position_side::long_leg}));
        a.add_position(pos(btc, {.symbol = 0, .leverage = 25, .side = position_side::short_leg}));
        a.add_position(
            pos(eth, {.symbol = 1, .leverage = 20, .mode = margin_mode::isolated, .side = position_side::long_leg}));
        a.add_position(
            pos(eth, {.symbol = 1, .leverage = 20, .mode = margin_mode::isolated, .side = position_side::short_leg}));
        std::vector<double> marks{20000.0, 1500.0};
        for (int k = 0; k < 20; ++k) {
            marks[0] *= 1 + 0.03 * u(gen);
            marks[1] *= 1 + 0.03 * u(gen);
            const std::size_t s = static_cast<std::size_t>(k % 2);
            const auto leg = (k / 2) % 2 == 0 ? position_side::long_leg : position_side::short_leg;
            const double held = a.positions()[a.find_leg(s, leg)].quantity();
            double q = (s == 0 ? 3.0 : 40.0) * u(gen);
            if (leg == position_side::long_leg && held + q < 0) q = -held;
            if (leg == position_side::short_leg && held + q > 0) q = -held;
            const order<double> o{s, leg, q, marks[s] * (1 + 0.01 * u(gen))};
            const auto p = a.preview(o, marks);
            const test_account before = a;
            const auto x = a.execute(o, marks);
            CHECK(p.check == x.check);
            if (p.check == order_check::accepted) {
                ++accepted;
                CHECK(same(p.after, a.evaluate(marks)));
                CHECK(p.wallet_balance == a.wallet_balance());
                CHECK(p.entry_price == a.positions()[p.leg].entry_price());
            } else {
                ++rejected;
                CHECK(same(before.evaluate(marks), a.evaluate(marks)));  // a rejected order changes nothing
            }
        }
    }
    CHECK(accepted > 100);
    CHECK(rejected > 10);
}

TEST_CASE("a position the price carries beyond the last cap is evaluated, not refused", "[margin]") {
    // binance_btcusdt() brackets 1–3 end at 3,000,000 (50x, 1 %, cum 1,300). Long 100 BTC
    // @ 20,000 (2,000,000 notional) at 10x; at a mark of 40,000 the notional is 4,000,000, past
    // the last cap: margined in the last tier, hand-derived:
    //   MM = 4,000,000 × 1 % − 1,300 = 38,700;  IM = 4,000,000 / min(10, 50) = 400,000;
    //   equity = 500,000 + 100 × (40,000 − 20,000) = 2,500,000.
    // The batch path (bracket_table) gives the same figures.
    const auto btc = binance_btcusdt();
    test_account a(500000.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 10, .quantity = 100.0, .entry_price = 20000.0}));
    const std::vector<double> marks{40000.0};
    const auto e = a.evaluate(marks);
    CHECK(e.cross.maintenance_margin == 38700.0);
    CHECK(e.cross.initial_margin == 400000.0);
    CHECK(e.cross.equity == 2500000.0);
    position_book<double> book;
    book.add_pool(500000.0);
    book.add_position(0, 100.0, 20000.0, 10);
    const std::vector<bracket_table<double>> models{bracket_table<double>(btc)};
    const std::vector<linear> contracts{linear{}};
    std::vector<double> eq(1), im(1), mm(1), call(1);
    std::vector<margin_status> st(1);
    remark<linear, bracket_table<double>, double>(book, contracts, models, marks, {}, {eq, im, mm, call, st});
    CHECK(eq[0] == e.cross.equity);
    CHECK(im[0] == e.cross.initial_margin);
    CHECK(mm[0] == e.cross.maintenance_margin);
    CHECK(st[0] == e.cross.status);
    // Adding to it is refused (beyond the schedule's size limit); reducing is accepted.
    CHECK(a.preview({0, position_side::both, 1.0, 40000.0}, marks).check == order_check::beyond_model_range);
    CHECK(a.preview({0, position_side::both, -1.0, 40000.0}, marks).check == order_check::accepted);
}

TEST_CASE("orders that add exposure are checked against the tiers and the balance", "[margin]") {
    const auto btc = binance_btcusdt();
    test_account a(1000.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 100}));
    const std::vector<double> marks{20000.0};
    // 100x allows up to 250,000 notional (tier 2); 13 BTC = 260,000 is tier 3 (max 50x)
    CHECK(a.preview({0, position_side::both, 13.0, 20000.0}, marks).check == order_check::leverage_above_tier);
    // 1 BTC at 100x needs IM 200 ≤ 1,000: accepted; 6 BTC needs 1,200 > 1,000
    CHECK(a.preview({0, position_side::both, 1.0, 20000.0}, marks).check == order_check::accepted);
    CHECK(a.preview({0, position_side::both, 6.0, 20000.0}, marks).check == order_check::insufficient_margin);
    // beyond the last cap (3,000,000) the schedule cannot price the leg
    test_account b(1e9);
    b.add_position(pos(btc, {.symbol = 0, .leverage = 10}));
    const auto far = b.preview({0, position_side::both, 200.0, 20000.0}, marks);
    CHECK(far.check == order_check::beyond_model_range);
    CHECK(far.quantity == 0);  // the preview shows the account unchanged
    // a rejected execution leaves the account as it was
    CHECK(a.execute({0, position_side::both, 6.0, 20000.0}, marks).check == order_check::insufficient_margin);
    CHECK(a.positions()[0].is_flat());
    CHECK(a.wallet_balance() == 1000);
    // reductions are accepted even in deficit: long 4 @ 20,000 at 100x (IM 800), mark 19,850
    REQUIRE(a.execute({0, position_side::both, 4.0, 20000.0}, marks).check == order_check::accepted);
    const std::vector<double> down{19850.0};  // equity 1,000 − 600 = 400 < IM 794
    CHECK(a.preview({0, position_side::both, 0.1, 19850.0}, down).check == order_check::insufficient_margin);
    CHECK(a.preview({0, position_side::both, -1.0, 19850.0}, down).check == order_check::accepted);
}

TEST_CASE("max order quantity within a budget: found, or no_convergence with an accepted size", "[margin]") {
    // wallet 1,000, 10x, price = mark 20,000: IM per BTC 2,000 → 0.5 BTC (hand-derived above).
    const auto btc = binance_btcusdt();
    const std::vector<double> marks{20000.0};
    test_account a(1000.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 10}));
    const auto full = a.solve_max_order_quantity(0, position_side::both, side::long_side, 20000.0, marks);
    REQUIRE(full.status == solve_status::found);
    CHECK_THAT(full.root, WithinRel(0.5, 1e-11));
    CHECK(full.root == full.lower);
    CHECK(full.evaluations <= 200);
    // Two previews cannot narrow [0, 1] to 1e-12: no_convergence, and the size returned is
    // still one the preview accepts, no larger than the largest.
    const auto starved = a.solve_max_order_quantity(0, position_side::both, side::long_side, 20000.0, marks, 2);
    CHECK(starved.status == solve_status::no_convergence);
    CHECK_FALSE(starved.found());
    CHECK(starved.evaluations == 2);
    CHECK(starved.root <= 0.5);
    CHECK(a.preview({0, position_side::both, starved.root, 20000.0}, marks).check == order_check::accepted);
    CHECK(starved.upper > 0.5);
    REQUIRE_THROWS_MATCHES(a.solve_max_order_quantity(0, position_side::both, side::long_side, 20000.0, marks, 0),
                           invalid_argument,
                           Message("account::max_order_quantity: max_evaluations is 0, but must be >= 1"));
}

TEST_CASE("max order quantity: the balance or the tier cap binds (hand-derived)", "[margin]") {
    const auto btc = binance_btcusdt();
    const std::vector<double> marks{20000.0};
    {
        // wallet 1,000, 10x, price = mark 20,000: IM per BTC 2,000 → 0.5 BTC
        test_account a(1000.0);
        a.add_position(pos(btc, {.symbol = 0, .leverage = 10}));
        CHECK_THAT(a.max_order_quantity(0, position_side::both, side::long_side, 20000.0, marks), WithinRel(0.5, 1e-11));
        CHECK_THAT(a.max_order_quantity(0, position_side::both, side::short_side, 20000.0, marks), WithinRel(0.5, 1e-11));
    }
    {
        // wallet 10,000 at 100x: the balance allows 1,000,000 notional but 100x stops at the
        // tier-2 cap 250,000 → 12.5 BTC
        test_account a(10000.0);
        a.add_position(pos(btc, {.symbol = 0, .leverage = 100}));
        const double q = a.max_order_quantity(0, position_side::both, side::long_side, 20000.0, marks);
        CHECK_THAT(q, WithinRel(12.5, 1e-11));
        CHECK(a.preview({0, position_side::both, q, 20000.0}, marks).check == order_check::accepted);
    }
    {
        // long 1 @ 20,000 at 10x in wallet 1,000 (IM 2,000 > wallet after a fall? no: at mark
        // 20,000 equity 1,000 < IM 2,000 → nothing more may be bought); selling reduces first:
        // selling q ≤ 1 is a reduction; beyond, the new short needs IM (q − 1) × 2,000 ≤
        // equity − 0 = 1,000 → q ≤ 1.5
        test_account a(1000.0);
        a.add_position(pos(btc, {.symbol = 0, .leverage = 10, .quantity = 1.0, .entry_price = 20000.0}));
        CHECK(a.max_order_quantity(0, position_side::both, side::long_side, 20000.0, marks) < 1e-9);
        CHECK_THAT(a.max_order_quantity(0, position_side::both, side::short_side, 20000.0, marks), WithinRel(1.5, 1e-11));
    }
    {
        // hedge: reducing the long leg is bounded by its size
        test_account a(1000.0, position_mode::hedge);
        a.add_position(pos(
            btc,
            {.symbol = 0, .leverage = 10, .side = position_side::long_leg, .quantity = 0.3, .entry_price = 20000.0}));
        CHECK(a.max_order_quantity(0, position_side::long_leg, side::short_side, 20000.0, marks) == 0.3);
    }
}

TEST_CASE("account errors name the argument and the value", "[margin][errors]") {
    const auto btc = binance_btcusdt();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(test_account(-1.0), invalid_argument,
                           Message("account: wallet_balance is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(test_account(1.0, position_mode::one_way, {0.9, 0.8, false}), invalid_argument,
                           Message("account: call_ratio is 0.8, but must be in [0.9, 1]"));
    test_account a(1000.0);
    REQUIRE_THROWS_MATCHES(a.add_position(pos(btc, {.symbol = 0, .leverage = 10, .side = position_side::long_leg})),
                           invalid_argument,
                           Message("account::add_position: side is long, but must be both in a one-way account"));
    a.add_position(pos(btc, {.symbol = 1, .leverage = 10}));
    REQUIRE_THROWS_MATCHES(a.add_position(pos(btc, {.symbol = 1, .leverage = 10})), invalid_argument,
                           Message("account::add_position: symbol is 1, but must be a symbol without a both leg"));
    test_account h(1000.0, position_mode::hedge);
    REQUIRE_THROWS_MATCHES(
        h.add_position(pos(btc, {.symbol = 0, .leverage = 10})), invalid_argument,
        Message("account::add_position: side is both, but must be long or short in a hedge-mode account"));
    REQUIRE_THROWS_MATCHES(a.deposit(0.0), invalid_argument, Message("account::deposit: amount is 0, but must be finite and > 0"));

    const std::vector<double> one{20000.0};
    const std::vector<double> two{20000.0, nan};
    const std::vector<double> good{20000.0, 20000.0};
    REQUIRE_THROWS_MATCHES(a.evaluate(one), invalid_argument,
                           Message("account::evaluate: the size of marks is 1, but must be >= 2 (one mark per symbol)"));
    REQUIRE_THROWS_MATCHES(a.evaluate(two), invalid_argument,
                           Message("account::evaluate: marks[1] is nan, but must be finite and > 0"));
    std::vector<position_figures<double>> figs(2);
    std::vector<margin_summary<double>> pools(1);
    REQUIRE_THROWS_MATCHES(a.evaluate(good, figs, pools), invalid_argument,
                           Message("account::evaluate: the size of figures is 2, but must be 1 (one per position)"));
    figs.resize(1);
    pools.resize(2);
    REQUIRE_THROWS_MATCHES(a.evaluate(good, figs, pools), invalid_argument,
                           Message("account::evaluate: the size of pools is 2, but must be 1 (one per position)"));

    REQUIRE_THROWS_MATCHES(a.preview({0, position_side::both, 1.0, 20000.0}, good), invalid_argument,
                           Message("account::preview: order symbol is 0, but must be a symbol with a both leg"));
    REQUIRE_THROWS_MATCHES(a.preview({1, position_side::both, nan, 20000.0}, good), invalid_argument,
                           Message("account::preview: order quantity is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(a.execute({1, position_side::both, 1.0, -5.0}, good), invalid_argument,
                           Message("account::execute: order price is -5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(a.preview({1, position_side::both, 1.0, 20000.0}, one), invalid_argument,
                           Message("account::preview: the size of marks is 1, but must be >= 2 (one mark per symbol)"));

    h.add_position(pos(
        btc, {.symbol = 0, .leverage = 10, .side = position_side::long_leg, .quantity = 2.0, .entry_price = 20000.0}));
    h.add_position(
        pos(btc,
            {.symbol = 0, .leverage = 10, .side = position_side::short_leg, .quantity = -1.0, .entry_price = 20000.0}));
    REQUIRE_THROWS_MATCHES(h.preview({0, position_side::long_leg, -3.0, 20000.0}, one), invalid_argument,
                           Message("account::preview: order quantity is -3, but must be >= -2 (the long leg holds 2)"));
    REQUIRE_THROWS_MATCHES(h.preview({0, position_side::short_leg, 1.5, 20000.0}, one), invalid_argument,
                           Message("account::preview: order quantity is 1.5, but must be <= 1 (the short leg holds -1)"));

    REQUIRE_THROWS_MATCHES(a.max_order_quantity(0, position_side::both, side::long_side, 20000.0, good), invalid_argument,
                           Message("account::max_order_quantity: symbol is 0, but must be a symbol with a both leg"));
    REQUIRE_THROWS_MATCHES(a.max_order_quantity(1, position_side::both, side::long_side, 0.0, good), invalid_argument,
                           Message("account::max_order_quantity: price is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(a.max_order_quantity(1, position_side::both, side::long_side, 1.0, two), invalid_argument,
                           Message("account::max_order_quantity: marks[1] is nan, but must be finite and > 0"));
}

TEST_CASE("an inverse (COIN-M) account: PnL, margin and averaged entry in coin (hand-derived)", "[margin]") {
    // Binance COIN-M BTCUSD, 100 USD per contract; level 1 MMR 0.4 % (COIN-M FAQ es-MX example).
    using inverse = inverse_contract<double>;
    const tier_schedule<double> coin_m({{0, 5, 125, 0.004}, {5, 10, 100, 0.005, 0.005}});
    account<inverse, tier_schedule<double>> a(1.0);  // 1 BTC wallet
    a.add_position(
        {coin_m, {.symbol = 0, .contract = inverse{100}, .leverage = 20, .quantity = 100.0, .entry_price = 20000.0}});
    const std::vector<double> marks{25000.0};
    // notional 100 × 100 / 25,000 = 0.4 BTC (published); MM 0.0016 BTC (published);
    // uPnL = 10,000 × (1/20,000 − 1/25,000) = 0.1 BTC; IM = 0.4 / 20 = 0.02 BTC; equity 1.1 BTC
    const auto e = a.evaluate(marks);
    CHECK_THAT(e.positions[0].notional, WithinRel(0.4, 1e-15));
    CHECK_THAT(e.cross.maintenance_margin, WithinRel(0.0016, 1e-12));
    CHECK_THAT(e.cross.equity, WithinRel(1.1, 1e-15));
    CHECK_THAT(e.cross.initial_margin, WithinRel(0.02, 1e-15));
    // buy 100 more @ 25,000: harmonic entry 200 / (100/20,000 + 100/25,000) = 22,222.2…
    const auto r = a.execute({0, position_side::both, 100.0, 25000.0}, marks);
    CHECK(r.check == order_check::accepted);
    CHECK_THAT(r.entry_price, WithinRel(200.0 / 0.009, 1e-15));
    CHECK_THAT(a.evaluate(marks).cross.equity, WithinRel(1.1, 1e-14));  // filled at the mark: no new PnL
}

TEST_CASE("deposits raise the wallet; names of order checks", "[margin]") {
    const auto btc = binance_btcusdt();
    test_account a(100.0);
    a.add_position(pos(btc, {.symbol = 0, .leverage = 10, .quantity = 1.0, .entry_price = 20000.0}));
    const std::vector<double> marks{20000.0};
    CHECK(a.evaluate(marks).cross.call_amount == 1900);  // IM 2,000 − equity 100
    a.deposit(1900.0);
    CHECK(a.wallet_balance() == 2000);
    CHECK(a.evaluate(marks).cross.call_amount == 0);  // the call amount restores IM exactly
    CHECK(std::string(to_string(order_check::accepted)) == "accepted");
    CHECK(std::string(to_string(order_check::leverage_above_tier)) == "leverage_above_tier");
    CHECK(std::string(to_string(order_check::insufficient_margin)) == "insufficient_margin");
    CHECK(std::string(to_string(order_check::beyond_model_range)) == "beyond_model_range");
}
