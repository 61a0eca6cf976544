#pragma once
/// \file
/// Gaussian VaR and ES: L ~ N(μ, σ²) gives
///   VaR_α = μ + σ Φ^{-1}(α),   ES_α = μ + σ φ(Φ^{-1}(α)) / (1 − α).
/// Source: A. McNeil, R. Frey & P. Embrechts, Quantitative Risk Management (Princeton, 2005),
/// Example 2.18 (rev. ed. 2015, Example 2.14); Φ⁻¹ and φ from core/distributions.hpp.
/// When not to use it: fat-tailed P&L (crypto) — the normal understates the 99% tail; prefer
/// student_t_var, cornish_fisher_var or peaks_over_threshold.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/sample_moments.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <margincall/core/distributions.hpp>

#include <cmath>
#include <span>

namespace margincall {

/// VaR and ES at α of a normal loss N(mean, sd²); throws for sd ≤ 0 or α ∉ (0, 1).
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> normal_tail_risk(Real mean, Real sd, Real alpha) {
    constexpr const char* where = "normal_tail_risk";
    check_finite(where, "mean", mean);
    check_positive(where, "sd", sd);
    check_probability(where, "alpha", alpha);
    const Real z = standard_normal_quantile(alpha);
    return detail::checked_tail(where, "sd", sd,
                                tail_risk<Real>{mean + sd * z, mean + sd * standard_normal_pdf(z) / (Real(1) - alpha)});
}

/// Parametric normal estimator: fits mean and standard deviation (divisor n − 1) to the loss
/// sample; a `tail_estimator` policy.
template <real_scalar Real = double>
class normal_var {
public:
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        constexpr const char* where = "normal_var";
        check_probability(where, "alpha", alpha);
        const auto m = moments_of<Real>(losses, where, "losses");
        using std::sqrt;
        const Real sd = sqrt(m.variance);
        check_positive(where, "the standard deviation of losses", sd);
        return normal_tail_risk(m.mean, sd, alpha);
    }
};

}  // namespace margincall
