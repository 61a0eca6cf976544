#pragma once
/// \file
/// The distribution functions every layer uses, in one place: the standard normal density,
/// CDF Φ and quantile Φ⁻¹, Student-t (ν degrees of freedom) and chi-square (k degrees of
/// freedom) CDFs and quantiles, each for any real_scalar.
///
/// All of them are Boost.Math's (boost/math/distributions/{normal,students_t,chi_squared}.hpp,
/// boost/math/special_functions/erf.hpp); every upper tail is computed as a complement (never
/// 1 − CDF). Φ(x) = erfc(−x/√2)/2 keeps the relative accuracy of both tails, but the rounding
/// of x/√2 in the working precision costs a relative error of about x² ε in the far tail
/// (3.5e-14 at x = −20, 1.5e-13 at x = −37 in double, as Boost's normal_distribution shows),
/// and so does x²/2 in φ. For float and double the argument is therefore formed and the
/// function evaluated in long double (64-bit significand on x86-64), which leaves the result
/// within about 1 ulp of the true value over the whole range; other types use their own
/// precision (where long double is double, e.g. AArch64 macOS, the x² ε term remains).
/// This header only checks the arguments first, so a bad input raises the library's own
/// invalid_argument ("where: argument is value, but must be condition") instead of Boost's
/// domain_error, and it fixes the names: `normal_quantile(p)` is Φ⁻¹(p), `chi_squared_quantile(p,
/// k)` is the p-quantile (R's `qchisq(p, k)`), so a critical value at significance s is
/// `chi_squared_quantile(1 − s, k)` or `chi_squared_upper_quantile(s, k)`.
///
/// Relation to options/normal_cdf.hpp: that header's `normal_cdf_fast` is a branch-free double-only
/// Chebyshev fit (relative error ≤ 1e-13 against these functions on [−37.5, 37.5]) written so
/// that batch option-pricing loops vectorise; it is the option pricer's hot-path kernel and is
/// tested against `standard_normal_cdf` here. Everything else (risk, backtests, volatility
/// quantiles, scalar code of any Real type) calls this header.
/// Sources: M. Abramowitz & I. Stegun, Handbook of Mathematical Functions (1964), 26.2 (normal),
/// 26.7 (Student-t), 26.4 (chi-square); Boost.Math "Statistical Distributions" documentation.
/// Tested: tests/core/distributions.cpp against SciPy (tests/reference/risk_figures.py).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/erf.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace margincall {

namespace detail {
/// The type Φ and φ are evaluated in: long double for float and double (see the file comment).
template <class Real>
using normal_work_type =
    std::conditional_t<std::is_same_v<Real, float> || std::is_same_v<Real, double>, long double, Real>;

/// Q(y) = P(Z > y) = erfc(y/√2)/2 in the working type of Real.
template <real_scalar Real>
[[nodiscard]] Real normal_upper_tail_of(const Real& y) {
    using work = normal_work_type<Real>;
    const work t = static_cast<work>(y) * boost::math::constants::one_div_root_two<work>();
    return static_cast<Real>(boost::math::erfc(t) / 2);
}
}  // namespace detail

/// φ(x), the standard normal density; NaN throws, ±∞ gives 0.
template <real_scalar Real>
[[nodiscard]] Real standard_normal_pdf(Real x) {
    if (x != x) throw_invalid_argument("standard_normal_pdf", "x", x, "a number (not NaN)");
    if (!detail::is_finite(x)) return Real(0);
    using work = detail::normal_work_type<Real>;
    using std::exp;
    const work w = static_cast<work>(x);
    return static_cast<Real>(exp(-w * w / 2) * boost::math::constants::one_div_root_two_pi<work>());
}

/// Φ(x) = P(Z ≤ x); Φ(−∞) = 0, Φ(+∞) = 1; NaN throws.
template <real_scalar Real>
[[nodiscard]] Real standard_normal_cdf(Real x) {
    if (x != x) throw_invalid_argument("standard_normal_cdf", "x", x, "a number (not NaN)");
    if (!detail::is_finite(x)) return x > Real(0) ? Real(1) : Real(0);
    return detail::normal_upper_tail_of(Real(-x));
}

/// 1 − Φ(x) = P(Z > x), computed as a complement (full relative accuracy for large x).
template <real_scalar Real>
[[nodiscard]] Real standard_normal_upper_tail(Real x) {
    if (x != x) throw_invalid_argument("standard_normal_upper_tail", "x", x, "a number (not NaN)");
    if (!detail::is_finite(x)) return x > Real(0) ? Real(0) : Real(1);
    return detail::normal_upper_tail_of(x);
}

/// Φ⁻¹(p) for p ∈ (0, 1) (R's qnorm(p)); throws outside.
template <real_scalar Real>
[[nodiscard]] Real standard_normal_quantile(Real p) {
    check_probability("standard_normal_quantile", "p", p);
    return boost::math::quantile(boost::math::normal_distribution<Real>(), p);
}

/// The x with P(Z > x) = q, q ∈ (0, 1): Φ⁻¹(1 − q) without forming 1 − q.
template <real_scalar Real>
[[nodiscard]] Real standard_normal_upper_quantile(Real q) {
    check_probability("standard_normal_upper_quantile", "q", q);
    return boost::math::quantile(boost::math::complement(boost::math::normal_distribution<Real>(), q));
}

namespace detail {
/// ν (or k) finite and at least the smallest normal number of Real: a subnormal ν halves to 0
/// inside Boost's beta and incomplete gamma functions, which then raise their own domain_error
/// (issue #15 reliability sweep).
template <real_scalar Real>
void check_degrees_of_freedom(const char* where, const Real& nu) {
    check_positive(where, "degrees_of_freedom", nu);
    if (nu < std::numeric_limits<Real>::min())
        throw_invalid_argument(where, "degrees_of_freedom", nu, "a normal number (not subnormal)");
}

/// Evaluates a Boost.Math distribution function whose arguments have been checked. Valid
/// arguments can still defeat Boost in the working precision: a quantile beyond the largest Real
/// (t_ν⁻¹(0.99) for ν = 1e-300), Γ(k/2) overflowing inside P(χ²_k ≤ x) for k = 1e200, a series
/// that does not converge in Boost's iteration limit (the χ²_k quantile at p = 1e-37 for
/// k = 1e25). Boost raises std::overflow_error or boost::math::evaluation_error (both
/// std::runtime_error); that becomes the library's numeric_error naming the argument, ν and
/// Boost's reason (issue #15 reliability sweep and fuzzer).
template <real_scalar Real, class F>
[[nodiscard]] Real evaluate_distribution(const char* where, const char* argument, const Real& value, const Real& nu,
                                         F&& f) {
    try {
        return f();
    } catch (const std::runtime_error& e) {
        throw_numeric_error(where, argument, value,
                            message("such that the result can be computed in the working precision (degrees_of_freedom = ",
                                    nu, "; Boost.Math: ", e.what(), ")")
                                .c_str());
    }
}
}  // namespace detail

/// The Student-t density with ν > 0 degrees of freedom.
template <real_scalar Real>
[[nodiscard]] Real student_t_pdf(Real x, Real nu) {
    detail::check_degrees_of_freedom("student_t_pdf", nu);
    check_finite("student_t_pdf", "x", x);
    return detail::evaluate_distribution("student_t_pdf", "x", x, nu, [&] {
        return boost::math::pdf(boost::math::students_t_distribution<Real>(nu), x);
    });
}

/// P(T_ν ≤ x) (R's pt(x, ν)); x finite, ν > 0.
template <real_scalar Real>
[[nodiscard]] Real student_t_cdf(Real x, Real nu) {
    detail::check_degrees_of_freedom("student_t_cdf", nu);
    check_finite("student_t_cdf", "x", x);
    return detail::evaluate_distribution("student_t_cdf", "x", x, nu, [&] {
        return boost::math::cdf(boost::math::students_t_distribution<Real>(nu), x);
    });
}

/// The p-quantile of t_ν (R's qt(p, ν)), p ∈ (0, 1), ν > 0.
template <real_scalar Real>
[[nodiscard]] Real student_t_quantile(Real p, Real nu) {
    detail::check_degrees_of_freedom("student_t_quantile", nu);
    check_probability("student_t_quantile", "p", p);
    return detail::evaluate_distribution("student_t_quantile", "p", p, nu, [&] {
        return boost::math::quantile(boost::math::students_t_distribution<Real>(nu), p);
    });
}

/// P(χ²_k ≤ x) (R's pchisq(x, k)); x ≥ 0 finite, k > 0.
template <real_scalar Real>
[[nodiscard]] Real chi_squared_cdf(Real x, Real k) {
    detail::check_degrees_of_freedom("chi_squared_cdf", k);
    check_non_negative("chi_squared_cdf", "x", x);
    return detail::evaluate_distribution("chi_squared_cdf", "x", x, k, [&] {
        return boost::math::cdf(boost::math::chi_squared_distribution<Real>(k), x);
    });
}

/// P(χ²_k > x), the p-value of a statistic x (R's pchisq(x, k, lower.tail = FALSE));
/// x ≥ 0 (+∞ gives 0), k > 0.
template <real_scalar Real>
[[nodiscard]] Real chi_squared_upper_tail(Real x, Real k) {
    detail::check_degrees_of_freedom("chi_squared_upper_tail", k);
    if (!(x >= Real(0))) throw_invalid_argument("chi_squared_upper_tail", "x", x, ">= 0");
    if (!detail::is_finite(x)) return Real(0);
    if (x == Real(0)) return Real(1);
    return detail::evaluate_distribution("chi_squared_upper_tail", "x", x, k, [&] {
        return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<Real>(k), x));
    });
}

/// The p-quantile of χ²_k (R's qchisq(p, k)), p ∈ (0, 1), k > 0: the critical value of a test
/// at significance 1 − p (3.841459 for p = 0.95, k = 1).
template <real_scalar Real>
[[nodiscard]] Real chi_squared_quantile(Real p, Real k) {
    detail::check_degrees_of_freedom("chi_squared_quantile", k);
    check_probability("chi_squared_quantile", "p", p);
    return detail::evaluate_distribution("chi_squared_quantile", "p", p, k, [&] {
        return boost::math::quantile(boost::math::chi_squared_distribution<Real>(k), p);
    });
}

/// The x with P(χ²_k > x) = s, s ∈ (0, 1): the critical value at significance s, computed
/// without forming 1 − s (R's qchisq(s, k, lower.tail = FALSE)).
template <real_scalar Real>
[[nodiscard]] Real chi_squared_upper_quantile(Real s, Real k) {
    detail::check_degrees_of_freedom("chi_squared_upper_quantile", k);
    check_probability("chi_squared_upper_quantile", "s", s);
    return detail::evaluate_distribution("chi_squared_upper_quantile", "s", s, k, [&] {
        return boost::math::quantile(boost::math::complement(boost::math::chi_squared_distribution<Real>(k), s));
    });
}

}  // namespace margincall
