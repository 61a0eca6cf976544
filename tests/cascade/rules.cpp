// The numbered rules of docs/cascades.md §12 ("The accounting rules"), one test per rule, each
// on a book small enough to settle by hand in the comments. Expected values are those hand
// computations, never the simulator's output. Money is in integer cents (half away from zero).
#include <margincall/cascade/cascade_simulator.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "soa_book.hpp"

using namespace margincall;
using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

using cascade_test::soa;

// The stored index of input account `original`.
std::size_t stored(const liquidation_book<double>& b, std::size_t original) {
    for (std::size_t i = 0; i < b.size(); ++i)
        if (b.original_index(i) == original) return i;
    return b.size();
}

using sim = cascade_simulator<double>;

// Rules C1 and C2. Long A: q = 1, E = 100, C = 5, m = 0 → LP = BP = 95. Long B: q = 1, E = 100,
// C = 10, m = 5 % → LP = (100 − 10)/(1 − 0.05) = 94.74. No impact, fee φ = 1 %, keeper with no
// delay, no cost and half the fee; a move to 93 crosses both and fills them at 93.
//   A: cash 5 + (93 − 100) = −2.00 → fee min(0.93, max(−2, 0)) = 0, deficit 200 cents.
//   B: cash 10 − 7 = 3.00 → fee 1 % × 93 = 93 cents (≤ 300); keeper round(0.5 × 93) = 47
//      (46.5, half away from zero); the fund gets 93 − 47 = 46.
// The fees reach the fund before the step's deficits are paid: the fund pays 46 of A's 200,
// bad debt 154.
cascade_outcome<double> fee_run(cascade_workspace<double>& ws, const liquidation_book<double>& b) {
    const sim s(linear_impact<double>(0.0),
                {sim::venue{&b, {}, {0.0, 0.01, residual_loss::bad_debt}, keeper_model<double>(0, 0.0, 0.5)}});
    return s.run(exogenous_shock<double>::instant_absolute(100.0, -7.0), ws);
}

soa fee_book() {
    soa s;
    s.add(1.0, 100.0, 5.0, 0.0);
    s.add(1.0, 100.0, 10.0, 0.05);
    return s;
}

// Rule C4: one venue with no impact, no fee, no fund and socialised loss, run to the fixed point.
cascade_outcome<double> socialised_run(const liquidation_book<double>& b, const exogenous_shock<double>& shock,
                                       cascade_workspace<double>& ws) {
    const sim soc(linear_impact<double>(0.0), {sim::venue{&b, {}, {0.0, 0.0, residual_loss::socialised}, {}}});
    return soc.run(shock, ws);
}

// Rules C7 and C10: venue A holds a long q = 1, E = 100, C = 5 (LP 95); venue B a long q = 1,
// E = 100, C = 5.5 (LP 94.5); both m = 0.
std::pair<liquidation_book<double>, liquidation_book<double>> two_venues() {
    soa sa, sb;
    sa.add(1.0, 100.0, 5.0, 0.0);
    sb.add(1.0, 100.0, 5.5, 0.0);
    return {sa.book(), sb.book()};
}

}  // namespace

TEST_CASE("rule C1: only forced closes pay a fee, capped by the cash left; the keeper's share is of the fee charged",
          "[cascade][rules]") {
    const auto b = fee_book().book();
    cascade_workspace<double> ws;
    const auto out = fee_run(ws, b);
    const auto& led = out.venues[0].ledger;
    CHECK(out.venues[0].liquidated_count == 2);
    CHECK(led.fees == 93);            // A paid none (closed beyond bankruptcy), B 93 cents
    CHECK(led.keeper_rewards == 47);  // round(0.5 × 93), not 0.5 × (93 + 93)
    CHECK(ws.venues[0].collateral[stored(b, 1)] == 300 - 93);
    CHECK(led.balanced());
}

TEST_CASE("rule C2: a step's fees reach the fund before that step's deficits are paid from it", "[cascade][rules]") {
    const auto b = fee_book().book();
    cascade_workspace<double> ws;
    const auto out = fee_run(ws, b);
    const auto& led = out.venues[0].ledger;
    CHECK(led.fund_payouts == 46);  // the fund started at 0: it pays out of this step's fees
    CHECK(led.bad_debt == 200 - 46);
    CHECK(led.fund == 0);
    CHECK(led.fund == led.initial_fund + led.fees - led.keeper_rewards - led.fund_payouts);
    CHECK(led.balanced());
}

TEST_CASE("rule C3: ADL ranks at the mark those profitable at the mark and at the bankruptcy price, closes at the "
          "bankruptcy price with no fee and no impact, cover capped",
          "[cascade][rules]") {
    // Two longs q = 1, E = 100, C = 5, m = 0 (LP = BP = 95); short S: q = −5, E = 92.5, C = 100;
    // short S2: q = −5, E = 95.1, C = 1,000.
    // λ = 1.00354, a move to 94: V = −2, mark P₁ = 94 − 2λ = 91.99292, fill X = 94 − λ = 92.99646.
    // Each long: PnL to_cents(−7.00354) = −700 → cash −200; D = 400 cents, fund 0, φ = 1 %.
    // Both shorts are profitable at the mark. BitMEX scores at P₁ (PNL% × |q·P₁|/(q·P₁ − q·BP)):
    //   S:  BP = 92.5 + 100/5 = 112.5, PNL% = 0.50708/92.5 = 0.0054820, EL = 459.9646/102.5354
    //       = 4.48592 → 0.024592;
    //   S2: BP = 95.1 + 1,000/5 = 295.1, PNL% = 3.10708/95.1 = 0.032672, EL = 459.9646/1,015.5354
    //       = 0.452928 → 0.014798;
    // so S ranks first, but at B̄ = 95 S would lose (its entry 92.5 < 95): it is no candidate.
    // S2 (95.1 > 95) takes over θ·Q = 2 units at B̄ = 95, realising (−2)·(95 − 95.1) = +0.20:
    // cash 1,000.20, quantity −3; S keeps its 100.00 and −5. No fee, and the price does not move
    // (the final mark is P₁). The longs' improvement 2 × (95 − 92.99646) = 4.00708 → 401 cents
    // exceeds the residual 400 by rounding: capped at 400.
    soa s;
    s.add(1.0, 100.0, 5.0, 0.0);
    s.add(1.0, 100.0, 5.0, 0.0);
    s.add(-5.0, 92.5, 100.0, 0.0);
    s.add(-5.0, 95.1, 1000.0, 0.0);
    const auto b = s.book();
    const double lambda = 1.00354;
    const sim adl(linear_impact<double>(lambda), {sim::venue{&b, {}, {0.0, 0.01, residual_loss::auto_deleveraging}, {}}});
    cascade_workspace<double> ws;
    const auto out = adl.run(exogenous_shock<double>::instant_absolute(100.0, -6.0), ws);
    const auto& v = out.venues[0];
    CHECK_THAT(v.steps[0].execution_price, WithinAbs(94.0 - lambda, 1e-12));
    CHECK(v.adl_count == 1);
    CHECK(v.ledger.adl_covered == 400);
    CHECK(v.ledger.bad_debt == 0);
    CHECK(v.ledger.fees == 0);
    CHECK(v.ledger.fund == 0);
    CHECK(v.ledger.fund_payouts + v.ledger.adl_covered + v.ledger.socialised + v.ledger.bad_debt == 400);
    CHECK(ws.venues[0].quantity[stored(b, 2)] == -5.0);
    CHECK(ws.venues[0].collateral[stored(b, 2)] == 10000);
    CHECK(ws.venues[0].quantity[stored(b, 3)] == -3.0);
    CHECK(ws.venues[0].collateral[stored(b, 3)] == 100000 + 20);
    CHECK_THAT(out.final_price, WithinAbs(94.0 - 2.0 * lambda, 1e-12));
    CHECK(v.ledger.balanced());
    // The BitMEX PNL% divides by |AvgEntryValue| = |q|·E: a short q = −1, E = 100 marked at 90
    // with bankruptcy price 120: PNL% = (−90 + 100)/100 = 0.1, EL = 90/(−90 + 120) = 3 → 0.3.
    CHECK_THAT(bitmex_adl_score(-90.0, -100.0, -120.0), WithinRel(0.3, 1e-15));
}

TEST_CASE("rule C4: socialised loss on profits at the mark in cents, net of earlier charges, capped by cash, ties in "
          "index order",
          "[cascade][rules]") {
    SECTION("the cap is the account's cash when its profit at the mark is larger") {
        // No impact, no fee, a move to 94. Long A: q = 2, E = 100, C = 4 (BP = LP = 98): cash
        // 4 − 12 = −8.00, deficit 800 cents, fund 0. Shorts S1: q = −1, E = 100, C = 2 (LP 102) and
        // S2: q = −1, E = 100, C = 50 (LP 150), each 600 cents of profit at 94. S1's chargeable
        // profit is min(600, its cash 200) = 200, S2's 600: Σ 800 = R, so S1 pays 200 (cash 0) and
        // S2 600 (cash 44.00); no bad debt. (On profits alone, 400 each would leave S1 at −2.00.)
        soa s;
        s.add(2.0, 100.0, 4.0, 0.0);
        s.add(-1.0, 100.0, 2.0, 0.0);
        s.add(-1.0, 100.0, 50.0, 0.0);
        const auto b = s.book();
        cascade_workspace<double> ws;
        const auto out = socialised_run(b, exogenous_shock<double>::instant_absolute(100.0, -6.0), ws);
        const auto& led = out.venues[0].ledger;
        CHECK(led.socialised == 800);
        CHECK(led.bad_debt == 0);
        CHECK(ws.venues[0].collateral[stored(b, 1)] == 0);
        CHECK(ws.venues[0].collateral[stored(b, 2)] == 5000 - 600);
        CHECK(ws.venues[0].quantity[stored(b, 1)] == -1.0);  // still open: its 6.00 of profit is its equity
        CHECK(led.balanced());
    }
    SECTION("the cap is net of what earlier steps charged") {
        // No impact, no fee, path 94 then 93. Long A1: q = 1, E = 100, C = 5 (BP = LP = 95);
        // long A2: q = 3, E = 100, C = 19.5 (BP = LP = 93.5); short S: q = −1, E = 94.6, C = 100.
        // Step 1 at 94: A1's deficit 100 cents; S's profit 0.6 → 60: charged 60, bad debt 40.
        // Step 2 at 93: A2's deficit 3 × 0.5 = 150; S's profit 1.6 → 160, less the 60 already
        // charged: 100 chargeable → charged 100, bad debt 50 (a gross cap would charge all 150).
        // S ends with 100 − 1.60 = 98.40 cash: at 93 its equity is 98.40 + 1.60 = 100.00, its
        // initial collateral: the socialised loss took all its profit and nothing more.
        soa s;
        s.add(1.0, 100.0, 5.0, 0.0);
        s.add(3.0, 100.0, 19.5, 0.0);
        s.add(-1.0, 94.6, 100.0, 0.0);
        const auto b = s.book();
        cascade_workspace<double> ws;
        const std::vector<double> path{94.0, 93.0};
        const auto out = socialised_run(b, exogenous_shock<double>::path(100.0, path), ws);
        const auto& led = out.venues[0].ledger;
        CHECK(led.socialised == 60 + 100);
        CHECK(led.bad_debt == 40 + 50);
        CHECK(ws.venues[0].collateral[stored(b, 2)] == 10000 - 160);
        // Σ deficits (100 + 150) = fund payouts + ADL + socialised + bad debt.
        CHECK(led.fund_payouts + led.adl_covered + led.socialised + led.bad_debt == 250);
        CHECK(led.balanced());
    }
    SECTION("largest remainder, ties to the first in the index's order") {
        // Long A: q = 1, E = 100, C = 4.99 (BP = LP = 95.01); at 94 its deficit is 101 cents.
        // Shorts S1: q = −1, E = 95, C = 10 (LP 105) and S2: q = −1, E = 95, C = 20 (LP 115), each
        // 100 cents of profit: 50.5 each → 50 + 50, remainders tied at 0.5: the last cent goes to
        // the short first in the index (shorts by LP ascending): S1 pays 51, S2 50.
        soa s;
        s.add(1.0, 100.0, 4.99, 0.0);
        s.add(-1.0, 95.0, 20.0, 0.0);
        s.add(-1.0, 95.0, 10.0, 0.0);
        const auto b = s.book();
        cascade_workspace<double> ws;
        const auto out = socialised_run(b, exogenous_shock<double>::instant_absolute(100.0, -6.0), ws);
        CHECK(out.venues[0].ledger.socialised == 101);
        CHECK(ws.venues[0].collateral[stored(b, 2)] == 1000 - 51);
        CHECK(ws.venues[0].collateral[stored(b, 1)] == 2000 - 50);
        CHECK(out.venues[0].ledger.balanced());
    }
}

TEST_CASE("rule C5: a partial close's fee is capped by the account's cash (default) or, by policy, its equity; an "
          "account bankrupt at the fill is closed in full",
          "[cascade][rules]") {
    // Long q = 10, E = 110, C = 115, m = 2 %: LP = (1,100 − 115)/(10 × 0.98) = 100.51.
    // partial_close(b = 0), φ = 1 %. One step driven by hand: crossings at the mark P = 100
    // (N = 1,000, e = 115 − 100 = 15, f = (0.02 × 1,000 − 15)/(0.02 × 1,000 − 0.01 × 1,000) = 0.5),
    // then settlement at the fill X = 99 with the mark after the batch P₁ = 98.5.
    //   closed 5: PnL 5 × (99 − 110) = −55 → cash 115 − 55 = 60.00; nominal fee 1 % × 5 × 99 = 4.95.
    //   cash cap:   fee min(4.95, 60) = 4.95 → collateral 55.05.
    //   equity cap: the 5 left are worth 5 × (98.5 − 110) = −57.50 at P₁, equity 60 − 57.5 = 2.50
    //               → fee 2.50, collateral 57.50 (the fee alone does not make the equity negative).
    soa s;
    s.add(10.0, 110.0, 115.0, 0.02);
    const auto b = s.book();
    using steps_t = cascade_steps<double, partial_close<double>>;
    auto settle = [&](fee_cap cap, cascade_workspace<double>& ws) {
        loss_waterfall<double> w{0.0, 0.01, residual_loss::bad_debt};
        w.fee_limit = cap;
        const steps_t steps({steps_t::venue{&b, partial_close<double>(0.0, 0.01), w, {}}});
        cascade_outcome<double> out;
        steps.prepare(ws, out);
        REQUIRE(steps.collect_step(ws, 1, 100.0));
        CHECK(steps.batch_volume(ws) == -5.0);
        steps.settle_step(ws, out, 100.0, 98.5, 99.0);
        CHECK(out.venues[0].ledger.balanced());
        return out.venues[0].ledger.fees;
    };
    cascade_workspace<double> ws;
    CHECK(settle(fee_cap::cash, ws) == 495);
    CHECK(ws.venues[0].collateral[0] == 5505);
    CHECK(ws.venues[0].quantity[0] == 5.0);
    CHECK(settle(fee_cap::equity, ws) == 250);
    CHECK(ws.venues[0].collateral[0] == 5750);
    CHECK(loss_waterfall<double>{}.fee_limit == fee_cap::cash);  // the documented default
    // Bankrupt at the fill: the same batch (f = 0.5 at P = 100) settled at X = 98, beyond the
    // bankruptcy price 110 − 115/10 = 98.5 (115 + 10 × (98 − 110) = −5.00 < 0), P₁ = 97.5. The
    // account is closed in full, not kept open with 5 units: PnL 10 × (98 − 110) = −120 → cash
    // −5.00, no fee, a deficit of 500 cents, bad debt (no fund); collateral 0, quantity 0, the
    // notional 10 × 98 = 980 at the fill. The batch's volume (−5, sized at P) moved the price.
    loss_waterfall<double> w{0.0, 0.01, residual_loss::bad_debt};
    const steps_t steps({steps_t::venue{&b, partial_close<double>(0.0, 0.01), w, {}}});
    cascade_outcome<double> out;
    steps.prepare(ws, out);
    REQUIRE(steps.collect_step(ws, 1, 100.0));
    CHECK(steps.batch_volume(ws) == -5.0);
    steps.settle_step(ws, out, 100.0, 97.5, 98.0);
    const auto& led = out.venues[0].ledger;
    CHECK(ws.venues[0].quantity[0] == 0.0);
    CHECK(ws.venues[0].collateral[0] == 0);
    CHECK(led.fees == 0);
    CHECK(led.bad_debt == 500);
    CHECK(out.venues[0].liquidated_notional == 980.0);
    CHECK(led.balanced());
}

TEST_CASE("rule C6: a tiered partial close restores the margin of the position left, in its own tier",
          "[cascade][rules]") {
    // Brackets: [0, 1,000) at 1 %, [1,000, ∞) at 5 % (cum 1,000 × 0.04 = 40). Long q = 12, E = 100,
    // C = 69: LP = (69 + 40 − 1,200)/(12 × (0.05 − 1)) = 95.70 (notional 1,148: tier 2). At 95:
    // N = 1,140, MM = 57 − 40 = 17, e = 69 − 60 = 9. partial_close(b = 0), φ = 0:
    //   tier 2: f = (0.05 × 1,140 − 40 − 9)/(0.05 × 1,140) = 8/57 → 980 left, below the floor 1,000;
    //   tier 1: f = (0.01 × 1,140 − 9)/(0.01 × 1,140) = 2.4/11.4 = 4/19 → 900 left, MM 9 = e. ✓
    // The rate at the notional before the close (17/1,140) would close (17 − 9)/17 = 8/17 instead.
    const tier_schedule<double> tiers({{0.0, 1000.0, 50.0, 0.01}, {1000.0, std::numeric_limits<double>::infinity(), 10.0, 0.05}});
    const partial_close<double> policy(0.0, 0.01);
    CHECK_THAT(policy.close_fraction_tiered(9.0, 1140.0, 1140.0, tiers, 0.0), WithinRel(4.0 / 19.0, 1e-12));
    // Still inside tier 2 when the margin is nearly met: e = 16 → f = (57 − 40 − 16)/57 = 1/57
    // (1,120 left), raised to the default min_fraction 0.125 by the policy's clamp.
    CHECK(partial_close<double>(0.0).close_fraction_tiered(16.0, 1140.0, 1140.0, tiers, 0.0) == 0.125);
    CHECK_THAT(partial_close<double>(0.0, 0.001).close_fraction_tiered(16.0, 1140.0, 1140.0, tiers, 0.0),
               WithinRel(1.0 / 57.0, 1e-12));
    // The simulator uses it: no impact, a move to 95 closes 12 × 4/19 units, notional 240 at the fill.
    const std::vector<double> q{12.0}, e{100.0}, c{69.0};
    const liquidation_book<double> b(q, e, c, tiers);
    using psim = cascade_simulator<double, linear_impact<double>, partial_close<double>>;
    const psim p(linear_impact<double>(0.0), {psim::venue{&b, policy, {0.0, 0.0, residual_loss::bad_debt}, {}}});
    cascade_workspace<double> ws;
    const auto out = p.run(exogenous_shock<double>::instant_absolute(100.0, -5.0), ws);
    CHECK(out.venues[0].liquidated_count == 1);
    CHECK_THAT(out.venues[0].liquidated_notional, WithinRel(240.0, 1e-12));
    CHECK_THAT(ws.venues[0].quantity[0], WithinRel(12.0 * 15.0 / 19.0, 1e-12));
}

TEST_CASE("rule C7: all venues of a run fill at the one price of the step", "[cascade][rules]") {
    // two_venues(): A's long has LP 95, B's LP 94.5. λ = 1, a move to 94 crosses both: V = −2,
    // P₁ = 92, both fill at the VWAP 94 − 1 = 93 (and, for a call auction, both at P₁ = 92).
    const auto books = two_venues();
    const auto& a = books.first;
    const auto& b = books.second;
    const auto shock = exogenous_shock<double>::instant_absolute(100.0, -6.0);
    const sim s(linear_impact<double>(1.0), {sim::venue{&a, {}, {}, {}}, sim::venue{&b, {}, {}, {}}});
    const auto out = s.run(shock);
    CHECK(out.venues[0].steps[0].execution_price == 93.0);
    CHECK(out.venues[1].steps[0].execution_price == 93.0);
    using asim = cascade_simulator<double, linear_impact<double>, call_auction>;
    const asim auction(linear_impact<double>(1.0), {asim::venue{&a, {}, {}, {}}, asim::venue{&b, {}, {}, {}}});
    const auto cleared = auction.run(shock);
    CHECK(cleared.venues[0].steps[0].execution_price == 92.0);
    CHECK(cleared.venues[1].steps[0].execution_price == 92.0);
}

TEST_CASE("rule C8: abandoned accounts are re-tested every step and do not keep the run going", "[cascade][rules]") {
    // Long q = 1, E = 100, C = 5, m = 0 (LP 95); no impact; fee 0.5 %, keeper: no delay, cost
    // 0.466, the whole fee. At 90 the fee would be 0.45 < 0.466: abandoned; at 94 (still below
    // the LP) 0.47 ≥ 0.466: executed.
    soa s;
    s.add(1.0, 100.0, 5.0, 0.0);
    const auto b = s.book();
    const sim k(linear_impact<double>(0.0),
                {sim::venue{&b, {}, {0.0, 0.005, residual_loss::bad_debt}, keeper_model<double>(0, 0.466, 1.0)}});
    {
        // A move to 90: abandoned at step 1, re-tested and still abandoned at step 2, where nothing
        // crossed, traded or is pending: the run stops there. Exposure 1 × 90, bad debt
        // −(5 + (90 − 100)) = 5.
        const auto out = k.run(exogenous_shock<double>::instant_absolute(100.0, -10.0));
        CHECK(out.converged);
        CHECK(out.prices.size() == 2);
        CHECK(out.steps_to_fixed_point == 0);
        CHECK(out.venues[0].liquidated_count == 0);
        CHECK(out.venues[0].unliquidated_exposure == 90.0);
        CHECK(out.venues[0].unliquidated_bad_debt == 5.0);
    }
    {
        // Path 90 then 94: abandoned at step 1, executed at step 2 at the fill 94 (cash 5 − 6 = −1:
        // no fee, a deficit of 100 cents, bad debt with no fund), nothing at step 3.
        const std::vector<double> path{90.0, 94.0};
        const auto out = k.run(exogenous_shock<double>::path(100.0, path));
        CHECK(out.steps_to_fixed_point == 2);
        CHECK(out.prices.size() == 3);
        CHECK(out.venues[0].liquidated_count == 1);
        CHECK(out.venues[0].steps[1].liquidated_count == 1);
        CHECK(out.venues[0].ledger.bad_debt == 100);
        CHECK(out.venues[0].unliquidated_exposure == 0.0);
    }
}

TEST_CASE("rule C9: the instant shock says whether its move is relative or absolute", "[cascade][rules]") {
    CHECK(exogenous_shock<double>::instant_relative(200.0, -0.25).reference_prices()[0] == 150.0);
    CHECK(exogenous_shock<double>::instant_absolute(200.0, -25.0).reference_prices()[0] == 175.0);
    REQUIRE_THROWS_MATCHES(exogenous_shock<double>::instant_absolute(200.0, -200.0), invalid_argument,
                           Message("exogenous_shock::instant_absolute: absolute_move is -200, but must be finite and "
                                   "> -start_price (200)"));
}

TEST_CASE("rule C10: steps to the fixed point count to the last trade; liquidated notional is at the fill",
          "[cascade][rules]") {
    // Rule C7's book: both longs close at step 1 at the fill 93 (mark 92); step 2 is quiet.
    const auto books = two_venues();
    const auto& a = books.first;
    const auto& b = books.second;
    const sim s(linear_impact<double>(1.0), {sim::venue{&a, {}, {}, {}}, sim::venue{&b, {}, {}, {}}});
    const auto out = s.run(exogenous_shock<double>::instant_absolute(100.0, -6.0));
    CHECK(out.steps_to_fixed_point == 1);
    CHECK(out.prices.size() == 2);
    CHECK(out.total_liquidated_notional() == 2.0 * 93.0);  // not 2 × 92 (the mark)
    CHECK(out.venues[0].steps[0].liquidated_notional == 93.0);
}
