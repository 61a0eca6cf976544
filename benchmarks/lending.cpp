// Benchmarks of the lending/ layer: the health factor of 10^6 accounts (three assets each), and
// the liquidation check per price move, two ways: re-evaluating every account's HF, and looking
// up the accounts whose WETH liquidation price (lending_liquidation_prices, a closed form) the
// move has crossed in a sorted index (cost O(log n + crossed)).
#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/cross_protocol.hpp>
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/lending_market.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <memory>
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

// Cross-protocol cascade (cascade/cross_protocol.hpp): n lending accounts (WETH against USDC,
// Aave v3) and n perp accounts on WETH share one constant-product WETH pool and its oracle.
// About a thousand accounts of each venue sit within 1 % of liquidation; a −2 % move of WETH
// liquidates them and the run goes to its fixed point. The unit of comparison is one sort of the
// combined book's 2n shuffled keys (BM_shuffled_sort_combined). Building the simulator sorts
// the lending index once (BM_cross_protocol_build); a run then reads both indexes and copies only
// the accounts it changes (keep_accounts off), so its cost follows the accounts liquidated, not n.
namespace {

struct cross_book {
    std::vector<lending_account<double>> lending;
    liquidation_book<double> perp;
};

const cross_book& cross_books(std::size_t n) {
    static std::size_t built = 0;
    static std::unique_ptr<cross_book> book;
    if (built != n) {
        std::mt19937_64 gen(11);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<lending_account<double>> lending;
        lending.reserve(n);
        std::vector<double> q, e, c, m;
        for (std::size_t i = 0; i < n; ++i) {
            const bool near = i % (n / 1000) == 0;  // ~1,000 accounts within 1 % of liquidation
            const double hf = near ? 1.001 + 0.009 * u(gen) : 1.5 + 1.5 * u(gen);
            const double weth = 1 + 9 * u(gen);
            lending.push_back({.collateral = {weth, 0}, .debt = {0, weth * 2000 * 0.825 / hf}});
            const double size = 0.1 + u(gen);
            const double leverage = near ? 80.0 : 2 + 8 * u(gen);  // 80x: liquidated within ~1 % of entry
            q.push_back(size);
            e.push_back(2000);
            c.push_back(size * 2000 / leverage);
            m.push_back(0.005);
        }
        book = std::make_unique<cross_book>(cross_book{std::move(lending), liquidation_book<double>(q, e, c, m)});
        built = n;
    }
    return *book;
}

cross_protocol_simulator<double> cross_simulator(const cross_book& b) {
    const lending_market<double> m({{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05,
                                     .protocol_fee = 0.10},
                                    {.collateral = false}});
    std::vector<cross_lending_venue<double>> lendings;
    lendings.emplace_back("aave", m, b.lending, std::vector<std::size_t>{0, 1},
                          std::vector<std::pair<std::size_t, std::size_t>>{{1, 0}}, aave_v3_liquidation<double>{});
    return cross_protocol_simulator<double>(
        2, {cross_pool<double>(constant_product_impact<double>(1e6, 2e9), 0)},
        std::vector<push_oracle<double>>(2, push_oracle<double>(0, 3600)),
        {{.name = "perp", .asset = 0, .books = {{.book = &b.perp, .waterfall = {.insurance_fund = 1e6}}},
          .options = {.record_steps = false}}},
        std::move(lendings), {.keep_accounts = false});
}

// The one-time cost: copying the lending book into the simulator and sorting its index.
void BM_cross_protocol_build(benchmark::State& state) {
    const auto& b = cross_books(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        const auto sim = cross_simulator(b);
        benchmark::DoNotOptimize(&sim);
    }
}
BENCHMARK(BM_cross_protocol_build)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// The run: a −2 % WETH move to the cross-protocol fixed point.
void BM_cross_protocol_cascade(benchmark::State& state) {
    const auto& b = cross_books(static_cast<std::size_t>(state.range(0)));
    const auto sim = cross_simulator(b);
    const cross_protocol_path<double> path{.start = {2000, 1}, .steps = {{1960, 1}}, .times = {1}};
    std::vector<cascade_workspace<double>> ws;
    (void)sim.run(path, ws);  // binds the perp workspace to the book once (O(book)); later runs reset what they touched
    std::size_t liquidations = 0;
    for (auto _ : state) {
        const auto out = sim.run(path, ws);
        liquidations = 0;
        for (const auto& v : out.venue_steps)
            for (const auto& s : v) liquidations += s.liquidations;
        benchmark::DoNotOptimize(liquidations);
    }
    state.counters["liquidations"] = static_cast<double>(liquidations);
}
BENCHMARK(BM_cross_protocol_cascade)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMicrosecond);

// One sort of the combined book's 2n keys in shuffled order: the budget the issue sets.
void BM_shuffled_sort_combined(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> keys(2 * n);
    std::mt19937_64 gen(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (auto& k : keys) k = u(gen);
    std::vector<double> work;
    for (auto _ : state) {
        work = keys;
        std::sort(work.begin(), work.end());
        benchmark::DoNotOptimize(work.data());
    }
}
BENCHMARK(BM_shuffled_sort_combined)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

}  // namespace
