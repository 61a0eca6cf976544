// Tests of include/margincall/stress/layered_margin.hpp: the layer rule by hand at every boundary,
// a host-written model, and the error paths.
#include <margincall/stress/layered_margin.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "catch.hpp"

using namespace margincall;

namespace {
// A host model: IM = 100 × |net linear quantity|, MM = 60 × |net linear quantity| (a flat rate per contract).
struct per_contract {
    double initial_margin(const stress_book<double>& b) const { return 100.0 * std::abs(b.linear()[0].quantity); }
    double maintenance_margin(const stress_book<double>& b) const { return 60.0 * std::abs(b.linear()[0].quantity); }
};
struct inverted {  // a broken model: IM < MM
    double initial_margin(const stress_book<double>&) const { return 1.0; }
    double maintenance_margin(const stress_book<double>&) const { return 2.0; }
};
struct no_initial {
    double maintenance_margin(const stress_book<double>&) const { return 2.0; }
};
}  // namespace

static_assert(book_margin_model<per_contract, double>);
static_assert(!book_margin_model<no_initial, double>);
static_assert(!book_margin_model<int, double>);

TEST_CASE("layers: IM 200, MM 120, buffer 25 % → liquidation at 90 and below", "[stress][layered]") {
    const layered_margin<double, per_contract> m{per_contract{}, 0.25};
    const stress_book<double> b{100.0, {}, {{-2.0}}};
    using enum margin_status;
    const auto at = [&](double equity) { return m.evaluate(b, equity); };
    CHECK(at(250).status == healthy);
    CHECK(at(250).call_amount == 0.0);
    CHECK(at(200).status == healthy);          // equity = IM: no call
    CHECK(at(199).status == margin_call);
    CHECK(at(199).call_amount == 1.0);
    CHECK(at(120.5).status == margin_call);
    CHECK(at(120).status == reduce_only);      // equity = MM: margin ratio 100 %, the maintenance layer
    CHECK(at(119).status == reduce_only);
    CHECK(at(90.5).status == reduce_only);
    CHECK(at(90).status == liquidation);       // 120 × (1 − 0.25) = 90: the buffer's edge
    CHECK(at(90).liquidation_level == 90.0);
    CHECK(at(89.5).status == liquidation);
    CHECK(at(-10).status == liquidation);
    CHECK(at(-10).call_amount == 210.0);
    CHECK(classify_layers(std::nan(""), 2.0, 1.0, 0.0).status == liquidation);  // NaN equity never looks healthy
    CHECK(classify_layers(0.0, 0.0, 0.0, 0.0).status == liquidation);           // no equity: bankrupt
    const layered_margin<double, per_contract> flat{per_contract{}, 0.0};  // buffer 0: liquidate at MM
    CHECK(flat.evaluate(b, 120.0).status == liquidation);
    CHECK(flat.evaluate(b, 120.01).status == margin_call);
    CHECK(std::string(to_string(reduce_only)) == "reduce_only");
}

TEST_CASE("layers are classify_margin with call thresholds at 100 % and the buffer's liquidation level",
          "[stress][layered][status]") {
    // One status vocabulary: the layer rule is the pool rule of margin/margin_status.hpp with
    // warning = call = 1, a call below IM and liquidation level MM·(1 − β); checked on a grid of
    // equities across every boundary of IM 200, MM 120, β = 0.25 (levels 200, 120, 90, 0).
    const status_thresholds<double> t{1.0, 1.0, true};
    for (double equity = -20.0; equity <= 260.0; equity += 0.5) {
        INFO("equity " << equity);
        const auto f = classify_layers(equity, 200.0, 120.0, 0.25);
        CHECK(f.status == classify_margin(equity, 200.0, 120.0, t, 90.0));
        // By hand, from the layer table (docs/portfolio-margin.md, §4):
        const margin_status hand = equity <= 90.0    ? margin_status::liquidation
                                   : equity <= 120.0 ? margin_status::reduce_only
                                   : equity < 200.0  ? margin_status::margin_call
                                                     : margin_status::healthy;
        CHECK(f.status == hand);
    }
    // With the level at MM the 5-argument rule is the 4-argument one: reduce_only never occurs.
    const status_thresholds<double> venue{0.5, 0.8, false};
    for (double equity = -20.0; equity <= 400.0; equity += 0.5) {
        CHECK(classify_margin(equity, 200.0, 120.0, venue, 120.0) == classify_margin(equity, 200.0, 120.0, venue));
        CHECK(classify_margin(equity, 200.0, 120.0, venue) != margin_status::reduce_only);
    }
}

TEST_CASE("layered margin rejects bad input with the library's message", "[stress][layered][errors]") {
    REQUIRE_THROWS_MATCHES((layered_margin<double, per_contract>{per_contract{}, 1.0}), invalid_argument,
                           Message("layered_margin: liquidation_buffer is 1, but must be in [0, 1)"));
    REQUIRE_THROWS_MATCHES((layered_margin<double, per_contract>{per_contract{}, -0.1}), invalid_argument,
                           Message("layered_margin: liquidation_buffer is -0.1, but must be in [0, 1)"));
    const stress_book<double> b{100.0, {}, {{1.0}}};
    const layered_margin<double, per_contract> m{per_contract{}, 0.1};
    REQUIRE_THROWS_MATCHES(m.evaluate(b, std::numeric_limits<double>::infinity()), invalid_argument, Message("layered_margin: equity is inf, but must be finite"));
    const layered_margin<double, inverted> bad{inverted{}, 0.1};
    REQUIRE_THROWS_MATCHES(bad.evaluate(b, 10.0), invalid_argument,
                           Message("layered_margin: initial margin is 1, but must be >= maintenance margin (2)"));
}
