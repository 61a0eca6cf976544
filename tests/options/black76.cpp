// Tests of include/margincall/options/black76.hpp: Haug's Black-76 example, the generalized
// model with b = 0, the T = 0 / σ = 0 limits, and the error messages (which name "forward").
#include <margincall/options/black76.hpp>

#include <cmath>
#include <limits>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("Haug's Black-76 example: F = K = 19, T = 0.75, r = 10%, sigma = 28%", "[options][black76]") {
    // Haug (2007) §1.1.3: c = p = 1.7011; SciPy (tests/reference/options_scipy.out, haug_black76_*):
    // 1.7010507252362679, call delta 0.5086362359336519, put delta −0.419107250394901.
    const black76_inputs<double> in{19.0, 19.0, 0.75, 0.10, 0.28};
    CHECK_THAT(black76_price(option_type::call, in), WithinAbs(1.7011, 5e-5));
    CHECK_THAT(black76_price(option_type::put, in), WithinRel(1.7010507252362679, 1e-13));
    CHECK_THAT(black76_greeks(option_type::call, in).delta, WithinRel(0.5086362359336519, 1e-13));
    CHECK_THAT(black76_greeks(option_type::put, in).delta, WithinRel(-0.419107250394901, 1e-13));
    // Black-76 rho is −T·V (Haug §2.1.7, futures options).
    CHECK_THAT(black76_greeks(option_type::call, in).rho, WithinRel(-0.75 * 1.7010507252362679, 1e-13));
}

TEST_CASE("Black-76 parity c - p = e^(-rT)(F - K) and the limits", "[options][black76]") {
    const black76_inputs<double> in{105.0, 100.0, 0.5, 0.10, 0.36};
    const double c = black76_price(option_type::call, in);
    const double p = black76_price(option_type::put, in);
    CHECK_THAT(c - p, WithinAbs(std::exp(-0.05) * 5.0, 1e-12));
    CHECK(black76_price(option_type::call, black76_inputs<double>{105.0, 100.0, 0.0, 0.10, 0.36}) == 5.0);
    CHECK_THAT(black76_price(option_type::call, black76_inputs<double>{105.0, 100.0, 0.5, 0.10, 0.0}),
               WithinRel(std::exp(-0.05) * 5.0, 1e-14));  // F·D − K·D: rounding ≈ ε·F/5
}

TEST_CASE("Black-76 errors name the forward", "[options][black76][errors]") {
    REQUIRE_THROWS_MATCHES(black76_price(option_type::call, black76_inputs<double>{-1.0, 100.0, 0.5, 0.1, 0.2}),
                           invalid_argument, Message("black76_price: forward is -1, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(black76_price(option_type::call, black76_inputs<double>{100.0, 100.0, 0.5, 0.1, -0.3}),
                           invalid_argument, Message("black76_price: volatility is -0.3, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(black76_greeks(option_type::call, black76_inputs<double>{100.0, 100.0, 0.0, 0.1, 0.3}),
                           invalid_argument, Message("black76_greeks: expiry is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(
        black76_greeks(option_type::put,
                       black76_inputs<double>{100.0, 100.0, 0.5, std::numeric_limits<double>::quiet_NaN(), 0.3}),
        invalid_argument, Message("black76_greeks: rate is nan, but must be finite"));
}
