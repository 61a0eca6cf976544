#pragma once
/// \file
/// Branch-free exp, log and sqrt for `double` that GCC and Clang vectorise inside a loop.
///
/// Why not the standard ones: under the project's flags (`-O3 -march=native`, no
/// `-ffast-math`, so `-fmath-errno` holds) GCC 12 calls glibc's scalar `exp`, `log` and `sqrt`
/// for every element (glibc's vector `libmvec` variants are only used with `-ffast-math`), and
/// Boost.Math's special functions branch on the argument range. These versions have no calls,
/// no table look-ups and no data-dependent branches, so a loop over spans becomes SIMD code.
/// They serve the batch pricer (option_batch.hpp) and the fast normal CDF (normal_cdf.hpp);
/// scalar code elsewhere uses the standard library.
///
/// Accuracy (tests/options/fast_math.cpp, against std::exp/std::log/std::sqrt): a few ulp.

#include <bit>
#include <cmath>
#include <cstdint>

namespace margincall::detail {

/// e^(hi + lo) for an argument carried as an unevaluated sum (e.g. the exact split of −y²/2
/// plus a small correction, |lo| ≤ 8): lo enters after the argument reduction, so the rounding
/// of hi + lo (up to 1.1e-13 when |hi| ≈ 700) does not become a relative error of the result.
/// Results below 2^−1022 are gradual-underflow values or 0, above DBL_MAX +∞; NaN propagates.
// Source: Cody & Waite, "Software Manual for the Elementary Functions" (1980), ch. 6:
// n = round(x / ln 2), r = ((hi − n·ln2_hi) − n·ln2_lo) + lo with ln2_hi, ln2_lo the fdlibm split
// (ln2_hi has 21 trailing zero bits, so n·ln2_hi is exact for |n| < 2^21); e^r by its Taylor
// polynomial to degree 13 (|r| ≤ ln2/2 + rounding: truncation error < 5e-18); 2^n applied as two
// factors 2^⌊n/2⌋·2^(n−⌊n/2⌋) so that results in the subnormal range are formed gradually.
[[nodiscard]] inline double fast_exp(double hi, double lo = 0.0) noexcept {
    constexpr double log2e = 1.4426950408889634074;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // fdlibm 0x3fe62e42fee00000
    constexpr double ln2_lo = 1.90821492927058770002e-10;  // fdlibm 0x3dea39ef35793c76
    constexpr double shifter = 0x1.8p52;                   // adds n into the low mantissa bits
    // Beyond ±1400 the result is 0 or +∞ anyway; bounding keeps the exponent arithmetic in range.
    hi = hi < -1400.0 ? -1400.0 : hi;
    hi = hi > 1400.0 ? 1400.0 : hi;
    double kd = (hi + lo) * log2e + shifter;
    const auto n = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(kd)) -
                   static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(shifter));
    kd -= shifter;
    double r = hi - kd * ln2_hi;
    r = r - kd * ln2_lo;
    r = r + lo;
    // e^r = Σ r^k / k!, k = 0..13 (Horner).
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    const std::int64_t n1 = n >> 1;  // |n| ≤ 2020, so both halves are normal exponents
    const std::int64_t n2 = n - n1;
    const double scale1 = std::bit_cast<double>(static_cast<std::uint64_t>(n1 + 1023) << 52);
    const double scale2 = std::bit_cast<double>(static_cast<std::uint64_t>(n2 + 1023) << 52);
    return p * scale1 * scale2;
}

/// Natural logarithm of a positive normal double (≥ 2^−1022, finite).
// Source: the classical atanh reduction (Cody & Waite 1980, ch. 5; fdlibm e_log.c uses the
// same split): x = 2^e·m with m ∈ [√½, √2), ln m = 2·atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.1716,
// 2·atanh(f) = 2·Σ f^(2k+1)/(2k+1), k = 0..11 (truncation error < 1e-19); ln x = e·ln2_hi +
// (e·ln2_lo + ln m). The exponent is read as a double through the 2^52 trick so that no
// int64→double conversion (absent from AVX2) is needed.
[[nodiscard]] inline double fast_log(double x) noexcept {
    constexpr double ln2_hi = 6.93147180369123816490e-01;
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double sqrt2 = 1.41421356237309504880;
    constexpr std::uint64_t mantissa = (std::uint64_t{1} << 52) - 1;
    constexpr std::uint64_t one_bits = 0x3ff0000000000000ULL;
    const auto bits = std::bit_cast<std::uint64_t>(x);
    double m = std::bit_cast<double>((bits & mantissa) | one_bits);  // [1, 2)
    // Biased exponent as a double: (2^52 + e_biased) − 2^52.
    double e = std::bit_cast<double>((bits >> 52) | std::bit_cast<std::uint64_t>(0x1p52)) - 0x1p52 - 1023.0;
    const bool big = m > sqrt2;
    m = big ? 0.5 * m : m;
    e = big ? e + 1.0 : e;
    const double f = (m - 1.0) / (m + 1.0);
    const double f2 = f * f;
    double s = 1.0 / 23.0;
    s = s * f2 + 1.0 / 21.0;
    s = s * f2 + 1.0 / 19.0;
    s = s * f2 + 1.0 / 17.0;
    s = s * f2 + 1.0 / 15.0;
    s = s * f2 + 1.0 / 13.0;
    s = s * f2 + 1.0 / 11.0;
    s = s * f2 + 1.0 / 9.0;
    s = s * f2 + 1.0 / 7.0;
    s = s * f2 + 1.0 / 5.0;
    s = s * f2 + 1.0 / 3.0;
    const double log_m = 2.0 * f + 2.0 * f * f2 * s;
    return e * ln2_hi + (e * ln2_lo + log_m);
}

/// Square root of a finite x ≥ 0.
// Source: Newton's iteration for 1/√x, y ← y·(3 − x·y²)/2, from the bit-level first guess
// 0x5FE6EB50C7B537A9 − (bits >> 1) (C. Lomont, "Fast inverse square root", 2003; relative
// error ≤ 3.5e-3), three steps (error ≤ 3e-19 before rounding), then one Newton correction of
// s = x·y on s² = x with an exact FMA residual (Markstein's final step), so the result is within
// an ulp of √x. std::sqrt would be one instruction, but with -fmath-errno GCC will not vectorise it.
[[nodiscard]] inline double fast_sqrt(double x) noexcept {
    double y = std::bit_cast<double>(0x5FE6EB50C7B537A9ULL - (std::bit_cast<std::uint64_t>(x) >> 1));
    const double half_x = 0.5 * x;
    y = y * (1.5 - half_x * y * y);
    y = y * (1.5 - half_x * y * y);
    y = y * (1.5 - half_x * y * y);
    const double s = x * y;
    return s + 0.5 * y * std::fma(-s, s, x);
}

}  // namespace margincall::detail
