// Tests of include/margincall/options/greeks.hpp: Hull's and Haug's worked examples, SciPy
// reference values (tests/reference/options_scipy.py → options_scipy.out) and central finite
// differences of black_scholes_price.
#include <margincall/options/greeks.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("Hull's running example of the Greek letters", "[options][greeks]") {
    // Hull, OFOD 10th ed., ch. 19: S0 = 49, K = 50, r = 5%, σ = 20%, T = 20 weeks (0.3846):
    // delta 0.522 (Example 19.1 text), theta −4.31 per year, gamma 0.066, vega 12.1, rho 8.91.
    const option_inputs<double> in{49.0, 50.0, 20.0 / 52.0, 0.05, 0.05, 0.20};
    const auto g = black_scholes_greeks(option_type::call, in);
    CHECK_THAT(g.price, WithinAbs(2.40, 0.005));
    CHECK_THAT(g.delta, WithinAbs(0.522, 0.0005));
    CHECK_THAT(g.theta, WithinAbs(-4.31, 0.005));
    CHECK_THAT(g.gamma, WithinAbs(0.066, 0.0005));
    CHECK_THAT(g.vega, WithinAbs(12.1, 0.05));
    CHECK_THAT(g.rho, WithinAbs(8.91, 0.005));  // Hull's rho: the dividend yield (here 0) is fixed
}

TEST_CASE("Haug's generalized BSM greeks examples", "[options][greeks]") {
    // Haug (2007) §2.1.1: futures option S = 105, K = 100, T = 0.5, r = 10%, b = 0, σ = 36%:
    // call delta 0.5946, put delta −0.3566.
    const option_inputs<double> fut{105.0, 100.0, 0.5, 0.10, 0.0, 0.36};
    CHECK_THAT(black_scholes_greeks(option_type::call, fut).delta, WithinAbs(0.5946, 5e-5));
    CHECK_THAT(black_scholes_greeks(option_type::put, fut).delta, WithinAbs(-0.3566, 5e-5));
    // §2.1.3: S = 55, K = 60, T = 0.75, r = 10%, b = 10%, σ = 30%: gamma 0.0278.
    CHECK_THAT(black_scholes_greeks(option_type::call, option_inputs<double>{55.0, 60.0, 0.75, 0.10, 0.10, 0.30}).gamma,
               WithinAbs(0.0278, 5e-5));
    // §2.1.6: S = 430, K = 405, T = 0.0833, r = 7%, b = 2%, σ = 20%: put theta −31.1924.
    CHECK_THAT(black_scholes_greeks(option_type::put, option_inputs<double>{430.0, 405.0, 0.0833, 0.07, 0.02, 0.20}).theta,
               WithinAbs(-31.1924, 5e-5));
    // §2.1.7: S = 72, K = 75, T = 1, r = 9%, b = 9%, σ = 19%: call rho 38.7325 (b = r moves with r).
    const auto g = black_scholes_greeks(option_type::call, option_inputs<double>{72.0, 75.0, 1.0, 0.09, 0.09, 0.19});
    CHECK_THAT(g.rho, WithinAbs(38.7325, 5e-5));
    CHECK_THAT(g.rho, WithinRel(g.rho_fixed_carry + g.carry_rho, 1e-13));
}

TEST_CASE("greeks agree with the SciPy reference", "[options][greeks]") {
    struct row {
        option_type type;
        double s, k, t, r, b, v, price, delta, gamma, vega, theta, rho, carry_rho;
    };
    // tests/reference/options_scipy.out (SciPy 1.10.1), rows haug_merton_put, haug_vega,
    // deep_otm_call, short_expiry_call, long_expiry_put.
    const std::array<row, 5> rows{{
        {option_type::put, 100.0, 95.0, 0.5, 0.1, 0.05, 0.2, 2.4647876467558305, -0.2641815996360725,
         0.022839574296269996, 22.839574296269998, -3.0005280963980536, -1.2323938233779153, -13.209079981803624},
        {option_type::call, 55.0, 60.0, 0.75, 0.105, 0.0695, 0.3, 4.7333269487881395, 0.4851640711916619,
         0.027184931627735623, 18.502744089127553, -5.058089150332884, -3.5499952115911046, 20.013017936656055},
        {option_type::call, 100.0, 300.0, 0.25, 0.03, 0.01, 0.5, 5.188821471440201e-05, 1.0195460401384532e-05,
         1.8243844624105217e-06, 0.002280480578013152, -0.0022891193919731046, -1.2972053678600502e-05,
         0.00025488651003461335},
        {option_type::call, 50000.0, 52000.0, 0.0027397260273972603, 0.0, 0.0, 0.6, 81.1959897299339,
         0.10876020070304382, 0.0001187761404071563, 488.1211249609162, -53449.263183220326, -0.22245476638338055,
         14.898657630553949},
        {option_type::put, 50000.0, 40000.0, 3.0, 0.05, 0.02, 0.9, 17271.8766428006, -0.15377908188125886,
         2.9477152995217806e-06, 19897.078271772018, -1967.188826744514, -51815.629928401795, -23066.862282188828},
    }};
    for (const auto& x : rows) {
        const auto g = black_scholes_greeks(x.type, option_inputs<double>{x.s, x.k, x.t, x.r, x.b, x.v});
        CHECK_THAT(g.price, WithinRel(x.price, 1e-12));
        CHECK_THAT(g.delta, WithinRel(x.delta, 1e-12));
        CHECK_THAT(g.gamma, WithinRel(x.gamma, 1e-12));
        CHECK_THAT(g.vega, WithinRel(x.vega, 1e-12));
        CHECK_THAT(g.theta, WithinRel(x.theta, 1e-12));
        CHECK_THAT(g.rho_fixed_carry, WithinRel(x.rho, 1e-12));  // SciPy script's rho is at fixed b
        CHECK_THAT(g.carry_rho, WithinRel(x.carry_rho, 1e-12));
    }
}

TEST_CASE("greeks agree with QuantLib's BlackCalculator", "[options][greeks]") {
    // tests/reference/options_quantlib.cpp → options_quantlib.out (QuantLib 1.29). QuantLib's rho
    // moves the forward with r at fixed q (our rho); its dividendRho is ∂V/∂q = −carry_rho.
    struct row {
        option_type type;
        double s, k, t, r, q, v, price, delta, gamma, vega, theta, rho, dividend_rho;
    };
    const std::array<row, 3> rows{{
        {option_type::put, 430.0, 405.0, 0.0833, 0.07, 0.05, 0.20, 1.7560201839357283, -0.13610326055339547,
         0.0087846880773807187, 27.060651832958374, -31.192367056519259, -5.0213591710839287, 4.8750826897620829},
        {option_type::call, 49.0, 50.0, 20.0 / 52.0, 0.05, 0.0, 0.20, 2.4005273232717119, 0.52160466106639503,
         0.065544039347844391, 12.105479882628801, -4.3053298229325634, 8.9069619496083394, -9.8302416893282292},
        {option_type::call, 60000.0, 80000.0, 30.0 / 365.0, 0.0, 0.0, 0.65, 341.09494780168552, 0.073444966835240377,
         1.2459431925330108e-05, 2396.3071812552694, -9475.3979792135469, 334.15915580652563, -362.19435699570528},
    }};
    for (const auto& x : rows) {
        const auto g = black_scholes_greeks(x.type, with_dividend_yield(x.s, x.k, x.t, x.r, x.q, x.v));  // QuantLib's q, directly
        CHECK_THAT(g.price, WithinRel(x.price, 1e-12));
        CHECK_THAT(g.delta, WithinRel(x.delta, 1e-12));
        CHECK_THAT(g.gamma, WithinRel(x.gamma, 1e-12));
        CHECK_THAT(g.vega, WithinRel(x.vega, 1e-12));
        CHECK_THAT(g.theta, WithinRel(x.theta, 1e-12));
        CHECK_THAT(g.rho, WithinRel(x.rho, 1e-12));
        CHECK_THAT(-g.carry_rho, WithinRel(x.dividend_rho, 1e-12));
    }
}

TEST_CASE("greeks match central finite differences of the price", "[options][greeks]") {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 400; ++i) {
        const option_inputs<double> in{100.0, 100.0 * std::exp(u(gen) - 0.5), 0.05 + 2.0 * u(gen), 0.1 * u(gen),
                                       0.2 * (u(gen) - 0.5), 0.1 + 0.9 * u(gen)};
        for (const auto type : {option_type::call, option_type::put}) {
            const auto g = black_scholes_greeks(type, in);
            const auto price = [&](option_inputs<double> x) { return black_scholes_price(type, x); };
            // Central differences: truncation O(h²), rounding O(ε·V/h); h chosen per variable.
            const auto diff = [&](double option_inputs<double>::*field, double h) {
                auto up = in;
                auto down = in;
                up.*field += h;
                down.*field -= h;
                return (price(up) - price(down)) / (2 * h);
            };
            const double hs = 1e-3 * in.spot;
            auto up = in;
            auto down = in;
            up.spot += hs;
            down.spot -= hs;
            const double fd_gamma = (price(up) - 2 * price(in) + price(down)) / (hs * hs);
            CHECK_THAT(g.delta, WithinAbs(diff(&option_inputs<double>::spot, 1e-5 * in.spot), 1e-7));
            CHECK_THAT(g.gamma, WithinAbs(fd_gamma, 1e-6));
            CHECK_THAT(g.vega, WithinAbs(diff(&option_inputs<double>::volatility, 1e-5), 1e-5));
            CHECK_THAT(g.theta, WithinAbs(-diff(&option_inputs<double>::expiry, 1e-6), 1e-4));
            CHECK_THAT(g.rho_fixed_carry, WithinAbs(diff(&option_inputs<double>::rate, 1e-6), 1e-5));
            CHECK_THAT(g.carry_rho, WithinAbs(diff(&option_inputs<double>::carry, 1e-6), 1e-5));
        }
    }
}

TEMPLATE_TEST_CASE("greeks in float and long double agree with double", "[options][greeks]", float, long double) {
    const option_inputs<TestType> in{TestType(49), TestType(50), TestType(20) / TestType(52), TestType(0.05),
                                     TestType(0.05), TestType(0.2)};
    const auto g = black_scholes_greeks(option_type::call, in);
    const auto d = black_scholes_greeks(option_type::call, option_inputs<double>{49.0, 50.0, 20.0 / 52.0, 0.05, 0.05, 0.2});
    const double tol = std::is_same_v<TestType, float> ? 1e-5 : 1e-14;
    CHECK_THAT(static_cast<double>(g.price), WithinRel(d.price, tol));
    CHECK_THAT(static_cast<double>(g.delta), WithinRel(d.delta, tol));
    CHECK_THAT(static_cast<double>(g.gamma), WithinRel(d.gamma, tol));
    CHECK_THAT(static_cast<double>(g.theta), WithinRel(d.theta, tol));
}

TEST_CASE("greeks need a positive expiry and volatility", "[options][greeks][errors]") {
    REQUIRE_THROWS_MATCHES(black_scholes_greeks(option_type::call, option_inputs<double>{100.0, 100.0, 0.0, 0.0, 0.0, 0.2}),
                           invalid_argument, Message("black_scholes_greeks: expiry is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(black_scholes_greeks(option_type::put, option_inputs<double>{100.0, 100.0, 1.0, 0.0, 0.0, 0.0}),
                           invalid_argument,
                           Message("black_scholes_greeks: volatility is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(
        black_scholes_greeks(option_type::put,
                             option_inputs<double>{std::numeric_limits<double>::quiet_NaN(), 100.0, 1.0, 0.0, 0.0, 0.2}),
        invalid_argument, Message("black_scholes_greeks: spot is nan, but must be finite and > 0"));
}

TEST_CASE("greeks where S/K overflows: d1 from ln S - ln K, so rho keeps its sign of N(d2)", "[options][greeks]") {
    // Reliability sweep finding: S = 100, K = 1.72e-307 makes S/K = +inf, and ln(S/K) = +inf made
    // d1 = d2 = +inf although the carry term −q·T = −5.4e299 dominates: N(d2) = 1, rho = T·K·e^(−rT)
    // while price, delta and carry_rho were 0. With ln S − ln K, d2 = −inf (the forward
    // S·e^((r−q)T) underflows to 0 < K): N(d2) = 0 and every greek is 0, as the price.
    const auto in = with_dividend_yield(100.0, 1.7244322475053349e-307, 0.75, 0.04, 7.2332062960694071e+299,
                                        2.6704363006513511e-306);
    const auto g = black_scholes_greeks(option_type::call, in);
    CHECK(g.price == 0.0);
    CHECK(g.delta == 0.0);
    CHECK(g.rho == 0.0);
    CHECK(g.rho == g.rho_fixed_carry + g.carry_rho);
}
