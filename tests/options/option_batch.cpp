// Tests of include/margincall/options/option_batch.hpp: the vectorised batch against the scalar
// black_scholes_greeks (Boost.Math's normal CDF) on a random book, the T = 0 / σ = 0 limits, and
// the validation messages naming the first bad element.
#include <margincall/options/greeks.hpp>
#include <margincall/options/option_batch.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
struct book {
    std::vector<option_type> type;
    std::vector<double> spot, strike, expiry, rate, carry, volatility;
    [[nodiscard]] option_batch view() const { return {type, spot, strike, expiry, rate, carry, volatility}; }
    void push(option_type t, double s, double k, double e, double r, double b, double v) {
        type.push_back(t);
        spot.push_back(s);
        strike.push_back(k);
        expiry.push_back(e);
        rate.push_back(r);
        carry.push_back(b);
        volatility.push_back(v);
    }
};

// A crypto-like book: moneyness e^±1, expiries 1 hour to 2 years, vols 5%..200%.
book random_book(std::size_t n, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    book b;
    for (std::size_t i = 0; i < n; ++i)
        b.push(u(gen) < 0.5 ? option_type::call : option_type::put, 60000.0, 60000.0 * std::exp(2.0 * u(gen) - 1.0),
               1.0 / 8760.0 + 2.0 * u(gen), 0.06 * u(gen), 0.06 * (u(gen) - 0.5), 0.05 + 1.95 * u(gen));
    return b;
}
}  // namespace

TEST_CASE("batch price and delta agree with the scalar Boost.Math pricer", "[options][option_batch]") {
    const auto b = random_book(20000, 42);
    std::vector<double> price(b.spot.size());
    std::vector<double> delta(b.spot.size());
    black_scholes_price_delta(b.view(), price, delta);
    double worst_price = 0.0;
    double worst_delta = 0.0;
    double worst_scaled = 0.0;
    for (std::size_t i = 0; i < price.size(); ++i) {
        const option_inputs<double> in{b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i], b.volatility[i]};
        const auto g = black_scholes_greeks(b.type[i], in);
        // The formula's two terms A, B carry rounding errors of order (|d|² + 1)·ε each (both
        // implementations); relative to V = |A − B| that is amplified where V ≪ A + B.
        const double w = sign(b.type[i]);
        const double carried = in.spot * std::exp((in.carry - in.rate) * in.expiry);
        const double discounted = in.strike * std::exp(-in.rate * in.expiry);
        const double sd = in.volatility * std::sqrt(in.expiry);
        const double d1 = (std::log(in.spot / in.strike) + in.carry * in.expiry) / sd + sd / 2;
        const double terms = carried * detail::option_normal_cdf(w * d1) + discounted * detail::option_normal_cdf(w * (d1 - sd));
        const double rel_price = std::abs(price[i] - g.price) / g.price;
        const double rel_delta = g.delta == 0.0 ? std::abs(delta[i]) : std::abs(delta[i] - g.delta) / std::abs(g.delta);
        worst_price = std::max(worst_price, rel_price);
        worst_delta = std::max(worst_delta, rel_delta);
        worst_scaled = std::max(worst_scaled, std::abs(price[i] - g.price) / ((1 + d1 * d1) * terms));
        CHECK(std::abs(price[i] - g.price) <= 1e-13 * g.price + 64 * std::numeric_limits<double>::epsilon() * (1 + d1 * d1) * terms);
        INFO("d1 = " << d1 << ", delta " << delta[i] << " vs " << g.delta << ", rel " << rel_delta);
        // N(ω·d1) has relative sensitivity |d1| to d1, and d1 is rounded to about ε·|d1| (both
        // implementations), so beyond |d1| ≈ 20 the comparison itself is limited to ~d1²·ε.
        CHECK(rel_delta <= 1e-13 + 8 * (1 + d1 * d1) * std::numeric_limits<double>::epsilon());
    }
    std::printf("option batch vs scalar Boost.Math pricer, 20000 options: worst relative price error %.3g, "
                "worst relative delta error %.3g, worst |error|/((1 + d1^2)(A + B)) %.3g\n",
                worst_price, worst_delta, worst_scaled);
}

TEST_CASE("batch handles T = 0 and sigma = 0 like the scalar pricer", "[options][option_batch]") {
    book b;
    b.push(option_type::call, 110.0, 100.0, 0.0, 0.05, 0.05, 0.3);
    b.push(option_type::put, 110.0, 100.0, 0.0, 0.05, 0.05, 0.3);
    b.push(option_type::put, 90.0, 100.0, 0.0, 0.05, 0.05, 0.3);
    b.push(option_type::call, 100.0, 95.0, 1.0, 0.05, 0.05, 0.0);
    b.push(option_type::put, 100.0, 95.0, 1.0, 0.05, 0.05, 0.0);
    b.push(option_type::call, 100.0, 100.0, 0.0, 0.05, 0.05, 0.3);
    std::vector<double> price(b.spot.size());
    std::vector<double> delta(b.spot.size());
    black_scholes_price_delta(b.view(), price, delta);
    for (std::size_t i = 0; i < price.size(); ++i) {
        const option_inputs<double> in{b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i], b.volatility[i]};
        CHECK_THAT(price[i], WithinAbs(black_scholes_price(b.type[i], in), 1e-13));
    }
    CHECK(delta[0] == 1.0);
    CHECK(delta[1] == 0.0);
    CHECK(delta[2] == -1.0);
    CHECK_THAT(delta[3], WithinAbs(1.0, 1e-15));
    CHECK_THAT(delta[5], WithinAbs(0.5, 1.2e-16));  // exactly at the money at expiry: the midpoint
}

TEST_CASE("batch validation names the first bad element", "[options][option_batch][errors]") {
    auto b = random_book(10, 1);
    std::vector<double> price(10);
    std::vector<double> delta(10);
    std::vector<double> short_out(9);
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(b.view(), short_out, delta), invalid_argument,
                           Message("black_scholes_price_delta: the size of price is 9, but must be 10 (the size of spot)"));
    auto c = b;
    c.volatility[3] = -0.2;
    c.volatility[7] = -0.5;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: volatility[3] is -0.2, but must be finite and >= 0"));
    c = b;
    c.expiry[4] = -1.0;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: expiry[4] is -1, but must be finite and >= 0"));
    c = b;
    c.spot[0] = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: spot[0] is nan, but must be finite and > 0"));
    c = b;
    c.strike[9] = 0.0;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: strike[9] is 0, but must be finite and > 0"));
    c = b;
    c.rate[2] = 500.0;
    c.expiry[2] = 2.0;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: rate[2] * expiry[2] is 1000, but must be in [-700, 700]"));
    c = b;
    c.carry[5] = -400.0;
    c.expiry[5] = 2.0;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: carry[5] * expiry[5] is -800, but must be in [-700, 700]"));
    c = b;
    c.type[6] = static_cast<option_type>(3);
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: type[6] is 3, but must be call (1) or put (-1)"));
    c = b;
    c.volatility[8] = 1e200;
    c.rate[8] = 0.0;
    c.carry[8] = 0.0;
    c.expiry[8] = 1e10;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: volatility[8]^2 * expiry[8] is inf, but must be finite"));
    c = b;
    c.spot[1] = 1e-300;
    c.strike[1] = 1e100;
    REQUIRE_THROWS_MATCHES(black_scholes_price_delta(c.view(), price, delta), invalid_argument,
                           Message("black_scholes_price_delta: spot[1] / strike[1] is 0, but must be a normal double (fast_log's domain)"));
    // Exponents 1,013 apart (the quick validity test's bound is 1,000) with S/K = 1e305 a normal
    // double: accepted by the exact re-check. The price is the call's forward leg S·e^((b−r)T)
    // less a strike leg of 1e-5 that does not change it (closed form: Φ(d1) = Φ(d2) = 1 at
    // d ≈ 700/0.2), and the delta e^((b−r)T).
    c = b;
    c.type[0] = option_type::call;
    c.spot[0] = 1e300;
    c.strike[0] = 1e-5;
    c.expiry[0] = 1.0;
    c.rate[0] = 0.05;
    c.carry[0] = 0.05;
    c.volatility[0] = 0.2;
    black_scholes_price_delta(c.view(), price, delta);
    CHECK_THAT(price[0], WithinRel(1e300, 1e-15));
    CHECK_THAT(delta[0], WithinRel(1.0, 1e-15));
}
