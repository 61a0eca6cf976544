// Tests of include/margincall/risk/backtest_acerbi_szekely.hpp: the Z2 statistic by hand, its Monte
// Carlo p-value against closed forms (T = 1) and an independent R simulation of its H0 distribution
// (tests/reference/backtest_z2.R → backtest_z2.out, R 4.2.2). Monte Carlo checks use fixed seeds and
// tolerances of four standard errors.
#include <margincall/risk/backtest_acerbi_szekely.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "catch.hpp"

using margincall::acerbi_szekely_z2;
using margincall::acerbi_szekely_z2_test;
using margincall::invalid_argument;

namespace {
// Standard normal losses at α = 0.975 (backtest_z2.out): VaR = Φ⁻¹(0.975), ES = φ(VaR)/0.025.
constexpr double var975 = 1.9599639845400536;
constexpr double es975 = 2.3378027922014155;
auto normal_sampler() {
    return [n = std::normal_distribution<double>()](std::size_t, std::mt19937_64& g) mutable { return n(g); };
}
}  // namespace

TEST_CASE("Z2 computed by hand", "[risk][backtest][z2]") {
    // α = 0.75 (p = 0.25), T = 4: exceptions on day 0 (3 > 2) and day 2 (5 > 2);
    // Σ L I / ES = 3/4 + 5/5 = 1.75; T p = 1; Z2 = 1 − 1.75 = −0.75.
    const std::vector<double> losses{3, 1, 5, 0}, var{2, 2, 2, 2}, es{4, 4, 5, 4};
    CHECK_THAT(acerbi_szekely_z2<double>(losses, var, es, 0.75), WithinAbs(-0.75, 1e-15));
    // No exception at all: Z2 = 1 (the largest value it can take).
    const std::vector<double> calm{0, 0, 0, 0};
    CHECK(acerbi_szekely_z2<double>(calm, var, es, 0.75) == 1.0);
}

TEST_CASE("Z2 p-value for one day equals the normal tail (closed form)", "[risk][backtest][z2]") {
    // T = 1, L ~ N(0,1) under H0, observed L > VaR: Z2 ≤ z(L) ⇔ L_sim ≥ L, so p = 1 − Φ(L)
    // (R pnorm: 0.017864420562816556 at 2.1, 0.0062096653257761349 at 2.5).
    const std::vector<double> var{var975}, es{es975};
    const std::size_t m = 40000;
    for (const auto& [loss, expected] : {std::pair{2.1, 0.017864420562816556}, std::pair{2.5, 0.0062096653257761349}}) {
        std::mt19937_64 g(42);
        const std::vector<double> losses{loss};
        const auto r = acerbi_szekely_z2_test<double>(losses, var, es, 0.975, normal_sampler(), g, m);
        const double se = std::sqrt(expected * (1 - expected) / static_cast<double>(m));
        CHECK_THAT(r.p_value, WithinAbs(expected, 4 * se));
        CHECK(r.exceptions == 1);
        CHECK(r.simulations == m);
        CHECK_THAT(r.p_value_standard_error, WithinRel(se, 0.1));
    }
    // An observed loss below VaR gives Z2 = 1, the maximum: p = 1.
    std::mt19937_64 g(42);
    const std::vector<double> small{1.0};
    CHECK(acerbi_szekely_z2_test<double>(small, var, es, 0.975, normal_sampler(), g, 1000).p_value == 1.0);
}

TEST_CASE("Z2 p-value at R's simulated H0 quantiles is their level", "[risk][backtest][z2]") {
    // backtest_z2.out: for T = 250 standard normal losses at α = 0.975, the 5 % and 1 % quantiles of Z2
    // under H0 are −0.70023069812387939 and −1.0404264512887196 (10^5 R simulations; Acerbi & Szekely
    // 2014 quote ≈ −0.7 at 5 %). A dataset with Z2 = q: one loss (1 − q) T p ES on day 0, zeros elsewhere.
    const std::size_t t = 250, m = 4000;
    const std::vector<double> var(t, var975), es(t, es975);
    for (const auto& [q, level] : {std::pair{-0.70023069812387939, 0.05}, std::pair{-1.0404264512887196, 0.01}}) {
        std::vector<double> losses(t, 0.0);
        losses[0] = (1 - q) * static_cast<double>(t) * 0.025 * es975;
        CHECK_THAT(acerbi_szekely_z2<double>(losses, var, es, 0.975), WithinAbs(q, 1e-12));
        std::mt19937_64 g(7);
        const auto r = acerbi_szekely_z2_test<double>(losses, var, es, 0.975, normal_sampler(), g, m);
        // Our MC error plus the R quantile's error (≈ sqrt(level(1 − level)/10^5) in probability).
        const double se = std::sqrt(level * (1 - level) / static_cast<double>(m) + level * (1 - level) / 1e5);
        CHECK_THAT(r.p_value, WithinAbs(level, 4 * se));
    }
}

TEST_CASE("Z2 has mean zero under H0 and flags underestimated risk", "[risk][backtest][z2]") {
    const std::size_t t = 250;
    const std::vector<double> var(t, var975), es(t, es975);
    std::mt19937_64 g(2024);
    std::normal_distribution<double> n;
    std::vector<double> losses(t);
    // E_H0[Z2] = 0 (Acerbi & Szekely 2014); sd ≈ 0.40 (backtest_z2.out), so 2000 draws: SE ≈ 0.009.
    double sum = 0;
    const int draws = 2000;
    for (int i = 0; i < draws; ++i) {
        for (auto& l : losses) l = n(g);
        sum += acerbi_szekely_z2<double>(losses, var, es, 0.975);
    }
    CHECK_THAT(sum / draws, WithinAbs(0.0, 4 * 0.40 / std::sqrt(static_cast<double>(draws))));
    // Realised volatility 1.5× the forecast: ES underestimated, Z2 strongly negative, H0 rejected.
    for (auto& l : losses) l = 1.5 * n(g);
    std::mt19937_64 g2(11);
    const auto r = acerbi_szekely_z2_test<double>(losses, var, es, 0.975, normal_sampler(), g2, 2000);
    CHECK(r.statistic < -0.7);
    CHECK(r.rejects(0.05));
}

TEST_CASE("Z2 test is reproducible from the seed", "[risk][backtest][z2]") {
    const std::vector<double> losses{2.5, 0.1, -0.3, 2.2}, var(4, var975), es(4, es975);
    std::mt19937_64 a(5), b(5);
    const auto ra = acerbi_szekely_z2_test<double>(losses, var, es, 0.975, normal_sampler(), a, 3000);
    const auto rb = acerbi_szekely_z2_test<double>(losses, var, es, 0.975, normal_sampler(), b, 3000);
    CHECK(ra.p_value == rb.p_value);
    CHECK(ra.statistic == rb.statistic);
}

TEST_CASE("Z2 rejects bad input with the library's message", "[risk][backtest][z2][errors]") {
    const std::vector<double> l{1, 2}, v{1, 1}, e{2, 2}, short_e{2}, none;
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2<double>(l, v, short_e, 0.975), invalid_argument,
                           Message("acerbi_szekely_z2: the size of expected_shortfall is 1, but must be the size of losses (2)"));
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2<double>(l, short_e, e, 0.975), invalid_argument,
                           Message("acerbi_szekely_z2: the size of value_at_risk is 1, but must be the size of losses (2)"));
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2<double>(none, none, none, 0.975), invalid_argument,
                           Message("acerbi_szekely_z2: the size of losses is 0, but must be > 0"));
    const std::vector<double> zero_es{2, 0};
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2<double>(l, v, zero_es, 0.975), invalid_argument,
                           Message("acerbi_szekely_z2: expected_shortfall[1] is 0, but must be finite and > 0"));
    const std::vector<double> nan_l{std::numeric_limits<double>::quiet_NaN(), 1};
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2<double>(nan_l, v, e, 0.975), invalid_argument,
                           Message("acerbi_szekely_z2: losses[0] is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2<double>(l, v, e, 1.0), invalid_argument,
                           Message("acerbi_szekely_z2: confidence is 1, but must be in (0, 1)"));
    std::mt19937_64 g(1);
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2_test<double>(l, v, e, 0.975, normal_sampler(), g, 0), invalid_argument,
                           Message("acerbi_szekely_z2_test: simulations is 0, but must be > 0"));
    const auto broken = [](std::size_t, std::mt19937_64&) { return std::numeric_limits<double>::quiet_NaN(); };
    REQUIRE_THROWS_MATCHES(acerbi_szekely_z2_test<double>(l, v, e, 0.975, broken, g, 10), invalid_argument,
                           Message("acerbi_szekely_z2_test: sample_loss(0) is nan, but must be finite"));
}
