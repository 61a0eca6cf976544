#pragma once
/// \file
/// Standard normal CDF Φ(x) in double precision, branch-free so that batch loops vectorise.
///
/// Use it inside hot loops over many options (option_batch.hpp); scalar code that wants any
/// real type uses Boost.Math (`boost::math::cdf(boost::math::normal_distribution<Real>{}, x)`).
/// Why not a library function: `std::erfc` and `boost::math::erfc` are scalar calls with
/// range branches, so GCC 12 cannot vectorise a loop that calls them (see fast_math.hpp).
///
/// Accuracy: relative error ≤ 1e-13 against `boost::math::cdf(normal, x)` for x ∈ [−37.5, 37.5]
/// (Φ(−37.5) ≈ 4.6e-308 is the last normal double); the measured worst case is printed by
/// tests/options/normal_cdf.cpp and stated in docs/options.md. Below −37.5 the result is a
/// subnormal or 0, as is the true value; NaN propagates; Φ(±∞) = 1 or 0.

#include <margincall/options/fast_math.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <utility>

namespace margincall {

namespace detail {
// P(t) of the tail form below, t = c/(c + y), c = 3.5, as a polynomial of degree 24 in s = 2t − 1:
// the Chebyshev interpolant of P (mpmath, 50 digits, 64 nodes; dropped tail 1.6e-17) written in the
// power basis for Horner's rule, m_0..m_24.
// Source: computed with mpmath by tests/reference/options_normal_cdf_chebyshev.py; the second
// block of its output tests/reference/options_normal_cdf_chebyshev.out is pasted here unchanged.
inline constexpr double normal_tail_c = 3.5;
inline constexpr std::array<double, 25> normal_tail_power{
        -1.5479181277841476188,
        7.5973885400389833133e-1,
        1.3511976730287134082e-1,
        -1.9847762753693781809e-2,
        -2.3542598794872306781e-2,
        -1.3238378088412897112e-3,
        4.7998813021049397897e-3,
        9.6974691199498662552e-4,
        -1.1022637364142498415e-3,
        -3.3828149170595694973e-4,
        2.7723633719288237475e-4,
        9.9585174462523814521e-5,
        -7.4254142503352110438e-5,
        -2.6196623113385345432e-5,
        2.0356042673401790228e-5,
        6.0800682163019250882e-6,
        -5.4254505975119161649e-6,
        -1.1913685387469962499e-6,
        1.320801859124283232e-6,
        1.8257688867732545045e-7,
        -2.7029529974838580506e-7,
        -1.9128330826043315156e-8,
        4.0556826957192145562e-8,
        1.0088108834302047905e-9,
        -3.2696868892794789679e-9,
};

/// P(s) = Σ m_j·s^j by Horner's rule with FMAs, written as a fold over j = 23..0 so that it is
/// unrolled at compile time (a run-time loop inside the element loop stops GCC from vectorising
/// the element loop). One FMA per degree: half the dependent operations of Clenshaw's
/// recurrence on the Chebyshev form, at the same accuracy on [−1, 1] (Σ|m_j| = 2.5 against
/// |P| ≥ 0.8: a few units of 2^−53, see the script).
template <std::size_t... I>
[[nodiscard]] inline double normal_tail_exponent(double s, std::index_sequence<I...> /*j = 23 - I*/) noexcept {
    constexpr std::size_t top = normal_tail_power.size() - 1;
    double p = normal_tail_power[top];
    ((p = std::fma(p, s, normal_tail_power[top - 1 - I])), ...);
    return p;
}
[[nodiscard]] inline double normal_tail_exponent(double s) noexcept {
    return normal_tail_exponent(s, std::make_index_sequence<normal_tail_power.size() - 1>{});
}
}  // namespace detail

/// Φ(x) = P(Z ≤ x) for a standard normal Z; branch-free and vectorisable.
// Upper tail, y = |x| ≥ 0: Q(y) = Φ(−y) = t·exp(−y²/2 + P(t)), t = c/(c + y) ∈ (0, 1].
// Source: the form of Numerical Recipes 3rd ed. (Press et al. 2007) §6.2.2 "erfccheb"
// (erfc(z) = t·exp(−z² + P(t)), t = 2/(2 + z), P a Chebyshev series), rewritten for the normal
// tail with its own coefficients (above; evaluated by Horner's rule in the power basis). −y²/2 is carried exactly as hi + lo with an FMA
// (y² = y·y + fma(y, y, −y·y)) and passed to fast_exp as an unevaluated sum, so that for large y
// the rounding of the exponent (|−y²/2| up to 700, ulp 1.1e-13) does not become a relative error
// of Q. Φ(x) = Q(|x|) for x < 0 and 1 − Q(x) for x ≥ 0.
[[nodiscard]] inline double normal_cdf_fast(double x) noexcept {
    constexpr double c = detail::normal_tail_c;
    double y = std::fabs(x);
    y = y > 40.0 ? 40.0 : y;  // Q(40) < 1e-349 rounds to 0 like Q(∞); written so NaN stays NaN
    const double inv = 1.0 / (c + y);
    const double t = c * inv;
    const double s = (c - y) * inv;
    const double p = detail::normal_tail_exponent(s);
    const double yy = y * y;
    const double yy_low = std::fma(y, y, -yy);  // y² = yy + yy_low exactly
    const double q = t * detail::fast_exp(-0.5 * yy, p - 0.5 * yy_low);
    return x < 0.0 ? q : 1.0 - q;
}

}  // namespace margincall
