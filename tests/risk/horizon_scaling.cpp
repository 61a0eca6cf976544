// Tests of include/margincall/risk/horizon_scaling.hpp: hand-derived closed forms.
#include <margincall/risk/horizon_scaling.hpp>

#include <cmath>
#include <limits>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("sqrt-time scaling: the Basel 10-day rule", "[risk][horizon]") {
    const auto ten = sqrt_time_scale(tail_risk<double>{2.0, 3.0}, 10.0);
    CHECK_THAT(ten.value_at_risk, WithinRel(2.0 * std::sqrt(10.0), 1e-15));
    CHECK_THAT(ten.expected_shortfall, WithinRel(3.0 * std::sqrt(10.0), 1e-15));
}

TEST_CASE("normal horizon: mean scales with h, sd with sqrt(h)", "[risk][horizon]") {
    // Zero mean: the h-day normal VaR is exactly √h times the one-day one.
    const auto one = normal_tail_risk(0.0, 0.02, 0.99);
    const auto ten = normal_horizon_tail_risk(0.0, 0.02, 10.0, 0.99);
    CHECK_THAT(ten.value_at_risk, WithinRel(std::sqrt(10.0) * one.value_at_risk, 1e-14));
    // With a drift: h = 4, μ = 0.001, σ = 0.02 → N(0.004, 0.04²): VaR = 0.004 + 0.04 z.
    const auto four = normal_horizon_tail_risk(0.001, 0.02, 4.0, 0.99);
    const auto direct = normal_tail_risk(0.004, 0.04, 0.99);
    CHECK_THAT(four.value_at_risk, WithinRel(direct.value_at_risk, 1e-15));
    CHECK_THAT(four.expected_shortfall, WithinRel(direct.expected_shortfall, 1e-15));
}

TEST_CASE("AR(1) horizon factor by hand", "[risk][horizon]") {
    // ρ = 0 → √h. h = 5, ρ = 0.1: 5 + 2(4·0.1 + 3·0.01 + 2·0.001 + 1·0.0001) = 5.8642.
    CHECK_THAT(ar1_horizon_factor(10, 0.0), WithinRel(std::sqrt(10.0), 1e-15));
    CHECK_THAT(ar1_horizon_factor(5, 0.1), WithinRel(std::sqrt(5.8642), 1e-14));
    CHECK(ar1_horizon_factor(1, 0.5) == 1.0);
    // Negative autocorrelation shrinks the horizon risk: h = 2, ρ = −0.5 → √(2 − 1) = 1.
    CHECK_THAT(ar1_horizon_factor(2, -0.5), WithinRel(1.0, 1e-15));
}

TEST_CASE("horizon errors name the argument and the value", "[risk][horizon][errors]") {
    REQUIRE_THROWS_MATCHES(sqrt_time_scale(tail_risk<double>{1.0, 2.0}, 0.0), invalid_argument,
                           Message("sqrt_time_scale: horizon_days is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(sqrt_time_scale(tail_risk<double>{std::numeric_limits<double>::quiet_NaN(), 2.0}, 1.0),
                           invalid_argument, Message("sqrt_time_scale: value_at_risk is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(ar1_horizon_factor(0, 0.1), invalid_argument,
                           Message("ar1_horizon_factor: horizon_days is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(ar1_horizon_factor(10, 1.0), invalid_argument,
                           Message("ar1_horizon_factor: rho is 1, but must be in (-1, 1)"));
    REQUIRE_THROWS_MATCHES(normal_horizon_tail_risk(0.0, 0.02, -1.0, 0.99), invalid_argument,
                           Message("normal_horizon_tail_risk: horizon_days is -1, but must be finite and > 0"));
}
