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
/// in dev.binance.vision thread 17801, https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801):
///   PnlPercent = max(0, UPnL) / max(1, WB), MarginRatio = MM / (WB + UPnL) if WB + UPnL > 0 else 0,
///   LeveragePnl = PnlPercent × MarginRatio
/// (Binance multiplies by its margin ratio, not by BitMEX's effective leverage). Both rankings
/// expose their components (binance_adl_components, bitmex_adl_components) and accept the
/// leverage term the venue publishes (the margin ratio Binance shows, the effective leverage
/// BitMEX shows) instead of the computed one.
/// Fills carry their price: ADL closes at the bankruptcy price of the liquidated order (Binance
/// FAQ above: "closed out at the bankruptcy price of the initial liquidated order"; BitMEX: "at
/// the bankruptcy price of the liquidated position").
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

/// The terms of a BitMEX ranking: PNL%, effective leverage and the score they make.
template <real_scalar Real = double>
struct bitmex_adl_components {
    Real pnl_percent{0};         ///< (MarkValue − AvgEntryValue) / |AvgEntryValue|
    Real effective_leverage{0};  ///< |MarkValue| / (MarkValue − BankruptValue), computed or as published
    Real score{0};               ///< PNL% × EL if PNL% > 0, PNL% / EL otherwise (0 when EL is 0)
};

/// The BitMEX score from its two terms: PNL% × EL if PNL% > 0, PNL% / EL otherwise; 0 when EL ≤ 0
/// (a flat position or one at its bankruptcy price). The one place the BitMEX rule is written.
template <real_scalar Real>
[[nodiscard]] bitmex_adl_components<Real> bitmex_adl_from_terms(Real pnl_percent, Real effective_leverage) noexcept {
    bitmex_adl_components<Real> c{pnl_percent, effective_leverage, Real(0)};
    if (!(effective_leverage > 0)) return c;
    c.score = pnl_percent > 0 ? pnl_percent * effective_leverage : pnl_percent / effective_leverage;
    return c;
}

/// BitMEX ranking terms of one position from its signed mark, entry and bankruptcy values
/// (q × price for a linear contract). PNL% is 0 for a zero entry value; EL is 0 at or beyond the
/// bankruptcy value (no cushion), and then the score is 0.
template <real_scalar Real>
[[nodiscard]] bitmex_adl_components<Real> bitmex_adl_breakdown(Real mark_value, Real entry_value, Real bankrupt_value) noexcept {
    const Real abs_entry = entry_value < 0 ? -entry_value : entry_value;
    const Real cushion = mark_value - bankrupt_value;
    if (!(abs_entry > 0) || !(cushion > 0)) return {};
    const Real pnl_percent = (mark_value - entry_value) / abs_entry;
    return bitmex_adl_from_terms(pnl_percent, (mark_value < 0 ? -mark_value : mark_value) / cushion);
}

/// BitMEX ADL ranking score of one position from its signed mark, entry and bankruptcy values.
/// Returns 0 for a flat position (MarkValue = BankruptValue) or a zero entry value.
template <real_scalar Real>
[[nodiscard]] Real bitmex_adl_score(Real mark_value, Real entry_value, Real bankrupt_value) noexcept {
    return bitmex_adl_breakdown(mark_value, entry_value, bankrupt_value).score;
}

/// BitMEX ranking with the effective leverage the venue publishes for the position.
/// \throws margincall::invalid_argument unless the values are finite, |entry_value| > 0 and the
///         published leverage is finite and > 0
template <real_scalar Real>
[[nodiscard]] bitmex_adl_components<Real> bitmex_adl_published(Real mark_value, Real entry_value,
                                                               Real published_effective_leverage) {
    constexpr const char* where = "bitmex_adl_published";
    check_finite(where, "mark_value", mark_value);
    check_finite(where, "entry_value", entry_value);
    check_positive(where, "published_effective_leverage", published_effective_leverage);
    const Real abs_entry = entry_value < 0 ? -entry_value : entry_value;
    check_positive(where, "|entry_value|", abs_entry);
    return bitmex_adl_from_terms((mark_value - entry_value) / abs_entry, published_effective_leverage);
}

/// The terms of a Binance ranking: PnlPercent, MarginRatio and LeveragePnl = their product.
template <real_scalar Real = double>
struct binance_adl_components {
    Real pnl_percent{0};   ///< max(0, UPnL) / max(1, WB)
    Real margin_ratio{0};  ///< MM / (WB + UPnL) (0 when WB + UPnL ≤ 0), computed or as published
    Real score{0};         ///< LeveragePnl = pnl_percent × margin_ratio
};

/// Binance's PnlPercent: max(0, UPnL) / max(1, WB).
template <real_scalar Real>
[[nodiscard]] Real binance_pnl_percent(Real unrealised_pnl, Real wallet_balance) noexcept {
    return (unrealised_pnl > 0 ? unrealised_pnl : Real(0)) / (wallet_balance > 1 ? wallet_balance : Real(1));
}

/// The Binance score from its terms: LeveragePnl = PnlPercent(UPnL, WB) × margin ratio. The one
/// place the Binance rule is written.
template <real_scalar Real>
[[nodiscard]] binance_adl_components<Real> binance_adl_from_terms(Real unrealised_pnl, Real wallet_balance,
                                                                  Real margin_ratio) noexcept {
    const Real pnl_percent = binance_pnl_percent(unrealised_pnl, wallet_balance);
    return {pnl_percent, margin_ratio, pnl_percent * margin_ratio};
}

/// Binance ADL terms of one position, the margin ratio computed: MM / (WB + UPnL), 0 when WB + UPnL ≤ 0.
template <real_scalar Real>
[[nodiscard]] binance_adl_components<Real> binance_adl_breakdown(Real unrealised_pnl, Real wallet_balance,
                                                                 Real maintenance_margin) noexcept {
    const Real equity = wallet_balance + unrealised_pnl;
    return binance_adl_from_terms(unrealised_pnl, wallet_balance, equity > 0 ? maintenance_margin / equity : Real(0));
}

/// Binance ADL "LeveragePnl" of one position.
template <real_scalar Real>
[[nodiscard]] Real binance_adl_score(Real unrealised_pnl, Real wallet_balance, Real maintenance_margin) noexcept {
    return binance_adl_breakdown(unrealised_pnl, wallet_balance, maintenance_margin).score;
}

/// Binance ADL terms with the margin ratio the venue publishes (as a fraction: 13.42 % is 0.1342)
/// instead of MM / (WB + UPnL).
/// \throws margincall::invalid_argument unless UPnL and WB are finite and the ratio is finite and ≥ 0
template <real_scalar Real>
[[nodiscard]] binance_adl_components<Real> binance_adl_published(Real unrealised_pnl, Real wallet_balance,
                                                                 Real published_margin_ratio) {
    constexpr const char* where = "binance_adl_published";
    check_finite(where, "unrealised_pnl", unrealised_pnl);
    check_finite(where, "wallet_balance", wallet_balance);
    check_non_negative(where, "published_margin_ratio", published_margin_ratio);
    return binance_adl_from_terms(unrealised_pnl, wallet_balance, published_margin_ratio);
}

/// One ADL fill: the account (index into the ranked arrays), the quantity closed and its price,
/// the bankruptcy price of the liquidated side (0 from the three-argument auto_deleverage, which
/// is not told the price).
template <real_scalar Real = double>
struct adl_fill {
    std::size_t account;
    Real quantity;
    Real price{0};
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

namespace detail {
template <real_scalar Real>
[[nodiscard]] std::vector<adl_fill<Real>> deleverage_at(const char* where, std::span<const Real> scores,
                                                        std::span<const Real> sizes, Real quantity, Real price) {
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
        fills.push_back({i, take, price});
        left -= take;
    }
    return fills;
}
}  // namespace detail

/// Deleverages `quantity` from the ranked accounts: highest score first, each up to its size.
/// Returns the fills (price 0: this overload is not told the price); their sum is min(quantity, Σ sizes).
/// \throws margincall::invalid_argument on mismatched sizes, NaN, a negative size or quantity
template <real_scalar Real>
[[nodiscard]] std::vector<adl_fill<Real>> auto_deleverage(std::span<const Real> scores, std::span<const Real> sizes,
                                                          Real quantity) {
    return detail::deleverage_at("auto_deleverage", scores, sizes, quantity, Real(0));
}

/// As above, each fill at `bankruptcy_price`, the bankruptcy price of the liquidated order the
/// deleveraged positions take over (the venues' rule: no fee, no market price).
/// \throws margincall::invalid_argument as above, or unless bankruptcy_price is finite and > 0
template <real_scalar Real>
[[nodiscard]] std::vector<adl_fill<Real>> auto_deleverage(std::span<const Real> scores, std::span<const Real> sizes,
                                                          Real quantity, Real bankruptcy_price) {
    check_positive("auto_deleverage", "bankruptcy_price", bankruptcy_price);
    return detail::deleverage_at("auto_deleverage", scores, sizes, quantity, bankruptcy_price);
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
