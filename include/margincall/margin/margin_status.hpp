#pragma once
/// \file
/// Margin-call status of one margin pool (a cross account or one isolated position): margin
/// ratio, status levels, call amount and available balance, from equity, IM and MM.
/// Every evaluation in margincall (live accounts, order previews, batch re-marks) ends here,
/// so the rule set exists once.

#include <margincall/core/always_inline.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstddef>
#include <limits>
#include <string_view>
#include <utility>

namespace margincall {

/// Where a margin pool stands, from safest to worst: the one status vocabulary of margincall.
/// Per-position rate models (margin/, the calculator's default) and the layered book models of
/// stress/ (layered_margin) both classify into it (docs/policies.md, "One status vocabulary").
enum class margin_status : unsigned char {
    healthy,      ///< margin ratio below the warning level (layered models: equity ≥ IM)
    warning,      ///< warning level ≤ margin ratio < call level
    margin_call,  ///< call level ≤ margin ratio, equity still above MM (or equity < IM, if configured)
    reduce_only,  ///< equity ≤ MM but above the liquidation level: reduce-only and an immediate call
                  ///< (only with a liquidation level below MM, e.g. a layered model's buffer)
    liquidation   ///< equity ≤ liquidation level (MM unless a buffer lowers it), or equity ≤ 0
};

/// Number of margin_status values (for tables indexed by status).
inline constexpr std::size_t margin_status_count = 5;

/// Human-readable name of a status ("healthy", "warning", "margin_call", "reduce_only", "liquidation").
[[nodiscard]] constexpr const char* to_string(margin_status s) noexcept {
    switch (s) {
        case margin_status::healthy: return "healthy";
        case margin_status::warning: return "warning";
        case margin_status::margin_call: return "margin_call";
        case margin_status::reduce_only: return "reduce_only";
        case margin_status::liquidation: return "liquidation";
    }
    return "unknown";
}

/// Status levels on the margin ratio r = MM / equity. Valid when
/// 0 < warning_ratio ≤ call_ratio ≤ 1 (check with check_status_thresholds).
/// The defaults (0.5, 0.8) are margincall's own illustrative levels, not a venue's.
template <real_scalar Real = double>
struct status_thresholds {
    Real warning_ratio = Real(0.5);  ///< r at which the pool is in warning
    Real call_ratio = Real(0.8);     ///< r at which the pool is in margin call
    bool call_below_initial = false; ///< also call when equity < IM (below liquidation)
};

/// Throws margincall::invalid_argument unless 0 < warning_ratio ≤ 1 and
/// warning_ratio ≤ call_ratio ≤ 1 (NaN fails).
template <real_scalar Real>
void check_status_thresholds(const char* where, const status_thresholds<Real>& t) {
    if (!(t.warning_ratio > 0 && t.warning_ratio <= 1))
        throw_invalid_argument(where, "warning_ratio", t.warning_ratio, "in (0, 1]");
    check_in_closed(where, "call_ratio", t.call_ratio, t.warning_ratio, Real(1));
}

/// The figures of one margin pool at one set of marks.
template <real_scalar Real = double>
struct margin_summary {
    Real equity{};              ///< collateral + unrealised PnL
    Real initial_margin{};      ///< Σ IM of the pool's positions
    Real maintenance_margin{};  ///< Σ MM of the pool's positions
    Real margin_ratio{};        ///< MM / equity; +∞ when equity ≤ 0
    Real call_amount{};         ///< max(0, IM − equity): the deposit that restores equity to IM
    Real available_balance{};   ///< max(0, equity − IM): what new positions or withdrawals may use
    margin_status status = margin_status::healthy;
};

/// The margin ratio MM / equity, +∞ when equity ≤ 0 (a pool with no equity is bankrupt).
/// +∞ is also the answer when MM / equity exceeds the largest Real (a positive but subnormal
/// equity): the limit of the ratio as equity → 0⁺, in the same status (liquidation), so the
/// sentinel is documented rather than an error on this noexcept hot path (issue #14, class 4).
/// Source: Binance "Margin Ratio = Maintenance Margin / Margin Balance"; a ratio ≥ 1 means
/// liquidation (docs/margin.md, "Margin ratio").
template <real_scalar Real>
[[nodiscard]] constexpr Real margin_ratio(const Real& maintenance_margin, const Real& equity) noexcept {
    if (!(equity > 0)) return std::numeric_limits<Real>::infinity();
    return maintenance_margin / equity;
}

/// max(0, IM − equity), exactly 0 whenever equity ≥ IM: in IEEE arithmetic the difference
/// of two finite numbers is ≤ 0 exactly when the minuend is ≤ the subtrahend (its sign is never
/// rounded away), so the select below is the comparison, without a branch. NaN propagates.
template <real_scalar Real>
[[nodiscard]] MARGINCALL_ALWAYS_INLINE constexpr Real call_amount(const Real& initial_margin, const Real& equity) noexcept {
    const Real shortfall = initial_margin - equity;
    return shortfall <= Real(0) ? Real(0) : shortfall;
}

/// max(0, equity − IM), exactly 0 whenever equity ≤ IM (as call_amount). NaN propagates.
template <real_scalar Real>
[[nodiscard]] constexpr Real available_balance(const Real& initial_margin, const Real& equity) noexcept {
    const Real excess = equity - initial_margin;
    return excess <= Real(0) ? Real(0) : excess;
}

/// The status rule set (docs/margin.md, "Status"), first match wins:
///   liquidation  if equity ≤ 0 or equity ≤ liquidation_level        (r ≥ MM / level)
///   reduce_only  if equity ≤ MM                                      (r ≥ 1, above the level)
///   margin_call  if MM ≥ call_ratio × equity, or (call_below_initial and equity < IM)
///   warning      if MM ≥ warning_ratio × equity
///   healthy      otherwise
/// `liquidation_level` is MM for per-position rate models (so reduce_only never occurs) and
/// MM × (1 − buffer) for a layered model (stress/layered_margin.hpp); 0 ≤ level ≤ MM.
/// The levels on r = MM / equity are tested as products (equity > 0 there), so no division
/// and no branch: the batch re-mark and the account evaluation both run this function.
/// Thresholds must have passed check_status_thresholds.
template <real_scalar Real>
[[nodiscard]] MARGINCALL_ALWAYS_INLINE constexpr margin_status classify_margin(const Real& equity, const Real& initial_margin,
                                                     const Real& maintenance_margin,
                                                     const status_thresholds<Real>& t,
                                                     const Real& liquidation_level) noexcept {
    // Bitwise on 0/1 integers, not short-circuit logic: no control flow, so a batch loop vectorises.
    const unsigned liquidation =
        static_cast<unsigned>(!(equity > 0)) | static_cast<unsigned>(equity <= liquidation_level);
    const unsigned reduce = static_cast<unsigned>(equity <= maintenance_margin);
    const unsigned call = static_cast<unsigned>(maintenance_margin >= t.call_ratio * equity) |
                          (static_cast<unsigned>(t.call_below_initial) & static_cast<unsigned>(equity < initial_margin));
    const unsigned warning = static_cast<unsigned>(maintenance_margin >= t.warning_ratio * equity);
    // The first match wins, as masks (0 or all ones) rather than ?: selects: g++ 12 keeps a
    // select chain as control flow and then refuses to vectorise the loop around it.
    const unsigned call_mask = 0u - call, reduce_mask = 0u - reduce, liquidation_mask = 0u - liquidation;
    unsigned level = warning;
    level = (level & ~call_mask) | (2u & call_mask);
    level = (level & ~reduce_mask) | (3u & reduce_mask);
    level = (level & ~liquidation_mask) | (4u & liquidation_mask);
    return static_cast<margin_status>(level);
}

/// The rule set with the liquidation level at MM (per-position rate models: no reduce_only band).
template <real_scalar Real>
[[nodiscard]] MARGINCALL_ALWAYS_INLINE constexpr margin_status classify_margin(const Real& equity, const Real& initial_margin,
                                                     const Real& maintenance_margin,
                                                     const status_thresholds<Real>& t) noexcept {
    return classify_margin(equity, initial_margin, maintenance_margin, t, maintenance_margin);
}

/// All figures of a margin pool from its equity, IM, MM and liquidation level (≤ MM).
template <real_scalar Real>
[[nodiscard]] constexpr margin_summary<Real> summarise_margin(const Real& equity, const Real& initial_margin,
                                                              const Real& maintenance_margin,
                                                              const status_thresholds<Real>& t,
                                                              const Real& liquidation_level) noexcept {
    margin_summary<Real> s;
    s.equity = equity;
    s.initial_margin = initial_margin;
    s.maintenance_margin = maintenance_margin;
    s.margin_ratio = margin_ratio(maintenance_margin, equity);
    s.call_amount = call_amount(initial_margin, equity);
    s.available_balance = available_balance(initial_margin, equity);
    s.status = classify_margin(equity, initial_margin, maintenance_margin, t, liquidation_level);
    return s;
}

/// Refuses a pool whose money figures left the range of Real: a position's value at the marks
/// near the largest double (fuzzer: a quantity of −5.65e303 marked at 31,000 gave an equity of
/// −1.75e308 and a call amount IM − equity of +∞). The margin ratio may be +∞ by design.
/// \throws margincall::numeric_error naming the pool and the figure
template <real_scalar Real>
void check_summary_finite(const char* where, std::string_view pool, const margin_summary<Real>& s) {
    const std::pair<const char*, const Real*> figures[] = {{"equity", &s.equity},
                                                          {"initial margin", &s.initial_margin},
                                                          {"maintenance margin", &s.maintenance_margin},
                                                          {"call amount", &s.call_amount},
                                                          {"available balance", &s.available_balance}};
    for (const auto& [name, value] : figures)
        if (!detail::is_finite(*value))
            throw_numeric_error(where, detail::message(pool, "'s ", name), *value,
                                   "finite (the positions' value at these marks is beyond the working precision's range)");
}

/// All figures of a margin pool from its equity, IM and MM (liquidation level = MM).
template <real_scalar Real>
[[nodiscard]] constexpr margin_summary<Real> summarise_margin(const Real& equity, const Real& initial_margin,
                                                              const Real& maintenance_margin,
                                                              const status_thresholds<Real>& t) noexcept {
    return summarise_margin(equity, initial_margin, maintenance_margin, t, maintenance_margin);
}

}  // namespace margincall
