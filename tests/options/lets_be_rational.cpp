// Implied volatility by Jäckel's "Let's be rational" (options/lets_be_rational.hpp, issue #15):
// σ comes back to what the price's own conditioning allows. The relative condition number of σ
// as a function of the price V is κ = V/(σ·∂V/∂σ); a price carries at least half an ulp of
// rounding, so no solver can promise better than about ε(1 + κ) relative. The bound tested here
// is |Δσ| ≤ 16ε·(σ + V/vega) = 16ε·σ·(1 + κ) (as in implied_volatility_chain.cpp), over
//  - mpmath values of the normalised Black function (tests/reference/options_lets_be_rational_mpmath.py),
//    inverted by the solver directly: the price is not the library's own;
//  - a sweep x = ln(F/K) ∈ [−10, 10] × σ√T ∈ [1e-4, 5], calls and puts, priced by the library and
//    inverted through the public black76_implied_volatility.
#include <margincall/options/black76.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>
#include <margincall/options/lets_be_rational.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "implied_volatility_refusal.hpp"

using namespace margincall;

namespace {
constexpr double eps = std::numeric_limits<double>::epsilon();
}

TEST_CASE("the rational guess and Householder steps invert 400-digit mpmath normalised prices",
          "[options][implied_volatility][lets_be_rational]") {
    std::ifstream file(MARGINCALL_TEST_REFERENCE_DIR "/options_lets_be_rational_mpmath.out");
    REQUIRE(file.good());
    std::string line;
    int rows = 0;
    double worst = 0.0;  // relative error of s over ε(1 + κ)
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        double x = 0, s = 0, beta = 0, kappa = 0;
        in >> x >> s >> beta >> kappa;
        REQUIRE(in);
        INFO(line);
        const auto r = detail::lets_be_rational(static_cast<long double>(x), beta, std::exp(0.5 * x));
        REQUIRE(r.evaluations > 0);
        // b at s_l or s_u for the guess, then at most two steps; at x = −500 with β within 1e-13
        // of b_max (κ = 3e10), where b_max − b rounds to a few ulps, the iteration takes longer.
        CHECK(r.evaluations <= (x > -100 ? 3 : 8));
        const double error = std::fabs(r.s - s) / s / (eps * (1 + kappa));
        CHECK(error <= 16.0);
        worst = std::max(worst, error);
        ++rows;
    }
    CHECK(rows >= 110);
    std::printf("lets_be_rational vs mpmath: %d rows, worst |ds|/s = %.3g eps(1 + kappa)\n", rows, worst);
}

TEST_CASE("the rational cubic interpolates its end values and slopes and fits the second derivative",
          "[options][implied_volatility][lets_be_rational]") {
    // y = x³ on [1, 2]: y(1) = 1, y(2) = 8, y' = 3 and 12, y'' = 6 and 12. The Hermite cubic (r = 3)
    // reproduces a cubic exactly, and its second derivatives at the ends are the cubic's, so
    // fitting y''(1) = 6 or y''(2) = 12 must return r = 3.
    const detail::rational_cubic rc{1.0, 2.0, 1.0, 8.0, 3.0, 12.0};
    CHECK(rc(1.0, 3.0) == 1.0);
    CHECK(rc(2.0, 3.0) == 8.0);
    CHECK_THAT(rc(1.5, 3.0), Catch::Matchers::WithinRel(3.375, 1e-15));
    CHECK_THAT(rc.r_fitting_left(6.0), Catch::Matchers::WithinRel(3.0, 1e-15));
    CHECK_THAT(rc.r_fitting_right(12.0), Catch::Matchers::WithinRel(3.0, 1e-15));
    // Monotone convex data: chord slope 7, slopes 3 and 12. Delbourgo–Gregory (3.8) needs
    // r ≥ (3 + 12)/7 = 2.142857…, (3.18) r ≥ max(9/5, 9/4) = 2.25.
    CHECK_THAT(rc.minimum_r(), Catch::Matchers::WithinRel(2.25, 1e-15));
}

TEST_CASE("sweep x in [-10, 10], sigma*sqrt(T) in [1e-4, 5]: sigma recovered to 16 eps (1 + kappa)",
          "[options][implied_volatility][lets_be_rational]") {
    int solved = 0;
    int within_three = 0;  // solves that took at most 3 evaluations of b (guess + two steps)
    int unresolvable = 0;
    int other_errors = 0;
    double worst = 0.0;
    for (int ix = -40; ix <= 40; ++ix) {
        const double x = 0.25 * ix;
        for (int is = 0; is <= 60; ++is) {
            const double s = 1e-4 * std::pow(5e4, is / 60.0);  // 1e-4 … 5
            for (const auto type : {option_type::call, option_type::put}) {
                const black76_inputs<double> in{100.0, 100.0 * std::exp(-x), 1.0, 0.0, s};
                const double price = black76_price(type, in);
                if (!(price >= std::numeric_limits<double>::min())) continue;  // underflowed: nothing to invert
                const auto g = black_scholes_greeks(type, option_inputs<double>{100.0, in.strike, 1.0, 0.0, 0.0, s});
                INFO("x " << x << " s " << s << " call " << (type == option_type::call) << " price " << price);
                try {
                    const auto r = solve_black76_implied_volatility(type, in, price);
                    REQUIRE(r.found());
                    const double allowance = 16 * eps * (s + price / g.vega);
                    CHECK(std::fabs(r.volatility - s) <= allowance);
                    worst = std::max(worst, std::fabs(r.volatility - s) / allowance);
                    within_three += r.evaluations <= 3 ? 1 : 0;
                    ++solved;
                } catch (const invalid_argument& e) {
                    // Only a time value below the price's resolution may be refused (deep in the
                    // money, tiny s), with the message saying so.
                    (is_resolution_refusal(e) ? unresolvable : other_errors) += 1;
                }
            }
        }
    }
    CHECK(other_errors == 0);
    CHECK(solved > 2800);  // the rest: underflowed (deep out of the money) or no resolvable time value
    CHECK(within_three >= solved - solved / 100);  // Jäckel: two steps from the guess
    std::printf("lets_be_rational sweep: %d solved (%d within 3 evaluations), worst |dsigma| / allowance %.3g, "
                "%d refused (time value below the price's resolution)\n",
                solved, within_three, worst, unresolvable);
}
