#pragma once
/// \file
/// GARCH(1,1) with normal or standardised Student-t innovations: filter, log-likelihood,
/// multi-step variance forecasts and innovation quantiles.
///
/// r_t = σ_t z_t,  σ²_t = ω + α r²_{t−1} + β σ²_{t−1},  ω > 0, α, β ≥ 0, α + β < 1,
/// z_t i.i.d. N(0, 1) or standardised Student-t with ν > 2 degrees of freedom (unit variance).
/// Sources: T. Bollerslev, "Generalized autoregressive conditional heteroskedasticity",
/// J. Econometrics 31 (1986) 307–327; Student-t innovations: T. Bollerslev,
/// "A conditionally heteroskedastic time series model for speculative prices and rates of
/// return", Rev. Econ. Stat. 69 (1987) 542–547 (density of the standardised t).
/// Forecast: E_T[σ²_{T+h}] = σ̄² + (α + β)^{h−1} (σ²_{T+1} − σ̄²), σ̄² = ω / (1 − α − β)
/// (e.g. J. Hull, Options, Futures and Other Derivatives, chapter "Estimating volatilities and correlations", GARCH forecasting).
/// Variance initialisation follows R fGarch (init.rec = "mci", fGarch:::.aparchLLH.filter):
/// σ²_1 = ω + (α + β) (1/n) Σ r_t²; see docs/volatility.md.
/// Tested: tests/volatility/garch11.cpp against R fGarch (tests/reference/garch_fgarch.R).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

namespace margincall {

/// The distribution of the standardised innovations z_t.
enum class garch_innovation { normal, student_t };

/// A GARCH(1,1) model of zero-mean returns (demean the series first if it drifts).
/// \tparam Real a real_scalar (float, double, long double)
template <real_scalar Real = double>
class garch11 {
public:
    /// Normal innovations. Throws unless ω > 0, α ≥ 0, β ≥ 0 and α + β < 1 (covariance stationary).
    garch11(Real omega, Real alpha, Real beta) : garch11(omega, alpha, beta, garch_innovation::normal, Real(0)) {}

    /// Standardised Student-t innovations with ν = `shape` > 2 degrees of freedom.
    garch11(Real omega, Real alpha, Real beta, Real shape)
        : garch11(omega, alpha, beta, garch_innovation::student_t, shape) {}

    [[nodiscard]] Real omega() const noexcept { return omega_; }
    [[nodiscard]] Real alpha() const noexcept { return alpha_; }
    [[nodiscard]] Real beta() const noexcept { return beta_; }
    /// ν of the Student-t innovations; 0 for normal innovations.
    [[nodiscard]] Real shape() const noexcept { return shape_; }
    [[nodiscard]] garch_innovation innovation() const noexcept { return innovation_; }
    /// α + β: how slowly a variance shock decays (half-life ln 0.5 / ln(α + β) periods).
    [[nodiscard]] Real persistence() const noexcept { return alpha_ + beta_; }
    /// σ̄² = ω / (1 − α − β), the long-run variance the forecasts revert to.
    [[nodiscard]] Real unconditional_variance() const noexcept { return omega_ / (Real(1) - alpha_ - beta_); }

    /// σ²_{t+1} = ω + α r²_t + β σ²_t.
    [[nodiscard]] Real next_variance(const Real& variance, const Real& return_value) const noexcept {
        return omega_ + alpha_ * return_value * return_value + beta_ * variance;
    }

    /// σ²_1 as R fGarch starts it (init.rec = "mci"): ω + (α + β) r̄², with r̄² = (1/n) Σ r_t²,
    /// i.e. one step of the recursion from the sample's own mean square.
    [[nodiscard]] Real initial_variance(const Real& mean_square_of_returns) const noexcept {
        return omega_ + persistence() * mean_square_of_returns;
    }

    /// Conditional variances of `returns` into `variances` (same size), started as fGarch does
    /// (σ²_1 = initial_variance(r̄²)). Returns σ²_{n+1}, the one-step-ahead forecast after the last return.
    Real filter(std::span<const Real> returns, std::span<Real> variances) const {
        check_series("garch11::filter", returns, variances.size());
        return filter_unchecked(returns, initial_variance(mean_square(returns)), variances);
    }

    /// As above with a caller-chosen σ²_1 (e.g. the last variance of a previous window).
    Real filter(std::span<const Real> returns, const Real& initial_variance_value, std::span<Real> variances) const {
        check_series("garch11::filter", returns, variances.size());
        check_positive("garch11::filter", "initial_variance", initial_variance_value);
        return filter_unchecked(returns, initial_variance_value, variances);
    }

    /// The recursion over validated data: variances[0] = σ²_1, then σ²_{t+1} = ω + α r²_t + β σ²_t.
    /// Returns σ²_{n+1}. No checks, no allocation.
    Real filter_unchecked(std::span<const Real> returns, Real variance, std::span<Real> variances) const noexcept {
        for (std::size_t t = 0; t < returns.size(); ++t) {
            variances[t] = variance;
            variance = next_variance(variance, returns[t]);
        }
        return variance;
    }

    /// Log-likelihood of one return given its conditional variance:
    /// normal: −½ [ln 2π + ln σ² + r²/σ²];
    /// Student-t: ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln(π(ν − 2)) − ½ ln σ² − (ν+1)/2 ln(1 + r²/((ν − 2) σ²))
    /// (Bollerslev 1987, the t density rescaled to unit variance).
    [[nodiscard]] Real log_density(const Real& return_value, const Real& variance) const noexcept {
        using std::log;
        const Real square = return_value * return_value / variance;
        if (innovation_ == garch_innovation::normal)
            return Real(-0.5) * (log_two_pi() + Real(log(variance)) + square);
        return t_constant_ - Real(0.5) * Real(log(variance)) -
               Real(0.5) * (shape_ + Real(1)) * Real(log1p_(square / (shape_ - Real(2))));
    }

    /// Σ_t ln f(r_t | σ²_t) with the fGarch start. Throws on an empty, all-zero or non-finite series,
    /// and numeric_error when the sum is not finite (variances negligible against the returns).
    [[nodiscard]] Real log_likelihood(std::span<const Real> returns) const {
        check_series("garch11::log_likelihood", returns, returns.size());
        const Real ll = log_likelihood_unchecked(returns, initial_variance(mean_square(returns)));
        // Parameters so small that a conditional variance is negligible against a return (r²/σ²
        // overflows) give −∞: refused rather than returned (issue #14, class 4).
        if (!detail::is_finite(ll))
            throw_numeric_error("garch11::log_likelihood", "the log-likelihood", ll,
                                detail::message("finite (the conditional variances, from omega = ", omega_,
                                                ", are too small for these returns)")
                                    .c_str());
        return ll;
    }

    /// The log-likelihood over validated data from σ²_1 = `variance`; no allocation.
    [[nodiscard]] Real log_likelihood_unchecked(std::span<const Real> returns, Real variance) const noexcept {
        Real sum(0);
        for (const Real& r : returns) {
            sum += log_density(r, variance);
            variance = next_variance(variance, r);
        }
        return sum;
    }

    /// (1/n) Σ r_t², the mean square fGarch starts the recursion from.
    [[nodiscard]] static Real mean_square(std::span<const Real> returns) noexcept {
        Real sum(0);
        for (const Real& r : returns) sum += r * r;
        return sum / static_cast<Real>(returns.size());
    }

    /// E_T[σ²_{T+h}] = σ̄² + (α + β)^{h−1} (σ²_{T+1} − σ̄²) for h ≥ 1, from σ²_{T+1} = `next_variance_value`.
    [[nodiscard]] Real forecast_variance(const Real& next_variance_value, std::size_t horizon) const {
        using std::pow;
        check_positive("garch11::forecast_variance", "next_variance", next_variance_value);
        if (horizon == 0) throw_invalid_argument("garch11::forecast_variance", "horizon", horizon, ">= 1");
        const Real long_run = unconditional_variance();
        return long_run + Real(pow(persistence(), static_cast<Real>(horizon - 1))) * (next_variance_value - long_run);
    }

    /// Variance of the h-period sum of returns, Σ_{k=1}^{h} E_T[σ²_{T+k}]
    /// = h σ̄² + (σ²_{T+1} − σ̄²)(1 − (α+β)^h)/(1 − α − β) (geometric sum; returns are uncorrelated).
    [[nodiscard]] Real aggregate_variance(const Real& next_variance_value, std::size_t horizon) const {
        using std::pow;
        check_positive("garch11::aggregate_variance", "next_variance", next_variance_value);
        if (horizon == 0) throw_invalid_argument("garch11::aggregate_variance", "horizon", horizon, ">= 1");
        const Real long_run = unconditional_variance();
        const Real h = static_cast<Real>(horizon);
        return h * long_run + (next_variance_value - long_run) * (Real(1) - Real(pow(persistence(), h))) /
                                  (Real(1) - persistence());
    }

    /// The lower-tail quantile z_p of the standardised innovation (unit variance): Φ⁻¹(p), or
    /// t_ν⁻¹(p) √((ν − 2)/ν) for Student-t. A one-day VaR at confidence α is −σ_{T+1} z_{1−α}.
    [[nodiscard]] Real innovation_quantile(Real probability) const {
        using std::sqrt;
        check_probability("garch11::innovation_quantile", "probability", probability);
        if (innovation_ == garch_innovation::normal)
            return quantile(boost::math::normal_distribution<Real>(), probability);
        return quantile(boost::math::students_t_distribution<Real>(shape_), probability) *
               Real(sqrt((shape_ - Real(2)) / shape_));
    }

    /// The expected loss of the standardised innovation beyond its α-quantile, E[−z | −z ≥ q_α]
    /// (closed forms: φ(Φ⁻¹(α))/(1 − α) for the normal; for Student-t
    /// g_ν(t_α)(ν + t_α²)/((ν − 1)(1 − α)) · √((ν − 2)/ν), McNeil, Frey & Embrechts,
    /// Quantitative Risk Management (2005), ch. 2, ES of the Student-t). One-day ES = σ_{T+1} × this.
    [[nodiscard]] Real innovation_expected_shortfall(Real confidence) const {
        using std::sqrt;
        check_probability("garch11::innovation_expected_shortfall", "confidence", confidence);
        const Real tail = Real(1) - confidence;
        if (innovation_ == garch_innovation::normal) {
            const boost::math::normal_distribution<Real> n;
            return pdf(n, quantile(n, confidence)) / tail;
        }
        const boost::math::students_t_distribution<Real> t(shape_);
        const Real q = quantile(t, confidence);
        return pdf(t, q) * (shape_ + q * q) / ((shape_ - Real(1)) * tail) * Real(sqrt((shape_ - Real(2)) / shape_));
    }

private:
    garch11(Real omega, Real alpha, Real beta, garch_innovation innovation, Real shape)
        : omega_(omega), alpha_(alpha), beta_(beta), shape_(shape), innovation_(innovation) {
        constexpr const char* where = "garch11";
        check_positive(where, "omega", omega);
        check_non_negative(where, "alpha", alpha);
        check_non_negative(where, "beta", beta);
        if (!(alpha + beta < Real(1)))
            throw_invalid_argument(where, "alpha + beta", Real(alpha + beta), "< 1 (covariance stationary)");
        if (!detail::is_finite(unconditional_variance()))
            throw_invalid_argument(where, "omega", omega,
                                   detail::message("such that omega / (1 - alpha - beta) is finite (it is ",
                                                   unconditional_variance(), ")")
                                       .c_str());
        if (innovation == garch_innovation::student_t) {
            if (!(shape > Real(2)) || !detail::is_finite(shape))
                throw_invalid_argument(where, "shape", shape, "finite and > 2 (finite innovation variance)");
            using std::log;
            // ln Γ((ν+1)/2) − ln Γ(ν/2) = −ln(Γ(ν/2)/Γ(ν/2 + ½)), Boost's tgamma_delta_ratio: the
            // ratio stays finite (≈ (ν/2)^(−½)) where each lgamma overflows (ν near 1e308 threw
            // boost's overflow_error; issue #14, class 6).
            t_constant_ = -Real(log(boost::math::tgamma_delta_ratio(shape / Real(2), Real(0.5)))) -
                          Real(0.5) * (Real(log(boost::math::constants::pi<Real>())) + Real(log(shape - Real(2))));
        }
    }

    static Real log_two_pi() noexcept { return Real(std::log(boost::math::constants::two_pi<Real>())); }
    static Real log1p_(const Real& x) noexcept {
        using std::log1p;
        return Real(log1p(x));
    }

    static void check_series(const char* where, std::span<const Real> returns, std::size_t out_size) {
        check_not_empty(where, "returns", returns);
        check_all_finite_squares(where, "returns", returns);
        if (out_size != returns.size())
            throw_invalid_argument(where, "the size of variances", out_size,
                                   detail::message("the size of returns (", returns.size(), ")").c_str());
        if (!(mean_square(returns) > 0))
            throw_invalid_argument(where, "the mean square of returns", mean_square(returns),
                                   "> 0 (an all-zero series has no volatility)");
    }

    Real omega_;
    Real alpha_;
    Real beta_;
    Real shape_;
    garch_innovation innovation_;
    Real t_constant_ = Real(0);  // ln Γ((ν+1)/2) − ln Γ(ν/2) − ½ ln(π(ν−2))
};

}  // namespace margincall
