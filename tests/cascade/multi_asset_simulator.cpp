// Tests of include/margincall/cascade/multi_asset_simulator.hpp. Expected values come from a
// two-asset case derived by hand (comment below), from the single-asset simulator (a
// multi-asset book whose accounts each hold one asset must reduce to it exactly), and from a
// brute-force re-evaluation of every account at every step written in this file.
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/multi_asset_simulator.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <random>
#include <vector>

#include "catch.hpp"
#include "soa_book.hpp"

using namespace margincall;

namespace {

using sim_t = multi_asset_simulator<double>;
using asset_t = sim_t::asset;

using iso_soa = cascade_test::soa;

using cross_soa = cascade_test::cross_soa;

const loss_waterfall<double> no_fee_bad_debt{0.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex};

}  // namespace

TEST_CASE("multi-asset: a shock on A liquidates a cross account whose close liquidates an isolated B position",
          "[cascade][multi]") {
    // By hand. Assets A (P⁰ = 100, λ_A = 0.1) and B (P⁰ = 50, λ_B = 0.5), linear impact, full
    // close, no fees, no resilience.
    //  Cross X: wallet 100, long 10 A @ 100, long 4 B @ 50, m = 0. Slack S = 100, Σw = 1,000 + 200,
    //    key = 1/12 ≈ 0.083. Equity = 100 + 10(P_A − 100) + 4(P_B − 50); liquidated when < 0.
    //  Cross V: wallet 10,000, long 1 A @ 100, long 1 B @ 50: key = 10,000/150, never a candidate.
    //  Isolated B, Y: long 1 @ 50, collateral 1.5, m = 0: LP = 50 − 1.5 = 48.5.
    //  Isolated A, Z: long 1 @ 100, collateral 20, m = 0: LP = 80.
    // Shock: A 100 → 89 at step 1, B unmoved.
    //  Step 1: marks (89, 50); |μ_A| = 0.11 > key_X → X checked: equity 100 − 110 = −10 < 0:
    //    liquidated, sells 10 A and 4 B. Y: 50 > 48.5, Z: 89 > 80: not crossed.
    //    New marks A = 89 − 0.1·10 = 88, B = 50 − 0.5·4 = 48. Fills (VWAP, midpoint of a linear
    //    book): A 88.5, B 49. X's cash: 100 + 10(88.5 − 100) + 4(49 − 50) = 100 − 115 − 4 = −19:
    //    the cross fund (5) pays 5, bad debt 14.
    //  Step 2: marks (88, 48); Y: 48 ≤ 48.5 → liquidated, sells 1 B: B = 48 − 0.5 = 47.5,
    //    fill 50 − 0.5·(4 + 5)/2 = 47.75; Y's cash 1.5 + (47.75 − 50) = −0.75: B's fund 0 → bad debt 0.75.
    //  Step 3: marks (88, 47.5): Z 88 > 80; nothing crosses: fixed point, steps_to_fixed_point = 2.
    iso_soa a_iso, b_iso;
    a_iso.add(1.0, 100.0, 20.0, 0.0);
    b_iso.add(1.0, 50.0, 1.5, 0.0);
    const auto a_book = a_iso.book();
    const auto b_book = b_iso.book();
    cross_soa x;
    x.wallet = {100.0, 10'000.0};
    x.leg(0, 0, 10.0, 100.0, 0.0);
    x.leg(0, 1, 4.0, 50.0, 0.0);
    x.leg(1, 0, 1.0, 100.0, 0.0);
    x.leg(1, 1, 1.0, 50.0, 0.0);
    const std::vector<double> p0{100.0, 50.0};
    const auto cross = x.book(p0);
    const sim_t sim({asset_t{linear_impact<double>(0.1), {&a_book, {}, no_fee_bad_debt, {}}},
                     asset_t{linear_impact<double>(0.5), {&b_book, {}, no_fee_bad_debt, {}}}},
                    &cross, {5.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex});
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::instant_relative(100.0, -0.11),
                                                      exogenous_shock<double>::instant_relative(50.0, 0.0)};
    const auto out = sim.run(shocks);
    REQUIRE(out.converged);
    CHECK_THAT(out.assets[0].final_price, WithinRel(88.0, 1e-14));
    CHECK_THAT(out.assets[1].final_price, WithinRel(47.5, 1e-14));
    CHECK(out.steps_to_fixed_point == 2);
    CHECK(out.assets[0].steps_to_fixed_point == 1);
    CHECK(out.assets[1].steps_to_fixed_point == 2);
    REQUIRE(out.assets[0].prices.size() == 3);
    CHECK_THAT(out.assets[0].prices[0], WithinRel(88.0, 1e-14));
    CHECK_THAT(out.assets[1].prices[0], WithinRel(48.0, 1e-14));
    CHECK_THAT(out.assets[1].prices[1], WithinRel(47.5, 1e-14));
    CHECK(out.cross.liquidated_count == 1);
    REQUIRE(out.cross.liquidated.size() == 1);
    CHECK(out.cross.liquidated[0] == 0);
    CHECK(out.cross.liquidated_step[0] == 1);
    CHECK(out.cross.checked == 1);  // V never entered the prefix
    CHECK(out.cross.liquidated_legs[0] == 1);
    CHECK(out.cross.liquidated_legs[1] == 1);
    CHECK_THAT(out.cross.liquidated_notional[0], WithinRel(10.0 * 88.5, 1e-14));
    CHECK_THAT(out.cross.liquidated_notional[1], WithinRel(4.0 * 49.0, 1e-14));
    CHECK(out.cross.ledger.bad_debt == 1400);
    CHECK(out.cross.ledger.fund == 0);
    CHECK(out.cross.ledger.fund_payouts == 500);
    CHECK(out.assets[0].venues[0].liquidated_count == 0);
    CHECK(out.assets[1].venues[0].liquidated_count == 1);
    REQUIRE(out.assets[1].venues[0].steps.size() >= 2);
    CHECK(out.assets[1].venues[0].steps[1].liquidated_count == 1);
    CHECK(out.assets[1].venues[0].ledger.bad_debt == 75);
    CHECK(out.balanced());
    CHECK_THAT(out.total_bad_debt(), WithinRel(14.75, 1e-14));
    // A reused workspace resets what the previous run touched: the same run again.
    multi_asset_workspace<double> ws;
    for (int again = 0; again < 2; ++again) {
        const auto r = sim.run(shocks, ws);
        CHECK(r.assets[0].final_price == out.assets[0].final_price);
        CHECK(r.assets[1].final_price == out.assets[1].final_price);
        CHECK(r.cross.checked == 1);
        CHECK(r.cross.liquidated == out.cross.liquidated);
        CHECK(r.assets[1].venues[0].liquidated_count == 1);
        CHECK(r.cross.ledger.bad_debt == 1400);
    }
}

TEST_CASE("multi-asset: accounts each on one asset reduce exactly to the single-asset simulator", "[cascade][multi]") {
    std::mt19937_64 gen(41);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 20; ++trial) {
        const std::vector<double> p0{100.0, 20.0, 3.0};
        std::vector<iso_soa> soa(3);
        for (std::size_t k = 0; k < 3; ++k)
            for (int i = 0; i < 300; ++i) {
                const double size = (0.5 + u(gen)) * 100.0 / p0[k];
                const double q = u(gen) < 0.75 ? size : -size;
                const double entry = p0[k] * (0.97 + 0.06 * u(gen));  // draws in sequence: same book under every compiler
                const double collateral = std::round(size * p0[k] / (3.0 + 60.0 * u(gen)) * 100.0) / 100.0;
                soa[k].add(q, entry, collateral, 0.005 + 0.01 * u(gen));
            }
        std::vector<liquidation_book<double>> books;
        for (const auto& s : soa) books.push_back(s.book());
        const loss_waterfall<double> w{50.0, 0.005, trial % 2 == 0 ? residual_loss::auto_deleveraging : residual_loss::socialised,
                                       adl_ranking::binance};
        std::vector<double> lambda{0.0002, 0.00005, 0.00001};
        const double rho = trial % 2 == 0 ? 0.1 : 0.0;
        std::vector<asset_t> assets;
        // Every third trial a keeper one step late that skips liquidations whose reward is
        // below 0.2 (abandoned accounts, pending crossings across steps).
        std::optional<keeper_model<double>> keeper;
        if (trial % 3 == 0) keeper = keeper_model<double>(1, 0.2, 0.5);
        for (std::size_t k = 0; k < 3; ++k)
            assets.push_back(asset_t{linear_impact<double>(lambda[k], rho), {&books[k], {}, w, keeper}});
        const sim_t multi(assets);
        std::vector<exogenous_shock<double>> shocks;
        for (std::size_t k = 0; k < 3; ++k) shocks.push_back(exogenous_shock<double>::instant_relative(p0[k], -0.12 * u(gen)));
        const auto out = multi.run(shocks);
        REQUIRE(out.converged);
        CHECK(out.balanced());
        for (std::size_t k = 0; k < 3; ++k) {
            using single = cascade_simulator<double>;
            const single one(linear_impact<double>(lambda[k], rho), {single::venue{&books[k], {}, w, keeper}});
            const auto ref = one.run(shocks[k]);
            const auto& got = out.assets[k];
            REQUIRE(got.venues.size() == 1);
            // The multi-asset run goes on until every asset is still; with resilience the mark
            // keeps recovering after this asset's own fixed point, so compare at that step.
            REQUIRE(got.prices.size() >= ref.prices.size());
            CHECK(got.prices[ref.prices.size() - 1] == ref.final_price);
            if (trial % 2 == 1) CHECK(got.final_price == ref.final_price);
            CHECK(got.lowest_price == ref.lowest_price);
            CHECK(got.steps_to_fixed_point == ref.steps_to_fixed_point);
            CHECK(got.venues[0].liquidated_count == ref.venues[0].liquidated_count);
            CHECK(got.venues[0].liquidated_notional == ref.venues[0].liquidated_notional);
            CHECK(got.venues[0].adl_count == ref.venues[0].adl_count);
            if (trial % 2 == 1) CHECK(got.venues[0].unliquidated_exposure == ref.venues[0].unliquidated_exposure);  // at the final mark
            CHECK(got.venues[0].automation_cost == ref.venues[0].automation_cost);
            const auto& g = got.venues[0].ledger;
            const auto& r = ref.venues[0].ledger;
            CHECK(g.collateral == r.collateral);
            CHECK(g.fund == r.fund);
            CHECK(g.market == r.market);
            CHECK(g.bad_debt == r.bad_debt);
            CHECK(g.fees == r.fees);
            CHECK(g.adl_covered == r.adl_covered);
            CHECK(g.socialised == r.socialised);
            // Per step, as long as the single run lasted.
            REQUIRE(got.prices.size() >= ref.prices.size());
            for (std::size_t t = 0; t < ref.prices.size(); ++t) CHECK(got.prices[t] == ref.prices[t]);
        }
    }
}

namespace {

// A brute force: every account re-evaluated at every step, full close, linear impact with
// resilience; written from the model's definition (docs/cascades.md §3 and §11), not from the
// simulator. Returns per asset the final price, the number of isolated liquidations per step,
// and the step of each cross account's liquidation (0: never).
struct brute_result {
    std::vector<double> final_price;
    std::vector<std::vector<std::size_t>> iso_per_step;  // [asset][step − 1]
    std::vector<std::size_t> cross_step;                 // per input cross account
    std::size_t steps{0};
};

brute_result brute_force(const std::vector<iso_soa>& iso, const cross_soa& cx, const std::vector<double>& lambda, double rho,
                         const std::vector<std::vector<double>>& path /* [asset][step − 1] */) {
    const std::size_t k_assets = iso.size();
    brute_result r;
    r.iso_per_step.assign(k_assets, {});
    r.cross_step.assign(cx.wallet.size(), 0);
    std::vector<std::vector<char>> iso_alive(k_assets);
    for (std::size_t k = 0; k < k_assets; ++k) iso_alive[k].assign(iso[k].q.size(), 1);
    std::vector<double> disp(k_assets, 0.0), mark(k_assets);
    std::size_t horizon = 0;
    for (const auto& p : path) horizon = std::max(horizon, p.size());
    for (std::size_t t = 1; t < 10000; ++t) {
        std::vector<double> ref(k_assets), volume(k_assets, 0.0);
        for (std::size_t k = 0; k < k_assets; ++k) {
            if (t > 1) disp[k] *= 1.0 - rho;
            ref[k] = t <= path[k].size() ? path[k][t - 1] : path[k].back();
            mark[k] = ref[k] + lambda[k] * disp[k];
        }
        bool any = false;
        for (std::size_t k = 0; k < k_assets; ++k) {
            std::size_t count = 0;
            for (std::size_t i = 0; i < iso[k].q.size(); ++i) {
                if (!iso_alive[k][i]) continue;
                const double q = iso[k].q[i];
                const double equity = iso[k].c[i] + q * (mark[k] - iso[k].e[i]);
                const double mm = iso[k].m[i] * std::abs(q) * mark[k];
                if (equity < mm) {
                    iso_alive[k][i] = 0;
                    volume[k] -= q;
                    ++count;
                }
            }
            r.iso_per_step[k].push_back(count);
            any |= count > 0;
        }
        for (std::size_t a = 0; a < cx.wallet.size(); ++a) {
            if (r.cross_step[a] != 0) continue;
            double equity = cx.wallet[a], mm = 0;
            for (std::size_t j = 0; j < cx.account.size(); ++j) {
                if (cx.account[j] != a) continue;
                equity += cx.q[j] * (mark[cx.asset[j]] - cx.e[j]);
                mm += cx.m[j] * std::abs(cx.q[j]) * mark[cx.asset[j]];
            }
            if (equity < mm) {
                r.cross_step[a] = t;
                any = true;
                for (std::size_t j = 0; j < cx.account.size(); ++j)
                    if (cx.account[j] == a) volume[cx.asset[j]] -= cx.q[j];
            }
        }
        for (std::size_t k = 0; k < k_assets; ++k) {
            disp[k] += volume[k];
            mark[k] = ref[k] + lambda[k] * disp[k];
        }
        r.steps = t;
        if (t >= horizon && !any) break;
    }
    r.final_price = mark;
    return r;
}

struct random_case {
    std::vector<double> p0;
    std::vector<iso_soa> iso;
    cross_soa cross;
    std::vector<double> lambda;
    double rho;
    std::vector<std::vector<double>> path;
};

random_case make_case(std::mt19937_64& gen, std::size_t n_iso, std::size_t n_cross) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    random_case c;
    c.p0 = {100.0, 20.0, 3.0};
    c.iso.resize(3);
    // Whole cents, so the book's cents equal the brute force's collateral.
    auto cents = [](double x) { return std::round(x * 100.0) / 100.0; };
    for (std::size_t i = 0; i < n_iso; ++i) {
        const auto k = static_cast<std::size_t>(u(gen) * 3.0);
        const double size = (0.5 + u(gen)) * 100.0 / c.p0[k];
        const double q = u(gen) < 0.7 ? size : -size;
        const double entry = c.p0[k] * (0.97 + 0.06 * u(gen));  // draws in sequence: same book under every compiler
        const double collateral = cents(size * c.p0[k] / (2.0 + 50.0 * u(gen)));
        c.iso[k].add(q, entry, collateral, 0.005 + 0.01 * u(gen));
    }
    for (auto& s : c.iso)
        if (s.q.empty()) s.add(1.0, 1.0, 1.0, 0.0);  // unleveraged filler: a book needs one account
    for (std::size_t a = 0; a < n_cross; ++a) {
        const int legs = 1 + static_cast<int>(u(gen) * 3.0);
        double notional = 0;
        for (int r = 0; r < legs; ++r) {
            const auto k = static_cast<std::uint32_t>(u(gen) * 3.0);
            const double size = (0.2 + u(gen)) * 100.0 / c.p0[k];
            const double signed_size = u(gen) < 0.7 ? size : -size;
            const double entry = c.p0[k] * (0.97 + 0.06 * u(gen));
            c.cross.leg(static_cast<std::uint32_t>(a), k, signed_size, entry, 0.005 + 0.01 * u(gen));
            notional += size * c.p0[k];
        }
        c.cross.wallet.push_back(cents(notional / (2.0 + 40.0 * u(gen))));
    }
    c.lambda = {0.004 * u(gen), 0.0008 * u(gen), 0.0001 * u(gen)};
    c.rho = u(gen) < 0.5 ? 0.0 : 0.3 * u(gen);
    c.path.resize(3);
    const bool multi_step = u(gen) < 0.5;
    for (std::size_t k = 0; k < 3; ++k) {
        const std::size_t steps = multi_step ? 1 + static_cast<std::size_t>(u(gen) * 4.0) : 1;
        double p = c.p0[k];
        for (std::size_t t = 0; t < steps; ++t) {
            p *= 1.0 + (u(gen) < 0.3 ? 0.0 : (u(gen) - 0.6) * 0.2);
            c.path[k].push_back(p);
        }
    }
    return c;
}

}  // namespace

TEST_CASE("multi-asset: the liquidated accounts are those of a brute-force re-evaluation of every account",
          "[cascade][multi]") {
    std::mt19937_64 gen(43);
    std::size_t cross_liquidated = 0, iso_liquidated = 0, mismatched_runs = 0, compared_runs = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const auto c = make_case(gen, 240, 120);
        const double fund = trial % 4 == 0 ? 20.0 : 1e7;  // a small fund: ADL runs (conservation only)
        std::vector<liquidation_book<double>> books;
        for (const auto& s : c.iso) books.push_back(s.book());
        const auto cross = c.cross.book(c.p0);
        std::vector<asset_t> assets;
        for (std::size_t k = 0; k < 3; ++k)
            assets.push_back(asset_t{linear_impact<double>(c.lambda[k], c.rho),
                                     {&books[k], {}, {fund, 0.004, residual_loss::auto_deleveraging, adl_ranking::bitmex}, {}}});
        const sim_t sim(assets, &cross, {10.0, 0.004, residual_loss::bad_debt, adl_ranking::bitmex});
        std::vector<exogenous_shock<double>> shocks;
        for (std::size_t k = 0; k < 3; ++k) shocks.push_back(exogenous_shock<double>::path(c.p0[k], c.path[k]));
        const auto out = sim.run(shocks);
        // ADL changes the opposite side's positions, which the brute force does not model: compare
        // only where no deficit reached ADL (most runs), and check conservation in every run.
        CHECK(out.balanced());
        bool adl = false;
        for (const auto& a : out.assets) adl |= a.venues[0].adl_count > 0;
        if (adl) continue;
        const auto ref = brute_force(c.iso, c.cross, c.lambda, c.rho, c.path);
        bool same = ref.steps == out.assets[0].prices.size();
        std::vector<std::size_t> got_step(c.cross.wallet.size(), 0);
        for (std::size_t r = 0; r < out.cross.liquidated.size(); ++r) got_step[out.cross.liquidated[r]] = out.cross.liquidated_step[r];
        same &= got_step == ref.cross_step;
        for (std::size_t k = 0; k < 3 && same; ++k) {
            same &= std::abs(out.assets[k].final_price - ref.final_price[k]) <= 1e-9 * ref.final_price[k];
            for (std::size_t t = 0; t < ref.iso_per_step[k].size() && same; ++t)
                same &= out.assets[k].venues[0].steps[t].liquidated_count == ref.iso_per_step[k][t];
        }
        if (!same) ++mismatched_runs;
        ++compared_runs;
        cross_liquidated += out.cross.liquidated_count;
        for (const auto& a : out.assets) iso_liquidated += a.venues[0].liquidated_count;
    }
    CHECK(mismatched_runs == 0);
    CHECK(compared_runs > 200);
    CHECK(cross_liquidated > 200);  // the property is exercised on both kinds of account
    CHECK(iso_liquidated > 500);
}

TEST_CASE("multi-asset: a shuffled book gives the identical result", "[cascade][multi]") {
    std::mt19937_64 gen(47);
    for (int trial = 0; trial < 10; ++trial) {
        auto c = make_case(gen, 600, 300);
        c.path = {{c.p0[0] * 0.9}, {c.p0[1]}, {c.p0[2] * 1.02}};
        auto run = [&](const random_case& rc) {
            std::vector<liquidation_book<double>> books;
            for (const auto& s : rc.iso) books.push_back(s.book());
            const auto cross = rc.cross.book(rc.p0);
            std::vector<asset_t> assets;
            for (std::size_t k = 0; k < 3; ++k)
                assets.push_back(asset_t{linear_impact<double>(rc.lambda[k], rc.rho),
                                         {&books[k], {}, {5.0, 0.004, residual_loss::auto_deleveraging, adl_ranking::bitmex}, {}}});
            const sim_t sim(assets, &cross, {1.0, 0.004, residual_loss::bad_debt, adl_ranking::bitmex});
            std::vector<exogenous_shock<double>> shocks;
            for (std::size_t k = 0; k < 3; ++k) shocks.push_back(exogenous_shock<double>::path(rc.p0[k], rc.path[k]));
            return sim.run(shocks);
        };
        const auto a = run(c);
        // Shuffle every isolated book, the cross accounts and their legs.
        random_case s = c;
        for (auto& b : s.iso) {
            std::vector<std::size_t> p(b.q.size());
            std::iota(p.begin(), p.end(), std::size_t{0});
            std::shuffle(p.begin(), p.end(), gen);
            iso_soa out;
            for (const auto i : p) out.add(b.q[i], b.e[i], b.c[i], b.m[i]);
            b = out;
        }
        std::vector<std::uint32_t> perm(c.cross.wallet.size());
        std::iota(perm.begin(), perm.end(), 0U);
        std::shuffle(perm.begin(), perm.end(), gen);
        s.cross = {};
        // A fresh vector, not resize() of the emptied one: g++ 12 at -O3 reports a false
        // -Wnull-dereference inside vector::resize after the reset (issue #14, class 10).
        s.cross.wallet = std::vector<double>(perm.size());
        for (std::size_t i = 0; i < perm.size(); ++i) s.cross.wallet[perm[i]] = c.cross.wallet[i];
        std::vector<std::size_t> legs(c.cross.account.size());
        std::iota(legs.begin(), legs.end(), std::size_t{0});
        std::shuffle(legs.begin(), legs.end(), gen);
        for (const auto j : legs) s.cross.leg(perm[c.cross.account[j]], c.cross.asset[j], c.cross.q[j], c.cross.e[j], c.cross.m[j]);
        const auto b = run(s);
        for (std::size_t k = 0; k < 3; ++k) {
            CHECK(a.assets[k].final_price == b.assets[k].final_price);
            CHECK(a.assets[k].prices == b.assets[k].prices);
            CHECK(a.assets[k].venues[0].liquidated_count == b.assets[k].venues[0].liquidated_count);
            const auto& la = a.assets[k].venues[0].ledger;
            const auto& lb = b.assets[k].venues[0].ledger;
            CHECK((la.collateral == lb.collateral && la.fund == lb.fund && la.market == lb.market && la.bad_debt == lb.bad_debt &&
                   la.adl_covered == lb.adl_covered));
        }
        REQUIRE(a.cross.liquidated.size() == b.cross.liquidated.size());
        for (std::size_t r = 0; r < a.cross.liquidated.size(); ++r) CHECK(perm[a.cross.liquidated[r]] == b.cross.liquidated[r]);
        CHECK(a.cross.ledger.collateral == b.cross.ledger.collateral);
        CHECK(a.cross.ledger.bad_debt == b.cross.ledger.bad_debt);
        CHECK(a.cross.ledger.fund == b.cross.ledger.fund);
    }
}

TEST_CASE("multi-asset: no leverage never cascades", "[cascade][multi]") {
    // Longs only, collateral ≥ notional at entry: equity = C + q(P − E) ≥ qP > m·q·P for every P > 0,
    // so no fall liquidates anyone, isolated or cross (legs all long, wallet ≥ Σ q·E).
    std::mt19937_64 gen(53);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::vector<double> p0{100.0, 20.0, 3.0};
    std::vector<iso_soa> iso(3);
    cross_soa cx;
    for (std::size_t k = 0; k < 3; ++k)
        for (int i = 0; i < 200; ++i) {
            const double q = 0.1 + u(gen);
            iso[k].add(q, p0[k], std::ceil(q * p0[k] * 100.0) / 100.0, 0.01);
        }
    for (std::uint32_t a = 0; a < 200; ++a) {
        double notional = 0;
        for (std::uint32_t k = 0; k < 3; ++k) {
            const double q = 0.1 + u(gen);
            cx.leg(a, k, q, p0[k], 0.01);
            notional += q * p0[k];
        }
        cx.wallet.push_back(std::ceil(notional * 100.0) / 100.0);
    }
    std::vector<liquidation_book<double>> books;
    for (const auto& s : iso) books.push_back(s.book());
    const auto cross = cx.book(p0);
    std::vector<asset_t> assets;
    for (std::size_t k = 0; k < 3; ++k) assets.push_back(asset_t{linear_impact<double>(0.01), {&books[k], {}, no_fee_bad_debt, {}}});
    const sim_t sim(assets, &cross);
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::instant_relative(100.0, -0.6),
                                                      exogenous_shock<double>::instant_relative(20.0, -0.5),
                                                      exogenous_shock<double>::instant_relative(3.0, -0.4)};
    const auto out = sim.run(shocks);
    CHECK(out.cross.liquidated_count == 0);
    for (const auto& a : out.assets) CHECK(a.venues[0].liquidated_count == 0);
    CHECK(out.steps_to_fixed_point == 0);
    CHECK(out.balanced());
}

TEST_CASE("multi-asset: an asset without isolated positions, and cross accounts only", "[cascade][multi]") {
    // One cross account: wallet 10, long 1 A @ 100 (m 0): liquidated when 10 + (P − 100) < 0, i.e. P < 90.
    // Shock A to 89, λ = 1: it sells 1, A = 89 − 1 = 88; fill 88.5; cash 10 − 11.5 = −1.5: fund 0, bad debt 1.50.
    cross_soa cx;
    cx.wallet = {10.0};
    cx.leg(0, 0, 1.0, 100.0, 0.0);
    const std::vector<double> p0{100.0};
    const auto cross = cx.book(p0);
    const sim_t sim({asset_t{linear_impact<double>(1.0), {}}}, &cross);
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::instant_relative(100.0, -0.11)};
    const auto out = sim.run(shocks);
    CHECK(out.assets[0].venues.empty());
    CHECK_THAT(out.assets[0].final_price, WithinRel(88.0, 1e-14));
    CHECK(out.cross.ledger.bad_debt == 150);
    CHECK(out.balanced());
    // At 90 exactly, equity = MM = 0: not liquidated (strict <).
    const std::vector<exogenous_shock<double>> at_90{exogenous_shock<double>::instant_relative(100.0, -0.1)};
    CHECK(sim.run(at_90).cross.liquidated_count == 0);
}

TEST_CASE("multi-asset: bad input", "[cascade][multi][errors]") {
    iso_soa s;
    s.add(1.0, 100.0, 10.0, 0.01);
    const auto book = s.book();
    cross_soa cx;
    cx.wallet = {10.0};
    cx.leg(0, 0, 1.0, 100.0, 0.0);
    const std::vector<double> p0{100.0, 50.0};
    const auto cross2 = cx.book(p0);
    REQUIRE_THROWS_MATCHES(sim_t(std::vector<asset_t>{}), invalid_argument,
                           Message("multi_asset_simulator: the number of assets is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(sim_t({asset_t{linear_impact<double>(0.1), {&book, {}, no_fee_bad_debt, {}}}}, &cross2), invalid_argument,
                           Message("multi_asset_simulator: the number of assets of the cross book is 2, but must be the number of assets (1)"));
    REQUIRE_THROWS_MATCHES(sim_t({asset_t{linear_impact<double>(0.1), {}}, asset_t{linear_impact<double>(0.1), {}}}, &cross2,
                                 loss_waterfall<double>{}),
                           invalid_argument,
                           Message("multi_asset_simulator: cross_waterfall.residual is auto_deleveraging, but must be bad_debt (cross "
                                   "deficits: the cross fund, then bad debt)"));
    REQUIRE_THROWS_MATCHES(sim_t({asset_t{linear_impact<double>(0.1), {}}}, nullptr,
                                 loss_waterfall<double>{-1.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}),
                           invalid_argument, Message("multi_asset_simulator: insurance_fund is -1, but must be finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
    // An isolated venue's waterfall is checked by the asset's cascade_steps, in this simulator's name.
    REQUIRE_THROWS_MATCHES(sim_t({asset_t{linear_impact<double>(0.1), {&book, {}, {0.0, 1.0}, {}}}}), invalid_argument,
                           Message("multi_asset_simulator: liquidation_fee_rate is 1, but must be in [0, 1)"));
    const sim_t two({asset_t{linear_impact<double>(10.0), {&book, {}, no_fee_bad_debt, {}}}, asset_t{linear_impact<double>(0.1), {}}},
                    &cross2);
    const std::vector<exogenous_shock<double>> one_shock{exogenous_shock<double>::instant_relative(100.0, -0.1)};
    REQUIRE_THROWS_MATCHES(two.run(one_shock), invalid_argument,
                           Message("multi_asset_simulator: the number of shocks is 1, but must be the number of assets (2)"));
    // λ_A × (isolated long 1 + cross long 1) = 20 ≥ the start price 15.
    const std::vector<exogenous_shock<double>> low{exogenous_shock<double>::instant_relative(15.0, -0.1),
                                                   exogenous_shock<double>::instant_relative(50.0, 0.0)};
    REQUIRE_THROWS_MATCHES(two.run(low), invalid_argument,
                           Message("multi_asset_simulator: lambda × long quantity of asset 0 is 20, but must be < its start price 15"));
    // Prices ≤ 0 are refused by the shock itself.
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::instant_relative(-1.0, 0.0), invalid_argument,
                           Message("exogenous_shock::instant_relative: start_price is -1, but must be finite and > 0"));
}

TEST_CASE("multi-asset: tiered books and partial closes reduce to the single-asset simulator", "[cascade][multi][tiers]") {
    // Binance BTCUSDT brackets (first five levels, GET /fapi/v1/leverageBracket) on asset 0, a
    // flat book on asset 1, partial closes to 1.5 × MM: each asset's run equals the single-asset
    // simulator's on its book (no cross accounts, no resilience, so the runs are independent).
    const tier_schedule<double> tiers({{0, 50'000, 125, 0.004, 0.0},
                                       {50'000, 250'000, 100, 0.005, 50.0},
                                       {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                       {3'000'000, 20'000'000, 20, 0.025, 46'300.0},
                                       {20'000'000, 40'000'000, 10, 0.05, 546'300.0}});
    std::mt19937_64 gen(59);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    iso_soa a, b;
    for (int i = 0; i < 400; ++i) {
        const double notional = 1'000.0 * std::exp(8.0 * u(gen));  // 1 k – 3 M: several tiers
        const double size = notional / 30'000.0;
        const double qa = u(gen) < 0.7 ? size : -size;  // draws in sequence: same book under every compiler
        a.add(qa, 30'000.0, std::round(notional / (2.0 + 40.0 * u(gen)) * 100.0) / 100.0, 0.0);
        const double sb = (0.5 + u(gen)) * 10.0;
        const double qb = u(gen) < 0.7 ? sb : -sb;
        b.add(qb, 100.0, std::round(sb * 100.0 / (2.0 + 40.0 * u(gen)) * 100.0) / 100.0, 0.01);
    }
    const liquidation_book<double> book_a(a.q, a.e, a.c, tiers);
    const liquidation_book<double> book_b = b.book();
    using psim = multi_asset_simulator<double, linear_impact<double>, partial_close<double>>;
    const loss_waterfall<double> w{1'000.0, 0.005, residual_loss::auto_deleveraging, adl_ranking::binance};
    const partial_close<double> policy(0.5, 0.1);
    const psim multi({psim::asset{linear_impact<double>(0.2), {&book_a, policy, w, {}}},
                      psim::asset{linear_impact<double>(0.001), {&book_b, policy, w, {}}}});
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::instant_relative(30'000.0, -0.06),
                                                      exogenous_shock<double>::instant_relative(100.0, -0.05)};
    const auto out = multi.run(shocks);
    CHECK(out.balanced());
    const std::array<const liquidation_book<double>*, 2> books{&book_a, &book_b};
    const std::array<double, 2> lambda{0.2, 0.001};
    for (std::size_t k = 0; k < 2; ++k) {
        using single = cascade_simulator<double, linear_impact<double>, partial_close<double>>;
        const single one(linear_impact<double>(lambda[k]), {single::venue{books[k], policy, w, {}}});
        const auto ref = one.run(shocks[k]);
        CHECK(ref.venues[0].liquidated_count > 0);
        CHECK(out.assets[k].final_price == ref.final_price);
        CHECK(out.assets[k].venues[0].liquidated_count == ref.venues[0].liquidated_count);
        CHECK(out.assets[k].venues[0].ledger.collateral == ref.venues[0].ledger.collateral);
        CHECK(out.assets[k].venues[0].ledger.fund == ref.venues[0].ledger.fund);
        CHECK(out.assets[k].venues[0].ledger.bad_debt == ref.venues[0].ledger.bad_debt);
    }
}

TEST_CASE("multi-asset: a cross settlement beyond int64 cents is reported, not wrapped", "[cascade][multi][errors][money]") {
    // Cross account: wallet 1e14, short 4e14 A at 100 (Σ W + Σ |q|·E = 4.01e16, within the
    // door's 4.6e16), m = 0. A rises 1000-fold to 100,000: equity 1e14 − 4e14 × 99,900 < 0,
    // liquidated; the leg's PnL ≈ −4e19 = −4e21 cents, beyond int64 (±9.22e18).
    cross_soa cx;
    cx.wallet = {1e14};
    cx.leg(0, 0, -4e14, 100.0, 0.0);
    const std::vector<double> p0{100.0};
    const auto cross = cx.book(p0);
    const sim_t big({asset_t{linear_impact<double>(1e-17), {}}}, &cross);
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::instant_relative(100.0, 999.0)};
    REQUIRE_THROWS_MATCHES(big.run(shocks), invalid_argument,
                           Message("multi_asset_simulator: a cents amount of the cross accounts is beyond the int64 range, but "
                                   "must be within +-92233720368547758.07 (the book's amounts are too large for int64 cents)"));
}
