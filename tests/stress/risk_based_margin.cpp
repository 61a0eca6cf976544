// Tests of include/margincall/stress/risk_based_margin.hpp: filtered-historical ES / VaR margin of
// a linear book against tests/reference/stress_books.py (SciPy 1.10.1) → stress_books.out,
// "# risk-based", and the option-book scenario losses against full revaluation by hand.
#include <margincall/risk/age_weighted.hpp>
#include <margincall/stress/risk_based_margin.hpp>

#include <array>
#include <limits>
#include <cmath>

#include "catch.hpp"

using namespace margincall;

namespace {
constexpr double S0 = 100000.0;
constexpr std::array<double, 10> returns{0.01, -0.04, 0.02, -0.01, 0.03, -0.06, 0.005, -0.02, 0.015, -0.03};
constexpr std::array<double, 10> sigmas{0.02, 0.03, 0.02, 0.02, 0.025, 0.04, 0.02, 0.02, 0.02, 0.03};
}  // namespace

TEST_CASE("FHS margin of a linear book agrees with the reference (ES and VaR, filtered or not)", "[stress][risk_based]") {
    const stress_book<double> two_btc{S0, {}, {{2.0}}};
    risk_based_parameters<double> p;
    p.confidence = 0.8;  // n(1 − α) = 2: ES = mean of the 2 largest losses, type-1 VaR = the 3rd largest
    p.mpor_days = 2.0;
    p.maintenance_fraction = 0.75;
    // stress_books.out "# risk-based": unfiltered VaR ES, then filtered (σ_now = 0.05)
    const risk_based_margin<double> plain{{std::span<const double>(returns)}, p};
    const auto a = plain.evaluate(two_btc);
    CHECK_THAT(a.tail.value_at_risk, WithinRel(8307.800186143199, 1e-12));
    CHECK_THAT(a.tail.expected_shortfall, WithinRel(13635.080376273414, 1e-12));
    CHECK_THAT(a.initial_margin, WithinRel(13635.080376273414, 1e-12));
    CHECK_THAT(a.maintenance_margin, WithinRel(0.75 * 13635.080376273414, 1e-12));
    historical_scenarios<double> h{std::span<const double>(returns), {}, std::span<const double>(sigmas), 0.05};
    const risk_based_margin<double> filtered{h, p};
    const auto b = filtered.evaluate(two_btc);
    CHECK_THAT(b.tail.expected_shortfall, WithinRel(19060.76315029712, 1e-12));
    p.measure = tail_measure::value_at_risk;
    const risk_based_margin<double> var_model{h, p};
    CHECK_THAT(var_model.initial_margin(two_btc), WithinRel(13653.715315321082, 1e-12));
}

TEST_CASE("any tail_estimator plugs in: age weights with lambda = 1 are equal weights", "[stress][risk_based]") {
    const stress_book<double> two_btc{S0, {}, {{2.0}}};
    risk_based_parameters<double> p;
    p.confidence = 0.8;
    const risk_based_margin<double, age_weighted<double>> m{{std::span<const double>(returns)}, p, age_weighted<double>{1.0}};
    CHECK_THAT(m.initial_margin(two_btc), WithinRel(13635.080376273414, 1e-12));  // stress_books.out, unfiltered ES
}

TEST_CASE("historical day t revalues the option book at S·e^(r_t σ_now/σ_t √h) and σ(1 + Δv_t)", "[stress][risk_based]") {
    option_leg<double> c{option_type::call, 110000, 30 / 365.0, -1, 0.6};
    const stress_book<double> b{S0, {c}, {{1.0}}};
    const std::array<double, 10> dv{0.1, 0.5, 0, 0, 0, 1.0, 0, 0, 0, -0.2};
    historical_scenarios<double> h{std::span<const double>(returns), std::span<const double>(dv), std::span<const double>(sigmas), 0.05};
    risk_based_parameters<double> p;
    p.mpor_days = 5;
    const risk_based_margin<double> m{h, p};
    std::array<double, 10> losses{};
    m.scenario_losses(b, std::span<double>(losses));
    for (std::size_t t = 0; t < 10; ++t) {
        const double s = S0 * std::exp(returns[t] * 0.05 / sigmas[t] * std::sqrt(5.0));
        const option_inputs<double> in{s, 110000, 30 / 365.0, 0, 0, 0.6 * (1 + dv[t])};
        const double after = s - black_scholes_price(option_type::call, in);
        const double today = S0 - black_scholes_price(option_type::call, option_inputs<double>{S0, 110000, 30 / 365.0, 0, 0, 0.6});
        CHECK_THAT(losses[t], WithinRel(today - after, 1e-12));
    }
    const auto r = m.evaluate(b);
    CHECK(r.tail.expected_shortfall >= r.tail.value_at_risk);
}

TEST_CASE("risk-based margin rejects bad input with the library's message", "[stress][risk_based][errors]") {
    const std::span<const double> x(returns);
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({std::span<const double>{}}), invalid_argument,
                           Message("risk_based_margin: the size of log_returns is 0, but must be > 0"));
    risk_based_parameters<double> p;
    p.confidence = 1.0;
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({x}, p), invalid_argument,
                           Message("risk_based_margin: confidence is 1, but must be in (0, 1)"));
    p = {};
    p.mpor_days = 0.0;
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({x}, p), invalid_argument,
                           Message("risk_based_margin: mpor_days is 0, but must be finite and > 0"));
    const std::array<double, 3> three{1, 1, 1};
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({x, {}, std::span<const double>(three), 0.05}), invalid_argument,
                           Message("risk_based_margin: the size of sigmas is 3, but must be 0 or the size of log_returns (10)"));
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({x, {}, std::span<const double>(sigmas), 0.0}), invalid_argument,
                           Message("risk_based_margin: sigma_now is 0, but must be finite and > 0"));
    std::array<double, 10> dv{};
    dv[4] = -1.0;
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({x, std::span<const double>(dv)}), invalid_argument,
                           Message("risk_based_margin: vol_changes[4] is -1, but must be finite and > -1"));
    std::array<double, 10> bad = returns;
    bad[2] = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_MATCHES(risk_based_margin<double>({std::span<const double>(bad)}), invalid_argument,
                           Message("risk_based_margin: log_returns[2] is inf, but must be finite"));
}
