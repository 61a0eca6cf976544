#pragma once
/// \file
/// Automatic top-up: when a margin pool's ratio reaches a trigger, move collateral from a
/// spot balance so that the ratio comes back to a target.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/margin_status.hpp>

#include <concepts>

namespace margincall {

/// A top-up policy: how much to move from a spot balance (≥ 0) into a pool, given the pool's
/// figures; the answer is in [0, spot_available]. Must not throw.
template <class T, class Real>
concept has_top_up_amount = requires(const T& t, const margin_summary<Real>& pool, Real spot_available) {
    { t.top_up_amount(pool, spot_available) } -> std::convertible_to<Real>;
};

/// A top-up policy (`Real top_up_amount(const margin_summary<Real>&, Real spot_available) const`).
template <class T, class Real>
concept top_up_policy = real_scalar<Real> && has_top_up_amount<T, Real>;

/// Never tops up.
struct no_top_up {
    template <real_scalar Real>
    [[nodiscard]] constexpr Real top_up_amount(const margin_summary<Real>&, Real) const noexcept {
        return Real(0);
    }
};

/// Tops up from spot when MM / equity ≥ trigger, by the amount x that brings the ratio to the
/// target: MM / (equity + x) = target ⇔ x = MM / target − equity, capped at the spot
/// balance (a partial top-up is still made when spot cannot cover all of it).
/// Source: Binance "Auto-Add Margin" and Bybit "Auto Add Margin" move wallet funds into an
/// isolated position as it nears liquidation; the amount here is the closed form above.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class spot_top_up {
public:
    /// \param trigger_ratio ratio at which to act, in (0, 1]
    /// \param target_ratio ratio to restore, 0 < target_ratio ≤ trigger_ratio
    explicit spot_top_up(Real trigger_ratio = Real(0.8), Real target_ratio = Real(0.5))
        : trigger_(trigger_ratio), target_(target_ratio) {
        constexpr const char* where = "spot_top_up";
        if (!(trigger_ratio > 0 && trigger_ratio <= 1))
            throw_invalid_argument(where, "trigger_ratio", trigger_ratio, "in (0, 1]");
        if (!(target_ratio > 0 && target_ratio <= trigger_ratio))
            throw_invalid_argument(where, "target_ratio", target_ratio,
                                   detail::message("in (0, ", trigger_ratio, "] (at most trigger_ratio)").c_str());
    }
    [[nodiscard]] Real trigger_ratio() const noexcept { return trigger_; }
    [[nodiscard]] Real target_ratio() const noexcept { return target_; }

    /// min(spot_available, MM / target − equity) when the pool's ratio ≥ trigger, else 0.
    [[nodiscard]] Real top_up_amount(const margin_summary<Real>& pool, Real spot_available) const noexcept {
        if (!(pool.margin_ratio >= trigger_) || !(spot_available > 0)) return Real(0);
        const Real needed = pool.maintenance_margin / target_ - pool.equity;
        if (!(needed > 0)) return Real(0);
        return needed < spot_available ? needed : spot_available;
    }

private:
    Real trigger_;
    Real target_;
};

}  // namespace margincall
