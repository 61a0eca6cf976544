// Benchmarks of the calculator layer: tick-stream monitoring of a large book (only the pools
// whose status boundary a tick passes are re-evaluated) beside a full re-mark of the same book
// on every tick, and one full calculator evaluation of an account.
#include <margincall/automation/book_monitor.hpp>
#include <margincall/automation/margin_monitor.hpp>
#include <margincall/calculator.hpp>
#include <margincall/margin/book.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <random>
#include <vector>

namespace {

using linear = margincall::linear_contract<double>;
using monitor = margincall::margin_monitor<linear>;

// Binance BTCUSDT brackets 1–5 (leverageBracket snapshot, tests/reference/binance_btcusdt_brackets.csv),
// the fifth open-ended: every maintenance rate stays below the 0.5 warning ratio the monitor needs.
margincall::tier_schedule<double> btcusdt() {
    return margincall::tier_schedule<double>({{0, 50000, 125, 0.004, 0.0},
                                              {50000, 250000, 100, 0.005, 50.0},
                                              {250000, 3000000, 50, 0.01, 1300.0},
                                              {3000000, 20000000, 20, 0.025, 46300.0},
                                              {20000000, std::numeric_limits<double>::infinity(), 10, 0.05, 546300.0}});
}

// A book of n single-position pools on one symbol around a mark of 30,000: sizes log-uniform
// in [0.001, 50] BTC, leverage 2x–100x, entries within ±10 % of the mark, long or short.
std::unique_ptr<monitor> make_book(std::size_t n) {
    auto m = std::make_unique<monitor>(std::vector<linear>{linear{}}, std::vector<margincall::tier_schedule<double>>{btcusdt()},
                                       margincall::status_thresholds<double>{0.5, 0.8, false});
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double entry = 30000.0 * (0.9 + 0.2 * u(rng));
        const double q = (u(rng) < 0.5 ? -1.0 : 1.0) * 0.001 * std::pow(50000.0, u(rng));
        const double leverage = 2.0 + 98.0 * u(rng);
        m->add_pool(0, q, entry, std::abs(q) * entry / leverage);
    }
    const std::vector<double> marks{30000.0};
    m->start(marks);
    return m;
}

// Ticks: a random walk with 1 bp steps (a busy BTC second has a few).
void BM_margin_monitor_tick(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    static std::unique_ptr<monitor> book;
    if (!book || book->pools() != n) book = make_book(n);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> step(0.0, 1e-4);
    std::vector<margincall::status_transition<double>> out;
    out.reserve(1 << 16);
    double price = book->mark(0);
    std::size_t touched = 0, ticks = 0, changes = 0;
    for (auto _ : state) {
        price *= std::exp(step(rng));
        out.clear();
        touched += book->on_tick(0, price, out);
        changes += out.size();
        ++ticks;
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(ticks));
    state.counters["pools"] = static_cast<double>(n);
    state.counters["touched_per_tick"] = static_cast<double>(touched) / static_cast<double>(ticks);
    state.counters["transitions_per_tick"] = static_cast<double>(changes) / static_cast<double>(ticks);
}
BENCHMARK(BM_margin_monitor_tick)->Arg(1000000)->Unit(benchmark::kMicrosecond);

// The same ticks, re-evaluating every pool on each one (what a monitor without an index does).
void BM_margin_monitor_full_remark(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    static std::unique_ptr<monitor> book;
    if (!book || book->pools() != n) book = make_book(n);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> step(0.0, 1e-4);
    std::vector<margincall::status_transition<double>> out;
    out.reserve(1 << 16);
    double price = book->mark(0);
    std::size_t ticks = 0;
    for (auto _ : state) {
        price *= std::exp(step(rng));
        out.clear();
        benchmark::DoNotOptimize(book->full_remark(0, price, out));
        ++ticks;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(ticks));
    state.counters["pools"] = static_cast<double>(n);
    state.counters["touched_per_tick"] = static_cast<double>(n);
}
BENCHMARK(BM_margin_monitor_full_remark)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Tick cost against the number of pools a tick carries across a status boundary, on the host's
// book: n one-leg accounts (isolated, as make_book above) in a margincall::book, watched by
// monitor_book(book); ticks alternate between 30,000 and 30,000 · (1 + δ), δ = range(1) bp, so
// every tick crosses the same pools back and forth. The time per tick follows `touched_per_tick`;
// `per_touched` is the time per pool re-evaluated, which grows with the book only as its heaps
// grow (log n, colder): (10^5, 10 bp) and (10^6, 1 bp) touch about as many pools, from books ten
// times apart in size (docs/automation.md).
using book_t = margincall::book<linear, margincall::tier_schedule<double>>;
const book_t& host_book(std::size_t n) {
    static std::unique_ptr<book_t> b;
    if (b && b->accounts() == n) return *b;
    const auto schedule = btcusdt();
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<margincall::account_row<double>> accounts(n, {.wallet_balance = 0});
    std::vector<margincall::position_row<double>> positions;
    positions.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double entry = 30000.0 * (0.9 + 0.2 * u(rng));
        const double q = (u(rng) < 0.5 ? -1.0 : 1.0) * 0.001 * std::pow(50000.0, u(rng));
        const double leverage = 2.0 + 98.0 * u(rng);
        positions.push_back({.account = i,
                             .mode = margincall::margin_mode::isolated,
                             .quantity = q,
                             .entry_price = entry,
                             .leverage = leverage,
                             .isolated_margin = std::abs(q) * entry / leverage});
    }
    b.reset();
    b = std::make_unique<book_t>(std::vector<linear>{linear{}}, std::vector<margincall::tier_schedule<double>>{schedule},
                                 accounts, positions, margincall::status_thresholds<double>{0.5, 0.8, false});
    return *b;
}

void BM_book_monitor_tick_crossings(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double step = 1e-4 * static_cast<double>(state.range(1));
    auto m = margincall::monitor_book(host_book(n));
    const std::vector<double> start{30000.0};
    m.monitor.start(start);
    std::vector<margincall::status_transition<double>> out;
    out.reserve(1 << 16);
    std::size_t touched = 0, ticks = 0, changes = 0;
    for (auto _ : state) {
        out.clear();
        touched += m.monitor.on_tick(0, ticks % 2 == 0 ? 30000.0 * (1 + step) : 30000.0, out);
        changes += out.size();
        ++ticks;
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["pools"] = static_cast<double>(m.book_pool.size());
    state.counters["touched_per_tick"] = static_cast<double>(touched) / static_cast<double>(ticks);
    state.counters["transitions_per_tick"] = static_cast<double>(changes) / static_cast<double>(ticks);
    state.counters["per_touched"] = benchmark::Counter(static_cast<double>(touched),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_book_monitor_tick_crossings)
    ->Args({100000, 10})
    ->Args({1000000, 1})
    ->Args({1000000, 10})
    ->Args({1000000, 100})
    ->Unit(benchmark::kMicrosecond);

// One calculator evaluation of a cross account with `n` positions on n symbols: figures,
// closed-form liquidation and bankruptcy prices per position.
void BM_margin_call_calculator_evaluate(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto s = btcusdt();
    margincall::margin_call_calculator<margincall::default_policies<double>> calc;
    auto a = calc.make_account(1e6);
    std::vector<double> marks(n);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        marks[i] = 100.0 + 50000.0 * u(rng);
        a.add_position(margincall::position<linear, margincall::tier_schedule<double>>(
            s, {.symbol = i,
                .leverage = 10,
                .quantity = (u(rng) < 0.5 ? -1.0 : 1.0) * (1 + 10 * u(rng)),
                .entry_price = marks[i] * (0.95 + 0.1 * u(rng))}));
    }
    for (auto _ : state) {
        auto r = calc.evaluate(a, marks);
        benchmark::DoNotOptimize(r.positions.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_margin_call_calculator_evaluate)->Arg(1)->Arg(16)->Unit(benchmark::kMicrosecond);

}  // namespace
