// Tests of include/margincall/tiers/sqrt_size_premium.hpp against Drift protocol-v2's own
// unit tests of the size-premium weight, and hand-derived thresholds.
#include <margincall/tiers/margin_rate_model.hpp>
#include <margincall/tiers/sqrt_size_premium.hpp>

#include <cmath>
#include <limits>

#include "catch.hpp"

using margincall::invalid_argument;
using margincall::sqrt_size_premium;

static_assert(margincall::margin_rate_model<sqrt_size_premium<double>, double>);
static_assert(margincall::margin_rate_model<sqrt_size_premium<long double>, long double>);

TEST_CASE("Drift size-premium weight reproduces Drift's unit-test values", "[tiers]") {
    // drift-labs/protocol-v2 programs/drift/src/math/margin/tests.rs, `spot_market_asset_weight`:
    // initial_liability_weight 11000 (1.1 at 1e4), size 1000 tokens, imf_factor
    // SPOT_IMF_PRECISION/10 (0.1) → 40422; imf_factor 10000 (0.01) → 11962; imf_factor 10 (1e-5)
    // → 11000 (no premium); maintenance weight 0 with imf 0.1 → 31622. Drift truncates to 1e-4.
    const auto weight = [](double w, double imf, double size) {
        return sqrt_size_premium<double>{0.5, 0.25, imf}.premium_ratio(w, size);
    };
    CHECK_THAT(weight(1.1, 0.1, 1000), WithinAbs(4.0422, 1e-4));
    CHECK(weight(1.1, 0.1, 1000) >= 4.0422);
    CHECK_THAT(weight(1.1, 0.01, 1000), WithinAbs(1.1962, 1e-4));
    CHECK(weight(1.1, 0.00001, 1000) == 1.1);
    CHECK_THAT(weight(0.0, 0.1, 1000), WithinAbs(3.1622, 1e-4));
}

TEST_CASE("Drift perp: below the premium threshold the base ratio holds", "[tiers]") {
    // Same file, `calculate_user_equity_value_tests`: margin_ratio_initial 1000 (10 %),
    // imf_factor 1000 (0.001), short 6.1475409835 base at oracle 22,050 → initial margin
    // requirement 13,555.327867 USDC (pmr = 13555327867 at 1e6).
    const sqrt_size_premium<double> btc{0.10, 0.05, 0.001};
    const double q = 6.1475409835, notional = q * 22050.0;
    const double im = btc.initial_margin(notional, q, btc.max_leverage(notional, q));
    CHECK_THAT(im, WithinAbs(13555.327867, 1e-5));
    // Hand-derived threshold q₀ = (r / (5 f))² = (0.1 / 0.005)² = 400: rates are flat below it.
    CHECK(btc.initial_rate(399.0) == 0.10);
    CHECK_THAT(btc.initial_rate(900.0), WithinRel(0.08 + 0.001 * 30.0, 1e-15));  // √900 = 30
    // Maintenance: q₀ = (0.05 / 0.005)² = 100; at 400: 0.04 + 0.001 × 20 = 0.06.
    CHECK(btc.maintenance_rate(99.0) == 0.05);
    CHECK_THAT(btc.maintenance_rate(400.0), WithinRel(0.06, 1e-15));
    CHECK_THAT(btc.maintenance_margin(400.0 * 20000.0, 400.0), WithinRel(0.06 * 8e6, 1e-15));
    // Largest size at 1/0.11 ≈ 9.09x: √q = (0.11 − 0.08) / 0.001 = 30 → q = 900.
    CHECK_THAT(btc.max_size(1.0 / 0.11), WithinRel(900.0, 1e-9));
    CHECK(std::isinf(sqrt_size_premium<double>{0.1, 0.05, 0.0}.max_size(10.0)));
}

TEST_CASE("sqrt_size_premium errors", "[tiers][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES((sqrt_size_premium<double>{0.1, 0.0, 0.001}), invalid_argument,
                           Message("sqrt_size_premium: maintenance_ratio is 0, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((sqrt_size_premium<double>{0.04, 0.05, 0.001}), invalid_argument,
                           Message("sqrt_size_premium: initial_ratio is 0.04, but must be in (0.05, 1], above "
                                   "maintenance_ratio"));
    REQUIRE_THROWS_MATCHES((sqrt_size_premium<double>{nan, 0.05, 0.001}), invalid_argument,
                           Message("sqrt_size_premium: initial_ratio is nan, but must be in (0.05, 1], above "
                                   "maintenance_ratio"));
    REQUIRE_THROWS_MATCHES((sqrt_size_premium<double>{0.1, 0.05, -1.0}), invalid_argument,
                           Message("sqrt_size_premium: imf_factor is -1, but must be finite and >= 0"));
    const sqrt_size_premium<double> btc{0.10, 0.05, 0.001};
    REQUIRE_THROWS_MATCHES(btc.initial_margin(900.0 * 20000.0, 900.0, 10.0), invalid_argument,
                           Message("sqrt_size_premium::initial_margin: leverage is 10, but must be in [1, "
                                   "9.09090909090909], the max_leverage at quantity 900"));
    REQUIRE_THROWS_MATCHES(btc.initial_margin(1.0, -1.0, 2.0), invalid_argument,
                           Message("sqrt_size_premium::initial_margin: quantity is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(btc.max_size(0.5), invalid_argument,
                           Message("sqrt_size_premium::max_size: leverage is 0.5, but must be in [1, 10], the "
                                   "max_leverage at quantity 0"));
}
