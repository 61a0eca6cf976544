#pragma once
/// \file
/// The `tail_estimator` concept: a policy that turns a sample of losses into Value-at-Risk and
/// Expected Shortfall at a confidence level α. Historical, age-weighted, filtered, parametric and
/// extreme-value estimators model it, so a margin calculator holds any of them as a policy.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <span>

namespace margincall {

/// VaR_α and ES_α of one loss distribution; losses are positive numbers and neither value is
/// floored at zero (a sample of gains has a negative VaR, reported as such).
template <real_scalar Real = double>
struct tail_risk {
    Real value_at_risk;       ///< VaR_α: the α-quantile of the loss
    Real expected_shortfall;  ///< ES_α = (1/(1−α)) ∫_α^1 VaR_u du (Acerbi & Tasche 2002)
};

namespace detail {

/// The invariants every VaR/ES figure keeps (issue #14, classes 4 and 5): both finite and
/// ES ≥ VaR. Parametric closed forms can break them at the edge of the working precision (a
/// scale near 1e308 overflows, a subnormal scale rounds ES below VaR); the caller's argument
/// that took them there is named in the refusal. Returns `r` when it holds.
template <real_scalar Real, class Value>
tail_risk<Real> checked_tail(const char* where, const char* argument, const Value& value, const tail_risk<Real>& r) {
    if (!is_finite(r.value_at_risk) || !is_finite(r.expected_shortfall) ||
        !(r.expected_shortfall >= r.value_at_risk))
        throw_invalid_argument(where, argument, value,
                               "such that VaR and ES are finite and ES >= VaR in the working precision");
    return r;
}

/// A scenario loss that is not finite means a revaluation overflowed (a huge spot, quantity or
/// strike): every stress-based margin and the calculator's scenario risk refuse it, naming the
/// scenario they built, rather than report a margin of 0 for unbounded risk or hand the
/// estimator a "sample" the caller never passed (issue #14, classes 3 and 6). The loss is
/// returned unchanged when finite.
template <real_scalar Real>
Real checked_scenario_loss(const char* where, const char* scenario_name, std::size_t i, const Real& loss) {
    if (!is_finite(loss))
        throw_numeric_error(where, detail::message("the loss in ", scenario_name, "[", i, "]"), loss,
                            "finite (the revaluation overflows: reduce the spot, quantities or strikes)");
    return loss;
}

}  // namespace detail

/// `estimate(losses, alpha)`: VaR and ES at confidence α ∈ (0, 1) of the loss sample.
template <class E, class Real>
concept has_tail_estimate = requires(const E& e, std::span<const Real> losses, Real alpha) {
    { e.estimate(losses, alpha) } -> std::convertible_to<tail_risk<Real>>;
};

/// A tail estimator: a policy with `tail_risk<Real> estimate(std::span<const Real>, Real alpha) const`.
template <class E, class Real>
concept tail_estimator = real_scalar<Real> && has_tail_estimate<E, Real>;

}  // namespace margincall
