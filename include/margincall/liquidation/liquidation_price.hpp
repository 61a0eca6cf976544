#pragma once
/// \file
/// Closed-form, tier-consistent liquidation and bankruptcy prices of one one-way position in a
/// linear, quanto or inverse perpetual: isolated or cross margin, with tiered maintenance margin
/// (the whole table: the solve finds the bracket) and an optional closing-fee buffer. Hedge
/// pairs: hedged_liquidation.hpp; batches: batch_liquidation_prices.hpp; one given bracket:
/// bracket_liquidation.hpp, whose line every step of the walk below solves.
///
/// The liquidation price is the mark P at which equity(P) = MM(P) (+ closing fee), where the
/// maintenance tier is the one the notional *at P* falls in. In the variable u = P (linear,
/// quanto) or u = 1/P (inverse) every position's PnL and notional are linear in u, so the margin
/// surplus f(u) = equity − MM − fee is piecewise linear with breaks where a leg's notional
/// crosses a tier floor. In one tier (Binance USDⓈ-M FAQ, one-way, single position):
///
///   linear:   LP = (WB − TMM1 + UPNL1 + cum − side·Q·EP) / (Q·(MMR − side))
///   inverse:  LP = Q·CV·(MMR + side) / (WB − TMM1 + UPNL1 + cum + side·Q·CV/EP)
///
/// Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93) and "… of COIN-M
/// Futures Contracts" (https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46);
/// Bybit "Liquidation Price (USDT Contract)" for the MM-at-entry convention. The tier-consistent
/// root: for a single position f is strictly monotone (proof in docs/liquidation.md), so the
/// solve starts in the tier of the mark's notional and walks to a neighbour only while the
/// candidate lies outside its tier; hedge mode (two legs, each in its own tier, as Binance's
/// cumL/cumS) enumerates the segments of the piecewise-linear f and returns the nearest root on
/// each side of the mark.
/// \test tests/liquidation/liquidation_price.cpp: Bybit and Binance published examples, an
///       independent Python implementation of Binance's formula with tier iteration
///       (tests/reference/liquidation_binance.py), properties on random books.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/bracket_liquidation.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/tiered_surplus.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <array>
#include <cstddef>
#include <span>

namespace margincall {

namespace detail {

/// Single one-way position, floating tier: the walk from the mark's tier (see file comment).
/// Returns false when the walk's monotonicity premise fails (MMR + fee ≥ 1 on the way), so the
/// caller falls back to the segment scan.
template <real_scalar Real>
bool walk_single(const tier_schedule<Real>& s, Real constant, Real slope, Real n, Real u_mark,
                 liquidation_point<Real>& out_u) noexcept {
    const auto tiers = s.tiers();
    const std::size_t count = tiers.size();
    std::size_t t = s.tier_index(n * u_mark);
    {
        const Real at_mark = constant + tiers[t].maintenance_amount + u_mark * (slope - n * tiers[t].maintenance_rate);
        if (!(at_mark >= 0)) {
            out_u = {liquidation_status::already_liquidated, Real(0), 0, 0};
            return true;
        }
    }
    if (slope < 0) {
        // f decreasing in u: the root lies above u_mark; walk up.
        const std::size_t start = t;
        for (;;) {
            // The per-bracket closed form in u (bracket_liquidation.hpp); f decreasing: d < 0.
            Real u = bracket_root(Real(constant + tiers[t].maintenance_amount), Real(slope - n * tiers[t].maintenance_rate));
            const Real lower = t == start ? u_mark : Real(tiers[t].floor / n);
            if (t + 1 < count && n * u >= tiers[t + 1].floor) {
                ++t;
                continue;
            }
            if (u < lower) u = lower;  // rounding at a floor
            out_u = {liquidation_status::found, u, t, 0};
            return true;
        }
    }
    // f increasing in u while slope > n·MMR: the root lies below u_mark; walk down.
    const std::size_t start = t;
    for (;;) {
        const Real d = slope - n * tiers[t].maintenance_rate;
        if (!(d > 0)) return false;
        Real u = bracket_root(Real(constant + tiers[t].maintenance_amount), d);
        if (t > 0 && n * u < tiers[t].floor) {
            --t;
            continue;
        }
        if (!(u > 0)) {
            out_u = {liquidation_status::fully_collateralised, Real(0), 0, 0};
            return true;
        }
        const Real upper = t == start ? u_mark : Real(tiers[t].cap / n);
        if (u > upper) u = upper;
        out_u = {liquidation_status::found, u, t, 0};
        return true;
    }
}

/// Single leg through the fast walk when the tier floats, else the segment scan (fixed tiers,
/// no schedule, or a failed monotonicity premise).
template <class Contract, real_scalar Real>
liquidation_point<Real> single_leg(const Contract& c, const tier_schedule<Real>* schedule, const position_leg<Real>& leg,
                                   const account_balance<Real>& b, Real mark, const liquidation_options<Real>& o) {
    const std::array<position_leg<Real>, 1> legs{leg};
    const surplus_problem<Real> p = build_problem(c, schedule, std::span<const position_leg<Real>>(legs), b, o);
    const Real u_mark = to_u_price<Contract>(mark);
    // Which side of the mark loses: the side where equity falls, i.e. the sign of the slope in u.
    const bool root_above_in_u = to_u(c, leg).slope < 0;
    if (p.floating[0]) {
        liquidation_point<Real> r;
        if (walk_single(*schedule, p.constant, p.slope, p.n[0], u_mark, r)) {
            return u_point_to_price<Contract>(r);
        }
    }
    const u_sides<Real> sides = nearest_roots(p, u_mark);
    const liquidation_point<Real> r = root_above_in_u ? to_price_point<Contract>(sides.upper_status, sides.upper)
                                                      : to_price_point<Contract>(sides.lower_status, sides.lower);
    if (r.found() && (!(r.price > 0) || !is_finite(r.price)))
        return {liquidation_status::fully_collateralised, Real(0), 0, 0};
    return r;
}

}  // namespace detail

/// Liquidation price of one one-way position (isolated, or cross with the rest of the account
/// held at its marks): the mark at which equity = maintenance margin (+ closing fee), in the
/// tier of the notional at that price. A long has it below the mark, a short above (inverse
/// likewise). "fully collateralised" when equity stays ≥ MM down to price 0 (a 1x linear long)
/// or up to ∞ (a 1x inverse short); "already liquidated" when equity < MM at `mark`.
///
/// \param contract linear_contract, quanto_contract or inverse_contract
/// \param schedule the contract's tiers (notional basis: tier by notional at the price;
///        quantity basis: tier by |quantity|)
/// \param position signed quantity ≠ 0 and entry price > 0
/// \param balance WB / TMM1 / UPNL1 in the margin currency
/// \param mark the current mark price > 0
/// \throws invalid_argument on NaN, a zero quantity, a non-positive price, a negative balance or
///         margin, a closing-fee rate outside [0, 1)
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_point<Real> liquidation_price(const Contract& contract, const tier_schedule<Real>& schedule,
                                                        const position_leg<Real>& position,
                                                        const account_balance<Real>& balance, Real mark,
                                                        const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "liquidation_price";
    detail::check_leg(where, "quantity", "entry_price", position, false);
    detail::check_u_leg(where, contract, position);
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    return detail::single_leg(contract, &schedule, position, balance, mark, options);
}

/// Bankruptcy price of one one-way position: the mark at which equity = 0 (or = the closing
/// fee, if a rate is given). Other positions' maintenance margin does not enter; their PnL does.
/// Bybit: BP_long = EP × (1 − 1/leverage) for an isolated position opened at `leverage`.
/// \throws invalid_argument as liquidation_price
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_point<Real> bankruptcy_price(const Contract& contract, const position_leg<Real>& position,
                                                       const account_balance<Real>& balance, Real mark,
                                                       const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "bankruptcy_price";
    detail::check_leg(where, "quantity", "entry_price", position, false);
    detail::check_u_leg(where, contract, position);
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    return detail::single_leg(contract, static_cast<const tier_schedule<Real>*>(nullptr), position, balance, mark,
                              options);
}

}  // namespace margincall
