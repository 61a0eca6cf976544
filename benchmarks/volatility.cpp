// Benchmarks of volatility/ (EWMA, GARCH(1,1) filter and fit) and of the VaR/ES backtests in
// risk/backtest_*.hpp. Work sizes are arguments; items/s counts returns (or days) processed.
#include <margincall/risk/backtest_acerbi_szekely.hpp>
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_exceptions.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/backtest_traffic_light.hpp>
#include <margincall/volatility/ewma.hpp>
#include <margincall/volatility/garch11.hpp>
#include <margincall/volatility/garch11_fit.hpp>
#include <margincall/volatility/garch_family_fit.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace {

// A GARCH(1,1)-t path (ω = 2e-6, α = 0.08, β = 0.90, ν = 6) from a fixed seed.
std::vector<double> garch_path(std::size_t n, std::uint64_t seed = 42) {
    std::mt19937_64 g(seed);
    std::student_t_distribution<double> t(6.0);
    const double scale = std::sqrt(4.0 / 6.0);
    double h = 2e-6 / 0.02;
    std::vector<double> r(n);
    for (auto& x : r) {
        x = std::sqrt(h) * t(g) * scale;
        h = 2e-6 + 0.08 * x * x + 0.90 * h;
    }
    return r;
}

void BM_ewma_variance_filter(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto r = garch_path(n);
    std::vector<double> v(n);
    const margincall::ewma_variance<double> ewma;
    for (auto _ : state) {
        benchmark::DoNotOptimize(ewma.filter_unchecked(r, 1e-4, v));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * 2 * static_cast<std::int64_t>(sizeof(double)));
}
BENCHMARK(BM_ewma_variance_filter)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

void BM_garch11_filter(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto r = garch_path(n);
    std::vector<double> v(n);
    const margincall::garch11<double> g(2e-6, 0.08, 0.90);
    for (auto _ : state) {
        benchmark::DoNotOptimize(g.filter_unchecked(r, 1e-4, v));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * 2 * static_cast<std::int64_t>(sizeof(double)));
}
BENCHMARK(BM_garch11_filter)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

void BM_garch11_log_likelihood_student_t(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto r = garch_path(n);
    const margincall::garch11<double> g(2e-6, 0.08, 0.90, 6.0);
    for (auto _ : state) benchmark::DoNotOptimize(g.log_likelihood_unchecked(r, 1e-4));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_garch11_log_likelihood_student_t)->Arg(2500)->Arg(1 << 16);

// One full fit (optimisation + Hessian + sandwich) of 2 500 daily returns (about ten years).
void fit_benchmark(benchmark::State& state, margincall::garch_innovation innovation) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto r = garch_path(n);
    for (auto _ : state) benchmark::DoNotOptimize(margincall::fit_garch11<double>(r, innovation));
    state.SetItemsProcessed(state.iterations() * state.range(0));  // returns per second
    state.counters["fits"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_garch11_fit_normal(benchmark::State& state) { fit_benchmark(state, margincall::garch_innovation::normal); }
void BM_garch11_fit_student_t(benchmark::State& state) { fit_benchmark(state, margincall::garch_innovation::student_t); }
BENCHMARK(BM_garch11_fit_normal)->Arg(2500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_garch11_fit_student_t)->Arg(2500)->Unit(benchmark::kMillisecond);

// Backtests over a hit sequence of n days with a 1 % exception rate.
std::unique_ptr<bool[]> hit_sequence(std::size_t n) {
    std::mt19937_64 g(7);
    std::bernoulli_distribution b(0.01);
    auto hits = std::make_unique<bool[]>(n);
    for (std::size_t i = 0; i < n; ++i) hits[i] = b(g);
    return hits;
}

void BM_var_exceptions(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto losses = garch_path(n);
    const std::vector<double> var(n, 0.025);
    auto hits = std::make_unique<bool[]>(n);
    for (auto _ : state) {
        benchmark::DoNotOptimize(margincall::var_exceptions<double>(losses, var, std::span<bool>(hits.get(), n)));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * (2 * static_cast<std::int64_t>(sizeof(double)) + 1));
}
BENCHMARK(BM_var_exceptions)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

void BM_kupiec_test(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto hits = hit_sequence(n);
    for (auto _ : state)
        benchmark::DoNotOptimize(margincall::kupiec_test(std::span<const bool>(hits.get(), n), 0.99));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_kupiec_test)->Arg(250)->Arg(1 << 16);

void BM_christoffersen_test(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto hits = hit_sequence(n);
    for (auto _ : state)
        benchmark::DoNotOptimize(margincall::christoffersen_test(std::span<const bool>(hits.get(), n), 0.99));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_christoffersen_test)->Arg(250)->Arg(1 << 16);

// Building the zone table scans the binomial CDF once per count up to the red zone.
void BM_traffic_light_zones(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(margincall::basel_traffic_light<double>(n, 0.99).red_begin());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_traffic_light_zones)->Arg(250)->Arg(10000);

// Z2 with M Monte Carlo paths of 250 standard normal days: items = simulated days.
void BM_acerbi_szekely_z2_test(benchmark::State& state) {
    const std::size_t t = 250;
    const auto m = static_cast<std::size_t>(state.range(0));
    std::mt19937_64 g(1);
    std::normal_distribution<double> n;
    std::vector<double> losses(t);
    for (auto& l : losses) l = n(g);
    const std::vector<double> var(t, 1.9599639845400536), es(t, 2.3378027922014155);
    for (auto _ : state) {
        auto sampler = [d = std::normal_distribution<double>()](std::size_t, std::mt19937_64& gen) mutable {
            return d(gen);
        };
        benchmark::DoNotOptimize(
            margincall::acerbi_szekely_z2_test<double>(losses, var, es, 0.975, sampler, g, m).p_value);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(t));
}
BENCHMARK(BM_acerbi_szekely_z2_test)->Arg(1000)->Unit(benchmark::kMillisecond);

// A full garch_family fit (mean and variance jointly, Nelder–Mead + Hessian standard errors) of
// 2 500 daily returns of the GARCH-t path above, in percent (the scale fGarch users fit).
void family_fit_benchmark(benchmark::State& state, margincall::garch_variance variance,
                          margincall::garch_innovation innovation) {
    auto r = garch_path(static_cast<std::size_t>(state.range(0)));
    for (auto& x : r) x *= 100;
    const margincall::garch_family_spec spec{variance, margincall::garch_mean::constant, innovation};
    std::size_t evaluations = 0;
    for (auto _ : state) {
        const auto fit = margincall::fit_garch_family<double>(r, spec);
        evaluations = fit.evaluations;
        benchmark::DoNotOptimize(fit.log_likelihood);
    }
    state.counters["fits"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["evaluations"] = static_cast<double>(evaluations);
}
BENCHMARK_CAPTURE(family_fit_benchmark, garch_normal, margincall::garch_variance::garch, margincall::garch_innovation::normal)
    ->Arg(2500)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(family_fit_benchmark, garch_student_t, margincall::garch_variance::garch, margincall::garch_innovation::student_t)
    ->Arg(2500)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(family_fit_benchmark, gjr_normal, margincall::garch_variance::gjr, margincall::garch_innovation::normal)
    ->Arg(2500)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(family_fit_benchmark, gjr_student_t, margincall::garch_variance::gjr, margincall::garch_innovation::student_t)
    ->Arg(2500)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(family_fit_benchmark, egarch_normal, margincall::garch_variance::egarch, margincall::garch_innovation::normal)
    ->Arg(2500)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(family_fit_benchmark, egarch_student_t, margincall::garch_variance::egarch, margincall::garch_innovation::student_t)
    ->Arg(2500)->Unit(benchmark::kMillisecond);

}  // namespace
