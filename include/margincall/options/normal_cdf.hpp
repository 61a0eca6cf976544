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
// Chebyshev coefficients a_0..a_24 of P(t), t = c/(c + y), c = 3.5, in s = 2t − 1 (see below).
// Source: computed with mpmath (50 digits) by tests/reference/options_normal_cdf_chebyshev.py;
// its output tests/reference/options_normal_cdf_chebyshev.out is pasted here unchanged.
inline constexpr double normal_tail_c = 3.5;
inline constexpr std::array<double, 25> normal_tail_chebyshev{
        -1.4879332783549778074,
        7.444254251236767498e-1,
        5.7647216784776781421e-2,
        -5.1430273912979790748e-3,
        -2.2330237905069676832e-3,
        -1.1850082785791417702e-5,
        9.9411676535043871653e-5,
        7.1901926304052851108e-6,
        -4.9170992958743004202e-6,
        -6.1775933927720158956e-7,
        2.6394764617972407247e-7,
        4.30638450874291224e-8,
        -1.5155590829990293174e-8,
        -2.7277151487509577187e-9,
        9.1466493278915358903e-10,
        1.5902260804556545302e-10,
        -5.6500787891882566118e-11,
        -8.3507075646453655019e-12,
        3.4443718086498434896e-12,
        3.7424077581343902256e-13,
        -1.9766779007701876958e-13,
        -1.2710254904098165141e-14,
        9.9843528850151404165e-15,
        2.4051925740962142717e-16,
        -3.8977705112451064204e-16,
};

/// Σ_k a_k·T_k(s) by Clenshaw's recurrence, b_k = a_k + 2s·b_{k+1} − b_{k+2}, sum = a_0 + s·b_1 − b_2,
/// written as a fold over k = N−1..1 so that it is unrolled at compile time (a run-time loop
/// inside the element loop stops GCC from vectorising the element loop).
template <std::size_t N, std::size_t... I>
[[nodiscard]] inline double chebyshev_sum(const std::array<double, N>& a, double s,
                                          std::index_sequence<I...> /*k = N-1-I*/) noexcept {
    const double s2 = 2.0 * s;
    double b1 = 0.0;
    double b2 = 0.0;
    ((b2 = std::exchange(b1, s2 * b1 - b2 + a[N - 1 - I])), ...);
    return s * b1 - b2 + a[0];
}
}  // namespace detail

/// Φ(x) = P(Z ≤ x) for a standard normal Z; branch-free and vectorisable.
// Upper tail, y = |x| ≥ 0: Q(y) = Φ(−y) = t·exp(−y²/2 + P(t)), t = c/(c + y) ∈ (0, 1].
// Source: the form of Numerical Recipes 3rd ed. (Press et al. 2007) §6.2.2 "erfccheb"
// (erfc(z) = t·exp(−z² + P(t)), t = 2/(2 + z), P a Chebyshev series), rewritten for the normal
// tail with its own coefficients (above). −y²/2 is carried exactly as hi + lo with an FMA
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
    const double p = detail::chebyshev_sum(detail::normal_tail_chebyshev, s,
                                           std::make_index_sequence<detail::normal_tail_chebyshev.size() - 1>{});
    const double yy = y * y;
    const double yy_low = std::fma(y, y, -yy);  // y² = yy + yy_low exactly
    const double q = t * detail::fast_exp(-0.5 * yy, p - 0.5 * yy_low);
    return x < 0.0 ? q : 1.0 - q;
}

}  // namespace margincall
