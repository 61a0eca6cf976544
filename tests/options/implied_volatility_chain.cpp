// Implied volatility on a realistic option chain (issue #15): strikes 50–150 around spot 100,
// expiries one week to two years, volatilities 10 %–120 %, calls and puts. Every price the
// library produced is inverted: none is refused with the no-arbitrage bounds, σ comes back to
// what the price's own rounding allows (|Δσ| ≤ 16ε·(σ + V/vega), the condition number of the
// inversion: a price error δV moves σ by δV/vega), and a price whose time value did not survive
// its own rounding (V equal to its intrinsic value) is refused with the resolution message.
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "catch.hpp"
#include "implied_volatility_refusal.hpp"

using namespace margincall;

TEST_CASE("every price of a realistic chain inverts: none refused by the bounds, sigma recovered",
          "[options][implied_volatility]") {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    int solved = 0;
    int no_time_value = 0;
    int bounds_refusals = 0;
    double worst = 0.0;  // |Δσ| over its allowance
    for (const double t : {1.0 / 52, 2.0 / 52, 1.0 / 12, 0.25, 0.5, 1.0, 2.0}) {
        for (int v = 10; v <= 120; v += 5) {
            for (double k = 50.0; k <= 150.0; k += 0.5) {
                for (const auto type : {option_type::call, option_type::put}) {
                    const double sigma = v / 100.0;
                    const option_inputs<double> in{100.0, k, t, 0.045, 0.045 - 0.013, sigma};
                    const auto g = black_scholes_greeks(type, in);
                    if (g.price == 0.0) continue;  // underflowed (deep out of the money): nothing to invert
                    try {
                        const double back = implied_volatility(type, in, g.price);
                        const double allowance = 16 * eps * (sigma + g.price / g.vega);
                        INFO("K " << k << " T " << t << " sigma " << sigma << " price " << g.price << " back " << back);
                        CHECK(std::fabs(back - sigma) <= allowance);
                        worst = std::max(worst, std::fabs(back - sigma) / allowance);
                        ++solved;
                    } catch (const invalid_argument& e) {
                        if (is_resolution_refusal(e)) ++no_time_value;
                        else ++bounds_refusals;
                    }
                }
            }
        }
    }
    CHECK(bounds_refusals == 0);
    CHECK(solved > 60000);
    std::printf("chain: %d solved (worst |dsigma| / allowance %.3g), %d without a resolvable time value\n", solved,
                worst, no_time_value);
}

TEST_CASE("the batch form solves every element as the scalar one and names a bad element", "[options][implied_volatility]") {
    std::vector<option_type> types;
    std::vector<option_inputs<double>> inputs;
    std::vector<double> prices;
    for (double k = 60.0; k <= 140.0; k += 10.0)
        for (const auto type : {option_type::call, option_type::put}) {
            const option_inputs<double> in{100.0, k, 0.5, 0.02, 0.0, 0.35};
            types.push_back(type);
            inputs.push_back(in);
            prices.push_back(black_scholes_price(type, in));
        }
    std::vector<double> sigma(types.size());
    implied_volatilities<double>(types, inputs, prices, sigma);
    for (std::size_t i = 0; i < sigma.size(); ++i)
        CHECK(sigma[i] == implied_volatility(types[i], inputs[i], prices[i]));
    for (const double s : sigma) CHECK_THAT(s, Catch::Matchers::WithinRel(0.35, 1e-13));
    prices[3] = -1.0;
    REQUIRE_THROWS_WITH(implied_volatilities<double>(types, inputs, prices, sigma),
                        Catch::StartsWith("implied_volatilities: element 3: implied_volatility: price is -1, but must be in ("));
    REQUIRE_THROWS_WITH(implied_volatilities<double>(types, inputs, std::span<const double>(prices).first(3), sigma),
                        "implied_volatilities: price.size() is 3, but must be type.size() = 18");
}
