#pragma once
/// \file
/// The `contract` concept: the contract math a position delegates to (PnL, notional, value),
/// and the currency its margin is held in.

#include <margincall/core/real_scalar.hpp>

#include <concepts>

namespace margincall {

/// Which currency a contract's margin, PnL and notional are counted in.
enum class margin_currency {
    quote,      ///< linear (USDⓈ-margined): USDT for BTCUSDT
    base,       ///< inverse (coin-margined): BTC for BTCUSD
    settlement  ///< quanto: a third currency fixed by the contract (XBT for BitMEX ETHUSD)
};

/// A contract policy: for a signed quantity (contracts, + long / − short) it gives the PnL
/// between two prices, the notional (≥ 0) and the signed position value at a price, all in
/// the contract's margin currency.
template <class C, class Real>
concept contract = real_scalar<Real> && requires(const C& c, Real quantity, Real price, Real entry) {
    { c.pnl(quantity, entry, price) } -> std::convertible_to<Real>;
    { c.notional(quantity, price) } -> std::convertible_to<Real>;
    { c.value(quantity, price) } -> std::convertible_to<Real>;
    { c.currency() } -> std::same_as<margin_currency>;
};

}  // namespace margincall
