#pragma once
/// \file
/// What the closed-form liquidation prices take: the rest of the account (Binance's WB, TMM1,
/// UPNL1), a position leg, and the options (closing-fee buffer, where MM is valued), with the
/// checks every entry point applies to them.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// The rest of the account, held at the current marks (Binance's WB, TMM1, UPNL1), all in the
/// contract's margin currency. Isolated margin: `wallet_balance` is the position's isolated
/// margin (initial margin + any added margin) and the two others are 0.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct account_balance {
    Real wallet_balance{0};            ///< WB: cross wallet balance, or the isolated margin; ≥ 0
    Real other_maintenance_margin{0};  ///< TMM1: maintenance margin of all other positions; ≥ 0
    Real other_unrealised_pnl{0};      ///< UPNL1: unrealised PnL of all other positions
};

/// One leg of a position: signed quantity (+ long, − short; contracts or base units as the
/// contract counts them) and its average entry price.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct position_leg {
    Real quantity{0};
    Real entry_price{0};
};

/// At which price the maintenance margin is valued.
enum class margin_valuation {
    mark,  ///< at the price being evaluated: MM(LP) (Binance; tier chosen by the notional at LP)
    entry  ///< at the entry price, a constant: MM = Q·EP·MMR − deduction (Bybit isolated:
           ///< "LP = EP − (IM − MM)/Q", PositionValue = Q × EP)
};

/// Where the closing-fee buffer is valued.
enum class fee_valuation {
    liquidation_price,  ///< fee = rate × notional at the liquidation price (OKX-style buffer)
    bankruptcy_price    ///< fee = rate × notional at the bankruptcy price (Bybit inverse: "Qty × 0.00075 / BP")
};

/// Options of the closed forms.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct liquidation_options {
    Real closing_fee_rate{0};  ///< liquidation fee / closing cost as a fraction of notional, in [0, 1)
    fee_valuation fee_at{fee_valuation::liquidation_price};
    margin_valuation valuation{margin_valuation::mark};
};

namespace detail {

template <real_scalar Real>
void check_balance(const char* where, const account_balance<Real>& b) {
    check_non_negative(where, "wallet_balance", b.wallet_balance);
    check_non_negative(where, "other_maintenance_margin", b.other_maintenance_margin);
    check_finite(where, "other_unrealised_pnl", b.other_unrealised_pnl);
}

template <real_scalar Real>
void check_leg(const char* where, const char* quantity_name, const char* entry_name, const position_leg<Real>& leg,
               bool allow_zero) {
    check_finite(where, quantity_name, leg.quantity);
    if (!allow_zero && leg.quantity == 0) throw_invalid_argument(where, quantity_name, leg.quantity, "non-zero");
    check_positive(where, entry_name, leg.entry_price);
}

// The two legs of a hedge-mode position: a long leg ≥ 0 and a short leg ≤ 0, not both 0.
template <real_scalar Real>
void check_hedged_legs(const char* where, const position_leg<Real>& long_leg, const position_leg<Real>& short_leg) {
    check_leg(where, "long quantity", "long entry_price", long_leg, true);
    check_leg(where, "short quantity", "short entry_price", short_leg, true);
    if (long_leg.quantity < 0) throw_invalid_argument(where, "long quantity", long_leg.quantity, ">= 0");
    if (short_leg.quantity > 0) throw_invalid_argument(where, "short quantity", short_leg.quantity, "<= 0");
    if (long_leg.quantity == 0 && short_leg.quantity == 0)
        throw_invalid_argument(where, "long quantity", long_leg.quantity, "non-zero when the short quantity is 0");
}

template <real_scalar Real>
void check_options(const char* where, const liquidation_options<Real>& o) {
    check_non_negative(where, "closing_fee_rate", o.closing_fee_rate);
    if (!(o.closing_fee_rate < 1)) throw_invalid_argument(where, "closing_fee_rate", o.closing_fee_rate, "< 1");
}


}  // namespace detail

}  // namespace margincall
