#pragma once
/// \file
/// Cornish–Fisher ("modified") VaR and its ES, from the first four sample moments of the loss:
///   z_cf = z + (z² − 1) S/6 + (z³ − 3z) K/24 − (2z³ − 5z) S²/36,   z = Φ^{-1}(α),
///   VaR_α = μ + σ z_cf,
///   ES_α  = μ + σ φ(z)/(1 − α) · [1 + S z/6 + K (z² − 1)/24 − S² (2z² − 1)/36],
/// with σ = √m2, S = m3/m2^{3/2}, K = m4/m2² − 3 (central moments, divisor n; losses, so S is
/// the skewness of the loss). The ES is (1/(1−α)) ∫_α^1 VaR_u du of the Cornish–Fisher quantile
/// function, integrated in closed form with ∫_z^∞ t^q φ(t) dt = z^{q−1}φ(z) + (q−1)∫_z^∞ t^{q−2}φ(t) dt
/// (derivation in docs/risk.md). It is the ES of the Cornish–Fisher distribution, valid where
/// z_cf is increasing on [z, ∞); it is not Boudt–Peterson–Croux's Edgeworth ES.
/// Source: S. Zangari, "A VaR methodology for portfolios that include options", RiskMetrics
/// Monitor Q1 1996, 4–12; L. Favre & J.-A. Galeano, "Mean-modified Value-at-Risk optimization
/// with hedge funds", J. Alternative Investments 5(2), 2002; PerformanceAnalytics VaR.CornishFisher.
/// When not to use it: large |S| or K, where z_cf stops being monotone (then it is no quantile).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/sample_moments.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <margincall/core/distributions.hpp>

#include <cmath>
#include <span>

namespace margincall {

/// Cornish–Fisher VaR and ES at α from mean, standard deviation, skewness and excess kurtosis.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> cornish_fisher_tail_risk(Real mean, Real sd, Real skewness, Real excess_kurtosis,
                                                       Real alpha) {
    constexpr const char* where = "cornish_fisher_tail_risk";
    check_finite(where, "mean", mean);
    check_positive(where, "sd", sd);
    check_finite(where, "skewness", skewness);
    check_finite(where, "excess_kurtosis", excess_kurtosis);
    check_probability(where, "alpha", alpha);
    const Real s = skewness;
    const Real k = excess_kurtosis;
    const Real z = standard_normal_quantile(alpha);
    const Real z2 = z * z;
    const Real z_cf = z + (z2 - Real(1)) * s / Real(6) + (z2 * z - Real(3) * z) * k / Real(24) -
                      (Real(2) * z2 * z - Real(5) * z) * s * s / Real(36);
    const Real bracket = Real(1) + s * z / Real(6) + k * (z2 - Real(1)) / Real(24) -
                         s * s * (Real(2) * z2 - Real(1)) / Real(36);
    // The expansion is a quantile only where z ↦ z_cf is increasing; beyond that (far tails, or
    // large skewness and kurtosis) it can give VaR > ES (α = 4.9e-324, issue #14, class 5):
    // dz_cf/dz = 1 + sz/3 + k(z² − 1)/8 − s²(6z² − 5)/36 must be > 0 (Maillard, "A user's guide
    // to the Cornish Fisher expansion", SSRN 1997178 (2012), §3, the domain of validity).
    const Real slope = Real(1) + s * z / Real(3) + k * (z2 - Real(1)) / Real(8) - s * s * (Real(6) * z2 - Real(5)) / Real(36);
    if (!(slope > Real(0)))
        throw_invalid_argument(where, "alpha", alpha,
                               "in the range where the Cornish-Fisher quantile increases with alpha (for these skewness "
                               "and excess_kurtosis)");
    return detail::checked_tail(
        where, "alpha", alpha,
        tail_risk<Real>{mean + sd * z_cf, mean + sd * standard_normal_pdf(z) / (Real(1) - alpha) * bracket});
}

/// Cornish–Fisher estimator from the sample's moments (divisor n, as PerformanceAnalytics);
/// a `tail_estimator` policy.
template <real_scalar Real = double>
class cornish_fisher_var {
public:
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        constexpr const char* where = "cornish_fisher_var";
        check_probability(where, "alpha", alpha);
        const auto m = moments_of<Real>(losses, where, "losses");
        using std::sqrt;
        const Real sd = sqrt(m.central_m2);
        check_positive(where, "the standard deviation of losses", sd);
        return cornish_fisher_tail_risk(m.mean, sd, m.skewness, m.excess_kurtosis, alpha);
    }
};

}  // namespace margincall
