// Benchmarks of the parallel/ layer on oneTBB arenas of 1 and 2 workers (built only where oneTBB
// is found): compute-bound Monte Carlo (full-revaluation VaR of an option book, cascade Monte
// Carlo of bad debt), whose 2-worker speed-up is the figure, and bandwidth-bound passes
// (sharded re-mark, historical VaR/ES over many portfolios and of one large sample), reported as
// a fraction of the multi-threaded read bandwidth of this binary. Two clocks: wall time (the
// speed-up a user sees, meaningful only on an otherwise idle machine) and the process CPU time
// of all workers per iteration (`process_cpu_ms`, robust to other processes' load: equal for 1
// and 2 workers means no parallel overhead). The bandwidth fraction compares process CPU time:
// that of one chunked read pass over the same bytes on the same arena over that of the workload.
// The historical rows also report `same_bytes_fraction`: wall time of a read pass over the
// workload's own input, run before every iteration on the same arena, over the workload's wall
// time (the two interleaved, so cache state and other processes' load fall on both alike; the
// cached reference reads a fresh buffer once, at whatever load there was then).
// docs/performance.md and docs/scaling.md hold the figures.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 false positive in Eigen's AVX-512 code
#endif

#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/parallel/historical_batch.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/philox.hpp>
#include <margincall/parallel/remark_shards.hpp>
#include <margincall/parallel/tail_merge.hpp>
#include <margincall/parallel/tbb_executor.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <ctime>
#include <span>
#include <utility>
#include <vector>

namespace {

using margincall::tbb_executor;

const tbb_executor& arena(std::size_t workers) {
    static std::map<std::size_t, std::unique_ptr<tbb_executor>> arenas;
    auto& a = arenas[workers];
    if (!a) a = std::make_unique<tbb_executor>(workers);
    return *a;
}

double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// One chunked integer read pass over `words` 64-bit words at `data` on `exec` (chunks of 2^16
// words, summed in chunk order): the reference of both bandwidth fractions.
std::uint64_t read_pass(const tbb_executor& exec, const std::uint64_t* data, std::size_t words) {
    const margincall::fixed_chunks chunks(words, std::size_t{1} << 16);
    return margincall::ordered_reduce(
        exec, chunks, std::uint64_t{0},
        [&](std::size_t b, std::size_t e) {
            std::uint64_t s = 0;
            for (std::size_t i = b; i < e; ++i) s += data[i];
            return s;
        },
        [](std::uint64_t x, std::uint64_t y) { return x + y; });
}

// Process CPU seconds of one chunked integer read pass over `bytes` on `workers` workers (the
// best of a few): the multi-threaded read bandwidth of this binary is bytes over that time.
double read_pass_cpu_seconds(std::size_t bytes, std::size_t workers) {
    static std::map<std::pair<std::size_t, std::size_t>, double> cache;
    const auto key = std::make_pair(bytes, workers);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
    const auto& exec = arena(workers);
    std::vector<std::uint64_t> buffer(bytes / sizeof(std::uint64_t) + 1, 1);
    double best = 1e300;
    for (int pass = 0; pass < 6; ++pass) {
        const double t0 = process_cpu_seconds();
        benchmark::DoNotOptimize(read_pass(exec, buffer.data(), buffer.size()));
        best = std::min(best, process_cpu_seconds() - t0);
    }
    return cache[key] = best;
}

// Runs `body` once per iteration, each time right after a read pass over the workload's own
// input bytes on the same arena (paused out of the benchmark's time), and reports both clocks'
// ratio: `same_bytes_fraction` is the wall time of the read pass over that of the workload, the
// two interleaved so that the cache state and any other load fall on both alike.
template <class Body>
double run_interleaved(benchmark::State& state, const tbb_executor& exec, std::span<const double> input, Body&& body) {
    const auto* words = reinterpret_cast<const std::uint64_t*>(input.data());
    double cpu = 0, read_wall = 0, work_wall = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const auto r0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(read_pass(exec, words, input.size()));
        const auto r1 = std::chrono::steady_clock::now();
        read_wall += std::chrono::duration<double>(r1 - r0).count();
        state.ResumeTiming();
        const double t0 = process_cpu_seconds();
        const auto w0 = std::chrono::steady_clock::now();
        body();
        work_wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
        cpu += process_cpu_seconds() - t0;
    }
    state.counters["same_bytes_fraction"] = read_wall / work_wall;
    const double per_iteration = cpu / static_cast<double>(state.iterations());
    state.counters["process_cpu_ms"] = 1e3 * per_iteration;
    return per_iteration;
}

// Runs `body` once per iteration and reports the process CPU time per iteration.
template <class Body>
double run_timed(benchmark::State& state, Body&& body) {
    double cpu = 0;
    for (auto _ : state) {
        const double t0 = process_cpu_seconds();
        body();
        cpu += process_cpu_seconds() - t0;
    }
    const double per_iteration = cpu / static_cast<double>(state.iterations());
    state.counters["process_cpu_ms"] = 1e3 * per_iteration;
    return per_iteration;
}

void report_bandwidth(benchmark::State& state, double bytes, double cpu_per_iteration) {
    const double reference = read_pass_cpu_seconds(static_cast<std::size_t>(bytes), static_cast<std::size_t>(state.range(0)));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    state.counters["bandwidth_fraction"] = reference / cpu_per_iteration;
    state.counters["read_GBps_per_cpu"] = bytes / reference / 1e9;
}

// ---- Full-revaluation Monte Carlo VaR: 30 Black–Scholes options on 3 correlated underlyings.
void BM_mc_full_revaluation(benchmark::State& state) {
    const auto& exec = arena(static_cast<std::size_t>(state.range(0)));
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(3);
    Eigen::MatrixXd cov(3, 3);
    cov << 0.0004, 0.0002, 0.0001, 0.0002, 0.0009, 0.0003, 0.0001, 0.0003, 0.0016;
    const margincall::monte_carlo_var<double> mc(mean, cov);
    const std::array<double, 3> spot{100.0, 50.0, 20.0};
    struct option {
        std::size_t underlying;
        double strike, quantity;
        margincall::option_type type;
    };
    std::vector<option> book;
    for (std::size_t u = 0; u < 3; ++u)
        for (int j = 0; j < 10; ++j)
            book.push_back({u, spot[u] * (0.8 + 0.04 * j), j % 2 == 0 ? 100.0 : -60.0,
                            j % 3 == 0 ? margincall::option_type::put : margincall::option_type::call});
    const auto value = [&](std::span<const double> x) {
        double v = 0;
        for (const auto& o : book) {
            const margincall::option_inputs<double> in{spot[o.underlying] * std::exp(x[o.underlying]), o.strike, 0.25,
                                                       0.03, 0.03, 0.4};
            v += o.quantity * margincall::black_scholes_price(o.type, in);
        }
        return v;
    };
    const std::array<double, 3> zero{0, 0, 0};
    const double base = value(zero);
    const auto pnl = [&](std::span<const double> x) { return value(x) - base; };
    const margincall::philox_streams streams(42);
    const margincall::monte_carlo_options options{20000, false, margincall::quantile_type::type1};
    run_timed(state, [&] {
        const auto r = mc.full_revaluation(pnl, 0.99, streams, options, {}, exec);
        benchmark::DoNotOptimize(r);
    });
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * options.scenarios));
}
BENCHMARK(BM_mc_full_revaluation)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- Cascade Monte Carlo of bad debt: 20 000 accounts, 256 shocks.
void BM_cascade_monte_carlo(benchmark::State& state) {
    const auto& exec = arena(static_cast<std::size_t>(state.range(0)));
    // Account i: size 0.1..5.1 (a golden-ratio sequence), every third one short, leverage
    // 2..42 from a second sequence, entered at 100, MMR 1 %.
    std::vector<double> q(20000), e(20000, 100.0), c(20000), m(20000, 0.01);
    for (std::size_t i = 0; i < q.size(); ++i) {
        const double phase = std::fmod(0.6180339887 * static_cast<double>(i), 1.0);
        const double leverage = 2.0 + 40.0 * std::fmod(0.7548776662 * static_cast<double>(i), 1.0);
        q[i] = (i % 3 == 2 ? -1.0 : 1.0) * (0.1 + 5.0 * phase);
        c[i] = std::round(std::abs(q[i]) * 100.0 / leverage * 100.0) / 100.0;
    }
    const margincall::liquidation_book<double> b(q, e, c, m);
    using sim = margincall::cascade_simulator<double>;
    const sim s(margincall::linear_impact<double>(0.0002),
                {sim::venue{&b, {}, {2000.0, 0.005, margincall::residual_loss::bad_debt}, {}}},
                margincall::cascade_options{1000000, false});
    const auto sampler = [](margincall::philox_stream& stream) {
        return margincall::exogenous_shock<double>::instant_relative(100.0, std::max(-0.5, 0.05 * stream.normal()));
    };
    const margincall::philox_streams streams(2024);
    run_timed(state, [&] {
        const auto d = margincall::cascade_monte_carlo(s, 256, sampler, streams, 0.99,
                                                       margincall::historical_simulation<double>{}, exec);
        benchmark::DoNotOptimize(d.bad_debt_risk);
    });
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 256);
}
BENCHMARK(BM_cascade_monte_carlo)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- Sharded re-mark of 4·10^6 isolated positions (two symbols), shards of 2^16 pools.
struct sharded_book {
    std::vector<margincall::position_book<double>> shards;
    std::vector<margincall::linear_contract<double>> contracts{margincall::linear_contract<double>{}, margincall::linear_contract<double>{}};
    std::vector<margincall::bracket_table<double>> models;
    std::vector<double> marks{20000.0, 1500.0};
    double bytes = 0;
};
const sharded_book& shared_sharded_book() {
    static const sharded_book f = [] {
        const margincall::tier_schedule<double> btc({{0, 50000, 125, 0.004, 0.0},
                                                     {50000, 250000, 100, 0.005, 50.0},
                                                     {250000, 3000000, 50, 0.01, 1300.0},
                                                     {3000000, 20000000, 20, 0.025, 46300.0}});
        sharded_book s;
        s.models = {margincall::bracket_table<double>(btc), margincall::bracket_table<double>(btc)};
        constexpr std::size_t n = 4000000;
        margincall::position_book<double> book;
        book.reserve(n, n);
        std::mt19937_64 gen(42);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t i = 0; i < n; ++i) {
            const auto sym = static_cast<std::uint32_t>(i >= n / 2);
            const double price = s.marks[sym];
            const double lev = 1.0 + std::floor(u(gen) * 50.0);
            const double notional = 100.0 * std::exp(u(gen) * 9.0);
            book.add_pool(notional / lev * (1.0 + u(gen)));
            book.add_position(sym, (u(gen) < 0.5 ? 1.0 : -1.0) * notional / price, price * (0.97 + 0.06 * u(gen)), lev);
        }
        s.shards = margincall::split_book(book, std::size_t{1} << 16);
        for (const auto& shard : s.shards) s.bytes += static_cast<double>(shard.bytes());
        return s;
    }();
    return f;
}
void BM_remark_shards(benchmark::State& state) {
    const auto& exec = arena(static_cast<std::size_t>(state.range(0)));
    const auto& f = shared_sharded_book();
    const margincall::status_thresholds<double> t{};
    const double cpu = run_timed(state, [&] {
        const auto totals = margincall::remark_shards<margincall::linear_contract<double>, margincall::bracket_table<double>, double>(
            f.shards, f.contracts, f.models, f.marks, t, {}, exec);
        benchmark::DoNotOptimize(totals);
    });
    report_bandwidth(state, f.bytes, cpu);
}
BENCHMARK(BM_remark_shards)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- Historical VaR/ES: 100 portfolios of 10^5 P&L (8·10^7 bytes), and one sample of 10^7.
const std::vector<double>& shared_pnl() {
    static const std::vector<double> x = [] {
        std::vector<double> v(10000000);
        std::mt19937_64 gen(42);
        std::student_t_distribution<double> t3(3.0);
        for (auto& y : v) y = 0.01 * t3(gen);
        return v;
    }();
    return x;
}
void BM_historical_many_portfolios(benchmark::State& state) {
    const auto& exec = arena(static_cast<std::size_t>(state.range(0)));
    const auto& x = shared_pnl();
    std::vector<std::span<const double>> samples;
    for (std::size_t p = 0; p < 100; ++p) samples.emplace_back(x.data() + p * 100000, 100000);
    const margincall::historical_simulation<double> est{margincall::quantile_type::type1,
                                                        margincall::sample_sign::profit_and_loss};
    const double cpu = run_interleaved(state, exec, std::span<const double>(x), [&] {
        const auto r = margincall::historical_tail_risks(std::span<const std::span<const double>>(samples), 0.99, est, exec);
        benchmark::DoNotOptimize(r.data());
    });
    report_bandwidth(state, static_cast<double>(x.size() * sizeof(double)), cpu);
}
BENCHMARK(BM_historical_many_portfolios)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_historical_tail_merge(benchmark::State& state) {
    const auto& exec = arena(static_cast<std::size_t>(state.range(0)));
    const auto& x = shared_pnl();
    const double cpu = run_interleaved(state, exec, std::span<const double>(x), [&] {
        const auto r = margincall::historical_tail_risk(exec, std::span<const double>(x), 0.99);
        benchmark::DoNotOptimize(r);
    });
    report_bandwidth(state, static_cast<double>(x.size() * sizeof(double)), cpu);
}
BENCHMARK(BM_historical_tail_merge)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
