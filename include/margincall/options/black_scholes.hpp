#pragma once
/// \file
/// European option prices under the generalized Black–Scholes–Merton model with cost of carry b:
/// b = r for a stock without dividends (Black–Scholes 1973), b = r − q for a continuous dividend
/// yield q (Merton 1973), b = 0 for an option on a future (Black 1976, see black76.hpp),
/// b = r − r_f for a currency (Garman–Kohlhagen 1983).
///
/// \tparam Real a real_scalar (float, double, long double, Boost.Multiprecision); the normal CDF
/// is Boost.Math's. For batches of doubles use option_batch.hpp (vectorised, same formula).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/options/normalised_black.hpp>
#include <margincall/options/option_type.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/erf.hpp>

#include <cmath>
#include <type_traits>
#include <utility>

namespace margincall {

/// Market inputs of one European option. Time in years; rates continuously compounded;
/// volatility annualised.
template <real_scalar Real = double>
struct option_inputs {
    Real spot;        ///< S > 0: spot (or forward, with carry = 0)
    Real strike;      ///< K > 0
    Real expiry;      ///< T ≥ 0 in years; T = 0 is the expiry instant (intrinsic value)
    Real rate;        ///< r: risk-free rate used to discount the payoff
    Real carry;       ///< b: cost of carry; F = S·e^(bT)
    Real volatility;  ///< σ ≥ 0, annualised
};

/// Inputs with a continuous dividend yield q instead of the carry: b = r − q (Merton 1973;
/// Haug 2007 §1.1.2). Hull's and QuantLib's quotes use (S, K, T, r, q, σ).
template <real_scalar Real>
[[nodiscard]] option_inputs<Real> with_dividend_yield(const Real& spot, const Real& strike, const Real& expiry,
                                                      const Real& rate, const Real& dividend_yield,
                                                      const Real& volatility) {
    return option_inputs<Real>{spot, strike, expiry, rate, Real(rate - dividend_yield), volatility};
}

namespace detail {

/// Standard normal CDF through Boost.Math's erfc: Φ(x) = erfc(−x/√2)/2 (keeps the lower tail's
/// relative accuracy, unlike 1 − Φ(−x)).
template <real_scalar Real>
[[nodiscard]] Real option_normal_cdf(const Real& x) {
    using boost::math::constants::one_div_root_two;
    if constexpr (std::is_same_v<Real, double>) return std::erfc(-x * one_div_root_two<double>()) / 2;  // glibc: faster, as accurate
    else return boost::math::erfc(-x * one_div_root_two<Real>()) / 2;
}

/// Standard normal density φ(x) = e^(−x²/2)/√(2π).
template <real_scalar Real>
[[nodiscard]] Real option_normal_pdf(const Real& x) {
    using std::exp;
    return exp(-x * x / 2) * boost::math::constants::one_div_root_two_pi<Real>();
}

// The naming checks of check_option_inputs, out of line and marked cold: kept inline, their
// std::string set-up made the happy path save six registers on every call (a twentieth of a
// scalar price).
#if defined(__GNUC__)
#define MARGINCALL_OPTIONS_COLD __attribute__((cold, noinline))
#else
#define MARGINCALL_OPTIONS_COLD
#endif

/// Throws for the first invalid input (called only when check_option_inputs's test fails).
template <real_scalar Real>
MARGINCALL_OPTIONS_COLD void report_option_inputs(const char* where, const option_inputs<Real>& in,
                                                   bool expiry_positive, bool volatility_positive) {
    check_positive(where, "spot", in.spot);
    check_positive(where, "strike", in.strike);
    if (expiry_positive) check_positive(where, "expiry", in.expiry);
    else check_non_negative(where, "expiry", in.expiry);
    check_finite(where, "rate", in.rate);
    check_finite(where, "carry", in.carry);
    if (volatility_positive) check_positive(where, "volatility", in.volatility);
    else check_non_negative(where, "volatility", in.volatility);
}

/// Validates the inputs: S, K > 0; T ≥ 0 (or > 0); r, b finite; σ ≥ 0 (or > 0); all finite.
template <real_scalar Real>
void check_option_inputs(const char* where, const option_inputs<Real>& in, bool expiry_positive,
                         bool volatility_positive) {
    // The common case in one expression of comparisons (NaN fails each); the named checkers, which
    // build the argument's name as a std::string, run only when something is wrong (they cost a
    // fifth of a scalar price otherwise).
    const Real zero(0);
    if (in.spot > zero && in.strike > zero && (expiry_positive ? in.expiry > zero : in.expiry >= zero) &&
        (volatility_positive ? in.volatility > zero : in.volatility >= zero) && is_finite(in.spot) &&
        is_finite(in.strike) && is_finite(in.expiry) && is_finite(in.rate) && is_finite(in.carry) &&
        is_finite(in.volatility))
        return;
    report_option_inputs(where, in, expiry_positive, volatility_positive);
}

/// A price from finite inputs that is not finite means the forward S·e^((b−r)T) or the
/// discounted strike K·e^(−rT) overflowed: refused, naming the carry or the rate.
template <real_scalar Real>
[[nodiscard]] Real checked_price(const Real& price, const option_inputs<Real>& in, const Real& carried) {
    if (!is_finite(price))
        throw_invalid_argument("black_scholes_price", is_finite(carried) ? "rate" : "carry",
                               is_finite(carried) ? in.rate : in.carry,
                               "such that S e^((b - r)T) and K e^(-rT) are finite (the price overflows)");
    return price;
}

/// d1 = (ln(S/K) + (b + σ²/2)T)/(σ√T), d2 = d1 − σ√T, for σ√T > 0.
template <real_scalar Real>
struct d1_d2 {
    Real d1, d2, sd;
    explicit d1_d2(const option_inputs<Real>& in) {
        using std::log;
        using std::sqrt;
        sd = in.volatility * sqrt(in.expiry);
        // ln(S/K) from the ratio (exact where S ≈ K), or as ln S − ln K where the ratio overflows
        // or underflows (S = 100, K = 1e-307: S/K = +∞ would make d1 = +∞ whatever the carry).
        const Real ratio = in.spot / in.strike;
        const Real moneyness = detail::is_finite(ratio) && ratio > Real(0) ? Real(log(ratio)) : Real(log(in.spot) - log(in.strike));
        d1 = (moneyness + in.carry * in.expiry) / sd + sd / 2;
        d2 = d1 - sd;
    }
};

/// The normalised decomposition of a double price (normalised_black.hpp), one place for
/// black_scholes_price and implied_volatility (so that a price the library produced is never
/// outside the bounds the solver checks, issue #15):
///   V = intrinsic + scale·b(x_otm, s),  scale = D·√(F·K) = √(S·K)·e^(bT/2)·e^(−rT),
///   intrinsic = max(ω(S·e^((b−r)T) − K·e^(−rT)), 0) in the money (θx > 0), else 0,
///   upper = S·e^((b−r)T) for a call, K·e^(−rT) for a put,  x = ln(S/K) + bT,  x_otm = −|x|,  s = σ√T.
/// The intrinsic value and the upper bound are the textbook legs (exact for S − K when r = b = 0)
/// and do not depend on σ. x and s are formed in double, or in long double where their rounding
/// would show in the price: a relative error ε in s moves ln b by h²ε and an absolute error ε in x
/// by (|h|/s)ε (h = x/s), so long double is used when h² + |h|/s > 64 (deep tails, short expiries).
struct black_decomposition {
    long double x_otm = 0;
    long double s = 0;
    /// x_otm and s rounded to double, formed without the long double round trip in the common case
    /// (black_scholes_price's dispatch reads these: the x87 stores and loads of the long double
    /// fields sat on its critical path).
    double x_otm_double = 0;
    double s_double = 0;
    double scale = 0;
    double intrinsic = 0;
    bool usable = false;  ///< every factor a finite normal double; else the caller keeps the textbook form

    /// `extended`: form x and s in long double regardless of σ (implied_volatility, σ unknown).
    black_decomposition(option_type type, const option_inputs<double>& in, bool extended = false) noexcept
        : call_(type == option_type::call), spot_(in.spot), strike_(in.strike), discount_(std::exp(-in.rate * in.expiry)),
          half_growth_(std::exp(0.5 * in.carry * in.expiry)) {
        const double x = std::log(in.spot / in.strike) + in.carry * in.expiry;
        const double sd = in.volatility * std::sqrt(in.expiry);
        long double xl = static_cast<long double>(x);
        long double sl = static_cast<long double>(sd);
        // h² + |h|/s > 64 with h = x/s, multiplied by s² (no division; true for s = 0 as h = ±∞ was).
        extended_ = extended || !(x * x + std::fabs(x) <= 64.0 * (sd * sd));
        if (extended_) {
            xl = std::log(static_cast<long double>(in.spot) / static_cast<long double>(in.strike)) +
                 static_cast<long double>(in.carry) * static_cast<long double>(in.expiry);
            sl = static_cast<long double>(in.volatility) * std::sqrt(static_cast<long double>(in.expiry));
        }
        below_strike_ = !(xl > 0);
        // −|θx| = −|x| for either type, without a branch on the type (GCC branches on long double
        // selects; calls and puts come mixed). At x = ±0 this is −0 where the type's sign gave
        // ±0: b(±0, s) is the same.
        x_otm = -std::fabs(xl);
        s = sl;
        if (extended_) {
            x_otm_double = static_cast<double>(x_otm);
            s_double = static_cast<double>(sl);
        } else {  // xl and sl hold x and sd exactly: the same values
            x_otm_double = -std::fabs(x);
            s_double = sd;
        }
        scale = std::sqrt(in.spot * in.strike) * half_growth_ * discount_;
        // Calls and puts come mixed, so everything that depends on the type is a select on values
        // formed unconditionally (branches on it were mispredicted half the time).
        const double w = call_ ? 1.0 : -1.0;
        const double value = w * (carried() - discounted_strike());
        intrinsic = ((w * x > 0) & (value > 0)) ? value : 0.0;
        usable = std::isnormal(scale) && std::isfinite(intrinsic) && std::isnormal(sd) && std::isfinite(x);
    }

    /// S·e^((b−r)T) = S·(e^(bT/2))²·e^(−rT) and K·e^(−rT), the legs' amounts (two exponentials
    /// serve the scale and both legs; r = b = 0 still gives S and K exactly).
    [[nodiscard]] double carried() const noexcept { return spot_ * (half_growth_ * half_growth_) * discount_; }
    [[nodiscard]] double discounted_strike() const noexcept { return strike_ * discount_; }
    /// The upper bound of the price: S·e^((b−r)T) for a call, K·e^(−rT) for a put.
    [[nodiscard]] double upper() const noexcept { return call_ ? carried() : discounted_strike(); }
    /// The textbook legs of the out-of-the-money value scale·b(x_otm, s) = first·Φ(h+t) − second·Φ(h−t)
    /// (scaled_normalised_black_otm): (S·e^((b−r)T), K·e^(−rT)) when F ≤ K (the call's own legs),
    /// swapped when F > K (the put's).
    [[nodiscard]] std::pair<double, double> otm_legs() const noexcept {
        const double c = carried();
        const double k = discounted_strike();
        return {below_strike_ ? c : k, below_strike_ ? k : c};
    }

private:
    bool below_strike_ = true;  // x = ln(F/K) ≤ 0
    bool extended_ = false;     // x and s formed in long double
    bool call_;
    double spot_, strike_, discount_, half_growth_;
};

}  // namespace detail

/// Price of a European option, generalized Black–Scholes–Merton with carry b.
///   call c = S·e^((b−r)T)·N(d1) − K·e^(−rT)·N(d2),  put p = K·e^(−rT)·N(−d2) − S·e^((b−r)T)·N(−d1),
///   d1 = (ln(S/K) + (b + σ²/2)T)/(σ√T), d2 = d1 − σ√T.
/// At T = 0 the price is the intrinsic value max(ω(S − K), 0); at σ = 0 it is the discounted
/// intrinsic value of the forward, max(ω(S·e^((b−r)T) − K·e^(−rT)), 0).
/// Throws margincall::invalid_argument for S ≤ 0, K ≤ 0, T < 0, σ < 0 or non-finite input.
/// For double the same value is computed as D·√(F·K)·b(θx, σ√T) with the normalised Black function
/// (normalised_black.hpp, black_decomposition above): full relative accuracy down to the smallest
/// normal double, where the difference of the two legs loses up to all digits.
// Source: E. G. Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed. (2007), §1.1.6
// "The Generalized Black-Scholes-Merton Option Pricing Formula", p. 8.
// Tested: Hull and Haug worked examples, SciPy reference (tests/options/black_scholes.cpp).
template <real_scalar Real>
[[nodiscard]] Real black_scholes_price(option_type type, const option_inputs<Real>& in) {
    using std::exp;
    detail::check_option_inputs("black_scholes_price", in, false, false);
    const Real w = static_cast<Real>(sign(type));
    const Real zero(0);
    if (in.expiry == 0) {
        const Real intrinsic = w * (in.spot - in.strike);
        return intrinsic > zero ? intrinsic : zero;
    }
    if constexpr (std::is_same_v<Real, double>) {
        if (in.volatility > 0) {
            const detail::black_decomposition n(type, in);
            if (n.usable) {
                const double price =
                    n.intrinsic + detail::scaled_normalised_black_otm(n.x_otm_double, n.s_double, n.x_otm, n.s, n.scale,
                                                                      [&] { return n.otm_legs(); });
                if (std::isfinite(price)) return price;
            }
        }
    }
    const Real carried = in.spot * exp((in.carry - in.rate) * in.expiry);
    const Real discounted_strike = in.strike * exp(-in.rate * in.expiry);
    if (in.volatility == 0) {
        const Real intrinsic = w * (carried - discounted_strike);
        return detail::checked_price(intrinsic > zero ? intrinsic : zero, in, carried);
    }
    const detail::d1_d2<Real> d(in);
    // A leg whose probability is exactly 0 contributes 0 even when its amount overflowed
    // (carry 1e308: S·e^((b−r)T) = ∞ with N(−d1) = 0 made the put NaN; issue #14, class 4).
    const auto leg = [](const Real& amount, const Real& probability) {
        return probability == Real(0) ? Real(0) : Real(amount * probability);
    };
    const Real price = w * (leg(carried, detail::option_normal_cdf<Real>(w * d.d1)) -
                            leg(discounted_strike, detail::option_normal_cdf<Real>(w * d.d2)));
    // An option is worth ≥ 0; a negative difference is rounding of two legs at the edge of the
    // range (a discount factor that underflowed to 0 against a subnormal forward leg; found
    // by fuzz_numeric), not a value, so the price is floored at 0 there.
    return detail::checked_price(price < zero ? zero : price, in, carried);  // NaN stays NaN: refused
}

/// Put–call parity for carry b: c − p = S·e^((b−r)T) − K·e^(−rT); returns the right-hand side.
// Source: Haug (2007) §1.1.6; Hull, "Options, Futures, and Other Derivatives", 10th ed., eq. (11.6)/(17.3).
template <real_scalar Real>
[[nodiscard]] Real put_call_parity_difference(const option_inputs<Real>& in) {
    using std::exp;
    detail::check_option_inputs("put_call_parity_difference", in, false, false);
    return in.spot * exp((in.carry - in.rate) * in.expiry) - in.strike * exp(-in.rate * in.expiry);
}

}  // namespace margincall
