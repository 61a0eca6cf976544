// Tests of include/margincall/cascade/cascade_venue.hpp: the defaults the docs state
// (docs/cascades.md §3, §5, §6) and that record_steps = false keeps only the totals.
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/cascade_venue.hpp>

#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("a venue's defaults: full close, ADL ranked BitMEX-style, no fee, no fund, no keeper", "[cascade][venue]") {
    const cascade_venue<double> v{};
    CHECK(v.book == nullptr);
    CHECK(v.waterfall.insurance_fund == 0.0);
    CHECK(v.waterfall.liquidation_fee_rate == 0.0);
    CHECK(v.waterfall.residual == residual_loss::auto_deleveraging);
    CHECK(v.waterfall.ranking == adl_ranking::bitmex);
    CHECK_FALSE(v.keeper.has_value());
    const cascade_options o{};
    CHECK(o.max_steps == 100000);
    CHECK(o.record_steps);
}

TEST_CASE("record_steps = false keeps the totals and drops the per-step records", "[cascade][venue]") {
    // Three longs at 100 with LP 99.5, 98.5, 97.5 (m = 0, C = 0.5, 1.5, 2.5); a 2 % fall crosses two.
    const std::vector<double> q{1.0, 1.0, 1.0}, e{100.0, 100.0, 100.0}, c{0.5, 1.5, 2.5}, m{0.0, 0.0, 0.0};
    const liquidation_book<double> b(q, e, c, m);
    using sim = cascade_simulator<double>;
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.02);
    const sim with(linear_impact<double>(0.0), {sim::venue{&b, {}, {}, {}}});
    const sim without(linear_impact<double>(0.0), {sim::venue{&b, {}, {}, {}}}, cascade_options{100, false});
    const auto x = with.run(shock);
    const auto y = without.run(shock);
    CHECK(x.venues[0].liquidated_count == 2);
    CHECK(y.venues[0].liquidated_count == 2);
    CHECK_FALSE(x.venues[0].steps.empty());
    CHECK(y.venues[0].steps.empty());
    CHECK(y.prices.empty());
    CHECK(y.final_price == x.final_price);
}
