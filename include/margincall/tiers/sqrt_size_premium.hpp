#pragma once
/// \file
/// Margin ratios with a square-root size premium (Drift protocol v2 perpetuals): large positions
/// pay a premium that grows with √size above a base ratio.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/size_rate_model.hpp>

#include <cmath>
#include <limits>

namespace margincall {

/// Initial and maintenance ratios with Drift's size premium on the position's base quantity q:
///
///   r_eff(r, q) = max( r, (4/5)·r + imf_factor · √q ),
///   IM = notional / leverage with leverage ≤ 1 / r_eff(initial_ratio, q),
///   MM = notional × r_eff(maintenance_ratio, q).
///
/// Source: drift-labs/protocol-v2, programs/drift/src/math/margin.rs,
/// `calculate_size_premium_liability_weight` (weight − weight/5 + √(size·10+1)·imf_factor / …,
/// integer fixed point: size at 1e9 precision, imf_factor at 1e6, so in real units the premium is
/// imf_factor·√q), applied to both margin ratios by `PerpMarket::get_margin_ratio`
/// (programs/drift/src/state/perp_market.rs). Here imf_factor is the real factor (Drift's
/// integer imf_factor / 10⁶); q is in base units. The integer code truncates; this does not.
///
/// The premium starts where (4/5)·r + f√q = r, i.e. q₀ = (r / (5f))²; below it the base ratio holds.
/// \tparam Real a real_scalar
/// \test tests/tiers/sqrt_size_premium.cpp: Drift's own unit-test values for the weight function.
template <real_scalar Real = double>
class sqrt_size_premium : public size_rate_model<sqrt_size_premium<Real>, Real> {
public:
    static constexpr const char* initial_margin_where = "sqrt_size_premium::initial_margin";

    /// \param initial_ratio base initial margin ratio, in (maintenance_ratio, 1]
    /// \param maintenance_ratio base maintenance margin ratio, in (0, 1)
    /// \param imf_factor premium per √(base unit), finite and ≥ 0 (0 disables the premium)
    sqrt_size_premium(Real initial_ratio, Real maintenance_ratio, Real imf_factor)
        : initial_ratio_(initial_ratio), maintenance_ratio_(maintenance_ratio), imf_factor_(imf_factor) {
        detail::check_size_rates("sqrt_size_premium", "initial_ratio", initial_ratio_, "maintenance_ratio", maintenance_ratio_,
                                 "imf_factor", imf_factor_);
    }

    [[nodiscard]] Real initial_ratio() const noexcept { return initial_ratio_; }
    [[nodiscard]] Real maintenance_ratio() const noexcept { return maintenance_ratio_; }
    [[nodiscard]] Real imf_factor() const noexcept { return imf_factor_; }

    /// r_eff(r, q) = max(r, (4/5)·r + imf_factor·√q): Drift's size-premium weight for any base ratio r.
    [[nodiscard]] Real premium_ratio(Real ratio, Real quantity) const noexcept {
        using std::sqrt;
        const Real premium = Real(ratio - ratio / Real(5)) + imf_factor_ * Real(sqrt(quantity));
        return premium > ratio ? premium : ratio;
    }
    [[nodiscard]] Real initial_rate(Real quantity) const noexcept { return premium_ratio(initial_ratio_, quantity); }
    [[nodiscard]] Real maintenance_rate(Real quantity) const noexcept {
        return premium_ratio(maintenance_ratio_, quantity);
    }

    // margin_rate_model members: size_rate_model (MM = notional × MMR(q), IM = notional / leverage).

    /// The largest quantity a leverage allows: (4/5)·r_i + f√q ≤ 1/leverage ⇔
    /// q ≤ ((1/leverage − (4/5)·r_i) / f)² (+∞ when f = 0).
    /// \throws margincall::invalid_argument if leverage is not in [1, 1 / initial_ratio].
    [[nodiscard]] Real max_size(Real leverage) const {
        const Real top = Real(1) / initial_ratio_;
        if (!(leverage >= Real(1) && leverage <= top))
            throw_invalid_argument("sqrt_size_premium::max_size", "leverage", leverage,
                                   detail::message("in [1, ", top, "], the max_leverage at quantity 0").c_str());
        if (imf_factor_ == Real(0)) return std::numeric_limits<Real>::infinity();
        const Real root = (Real(1) / leverage - Real(initial_ratio_ - initial_ratio_ / Real(5))) / imf_factor_;
        return root * root;
    }

private:
    Real initial_ratio_;
    Real maintenance_ratio_;
    Real imf_factor_;
};

}  // namespace margincall
