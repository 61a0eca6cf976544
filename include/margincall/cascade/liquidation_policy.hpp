#pragma once
/// \file
/// How a venue closes an account that crossed its liquidation price: the `liquidation_policy`
/// concept and three policies.
///
///  - `full_close`: the whole position is sent to the book; the step's forced orders fill along
///    the depth, each at the step's volume-weighted price (a batch, so the order of the accounts
///    does not matter).
///  - `partial_close`: close the smallest fraction f that restores maintenance margin plus a
///    buffer b after the liquidation fee φ. With equity e, notional N = |q|·P, rate m:
///        e − φ·f·N ≥ (1 + b)·m·(1 − f)·N   ⇔   f ≥ ((1 + b)·m·N − e) / ((1 + b)·m·N − φ·N),
///    at least `min_fraction`, and the whole position when e ≤ 0 or f ≥ 1. Sources: Bybit risk
///    limit ("laddered" liquidation reduces the position to a lower tier); BitMEX liquidation page
///    (partial liquidation to a lower risk limit); Drift `MarginContext::liquidation(buffer)`
///    (liquidate until margin + buffer is met); Deribit's incremental steps (docs/cascades.md §3,
///    "Liquidation policies", lists the pages).
///  - `call_auction`: the whole position; the step's forced orders are batched into one call
///    auction that clears at a single uniform price against the depth, the price at which the
///    depth absorbs the batch (E. Budish, P. Cramton, J. Shim, "The high-frequency trading arms
///    race: frequent batch auctions as a market design response", QJE 130(4) (2015) 1547–1621).
///
/// A policy answers `close_fraction(equity, notional, maintenance_rate, fee_rate)` ∈ (0, 1] (and,
/// optionally, `close_fraction_tiered(equity, notional, size, schedule, fee_rate)` for a tiered
/// book: rule C6) and
/// says, through `uniform_price`, whether the batch fills at one clearing price or at its VWAP.
/// \test tests/cascade/liquidation_policy.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <concepts>
#include <cstddef>

namespace margincall {

/// `close_fraction(equity, notional, maintenance_rate, fee_rate)`: the share of the position to close.
template <class L, class Real>
concept has_close_fraction = requires(const L& l, Real equity, Real notional, Real rate, Real fee_rate) {
    { l.close_fraction(equity, notional, rate, fee_rate) } -> std::convertible_to<Real>;
};

/// `L::uniform_price`: true if the step's batch clears at one price (a call auction).
template <class L>
concept has_uniform_price_flag = requires {
    { L::uniform_price } -> std::convertible_to<bool>;
};

/// `close_fraction_tiered(equity, notional, size, schedule, fee_rate)`: the share to close under
/// tiered maintenance margin (rule C6); a policy without it gets its flat `close_fraction` at the
/// rate MM/notional of the position before the close.
template <class L, class Real>
concept has_tiered_close_fraction = requires(const L& l, Real v, const tier_schedule<Real>& schedule) {
    { l.close_fraction_tiered(v, v, v, schedule, v) } -> std::convertible_to<Real>;
};

/// A liquidation policy: `close_fraction` and the `uniform_price` flag.
template <class L, class Real>
concept liquidation_policy = real_scalar<Real> && has_close_fraction<L, Real> && has_uniform_price_flag<L>;

/// Close the whole position into the book.
struct full_close {
    static constexpr bool uniform_price = false;
    template <real_scalar Real>
    [[nodiscard]] constexpr Real close_fraction(Real, Real, Real, Real) const noexcept {
        return Real(1);
    }
};

/// Batch the step's forced orders into a call auction with one uniform clearing price.
struct call_auction {
    static constexpr bool uniform_price = true;
    template <real_scalar Real>
    [[nodiscard]] constexpr Real close_fraction(Real, Real, Real, Real) const noexcept {
        return Real(1);
    }
};

/// Close just enough to restore maintenance margin × (1 + buffer), in chunks of at least `min_fraction`.
template <real_scalar Real = double>
class partial_close {
public:
    static constexpr bool uniform_price = false;
    /// \param buffer b ≥ 0, finite: the margin restored is (1 + b)·MM
    /// \param min_fraction the smallest chunk, in (0, 1]
    /// \throws margincall::invalid_argument otherwise
    explicit partial_close(Real buffer, Real min_fraction = Real(0.125)) : buffer_{buffer}, min_fraction_{min_fraction} {
        check_non_negative("partial_close", "buffer", buffer);
        if (!(min_fraction > 0 && min_fraction <= 1))
            throw_invalid_argument("partial_close", "min_fraction", min_fraction, "in (0, 1]");
    }
    [[nodiscard]] Real close_fraction(Real equity, Real notional, Real rate, Real fee_rate) const noexcept {
        if (!(equity > 0)) return Real(1);
        const Real target = (Real(1) + buffer_) * rate * notional;
        const Real denominator = target - fee_rate * notional;
        if (!(denominator > 0)) return Real(1);
        const Real f = (target - equity) / denominator;
        if (!(f < Real(1))) return Real(1);
        return f > min_fraction_ ? f : min_fraction_;
    }
    /// Under tiered maintenance margin (rule C6 of docs/cascades.md), the margin restored is that
    /// of the position left: MM(n) = n·MMR_t − cum_t in the tier t of the size left (notional
    /// (1 − f)·N, or quantity for quantity brackets), so the smallest f with
    ///     e − φ·f·N ≥ (1 + b)·((1 − f)·N·MMR_t − cum_t),
    ///     f_t = ((1 + b)·(MMR_t·N − cum_t) − e) / ((1 + b)·MMR_t·N − φ·N),
    /// found by walking down from the tier of the current size to the first tier t whose f_t
    /// leaves a size ≥ the tier's floor (e − φfN − (1 + b)·MM((1 − f)N) rises with f and MM is
    /// continuous, so that f_t is the root). Then the same clamps as the flat rate.
    /// \param size the current size in the schedule's basis (notional N or quantity |q|)
    [[nodiscard]] Real close_fraction_tiered(Real equity, Real notional, Real size, const tier_schedule<Real>& schedule,
                                             Real fee_rate) const noexcept {
        if (!(equity > 0)) return Real(1);
        const auto tiers = schedule.tiers();
        const Real k = Real(1) + buffer_;
        for (std::size_t t = schedule.tier_index(size) + 1; t-- > 0;) {
            const auto& tier = tiers[t];
            const Real slope = k * tier.maintenance_rate * notional - fee_rate * notional;
            if (!(slope > 0)) return Real(1);  // closing in this tier (and below) does not restore margin
            const Real f = (k * (tier.maintenance_rate * notional - tier.maintenance_amount) - equity) / slope;
            if (!(f < Real(1))) return Real(1);
            if (t == 0 || (Real(1) - f) * size >= tier.floor) return f > min_fraction_ ? f : min_fraction_;
        }
        return Real(1);
    }
    [[nodiscard]] Real buffer() const noexcept { return buffer_; }
    [[nodiscard]] Real min_fraction() const noexcept { return min_fraction_; }

private:
    Real buffer_;
    Real min_fraction_;
};

}  // namespace margincall
