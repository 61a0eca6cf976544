// Tests of include/margincall/tiers/arithmetic_tiers.hpp: OKX's open-ended tier rule, the
// summed maintenance amounts of generated notional tiers, and every constructor error.
#include <margincall/tiers/arithmetic_tiers.hpp>
#include <margincall/tiers/margin_rate_model.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "catch.hpp"

using margincall::arithmetic_tiers;
using margincall::bracket;
using margincall::invalid_argument;
using margincall::tier_basis;
using margincall::tier_schedule;

static_assert(margincall::margin_rate_model<arithmetic_tiers<double>, double>);
static_assert(margincall::margin_rate_model<arithmetic_tiers<float>, float>);

namespace {

// OKX ADAUSDT perpetual after the 2023-04 change (announcement mirrors cnoyu.com 2023-04-17,
// okx.vote 2023-05-15): tier 1 ≤ 1,500 contracts MMR 0.50 % IMR 1.33 % 75x; tier 2 ≤ 3,000
// 0.75 % 2.00 % 50x; tier 3 ≤ 6,000 1.00 % 2.50 % 40x; tier ≥ 4: "+6,000 conts, +0.5 % MMR,
// +0.5 % IMR" per tier.
template <class Real>
arithmetic_tiers<Real> okx_adausdt() {
    const std::vector<bracket<Real>> head{{Real(0), Real(1500), Real(75), Real(0.005)},
                                          {Real(1500), Real(3000), Real(50), Real(0.0075)},
                                          {Real(3000), Real(6000), Real(40), Real(0.01)}};
    return arithmetic_tiers<Real>{tier_schedule<Real>{head, tier_basis::quantity}, Real(6000), Real(0.005),
                                  Real(0.005)};
}

}  // namespace

TEMPLATE_TEST_CASE("OKX ADAUSDT: generated tiers follow the published rule", "[tiers]", float, double,
                   long double) {
    const auto okx = okx_adausdt<TestType>();
    CHECK(okx.basis() == tier_basis::quantity);
    // Hand-derived from the rule: tier 4 = (6,000, 12,000], MMR 1.5 %, IMR 3.0 % (33.3x);
    // tier 5 = (12,000, 18,000], MMR 2.0 %, IMR 3.5 %.
    const auto t4 = okx.tier_for(TestType(7000));
    CHECK(okx.tier_index(TestType(7000)) == 3);
    CHECK(t4.floor == TestType(6000));
    CHECK(t4.cap == TestType(12000));
    CHECK_THAT(static_cast<double>(t4.maintenance_rate), WithinRel(0.015, 1e-6));
    CHECK_THAT(static_cast<double>(t4.max_leverage), WithinRel(1 / 0.03, 1e-6));
    CHECK(t4.maintenance_amount == TestType(0));
    const auto t5 = okx.tier_for(TestType(12000));
    CHECK(okx.tier_index(TestType(12000)) == 4);
    CHECK_THAT(static_cast<double>(t5.maintenance_rate), WithinRel(0.02, 1e-6));
    CHECK_THAT(static_cast<double>(t5.max_leverage), WithinRel(1 / 0.035, 1e-6));
    // Listed tiers come from the head.
    CHECK(okx.tier_index(TestType(2000)) == 1);
    CHECK(okx.tier_for(TestType(5999)).max_leverage == TestType(40));
    // The rule ends at 1x: IMR 2.5 % + k × 0.5 % = 100 % ⇔ k = 195 → 198 tiers, last cap
    // 6,000 + 195 × 6,000 = 1,176,000 contracts, last MMR 1 % + 195 × 0.5 % = 98.5 %.
    CHECK(okx.tier_count() == TestType(198));
    CHECK(okx.last_cap() == TestType(1176000));
    CHECK(okx.tier_index(TestType(1e9)) == 197);
    CHECK_THAT(static_cast<double>(okx.tier_for(TestType(1e9)).maintenance_rate), WithinRel(0.985, 1e-5));
    CHECK_THAT(static_cast<double>(okx.max_leverage(TestType(1), TestType(1e9))), WithinRel(1.0, 1e-5));
    CHECK(okx.initial_margin(TestType(100), TestType(1176000), TestType(1)) == TestType(100));
}

TEST_CASE("OKX ADAUSDT: margins by quantity, max size by leverage", "[tiers]") {
    const auto okx = okx_adausdt<double>();
    // MM = notional × MMR(tier by quantity), e.g. 7,000 contracts worth 280,000 USDT → 1.5 %.
    CHECK_THAT(okx.maintenance_margin(280000, 7000), WithinRel(4200.0, 1e-12));
    CHECK_THAT(okx.initial_margin(280000, 7000, 20.0), WithinRel(14000.0, 1e-15));
    REQUIRE_THROWS_MATCHES(okx.initial_margin(280000, 7000, 34.0), invalid_argument,
                           Message("arithmetic_tiers::initial_margin: leverage is 34, but must be in [1, "
                                   "33.3333333333333], the max_leverage of tier 4 at quantity 7000"));
    // Beyond the last cap (1,176,000 contracts): margined in the last tier, not openable.
    CHECK(okx.initial_margin(1e8, 2e6, 1.0) == 1e8);
    CHECK(okx.size_limit() == 1176000.0);
    CHECK(!okx.within_size_limit(1e8, 2e6));
    CHECK(okx.within_size_limit(1e8, 1176000));
    CHECK(okx.initial_margin(1e8, 1176000, 1.0) == 1e8);
    // Largest size: 50x → tier 2 cap 3,000; 40x → tier 3 cap 6,000; 33x → tier 4 cap 12,000
    // (1/33 = 3.03 % ≥ 3.0 %); 1/0.035 ≈ 28.57x → tier 5 cap 18,000; 1x → 1,176,000.
    CHECK(okx.max_size(50.0) == 3000.0);
    CHECK(okx.max_size(40.0) == 6000.0);
    CHECK(okx.max_size(33.0) == 12000.0);
    CHECK(okx.max_size(1 / 0.035) == 18000.0);
    CHECK(okx.max_size(1.0) == 1176000.0);
    REQUIRE_THROWS_MATCHES(okx.max_size(80.0), invalid_argument,
                           Message("arithmetic_tiers::max_size: leverage is 80, but must be in [1, 75], the "
                                   "max_leverage of tier 1"));
}

TEST_CASE("notional-basis generated tiers keep MM continuous (summed cum)", "[tiers][property]") {
    // Head: Binance BTCUSDT tiers 1–3 (FAQ b3c689c1…; cum 0 / 50 / 1,300), then +1,000,000
    // notional, +0.5 % MMR, +1 % IMR per tier (an illustrative rule, not a venue's).
    const std::vector<bracket<double>> head{{0, 50e3, 125, 0.004, 0.0},
                                            {50e3, 250e3, 100, 0.005, 50.0},
                                            {250e3, 3e6, 50, 0.01, 1300.0}};
    const arithmetic_tiers<double> a{tier_schedule<double>{head}, 1e6, 0.005, 0.01};
    // Hand-derived with Binance's recursion: tier 4 floor 3,000,000 → cum 1,300 + 3,000,000 × 0.5 %
    // = 16,300; tier 5 floor 4,000,000 → 16,300 + 4,000,000 × 0.5 % = 36,300.
    CHECK_THAT(a.tier_for(3.5e6).maintenance_amount, WithinRel(16300.0, 1e-12));
    CHECK_THAT(a.tier_for(4.5e6).maintenance_amount, WithinRel(36300.0, 1e-12));
    // IMR 2 % + k × 1 % ≤ 100 % ⇔ k ≤ 98.
    CHECK(a.tier_count() == 101.0);
    for (int k = 1; k <= 98; ++k) {
        const double floor = 3e6 + (k - 1) * 1e6;
        const double left = std::nextafter(floor, 0.0);
        REQUIRE(a.tier_index(left) == static_cast<std::uint64_t>(k + 1));
        REQUIRE(a.tier_index(floor) == static_cast<std::uint64_t>(k + 2));
        CHECK_THAT(a.maintenance_margin(left, 1), WithinRel(a.maintenance_margin(floor, 1), 1e-12));
    }
}

TEST_CASE("arithmetic_tiers errors", "[tiers][errors]") {
    const std::vector<bracket<double>> head{{0, 1500, 75, 0.005}, {1500, 3000, 50, 0.0075}};
    const tier_schedule<double> s{head, tier_basis::quantity};
    REQUIRE_THROWS_MATCHES((arithmetic_tiers<double>{s, 0, 0.005, 0.005}), invalid_argument,
                           Message("arithmetic_tiers: size_step is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((arithmetic_tiers<double>{s, 6000, 0.005, 0}), invalid_argument,
                           Message("arithmetic_tiers: initial_rate_step is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((arithmetic_tiers<double>{s, 6000, -0.005, 0.005}), invalid_argument,
                           Message("arithmetic_tiers: maintenance_rate_step is -0.005, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES((arithmetic_tiers<double>{s, 6000, 0.006, 0.005}), invalid_argument,
                           Message("arithmetic_tiers: maintenance_rate_step is 0.006, but must be <= 0.005, the "
                                   "initial_rate_step"));
    REQUIRE_THROWS_MATCHES((arithmetic_tiers<double>{s, 6000, 0.0, 1e-30}), invalid_argument,
                           // (1 − 1/50) × 2^−52 = 0.98 × 2.220446049250313e-16.
                           Message("arithmetic_tiers: initial_rate_step is 1e-30, but must be >= "
                                   "2.17603712826531e-16 (at most 1/epsilon generated tiers)"));
    // An open-ended head (Binance ETHUSDT 2021, top bracket ">20M") leaves nothing to generate.
    const std::vector<bracket<double>> open{{0, 10e3, 100, 0.005},
                                            {10e3, std::numeric_limits<double>::infinity(), 75, 0.0065}};
    REQUIRE_THROWS_MATCHES((arithmetic_tiers<double>{tier_schedule<double>{open}, 1e6, 0.005, 0.01}),
                           invalid_argument, Message("arithmetic_tiers: the last cap of head is inf, but must be finite"));
}
