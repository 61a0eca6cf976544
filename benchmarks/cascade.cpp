// Benchmarks of the cascade/ layer. A full cascade through 10^6 and 10^7 accounts to its fixed
// point is reported with its ratio to one std::sort of the book's (liquidation price, id) index
// measured in the same run (target: ≤ 3 sorts); a small shock on both sizes shows that a
// step's cost follows the accounts it liquidates, not the size of the book.
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/depth_profile_impact.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace {

using namespace margincall;

// 80 % longs, 20 % shorts, entered at 100 (the start price, so nobody starts liquidatable),
// leverage 5x–100x, maintenance rate 0.5 %–1 %.
// Sizes 0.5–1.5 base units: the long side is ≈ 0.8·n units.
const liquidation_book<double>& book(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<liquidation_book<double>>> cache;
    auto& b = cache[n];
    if (!b) {
        std::mt19937_64 gen(42);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<double> q(n), e(n), c(n), m(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double size = 0.5 + u(gen);
            q[i] = u(gen) < 0.8 ? size : -size;
            e[i] = 100.0;
            c[i] = size * e[i] / (5.0 + 95.0 * u(gen));
            m[i] = 0.005 + 0.005 * u(gen);
        }
        b = std::make_unique<liquidation_book<double>>(q, e, c, m);
    }
    return *b;
}

// Seconds of one std::sort of the book's (liquidation price, id) index, from an unsorted copy.
double sort_seconds(std::size_t n) {
    static std::map<std::size_t, double> cache;
    auto& s = cache[n];
    if (s == 0.0) {
        const auto& b = book(n);
        std::vector<book_index_entry<double>> index(n);
        for (std::size_t i = 0; i < n; ++i) index[i] = {b.liquidation_price(i), static_cast<std::uint32_t>(i)};
        const auto start = std::chrono::steady_clock::now();
        std::sort(index.begin(), index.end(), [](const auto& x, const auto& y) {
            return x.price != y.price ? x.price > y.price : x.account < y.account;
        });
        s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        benchmark::DoNotOptimize(index.data());
    }
    return s;
}

void BM_cascade_sort_book(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = book(n);
    std::vector<book_index_entry<double>> unsorted(n);
    for (std::size_t i = 0; i < n; ++i) unsorted[i] = {b.liquidation_price(i), static_cast<std::uint32_t>(i)};
    std::vector<book_index_entry<double>> index;
    for (auto _ : state) {
        state.PauseTiming();
        index = unsorted;
        state.ResumeTiming();
        std::sort(index.begin(), index.end(), [](const auto& x, const auto& y) {
            return x.price != y.price ? x.price > y.price : x.account < y.account;
        });
        benchmark::DoNotOptimize(index.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_cascade_sort_book)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// A −3 % shock under linear impact (λ = 30/n: λ × long side = 24 % of the price): a runaway cascade
// through most of the longs. The fund is large, so no step ranks the book for ADL.
template <class Impact>
void run_full_cascade(benchmark::State& state, Impact impact) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = book(n);
    using sim = cascade_simulator<double, Impact, full_close>;
    const sim s(std::move(impact), {typename sim::venue{&b, {}, {1e12, 0.005, residual_loss::auto_deleveraging}, {}}},
                cascade_options{100000, false});
    const auto shock = exogenous_shock<double>::instant(100.0, -0.03);
    cascade_workspace<double> ws;
    auto warm = s.run(shock, ws);  // binds the workspace: one O(book) copy, outside the timing
    benchmark::DoNotOptimize(warm);
    double seconds = 0.0;
    std::size_t liquidated = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        auto out = s.run(shock, ws);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        liquidated = out.venues[0].liquidated_count;
        benchmark::DoNotOptimize(out);
    }
    const double per_run = seconds / static_cast<double>(state.iterations());
    state.counters["liquidated"] = static_cast<double>(liquidated);
    state.counters["ratio_to_sort"] = per_run / sort_seconds(n);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(liquidated));
}

void BM_cascade_fixed_point_linear(benchmark::State& state) {
    run_full_cascade(state, linear_impact<double>(30.0 / static_cast<double>(state.range(0))));
}
BENCHMARK(BM_cascade_fixed_point_linear)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_cascade_fixed_point_depth(benchmark::State& state) {
    // Depth 2.5·n on each side, most of it far from the price.
    const double n = static_cast<double>(state.range(0));
    const std::array<depth_band<double>, 3> bands{{{0.01, n / 6.0}, {0.05, n * 2.0 / 3.0}, {0.3, n * 5.0 / 3.0}}};
    run_full_cascade(state, depth_profile_impact<double>(bands, 0.1));
}
BENCHMARK(BM_cascade_fixed_point_depth)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// A shock to the 1,000th highest long liquidation price, no impact: the same ~1,000
// liquidations on both sizes; the time should not grow with the book.
void BM_cascade_small_shock(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = book(n);
    using sim = cascade_simulator<double>;
    const sim s(linear_impact<double>(0.0), {sim::venue{&b, {}, {1e12, 0.005, residual_loss::auto_deleveraging}, {}}},
                cascade_options{100000, false});
    const double target = b.longs_by_liquidation_price()[1000].price;
    const auto shock = exogenous_shock<double>::instant(100.0, target / 100.0 - 1.0);
    cascade_workspace<double> ws;
    auto warm = s.run(shock, ws);
    benchmark::DoNotOptimize(warm);
    std::size_t liquidated = 0;
    for (auto _ : state) {
        auto out = s.run(shock, ws);
        liquidated = out.venues[0].liquidated_count;
        benchmark::DoNotOptimize(out);
    }
    state.counters["liquidated"] = static_cast<double>(liquidated);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(liquidated));
}
BENCHMARK(BM_cascade_small_shock)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace
