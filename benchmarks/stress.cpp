// Benchmarks of stress/: a SPAN risk array (CME's 16 scenarios, full Black–Scholes revaluation)
// over a book of option positions, scalar (Boost.Math CDF per option) and batched (SIMD kernel), the Deribit-style 27-point portfolio-margin grid over the same
// book, and a named-scenario stress run of one account. Items are option positions; the counter
// "revaluations" counts option repricings (17 per position for the risk array: today + 16).
#include <margincall/stress/named_scenarios.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/risk_array_batch.hpp>
#include <margincall/stress/span_margin.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <random>
#include <vector>

namespace {

// A book of n BTC options: strikes 50 %–150 % of spot, expiries 1–180 days, vols 40–90 %,
// quantities ±1…±10, calls and puts; fixed seed.
margincall::stress_book<double> option_book(std::size_t n) {
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<margincall::option_leg<double>> legs(n);
    for (auto& o : legs) {
        o.type = u(gen) < 0.5 ? margincall::option_type::call : margincall::option_type::put;
        o.strike = 100000.0 * (0.5 + u(gen));
        o.expiry = (1.0 + 179.0 * u(gen)) / 365.0;
        o.quantity = (u(gen) < 0.5 ? -1.0 : 1.0) * static_cast<double>(1 + static_cast<int>(10.0 * u(gen)));
        o.volatility = 0.4 + 0.5 * u(gen);
    }
    return {100000.0, std::move(legs), {{3.0}}};
}

void BM_span_margin_risk_array(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto book = option_book(n);
    const margincall::span_parameters<double> p{10000.0, 0.10};
    constexpr auto scenarios = margincall::cme_span_scenarios<double>();
    std::array<double, 16> losses{};
    for (auto _ : state) {
        margincall::span_risk_array(book, p, std::span<const margincall::span_scenario<double>>(scenarios), std::span<double>(losses));
        benchmark::DoNotOptimize(losses.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["revaluations"] = benchmark::Counter(static_cast<double>(state.iterations()) * 17.0 * static_cast<double>(n),
                                                        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_span_margin_risk_array)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

// The same risk array through the vectorised batch kernel (risk_array_batch.hpp).
void BM_risk_array_batch_span(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    margincall::risk_array_batch batch{option_book(n)};
    const margincall::span_parameters<double> p{10000.0, 0.10};
    constexpr auto scenarios = margincall::cme_span_scenarios<double>();
    std::array<double, 16> losses{};
    for (auto _ : state) {
        margincall::span_risk_array(batch, p, std::span<const margincall::span_scenario<double>>(scenarios), std::span<double>(losses));
        benchmark::DoNotOptimize(losses.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["revaluations"] = benchmark::Counter(static_cast<double>(state.iterations()) * 17.0 * static_cast<double>(n),
                                                        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_risk_array_batch_span)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_portfolio_margin_grid(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto book = option_book(n);
    const margincall::portfolio_margin<double> pm;
    for (auto _ : state) {
        auto r = pm.evaluate(book);
        benchmark::DoNotOptimize(r.maintenance_margin);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["revaluations"] = benchmark::Counter(static_cast<double>(state.iterations()) * 28.0 * static_cast<double>(n),
                                                        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_portfolio_margin_grid)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_stress_book_named_scenarios(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto book = option_book(n);
    for (auto _ : state) {
        double worst = 0.0;
        for (const auto& s : margincall::named_scenarios) {
            const double pnl = book.pnl(margincall::to_market_shock<double>(s));
            worst = pnl < worst ? pnl : worst;
        }
        benchmark::DoNotOptimize(worst);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_stress_book_named_scenarios)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
