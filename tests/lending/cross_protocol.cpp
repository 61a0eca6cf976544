// Cross-protocol cascades (include/margincall/cascade/cross_protocol.hpp): the single-venue runs
// are today's simulators' runs; a depeg scenario with a StableSwap pool, two lending protocols and
// a perp venue conserves every asset and money to the cent (each liquidation re-checked against
// its protocol's own formula by hand), reaches a fixed point re-checked by brute force at every
// step, does not depend on the order of the accounts; bad input is named and changes nothing.
#include "catch.hpp"
#include "lending/cross_protocol_scenario.hpp"

#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/amm_stableswap.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/cross_protocol.hpp>
#include <margincall/cascade/lending_cascade.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace mc = margincall;
using Catch::Matchers::Contains;

using cross_test::depeg_path;
using cross_test::perp_book;
using cross_test::scenario;

TEST_CASE("cross protocol: one perp venue is cascade_simulator's run", "[cascade][cross_protocol]") {
    const auto b = perp_book(2000, 7, 100).book();
    const mc::loss_waterfall<double> w{.insurance_fund = 500, .liquidation_fee_rate = 0.005};
    const mc::linear_impact<double> impact(0.0005, 0.2);
    const std::vector<double> refs{98, 96, 95, 95, 94};
    const mc::cascade_simulator<double> sim(impact, {{.book = &b, .waterfall = w}});
    const auto expected = sim.run(mc::exogenous_shock<double>::path(100, refs));

    mc::cross_protocol_path<double> path{.start = {100}};
    for (std::size_t t = 0; t < refs.size(); ++t) {
        path.steps.push_back({refs[t]});
        path.times.push_back(static_cast<double>(t + 1));
    }
    const mc::cross_protocol_simulator<double> x(1, {mc::cross_pool<double>(impact, 0)}, {mc::push_oracle<double>(0, 1)},
                                                 {{.name = "perp", .asset = 0, .books = {{.book = &b, .waterfall = w}}}}, {});
    const auto got = x.run(path);
    REQUIRE(got.perp.size() == 1);
    const auto& g = got.perp[0];
    CHECK(expected.venues[0].liquidated_count > 100);
    REQUIRE(g.prices.size() == expected.prices.size());
    for (std::size_t t = 0; t < g.prices.size(); ++t) {
        CHECK(g.prices[t] == expected.prices[t]);
        CHECK(g.reference_prices[t] == expected.reference_prices[t]);
    }
    const auto& gv = g.venues[0];
    const auto& ev = expected.venues[0];
    CHECK(gv.liquidated_count == ev.liquidated_count);
    CHECK(gv.liquidated_notional == ev.liquidated_notional);
    CHECK(gv.adl_notional == ev.adl_notional);
    CHECK(gv.ledger.bad_debt == ev.ledger.bad_debt);
    CHECK(gv.ledger.fund == ev.ledger.fund);
    CHECK(gv.ledger.collateral == ev.ledger.collateral);
    CHECK(gv.ledger.market == ev.ledger.market);
    CHECK(gv.ledger.balanced());
    CHECK(gv.steps.size() == ev.steps.size());
    CHECK(g.final_price == expected.final_price);
    CHECK(g.lowest_price == expected.lowest_price);
    CHECK(g.drawdown == expected.drawdown);
    CHECK(g.amplification == expected.amplification);
    CHECK(g.steps_to_fixed_point == expected.steps_to_fixed_point);
    CHECK(g.converged == expected.converged);
}

TEST_CASE("cross protocol: one lending venue is run_lending_cascade's run", "[cascade][cross_protocol]") {
    const mc::lending_market<double> m(
        {{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045, .protocol_fee = 0.10}});
    // 500 accounts on a grid of HF from 1.02 (step 0.001), sizes 1 to 50 WETH cycling.
    std::vector<mc::lending_account<double>> accounts(500);
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const double hf = 1.02 + 0.001 * static_cast<double>(i), weth = 1.0 + static_cast<double>((7 * i) % 50);
        accounts[i] = {.collateral = {weth, 0}, .debt = {0, weth * 2000 * 0.825 / hf}};
    }
    // Without a fee: the lending cascade sells sale after sale, this one batch per round, and the
    // amm_impact state counts a sale's fee in the displacement (amm_impact.hpp), which makes
    // sequential fills differ from one batch by a fraction of the fee; fee-free, both are the
    // same curve integral.
    const mc::constant_product_impact<double> pool(50000, 50000 * 2000.0, 0.0, 0.1);
    std::vector<double> times, ref;
    mc::cross_protocol_path<double> path{.start = {2000, 1}};
    for (int t = 0; t <= 10; ++t) {
        times.push_back(60.0 * t);
        ref.push_back(2000 - 30.0 * t);
        path.steps.push_back({ref.back(), 1});
        path.times.push_back(times.back());
    }
    auto expected_accounts = accounts;
    const auto expected = mc::run_lending_cascade(m, expected_accounts, mc::aave_v3_liquidation<double>{}, pool,
                                                  mc::push_oracle<double>(0.005, 3600), {2000, 1}, times, ref,
                                                  {.debt_asset = 1, .collateral_asset = 0});
    std::vector<mc::cross_lending_venue<double>> lendings;
    lendings.emplace_back("aave", m, accounts, std::vector<std::size_t>{0, 1},
                          std::vector<std::pair<std::size_t, std::size_t>>{{1, 0}}, mc::aave_v3_liquidation<double>{});
    const mc::cross_protocol_simulator<double> x(2, {mc::cross_pool<double>(pool, 0)},
                                                 std::vector<mc::push_oracle<double>>(2, mc::push_oracle<double>(0.005, 3600)),
                                                 {}, std::move(lendings));
    const auto got = x.run(path);
    REQUIRE(got.steps.size() >= expected.steps.size());
    std::size_t liquidations = 0;
    for (std::size_t t = 0; t < expected.steps.size(); ++t) {
        const auto& e = expected.steps[t];
        const auto& s = got.steps[t];
        const auto& v = got.venue_steps[0][t];
        liquidations += e.liquidations;
        CHECK(v.liquidations == e.liquidations);
        CHECK(s.rounds == e.rounds);
        CHECK(v.sold[0] == Approx(e.collateral_sold).epsilon(1e-12).margin(1e-12));
        CHECK(v.taken[0] == Approx(e.collateral_sold + e.protocol_fees).epsilon(1e-12).margin(1e-12));
        CHECK(v.repaid[1] == Approx(e.debt_repaid).epsilon(1e-12).margin(1e-12));
        CHECK(v.written_off[1] == Approx(e.bad_debt).epsilon(1e-12).margin(1e-12));
        // One batch per round against the lending cascade's sale after sale: the same curve
        // integral, so the same proceeds up to rounding.
        CHECK(v.liquidator_profit == Approx(e.liquidator_profit).epsilon(1e-9).margin(1e-6));
        CHECK(s.market_price[0] == Approx(e.market_price).epsilon(1e-12));
        CHECK(s.oracle_price[0] == Approx(e.oracle_price).epsilon(1e-12));
    }
    CHECK(liquidations > 100);
    for (std::size_t t = expected.steps.size(); t < got.steps.size(); ++t) CHECK(got.venue_steps[0][t].liquidations == 0);
    for (std::size_t k = 0; k < accounts.size(); ++k) {
        CHECK(got.lending_accounts[0][k].collateral[0] == Approx(expected_accounts[k].collateral[0]).epsilon(1e-12));
        CHECK(got.lending_accounts[0][k].debt[1] == Approx(expected_accounts[k].debt[1]).epsilon(1e-12).margin(1e-9));
    }
}

TEST_CASE("cross protocol: a depeg conserves every asset and money to the cent", "[cascade][cross_protocol]") {
    const scenario sc(21);
    const auto sim = sc.simulator({.record_liquidations = true});
    const auto out = sim.run(depeg_path());
    REQUIRE(out.converged);
    // Per asset: what left the lending accounts, what they owe less, what the pools took.
    std::vector<double> taken(3, 0.0), sold(3, 0.0), repaid(3, 0.0), written_off(3, 0.0);
    std::size_t lending_liquidations = 0, perp_liquidations = 0;
    for (std::size_t v = 0; v < out.venue_steps.size(); ++v)
        for (const auto& s : out.venue_steps[v]) {
            for (std::size_t a = 0; a < 3; ++a) {
                taken[a] += s.taken[a];
                sold[a] += s.sold[a];
                repaid[a] += s.repaid[a];
                written_off[a] += s.written_off[a];
            }
            (v == 0 ? perp_liquidations : lending_liquidations) += s.liquidations;
        }
    CHECK(lending_liquidations > 50);
    CHECK(perp_liquidations > 10);
    std::vector<double> coll_before(3, 0.0), coll_after(3, 0.0), debt_before(3, 0.0), debt_after(3, 0.0);
    const std::vector<std::size_t> loop_assets{0, 1}, comet_assets{2, 0, 1};
    auto add = [](std::vector<double>& c, std::vector<double>& d, const auto& accounts, const auto& assets) {
        for (const auto& a : accounts)
            for (std::size_t i = 0; i < assets.size(); ++i) {
                c[assets[i]] += a.collateral[i];
                d[assets[i]] += a.debt[i];
            }
    };
    add(coll_before, debt_before, sc.loop_accounts, loop_assets);
    add(coll_before, debt_before, sc.comet_accounts, comet_assets);
    add(coll_after, debt_after, out.lending_accounts[0], loop_assets);
    add(coll_after, debt_after, out.lending_accounts[1], comet_assets);
    double credit_units = 0;  // USDC credited to Comet accounts (their supply rises)
    for (const auto& l : out.liquidations) credit_units += l.quote.account_credit;
    for (std::size_t a = 0; a < 2; ++a) CHECK(coll_before[a] == Approx(coll_after[a] + taken[a]).epsilon(1e-13));
    CHECK(coll_after[2] - coll_before[2] == Approx(credit_units).epsilon(1e-13));
    for (std::size_t a = 0; a < 3; ++a)
        CHECK(debt_before[a] == Approx(debt_after[a] + repaid[a] + written_off[a]).epsilon(1e-13).margin(1e-9));
    // Every pool holds exactly what every venue sold into it (no resilience).
    CHECK(out.displacement[0] == Approx(-sold[0]).epsilon(1e-12));
    CHECK(out.displacement[1] == Approx(-sold[1]).epsilon(1e-12));
    // Each liquidation against its protocol's formula, to the cent (numeraire values):
    //   Aave: (seized + fee)·p_c = repaid·p_d·(1 + bonus); fee = (seized + fee)·(1 − 1/(1 + bonus))·10 %;
    //   Comet: Σ_i taken_i·p_i·LF_i = (repaid + credit)·p_base.
    double loop_fees = 0;
    for (const auto& l : out.liquidations) {
        const auto& q = l.quote;
        if (l.venue == 0) {
            CHECK(std::abs(q.collateral_taken * l.prices[1] - q.debt_repaid * l.prices[0] * 1.01) < 0.005);
            CHECK(std::abs((q.collateral_taken - q.collateral_taken / 1.01) * 0.10 - q.protocol_fee) * l.prices[1] < 0.005);
            CHECK(q.collateral_taken == Approx(q.collateral_seized + q.protocol_fee).epsilon(1e-14));
            loop_fees += q.protocol_fee * l.prices[1];
        } else {
            REQUIRE(q.taken_by_asset.size() == 3);
            const double credited = q.taken_by_asset[1] * l.prices[1] * 0.95 + q.taken_by_asset[2] * l.prices[2] * 0.93;
            CHECK(std::abs(credited - (q.debt_repaid + q.account_credit) * l.prices[0]) < 0.005);
        }
    }
    double reported_fees = 0;
    for (const auto& s : out.venue_steps[1]) reported_fees += s.protocol_fees;
    CHECK(std::abs(reported_fees - loop_fees) < 0.005);
    // The perp venue's ledger balances to the cent.
    CHECK(out.perp[0].venues[0].ledger.balanced());
    // The accounts the run changed are the ones that differ; without keep_accounts only they are listed.
    for (std::size_t v = 0; v < 2; ++v) {
        const auto& before = v == 0 ? sc.loop_accounts : sc.comet_accounts;
        std::size_t differ = 0;
        for (std::size_t k = 0; k < before.size(); ++k)
            differ += before[k].collateral != out.lending_accounts[v][k].collateral || before[k].debt != out.lending_accounts[v][k].debt;
        CHECK(out.changed_accounts[v].size() == differ);
        for (const auto& [k, a] : out.changed_accounts[v]) CHECK(out.lending_accounts[v][k].debt == a.debt);
    }
    const auto lean = sc.simulator({.keep_accounts = false}).run(depeg_path());
    CHECK(lean.lending_accounts.empty());
    CHECK(lean.changed_accounts[0].size() == out.changed_accounts[0].size());
    CHECK(lean.total_bad_debt() == out.total_bad_debt());
    // The feedback deepens the depeg: the pool ends below the reference peg.
    REQUIRE(out.amplification[1].has_value());
    CHECK(*out.amplification[1] > 1.0);
}

TEST_CASE("cross protocol: every step ends where no account is liquidatable (brute force)", "[cascade][cross_protocol]") {
    for (const std::uint32_t seed : {1U, 2U, 3U}) {
        const scenario sc(seed, 150);
        const auto sim = sc.simulator();
        const mc::aave_v3_liquidation<double> aave;
        const mc::compound_iii_liquidation<double> comet(0, 0.5);
        for (std::size_t steps = 1; steps <= 8; ++steps) {
            const auto out = sim.run(depeg_path(steps));
            const auto& o = out.steps.back().oracle_price;
            const std::vector<double> loop_prices{o[0], o[1]};
            const std::vector<double> comet_prices{o[2], o[0], o[1]};
            for (const auto& a : out.lending_accounts[0]) {
                const auto q = aave.quote(sc.loop_market, a, loop_prices, 0, 1);
                CHECK_FALSE((q.debt_repaid > 0 && q.allowed));
            }
            for (const auto& a : out.lending_accounts[1]) CHECK_FALSE(comet.liquidatable(sc.comet_market, a, comet_prices));
        }
    }
}

TEST_CASE("cross protocol: the order of the lending accounts does not matter", "[cascade][cross_protocol]") {
    const scenario sc(8);
    scenario shuffled = sc;
    std::vector<std::size_t> perm(sc.loop_accounts.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::mt19937_64 gen(99);
    std::shuffle(perm.begin(), perm.end(), gen);
    for (std::size_t k = 0; k < perm.size(); ++k) {
        shuffled.loop_accounts[k] = sc.loop_accounts[perm[k]];
        shuffled.comet_accounts[k] = sc.comet_accounts[perm[k]];
    }
    shuffled.book = shuffled.perp.book();
    const auto a = sc.simulator().run(depeg_path());
    const auto b = shuffled.simulator().run(depeg_path());
    REQUIRE(a.steps.size() == b.steps.size());
    for (std::size_t t = 0; t < a.steps.size(); ++t) {
        CHECK(a.steps[t].rounds == b.steps[t].rounds);
        for (std::size_t x = 0; x < 3; ++x) CHECK(a.steps[t].market_price[x] == Approx(b.steps[t].market_price[x]).epsilon(1e-12));
        for (std::size_t v = 0; v < a.venue_steps.size(); ++v) {
            CHECK(a.venue_steps[v][t].liquidations == b.venue_steps[v][t].liquidations);
            CHECK(a.venue_steps[v][t].debt_repaid == Approx(b.venue_steps[v][t].debt_repaid).epsilon(1e-11).margin(1e-9));
            CHECK(a.venue_steps[v][t].bad_debt == Approx(b.venue_steps[v][t].bad_debt).epsilon(1e-11).margin(1e-9));
            CHECK(a.venue_steps[v][t].liquidator_profit ==
                  Approx(b.venue_steps[v][t].liquidator_profit).epsilon(1e-9).margin(1e-6));
        }
    }
    for (std::size_t k = 0; k < perm.size(); ++k) {
        CHECK(b.lending_accounts[0][k].debt[0] == Approx(a.lending_accounts[0][perm[k]].debt[0]).epsilon(1e-12).margin(1e-9));
        CHECK(b.lending_accounts[1][k].collateral[0] == Approx(a.lending_accounts[1][perm[k]].collateral[0]).epsilon(1e-12).margin(1e-9));
    }
}

TEST_CASE("cross protocol: bad input is named and changes nothing", "[cascade][cross_protocol][bad input]") {
    using sim = mc::cross_protocol_simulator<double>;
    const mc::linear_impact<double> lin(0.001);
    const std::vector<mc::push_oracle<double>> two(2, mc::push_oracle<double>(0, 1));
    const mc::lending_market<double> m({{.ltv = 0.8, .liquidation_threshold = 0.85, .liquidation_bonus = 0.05}, {.collateral = false}});
    auto lending = [&](std::vector<std::size_t> assets, std::pair<std::size_t, std::size_t> pair = {1, 0}) {
        std::vector<mc::cross_lending_venue<double>> v;
        v.emplace_back("L", m, std::vector<mc::lending_account<double>>{{.collateral = {1, 0}, .debt = {0, 100}}},
                       std::move(assets), std::vector<std::pair<std::size_t, std::size_t>>{pair},
                       mc::aave_v3_liquidation<double>{});
        return v;
    };
    // A pool with zero liquidity cannot be built.
    CHECK_THROWS_WITH(mc::stableswap_impact<double>(0, 100, 50, 0.0004), Contains("x is 0"));
    CHECK_THROWS_WITH(sim(2, {mc::cross_pool<double>(lin, 2)}, two, {}, {}), Contains("pools[0].base is 2"));
    CHECK_THROWS_WITH(sim(2, {mc::cross_pool<double>(lin, 0, 1)}, two, {}, {}), Contains("pools[0].quote is 1"));
    CHECK_THROWS_WITH(sim(2, {mc::cross_pool<double>(lin, 0), mc::cross_pool<double>(lin, 0)}, two, {}, {}),
                      Contains("pools[1].base is 0"));
    CHECK_THROWS_WITH(sim(2, {}, {mc::push_oracle<double>(0, 1)}, {}, {}), Contains("the number of oracles is 1"));
    auto posted = two;
    posted[1].observe(0, 1);
    CHECK_THROWS_WITH(sim(2, {}, posted, {}, {}), Contains("oracles[1]'s rounds posted"));
    const auto b = perp_book(10, 1, 100).book();
    CHECK_THROWS_WITH(sim(2, {mc::cross_pool<double>(lin, 0)}, two, {{.name = "P", .asset = 1, .books = {{.book = &b}}}}, {}),
                      Contains("perp venue 0 (P).asset is 1"));
    // Assets missing from a venue, or unknown.
    CHECK_THROWS_WITH(sim(2, {}, two, {}, lending({0})), Contains("lending venue 0 (L): the size of assets is 1"));
    CHECK_THROWS_WITH(sim(2, {}, two, {}, lending({0, 5})), Contains("lending venue 0 (L).assets[1] is 5"));
    CHECK_THROWS_WITH(sim(2, {}, two, {}, lending({0, 1}, {2, 0})), Contains("debt asset is 2"));
    // A path that does not fit is named; a run works on copies: the simulator keeps its accounts.
    const sim ok(2, {mc::cross_pool<double>(mc::constant_product_impact<double>(1.5, 150), 0)}, two, {}, lending({0, 1}));
    CHECK_THROWS_WITH(ok.run({.start = {100}, .steps = {{90, 1}}, .times = {1}}), Contains("the size of path.start is 1"));
    CHECK_THROWS_WITH(ok.run({.start = {100, 1}, .steps = {{90, 0}}, .times = {1}}), Contains("path.steps[0][1] is 0"));
    CHECK_THROWS_WITH(ok.run({.start = {100, 1}, .steps = {{90, 1}, {80, 1}}, .times = {1, 1}}), Contains("path.times[1] is 1"));
    const auto out = ok.run({.start = {100, 1}, .steps = {{100, 1}}, .times = {1}});
    CHECK(out.venue_steps[0][0].liquidations == 1);  // 1 at 100·0.85 against 100: liquidatable
    CHECK(out.lending_accounts[0][0].debt[1] == 0);
    const auto& before = ok.lending_venues()[0].accounts[0];
    CHECK(before.collateral[0] == 1);
    CHECK(before.debt[1] == 100);
}
