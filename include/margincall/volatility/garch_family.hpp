#pragma once
/// \file
/// GARCH(1,1), GJR-GARCH(1,1) and EGARCH(1,1) with a mean equation (constant or AR(1)) and
/// normal or standardised Student-t innovations: filter (σ_t, standardised residuals),
/// log-likelihood, forecasts h steps ahead and VaR/ES of a forecast day.
///
/// Mean:      r_t = μ + ε_t  (constant)  or  r_t = μ + φ r_{t−1} + ε_t  (AR(1), |φ| < 1),
///            ε_t = σ_t z_t, z_t i.i.d. N(0, 1) or standardised t_ν (unit variance, ν > 2).
/// Variance:  GARCH  σ²_t = ω + α ε²_{t−1} + β σ²_{t−1}                       (Bollerslev 1986)
///            GJR    σ²_t = ω + (α + γ 1{ε_{t−1} < 0}) ε²_{t−1} + β σ²_{t−1}   (Glosten, Jagannathan & Runkle 1993)
///            EGARCH ln σ²_t = ω + α z_{t−1} + γ (|z_{t−1}| − E|z|) + β ln σ²_{t−1}  (Nelson 1991,
///                   written as R rugarch writes it: α is the sign effect, γ the size effect)
/// Sources: T. Bollerslev, J. Econometrics 31 (1986) 307–327; L. R. Glosten, R. Jagannathan &
/// D. E. Runkle, "On the relation between the expected value and the volatility of the nominal
/// excess return on stocks", J. Finance 48 (1993) 1779–1801; D. B. Nelson, "Conditional
/// heteroskedasticity in asset returns: a new approach", Econometrica 59 (1991) 347–370.
/// Start of the recursion as R fGarch (init.rec = "mci", fGarch:::.aparchLLH.filter): with AR(1)
/// ε_1 = 0 (no r_0), and σ²_1 is one step of the recursion from the residuals' mean square m̄ with
/// the innovation term at its mean: ω + P m̄ for GARCH/GJR (P the persistence below), and
/// exp(ω + β ln m̄) for EGARCH (fGarch has no EGARCH; same rule).
/// Tested: tests/volatility/garch_family.cpp against plain R / SciPy loops and fGarch forecasts
/// (tests/reference/garch_family_fgarch.R, garch_family_egarch.py).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/student_t_var.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/volatility/garch11.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <utility>

namespace margincall {

/// The variance equation of a garch_family model.
enum class garch_variance { garch, gjr, egarch };
/// The mean equation: constant μ, or AR(1) μ + φ r_{t−1}.
enum class garch_mean { constant, ar1 };

/// Which model: variance equation, mean equation, innovation distribution.
struct garch_family_spec {
    garch_variance variance = garch_variance::garch;
    garch_mean mean = garch_mean::constant;
    garch_innovation innovation = garch_innovation::normal;
};

/// Parameters (estimates or their standard errors). Unused ones are 0: `ar` without AR(1),
/// `gamma` for plain GARCH, `shape` (ν) for normal innovations.
template <real_scalar Real = double>
struct garch_family_parameters {
    Real mu{0};
    Real ar{0};
    Real omega{0};
    Real alpha{0};
    Real gamma{0};
    Real beta{0};
    Real shape{0};
};

/// Where a filter leaves the model after the last return: E_T[r_{T+1}] and σ²_{T+1}.
template <real_scalar Real = double>
struct garch_family_state {
    Real next_mean;
    Real next_variance;
};

/// Forecast of day T+h: E_T[r_{T+h}] and E_T[σ²_{T+h}].
template <real_scalar Real = double>
struct garch_family_forecast {
    Real mean;
    Real variance;
};

/// A GARCH-family model with a mean equation. \tparam Real a real_scalar
template <real_scalar Real = double>
class garch_family {
public:
    /// Throws margincall::invalid_argument for parameters outside the model's admissible set:
    /// GARCH/GJR ω > 0, α ≥ 0, α + γ ≥ 0, 0 ≤ β < 1 (GARCH: γ = 0); EGARCH |β| < 1; AR(1)
    /// |φ| < 1; Student-t ν > 2; a parameter the model does not have must be 0. The persistence
    /// P may reach or exceed 1 (fGarch fits such models; rugarch's default forbids them): the
    /// filter and forecasts still work, only unconditional_variance() needs P < 1.
    garch_family(const garch_family_spec& spec, const garch_family_parameters<Real>& p)
        : spec_(spec), p_(p), density_(make_density(spec, p.shape)), abs_mean_(abs_innovation_mean()) {
        constexpr const char* where = "garch_family";
        for (const auto& [name, v] : {std::pair{"mu", p.mu}, std::pair{"ar", p.ar}, std::pair{"omega", p.omega},
                                      std::pair{"alpha", p.alpha}, std::pair{"gamma", p.gamma},
                                      std::pair{"beta", p.beta}})
            check_finite(where, name, v);
        if (spec.mean == garch_mean::ar1) {
            if (!(Real(abs_(p.ar)) < Real(1))) throw_invalid_argument(where, "ar", p.ar, "in (-1, 1) (stationary mean)");
        } else if (p.ar != Real(0)) {
            throw_invalid_argument(where, "ar", p.ar, "0 for a constant mean (choose garch_mean::ar1)");
        }
        if (spec.innovation == garch_innovation::normal && p.shape != Real(0))
            throw_invalid_argument(where, "shape", p.shape, "0 for normal innovations");
        if (spec.variance == garch_variance::egarch) {
            if (!(Real(abs_(p.beta)) < Real(1))) throw_invalid_argument(where, "beta", p.beta, "in (-1, 1) (stationary)");
            return;
        }
        check_positive(where, "omega", p.omega);
        check_non_negative(where, "alpha", p.alpha);
        check_non_negative(where, "beta", p.beta);
        if (spec.variance == garch_variance::garch && p.gamma != Real(0))
            throw_invalid_argument(where, "gamma", p.gamma, "0 for GARCH (choose garch_variance::gjr)");
        if (!(p.alpha + p.gamma >= Real(0)))
            throw_invalid_argument(where, "alpha + gamma", Real(p.alpha + p.gamma), ">= 0 (a negative day's ARCH weight)");
        if (!(p.beta < Real(1))) throw_invalid_argument(where, "beta", p.beta, "< 1");
    }

    [[nodiscard]] const garch_family_spec& spec() const noexcept { return spec_; }
    [[nodiscard]] const garch_family_parameters<Real>& parameters() const noexcept { return p_; }

    /// GARCH α + β; GJR α + γ/2 + β (E[1{z<0} z²] = ½ for symmetric z); EGARCH β (of ln σ²).
    [[nodiscard]] Real persistence() const noexcept {
        if (spec_.variance == garch_variance::egarch) return p_.beta;
        return p_.alpha + Real(0.5) * p_.gamma + p_.beta;
    }

    /// ω / (1 − P), the long-run variance of GARCH and GJR. Throws for P ≥ 1 (none exists) and
    /// for EGARCH (no closed form; infinite for Student-t unless γ ≤ −|α|).
    [[nodiscard]] Real unconditional_variance() const {
        constexpr const char* where = "garch_family::unconditional_variance";
        if (spec_.variance == garch_variance::egarch)
            throw_invalid_argument(where, "the variance model", "egarch", "garch or gjr (use forecast for EGARCH)");
        if (!(persistence() < Real(1)))
            throw_invalid_argument(where, "the persistence", persistence(), "< 1 (covariance stationary)");
        return p_.omega / (Real(1) - persistence());
    }

    /// E|z| of the innovation: √(2/π), or 2√(ν−2) Γ((ν+1)/2) / (√π (ν−1) Γ(ν/2)) for the
    /// standardised t (the ratio of gammas from Boost's tgamma_delta_ratio, finite for large ν).
    [[nodiscard]] Real abs_innovation_mean() const noexcept {
        using std::sqrt;
        const Real pi = boost::math::constants::pi<Real>();
        if (spec_.innovation == garch_innovation::normal) return Real(sqrt(Real(2) / pi));
        const Real nu = p_.shape;
        return Real(2) * Real(sqrt(nu - Real(2))) /
               (Real(sqrt(pi)) * (nu - Real(1)) * Real(boost::math::tgamma_delta_ratio(nu / Real(2), Real(0.5))));
    }

    /// E_t[r_{t+1}] given r_t: μ, or μ + φ r_t.
    [[nodiscard]] Real conditional_mean(const Real& return_value) const noexcept { return p_.mu + p_.ar * return_value; }

    /// σ²_{t+1} from σ²_t and the residual ε_t = r_t − E_{t−1}[r_t].
    [[nodiscard]] Real next_variance(const Real& variance, const Real& residual) const noexcept {
        using std::exp;
        using std::log;
        using std::sqrt;
        const Real e2 = residual * residual;
        switch (spec_.variance) {
        case garch_variance::garch: return p_.omega + p_.alpha * e2 + p_.beta * variance;
        case garch_variance::gjr:
            return p_.omega + (residual < Real(0) ? p_.alpha + p_.gamma : p_.alpha) * e2 + p_.beta * variance;
        case garch_variance::egarch: break;
        }
        const Real z = residual / Real(sqrt(variance));
        return Real(exp(p_.omega + p_.alpha * z + p_.gamma * (Real(abs_(z)) - abs_mean_) + p_.beta * Real(log(variance))));
    }

    /// σ²_1 from the residuals' mean square m̄: ω + P m̄ (GARCH, GJR), exp(ω + β ln m̄) (EGARCH).
    [[nodiscard]] Real initial_variance(const Real& residual_mean_square) const noexcept {
        using std::exp;
        using std::log;
        if (spec_.variance == garch_variance::egarch)
            return Real(exp(p_.omega + p_.beta * Real(log(residual_mean_square))));
        return p_.omega + persistence() * residual_mean_square;
    }

    /// ε_t: r_t − μ, or r_t − μ − φ r_{t−1} with ε_1 = 0 under AR(1) (fGarch's convention).
    [[nodiscard]] Real residual(std::span<const Real> returns, std::size_t t) const noexcept {
        if (spec_.mean == garch_mean::constant) return returns[t] - p_.mu;
        return t == 0 ? Real(0) : returns[t] - p_.mu - p_.ar * returns[t - 1];
    }

    /// ln f(ε | σ²) of the innovation distribution (garch11's density, one formula).
    [[nodiscard]] Real log_density(const Real& residual_value, const Real& variance) const noexcept {
        return density_.log_density(residual_value, variance);
    }

    /// σ_t and z_t = ε_t / σ_t for every return (spans of the same size as `returns`); returns the
    /// state after the last return, for forecasts and simulation.
    garch_family_state<Real> filter(std::span<const Real> returns, std::span<Real> sigmas,
                                    std::span<Real> standardized_residuals) const {
        constexpr const char* where = "garch_family::filter";
        check_series(where, returns);
        if (sigmas.size() != returns.size())
            throw_invalid_argument(where, "the size of sigmas", sigmas.size(), detail::message("the size of returns (", returns.size(), ")").c_str());
        if (standardized_residuals.size() != returns.size())
            throw_invalid_argument(where, "the size of standardized_residuals", standardized_residuals.size(),
                                   detail::message("the size of returns (", returns.size(), ")").c_str());
        using std::sqrt;
        Real variance = initial_variance(residual_mean_square(returns));
        for (std::size_t t = 0; t < returns.size(); ++t) {
            const Real e = residual(returns, t);
            sigmas[t] = Real(sqrt(variance));
            standardized_residuals[t] = e / sigmas[t];
            variance = next_variance(variance, e);
        }
        const garch_family_state<Real> state{conditional_mean(returns.back()), variance};
        if (!(variance > Real(0)) || !detail::is_finite(variance))
            throw_numeric_error(where, "the next variance", variance, "finite and > 0 (rescale the returns)");
        return state;
    }

    /// Σ_t ln f(ε_t | σ²_t) with the fGarch start; throws numeric_error when it is not finite.
    [[nodiscard]] Real log_likelihood(std::span<const Real> returns) const {
        constexpr const char* where = "garch_family::log_likelihood";
        check_series(where, returns);
        const Real ll = log_likelihood_unchecked(returns);
        if (!detail::is_finite(ll))
            throw_numeric_error(where, "the log-likelihood", ll, "finite (conditional variances too small or too large)");
        return ll;
    }

    /// The log-likelihood over validated data (two passes, no allocation; may be ±∞ or NaN).
    [[nodiscard]] Real log_likelihood_unchecked(std::span<const Real> returns) const noexcept {
        Real variance = initial_variance(residual_mean_square(returns));
        Real sum(0);
        for (std::size_t t = 0; t < returns.size(); ++t) {
            const Real e = residual(returns, t);
            sum += log_density(e, variance);
            variance = next_variance(variance, e);
        }
        return sum;
    }

    /// (1/n) Σ ε_t², the mean square the variance recursion starts from.
    [[nodiscard]] Real residual_mean_square(std::span<const Real> returns) const noexcept {
        Real sum(0);
        for (std::size_t t = 0; t < returns.size(); ++t) sum += residual(returns, t) * residual(returns, t);
        return sum / static_cast<Real>(returns.size());
    }

    /// E_T[r_{T+h}] and E_T[σ²_{T+h}], h ≥ 1, from the filter's state.
    /// Mean: m_1 = next_mean, m_{k+1} = μ + φ m_k. Variance: GARCH/GJR
    /// E σ²_{T+h} = ω Σ_{j<h−1} P^j + P^{h−1} σ²_{T+1} (= σ̄² + P^{h−1}(σ²_{T+1} − σ̄²) when P < 1); EGARCH with normal z (Nelson 1991, eq. for the
    /// k-step forecast): E σ²_{T+h} = exp(ω Σ_{j<h−1} β^j + β^{h−1} ln σ²_{T+1}) Π_{j<h−1} M(β^j),
    /// M(c) = E exp(c g(z)) = e^{−cγE|z|} [e^{(a+b)²/2} Φ(a+b) + e^{(a−b)²/2} Φ(b−a)], a = cα, b = cγ.
    /// For EGARCH with Student-t z and h ≥ 2 E σ² is infinite (E e^{c|z|} = ∞): throws; use
    /// filtered historical simulation (filtered_historical.hpp) for such horizons.
    [[nodiscard]] garch_family_forecast<Real> forecast(const garch_family_state<Real>& state, std::size_t horizon) const {
        using std::exp;
        using std::log;
        using std::pow;
        constexpr const char* where = "garch_family::forecast";
        check_finite(where, "state.next_mean", state.next_mean);
        check_positive(where, "state.next_variance", state.next_variance);
        if (horizon == 0) throw_invalid_argument(where, "horizon", horizon, ">= 1");
        Real mean = state.next_mean;
        for (std::size_t k = 1; k < horizon; ++k) mean = conditional_mean(mean);
        const Real steps = static_cast<Real>(horizon - 1);
        if (spec_.variance != garch_variance::egarch) {
            const Real power = Real(pow(persistence(), steps));
            const Real sum = persistence() == Real(1) ? steps : (Real(1) - power) / (Real(1) - persistence());
            const Real variance = p_.omega * sum + power * state.next_variance;
            if (!detail::is_finite(variance))
                throw_numeric_error(where, "the forecast variance", variance, "finite (horizon too long for this persistence)");
            return {mean, variance};
        }
        if (horizon == 1) return {mean, state.next_variance};
        if (spec_.innovation == garch_innovation::student_t)
            throw_invalid_argument(where, "horizon", horizon,
                                   "1 for EGARCH with Student-t innovations (E sigma^2 is infinite beyond one day; "
                                   "use filtered historical simulation)");
        Real log_part = Real(pow(p_.beta, steps)) * Real(log(state.next_variance));
        Real factor(1);
        Real c(1);
        for (std::size_t j = 0; j + 1 < horizon; ++j, c *= p_.beta) {
            log_part += p_.omega * c;
            factor *= normal_egarch_mgf(c);
        }
        const Real variance = Real(exp(log_part)) * factor;
        if (!detail::is_finite(variance))
            throw_numeric_error(where, "the forecast variance", variance, "finite (horizon too long for these parameters)");
        return {mean, variance};
    }

    /// VaR_α and ES_α of the loss −r_{T+h} of one forecast day, through risk/'s parametric
    /// estimators: normal_tail_risk(−m, σ, α), or student_t_tail_risk(−m, σ √((ν−2)/ν), ν, α).
    /// Exact for h = 1; for h ≥ 2 it treats r_{T+h} as m + √(E σ²) z (the mixture over σ is in
    /// filtered_historical.hpp).
    [[nodiscard]] tail_risk<Real> forecast_tail_risk(const garch_family_forecast<Real>& f, Real alpha) const {
        using std::sqrt;
        check_positive("garch_family::forecast_tail_risk", "forecast.variance", f.variance);
        const Real sigma = Real(sqrt(f.variance));
        if (spec_.innovation == garch_innovation::normal) return normal_tail_risk(Real(-f.mean), sigma, alpha);
        return student_t_tail_risk(Real(-f.mean), Real(sigma * Real(sqrt((p_.shape - Real(2)) / p_.shape))), p_.shape, alpha);
    }

private:
    static garch11<Real> make_density(const garch_family_spec& spec, const Real& shape) {
        // garch11 owns the innovation densities; a unit-variance, memoryless instance serves here.
        if (spec.innovation == garch_innovation::student_t) return garch11<Real>(Real(1), Real(0), Real(0), shape);
        return garch11<Real>(Real(1), Real(0), Real(0));
    }
    static Real abs_(const Real& x) noexcept {
        using std::abs;
        return Real(abs(x));
    }

    Real normal_egarch_mgf(const Real& c) const {
        using std::exp;
        const boost::math::normal_distribution<Real> n;
        const Real a = c * p_.alpha;
        const Real b = c * p_.gamma;
        return Real(exp(-b * abs_mean_)) *
               (Real(exp((a + b) * (a + b) / Real(2))) * cdf(n, a + b) + Real(exp((a - b) * (a - b) / Real(2))) * cdf(n, b - a));
    }

    void check_series(const char* where, std::span<const Real> returns) const {
        check_not_empty(where, "returns", returns);
        check_all_finite_squares(where, "returns", returns);
        const Real ms = residual_mean_square(returns);
        if (!(ms > Real(0)) || !detail::is_finite(ms))
            throw_invalid_argument(where, "the mean square of the residuals", ms,
                                   "finite and > 0 (a constant series has no volatility; rescale huge returns)");
    }

    garch_family_spec spec_;
    garch_family_parameters<Real> p_;
    garch11<Real> density_;
    Real abs_mean_;  // E|z|
};

}  // namespace margincall
