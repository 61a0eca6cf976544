#pragma once
/// \file
/// Portfolio VaR/ES and their Euler allocation to instruments.
/// P&L from a scenario matrix: pnl = S w (S: scenarios × instruments of per-unit P&L, w: positions;
/// Eigen matrix–vector product); loss = −pnl.
/// Euler allocation (Tasche 1999): a risk measure ρ positively homogeneous in w satisfies
/// ρ(w) = Σ_i w_i ∂ρ/∂w_i; the marginal is ∂ρ/∂w_i and the component w_i ∂ρ/∂w_i, so the
/// components always sum to the total.
///  * Historical: ES_α = Σ_s ω_s L_s with the Acerbi–Tasche weights ω = 1/w on the ⌊w⌋ largest
///    losses and (w − ⌊w⌋)/w on the next (w = n(1 − α)), so ∂ES/∂w_i = Σ_s ω_s (−S_{s,i});
///    VaR is the loss of one scenario (or an interpolation of two), so ∂VaR/∂w_i = −S_{s*,i}
///    (Tasche 1999; Hallerbach 2003). Ties between scenario losses are broken by scenario index.
///  * Gaussian (delta-normal): L = −wᵀX, X ~ N(μ, Σ): VaR = −wᵀμ + z_α σ_p, ES = −wᵀμ + φ(z_α)/(1−α) σ_p,
///    σ_p = √(wᵀΣw); ∂VaR/∂w = −μ + z_α Σw/σ_p, ∂ES/∂w = −μ + φ(z_α)/(1−α) Σw/σ_p
///    (Jorion, Value at Risk, 3rd ed. 2007, §7.2: marginal and component VaR).
///  * Incremental VaR/ES of a trade a: ρ(w + a) − ρ(w), recomputed exactly (Jorion §7.2.3;
///    Σ_i a_i ∂ρ/∂w_i is its first-order approximation).
/// Source: D. Tasche, "Risk contributions and performance measurement", TU München report, 1999;
/// P. Jorion, Value at Risk, 3rd ed., McGraw-Hill 2007, ch. 7.

#include <margincall/core/checks.hpp>
#include <margincall/core/distributions.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <vector>

namespace margincall {

/// Total VaR/ES and, per instrument, the marginal (∂ρ/∂w_i) and component (w_i ∂ρ/∂w_i) values.
template <real_scalar Real = double>
struct risk_decomposition {
    tail_risk<Real> total;
    std::vector<Real> marginal_var;
    std::vector<Real> component_var;
    std::vector<Real> marginal_es;
    std::vector<Real> component_es;
};

namespace detail {
template <real_scalar Real>
void check_positions(const char* where, Eigen::Index instruments, std::span<const Real> positions) {
    if (static_cast<Eigen::Index>(positions.size()) != instruments)
        throw_invalid_argument(where, "the size of positions", positions.size(),
                               detail::message("", instruments, " (the number of instruments)").c_str());
    check_all_finite<Real>(where, "positions", positions);
}
template <real_scalar Real>
void check_scenarios(const char* where,
                     const Eigen::Ref<const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>>& scenarios) {
    if (scenarios.rows() == 0 || scenarios.cols() == 0)
        throw_invalid_argument(where, "scenarios",
                               detail::message("a ", scenarios.rows(), "x", scenarios.cols(), " matrix").c_str(),
                               "non-empty");
    for (Eigen::Index j = 0; j < scenarios.cols(); ++j)
        for (Eigen::Index s = 0; s < scenarios.rows(); ++s)
            if (!detail::is_finite(Real(scenarios(s, j))))
                throw_invalid_argument(where, detail::message("scenarios(", s, ", ", j, ")"), Real(scenarios(s, j)),
                                       "finite");
}

/// The inputs of a Gaussian portfolio model: sizes agree, everything finite, the covariance
/// positive definite (its smallest eigenvalue is named otherwise).
template <real_scalar Real>
void check_gaussian_inputs(const char* where, const Eigen::Matrix<Real, Eigen::Dynamic, 1>& mean,
                           const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>& covariance,
                           std::span<const Real> positions) {
    const Eigen::Index k = mean.size();
    if (covariance.rows() != k || covariance.cols() != k)
        throw_invalid_argument(where, "covariance",
                               detail::message("a ", covariance.rows(), "x", covariance.cols(), " matrix").c_str(),
                               detail::message("", k, "x", k, " (the size of mean)").c_str());
    detail::check_positions(where, k, positions);
    if (!mean.allFinite()) throw_invalid_argument(where, "mean", "a vector with a non-finite entry", "finite");
    if (!covariance.allFinite())
        throw_invalid_argument(where, "covariance", "a matrix with a non-finite entry", "finite");
    if (Eigen::LLT<Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>>(covariance).info() != Eigen::Success) {
        const Eigen::SelfAdjointEigenSolver<Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>> eig(
            covariance, Eigen::EigenvaluesOnly);
        throw_invalid_argument(
            where, "covariance",
            detail::message("a matrix with smallest eigenvalue ", Real(eig.eigenvalues().minCoeff())).c_str(),
            "positive definite");
    }
}

/// σ = √(wᵀΣw) and β = Σw/σ of a delta-normal portfolio, kept out of the subnormal range until
/// the figure reported: w = 2^a·v and Σ = 4^b·S with 2^a ≈ max|w_i| and 4^b ≈ max Σ_ii (scalings by
/// powers of two, exact), root = √(vᵀSv) and g = Sv/root, so that
///   f·σ = 2^(a+b)·(f·root),  f·β_i = 2^b·(f·g_i),  f·w_i·β_i = 2^(a+b)·(f·v_i·g_i)
/// for a multiplier f (k_α·√h), each scaled once at the end. For inputs whose products stay normal
/// the bits are those of the plain formula; where wᵀΣw or f·σ would be subnormal (1.6e-323 keeps
/// two bits: fuzzer, w = (2e-81, 1.5e-315), Σ_11 = 4e-162, and again with h = 2e-320) or would
/// overflow, the figures keep full precision and the Euler sum Σ_i f·w_i·β_i = f·σ holds.
/// Hand-written: Eigen's stableNorm scales a vector, not a quadratic form.
template <real_scalar Real>
struct portfolio_spread {
    int scale_exponent{0};  // a + b
    int beta_exponent{0};   // b
    Real root{0};
    Eigen::Matrix<Real, Eigen::Dynamic, 1> v, g;
    /// f·σ_p (0 for a zero portfolio).
    [[nodiscard]] Real sigma(const Real& f = Real(1)) const {
        using std::ldexp;
        return ldexp(Real(f * root), scale_exponent);
    }
    /// f·(Σw)_i/σ_p.
    [[nodiscard]] Real beta(Eigen::Index i, const Real& f = Real(1)) const {
        using std::ldexp;
        return ldexp(Real(f * g[i]), beta_exponent);
    }
    /// f·w_i·(Σw)_i/σ_p: Σ_i of it is f·σ_p up to rounding of the sum.
    [[nodiscard]] Real contribution(Eigen::Index i, const Real& f = Real(1)) const {
        using std::ldexp;
        return ldexp(Real(f * Real(v[i] * g[i])), scale_exponent);
    }
};

template <real_scalar Real, class Positions>
[[nodiscard]] portfolio_spread<Real> spread_of(const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>& covariance,
                                               const Positions& w) {
    using std::abs;
    using std::ilogb;
    using std::ldexp;
    using std::sqrt;
    const Eigen::Index n = w.size();
    Real w_max(0), d_max(0);
    for (Eigen::Index i = 0; i < n; ++i) {
        w_max = std::max<Real>(w_max, abs(Real(w[i])));
        d_max = std::max<Real>(d_max, covariance(i, i));
    }
    portfolio_spread<Real> r;
    r.v = Eigen::Matrix<Real, Eigen::Dynamic, 1>::Zero(n);
    r.g = Eigen::Matrix<Real, Eigen::Dynamic, 1>::Zero(n);
    if (!(w_max > Real(0)) || !(d_max > Real(0))) return r;  // σ = 0: the callers refuse it
    const int a = static_cast<int>(ilogb(w_max));
    const int b = static_cast<int>(ilogb(d_max)) / 2;
    for (Eigen::Index i = 0; i < n; ++i) r.v[i] = ldexp(Real(w[i]), -a);
    Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic> s(n, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i) s(i, j) = ldexp(covariance(i, j), -2 * b);
    const Eigen::Matrix<Real, Eigen::Dynamic, 1> s_v = s * r.v;
    r.root = sqrt(Real(r.v.dot(s_v)));
    if (!(r.root > Real(0))) return r;
    r.scale_exponent = a + b;
    r.beta_exponent = b;
    for (Eigen::Index i = 0; i < n; ++i) r.g[i] = s_v[i] / r.root;
    return r;
}
}  // namespace detail

/// P&L of each scenario: out = S w (Eigen), no allocation. Throws on mismatched sizes.
template <real_scalar Real>
void portfolio_pnl(const Eigen::Ref<const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>>& scenarios,
                   std::span<const Real> positions, std::span<Real> out) {
    constexpr const char* where = "portfolio_pnl";
    detail::check_positions(where, scenarios.cols(), positions);
    if (static_cast<Eigen::Index>(out.size()) != scenarios.rows())
        throw_invalid_argument(where, "the size of out", out.size(),
                               detail::message("", scenarios.rows(), " (the number of scenarios)").c_str());
    using vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;
    Eigen::Map<vector>(out.data(), scenarios.rows()).noalias() =
        scenarios * Eigen::Map<const vector>(positions.data(), scenarios.cols());
}

/// Historical VaR/ES of the book and its Euler decomposition over instruments.
template <real_scalar Real>
[[nodiscard]] risk_decomposition<Real> historical_decomposition(
    const Eigen::Ref<const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>>& scenarios,
    std::span<const Real> positions, Real alpha, quantile_type type = quantile_type::type1) {
    constexpr const char* where = "historical_decomposition";
    check_probability(where, "alpha", alpha);
    detail::check_scenarios<Real>(where, scenarios);
    detail::check_positions(where, scenarios.cols(), positions);
    const auto n = static_cast<std::size_t>(scenarios.rows());
    const auto k_instr = static_cast<std::size_t>(scenarios.cols());
    std::vector<Real> loss(n);
    portfolio_pnl<Real>(scenarios, positions, loss);
    for (auto& l : loss) l = -l;
    const auto r = detail::tail_ranks_for(n, alpha, type);
    // Scenario indices ordered by loss, largest first (ties: lower index first), top `needed` only.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto by_loss = [&](std::size_t a, std::size_t b) { return loss[a] > loss[b] || (loss[a] == loss[b] && a < b); };
    const auto top = order.begin() + static_cast<std::ptrdiff_t>(r.needed);
    std::nth_element(order.begin(), top - 1, order.end(), by_loss);
    std::sort(order.begin(), top, by_loss);

    risk_decomposition<Real> d;
    d.marginal_var.assign(k_instr, Real(0));
    d.marginal_es.assign(k_instr, Real(0));
    // VaR: one scenario, or R's interpolation between two; the marginals follow the same rule.
    const std::size_t s_lo = order[r.rank_lo - 1];
    const std::size_t s_hi = order[r.rank_hi - 1];
    const Real var = interpolate_quantile(r.quantile, loss[s_lo], loss[s_hi]);
    for (std::size_t i = 0; i < k_instr; ++i) {
        const Real m_lo = -scenarios(static_cast<Eigen::Index>(s_lo), static_cast<Eigen::Index>(i));
        const Real m_hi = -scenarios(static_cast<Eigen::Index>(s_hi), static_cast<Eigen::Index>(i));
        if (r.quantile.h == Real(0) || loss[s_lo] == loss[s_hi])
            d.marginal_var[i] = m_lo;
        else if (r.quantile.h == Real(1))
            d.marginal_var[i] = m_hi;
        else
            d.marginal_var[i] = (Real(1) - r.quantile.h) * m_lo + r.quantile.h * m_hi;
    }
    // ES: Acerbi–Tasche weights on the ⌊w⌋ + 1 largest scenarios.
    Real es(0);
    for (std::size_t j = 0; j <= r.k; ++j) {
        const Real weight = (j < r.k ? Real(1) : Real(r.w - static_cast<Real>(r.k))) / r.w;
        const std::size_t s = order[j];
        es += weight * loss[s];
        for (std::size_t i = 0; i < k_instr; ++i)
            d.marginal_es[i] -= weight * scenarios(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(i));
    }
    d.total = {var, es};
    d.component_var.resize(k_instr);
    d.component_es.resize(k_instr);
    for (std::size_t i = 0; i < k_instr; ++i) {
        d.component_var[i] = positions[i] * d.marginal_var[i];
        d.component_es[i] = positions[i] * d.marginal_es[i];
    }
    return d;
}

/// Gaussian (delta-normal) VaR/ES of L = −wᵀX, X ~ N(mean, covariance), and its Euler decomposition.
template <real_scalar Real>
[[nodiscard]] risk_decomposition<Real> gaussian_decomposition(
    const Eigen::Matrix<Real, Eigen::Dynamic, 1>& mean,
    const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>& covariance, std::span<const Real> positions,
    Real alpha) {
    constexpr const char* where = "gaussian_decomposition";
    check_probability(where, "alpha", alpha);
    detail::check_gaussian_inputs<Real>(where, mean, covariance, positions);
    const Eigen::Index k = mean.size();
    using vector = Eigen::Matrix<Real, Eigen::Dynamic, 1>;
    const Eigen::Map<const vector> w(positions.data(), k);
    const detail::portfolio_spread<Real> spread = detail::spread_of<Real>(covariance, w);
    const Real sigma_p = spread.sigma();
    check_positive(where, "the portfolio standard deviation", sigma_p);
    const Real z = standard_normal_quantile(alpha);
    const Real lambda = standard_normal_pdf(z) / (Real(1) - alpha);
    const Real center = -w.dot(mean);
    risk_decomposition<Real> d;
    d.total = {center + spread.sigma(z), center + spread.sigma(lambda)};
    for (Eigen::Index i = 0; i < k; ++i) {
        d.marginal_var.push_back(-mean[i] + spread.beta(i, z));
        d.marginal_es.push_back(-mean[i] + spread.beta(i, lambda));
        // w_i·(−μ_i) + w_i·β_i·k, the second term scaled once (detail::portfolio_spread).
        const Real w_mean = -(positions[static_cast<std::size_t>(i)] * mean[i]);
        d.component_var.push_back(w_mean + spread.contribution(i, z));
        d.component_es.push_back(w_mean + spread.contribution(i, lambda));
    }
    return d;
}

/// Incremental historical VaR/ES of adding `trade` to `positions`: ρ(w + a) − ρ(w), exact.
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> incremental_historical(
    const Eigen::Ref<const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>>& scenarios,
    std::span<const Real> positions, std::span<const Real> trade, Real alpha, quantile_type type = quantile_type::type1) {
    constexpr const char* where = "incremental_historical";
    detail::check_positions(where, scenarios.cols(), trade);
    detail::check_positions(where, scenarios.cols(), positions);
    std::vector<Real> after(positions.begin(), positions.end());
    for (std::size_t i = 0; i < after.size(); ++i) after[i] += trade[i];
    const auto before_risk = historical_decomposition<Real>(scenarios, positions, alpha, type).total;
    const auto after_risk = historical_decomposition<Real>(scenarios, after, alpha, type).total;
    return {after_risk.value_at_risk - before_risk.value_at_risk,
            after_risk.expected_shortfall - before_risk.expected_shortfall};
}

}  // namespace margincall
