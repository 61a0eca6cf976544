#pragma once
/// \file
/// Black (1976) prices and greeks of European options on a forward or futures price F:
/// the generalized Black–Scholes–Merton model with S = F and carry b = 0.
///   c = e^(−rT)[F·N(d1) − K·N(d2)],  p = e^(−rT)[K·N(−d2) − F·N(−d1)],
///   d1 = (ln(F/K) + σ²T/2)/(σ√T), d2 = d1 − σ√T.
/// Greeks are with respect to F (delta = ∂V/∂F); rho = rho_fixed_carry = −T·V (F does not move
/// with r: Hull's futures-option rho); carry_rho is the sensitivity to a carry that Black-76 sets
/// to 0 (kept so the struct is the same as for black_scholes_greeks).
///
/// \tparam Real a real_scalar.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/option_type.hpp>

namespace margincall {

/// Market inputs of one option on a forward/futures price.
template <real_scalar Real = double>
struct black76_inputs {
    Real forward;     ///< F > 0
    Real strike;      ///< K > 0
    Real expiry;      ///< T ≥ 0 in years
    Real rate;        ///< r: discount rate
    Real volatility;  ///< σ ≥ 0, annualised
};

namespace detail {
template <real_scalar Real>
[[nodiscard]] option_inputs<Real> to_option_inputs(const char* where, const black76_inputs<Real>& in,
                                                   bool strictly_positive) {
    check_positive(where, "forward", in.forward);
    check_positive(where, "strike", in.strike);
    if (strictly_positive) check_positive(where, "expiry", in.expiry);
    else check_non_negative(where, "expiry", in.expiry);
    check_finite(where, "rate", in.rate);
    if (strictly_positive) check_positive(where, "volatility", in.volatility);
    else check_non_negative(where, "volatility", in.volatility);
    return option_inputs<Real>{in.forward, in.strike, in.expiry, in.rate, Real(0), in.volatility};
}
}  // namespace detail

/// Black-76 price; T = 0 gives max(ω(F − K), 0), σ = 0 gives e^(−rT)·max(ω(F − K), 0).
// Source: F. Black, "The pricing of commodity contracts", J. Financial Economics 3 (1976) 167–179;
// Haug (2007) §1.1.3 "Options on Futures", p. 4 (example F = 19, K = 19, T = 0.75, r = 0.10,
// σ = 0.28: c = p = 1.7011).
template <real_scalar Real>
[[nodiscard]] Real black76_price(option_type type, const black76_inputs<Real>& in) {
    return black_scholes_price(type, detail::to_option_inputs("black76_price", in, false));
}

/// Black-76 price and greeks with respect to the forward; needs T > 0 and σ > 0.
// Source: Haug (2007) §2.1 with b = 0.
template <real_scalar Real>
[[nodiscard]] option_greeks<Real> black76_greeks(option_type type, const black76_inputs<Real>& in) {
    auto g = black_scholes_greeks(type, detail::to_option_inputs("black76_greeks", in, true));
    g.rho = g.rho_fixed_carry;  // the forward is held fixed, not the carry
    return g;
}

}  // namespace margincall
