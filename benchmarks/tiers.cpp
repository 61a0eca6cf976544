// Benchmarks of the tiers/ layer: bracket lookup (branch-free binary search over the floors)
// against std::upper_bound and a plain linear scan of the same floors, maintenance margin over a book of notionals, and the
// other margin-rate shapes. Books are log-uniform notionals over the whole Binance BTCUSDT
// table (so every tier is hit and branch prediction cannot learn the tier), fixed seed.
#include <margincall/tiers/arithmetic_tiers.hpp>
#include <margincall/tiers/linear_size_rate.hpp>
#include <margincall/tiers/open_interest_scaled.hpp>
#include <margincall/tiers/sqrt_size_premium.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace {

// Binance BTCUSDT brackets (tests/reference/binance_btcusdt_brackets.csv).
const margincall::tier_schedule<double>& btcusdt() {
    static const margincall::tier_schedule<double> s{{{0, 50e3, 125, 0.004},
                                                      {50e3, 250e3, 100, 0.005},
                                                      {250e3, 3e6, 50, 0.01},
                                                      {3e6, 20e6, 20, 0.025},
                                                      {20e6, 40e6, 10, 0.05},
                                                      {40e6, 100e6, 5, 0.1},
                                                      {100e6, 120e6, 4, 0.125},
                                                      {120e6, 200e6, 3, 0.15},
                                                      {200e6, 300e6, 2, 0.25},
                                                      {300e6, 500e6, 1, 0.5}}};
    return s;
}

// Notionals log-uniform in [10, 6·10⁸): every tier, and some beyond the last cap.
const std::vector<double>& book(std::size_t n) {
    static std::map<std::size_t, std::vector<double>> cache;
    auto& v = cache[n];
    if (v.empty()) {
        std::mt19937_64 gen(42);
        std::uniform_real_distribution<double> u(std::log(10.0), std::log(6e8));
        v.resize(n);
        for (auto& x : v) x = std::exp(u(gen));
    }
    return v;
}

void set_counters(benchmark::State& state, std::size_t n) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n * sizeof(double)));
}

void BM_tier_schedule_lookup(benchmark::State& state) {
    const auto& s = btcusdt();
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        std::size_t sum = 0;
        for (const double v : x) sum += s.tier_index(v);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_tier_schedule_lookup)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

// Baseline: std::upper_bound over the same floors (a branchy binary search).
void BM_tier_schedule_lookup_std_upper_bound(benchmark::State& state) {
    std::vector<double> floors;
    for (const auto& t : btcusdt().tiers()) floors.push_back(t.floor);
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        std::size_t sum = 0;
        for (const double v : x)
            sum += static_cast<std::size_t>(std::upper_bound(floors.begin() + 1, floors.end(), v) - floors.begin() - 1);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_tier_schedule_lookup_std_upper_bound)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

// Baseline: a linear scan of the same 10 floors (what most bots do).
void BM_tier_schedule_lookup_linear_scan(benchmark::State& state) {
    std::vector<double> floors;
    for (const auto& t : btcusdt().tiers()) floors.push_back(t.floor);
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        std::size_t sum = 0;
        for (const double v : x) {
            std::size_t i = 0;
            while (i + 1 < floors.size() && v >= floors[i + 1]) ++i;
            sum += i;
        }
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_tier_schedule_lookup_linear_scan)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

void BM_tier_schedule_maintenance_margin(benchmark::State& state) {
    const auto& s = btcusdt();
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        double sum = 0;
        for (const double v : x) sum += s.maintenance_margin(v);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_tier_schedule_maintenance_margin)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

// Construction with validation and the cum recursion (done once per table change).
void BM_tier_schedule_construct(benchmark::State& state) {
    std::vector<margincall::bracket<double>> rows;
    for (const auto& t : btcusdt().tiers()) rows.push_back({t.floor, t.cap, t.max_leverage, t.maintenance_rate});
    for (auto _ : state) {
        margincall::tier_schedule<double> s{rows};
        benchmark::DoNotOptimize(s.tiers().data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_tier_schedule_construct);

// OKX-style arithmetic tiers in notional: 3 listed tiers, then a generated tail (O(1) lookup).
void BM_arithmetic_tiers_maintenance_margin(benchmark::State& state) {
    const margincall::arithmetic_tiers<double> a{
        margincall::tier_schedule<double>{{{0, 50e3, 125, 0.004}, {50e3, 250e3, 100, 0.005}, {250e3, 3e6, 50, 0.01}}},
        1e6, 0.005, 0.01};
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        double sum = 0;
        for (const double v : x) sum += a.maintenance_margin(v, 0.0);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_arithmetic_tiers_maintenance_margin)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

// Deribit BTC_USDC linear rate; quantity = notional / 100,000.
void BM_linear_size_rate_maintenance_margin(benchmark::State& state) {
    const margincall::linear_size_rate<double> m{0.02, 0.01, 0.00005};
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        double sum = 0;
        for (const double v : x) sum += m.maintenance_margin(v, v * 1e-5);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_linear_size_rate_maintenance_margin)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

// Drift-style size premium: one sqrt per position.
void BM_sqrt_size_premium_maintenance_margin(benchmark::State& state) {
    const margincall::sqrt_size_premium<double> m{0.1, 0.05, 0.001};
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        double sum = 0;
        for (const double v : x) sum += m.maintenance_margin(v, v * 1e-5);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_sqrt_size_premium_maintenance_margin)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

// dYdX open-interest IMF: the effective fraction is cached at set_open_interest.
void BM_open_interest_scaled_max_leverage(benchmark::State& state) {
    const margincall::open_interest_scaled<double> m{0.2, 0.5, 25e6, 50e6, 30e6};
    const auto& x = book(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        double sum = 0;
        for (const double v : x) sum += m.max_leverage(v, 0.0);
        benchmark::DoNotOptimize(sum);
    }
    set_counters(state, x.size());
}
BENCHMARK(BM_open_interest_scaled_max_leverage)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

}  // namespace
