#pragma once
/// \file
/// Automated-market-maker price impact for the cascade: a pool's invariant curve turned into a
/// price_impact policy (cascade/price_impact.hpp). A curve describes the pool's fee-free state
/// as a function of the displacement Q (the net base the cascade has bought from the pool; a
/// sale makes Q negative):
///
///   marginal_price(Q)       the pool's spot price (quote per base) at displacement Q
///   quote_between(Q0, Q1)   y(Q1) − y(Q0): the quote reserve's change as the base reserve goes
///                           from x0 − Q0 to x0 − Q1
///   max_purchase()          the base the curve can give (Q must stay below it)
///   max_sale()              the base the curve can take (Q must stay above its negative)
///
/// amm_impact maps the pool to the cascade's reference price S: price(S, Q) = S·m(Q)/m(0), so the
/// pool supplies the relative impact and the reference the level. Fills carry the pool's fee f:
///
///   fee on the input (Uniswap v2 getAmountOut/getAmountIn, Uniswap v3 SwapMath): a sale of |Δ|
///     base moves the curve by (1 − f)·|Δ| and pays the curve's quote for that; a purchase of Δ
///     base costs the curve's quote for Δ divided by (1 − f)
///   fee on the output (Curve StableSwap get_dy): a sale pays (1 − f) times the curve's quote for
///     |Δ|; a purchase of Δ takes Δ/(1 − f) off the curve
///
/// The state follows the cascade's displacement Q; the fee part of a sale (f·|Δ|) is counted in Q
/// though the contracts keep it outside the curve (v3) or add it to the reserves (v2): the state
/// overstates a sale's displacement by the fraction f. recover(Q) = (1 − ρ)·Q models arbitrage
/// pulling the pool back towards the reference by a fraction ρ per step.
/// \test tests/cascade/amm_impact.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <concepts>
#include <utility>

namespace margincall {

/// Where an AMM charges its fee.
enum class amm_fee_side : unsigned char {
    input,   ///< Uniswap v2 / v3: a fraction of the amount paid in
    output   ///< Curve StableSwap: a fraction of the amount paid out
};

/// A pool's fee-free invariant curve as a function of the displacement Q (see the file comment).
template <class C, class Real>
concept amm_curve = real_scalar<Real> && requires(const C& c, Real q) {
    { c.marginal_price(q) } -> std::convertible_to<Real>;
    { c.quote_between(q, q) } -> std::convertible_to<Real>;
    { c.max_purchase() } -> std::convertible_to<Real>;
    { c.max_sale() } -> std::convertible_to<Real>;
};

/// A price_impact policy over an AMM curve.
/// \tparam Curve an amm_curve
/// \tparam Real a real_scalar
template <class Curve, real_scalar Real = double>
    requires amm_curve<Curve, Real>
class amm_impact {
public:
    /// \param fee f in [0, 1) \param side where the pool charges it
    /// \param resilience ρ in [0, 1]: the fraction of the displacement arbitrage removes per step
    /// \throws margincall::invalid_argument otherwise
    amm_impact(Curve curve, Real fee, amm_fee_side side, Real resilience = Real(0))
        : curve_{std::move(curve)}, fee_{fee}, side_{side}, resilience_{resilience} {
        if (!(fee >= 0 && fee < 1)) throw_invalid_argument("amm_impact", "fee", fee, "in [0, 1)");
        check_in_closed("amm_impact", "resilience", resilience, Real(0), Real(1));
        spot0_ = curve_.marginal_price(Real(0));
    }

    /// S·m(Q)/m(0). \throws margincall::invalid_argument for Q beyond the pool's depth
    [[nodiscard]] Real price(Real reference, Real volume) const {
        check_depth(volume);
        return reference * (curve_.marginal_price(volume) / spot0_);
    }

    /// The volume-weighted fill of trading from Q0 to Q1, fee included (price(S, Q0) when equal).
    /// \throws margincall::invalid_argument for a trade beyond the pool's depth
    [[nodiscard]] Real average_price(Real reference, Real from, Real to) const {
        check_depth(from);
        check_depth(to);
        if (from == to) return price(reference, from);
        const Real keep = Real(1) - fee_;
        Real quote{};
        if (to < from) {  // a sale of from − to base: quote paid out
            const Real size = from - to;
            if (side_ == amm_fee_side::input) {
                quote = -curve_.quote_between(from, from - keep * size);
            } else {
                quote = -keep * curve_.quote_between(from, to);
            }
            return reference * (quote / size) / spot0_;
        }
        const Real size = to - from;  // a purchase: quote paid in
        if (side_ == amm_fee_side::input) {
            quote = curve_.quote_between(from, to) / keep;
        } else {
            const Real moved = from + size / keep;
            check_depth(moved);
            quote = curve_.quote_between(from, moved);
        }
        return reference * (quote / size) / spot0_;
    }

    [[nodiscard]] Real recover(Real volume) const noexcept { return (Real(1) - resilience_) * volume; }
    [[nodiscard]] const Curve& curve() const noexcept { return curve_; }
    [[nodiscard]] Real fee() const noexcept { return fee_; }

private:
    void check_depth(Real q) const {
        if (!(q < curve_.max_purchase() && q > -curve_.max_sale()))
            throw_invalid_argument("amm_impact", "the displacement", q,
                                   detail::message("inside the pool's depth (-", curve_.max_sale(), ", ",
                                                   curve_.max_purchase(), ")")
                                       .c_str());
    }

    Curve curve_;
    Real fee_;
    amm_fee_side side_;
    Real resilience_;
    Real spot0_{};
};

}  // namespace margincall
