// Tests of include/margincall/cascade/cascade_monte_carlo.hpp: the tail estimates are those of
// the risk layer's historical simulation on the collected samples (itself checked against R),
// runs are reproducible from the seed, and ES ≥ VaR.
#include <margincall/cascade/cascade_monte_carlo.hpp>

#include <random>
#include <vector>

#include "catch.hpp"
#include "parallel/workload_fixtures.hpp"

using namespace margincall;

TEST_CASE("Monte Carlo of shocks: distributions of bad debt and liquidated volume", "[cascade][mc]") {
    const liquidation_book<double> b = test_support::random_leveraged_book(3000);
    using sim = cascade_simulator<double>;
    const sim s(linear_impact<double>(0.002), {sim::venue{&b, {}, {200.0, 0.005, residual_loss::bad_debt}, {}}},
                cascade_options{100000, false});
    auto sampler = [](std::mt19937_64& g) {
        std::normal_distribution<double> n(0.0, 0.04);
        return exogenous_shock<double>::instant_relative(100.0, std::max(-0.5, n(g)));
    };
    std::mt19937_64 gen(2024);
    const auto d = cascade_monte_carlo(s, 400, sampler, gen, 0.95);
    REQUIRE(d.bad_debt.size() == 400);
    REQUIRE(d.liquidated_notional.size() == 400);
    CHECK(d.unconverged_runs == 0);
    const historical_simulation<double> hs;
    const auto bd = hs.estimate(std::span<const double>(d.bad_debt), 0.95);
    CHECK(d.bad_debt_risk.value_at_risk == bd.value_at_risk);
    CHECK(d.bad_debt_risk.expected_shortfall == bd.expected_shortfall);
    CHECK(d.liquidated_risk.expected_shortfall >= d.liquidated_risk.value_at_risk);
    CHECK(d.liquidated_risk.value_at_risk > 0.0);
    // Each sample is that of a single run with the same shock.
    std::mt19937_64 replay(2024);
    const auto first = s.run(sampler(replay));
    CHECK(first.total_bad_debt() == d.bad_debt[0]);
    CHECK(first.total_liquidated_notional() == d.liquidated_notional[0]);
    // Reproducible from the seed.
    std::mt19937_64 gen2(2024);
    const auto d2 = cascade_monte_carlo(s, 400, sampler, gen2, 0.95);
    CHECK(d2.bad_debt == d.bad_debt);
}

TEST_CASE("Monte Carlo: bad input", "[cascade][mc][errors]") {
    const std::vector<double> q{1.0}, e{100.0}, c{10.0}, m{0.01};
    const liquidation_book<double> b(q, e, c, m);
    using sim = cascade_simulator<double>;
    const sim s(linear_impact<double>(0.1), {sim::venue{&b, {}, {}, {}}});
    auto sampler = [](std::mt19937_64&) { return exogenous_shock<double>::instant_relative(100.0, -0.1); };
    std::mt19937_64 gen(1);
    REQUIRE_THROWS_MATCHES(cascade_monte_carlo(s, 0, sampler, gen, 0.99), invalid_argument,
                           Message("cascade_monte_carlo: runs is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(cascade_monte_carlo(s, 10, sampler, gen, 1.0), invalid_argument,
                           Message("cascade_monte_carlo: alpha is 1, but must be in (0, 1)"));
}
