#pragma once
/// \file
/// The maintenance amount ("cum") recursion of notional brackets, one step, so that a venue's
/// published cum column can be reproduced (or a lone bracket's cum computed) without building a
/// whole tier_schedule, which applies the same step to every tier.
///
///   cum_1 = 0,   cum_i = cum_{i−1} + floor_i × (MMR_i − MMR_{i−1})
///
/// It makes MM = notional × MMR − cum continuous at every floor. Source: Binance FAQ "How to
/// Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93, worked example:
/// level 3 = 250,000 × (1 % − 0.5 %) + 50 = 1,300 USDT); derivation in docs/tiers.md.
/// \test tests/tiers/tier_schedule.cpp: the published cums of Binance's BTCUSDT table.

#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// The maintenance amount of a bracket from the previous bracket's amount and rate:
/// previous_amount + floor × (rate − previous_rate). For the first bracket pass 0, 0.
/// \param previous_amount cum_{i−1}; \param previous_rate MMR_{i−1}
/// \param floor floor_i (notional); \param rate MMR_i
template <real_scalar Real>
[[nodiscard]] constexpr Real next_maintenance_amount(const Real& previous_amount, const Real& previous_rate,
                                                     const Real& floor, const Real& rate) noexcept {
    return previous_amount + floor * (rate - previous_rate);
}

}  // namespace margincall
