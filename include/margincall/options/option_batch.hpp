#pragma once
/// \file
/// Batch pricing of European options held as a structure of arrays: price and delta of the
/// generalized Black–Scholes–Merton model with carry b (black_scholes.hpp) for every option,
/// in one vectorised pass over spans.
///
/// The whole batch is validated first (one branch-free pass; on failure a second pass names
/// the first bad element), then priced in blocks by a loop with no per-element checks, calls or
/// branches (exp/log/sqrt of fast_math.hpp and the normal tail of normal_cdf.hpp, so GCC/Clang
/// emit SIMD code under -O3 -march=native; -mprefer-vector-width=512 for 512-bit vectors), which
/// prices out-of-the-money options in the Mills-ratio form (no subtraction of two tail
/// probabilities) and flags the few elements whose rounding-error estimate exceeds 1e-13; those
/// are re-priced in long double. Accuracy against a 50-digit reference on a realistic book: price
/// and delta within 1e-13 relative on ≥ 99.99 % of it, within 5e-13 on the rest
/// (tests/options/option_batch_accuracy.cpp; docs/options.md, "Batch pricing"). Double precision
/// only; use the scalar functions for other types. Performance: benchmarks/options_batch.cpp.

#include <margincall/core/error.hpp>
#include <margincall/options/fast_math.hpp>
#include <margincall/options/normal_cdf.hpp>
#include <margincall/options/option_type.hpp>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>

namespace margincall {

/// Read-only view of a book of European options as structure of arrays (all spans of one size).
struct option_batch {
    std::span<const option_type> type;
    std::span<const double> spot;        ///< S > 0
    std::span<const double> strike;      ///< K > 0
    std::span<const double> expiry;      ///< T ≥ 0, years (T = 0: intrinsic value)
    std::span<const double> rate;        ///< r, with |r·T| ≤ 700
    std::span<const double> carry;       ///< b, with |b·T| ≤ 700
    std::span<const double> volatility;  ///< σ ≥ 0
    [[nodiscard]] std::size_t size() const noexcept { return spot.size(); }
};

namespace detail {

/// True when every element is valid; a reduction without branches so that it vectorises.
/// `Exact`: S/K is checked to be a normal double by dividing. Otherwise by a sufficient test on the
/// exponent fields, without the division (which cost a tenth of a batch's time): S and K normal
/// with exponents at most 1000 apart give 2^−1001 < S/K < 2^1002. A book that fails the quick
/// form is checked again exactly (check_option_batch), so no valid book is refused.
template <bool Exact>
inline bool batch_is_valid(std::size_t n, const option_type* __restrict type, const double* __restrict spot,
                           const double* __restrict strike, const double* __restrict expiry,
                           const double* __restrict rate, const double* __restrict carry,
                           const double* __restrict vol) noexcept {
    constexpr double max = 1.7976931348623157e308;
    constexpr double min_normal = 2.2250738585072014e-308;
    int ok = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = expiry[i];
        const double rt = rate[i] * t;
        const double bt = carry[i] * t;
        int ratio_ok = 0;
        if constexpr (Exact) {
            const double ratio = spot[i] / strike[i];
            ratio_ok = static_cast<int>(ratio >= min_normal) & static_cast<int>(ratio <= max);
        } else {
            const auto spot_exponent = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(spot[i]) >> 52);
            const auto strike_exponent = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(strike[i]) >> 52);
            const std::int64_t gap = spot_exponent - strike_exponent;
            ratio_ok = static_cast<int>(spot[i] >= min_normal) & static_cast<int>(strike[i] >= min_normal) &
                       static_cast<int>(gap <= 1000) & static_cast<int>(gap >= -1000);
        }
        const int w = static_cast<int>(static_cast<signed char>(type[i]));
        ok &= static_cast<int>((w == 1) | (w == -1)) & static_cast<int>(spot[i] > 0.0) &
              static_cast<int>(spot[i] <= max) & static_cast<int>(strike[i] > 0.0) & static_cast<int>(strike[i] <= max) &
              ratio_ok & static_cast<int>(t >= 0.0) &
              static_cast<int>(t <= max) & static_cast<int>(rt >= -700.0) & static_cast<int>(rt <= 700.0) &
              static_cast<int>(bt >= -700.0) & static_cast<int>(bt <= 700.0) & static_cast<int>(vol[i] >= 0.0) &
              static_cast<int>(vol[i] <= max) & static_cast<int>(vol[i] * vol[i] * t <= max);
    }
    return ok != 0;
}

inline void check_option_batch(const char* where, const option_batch& b, std::size_t price_size,
                               std::size_t delta_size) {
    const std::size_t n = b.size();
    const auto check_size = [&](const char* name, std::size_t size) {
        if (size != n)
            throw_invalid_argument(where, detail::message("the size of ", name), size,
                                   detail::message(n, " (the size of spot)").c_str());
    };
    check_size("type", b.type.size());
    check_size("strike", b.strike.size());
    check_size("expiry", b.expiry.size());
    check_size("rate", b.rate.size());
    check_size("carry", b.carry.size());
    check_size("volatility", b.volatility.size());
    check_size("price", price_size);
    check_size("delta", delta_size);
    // One branch-free, vectorised pass (NaN fails every comparison), exact only if the quick one
    // fails; the naming pass below runs only on failure.
    if (batch_is_valid<false>(n, b.type.data(), b.spot.data(), b.strike.data(), b.expiry.data(), b.rate.data(),
                              b.carry.data(), b.volatility.data()) ||
        batch_is_valid<true>(n, b.type.data(), b.spot.data(), b.strike.data(), b.expiry.data(), b.rate.data(),
                             b.carry.data(), b.volatility.data()))
        return;
    for (std::size_t i = 0; i < n; ++i) {
        const auto name = [i](const char* field) { return detail::message(field, "[", i, "]"); };
        if (b.type[i] != option_type::call && b.type[i] != option_type::put)
            throw_invalid_argument(where, name("type"), static_cast<int>(b.type[i]), "call (1) or put (-1)");
        if (!(b.spot[i] > 0.0) || !std::isfinite(b.spot[i]))
            throw_invalid_argument(where, name("spot"), b.spot[i], "finite and > 0");
        if (!(b.strike[i] > 0.0) || !std::isfinite(b.strike[i]))
            throw_invalid_argument(where, name("strike"), b.strike[i], "finite and > 0");
        if (!(b.expiry[i] >= 0.0) || !std::isfinite(b.expiry[i]))
            throw_invalid_argument(where, name("expiry"), b.expiry[i], "finite and >= 0");
        if (!(b.volatility[i] >= 0.0) || !std::isfinite(b.volatility[i]))
            throw_invalid_argument(where, name("volatility"), b.volatility[i], "finite and >= 0");
        const double variance = b.volatility[i] * b.volatility[i] * b.expiry[i];
        if (!(variance <= 1.7976931348623157e308))
            throw_invalid_argument(where, detail::message(name("volatility"), "^2 * ", name("expiry")), variance,
                                   "finite");
        const double ratio = b.spot[i] / b.strike[i];
        if (!(ratio >= 2.2250738585072014e-308 && ratio <= 1.7976931348623157e308))
            throw_invalid_argument(where, detail::message(name("spot"), " / ", name("strike")), ratio,
                                   "a normal double (fast_log's domain)");
        const double rt = b.rate[i] * b.expiry[i];
        if (!(rt >= -700.0 && rt <= 700.0))
            throw_invalid_argument(where, detail::message(name("rate"), " * ", name("expiry")), rt, "in [-700, 700]");
        const double bt = b.carry[i] * b.expiry[i];
        if (!(bt >= -700.0 && bt <= 700.0))
            throw_invalid_argument(where, detail::message(name("carry"), " * ", name("expiry")), bt, "in [-700, 700]");
    }
}

/// The scaled normal tail times a Gaussian factor: S(y)·e^(hi + lo) = t·e^(P(t) + hi + lo),
/// t = c/(c + y) = c·inv, for y ≥ 0, where S(y) = Q(y)·e^(y²/2) (Q(y) = Φ(−y); S = R/√(2π), R
/// Mills' ratio) and P is normal_cdf_fast's tail polynomial (normal_cdf.hpp). S is smooth and
/// slowly varying (S(y) ≈ 1/(y√(2π)) for large y), so an error in y of about |y|·ε changes it by
/// about ε only. The kernel passes hi + lo = −d1²/2 exactly (FMA split) for both of its tails, so
/// that e^(−d1²/2)·S(|d1|) = Q(|d1|) and e^(−d1²/2)·S(|d2|) come out of one exponential each (lo
/// and P enter after fast_exp's argument reduction: their sum's rounding is no relative error of
/// the result), and the two share the factor e^(−d1²/2) up to that reduction's rounding.
// Source: normal_cdf.hpp's tail form Q(y) = t·exp(−y²/2 + P(t)) (after Numerical Recipes 3rd ed.
// §6.2.2), with the Gaussian factor split off.
[[nodiscard]] inline double normal_tail_scaled(double y, double inv, double hi, double lo) noexcept {
    constexpr double c = normal_tail_c;
    return c * inv * fast_exp(hi, lo + normal_tail_exponent((c - y) * inv));
}

/// The pair for y1, y2 with one division: 1/(c + y1) and 1/(c + y2) from 1/((c + y1)(c + y2)),
/// which costs at most two more roundings in t (a few ε in S); for y ≤ 1e100 the product stays finite.
inline void normal_tail_scaled_pair(double y1, double y2, double hi, double lo, double& s1, double& s2) noexcept {
    constexpr double c = normal_tail_c;
    const double inv_both = 1.0 / ((c + y1) * (c + y2));
    s1 = normal_tail_scaled(y1, (c + y2) * inv_both, hi, lo);
    s2 = normal_tail_scaled(y2, (c + y1) * inv_both, hi, lo);
}

/// Rounding-error model of the double-precision kernel below (ε = 2^−53). Out of the money
/// (ω·d1 ≤ 0 and ω·d2 ≤ 0) the price is S·e^((b−r)T)·e^(−d1²/2)·ω·(S(|d1|) − S(|d2|)) (see the
/// kernel): its error is about (1 + d1²)·ε from e^(−d1²/2) (the error of d1 is about |d1|·ε) plus
/// about ε times the cancellation (S1 + S2)/|S1 − S2| (formed as e^(−d1²/2)·S1 and e^(−d1²/2)·S2,
/// the same ratio). Otherwise the price is A − B,
/// A = S·e^((b−r)T)·N(ω·d1), B = K·e^(−rT)·N(ω·d2), each term with an error of about (1 + d²)·ε,
/// multiplied by the cancellation (A + B)/|A − B|. An element whose estimate (times the safety
/// factor batch_error_factor) exceeds batch_flag_tolerance is re-priced in extended precision
/// (black_scholes_price_delta_extended). The measured errors, the share re-priced and the bound
/// on a realistic book are in docs/options.md, "Batch pricing" (tests/options/option_batch_accuracy.cpp).
inline constexpr double batch_flag_tolerance = 1e-13;
inline constexpr double batch_error_factor = 1.0;

/// The vectorised loop over validated arrays. __restrict (GCC/Clang; on parameters, where both
/// honour it) promises that the outputs do not overlap the inputs, so the loop vectorises
/// without run-time overlap checks on nine arrays. An element whose estimated rounding error
/// exceeds batch_flag_tolerance gets a quiet NaN price (a value no valid element can produce),
/// which black_scholes_price_delta replaces by the extended-precision result.
/// Why hand-written rather than a vector math library: on the reference book SLEEF 3.5
/// (expd/logd u10, erfcd u15, AVX-512) is 2.4× slower, xsimd 8's exp/log/erfc 1.2× slower and
/// without a scaled tail (the textbook form then misses 1e-13 on 1.8 % of the book), and
/// Highway 1.0.3's contrib/math has no erfc (benchmarks/options_batch.cpp, docs/options.md).
// Source: Haug (2007) §1.1.6 (generalized BSM) and §2.1.1 (delta). Out of the money the two tail
// probabilities are not subtracted: with F·φ(d1) = K·φ(d2) (F = S·e^(bT)) and N(−y) = φ(y)·√(2π)·S(y),
//   ω·(F·N(ω·d1) − K·N(ω·d2)) = F·√(2π)·φ(d1)·ω·(S(|d1|) − S(|d2|)),
// the Mills-ratio form of the normalised Black function in P. Jäckel, "Let's be rational"
// (Wilmott 2015), §2–3.
inline void black_scholes_price_delta_signed(std::size_t n, const std::int16_t* __restrict sign,
                                              const double* __restrict spot, const double* __restrict strike,
                                              const double* __restrict expiry, const double* __restrict rate,
                                              const double* __restrict carry, const double* __restrict vol,
                                              double* __restrict out_price, double* __restrict out_delta) noexcept {
    constexpr double epsilon = 0x1p-53;  // unit roundoff
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr double flag_scale = batch_error_factor * epsilon / batch_flag_tolerance;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = static_cast<double>(sign[i]);
        const double t = expiry[i];
        const double sd = vol[i] * detail::fast_sqrt(t);
        const double carry_factor = detail::fast_exp((carry[i] - rate[i]) * t);
        const double discount = detail::fast_exp(-rate[i] * t);
        const double log_moneyness = detail::fast_log(spot[i] / strike[i]) + carry[i] * t;  // ln(F/K)
        const bool diffuse = sd > 0.0;
        const double sd_safe = diffuse ? sd : 1.0;
        const double at_expiry = log_moneyness > 0.0 ? 1e300 : (log_moneyness < 0.0 ? -1e300 : 0.0);
        const double d1 = diffuse ? log_moneyness / sd_safe + 0.5 * sd : at_expiry;
        const double d2 = diffuse ? d1 - sd : at_expiry;
        // |d| beyond 1e100 changes nothing (e^(−d²/2) = 0) and keeps d² finite.
        const double y1 = std::fabs(d1) < 1e100 ? std::fabs(d1) : 1e100;
        const double y2 = std::fabs(d2) < 1e100 ? std::fabs(d2) : 1e100;
        // g1 = e^(−d1²/2)·S(|d1|) = Q(|d1|), g2 = e^(−d1²/2)·S(|d2|); d1² carried exactly as yy + yy_low.
        const double yy = y1 * y1;
        const double yy_low = std::fma(y1, y1, -yy);
        double g1 = 0.0;
        double g2 = 0.0;
        normal_tail_scaled_pair(y1, y2, -0.5 * yy, -0.5 * yy_low, g1, g2);
        const double q1 = g1;  // Q(|d1|)
        const double wd1 = w * d1;
        const double wd2 = w * d2;
        const double n1 = wd1 < 0.0 ? q1 : 1.0 - q1;  // N(ω·d1)
        const double carried = spot[i] * carry_factor;     // S·e^((b−r)T) = e^(−rT)·F
        const double owed = strike[i] * discount;          // e^(−rT)·K
        const double u2 = carried * g2;                     // e^(−rT)·F·e^(−d1²/2)·S(|d2|) = e^(−rT)·K·Q(|d2|)
        const double a = carried * n1;                      // e^(−rT)·F·N(ω·d1)
        const double b = wd2 < 0.0 ? u2 : owed - u2;        // e^(−rT)·K·N(ω·d2)
        // ω·d1 ≤ 0 and ω·d2 ≤ 0, written as one comparison (GCC does not if-convert a chain of
        // them under -ftrapping-math); at expiry the direct form gives the intrinsic value.
        const double wd_max = wd1 > wd2 ? wd1 : wd2;
        const bool out_of_the_money = (diffuse ? wd_max : 1.0) <= 0.0;
        const double tail_difference = w * (g1 - g2);  // e^(−d1²/2)·ω·(S(|d1|) − S(|d2|)) > 0 out of the money
        const double otm_price = carried * tail_difference;
        // Error estimates of the two forms (see batch_flag_tolerance); never flagged at expiry.
        const double d_max = std::fabs(log_moneyness / sd_safe) + 0.5 * sd;  // max(|d1|, |d2|)
        const double otm_error = (g1 + g2) + (1.0 + yy) * tail_difference;
        const double direct_error = diffuse ? (a + b) * (1.0 + d_max * d_max) : 0.0;
        const double error = out_of_the_money ? otm_error : direct_error;
        const double magnitude = out_of_the_money ? tail_difference : std::fabs(a - b);
        const double price = out_of_the_money ? otm_price : w * (a - b);
        out_price[i] = error * flag_scale > magnitude ? nan : price;
        out_delta[i] = w * carry_factor * n1;
    }
}

/// The kernel over a book whose option types are bytes: the signs ω = ±1 are first widened to
/// 16-bit integers, a chunk at a time, and the pricing loop reads those. GCC vectorises a loop by
/// the narrowest element it reads: bytes gave 64 elements per iteration (eight 512-bit registers
/// per double value, and spills), doubles 8 (one register per value, and the loop then waits on its
/// long dependency chains: exp, log, the tail polynomial); 16-bit signs give 32 (four independent
/// chains per iteration), measured fastest (bench_options_batch: about 20 % over bytes, 2× over
/// doubles; docs/options.md "Batch pricing").
inline void black_scholes_price_delta_kernel(std::size_t n, const option_type* __restrict type,
                                             const double* __restrict spot, const double* __restrict strike,
                                             const double* __restrict expiry, const double* __restrict rate,
                                             const double* __restrict carry, const double* __restrict vol,
                                             double* __restrict out_price, double* __restrict out_delta) noexcept {
    constexpr std::size_t chunk = 256;
    std::int16_t sign[chunk];
    for (std::size_t begin = 0; begin < n; begin += chunk) {
        const std::size_t m = n - begin < chunk ? n - begin : chunk;
        for (std::size_t i = 0; i < m; ++i) sign[i] = static_cast<signed char>(type[begin + i]);
        black_scholes_price_delta_signed(m, sign, spot + begin, strike + begin, expiry + begin, rate + begin,
                                          carry + begin, vol + begin, out_price + begin, out_delta + begin);
    }
}

/// The rounding error of x·x in long double, exactly (x·x = hi + square_low(x, hi)): Dekker's product
/// with Veltkamp's split (2^32 + 1 for a 64-bit significand, 2^57 + 1 for binary128), because
/// std::fma on long double is a slow software routine in glibc (x87 has no fused multiply-add).
// Source: T. J. Dekker, "A floating-point technique for extending the available precision",
// Numer. Math. 18 (1971), mul12 with Veltkamp's splitting.
[[nodiscard]] inline long double square_low(long double x, long double hi) noexcept {
    constexpr int digits = std::numeric_limits<long double>::digits;
    constexpr long double split = digits >= 113 ? 0x1p57L + 1.0L : (digits >= 64 ? 0x1p32L + 1.0L : 0x1p27L + 1.0L);
    const long double c = split * x;
    const long double x_hi = c - (c - x);
    const long double x_lo = x - x_hi;
    return ((x_hi * x_hi - hi) + 2.0L * x_hi * x_lo) + x_lo * x_lo;
}

/// e^(x²)·erfc(x) (the scaled complementary error function) in long double. Below x = 50 as
/// erfc(x)·e^(x²) with x² carried exactly as hi + lo (so its rounding does not become a relative
/// error of the result); from 50 on, where e^(x²) would overflow long double for x ≳ 106, by its
/// asymptotic series 1/(x√π)·Σ_k (−1)^k (2k−1)!!/(2x²)^k, k = 0..8 (first omitted term < 1e-22).
// Source: Abramowitz & Stegun 7.1.23 (asymptotic expansion of erfc).
[[nodiscard]] inline long double erfcx_extended(long double x) noexcept {
    if (x < 50.0L) {
        const long double hi = x * x;
        const long double lo = square_low(x, hi);
        return std::erfc(x) * std::exp(hi) * (1.0L + lo);
    }
    constexpr long double inv_sqrt_pi = 0.564189583547756286948079451560772586L;
    const long double v = 1.0L / (2.0L * x * x);
    long double term = 1.0L;
    long double sum = 1.0L;
    for (int k = 1; k <= 8; ++k) {
        term *= -static_cast<long double>(2 * k - 1) * v;
        sum += term;
    }
    return inv_sqrt_pi / x * sum;
}

/// Price and delta of one option (σ√T > 0) in long double, for the elements the kernel flags.
/// On x86-64 long double is the x87 80-bit format (64-bit significand, ε = 5.4e-20). Out of the
/// money (ω·ln(F/K) ≤ 0) the price is formed without the subtraction of two tail probabilities:
/// with F·φ(d1) = K·φ(d2) and Mills' ratio R(z) = Φ(−z)/φ(z) = √(π/2)·erfcx(z/√2),
///   V = S·e^((b−r)T)·φ(d1)·(R(z) − R(z + σ√T)),  z = −max(ω·d1, ω·d2),
/// and R is a slowly varying function, so the rounding of z and d (about |d|·ε) no longer enters
/// multiplied by the cancellation; what remains is erfcl's and expl's own error times the
/// cancellation R(z)/(R(z) − R(z + σ√T)). In the money the kernel's formula is used (no deep
/// cancellation there). std::erfc/std::exp/std::log have long double overloads (glibc's erfcl,
/// expl, logl). Where long double is double (MSVC) this path is no more accurate than the kernel;
/// where it is IEEE binary128 (AArch64 Linux) it is more accurate and slower.
// Source: Haug (2007) §1.1.6 and §2.1.1, as the kernel; N(x) = erfc(−x/√2)/2 (Abramowitz & Stegun
// 26.2.29); the identity F·φ(d1) = K·φ(d2) and the Mills-ratio form of the out-of-the-money price:
// P. Jäckel, "Let's be rational" (Wilmott 2015), eq. (2.6)–(2.8) (normalised Black function).
inline void black_scholes_price_delta_extended(option_type type, double spot, double strike, double expiry,
                                               double rate, double carry, double vol, double& price,
                                               double& delta) noexcept {
    using real = long double;
    constexpr real sqrt_half = 0.707106781186547524400844362104849039L;
    const real w = type == option_type::call ? 1.0L : -1.0L;
    const real t = static_cast<real>(expiry);
    const real sd = static_cast<real>(vol) * std::sqrt(t);
    // The two exponential factors only multiply the result, so double's ≤ 1 ulp serves; ln(F/K)
    // enters d1 and e^(−d1²/2), so it is taken in long double.
    const real carry_factor = static_cast<real>(std::exp((carry - rate) * expiry));
    const real discount = static_cast<real>(std::exp(-rate * expiry));
    const real log_moneyness = std::log(static_cast<real>(spot) / static_cast<real>(strike)) + static_cast<real>(carry) * t;
    const real d1 = log_moneyness / sd + 0.5L * sd;
    const real d2 = d1 - sd;
    const real carried = static_cast<real>(spot) * carry_factor;
    if (w * log_moneyness > 0.0L) {  // in the money: A − B, no deep cancellation
        const real n1 = 0.5L * std::erfc(-w * d1 * sqrt_half);
        const real n2 = 0.5L * std::erfc(-w * d2 * sqrt_half);
        price = static_cast<double>(w * (carried * n1 - static_cast<real>(strike) * discount * n2));
        delta = static_cast<double>(w * carry_factor * n1);
        return;
    }
    const real z = -std::fmax(w * d1, w * d2);
    const real d1_squared = d1 * d1;
    const real half_d1_squared = 0.5L * d1_squared;
    const real half_d1_squared_low = 0.5L * square_low(d1, d1_squared);
    const real density = std::exp(-half_d1_squared) * (1.0L - half_d1_squared_low);  // e^(−d1²/2)
    const real near = erfcx_extended(z * sqrt_half);
    const real far = erfcx_extended((z + sd) * sqrt_half);
    // carried·φ(d1)·√(π/2) = carried·e^(−d1²/2)/2; N(ω·d1) = e^(−d1²/2)·erfcx(−ω·d1/√2)/2, and
    // −ω·d1 is z for a call, z + σ√T for a put.
    price = static_cast<double>(0.5L * carried * density * (near - far));
    delta = static_cast<double>(w * carry_factor * 0.5L * density * (w > 0.0L ? near : far));
}

}  // namespace detail

/// Price and delta (∂V/∂S) of every option in the batch; the i-th results go to price[i], delta[i].
/// price and delta must not overlap each other or the inputs.
///   V = ω·(S·e^((b−r)T)·N(ω·d1) − K·e^(−rT)·N(ω·d2)),  Δ = ω·e^((b−r)T)·N(ω·d1),  ω = ±1.
/// At σ√T = 0 (T = 0 or σ = 0) d1 = d2 = ±∞ by the sign of ln(F/K), which gives the
/// (discounted) intrinsic value; exactly at the money the delta is then e^((b−r)T)·ω/2.
/// Throws margincall::invalid_argument, naming the first bad element, for mismatched sizes or
/// invalid values (S, K ≤ 0, T < 0, σ < 0, |rT| or |bT| > 700, σ²T overflowing, S/K not a normal double,
/// non-finite input); after that no
/// element can fail: every output is finite.
// Source: Haug (2007) §1.1.6 (generalized BSM) and §2.1.1 (delta).
inline void black_scholes_price_delta(const option_batch& book, std::span<double> price, std::span<double> delta) {
    detail::check_option_batch("black_scholes_price_delta", book, price.size(), delta.size());
    const std::size_t n = book.size();
    // Blocks small enough that the scan for flagged elements reads the prices back from L1.
    constexpr std::size_t block = 2048;
    for (std::size_t begin = 0; begin < n; begin += block) {
        const std::size_t m = n - begin < block ? n - begin : block;
        detail::black_scholes_price_delta_kernel(m, book.type.data() + begin, book.spot.data() + begin,
                                                 book.strike.data() + begin, book.expiry.data() + begin,
                                                 book.rate.data() + begin, book.carry.data() + begin,
                                                 book.volatility.data() + begin, price.data() + begin,
                                                 delta.data() + begin);
        // The scan for flagged (NaN) prices, 64 at a time: a branch-free test of the group (it
        // vectorises) and the element-wise search only in a group that holds one (a branch per
        // element over every price cost a twentieth of a batch's time; about 0.05 % are flagged).
        constexpr std::size_t group = 64;
        for (std::size_t g = begin; g < begin + m; g += group) {
            const std::size_t end = g + group < begin + m ? g + group : begin + m;
            int flagged = 0;
            for (std::size_t i = g; i < end; ++i) flagged |= static_cast<int>(std::isnan(price[i]));
            if (flagged == 0) continue;
            for (std::size_t i = g; i < end; ++i)
                if (std::isnan(price[i]))
                    detail::black_scholes_price_delta_extended(book.type[i], book.spot[i], book.strike[i],
                                                               book.expiry[i], book.rate[i], book.carry[i],
                                                               book.volatility[i], price[i], delta[i]);
        }
    }
}

}  // namespace margincall
