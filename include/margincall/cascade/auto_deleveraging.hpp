#pragma once
/// \file
/// Auto-deleveraging (ADL): when a liquidation closes beyond the bankruptcy price and the
/// insurance fund cannot pay, the venue closes profitable positions of the opposite side, in
/// the order of a published ranking, at the bankruptcy price of the liquidated order.
///
/// BitMEX ranking (https://www.bitmex.com/app/autoDeleveraging):
///   PNL% = (MarkValue − AvgEntryValue) / |AvgEntryValue|,
///   EffectiveLeverage = |MarkValue| / (MarkValue − BankruptValue),
///   Ranking = PNL% × EffectiveLeverage if PNL% > 0, PNL% / EffectiveLeverage otherwise;
/// values are signed position values (q × price for a linear contract).
/// Binance ranking (https://www.binance.com/en/support/faq/360033525471, exact terms as quoted
/// in dev.binance.vision thread 17801):
///   PnlPercent = max(0, UPnL) / max(1, WB), MarginRatio = MM / (WB + UPnL) if WB + UPnL > 0 else 0,
///   LeveragePnl = PnlPercent × MarginRatio.
/// Matching: the quantity to deleverage is taken from the ranked accounts in order, highest
/// score first (ties: lower account index first), each up to its size (BitMEX worked example,
/// https://www.bitmex.com/app/autoDeleveragingExamples). The queue indicator shows the
/// cumulative-quantity quintile: ⌈5 · (quantity ranked at or above) / total⌉ × 20 %, which
/// reproduces the example's published percentages.
/// \test tests/cascade/auto_deleveraging.cpp: the BitMEX worked example exactly.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <vector>

namespace margincall {

/// Which published ranking orders the ADL queue.
enum class adl_ranking : unsigned char {
    bitmex,  ///< PNL% × effective leverage
    binance  ///< max(0, UPnL)/max(1, WB) × MM/(WB + UPnL)
};

/// BitMEX ADL ranking score of one position from its signed mark, entry and bankruptcy values.
/// Returns 0 for a flat position (MarkValue = BankruptValue) or a zero entry value.
template <real_scalar Real>
[[nodiscard]] Real bitmex_adl_score(Real mark_value, Real entry_value, Real bankrupt_value) noexcept {
    const Real abs_entry = entry_value < 0 ? -entry_value : entry_value;
    const Real cushion = mark_value - bankrupt_value;
    if (!(abs_entry > 0) || !(cushion > 0)) return Real(0);
    const Real pnl_percent = (mark_value - entry_value) / abs_entry;
    const Real effective_leverage = (mark_value < 0 ? -mark_value : mark_value) / cushion;
    if (!(effective_leverage > 0)) return Real(0);
    return pnl_percent > 0 ? pnl_percent * effective_leverage : pnl_percent / effective_leverage;
}

/// Binance ADL "LeveragePnl" of one position.
template <real_scalar Real>
[[nodiscard]] Real binance_adl_score(Real unrealised_pnl, Real wallet_balance, Real maintenance_margin) noexcept {
    const Real pnl_percent = (unrealised_pnl > 0 ? unrealised_pnl : Real(0)) / (wallet_balance > 1 ? wallet_balance : Real(1));
    const Real equity = wallet_balance + unrealised_pnl;
    const Real margin_ratio = equity > 0 ? maintenance_margin / equity : Real(0);
    return pnl_percent * margin_ratio;
}

/// One ADL fill: the account (index into the ranked arrays) and the quantity closed.
template <real_scalar Real = double>
struct adl_fill {
    std::size_t account;
    Real quantity;
};

/// Ranks accounts by score, highest first, ties by lower index; returns the order.
template <real_scalar Real>
[[nodiscard]] std::vector<std::size_t> adl_order(std::span<const Real> scores) {
    check_all_finite("adl_order", "scores", scores);
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    return order;
}

/// Deleverages `quantity` from the ranked accounts: highest score first, each up to its size.
/// Returns the fills; their sum is min(quantity, Σ sizes).
/// \throws margincall::invalid_argument on mismatched sizes, NaN, a negative size or quantity
template <real_scalar Real>
[[nodiscard]] std::vector<adl_fill<Real>> auto_deleverage(std::span<const Real> scores, std::span<const Real> sizes,
                                                          Real quantity) {
    constexpr const char* where = "auto_deleverage";
    if (scores.size() != sizes.size())
        throw_invalid_argument(where, "the size of sizes", sizes.size(),
                               detail::message("the size of scores (", scores.size(), ")").c_str());
    check_non_negative(where, "quantity", quantity);
    for (std::size_t i = 0; i < sizes.size(); ++i) check_non_negative(where, detail::message("sizes[", i, "]"), sizes[i]);
    std::vector<adl_fill<Real>> fills;
    Real left = quantity;
    for (const std::size_t i : adl_order(scores)) {
        if (!(left > 0)) break;
        if (!(sizes[i] > 0)) continue;
        const Real take = sizes[i] < left ? sizes[i] : left;
        fills.push_back({i, take});
        left -= take;
    }
    return fills;
}

/// The ADL queue indicator of each account in percent (20, 40, 60, 80, 100): the quintile of
/// the cumulative quantity ranked at or above it.
/// \throws margincall::invalid_argument as auto_deleverage, or if all sizes are 0
template <real_scalar Real>
[[nodiscard]] std::vector<int> adl_indicator(std::span<const Real> scores, std::span<const Real> sizes) {
    constexpr const char* where = "adl_indicator";
    if (scores.size() != sizes.size())
        throw_invalid_argument(where, "the size of sizes", sizes.size(),
                               detail::message("the size of scores (", scores.size(), ")").c_str());
    Real total{0};
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        check_non_negative(where, detail::message("sizes[", i, "]"), sizes[i]);
        total += sizes[i];
    }
    check_positive(where, "the total size", total);
    std::vector<int> indicator(sizes.size());
    Real cumulative{0};
    using std::ceil;
    for (const std::size_t i : adl_order(scores)) {
        cumulative += sizes[i];
        const int quintile = static_cast<int>(ceil(Real(5) * cumulative / total));
        indicator[i] = 20 * (quintile < 1 ? 1 : (quintile > 5 ? 5 : quintile));
    }
    return indicator;
}

}  // namespace margincall
