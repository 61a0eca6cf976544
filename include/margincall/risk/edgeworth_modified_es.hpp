#pragma once
/// \file
/// Boudt–Peterson–Croux "modified ES": the Expected Shortfall of the second-order Edgeworth
/// expansion of the loss density, as PerformanceAnalytics' `ES(method = "modified")` computes it
/// (its default `operational = TRUE`, function operES.CornishFisher). This is NOT the ES of
/// cornish_fisher_var.hpp (the exact integral of the Cornish–Fisher quantile function); the two
/// agree to first order in S and K and differ beyond it. Use this one to reproduce a
/// PerformanceAnalytics figure, the other for the ES of the modified-VaR quantile itself.
///
/// In PerformanceAnalytics' return terms (returns r = −L, tail probability a = 1 − α,
/// z = Φ⁻¹(a) < 0, μ_r, m2 and the skewness S_r = −S, excess kurtosis K of the returns, central
/// moments with divisor n):
///   h  = z + (z² − 1) S_r/6 + (z³ − 3z) K/24 − (2z³ − 5z) S_r²/36      (Cornish–Fisher quantile)
///   E  = φ(h) [1 + h³ S_r/6 + (h⁶ − 9h⁴ + 9h² + 3) S_r²/72 + (h⁴ − 2h² − 1) K/24] / a
///   mVaR = −μ_r − √m2 h,     mES = −μ_r − √m2 · min(−E, h).
/// −E·√m2 + μ_r is ∫_{−∞}^{h} x f_E(x) dx / a for the Edgeworth density
/// f_E = φ [1 + S_r He₃/6 + K He₄/24 + S_r² He₆/72] (Boudt, Peterson & Croux 2008, eq. (12) and
/// Appendix; the closed form above is PerformanceAnalytics' own simplification of the paper's
/// I^q sums). The "operational" rule min(−E, h) reverts the ES to the modified VaR whenever
/// the Edgeworth ES falls below it (so ES ≥ VaR always). In this library's loss terms (L = −r,
/// S = skewness of the loss) that is VaR_α = μ + σ z_cf (the same VaR as cornish_fisher_var)
/// and ES_α = μ + σ max(E, z_cf).
/// Not reproduced: the wrapper ES()'s return-unit sanity rules (a negative ES becomes NA, an
/// ES above 1 = 100 % becomes 1): they assume returns, and this library clamps nothing; a
/// negative ES (a sample of gains) is reported as such.
/// Source: K. Boudt, B. Peterson & C. Croux, "Estimation and decomposition of downside risk for
/// portfolios with non-normal returns", Journal of Risk 11(2), 2008, 79–103;
/// PerformanceAnalytics R/PortfolioRisk.R, operES.CornishFisher (GitHub braverock/PerformanceAnalytics).
/// Tested: tests/risk/edgeworth_modified_es.cpp against tests/reference/risk_figures.py (SciPy
/// numerical integration of the Edgeworth density and the closed form).

#include <margincall/core/checks.hpp>
#include <margincall/core/distributions.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/sample_moments.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <algorithm>
#include <cmath>
#include <span>

namespace margincall {

/// PerformanceAnalytics' modified VaR and ES (Boudt–Peterson–Croux, operational) at α of a loss
/// with mean, standard deviation √m2, skewness and excess kurtosis of the LOSS.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> edgeworth_modified_tail_risk(Real mean, Real sd, Real skewness, Real excess_kurtosis,
                                                           Real alpha) {
    constexpr const char* where = "edgeworth_modified_tail_risk";
    check_finite(where, "mean", mean);
    check_positive(where, "sd", sd);
    check_finite(where, "skewness", skewness);
    check_finite(where, "excess_kurtosis", excess_kurtosis);
    check_probability(where, "alpha", alpha);
    // Return terms: z = Φ⁻¹(1 − α) = −Φ⁻¹(α), S_r = −S.
    const Real z = -standard_normal_quantile(alpha);
    const Real s = -skewness;
    const Real k = excess_kurtosis;
    const Real z2 = z * z;
    const Real h = z + (z2 - Real(1)) * s / Real(6) + (z2 * z - Real(3) * z) * k / Real(24) -
                   (Real(2) * z2 * z - Real(5) * z) * s * s / Real(36);
    const Real h2 = h * h;
    const Real h4 = h2 * h2;
    const Real e = standard_normal_pdf(h) *
                   (Real(1) + h2 * h * s / Real(6) + (h4 * h2 - Real(9) * h4 + Real(9) * h2 + Real(3)) * s * s / Real(72) +
                    (h4 - Real(2) * h2 - Real(1)) * k / Real(24)) /
                   (Real(1) - alpha);
    using std::max;
    return detail::checked_tail(where, "alpha", alpha,
                                tail_risk<Real>{mean - sd * h, mean + sd * max(e, Real(-h))});
}

/// PerformanceAnalytics' modified VaR/ES from the sample's moments (divisor n); a
/// `tail_estimator` policy. Its VaR equals cornish_fisher_var's; its ES is the Edgeworth one.
template <real_scalar Real = double>
class edgeworth_modified_var {
public:
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        constexpr const char* where = "edgeworth_modified_var";
        check_probability(where, "alpha", alpha);
        const auto m = moments_of<Real>(losses, where, "losses");
        using std::sqrt;
        const Real sd = sqrt(m.central_m2);
        check_positive(where, "the standard deviation of losses", sd);
        return edgeworth_modified_tail_risk(m.mean, sd, m.skewness, m.excess_kurtosis, alpha);
    }
};

}  // namespace margincall
