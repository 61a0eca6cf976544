#pragma once
/// \file
/// Nelder–Mead simplex minimiser on R^N with a caller-owned budget and a result that says
/// whether it converged or ran out of budget.
///
/// Coefficients: reflection 1, expansion 2, contraction ½ (outside and inside), shrink ½.
/// Source: J. A. Nelder & R. Mead, "A simplex method for function minimization", Computer
/// Journal 7 (1965) 308–313; the ordering and acceptance rules of J. C. Lagarias, J. A. Reeds,
/// M. H. Wright & P. E. Wright, "Convergence properties of the Nelder–Mead simplex method in
/// low dimensions", SIAM J. Optim. 9 (1998) 112–147. The budget is checked before each
/// iteration, as SciPy's `_minimize_neldermead` does (docs/core.md, "Nelder–Mead").
///
/// Hand-written because no library the project uses has it: Boost.Math's minimisers
/// (`tools/minima.hpp`, Brent) are one-dimensional, and Eigen has no optimiser (its
/// unsupported NonLinearOptimization module is Levenberg–Marquardt / Powell hybrid for least
/// squares and systems of equations, needing derivatives or a Jacobian by differences).
///
/// When not to use it: smooth problems in more than a handful of dimensions (use a gradient
/// method); it can converge to a non-stationary point already in two dimensions (K. I. M.
/// McKinnon, SIAM J. Optim. 9 (1998) 148–158), which is why it reports its status instead of a
/// bare point.
/// Performance: no allocation; N + 1 evaluations to build the simplex, then 1, 2 or N + 2
/// per iteration.
/// \test tests/core/nelder_mead.cpp: Rosenbrock (minimum (1, 1)), a quadratic with a closed-form
///       minimum, a budget too small → not converged, bad input.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <utility>

namespace margincall {

/// Why a Nelder–Mead run stopped.
enum class nelder_mead_status : unsigned char {
    converged,             ///< values and vertices settled within the tolerances
    out_of_evaluations,    ///< the budget's max_evaluations was reached first
    out_of_iterations      ///< the budget's max_iterations was reached first
};

/// The caller's budget. The N + 1 evaluations that build the simplex are always made; each
/// iteration starts only while both limits are unreached, and uses 1, 2 or N + 2 evaluations,
/// so a run makes at most max(max_evaluations, N + 1) + N + 1 evaluations in all.
struct nelder_mead_budget {
    std::size_t max_evaluations{10000};                                 ///< > 0
    std::size_t max_iterations{std::numeric_limits<std::size_t>::max()};  ///< > 0
};

/// Stopping rule and initial simplex.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct nelder_mead_options {
    /// The simplex is the start and the start plus `initial_step` along each axis; finite, ≠ 0.
    Real initial_step{Real(0.5)};
    /// Converged when |f_worst − f_best| ≤ value_tolerance × (|f_best| + value_tolerance) ...
    Real value_tolerance{std::max(Real(1e-12), Real(16) * std::numeric_limits<Real>::epsilon())};
    /// ... and every vertex is within point_tolerance of the best in every coordinate (> 0).
    Real point_tolerance{std::max(Real(1e-7), Real(1000) * std::numeric_limits<Real>::epsilon())};
};

/// The outcome of a run: the best vertex, its value, why it stopped and what it used.
template <real_scalar Real, std::size_t N>
struct nelder_mead_result {
    std::array<Real, N> minimum;
    Real value;                 ///< f(minimum); +∞ if f was NaN or +∞ at every vertex
    nelder_mead_status status;
    std::size_t evaluations;    ///< calls of f
    std::size_t iterations;     ///< simplex updates
    [[nodiscard]] constexpr bool converged() const noexcept { return status == nelder_mead_status::converged; }
};

/// Minimises f: std::array<Real, N> → Real from `start`.
/// f may return +∞ where it is undefined; a NaN counts as +∞ (never a best vertex).
/// \throws margincall::invalid_argument for a non-finite start coordinate, an initial step that
///         is 0 or not finite, a tolerance that is negative, NaN or (point) 0, or a zero budget
template <std::size_t N, real_scalar Real, class Objective>
    requires(N >= 1) && std::invocable<Objective&, const std::array<Real, N>&>
[[nodiscard]] nelder_mead_result<Real, N> nelder_mead(Objective&& f, const std::array<Real, N>& start,
                                                      const nelder_mead_budget& budget,
                                                      const nelder_mead_options<Real>& options = {}) {
    using std::abs;
    using point = std::array<Real, N>;
    constexpr const char* where = "nelder_mead";
    for (std::size_t j = 0; j < N; ++j)
        if (!detail::is_finite(start[j])) check_finite(where, detail::message("start[", j, "]"), start[j]);
    if (!(options.initial_step != 0) || !detail::is_finite(options.initial_step))
        throw_invalid_argument(where, "options.initial_step", options.initial_step, "finite and != 0");
    check_non_negative(where, "options.value_tolerance", options.value_tolerance);
    check_positive(where, "options.point_tolerance", options.point_tolerance);
    if (budget.max_evaluations == 0) throw_invalid_argument(where, "budget.max_evaluations", 0, "> 0");
    if (budget.max_iterations == 0) throw_invalid_argument(where, "budget.max_iterations", 0, "> 0");

    std::size_t evaluations = 0;
    const auto eval = [&](const point& p) {
        ++evaluations;
        const Real v = static_cast<Real>(f(p));
        return v == v ? v : std::numeric_limits<Real>::infinity();  // NaN → +∞
    };
    std::array<point, N + 1> x{};
    std::array<Real, N + 1> fx{};
    for (std::size_t i = 0; i <= N; ++i) {
        x[i] = start;
        if (i > 0) x[i][i - 1] += options.initial_step;
        fx[i] = eval(x[i]);
    }
    std::size_t iterations = 0;
    nelder_mead_status status = nelder_mead_status::out_of_evaluations;
    for (;;) {
        // Order the vertices best first (insertion sort: stable, N is small).
        for (std::size_t i = 1; i <= N; ++i)
            for (std::size_t j = i; j > 0 && fx[j] < fx[j - 1]; --j) {
                std::swap(fx[j], fx[j - 1]);
                std::swap(x[j], x[j - 1]);
            }
        Real size(0);
        for (std::size_t i = 1; i <= N; ++i)
            for (std::size_t j = 0; j < N; ++j) size = std::max(size, Real(abs(x[i][j] - x[0][j])));
        // Both the values and the vertices must have settled.
        const Real tol = options.value_tolerance;
        if (Real(abs(fx[N] - fx[0])) <= tol * (Real(abs(fx[0])) + tol) && size < options.point_tolerance) {
            status = nelder_mead_status::converged;
            break;
        }
        if (evaluations >= budget.max_evaluations) {
            status = nelder_mead_status::out_of_evaluations;
            break;
        }
        if (iterations >= budget.max_iterations) {
            status = nelder_mead_status::out_of_iterations;
            break;
        }
        ++iterations;
        point centroid{};
        for (std::size_t i = 0; i < N; ++i)
            for (std::size_t j = 0; j < N; ++j) centroid[j] += x[i][j] / static_cast<Real>(N);
        const auto along = [&](Real c) {
            point p = centroid;
            for (std::size_t j = 0; j < N; ++j) p[j] = centroid[j] + c * (x[N][j] - centroid[j]);
            return p;
        };
        const point reflected = along(Real(-1));
        const Real f_reflected = eval(reflected);
        if (f_reflected < fx[0]) {
            const point expanded = along(Real(-2));
            const Real f_expanded = eval(expanded);
            if (f_expanded < f_reflected) {
                x[N] = expanded;
                fx[N] = f_expanded;
            } else {
                x[N] = reflected;
                fx[N] = f_reflected;
            }
            continue;
        }
        if (f_reflected < fx[N - 1]) {
            x[N] = reflected;
            fx[N] = f_reflected;
            continue;
        }
        const bool outside = f_reflected < fx[N];
        const point contracted = along(outside ? Real(-0.5) : Real(0.5));
        const Real f_contracted = eval(contracted);
        if (f_contracted < (outside ? f_reflected : fx[N])) {
            x[N] = contracted;
            fx[N] = f_contracted;
            continue;
        }
        for (std::size_t i = 1; i <= N; ++i) {
            for (std::size_t j = 0; j < N; ++j) x[i][j] = x[0][j] + Real(0.5) * (x[i][j] - x[0][j]);
            fx[i] = eval(x[i]);
        }
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i <= N; ++i)
        if (fx[i] < fx[best]) best = i;
    return {x[best], fx[best], status, evaluations, iterations};
}

/// Restarted Nelder–Mead sharing one evaluation budget: a first run from `start` with simplex
/// step 0.5, then up to `restarts` runs from the previous minimum with step 0.05 (a fresh small
/// simplex around the best point un-sticks one that collapsed early), while evaluations remain.
/// Returns the last run's minimum, value and status (converged only if the last run converged),
/// with `evaluations` and `iterations` summed over the runs. The maximum-likelihood fits of
/// volatility/ (GARCH(1,1), the GARCH family) use it.
/// \throws what nelder_mead throws (e.g. max_evaluations = 0)
template <std::size_t N, real_scalar Real, class Objective>
    requires(N >= 1) && std::invocable<Objective&, const std::array<Real, N>&>
[[nodiscard]] nelder_mead_result<Real, N> restarted_nelder_mead(Objective&& f, const std::array<Real, N>& start,
                                                                std::size_t restarts, std::size_t max_evaluations,
                                                                Real value_tolerance) {
    nelder_mead_options<Real> options;
    options.value_tolerance = value_tolerance;
    nelder_mead_budget budget;
    budget.max_evaluations = max_evaluations;
    nelder_mead_result<Real, N> result = nelder_mead<N>(f, start, budget, options);
    options.initial_step = Real(0.05);
    for (std::size_t round = 1; round <= restarts && result.evaluations < max_evaluations; ++round) {
        budget.max_evaluations = max_evaluations - result.evaluations;
        const auto again = nelder_mead<N>(f, result.minimum, budget, options);
        result = {again.minimum, again.value, again.status, result.evaluations + again.evaluations,
                  result.iterations + again.iterations};
    }
    return result;
}

}  // namespace margincall
