// One scenario built once in the host's book (include/margincall/margin/book.hpp), read by
// every reader: the calculator (accounts handed out by the book), the batch re-mark, the tick
// monitor after a tick, and a cascade's first step. They must agree pool by pool to the cent
// with each other, and with a hand-derived subset (accounts 0–3, derived in the comments).
#include <margincall/automation/book_monitor.hpp>
#include <margincall/calculator.hpp>
#include <margincall/cascade/book_cascade.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/multi_asset_simulator.hpp>
#include <margincall/contracts/any_contract.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

using schedule = tier_schedule<double>;
using contract_t = any_contract<double>;
using book_t = book<contract_t, schedule>;

// Binance BTCUSDT brackets 1–3 (tests/reference/binance_btcusdt_brackets.csv, docs/tiers.md).
schedule btcusdt() {
    return schedule({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}, {250000, 3000000, 50, 0.01, 1300.0}});
}
// Binance ETHUSDT 2021 brackets 1–3 (docs/tiers.md).
schedule ethusdt() {
    return schedule({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0}, {100000, 500000, 50, 0.01, 365.0}});
}
// Coin-margined brackets in BTC / XBT: 0–5 125x 0.4 %, 5–10 100x 0.5 % (cum 0.005).
schedule coin_m() { return schedule({{0, 5, 125, 0.004, 0.0}, {5, 10, 100, 0.005, 0.005}}); }

// Symbols: 0 BTCUSDT linear, 1 ETHUSDT linear, 2 BTCUSD inverse (100 USD a contract),
// 3 ETHUSD quanto (0.000001 XBT per index point per contract, BitMEX).
constexpr std::size_t btcusdt_symbol = 0;
const std::vector<double> marks_before{20000, 1600, 20000, 1800};
const std::vector<double> marks_after{19000, 1600, 20000, 1800};  // a tick: BTCUSDT −5 %

struct scenario {
    std::vector<account_row<double>> accounts;
    std::vector<position_row<double>> positions;
};

// Accounts 0–3 by hand; then `extra` random accounts: cross and isolated legs, one-way and
// hedge, USDT accounts on the linear symbols, BTC accounts on the inverse one, XBT accounts
// on the quanto one.
scenario make_scenario(std::size_t extra) {
    scenario s;
    s.accounts = {{.wallet_balance = 10000}, {.wallet_balance = 500, .mode = position_mode::hedge},
                  {.wallet_balance = 0.05}, {.wallet_balance = 0.1}};
    s.positions = {
        {.account = 0, .symbol = 0, .quantity = 1, .entry_price = 20000, .leverage = 20},
        {.account = 0, .symbol = 1, .quantity = -5, .entry_price = 1500, .leverage = 10},
        {.account = 1, .symbol = 0, .mode = margin_mode::isolated, .side = position_side::long_leg, .quantity = 2,
         .entry_price = 20500, .leverage = 50, .isolated_margin = 1200},
        {.account = 1, .symbol = 0, .side = position_side::short_leg, .quantity = -0.5, .entry_price = 21000, .leverage = 10},
        {.account = 2, .symbol = 2, .quantity = -100, .entry_price = 25000, .leverage = 25},
        {.account = 3, .symbol = 3, .mode = margin_mode::isolated, .quantity = 1000, .entry_price = 2000, .leverage = 10,
         .isolated_margin = 0.05},
    };
    std::mt19937_64 rng(20261130);
    const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    const auto coin = [&] { return std::uniform_int_distribution<int>(0, 1)(rng) == 1; };
    for (std::size_t n = 0; n < extra; ++n) {
        const std::size_t a = s.accounts.size();
        const bool hedge = n % 3 == 0;
        const std::size_t group = n % 4;  // 0, 1: USDT; 2: BTC; 3: XBT
        double wallet = 0;
        if (group < 2) {
            wallet = uniform(500, 20000);
        } else {
            wallet = uniform(0.01, 1);
        }
        s.accounts.push_back({.wallet_balance = wallet, .mode = hedge ? position_mode::hedge : position_mode::one_way});
        std::vector<std::size_t> symbols;
        if (group < 2) {
            symbols = {0, 1};
        } else {
            symbols = {group};
        }
        for (const std::size_t sym : symbols) {
            const int legs = hedge ? 2 : 1;
            for (int l = 0; l < legs; ++l) {
                if (symbols.size() > 1 && !coin()) continue;  // USDT accounts hold BTC, ETH or both
                const double mark = marks_before[sym];
                const double entry = mark * uniform(0.9, 1.1);
                double size = 0;
                if (sym == 0) {
                    size = uniform(0.01, 3);
                } else if (sym == 1) {
                    size = uniform(0.1, 40);
                } else if (sym == 2) {
                    size = uniform(1, 400);
                } else {
                    size = uniform(100, 2000);
                }
                const bool is_long = hedge ? l == 0 : coin();
                const double leverage = uniform(2, 60);
                const bool isolated = coin();
                position_row<double> p{.account = a,
                                       .symbol = sym,
                                       .mode = isolated ? margin_mode::isolated : margin_mode::cross,
                                       .side = hedge ? (is_long ? position_side::long_leg : position_side::short_leg)
                                                     : position_side::both,
                                       .quantity = is_long ? size : -size,
                                       .entry_price = entry,
                                       .leverage = leverage};
                if (isolated) {
                    const double notional = (sym == 2 ? size * 100 / entry : sym == 3 ? size * 1e-6 * entry : size * entry);
                    p.isolated_margin = notional / leverage * uniform(0.6, 1.5);
                }
                s.positions.push_back(p);
            }
        }
    }
    return s;
}

book_t make_book(const scenario& s) {
    return book_t({linear_contract<double>{}, linear_contract<double>{}, inverse_contract<double>{100},
                   quanto_contract<double>{0.000001}},
                  {btcusdt(), ethusdt(), coin_m(), coin_m()}, s.accounts, s.positions);
}

struct one_way_bag : default_policies<double> {
    using contract = any_contract<double>;
    using liquidation_solver = generic_liquidation<double>;
};
struct hedge_bag : one_way_bag {
    using account_mode = hedge_mode;
};

struct pools_at {
    std::vector<double> equity, im, mm, call;
    std::vector<margin_status> status;
    explicit pools_at(const book_t& b, std::span<const double> marks)
        : equity(b.pools()), im(b.pools()), mm(b.pools()), call(b.pools()), status(b.pools()) {
        (void)remark(b, marks, {equity, im, mm, call, status});
    }
};

bool to_the_cent(double a, double b) { return std::abs(a - b) < 0.005; }

}  // namespace

TEST_CASE("one book: the hand-derived accounts through the re-mark", "[book][calculator]") {
    const book_t b = make_book(make_scenario(0));
    const pools_at after(b, marks_after);
    // Account 0 (pool 0), cross: 10,000 + 1·(19,000 − 20,000) − 5·(1,600 − 1,500) = 8,500; MM
    // 19,000·0.4 % + 8,000·0.5 % = 116; IM 19,000/20 + 8,000/10 = 1,750.
    CHECK_THAT(after.equity[0], WithinAbs(8500, 1e-9));
    CHECK_THAT(after.mm[0], WithinAbs(116, 1e-9));
    CHECK_THAT(after.im[0], WithinAbs(1750, 1e-9));
    // Account 1: cross pool (pool 1, the short): 500 − 0.5·(19,000 − 21,000) = 1,500; notional
    // 9,500: MM 38, IM 950. Isolated long (pool 2): 1,200 + 2·(19,000 − 20,500) = −1,800; notional
    // 38,000 (tier 1): MM 152, IM 760, call 2,560, liquidation.
    CHECK_THAT(after.equity[1], WithinAbs(1500, 1e-9));
    CHECK_THAT(after.mm[1], WithinAbs(38, 1e-9));
    CHECK_THAT(after.im[1], WithinAbs(950, 1e-9));
    CHECK_THAT(after.equity[2], WithinAbs(-1800, 1e-9));
    CHECK_THAT(after.mm[2], WithinAbs(152, 1e-9));
    CHECK_THAT(after.call[2], WithinAbs(2560, 1e-9));
    CHECK(after.status[2] == margin_status::liquidation);
    // Account 2 (pool 3), inverse: −100·100·(1/25,000 − 1/20,000) = +0.1 BTC, equity 0.15; MM
    // 0.5 BTC·0.4 % = 0.002; IM 0.5/25 = 0.02.
    CHECK_THAT(after.equity[3], WithinAbs(0.15, 1e-15));
    CHECK_THAT(after.mm[3], WithinAbs(0.002, 1e-15));
    CHECK_THAT(after.im[3], WithinAbs(0.02, 1e-15));
    // Account 3 (pool 4), quanto: 0.05 + 1,000·10⁻⁶·(1,800 − 2,000) = −0.15 XBT; MM 1.8·0.4 % = 0.0072.
    CHECK_THAT(after.equity[4], WithinAbs(-0.15, 1e-15));
    CHECK_THAT(after.mm[4], WithinAbs(0.0072, 1e-15));
    // Before the tick the isolated long of account 1 was solvent: 1,200 − 2·500 = 200 > MM 160.
    const pools_at before(b, marks_before);
    CHECK_THAT(before.equity[2], WithinAbs(200, 1e-9));
    CHECK(before.status[2] != margin_status::liquidation);
}

TEST_CASE("one book: calculator, re-mark, monitor and a cascade's first step agree pool by pool", "[book][calculator]") {
    const scenario s = make_scenario(296);  // 300 accounts
    const book_t b = make_book(s);
    REQUIRE(b.accounts() == 300);
    const pools_at after(b, marks_after);
    const std::span<const double> marks(marks_after);

    // 1. The calculator, on the accounts the book hands out.
    const margin_call_calculator<one_way_bag> one_way;
    const margin_call_calculator<hedge_bag> hedge;
    std::size_t pools_checked = 0;
    for (std::size_t a = 0; a < b.accounts(); ++a) {
        const auto report = b.account_mode(a) == position_mode::hedge ? hedge.evaluate(b.make_account(a), marks)
                                                                      : one_way.evaluate(b.make_account(a), marks);
        const auto [first, last] = b.account_pools(a);
        std::size_t leg = 0;
        for (std::size_t k = first; k < last; ++k, ++pools_checked) {
            const margin_summary<double>& pool = report.positions[leg].pool;
            INFO("account " << a << ", pool " << k);
            CHECK(to_the_cent(pool.equity, after.equity[k]));
            CHECK(to_the_cent(pool.initial_margin, after.im[k]));
            CHECK(to_the_cent(pool.maintenance_margin, after.mm[k]));
            CHECK(to_the_cent(pool.call_amount, after.call[k]));
            CHECK(pool.status == after.status[k]);
            // The same kernel in the same order: not only to the cent, bit for bit.
            CHECK(pool.equity == after.equity[k]);
            CHECK(pool.maintenance_margin == after.mm[k]);
            leg += b.pool_positions(k).second - b.pool_positions(k).first;
        }
    }
    CHECK(pools_checked == b.pools());

    // 2. The monitor after the tick: every single-position pool's status is the re-mark's, and
    // so are its equity and MM at the new marks (bit for bit: the same kernel on the same row).
    auto watched = monitor_book(b);
    REQUIRE(watched.book_pool.size() > 100);
    watched.monitor.start(marks_before);
    std::vector<status_transition<double>> transitions;
    (void)watched.monitor.on_tick(btcusdt_symbol, marks_after[btcusdt_symbol], transitions);
    std::size_t moved = 0;
    for (std::size_t i = 0; i < watched.book_pool.size(); ++i) {
        const std::size_t k = watched.book_pool[i];
        INFO("monitor pool " << i << ", book pool " << k);
        CHECK(watched.monitor.status(i) == after.status[k]);
        const double mark = marks_after[b.columns().symbol()[b.sole_open_leg(k)]];
        CHECK(to_the_cent(watched.monitor.equity_at(i, mark), after.equity[k]));
        CHECK(to_the_cent(watched.monitor.mm_at(i, mark), after.mm[k]));
        CHECK(watched.monitor.mm_at(i, mark) == after.mm[k]);
    }
    const pools_at before(b, marks_before);
    for (std::size_t i = 0; i < watched.book_pool.size(); ++i)
        moved += static_cast<std::size_t>(before.status[watched.book_pool[i]] != after.status[watched.book_pool[i]]);
    CHECK(transitions.size() == moved);
    CHECK(moved > 0);

    // 3. A cascade on BTCUSDT from the book: its accounts' collateral and MM are the book's, and
    // the first step of a −5 % shock liquidates exactly the pools the re-mark calls liquidated
    // at 19,000 (which were not at 20,000).
    const auto cascade_book = isolated_liquidation_book(b, btcusdt_symbol);
    const auto& lb = cascade_book.accounts;
    REQUIRE(lb.size() > 50);
    std::size_t crossed = 0;
    for (std::size_t i = 0; i < lb.size(); ++i) {
        const std::size_t k = cascade_book.book_pool[lb.original_index(i)];
        INFO("cascade account " << i << ", book pool " << k);
        CHECK(to_the_cent(lb.collateral(i), b.columns().collateral()[k]));
        CHECK(lb.maintenance_margin(i, lb.quantity(i), marks_after[0]) == after.mm[k]);
        CHECK(to_the_cent(lb.collateral(i) + lb.quantity(i) * (marks_after[0] - lb.entry_price(i)), after.equity[k]));
        crossed += static_cast<std::size_t>(after.status[k] == margin_status::liquidation &&
                                            before.status[k] != margin_status::liquidation);
    }
    REQUIRE(crossed > 0);
    using simulator = cascade_simulator<double>;
    const simulator sim(linear_impact<double>(1e-3), {simulator::venue{.book = &lb}});
    // The first step liquidates every account past its liquidation price at 19,000: those that
    // crossed on the way down, and those already past it at 20,000 that the fall did not rescue
    // (a short's position improves as the price falls).
    std::size_t liquidated_after = 0;
    for (std::size_t i = 0; i < lb.size(); ++i)
        liquidated_after += static_cast<std::size_t>(after.status[cascade_book.book_pool[i]] == margin_status::liquidation);
    const auto out = sim.run(exogenous_shock<double>::instant_relative(marks_before[0], -0.05));
    REQUIRE(!out.venues[0].steps.empty());
    CHECK(out.venues[0].steps[0].liquidated_count == liquidated_after);
}

// The snippet of docs/architecture.md §5, line for line (keep the two in step).
TEST_CASE("one book: the architecture page's snippet", "[book][calculator][docs]") {
    namespace mc = margincall;
    using book_type = mc::book<mc::linear_contract<double>, mc::tier_schedule<double>>;

    // Binance BTCUSDT brackets 1–2 (docs/tiers.md).
    const mc::tier_schedule<double> btc({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}});
    const std::vector<mc::account_row<double>> accounts{{.wallet_balance = 10000}, {.wallet_balance = 0}};
    const std::vector<mc::position_row<double>> positions{
        {.account = 0, .symbol = 0, .quantity = 1, .entry_price = 20000, .leverage = 20},
        {.account = 1, .symbol = 0, .mode = mc::margin_mode::isolated, .quantity = -2, .entry_price = 20000,
         .leverage = 10, .isolated_margin = 4000}};
    const book_type book({mc::linear_contract<double>{}}, {btc}, accounts, positions);  // checked here
    const std::vector<double> marks{21000};

    // A report: the calculator on the account the book hands out.
    const mc::margin_call_calculator<mc::default_policies<double>> calc;
    const auto report = calc.evaluate(book.make_account(0), marks);  // equity 11,000, MM 84

    // A re-mark of every pool (spans out, optional).
    std::vector<double> equity(book.pools());
    const auto totals = mc::remark(book, std::span<const double>(marks), {.equity = equity});

    // A tick monitor over the one-leg pools; book_pool maps its pools back to the book's.
    auto watched = mc::monitor_book(book);
    watched.monitor.start(marks);

    // A cascade book for BTCUSDT, ready for cascade_simulator (docs/cascades.md).
    const auto cascade = mc::isolated_liquidation_book(book, 0);

    // By hand: account 0, 10,000 + 1·(21,000 − 20,000) = 11,000, MM 21,000·0.4 % = 84; account 1,
    // isolated short, 4,000 − 2·1,000 = 2,000, MM 42,000·0.4 % = 168.
    CHECK_THAT(report.equity, WithinAbs(11000, 1e-9));
    CHECK_THAT(report.maintenance_margin, WithinAbs(84, 1e-9));
    CHECK_THAT(equity[1], WithinAbs(2000, 1e-9));
    CHECK_THAT(totals.maintenance_margin, WithinAbs(84 + 168, 1e-9));
    CHECK(watched.book_pool == std::vector<std::size_t>{0, 1});
    CHECK(cascade.accounts.size() == 2);
}

TEST_CASE("one book: the cross accounts' cascade book agrees with the re-mark, and the multi-asset first step",
          "[book][calculator]") {
    const scenario s = make_scenario(296);
    const book_t b = make_book(s);
    const pools_at after(b, marks_after);
    // The USDT symbols: BTCUSDT and ETHUSDT. Their multi-leg cross pools become cross accounts.
    const std::vector<std::size_t> symbols{0, 1};
    const std::vector<double> reference{marks_before[0], marks_before[1]};
    const auto cross = cross_liquidation_book(b, std::span<const std::size_t>(symbols), std::span<const double>(reference));
    REQUIRE(cross.accounts.size() > 10);
    const std::vector<double> after_assets{marks_after[0], marks_after[1]};
    std::size_t liquidated = 0;
    for (std::size_t i = 0; i < cross.accounts.size(); ++i) {
        const std::size_t k = cross.book_pool[cross.accounts.original_index(i)];
        INFO("cross account " << i << ", book pool " << k);
        REQUIRE(b.open_legs(k) >= 2);
        // equity − MM to the cent (the wallet is held in cents; legs sum in the cross book's order).
        CHECK(to_the_cent(cross.accounts.surplus(i, after_assets), after.equity[k] - after.mm[k]));
        CHECK((cross.accounts.surplus(i, after_assets) < 0) == (after.status[k] == margin_status::liquidation));
        liquidated += static_cast<std::size_t>(after.status[k] == margin_status::liquidation);
    }
    // Every pool of the book on these symbols is in exactly one cascade book: one open leg →
    // the symbol's isolated book, two or more → the cross book.
    const auto btc = isolated_liquidation_book(b, 0);
    const auto eth = isolated_liquidation_book(b, 1);
    std::vector<int> seen(b.pools(), 0);
    for (const std::size_t k : btc.book_pool) ++seen[k];
    for (const std::size_t k : eth.book_pool) ++seen[k];
    for (const std::size_t k : cross.book_pool) ++seen[k];
    for (std::size_t k = 0; k < b.pools(); ++k) {
        bool on_usdt = false;
        const auto [first, last] = b.pool_positions(k);
        for (std::size_t j = first; j < last; ++j)
            on_usdt = on_usdt || (b.columns().symbol()[j] < 2 && b.columns().quantity()[j] != 0);
        CHECK(seen[k] == (on_usdt ? 1 : 0));
    }
    // The multi-asset simulator on the three books: its first step liquidates, among the cross
    // accounts, exactly those the re-mark calls liquidated after the tick.
    using multi = multi_asset_simulator<double>;
    std::vector<multi::asset> assets{{linear_impact<double>(1e-9), {.book = &btc.accounts}},
                                     {linear_impact<double>(1e-9), {.book = &eth.accounts}}};
    const multi sim(std::move(assets), &cross.accounts);
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::instant_relative(marks_before[0], -0.05),
                                                      exogenous_shock<double>::instant_relative(marks_before[1], 0.0)};
    const auto out = sim.run(shocks);
    std::size_t first_step = 0;
    for (std::size_t n = 0; n < out.cross.liquidated.size(); ++n) {
        if (out.cross.liquidated_step[n] != out.cross.liquidated_step.front()) continue;
        ++first_step;
        const std::size_t k = cross.book_pool[out.cross.liquidated[n]];
        CHECK(after.status[k] == margin_status::liquidation);
    }
    CHECK(first_step == liquidated);
}
