// Tests of include/margincall/cascade/cascade_steps.hpp: the step building blocks on their own
// (a hand-derived crossing and batch volume), a driver written from them that reproduces
// cascade_simulator's run exactly, and the messages naming the caller.
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/cascade_steps.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "catch.hpp"
#include "soa_book.hpp"

using namespace margincall;

namespace {

using cascade_test::soa;

soa random_book(std::size_t n, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> size(0.1, 5.0), lev(2.0, 60.0), rate(0.004, 0.02);
    std::bernoulli_distribution is_long(0.55);
    soa b;
    for (std::size_t i = 0; i < n; ++i) {
        const double q = size(gen) * (is_long(gen) ? 1.0 : -1.0);
        const double entry = 100.0;
        b.add(q, entry, (q < 0 ? -q : q) * entry / lev(gen), rate(gen));
    }
    return b;
}

// The driver of cascade_simulator::run for linear impact and an instant shock, written from
// the documented blocks (cascade_steps.hpp's step list) alone.
cascade_outcome<double> drive(const cascade_steps<double, partial_close<double>>& steps, const linear_impact<double>& impact,
                              double start, double reference, cascade_workspace<double>& ws) {
    cascade_outcome<double> out;
    steps.prepare(ws, out);
    double q = 0;
    for (std::size_t t = 1;; ++t) {
        if (t > 1) q = impact.recover(q);
        const double mark = impact.price(reference, q);
        const bool any = steps.collect_step(ws, t, mark);
        const double q_new = q + steps.batch_volume(ws);
        const double new_mark = impact.price(reference, q_new);
        const bool traded = steps.settle_step(ws, out, reference, new_mark, impact.average_price(reference, q, q_new));
        q = q_new;
        out.prices.push_back(new_mark);
        if (traded) out.steps_to_fixed_point = t;
        if (!any && !traded && !steps.pending(ws)) break;
    }
    out.start_price = start;
    out.final_price = out.prices.back();
    return out;
}

}  // namespace

TEST_CASE("collect_step crosses the longs whose liquidation price the mark reached; batch_volume sells them",
          "[cascade][steps]") {
    // Three longs of 1 at entry 100, rate 0, collateral 0.5, 1.5, 2.5: LP = E − C/q = 99.5, 98.5,
    // 97.5. A mark of 98 reaches the first two, so a full close sells 2: V = −2.
    soa s;
    s.add(1.0, 100.0, 0.5, 0.0);
    s.add(1.0, 100.0, 1.5, 0.0);
    s.add(1.0, 100.0, 2.5, 0.0);
    const auto b = s.book();
    const cascade_steps<double> steps({cascade_venue<double>{&b, {}, {}, {}}});
    CHECK(steps.liquidatable_long_quantity() == 3.0);
    CHECK(steps.total_short_quantity() == 0.0);
    cascade_workspace<double> ws;
    cascade_outcome<double> out;
    steps.prepare(ws, out);
    REQUIRE(out.venues.size() == 1);
    CHECK(out.venues[0].ledger.initial_collateral == 450);  // 0.5 + 1.5 + 2.5 = 4.50 in cents
    CHECK(steps.collect_step(ws, 1, 98.0));
    CHECK(steps.batch_volume(ws) == -2.0);
    // Filled at 98: realised PnL 2 × (98 − 100) = −4.00, no fee; cash 0.5 − 2 < 0 and 1.5 − 2 < 0,
    // so both end bankrupt and the deficits 1.50 + 0.50 = 2.00 become bad debt (fund 0).
    CHECK(steps.settle_step(ws, out, 98.0, 98.0, 98.0));
    CHECK(out.venues[0].liquidated_count == 2);
    CHECK(out.venues[0].ledger.bad_debt == 200);
    CHECK(out.venues[0].ledger.balanced());
    CHECK_FALSE(cascade_steps<double>::pending(ws));
    // Nothing more crosses at 98.
    CHECK_FALSE(steps.collect_step(ws, 2, 98.0));
    CHECK(steps.batch_volume(ws) == 0.0);
}

TEST_CASE("a driver written from the blocks reproduces cascade_simulator's run", "[cascade][steps]") {
    const auto b1 = random_book(2000, 11).book();
    const auto b2 = random_book(1500, 12).book();
    using sim = cascade_simulator<double, linear_impact<double>, partial_close<double>>;
    const std::vector<sim::venue> venues{
        sim::venue{&b1, partial_close<double>(0.2), {300.0, 0.005, residual_loss::auto_deleveraging, adl_ranking::binance},
                   keeper_model<double>(1, 0.05, 0.3)},
        sim::venue{&b2, partial_close<double>(0.2), {0.0, 0.004, residual_loss::socialised, adl_ranking::bitmex}, {}}};
    const linear_impact<double> impact(0.002, 0.5);
    const sim s(impact, venues);
    for (const double move : {-0.08, 0.07}) {
        const auto expected = s.run(exogenous_shock<double>::instant_relative(100.0, move));
        cascade_workspace<double> ws;
        const auto got = drive(s.steps(), impact, 100.0, 100.0 * (1 + move), ws);
        REQUIRE(got.prices.size() == expected.prices.size());
        for (std::size_t t = 0; t < got.prices.size(); ++t) CHECK(got.prices[t] == expected.prices[t]);
        CHECK(got.steps_to_fixed_point == expected.steps_to_fixed_point);
        for (std::size_t v = 0; v < 2; ++v) {
            const auto& x = got.venues[v];
            const auto& y = expected.venues[v];
            CHECK(x.liquidated_count == y.liquidated_count);
            CHECK(x.adl_count == y.adl_count);
            CHECK(x.ledger.collateral == y.ledger.collateral);
            CHECK(x.ledger.fund == y.ledger.fund);
            CHECK(x.ledger.socialised == y.ledger.socialised);
            CHECK(x.ledger.bad_debt == y.ledger.bad_debt);
            CHECK(x.ledger.balanced());
        }
        // The same workspace, reset by prepare, gives the same run again.
        const auto again = drive(s.steps(), impact, 100.0, 100.0 * (1 + move), ws);
        CHECK(again.venues[0].ledger.collateral == got.venues[0].ledger.collateral);
        CHECK(again.prices == got.prices);
    }
}

TEST_CASE("cascade_steps names its caller in messages", "[cascade][steps][errors]") {
    const auto b = random_book(10, 3).book();
    using steps = cascade_steps<double>;
    REQUIRE_THROWS_MATCHES(steps({}), invalid_argument,
                           Message("cascade_steps: the number of venues is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(steps({steps::venue{nullptr, {}, {}, {}}}, {}, "my_driver"), invalid_argument,
                           Message("my_driver: book of venue 0 is null, but must be a book"));
    REQUIRE_THROWS_MATCHES(steps({steps::venue{&b, {}, {0.0, 1.0}, {}}}, {}, "my_driver"), invalid_argument,
                           Message("my_driver: liquidation_fee_rate is 1, but must be in [0, 1)"));
}
