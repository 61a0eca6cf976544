// Benchmarks of the lending/ layer: the health factor of 10^6 accounts (three assets each), and
// the liquidation check per price move, two ways: re-evaluating every account's HF, and looking
// up the accounts whose WETH liquidation price (lending_liquidation_prices, a closed form) the
// move has crossed in a sorted index (cost O(log n + crossed)).
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/lending_market.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace {

using namespace margincall;

const lending_market<double>& market() {
    static const lending_market<double> m(
        {{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.73, .liquidation_threshold = 0.78, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045, .protocol_fee = 0.10}});
    return m;
}
const std::vector<double> start_prices{2000, 30000, 1};

// 10^6 accounts: 1–20 WETH, 0–1 WBTC, USDC debt at HF 1.05–2 at the start prices.
const std::vector<lending_account<double>>& accounts(std::size_t n) {
    static std::vector<lending_account<double>> book;
    if (book.size() != n) {
        std::mt19937_64 gen(7);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        book.clear();
        for (std::size_t i = 0; i < n; ++i) {
            lending_account<double> a{.collateral = {1 + 19 * u(gen), u(gen), 0}, .debt = {0, 0, 0}};
            const double weighted = a.collateral[0] * 2000 * 0.825 + a.collateral[1] * 30000 * 0.78;
            a.debt[2] = weighted / (1.05 + 0.95 * u(gen));
            book.push_back(std::move(a));
        }
    }
    return book;
}

// HF of every account with WETH at start·(percent/100): at 100 the book's HF, at 92 the
// liquidation check of a −8 % move by re-evaluating every account.
void BM_health_factor_book(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& book = accounts(n);
    const auto& m = market();
    std::vector<double> moved = start_prices;
    moved[0] *= static_cast<double>(state.range(1)) / 100.0;
    const std::span<const double> p(moved);
    std::size_t below = 0;
    for (auto _ : state) {
        below = 0;
        for (const auto& a : book) below += m.totals_unchecked(a, p).health_factor() < 1.0 ? 1U : 0U;
        benchmark::DoNotOptimize(below);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["crossed"] = static_cast<double>(below);
}
BENCHMARK(BM_health_factor_book)->Args({1000000, 100})->Args({1000000, 92})->Unit(benchmark::kMillisecond);

// The same move looked up in the index of WETH liquidation prices (built once, outside the loop).
void BM_liquidation_check_index(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& book = accounts(n);
    const auto& m = market();
    static std::vector<std::pair<double, std::size_t>> index;  // built once: Google Benchmark calls this repeatedly
    if (index.empty()) {
        index.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto roots = lending_liquidation_prices(m, book[i], std::span<const double>(start_prices));
            if (roots[0]) index.emplace_back(*roots[0], i);
        }
        std::sort(index.begin(), index.end());
    }
    const double moved = start_prices[0] * 0.92;
    for (auto _ : state) {
        // accounts whose WETH liquidation price is above the new price are liquidatable
        const auto first = std::upper_bound(index.begin(), index.end(), std::pair<double, std::size_t>(moved, n));
        benchmark::DoNotOptimize(index.end() - first);
    }
    state.counters["crossed"] = static_cast<double>(index.end() - std::upper_bound(index.begin(), index.end(),
                                                                                    std::pair<double, std::size_t>(moved, n)));
}
BENCHMARK(BM_liquidation_check_index)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace
