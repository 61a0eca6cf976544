#pragma once
/// \file
/// Risk-limit brackets ("leverage and margin tiers") of one contract, as venues publish them:
/// tier lookup in O(log tiers), maintenance amounts that keep maintenance margin continuous,
/// initial margin at a chosen leverage and the largest size a leverage allows.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/maintenance_amount.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace margincall {

/// What a bracket's floor and cap count: the position's notional in margin currency
/// (Binance USDⓈ-M notionalFloor/notionalCap, Binance COIN-M in coin, Bybit risk limits) or
/// its quantity in contracts / base units (OKX tiers count contracts).
enum class tier_basis { notional, quantity };

/// One risk-limit bracket as a venue publishes it (one row of Binance's
/// GET /fapi/v1/leverageBracket answer: notionalFloor, notionalCap, initialLeverage,
/// maintMarginRatio, cum).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct bracket {
    Real floor;                                ///< inclusive lower bound (notional or quantity)
    Real cap;                                  ///< exclusive upper bound = next bracket's floor
    Real max_leverage;                         ///< largest leverage a position in this bracket may use
    Real maintenance_rate;                     ///< fraction (0.004, not 0.4 %)
    std::optional<Real> maintenance_amount{};  ///< a supplied "cum"; checked against the computed one
};

/// Risk-limit brackets of one contract: tier lookup, maintenance margin, initial margin.
///
/// Notional basis (Binance USDⓈ-M / COIN-M, Bybit): the tier is chosen by the notional and
///
///   MM = notional × MMR_i − cum_i,   cum_1 = 0,   cum_i = cum_{i−1} + floor_i × (MMR_i − MMR_{i−1})
///
/// so that MM is continuous at every floor (the "tax bracket" set-up).
/// Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93, worked example
/// level 3 = 250,000 × (1 % − 0.5 %) + 50 = 1,300 USDT); derivation in docs/tiers.md.
///
/// Quantity basis (OKX, tiers in contracts): MM = notional × MMR(tier by quantity). No constant
/// can make this continuous in price, so every maintenance amount is 0 and MM jumps at a
/// quantity boundary (by quantity-boundary × price × ΔMMR), as on the venue.
/// Source: OKX "Tiered maintenance margin ratio rules" (docs/tiers.md).
///
/// Sizes at or beyond the last cap are margined in the last tier, maintenance and initial alike:
/// a live position grows past the cap as prices move and venues keep the top rates, so an
/// evaluation of it must not fail. Whether a size may be *opened* is a separate question,
/// answered by `within_size_limit` (an order preview rejects a leg beyond the last cap).
///
/// Validation (constructor) rejects, naming the 1-based tier and the field: an empty list,
/// a first floor other than 0, unsorted, overlapping or gapped brackets, a cap not above its
/// floor, an infinite cap before the last tier, non-positive or NaN leverage and rates, a
/// maintenance rate ≥ 1 or ≥ 1 / max_leverage (a position at max leverage would open already
/// liquidatable), decreasing maintenance rates, increasing max leverage, and a supplied
/// maintenance amount that differs from the computed one by more than `amount_tolerance`
/// relative to the tier's margin scale floor × MMR (real third-party tables contain such
/// errors).
///
/// \tparam Real a real_scalar (float, double, long double, Boost.Multiprecision)
/// \test tests/tiers/tier_schedule.cpp: Binance published tables and look-ups, continuity on
///       both sides of every floor, every validation message.
template <real_scalar Real = double>
class tier_schedule {
public:
    /// One validated tier with its computed maintenance amount.
    struct tier {
        Real floor, cap, max_leverage, maintenance_rate, maintenance_amount;
    };

    /// Relative tolerance for supplied maintenance amounts: 10⁻⁶ of floor × MMR, or 64 ulps
    /// where Real is coarser than that (float).
    [[nodiscard]] static Real amount_tolerance() noexcept {
        const auto rel = static_cast<Real>(1e-6);
        const Real ulps = Real(64) * std::numeric_limits<Real>::epsilon();
        return rel > ulps ? rel : ulps;
    }

    /// \param brackets the venue's brackets in ascending order, first floor 0, each floor
    ///        equal to the previous cap; the last cap may be +∞ (an open-ended top bracket).
    /// \param basis what the floors and caps count.
    /// \throws margincall::invalid_argument naming the tier and the field (see the class doc).
    explicit tier_schedule(std::vector<bracket<Real>> brackets, tier_basis basis = tier_basis::notional)
        : basis_(basis) {
        validate_and_build(brackets);
    }

    [[nodiscard]] std::span<const tier> tiers() const noexcept { return tiers_; }
    [[nodiscard]] tier_basis basis() const noexcept { return basis_; }

    /// 0-based index of the tier holding `size` (floor inclusive, cap exclusive), by binary
    /// search over the floors. A size at or beyond the last cap maps to the last tier; a
    /// negative size (and NaN) to the first.
    /// Branch-free binary search (the comparison selects the next half through a conditional
    /// move): ⌈log₂ n⌉ steps with no mispredicted branches, where std::upper_bound on random
    /// notionals mispredicts about half of its steps (see benchmarks/tiers.cpp).
    [[nodiscard]] std::size_t tier_index(Real size) const noexcept {
        // Count the floors after the first (floors_[0] == 0) that are ≤ size. Invariant: every
        // floor before `first` is ≤ size and every floor from `first + len` on is > size.
        const Real* const base = floors_.data() + 1;
        std::size_t len = floors_.size() - 1;
        if (len == 0) return 0;
        const Real* first = base;
        while (len > 1) {
            const std::size_t half = len / 2;
            first = first[half] <= size ? first + half : first;
            len -= half;
        }
        return static_cast<std::size_t>(first - base) + (*first <= size ? 1 : 0);
    }
    [[nodiscard]] const tier& tier_for(Real size) const noexcept { return tiers_[tier_index(size)]; }
    [[nodiscard]] Real maintenance_rate(Real size) const noexcept { return tier_for(size).maintenance_rate; }
    [[nodiscard]] Real maintenance_amount(Real size) const noexcept { return tier_for(size).maintenance_amount; }
    [[nodiscard]] Real max_leverage(Real size) const noexcept { return tier_for(size).max_leverage; }

    /// MM = notional × MMR(tier of notional) − cum(tier of notional). Requires
    /// basis() == tier_basis::notional (asserted in debug builds); for quantity brackets use
    /// the two-argument form.
    /// \throws margincall::invalid_argument if notional is negative or not finite (a NaN, negative
    ///         or infinite size gave a NaN, negative or infinite margin; issue #14, class 7).
    [[nodiscard]] Real maintenance_margin(Real notional) const {
        assert(basis_ == tier_basis::notional);
        check_non_negative("tier_schedule::maintenance_margin", "notional", notional);
        const tier& t = tier_for(notional);
        return notional * t.maintenance_rate - t.maintenance_amount;
    }

    // margin_rate_model: `notional` = |q| valued at the price (margin currency), `quantity` = |q|.

    /// MM = notional × MMR_i − cum_i with i the tier of notional or quantity per basis().
    /// \throws margincall::invalid_argument if notional or quantity is negative or not finite.
    [[nodiscard]] Real maintenance_margin(Real notional, Real quantity) const {
        constexpr const char* where = "tier_schedule::maintenance_margin";
        check_non_negative(where, "notional", notional);
        check_non_negative(where, "quantity", quantity);
        return maintenance_margin_unchecked(notional, quantity);
    }

    /// The same figure without the checks, for callers that validated their sizes once (a
    /// loop over checked book rows): the sizes must be finite and ≥ 0, else the result is
    /// meaningless (NaN, negative or infinite).
    [[nodiscard]] Real maintenance_margin_unchecked(Real notional, Real quantity) const noexcept {
        const tier& t = tier_for(key(notional, quantity));
        return notional * t.maintenance_rate - t.maintenance_amount;
    }

    /// IM = notional / leverage, in the size's tier (the last tier beyond the last cap, as for
    /// maintenance; the same as bracket_table's batch figure).
    /// \throws margincall::invalid_argument if notional or quantity is negative or not finite,
    ///         or if leverage is not in [1, max_leverage of the size's tier].
    [[nodiscard]] Real initial_margin(Real notional, Real quantity, Real leverage) const {
        constexpr const char* where = "tier_schedule::initial_margin";
        check_non_negative(where, "notional", notional);
        check_non_negative(where, "quantity", quantity);
        const Real size = key(notional, quantity);
        const std::size_t i = tier_index(size);
        const Real max = tiers_[i].max_leverage;
        if (!(leverage >= Real(1) && leverage <= max))
            throw_invalid_argument(where, "leverage", leverage,
                                   detail::message("in [1, ", max, "], the max_leverage of tier ", i + 1, " at ",
                                                   size_name(), " ", size)
                                       .c_str());
        return notional / leverage;
    }

    /// The largest size (basis units) a position may be opened or increased to: the last cap
    /// (+∞ for an open-ended top bracket).
    [[nodiscard]] Real size_limit() const noexcept { return tiers_.back().cap; }
    /// Whether a leg of this notional and quantity may be opened: its size (per basis()) is at
    /// most size_limit(). False for NaN.
    [[nodiscard]] bool within_size_limit(Real notional, Real quantity) const noexcept {
        return key(notional, quantity) <= size_limit();
    }

    /// The largest leverage the size's tier allows (the last tier's beyond the last cap).
    [[nodiscard]] Real max_leverage(Real notional, Real quantity) const noexcept {
        return tier_for(key(notional, quantity)).max_leverage;
    }

    /// The largest size (basis units) a leverage allows: the cap of the last tier whose
    /// max_leverage ≥ leverage. Caps are exclusive, so this is the supremum of the sizes
    /// opened at that leverage below the last tier (Binance shows it as "maximum position");
    /// for the last tier it is the last cap itself (+∞ for an open-ended top bracket).
    /// \throws margincall::invalid_argument if leverage is not in [1, max_leverage of tier 1].
    [[nodiscard]] Real max_size(Real leverage) const {
        const Real top = tiers_.front().max_leverage;
        if (!(leverage >= Real(1) && leverage <= top))
            throw_invalid_argument("tier_schedule::max_size", "leverage", leverage,
                                   detail::message("in [1, ", top, "], the max_leverage of tier 1").c_str());
        // max_leverage is non-increasing: the tiers allowing `leverage` form a prefix.
        const auto it = std::partition_point(tiers_.begin(), tiers_.end(),
                                             [&](const tier& t) { return t.max_leverage >= leverage; });
        return std::prev(it)->cap;
    }

private:
    [[nodiscard]] Real key(Real notional, Real quantity) const noexcept {
        return basis_ == tier_basis::notional ? notional : quantity;
    }
    [[nodiscard]] const char* size_name() const noexcept {
        return basis_ == tier_basis::notional ? "notional" : "quantity";
    }

    void validate_and_build(const std::vector<bracket<Real>>& brackets) {
        constexpr const char* where = "tier_schedule";
        if (brackets.empty()) throw_invalid_argument(where, "the number of brackets", brackets.size(), "> 0");
        tiers_.reserve(brackets.size());
        floors_.reserve(brackets.size());
        const std::size_t n = brackets.size();
        for (std::size_t i = 0; i < n; ++i) {
            const bracket<Real>& b = brackets[i];
            const auto field = [i](const char* name) { return detail::message(name, " of tier ", i + 1); };
            // Bounds: sorted, contiguous, starting at 0.
            if (i == 0) {
                if (!(b.floor == Real(0))) throw_invalid_argument(where, field("floor"), b.floor, "0");
            } else {
                const tier& p = tiers_.back();
                if (!(b.floor >= p.floor))
                    throw_invalid_argument(
                        where, field("floor"), b.floor,
                        detail::message(">= ", p.floor, ", the floor of tier ", i, " (brackets must be sorted)").c_str());
                if (b.floor < p.cap)
                    throw_invalid_argument(
                        where, field("floor"), b.floor,
                        detail::message(p.cap, ", the cap of tier ", i, " (brackets overlap)").c_str());
                if (b.floor > p.cap)
                    throw_invalid_argument(
                        where, field("floor"), b.floor,
                        detail::message(p.cap, ", the cap of tier ", i, " (gap between brackets)").c_str());
            }
            if (!(b.cap > b.floor))
                throw_invalid_argument(where, field("cap"), b.cap,
                                       detail::message("> ", b.floor, ", the tier's floor").c_str());
            if (i + 1 < n && !detail::is_finite(b.cap))
                throw_invalid_argument(where, field("cap"), b.cap, "finite (only the last cap may be infinite)");
            // Leverage and rate: positive, finite, monotone, MMR < IMR.
            if (!(b.max_leverage >= Real(1)) || !detail::is_finite(b.max_leverage))
                throw_invalid_argument(where, field("max_leverage"), b.max_leverage, "finite and >= 1");
            check_probability(where, field("maintenance_rate"), b.maintenance_rate);
            if (i > 0) {
                const tier& p = tiers_.back();
                if (b.max_leverage > p.max_leverage)
                    throw_invalid_argument(
                        where, field("max_leverage"), b.max_leverage,
                        detail::message("<= ", p.max_leverage, ", the max_leverage of tier ", i).c_str());
                if (b.maintenance_rate < p.maintenance_rate)
                    throw_invalid_argument(
                        where, field("maintenance_rate"), b.maintenance_rate,
                        detail::message(">= ", p.maintenance_rate, ", the maintenance_rate of tier ", i).c_str());
            }
            const Real initial_rate = Real(1) / b.max_leverage;
            if (!(b.maintenance_rate < initial_rate))
                throw_invalid_argument(
                    where, field("maintenance_rate"), b.maintenance_rate,
                    detail::message("< ", initial_rate, " = 1 / max_leverage (else a position at max leverage ",
                                    "opens liquidatable)")
                        .c_str());
            // Maintenance amount: Binance's cum recursion (notional), 0 (quantity).
            Real amount(0);
            if (basis_ == tier_basis::notional && i > 0) {
                const tier& p = tiers_.back();
                amount = next_maintenance_amount(p.maintenance_amount, p.maintenance_rate, b.floor, b.maintenance_rate);
            }
            if (b.maintenance_amount) {
                const Real supplied = *b.maintenance_amount;
                check_non_negative(where, field("maintenance_amount"), supplied);
                const Real diff = supplied > amount ? Real(supplied - amount) : Real(amount - supplied);
                const Real scale = b.floor * b.maintenance_rate;
                if (!(diff <= amount_tolerance() * scale)) {
                    const char* why = basis_ == tier_basis::notional
                                          ? ", the amount that makes maintenance margin continuous at the tier's floor"
                                          : " (quantity brackets carry no maintenance amount)";
                    throw_invalid_argument(where, field("maintenance_amount"), supplied,
                                           detail::message(amount, why).c_str());
                }
            }
            tiers_.push_back(tier{b.floor, b.cap, b.max_leverage, b.maintenance_rate, amount});
            floors_.push_back(b.floor);
        }
    }

    tier_basis basis_;
    std::vector<tier> tiers_;
    std::vector<Real> floors_;  // tiers_[i].floor, contiguous for the binary search
};

/// A tier_schedule seen through its unchecked maintenance look-up
/// (`maintenance_margin_unchecked`), for the per-row kernel `position_maintenance_margin` in
/// `noexcept` loops whose sizes were checked at their door: the margin monitor's boundary
/// search (which doubles the price, so a notional can reach +inf) and the cascade books. There a
/// throw would end the program (std::terminate); the unchecked look-up gives the formula's own
/// value (+inf for an infinite notional), which those loops compare against.
/// \tparam Real a real_scalar
template <real_scalar Real>
struct unchecked_tiers {
    const tier_schedule<Real>& schedule;
    [[nodiscard]] Real maintenance_margin(Real notional, Real quantity) const noexcept {
        return schedule.maintenance_margin_unchecked(notional, quantity);
    }
};

}  // namespace margincall
