// Tests of include/margincall/tiers/linear_size_rate.hpp against Deribit's published rows.
#include <margincall/tiers/linear_size_rate.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <cmath>
#include <limits>

#include "catch.hpp"

using margincall::invalid_argument;
using margincall::linear_size_rate;

static_assert(margincall::margin_rate_model<linear_size_rate<double>, double>);
static_assert(margincall::margin_rate_model<linear_size_rate<float>, float>);

TEMPLATE_TEST_CASE("Deribit BTC_USDC linear perpetual: published IM/MM rows", "[tiers]", float, double,
                   long double) {
    // Deribit "Linear Perpetual" (support.deribit.com article 25944738177565): BTC_USDC
    // IM = 2 % + Q × 0.005 %, MM = 1 % + Q × 0.005 %, index price 100,000 USDC.
    const linear_size_rate<TestType> btc{TestType(0.02), TestType(0.01), TestType(0.00005)};
    const auto notional = [](TestType q) { return q * TestType(100000); };
    // Published: Q = 25 → IM 2.125 % = 53,125 USDC; MM 1.125 % = 28,125 USDC.
    CHECK_THAT(static_cast<double>(btc.initial_rate(TestType(25))), WithinRel(0.02125, 1e-6));
    CHECK_THAT(static_cast<double>(btc.maintenance_rate(TestType(25))), WithinRel(0.01125, 1e-6));
    const TestType lev25 = btc.max_leverage(notional(TestType(25)), TestType(25));
    CHECK_THAT(static_cast<double>(btc.initial_margin(notional(TestType(25)), TestType(25), lev25)),
               WithinRel(53125.0, 1e-6));
    CHECK_THAT(static_cast<double>(btc.maintenance_margin(notional(TestType(25)), TestType(25))),
               WithinRel(28125.0, 1e-6));
    // Published: Q = 350 → IM 3.75 % = 1,312,500 USDC.
    const TestType lev350 = btc.max_leverage(notional(TestType(350)), TestType(350));
    CHECK_THAT(static_cast<double>(btc.initial_margin(notional(TestType(350)), TestType(350), lev350)),
               WithinRel(1312500.0, 1e-6));
}

TEST_CASE("Deribit SOL_USDC linear perpetual: published IM/MM rows", "[tiers]") {
    // Same page: SOL_USDC IM = 4 % + Q × 0.0005 %, MM = 2 % + Q × 0.0005 %, price 200 USDC.
    const linear_size_rate<double> sol{0.04, 0.02, 0.000005};
    // Q = 25 → IM 4.0125 % = 200.625 USDC; MM 2.0125 % = 100.625 USDC.
    CHECK_THAT(sol.initial_margin(25 * 200.0, 25, sol.max_leverage(25 * 200.0, 25)), WithinRel(200.625, 1e-12));
    CHECK_THAT(sol.maintenance_margin(25 * 200.0, 25), WithinRel(100.625, 1e-12));
    // Q = 6,000 → IM 7 % = 84,000 USDC.
    CHECK_THAT(sol.initial_margin(6000 * 200.0, 6000, sol.max_leverage(6000 * 200.0, 6000)),
               WithinRel(84000.0, 1e-12));
}

TEST_CASE("linear_size_rate: largest size a leverage allows", "[tiers]") {
    const linear_size_rate<double> btc{0.02, 0.01, 0.00005};
    // Hand-derived: 1/40 = 2.5 % = 2 % + Q × 0.005 % ⇔ Q = 100 BTC; 1x ⇔ Q = 0.98 / 0.00005 = 19,600.
    CHECK_THAT(btc.max_size(40.0), WithinRel(100.0, 1e-12));
    CHECK_THAT(btc.max_size(1.0), WithinRel(19600.0, 1e-12));
    CHECK(btc.max_size(50.0) == 0.0);
    const linear_size_rate<double> flat{0.02, 0.01, 0.0};
    CHECK(std::isinf(flat.max_size(10.0)));
    // IM at a lower leverage than the max is notional / leverage.
    CHECK(btc.initial_margin(2.5e6, 25, 10.0) == 2.5e5);
}

TEST_CASE("linear_size_rate errors", "[tiers][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES((linear_size_rate<double>{0.02, 0.0, 0.00005}), invalid_argument,
                           Message("linear_size_rate: maintenance_base is 0, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((linear_size_rate<double>{0.02, nan, 0.00005}), invalid_argument,
                           Message("linear_size_rate: maintenance_base is nan, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((linear_size_rate<double>{0.01, 0.01, 0.00005}), invalid_argument,
                           Message("linear_size_rate: initial_base is 0.01, but must be in (0.01, 1], above "
                                   "maintenance_base"));
    REQUIRE_THROWS_MATCHES((linear_size_rate<double>{1.5, 0.01, 0.00005}), invalid_argument,
                           Message("linear_size_rate: initial_base is 1.5, but must be in (0.01, 1], above "
                                   "maintenance_base"));
    REQUIRE_THROWS_MATCHES((linear_size_rate<double>{0.02, 0.01, -0.00005}), invalid_argument,
                           Message("linear_size_rate: slope is -5e-05, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES((linear_size_rate<double>{0.02, 0.01, nan}), invalid_argument,
                           Message("linear_size_rate: slope is nan, but must be finite and >= 0"));
    const linear_size_rate<double> btc{0.02, 0.01, 0.00005};
    REQUIRE_THROWS_MATCHES(btc.initial_margin(2.5e6, 25, 48.0), invalid_argument,
                           Message("linear_size_rate::initial_margin: leverage is 48, but must be in [1, "
                                   "47.0588235294118], the max_leverage at quantity 25"));
    REQUIRE_THROWS_MATCHES(btc.initial_margin(-1.0, 25, 10.0), invalid_argument,
                           Message("linear_size_rate::initial_margin: notional is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(btc.initial_margin(1.0, nan, 10.0), invalid_argument,
                           Message("linear_size_rate::initial_margin: quantity is nan, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(btc.max_size(51.0), invalid_argument,
                           Message("linear_size_rate::max_size: leverage is 51, but must be in [1, 50], the "
                                   "max_leverage at quantity 0"));
    // Past 19,600 BTC the initial rate exceeds 100 %: no leverage can open it.
    CHECK_THROWS_AS(btc.initial_margin(2e9, 20000, 1.0), invalid_argument);
}
