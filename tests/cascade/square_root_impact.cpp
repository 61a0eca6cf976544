// Tests of include/margincall/cascade/square_root_impact.hpp: prices and fill averages against
// numerical integrals of the price curve in R 4.2.2 (tests/reference/cascade_impact.R, .out).
#include <margincall/cascade/square_root_impact.hpp>

#include <cmath>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("square-root impact: price and VWAP match R's integrate()", "[cascade][impact]") {
    struct row { double y, sigma, v, from, to, price_to, average; };
    // Values printed by tests/reference/cascade_impact.R (R 4.2.2, integrate, rel.tol 1e-13).
    const row rows[] = {
        {1.0, 0.5, 100, 0, -400, 36.787944117144235, 52.848223531423088},
        {1.0, 0.5, 100, -100, -900, 22.313016014842983, 35.197058919787558},
        {1.0, 0.5, 100, 50, -50, 70.218850132655959, 103.14676932697095},
        {1.0, 0.5, 100, 0, 400, 271.82818284590451, 200.00000000000009},
        {0.8, 0.05, 1e4, 0, -5e4, 91.444064360721697, 94.232469325178599},
        {0.8, 0.05, 1e4, -1e4, -2e4, 94.500170950037585, 95.242232049079036},
    };
    for (const auto& r : rows) {
        const square_root_impact<double> m(r.y, r.sigma, r.v);
        CHECK_THAT(m.price(100.0, r.to), WithinRel(r.price_to, 1e-13));
        CHECK_THAT(m.average_price(100.0, r.from, r.to), WithinRel(r.average, 1e-11));
        CHECK_THAT(m.average_price(100.0, r.to, r.from), WithinRel(r.average, 1e-11));
    }
}

TEST_CASE("square-root impact: Tóth et al. to first order, concave in volume", "[cascade][impact]") {
    // I(Q) = Y σ √(Q/V): Y = 1, σ = 2 %, V = 1e6: selling 1e4 (1 % of daily volume) moves
    // ≈ 0.2 % (first order; exp form differs by I²/2 = 2e-6).
    const square_root_impact<double> m(1.0, 0.02, 1e6, 0.25);
    CHECK_THAT(1.0 - m.price(1.0, -1e4), WithinAbs(0.002, 3e-6));
    // Concave: four times the volume, twice the move (in log price).
    CHECK_THAT(std::log(m.price(1.0, -4e4)), WithinRel(2.0 * std::log(m.price(1.0, -1e4)), 1e-12));
    CHECK(m.average_price(100.0, -5.0, -5.0) == m.price(100.0, -5.0));
    CHECK(m.recover(-8.0) == -6.0);
    CHECK(m.price(100.0, -1e12) > 0.0);  // a 20-σ·Y log move: the log form stays positive
}

TEST_CASE("square-root impact: bad parameters", "[cascade][impact][errors]") {
    REQUIRE_THROWS_MATCHES(square_root_impact<double>(-1.0, 0.02, 1e6), invalid_argument,
                           Message("square_root_impact: y is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(square_root_impact<double>(1.0, 0.02, 0.0), invalid_argument,
                           Message("square_root_impact: daily_volume is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(square_root_impact<double>(1.0, std::nan(""), 1.0), invalid_argument,
                           Message("square_root_impact: daily_volatility is nan, but must be finite and >= 0"));
}
