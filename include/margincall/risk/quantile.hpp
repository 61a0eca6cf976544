#pragma once
/// \file
/// Sample quantiles of the nine Hyndman–Fan types, computed exactly as R 4.2's
/// `quantile(x, p, type = t)` does (same index arithmetic, same 4ε fuzz for types 4–9, same
/// interpolation expression), by selection (`std::nth_element`, O(n)) rather than a full sort.
/// Source: R. J. Hyndman & Y. Fan, "Sample quantiles in statistical packages", The American
/// Statistician 50(4), 1996, 361–365; R's stats:::quantile.default (R 4.2.2).
/// Tested: against R's quantile(type = 1..9) in tests/risk/quantile.cpp (tests/reference/risk_quantiles.R).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace margincall {

/// The Hyndman–Fan sample-quantile definitions (R's `type =` argument).
/// type1: inverse of the empirical CDF, x_(⌈np⌉) (QuantLib, Boost.Accumulators);
/// type6: p_k = k/(n+1) (Minitab, SPSS); type7: p_k = (k−1)/(n−1) (R and NumPy default).
enum class quantile_type : int { type1 = 1, type2, type3, type4, type5, type6, type7, type8, type9 };

/// Where the p-quantile of n sorted values x_(1) ≤ … ≤ x_(n) sits: Q = (1 − h)·x_(lo) + h·x_(hi),
/// with 1-based ranks already clamped to [1, n] (R's x_(0) := x_(1), x_(n+1) := x_(n)).
/// Q is x_(lo) when h = 0 or x_(lo) = x_(hi), x_(hi) when h = 1.
template <real_scalar Real = double>
struct quantile_position {
    std::size_t lo;
    std::size_t hi;
    Real h;
};

/// The position of the p-quantile of n values (n ≥ 1, p ∈ [0, 1]) under a Hyndman–Fan type,
/// with R 4.2's arithmetic: type 7 index = 1 + (n−1)p; types 1–3 j = ⌊np⌋ (type 3: ⌊np − ½⌋);
/// types 4–9 j = ⌊a + p(n + 1 − a − b) + 4ε⌋ with (a, b) = (0,1), (½,½), (0,0), —, (⅓,⅓), (⅜,⅜).
template <real_scalar Real>
[[nodiscard]] quantile_position<Real> locate_quantile(quantile_type type, std::size_t n, Real p) noexcept {
    using std::floor;
    using std::ceil;
    using std::abs;
    const auto clamp_rank = [n](Real j) {
        if (!(j >= Real(1))) return std::size_t{1};
        const auto r = static_cast<std::size_t>(j);
        return r > n ? n : r;
    };
    const Real nr = static_cast<Real>(n);
    if (type == quantile_type::type7) {
        const Real index = Real(1) + (n > 0 ? Real(nr - Real(1)) : Real(0)) * p;
        const Real lo = floor(index);
        return {clamp_rank(lo), clamp_rank(Real(ceil(index))), Real(index - lo)};
    }
    Real j{};
    Real h{};
    if (type == quantile_type::type1 || type == quantile_type::type2 || type == quantile_type::type3) {
        const Real nppm = type == quantile_type::type3 ? Real(nr * p - Real(0.5)) : Real(nr * p);
        j = floor(nppm);
        const bool above = nppm > j;
        if (type == quantile_type::type1) h = above ? Real(1) : Real(0);
        if (type == quantile_type::type2) h = above ? Real(1) : Real(0.5);
        if (type == quantile_type::type3) {
            const bool odd = static_cast<long long>(j) % 2 != 0;
            h = (nppm != j || odd) ? Real(1) : Real(0);
        }
    } else {
        Real a{};
        Real b{};
        switch (type) {
            case quantile_type::type4: a = Real(0); b = Real(1); break;
            case quantile_type::type5: a = b = Real(0.5); break;
            case quantile_type::type6: a = b = Real(0); break;
            case quantile_type::type8: a = b = Real(1) / Real(3); break;
            default: a = b = Real(3) / Real(8); break;  // type9
        }
        // R's fuzz is 4 × double epsilon whatever the type; for float use float's own.
        const Real fuzz = Real(4) * std::numeric_limits<Real>::epsilon();
        const Real nppm = a + p * (nr + Real(1) - a - b);
        j = floor(Real(nppm + fuzz));
        h = nppm - j;
        if (abs(h) < fuzz) h = Real(0);
    }
    return {clamp_rank(j), clamp_rank(Real(j + Real(1))), h};
}

/// R's interpolation between the two neighbouring order statistics.
template <real_scalar Real>
[[nodiscard]] Real interpolate_quantile(const quantile_position<Real>& at, const Real& x_lo, const Real& x_hi) noexcept {
    if (at.h == Real(0)) return x_lo;
    if (at.h == Real(1)) return x_hi;
    if (x_lo == x_hi) return x_lo;
    return (Real(1) - at.h) * x_lo + at.h * x_hi;
}

namespace detail {
template <real_scalar Real>
[[nodiscard]] Real select_quantile(std::span<Real> values, Real p, quantile_type type) {
    const std::size_t n = values.size();
    const auto at = locate_quantile(type, n, p);
    auto lo = values.begin() + static_cast<std::ptrdiff_t>(at.lo - 1);
    std::nth_element(values.begin(), lo, values.end());
    const Real x_lo = *lo;
    const Real x_hi = at.hi > at.lo ? *std::min_element(lo + 1, values.end()) : x_lo;
    return interpolate_quantile(at, x_lo, x_hi);
}
}  // namespace detail

/// The p-quantile of `values`, reordering them in place (selection, O(n)); no copy, no allocation.
/// Throws margincall::invalid_argument for an empty span, p ∉ [0, 1] or a non-finite value.
template <real_scalar Real>
[[nodiscard]] Real select_quantile(std::span<Real> values, Real p, quantile_type type = quantile_type::type7) {
    constexpr const char* where = "select_quantile";
    check_not_empty<Real>(where, "values", values);
    check_in_closed(where, "p", p, Real(0), Real(1));
    check_all_finite<Real>(where, "values", values);
    return detail::select_quantile(values, p, type);
}

/// The p-quantile of `values` (copied once; the input is left untouched).
template <real_scalar Real>
[[nodiscard]] Real sample_quantile(std::span<const Real> values, Real p, quantile_type type = quantile_type::type7) {
    constexpr const char* where = "sample_quantile";
    check_not_empty<Real>(where, "values", values);
    check_in_closed(where, "p", p, Real(0), Real(1));
    check_all_finite<Real>(where, "values", values);
    std::vector<Real> copy(values.begin(), values.end());
    return detail::select_quantile(std::span<Real>(copy), p, type);
}

}  // namespace margincall
