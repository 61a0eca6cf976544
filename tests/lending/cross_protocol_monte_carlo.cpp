// Monte Carlo of bad debt across venues (include/margincall/cascade/cross_protocol_monte_carlo.hpp):
// reproducible from the seed run by run (a run's sample depends on (seed, run) only), the total
// is the sum of the venues, VaR/ES are the order statistics by hand (Hyndman–Fan type 1, the
// Acerbi–Tasche mean of the worst n(1 − α)), insolvency is counted against each reserve.
#include "catch.hpp"
#include "lending/cross_protocol_scenario.hpp"

#include <margincall/cascade/cross_protocol_monte_carlo.hpp>

#include <algorithm>
#include <functional>
#include <random>
#include <vector>

namespace mc = margincall;
using Catch::Matchers::Contains;

namespace {
// A random shock: the peg falls by U(0, 8 %) and ETH by U(0, 10 %) over six steps.
mc::cross_protocol_path<double> draw(std::mt19937_64& g, std::size_t) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double peg = 0.08 * u(g), eth = 0.10 * u(g);
    mc::cross_protocol_path<double> p{.start = {2000, 1, 1}};
    for (std::size_t t = 1; t <= 6; ++t) {
        const double f = static_cast<double>(t) / 6.0;
        p.steps.push_back({2000 * (1 - eth * f), 1 - peg * f, 1});
        p.times.push_back(60.0 * static_cast<double>(t));
    }
    return p;
}
}  // namespace

TEST_CASE("cross-protocol Monte Carlo: seeded per run, sums, VaR/ES by hand, insolvency", "[cascade][cross_protocol]") {
    const cross_test::scenario sc(4, 120);
    const auto sim = sc.simulator();
    const std::size_t runs = 40;
    const auto d = mc::cross_protocol_monte_carlo(sim, runs, draw, 2026, 0.9);
    REQUIRE(d.bad_debt.size() == runs);
    REQUIRE(d.venue_bad_debt.size() == 3);
    CHECK(d.unconverged_runs == 0);
    // Reproducible: the same seed gives the same samples; run 17 alone gives run 17's sample.
    const auto again = mc::cross_protocol_monte_carlo(sim, runs, draw, 2026, 0.9);
    CHECK(again.bad_debt == d.bad_debt);
    auto g17 = mc::cross_protocol_run_generator(2026, 17);
    CHECK(sim.run(draw(g17, 17)).total_bad_debt() == d.bad_debt[17]);
    // A different seed draws different paths.
    const auto other = mc::cross_protocol_monte_carlo(sim, runs, draw, 7, 0.9);
    CHECK(other.bad_debt != d.bad_debt);
    // The total is the sum of the venues.
    std::size_t with_debt = 0;
    for (std::size_t r = 0; r < runs; ++r) {
        CHECK(d.bad_debt[r] == Approx(d.venue_bad_debt[0][r] + d.venue_bad_debt[1][r] + d.venue_bad_debt[2][r]).margin(1e-9));
        with_debt += d.bad_debt[r] > 0 ? 1U : 0U;
    }
    CHECK(with_debt > 0);
    // VaR_0.9 of 40 samples = the 36th smallest; ES = mean of the 4 largest.
    auto sorted = d.bad_debt;
    std::sort(sorted.begin(), sorted.end());
    CHECK(d.bad_debt_risk.value_at_risk == sorted[35]);
    CHECK(d.bad_debt_risk.expected_shortfall == Approx((sorted[36] + sorted[37] + sorted[38] + sorted[39]) / 4).epsilon(1e-12));
    // Insolvency: the share of runs beyond each reserve (perp: any bad debt; loop 1,000; comet 5,000).
    const std::vector<double> reserve{0, 1000, 5000};
    for (std::size_t v = 0; v < 3; ++v) {
        const auto n = std::count_if(d.venue_bad_debt[v].begin(), d.venue_bad_debt[v].end(),
                                     [&](double b) { return b > reserve[v]; });
        CHECK(d.insolvency_probability[v] == static_cast<double>(n) / 40.0);
    }
    CHECK_THROWS_WITH(mc::cross_protocol_monte_carlo(sim, 0, draw, 1, 0.9), Contains("runs is 0"));
    CHECK_THROWS_WITH(mc::cross_protocol_monte_carlo(sim, 1, draw, 1, 1.0), Contains("alpha is 1"));
}
