// Benchmarks of the liquidation layer: closed-form batch (target ≥ 20 M prices/s/core), single
// and hedge-mode calls, the generic solver on a 10-leg options account (evaluations reported),
// and the first-passage probability.
#include <margincall/liquidation/batch_liquidation_prices.hpp>
#include <margincall/liquidation/hedged_liquidation.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_probability.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>

#include <benchmark/benchmark.h>
#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace {

using margincall::liquidation_point;

// Binance BTCUSDT leverage brackets.
const margincall::tier_schedule<double>& btcusdt() {
    static const margincall::tier_schedule<double> s({{0, 50'000, 125, 0.004},
                                                      {50'000, 250'000, 100, 0.005},
                                                      {250'000, 3'000'000, 50, 0.01},
                                                      {3'000'000, 20'000'000, 20, 0.025},
                                                      {20'000'000, 40'000'000, 10, 0.05},
                                                      {40'000'000, 100'000'000, 5, 0.1},
                                                      {100'000'000, 120'000'000, 4, 0.125},
                                                      {120'000'000, 200'000'000, 3, 0.15},
                                                      {200'000'000, 300'000'000, 2, 0.25},
                                                      {300'000'000, 500'000'000, 1, 0.5}});
    return s;
}

// Isolated positions, structure of arrays: sizes log-uniform over 0.001–2,000 BTC (all ten tiers
// are hit), leverage 1–50x, marks within ±3 % of entry.
struct book {
    std::vector<double> quantity, entry, wallet, mark;
    explicit book(std::size_t n, unsigned seed) : quantity(n), entry(n), wallet(n), mark(n) {
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> log_size(std::log(0.001), std::log(2'000.0)), lev(1.0, 50.0),
            price(20'000.0, 60'000.0), move(-0.03, 0.03);
        std::bernoulli_distribution is_long(0.5);
        for (std::size_t i = 0; i < n; ++i) {
            quantity[i] = (is_long(rng) ? 1.0 : -1.0) * std::exp(log_size(rng));
            entry[i] = price(rng);
            wallet[i] = std::abs(quantity[i]) * entry[i] / lev(rng);
            mark[i] = entry[i] * (1.0 + move(rng));
        }
    }
    [[nodiscard]] std::size_t bytes() const { return quantity.size() * 4 * sizeof(double); }
};

void BM_liquidation_price_batch_linear(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const book b(n, 42);
    std::vector<liquidation_point<double>> out(n);
    const margincall::linear_contract<double> c{};
    for (auto _ : state) {
        margincall::batch_liquidation_prices<margincall::linear_contract<double>, double>(
            c, btcusdt(), b.quantity, b.entry, b.wallet, b.mark, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() *
                            static_cast<std::int64_t>(b.bytes() + n * sizeof(liquidation_point<double>)));
}
BENCHMARK(BM_liquidation_price_batch_linear)->RangeMultiplier(32)->Range(1 << 10, 1 << 20);

void BM_liquidation_price_batch_inverse(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    book b(n, 43);
    for (double& q : b.quantity) q = std::round(q * 300.0);  // contracts of 100 USD
    for (std::size_t i = 0; i < n; ++i) {
        if (b.quantity[i] == 0) b.quantity[i] = 1;
        b.wallet[i] = std::abs(b.quantity[i]) * 100.0 / b.entry[i] / 10.0;
    }
    static const margincall::tier_schedule<double> usd({{0, 5, 125, 0.004},
                                                        {5, 10, 100, 0.005},
                                                        {10, 20, 50, 0.01},
                                                        {20, 50, 20, 0.025},
                                                        {50, 100, 10, 0.05},
                                                        {100, 200, 5, 0.1},
                                                        {200, 400, 4, 0.125},
                                                        {400, 1e12, 3, 0.15}});
    std::vector<liquidation_point<double>> out(n);
    const margincall::inverse_contract<double> c{100.0};
    for (auto _ : state) {
        margincall::batch_liquidation_prices<margincall::inverse_contract<double>, double>(c, usd, b.quantity, b.entry,
                                                                                          b.wallet, b.mark, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_liquidation_price_batch_inverse)->Arg(1 << 16);

void BM_liquidation_price_single(benchmark::State& state) {
    const book b(1024, 44);
    const margincall::linear_contract<double> c{};
    std::size_t i = 0;
    for (auto _ : state) {
        const auto r = margincall::liquidation_price(c, btcusdt(), {b.quantity[i], b.entry[i]}, {b.wallet[i]}, b.mark[i]);
        benchmark::DoNotOptimize(r);
        i = (i + 1) & 1023;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_liquidation_price_single);

void BM_liquidation_prices_hedged(benchmark::State& state) {
    const book b(1024, 45);
    const margincall::linear_contract<double> c{};
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t j = (i + 1) & 1023;
        const double lq = std::abs(b.quantity[i]), sq = -std::abs(b.quantity[j]);
        const auto r = margincall::liquidation_prices_hedged(c, btcusdt(), {lq, b.entry[i]}, {sq, b.entry[j]},
                                                             {b.wallet[i] + b.wallet[j]}, b.mark[i]);
        benchmark::DoNotOptimize(r);
        i = j;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_liquidation_prices_hedged);

// Black-76 (undiscounted) for the options account; Boost's default policy promotes double to
// long double inside erfc (x87, ~4x slower here), which would time the pricer, not the solver.
using fast_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
double black76(bool call, double f, double k, double vol, double t) {
    static const boost::math::normal_distribution<double, fast_policy> n;
    const double s = vol * std::sqrt(t);
    const double d1 = (std::log(f / k) + s * s / 2) / s;
    const double d2 = d1 - s;
    return call ? f * boost::math::cdf(n, d1) - k * boost::math::cdf(n, d2)
                : k * boost::math::cdf(n, -d2) - f * boost::math::cdf(n, -d1);
}

void BM_liquidation_solver_options10(benchmark::State& state) {
    // 10 legs: short strangles and straddles, a long wing, a perpetual hedge; grid from the argument.
    struct leg { bool call; double q, k, vol, t, base; };
    std::vector<leg> legs{{true, -3, 110, 0.6, 0.25, 0},  {false, -3, 90, 0.6, 0.25, 0}, {true, -2, 100, 0.55, 0.1, 0},
                          {false, -2, 100, 0.55, 0.1, 0}, {true, 1, 130, 0.7, 0.5, 0},   {false, 1, 70, 0.7, 0.5, 0},
                          {true, -1, 120, 0.65, 0.75, 0}, {false, -1, 80, 0.65, 0.75, 0}, {true, 2, 105, 0.5, 0.05, 0},
                          {false, 2, 95, 0.5, 0.05, 0}};
    const double f0 = 100, perp = 0.5;
    for (auto& l : legs) l.base = black76(l.call, f0, l.k, l.vol, l.t);
    auto surplus = [&](double p) {
        double e = 600.0 + perp * (p - f0), m = 0.01 * perp * p;
        for (const auto& l : legs) {
            const double v = black76(l.call, p, l.k, l.vol, l.t);
            e += l.q * (v - l.base);
            if (l.q < 0) m += -l.q * (0.08 * p + v);
        }
        return e - m;
    };
    margincall::liquidation_scan_options<double> o;
    o.grid_points = static_cast<std::size_t>(state.range(0));
    std::size_t evaluations = 0, roots = 0;
    for (auto _ : state) {
        const auto r = margincall::find_liquidation_prices(surplus, f0, 1.0, 1'000.0, o);
        evaluations = r.evaluations;
        roots = r.crossings.size();
        benchmark::DoNotOptimize(r.prices);
    }
    state.counters["evaluations"] = static_cast<double>(evaluations);
    state.counters["crossings"] = static_cast<double>(roots);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_liquidation_solver_options10)->Arg(64)->Arg(256)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_liquidation_solver_overhead(benchmark::State& state) {
    // A surplus that costs nothing (two roots, 80 and 125): what the scan and TOMS 748 cost alone.
    auto surplus = [](double p) { return -(p - 80.0) * (p - 125.0); };
    margincall::liquidation_scan_options<double> o;
    o.grid_points = static_cast<std::size_t>(state.range(0));
    std::size_t evaluations = 0;
    for (auto _ : state) {
        const auto r = margincall::find_liquidation_prices(surplus, 100.0, 1.0, 1'000.0, o);
        evaluations = r.evaluations;
        benchmark::DoNotOptimize(r.prices);
    }
    state.counters["evaluations"] = static_cast<double>(evaluations);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_liquidation_solver_overhead)->Arg(64)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_liquidation_probability(benchmark::State& state) {
    double lp = 80.0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(margincall::liquidation_probability(100.0, lp, 0.8, 0.25, 0.1));
        lp = lp < 99.0 ? lp + 0.01 : 80.0;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_liquidation_probability);

}  // namespace
