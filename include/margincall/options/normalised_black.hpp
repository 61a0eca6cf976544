#pragma once
/// \file
/// The normalised Black function in double precision, with full relative accuracy down to the
/// smallest normal double (deep out of the money, tiny and huge total volatility):
///   b(x, s) = e^(x/2)·Φ(x/s + s/2) − e^(−x/2)·Φ(x/s − s/2)   (a call; a put is b(−x, s)),
/// x = ln(F/K), s = σ√T, so that a Black price is D·√(F·K)·b(θx, s) with θ = ±1.
///
/// Why: the textbook difference F·Φ(d1) − K·Φ(d2) of an out-of-the-money option cancels (its two
/// legs agree to 1e-5 and more when σ√T is small against |ln(F/K)|), and in the tails each leg is
/// e^(−d²/2) with d² up to 1400, so one rounding of d costs 1400 ulps. Here b is written as
///   b = e^(−(h²+t²)/2)/√(2π) · [Y(h+t) − Y(h−t)],  h = x/s, t = s/2, Y(z) = Φ(z)/φ(z),
/// the exponent is formed in extended precision, and the bracket is evaluated in four regions
/// (the regions and thresholds of Jäckel, the expansions derived below):
///  - large negative h (h < −10, h + t < −9.79): the asymptotic series of Y (Abramowitz & Stegun
///    26.2.12), each difference of powers (h+t)^−m − (h−t)^−m summed without cancellation;
///  - small t (t < 0.21): the odd Taylor series 2·Σ Y⁽ᵏ⁾(h)·tᵏ/k!, the derivatives of Y from
///    Y' = 1 + hY, Y⁽ⁿ⁾ = h·Y⁽ⁿ⁻¹⁾ + (n−1)·Y⁽ⁿ⁻²⁾ (forward for h ≥ −6, where the sum loses at
///    most 4e-15 to the cancellation in 1 + hY; backward as ratios for h < −6, where
///    Y⁽ⁿ⁾ = ∫₀^∞ uⁿe^(hu−u²/2)du is the minimal solution);
///  - h + t > 0.85 (the first term dominates) or h − t ≥ −3, with t ≥ 0.21: the textbook form
///    e^(x/2)Φ(h+t) − e^(−x/2)Φ(h−t) is exact enough (and cheapest; error bounds at the code; a
///    price evaluates it on its own legs S·e^((b−r)T), K·e^(−rT), without e^(x/2));
///  - otherwise Y through the scaled complementary error function erfcx (the difference loses at
///    most a factor 24 there).
// Source: P. Jäckel, "Let's be rational", Wilmott (2015) 40–53, §2–3 (normalised Black function,
// its asymptotic and small-t expansions, the region thresholds η = −10, τ = 2·ε^(1/16) ≈ 0.21,
// and the 0.85 cut-off); M. Abramowitz & I. Stegun, "Handbook of Mathematical Functions" (1964),
// 26.2.12 (asymptotic series of the normal tail). The series here are re-derived (above), not copied.
// Tested: tests/options/black_scholes_tails.cpp against tests/reference/options_tails_mpmath.py
// (mpmath, 120 digits), 1e-13 relative on every price above the smallest normal double.
//
// Why hand-written: Boost.Math has erfc but no erfcx (scaled complementary error function) and no
// normalised Black function; QuantLib's BlackCalculator is the textbook difference.
//
// Extended precision: the exponent (h² + t²)/2 reaches 700 for prices near 1e-300, so its
// rounding in double (1.1e-13 relative per ulp) alone would exceed the target; it is formed in
// long double (64-bit significand on x86-64; where long double is double the tail accuracy
// falls to a few 1e-13).

#include <margincall/core/error.hpp>
#include <margincall/options/option_type.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace margincall {

namespace detail {

inline constexpr double nb_sqrt_half_pi = 1.2533141373155002512;   // √(π/2)
inline constexpr double nb_inv_sqrt_two_pi = 0.39894228040143267794;  // 1/√(2π)
inline constexpr double nb_inv_sqrt_two = 0.70710678118654752440;   // 1/√2
inline constexpr double nb_asymptotic_h = -10.0;                     // η
inline constexpr double nb_small_t = 0.21;                           // τ ≈ 2·ε^(1/16)

/// erfcx(y) = e^(y²)·erfc(y) for y ≥ −1 (the callers' range). y² is carried exactly as
/// yy + yy_low (FMA), so e^(y²) costs no more than the rounding of exp; above 26 (erfc
/// underflows near 26.5) the asymptotic series 1/(y√π)·Σ (−1)ⁿ(2n−1)!!/(2y²)ⁿ, 8 terms
/// (the 9th is below 2e-19 relative), A&S 7.1.23.
[[nodiscard]] inline double erfcx(double y) noexcept {
    if (y < 26.0) {
        const double yy = y * y;
        const double yy_low = std::fma(y, y, -yy);
        return std::exp(yy) * std::erfc(y) * (1.0 + yy_low);
    }
    const double q = 1.0 / (2.0 * y * y);
    double sum = 1.0;
    double term = 1.0;
    for (int n = 1; n <= 8; ++n) {
        term *= -(2.0 * n - 1.0) * q;
        sum += term;
    }
    return sum / (y * 1.7724538509055160273);  // √π
}

/// Y(z) = Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2), for z ≤ 1.
[[nodiscard]] inline double normal_mills(double z) noexcept { return nb_sqrt_half_pi * erfcx(-z * nb_inv_sqrt_two); }

/// e^(−(h² + t²)/2)/√(2π) with h = x/s, t = s/2 formed in long double (see the file comment).
[[nodiscard]] inline double nb_prefactor(long double x, long double s) noexcept {
    const long double h = x / s;
    const long double t = s / 2;
    const long double e = (h * h + t * t) / 2;
    const double e_hi = static_cast<double>(e);
    if (!(e_hi < 746.0)) return 0.0;  // e^(−746) is below the smallest subnormal (and e − ∞ would be NaN)
    const double e_lo = static_cast<double>(e - static_cast<long double>(e_hi));
    return nb_inv_sqrt_two_pi * std::exp(-e_hi) * (1.0 - e_lo);
}

/// Σ_{n≥0} (−1)ⁿ(2n−1)!!·T_{2n+1}, T_m = Σ_{j<m} uʲv^(m−1−j), u = 1/(h+t), v = 1/(h−t), so that
/// Y(h+t) − Y(h−t) = (2t/((h+t)(h−t)))·sum for h + t < −9.79 (A&S 26.2.12 term by term:
/// Y(z) = −Σ(−1)ⁿ(2n−1)!! z^−(2n+1), and u^m − v^m = (u − v)·T_m with u − v = −2t/((h+t)(h−t))).
/// T_{m+1} = u·T_m + v^m adds terms of one sign. Summed until a term is below 1e-17 of the sum
/// (at most 40 terms; the smallest term of the divergent series is near n = (h+t)²/2 ≥ 47).
[[nodiscard]] inline double nb_asymptotic_sum(double h, double t) noexcept {
    const double u = 1.0 / (h + t);
    const double v = 1.0 / (h - t);
    double tm = 1.0;     // T_1
    double vm = v;       // v^1
    double sum = 1.0;    // n = 0
    double fact = 1.0;   // (2n−1)!!
    for (int n = 1; n <= 40; ++n) {
        // T_{2n+1} from T_{2n−1}: two steps of T_{m+1} = u·T_m + v^m.
        tm = u * tm + vm;
        vm *= v;
        tm = u * tm + vm;
        vm *= v;
        fact *= 2.0 * n - 1.0;
        const double term = (n % 2 == 0 ? fact : -fact) * tm;
        sum += term;
        if (std::fabs(term) < 1e-17 * std::fabs(sum)) break;
    }
    return sum;
}

/// e^(−(h²+t²)/2)/√(2π)·[Y(h+t) − Y(h−t)] = 2·Σ_{k odd ≤ 15} M_k·tᵏ/k! for t < 0.21, h ∈ [−10, 0]
/// (k = 17 adds below 1e-20 relative), with M_k = e^(−t²/2)·φ(h)·Y⁽ᵏ⁾(h): the Taylor series of the
/// bracket with the prefactor taken into each derivative, so that one exponential and one erfc serve
/// (Y(h)·φ(h) = Φ(h); before, Y cost an erfcx, that is an exp and an erfc, and the prefactor a third
/// exp). The M_k obey the recurrence of the Y⁽ᵏ⁾ (it is linear):
///   M_0 = E·Φ(h),  M_1 = E·φ(h) + h·M_0,  M_n = h·M_{n−1} + (n−1)·M_{n−2},  E = e^(−t²/2);
/// forward for h ≥ −6 (the cancellation in M_1 costs at most a factor 40 on the rounding of M_0,
/// ≤ 4e-15), backward as ratios for h < −6, where Y⁽ⁿ⁾ = ∫₀^∞ uⁿe^(hu−u²/2)du is the minimal solution
/// (errors of the weighted sum measured against mpmath derivatives of Y: ≤ 5e-16).
/// Φ(h) and φ(h) at the same point: erfc is evaluated at y = fl(−h/√2), that is at h' = −√2·y
/// with |h − h'| ≤ ε|h|, which alone would move Φ by h²ε relative (1e-14 at h = −10) against a φ(h)
/// formed at h itself, and the cancellation in M_1 would multiply that by up to 40; so Φ(h) is taken
/// as Φ(h') + φ(h)·(h − h'), with h − h' = h + √2·y from an FMA and √2's low part (the neglected
/// second-order term is h·φ·(h − h')²/2, below 1e-30 relative). φ(h) = e^(−h²/2)/√(2π) with h² carried
/// exactly as hh + hh_low (FMA), so e^(−h²/2) costs the rounding of exp only (h²/2 ≤ 50 here; the long
/// double prefactor of the other regions is needed only where the exponent reaches 700).
/// The odd terms are summed in increasing k (all are positive, Y⁽ᵏ⁾ > 0, so any order costs at most
/// 8 roundings) with tᵏ/k! formed beside the recurrence: the chain of dependent operations is the
/// recurrence alone (Horner's rule waited for M_15 before its first step).
[[nodiscard]] inline double nb_small_t_value(double h, double t) noexcept {
    constexpr int K = 16;
    constexpr double sqrt_two_low = -9.6672933134529134511e-17;  // √2 − fl(√2)
    const double w = t * t;
    // E = e^(−w/2), w/2 ≤ 0.0221: Taylor to degree 7 (the next term is below 1.5e-18).
    const double v = -0.5 * w;
    const double e_t =
            1.0 + v * (1.0 + v * (0.5 + v * (1.0 / 6.0 + v * (1.0 / 24.0 +
                                                               v * (1.0 / 120.0 + v * (1.0 / 720.0 + v * (1.0 / 5040.0)))))));
    const double hh = h * h;
    const double hh_low = std::fma(h, h, -hh);
    const double density = nb_inv_sqrt_two_pi * std::exp(-0.5 * hh) * (1.0 - 0.5 * hh_low);  // φ(h)
    const double y = -h * nb_inv_sqrt_two;
    const double h_gap = std::fma(y, 1.4142135623730950488, h) + y * sqrt_two_low;  // h − h', h' = −√2·y
    const double cdf = 0.5 * std::erfc(y) + density * h_gap;                          // Φ(h)
    // Σ_{k odd} M_k·tᵏ/k!, tᵏ/k! by c_{k+2} = c_k·w/((k+1)(k+2)); the M_k are kept in registers
    // (an array of them cost a fifth of this function in stores and loads).
    constexpr std::array<double, K / 2> step{1.0,        1.0 / 6.0,   1.0 / 20.0,  1.0 / 42.0,
                                             1.0 / 72.0, 1.0 / 110.0, 1.0 / 156.0, 1.0 / 210.0};
    const double m0 = e_t * cdf;
    double c = t;
    double sum = 0.0;
    if (h >= -6.0) {
        double even = m0;                          // M_{2j−2}
        double odd = std::fma(h, m0, e_t * density);  // M_{2j−1}, j = 1: M_1 = E·φ(h) + h·M_0
        sum = odd * c;
        for (int j = 1; j < K / 2; ++j) {
            even = std::fma(h, odd, (2 * j - 1) * even);  // M_{2j}
            odd = std::fma(h, even, (2 * j) * odd);       // M_{2j+1}
            c *= w * step[j];
            sum = std::fma(odd, c, sum);
        }
    } else {
        // Ratios r_n = Y⁽ⁿ⁾/Y⁽ⁿ⁻¹⁾ = M_n/M_{n−1} backward from n = N (r_{n−1} = (n−1)/(r_n − h)),
        // started at the fixed point of r = h + (n−1)/r. The start's error shrinks like
        // e^(−2|h|√N): N = 16 + 600/h² (32 at h = −6, 22 at h = −10) leaves < 5e-16 (checked
        // against mpmath derivatives of Y).
        const int N = K + static_cast<int>(600.0 / (h * h));
        std::array<double, K> ratio{};
        double r = 2.0 * (N - 1) / (std::sqrt(h * h + 4.0 * (N - 1)) - h);
        for (int n = N; n >= 2; --n) {
            r = (n - 1) / (r - h);
            if (n - 1 < K) ratio[n - 1] = r;
        }
        double mk = m0 * ratio[1];  // M_1
        sum = mk * c;
        for (int j = 1; j < K / 2; ++j) {
            mk *= ratio[2 * j] * ratio[2 * j + 1];  // M_{2j+1}
            c *= w * step[j];
            sum = std::fma(mk, c, sum);
        }
    }
    return 2.0 * sum;
}

/// scale·b(x, s) for x ≤ 0 (out of the money or at the money), s > 0: the dispatch over the
/// regions, one place for the normalised function (scale 1) and the price (black_scholes.hpp).
/// `legs()` returns the textbook legs (first, second) with first·Φ(h+t) − second·Φ(h−t) =
/// scale·b(x, s), that is scale·(e^(x/2), e^(−x/2)); it is called only in the textbook region, so
/// that a price can pass its own legs (S·e^((b−r)T) and K·e^(−rT)) and spend no exponential on
/// e^(x/2). The regions, cheapest test first:
///  - asymptotic: h < −10 and h + t < −9.79;
///  - small t (t < 0.21): the Taylor series. (The textbook form is never accurate enough there:
///    h ≤ 0 and (ln Y)' = 1/Y + h ≤ 0.88 on (−∞, 0.21], so the second term is at least
///    e^(−0.88·2t) > 0.69 of the first and the difference cancels by more than a factor 3;
///    an earlier version evaluated it there and threw it away.)
///  - textbook: h − t ≥ −3, or h + t > 0.85 (Jäckel's cut-off, the first term dominates). The
///    difference first − second cancels exactly as Y(h+t) − Y(h−t) does, but each Φ(z) also
///    carries the rounding of its argument amplified by (φ/Φ)(z)·(|h| + t + |z|): with h − t ≥ −3
///    (so |h| + t ≤ 3 and z ≥ −3) at most 21 ulps per term, and for t ≥ 0.21 the difference loses
///    at most |h − t|/(2t) + 1/2 ≤ 8 of it: < 4e-14 (plus the legs' few ulps, times the same 8);
///  - otherwise Y through erfcx (the difference loses at most a factor 24 there).
/// x and s are x_ld and s_ld rounded to double (passed apart so that a caller holding both pays no
/// long double round trip on the common path).
template <class Legs>
[[nodiscard]] inline double scaled_normalised_black_otm(double x, double s, long double x_ld, long double s_ld,
                                                        double scale, const Legs& legs) noexcept {
    const double h = x / s;
    const double t = 0.5 * s;
    if (h < nb_asymptotic_h && h + t < nb_asymptotic_h + nb_small_t)
        return scale * nb_prefactor(x_ld, s_ld) * (2.0 * t / ((h + t) * (h - t))) * nb_asymptotic_sum(h, t);
    if (t < nb_small_t) return scale * nb_small_t_value(h, t);
    if (h - t >= -3.0 || h + t > 0.85) {
        const auto [first, second] = legs();
        return first * (0.5 * std::erfc(-(h + t) * nb_inv_sqrt_two)) -
               second * (0.5 * std::erfc(-(h - t) * nb_inv_sqrt_two));
    }
    return scale * nb_prefactor(x_ld, s_ld) * (normal_mills(h + t) - normal_mills(h - t));
}

/// b(x, s) for x ≤ 0 (out of the money or at the money), s > 0.
[[nodiscard]] inline double normalised_black_otm(long double x_ld, long double s_ld) noexcept {
    return scaled_normalised_black_otm(static_cast<double>(x_ld), static_cast<double>(s_ld), x_ld, s_ld, 1.0, [&] {
        const double e = std::exp(0.5 * static_cast<double>(x_ld));
        return std::pair<double, double>(e, 1.0 / e);
    });
}

}  // namespace detail

/// Normalised Black function b(x, s) of a call (θ = +1) or put (θ = −1): the undiscounted price
/// divided by √(F·K), with x = ln(F/K) and total volatility s = σ√T ≥ 0. An in-the-money option
/// is its normalised intrinsic value 2·sinh(θx/2) plus the out-of-the-money b(−|x|, s); s = 0
/// gives the intrinsic value. `x` and `s` are taken in long double so that a caller can pass
/// them beyond double precision (the tails need it, see the file comment).
/// Below x = −1418 the out-of-the-money value is under e^(x/2) < 1.2e-308, the smallest normal
/// double: it underflows to 0 (the library's accuracy statement covers prices above the smallest
/// normal).
/// \throws margincall::invalid_argument for a type other than call or put, a non-finite x, or an
///         s that is negative or not finite; margincall::numeric_error when the in-the-money value
///         2·sinh(|x|/2) overflows a double (|x| > 1420)
[[nodiscard]] inline double normalised_black(option_type type, long double x, long double s) {
    constexpr const char* where = "normalised_black";
    if (type != option_type::call && type != option_type::put)
        throw_invalid_argument(where, "type", static_cast<int>(type), "call (1) or put (-1)");
    if (!std::isfinite(x)) throw_invalid_argument(where, "x", static_cast<double>(x), "finite");
    if (!(s >= 0) || !std::isfinite(s)) throw_invalid_argument(where, "s", static_cast<double>(s), "finite and >= 0");
    const long double tx = type == option_type::call ? x : -x;
    const double intrinsic = tx > 0 ? 2.0 * std::sinh(0.5 * static_cast<double>(tx)) : 0.0;
    if (!std::isfinite(intrinsic))
        throw_numeric_error(where, "the in-the-money value 2 sinh(|x|/2)", intrinsic,
                            "finite (|x| <= 1420 for a double)");
    if (!(s > 0)) return intrinsic;
    const long double otm_x = tx > 0 ? -tx : tx;
    if (otm_x < -1418) return intrinsic;  // b(otm_x, s) < e^(otm_x/2) < 1.2e-308: underflow
    return intrinsic + detail::normalised_black_otm(otm_x, s);
}

}  // namespace margincall
