#pragma once
/// \file
/// RiskMetrics exponentially weighted moving-average (EWMA) variance: filter and forecast.
///
/// σ²_{t+1} = λ σ²_t + (1 − λ) r_t²   (zero-mean returns r_t, decay λ ∈ (0, 1))
/// Source: J.P. Morgan/Reuters, RiskMetrics — Technical Document, 4th ed. (1996), ch. 5
/// (λ = 0.94 for daily, 0.97 for monthly data). The h-step forecast
/// of the variance is flat: E_t[σ²_{t+h}] = σ²_{t+1} (EWMA is an IGARCH(1,1) without constant).
/// Tested: hand-derived recursions and closed forms in tests/volatility/ewma.cpp.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstddef>
#include <span>

namespace margincall {

/// RiskMetrics EWMA variance of zero-mean returns.
/// \tparam Real a real_scalar (float, double, long double, Boost.Multiprecision)
///
/// `variances[t]` is the conditional variance of `returns[t]` given returns before t. The seed
/// σ²_0 is supplied by the caller or, by default, the zero-mean sample variance (1/n) Σ r_t² of
/// the whole series; its weight decays as λ^t (≈ 1/(1 − λ) = 16.7 days of memory at λ = 0.94).
/// Not for series with a material drift: demean them first (RiskMetrics assumes a zero mean).
/// Performance: one fused multiply-add per return, no allocation.
template <real_scalar Real = double>
class ewma_variance {
public:
    /// RiskMetrics daily decay factor (Technical Document 1996, ch. 5).
    static constexpr double riskmetrics_daily_lambda = 0.94;
    /// RiskMetrics monthly decay factor (Technical Document 1996, ch. 5).
    static constexpr double riskmetrics_monthly_lambda = 0.97;

    /// λ must lie in (0, 1).
    explicit ewma_variance(Real lambda = Real(riskmetrics_daily_lambda)) : lambda_(lambda) {
        check_probability("ewma_variance", "lambda", lambda);
    }

    [[nodiscard]] Real lambda() const noexcept { return lambda_; }

    /// One step of the recursion: σ²_{t+1} from σ²_t and r_t.
    [[nodiscard]] Real next_variance(const Real& variance, const Real& return_value) const noexcept {
        return lambda_ * variance + (Real(1) - lambda_) * return_value * return_value;
    }

    /// Conditional variances of `returns` into `variances` (same size), seeded with σ²_0 =
    /// `initial_variance`. Returns σ²_n, the one-step-ahead forecast after the last return.
    Real filter(std::span<const Real> returns, const Real& initial_variance, std::span<Real> variances) const {
        check_inputs(returns, variances);
        check_positive("ewma_variance::filter", "initial_variance", initial_variance);
        return filter_unchecked(returns, initial_variance, variances);
    }

    /// As above, seeded with the zero-mean sample variance (1/n) Σ r_t².
    Real filter(std::span<const Real> returns, std::span<Real> variances) const {
        check_inputs(returns, variances);
        const Real seed = mean_square(returns);
        if (!(seed > 0))
            throw_invalid_argument("ewma_variance::filter", "the mean square of returns", seed,
                                   "> 0 (an all-zero series has no volatility to seed)");
        return filter_unchecked(returns, seed, variances);
    }

    /// The h-step-ahead variance forecast, h ≥ 1: flat at the one-step forecast (EWMA is an IGARCH(1,1) without constant).
    [[nodiscard]] Real forecast_variance(const Real& next_variance_value, std::size_t horizon) const {
        check_positive("ewma_variance::forecast_variance", "next_variance", next_variance_value);
        if (horizon == 0) throw_invalid_argument("ewma_variance::forecast_variance", "horizon", horizon, ">= 1");
        return next_variance_value;
    }

    /// Variance of the h-day sum of returns: h σ²_{t+1} (the square-root-of-time rule is exact here).
    [[nodiscard]] Real aggregate_variance(const Real& next_variance_value, std::size_t horizon) const {
        return forecast_variance(next_variance_value, horizon) * static_cast<Real>(horizon);
    }

    /// The recursion on validated data (no checks); returns σ²_n.
    Real filter_unchecked(std::span<const Real> returns, Real variance, std::span<Real> variances) const noexcept {
        for (std::size_t t = 0; t < returns.size(); ++t) {
            variances[t] = variance;
            variance = next_variance(variance, returns[t]);
        }
        return variance;
    }

private:
    static Real mean_square(std::span<const Real> returns) noexcept {
        Real sum(0);
        for (const Real& r : returns) sum += r * r;
        return sum / static_cast<Real>(returns.size());
    }

    static void check_inputs(std::span<const Real> returns, std::span<Real> variances) {
        check_not_empty("ewma_variance::filter", "returns", returns);
        check_all_finite_squares("ewma_variance::filter", "returns", returns);
        if (variances.size() != returns.size())
            throw_invalid_argument("ewma_variance::filter", "the size of variances", variances.size(),
                                   detail::message("the size of returns (", returns.size(), ")").c_str());
    }

    Real lambda_;
};

}  // namespace margincall
