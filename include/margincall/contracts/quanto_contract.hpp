#pragma once
/// \file
/// Quanto contracts: PnL linear in the index price, paid in a third (settlement) currency
/// at a fixed rate.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// A quanto contract: each contract pays `multiplier` units of the settlement currency per
/// one point of the index (BitMEX ETHUSD: 0.000001 XBT per 1 USD), so
///
///   PnL      = q × M × (P − E)          notional = |q| × M × P          value = q × M × P
///
/// all in the settlement currency; no exchange rate enters (that is the quanto feature).
/// Source: BitMEX "Quanto futures" contract guide (docs/contracts.md).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class quanto_contract {
public:
    /// \param multiplier settlement units per contract per index point; finite and > 0.
    explicit quanto_contract(Real multiplier) : multiplier_(multiplier) {
        check_positive("quanto_contract", "multiplier", multiplier_);
    }
    [[nodiscard]] constexpr Real multiplier() const noexcept { return multiplier_; }
    [[nodiscard]] static constexpr margin_currency currency() noexcept { return margin_currency::settlement; }

    [[nodiscard]] constexpr Real pnl(Real quantity, Real entry, Real price) const noexcept {
        return quantity * multiplier_ * (price - entry);
    }
    [[nodiscard]] constexpr Real notional(Real quantity, Real price) const noexcept {
        return (quantity < 0 ? -quantity : quantity) * multiplier_ * price;
    }
    [[nodiscard]] constexpr Real value(Real quantity, Real price) const noexcept {
        return quantity * multiplier_ * price;
    }

private:
    Real multiplier_;
};

}  // namespace margincall
