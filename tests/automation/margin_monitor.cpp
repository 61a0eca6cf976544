// Tests of include/margincall/automation/margin_monitor.hpp: indexed tick-stream monitoring
// against a brute-force re-evaluation of every pool with margincall::account on every tick.
#include <margincall/automation/margin_monitor.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/margin/account.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
using schedule = tier_schedule<double>;

// Binance BTCUSDT brackets 1–4 (leverageBracket snapshot, tests/reference/binance_btcusdt_brackets.csv)
// with an open-ended last tier, so every price can be valued.
schedule btc() {
    return schedule({{0, 50000, 125, 0.004, 0.0},
                     {50000, 250000, 100, 0.005, 50.0},
                     {250000, 3000000, 50, 0.01, 1300.0},
                     {3000000, inf, 20, 0.025, 46300.0}});
}
// Illustrative COIN-M-style brackets in BTC (not a venue table): 0–5 125x 0.4 %, 5–10 100x
// 0.5 % (cum 5 × 0.1 % = 0.005), 10+ 50x 1 % (cum 0.005 + 10 × 0.5 % = 0.055).
schedule btc_coin() {
    return schedule({{0, 5, 125, 0.004, 0.0}, {5, 10, 100, 0.005, 0.005}, {10, inf, 50, 0.01, 0.055}});
}

template <class Contract>
struct brute_pool {
    std::size_t symbol;
    account<Contract, schedule> acct;
};

// Runs `ticks` seeded ticks on a random book and compares the monitor with a brute-force
// re-evaluation (one account per pool, account::evaluate) on every tick.
template <class Contract>
void compare_with_brute_force(std::vector<Contract> contracts, std::vector<schedule> schedules,
                              std::vector<double> start, int pools, int ticks, std::uint64_t seed,
                              double* mean_touched = nullptr, std::uintmax_t solve_budget = 100,
                              std::size_t* unconverged = nullptr) {
    const status_thresholds<double> t{0.5, 0.8, false};
    margin_monitor<Contract> mon(contracts, schedules, t);
    mon.set_solve_budget(solve_budget);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<brute_pool<Contract>> brute;
    const std::size_t symbols = contracts.size();
    for (int i = 0; i < pools; ++i) {
        const std::size_t s = static_cast<std::size_t>(u(rng) * static_cast<double>(symbols)) % symbols;
        const double entry = start[s] * (0.9 + 0.2 * u(rng));
        const double q = (u(rng) < 0.5 ? -1 : 1) * (0.1 + 30 * u(rng));
        const double notional = contracts[s].notional(q, entry);
        const double collateral = notional / (2 + 60 * u(rng));  // 2x–62x
        mon.add_pool(s, q, entry, collateral);
        account<Contract, schedule> a(collateral, position_mode::one_way, t);
        a.add_position(position<Contract, schedule>(
            schedules[s],
            {.symbol = s, .contract = contracts[s], .leverage = 1.0, .quantity = q, .entry_price = entry}));
        brute.push_back({s, std::move(a)});
    }
    std::vector<double> marks = start;
    mon.start(marks);
    std::vector<margin_status> status(brute.size());
    std::vector<position_figures<double>> fig(1);
    std::vector<margin_summary<double>> pool(1);
    for (std::size_t i = 0; i < brute.size(); ++i) {
        status[i] = brute[i].acct.evaluate(marks, fig, pool).status;
        REQUIRE(mon.status(i) == status[i]);
    }
    std::normal_distribution<double> step(0.0, 0.004);
    std::vector<status_transition<double>> got;
    std::size_t touched = 0, changes = 0;
    for (int k = 0; k < ticks; ++k) {
        const std::size_t s = static_cast<std::size_t>(k) % symbols;
        marks[s] *= std::exp(step(rng));
        got.clear();
        touched += mon.on_tick(s, marks[s], got);
        std::vector<status_transition<double>> expected;
        for (std::size_t i = 0; i < brute.size(); ++i) {
            if (brute[i].symbol != s) continue;
            const margin_status now = brute[i].acct.evaluate(marks, fig, pool).status;
            if (now != status[i]) expected.push_back({i, s, status[i], now, marks[s]});
            status[i] = now;
        }
        const auto by_pool = [](const auto& a, const auto& b) { return a.pool < b.pool; };
        std::sort(got.begin(), got.end(), by_pool);
        REQUIRE(got.size() == expected.size());
        for (std::size_t j = 0; j < got.size(); ++j) {
            REQUIRE(got[j].pool == expected[j].pool);
            REQUIRE(got[j].from == expected[j].from);
            REQUIRE(got[j].to == expected[j].to);
            REQUIRE(got[j].price == marks[s]);
        }
        changes += got.size();
    }
    for (std::size_t i = 0; i < brute.size(); ++i) REQUIRE(mon.status(i) == status[i]);
    CHECK(changes > 0);
    if (mean_touched) *mean_touched = static_cast<double>(touched) / ticks;
    if (unconverged) *unconverged = mon.unconverged_boundaries();
}
}  // namespace

TEST_CASE("monitor: linear book, transitions equal brute force on 3000 seeded ticks", "[automation][property]") {
    double touched = 0;
    compare_with_brute_force<linear_contract<double>>({linear_contract<double>{}, linear_contract<double>{0.1}},
                                                      {btc(), btc()}, {30000.0, 2000.0}, 800, 3000, 99, &touched);
    // The index touches a small fraction of the 400 pools per symbol.
    CHECK(touched < 40);
}

TEST_CASE("monitor: inverse book, transitions equal brute force", "[automation][property]") {
    compare_with_brute_force<inverse_contract<double>>({inverse_contract<double>{100.0}}, {btc_coin()}, {30000.0}, 400,
                                                       1500, 5);
}

TEST_CASE("monitor: hand-derived boundary of one long", "[automation]") {
    // Long 1 BTC @ 20,000 with 1,000 collateral, BTCUSDT tier 1 (0.4 %): equity = P − 19,000,
    // MM = 0.004 P. Warning (MM/equity ≥ 0.5): P − 19,000 ≤ 0.008 P ⇔ P ≤ 19,153.2258…;
    // liquidation: P − 19,000 ≤ 0.004 P ⇔ P ≤ 19,076.3052…
    margin_monitor<linear_contract<double>> mon({linear_contract<double>{}}, {btc()}, {0.5, 0.8, false});
    mon.add_pool(0, 1.0, 20000.0, 1000.0);
    const std::vector<double> m{20000.0};
    mon.start(m);
    std::vector<status_transition<double>> out;
    CHECK(mon.on_tick(0, 19200.0, out) == 0);  // above every boundary: nobody touched
    CHECK(out.empty());
    mon.on_tick(0, 19153.0, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].to == margin_status::warning);
    mon.on_tick(0, 19076.0, out);
    REQUIRE(out.size() == 2);
    CHECK(out[1].to == margin_status::liquidation);
    mon.on_tick(0, 25000.0, out);
    REQUIRE(out.size() == 3);
    CHECK(out[2].to == margin_status::healthy);
    // full_remark agrees and finds nothing new.
    out.clear();
    CHECK(mon.full_remark(0, 25000.0, out) == 1);
    CHECK(out.empty());
}

TEST_CASE("monitor rejects bad input", "[automation][errors]") {
    using mon_t = margin_monitor<linear_contract<double>>;
    REQUIRE_THROWS_MATCHES(mon_t({}, {}, {}), margincall::invalid_argument,
                           Message("margin_monitor: the number of contracts is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES(mon_t({linear_contract<double>{}}, {btc(), btc()}, {}), margincall::invalid_argument,
                           Message("margin_monitor: the number of schedules is 2, but must be 1, the number of contracts"));
    REQUIRE_THROWS_MATCHES(mon_t({linear_contract<double>{}}, {btc()}, {0.5, 0.8, true}), margincall::invalid_argument,
                           Message("margin_monitor: call_below_initial is true, but must be false (the monitor does not track IM)"));
    REQUIRE_THROWS_MATCHES(mon_t({linear_contract<double>{}}, {btc()}, {0.02, 0.8, false}), margincall::invalid_argument,
                           Message("margin_monitor: the top maintenance_rate of schedule 0 is 0.025, but must be < 0.02, "
                                   "the warning ratio (so status is monotone in price)"));
    mon_t mon({linear_contract<double>{}}, {btc()}, {});
    REQUIRE_THROWS_MATCHES(mon.add_pool(1, 1.0, 1.0, 1.0), margincall::invalid_argument,
                           Message("margin_monitor::add_pool: symbol is 1, but must be < 1"));
    REQUIRE_THROWS_MATCHES(mon.add_pool(0, 0.0, 1.0, 1.0), margincall::invalid_argument,
                           Message("margin_monitor::add_pool: quantity is 0, but must be non-zero"));
    REQUIRE_THROWS_MATCHES(mon.add_pool(0, 1.0, 1.0, -1.0), margincall::invalid_argument,
                           Message("margin_monitor::add_pool: collateral is -1, but must be finite and >= 0"));
    std::vector<status_transition<double>> out;
    REQUIRE_THROWS_MATCHES(mon.on_tick(0, 1.0, out), margincall::invalid_argument,
                           Message("margin_monitor::on_tick: the monitor is not started, but must be started (call start(marks) first)"));
    const std::vector<double> two{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(mon.start(two), margincall::invalid_argument,
                           Message("margin_monitor::start: the size of marks is 2, but must be 1 (one per symbol)"));
    const std::vector<double> one{1.0};
    mon.start(one);
    REQUIRE_THROWS_MATCHES(mon.on_tick(0, std::numeric_limits<double>::quiet_NaN(), out), margincall::invalid_argument,
                           Message("margin_monitor::on_tick: price is nan, but must be finite and > 0"));
}

namespace {
// A linear contract the closed forms do not know (no price_variable specialisation): the monitor
// solves its boundaries by bracketing and TOMS 748, as for any contract without a closed form.
struct bracketed_linear {
    linear_contract<double> c{};
    [[nodiscard]] double pnl(double q, double e, double p) const { return c.pnl(q, e, p); }
    [[nodiscard]] double notional(double q, double p) const { return c.notional(q, p); }
    [[nodiscard]] double value(double q, double p) const { return c.value(q, p); }
    [[nodiscard]] margin_currency currency() const { return c.currency(); }
};
static_assert(!closed_form_contract<bracketed_linear>);
static_assert(closed_form_contract<linear_contract<double>>);
}  // namespace

TEST_CASE("monitor: boundary solves that run out of budget still give the brute-force transitions",
          "[automation][property]") {
    // One evaluation per TOMS 748 solve cannot narrow a doubling bracket to the tolerance: each
    // such boundary is no_convergence, becomes a trigger at the mark, and the pool is
    // re-evaluated on the next tick. Transitions must still equal the brute force; the index
    // touches more pools than with the default budget. (A linear_contract's boundaries come from
    // the per-bracket closed form and never reach the solver: the same budget changes nothing.)
    double starved_touched = 0, full_touched = 0, closed_touched = 0;
    std::size_t starved_unconverged = 0, full_unconverged = 0, closed_unconverged = 0;
    compare_with_brute_force<bracketed_linear>({bracketed_linear{}}, {btc()}, {30000.0}, 200, 600, 17, &starved_touched, 1,
                                               &starved_unconverged);
    compare_with_brute_force<bracketed_linear>({bracketed_linear{}}, {btc()}, {30000.0}, 200, 600, 17, &full_touched, 100,
                                               &full_unconverged);
    compare_with_brute_force<linear_contract<double>>({linear_contract<double>{}}, {btc()}, {30000.0}, 200, 600, 17,
                                                      &closed_touched, 1, &closed_unconverged);
    CHECK(starved_unconverged > 0);
    CHECK(full_unconverged == 0);
    CHECK(starved_touched > full_touched);
    CHECK(closed_unconverged == 0);
    // Both ways find the same boundaries (up to the 10⁻⁹ inward margin), so the index touches
    // the same pools.
    CHECK(closed_touched == full_touched);
    margin_monitor<linear_contract<double>> mon({linear_contract<double>{}}, {btc()}, {0.5, 0.8, false});
    REQUIRE_THROWS_MATCHES(mon.set_solve_budget(0), margincall::invalid_argument,
                           Message("margin_monitor::set_solve_budget: max_evaluations is 0, but must be >= 1"));
}

TEST_CASE("monitor: concurrent ticks on different symbols give each symbol's brute-force transitions",
          "[automation][threads]") {
    // Two threads tick two symbols at once (the thread-safety promise of the header). Expected
    // transitions come from account::evaluate on every pool of the symbol after every tick,
    // computed beforehand on one thread. A shared scratch between the symbols' ticks (the bug this
    // guards against) loses or misfiles pools and fails the comparison (or crashes).
    const status_thresholds<double> t{0.5, 0.8, false};
    const std::vector<linear_contract<double>> contracts{linear_contract<double>{}, linear_contract<double>{}};
    const std::vector<schedule> schedules{btc(), btc()};
    const std::vector<double> start{30000.0, 30000.0};
    margin_monitor<linear_contract<double>> mon(contracts, schedules, t);
    std::mt19937_64 rng(2024);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<brute_pool<linear_contract<double>>> brute;
    for (int i = 0; i < 600; ++i) {
        const std::size_t s = static_cast<std::size_t>(i % 2);
        const double entry = start[s] * (0.9 + 0.2 * u(rng));
        const double q = (u(rng) < 0.5 ? -1 : 1) * (0.1 + 30 * u(rng));
        const double collateral = q * entry * (q < 0 ? -1 : 1) / (2 + 60 * u(rng));
        mon.add_pool(s, q, entry, collateral);
        account<linear_contract<double>, schedule> a(collateral, position_mode::one_way, t);
        a.add_position(position<linear_contract<double>, schedule>(
            schedules[s], {.symbol = s, .contract = contracts[s], .leverage = 1.0, .quantity = q, .entry_price = entry}));
        brute.push_back({s, std::move(a)});
    }
    mon.start(start);
    // A closed loop of `ticks` marks per symbol (the last is the start), run `loops` times: every
    // loop starts from the same statuses, so its transitions repeat the first loop's.
    constexpr int ticks = 1000;
    constexpr int loops = 30;
    std::vector<std::vector<double>> path(2);
    for (std::size_t s = 0; s < 2; ++s)
        for (int k = 1; k <= ticks; ++k) {
            const double x = 2 * 3.141592653589793 * k / ticks;
            path[s].push_back(start[s] * std::exp(0.2 * std::sin((7.0 + static_cast<double>(s)) * x) + 0.05 * std::sin(31 * x)));
        }
    // Expected: per symbol, the (tick, pool, from, to) of every status change, by brute force.
    using change = std::array<std::size_t, 4>;
    std::vector<std::vector<change>> expected(2);
    std::vector<position_figures<double>> fig(1);
    std::vector<margin_summary<double>> pool(1);
    for (std::size_t s = 0; s < 2; ++s) {
        std::vector<double> marks = start;
        std::vector<margin_status> status(brute.size());
        for (std::size_t i = 0; i < brute.size(); ++i) status[i] = brute[i].acct.evaluate(marks, fig, pool).status;
        for (int k = 0; k < ticks; ++k) {
            marks[s] = path[s][static_cast<std::size_t>(k)];
            for (std::size_t i = s; i < brute.size(); i += 2) {
                const margin_status now = brute[i].acct.evaluate(marks, fig, pool).status;
                if (now != status[i])
                    expected[s].push_back({static_cast<std::size_t>(k), i, static_cast<std::size_t>(status[i]),
                                           static_cast<std::size_t>(now)});
                status[i] = now;
            }
        }
    }
    for (auto& e : expected) {
        const std::size_t one = e.size();
        for (int r = 1; r < loops; ++r)
            for (std::size_t j = 0; j < one; ++j) {
                change c = e[j];
                c[0] += static_cast<std::size_t>(r * ticks);
                e.push_back(c);
            }
    }
    std::vector<std::vector<change>> got(2);
    std::atomic<int> ready{0};
    const auto run = [&](std::size_t s) {
        ready.fetch_add(1);
        while (ready.load() < 2) {}  // start together, so the ticks interleave
        std::vector<status_transition<double>> out;
        for (int k = 0; k < ticks * loops; ++k) {
            out.clear();
            mon.on_tick(s, path[s][static_cast<std::size_t>(k % ticks)], out);
            std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pool < b.pool; });
            for (const auto& x : out)
                got[s].push_back({static_cast<std::size_t>(k), x.pool, static_cast<std::size_t>(x.from),
                                  static_cast<std::size_t>(x.to)});
        }
    };
    std::thread a(run, 0), b(run, 1);
    a.join();
    b.join();
    for (std::size_t s = 0; s < 2; ++s) {
        CHECK(expected[s].size() > 50);  // the paths move statuses
        CHECK(got[s] == expected[s]);
    }
}
