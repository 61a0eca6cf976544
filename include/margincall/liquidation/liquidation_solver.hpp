#pragma once
/// \file
/// Generic liquidation-price solver: every price in a range at which an account's equity
/// crosses its maintenance margin, for accounts whose equity and margin are arbitrary
/// functions of one underlying price (options and perpetuals mixed, several legs).
///
/// Method: evaluate the margin surplus s(P) = equity(P) − MM(P) on a grid (logarithmic by
/// default, since prices are positive and moves are relative); every sign change brackets a
/// root, refined with Boost.Math's TOMS 748 (Alefeld, Potra & Shi 1995, ACM TOMS 21(3)).
/// A pair of roots inside one or two cells leaves no sign change on the grid, so every grid
/// value that is a local minimum of a positive surplus (or a local maximum of a negative one)
/// is refined with Boost.Math's Brent minimiser over its two neighbouring cells; if the
/// extremum crosses zero, both roots are bracketed and solved. A pair of roots is missed only
/// if the surplus dips below zero and back inside one cell *and* the dip is not the lowest
/// grid value of its neighbourhood — i.e. for a smooth surplus, only if the grid is coarser
/// than the dip itself. Derivation and guarantees: docs/liquidation.md, "Generic solver".
///
/// When not to use it: for linear or inverse perpetuals alone use the closed forms in
/// liquidation_price.hpp (exact, tier-consistent, ~100× faster).

#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>

#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/precision.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace margincall {

/// Options of the generic solver.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct liquidation_scan_options {
    std::size_t grid_points{1024};       ///< scan points over [lower, upper], ≥ 3
    bool logarithmic_grid{true};         ///< log-spaced grid (needs lower > 0); else uniform
    std::uintmax_t max_iterations{200};  ///< budget of evaluations per TOMS 748 solve (a crossing
                                         ///< not solved within it is `no_convergence`) and of
                                         ///< iterations per Brent minimisation
};

/// What the generic solver found.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct liquidation_scan {
    std::vector<Real> crossings;        ///< every root of equity − MM in [lower, upper], ascending
                                        ///< (an unconverged one: the midpoint of its last bracket)
    std::vector<solve_status> crossing_status;  ///< per crossing: found, or no_convergence when the
                                                ///< TOMS 748 budget (max_iterations) ran out
    liquidation_prices<Real> prices;    ///< nearest crossing below / above the mark (tier fields unused)
    Real surplus_at_mark{0};            ///< equity − MM at the mark
    std::size_t evaluations{0};         ///< calls of the surplus function, scan and refinement
};

namespace detail {

/// Evaluates a surplus function and counts the calls; a non-finite value is an input error.
template <real_scalar Real, class Surplus>
class counted_surplus {
public:
    counted_surplus(Surplus& f, const char* where, Real upper) : f_(f), where_(where), upper_(upper) {}
    Real operator()(const Real& x) {
        ++count_;
        // A search price that is not finite (the root refinement's interpolation overflowing on a
        // range reaching ~1e308) must not be reported as "the surplus at -nan" (issue #14, class 6).
        if (!is_finite(x))
            throw_invalid_argument(where_, "upper", upper_,
                                   "small enough that every search and refinement price stays finite");
        const Real v = static_cast<Real>(std::invoke(f_, x));
        if (!is_finite(v))
            throw_invalid_argument(where_, detail::message("the surplus at ", x), v, "finite");
        return v;
    }
    [[nodiscard]] std::size_t count() const noexcept { return count_; }

private:
    Surplus& f_;
    const char* where_;
    Real upper_;
    std::size_t count_{0};
};

/// A crossing: the root (or, unconverged, the midpoint of the bracket that holds it).
template <real_scalar Real>
struct crossing {
    Real x;
    solve_status status;
    friend bool operator<(const crossing& a, const crossing& b) noexcept { return a.x < b.x; }
    friend bool operator==(const crossing& a, const crossing& b) noexcept { return a.x == b.x; }
};

/// Refines a sign-change bracket [a, b] (fa·fb < 0) with TOMS 748 to the working precision.
template <real_scalar Real, class F>
crossing<Real> refine_root(F& f, Real a, Real b, Real fa, Real fb, std::uintmax_t max_iterations) {
    const solve_result<Real> r = solve_bracketed(f, a, b, fa, fb, solve_budget<Real>{max_iterations});
    return {r.root, r.status};
}

/// The scan shared by the price solver and the joint-move solver: grid, sign changes,
/// extremum refinement. `grid(i)` gives the i-th of n ascending points.
template <real_scalar Real, class F, class Grid>
std::vector<crossing<Real>> scan_crossings(F& f, std::size_t n, Grid grid, std::uintmax_t max_iterations) {
    std::vector<Real> xs(n);
    std::vector<Real> fs(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = grid(i);
        fs[i] = f(xs[i]);
    }
    std::vector<crossing<Real>> roots;
    for (std::size_t i = 0; i < n; ++i) {
        if (fs[i] == 0) roots.push_back({xs[i], solve_status::found});
        if (i + 1 < n && ((fs[i] < 0 && fs[i + 1] > 0) || (fs[i] > 0 && fs[i + 1] < 0)))
            roots.push_back(refine_root(f, xs[i], xs[i + 1], fs[i], fs[i + 1], max_iterations));
    }
    // A local extremum of the grid values that points toward zero may hide two roots.
    const int bits = boost::math::tools::digits<Real>() / 2;  // Brent's limit: sqrt(eps) in x
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t lo = i == 0 ? 0 : i - 1;
        const std::size_t hi = i + 1 < n ? i + 1 : n - 1;
        if (lo == hi) continue;
        const bool positive = fs[i] > 0 && fs[lo] > 0 && fs[hi] > 0;
        const bool negative = fs[i] < 0 && fs[lo] < 0 && fs[hi] < 0;
        if (!positive && !negative) continue;
        const Real sign = positive ? Real(1) : Real(-1);
        if (!(sign * fs[i] <= sign * fs[lo] && sign * fs[i] <= sign * fs[hi])) continue;
        std::uintmax_t iterations = max_iterations;
        auto towards_zero = [&](const Real& x) { return sign * f(x); };
        const auto extremum = boost::math::tools::brent_find_minima(towards_zero, xs[lo], xs[hi], bits, iterations);
        const Real x_min = extremum.first;
        const Real f_min = sign * extremum.second;
        if (f_min == 0) {
            roots.push_back({x_min, solve_status::found});
        } else if ((f_min < 0) == positive) {
            if (x_min > xs[lo]) roots.push_back(refine_root(f, xs[lo], x_min, fs[lo], f_min, max_iterations));
            if (x_min < xs[hi]) roots.push_back(refine_root(f, x_min, xs[hi], f_min, fs[hi], max_iterations));
        }
    }
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    return roots;
}

/// Nearest crossings below and above the mark; "already liquidated" when the surplus at the
/// mark is negative; "no convergence" when the nearest crossing on a side was not solved to
/// the tolerance within the budget.
template <real_scalar Real>
liquidation_prices<Real> nearest_crossings(const std::vector<Real>& roots, const std::vector<solve_status>& status,
                                           Real mark, Real surplus_at_mark) {
    liquidation_prices<Real> out;
    if (surplus_at_mark < 0) {
        out.downside.status = liquidation_status::already_liquidated;
        out.upside.status = liquidation_status::already_liquidated;
        return out;
    }
    out.downside.status = liquidation_status::out_of_range;
    out.upside.status = liquidation_status::out_of_range;
    const auto point = [&](std::size_t i) -> liquidation_point<Real> {
        if (status[i] == solve_status::found) return {liquidation_status::found, roots[i], 0, 0};
        return {liquidation_status::no_convergence, Real(0), 0, 0};
    };
    bool upside_set = false;
    for (std::size_t i = 0; i < roots.size(); ++i) {
        if (roots[i] <= mark) out.downside = point(i);
        if (roots[i] >= mark && !upside_set) {
            out.upside = point(i);
            upside_set = true;
        }
    }
    return out;
}

}  // namespace detail

/// Every price in [lower, upper] at which `surplus(P)` = equity(P) − maintenance margin(P)
/// changes sign, and the nearest ones below and above `mark`.
///
/// \param surplus callable `Real(Real price)`; must return finite values on [lower, upper]
/// \param mark the current mark, in [lower, upper]
/// \param lower, upper the search range, 0 ≤ lower < upper (lower > 0 for a log grid)
/// \throws invalid_argument on a bad range or options, or a non-finite surplus value
template <real_scalar Real, class Surplus>
    requires std::invocable<Surplus&, Real> && std::convertible_to<std::invoke_result_t<Surplus&, Real>, Real>
[[nodiscard]] liquidation_scan<Real> find_liquidation_prices(Surplus surplus, Real mark, Real lower, Real upper,
                                                             const liquidation_scan_options<Real>& options = {}) {
    constexpr const char* where = "find_liquidation_prices";
    check_finite(where, "lower", lower);
    check_finite(where, "upper", upper);
    if (options.logarithmic_grid)
        check_positive(where, "lower", lower);
    else
        check_non_negative(where, "lower", lower);
    if (!(upper > lower)) throw_invalid_argument(where, "upper", upper, detail::message("> lower = ", lower).c_str());
    check_in_closed(where, "mark", mark, lower, upper);
    if (options.grid_points < 3) throw_invalid_argument(where, "grid_points", options.grid_points, ">= 3");

    detail::counted_surplus<Real, Surplus> f(surplus, where, upper);
    const std::size_t n = options.grid_points;
    using std::exp;
    using std::log;
    const Real log_lo = options.logarithmic_grid ? Real(log(lower)) : Real(0);
    const Real log_hi = options.logarithmic_grid ? Real(log(upper)) : Real(0);
    auto grid = [&](std::size_t i) -> Real {
        if (i == 0) return lower;
        if (i + 1 == n) return upper;
        const Real w = Real(i) / Real(n - 1);
        if (options.logarithmic_grid) return Real(exp(log_lo + (log_hi - log_lo) * w));
        return lower + (upper - lower) * w;
    };
    liquidation_scan<Real> out;
    const std::vector<detail::crossing<Real>> found = detail::scan_crossings<Real>(f, n, grid, options.max_iterations);
    out.crossings.reserve(found.size());
    out.crossing_status.reserve(found.size());
    for (const auto& c : found) {
        out.crossings.push_back(c.x);
        out.crossing_status.push_back(c.status);
    }
    out.surplus_at_mark = f(mark);
    out.prices = detail::nearest_crossings(out.crossings, out.crossing_status, mark, out.surplus_at_mark);
    out.evaluations = f.count();
    return out;
}

/// As above, for an account given as two functions of the price: equity(P) and maintenance
/// margin MM(P); the surplus is equity(P) − MM(P).
template <real_scalar Real, class Equity, class Margin>
    requires std::invocable<Equity&, Real> && std::invocable<Margin&, Real>
[[nodiscard]] liquidation_scan<Real> find_liquidation_prices(Equity equity, Margin maintenance, Real mark, Real lower,
                                                             Real upper,
                                                             const liquidation_scan_options<Real>& options = {}) {
    auto surplus = [&](Real price) -> Real {
        return static_cast<Real>(std::invoke(equity, price)) - static_cast<Real>(std::invoke(maintenance, price));
    };
    return find_liquidation_prices(surplus, mark, lower, upper, options);
}

}  // namespace margincall
