#pragma once
/// \file
/// Student-t VaR and ES: L = μ + σ T with T ~ t_ν (location μ, scale σ, ν degrees of freedom):
///   VaR_α = μ + σ t_ν^{-1}(α),
///   ES_α  = μ + σ · g_ν(t_ν^{-1}(α)) / (1 − α) · (ν + (t_ν^{-1}(α))²) / (ν − 1),   ν > 1,
/// where g_ν is the t_ν density. The variance of L is σ² ν/(ν − 2) (ν > 2).
/// Source: McNeil, Frey & Embrechts, Quantitative Risk Management (2005), Example 2.19
/// (rev. ed. 2015, Example 2.15); t quantile and density from core/distributions.hpp.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/sample_moments.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <margincall/core/distributions.hpp>

#include <cmath>
#include <span>

namespace margincall {

/// VaR and ES at α of L = location + scale · t_ν; throws for scale ≤ 0, ν ≤ 1 (ES is infinite)
/// or α ∉ (0, 1).
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> student_t_tail_risk(Real location, Real scale, Real nu, Real alpha) {
    constexpr const char* where = "student_t_tail_risk";
    check_finite(where, "location", location);
    check_positive(where, "scale", scale);
    if (!(nu > Real(1))) throw_invalid_argument(where, "nu", nu, "> 1 (ES is infinite for nu <= 1)");
    check_finite(where, "nu", nu);
    check_probability(where, "alpha", alpha);
    const Real q = student_t_quantile(alpha, nu);
    const Real es_std = student_t_pdf(q, nu) / (Real(1) - alpha) * (nu + q * q) / (nu - Real(1));
    return detail::checked_tail(where, "nu", nu, tail_risk<Real>{location + scale * q, location + scale * es_std});
}

/// Parametric Student-t estimator with ν fixed by the caller: location = sample mean, scale
/// matched to the sample variance (divisor n − 1), σ = s √((ν − 2)/ν), so ν must exceed 2.
/// A `tail_estimator` policy.
template <real_scalar Real = double>
class student_t_var {
public:
    explicit student_t_var(Real nu) : nu_{nu} {
        if (!(nu > Real(2)) || !detail::is_finite(nu))
            throw_invalid_argument("student_t_var", "nu", nu, "finite and > 2 (the variance is matched)");
    }
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        constexpr const char* where = "student_t_var";
        check_probability(where, "alpha", alpha);
        const auto m = moments_of<Real>(losses, where, "losses");
        using std::sqrt;
        const Real sd = sqrt(m.variance);
        check_positive(where, "the standard deviation of losses", sd);
        return student_t_tail_risk(m.mean, Real(sd * sqrt(Real((nu_ - Real(2)) / nu_))), nu_, alpha);
    }
    [[nodiscard]] Real nu() const noexcept { return nu_; }

private:
    Real nu_;
};

}  // namespace margincall
