// Tests of include/margincall/cascade/depth_profile_impact.hpp: prices and fill averages
// against numerical integrals in R 4.2.2 (tests/reference/cascade_impact.R, .out).
#include <margincall/cascade/depth_profile_impact.hpp>

#include <array>
#include <cmath>

#include "catch.hpp"

using namespace margincall;

namespace {
const std::array<depth_band<double>, 3> bands{{{0.01, 100.0}, {0.03, 300.0}, {0.1, 1000.0}}};
}

TEST_CASE("depth profile: price and VWAP match R's integrate()", "[cascade][impact]") {
    const depth_profile_impact<double> d(bands, 0.3);
    struct row { double from, to, price_to, average; };
    const row rows[] = {
        {0, -250, 98, 98.900000000000006},
        {0, 1300, 109.3, 104.75769230769231},
        {-50, 120, 101.13333333333334, 100.34607843137255},
        {-1400, -10, 99.900000000000006, 94.856474820143887},
        {-399, -401, 96.992999999999995, 96.999916666666678},
    };
    for (const auto& r : rows) {
        CHECK_THAT(d.price(100.0, r.to), WithinRel(r.price_to, 1e-13));
        CHECK_THAT(d.average_price(100.0, r.from, r.to), WithinRel(r.average, 1e-12));
    }
    CHECK(d.total_depth() == 1400.0);
    // Resilience: 30 % of the consumed depth refills per step.
    CHECK(d.recover(-100.0) == -70.0);
    CHECK(d.price(100.0, -1400.0) == 90.0);  // the whole profile: the last band's edge, 10 % away
}

TEST_CASE("depth profile: bad input", "[cascade][impact][errors]") {
    const std::array<depth_band<double>, 2> negative{{{0.01, 100.0}, {0.02, -5.0}}};
    REQUIRE_THROWS_MATCHES(depth_profile_impact<double>(negative, 0.5), invalid_argument,
                           Message("depth_profile_impact: quantity of band 2 is -5, but must be finite and > 0"));
    const std::array<depth_band<double>, 2> unsorted{{{0.02, 100.0}, {0.01, 5.0}}};
    REQUIRE_THROWS_MATCHES(depth_profile_impact<double>(unsorted, 0.5), invalid_argument,
                           Message("depth_profile_impact: distance of band 2 is 0.01, but must be in (0.02, 1)"));
    const std::array<depth_band<double>, 1> through_zero{{{1.0, 100.0}}};
    REQUIRE_THROWS_MATCHES(depth_profile_impact<double>(through_zero, 0.5), invalid_argument,
                           Message("depth_profile_impact: distance of band 1 is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(depth_profile_impact<double>(bands, 2.0), invalid_argument,
                           Message("depth_profile_impact: resilience is 2, but must be in [0, 1]"));
    REQUIRE_THROWS_MATCHES(depth_profile_impact<double>(std::span<const depth_band<double>>{}, 0.5), invalid_argument,
                           Message("depth_profile_impact: the size of bands is 0, but must be > 0"));
    const depth_profile_impact<double> d(bands, 0.3);
    REQUIRE_THROWS_MATCHES(d.price(100.0, -1500.0), invalid_argument,
                           Message("depth_profile_impact: the displaced volume is 1500, but must be <= the total depth 1400"));
}
