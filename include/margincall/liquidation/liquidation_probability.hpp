#pragma once
/// \file
/// Probability that the mark reaches the liquidation price within a horizon, under geometric
/// Brownian motion with drift, and the distance to liquidation in volatility units.
///
/// Model: dS = μ S dt + σ S dW, so X_t = ln(S_t/S_0) = ν t + σ W_t with ν = μ − σ²/2.
/// For a barrier b = ln(L/S_0) the continuously-monitored first-passage probabilities are
///
///   b < 0 (downside):  P(min_{t≤T} X_t ≤ b) = Φ((b − νT)/(σ√T)) + e^{2νb/σ²} Φ((b + νT)/(σ√T))
///   b > 0 (upside):    P(max_{t≤T} X_t ≥ b) = Φ((−b + νT)/(σ√T)) + e^{2νb/σ²} Φ((−b − νT)/(σ√T))
///
/// Source: the reflection principle with a Girsanov change of drift; J. M. Harrison,
/// "Brownian Motion and Stochastic Flow Systems" (1985), §1.8, and S. Shreve, "Stochastic
/// Calculus for Finance II" (2004), §7.2 (maximum of Brownian motion with drift); the downside
/// case is the upside case applied to −X. Derivation: docs/liquidation.md, "Probability".
/// Tested against numerical integration of the first-passage-time density (R, stored in
/// tests/reference/liquidation_first_passage.R) and the driftless reflection principle.
///
/// Monitoring is continuous: an exchange checks the mark every second or so, which this
/// approximates well for horizons of hours and more (the discrete-monitoring correction of
/// Broadie, Glasserman & Kou 1997 shifts the barrier by 0.5826 σ√Δt).

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <limits>

namespace margincall {

namespace detail {

/// log Φ(z). Boost.Math has no log-CDF, and e^{2νb/σ²}·Φ(z) needs it: the exponential
/// overflows exactly where Φ(z) underflows, while their product stays ≤ 1. For z above
/// −30, Φ itself is representable in double; below, the asymptotic (Mills-ratio) series
/// log Φ(z) = −z²/2 − log(−z) − ½ log 2π + log(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸),
/// Abramowitz & Stegun 26.2.12, whose relative truncation error is below 945/z¹⁰: < 2e-12 for z ≤ −30, < 3e-9
/// for z ≤ −14 (where Φ underflows in float).
template <real_scalar Real>
Real log_normal_cdf(Real z) {
    using std::log;
    if (z > Real(-30)) {
        const boost::math::normal_distribution<Real> standard;
        const Real p = Real(boost::math::cdf(standard, z));
        if (p > 0) return Real(log(p));  // float underflows near z = −14: fall through
    }
    const Real z2 = z * z;
    const Real series = Real(1) - Real(1) / z2 + Real(3) / (z2 * z2) - Real(15) / (z2 * z2 * z2) +
                        Real(105) / (z2 * z2 * z2 * z2);
    return Real(-z2 / 2 - log(-z) - log(boost::math::constants::root_two_pi<Real>()) + log(series));
}

}  // namespace detail

/// Probability that a GBM mark started at `mark` touches `liquidation_price` at some time in
/// [0, horizon]. 1 when the two are equal.
/// \param mark current mark price S_0 > 0
/// \param liquidation_price barrier L > 0 (below the mark for a long, above for a short)
/// \param volatility annualised σ > 0
/// \param horizon T > 0, in years
/// \param drift annualised μ of dS/S (0: martingale price; a risk-neutral or funding drift)
/// \throws invalid_argument for a non-positive or non-finite mark, price, σ or T, or a NaN drift
template <real_scalar Real>
[[nodiscard]] Real liquidation_probability(Real mark, Real liquidation_price, Real volatility, Real horizon,
                                           Real drift = Real(0)) {
    constexpr const char* where = "liquidation_probability";
    check_positive(where, "mark", mark);
    check_positive(where, "liquidation_price", liquidation_price);
    check_positive(where, "volatility", volatility);
    check_positive(where, "horizon", horizon);
    check_finite(where, "drift", drift);
    using std::exp;
    using std::log;
    using std::sqrt;
    const Real b = Real(log(liquidation_price / mark));
    if (b == 0) return Real(1);
    const Real nu = drift - volatility * volatility / 2;
    const Real s = volatility * Real(sqrt(horizon));
    const Real exponent = 2 * nu * b / (volatility * volatility);
    const boost::math::normal_distribution<Real> standard;
    // Downside uses X, upside uses −X (drift −ν, barrier −b): one formula in a = |b| and the
    // drift towards the barrier m = sign(b)·ν; the exponent 2νb/σ² = 2·m·a/σ² is the same.
    const Real a = b < 0 ? -b : b;
    const Real m = b < 0 ? -nu : nu;
    const Real first = Real(boost::math::cdf(standard, Real((-a + m * horizon) / s)));
    const Real second = Real(exp(exponent + detail::log_normal_cdf(Real((-a - m * horizon) / s))));
    const Real p = first + second;
    return p > Real(1) ? Real(1) : p;  // rounding only: both terms are probabilities of disjoint events
}

/// Distance to liquidation in volatility units: |ln(L/S_0)| / (σ√T), the number of standard
/// deviations of the log-return over the horizon that separate the mark from the liquidation
/// price (T = 1 year by default; pass 1/365 for daily standard deviations).
/// \throws invalid_argument for a non-positive or non-finite argument
template <real_scalar Real>
[[nodiscard]] Real distance_to_liquidation(Real mark, Real liquidation_price, Real volatility,
                                           Real horizon = Real(1)) {
    constexpr const char* where = "distance_to_liquidation";
    check_positive(where, "mark", mark);
    check_positive(where, "liquidation_price", liquidation_price);
    check_positive(where, "volatility", volatility);
    check_positive(where, "horizon", horizon);
    using std::log;
    using std::sqrt;
    const Real b = Real(log(liquidation_price / mark));
    return (b < 0 ? -b : b) / (volatility * Real(sqrt(horizon)));
}

}  // namespace margincall
