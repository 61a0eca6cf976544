#pragma once
/// \file
/// Per-bracket closed forms: the liquidation and bankruptcy prices of a position *given* its
/// bracket's maintenance rate and maintenance amount (MMR, cum), as venues' own calculators
/// work. With u = P (linear, quanto) or u = 1/P (inverse) the surplus on one bracket is a line
/// f(u) = a + b·u, a = WB − TMM1 + UPNL1 + Σ cum_k + Σ (PnL constant of leg k),
/// b = Σ (PnL slope of leg k) − Σ n_k·MMR_k, and the price is its root u = −a/b:
///
///   Binance USDⓈ-M, one-way: LP = (WB − TMM1 + UPNL1 + cum − side·Q·EP) / (Q·MMR − side·Q)
///   hedge: LP = (WB − TMM1 + UPNL1 + cumL + cumS − QL·EPL + QS·EPS) / (QL·MMRL + QS·MMRS − QL + QS)
///   Binance COIN-M, one-way: LP = Q·CV·(MMR + side) / (WB − TMM1 + UPNL1 + cum + side·Q·CV/EP)
///
/// (Q = |quantity|, side = +1 long, −1 short, CV = contract value). Sources: Binance FAQ
/// "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93) and "… of COIN-M
/// Futures Contracts" (https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46).
/// The bankruptcy price is the same line with no maintenance margin: MMR = cum = 0 and TMM1
/// left out (equity = 0).
///
/// These forms do not choose the bracket: the price they give is the venue's formula for the
/// bracket passed, whether or not the notional there lies in it (that walk is
/// liquidation_price's, which solves every segment with these same lines — one formula, one
/// place). A value ≤ 0 means the line has no root on this side (e.g. a 1x long).
/// \test tests/liquidation/bracket_liquidation.cpp: on every bracket of Binance's BTCUSDT
///       table, with the published cum, the per-bracket price equals the full-table one.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>

namespace margincall {

/// One bracket's maintenance figures as a venue publishes them: MMR (a fraction) and the
/// maintenance amount cum (margin currency), so that MM = notional × MMR − cum in the bracket.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct bracket_margin {
    Real maintenance_rate{0};    ///< MMR, in [0, 1)
    Real maintenance_amount{0};  ///< cum, ≥ 0
};

namespace detail {

/// Adds a leg's bracket to the line f(u) = a + b·u: + cum to a, − n·MMR to b.
template <real_scalar Real>
constexpr void add_bracket(Real& a, Real& b, const Real& n, const Real& rate, const Real& amount) noexcept {
    a += amount;
    b -= n * rate;
}

/// The root u = −a/b of a bracket's line f(u) = a + b·u.
template <real_scalar Real>
[[nodiscard]] constexpr Real bracket_root(const Real& a, const Real& b) noexcept {
    return -a / b;
}

template <real_scalar Real>
void check_bracket(const char* where, const char* rate_name, const char* amount_name, const bracket_margin<Real>& b) {
    check_non_negative(where, rate_name, b.maintenance_rate);
    if (!(b.maintenance_rate < 1)) throw_invalid_argument(where, rate_name, b.maintenance_rate, "< 1");
    check_non_negative(where, amount_name, b.maintenance_amount);
}

/// The price at the root of a + b·u.
template <class Contract, real_scalar Real>
[[nodiscard]] Real bracket_price(const Real& a, const Real& b) {
    return to_u_price<Contract>(bracket_root(a, b));
}

}  // namespace detail

/// Liquidation price of a one-way position in the bracket (MMR, cum) given: Binance's
/// per-bracket formula (file comment), the rest of the account held at its marks.
/// \param position signed quantity ≠ 0, entry price > 0
/// \param balance WB / TMM1 / UPNL1 (isolated: WB = the isolated margin, the others 0)
/// \param bracket MMR in [0, 1), cum ≥ 0
/// \returns the formula's price; ≤ 0 when this bracket's line has no positive root
/// \throws invalid_argument on NaN, a zero quantity, a non-positive entry, a negative balance,
///         MMR outside [0, 1) or a negative cum
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] Real bracket_liquidation_price(const Contract& contract, const position_leg<Real>& position,
                                             const account_balance<Real>& balance, const bracket_margin<Real>& bracket) {
    constexpr const char* where = "bracket_liquidation_price";
    detail::check_leg(where, "quantity", "entry_price", position, false);
    detail::check_balance(where, balance);
    detail::check_bracket(where, "maintenance_rate", "maintenance_amount", bracket);
    const detail::u_leg<Real> l = detail::to_u(contract, position);
    Real a = balance.wallet_balance - balance.other_maintenance_margin + balance.other_unrealised_pnl;
    a += l.constant;
    Real b = l.slope;
    detail::add_bracket(a, b, l.n, bracket.maintenance_rate, bracket.maintenance_amount);
    return detail::bracket_price<Contract>(a, b);
}

/// Liquidation price of a hedge-mode pair, the long leg in bracket `long_bracket` and the short
/// leg in `short_bracket` (Binance's cumL, cumS, MMRL, MMRS), cross: both legs share it.
/// \param long_leg quantity ≥ 0; \param short_leg quantity ≤ 0 (not both 0)
/// \throws invalid_argument as bracket_liquidation_price, or for a leg on the wrong side
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] Real bracket_liquidation_price_hedged(const Contract& contract, const position_leg<Real>& long_leg,
                                                    const bracket_margin<Real>& long_bracket,
                                                    const position_leg<Real>& short_leg,
                                                    const bracket_margin<Real>& short_bracket,
                                                    const account_balance<Real>& balance) {
    constexpr const char* where = "bracket_liquidation_price_hedged";
    detail::check_hedged_legs(where, long_leg, short_leg);
    detail::check_balance(where, balance);
    detail::check_bracket(where, "long maintenance_rate", "long maintenance_amount", long_bracket);
    detail::check_bracket(where, "short maintenance_rate", "short maintenance_amount", short_bracket);
    const detail::u_leg<Real> l = detail::to_u(contract, long_leg);
    const detail::u_leg<Real> s = detail::to_u(contract, short_leg);
    Real a = balance.wallet_balance - balance.other_maintenance_margin + balance.other_unrealised_pnl;
    a += l.constant;
    a += s.constant;
    Real b = l.slope + s.slope;
    detail::add_bracket(a, b, l.n, long_bracket.maintenance_rate, long_bracket.maintenance_amount);
    detail::add_bracket(a, b, s.n, short_bracket.maintenance_rate, short_bracket.maintenance_amount);
    return detail::bracket_price<Contract>(a, b);
}

/// Bankruptcy price of a one-way position (equity = 0): the line with MMR = cum = 0 and
/// without TMM1. Bybit's isolated BP_long = EP × (1 − 1/leverage) is the case WB = IM.
/// \returns the formula's price; ≤ 0 when equity never reaches 0 on the losing side
/// \throws invalid_argument as bracket_liquidation_price
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] Real bracket_bankruptcy_price(const Contract& contract, const position_leg<Real>& position,
                                            const account_balance<Real>& balance) {
    constexpr const char* where = "bracket_bankruptcy_price";
    detail::check_leg(where, "quantity", "entry_price", position, false);
    detail::check_balance(where, balance);
    const detail::u_leg<Real> l = detail::to_u(contract, position);
    Real a = balance.wallet_balance + balance.other_unrealised_pnl;
    a += l.constant;
    return detail::bracket_price<Contract>(a, l.slope);
}

/// Bankruptcy price of a hedge-mode pair (equity = 0): equity is one line in u, so one price.
/// \throws invalid_argument as bracket_liquidation_price_hedged
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] Real bracket_bankruptcy_price_hedged(const Contract& contract, const position_leg<Real>& long_leg,
                                                   const position_leg<Real>& short_leg,
                                                   const account_balance<Real>& balance) {
    constexpr const char* where = "bracket_bankruptcy_price_hedged";
    detail::check_hedged_legs(where, long_leg, short_leg);
    detail::check_balance(where, balance);
    const detail::u_leg<Real> l = detail::to_u(contract, long_leg);
    const detail::u_leg<Real> s = detail::to_u(contract, short_leg);
    Real a = balance.wallet_balance + balance.other_unrealised_pnl;
    a += l.constant;
    a += s.constant;
    return detail::bracket_price<Contract>(a, Real(l.slope + s.slope));
}

}  // namespace margincall
