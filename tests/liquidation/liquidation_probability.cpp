// Tests of include/margincall/liquidation/liquidation_probability.hpp.
#include <margincall/liquidation/liquidation_probability.hpp>

#include <boost/math/distributions/normal.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("first-passage probability matches quadrature of the first-passage density (R)", "[liquidation][probability]") {
    // tests/reference/liquidation_first_passage.R (R 4.2.2), output in liquidation_first_passage.out:
    // integrate() of the inverse-Gaussian first-passage density, rel.tol 1e-13.
    struct row { double s0, l, sigma, t, mu, p; };
    const std::array<row, 7> rows{{
        {100, 80, 0.8, 0.25, 0.0, 0.64055913177130908},
        {100, 80, 0.8, 0.25, 0.5, 0.54065018094064454},
        {100, 120, 0.6, 1.0 / 12, -0.3, 0.226097921792035},
        {30000, 25000, 0.9, 7.0 / 365, 0.1, 0.1536034296253562},
        {100, 50, 0.3, 1, -2, 0.99999838312968137},
        {100, 200, 0.5, 2, 3, 0.99999999999990996},
        // e^{2νb/σ²} = e^{5000} overflows while Φ(−100) underflows: the log-space branch.
        {100, 100 * std::exp(-0.5), 0.01, 1, -0.5 + 0.01 * 0.01 / 2, 0.50398902398135692},
    }};
    for (const auto& r : rows) CHECK_THAT(liquidation_probability(r.s0, r.l, r.sigma, r.t, r.mu), WithinRel(r.p, 1e-12));
}

TEST_CASE("driftless log-price: the reflection principle 2·Φ(−|b|/(σ√T))", "[liquidation][probability]") {
    // μ = σ²/2 makes ν = 0, and P(min X ≤ b) = 2 Φ(b/(σ√T)) (reflection principle; Shreve II, 3.7.3).
    const boost::math::normal_distribution<double> n;
    const double sigma = 0.7, t = 0.5;
    for (const double l : {50.0, 90.0, 99.0, 101.0, 150.0, 400.0}) {
        const double b = std::log(l / 100.0);
        CHECK_THAT(liquidation_probability(100.0, l, sigma, t, sigma * sigma / 2),
                   WithinRel(2 * boost::math::cdf(n, -std::abs(b) / (sigma * std::sqrt(t))), 1e-13));
    }
    CHECK(liquidation_probability(100.0, 100.0, sigma, t) == 1.0);
}

TEST_CASE("Monte Carlo with Brownian-bridge crossing agrees within 4 standard errors", "[liquidation][probability]") {
    // Exact simulation of X on a grid plus the bridge probability of touching b inside each step,
    // exp(−2 (x_i − b)(x_{i+1} − b) / (σ² Δt)) (Glasserman 2004, §6.4): unbiased for continuous monitoring.
    std::mt19937_64 rng(11);
    std::normal_distribution<double> z;
    std::uniform_real_distribution<double> u;
    const double s0 = 100, l = 85, sigma = 0.6, t = 0.25, mu = -0.4;
    const double nu = mu - sigma * sigma / 2, b = std::log(l / s0);
    const int paths = 20'000, steps = 50;
    const double dt = t / steps;
    int hits = 0;
    for (int p = 0; p < paths; ++p) {
        double x = 0;
        bool hit = false;
        for (int k = 0; k < steps && !hit; ++k) {
            const double next = x + nu * dt + sigma * std::sqrt(dt) * z(rng);
            if (next <= b || u(rng) < std::exp(-2 * (x - b) * (next - b) / (sigma * sigma * dt))) hit = true;
            x = next;
        }
        hits += hit ? 1 : 0;
    }
    const double p_mc = static_cast<double>(hits) / paths;
    const double se = std::sqrt(p_mc * (1 - p_mc) / paths);
    CHECK(std::abs(liquidation_probability(s0, l, sigma, t, mu) - p_mc) < 4 * se);
}

TEST_CASE("monotone in horizon and distance; float works", "[liquidation][probability]") {
    double prev = 0;
    for (const double t : {0.01, 0.1, 0.5, 1.0, 5.0}) {
        const double p = liquidation_probability(100.0, 80.0, 0.5, t);
        CHECK(p > prev);
        prev = p;
    }
    CHECK(liquidation_probability(100.0, 95.0, 0.5, 0.1) > liquidation_probability(100.0, 80.0, 0.5, 0.1));
    // float: Φ underflows near z = −14; the asymptotic branch keeps the second term finite.
    const float pf = liquidation_probability(100.0f, 60.653066f, 0.05f, 1.0f, -0.5f);
    CHECK(std::isfinite(pf));
    CHECK(pf > 0.4f);
    CHECK(pf <= 1.0f);
}

TEST_CASE("distance to liquidation in volatility units", "[liquidation][probability]") {
    // |ln(80/100)| / (0.8 × √0.25) = 0.22314355131420976 / 0.4 (hand-derived).
    CHECK_THAT(distance_to_liquidation(100.0, 80.0, 0.8, 0.25), WithinRel(std::log(1.25) / 0.4, 1e-15));
    CHECK_THAT(distance_to_liquidation(100.0, 125.0, 0.8), WithinRel(std::log(1.25) / 0.8, 1e-15));
}

TEST_CASE("probability input errors", "[liquidation][probability][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(liquidation_probability(0.0, 80.0, 0.5, 1.0), invalid_argument,
                           Message("liquidation_probability: mark is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(liquidation_probability(100.0, -80.0, 0.5, 1.0), invalid_argument,
                           Message("liquidation_probability: liquidation_price is -80, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(liquidation_probability(100.0, 80.0, 0.0, 1.0), invalid_argument,
                           Message("liquidation_probability: volatility is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(liquidation_probability(100.0, 80.0, 0.5, nan), invalid_argument,
                           Message("liquidation_probability: horizon is nan, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(liquidation_probability(100.0, 80.0, 0.5, 1.0, nan), invalid_argument,
                           Message("liquidation_probability: drift is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(distance_to_liquidation(100.0, 80.0, -0.5), invalid_argument,
                           Message("distance_to_liquidation: volatility is -0.5, but must be finite and > 0"));
}
