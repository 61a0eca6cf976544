#pragma once
/// \file
/// StableSwap AMM (Curve) for a pegged pair: the invariant of M. Egorov, "StableSwap — efficient
/// mechanism for Stablecoin liquidity" (2019), for n = 2 coins in the contracts' notation
/// (Ann = A·n, i.e. the contracts' A is the whitepaper's A·n^(n−1)):
///
///   Ann·(x + y) + D = Ann·D + D³/(4·x·y)
///
/// Sources: curvefi/curve-contract (commit 574f440), contracts/pools/3pool/StableSwap3Pool.vy,
/// get_D (Newton on D: D ← (Ann·S + n·D_P)·D / ((Ann − 1)·D + (n + 1)·D_P), D_P = D^(n+1)/(n^n·Πx)),
/// get_y (Newton on y: y ← (y² + c)/(2y + b − D), c = D³/(4·x·Ann), b = x + D/Ann) and get_dy
/// (the fee on the output). The contracts stop when two iterates differ by ≤ 1 wei or after 255
/// iterations; here the budget and a relative tolerance are the caller's, and running out is
/// reported as solve_status::no_convergence (the curve then throws convergence_error).
/// Why no library: the iteration is the contract's own (its fixed point defines the pool), and
/// Boost's Newton solvers neither take this update nor report a budget per call in this shape.
/// The marginal price is the implicit derivative of the invariant F(x, y) = 0:
///   price of x in y = F_x/F_y = (Ann + D³/(4x²y)) / (Ann + D³/(4xy²)).
/// \test tests/cascade/amm_impact.cpp (against tests/reference/amm_stableswap.py)

#include <margincall/cascade/amm_impact.hpp>
#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

namespace margincall {

/// The iteration budget of a StableSwap Newton solve.
template <real_scalar Real = double>
struct stableswap_budget {
    std::uintmax_t max_iterations{255};                           ///< the contracts' loop bound
    Real relative_tolerance{Real(4) * std::numeric_limits<Real>::epsilon()};  ///< |x_k − x_{k−1}| ≤ tol·x_k stops
};

namespace detail {
// A budget of 0 iterations or a tolerance not finite and > 0 would end every solve as
// no_convergence with an error that does not name it: refuse it by name.
template <real_scalar Real>
void check_stableswap_budget(const char* where, const stableswap_budget<Real>& budget) {
    if (budget.max_iterations == 0) throw_invalid_argument(where, "budget.max_iterations", 0, "> 0");
    check_positive(where, "budget.relative_tolerance", budget.relative_tolerance);
}

template <real_scalar Real>
[[nodiscard]] solve_result<Real> stableswap_iterate_end(Real value, Real previous, std::uintmax_t k, bool done) {
    solve_result<Real> r;
    r.root = value;
    r.lower = value < previous ? value : previous;
    r.upper = value < previous ? previous : value;
    r.evaluations = k;
    r.status = done ? solve_status::found : solve_status::no_convergence;
    return r;
}
}  // namespace detail

/// get_D for two balances: the invariant D. \throws margincall::invalid_argument for a balance
/// not finite and > 0 (a pool with zero liquidity) or amp not finite and > 0
template <real_scalar Real>
[[nodiscard]] solve_result<Real> stableswap_invariant(Real x, Real y, Real amp, stableswap_budget<Real> budget = {}) {
    check_positive("stableswap_invariant", "x", x);
    check_positive("stableswap_invariant", "y", y);
    check_positive("stableswap_invariant", "amp", amp);
    detail::check_stableswap_budget("stableswap_invariant", budget);
    const Real s = x + y;
    const Real ann = amp * Real(2);
    Real d = s;
    Real previous = d;
    for (std::uintmax_t k = 1; k <= budget.max_iterations; ++k) {
        const Real dp = d * d / (x * Real(2)) * d / (y * Real(2));
        previous = d;
        d = (ann * s + dp * Real(2)) * d / ((ann - Real(1)) * d + Real(3) * dp);
        using std::abs;
        if (abs(d - previous) <= budget.relative_tolerance * d) return detail::stableswap_iterate_end(d, previous, k, true);
    }
    return detail::stableswap_iterate_end(d, previous, budget.max_iterations, false);
}

/// get_y: the other balance y with invariant D when one balance is x.
/// \throws margincall::invalid_argument for x, D or amp not finite and > 0
template <real_scalar Real>
[[nodiscard]] solve_result<Real> stableswap_other_balance(Real x, Real d, Real amp, stableswap_budget<Real> budget = {}) {
    check_positive("stableswap_other_balance", "x", x);
    check_positive("stableswap_other_balance", "d", d);
    check_positive("stableswap_other_balance", "amp", amp);
    detail::check_stableswap_budget("stableswap_other_balance", budget);
    const Real ann = amp * Real(2);
    const Real c = d * d / (x * Real(2)) * d / (ann * Real(2));
    const Real b = x + d / ann;
    Real y = d;
    Real previous = y;
    for (std::uintmax_t k = 1; k <= budget.max_iterations; ++k) {
        previous = y;
        y = (y * y + c) / (Real(2) * y + b - d);
        using std::abs;
        if (abs(y - previous) <= budget.relative_tolerance * y) return detail::stableswap_iterate_end(y, previous, k, true);
    }
    return detail::stableswap_iterate_end(y, previous, budget.max_iterations, false);
}

/// A two-coin StableSwap pool's curve as an amm_curve (coin 0 the base, coin 1 the quote, both
/// in the same units, so the peg is a price of 1).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class stableswap_curve {
public:
    /// \throws margincall::invalid_argument for a balance or amp not finite and > 0;
    ///   margincall::convergence_error when get_D runs out of its budget
    stableswap_curve(Real base_balance, Real quote_balance, Real amp, stableswap_budget<Real> budget = {})
        : x0_{base_balance}, y0_{quote_balance}, amp_{amp}, budget_{budget} {
        const auto d = stableswap_invariant(x0_, y0_, amp_, budget_);
        if (!d.found()) throw convergence_error("stableswap_curve: get_D ran out of its iteration budget");
        d_ = d.root;
    }
    [[nodiscard]] Real invariant() const noexcept { return d_; }
    [[nodiscard]] Real amp() const noexcept { return amp_; }
    /// The quote balance when the base balance is x0 − q. \throws convergence_error when get_y runs out
    [[nodiscard]] Real quote_balance(Real q) const {
        if (q == 0) return y0_;
        const auto y = stableswap_other_balance(x0_ - q, d_, amp_, budget_);
        if (!y.found()) throw convergence_error("stableswap_curve: get_y ran out of its iteration budget");
        return y.root;
    }
    [[nodiscard]] Real marginal_price(Real q) const {
        const Real x = x0_ - q;
        const Real y = quote_balance(q);
        const Real ann = amp_ * Real(2);
        const Real d3 = d_ * d_ * d_ / Real(4);
        return (ann + d3 / (x * x * y)) / (ann + d3 / (x * y * y));
    }
    [[nodiscard]] Real quote_between(Real from, Real to) const { return quote_balance(to) - quote_balance(from); }
    [[nodiscard]] Real max_purchase() const noexcept { return x0_; }
    [[nodiscard]] Real max_sale() const noexcept { return std::numeric_limits<Real>::infinity(); }

private:
    Real x0_;
    Real y0_;
    Real amp_;
    stableswap_budget<Real> budget_;
    Real d_{};
};

/// Curve StableSwap pool impact: stableswap_curve with the fee on the output.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class stableswap_impact : public amm_impact<stableswap_curve<Real>, Real> {
public:
    /// \param fee the pool's fee as a fraction (Curve's 3pool: 0.0001)
    stableswap_impact(Real base_balance, Real quote_balance, Real amp, Real fee, Real resilience = Real(0),
                      stableswap_budget<Real> budget = {})
        : amm_impact<stableswap_curve<Real>, Real>(stableswap_curve<Real>(base_balance, quote_balance, amp, budget), fee,
                                                   amm_fee_side::output, resilience) {}
};

}  // namespace margincall
