// Tests of include/margincall/cascade/exogenous_shock.hpp.
#include <margincall/cascade/exogenous_shock.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("shocks: instant move, path and replay", "[cascade][shock]") {
    const auto instant = exogenous_shock<double>::instant_relative(100.0, -0.1);
    CHECK(instant.start_price() == 100.0);
    REQUIRE(instant.steps() == 1);
    CHECK_THAT(instant.reference_prices()[0], WithinRel(90.0, 1e-15));
    const std::vector<double> path{99.0, 97.0, 98.0};
    const auto p = exogenous_shock<double>::path(100.0, path);
    CHECK(p.steps() == 3);
    CHECK(p.lowest_price() == 97.0);
    const std::vector<double> series{100.0, 99.0, 97.0, 98.0};
    const auto r = exogenous_shock<double>::replay(series);
    CHECK(r.start_price() == 100.0);
    CHECK(r.steps() == 3);
    CHECK(r.reference_prices()[2] == 98.0);
}

TEST_CASE("shocks: a GARCH path has the model's variance", "[cascade][shock]") {
    // Long-run variance ω/(1 − α − β) = 1e-6/(1 − 0.1 − 0.85) = 2e-5 per step. Started there, the
    // log returns of a long path have sample variance 2e-5 within a few standard errors (the
    // fourth moment of a GARCH(1,1) is finite here: 3α² + 2αβ + β² = 0.9225 < 1).
    const garch11<double> g(1e-6, 0.1, 0.85);
    std::mt19937_64 gen(42);
    const std::size_t n = 200000;
    const auto s = exogenous_shock<double>::garch(g, 100.0, g.unconditional_variance(), n, gen);
    REQUIRE(s.steps() == n);
    double prev = 100.0, sum = 0.0, sum2 = 0.0;
    for (const double x : s.reference_prices()) {
        const double r = std::log(x / prev);
        sum += r;
        sum2 += r * r;
        prev = x;
    }
    const double var = sum2 / static_cast<double>(n) - (sum / static_cast<double>(n)) * (sum / static_cast<double>(n));
    CHECK_THAT(var, WithinRel(2e-5, 0.05));
    std::mt19937_64 again(42);
    const auto s2 = exogenous_shock<double>::garch(g, 100.0, g.unconditional_variance(), 10, again);
    CHECK(s2.reference_prices()[9] == s.reference_prices()[9]);  // reproducible from the seed
    const garch11<double> t(1e-6, 0.1, 0.85, 5.0);
    std::mt19937_64 gen_t(1);
    const auto st = exogenous_shock<double>::garch(t, 100.0, 2e-5, 1000, gen_t);
    for (const double x : st.reference_prices()) CHECK(x > 0.0);
}

TEST_CASE("shocks: bad input", "[cascade][shock][errors]") {
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::instant_relative(100.0, -1.0), invalid_argument,
                           Message("exogenous_shock::instant_relative: relative_move is -1, but must be finite and > -1"));
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::instant_relative(0.0, -0.1), invalid_argument,
                           Message("exogenous_shock::instant_relative: start_price is 0, but must be finite and > 0"));
    const std::vector<double> bad{99.0, std::nan("")};
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::path(100.0, bad), invalid_argument,
                           Message("exogenous_shock::path: prices[1] is nan, but must be finite and > 0"));
    const std::vector<double> one{100.0};
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::replay(one), invalid_argument,
                           Message("exogenous_shock::replay: the size of series is 1, but must be >= 2"));
    const garch11<double> g(1e-6, 0.1, 0.85);
    std::mt19937_64 gen(1);
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::garch(g, 100.0, 1e-4, 0, gen), invalid_argument,
                           Message("exogenous_shock::garch: steps is 0, but must be >= 1"));
}
