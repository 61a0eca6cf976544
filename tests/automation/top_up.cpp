// Tests of include/margincall/automation/top_up.hpp: automatic top-up from spot.
#include <margincall/automation/top_up.hpp>

#include <algorithm>
#include <limits>
#include <random>

#include "catch.hpp"

using namespace margincall;

static_assert(top_up_policy<spot_top_up<double>, double>);
static_assert(top_up_policy<no_top_up, double>);
static_assert(!top_up_policy<int, double>);

TEST_CASE("spot top-up: hand-derived amounts", "[automation]") {
    const spot_top_up<double> t(0.35, 0.2);
    // MM 400, equity 1,000: ratio 0.4 ≥ 0.35. MM / 0.2 = 2,000, so x = 2,000 − 1,000 = 1,000.
    const auto pool = summarise_margin(1000.0, 800.0, 400.0, status_thresholds<double>{});
    CHECK(t.top_up_amount(pool, 5000.0) == 1000.0);
    CHECK(t.top_up_amount(pool, 600.0) == 600.0);  // spot short: all of it
    CHECK(t.top_up_amount(pool, 0.0) == 0.0);
    // ratio 0.3 < 0.35: nothing.
    CHECK(t.top_up_amount(summarise_margin(1000.0, 600.0, 300.0, status_thresholds<double>{}), 5000.0) == 0.0);
    // equity ≤ 0: ratio +∞ triggers; x = 400 / 0.2 − (−100) = 2,100.
    CHECK(t.top_up_amount(summarise_margin(-100.0, 800.0, 400.0, status_thresholds<double>{}), 5000.0) == 2100.0);
    CHECK(no_top_up{}.top_up_amount(pool, 5000.0) == 0.0);
}

TEST_CASE("spot top-up property: with enough spot the ratio lands on the target", "[automation][property]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 5000; ++i) {
        const double target = 0.05 + 0.5 * u(rng);
        const double trigger = target + (1 - target) * u(rng);
        const spot_top_up<double> t(trigger, target);
        const double mm = 1 + 1e5 * u(rng);
        const double equity = mm / (trigger + (1.5 - trigger) * u(rng));  // ratio ≥ trigger
        const auto pool = summarise_margin(equity, mm, mm, status_thresholds<double>{});
        REQUIRE(pool.margin_ratio >= trigger);
        const double x = t.top_up_amount(pool, 1e12);
        REQUIRE(x >= 0);
        CHECK_THAT(mm / (equity + x), WithinRel(target, 1e-12));
        const double spot = x * u(rng);
        REQUIRE(t.top_up_amount(pool, spot) == spot);
    }
}

TEST_CASE("spot_top_up rejects bad ratios", "[automation][errors]") {
    REQUIRE_THROWS_MATCHES(spot_top_up<double>(1.5, 0.5), margincall::invalid_argument,
                           Message("spot_top_up: trigger_ratio is 1.5, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(spot_top_up<double>(0.8, 0.9), margincall::invalid_argument,
                           Message("spot_top_up: target_ratio is 0.9, but must be in (0, 0.8] (at most trigger_ratio)"));
    REQUIRE_THROWS_MATCHES(spot_top_up<double>(0.8, std::numeric_limits<double>::quiet_NaN()),
                           margincall::invalid_argument,
                           Message("spot_top_up: target_ratio is nan, but must be in (0, 0.8] (at most trigger_ratio)"));
}
