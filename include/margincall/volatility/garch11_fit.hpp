#pragma once
/// \file
/// Maximum-likelihood fit of a GARCH(1,1) (normal or Student-t innovations) with standard errors.
///
/// Maximises ln L(θ) = Σ_t ln f(r_t | σ²_t(θ)), θ = (ω, α, β[, ν]), with the fGarch "mci" variance
/// start (see garch11.hpp). Standard errors: the inverse of the observed information
/// −∇²ln L(θ̂) (Hessian by central differences), as R fGarch reports them; and the QML sandwich
/// H⁻¹ (Σ_t g_t g_tᵀ) H⁻¹ of Bollerslev & Wooldridge, "Quasi-maximum likelihood estimation and
/// inference in dynamic models with time-varying covariances", Econometric Reviews 11(2), 1992,
/// pp. 143–172, robust when the innovations are not of the assumed distribution.
/// Tested: tests/volatility/garch11_fit.cpp against R fGarch 'garchFit' on a stored series
/// (tests/reference/garch_fgarch.R, garch_series.csv, garch_fgarch.out) and by recovering the
/// parameters of long simulated paths within their standard errors.

#include <margincall/core/checks.hpp>
#include <margincall/core/nelder_mead.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/volatility/garch11.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <utility>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace margincall {

/// Parameters of a GARCH(1,1) as plain numbers: estimates or their standard errors.
/// `shape` is ν for Student-t innovations and 0 (not estimated) for normal ones.
template <real_scalar Real = double>
struct garch11_parameters {
    Real omega;
    Real alpha;
    Real beta;
    Real shape;
};

/// Options of fit_garch11.
template <real_scalar Real = double>
struct garch11_fit_options {
    std::size_t max_evaluations = 20000;  ///< log-likelihood evaluations across all restarts
    /// Relative spread of −ln L / T over the simplex at which it stops (never below 16 ε of Real,
    /// so a float fit can converge).
    Real tolerance = std::max(Real(1e-12), Real(16) * std::numeric_limits<Real>::epsilon());
    std::size_t restarts = 3;             ///< Nelder–Mead restarts from the best point (escapes a collapsed simplex)
};

/// The result of fit_garch11.
template <real_scalar Real = double>
struct garch11_fit {
    garch11<Real> model;      ///< the maximum-likelihood model
    Real log_likelihood;      ///< ln L(θ̂) (fGarch prints −ln L as "LLH")
    std::size_t observations;
    std::size_t evaluations;  ///< log-likelihood evaluations used
    bool converged;           ///< the last Nelder–Mead round met the tolerance within max_evaluations
    /// Standard errors from the inverse observed information; empty when −H is not positive
    /// definite at θ̂ (an estimate on the boundary, e.g. α̂ ≈ 0).
    std::optional<garch11_parameters<Real>> standard_errors;
    /// Bollerslev–Wooldridge (1992) QML sandwich standard errors; empty under the same condition.
    std::optional<garch11_parameters<Real>> robust_standard_errors;
};

namespace detail {

/// Unconstrained coordinates u ↔ θ: ω = s² e^{u0} (s² = the series' mean square, for scale),
/// α + β = logistic(u1), α = (α + β) logistic(u2), ν = 2 + e^{u3}. Every u maps to an admissible
/// model (ω > 0, α, β > 0, α + β < 1, ν > 2), so the optimiser needs no constraints.
template <real_scalar Real>
struct garch11_coordinates {
    Real scale;
    bool student;

    static Real logistic(const Real& x) {
        using std::exp;
        return Real(1) / (Real(1) + Real(exp(-x)));
    }
    static Real logit(const Real& p) {
        using std::log;
        return Real(log(p / (Real(1) - p)));
    }
    [[nodiscard]] std::array<Real, 4> to_theta(const std::array<Real, 4>& u) const {
        using std::exp;
        const Real persistence = logistic(u[1]);
        const Real alpha = persistence * logistic(u[2]);
        return {scale * Real(exp(u[0])), alpha, persistence - alpha, student ? Real(2) + Real(exp(u[3])) : Real(0)};
    }
    [[nodiscard]] std::array<Real, 4> to_u(const std::array<Real, 4>& theta) const {
        using std::log;
        const Real persistence = theta[1] + theta[2];
        return {Real(log(theta[0] / scale)), logit(persistence), logit(theta[1] / persistence),
                student ? Real(log(theta[3] - Real(2))) : Real(0)};
    }
};

/// ln L at natural parameters θ; −∞ outside the admissible region (so finite differences near a
/// boundary are detected instead of throwing).
template <real_scalar Real>
[[nodiscard]] Real garch11_log_likelihood_at(const std::array<Real, 4>& theta, bool student,
                                             std::span<const Real> returns, const Real& mean_square) {
    const bool admissible = theta[0] > 0 && theta[1] >= 0 && theta[2] >= 0 && theta[1] + theta[2] < Real(1) &&
                            (!student || theta[3] > Real(2));
    if (!admissible) return -std::numeric_limits<Real>::infinity();
    const garch11<Real> model = student ? garch11<Real>(theta[0], theta[1], theta[2], theta[3])
                                        : garch11<Real>(theta[0], theta[1], theta[2]);
    return model.log_likelihood_unchecked(returns, model.initial_variance(mean_square));
}

}  // namespace detail

/// Fits a GARCH(1,1) to zero-mean `returns` by maximum likelihood (core/nelder_mead.hpp on an
/// unconstrained reparameterisation, see detail::garch11_coordinates), then computes the
/// standard errors. Needs at least 10 returns, all finite and not all zero.
/// Not for series with a material mean: demean first (fGarch's include.mean = FALSE).
/// Performance: a few thousand evaluations of an O(T) likelihood; plus 2k(k+1)+… for the Hessian.
template <real_scalar Real>
[[nodiscard]] garch11_fit<Real> fit_garch11(std::span<const Real> returns, garch_innovation innovation,
                                            const garch11_fit_options<Real>& options = {}) {
    using std::abs;
    using std::sqrt;
    constexpr const char* where = "fit_garch11";
    check_all_finite_squares(where, "returns", returns);
    if (returns.size() < 10)
        throw_invalid_argument(where, "the size of returns", returns.size(), ">= 10");
    if (options.max_evaluations == 0)
        throw_invalid_argument(where, "options.max_evaluations", options.max_evaluations, "> 0");
    check_positive(where, "options.tolerance", options.tolerance);
    Real mean_square(0);
    for (const Real& r : returns) mean_square += r * r;
    mean_square /= static_cast<Real>(returns.size());
    if (!(mean_square > 0))
        throw_invalid_argument(where, "the mean square of returns", mean_square, "> 0 (an all-zero series has no volatility)");
    // Returns beyond ~1e154 square to ∞: the likelihood is NaN everywhere and the old message
    // blamed an "omega is -nan" the caller never passed (issue #14, class 6).
    if (!detail::is_finite(mean_square))
        throw_invalid_argument(where, "the mean square of returns", mean_square,
                               "finite (rescale the returns, e.g. to fractions of the price)");

    const bool student = innovation == garch_innovation::student_t;
    const std::size_t k = student ? 4 : 3;
    const detail::garch11_coordinates<Real> coordinates{mean_square, student};
    const Real n = static_cast<Real>(returns.size());
    const auto objective = [&](const std::array<Real, 4>& u) {
        const Real ll = detail::garch11_log_likelihood_at(coordinates.to_theta(u), student, returns, mean_square);
        return detail::is_finite(ll) ? -ll / n : std::numeric_limits<Real>::max();
    };

    // Start where fGarch starts: α = 0.1, β = 0.8, ω = (1 − α − β) s², ν = 4 (fGarch's default shape start).
    // Restarts share one evaluation budget; the fit has converged if the last round did.
    std::array<Real, 4> u = coordinates.to_u({mean_square * Real(0.1), Real(0.1), Real(0.8), Real(4)});
    std::size_t evaluations = 0;
    bool converged = false;
    const auto minimise = [&]<std::size_t K>() {
        std::array<Real, K> start{};
        std::copy_n(u.begin(), K, start.begin());
        const auto on_first_k = [&](const std::array<Real, K>& v) {
            std::array<Real, 4> w{};  // ν's coordinate stays 0 for normal innovations
            std::copy_n(v.begin(), K, w.begin());
            return objective(w);
        };
        const auto r = restarted_nelder_mead<K>(on_first_k, start, options.restarts, options.max_evaluations, options.tolerance);
        std::copy_n(r.minimum.begin(), K, u.begin());
        evaluations = r.evaluations;
        converged = r.converged();
    };
    if (student) minimise.template operator()<4>();
    else minimise.template operator()<3>();
    const std::array<Real, 4> theta = coordinates.to_theta(u);
    for (std::size_t i = 0; i < k; ++i)
        if (!detail::is_finite(theta[i]))
            throw_numeric_error(where, detail::message("the fitted parameter ", i), theta[i],
                                "finite (the likelihood could not be maximised for these returns)");
    const garch11<Real> model =
        student ? garch11<Real>(theta[0], theta[1], theta[2], theta[3]) : garch11<Real>(theta[0], theta[1], theta[2]);
    garch11_fit<Real> fit{model, model.log_likelihood_unchecked(returns, model.initial_variance(mean_square)), returns.size(), evaluations,
                          converged, std::nullopt, std::nullopt};

    // Observed information by central differences in θ, step h_i = 1e-4 · |θ_i| (relative, so ω ~ 1e-6
    // and ν ~ 5 get comparable accuracy); the cross terms use the four-point formula.
    // Fixed 4×4 matrices (Eigen's closed-form small inverse and coefficient-wise products, no heap);
    // for normal innovations the unused ν row and column hold the identity and stay decoupled.
    using matrix = Eigen::Matrix<Real, 4, 4>;
    std::array<Real, 4> h{};
    for (std::size_t i = 0; i < k; ++i) h[i] = Real(1e-4) * std::max(Real(abs(theta[i])), Real(1e-8));
    const auto ll = [&](const std::array<Real, 4>& p) {
        return detail::garch11_log_likelihood_at(p, student, returns, mean_square);
    };
    matrix hessian = -matrix::Identity();
    const Real center = fit.log_likelihood;
    bool finite = true;
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = i; j < k; ++j) {
            Real value;
            if (i == j) {
                auto plus = theta, minus = theta;
                plus[i] += h[i];
                minus[i] -= h[i];
                value = (ll(plus) - Real(2) * center + ll(minus)) / (h[i] * h[i]);
            } else {
                auto pp = theta, pm = theta, mp = theta, mm = theta;
                pp[i] += h[i]; pp[j] += h[j];
                pm[i] += h[i]; pm[j] -= h[j];
                mp[i] -= h[i]; mp[j] += h[j];
                mm[i] -= h[i]; mm[j] -= h[j];
                value = (ll(pp) - ll(pm) - ll(mp) + ll(mm)) / (Real(4) * h[i] * h[j]);
            }
            finite = finite && detail::is_finite(value);
            hessian(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value;
            hessian(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = value;
        }
    }
    if (!finite) return fit;
    const Eigen::LDLT<matrix> information(-hessian);
    if (information.info() != Eigen::Success || !information.isPositive() ||
        !(information.vectorD().minCoeff() > Real(0)))
        return fit;
    const matrix covariance = (-hessian).inverse();
    const auto errors_of = [&](const matrix& c) -> std::optional<garch11_parameters<Real>> {
        std::array<Real, 4> se{};
        for (std::size_t i = 0; i < k; ++i) {
            const Real v = c(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i));
            if (!(v > 0) || !detail::is_finite(v)) return std::nullopt;
            se[i] = Real(sqrt(v));
        }
        return garch11_parameters<Real>{se[0], se[1], se[2], se[3]};
    };
    fit.standard_errors = errors_of(covariance);

    // Per-observation scores g_t = ∂ ln f_t / ∂θ by central differences (one filter pass per
    // perturbed θ; this allocates k·T scores once per fit, not per element).
    std::vector<Real> scores(k * returns.size(), Real(0));
    for (std::size_t i = 0; i < k; ++i) {
        for (int sign : {1, -1}) {
            auto p = theta;
            p[i] += static_cast<Real>(sign) * h[i];
            if (!(p[1] + p[2] < Real(1)) || !(p[1] >= 0) || !(p[2] >= 0) || (student && !(p[3] > 2))) return fit;
            const garch11<Real> m = student ? garch11<Real>(p[0], p[1], p[2], p[3]) : garch11<Real>(p[0], p[1], p[2]);
            Real variance = m.initial_variance(mean_square);
            for (std::size_t t = 0; t < returns.size(); ++t) {
                if (t > 0) variance = m.next_variance(variance, returns[t - 1]);
                scores[i * returns.size() + t] +=
                    static_cast<Real>(sign) * m.log_density(returns[t], variance) / (Real(2) * h[i]);
            }
        }
    }
    matrix outer = matrix::Zero();
    for (std::size_t t = 0; t < returns.size(); ++t)
        for (std::size_t i = 0; i < k; ++i)
            for (std::size_t j = 0; j < k; ++j)
                outer(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) +=
                    scores[i * returns.size() + t] * scores[j * returns.size() + t];
    const matrix sandwich = covariance * outer * covariance;
    fit.robust_standard_errors = errors_of(sandwich);
    return fit;
}

}  // namespace margincall
