#pragma once
/// \file
/// Hedge-mode closed forms: a long and a short leg of one contract, each in its own tier
/// (Binance's cumL / cumS), with the nearest liquidation price below and above the mark, and
/// the bankruptcy prices of the pair. The surplus is concave in u, so at most one root per
/// side (docs/liquidation.md).
/// \test tests/liquidation/liquidation_price.cpp (hedge cases), tests/liquidation/bracket_liquidation.cpp.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/tiered_surplus.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <array>
#include <span>

namespace margincall {

/// Hedge mode (one long and one short leg of the same contract, each in its own tier as
/// Binance's cumL/cumS) or, with one quantity 0, a one-way position seen from both sides:
/// the nearest liquidation price below and above the mark. In cross mode both legs share it.
/// The surplus is concave in u (sum of linear PnL minus convex tiered MM), so there are at most
/// two roots: one per side (docs/liquidation.md).
/// \param long_leg quantity ≥ 0; \param short_leg quantity ≤ 0 (at least one non-zero)
/// \throws invalid_argument on NaN, a leg on the wrong side, both legs empty, a non-positive
///         price, a negative balance or margin, a closing-fee rate outside [0, 1)
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> liquidation_prices_hedged(const Contract& contract,
                                                                 const tier_schedule<Real>& schedule,
                                                                 const position_leg<Real>& long_leg,
                                                                 const position_leg<Real>& short_leg,
                                                                 const account_balance<Real>& balance, Real mark,
                                                                 const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "liquidation_prices_hedged";
    detail::check_hedged_legs(where, long_leg, short_leg);
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    if (options.fee_at == fee_valuation::bankruptcy_price && options.closing_fee_rate > 0)
        throw_invalid_argument(where, "fee_at", "bankruptcy_price", "liquidation_price in hedge mode (two bankruptcy prices)");
    const std::array<position_leg<Real>, 2> legs{long_leg, short_leg};
    const detail::surplus_problem<Real> p =
        detail::build_problem(contract, &schedule, std::span<const position_leg<Real>>(legs), balance, options);
    return detail::to_price_sides<Contract>(detail::nearest_roots(p, detail::to_u_price<Contract>(mark)));
}

/// Bankruptcy prices of a hedge-mode pair (equity = 0, or = the closing fee): equity is linear
/// in u, so at most one side has one.
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> bankruptcy_prices_hedged(const Contract& contract,
                                                                const position_leg<Real>& long_leg,
                                                                const position_leg<Real>& short_leg,
                                                                const account_balance<Real>& balance, Real mark,
                                                                const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "bankruptcy_prices_hedged";
    detail::check_leg(where, "long quantity", "long entry_price", long_leg, true);
    detail::check_leg(where, "short quantity", "short entry_price", short_leg, true);
    if (long_leg.quantity < 0) throw_invalid_argument(where, "long quantity", long_leg.quantity, ">= 0");
    if (short_leg.quantity > 0) throw_invalid_argument(where, "short quantity", short_leg.quantity, "<= 0");
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    const std::array<position_leg<Real>, 2> legs{long_leg, short_leg};
    const detail::surplus_problem<Real> p = detail::build_problem(
        contract, static_cast<const tier_schedule<Real>*>(nullptr), std::span<const position_leg<Real>>(legs), balance,
        options);
    return detail::to_price_sides<Contract>(detail::nearest_roots(p, detail::to_u_price<Contract>(mark)));
}

}  // namespace margincall
