// The heavy workloads on every executor (sequential, a host's thread pool of 2 and 4, oneTBB
// arenas of 1, 2, 4): Monte Carlo VaR/ES (linear and full revaluation, normal and Student-t),
// the cascade Monte Carlo's bad-debt distribution, the sharded re-mark and historical VaR/ES
// over many portfolios give bit-identical results for any worker count (issue #16).
#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/parallel/historical_batch.hpp>
#include <margincall/parallel/philox.hpp>
#include <margincall/parallel/remark_shards.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "catch.hpp"
#include "parallel/executor_support.hpp"
#include "parallel/same_bits.hpp"
#include "parallel/workload_fixtures.hpp"

using namespace margincall;
using test_support::same_bits;
using test_support::three_factors;

TEST_CASE("Monte Carlo VaR on Philox streams is bit-identical on every executor", "[parallel][mc]") {
    const std::vector<double> positions{1.0e6, -4.0e5, 2.5e5};
    const philox_streams streams(20261130);
    // Full revaluation of a short call on factor 0 plus the linear positions (a non-linear P&L).
    const auto pricer = [&](std::span<const double> x) {
        const double s = 100.0 * std::exp(x[0]);
        return positions[0] * x[0] + positions[1] * x[1] + positions[2] * x[2] - 5.0e4 * std::max(s - 105.0, 0.0);
    };
    for (const double nu : {std::numeric_limits<double>::infinity(), 5.0}) {
        const auto mc = three_factors(nu);
        for (const bool antithetic : {false, true}) {
            INFO("nu " << nu << ", antithetic " << antithetic);
            const monte_carlo_options options{20002, antithetic, quantile_type::type1};
            std::vector<double> lin_ref(options.scenarios), full_ref(options.scenarios);
            const auto lin = mc.linear(std::span<const double>(positions), 0.99, streams, options, std::span<double>(lin_ref));
            const auto full = mc.full_revaluation(pricer, 0.99, streams, options, std::span<double>(full_ref));
            CHECK(full.expected_shortfall >= full.value_at_risk);
            test_support::for_each_executor([&](const auto& exec, const char* label) {
                INFO(label);
                std::vector<double> l(options.scenarios), f(options.scenarios);
                CHECK(same_bits(mc.linear(std::span<const double>(positions), 0.99, streams, options, std::span<double>(l), exec), lin));
                CHECK(same_bits(l, lin_ref));
                CHECK(same_bits(mc.full_revaluation(pricer, 0.99, streams, options, std::span<double>(f), exec), full));
                CHECK(same_bits(f, full_ref));
            });
            // The linear path and a linear pricer see the same draws: equal losses up to rounding.
            std::vector<double> via_pricer(options.scenarios);
            (void)mc.full_revaluation(
                [&](std::span<const double> x) { return positions[0] * x[0] + positions[1] * x[1] + positions[2] * x[2]; },
                0.99, streams, options, std::span<double>(via_pricer), test_support::thread_executor{2});
            for (std::size_t s = 0; s < options.scenarios; s += 997)
                CHECK_THAT(via_pricer[s], Catch::Matchers::WithinAbs(lin_ref[s], 1e-6));
        }
    }
}

TEST_CASE("Monte Carlo VaR on Philox streams converges to the normal closed form", "[parallel][mc]") {
    // Normal linear book: loss ~ N(−wᵀμ, wᵀΣw); VaR_0.99 = −wᵀμ + z σ_p, z = Φ^{-1}(0.99) =
    // 2.3263478740408408 (standard normal tables); ES_0.99 = −wᵀμ + σ_p φ(z)/0.01 with φ(z) =
    // 0.026652142203458. wᵀμ = 1000 + 800 + 125 = 1925; wᵀΣw = 4e10 + 1.44e10 + 1.40625e9
    // − 2·4.8e9 − 2·1e9 + 2·... computed below from Σ (a hand-checkable 3×3 quadratic form).
    const auto mc = three_factors(std::numeric_limits<double>::infinity());
    const std::vector<double> w{1.0e6, -4.0e5, 2.5e5};
    const double var_p = 0.04 * 1e12 + 0.09 * 1.6e11 + 0.0225 * 6.25e10 + 2 * 0.006 * (1e6 * -4e5) +
                         2 * -0.002 * (1e6 * 2.5e5) + 2 * 0.01 * (-4e5 * 2.5e5);
    const double sigma = std::sqrt(var_p);
    const double center = -(1e6 * 0.001 + -4e5 * -0.002 + 2.5e5 * 0.0005);
    const auto r = mc.linear(std::span<const double>(w), 0.99, philox_streams(7), {400000, true, quantile_type::type1},
                             {}, test_support::thread_executor{2});
    // Standard errors at n = 4e5: VaR ≈ σ√(α(1−α))/(√n φ(z)) ≈ 0.0059σ, ES a little more; 5 s.e.
    CHECK_THAT(r.value_at_risk, Catch::Matchers::WithinAbs(center + 2.3263478740408408 * sigma, 0.03 * sigma));
    CHECK_THAT(r.expected_shortfall, Catch::Matchers::WithinAbs(center + sigma * 0.026652142203458 / 0.01, 0.04 * sigma));
}

TEST_CASE("cascade Monte Carlo on Philox streams: bit-identical bad-debt distributions", "[parallel][cascade]") {
    // 2000 accounts entered at 100, 70 % long, leverage 2..42 (collateral in cents), MMR 1 %;
    // account i's draws from Philox stream i of seed 3.
    std::vector<double> q(2000), e(2000, 100.0), c(2000), m(2000, 0.01);
    const philox_streams book_streams(3);
    for (std::size_t i = 0; i < q.size(); ++i) {
        auto draw = book_streams.stream_for(i);
        const double size = 0.1 + 5.0 * draw.uniform();
        q[i] = draw.uniform() < 0.7 ? size : -size;
        c[i] = std::round(size * 100.0 / (2.0 + 40.0 * draw.uniform()) * 100.0) / 100.0;
    }
    const liquidation_book<double> b(q, e, c, m);
    using sim = cascade_simulator<double>;
    const sim s(linear_impact<double>(0.002), {sim::venue{&b, {}, {200.0, 0.005, residual_loss::bad_debt}, {}}},
                cascade_options{100000, false});
    const auto sampler = [](philox_stream& stream) {
        return exogenous_shock<double>::instant_relative(100.0, std::max(-0.5, 0.04 * stream.normal()));
    };
    const philox_streams streams(2024);
    const auto reference = cascade_monte_carlo(s, 203, sampler, streams, 0.95);
    REQUIRE(reference.bad_debt.size() == 203);
    // Run r is the single run of the shock drawn from stream r.
    for (const std::size_t r : {std::size_t{0}, std::size_t{17}, std::size_t{202}}) {
        auto stream = streams.stream_for(r);
        const auto one = s.run(sampler(stream));
        CHECK(same_bits(one.total_bad_debt(), reference.bad_debt[r]));
        CHECK(same_bits(one.total_liquidated_notional(), reference.liquidated_notional[r]));
    }
    double positive = 0;
    for (const double d : reference.bad_debt) positive += d > 0 ? 1 : 0;
    CHECK(positive > 0);  // the shocks do produce bad debt: the comparison below is not vacuous
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const auto d = cascade_monte_carlo(s, 203, sampler, streams, 0.95, historical_simulation<double>{}, exec);
        CHECK(same_bits(d.bad_debt, reference.bad_debt));
        CHECK(same_bits(d.liquidated_notional, reference.liquidated_notional));
        CHECK(same_bits(d.drawdown, reference.drawdown));
        CHECK(same_bits(d.bad_debt_risk, reference.bad_debt_risk));
        CHECK(same_bits(d.liquidated_risk, reference.liquidated_risk));
        CHECK(d.unconverged_runs == reference.unconverged_runs);
    });
    CHECK_THROWS_WITH(cascade_monte_carlo(s, 0, sampler, streams, 0.95),
                      "cascade_monte_carlo: runs is 0, but must be >= 1");
}

TEST_CASE("sharded re-mark: totals bit-identical on every executor, pools equal to the whole book", "[parallel][remark]") {
    using linear = linear_contract<double>;
    const tier_schedule<double> btc({{0, 50000, 125, 0.004, 0.0},
                                     {50000, 250000, 100, 0.005, 50.0},
                                     {250000, 3000000, 50, 0.01, 1300.0},
                                     {3000000, 20000000, 20, 0.025, 46300.0}});
    const std::vector<linear> contracts{linear{}, linear{}};
    const std::vector<bracket_table<double>> models{bracket_table<double>(btc), bracket_table<double>(btc)};
    const std::vector<double> marks{20000.0, 1500.0};
    position_book<double> book;
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t k = 0; k < 1001; ++k) {
        book.add_pool(2000.0 * u(gen));
        for (int j = 0; j < 1 + static_cast<int>(k % 3); ++j) {  // pools of 1, 2 and 3 positions
            const std::uint32_t s = static_cast<std::uint32_t>(u(gen) < 0.5);
            const double q = (u(gen) < 0.5 ? 1.0 : -1.0) * 100.0 * std::exp(u(gen) * 7.0) / marks[s];
            book.add_position(s, q, marks[s] * (0.9 + 0.2 * u(gen)), 1.0 + std::floor(u(gen) * 50.0));
        }
    }
    const status_thresholds<double> t{};
    std::vector<double> whole_equity(book.pools());
    const auto whole = remark<linear, bracket_table<double>, double>(book, contracts, models, marks, t,
                                                                     {std::span<double>(whole_equity)});
    const auto shards = split_book(book, 64);
    REQUIRE(shards.size() == 16);  // ⌈1001 / 64⌉
    std::vector<std::vector<double>> equity(shards.size());
    std::vector<remark_output<double>> outs(shards.size());
    for (std::size_t i = 0; i < shards.size(); ++i) {
        equity[i].resize(shards[i].pools());
        outs[i].equity = equity[i];
    }
    const auto reference = remark_shards<linear, bracket_table<double>, double>(shards, contracts, models, marks, t, outs);
    CHECK(reference.count == whole.count);
    CHECK_THAT(reference.equity, Catch::Matchers::WithinRel(whole.equity, 1e-12));
    CHECK_THAT(reference.maintenance_margin, Catch::Matchers::WithinRel(whole.maintenance_margin, 1e-12));
    CHECK_THAT(reference.call_amount, Catch::Matchers::WithinRel(whole.call_amount, 1e-12));
    std::size_t k = 0, same = 0;
    for (const auto& shard_equity : equity)
        for (const double x : shard_equity) same += static_cast<std::size_t>(same_bits(x, whole_equity[k++]));
    CHECK(same == book.pools());
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const auto r = remark_shards<linear, bracket_table<double>, double>(
            shards, contracts, models, marks, t, std::span<const remark_output<double>>{}, exec);
        CHECK(r.count == reference.count);
        CHECK(same_bits(r.equity, reference.equity));
        CHECK(same_bits(r.initial_margin, reference.initial_margin));
        CHECK(same_bits(r.maintenance_margin, reference.maintenance_margin));
        CHECK(same_bits(r.call_amount, reference.call_amount));
        CHECK(same_bits(r.called_amount, reference.called_amount));
    });
    // One shard is the whole book, bit for bit.
    const auto one = split_book(book, book.pools());
    const auto single = remark_shards<linear, bracket_table<double>, double>(one, contracts, models, marks, t);
    CHECK(same_bits(single.equity, whole.equity));
    // Bad input.
    CHECK_THROWS_WITH(split_book(book, 0), "split_book: pools_per_shard is 0, but must be >= 1");
    CHECK_THROWS_WITH((remark_shards<linear, bracket_table<double>, double>(std::span<const position_book<double>>{},
                                                                            contracts, models, marks, t)),
                      "remark_shards: the number of shards is 0, but must be >= 1");
    CHECK_THROWS_WITH((remark_shards<linear, bracket_table<double>, double>(
                          shards, contracts, models, marks, t, std::span<const remark_output<double>>(outs).first(3))),
                      "remark_shards: the number of outputs is 3, but must be 0 or 16 (one per shard)");
    const std::vector<double> bad_marks{20000.0, -1.0};
    CHECK_THROWS_AS((remark_shards<linear, bracket_table<double>, double>(shards, contracts, models, bad_marks, t,
                                                                          {}, test_support::thread_executor{2})),
                    invalid_argument);
}

TEST_CASE("historical VaR/ES over many portfolios equals the estimator on each", "[parallel][historical]") {
    std::mt19937_64 gen(5);
    std::student_t_distribution<double> t(4.0);
    std::vector<std::vector<double>> pnl(37);
    for (std::size_t p = 0; p < pnl.size(); ++p) {
        pnl[p].resize(250 + 97 * p);
        for (auto& x : pnl[p]) x = (1.0 + static_cast<double>(p)) * t(gen);
    }
    std::vector<std::span<const double>> samples(pnl.begin(), pnl.end());
    const historical_simulation<double> est{quantile_type::type1, sample_sign::profit_and_loss};
    const auto reference = historical_tail_risks(std::span<const std::span<const double>>(samples), 0.99, est);
    for (std::size_t p = 0; p < pnl.size(); ++p)
        CHECK(same_bits(reference[p], est.estimate(samples[p], 0.99)));
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const auto r = historical_tail_risks(std::span<const std::span<const double>>(samples), 0.99, est, exec);
        std::size_t same = 0;
        for (std::size_t p = 0; p < r.size(); ++p) same += static_cast<std::size_t>(same_bits(r[p], reference[p]));
        CHECK(same == pnl.size());
    });
    samples[20] = {};
    CHECK_THROWS_AS(historical_tail_risks(std::span<const std::span<const double>>(samples), 0.99, est,
                                          test_support::thread_executor{4}),
                    invalid_argument);
    CHECK_THROWS_WITH(historical_tail_risks(std::span<const std::span<const double>>(samples), 1.5),
                      "historical_tail_risks: alpha is 1.5, but must be in (0, 1)");
}
