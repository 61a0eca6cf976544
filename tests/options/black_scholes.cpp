// Tests of include/margincall/options/black_scholes.hpp: textbook examples (Hull, Haug), SciPy
// reference values (tests/reference/options_scipy.py → options_scipy.out), put–call parity,
// the T = 0 and σ = 0 limits, and the error messages.
#include <margincall/options/black_scholes.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "catch.hpp"

using namespace margincall;

namespace {
struct reference_row {
    const char* name;
    option_type type;
    double spot, strike, expiry, rate, carry, volatility, price;
};
// tests/reference/options_scipy.out (SciPy 1.10.1), column "price".
constexpr std::array<reference_row, 18> scipy_rows{{
    {"hull_42_40_call", option_type::call, 42.0, 40.0, 0.5, 0.1, 0.1, 0.2, 4.759422392871532},
    {"hull_42_40_put", option_type::put, 42.0, 40.0, 0.5, 0.1, 0.1, 0.2, 0.8085993729000922},
    {"hull_49_50_call", option_type::call, 49.0, 50.0, 0.38461538461538464, 0.05, 0.05, 0.2, 2.4005273232717137},
    {"haug_bs_60_65_call", option_type::call, 60.0, 65.0, 0.25, 0.08, 0.08, 0.3, 2.1333684449162007},
    {"haug_merton_put", option_type::put, 100.0, 95.0, 0.5, 0.1, 0.05, 0.2, 2.4647876467558305},
    {"haug_black76_call", option_type::call, 19.0, 19.0, 0.75, 0.1, 0.0, 0.28, 1.7010507252362679},
    {"haug_black76_put", option_type::put, 19.0, 19.0, 0.75, 0.1, 0.0, 0.28, 1.7010507252362679},
    {"haug_gk_call", option_type::call, 1.56, 1.6, 0.5, 0.06, -0.020000000000000004, 0.12, 0.02909925314943973},
    {"haug_delta_fut_call", option_type::call, 105.0, 100.0, 0.5, 0.1, 0.0, 0.36, 12.43284450820218},
    {"haug_delta_fut_put", option_type::put, 105.0, 100.0, 0.5, 0.1, 0.0, 0.36, 7.676697385698617},
    {"haug_gamma", option_type::call, 55.0, 60.0, 0.75, 0.1, 0.1, 0.3, 5.39277882412015},
    {"haug_vega", option_type::call, 55.0, 60.0, 0.75, 0.105, 0.0695, 0.3, 4.7333269487881395},
    {"haug_theta_put", option_type::put, 430.0, 405.0, 0.0833, 0.07, 0.02, 0.2, 1.7560201839356822},
    {"haug_rho_call", option_type::call, 72.0, 75.0, 1.0, 0.09, 0.09, 0.19, 7.2227519482419},
    {"deep_otm_call", option_type::call, 100.0, 300.0, 0.25, 0.03, 0.01, 0.5, 5.188821471440201e-05},
    {"deep_itm_put", option_type::put, 100.0, 300.0, 0.25, 0.03, 0.01, 0.5, 198.25722041468805},
    {"short_expiry_call", option_type::call, 50000.0, 52000.0, 0.0027397260273972603, 0.0, 0.0, 0.6, 81.1959897299339},
    {"long_expiry_put", option_type::put, 50000.0, 40000.0, 3.0, 0.05, 0.02, 0.9, 17271.8766428006},
}};
option_inputs<double> inputs_of(const reference_row& r) {
    return {r.spot, r.strike, r.expiry, r.rate, r.carry, r.volatility};
}
}  // namespace

TEST_CASE("textbook prices: Hull and Haug worked examples", "[options][black_scholes]") {
    // Hull, "Options, Futures, and Other Derivatives", 10th ed., Example 15.6 (13.6 in earlier
    // editions): S = 42, K = 40, r = 10%, σ = 20%, T = 0.5: c = 4.76, p = 0.81.
    const option_inputs<double> hull{42.0, 40.0, 0.5, 0.10, 0.10, 0.20};
    CHECK_THAT(black_scholes_price(option_type::call, hull), WithinAbs(4.76, 0.005));
    CHECK_THAT(black_scholes_price(option_type::put, hull), WithinAbs(0.81, 0.005));
    // Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed. (2007):
    // §1.1.1 Black-Scholes: S = 60, K = 65, T = 0.25, r = 8%, σ = 30%: c = 2.1334.
    CHECK_THAT(black_scholes_price(option_type::call, option_inputs<double>{60.0, 65.0, 0.25, 0.08, 0.08, 0.30}),
               WithinAbs(2.1334, 5e-5));
    // §1.1.2 Merton (continuous dividend yield q = 5%, so b = r − q): S = 100, K = 95, T = 0.5,
    // r = 10%, σ = 20%: p = 2.4648.
    CHECK_THAT(black_scholes_price(option_type::put, option_inputs<double>{100.0, 95.0, 0.5, 0.10, 0.05, 0.20}),
               WithinAbs(2.4648, 5e-5));
    // §1.1.3 Black-76 (b = 0): F = 19, K = 19, T = 0.75, r = 10%, σ = 28%: c = p = 1.7011.
    const option_inputs<double> black{19.0, 19.0, 0.75, 0.10, 0.0, 0.28};
    CHECK_THAT(black_scholes_price(option_type::call, black), WithinAbs(1.7011, 5e-5));
    CHECK_THAT(black_scholes_price(option_type::put, black), WithinAbs(1.7011, 5e-5));
    // §1.1.6 Garman-Kohlhagen (b = r − r_f): S = 1.56, K = 1.60, T = 0.5, r = 6%, r_f = 8%, σ = 12%: c = 0.0291.
    CHECK_THAT(black_scholes_price(option_type::call, option_inputs<double>{1.56, 1.60, 0.5, 0.06, -0.02, 0.12}),
               WithinAbs(0.0291, 5e-5));
}

TEST_CASE("prices agree with the SciPy reference to 1e-13", "[options][black_scholes]") {
    for (const auto& r : scipy_rows) {
        INFO(r.name);
        CHECK_THAT(black_scholes_price(r.type, inputs_of(r)), WithinRel(r.price, 1e-13));
    }
}

TEMPLATE_TEST_CASE("put-call parity holds to 1e-12 over random inputs", "[options][black_scholes]", double,
                   long double) {
    std::mt19937_64 gen(20261128);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 5000; ++i) {
        const option_inputs<TestType> in{
            static_cast<TestType>(100.0),
            static_cast<TestType>(100.0 * std::exp(2.0 * (u(gen) - 0.5))),  // moneyness e^±1
            static_cast<TestType>(0.001 + 3.0 * u(gen)),
            static_cast<TestType>(0.2 * (u(gen) - 0.25)),
            static_cast<TestType>(0.2 * (u(gen) - 0.5)),
            static_cast<TestType>(0.01 + 2.0 * u(gen)),
        };
        const TestType c = black_scholes_price(option_type::call, in);
        const TestType p = black_scholes_price(option_type::put, in);
        const TestType rhs = put_call_parity_difference(in);
        // |c − p − rhs| ≤ 1e-12 relative to the largest term of the identity.
        const TestType scale = std::max({c, p, in.spot, in.strike});
        CHECK(static_cast<double>(std::abs((c - p - rhs) / scale)) <= 1e-12);
    }
}

TEST_CASE("a 50-digit evaluation agrees with double to 1e-14", "[options][black_scholes]") {
    using big = boost::multiprecision::cpp_bin_float_50;
    for (const auto& r : scipy_rows) {
        INFO(r.name);
        const option_inputs<big> in{big(r.spot), big(r.strike), big(r.expiry), big(r.rate), big(r.carry),
                                    big(r.volatility)};
        const auto exact = static_cast<double>(black_scholes_price(r.type, in));
        CHECK_THAT(black_scholes_price(r.type, inputs_of(r)), WithinRel(exact, 1e-13));
        CHECK_THAT(exact, WithinRel(r.price, 1e-13));  // SciPy and Boost at 50 digits agree
    }
}

TEST_CASE("expiry 0 gives the intrinsic value, volatility 0 the discounted forward intrinsic",
          "[options][black_scholes]") {
    CHECK(black_scholes_price(option_type::call, option_inputs<double>{110.0, 100.0, 0.0, 0.05, 0.05, 0.3}) == 10.0);
    CHECK(black_scholes_price(option_type::put, option_inputs<double>{110.0, 100.0, 0.0, 0.05, 0.05, 0.3}) == 0.0);
    CHECK(black_scholes_price(option_type::put, option_inputs<double>{90.0, 100.0, 0.0, 0.05, 0.05, 0.3}) == 10.0);
    // σ = 0: c = max(S·e^((b−r)T) − K·e^(−rT), 0) = max(100 − 95·e^(−0.05), 0) with b = r.
    CHECK_THAT(black_scholes_price(option_type::call, option_inputs<double>{100.0, 95.0, 1.0, 0.05, 0.05, 0.0}),
               WithinRel(100.0 - 95.0 * std::exp(-0.05), 1e-15));
    CHECK(black_scholes_price(option_type::put, option_inputs<double>{100.0, 95.0, 1.0, 0.05, 0.05, 0.0}) == 0.0);
    // Continuity: as T → 0 the price tends to the intrinsic value.
    CHECK_THAT(black_scholes_price(option_type::call, option_inputs<double>{110.0, 100.0, 1e-12, 0.05, 0.05, 0.3}),
               WithinRel(10.0, 1e-10));
}

TEST_CASE("black_scholes_price rejects bad input with the argument named", "[options][black_scholes][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(black_scholes_price(option_type::call, option_inputs<double>{100.0, 100.0, 1.0, 0.0, 0.0, -0.2}),
                           invalid_argument,
                           Message("black_scholes_price: volatility is -0.2, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(black_scholes_price(option_type::call, option_inputs<double>{100.0, 100.0, -1.0, 0.0, 0.0, 0.2}),
                           invalid_argument, Message("black_scholes_price: expiry is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(black_scholes_price(option_type::put, option_inputs<double>{0.0, 100.0, 1.0, 0.0, 0.0, 0.2}),
                           invalid_argument, Message("black_scholes_price: spot is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(black_scholes_price(option_type::put, option_inputs<double>{100.0, -5.0, 1.0, 0.0, 0.0, 0.2}),
                           invalid_argument, Message("black_scholes_price: strike is -5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(black_scholes_price(option_type::put, option_inputs<double>{100.0, 100.0, 1.0, nan, 0.0, 0.2}),
                           invalid_argument, Message("black_scholes_price: rate is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(
        black_scholes_price(option_type::put,
                            option_inputs<double>{100.0, 100.0, 1.0, 0.0, std::numeric_limits<double>::infinity(), 0.2}),
        invalid_argument, Message("black_scholes_price: carry is inf, but must be finite"));
    REQUIRE_THROWS_MATCHES(put_call_parity_difference(option_inputs<double>{100.0, 100.0, 1.0, 0.0, 0.0, nan}),
                           invalid_argument,
                           Message("put_call_parity_difference: volatility is nan, but must be finite and >= 0"));
}
