#pragma once
/// \file
/// A tier schedule compiled for the hot path: fixed-size arrays and a branch-free tier
/// lookup, with noexcept initial margin, so a batch re-mark over millions of positions never
/// branches on tiers, never allocates and never throws per position.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <array>
#include <cstddef>
#include <limits>
#include <span>

namespace margincall {

/// The brackets of a validated tier_schedule in fixed arrays of `MaxTiers` (unused slots
/// padded with a NaN floor, which no size compares ≥ to). Gives the same MM and max leverage as the schedule it was
/// built from, and IM = notional / min(leverage, max leverage of the tier): the schedule's IM at
/// the effective leverage, which is what position::initial_margin charges.
///
/// Differences from tier_schedule, both for the batch path: the tier index is a branch-free
/// binary search over all MaxTiers slots (constant work, no mispredictions), and
/// initial_margin never throws: a leverage above the tier's maximum is charged at the maximum
/// (as position::initial_margin does) instead of refused. Beyond the last cap both charge the
/// last tier (a live position can be carried there by the price; it is flagged by its margin
/// status, not by an exception). A NaN size maps to the first tier.
/// \tparam Real a real_scalar
/// \tparam MaxTiers the capacity, a power of two; Binance tables have ≤ 10–11 brackets
template <real_scalar Real = double, std::size_t MaxTiers = 16>
class bracket_table {
    static_assert(MaxTiers >= 2 && (MaxTiers & (MaxTiers - 1)) == 0, "bracket_table: MaxTiers must be a power of two >= 2");

public:
    /// \throws margincall::invalid_argument if the schedule has more than MaxTiers tiers.
    explicit bracket_table(const tier_schedule<Real>& brackets) : basis_(brackets.basis()) {
        const auto tiers = brackets.tiers();
        if (tiers.size() > MaxTiers)
            throw_invalid_argument("bracket_table", "the number of tiers", tiers.size(),
                                   detail::message("<= ", MaxTiers, " (raise MaxTiers)").c_str());
        size_ = tiers.size();
        floor_.fill(std::numeric_limits<Real>::quiet_NaN());  // size >= NaN is false: never counted
        rate_.fill(Real(0));
        amount_.fill(Real(0));
        max_leverage_.fill(Real(1));
        for (std::size_t i = 0; i < size_; ++i) {
            floor_[i] = tiers[i].floor;
            rate_[i] = tiers[i].maintenance_rate;
            amount_[i] = tiers[i].maintenance_amount;
            max_leverage_[i] = tiers[i].max_leverage;
        }
    }

    /// The capacity MaxTiers (slots beyond size() are padding).
    static constexpr std::size_t capacity = MaxTiers;

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] tier_basis basis() const noexcept { return basis_; }

    /// The MaxTiers slots as columns (padding: NaN floor, rate 0, amount 0, leverage 1): what
    /// a vectorised re-mark packs into its per-symbol tables.
    [[nodiscard]] std::span<const Real, MaxTiers> floors() const noexcept { return floor_; }
    [[nodiscard]] std::span<const Real, MaxTiers> maintenance_rates() const noexcept { return rate_; }
    [[nodiscard]] std::span<const Real, MaxTiers> maintenance_amounts() const noexcept { return amount_; }
    [[nodiscard]] std::span<const Real, MaxTiers> max_leverages() const noexcept { return max_leverage_; }

    /// 0-based tier of `size`: the last tier whose floor is ≤ size (floor inclusive, cap
    /// exclusive; beyond the last cap: the last tier). Branch-free binary search over the
    /// MaxTiers slots (log2 MaxTiers conditional moves): hand-written because std::upper_bound
    /// branches, and mispredicted branches dominate a re-mark over random positions.
    [[nodiscard]] std::size_t tier_index(Real size) const noexcept {
        return search<MaxTiers / 2>(size, 0);
    }

    /// MM and IM of one size in one tier lookup (the batch re-mark's per-position call).
    struct margins_type {
        Real maintenance_margin, initial_margin;
    };
    [[nodiscard]] margins_type margins(Real notional, Real quantity, Real leverage) const noexcept {
        const std::size_t i = tier_index(key(notional, quantity));
        const Real cap = max_leverage_[i];
        return {notional * rate_[i] - amount_[i], notional / (leverage < cap ? leverage : cap)};
    }

    /// MM = notional × MMR_i − cum_i (tier by notional or quantity per basis()).
    /// Source: Binance USDⓈ-M maintenance margin with brackets (docs/margin.md).
    [[nodiscard]] Real maintenance_margin(Real notional, Real quantity) const noexcept {
        const std::size_t i = tier_index(key(notional, quantity));
        return notional * rate_[i] - amount_[i];
    }
    /// The tier's maximum leverage.
    [[nodiscard]] Real max_leverage(Real notional, Real quantity) const noexcept {
        return max_leverage_[tier_index(key(notional, quantity))];
    }
    /// IM = notional / min(leverage, tier max leverage); never throws.
    [[nodiscard]] Real initial_margin(Real notional, Real quantity, Real leverage) const noexcept {
        const Real cap = max_leverage_[tier_index(key(notional, quantity))];
        return notional / (leverage < cap ? leverage : cap);
    }

private:
    // One step of the branch-free binary search, unrolled at compile time (a runtime loop
    // here keeps the compiler from vectorising the re-mark over positions).
    template <std::size_t Step>
    [[nodiscard]] std::size_t search(const Real& size, std::size_t i) const noexcept {
        i += (size >= floor_[i + Step]) ? Step : 0;
        if constexpr (Step > 1) {
            return search<Step / 2>(size, i);
        } else {
            return i;
        }
    }

    [[nodiscard]] Real key(Real notional, Real quantity) const noexcept {
        return basis_ == tier_basis::notional ? notional : quantity;
    }

    std::array<Real, MaxTiers> floor_{}, rate_{}, amount_{}, max_leverage_{};
    std::size_t size_{};
    tier_basis basis_;
};

}  // namespace margincall
