#pragma once
/// \file
/// Constant-product AMM (Uniswap v2): reserves x (base) and y (quote) with x·y = k. Source:
/// Uniswap/v2-periphery (commit 0335e8f), contracts/libraries/UniswapV2Library.sol:
///
///   getAmountOut(a, R_in, R_out) = a·(1 − f)·R_out / (R_in + a·(1 − f))      (f = 3/1000)
///   getAmountIn(b, R_in, R_out)  = R_in·b / ((R_out − b)·(1 − f))            (+1 wei in the contract)
///
/// The contract computes them in integers (×997 / ×1000, rounding the output down and the input
/// up); these are the same formulas in Real. As an amm_curve: x(Q) = x0 − Q, y(Q) = k/x(Q),
/// marginal price y/x = k/x(Q)², quote_between(Q0, Q1) = k·(Q1 − Q0)/(x(Q0)·x(Q1)) (the
/// difference written without cancellation). constant_product_impact is the price_impact policy
/// with the fee on the input, so a sale's fill is exactly getAmountOut from the state at Q0.
/// \test tests/cascade/amm_impact.cpp

#include <margincall/cascade/amm_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <limits>

namespace margincall {

/// Uniswap v2 getAmountOut in Real. \throws margincall::invalid_argument for a non-positive input or reserve
template <real_scalar Real>
[[nodiscard]] Real constant_product_amount_out(Real amount_in, Real reserve_in, Real reserve_out, Real fee = Real(0.003)) {
    check_positive("constant_product_amount_out", "amount_in", amount_in);
    check_positive("constant_product_amount_out", "reserve_in", reserve_in);
    check_positive("constant_product_amount_out", "reserve_out", reserve_out);
    const Real with_fee = amount_in * (Real(1) - fee);
    return with_fee * reserve_out / (reserve_in + with_fee);
}

/// Uniswap v2 getAmountIn in Real (without the contract's +1 wei).
/// \throws margincall::invalid_argument for a non-positive amount or reserve, or amount_out ≥ reserve_out
template <real_scalar Real>
[[nodiscard]] Real constant_product_amount_in(Real amount_out, Real reserve_in, Real reserve_out, Real fee = Real(0.003)) {
    check_positive("constant_product_amount_in", "amount_out", amount_out);
    check_positive("constant_product_amount_in", "reserve_in", reserve_in);
    check_positive("constant_product_amount_in", "reserve_out", reserve_out);
    if (!(amount_out < reserve_out))
        throw_invalid_argument("constant_product_amount_in", "amount_out", amount_out,
                               detail::message("< reserve_out ", reserve_out).c_str());
    return reserve_in * amount_out / ((reserve_out - amount_out) * (Real(1) - fee));
}

/// The x·y = k curve as an amm_curve.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class constant_product_curve {
public:
    /// \throws margincall::invalid_argument for a reserve not finite and > 0 (a pool with zero liquidity)
    constant_product_curve(Real base_reserve, Real quote_reserve) : x0_{base_reserve}, y0_{quote_reserve} {
        check_positive("constant_product_curve", "base_reserve", base_reserve);
        check_positive("constant_product_curve", "quote_reserve", quote_reserve);
    }
    [[nodiscard]] Real marginal_price(Real q) const noexcept {
        const Real x = x0_ - q;
        return (x0_ / x) * (y0_ / x);
    }
    [[nodiscard]] Real quote_between(Real from, Real to) const noexcept {
        return (x0_ * y0_) * (to - from) / ((x0_ - from) * (x0_ - to));
    }
    [[nodiscard]] Real max_purchase() const noexcept { return x0_; }
    [[nodiscard]] Real max_sale() const noexcept { return std::numeric_limits<Real>::infinity(); }
    [[nodiscard]] Real base_reserve() const noexcept { return x0_; }
    [[nodiscard]] Real quote_reserve() const noexcept { return y0_; }

private:
    Real x0_;
    Real y0_;
};

/// Uniswap v2 pool impact: constant_product_curve with the fee on the input (0.3 % by default).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class constant_product_impact : public amm_impact<constant_product_curve<Real>, Real> {
public:
    /// \throws margincall::invalid_argument as constant_product_curve and amm_impact
    constant_product_impact(Real base_reserve, Real quote_reserve, Real fee = Real(0.003), Real resilience = Real(0))
        : amm_impact<constant_product_curve<Real>, Real>(constant_product_curve<Real>(base_reserve, quote_reserve), fee,
                                                         amm_fee_side::input, resilience) {}
};

}  // namespace margincall
