// Tests of include/margincall/cascade/linear_impact.hpp against Kyle's Δp = λ·(order flow),
// and the VWAP of a linear book (the midpoint), both by hand.
#include <margincall/cascade/linear_impact.hpp>

#include "catch.hpp"

using namespace margincall;

TEMPLATE_TEST_CASE("linear impact: Kyle's lambda, midpoint fills, resilience", "[cascade][impact]", float, double, long double) {
    const linear_impact<TestType> k(TestType(0.25));
    // Selling 40 units at λ = 0.25 moves 100 → 90; the fills walk 100 → 90: average 95.
    CHECK(k.price(TestType(100), TestType(-40)) == TestType(90));
    CHECK(k.average_price(TestType(100), TestType(0), TestType(-40)) == TestType(95));
    // From −40 to −80: 90 → 80, average 85. Permanent: recover leaves the displacement.
    CHECK(k.average_price(TestType(100), TestType(-40), TestType(-80)) == TestType(85));
    CHECK(k.recover(TestType(-40)) == TestType(-40));
    const linear_impact<TestType> r(TestType(0.25), TestType(0.5));
    CHECK(r.recover(TestType(-40)) == TestType(-20));
    CHECK(r.lambda() == TestType(0.25));
    CHECK(r.resilience() == TestType(0.5));
}

TEST_CASE("linear impact: bad parameters", "[cascade][impact][errors]") {
    REQUIRE_THROWS_MATCHES(linear_impact<double>(-0.1), invalid_argument,
                           Message("linear_impact: lambda is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(linear_impact<double>(0.1, 1.5), invalid_argument,
                           Message("linear_impact: resilience is 1.5, but must be in [0, 1]"));
}
