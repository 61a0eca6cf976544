#pragma once
/// \file
/// Maximum-likelihood fit of a garch_family model (GARCH, GJR-GARCH or EGARCH (1,1) with a
/// constant or AR(1) mean, normal or Student-t innovations), the mean and variance parameters
/// estimated jointly, with standard errors.
///
/// Maximises ln L(θ) = Σ_t ln f(ε_t | σ²_t(θ)) (garch_family.hpp, fGarch's "mci" start) with
/// core/nelder_mead.hpp on unconstrained coordinates (every point an admissible model).
/// Standard errors: square roots of the diagonal of the inverse observed information
/// −∇²ln L(θ̂), the Hessian of the log-likelihood by central differences (steps 10⁻⁴ of each
/// parameter's size): what R fGarch reports (it inverts the numerical Hessian of −ln L; its
/// hessian = "rcd" option is this four-point scheme).
/// Tested: tests/volatility/garch_family_fit.cpp against fGarch garchFit on the dem2gbp benchmark
/// (tests/reference/garch_family_fgarch.R) and, for EGARCH, a SciPy fit (garch_family_egarch.py).

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/nelder_mead.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/volatility/garch11_fit.hpp>
#include <margincall/volatility/garch_family.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <span>

namespace margincall {

/// Options of fit_garch_family.
template <real_scalar Real = double>
struct garch_family_fit_options {
    std::size_t max_evaluations = 60000;  ///< log-likelihood evaluations across all Nelder–Mead rounds (> 0)
    /// Relative spread of −ln L / T over the simplex at which a round stops (> 0).
    Real tolerance = std::max(Real(1e-13), Real(16) * std::numeric_limits<Real>::epsilon());
    std::size_t restarts = 6;  ///< rounds restarted from the best point (a collapsed simplex recovers)
    /// GARCH/GJR: restrict the search to persistence P < 1 (rugarch's default). false searches
    /// α + γ/2 < 1 and β < 1 separately, as fGarch's bounds do, so P may exceed 1.
    bool stationary = false;
};

/// The result of fit_garch_family.
template <real_scalar Real = double>
struct garch_family_fit {
    garch_family<Real> model;  ///< the maximum-likelihood model
    Real log_likelihood;       ///< ln L(θ̂)
    std::size_t observations;
    std::size_t evaluations;   ///< log-likelihood evaluations used by the optimiser
    bool converged;            ///< the last round met `tolerance` before the budget ran out
    /// From the inverse observed information; empty when −H is not positive definite at θ̂
    /// (an estimate on the boundary, e.g. α̂ ≈ 0). Unused parameters are 0.
    std::optional<garch_family_parameters<Real>> standard_errors;
};

namespace detail {

/// The slots of garch_family_parameters in order, and which of them a spec estimates.
enum garch_slot : std::size_t { slot_mu, slot_ar, slot_omega, slot_alpha, slot_gamma, slot_beta, slot_shape, slot_count };

template <real_scalar Real>
using garch_vector = std::array<Real, slot_count>;

inline std::array<bool, slot_count> garch_active_slots(const garch_family_spec& s) noexcept {
    return {true, s.mean == garch_mean::ar1, true, true, s.variance != garch_variance::garch, true,
            s.innovation == garch_innovation::student_t};
}

template <real_scalar Real>
garch_vector<Real> to_vector(const garch_family_parameters<Real>& p) noexcept {
    return {p.mu, p.ar, p.omega, p.alpha, p.gamma, p.beta, p.shape};
}
template <real_scalar Real>
garch_family_parameters<Real> to_parameters(const garch_vector<Real>& v) noexcept {
    return {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
}

/// Unconstrained coordinates u ↔ θ. μ = m + s u (m, s the sample mean and standard deviation),
/// φ = tanh u, ν = 2 + eᵘ. GARCH/GJR: ω = s² eᵘ; the ARCH part a = α + γ/2 and β are, if
/// stationary, a = P logistic(u_α), β = P − a with P = logistic(u_β) the persistence, and
/// otherwise a = logistic(u_α), β = logistic(u_β); GJR splits a by α = 2a logistic(u_γ),
/// γ = 2(a − α), so α ≥ 0 and α + γ ≥ 0. EGARCH: ω, α, γ free, β = tanh u_β.
template <real_scalar Real>
struct garch_family_coordinates {
    garch_family_spec spec;
    Real mean;
    Real sd;
    bool stationary;

    static Real logistic(const Real& x) { return garch11_coordinates<Real>::logistic(x); }
    static Real logit(const Real& p) { return garch11_coordinates<Real>::logit(p); }
    [[nodiscard]] garch_family_parameters<Real> to_theta(const garch_vector<Real>& u) const {
        using std::exp;
        using std::tanh;
        const auto active = garch_active_slots(spec);
        garch_family_parameters<Real> p;
        p.mu = mean + sd * u[slot_mu];
        if (active[slot_ar]) p.ar = Real(tanh(u[slot_ar]));
        if (active[slot_shape]) p.shape = Real(2) + Real(exp(u[slot_shape]));
        if (spec.variance == garch_variance::egarch) {
            p.omega = u[slot_omega];
            p.alpha = u[slot_alpha];
            p.gamma = u[slot_gamma];
            p.beta = Real(tanh(u[slot_beta]));
            return p;
        }
        p.omega = sd * sd * Real(exp(u[slot_omega]));
        const Real arch = stationary ? logistic(u[slot_beta]) * logistic(u[slot_alpha]) : logistic(u[slot_alpha]);
        p.beta = stationary ? logistic(u[slot_beta]) - arch : logistic(u[slot_beta]);
        p.alpha = spec.variance == garch_variance::gjr ? Real(2) * arch * logistic(u[slot_gamma]) : arch;
        if (spec.variance == garch_variance::gjr) p.gamma = Real(2) * (arch - p.alpha);
        return p;
    }
    /// The start: μ = sample mean, φ = 0, ν = 4; GARCH/GJR ω = 0.1 s², α = 0.1, γ = 0, β = 0.8
    /// (fGarch's defaults); EGARCH β = 0.9, ω = (1 − β) ln s², α = 0, γ = 0.2.
    [[nodiscard]] garch_vector<Real> start() const {
        using std::atanh;
        using std::log;
        garch_vector<Real> u{};
        u[slot_shape] = Real(log(Real(2)));
        if (spec.variance == garch_variance::egarch) {
            u[slot_omega] = Real(0.1) * Real(log(sd * sd));
            u[slot_gamma] = Real(0.2);
            u[slot_beta] = Real(atanh(Real(0.9)));
        } else {
            u[slot_omega] = Real(log(Real(0.1)));
            u[slot_alpha] = stationary ? logit(Real(1) / Real(9)) : logit(Real(0.1));
            u[slot_beta] = logit(stationary ? Real(0.9) : Real(0.8));
        }
        return u;
    }
};

/// ln L at θ; −∞ where θ is not an admissible model (finite differences near a boundary).
template <real_scalar Real>
Real garch_family_log_likelihood_at(const garch_family_spec& spec, const garch_family_parameters<Real>& p,
                                    std::span<const Real> returns) {
    try {
        const garch_family<Real> model(spec, p);
        const Real ll = model.log_likelihood_unchecked(returns);
        return is_finite(ll) ? ll : -std::numeric_limits<Real>::infinity();
    } catch (const invalid_argument&) {
        return -std::numeric_limits<Real>::infinity();
    }
}

}  // namespace detail

/// Fits `spec` to `returns` by maximum likelihood, then the standard errors. Needs at least
/// 10 returns, finite (squares too) and not all equal.
/// \throws margincall::invalid_argument for bad returns or options; numeric_error when no
///         finite likelihood is found
template <real_scalar Real>
[[nodiscard]] garch_family_fit<Real> fit_garch_family(std::span<const Real> returns, const garch_family_spec& spec,
                                                      const garch_family_fit_options<Real>& options = {}) {
    using std::abs;
    using std::sqrt;
    using namespace detail;
    constexpr const char* where = "fit_garch_family";
    check_all_finite_squares(where, "returns", returns);
    if (returns.size() < 10) throw_invalid_argument(where, "the size of returns", returns.size(), ">= 10");
    if (options.max_evaluations == 0) throw_invalid_argument(where, "options.max_evaluations", 0, "> 0");
    check_positive(where, "options.tolerance", options.tolerance);
    if (std::adjacent_find(returns.begin(), returns.end(), std::not_equal_to<>()) == returns.end())
        throw_invalid_argument(where, "every return", returns.front(), "not all equal (a constant series has no volatility)");
    const Real n = static_cast<Real>(returns.size());
    Real mean(0);
    for (const Real& r : returns) mean += r / n;
    Real variance(0);
    for (const Real& r : returns) variance += (r - mean) * (r - mean) / n;
    if (!(variance > Real(0)) || !is_finite(variance))
        throw_invalid_argument(where, "the variance of returns", variance,
                               "finite and > 0 (rescale huge returns)");

    const auto active = garch_active_slots(spec);
    const garch_family_coordinates<Real> coordinates{spec, mean, Real(sqrt(variance)), options.stationary};
    const auto objective = [&](const garch_vector<Real>& u) {
        const Real ll = garch_family_log_likelihood_at(spec, coordinates.to_theta(u), returns);
        return is_finite(ll) ? -ll / n : std::numeric_limits<Real>::max();
    };
    // Nelder–Mead over the active coordinates only; each round restarts from the best point
    // with a smaller simplex, all rounds sharing the one budget.
    std::array<std::size_t, slot_count> index{};
    std::size_t k = 0;
    for (std::size_t s = 0; s < slot_count; ++s)
        if (active[s]) index[k++] = s;
    garch_vector<Real> u = coordinates.start();
    std::size_t evaluations = 0;
    bool converged = false;
    const auto minimise = [&]<std::size_t K>() {
        std::array<Real, K> start{};
        for (std::size_t i = 0; i < K; ++i) start[i] = u[index[i]];
        const auto on_active = [&](const std::array<Real, K>& v) {
            garch_vector<Real> w = u;
            for (std::size_t i = 0; i < K; ++i) w[index[i]] = v[i];
            return objective(w);
        };
        const auto r = restarted_nelder_mead<K>(on_active, start, options.restarts, options.max_evaluations, options.tolerance);
        for (std::size_t i = 0; i < K; ++i) u[index[i]] = r.minimum[i];
        evaluations = r.evaluations;
        converged = r.converged();
    };
    switch (k) {
    case 4: minimise.template operator()<4>(); break;
    case 5: minimise.template operator()<5>(); break;
    case 6: minimise.template operator()<6>(); break;
    default: minimise.template operator()<7>(); break;
    }
    const garch_family_parameters<Real> estimate = coordinates.to_theta(u);
    const Real ll_hat = garch_family_log_likelihood_at(spec, estimate, returns);
    if (!is_finite(ll_hat))
        throw_numeric_error(where, "the maximised log-likelihood", ll_hat, "finite (no admissible model fits these returns)");
    garch_family_fit<Real> fit{garch_family<Real>(spec, estimate), ll_hat, returns.size(), evaluations, converged, std::nullopt};

    // Observed information by central differences in θ (the four-point formula for every entry,
    // as fGarch's "rcd"), steps h_i = 10⁻⁴ max(|θ_i|, size_i); the floor size_i (s for μ, s² 10⁻³
    // for a GARCH ω, 10⁻² otherwise) keeps a near-zero estimate's step above rounding noise.
    const garch_vector<Real> theta = to_vector(estimate);
    const Real sd = coordinates.sd;
    const garch_vector<Real> floor{sd,
                                   Real(0.01),
                                   spec.variance == garch_variance::egarch ? Real(0.01) : Real(sd * sd * Real(1e-3)),
                                   Real(0.01),
                                   Real(0.01),
                                   Real(0.01),
                                   Real(0.01)};
    garch_vector<Real> h{};
    for (std::size_t s = 0; s < slot_count; ++s) h[s] = Real(1e-4) * std::max(Real(abs(theta[s])), floor[s]);
    const auto ll = [&](garch_vector<Real> p, std::size_t i, Real di, std::size_t j, Real dj) {
        p[i] += di;
        p[j] += dj;
        return garch_family_log_likelihood_at(spec, to_parameters(p), returns);
    };
    using matrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;
    matrix information(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = a; b < k; ++b) {
            const std::size_t i = index[a], j = index[b];
            const Real value = (ll(theta, i, h[i], j, h[j]) - ll(theta, i, h[i], j, -h[j]) - ll(theta, i, -h[i], j, h[j]) +
                                ll(theta, i, -h[i], j, -h[j])) /
                               (Real(4) * h[i] * h[j]);
            if (!is_finite(value)) return fit;  // a step left the admissible set: on the boundary
            information(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = -value;
            information(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(a)) = -value;
        }
    }
    const Eigen::LDLT<matrix> ldlt(information);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || !(ldlt.vectorD().minCoeff() > Real(0))) return fit;
    const matrix covariance = ldlt.solve(matrix::Identity(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)));
    garch_vector<Real> se{};
    for (std::size_t a = 0; a < k; ++a) {
        const Real v = covariance(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(a));
        if (!(v > Real(0)) || !is_finite(v)) return fit;
        se[index[a]] = Real(sqrt(v));
    }
    fit.standard_errors = to_parameters(se);
    return fit;
}

}  // namespace margincall
