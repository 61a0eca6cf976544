// Benchmarks of the cascade/ layer. A full cascade through 10^6 and 10^7 accounts to its fixed
// point is reported with its ratio to one std::sort of the book's (liquidation price, id) index
// measured in the same run (target: ≤ 3 sorts); a small shock on both sizes shows that a
// step's cost follows the accounts it liquidates, not the size of the book. The same two
// measurements for a book on three assets (80 % isolated, 20 % cross-margin accounts holding
// two or three of the assets), a −10 % shock on one asset.
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/depth_profile_impact.hpp>
#include <margincall/cascade/multi_asset_simulator.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
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

// The order of the reference sort: price descending, then account.
bool index_before(const book_index_entry<double>& x, const book_index_entry<double>& y) {
    return x.price != y.price ? x.price > y.price : x.account < y.account;
}

// Seconds of one std::sort of `index` after a seeded shuffle. The books are stored in index
// order, so an unshuffled copy would be nearly sorted and the reference sort ~2x too fast.
double shuffled_sort_seconds(std::vector<book_index_entry<double>> index) {
    std::mt19937_64 gen(3);
    std::shuffle(index.begin(), index.end(), gen);
    const auto start = std::chrono::steady_clock::now();
    std::sort(index.begin(), index.end(), index_before);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    benchmark::DoNotOptimize(index.data());
    return seconds;
}

// The book's (liquidation price, id) index, in storage order.
std::vector<book_index_entry<double>> book_index(std::size_t n) {
    const auto& b = book(n);
    std::vector<book_index_entry<double>> index(n);
    for (std::size_t i = 0; i < n; ++i) index[i] = {b.liquidation_price(i), static_cast<std::uint32_t>(i)};
    return index;
}

// Seconds of one sort of the book's index (cached per size).
double sort_seconds(std::size_t n) {
    static std::map<std::size_t, double> cache;
    auto& s = cache[n];
    if (s == 0.0) s = shuffled_sort_seconds(book_index(n));
    return s;
}

void BM_cascade_sort_book(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto unsorted = book_index(n);
    for (auto _ : state) {
        state.SetIterationTime(shuffled_sort_seconds(unsorted));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_cascade_sort_book)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseManualTime();

// A −3 % shock under linear impact (λ = 30/n: λ × long side = 24 % of the price): a runaway cascade
// through most of the longs. The fund is large, so no step ranks the book for ADL.
template <class Impact>
void run_full_cascade(benchmark::State& state, Impact impact) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = book(n);
    using sim = cascade_simulator<double, Impact, full_close>;
    const sim s(std::move(impact), {typename sim::venue{&b, {}, {1e12, 0.005, residual_loss::auto_deleveraging}, {}}},
                cascade_options{100000, false});
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.03);
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
    const auto shock = exogenous_shock<double>::instant_relative(100.0, target / 100.0 - 1.0);
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


// ---- Several assets: BTC-, ETH- and SOL-like marks, 80 % isolated positions (half on asset 0,
// 30 % on 1, 20 % on 2), 20 % cross accounts with two or three legs, entered at the reference
// marks, leverage 2x–50x, maintenance rate 0.5 %–1 %, notional 100–1,100 per leg.
constexpr std::array<double, 3> multi_p0{30'000.0, 2'000.0, 100.0};

struct multi_book {
    std::vector<liquidation_book<double>> isolated;
    std::unique_ptr<cross_margin_book<double>> cross;
    std::array<double, 3> long_quantity{};  // isolated + cross, per asset
};

const multi_book& multi(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<multi_book>> cache;
    auto& b = cache[n];
    if (!b) {
        b = std::make_unique<multi_book>();
        std::mt19937_64 gen(7);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const std::size_t n_cross = n / 5;
        const std::size_t n_iso = n - n_cross;
        std::array<std::vector<double>, 3> q, e, c, m;
        for (std::size_t k = 0; k < 3; ++k) {
            const std::size_t expected = n_iso / 10 * (k == 0 ? 6 : 4);  // 50 % / 30 % / 20 %, with room
            q[k].reserve(expected);
            e[k].reserve(expected);
            c[k].reserve(expected);
            m[k].reserve(expected);
        }
        for (std::size_t i = 0; i < n_iso; ++i) {
            const double r = u(gen);
            const std::size_t k = r < 0.5 ? 0 : (r < 0.8 ? 1 : 2);
            const double size = (100.0 + 1000.0 * u(gen)) / multi_p0[k];
            q[k].push_back(u(gen) < 0.8 ? size : -size);
            e[k].push_back(multi_p0[k]);
            c[k].push_back(size * multi_p0[k] / (2.0 + 48.0 * u(gen)));
            m[k].push_back(0.005 + 0.005 * u(gen));
        }
        for (std::size_t k = 0; k < 3; ++k) {
            b->isolated.emplace_back(q[k], e[k], c[k], m[k]);
            b->long_quantity[k] = b->isolated.back().liquidatable_long_quantity();
        }
        std::vector<double> wallet(n_cross), lq, le, lm;
        std::vector<std::uint32_t> la, lk;
        for (auto* v : {&lq, &le, &lm}) v->reserve(3 * n_cross);
        la.reserve(3 * n_cross);
        lk.reserve(3 * n_cross);
        for (std::size_t a = 0; a < n_cross; ++a) {
            const std::uint32_t skip = u(gen) < 0.5 ? static_cast<std::uint32_t>(u(gen) * 3.0) : 3U;  // 3: all three
            double notional = 0.0;
            for (std::uint32_t k = 0; k < 3; ++k) {
                if (k == skip) continue;
                const double size = (100.0 + 1000.0 * u(gen)) / multi_p0[k];
                la.push_back(static_cast<std::uint32_t>(a));
                lk.push_back(k);
                lq.push_back(u(gen) < 0.8 ? size : -size);
                le.push_back(multi_p0[k]);
                lm.push_back(0.005 + 0.005 * u(gen));
                notional += size * multi_p0[k];
            }
            wallet[a] = notional / (2.0 + 48.0 * u(gen));
        }
        b->cross = std::make_unique<cross_margin_book<double>>(std::span<const double>(multi_p0), wallet,
                                                               cross_legs<double>{la, lk, lq, le, lm});
        for (std::size_t k = 0; k < 3; ++k) b->long_quantity[k] += b->cross->long_quantity(k);
    }
    return *b;
}

// Seconds of one std::sort of n (key, id) entries: the isolated books' liquidation prices and
// the cross accounts' distance keys, from an unsorted copy.
double multi_sort_seconds(std::size_t n) {
    static std::map<std::size_t, double> cache;
    auto& s = cache[n];
    if (s == 0.0) {
        const auto& b = multi(n);
        std::vector<book_index_entry<double>> index;
        index.reserve(n);
        for (const auto& book : b.isolated)
            for (std::size_t i = 0; i < book.size(); ++i)
                index.push_back({book.liquidation_price(i), static_cast<std::uint32_t>(index.size())});
        for (std::size_t a = 0; a < b.cross->size(); ++a) index.push_back({b.cross->key(a), static_cast<std::uint32_t>(index.size())});
        s = shuffled_sort_seconds(std::move(index));
    }
    return s;
}

using multi_sim = multi_asset_simulator<double>;

multi_sim make_multi(const multi_book& b, const std::array<double, 3>& lambda) {
    std::vector<multi_sim::asset> assets;
    for (std::size_t k = 0; k < 3; ++k)
        assets.push_back(multi_sim::asset{linear_impact<double>(lambda[k]),
                                          {&b.isolated[k], {}, {1e12, 0.005, residual_loss::auto_deleveraging, adl_ranking::bitmex}, {}}});
    return multi_sim(std::move(assets), b.cross.get(), {1e12, 0.005, residual_loss::bad_debt, adl_ranking::bitmex},
                     cascade_options{100000, false});
}

struct multi_counts {
    std::size_t liquidated{0}, cross_liquidated{0}, cross_checked{0}, steps{0};
    double drop0{0}, drop1{0};
    void take(const multi_asset_outcome<double>& out) {
        liquidated = out.cross.liquidated_count;
        for (const auto& a : out.assets) liquidated += a.venues[0].liquidated_count;
        cross_liquidated = out.cross.liquidated_count;
        cross_checked = out.cross.checked;
        steps = out.steps_to_fixed_point;
        drop0 = 1.0 - out.assets[0].final_price / multi_p0[0];
        drop1 = 1.0 - out.assets[1].final_price / multi_p0[1];
    }
    void report(benchmark::State& state) const {
        state.counters["liquidated"] = static_cast<double>(liquidated);
        state.counters["cross_liquidated"] = static_cast<double>(cross_liquidated);
        state.counters["cross_checked"] = static_cast<double>(cross_checked);
        state.counters["steps"] = static_cast<double>(steps);
        state.counters["drop_asset0"] = drop0;
        state.counters["drop_asset1"] = drop1;
        state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(liquidated));
    }
};

// An instant relative move on asset 0 only.
std::vector<exogenous_shock<double>> shock_asset0(double move) {
    return {exogenous_shock<double>::instant_relative(multi_p0[0], move), exogenous_shock<double>::instant_relative(multi_p0[1], 0.0),
            exogenous_shock<double>::instant_relative(multi_p0[2], 0.0)};
}

// Runs `sim` under `shocks` once to bind the workspace (one O(book) copy, outside the timing),
// then once per iteration; returns the wall seconds of the timed runs and reports the counts.
double time_multi_runs(benchmark::State& state, const multi_sim& sim, const std::vector<exogenous_shock<double>>& shocks) {
    multi_asset_workspace<double> ws;
    auto warm = sim.run(shocks, ws);
    benchmark::DoNotOptimize(warm);
    double seconds = 0.0;
    multi_counts counts;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        auto out = sim.run(shocks, ws);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        counts.take(out);
        benchmark::DoNotOptimize(out);
    }
    counts.report(state);
    return seconds;
}

// −10 % on asset 0 under linear impact with λ_k × (asset k's long quantity) = 15 % of its mark:
// the cascade spreads to assets 1 and 2 through the cross accounts. Ratio to one sort.
void BM_cascade_multi_asset_fixed_point(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = multi(n);
    std::array<double, 3> lambda{};
    for (std::size_t k = 0; k < 3; ++k) lambda[k] = 0.15 * multi_p0[k] / b.long_quantity[k];
    const auto sim = make_multi(b, lambda);
    const double seconds = time_multi_runs(state, sim, shock_asset0(-0.10));
    state.counters["sort_ms"] = 1e3 * multi_sort_seconds(n);
    state.counters["ratio_to_sort"] = seconds / static_cast<double>(state.iterations()) / multi_sort_seconds(n);
}
BENCHMARK(BM_cascade_multi_asset_fixed_point)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// −10 % on asset 0 with no impact: the accounts the shock itself reaches (a fixed share of
// the book, so ≈ 10× more on the larger book) — time per liquidated account should stay flat;
// then a shock sized to reach ≈ 1,000 isolated liquidations on asset 0 whatever n: the time
// should not grow with the book.
void BM_cascade_multi_asset_no_impact(benchmark::State& state) {
    const auto& b = multi(static_cast<std::size_t>(state.range(0)));
    time_multi_runs(state, make_multi(b, {0.0, 0.0, 0.0}), shock_asset0(-0.10));
}
BENCHMARK(BM_cascade_multi_asset_no_impact)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_cascade_multi_asset_small_shock(benchmark::State& state) {
    const auto& b = multi(static_cast<std::size_t>(state.range(0)));
    const double target = b.isolated[0].longs_by_liquidation_price()[1000].price;
    time_multi_runs(state, make_multi(b, {0.0, 0.0, 0.0}), shock_asset0(target / multi_p0[0] - 1.0));
}
BENCHMARK(BM_cascade_multi_asset_small_shock)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMicrosecond);

// ---- Tiered cross accounts, closed in part by a keeper (docs/cascades.md §12.2, rule C11): the
// book above with its cross accounts margined by brackets instead of flat rates (per asset:
// 0.5 % below 300 notional, 0.75 % to 700, 1 % above, so the 100–1,100 legs straddle them), the
// same −10 % shock on asset 0 and impact as BM_cascade_multi_asset_fixed_point. range(1) = 0:
// whole closes at once; 1: partial closes (buffer 5 %, chunks ≥ 10 %) by a keeper with a
// one-step delay, cost 0.01 and half the fee. ratio_to_flat: to the flat whole-close fixed point
// on the same book, timed in the same run.
const cross_margin_book<double>& multi_tiered_cross(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<cross_margin_book<double>>> cache;
    auto& c = cache[n];
    if (!c) {
        const auto& flat = *multi(n).cross;
        std::vector<double> wallet(flat.size()), lq, le;
        std::vector<std::uint32_t> la, lk;
        for (std::size_t s = 0; s < flat.size(); ++s) {
            wallet[s] = from_cents<double>(flat.wallet_cents(s));
            for (std::size_t j = flat.leg_begin(s); j < flat.leg_end(s); ++j) {
                la.push_back(static_cast<std::uint32_t>(s));
                lk.push_back(flat.leg_asset(j));
                lq.push_back(flat.leg_quantity(j));
                le.push_back(flat.leg_entry_price(j));
            }
        }
        const double inf = std::numeric_limits<double>::infinity();
        std::vector<tier_schedule<double>> tiers(
            3, tier_schedule<double>({{0.0, 300.0, 100.0, 0.005, 0.0}, {300.0, 700.0, 66.0, 0.0075, 0.75}, {700.0, inf, 50.0, 0.01, 2.5}}));
        c = std::make_unique<cross_margin_book<double>>(std::span<const double>(multi_p0), wallet,
                                                        cross_legs<double>{la, lk, lq, le, {}}, std::move(tiers));
    }
    return *c;
}

// Mean wall seconds of the flat whole-close fixed point (after one binding run), cached per n.
double multi_flat_fixed_point_seconds(std::size_t n, const std::array<double, 3>& lambda) {
    static std::map<std::size_t, double> cache;
    auto& s = cache[n];
    if (s == 0.0) {
        const auto sim = make_multi(multi(n), lambda);
        const auto shocks = shock_asset0(-0.10);
        multi_asset_workspace<double> ws;
        auto warm = sim.run(shocks, ws);
        benchmark::DoNotOptimize(warm);
        constexpr int runs = 3;
        const auto start = std::chrono::steady_clock::now();
        for (int r = 0; r < runs; ++r) {
            auto out = sim.run(shocks, ws);
            benchmark::DoNotOptimize(out);
        }
        s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
    }
    return s;
}

void BM_cascade_multi_asset_tiered_cross(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto& b = multi(n);
    std::array<double, 3> lambda{};
    for (std::size_t k = 0; k < 3; ++k) lambda[k] = 0.15 * multi_p0[k] / b.long_quantity[k];
    cross_liquidation<double> rules;
    if (state.range(1) != 0) {
        rules.partial = partial_close<double>(0.05, 0.1);
        rules.keeper = keeper_model<double>(1, 0.01, 0.5);
    }
    std::vector<multi_sim::asset> assets;
    for (std::size_t k = 0; k < 3; ++k)
        assets.push_back(multi_sim::asset{linear_impact<double>(lambda[k]),
                                          {&b.isolated[k], {}, {1e12, 0.005, residual_loss::auto_deleveraging, adl_ranking::bitmex}, {}}});
    const multi_sim sim(std::move(assets), &multi_tiered_cross(n), {1e12, 0.005, residual_loss::bad_debt, adl_ranking::bitmex},
                        cascade_options{100000, false}, rules);
    const double seconds = time_multi_runs(state, sim, shock_asset0(-0.10)) / static_cast<double>(state.iterations());
    const auto out = sim.run(shock_asset0(-0.10));
    state.counters["cross_partial"] = static_cast<double>(out.cross.partial_count);
    state.counters["cross_abandoned"] = static_cast<double>(out.cross.abandoned);
    state.counters["ratio_to_flat"] = seconds / multi_flat_fixed_point_seconds(n, lambda);
    state.counters["ratio_to_sort"] = seconds / multi_sort_seconds(n);
}
BENCHMARK(BM_cascade_multi_asset_tiered_cross)
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Args({10'000'000, 0})
    ->Args({10'000'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
