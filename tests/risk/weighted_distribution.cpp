// Tests of include/margincall/risk/weighted_distribution.hpp against exact rationals
// (tests/reference/risk_figures.py, section "weighted": the quantile integral ∫_α^1 F⁻¹(u) du
// summed piece by piece over the steps of F⁻¹, an algorithm independent of the C++ one).
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/weighted_distribution.hpp>

#include <array>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("VaR/ES of a weighted discrete distribution", "[risk][weighted_distribution]") {
    const std::vector<double> losses{3, -1, 7.5, 2, 7.5, -4, 10, 0.5};
    const std::vector<double> weights{1, 2, 0.5, 3, 1, 2, 0.25, 1.25};  // normalised by their sum 11
    struct row { double alpha, var, es; };
    const std::array<row, 6> rows{{{0.5, 2, 4.0454545454545459},
                                   {0.8, 3, 6.8636363636363633},
                                   {0.9, 7.5, 8.0681818181818183},
                                   {0.95, 7.5, 8.6363636363636367},
                                   {0.99, 10, 10},
                                   {0.75, 2, 6.0909090909090908}}};
    for (const auto& r : rows) {
        INFO("alpha " << r.alpha);
        const auto t = weighted_tail_risk<double>(losses, weights, r.alpha);
        CHECK(t.value_at_risk == r.var);
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-14));
    }
}

TEST_CASE("equal weights give historical simulation", "[risk][weighted_distribution]") {
    std::vector<double> losses;
    for (int i = 1; i <= 250; ++i) losses.push_back(static_cast<double>((i * 37) % 251) - 100.0);
    const std::vector<double> weights(losses.size(), 3.0);
    // n(1 − α) = 23.75, 12.5, 6.25: not an integer, so no cumulative weight sits on 1 − α, where
    // the running sum of 1/n and R's rank arithmetic may round to neighbouring atoms.
    for (const double alpha : {0.905, 0.95, 0.975}) {
        INFO("alpha " << alpha);
        const auto w = weighted_tail_risk<double>(losses, weights, alpha);
        const auto h = historical_simulation<double>{}.estimate(losses, alpha);
        CHECK(w.value_at_risk == h.value_at_risk);
        CHECK_THAT(w.expected_shortfall, WithinRel(h.expected_shortfall, 1e-13));
    }
}

TEST_CASE("weighted VaR/ES refuses bad weights, naming them", "[risk][weighted_distribution]") {
    const std::vector<double> losses{1, 2, 3};
    REQUIRE_THROWS_MATCHES(weighted_tail_risk<double>(losses, std::vector<double>{1, -1, 1}, 0.9), invalid_argument,
                           Message("weighted_tail_risk: weights[1] is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(weighted_tail_risk<double>(losses, std::vector<double>{0, 0, 0}, 0.9), invalid_argument,
                           Message("weighted_tail_risk: the sum of weights is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(weighted_tail_risk<double>(losses, std::vector<double>{1, 1}, 0.9), invalid_argument,
                           Message("weighted_tail_risk: the size of weights is 2, but must be the size of losses (3)"));
    const double inf = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_AS(weighted_tail_risk<double>(losses, std::vector<double>{1, inf, 1}, 0.9), invalid_argument);
}
