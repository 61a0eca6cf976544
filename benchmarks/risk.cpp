// Benchmarks of the risk/ estimators. Each historical benchmark reports, from the same run, the
// ratio of its time to a plain read pass over the same bytes (memory passes), to copy +
// std::nth_element, and to copy + std::sort.
// GCC 12 at -O3 -march=native reports a false -Wmaybe-uninitialized inside its own
// avx512fintrin.h when inlining Eigen's AVX-512 packet code; it is not in our code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/risk/streaming_tail.hpp>

#include "risk_data.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <span>
#include <utility>
#include <random>
#include <vector>

namespace {

using margincall_bench::cpu_seconds;
using margincall_bench::losses;
using margincall_bench::seconds_per_call;

// One read pass over the sample: the memory-bandwidth floor of any exact estimator.
double read_pass(const std::vector<double>& x) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const std::size_t n = x.size() & ~std::size_t{3};
    for (std::size_t i = 0; i < n; i += 4) {
        s0 += x[i];
        s1 += x[i + 1];
        s2 += x[i + 2];
        s3 += x[i + 3];
    }
    return s0 + s1 + s2 + s3;
}

double copy_nth_element(const std::vector<double>& x, std::vector<double>& scratch, double alpha) {
    scratch.assign(x.begin(), x.end());
    const auto k = static_cast<std::ptrdiff_t>(static_cast<double>(x.size()) * alpha);
    std::nth_element(scratch.begin(), scratch.begin() + k, scratch.end());
    return scratch[static_cast<std::size_t>(k)];
}

double copy_sort(const std::vector<double>& x, std::vector<double>& scratch, double alpha) {
    scratch.assign(x.begin(), x.end());
    std::sort(scratch.begin(), scratch.end());
    return scratch[static_cast<std::size_t>(static_cast<double>(x.size()) * alpha)];
}

void report_ratios(benchmark::State& state, const std::vector<double>& x, double ours_seconds, double alpha) {
    std::vector<double> scratch;
    const double t_read = seconds_per_call([&] { benchmark::DoNotOptimize(read_pass(x)); }, 5);
    const double t_nth = seconds_per_call([&] { benchmark::DoNotOptimize(copy_nth_element(x, scratch, alpha)); }, 3);
    const double t_sort = seconds_per_call([&] { benchmark::DoNotOptimize(copy_sort(x, scratch, alpha)); }, 1);
    state.counters["memory_passes"] = ours_seconds / t_read;
    state.counters["bandwidth_fraction"] = t_read / ours_seconds;
    state.counters["x_vs_nth_element"] = t_nth / ours_seconds;
    state.counters["x_vs_sort"] = t_sort / ours_seconds;
}

void BM_historical_simulation_var_es(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& x = losses(n);
    const margincall::historical_simulation<double> hs;
    margincall::historical_workspace<double> ws;
    benchmark::DoNotOptimize(hs.estimate(x, 0.99, ws));  // grow the workspace once
    for (auto _ : state) benchmark::DoNotOptimize(hs.estimate(x, 0.99, ws));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(sizeof(double)));
    const double ours = seconds_per_call([&] { benchmark::DoNotOptimize(hs.estimate(x, 0.99, ws)); }, 5);
    report_ratios(state, x, ours, 0.99);
}
BENCHMARK(BM_historical_simulation_var_es)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_historical_simulation_type7_pnl(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& x = losses(n);
    const margincall::historical_simulation<double> hs{margincall::quantile_type::type7,
                                                       margincall::sample_sign::profit_and_loss};
    margincall::historical_workspace<double> ws;
    for (auto _ : state) benchmark::DoNotOptimize(hs.estimate(x, 0.99, ws));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(sizeof(double)));
}
BENCHMARK(BM_historical_simulation_type7_pnl)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_baseline_read_pass(benchmark::State& state) {
    const auto& x = losses(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(read_pass(x));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(sizeof(double)));
}
BENCHMARK(BM_baseline_read_pass)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_baseline_copy_nth_element(benchmark::State& state) {
    const auto& x = losses(static_cast<std::size_t>(state.range(0)));
    std::vector<double> scratch;
    for (auto _ : state) benchmark::DoNotOptimize(copy_nth_element(x, scratch, 0.99));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_baseline_copy_nth_element)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_baseline_copy_sort(benchmark::State& state) {
    const auto& x = losses(static_cast<std::size_t>(state.range(0)));
    std::vector<double> scratch;
    for (auto _ : state) benchmark::DoNotOptimize(copy_sort(x, scratch, 0.99));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_baseline_copy_sort)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// The streaming estimator fed in batches of 64 Ki values, as from a file or a socket.
void BM_streaming_tail_push(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& x = losses(n);
    constexpr std::size_t batch = 1 << 16;
    for (auto _ : state) {
        auto tail = margincall::streaming_tail<double>::for_sample_size(n, 0.99);
        for (std::size_t at = 0; at < n; at += batch)
            tail.push(std::span<const double>(x.data() + at, std::min(batch, n - at)));
        benchmark::DoNotOptimize(tail.result(0.99));
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(sizeof(double)));
    const double ours = seconds_per_call(
        [&] {
            auto tail = margincall::streaming_tail<double>::for_sample_size(n, 0.99);
            for (std::size_t at = 0; at < n; at += batch)
                tail.push(std::span<const double>(x.data() + at, std::min(batch, n - at)));
            benchmark::DoNotOptimize(tail.result(0.99));
        },
        3);
    report_ratios(state, x, ours, 0.99);
}
BENCHMARK(BM_streaming_tail_push)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// A 100-factor model: covariance A Aᵀ/k + diag, fixed seed.
const margincall::monte_carlo_var<double>& factor_model(Eigen::Index k, double nu) {
    static std::map<std::pair<Eigen::Index, double>, margincall::monte_carlo_var<double>> cache;
    const auto key = std::make_pair(k, nu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    std::mt19937_64 gen(7);
    std::normal_distribution<double> normal(0.0, 0.01);
    Eigen::MatrixXd a(k, k);
    for (Eigen::Index i = 0; i < k; ++i)
        for (Eigen::Index j = 0; j < k; ++j) a(i, j) = normal(gen);
    Eigen::MatrixXd cov = a * a.transpose() / static_cast<double>(k);
    cov.diagonal().array() += 1e-4;
    return cache.emplace(key, margincall::monte_carlo_var<double>(Eigen::VectorXd::Zero(k), cov, nu)).first->second;
}

// Monte Carlo VaR of a linear book: scenarios × factors normals drawn (the cost), then VaR/ES.
void BM_monte_carlo_var_linear(benchmark::State& state) {
    const auto scenarios = static_cast<std::size_t>(state.range(0));
    const Eigen::Index k = state.range(1);
    const auto& mc = factor_model(k, state.range(2) == 0 ? std::numeric_limits<double>::infinity() : 5.0);
    const std::vector<double> positions(static_cast<std::size_t>(k), 1.0);
    std::vector<double> out(scenarios);
    margincall::monte_carlo_options opt;
    opt.scenarios = scenarios;
    opt.antithetic = true;
    std::mt19937_64 gen(1);
    for (auto _ : state) benchmark::DoNotOptimize(mc.linear(positions, 0.99, gen, opt, out));
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["factor_draws_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(scenarios / 2) * static_cast<double>(k),
        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_monte_carlo_var_linear)->Args({100'000, 100, 0})->Args({100'000, 100, 1})->Unit(benchmark::kMillisecond);

// Full revaluation with a linear pricer (so the pricer is cheap and the simulation is measured):
// one 100 × 256 Cholesky product per block.
void BM_monte_carlo_var_full_revaluation(benchmark::State& state) {
    const auto scenarios = static_cast<std::size_t>(state.range(0));
    const Eigen::Index k = state.range(1);
    const auto& mc = factor_model(k, std::numeric_limits<double>::infinity());
    std::vector<double> out(scenarios);
    margincall::monte_carlo_options opt;
    opt.scenarios = scenarios;
    std::mt19937_64 gen(1);
    const auto pricer = [](std::span<const double> x) {
        double v = 0;
        for (const double xi : x) v += xi;
        return v;
    };
    for (auto _ : state) benchmark::DoNotOptimize(mc.full_revaluation(pricer, 0.99, gen, opt, out));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_monte_carlo_var_full_revaluation)->Args({100'000, 100})->Unit(benchmark::kMillisecond);

}  // namespace
