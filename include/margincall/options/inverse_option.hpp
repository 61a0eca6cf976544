#pragma once
/// \file
/// Inverse (coin-settled) European options as crypto venues list them (Deribit BTC/ETH options):
/// strike and underlying in USD, premium, settlement and PnL in the coin. One contract is on one
/// coin; at expiry it pays max(ω(F_T − K), 0)/F_T coins.
///
/// Price in coin = Black-76 USD price / underlying price F; coin greeks follow by differentiating
/// p_coin = V_usd(F)/F. The coin delta (the coin exposure the venue shows, "Delta Total") is
/// F·∂p_coin/∂F = Δ_usd − p_coin: the premium itself is held in the coin, so it is exposure too.
// Source: Deribit, "Inverse Options" (support.deribit.com/hc/en-us/articles/25944688327069):
// "The inverse options are priced in the base currency ... the equivalent price in USD is
// calculated by using the latest index price ... the implied volatility displayed uses the
// forward ... as the underlying price"; Deribit FAQ, "What does Delta Total in the account
// summary mean?": "If you buy a call option with delta 0.50 for 0.10 BTC, your DeltaTotal will
// increase with 0.40".
// Tested: coin × F = USD price, coin put–call parity, coin delta by finite differences and the
// Deribit FAQ example (tests/options/inverse_option.cpp).

#include <margincall/core/real_scalar.hpp>
#include <margincall/options/black76.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/option_type.hpp>

namespace margincall {

/// Coin-denominated price and sensitivities of one inverse option.
template <real_scalar Real = double>
struct inverse_greeks {
    Real price;      ///< p_coin = V_usd/F, in coins per contract
    Real delta;      ///< coin delta F·∂p_coin/∂F = Δ_usd − p_coin (coins of exposure)
    Real usd_delta;  ///< Δ_usd = ∂V_usd/∂F, the Black-76 delta
    Real gamma;      ///< ∂(coin delta)/∂F = Γ_usd − (Δ_usd − p_coin)/F, per USD
    Real vega;       ///< ∂p_coin/∂σ = vega_usd/F
    Real theta;      ///< −∂p_coin/∂T = theta_usd/F, per year
};

/// Price in coins: Black-76 USD price / F. At T = 0, max(ω(F − K), 0)/F (the settlement payoff).
template <real_scalar Real>
[[nodiscard]] Real inverse_option_price(option_type type, const black76_inputs<Real>& in) {
    const auto usd = black_scholes_price(type, detail::to_option_inputs("inverse_option_price", in, false));
    return usd / in.forward;
}

/// Coin price and greeks; needs T > 0 and σ > 0.
// gamma: d/dF (Δ_usd − V/F) = Γ_usd − Δ_usd/F + V/F² = Γ_usd − (Δ_usd − p_coin)/F.
template <real_scalar Real>
[[nodiscard]] inverse_greeks<Real> inverse_option_greeks(option_type type, const black76_inputs<Real>& in) {
    const auto g = black_scholes_greeks(type, detail::to_option_inputs("inverse_option_greeks", in, true));
    inverse_greeks<Real> out{};
    out.price = g.price / in.forward;
    out.usd_delta = g.delta;
    out.delta = g.delta - out.price;
    out.gamma = g.gamma - out.delta / in.forward;
    out.vega = g.vega / in.forward;
    out.theta = g.theta / in.forward;
    return out;
}

}  // namespace margincall
