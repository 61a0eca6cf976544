// Benchmarks of the risk/ estimators. Each historical benchmark reports, from the same run, the
// ratio of its time to a plain read pass over the same bytes (memory passes), to copy +
// std::nth_element, and to copy + std::sort.
#include <margincall/risk/historical_simulation.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <vector>

namespace {

// Student-t(3) daily losses, fixed seed, cached per size.
const std::vector<double>& losses(std::size_t n) {
    static std::map<std::size_t, std::vector<double>> cache;
    auto& v = cache[n];
    if (v.empty()) {
        std::mt19937_64 gen(42);
        std::student_t_distribution<double> t3(3.0);
        v.resize(n);
        for (auto& x : v) x = 0.01 * t3(gen);
    }
    return v;
}

// Thread CPU time: the machine is shared, so wall time would count other processes' work.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The best of a few calls (least disturbed by the shared machine).
template <class F>
double seconds_per_call(F&& f, int repeats) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const double t0 = cpu_seconds();
        f();
        best = std::min(best, cpu_seconds() - t0);
    }
    return best;
}

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

}  // namespace
