// Benchmarks of the margin layer: the batch re-mark of a position book against the memory
// bandwidth of the same machine, and the per-account paths (evaluation, order preview).
#include <margincall/margin/account.hpp>
#include <margincall/contracts/any_contract.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/remark.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <cstddef>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <utility>
#include <random>
#include <vector>

namespace {

using linear = margincall::linear_contract<double>;
using schedule = margincall::tier_schedule<double>;

// Binance BTCUSDT brackets (leverageBracket snapshot, docs/margin.md).
margincall::tier_schedule<double> btcusdt() {
    return margincall::tier_schedule<double>({{0, 50000, 125, 0.004, 0.0},
                                              {50000, 250000, 100, 0.005, 50.0},
                                              {250000, 3000000, 50, 0.01, 1300.0},
                                              {3000000, 20000000, 20, 0.025, 46300.0},
                                              {20000000, 40000000, 10, 0.05, 546300.0},
                                              {40000000, 100000000, 5, 0.1, 2546300.0},
                                              {100000000, 120000000, 4, 0.125, 5046300.0},
                                              {120000000, 200000000, 3, 0.15, 8046300.0},
                                              {200000000, 300000000, 2, 0.25, 28046300.0},
                                              {300000000, 500000000, 1, 0.5, 103046300.0}});
}
// Binance ETHUSDT 2021 MMR / cum (docs/margin.md); max leverage 1/(2·MMR) rounded down.
margincall::tier_schedule<double> ethusdt() {
    constexpr double inf = std::numeric_limits<double>::infinity();
    return margincall::tier_schedule<double>({{0, 10000, 100, 0.005, 0.0},
                                              {10000, 100000, 76, 0.0065, 15.0},
                                              {100000, 500000, 50, 0.01, 365.0},
                                              {500000, 1000000, 25, 0.02, 5365.0},
                                              {1000000, 2000000, 10, 0.05, 35365.0},
                                              {2000000, 5000000, 5, 0.1, 135365.0},
                                              {5000000, 10000000, 4, 0.125, 260365.0},
                                              {10000000, 20000000, 3, 0.15, 510365.0},
                                              {20000000, inf, 2, 0.25, 2510365.0}});
}

struct book_fixture {
    margincall::position_book<double> book;
    std::vector<linear> contracts{linear{}, linear{}};
    std::vector<margincall::bracket_table<double>> models;
    std::vector<double> marks{20000.0, 1500.0};
};

// How the positions of the two symbols are laid out in the book.
enum class layout {
    by_symbol,    // first all BTC positions, then all ETH: how an exchange keeps isolated positions
    interleaved,  // BTC, ETH, BTC, ETH, ...: the worst case, every block mixes symbols
};

// N single-position pools (isolated positions), half BTC, half ETH, fixed seed.
book_fixture make_book(std::size_t n, layout order) {
    const auto b = btcusdt();
    const auto e = ethusdt();
    book_fixture f{{}, {linear{}, linear{}}, {margincall::bracket_table<double>(b), margincall::bracket_table<double>(e)}, {20000.0, 1500.0}};
    f.book.reserve(n, n);
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t s =
            order == layout::interleaved ? static_cast<std::uint32_t>(i & 1u) : static_cast<std::uint32_t>(i >= n / 2);
        const double price = f.marks[s];
        const double lev = 1.0 + std::floor(u(gen) * 50.0);
        const double notional = 100.0 * std::exp(u(gen) * 9.0);  // 100 .. 810,000
        const double q = (u(gen) < 0.5 ? 1.0 : -1.0) * notional / price;
        f.book.add_pool(notional / lev * (1.0 + u(gen)));
        f.book.add_position(s, q, price * (0.97 + 0.06 * u(gen)), lev);
    }
    return f;
}

// Built once per size and layout and kept: the 10^7 book takes about a second to generate.
const book_fixture& shared_book(std::size_t n, layout order = layout::by_symbol) {
    static std::map<std::pair<std::size_t, layout>, book_fixture> books;
    const auto key = std::make_pair(n, order);
    auto it = books.find(key);
    if (it == books.end()) it = books.emplace(key, make_book(n, order)).first;
    return it->second;
}

// STREAM-like single-core read bandwidth (bytes/s) over a buffer of `bytes`: the best of a
// few passes of an integer sum (vectorisable, no FP reassociation needed), timed in process
// CPU time like Google Benchmark's rates, so a loaded machine biases both sides alike.
double read_bandwidth(std::size_t bytes) {
    std::vector<std::uint64_t> buffer(bytes / sizeof(std::uint64_t) + 1, 1);
    double best = 0;
    for (int pass = 0; pass < 4; ++pass) {
        const std::clock_t t0 = std::clock();
        std::uint64_t sum = 0;
        for (const std::uint64_t x : buffer) sum += x;
        benchmark::DoNotOptimize(sum);
        const double seconds = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
        if (seconds > 0) best = std::max(best, static_cast<double>(buffer.size() * sizeof(std::uint64_t)) / seconds);
    }
    return best;
}

// Re-mark, totals only: a pure read pass over the book's columns.
void remark_totals_only(benchmark::State& state, layout order) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& f = shared_book(n, order);
    const double bandwidth = read_bandwidth(f.book.bytes());
    const margincall::status_thresholds<double> t{};
    for (auto _ : state) {
        auto totals = margincall::remark<linear, margincall::bracket_table<double>, double>(
            f.book, f.contracts, f.models, f.marks, t);
        benchmark::DoNotOptimize(totals);
    }
    const auto bytes = static_cast<double>(f.book.bytes());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    // rate of (bytes / reference bandwidth) per second = achieved bandwidth / reference bandwidth
    state.counters["bandwidth_fraction"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * bytes / bandwidth, benchmark::Counter::kIsRate);
    state.counters["read_GBps"] = bandwidth / 1e9;
}
// Positions kept by symbol (the exchange layout): the figure.
void BM_position_book_remark(benchmark::State& state) { remark_totals_only(state, layout::by_symbol); }
BENCHMARK(BM_position_book_remark)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
// Symbols alternating position by position: every block takes the gathering path.
void BM_position_book_remark_interleaved(benchmark::State& state) { remark_totals_only(state, layout::interleaved); }
BENCHMARK(BM_position_book_remark_interleaved)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// The host's book (margin/book.hpp) of the same isolated positions, built from rows: remark(book)
// streams the book's own columns, so it should run at the position_book pass's speed
// (compare bandwidth_fraction with BM_position_book_remark at the same size).
struct host_book_fixture {
    margincall::book<linear, margincall::bracket_table<double>> book;
    std::vector<double> marks;
};
const host_book_fixture& shared_host_book(std::size_t n) {
    static std::map<std::size_t, host_book_fixture> books;
    auto it = books.find(n);
    if (it == books.end()) {
        const auto& f = shared_book(n);
        std::vector<margincall::account_row<double>> accounts(n);
        std::vector<margincall::position_row<double>> positions(n);
        for (std::size_t i = 0; i < n; ++i) {
            positions[i] = {.account = i,
                            .symbol = f.book.symbol()[i],
                            .mode = margincall::margin_mode::isolated,
                            .quantity = f.book.quantity()[i],
                            .entry_price = f.book.entry_price()[i],
                            .leverage = f.book.leverage()[i],
                            .isolated_margin = f.book.collateral()[i]};
        }
        it = books.emplace(n, host_book_fixture{{f.contracts, f.models, accounts, positions}, f.marks}).first;
    }
    return it->second;
}
void BM_book_remark_isolated(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& f = shared_host_book(n);
    const double bandwidth = read_bandwidth(f.book.columns().bytes());
    for (auto _ : state) {
        auto totals = margincall::remark(f.book, std::span<const double>(f.marks));
        benchmark::DoNotOptimize(totals);
    }
    const auto bytes = static_cast<double>(f.book.columns().bytes());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
    state.counters["bandwidth_fraction"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * bytes / bandwidth, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_book_remark_isolated)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// Books built from rows, kept per (kind, size): cross-margin accounts of 1–3 linear legs on
// three symbols (the cross-pool pass), and isolated inverse positions kept by symbol.
template <class Contract>
struct rows_book_fixture {
    margincall::book<Contract, margincall::bracket_table<double>> book;
    std::vector<double> marks;
};
const rows_book_fixture<linear>& shared_cross_book(std::size_t n) {  // n positions, about
    static std::map<std::size_t, rows_book_fixture<linear>> books;
    auto it = books.find(n);
    if (it == books.end()) {
        const std::vector<double> marks{20000.0, 1500.0, 150.0};
        std::vector<margincall::account_row<double>> accounts;
        std::vector<margincall::position_row<double>> positions;
        accounts.reserve(n / 2 + 1);
        positions.reserve(n);
        std::mt19937_64 gen(11);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t a = 0; positions.size() < n; ++a) {
            accounts.push_back({.wallet_balance = 1000.0 + 50000.0 * u(gen)});
            const std::size_t legs = 1 + a % 3;
            for (std::size_t l = 0; l < legs && positions.size() < n; ++l) {
                const std::size_t s = (a + l) % 3;
                const double notional = 100.0 * std::exp(u(gen) * 9.0);
                positions.push_back({.account = a,
                                     .symbol = s,
                                     .quantity = (u(gen) < 0.5 ? 1.0 : -1.0) * notional / marks[s],
                                     .entry_price = marks[s] * (0.97 + 0.06 * u(gen)),
                                     .leverage = 1.0 + std::floor(u(gen) * 50.0)});
            }
        }
        const auto b = btcusdt();
        const auto e = ethusdt();
        it = books.emplace(n, rows_book_fixture<linear>{{{linear{}, linear{}, linear{}},
                                                         {margincall::bracket_table<double>(b), margincall::bracket_table<double>(e),
                                                          margincall::bracket_table<double>(e)},
                                                         accounts,
                                                         positions},
                                                        marks})
                 .first;
    }
    return it->second;
}
using inverse = margincall::inverse_contract<double>;
const rows_book_fixture<inverse>& shared_inverse_book(std::size_t n) {
    static std::map<std::size_t, rows_book_fixture<inverse>> books;
    auto it = books.find(n);
    if (it == books.end()) {
        const std::vector<double> marks{20000.0, 1500.0};
        std::vector<margincall::account_row<double>> accounts(n);
        std::vector<margincall::position_row<double>> positions(n);
        std::mt19937_64 gen(13);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t s = i >= n / 2;  // kept by symbol
            const double coins = 0.001 * std::exp(u(gen) * 9.0);  // notional in coin, 0.001 .. 8
            const double lev = 1.0 + std::floor(u(gen) * 50.0);
            const double e = marks[s] * (0.97 + 0.06 * u(gen));
            positions[i] = {.account = i,
                            .symbol = s,
                            .mode = margincall::margin_mode::isolated,
                            .quantity = (u(gen) < 0.5 ? 1.0 : -1.0) * std::ceil(coins * e / 10.0),
                            .entry_price = e,
                            .leverage = lev,
                            .isolated_margin = coins / lev * (1.0 + u(gen))};
        }
        // Coin-margined brackets in coin: 0–5 125x 0.4 %, 5–10 100x 0.5 % (cum 0.005), 10–∞ 50x 1 % (cum 0.055).
        const margincall::tier_schedule<double> coin(
            {{0, 5, 125, 0.004, 0.0}, {5, 10, 100, 0.005, 0.005}, {10, std::numeric_limits<double>::infinity(), 50, 0.01, 0.055}});
        it = books.emplace(n, rows_book_fixture<inverse>{{{inverse{10}, inverse{10}},
                                                          {margincall::bracket_table<double>(coin), margincall::bracket_table<double>(coin)},
                                                          accounts,
                                                          positions},
                                                         marks})
                 .first;
    }
    return it->second;
}
template <class Fixture>
void book_remark(benchmark::State& state, const Fixture& f) {
    const double bandwidth = read_bandwidth(f.book.columns().bytes());
    for (auto _ : state) {
        auto totals = margincall::remark(f.book, std::span<const double>(f.marks));
        benchmark::DoNotOptimize(totals);
    }
    const auto bytes = static_cast<double>(f.book.columns().bytes());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(f.book.positions()));
    state.counters["bandwidth_fraction"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * bytes / bandwidth, benchmark::Counter::kIsRate);
}
// Cross pools (1–3 legs, symbols mixed within every block): the pooled pass.
void BM_book_remark_cross(benchmark::State& state) {
    book_remark(state, shared_cross_book(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_book_remark_cross)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
// Isolated inverse (coin-margined) positions kept by symbol.
void BM_book_remark_inverse(benchmark::State& state) {
    book_remark(state, shared_inverse_book(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_book_remark_inverse)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// A mixed book: USDT accounts (cross, 1–3 linear legs) and BTC accounts (one inverse leg), run
// through any_contract and the generic pass: the case the vectorised pass does not yet cover.
void BM_book_remark_mixed(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));  // accounts
    using any = margincall::any_contract<double>;
    std::vector<margincall::account_row<double>> accounts(n);
    std::vector<margincall::position_row<double>> positions;
    positions.reserve(2 * n);
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::vector<double> marks{20000.0, 1500.0, 20000.0};
    for (std::size_t a = 0; a < n; ++a) {
        const bool coin = a % 4 == 3;
        accounts[a].wallet_balance = coin ? 0.1 + u(gen) : 1000.0 + 10000.0 * u(gen);
        const std::size_t legs = coin ? 1 : 1 + a % 2;
        for (std::size_t l = 0; l < legs; ++l) {
            const std::size_t s = coin ? 2 : l;
            const double size = coin ? 1.0 + 100.0 * u(gen) : (s == 0 ? 0.01 + u(gen) : 0.1 + 10.0 * u(gen));
            positions.push_back({.account = a,
                                 .symbol = s,
                                 .quantity = u(gen) < 0.5 ? size : -size,
                                 .entry_price = marks[s] * (0.97 + 0.06 * u(gen)),
                                 .leverage = 1.0 + std::floor(u(gen) * 20.0)});
        }
    }
    const margincall::book<any, schedule> b({linear{}, linear{}, margincall::inverse_contract<double>{100}},
                                            {btcusdt(), ethusdt(), btcusdt()}, accounts, positions);
    const double bandwidth = read_bandwidth(b.columns().bytes());
    for (auto _ : state) {
        auto totals = margincall::remark(b, std::span<const double>(marks));
        benchmark::DoNotOptimize(totals);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(b.positions()));
    state.counters["bandwidth_fraction"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(b.columns().bytes()) / bandwidth,
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_book_remark_mixed)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Re-mark writing every per-pool output (equity, IM, MM, call amount, status).
void BM_position_book_remark_outputs(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& f = shared_book(n);
    // Output columns on huge pages too, as the book's own columns are.
    std::vector<double, margincall::column_allocator<double>> equity(n), im(n), mm(n), call(n);
    std::vector<margincall::margin_status, margincall::column_allocator<margincall::margin_status>> status(n);
    const std::size_t written = n * (4 * sizeof(double) + sizeof(margincall::margin_status));
    const double bandwidth = read_bandwidth(f.book.bytes() + written);
    const margincall::status_thresholds<double> t{};
    for (auto _ : state) {
        auto totals = margincall::remark<linear, margincall::bracket_table<double>, double>(
            f.book, f.contracts, f.models, f.marks, t, {equity, im, mm, call, status});
        benchmark::DoNotOptimize(totals);
        benchmark::DoNotOptimize(equity.data());
        benchmark::ClobberMemory();
    }
    const auto bytes = static_cast<double>(f.book.bytes() + written);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    state.counters["bandwidth_fraction"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * bytes / bandwidth, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_position_book_remark_outputs)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// The reference itself as a benchmark: read (sum) and copy over the book's byte size.
void BM_memory_read(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::size_t bytes = shared_book(n).book.bytes();
    std::vector<std::uint64_t> buffer(bytes / sizeof(std::uint64_t), 1);
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (const std::uint64_t x : buffer) sum += x;
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * buffer.size() * sizeof(std::uint64_t)));
}
BENCHMARK(BM_memory_read)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_memory_copy(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::size_t bytes = shared_book(n).book.bytes();
    std::vector<std::uint64_t> from(bytes / sizeof(std::uint64_t), 1), to(from.size());
    for (auto _ : state) {
        std::memcpy(to.data(), from.data(), from.size() * sizeof(std::uint64_t));
        benchmark::DoNotOptimize(to.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 2 * from.size() * sizeof(std::uint64_t)));
}
BENCHMARK(BM_memory_copy)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// One cross account with `range(0)` positions over two symbols: live evaluation and a preview.
using account_t = margincall::account<linear, schedule>;

struct account_fixture {
    schedule btc = btcusdt(), eth = ethusdt();
    account_t account{1e7};
    std::vector<double> marks;
};

void fill_account(account_fixture& f, std::size_t legs) {
    for (std::size_t s = 0; s < legs; ++s) {
        const auto& sched = (s & 1u) != 0 ? f.eth : f.btc;
        const double price = (s & 1u) != 0 ? 1500.0 : 20000.0;
        f.account.add_position({sched,
                                {.symbol = s,
                                 .leverage = 10,
                                 .quantity = (s % 3 == 0 ? -1.0 : 1.0) * 10000.0 / price,
                                 .entry_price = price}});
        f.marks.push_back(price * 1.01);
    }
}

void BM_account_evaluate(benchmark::State& state) {
    account_fixture f;
    fill_account(f, static_cast<std::size_t>(state.range(0)));
    std::vector<margincall::position_figures<double>> figures(f.account.positions().size());
    std::vector<margincall::margin_summary<double>> pools(figures.size());
    for (auto _ : state) {
        auto cross = f.account.evaluate(f.marks, figures, pools);
        benchmark::DoNotOptimize(cross);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_account_evaluate)->Arg(2)->Arg(16)->Arg(128);

void BM_account_preview(benchmark::State& state) {
    account_fixture f;
    fill_account(f, static_cast<std::size_t>(state.range(0)));
    const margincall::order<double> o{0, margincall::position_side::both, 0.1, 20000.0};
    for (auto _ : state) {
        auto p = f.account.preview(o, f.marks);
        benchmark::DoNotOptimize(p);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_account_preview)->Arg(2)->Arg(16)->Arg(128);

void BM_account_max_order_quantity(benchmark::State& state) {
    account_fixture f;
    fill_account(f, static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        auto q = f.account.max_order_quantity(0, margincall::position_side::both, margincall::side::long_side, 20000.0,
                                              f.marks);
        benchmark::DoNotOptimize(q);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_account_max_order_quantity)->Arg(2)->Arg(16);

}  // namespace
