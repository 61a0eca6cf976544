#pragma once
/// \file
/// Implied volatility of a European option (generalized Black–Scholes–Merton with carry b, and
/// Black-76): the σ at which the model price equals a given price.
///
/// Method. The price is reduced to the normalized time value of an out-of-the-money call,
/// c(s) = N(d1) − κN(d2) with κ = K/F ≥ 1, k = ln κ, s = σ√T, d1,2 = −k/s ± s/2 (an in-the-money
/// option through put–call parity, an out-of-the-money put through put–call symmetry
/// p(k, s) = κ·c(−k, s)). c is strictly increasing from 0 (s → 0) to 1 (s → ∞), so every
/// arbitrage-free price has exactly one root. It is bracketed by s ∈ [0, s_hi] with the proven
/// bound below and found by TOMS 748 (Boost.Math) on ln c(s) − ln c*, which stays well scaled
/// for prices down to the smallest positive double (deep out of the money, short expiries).
/// For double a fast path runs first: Jäckel's rational initial guess and third-order Householder
/// steps on the normalised Black function, in the pricer's own decomposition
/// (fast_implied_volatility below, lets_be_rational.hpp); TOMS 748 serves every other Real and
/// the prices the fast path cannot (a time value that is not a normal double).
///
/// Bracket proof. For X = e^(sZ − s²/2), Z standard normal, κ > 0 and any event A,
/// c(s) = E[(X − κ)⁺] ≥ E[(X − κ)·1_A]. Take A = {Z ≥ s/2}: E[X·1_A] = P(Z ≥ s/2 − s) = N(s/2)
/// (X is the density of the measure under which Z − s is standard normal) and
/// E[κ·1_A] = κN(−s/2), so c(s) ≥ N(s/2) − κN(−s/2) = 1 − (1 + κ)N(−s/2). Hence
/// s_hi = −2·N⁻¹((1 − c*)/(1 + κ)) gives c(s_hi) ≥ c*, and c(0) = 0 < c*: the root is in [0, s_hi].
// Source: the bound is derived above (the same device gives the uniform bounds of M. Tehranchi,
// "Uniform bounds for Black–Scholes implied volatility", SIAM J. Financial Math. 7 (2016)); put–call symmetry and the normalized
// formulation follow P. Jäckel, "Let's be rational", Wilmott (2015) 40–53, which is the reference
// for the attainable accuracy (about machine precision in σ wherever vega is not negligible).
// Root finder: Alefeld, Potra & Shi, "Algorithm 748", ACM TOMS 21 (1995) 327–344, as
// boost::math::tools::toms748_solve behind core/bracketed_solve.hpp (caller-owned budget).
// Tested: round trips over moneyness × expiry × volatility including the extremes, SciPy brentq
// values (tests/options/implied_volatility.cpp).

#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/black76.hpp>
#include <margincall/options/lets_be_rational.hpp>
#include <margincall/options/normalised_black.hpp>
#include <margincall/options/option_type.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/expm1.hpp>

#include <cmath>
#include <cstdint>
#include <cstddef>
#include <limits>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace margincall {

/// An implied volatility and how its solve ended.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct implied_volatility_result {
    Real volatility{0};                                 ///< σ (annualised); an estimate unless found
    solve_status status{solve_status::no_convergence};  ///< found or no_convergence
    std::uintmax_t evaluations{0};                      ///< TOMS 748 evaluations used

    [[nodiscard]] constexpr bool found() const noexcept { return status == solve_status::found; }
};

namespace detail {

/// Normalized out-of-the-money call c(s) = N(d1) − e^k·N(d2), k ≥ 0, s ≥ 0, without cancellation:
/// for d1 ≤ 0 both terms are lower tails (erfc keeps their relative accuracy; they differ by a
/// factor of at least 1 + s/|d2|); for d1 > 0, c = [erf(d1/√2) − erf(d2/√2)]/2 − expm1(k)·N(d2),
/// where d2 < 0 < d1 makes the bracket a sum of two positive terms.
template <real_scalar Real>
[[nodiscard]] Real normalized_otm_call(const Real& k, const Real& s) {
    using boost::math::constants::one_div_root_two;
    using std::exp;
    if (!(s > 0)) return Real(0);
    const Real d1 = -k / s + s / 2;
    const Real d2 = d1 - s;
    if (d1 <= 0) return option_normal_cdf<Real>(d1) - exp(k) * option_normal_cdf<Real>(d2);
    const Real r = one_div_root_two<Real>();
    return (boost::math::erf(d1 * r) - boost::math::erf(d2 * r)) / 2 - boost::math::expm1(k) * option_normal_cdf<Real>(d2);
}

/// Total implied volatility s = σ√T of a normalized out-of-the-money call value 0 < c < 1, k ≥ 0,
/// solved within `budget` (the result's root is s; an unconverged one is its bracket's midpoint).
template <real_scalar Real>
[[nodiscard]] solve_result<Real> implied_total_volatility(const Real& k, const Real& c, const solve_budget<Real>& budget) {
    using std::exp;
    using std::log;
    const Real log_target = log(c);
    const Real smallest = std::numeric_limits<Real>::min();
    auto objective = [&](const Real& s) {
        const Real v = normalized_otm_call(k, s);
        return log(v > smallest ? v : smallest) - log_target;  // below the normal range: still < 0
    };
    // Upper end from c(s) ≥ 1 − (1 + κ)N(−s/2) (proof above); widened by 1e-3 so that rounding in
    // c(s_hi) cannot hide the sign change the inequality guarantees.
    const boost::math::normal_distribution<Real> normal;
    Real s_hi = -2 * boost::math::quantile(normal, (1 - c) / (1 + exp(k)));
    s_hi = s_hi * Real(1.001) + Real(1e-3);
    Real f_hi = objective(s_hi);
    for (int widen = 0; widen < 64 && !(f_hi >= 0); ++widen) {  // only c within rounding of 1
        s_hi *= 2;
        f_hi = objective(s_hi);
    }
    const Real s_lo(0);
    const Real f_lo = objective(s_lo);
    // TOMS 748 needs at most 55 evaluations over a grid of 7,149 (k, s) pairs (k ∈ [0, 6),
    // s ∈ [0.005, 20), prices > 1e-300); the default budget of 200 leaves a wide margin.
    return solve_bracketed(objective, s_lo, s_hi, f_lo, f_hi, budget);
}

/// The rounding-consistent bounds of a price: intrinsic value and upper bound formed exactly as
/// black_scholes_price forms them (for double: black_decomposition, the normalised form the price
/// is computed in; otherwise max(ω(S·e^((b−r)T) − K·e^(−rT)), 0) and S·e^((b−r)T) or K·e^(−rT),
/// the legs of the textbook form), so that a price the library produced is never below its own
/// intrinsic value (issue #15: D·(F − K) rounded a few ulps above the price of one deep
/// in-the-money option in a thousand). Bad bounds print with 17 digits so that two different
/// numbers never print alike.
template <real_scalar Real>
struct price_bounds {
    Real intrinsic, upper;
    /// The legs of the textbook form (the pricer's form for every type but double).
    [[nodiscard]] static price_bounds textbook(option_type type, const option_inputs<Real>& in) {
        using std::exp;
        const Real carried = in.spot * exp((in.carry - in.rate) * in.expiry);
        const Real discounted_strike = in.strike * exp(-in.rate * in.expiry);
        const Real w = static_cast<Real>(sign(type));
        const Real value = w * (carried - discounted_strike);
        return {value > 0 ? value : Real(0), type == option_type::call ? carried : discounted_strike};
    }
    void check(const char* where, const Real& price) const {
        if (price > intrinsic && price < upper) return;
        using std::fabs;
        // At (or rounding-close below) a positive intrinsic value the price has no time value left
        // that a double resolves: say so, instead of bounds that print alike.
        if (intrinsic > 0 && price <= intrinsic && price >= intrinsic - 4 * std::numeric_limits<Real>::epsilon() * intrinsic)
            throw_invalid_argument(
                where, "price", price,
                detail::message("above the intrinsic value ", full_digits(intrinsic),
                                " by at least one ulp of the price: its time value is below the price's own resolution, "
                                "so it does not determine the volatility")
                    .c_str());
        throw_invalid_argument(
            where, "price", price,
            detail::message("in (", full_digits(intrinsic), ", ", full_digits(upper), "), the no-arbitrage bounds").c_str());
    }
    [[nodiscard]] static std::string full_digits(const Real& v) {
        std::ostringstream out;
        out.precision(std::numeric_limits<Real>::max_digits10);
        out << v;
        return out.str();
    }
};

/// The double fast path: σ from the normalised time value β = (price − intrinsic)/scale of the
/// out-of-the-money side, in exactly the decomposition black_scholes_price uses
/// (black_decomposition: the caller forms it at a volatility so large that h = x/(σ√T) ≈ 0, where
/// the pricer forms x = ln(S/K) + bT in double, as it does at every moderate σ), solved by
/// Jäckel's method (lets_be_rational.hpp). Returns 0 evaluations when it cannot serve (β not a
/// normal number, no convergence): the caller then solves with TOMS 748.
[[nodiscard]] inline implied_volatility_result<double> fast_implied_volatility(option_type type,
                                                                               const option_inputs<double>& in,
                                                                               double price,
                                                                               const black_decomposition& n) noexcept {
    const double beta = (price - n.intrinsic) / n.scale;
    const double b_max = std::exp(0.5 * static_cast<double>(n.x_otm));
    if (!std::isnormal(beta) || !(beta < b_max)) return {0.0, solve_status::no_convergence, 0};
    const auto r = lets_be_rational(n.x_otm, beta, b_max);
    if (r.evaluations == 0) return {0.0, solve_status::no_convergence, 0};
    const double root_t = std::sqrt(in.expiry);
    double sigma = r.s / root_t;
    // Where black_scholes_price forms x in long double at this σ (deep tails, short expiries:
    // black_decomposition) and that x differs from the double one solved with (the rounding of
    // S/K moves ln(S/K) by up to 1.1e-16), one Newton step on its own decomposition makes the
    // solve the inverse of the library's pricer (the step is of order 1e-16·|h|/s of s, so its
    // own error is far below an ulp).
    // black_decomposition switches to long double where h² + |h|/s > 64 (h = x/s): at half that
    // the pricer certainly forms x in double (as solved with), and the check is skipped.
    const double x = static_cast<double>(n.x_otm);
    const double h = x / r.s;
    if (h * h - h / r.s <= 32.0) return {sigma, solve_status::found, static_cast<std::uintmax_t>(r.evaluations)};
    option_inputs<double> at = in;
    at.volatility = sigma;
    const black_decomposition p(type, at);
    if (p.usable && static_cast<double>(p.x_otm) != x) {
        const double sd = static_cast<double>(p.s);
        const double step = (beta - normalised_black_otm(p.x_otm, p.s)) / nb_prefactor(p.x_otm, p.s);
        if (std::isfinite(step)) sigma = (sd + step) / root_t;
    }
    return {sigma, solve_status::found, static_cast<std::uintmax_t>(r.evaluations)};
}

template <real_scalar Real>
[[nodiscard]] implied_volatility_result<Real> implied_volatility_checked(const char* where, option_type type,
                                                                         const option_inputs<Real>& in,
                                                                         const Real& price,
                                                                         const solve_budget<Real>& budget) {
    using std::exp;
    using std::log;
    using std::sqrt;
    // The checkers take the argument's name as a std::string: six of them cost about 5 % of a
    // whole solve, so they run (in order, for the first failure's message) only when one fails.
    const auto positive = [](const Real& v) { return v > 0 && detail::is_finite(v); };
    if (!(positive(in.spot) && positive(in.strike) && positive(in.expiry) && detail::is_finite(in.rate) &&
          detail::is_finite(in.carry) && detail::is_finite(price))) {
        check_positive(where, "spot", in.spot);
        check_positive(where, "strike", in.strike);
        check_positive(where, "expiry", in.expiry);
        check_finite(where, "rate", in.rate);
        check_finite(where, "carry", in.carry);
        check_finite(where, "price", price);
    }
    bool checked = false;
    price_bounds<Real> bounds{};
    if constexpr (std::is_same_v<Real, double>) {
        // The bounds and the time value in the pricer's own decomposition (they do not depend on
        // σ; σ = 1e100 makes x the pricer's double x, see fast_implied_volatility).
        option_inputs<double> unit = in;
        unit.volatility = 1e100;
        const black_decomposition n(type, unit);
        if (n.usable) {
            bounds = {n.intrinsic, n.upper()};
            bounds.check(where, price);
            checked = true;
            if (budget.max_evaluations == 0) throw_invalid_argument(where, "max_evaluations", budget.max_evaluations, ">= 1");
            const auto fast = fast_implied_volatility(type, in, price, n);
            if (fast.found() && fast.evaluations <= budget.max_evaluations) return fast;
        }
    }
    // The general path (any Real, or a double the fast path did not serve): TOMS 748 below.
    const Real discount = exp(-in.rate * in.expiry);
    const Real forward = in.spot * exp(in.carry * in.expiry);
    if (!checked) {
        bounds = price_bounds<Real>::textbook(type, in);
        bounds.check(where, price);
    }
    const Real& intrinsic = bounds.intrinsic;
    const Real& upper = bounds.upper;
    // Normalize by D·F: the call side (K ≥ F) solves c(k, s) = out-of-the-money call value; the
    // put side (K < F) solves c(−k, s) = out-of-the-money put value / κ.
    const Real kappa = in.strike / forward;
    const Real normalized = price / (discount * forward);
    const Real k = log(kappa);
    Real target;
    if (k >= 0) target = type == option_type::call ? normalized : Real(normalized + 1 - kappa);
    else target = (type == option_type::put ? normalized : Real(normalized - (1 - kappa))) / kappa;
    const auto unresolvable = [&] {
        throw_invalid_argument(where, "price", price,
                               detail::message("in (", bounds.full_digits(intrinsic), ", ", bounds.full_digits(upper),
                                               "), the no-arbitrage bounds, with a time value resolvable in ",
                                               "floating point (its time value is below the price's own ",
                                               "resolution, so it does not determine the volatility)")
                                   .c_str());
    };
    if (!(target > 0 && target < 1)) unresolvable();  // the time value is below the resolution of the price
    if (budget.max_evaluations == 0) throw_invalid_argument(where, "max_evaluations", budget.max_evaluations, ">= 1");
    solve_result<Real> s;
    try {
        s = implied_total_volatility<Real>(k >= 0 ? k : Real(-k), target, budget);
    } catch (const std::overflow_error&) {
        // Boost's quantile overflows for a moneyness so extreme (a subnormal spot) that the
        // bracket's tail probability (1 − c)/(1 + κ) underflows: the price cannot be resolved.
        unresolvable();
    }
    // The bracket [0, s_hi] holds the root by the proof above, so the status is found or
    // no_convergence; a target in the subnormal range (a time value of ~1e-321) rounds the
    // bracket's end values to one sign: that is a price below the resolution, refused as above.
    if (s.status == solve_status::no_sign_change) unresolvable();
    return {Real(s.root / sqrt(in.expiry)), s.status, s.evaluations};
}

/// The σ of a result, or convergence_error naming the budget when it ran out.
template <real_scalar Real>
[[nodiscard]] Real converged_volatility(const char* where, const implied_volatility_result<Real>& r,
                                        std::uintmax_t budget) {
    if (!r.found())
        throw convergence_error(detail::message(where, ": the solve status is ", to_string(r.status), " after ",
                                                r.evaluations, " of ", budget, " evaluations, but must be found"));
    return r.volatility;
}

}  // namespace detail

/// σ such that black_scholes_price(type, in with volatility σ) = price. `in.volatility` is not read.
/// Needs T > 0 and a price strictly inside the no-arbitrage bounds
/// (max(ω·e^(−rT)(F − K), 0), e^(−rT)·F for a call or e^(−rT)·K for a put), F = S·e^(bT);
/// otherwise throws margincall::invalid_argument naming the bounds. Solved within the default
/// budget (200 evaluations, proven ample above); should it run out, throws convergence_error.
template <real_scalar Real>
[[nodiscard]] Real implied_volatility(option_type type, const option_inputs<Real>& in, const Real& price) {
    constexpr const char* where = "implied_volatility";
    const solve_budget<Real> budget{200};
    return detail::converged_volatility(where, detail::implied_volatility_checked(where, type, in, price, budget),
                                        budget.max_evaluations);
}

/// As implied_volatility, within a caller-owned budget and without throwing when it runs out:
/// `status` is found or no_convergence (then `volatility` is the midpoint of the last bracket,
/// an estimate, not a root). Bad input throws as implied_volatility.
template <real_scalar Real>
[[nodiscard]] implied_volatility_result<Real> solve_implied_volatility(option_type type, const option_inputs<Real>& in,
                                                                       const Real& price,
                                                                       const solve_budget<Real>& budget = {200}) {
    return detail::implied_volatility_checked("solve_implied_volatility", type, in, price, budget);
}

/// σ such that black76_price(type, in with volatility σ) = price. `in.volatility` is not read.
template <real_scalar Real>
[[nodiscard]] Real black76_implied_volatility(option_type type, const black76_inputs<Real>& in, const Real& price) {
    constexpr const char* where = "black76_implied_volatility";
    check_positive(where, "forward", in.forward);
    const solve_budget<Real> budget{200};
    return detail::converged_volatility(
        where,
        detail::implied_volatility_checked(
            where, type, option_inputs<Real>{in.forward, in.strike, in.expiry, in.rate, Real(0), Real(0)}, price, budget),
        budget.max_evaluations);
}

/// As black76_implied_volatility, within a caller-owned budget (see solve_implied_volatility).
template <real_scalar Real>
[[nodiscard]] implied_volatility_result<Real> solve_black76_implied_volatility(option_type type,
                                                                               const black76_inputs<Real>& in,
                                                                               const Real& price,
                                                                               const solve_budget<Real>& budget = {200}) {
    constexpr const char* where = "solve_black76_implied_volatility";
    check_positive(where, "forward", in.forward);
    return detail::implied_volatility_checked(
        where, type, option_inputs<Real>{in.forward, in.strike, in.expiry, in.rate, Real(0), Real(0)}, price, budget);
}

/// Batch form: volatility[i] = implied_volatility(type[i], inputs[i], price[i]) for every i (the
/// double fast path of Jäckel's method on the normalised Black function, see above). The spans must
/// have one length. A bad element throws invalid_argument (or convergence_error) naming its index
/// and the element's own message; elements before it are written.
template <real_scalar Real>
void implied_volatilities(std::span<const option_type> type, std::span<const option_inputs<Real>> inputs,
                          std::span<const Real> price, std::span<Real> volatility) {
    constexpr const char* where = "implied_volatilities";
    const std::size_t n = type.size();
    if (inputs.size() != n) throw_invalid_argument(where, "inputs.size()", inputs.size(), detail::message("type.size() = ", n).c_str());
    if (price.size() != n) throw_invalid_argument(where, "price.size()", price.size(), detail::message("type.size() = ", n).c_str());
    if (volatility.size() != n)
        throw_invalid_argument(where, "volatility.size()", volatility.size(), detail::message("type.size() = ", n).c_str());
    for (std::size_t i = 0; i < n; ++i) {
        try {
            volatility[i] = implied_volatility(type[i], inputs[i], price[i]);
        } catch (const invalid_argument& e) {
            throw invalid_argument(detail::message(where, ": element ", i, ": ", e.what()));
        } catch (const convergence_error& e) {
            throw convergence_error(detail::message(where, ": element ", i, ": ", e.what()));
        }
    }
}

}  // namespace margincall
