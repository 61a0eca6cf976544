#pragma once
/// \file
/// Concentrated-liquidity AMM (Uniswap v3): liquidity provided over tick ranges; between two
/// initialised ticks the pool behaves as x·y = L² on the virtual reserves, and a swap that
/// reaches a tick crosses it and the active liquidity changes by the tick's liquidityNet.
/// Sources: Uniswap/v3-core (commit d8b1c63), contracts/libraries/SqrtPriceMath.sol
/// (getAmount0Delta, getAmount1Delta, getNextSqrtPriceFromInput/Output), SwapMath.sol
/// (computeSwapStep, the fee on the input), UniswapV3Pool.sol (swap: the loop over initialised
/// ticks, liquidity += liquidityNet crossing upwards, −= downwards); Adams et al., "Uniswap v3
/// Core" (2021), §6.2–6.3. With √P the square root of the price (quote per base, token1 per
/// token0) and price(tick) = 1.0001^tick:
///
///   within a range of liquidity L:   Δx = L·(1/√P_a − 1/√P_b),   Δy = L·(√P_b − √P_a)
///   buying Δ base moves 1/√P to 1/√P − Δ/L; selling Δ base moves it to 1/√P + Δ/L
///
/// The contracts keep √P in Q64.96 fixed point (160 bits) and round each step's amounts up for
/// what the pool takes and down for what it gives; this curve keeps √P in Real (a double holds
/// 53 bits, so prices agree to about 1e-16 relative, not to the wei) and rounds nothing.
/// As an amm_curve the displacement Q is the net base bought; beyond the outermost range the
/// pool has no liquidity, so a displacement past max_purchase() or max_sale() is refused.
/// \test tests/cascade/amm_impact.cpp

#include <margincall/cascade/amm_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace margincall {

/// One liquidity position: L over [tick_lower, tick_upper).
template <real_scalar Real = double>
struct liquidity_range {
    int tick_lower{};
    int tick_upper{};
    Real liquidity{};
};

/// √(1.0001^tick), the square root of a tick's price (TickMath.getSqrtRatioAtTick without Q64.96).
template <real_scalar Real>
[[nodiscard]] Real tick_sqrt_price(int tick) {
    using std::pow;
    return pow(Real(1.0001), Real(tick) / Real(2));
}

/// A Uniswap v3 pool's curve as an amm_curve.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class concentrated_liquidity_curve {
public:
    /// \param price0 the pool's price now (quote per base), finite and > 0
    /// \param ranges the liquidity positions (each tick_lower < tick_upper, liquidity > 0)
    /// \throws margincall::invalid_argument naming the first bad range, or for a pool with no
    ///   liquidity on either side of price0
    concentrated_liquidity_curve(Real price0, const std::vector<liquidity_range<Real>>& ranges) {
        const char* where = "concentrated_liquidity_curve";
        check_positive(where, "price0", price0);
        if (ranges.empty()) throw_invalid_argument(where, "the number of ranges", 0, "> 0 (a pool with liquidity)");
        using std::sqrt;
        sqrt0_ = sqrt(price0);
        std::vector<std::pair<int, Real>> net;
        for (std::size_t r = 0; r < ranges.size(); ++r) {
            const auto& g = ranges[r];
            if (!(g.tick_lower < g.tick_upper))
                throw_invalid_argument(where, detail::message("ranges[", r, "].tick_lower"), g.tick_lower,
                                       detail::message("< tick_upper ", g.tick_upper).c_str());
            check_positive(where, detail::message("ranges[", r, "].liquidity"), g.liquidity);
            net.emplace_back(g.tick_lower, g.liquidity);
            net.emplace_back(g.tick_upper, -g.liquidity);
            if (tick_sqrt_price<Real>(g.tick_lower) <= sqrt0_ && sqrt0_ < tick_sqrt_price<Real>(g.tick_upper))
                liquidity0_ += g.liquidity;
        }
        std::sort(net.begin(), net.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [tick, l] : net) {
            if (!ticks_.empty() && ticks_.back().tick == tick) {
                ticks_.back().net += l;
            } else {
                ticks_.push_back({tick, tick_sqrt_price<Real>(tick), l});
            }
        }
        max_purchase_ = walk(true, std::numeric_limits<Real>::infinity()).base;
        max_sale_ = walk(false, std::numeric_limits<Real>::infinity()).base;
        if (!(max_purchase_ > 0) && !(max_sale_ > 0))
            throw_invalid_argument(where, "the liquidity around price0", 0, "> 0 on at least one side");
    }

    [[nodiscard]] Real marginal_price(Real q) const {
        const Real s = state(q).sqrt_price;
        return s * s;
    }
    [[nodiscard]] Real quote_between(Real from, Real to) const { return state(to).quote - state(from).quote; }
    [[nodiscard]] Real max_purchase() const noexcept { return max_purchase_; }
    [[nodiscard]] Real max_sale() const noexcept { return max_sale_; }
    /// The active liquidity at displacement q (the liquidity of the range the price ends in).
    [[nodiscard]] Real liquidity(Real q) const { return state(q).liquidity; }

private:
    struct tick_entry {
        int tick;
        Real sqrt_price;
        Real net;  // liquidityNet: added crossing upwards, removed crossing downwards
    };
    struct walk_result {
        Real base{};        // base taken from (upwards) or given to (downwards) the pool
        Real quote{};       // signed change of the quote reserve
        Real sqrt_price{};
        Real liquidity{};
    };

    // Walks from √P0 upwards (purchases) or downwards (sales) until `amount` base has moved or
    // the ticks run out; `base` of the result says how much moved.
    [[nodiscard]] walk_result walk(bool up, Real amount) const {
        walk_result w{Real(0), Real(0), sqrt0_, liquidity0_};
        auto crossing = std::upper_bound(ticks_.begin(), ticks_.end(), sqrt0_,
                                         [](Real s, const tick_entry& t) { return s < t.sqrt_price; });
        if (up) {
            for (auto t = crossing; t != ticks_.end(); ++t) {
                const Real depth = w.liquidity * (Real(1) / w.sqrt_price - Real(1) / t->sqrt_price);
                if (w.base + depth >= amount) return finish(w, amount - w.base, true);
                w.base += depth;
                w.quote += w.liquidity * (t->sqrt_price - w.sqrt_price);
                w.sqrt_price = t->sqrt_price;
                w.liquidity += t->net;
            }
        } else {
            // ticks at or below √P0, visited downwards; a tick exactly at √P is crossed when the price leaves it
            for (auto t = crossing; t != ticks_.begin();) {
                --t;
                const Real depth = w.liquidity * (Real(1) / t->sqrt_price - Real(1) / w.sqrt_price);
                if (w.base + depth >= amount) return finish(w, amount - w.base, false);
                w.base += depth;
                w.quote -= w.liquidity * (w.sqrt_price - t->sqrt_price);
                w.sqrt_price = t->sqrt_price;
                w.liquidity -= t->net;
            }
        }
        return w;
    }

    [[nodiscard]] static walk_result finish(walk_result w, Real rest, bool up) {
        if (rest > 0 && w.liquidity > 0) {
            const Real inverse = Real(1) / w.sqrt_price + (up ? -rest : rest) / w.liquidity;
            const Real next = Real(1) / inverse;
            w.quote += w.liquidity * (next - w.sqrt_price);
            w.sqrt_price = next;
            w.base += rest;
        }
        return w;
    }

    [[nodiscard]] walk_result state(Real q) const {
        if (!(q < max_purchase_ && q > -max_sale_))
            throw_invalid_argument("concentrated_liquidity_curve", "the displacement", q,
                                   detail::message("inside the pool's depth (-", max_sale_, ", ", max_purchase_, ")").c_str());
        return q >= 0 ? walk(true, q) : walk(false, -q);
    }

    Real sqrt0_{};
    Real liquidity0_{0};
    Real max_purchase_{};
    Real max_sale_{};
    std::vector<tick_entry> ticks_;
};

/// Uniswap v3 pool impact: concentrated_liquidity_curve with the fee on the input.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class concentrated_liquidity_impact : public amm_impact<concentrated_liquidity_curve<Real>, Real> {
public:
    /// \param fee the pool's fee tier as a fraction (0.0005, 0.003, 0.01)
    concentrated_liquidity_impact(Real price0, const std::vector<liquidity_range<Real>>& ranges, Real fee,
                                  Real resilience = Real(0))
        : amm_impact<concentrated_liquidity_curve<Real>, Real>(concentrated_liquidity_curve<Real>(price0, ranges), fee,
                                                               amm_fee_side::input, resilience) {}
};

}  // namespace margincall
