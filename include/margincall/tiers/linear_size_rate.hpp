#pragma once
/// \file
/// Margin rates that grow linearly with position size (Deribit futures and linear perpetuals):
/// a continuous "tier" function instead of brackets.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/size_rate_model.hpp>

#include <limits>

namespace margincall {

/// Initial and maintenance rates linear in the position's quantity (base units):
///
///   IMR(q) = initial_base + slope × q,   MMR(q) = maintenance_base + slope × q,
///   IM = notional / leverage with leverage ≤ 1 / IMR(q),   MM = notional × MMR(q).
///
/// Source: Deribit "Linear Perpetual" (https://support.deribit.com/hc/en-us/articles/25944738177565)
/// BTC_USDC IM = 2 % + Q × 0.005 %, MM = 1 % + Q × 0.005 % (Q in BTC); SOL_USDC 4 % / 2 % +
/// Q × 0.0005 %; Deribit BTC/ETH inverse futures since 11 January 2022
/// (https://support.deribit.com/hc/en-us/articles/25944826427293): BTC 2 % / 1 % + size_BTC × 0.005 %,
/// ETH 2 % / 1 % + size_ETH × 0.0004 %. The quantity must be in the unit the slope is quoted in
/// (BTC, ETH, SOL: base units). MM is continuous and convex in size; there are no boundaries.
///
/// Above the quantity where IMR reaches 1 (max_size(1)) no leverage ≥ 1 is allowed, so
/// `initial_margin` throws there; maintenance keeps following the line.
/// \tparam Real a real_scalar
/// \test tests/tiers/linear_size_rate.cpp: Deribit's published BTC_USDC and SOL_USDC rows.
template <real_scalar Real = double>
class linear_size_rate : public size_rate_model<linear_size_rate<Real>, Real> {
public:
    static constexpr const char* initial_margin_where = "linear_size_rate::initial_margin";

    /// \param initial_base IMR at size 0, in (maintenance_base, 1]
    /// \param maintenance_base MMR at size 0, in (0, 1)
    /// \param slope rate added per unit of quantity, finite and ≥ 0
    linear_size_rate(Real initial_base, Real maintenance_base, Real slope)
        : initial_base_(initial_base), maintenance_base_(maintenance_base), slope_(slope) {
        detail::check_size_rates("linear_size_rate", "initial_base", initial_base_, "maintenance_base", maintenance_base_,
                                 "slope", slope_);
    }

    [[nodiscard]] Real initial_base() const noexcept { return initial_base_; }
    [[nodiscard]] Real maintenance_base() const noexcept { return maintenance_base_; }
    [[nodiscard]] Real slope() const noexcept { return slope_; }

    /// IMR(q) = initial_base + slope × q.
    [[nodiscard]] Real initial_rate(Real quantity) const noexcept { return initial_base_ + slope_ * quantity; }
    /// MMR(q) = maintenance_base + slope × q.
    [[nodiscard]] Real maintenance_rate(Real quantity) const noexcept {
        return maintenance_base_ + slope_ * quantity;
    }

    // margin_rate_model members: size_rate_model (MM = notional × MMR(q), IM = notional / leverage).

    /// The largest quantity a leverage allows: IMR(q) ≤ 1 / leverage ⇔ q ≤ (1/leverage − initial_base) / slope
    /// (+∞ when slope = 0).
    /// \throws margincall::invalid_argument if leverage is not in [1, 1 / initial_base].
    [[nodiscard]] Real max_size(Real leverage) const {
        const Real top = Real(1) / initial_base_;
        if (!(leverage >= Real(1) && leverage <= top))
            throw_invalid_argument("linear_size_rate::max_size", "leverage", leverage,
                                   detail::message("in [1, ", top, "], the max_leverage at quantity 0").c_str());
        if (slope_ == Real(0)) return std::numeric_limits<Real>::infinity();
        return (Real(1) / leverage - initial_base_) / slope_;
    }

private:
    Real initial_base_;
    Real maintenance_base_;
    Real slope_;
};

}  // namespace margincall
