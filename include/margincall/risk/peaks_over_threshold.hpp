#pragma once
/// \file
/// Peaks over threshold: a generalized Pareto distribution G_{ξ,σ}(y) = 1 − (1 + ξy/σ)^{−1/ξ}
/// fitted by maximum likelihood to the N_u excesses y_i = L_i − u of the losses above a
/// caller-chosen threshold u, then (McNeil & Frey 2000, eqs. (5)–(6); QRM (2005) eqs. 7.18–7.19)
///   VaR_α = u + (σ/ξ) [ ((n/N_u)(1 − α))^{−ξ} − 1 ]          (ξ = 0: u − σ log((n/N_u)(1 − α)))
///   ES_α  = VaR_α/(1 − ξ) + (σ − ξu)/(1 − ξ),   ξ < 1        (ξ = 0: VaR_α + σ)
/// valid for 1 − α ≤ N_u/n (the quantile lies beyond the threshold).
/// The MLE: with θ = ξ/σ the likelihood maximised over ξ for fixed θ gives ξ(θ) = (1/N) Σ log(1 + θ y_i)
/// and the profile log-likelihood ℓ(θ) = −N log(ξ(θ)/θ) − N − N ξ(θ) (Grimshaw 1993,
/// Technometrics 35(2), 185–191), a one-dimensional problem on θ > −1/max y: a coarse grid then
/// Boost.Math's Brent minimiser (boost/math/tools/minima.hpp) on the best bracket. Hand-written
/// because no library we use fits a GPD by ML (Boost.Accumulators' POT uses the method of moments).
/// Source: A. McNeil & R. Frey, "Estimation of tail-related risk measures for heteroscedastic
/// financial time series: an extreme value approach", J. Empirical Finance 7 (2000) 271–300.

#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <boost/math/tools/minima.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace margincall {

/// A fitted GPD tail: threshold u, shape ξ, scale σ, N_u excesses out of n losses.
template <real_scalar Real = double>
struct gpd_fit {
    Real threshold;
    Real xi;
    Real sigma;
    std::size_t exceedances;
    std::size_t sample_size;
    Real log_likelihood;
};

/// GPD log-likelihood of the excesses of `losses` over `threshold` at (ξ, σ); −∞ outside the support.
template <real_scalar Real>
[[nodiscard]] Real gpd_log_likelihood(std::span<const Real> losses, Real threshold, Real xi, Real sigma) {
    using std::log;
    using std::log1p;
    if (!(sigma > Real(0))) return -std::numeric_limits<Real>::infinity();
    Real sum(0);
    std::size_t count = 0;
    for (const auto& l : losses) {
        if (!(l > threshold)) continue;
        const Real y = l - threshold;
        ++count;
        if (xi == Real(0)) {
            sum += y / sigma;
        } else {
            const Real z = xi * y / sigma;
            if (!(z > Real(-1))) return -std::numeric_limits<Real>::infinity();
            sum += (Real(1) / xi + Real(1)) * log1p(z);
        }
    }
    return -static_cast<Real>(count) * log(sigma) - sum;
}

/// Maximum-likelihood GPD fit to the excesses over `threshold`; needs at least 3 of them.
template <real_scalar Real>
[[nodiscard]] gpd_fit<Real> fit_gpd(std::span<const Real> losses, Real threshold) {
    constexpr const char* where = "fit_gpd";
    check_not_empty<Real>(where, "losses", losses);
    check_all_finite<Real>(where, "losses", losses);
    check_finite(where, "threshold", threshold);
    std::vector<Real> y;
    for (std::size_t i = 0; i < losses.size(); ++i) {
        if (!(losses[i] > threshold)) continue;
        const Real excess = losses[i] - threshold;
        if (!detail::is_finite(excess))
            throw_invalid_argument(where, detail::message("the excess losses[", i, "] - threshold"), excess,
                                   "finite (the losses and the threshold are too far apart)");
        y.push_back(excess);
    }
    if (y.size() < 3)
        throw_invalid_argument(where, "the number of losses above threshold", y.size(), ">= 3");
    using std::log;
    using std::log1p;
    const auto n = static_cast<Real>(y.size());
    // The fit is scale-equivariant (ξ is unchanged, σ scales with y), so it runs on y / ȳ: the
    // θ range below (±1/y_max, 10³/ȳ) stays finite for subnormal or huge excesses, which
    // otherwise made the bracket (−∞, NaN) and the minimiser never end. ȳ is summed as Σ y/N
    // so that excesses near the overflow threshold do not overflow the sum.
    Real scale(0);
    for (const auto& v : y) scale += v / n;
    if (!(scale > Real(0)) || !detail::is_finite(scale))
        throw_invalid_argument(where, "the mean excess over threshold", scale, "finite and > 0");
    Real mean(0);
    Real y_max(0);
    for (auto& v : y) {
        v /= scale;
        mean += v;
        y_max = std::max(y_max, v);
    }
    mean /= n;
    // ξ(θ) = mean of log(1 + θy); S(θ)/(Nθ) → ȳ as θ → 0.
    const auto xi_of = [&](Real theta) {
        Real s(0);
        for (const auto& v : y) s += log1p(theta * v);
        return s / n;
    };
    const auto negative_profile = [&](Real theta) {
        if (theta == Real(0)) return n * log(mean) + n;
        const Real xi = xi_of(theta);
        const Real sigma = xi / theta;
        if (!(sigma > Real(0))) return std::numeric_limits<Real>::infinity();
        return n * log(sigma) + n + n * xi;
    };
    // θ ranges over (−1/y_max, ∞); ξ < −1 makes the likelihood unbounded at the lower end, so
    // search where ξ ≥ −1 is possible, and up to θ = 10³/ȳ (tails far heavier than any market's).
    const Real lower = -(Real(1) - Real(1e-6)) / y_max;
    const Real upper = Real(1000) / mean;
    constexpr int grid = 400;
    // Grid uniform in log|θ| on each side of 0 (|θ| from 10⁻⁸ of the bound to the bound), so that
    // both near-exponential and very heavy tails are seen.
    using std::pow;
    const auto pow_ratio = [](int i, int count) { return pow(Real(10), Real(-8) * Real(count - i) / Real(count)); };
    std::vector<Real> thetas;
    thetas.reserve(2 * grid + 1);
    for (int i = grid; i >= 1; --i) thetas.push_back(lower * pow_ratio(i, grid));
    thetas.push_back(Real(0));
    for (int i = 1; i <= grid; ++i) thetas.push_back(upper * pow_ratio(i, grid));
    std::size_t best = 0;
    Real best_value = std::numeric_limits<Real>::infinity();
    for (std::size_t i = 0; i < thetas.size(); ++i) {
        const Real v = negative_profile(thetas[i]);
        if (v < best_value) {
            best_value = v;
            best = i;
        }
    }
    const Real lo = thetas[best == 0 ? 0 : best - 1];
    const Real hi = thetas[std::min(best + 1, thetas.size() - 1)];
    // Brent on a finite bracket converges in a few dozen steps; the budget makes a hang impossible.
    constexpr std::uintmax_t brent_budget = 500;
    std::uintmax_t brent_steps = brent_budget;
    const auto [theta, value] = boost::math::tools::brent_find_minima(negative_profile, lo, hi,
                                                                      std::numeric_limits<Real>::digits / 2 + 4,
                                                                      brent_steps);
    if (brent_steps >= brent_budget)
        throw convergence_error(detail::message(where, ": the Brent iterations are ", brent_steps,
                                                ", but must be < ", brent_budget, " (the likelihood did not converge)"));
    Real xi = theta == Real(0) ? Real(0) : xi_of(theta);
    Real sigma = theta == Real(0) ? mean : xi / theta;
    if (!(value <= best_value)) {  // Brent cannot do worse than the grid, but keep the better point
        const Real t = thetas[best];
        xi = t == Real(0) ? Real(0) : xi_of(t);
        sigma = t == Real(0) ? mean : xi / t;
    }
    sigma *= scale;
    return {threshold, xi, sigma, y.size(), losses.size(), gpd_log_likelihood(losses, threshold, xi, sigma)};
}

/// VaR and ES at α from GPD tail parameters given directly (e.g. fitted elsewhere: R's evd/ismev,
/// SciPy's genpareto): threshold u, shape ξ, scale σ and ζ_u = P(L > u), the probability of
/// exceeding the threshold (N_u/n for a sample). Throws when 1 − α > ζ_u (VaR would lie below
/// the threshold), for ζ_u ∉ (0, 1], σ ≤ 0, or ξ ≥ 1 (the ES is infinite).
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> gpd_tail_risk(Real threshold, Real xi, Real sigma, Real threshold_exceedance_probability,
                                            Real alpha) {
    constexpr const char* where = "gpd_tail_risk";
    check_probability(where, "alpha", alpha);
    check_finite(where, "threshold", threshold);
    check_finite(where, "xi", xi);
    check_positive(where, "sigma", sigma);
    const Real tail = threshold_exceedance_probability;
    if (!(tail > Real(0) && tail <= Real(1)))
        throw_invalid_argument(where, "threshold_exceedance_probability", tail, "in (0, 1]");
    using std::log;
    using std::pow;
    if (!(Real(1) - alpha <= tail))
        throw_invalid_argument(where, "alpha", alpha,
                               detail::message(">= 1 - N_u/n = ", Real(Real(1) - tail),
                                               " (the quantile must lie beyond the threshold)")
                                   .c_str());
    if (!(xi < Real(1))) throw_invalid_argument(where, "xi", xi, "< 1 (the ES is infinite for xi >= 1)");
    const Real ratio = (Real(1) - alpha) / tail;
    const Real u = threshold;
    tail_risk<Real> out;
    if (xi == Real(0)) {
        out.value_at_risk = u - sigma * log(ratio);
        out.expected_shortfall = out.value_at_risk + sigma;
    } else {
        out.value_at_risk = u + sigma / xi * (pow(ratio, -xi) - Real(1));
        out.expected_shortfall = out.value_at_risk / (Real(1) - xi) + (sigma - xi * u) / (Real(1) - xi);
    }
    // Finite fits can still give a tail beyond the largest double (σ near 1e308, ξ near 1).
    return detail::checked_tail(where, "sigma", sigma, out);
}

/// VaR and ES at α from a GPD tail fit (ζ_u = N_u/n); throws when 1 − α > N_u/n (VaR would lie
/// below the threshold) or for ξ ≥ 1 (the ES is infinite).
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> gpd_tail_risk(const gpd_fit<Real>& fit, Real alpha) {
    if (fit.sample_size == 0 || fit.exceedances == 0 || fit.exceedances > fit.sample_size)
        throw_invalid_argument("gpd_tail_risk", "exceedances", fit.exceedances,
                               detail::message("in [1, sample_size = ", fit.sample_size, "]").c_str());
    return gpd_tail_risk(fit.threshold, fit.xi, fit.sigma,
                         Real(static_cast<Real>(fit.exceedances) / static_cast<Real>(fit.sample_size)), alpha);
}

/// Peaks-over-threshold estimator with a caller-chosen threshold; a `tail_estimator` policy.
template <real_scalar Real = double>
class peaks_over_threshold {
public:
    explicit peaks_over_threshold(Real threshold) : threshold_{threshold} {
        check_finite("peaks_over_threshold", "threshold", threshold);
    }
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        check_probability("peaks_over_threshold", "alpha", alpha);
        return gpd_tail_risk(fit_gpd(losses, threshold_), alpha);
    }
    [[nodiscard]] Real threshold() const noexcept { return threshold_; }

private:
    Real threshold_;
};

}  // namespace margincall
