#pragma once
/// \file
/// From a one-day to an h-day horizon, each rule with the assumption that makes it exact:
///  * `sqrt_time_scale(r, h)`: VaR_h = √h VaR_1, ES_h = √h ES_1. Exact only for i.i.d. zero-mean
///    normal (more generally: i.i.d. zero-mean, stable-with-index-2) daily P&L; the Basel 10-day
///    rule (√10). Wrong for fat tails under aggregation, for a drift, and for GARCH forecasts
///    (volatility mean-reverts over the horizon).
///  * `normal_horizon_tail_risk(μ, σ, h, α)`: i.i.d. normal daily losses with mean μ: the mean
///    scales with h and the standard deviation with √h: VaR_h = hμ + √h σ z_α.
///  * `ar1_horizon_factor(h, ρ)`: zero-mean normal daily P&L with AR(1) autocorrelation ρ: the
///    h-day standard deviation is σ √(h + 2 Σ_{i=1}^{h−1} (h − i) ρ^i), so VaR_h = factor · VaR_1.
/// Source: J. Hull, Risk Management and Financial Institutions, 5th ed. (Wiley 2018), chapter
/// "Value at Risk and Expected Shortfall", choice of time horizon and its autocorrelation
/// adjustment; BCBS, Amendment to the
/// capital accord to incorporate market risks (1996), √10 scaling.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <cmath>
#include <cstddef>

namespace margincall {

/// √h scaling of a one-day VaR/ES (i.i.d. zero-mean normal P&L); h > 0 days.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> sqrt_time_scale(const tail_risk<Real>& one_day, Real horizon_days) {
    constexpr const char* where = "sqrt_time_scale";
    check_positive(where, "horizon_days", horizon_days);
    check_finite(where, "value_at_risk", one_day.value_at_risk);
    check_finite(where, "expected_shortfall", one_day.expected_shortfall);
    if (!(one_day.expected_shortfall >= one_day.value_at_risk))
        throw_invalid_argument(where, "expected_shortfall", one_day.expected_shortfall,
                               detail::message(">= value_at_risk (", one_day.value_at_risk, ")").c_str());
    using std::sqrt;
    const Real f = sqrt(horizon_days);
    return detail::checked_tail(where, "horizon_days", horizon_days,
                                tail_risk<Real>{f * one_day.value_at_risk, f * one_day.expected_shortfall});
}

/// h-day VaR/ES of i.i.d. normal daily losses with mean μ and standard deviation σ.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> normal_horizon_tail_risk(Real daily_mean, Real daily_sd, Real horizon_days, Real alpha) {
    constexpr const char* where = "normal_horizon_tail_risk";
    check_finite(where, "daily_mean", daily_mean);
    check_positive(where, "daily_sd", daily_sd);
    check_positive(where, "horizon_days", horizon_days);
    check_probability(where, "alpha", alpha);
    using std::sqrt;
    return normal_tail_risk(Real(horizon_days * daily_mean), Real(sqrt(horizon_days) * daily_sd), alpha);
}

/// The h-day / one-day standard-deviation ratio for AR(1) daily P&L with autocorrelation ρ ∈ (−1, 1).
template <real_scalar Real>
[[nodiscard]] Real ar1_horizon_factor(std::size_t horizon_days, Real rho) {
    constexpr const char* where = "ar1_horizon_factor";
    if (horizon_days == 0) throw_invalid_argument(where, "horizon_days", horizon_days, ">= 1");
    if (!(rho > Real(-1) && rho < Real(1))) throw_invalid_argument(where, "rho", rho, "in (-1, 1)");
    Real variance = static_cast<Real>(horizon_days);
    Real power(1);
    for (std::size_t i = 1; i < horizon_days; ++i) {
        power *= rho;
        variance += Real(2) * static_cast<Real>(horizon_days - i) * power;
    }
    using std::sqrt;
    return sqrt(variance);
}

}  // namespace margincall
