#pragma once
/// \file
/// Implied total volatility s = σ√T of a normalised out-of-the-money Black price, by P. Jäckel's
/// "Let's be rational" method: a four-branch rational initial guess followed by third-order
/// Householder steps on a branch-dependent objective. With the normalised Black function
///   b(x, s) = e^(x/2)·Φ(x/s + s/2) − e^(−x/2)·Φ(x/s − s/2),  x ≤ 0 (normalised_black.hpp),
/// b rises from 0 (s → 0) to b_max = e^(x/2) (s → ∞) and has one inflection point,
///   s_c = √(2|x|),  b_c = b(x, s_c),  b'(s_c) = v_c = b_max/√(2π).
/// The tangent at s_c meets 0 at s_l = s_c − b_c/v_c and b_max at s_u = s_c + (b_max − b_c)/v_c,
/// which cut the price axis into four branches, b_l = b(x, s_l), b_u = b(x, s_u):
///  - β < b_l: the small-s asymptote b ≈ f_l(s) = (2π|x|/√27)·Φ(−|x|/(√3 s))³ is inverted in
///    closed form, s = |x|/(√3·|Φ⁻¹((f/(2π|x|/√27))^(1/3))|), applied to a rational cubic
///    interpolation f(β) of f_l(s(β)) through f(0) = 0, f'(0) = 1 and f, f', f'' at b_l;
///  - b_l ≤ β ≤ b_c and b_c < β ≤ b_u: s(β) itself, a rational cubic through the end points with
///    slopes 1/b'(s), its second derivative 0 at the inflection point b_c;
///  - β > b_u: the large-s asymptote b ≈ b_max − 2Φ(−s/2), f_u(s) = Φ(−s/2) interpolated in β
///    through f, f', f'' at b_u and f(b_max) = 0, f'(b_max) = −1/2, inverted as s = −2Φ⁻¹(f).
/// The rational cubic is Delbourgo & Gregory's shape-preserving interpolant, its control parameter
/// fitted to the second derivative at one end but kept at or above the value that preserves
/// monotonicity and convexity.
/// Householder's third-order step on g(s) = 0, with ν = −g/g', γ = g''/g', δ = g'''/g',
///   s ← s + ν·(1 + γν/2)/(1 + ν(γ + δν/6)),
/// on g = 1/ln b(s) − 1/ln β below b_l (nearly linear there since ln b ≈ −x²/(2s²)), on
/// g = ln((b_max − β)/(b_max − b(s))) above max(b_u, b_max/2), and on g = b(s) − β between. The
/// derivatives of b in s are closed forms: b' = e^(−(h²+t²)/2)/√(2π) (h = x/s, t = s/2),
/// b''/b' = x²/s³ − s/4, b'''/b' = (b''/b')² − 3x²/s⁴ − 1/4; those of g follow by the chain rule
/// (at the code).
// Source: P. Jäckel, "Let's be rational", Wilmott 2015(75), 40–53 (preprint of 25 March 2016):
// §3 (the asymptotes f_l, f_u and their inverses), §4 (the inflection point s_c, the tangent
// points s_l, s_u and the four branches of the initial guess), §5 (the three objectives and the
// third-order Householder iteration: two steps reach the attainable accuracy). R. Delbourgo &
// J. A. Gregory, "Shape preserving piecewise rational interpolation", SIAM J. Sci. Stat. Comput.
// 6 (1985) 967–976: the rational cubic (their (2.4)/(2.5)), the monotonicity bound (3.8) and the
// convexity bound (3.18) on its control parameter. The derivatives of the maps and objectives are
// re-derived here (comments at the code); no code is copied.
// Why hand-written: neither Boost.Math nor QuantLib ships Jäckel's initial guess or the
// normalised Black function it needs (QuantLib's blackFormulaImpliedStdDev is a Newton/Brent
// solve on the textbook price).
// Tested: tests/options/lets_be_rational.cpp (a sweep of x ∈ [−10, 10] × s ∈ [1e-4, 5] against
// the price's condition number, and mpmath values in tests/reference/options_lets_be_rational_mpmath.py).

#include <margincall/options/normalised_black.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace margincall::detail {

inline constexpr double lbr_two_pi = 6.2831853071795864769;
inline constexpr double lbr_sqrt_three = 1.7320508075688772935;
inline constexpr double lbr_two_pi_over_sqrt_27 = 1.2091995761561452337;  // 2π/√27
inline constexpr double lbr_sqrt_half_pi = 1.2533141373155002512;         // √(π/2)

/// Φ(z) through erfc (full relative accuracy in the lower tail).
[[nodiscard]] inline double lbr_normal_cdf(double z) noexcept { return 0.5 * std::erfc(-z * nb_inv_sqrt_two); }

/// Φ⁻¹(p) for 0 < p ≤ 1/2 to 1.2e-9 relative, for the initial guess only (its own error is of
/// order 1e-3, and each Householder step raises the error to the fourth power).
// Source: P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
// function" (2003): rational functions in p − 1/2 (central region) and in √(−2 ln p) (p < 0.02425),
// his published coefficients. Why not Boost.Math: boost::math::erfc_inv is accurate to the last
// bit but costs about 75 ns here, a quarter of a whole solve; the guess needs 1e-6.
[[nodiscard]] inline double lbr_inverse_normal_cdf(double p) noexcept {
    if (p < 0.02425) {
        const double q = std::sqrt(-2.0 * std::log(p));
        return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q -
                  2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) /
               ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q +
                 3.754408661907416e+00) * q + 1.0);
    }
    const double q = p - 0.5;
    const double r = q * q;
    return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r +
              1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q /
           (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r +
              6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1.0);
}

/// Delbourgo–Gregory rational cubic on [x_l, x_r] through (x_l, y_l), (x_r, y_r) with end slopes
/// d_l, d_r and control parameter r > −1 (their (2.4) over (2.5); r = 3 is the Hermite cubic,
/// r → ∞ the straight line):
///   y(t) = [y_r t³ + (r y_r − h d_r) t²(1−t) + (r y_l + h d_l) t(1−t)² + y_l (1−t)³] / [1 + (r − 3) t(1−t)],
/// h = x_r − x_l, t = (x − x_l)/h.
struct rational_cubic {
    double x_l, x_r, y_l, y_r, d_l, d_r;

    [[nodiscard]] double slope() const noexcept { return (y_r - y_l) / (x_r - x_l); }

    [[nodiscard]] double operator()(double x, double r) const noexcept {
        const double h = x_r - x_l;
        if (!(std::fabs(h) > 0)) return 0.5 * (y_l + y_r);
        const double t = (x - x_l) / h;
        const double u = 1.0 - t;
        if (!(r < 1e30)) return y_r * t + y_l * u;  // the straight-line limit, without overflow
        return (y_r * t * t * t + (r * y_r - h * d_r) * t * t * u + (r * y_l + h * d_l) * t * u * u + y_l * u * u * u) /
               (1.0 + (r - 3.0) * t * u);
    }

    /// The smallest r that keeps the interpolant monotone (Delbourgo & Gregory (3.8):
    /// r ≥ (d_l + d_r)/Δ, Δ the chord slope) and convex or concave as its data are ((3.18):
    /// r ≥ max(|(d_r − d_l)/(d_r − Δ)|, |(d_r − d_l)/(Δ − d_l)|)), and above −1.
    [[nodiscard]] double minimum_r() const noexcept {
        constexpr double r_floor = -(1.0 - 1.4901161193847656e-08);  // −(1 − √ε)
        const double s = slope();
        const bool monotone = d_l * s >= 0 && d_r * s >= 0;
        const bool convex = d_l <= s && s <= d_r;
        const bool concave = d_l >= s && s >= d_r;
        double r = r_floor;
        if (monotone && s != 0) r = std::max(r, (d_l + d_r) / s);
        if ((convex || concave) && s != d_l && s != d_r)
            r = std::max({r, std::fabs((d_r - d_l) / (d_r - s)), std::fabs((d_r - d_l) / (s - d_l))});
        return r;
    }

    /// r that matches the second derivative y'' at the left end, y''(x_l) = 2(r(Δ − d_l) − (d_r − d_l))/h
    /// (the second derivative of (2.4)/(2.5) at t = 0), at least minimum_r().
    [[nodiscard]] double r_fitting_left(double second_derivative) const noexcept {
        const double h = x_r - x_l;
        const double denominator = slope() - d_l;
        const double r = 0.5 * h * second_derivative + (d_r - d_l);
        return std::max(denominator != 0 ? r / denominator : 0.0, minimum_r());
    }

    /// r that matches the second derivative at the right end, y''(x_r) = 2(r(d_r − Δ) − (d_r − d_l))/h
    /// (the same at t = 1), at least minimum_r().
    [[nodiscard]] double r_fitting_right(double second_derivative) const noexcept {
        const double h = x_r - x_l;
        const double denominator = d_r - slope();
        const double r = 0.5 * h * second_derivative + (d_r - d_l);
        return std::max(denominator != 0 ? r / denominator : 0.0, minimum_r());
    }
};

/// b'(s) = e^(−(h²+t²)/2)/√(2π), the normalised vega, in double: it only scales the steps, so
/// its relative error (up to ~1e-13 where the exponent nears 700) moves a step by that fraction of
/// itself, nothing near the root (b itself forms its exponent more carefully: nb_prefactor in long
/// double, and the small-t series in double with an exact FMA-split h², h²/2 ≤ 50 there).
[[nodiscard]] inline double lbr_vega(double x, double s) noexcept {
    const double h = x / s;
    const double t = 0.5 * s;
    return nb_inv_sqrt_two_pi * std::exp(-0.5 * (h * h + t * t));
}

/// The total volatility s and the number of evaluations of b spent (the guess's one or two and
/// one per Householder step); 0 evaluations when it failed (the caller falls back).
struct lbr_result {
    double s = 0.0;
    int evaluations = 0;
};

/// s with b(x, s) = β for x ≤ 0 and 0 < β < b_max = e^(x/2) (β a normal double). `x` is taken in
/// long double as normalised_black_otm takes it.
[[nodiscard]] inline lbr_result lets_be_rational(long double x_ld, double beta, double b_max) noexcept {
    const double x = static_cast<double>(x_ld);
    const double ax = std::fabs(x);
    const double sc = std::sqrt(2.0 * ax);
    const double vc = b_max * nb_inv_sqrt_two_pi;
    // b_c = b(x, s_c): there h + t = 0 and h − t = −s_c, h² + t² = |x|, so with Y(z) = Φ(z)/φ(z)
    // = √(π/2)·erfcx(−z/√2): b_c = (b_max/√(2π))·(Y(0) − Y(−s_c)) = (b_max/2)·(1 − erfcx(√|x|)).
    // Below y = √|x| = 1 the difference would cancel (erfcx(y) ≈ 1 − 2y/√π), so there
    // 1 − erfcx(y) = e^(y²)·erf(y) − expm1(y²), two positive terms of ratio ≥ 4.
    const double y = std::sqrt(ax);
    const double one_minus_erfcx = y < 1.0 ? std::exp(ax) * std::erf(y) - std::expm1(ax) : 1.0 - erfcx(y);
    const double bc = 0.5 * b_max * one_minus_erfcx;
    int evaluations = 1;  // b at s_l or s_u
    enum class objective { lower, middle, upper } kind = objective::middle;
    double s = 0.0;
    // The branch's own interval of s holds the root (b is increasing and b_l, b_c, b_u are accurate
    // values of b) and starts the iteration's bracket, as in Jäckel's method: it keeps the steps in
    // the region their objective is made for (the upper objective is flat far below s_u). The
    // signs of b − β then narrow it. Should rounding of a node ever exclude the root, the solve
    // would end on an edge that no sign confirmed: that is reported as a failure (below).
    double branch_left = 0.0;
    double branch_right = std::numeric_limits<double>::infinity();
    if (beta < bc) {
        // s_l ≥ 0 by convexity (b(0) = 0); rounding of b_c at |x| below ~1e-15 may say otherwise.
        const double sl = std::max(sc - bc / vc, 0.0);
        const double bl = sl > 0 ? normalised_black_otm(x_ld, static_cast<long double>(sl)) : 0.0;
        if (beta < bl) {
            // Lower branch. f_l(s) = c|x|Φ(−z)³, c = 2π/√27, z = |x|/(√3 s). Its derivatives in β
            // (dβ = b'(s) ds, b'(s) = e^(−(h²+t²)/2)/√(2π), h² = 3z²):
            //   f_l' = (df_l/ds)/b' = 3c|x|Φ²φ(z)(z/s)/b' = 2πz²Φ²·e^(z² + s²/8),
            //   f_l'' = (d f_l'/ds)/b' = f_l'·(2zφ(z)/Φ − 2 − 2z² + s²/4)/(s·b')
            //         = 2πz²Φ·e^(2z² + s²/4)·(2z − (2 + 2z² − s²/4)·Φ/φ(z))/s.
            const double z = ax / (lbr_sqrt_three * sl);
            const double z2 = z * z;
            const double phi_cdf = lbr_normal_cdf(-z);
            const double phi_pdf = nb_inv_sqrt_two_pi * std::exp(-0.5 * z2);
            const double f_l = lbr_two_pi_over_sqrt_27 * ax * phi_cdf * phi_cdf * phi_cdf;
            const double e = std::exp(z2 + 0.125 * sl * sl);
            const double fp = lbr_two_pi * z2 * phi_cdf * phi_cdf * e;
            const double fpp = lbr_two_pi * z2 * phi_cdf * e * e * (2.0 * z - (2.0 + 2.0 * z2 - 0.25 * sl * sl) * phi_cdf / phi_pdf) / sl;
            const rational_cubic rc{0.0, bl, 0.0, f_l, 1.0, fp};
            double f = rc(beta, rc.r_fitting_right(fpp));
            if (!(f > 0)) {  // rounding at extreme |x|: the quadratic through f(0) = 0, f'(0) = 1, f(b_l)
                const double t = beta / bl;
                f = (f_l * t + bl * (1.0 - t)) * t;
            }
            // Inverse of f_l: Φ(−z) = (f/(c|x|))^(1/3), s = |x|/(√3·z) (the cube root as exp(ln/3): std::cbrt
            // costs 29 ns here, and a guess does not need its last ulp).
            s = -ax / (lbr_sqrt_three * lbr_inverse_normal_cdf(std::exp(std::log(f / (lbr_two_pi_over_sqrt_27 * ax)) / 3.0)));
            branch_right = sl;
            kind = objective::lower;
        } else {
            // Lower middle branch: s(β) on [b_l, b_c], s' = 1/b', s'' = 0 at the inflection b_c.
            const rational_cubic rc{bl, bc, sl, sc, 1.0 / lbr_vega(x, sl), 1.0 / vc};
            s = rc(beta, rc.r_fitting_right(0.0));
            branch_left = sl;
            branch_right = sc;
        }
    } else {
        const double su = sc + (b_max - bc) / vc;
        const double bu = normalised_black_otm(x_ld, static_cast<long double>(su));
        if (beta <= bu) {
            // Upper middle branch: s(β) on [b_c, b_u], s'' = 0 at b_c.
            const rational_cubic rc{bc, bu, sc, su, 1.0 / vc, 1.0 / lbr_vega(x, su)};
            s = rc(beta, rc.r_fitting_left(0.0));
            branch_left = sc;
            branch_right = su;
        } else {
            // Upper branch. f_u(s) = Φ(−s/2); in β (b' = φ(s/2)e^(−h²/2)):
            //   f_u' = −φ(s/2)/(2b') = −e^(w/2)/2,  w = x²/s²,
            //   f_u'' = (d f_u'/ds)/b' = (w/(2s))e^(w/2)·√(2π)e^(w/2 + s²/8) = √(π/2)·(w/s)·e^(w + s²/8);
            // at b_max: f = 0, f' = −1/2.
            const double w = x * x / (su * su);
            const double f_u = lbr_normal_cdf(-0.5 * su);
            const double ew = std::exp(0.5 * w);
            const double fp = -0.5 * ew;
            const double fpp = lbr_sqrt_half_pi * (w / su) * ew * ew * std::exp(0.125 * su * su);
            double f = -1.0;
            if (std::isfinite(fpp)) {
                const rational_cubic rc{bu, b_max, f_u, 0.0, fp, -0.5};
                f = rc(beta, rc.r_fitting_left(fpp));
            }
            if (!(f > 0)) {  // the quadratic through f(b_u), f(b_max) = 0, f'(b_max) = −1/2
                const double h = b_max - bu;
                const double t = (beta - bu) / h;
                f = (f_u * (1.0 - t) + 0.5 * h * t) * (1.0 - t);
            }
            s = -2.0 * lbr_inverse_normal_cdf(f);
            branch_left = su;
            // Jäckel's upper objective only where β > b_max/2 (else b − β is as well scaled).
            if (beta > 0.5 * b_max) kind = objective::upper;
        }
    }
    if (!(s > branch_left && s < branch_right))
        s = std::isfinite(branch_right) ? 0.5 * (branch_left + branch_right) : 2.0 * branch_left + 1.0;
    double s_left = branch_left;
    double s_right = branch_right;
    bool left_confirmed = branch_left == 0.0;  // b(0) = 0 < β
    bool right_confirmed = !std::isfinite(branch_right);
    const auto finish = [&](double root) -> lbr_result {
        constexpr double ulps = 4.0 * std::numeric_limits<double>::epsilon();
        if ((!left_confirmed && root <= s_left * (1.0 + ulps)) || (!right_confirmed && root >= s_right * (1.0 - ulps)))
            return {root, 0};
        return {root, evaluations};
    };
    const double log_beta = kind == objective::lower ? std::log(beta) : 0.0;
    const double upper_gap = b_max - beta;
    // Third-order Householder steps (Jäckel §5). Two reach the attainable accuracy from the guess
    // above. The error after a step is about K·e⁴ of s, e the relative error before it (quartic
    // convergence), and the step itself measures e: over 85,000 points of x ∈ [−10, 0] ×
    // s ∈ [1e-4, 5] K stayed below 10, so a step of at most 3e-5 of s leaves at most
    // 10·(3e-5)⁴ ≈ 8e-18 of s and ends the iteration (after one step for about one solve in ten).
    // A step outside the bracket that the signs of b − β narrow falls back to bisection;
    // 0 evaluations after 32 steps (never seen).
    for (int step = 1; step <= 32; ++step) {
        const double b = normalised_black_otm(x_ld, static_cast<long double>(s));
        const double bp = lbr_vega(x, s);
        ++evaluations;
        if (b > beta && s <= s_right) {
            s_right = s;
            right_confirmed = true;
        } else if (b < beta && s >= s_left) {
            s_left = s;
            left_confirmed = true;
        }
        const double inv_s = 1.0 / s;
        const double h2 = x * x * inv_s * inv_s;                  // h² = x²/s²
        const double b2 = h2 * inv_s - 0.25 * s;                  // b''/b' = x²/s³ − s/4
        const double b3 = b2 * b2 - 3.0 * h2 * inv_s * inv_s - 0.25;  // b'''/b' = (b''/b')² − 3x²/s⁴ − 1/4
        double newton = 0.0;
        double halley = 0.0;
        double hh3 = 0.0;
        bool usable = bp > 0 && std::isfinite(bp);
        if (kind == objective::lower) {
            // g = 1/ℓ − 1/ln β, ℓ = ln b, q = ℓ' = b'/b: g' = −q/ℓ², and with ℓ'' = (b''/b') q − q²,
            // ℓ''' = (b'''/b') q − 3(b''/b') q² + 2q³:
            //   ν = −g/g' = (ln β − ℓ)·ℓ/ln β · b/b',  γ = g''/g' = ℓ''/q − 2q/ℓ = b''/b' − q(1 + 2/ℓ),
            //   δ = g'''/g' = ℓ'''/q − 6ℓ''/ℓ + 6q²/ℓ² = b'''/b' + 2q²(1 + 3/ℓ + 3/ℓ²) − 3(b''/b') q (1 + 2/ℓ).
            usable = usable && b > 0;
            if (usable) {
                const double l = std::log(b);
                const double q = bp / b;
                newton = (log_beta - l) * l / log_beta / q;
                halley = b2 - q * (1.0 + 2.0 / l);
                hh3 = b3 + 2.0 * q * q * (1.0 + 3.0 / l * (1.0 + 1.0 / l)) - 3.0 * b2 * q * (1.0 + 2.0 / l);
            }
        } else if (kind == objective::upper) {
            // g = ln(b_max − β) − ln(b_max − b), p = g' = b'/(b_max − b):
            //   ν = −g/p,  γ = b''/b' + p,  δ = b'''/b' + 3(b''/b') p + 2p².
            const double gap = b_max - b;
            usable = usable && gap > 0;
            if (usable) {
                const double p = bp / gap;
                newton = -std::log(upper_gap / gap) / p;
                halley = b2 + p;
                hh3 = b3 + p * (3.0 * b2 + 2.0 * p);
            }
        } else {
            // g = b − β: ν = (β − b)/b', γ = b''/b', δ = b'''/b'.
            newton = (beta - b) / bp;
            halley = b2;
            hh3 = b3;
        }
        double next = s;
        if (usable) next = s + newton * (1.0 + 0.5 * halley * newton) / (1.0 + newton * (halley + hh3 * newton / 6.0));
        // A step of at most 3e-5 of s ends the iteration; one that leaves the bracket is then
        // rounding noise of b near the root (it contradicts the sign of b − β), so it is clamped.
        if (usable && std::fabs(next - s) <= 3e-5 * s) return finish(next < s_left ? s_left : (next > s_right ? s_right : next));
        if (!(next > s_left && next < s_right)) {
            if (b == beta) return {s, evaluations};
            next = std::isfinite(s_right) ? 0.5 * (s_left + s_right) : 2.0 * s;
            if (s_right - s_left <= 2.0 * std::numeric_limits<double>::epsilon() * next) return finish(next);
        }
        s = next;
    }
    return {s, 0};
}

}  // namespace margincall::detail
