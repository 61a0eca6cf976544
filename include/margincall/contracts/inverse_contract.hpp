#pragma once
/// \file
/// Inverse (coin-margined) contracts: a contract is worth a fixed amount of quote currency
/// and is margined and settled in the base coin.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// An inverse contract: one contract is worth `contract_value` units of quote currency
/// (100 USD for Binance BTCUSD), margined in the base coin.
///
///   PnL      = q × CV × (1/E − 1/P)     notional = |q| × CV / P     value = q × CV / P
///
/// Source: Binance COIN-M "notional = contracts × multiplier / mark"; BitMEX inverse PnL
/// (docs/contracts.md). Long PnL is bounded by q × CV / E as P → ∞; short loss is unbounded.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class inverse_contract {
public:
    /// \param contract_value quote units per contract (100 for BTCUSD); finite and > 0.
    explicit inverse_contract(Real contract_value = Real(1)) : contract_value_(contract_value) {
        check_positive("inverse_contract", "contract_value", contract_value_);
    }
    [[nodiscard]] constexpr Real contract_value() const noexcept { return contract_value_; }
    [[nodiscard]] static constexpr margin_currency currency() noexcept { return margin_currency::base; }

    /// Signed PnL in coin of `quantity` contracts entered at `entry`, valued at `price`.
    [[nodiscard]] constexpr Real pnl(Real quantity, Real entry, Real price) const noexcept {
        return quantity * contract_value_ * (Real(1) / entry - Real(1) / price);
    }
    /// |quantity| × CV / price, in coin.
    [[nodiscard]] constexpr Real notional(Real quantity, Real price) const noexcept {
        return (quantity < 0 ? -quantity : quantity) * contract_value_ / price;
    }
    /// quantity × CV / price (negative for shorts), in coin.
    [[nodiscard]] constexpr Real value(Real quantity, Real price) const noexcept {
        return quantity * contract_value_ / price;
    }

private:
    Real contract_value_;
};

}  // namespace margincall
