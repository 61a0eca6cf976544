// Tests of include/margincall/tiers/open_interest_scaled.hpp against dYdX v4's own test tables
// (protocol/x/perpetuals/types/liquidity_tier_test.go).
#include <margincall/tiers/margin_rate_model.hpp>
#include <margincall/tiers/open_interest_scaled.hpp>

#include <limits>

#include "catch.hpp"

using margincall::invalid_argument;
using margincall::open_interest_scaled;

static_assert(margincall::margin_rate_model<open_interest_scaled<double>, double>);
static_assert(margincall::margin_rate_model<open_interest_scaled<float>, float>);

TEST_CASE("dYdX TestGetAdjustedInitialMarginPpm: effective IMF by open interest", "[tiers]") {
    // Base IMF 20 %, caps 1,000,000 / 2,000,000.
    const open_interest_scaled<double> m{0.2, 0.5, 1e6, 2e6};
    CHECK(m.initial_fraction_at(0) == 0.2);              // "Zero open interest" → 200,000 ppm
    CHECK(m.initial_fraction_at(1e6) == 0.2);            // "at lower bound"
    CHECK_THAT(m.initial_fraction_at(1.5e6), WithinRel(0.6, 1e-15));  // "within bounds" → 600,000
    // "within bounds, rounded": 0.2 + 0.234567 × 0.8 = 0.3876536 (dYdX floors to 387,653 ppm).
    CHECK_THAT(m.initial_fraction_at(1234567), WithinRel(0.3876536, 1e-12));
    CHECK(m.initial_fraction_at(2e6) == 1.0);            // "at upper bound" → 1,000,000
    CHECK(m.initial_fraction_at(2.5e6) == 1.0);          // "above upper bound"
    // "No upper bound, no increase" (dYdX upper_cap = 0; here +∞).
    const open_interest_scaled<double> off{0.2, 0.5, 0, std::numeric_limits<double>::infinity()};
    CHECK(off.initial_fraction_at(1.5e6) == 0.2);
}

TEST_CASE("dYdX TestGetInitialMarginQuoteQuantums: IM of 500,000 quote quantums", "[tiers]") {
    const auto im = [](double lower, double upper, double oi) {
        const open_interest_scaled<double> m{0.2, 0.5, lower, upper, oi};
        return m.initial_margin(500000, 0, m.max_leverage(500000, 0));
    };
    CHECK_THAT(im(1e12, 2e12, 1.5e12), WithinRel(300000.0, 1e-12));   // scaling 0.5 → 60 %
    CHECK_THAT(im(25e12, 50e12, 80e12), WithinRel(500000.0, 1e-12));  // OI ≫ upper cap → 100 %
    CHECK_THAT(im(25e12, 50e12, 25e12), WithinRel(100000.0, 1e-12));  // OI = lower cap → 20 %
    // "realistic numbers": 27.1392 % × 500,000 = 135,696.65, which dYdX rounds up to 135,697.
    const double realistic = im(25e12, 60e12, 28123456789123.0);
    CHECK(realistic <= 135697.0);
    CHECK(realistic > 135696.0);
}

TEST_CASE("dYdX maintenance margin = base IMF × maintenance fraction, not scaled by OI", "[tiers]") {
    // dYdX TestLiquidityTierGetMaxAbsFundingClampPpm comments: 15 % × 80 % = 12 %;
    // 74.5345 % × 56.4947 % ≈ 421,080 ppm.
    CHECK_THAT((open_interest_scaled<double>{0.15, 0.8, 0, 1}.maintenance_rate()), WithinRel(0.12, 1e-12));
    CHECK_THAT((open_interest_scaled<double>{0.745345, 0.564947, 0, 1}.maintenance_rate()), WithinAbs(0.421080, 1e-6));
    open_interest_scaled<double> m{0.2, 0.5, 1e6, 2e6, 0};
    CHECK(m.maintenance_margin(1000, 1) == 100.0);
    m.set_open_interest(1.9e6);
    CHECK(m.maintenance_margin(1000, 1) == 100.0);
    CHECK(m.open_interest() == 1.9e6);
    CHECK_THAT(m.initial_fraction(), WithinRel(0.2 + 0.9 * 0.8, 1e-12));
    CHECK_THAT(m.max_leverage(1000, 1), WithinRel(1 / 0.92, 1e-12));
}

TEST_CASE("open_interest_scaled errors", "[tiers][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{0, 0.5, 1e6, 2e6}), invalid_argument,
                           Message("open_interest_scaled: base_imf is 0, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{1.2, 0.5, 1e6, 2e6}), invalid_argument,
                           Message("open_interest_scaled: base_imf is 1.2, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{0.2, 1, 1e6, 2e6}), invalid_argument,
                           Message("open_interest_scaled: maintenance_fraction is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{0.2, 0.5, -1, 2e6}), invalid_argument,
                           Message("open_interest_scaled: lower_cap is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{0.2, 0.5, 2e6, 1e6}), invalid_argument,
                           Message("open_interest_scaled: upper_cap is 1000000, but must be >= 2000000, the lower_cap"));
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{0.2, 0.5, 1e6, nan}), invalid_argument,
                           Message("open_interest_scaled: upper_cap is nan, but must be >= 1000000, the lower_cap"));
    REQUIRE_THROWS_MATCHES((open_interest_scaled<double>{0.2, 0.5, 1e6, 2e6, -5}), invalid_argument,
                           Message("open_interest_scaled::set_open_interest: open_interest is -5, but must be finite "
                                   "and >= 0"));
    const open_interest_scaled<double> m{0.2, 0.5, 1e6, 2e6, 1.5e6};
    REQUIRE_THROWS_MATCHES(m.initial_margin(1000, 1, 2.0), invalid_argument,
                           Message("open_interest_scaled::initial_margin: leverage is 2, but must be in [1, "
                                   "1.66666666666667], the max_leverage at open interest 1500000"));
    REQUIRE_THROWS_MATCHES(m.initial_margin(-1, 1, 1.0), invalid_argument,
                           Message("open_interest_scaled::initial_margin: notional is -1, but must be finite and >= 0"));
}
