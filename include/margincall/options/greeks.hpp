#pragma once
/// \file
/// Price and first-order sensitivities (plus gamma) of a European option under the generalized
/// Black–Scholes–Merton model with carry b (black_scholes.hpp).
///
/// Conventions: theta = −∂V/∂T per year (the change as calendar time passes, Hull's and Haug's
/// sign); vega per unit of volatility (1.00 = 100 vol points); rho = ∂V/∂r with the dividend
/// yield q = r − b held fixed (the carry moves with r), which is Hull's and QuantLib's rho
/// (QuantLib BlackCalculator::rho); rho_fixed_carry = ∂V/∂r with b held fixed (= −T·V);
/// carry_rho = ∂V/∂b with r held fixed (= −∂V/∂q, QuantLib's −dividendRho), so that
/// rho = rho_fixed_carry + carry_rho. For an option on a future (black76_greeks) the forward does
/// not move with r and rho = rho_fixed_carry = −T·V, Hull's futures-option rho.

#include <margincall/core/real_scalar.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/option_type.hpp>

#include <array>
#include <cmath>
#include <utility>

namespace margincall {

/// Price and greeks of one option.
template <real_scalar Real = double>
struct option_greeks {
    Real price;      ///< V
    Real delta;      ///< ∂V/∂S
    Real gamma;      ///< ∂²V/∂S²
    Real vega;       ///< ∂V/∂σ
    Real theta;      ///< −∂V/∂T, per year
    Real rho;              ///< ∂V/∂r at fixed dividend yield q (Hull's, QuantLib's rho)
    Real carry_rho;        ///< ∂V/∂b at fixed r (= −∂V/∂q)
    Real rho_fixed_carry;  ///< ∂V/∂r at fixed carry b (= −T·V)
};

/// Price and greeks; needs T > 0 and σ > 0 (at expiry or at zero volatility the greeks are
/// step functions or Dirac deltas, so they are rejected rather than invented).
///   delta_c = e^((b−r)T)N(d1), delta_p = −e^((b−r)T)N(−d1),
///   gamma = e^((b−r)T)n(d1)/(Sσ√T), vega = S·e^((b−r)T)n(d1)√T,
///   theta_c = −S·e^((b−r)T)n(d1)σ/(2√T) − (b−r)S·e^((b−r)T)N(d1) − rK·e^(−rT)N(d2),
///   theta_p = −S·e^((b−r)T)n(d1)σ/(2√T) + (b−r)S·e^((b−r)T)N(−d1) + rK·e^(−rT)N(−d2),
///   rho_fixed_carry = −T·V, carry_rho_c = T·S·e^((b−r)T)N(d1), carry_rho_p = −T·S·e^((b−r)T)N(−d1),
///   rho = rho_fixed_carry + carry_rho = ωT·K·e^(−rT)N(ωd2) (Hull 10th ed. §19.10; Haug §2.1.7).
// Source: Haug (2007) §2.1 "Generalized Black-Scholes-Merton Greeks": delta §2.1.1 (p. 11),
// gamma §2.1.3 (p. 20), vega §2.1.4 (p. 24), theta §2.1.6 (p. 28), rho §2.1.7 (p. 31; its
// futures-option rho −T·c is our rho), cost-of-carry sensitivity §2.1.8 (p. 33).
// Tested: Haug's and Hull's worked examples and central finite differences (tests/options/greeks.cpp).
template <real_scalar Real>
[[nodiscard]] option_greeks<Real> black_scholes_greeks(option_type type, const option_inputs<Real>& in) {
    using std::exp;
    using std::sqrt;
    detail::check_option_inputs("black_scholes_greeks", in, true, true);
    const Real w = static_cast<Real>(sign(type));
    const Real carry_factor = exp((in.carry - in.rate) * in.expiry);
    const Real carried = in.spot * carry_factor;
    const Real discounted_strike = in.strike * exp(-in.rate * in.expiry);
    const detail::d1_d2<Real> d(in);
    const Real n_d1 = detail::option_normal_pdf<Real>(d.d1);
    const Real cdf_w_d1 = detail::option_normal_cdf<Real>(w * d.d1);
    const Real cdf_w_d2 = detail::option_normal_cdf<Real>(w * d.d2);
    const Real sqrt_t = sqrt(in.expiry);
    option_greeks<Real> g{};
    g.price = black_scholes_price(type, in);  // one price formula (its edge cases: a 0·∞ leg, rounding below 0)
    g.delta = w * carry_factor * cdf_w_d1;
    g.gamma = carry_factor * n_d1 / (in.spot * d.sd);
    g.vega = carried * n_d1 * sqrt_t;
    g.theta = -carried * n_d1 * in.volatility / (2 * sqrt_t) - w * (in.carry - in.rate) * carried * cdf_w_d1 -
              w * in.rate * discounted_strike * cdf_w_d2;
    g.rho_fixed_carry = -in.expiry * g.price;
    g.carry_rho = w * in.expiry * carried * cdf_w_d1;
    // ωT·K·e^(−rT)·N(ωd2): the sum rho_fixed_carry + carry_rho without its cancellation.
    g.rho = w * in.expiry * discounted_strike * cdf_w_d2;
    // Finite inputs at the edge of the range (a subnormal spot: Γ = n(d1)/(S σ√T) overflows; a
    // carry of 1e308: the forward overflows) give a greek that is not finite: refused, with the
    // first greek that overflowed (issue #14, class 4).
    const std::array<std::pair<const char*, Real>, 8> all{{{"price", g.price},
                                                           {"delta", g.delta},
                                                           {"gamma", g.gamma},
                                                           {"vega", g.vega},
                                                           {"theta", g.theta},
                                                           {"rho", g.rho},
                                                           {"carry_rho", g.carry_rho},
                                                           {"rho_fixed_carry", g.rho_fixed_carry}}};
    for (const auto& [name, value] : all)
        if (!detail::is_finite(value))
            throw_numeric_error("black_scholes_greeks", detail::message("the ", name), value,
                                "finite (spot, strike, rate, carry or expiry are beyond the working precision)");
    return g;
}

}  // namespace margincall
