// Tests of include/margincall/cascade/liquidation_policy.hpp: the concept's truth table and the
// partial-close fraction against its closed form, derived by hand in the comments.
#include <margincall/cascade/liquidation_policy.hpp>

#include "catch.hpp"

using namespace margincall;

static_assert(liquidation_policy<full_close, double>);
static_assert(liquidation_policy<call_auction, double>);
static_assert(liquidation_policy<partial_close<double>, double>);
static_assert(!full_close::uniform_price && call_auction::uniform_price && !partial_close<double>::uniform_price);
namespace {
struct no_flag { double close_fraction(double, double, double, double) const { return 1; } };
struct no_fraction { static constexpr bool uniform_price = false; };
}  // namespace
static_assert(!liquidation_policy<no_flag, double>);
static_assert(!liquidation_policy<no_fraction, double>);
static_assert(!no_fraction::uniform_price && has_uniform_price_flag<no_fraction>);

TEST_CASE("partial close restores maintenance margin plus the buffer after the fee", "[cascade][policy]") {
    // Notional N = 10,000, m = 1 %, buffer 50 %: target (1 + b)·m·N = 150. Equity 90 (below MM 100),
    // fee φ = 0.5 %: f = (150 − 90)/(150 − 50) = 0.6. Check: after closing 60 %, equity
    // 90 − 0.005·6,000 = 60 = 1.5 × 1 % × 4,000.
    const partial_close<double> p(0.5, 0.1);
    CHECK_THAT(p.close_fraction(90.0, 10000.0, 0.01, 0.005), WithinRel(0.6, 1e-14));
    // Small shortfall: f = (150 − 145)/100 = 0.05 < min_fraction 0.1 → 0.1.
    CHECK(p.close_fraction(145.0, 10000.0, 0.01, 0.005) == 0.1);
    // Bankrupt (equity ≤ 0) or a fee that eats the margin: close everything.
    CHECK(p.close_fraction(-1.0, 10000.0, 0.01, 0.005) == 1.0);
    CHECK(p.close_fraction(10.0, 10000.0, 0.01, 0.02) == 1.0);
    // f ≥ 1: equity 10 → (150 − 10)/100 = 1.4 → 1.
    CHECK(p.close_fraction(10.0, 10000.0, 0.01, 0.005) == 1.0);
    CHECK(full_close{}.close_fraction(90.0, 10000.0, 0.01, 0.005) == 1.0);
    CHECK(call_auction{}.close_fraction(90.0, 10000.0, 0.01, 0.005) == 1.0);
    CHECK(p.buffer() == 0.5);
    CHECK(p.min_fraction() == 0.1);
}

TEST_CASE("partial close: bad parameters", "[cascade][policy][errors]") {
    REQUIRE_THROWS_MATCHES(partial_close<double>(-0.1), invalid_argument,
                           Message("partial_close: buffer is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(partial_close<double>(0.1, 0.0), invalid_argument,
                           Message("partial_close: min_fraction is 0, but must be in (0, 1]"));
}
