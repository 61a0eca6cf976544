#pragma once
/// \file
/// Named argument checkers, in the style of Stan Math's `check_*` and Boost.Math's error
/// policies: check first, compute second. Each throws margincall::invalid_argument with
/// "where: argument is value, but must be condition". Comparisons are written so that
/// NaN fails every check (`!(x > 0)` is true for NaN).

#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace margincall {

namespace detail {
template <real_scalar Real>
[[nodiscard]] constexpr bool is_finite(const Real& x) {
    using std::isfinite;
    return static_cast<bool>(isfinite(x));  // ADL finds boost::multiprecision::isfinite
}
}  // namespace detail

/// x is a finite number (not NaN, not ±∞).
template <real_scalar Real>
void check_finite(const char* where, std::string_view argument, const Real& x) {
    if (!detail::is_finite(x)) throw_invalid_argument(where, argument, x, "finite");
}

/// x is finite and > 0.
template <real_scalar Real>
void check_positive(const char* where, std::string_view argument, const Real& x) {
    if (!(x > 0) || !detail::is_finite(x)) throw_invalid_argument(where, argument, x, "finite and > 0");
}

/// x is finite and ≥ 0.
template <real_scalar Real>
void check_non_negative(const char* where, std::string_view argument, const Real& x) {
    if (!(x >= 0) || !detail::is_finite(x)) throw_invalid_argument(where, argument, x, "finite and >= 0");
}

/// x lies in the open interval (0, 1): confidence levels, probabilities of a tail.
template <real_scalar Real>
void check_probability(const char* where, std::string_view argument, const Real& x) {
    if (!(x > 0 && x < 1)) throw_invalid_argument(where, argument, x, "in (0, 1)");
}

/// x lies in the closed interval [lo, hi].
template <real_scalar Real>
void check_in_closed(const char* where, std::string_view argument, const Real& x, const Real& lo,
                     const Real& hi) {
    if (!(x >= lo && x <= hi))
        throw_invalid_argument(where, argument, x, detail::message("in [", lo, ", ", hi, "]").c_str());
}

/// Every element of a sample is finite; the message names the first bad index.
template <real_scalar Real>
void check_all_finite(const char* where, std::string_view argument, std::span<const Real> xs) {
    for (std::size_t i = 0; i < xs.size(); ++i)
        if (!detail::is_finite(xs[i])) throw_invalid_argument(where, detail::message(argument, "[", i, "]"), xs[i], "finite");
}

/// Every element of a sample is finite and so is its square (|x| below about 1.3e154 for
/// double): samples that enter sums of squares (variance filters, likelihoods), where a return
/// of 1e308 made the variance +∞ (issue #14, class 4). Names the first bad index.
template <real_scalar Real>
void check_all_finite_squares(const char* where, std::string_view argument, std::span<const Real> xs) {
    check_all_finite(where, argument, xs);
    for (std::size_t i = 0; i < xs.size(); ++i)
        if (!detail::is_finite(Real(xs[i] * xs[i])))
            throw_invalid_argument(where, detail::message(argument, "[", i, "]"), xs[i],
                                   "small enough that its square is finite (rescale the series)");
}

/// A sample is not empty.
template <class T>
void check_not_empty(const char* where, std::string_view argument, std::span<const T> xs) {
    if (xs.empty()) throw_invalid_argument(where, detail::message("the size of ", argument), xs.size(), "> 0");
}

}  // namespace margincall
