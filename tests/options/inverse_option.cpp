// Tests of include/margincall/options/inverse_option.hpp: the defining identities of a
// coin-settled option (coin price × F = USD Black-76 price, settlement payoff, coin put–call
// parity), the coin greeks against finite differences of the coin price, and Deribit's example.
#include <margincall/options/inverse_option.hpp>

#include <cmath>
#include <random>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("coin price times the underlying is the Black-76 USD price", "[options][inverse]") {
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 1000; ++i) {
        const black76_inputs<double> in{60000.0 * std::exp(u(gen) - 0.5), 60000.0, 0.001 + u(gen), 0.05 * u(gen),
                                        0.2 + u(gen)};
        for (const auto type : {option_type::call, option_type::put}) {
            CHECK_THAT(inverse_option_price(type, in) * in.forward, WithinRel(black76_price(type, in), 1e-14));
        }
        // Coin parity: c − p = e^(−rT)(F − K)/F = e^(−rT)(1 − K/F).
        CHECK_THAT(inverse_option_price(option_type::call, in) - inverse_option_price(option_type::put, in),
                   WithinAbs(std::exp(-in.rate * in.expiry) * (1.0 - in.strike / in.forward), 1e-13));
        // A coin call is worth less than one coin: e^(−rT)·(1 − K/F·N(d2)/N(d1)·…) ≤ e^(−rT).
        CHECK(inverse_option_price(option_type::call, in) < std::exp(-in.rate * in.expiry));
    }
}

TEST_CASE("at expiry the coin price is the settlement payoff max(F - K, 0)/F", "[options][inverse]") {
    // Deribit "Inverse Options" trade example: call K = 100,000, delivery price 125,000:
    // settled 25,000 USD per BTC = 25,000/125,000 = 0.2 BTC.
    CHECK(inverse_option_price(option_type::call, black76_inputs<double>{125000.0, 100000.0, 0.0, 0.0, 0.6}) == 0.2);
    CHECK(inverse_option_price(option_type::put, black76_inputs<double>{125000.0, 100000.0, 0.0, 0.0, 0.6}) == 0.0);
    CHECK(inverse_option_price(option_type::put, black76_inputs<double>{80000.0, 100000.0, 0.0, 0.0, 0.6}) == 0.25);
}

TEST_CASE("coin delta is delta_usd - price_coin (Deribit's DeltaTotal)", "[options][inverse]") {
    // Deribit FAQ "What does Delta Total in the account summary mean?": a call with delta 0.50
    // bought for 0.10 BTC raises DeltaTotal by 0.40, i.e. coin delta = Δ_usd − p_coin. The identity
    // is checked here, and independently as F·∂p_coin/∂F by finite differences below.
    const black76_inputs<double> in{50000.0, 50000.0, 0.25, 0.0, 0.5};
    const auto g = inverse_option_greeks(option_type::call, in);
    CHECK_THAT(g.delta, WithinAbs(g.usd_delta - g.price, 1e-15));
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 300; ++i) {
        const black76_inputs<double> x{50000.0, 50000.0 * std::exp(u(gen) - 0.5), 0.02 + u(gen), 0.05 * u(gen),
                                       0.3 + u(gen)};
        for (const auto type : {option_type::call, option_type::put}) {
            const auto h = inverse_option_greeks(type, x);
            const auto coin = [&](double f, double t, double v) {
                return inverse_option_price(type, black76_inputs<double>{f, x.strike, t, x.rate, v});
            };
            const double df = 1e-5 * x.forward;
            const double d_coin_d_f = (coin(x.forward + df, x.expiry, x.volatility) -
                                       coin(x.forward - df, x.expiry, x.volatility)) / (2 * df);
            CHECK_THAT(h.delta, WithinAbs(x.forward * d_coin_d_f, 1e-7));
            // gamma = ∂(F·∂p/∂F)/∂F, by differencing the analytic coin delta.
            const auto coin_delta = [&](double f) {
                return inverse_option_greeks(type, black76_inputs<double>{f, x.strike, x.expiry, x.rate, x.volatility}).delta;
            };
            CHECK_THAT(h.gamma, WithinAbs((coin_delta(x.forward + df) - coin_delta(x.forward - df)) / (2 * df), 1e-10));
            CHECK_THAT(h.vega, WithinAbs((coin(x.forward, x.expiry, x.volatility + 1e-6) -
                                          coin(x.forward, x.expiry, x.volatility - 1e-6)) / 2e-6, 1e-7));
            CHECK_THAT(h.theta, WithinAbs(-(coin(x.forward, x.expiry + 1e-6, x.volatility) -
                                            coin(x.forward, x.expiry - 1e-6, x.volatility)) / 2e-6, 1e-6));
        }
    }
}

TEST_CASE("inverse option errors", "[options][inverse][errors]") {
    REQUIRE_THROWS_MATCHES(inverse_option_price(option_type::call, black76_inputs<double>{0.0, 100.0, 0.5, 0.0, 0.5}),
                           invalid_argument, Message("inverse_option_price: forward is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(inverse_option_greeks(option_type::call, black76_inputs<double>{100.0, 100.0, 0.5, 0.0, -1.0}),
                           invalid_argument,
                           Message("inverse_option_greeks: volatility is -1, but must be finite and > 0"));
}
