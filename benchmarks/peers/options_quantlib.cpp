// Peer benchmark: QuantLib's BlackCalculator (the Black formula on forward, strike, σ√T and the
// discount factor) pricing the same book as BM_option_batch_price_delta in benchmarks/options.cpp,
// one option at a time (QuantLib has no batch API). Built only where QuantLib is installed.
#include <margincall/options/greeks.hpp>

#include "options_book.hpp"

#include <benchmark/benchmark.h>
#include <ql/pricingengines/blackcalculator.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <random>
#include <vector>

namespace {

using margincall_bench::options_book;  // the same book as benchmarks/options.cpp

void BM_option_quantlib_black_calculator(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = options_book(n);
    std::vector<double> price(n);
    std::vector<double> delta(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) {
            const double t = b.expiry[i];
            const double forward = b.spot[i] * std::exp(b.carry[i] * t);
            const double discount = std::exp(-b.rate[i] * t);
            const QuantLib::BlackCalculator calc(
                b.type[i] == margincall::option_type::call ? QuantLib::Option::Call : QuantLib::Option::Put,
                b.strike[i], forward, b.volatility[i] * std::sqrt(t), discount);
            price[i] = calc.value();
            delta[i] = calc.delta(b.spot[i]);
        }
        benchmark::DoNotOptimize(price.data());
        benchmark::DoNotOptimize(delta.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    // Agreement with margincall's scalar Boost.Math pricer on the same book.
    std::size_t within = 0;
    double worst_delta = 0.0;
    double worst_abs_delta = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto g = margincall::black_scholes_greeks(
            b.type[i], margincall::option_inputs<double>{b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i],
                                                         b.volatility[i]});
        within += std::abs(price[i] - g.price) <= 1e-13 * g.price ? 1 : 0;
        worst_abs_delta = std::max(worst_abs_delta, std::abs(delta[i] - g.delta));
        if (std::abs(g.delta) >= 2.2250738585072014e-308)
            worst_delta = std::max(worst_delta, std::abs(delta[i] - g.delta) / std::abs(g.delta));
    }
    state.counters["share_price_within_1e-13"] = static_cast<double>(within) / static_cast<double>(n);
    state.counters["worst_rel_delta_err"] = worst_delta;  // QuantLib's normal CDF is not tail-accurate
    state.counters["worst_abs_delta_err"] = worst_abs_delta;
}
BENCHMARK(BM_option_quantlib_black_calculator)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);

}  // namespace
