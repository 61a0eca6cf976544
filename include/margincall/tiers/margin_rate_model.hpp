#pragma once
/// \file
/// The `margin_rate_model` concept: how much maintenance and initial margin a position of a
/// given size needs. Bracket schedules (tier_schedule), open-ended arithmetic tiers, rates
/// linear in size, square-root size premiums and open-interest-scaled fractions all model it,
/// so positions and accounts take any of them as a policy.

#include <margincall/core/real_scalar.hpp>

#include <concepts>

namespace margincall {

/// A model's sizes: `notional` is |quantity| valued at the price being evaluated, in the
/// contract's margin currency (≥ 0); `quantity` is |quantity| in contracts or base units
/// (≥ 0). A model reads whichever its brackets are counted in (venues differ).
template <class M, class Real>
concept has_maintenance_margin = requires(const M& m, Real notional, Real quantity) {
    { m.maintenance_margin(notional, quantity) } -> std::convertible_to<Real>;
};

/// Initial margin at a chosen leverage; throws margincall::invalid_argument when the leverage
/// exceeds what the size allows.
template <class M, class Real>
concept has_initial_margin = requires(const M& m, Real notional, Real quantity, Real leverage) {
    { m.initial_margin(notional, quantity, leverage) } -> std::convertible_to<Real>;
};

/// The largest leverage the size allows (non-increasing in size).
template <class M, class Real>
concept has_max_leverage = requires(const M& m, Real notional, Real quantity) {
    { m.max_leverage(notional, quantity) } -> std::convertible_to<Real>;
};

/// A margin-rate model: maintenance margin, initial margin at a leverage, max leverage.
template <class M, class Real>
concept margin_rate_model =
    real_scalar<Real> && has_maintenance_margin<M, Real> && has_initial_margin<M, Real> && has_max_leverage<M, Real>;

}  // namespace margincall
