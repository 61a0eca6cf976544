// Benchmarks of the options/ layer: the vectorised batch price + delta (option_batch.hpp) beside
// a plain scalar loop on std::erfc/std::exp/std::log and one on Boost.Math's normal CDF, run on
// the same book; implied-volatility solves per second. QuantLib's BlackCalculator on the same
// book is in benchmarks/peers/options_quantlib.cpp.
// Each batch benchmark reports, as counters, the worst relative delta error and the share of
// prices within 1e-13 relative of the Boost.Math scalar pricer (measured once per size at setup).
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>
#include <margincall/options/option_batch.hpp>

#include "options_book.hpp"

#include <benchmark/benchmark.h>

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <map>
#include <random>
#include <vector>

namespace {

using book = margincall_bench::options_book_columns;
using margincall_bench::options_book;

// Accuracy of the batch against the scalar Boost.Math pricer (black_scholes_greeks) on the book.
struct accuracy {
    double worst_delta = 0.0;
    double share_price_1e13 = 0.0;
};
accuracy measure_accuracy(const book& b, const std::vector<double>& price, const std::vector<double>& delta) {
    accuracy a;
    std::size_t within = 0;
    for (std::size_t i = 0; i < price.size(); ++i) {
        const auto g = margincall::black_scholes_greeks(
            b.type[i], margincall::option_inputs<double>{b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i],
                                                         b.volatility[i]});
        if (std::abs(g.delta) >= 2.2250738585072014e-308)  // subnormal deltas have no relative accuracy
            a.worst_delta = std::max(a.worst_delta, std::abs(delta[i] - g.delta) / std::abs(g.delta));
        within += std::abs(price[i] - g.price) <= 1e-13 * g.price ? 1 : 0;
    }
    a.share_price_1e13 = static_cast<double>(within) / static_cast<double>(price.size());
    return a;
}

void BM_option_batch_price_delta(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = options_book(n);
    std::vector<double> price(n);
    std::vector<double> delta(n);
    for (auto _ : state) {
        margincall::black_scholes_price_delta(b.view(), price, delta);
        benchmark::DoNotOptimize(price.data());
        benchmark::DoNotOptimize(delta.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * state.range(0) * static_cast<std::int64_t>(6 * sizeof(double) + 1 + 2 * sizeof(double)));
    const auto a = measure_accuracy(b, price, delta);
    state.counters["worst_rel_delta_err"] = a.worst_delta;
    state.counters["share_price_within_1e-13"] = a.share_price_1e13;
}
BENCHMARK(BM_option_batch_price_delta)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);

// The same formula, one option at a time, on the C library: std::erfc, std::exp, std::log, std::sqrt.
void BM_option_batch_std_erfc_loop(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = options_book(n);
    std::vector<double> price(n);
    std::vector<double> delta(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i)
            price[i] = margincall_bench::textbook_erfc_price(b.type[i], b.spot[i], b.strike[i], b.expiry[i], b.rate[i],
                                                             b.carry[i], b.volatility[i], &delta[i]);
        benchmark::DoNotOptimize(price.data());
        benchmark::DoNotOptimize(delta.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    const auto a = measure_accuracy(b, price, delta);
    state.counters["worst_rel_delta_err"] = a.worst_delta;
    state.counters["share_price_within_1e-13"] = a.share_price_1e13;
}
BENCHMARK(BM_option_batch_std_erfc_loop)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);

// The same formula on Boost.Math's normal distribution (the accuracy reference).
void BM_option_batch_boost_cdf_loop(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = options_book(n);
    const boost::math::normal_distribution<double> normal;
    std::vector<double> price(n);
    std::vector<double> delta(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) {
            const double w = b.type[i] == margincall::option_type::call ? 1.0 : -1.0;
            const double t = b.expiry[i];
            const double sd = b.volatility[i] * std::sqrt(t);
            const double carry_factor = std::exp((b.carry[i] - b.rate[i]) * t);
            const double discount = std::exp(-b.rate[i] * t);
            const double d1 = (std::log(b.spot[i] / b.strike[i]) + b.carry[i] * t) / sd + 0.5 * sd;
            const double n1 = boost::math::cdf(normal, w * d1);
            const double n2 = boost::math::cdf(normal, w * (d1 - sd));
            price[i] = w * (b.spot[i] * carry_factor * n1 - b.strike[i] * discount * n2);
            delta[i] = w * carry_factor * n1;
        }
        benchmark::DoNotOptimize(price.data());
        benchmark::DoNotOptimize(delta.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_option_batch_boost_cdf_loop)->RangeMultiplier(16)->Range(1 << 10, 1 << 20);

// The fast CDF alone, over d ∈ [−8, 8].
void BM_normal_cdf_fast(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> x(n);
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = -8.0 + 16.0 * static_cast<double>(i) / static_cast<double>(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) y[i] = margincall::normal_cdf_fast(x[i]);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_normal_cdf_fast)->Arg(1 << 16);

void BM_normal_cdf_std_erfc(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> x(n);
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = -8.0 + 16.0 * static_cast<double>(i) / static_cast<double>(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) y[i] = 0.5 * std::erfc(-x[i] * 0.70710678118654752440);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_normal_cdf_std_erfc)->Arg(1 << 16);

// Implied volatility: solves per second over the book's prices (mixed moneyness and expiry; the
// scalar price of each option, skipping the few deep in-the-money ones whose time value is below
// 1e-9 of the price, where σ is not determined by a double price).
struct implied_volatility_cases {
    std::vector<margincall::option_inputs<double>> inputs;
    std::vector<margincall::option_type> types;
    std::vector<double> prices;
};
implied_volatility_cases implied_volatility_cases_of(std::size_t n) {
    const auto& b = options_book(n);
    implied_volatility_cases c;
    for (std::size_t j = 0; j < n; ++j) {
        const margincall::option_inputs<double> in{b.spot[j], b.strike[j], b.expiry[j], b.rate[j], b.carry[j], b.volatility[j]};
        const double p = margincall::black_scholes_price(b.type[j], in);
        const double forward = in.spot * std::exp(in.carry * in.expiry);
        const double intrinsic = std::max(margincall::sign(b.type[j]) * std::exp(-in.rate * in.expiry) * (forward - in.strike), 0.0);
        if (p - intrinsic < 1e-9 * p) continue;
        c.inputs.push_back(in);
        c.types.push_back(b.type[j]);
        c.prices.push_back(p);
    }
    return c;
}

// Evaluations of the normalised Black function per solve, measured outside the timed loop: one
// for the initial guess's node (b at s_l or s_u) and one per Householder step, so that
// evaluations − 1 is the average number of steps (every solve of this book takes the fast path).
double evaluations_per_solve(const implied_volatility_cases& c) {
    std::uintmax_t evaluations = 0;
    for (std::size_t j = 0; j < c.inputs.size(); ++j)
        evaluations += margincall::solve_implied_volatility(c.types[j], c.inputs[j], c.prices[j]).evaluations;
    return static_cast<double>(evaluations) / static_cast<double>(c.inputs.size());
}

void BM_implied_volatility_solve(benchmark::State& state) {
    const auto c = implied_volatility_cases_of(static_cast<std::size_t>(state.range(0)));
    std::size_t i = 0;
    double sum = 0.0;
    for (auto _ : state) {
        sum += margincall::implied_volatility(c.types[i], c.inputs[i], c.prices[i]);
        i = i + 1 == c.inputs.size() ? 0 : i + 1;
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(state.iterations());
    state.counters["evaluations_per_solve"] = evaluations_per_solve(c);
}
BENCHMARK(BM_implied_volatility_solve)->Arg(1 << 12);

// Scalar pricing (issue #15): the library's scalar black_scholes_price (full relative accuracy,
// normalised Black function in the tails) on the book, beside the plain std::erfc loop of the
// same formula (price only) and QuantLib's BlackCalculator (bench_options_quantlib).
void BM_scalar_price_black_scholes(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = options_book(n);
    std::vector<double> price(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i)
            price[i] = margincall::black_scholes_price(
                b.type[i], margincall::option_inputs<double>{b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i],
                                                             b.volatility[i]});
        benchmark::DoNotOptimize(price.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_scalar_price_black_scholes)->Arg(1 << 12);

void BM_scalar_price_std_erfc_loop(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = options_book(n);
    std::vector<double> price(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i)
            price[i] = margincall_bench::textbook_erfc_price(b.type[i], b.spot[i], b.strike[i], b.expiry[i], b.rate[i],
                                                             b.carry[i], b.volatility[i], nullptr);
        benchmark::DoNotOptimize(price.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_scalar_price_std_erfc_loop)->Arg(1 << 12);

// Implied volatility in batch form (implied_volatilities) over the same prices as
// BM_implied_volatility_solve; items = solves.
void BM_implied_volatility_batch(benchmark::State& state) {
    const auto c = implied_volatility_cases_of(static_cast<std::size_t>(state.range(0)));
    std::vector<double> sigma(c.inputs.size());
    for (auto _ : state) {
        margincall::implied_volatilities<double>(c.types, c.inputs, c.prices, sigma);
        benchmark::DoNotOptimize(sigma.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.inputs.size()));
    state.counters["evaluations_per_solve"] = evaluations_per_solve(c);
}
BENCHMARK(BM_implied_volatility_batch)->Arg(1 << 12);

}  // namespace
