#pragma once
/// \file
/// Linear (USDⓈ-margined) contracts: PnL, notional and value are linear in price.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// A linear contract: one contract is `multiplier` units of the base asset, margined and
/// settled in the quote currency.
///
///   PnL      = q × m × (P − E)          notional = |q| × m × P          value = q × m × P
///
/// Source: Binance USDⓈ-M "notional = mark × size"; Bybit USDT contracts (docs/contracts.md).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class linear_contract {
public:
    /// \param multiplier base units per contract (1 for BTCUSDT quantities in BTC); finite and > 0.
    explicit linear_contract(Real multiplier = Real(1)) : multiplier_(multiplier) {
        check_positive("linear_contract", "multiplier", multiplier_);
    }
    [[nodiscard]] constexpr Real multiplier() const noexcept { return multiplier_; }
    [[nodiscard]] static constexpr margin_currency currency() noexcept { return margin_currency::quote; }

    /// Signed PnL of `quantity` contracts bought at `entry` and valued at `price`.
    [[nodiscard]] constexpr Real pnl(Real quantity, Real entry, Real price) const noexcept {
        return quantity * multiplier_ * (price - entry);
    }
    /// |quantity| × multiplier × price, in quote currency.
    [[nodiscard]] constexpr Real notional(Real quantity, Real price) const noexcept {
        return (quantity < 0 ? -quantity : quantity) * multiplier_ * price;
    }
    /// quantity × multiplier × price (negative for shorts), in quote currency.
    [[nodiscard]] constexpr Real value(Real quantity, Real price) const noexcept {
        return quantity * multiplier_ * price;
    }

private:
    Real multiplier_;
};

}  // namespace margincall
