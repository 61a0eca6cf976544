#pragma once
/// \file
/// The library's one bracketed root finder: Boost.Math's TOMS 748 behind a caller-owned
/// evaluation budget and tolerance, answering the root, the final bracket, a status and the
/// evaluations used, so that every call site can tell a converged root from a budget that ran
/// out (Boost leaves that comparison to the caller; an unchecked midpoint is not a root).
///
/// Method: Alefeld, Potra & Shi, "Algorithm 748: enclosing zeros of continuous functions",
/// ACM TOMS 21 (1995) 327–344, as boost::math::tools::toms748_solve. The bracket [lower, upper]
/// always keeps f(lower) with the sign of f(lo) and f(upper) with the sign of f(hi), so a
/// caller that needs a particular side of the root (the end where a ratio is already restored,
/// the end where an order is still accepted) reads it off the bracket, converged or not.
/// \test tests/core/bracketed_solve.cpp: closed-form roots, exact zeros at an end, a bracket
///       without a sign change, a budget too small to converge, a step function.

#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <boost/math/tools/precision.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <concepts>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace margincall {

/// Thrown by the few entry points whose contract is a plain value (implied_volatility) when
/// their solve's budget ran out; every other site reports no_convergence as a status.
class convergence_error : public numeric_error {
public:
    using numeric_error::numeric_error;
};

/// How a bracketed solve ended.
enum class solve_status : unsigned char {
    found,           ///< the bracket met the tolerance, or f was exactly 0 at `root`
    no_convergence,  ///< the evaluation budget ran out first; `root` is the midpoint of a
                     ///< bracket that still holds the root but is wider than the tolerance
    no_sign_change   ///< f(lo) and f(hi) have the same sign (or one is NaN): nothing was solved
};

/// A short English name of a status ("found", "no convergence", "no sign change").
[[nodiscard]] constexpr const char* to_string(solve_status status) noexcept {
    switch (status) {
        case solve_status::found: return "found";
        case solve_status::no_convergence: return "no convergence";
        case solve_status::no_sign_change: return "no sign change";
    }
    return "unknown";
}

/// The caller-owned budget of one solve: at most `max_evaluations` calls of f inside TOMS 748
/// (the two end values, when the caller has them, are not counted), and a relative tolerance
/// of 2^(1 − tolerance_bits) on the bracket's width (Boost's eps_tolerance).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct solve_budget {
    std::uintmax_t max_evaluations{100};                           ///< ≥ 1 to solve anything
    int tolerance_bits{boost::math::tools::digits<Real>() - 2};    ///< in [1, digits of Real]
};

/// What a bracketed solve answers.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct solve_result {
    Real root{0};                        ///< midpoint of [lower, upper] (the zero itself when hit exactly)
    Real lower{0};                       ///< final bracket; f(lower) has the sign of f(lo)
    Real upper{0};                       ///< f(upper) has the sign of f(hi)
    solve_status status{solve_status::no_sign_change};
    std::uintmax_t evaluations{0};       ///< calls of f made by the solve (ends given by the caller excluded)

    [[nodiscard]] constexpr bool found() const noexcept { return status == solve_status::found; }
};

/// Root of f in [lo, hi] given f(lo) and f(hi) of opposite signs, with a custom tolerance
/// `bool tolerance(Real a, Real b)` (true when [a, b] is narrow enough).
/// Never throws for a bracket without a sign change (that is `no_sign_change`); lo ≥ hi is
/// accepted and swapped. Exceptions thrown by f propagate.
template <real_scalar Real, class F, class Tolerance>
    requires std::invocable<F&, const Real&> && std::predicate<Tolerance&, const Real&, const Real&>
[[nodiscard]] solve_result<Real> solve_bracketed(F&& f, Real lo, Real hi, Real f_lo, Real f_hi,
                                                 std::uintmax_t max_evaluations, Tolerance tolerance) {
    if (hi < lo) {
        std::swap(lo, hi);
        std::swap(f_lo, f_hi);
    }
    solve_result<Real> out;
    out.lower = lo;
    out.upper = hi;
    if (f_lo == 0 || f_hi == 0) {
        out.root = out.lower = out.upper = f_lo == 0 ? lo : hi;
        out.status = solve_status::found;
        return out;
    }
    if (!((f_lo < 0 && f_hi > 0) || (f_lo > 0 && f_hi < 0))) {  // same sign, or NaN
        out.root = lo + (hi - lo) / 2;
        return out;
    }
    if (tolerance(lo, hi) || lo == hi) {
        out.root = lo + (hi - lo) / 2;
        out.status = solve_status::found;
        return out;
    }
    std::uintmax_t evaluations = max_evaluations;
    if (evaluations > 0) {
        // Boost calls f by value; a reference wrapper keeps stateful callables (counters) shared.
        const auto bracket = boost::math::tools::toms748_solve(
            [&f](const Real& x) { return static_cast<Real>(std::invoke(f, x)); }, lo, hi, f_lo, f_hi, tolerance,
            evaluations);
        out.lower = bracket.first;
        out.upper = bracket.second;
    }
    out.evaluations = evaluations;
    out.root = out.lower == out.upper ? out.lower : Real(out.lower + (out.upper - out.lower) / 2);
    out.status = out.lower == out.upper || tolerance(out.lower, out.upper) ? solve_status::found
                                                                           : solve_status::no_convergence;
    return out;
}

/// As above, with Boost's relative tolerance of `budget.tolerance_bits` bits.
template <real_scalar Real, class F>
    requires std::invocable<F&, const Real&>
[[nodiscard]] solve_result<Real> solve_bracketed(F&& f, Real lo, Real hi, Real f_lo, Real f_hi,
                                                 const solve_budget<Real>& budget = {}) {
    return solve_bracketed(std::forward<F>(f), lo, hi, f_lo, f_hi, budget.max_evaluations,
                           boost::math::tools::eps_tolerance<Real>(budget.tolerance_bits));
}

/// As above, evaluating f at both ends first (those two calls count in `evaluations` and
/// in the budget).
template <real_scalar Real, class F>
    requires std::invocable<F&, const Real&>
[[nodiscard]] solve_result<Real> solve_bracketed(F&& f, Real lo, Real hi, const solve_budget<Real>& budget = {}) {
    const Real f_lo = static_cast<Real>(std::invoke(f, lo));
    const Real f_hi = static_cast<Real>(std::invoke(f, hi));
    solve_budget<Real> rest = budget;
    rest.max_evaluations = budget.max_evaluations > 2 ? budget.max_evaluations - 2 : 0;
    solve_result<Real> out = solve_bracketed(f, lo, hi, f_lo, f_hi, rest);
    out.evaluations += 2;
    return out;
}

}  // namespace margincall
