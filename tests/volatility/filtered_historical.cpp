// Tests of include/margincall/volatility/filtered_historical.hpp: multi-day filtered historical
// simulation through a garch_family model. Expected values are closed forms derived in the
// comments (residual pools with known moments make the h-day moments and quantiles exact).
#include <margincall/volatility/filtered_historical.hpp>

#include <cmath>
#include <span>
#include <vector>

#include "catch.hpp"

using margincall::garch_family;
using margincall::garch_innovation;
using margincall::garch_mean;
using margincall::garch_variance;
using margincall::invalid_argument;

namespace {
// GJR: ω = 0.05, α = 0.05, γ = 0.1, β = 0.85, μ = 0.01: P = α + γ/2 + β = 0.95, σ̄² = ω/(1 − P) = 1.
const garch_family<double> gjr({garch_variance::gjr, garch_mean::constant, garch_innovation::normal},
                               {.mu = 0.01, .omega = 0.05, .alpha = 0.05, .gamma = 0.1, .beta = 0.85});
const margincall::garch_family_state<double> start{0.01, 0.5};
}  // namespace

TEST_CASE("filtered historical simulation: h-day mean and variance equal the model's closed form", "[volatility]") {
    // Pool {−1, +1}: E z = 0, E z² = 1, E[1{z<0} z²] = ½, so E σ²_{T+k+1} = ω + P E σ²_{T+k} exactly and
    // the h-day sum Σ (μ + ε_k) has mean h μ and variance Σ_{k=0}^{h−1} (σ̄² + P^k (σ²_{T+1} − σ̄²))
    // = Σ_{k<10} (1 − ½ 0.95^k) = 10 − ½ (1 − 0.95¹⁰)/0.05 = 10 · 0.95¹⁰ for h = 10.
    const std::vector<double> pool{-1.0, 1.0};
    std::vector<double> sums(200000);
    margincall::simulate_filtered_historical(gjr, start, std::span<const double>(pool), 10, 20261130, std::span<double>(sums));
    const double n = static_cast<double>(sums.size());
    double mean = 0;
    for (double s : sums) mean += s / n;
    double m2 = 0, m4 = 0;
    for (double s : sums) {
        m2 += (s - mean) * (s - mean) / n;
        m4 += std::pow(s - mean, 4) / n;
    }
    const double variance = 10 * std::pow(0.95, 10);
    // Four standard errors of the sample mean and of the sample variance (√((m4 − m2²)/n)).
    CHECK(std::abs(mean - 0.1) < 4 * std::sqrt(variance / n));
    CHECK(std::abs(m2 - variance) < 4 * std::sqrt((m4 - m2 * m2) / n));
}

TEST_CASE("filtered historical simulation: one-day VaR and ES of a five-point pool", "[volatility]") {
    // Pool (−2, −1, 0, 1, 2)/√2 (unit variance): r_{T+1} = 0.01 + √0.5 z, the largest loss
    // −0.01 + √0.5 · 2/√2 = 0.99 has probability ⅕ > 1 − 0.9, so VaR_0.9 = ES_0.9 = 0.99.
    const double c = 1 / std::sqrt(2.0);
    const std::vector<double> pool{-2 * c, -c, 0.0, c, 2 * c};
    const auto r = margincall::filtered_historical_tail_risk(gjr, start, std::span<const double>(pool), 1, 10000, 7, 0.9);
    CHECK_THAT(r.value_at_risk, WithinRel(0.99, 1e-14));
    CHECK_THAT(r.expected_shortfall, WithinRel(0.99, 1e-14));
}

TEST_CASE("filtered historical simulation is reproducible from its seed", "[volatility]") {
    const garch_family<double> egarch({garch_variance::egarch, garch_mean::ar1, garch_innovation::student_t},
                                      {.mu = 0.01, .ar = 0.05, .omega = -0.02, .alpha = -0.05, .gamma = 0.2,
                                       .beta = 0.97, .shape = 5});
    const std::vector<double> pool{-2.1, -0.7, -0.2, 0.1, 0.4, 0.9, 1.3};
    std::vector<double> a(500), b(500), c(500);
    margincall::simulate_filtered_historical(egarch, start, std::span<const double>(pool), 20, 42, std::span<double>(a));
    margincall::simulate_filtered_historical(egarch, start, std::span<const double>(pool), 20, 42, std::span<double>(b));
    margincall::simulate_filtered_historical(egarch, start, std::span<const double>(pool), 20, 43, std::span<double>(c));
    CHECK(a == b);
    CHECK(a != c);
}

TEST_CASE("filtered historical simulation refuses bad input", "[volatility]") {
    const std::vector<double> pool{-1.0, 1.0};
    std::vector<double> out(10);
    const std::span<const double> p(pool);
    CHECK_THROWS_AS(margincall::simulate_filtered_historical(gjr, start, std::span<const double>(), 5, 1, std::span<double>(out)),
                    invalid_argument);
    CHECK_THROWS_AS(margincall::simulate_filtered_historical(gjr, start, p, 0, 1, std::span<double>(out)), invalid_argument);
    CHECK_THROWS_AS(margincall::simulate_filtered_historical(gjr, start, p, 5, 1, std::span<double>()), invalid_argument);
    CHECK_THROWS_AS(margincall::simulate_filtered_historical(gjr, {0.0, -1.0}, p, 5, 1, std::span<double>(out)), invalid_argument);
    const std::vector<double> bad{-1.0, std::nan("")};
    CHECK_THROWS_AS(margincall::simulate_filtered_historical(gjr, start, std::span<const double>(bad), 5, 1, std::span<double>(out)),
                    invalid_argument);
    CHECK_THROWS_AS(margincall::filtered_historical_tail_risk(gjr, start, p, 5, 100, 1, 1.0), invalid_argument);
}
