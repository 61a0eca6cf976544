#pragma once
/// \file
/// The parametric (delta-normal and Student-t) portfolio report: every figure of Jorion's
/// chapter 7 table beside the Euler decomposition of portfolio_var.hpp.
///
/// Model: one-day returns X ~ N(μ, Σ) or the multivariate Student-t with ν > 2 degrees of
/// freedom, mean μ and COVARIANCE Σ (dispersion Σ(ν − 2)/ν); positions w (currency per unit
/// return), loss L = −wᵀX. At a horizon of h days the mean and covariance scale by h (i.i.d.
/// days, the square-root-of-time rule; for the t model the h-day loss is taken as t again, the
/// usual parametric approximation). With σ_p = √(h wᵀΣw) and c = −h wᵀμ:
///   VaR = c + k_VaR σ_p,  ES = c + k_ES σ_p,
///   Gaussian: k_VaR = Φ⁻¹(α), k_ES = φ(Φ⁻¹(α))/(1 − α);
///   Student-t: k_VaR = s t_ν⁻¹(α), k_ES = s g_ν(t_ν⁻¹(α))/(1 − α) · (ν + t_ν⁻¹(α)²)/(ν − 1),
///   s = √((ν − 2)/ν) (student_t_var.hpp's formulas with unit variance).
/// Per position i (Jorion, Value at Risk, 3rd ed. 2007, §7.2):
///   stand-alone  ρ_i = −h w_i μ_i + k |w_i| σ_i √h  (the position alone, "individual VaR"),
///   undiversified Σ_i ρ_i, diversification benefit Σ_i ρ_i − ρ_p (≥ 0 when μ = 0),
///   marginal ∂ρ/∂w_i = −h μ_i + k h (Σw)_i / σ_p, component w_i ∂ρ/∂w_i (they sum to ρ_p),
///   incremental ρ_p(w) − ρ_p(w − w_i e_i), exact (the risk the position adds to the rest;
///   Jorion §7.2.3), and incremental_parametric(… trade a …) = ρ(w + a) − ρ(w) for a trade.
/// Tested: tests/risk/parametric_portfolio.cpp against tests/reference/risk_figures.py (NumPy/SciPy).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/portfolio_var.hpp>
#include <margincall/risk/student_t_var.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// The return distribution of a parametric portfolio report: Gaussian, or Student-t with ν > 2.
template <real_scalar Real = double>
class parametric_model {
public:
    [[nodiscard]] static parametric_model gaussian() noexcept { return parametric_model(Real(0)); }
    /// Student-t with ν > 2 degrees of freedom (finite variance, matched to the covariance).
    [[nodiscard]] static parametric_model student_t(Real nu) {
        if (!(nu > Real(2)) || !detail::is_finite(nu))
            throw_invalid_argument("parametric_model::student_t", "nu", nu, "finite and > 2 (the covariance is matched)");
        return parametric_model(nu);
    }
    [[nodiscard]] bool is_student_t() const noexcept { return nu_ > Real(0); }
    /// ν of the Student-t model; 0 for the Gaussian one.
    [[nodiscard]] Real nu() const noexcept { return nu_; }
    /// (k_VaR, k_ES): VaR and ES of the unit-variance, zero-mean loss at α.
    [[nodiscard]] tail_risk<Real> multipliers(Real alpha) const {
        if (!is_student_t()) return normal_tail_risk(Real(0), Real(1), alpha);
        using std::sqrt;
        return student_t_tail_risk(Real(0), Real(sqrt((nu_ - Real(2)) / nu_)), nu_, alpha);
    }

private:
    explicit parametric_model(Real nu) noexcept : nu_(nu) {}
    Real nu_;
};

/// The parametric portfolio report at one confidence level and horizon.
template <real_scalar Real = double>
struct parametric_portfolio_risk {
    Real horizon;                ///< h, in days (the unit of μ and Σ)
    Real mean_loss;              ///< c = −h wᵀμ
    Real sigma;                  ///< σ_p = √(h wᵀΣw), the portfolio loss standard deviation at h
    tail_risk<Real> total;       ///< VaR_p, ES_p
    std::vector<tail_risk<Real>> standalone;     ///< each position alone
    tail_risk<Real> undiversified;               ///< Σ_i standalone
    tail_risk<Real> diversification_benefit;     ///< undiversified − total
    std::vector<Real> marginal_var;              ///< ∂VaR_p/∂w_i
    std::vector<Real> component_var;             ///< w_i ∂VaR_p/∂w_i (sum: VaR_p)
    std::vector<Real> marginal_es;               ///< ∂ES_p/∂w_i
    std::vector<Real> component_es;              ///< w_i ∂ES_p/∂w_i (sum: ES_p)
    std::vector<tail_risk<Real>> incremental;    ///< ρ(w) − ρ(w − w_i e_i)
};

namespace detail {
template <real_scalar Real>
using dense_vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;
template <real_scalar Real>
using dense_matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;

/// Validates the model inputs as gaussian_decomposition does (sizes, finiteness, Σ positive
/// definite) and the horizon.
template <real_scalar Real>
void check_parametric_inputs(const char* where, const dense_vector<Real>& mean, const dense_matrix<Real>& covariance,
                             std::span<const Real> positions, const Real& alpha, const Real& horizon) {
    check_probability(where, "alpha", alpha);
    check_positive(where, "horizon_days", horizon);
    check_gaussian_inputs<Real>(where, mean, covariance, positions);
}

/// Every figure of the report is finite: huge means, positions or horizons (|μ| or |w| near
/// 1e308) overflow the products h wᵀμ and k σ_p, which would otherwise be reported as ±∞ or NaN
/// (issue #15 reliability sweep).
template <real_scalar Real>
void check_parametric_figure(const char* where, const char* figure, const Real& value) {
    if (!is_finite(value))
        throw_invalid_argument(where, figure, value,
                               "finite in the working precision (the means, positions or horizon are too large)");
}

template <real_scalar Real>
void check_parametric_figures(const char* where, const char* figure, const tail_risk<Real>& r) {
    check_parametric_figure(where, figure, r.value_at_risk);
    check_parametric_figure(where, figure, r.expected_shortfall);
}

template <real_scalar Real>
[[nodiscard]] tail_risk<Real> parametric_total(const dense_vector<Real>& mean, const dense_matrix<Real>& covariance,
                                               const dense_vector<Real>& w, const tail_risk<Real>& k, const Real& horizon) {
    using std::sqrt;
    const Real root_h = sqrt(horizon);
    const auto spread = spread_of<Real>(covariance, w);
    const Real center = -horizon * w.dot(mean);
    return {center + spread.sigma(Real(k.value_at_risk * root_h)), center + spread.sigma(Real(k.expected_shortfall * root_h))};
}
}  // namespace detail

/// Every parametric figure of the portfolio at confidence α and a horizon of `horizon_days`
/// (μ and Σ per day). Throws on mismatched sizes, non-finite inputs, a covariance that is not
/// positive definite, a zero portfolio (σ_p = 0: no marginals), α ∉ (0, 1) or h ≤ 0.
template <real_scalar Real>
[[nodiscard]] parametric_portfolio_risk<Real> parametric_portfolio(
    const Eigen::Matrix<Real, Eigen::Dynamic, 1>& mean,
    const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>& covariance, std::span<const Real> positions, Real alpha,
    const parametric_model<Real>& model = parametric_model<Real>::gaussian(), Real horizon_days = Real(1)) {
    constexpr const char* where = "parametric_portfolio";
    detail::check_parametric_inputs(where, mean, covariance, positions, alpha, horizon_days);
    const Eigen::Index n = mean.size();
    const Eigen::Map<const detail::dense_vector<Real>> w(positions.data(), n);
    const tail_risk<Real> k = model.multipliers(alpha);
    const Real h = horizon_days;
    // σ_p = √h·σ₁ and β_i = √h·(Σw)_i/σ₁ with σ₁ the one-day σ: no product h·(Σw)_i, which a tiny
    // horizon would make subnormal (and the Euler sums inexact: fuzzer); σ₁ and (Σw)_i/σ₁ from
    // detail::spread_of, which keeps wᵀΣw out of the subnormal range.
    const detail::portfolio_spread<Real> spread = detail::spread_of<Real>(covariance, w);
    using std::abs;
    using std::sqrt;
    parametric_portfolio_risk<Real> r;
    r.horizon = h;
    // The mean loss as Σ w_i·(−h·μ_i), the same products the marginals use, so that the component
    // figures add up to the total even where h·μ_i underflows (a subnormal horizon: fuzzer).
    const detail::dense_vector<Real> marginal_mean = -h * mean;
    r.mean_loss = w.dot(marginal_mean);
    const Real root_h = sqrt(h);
    // k·√h formed first: σ_p·k is then one scaling away from normal numbers (a subnormal horizon
    // makes σ_p itself subnormal while k·σ_p is not: fuzzer, h = 2e-320, α = 1.4e-308).
    const Real f_var = k.value_at_risk * root_h, f_es = k.expected_shortfall * root_h;
    check_positive(where, "the portfolio standard deviation", spread.sigma());
    r.sigma = spread.sigma(root_h);
    check_positive(where, "the portfolio standard deviation at the horizon (sqrt(h) times the one-day one)", r.sigma);
    r.total = {r.mean_loss + spread.sigma(f_var), r.mean_loss + spread.sigma(f_es)};
    r.undiversified = {Real(0), Real(0)};
    detail::dense_vector<Real> without = w;
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const Real center = -h * w[i] * mean[i];
        const Real sd = abs(w[i]) * sqrt(Real(h * covariance(i, i)));
        r.standalone.push_back({center + k.value_at_risk * sd, center + k.expected_shortfall * sd});
        r.undiversified.value_at_risk += r.standalone.back().value_at_risk;
        r.undiversified.expected_shortfall += r.standalone.back().expected_shortfall;
        r.marginal_var.push_back(marginal_mean[i] + spread.beta(i, f_var));
        r.marginal_es.push_back(marginal_mean[i] + spread.beta(i, f_es));
        // w_i·(−h·μ_i) + k·√h·w_i·β_i, the second term scaled once (detail::portfolio_spread).
        const Real w_mean = positions[u] * marginal_mean[i];
        r.component_var.push_back(w_mean + spread.contribution(i, f_var));
        r.component_es.push_back(w_mean + spread.contribution(i, f_es));
        without[i] = Real(0);
        const auto rest = detail::parametric_total<Real>(mean, covariance, without, k, h);
        without[i] = w[i];
        r.incremental.push_back(
            {r.total.value_at_risk - rest.value_at_risk, r.total.expected_shortfall - rest.expected_shortfall});
    }
    r.diversification_benefit = {r.undiversified.value_at_risk - r.total.value_at_risk,
                                 r.undiversified.expected_shortfall - r.total.expected_shortfall};
    detail::check_parametric_figure(where, "the mean loss", r.mean_loss);
    detail::check_parametric_figures(where, "the portfolio VaR or ES", r.total);
    detail::check_parametric_figures(where, "the undiversified VaR or ES", r.undiversified);
    detail::check_parametric_figures(where, "the diversification benefit", r.diversification_benefit);
    for (std::size_t i = 0; i < r.standalone.size(); ++i) {
        detail::check_parametric_figures(where, "a stand-alone VaR or ES", r.standalone[i]);
        detail::check_parametric_figures(where, "an incremental VaR or ES", r.incremental[i]);
        detail::check_parametric_figure(where, "a marginal VaR", r.marginal_var[i]);
        detail::check_parametric_figure(where, "a marginal ES", r.marginal_es[i]);
        detail::check_parametric_figure(where, "a component VaR", r.component_var[i]);
        detail::check_parametric_figure(where, "a component ES", r.component_es[i]);
    }
    return r;
}

/// Incremental parametric VaR/ES of adding `trade` to `positions`: ρ(w + a) − ρ(w), exact
/// (Jorion §7.2.3), Gaussian or Student-t, at a horizon of `horizon_days`.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> incremental_parametric(const Eigen::Matrix<Real, Eigen::Dynamic, 1>& mean,
                                                     const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>& covariance,
                                                     std::span<const Real> positions, std::span<const Real> trade, Real alpha,
                                                     const parametric_model<Real>& model = parametric_model<Real>::gaussian(),
                                                     Real horizon_days = Real(1)) {
    constexpr const char* where = "incremental_parametric";
    detail::check_parametric_inputs(where, mean, covariance, positions, alpha, horizon_days);
    detail::check_positions(where, mean.size(), trade);
    const Eigen::Index n = mean.size();
    const Eigen::Map<const detail::dense_vector<Real>> w(positions.data(), n);
    const Eigen::Map<const detail::dense_vector<Real>> a(trade.data(), n);
    const tail_risk<Real> k = model.multipliers(alpha);
    const auto before = detail::parametric_total<Real>(mean, covariance, w, k, horizon_days);
    const auto after = detail::parametric_total<Real>(mean, covariance, detail::dense_vector<Real>(w + a), k, horizon_days);
    const tail_risk<Real> r{after.value_at_risk - before.value_at_risk, after.expected_shortfall - before.expected_shortfall};
    detail::check_parametric_figures(where, "the VaR or ES before the trade", before);
    detail::check_parametric_figures(where, "the VaR or ES after the trade", after);
    detail::check_parametric_figures(where, "the incremental VaR or ES", r);
    return r;
}

}  // namespace margincall
