// Tests of include/margincall/stress/layered_margin.hpp: the layer rule by hand at every boundary,
// a host-written model, and the error paths.
#include <margincall/stress/layered_margin.hpp>

#include <cmath>
#include <limits>

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

TEST_CASE("layers: IM 200, MM 120, buffer 25 % → liquidation below 90", "[stress][layered]") {
    const layered_margin<double, per_contract> m{per_contract{}, 0.25};
    const stress_book<double> b{100.0, {}, {{-2.0}}};
    using enum margin_layer;
    const auto at = [&](double equity) { return m.evaluate(b, equity); };
    CHECK(at(250).layer == none);
    CHECK(at(250).call_amount == 0.0);
    CHECK(at(200).layer == none);             // equity = IM: no call
    CHECK(at(199).layer == initial);
    CHECK(at(199).call_amount == 1.0);
    CHECK(at(120).layer == initial);          // equity = MM: still above the maintenance layer
    CHECK(at(119).layer == maintenance);
    CHECK(at(90).layer == maintenance);       // 120 × (1 − 0.25) = 90: the buffer's edge
    CHECK(at(90).liquidation_level == 90.0);
    CHECK(at(89.5).layer == liquidation);
    CHECK(at(-10).layer == liquidation);
    CHECK(at(-10).call_amount == 210.0);
    CHECK(classify_layers(std::nan(""), 2.0, 1.0, 0.0).layer == liquidation);  // NaN equity never looks healthy
    const layered_margin<double, per_contract> flat{per_contract{}, 0.0};  // buffer 0: liquidate at MM
    CHECK(flat.evaluate(b, 119.99).layer == liquidation);
    CHECK(std::string(to_string(maintenance)) == "maintenance_call");
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
