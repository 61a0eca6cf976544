// Tests of include/margincall/cascade/cascade_outcome.hpp: the totals are the sums the comments
// define (cash bad debt in cents plus the open positions' negative equity; sums over venues).
#include <margincall/cascade/cascade_outcome.hpp>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("venue and run totals", "[cascade][outcome]") {
    venue_outcome<double> a;
    a.ledger.bad_debt = 1250;  // 12.50
    a.unliquidated_bad_debt = 0.25;
    a.liquidated_notional = 1000.0;
    venue_outcome<double> b;
    b.ledger.bad_debt = 0;
    b.unliquidated_bad_debt = 3.0;
    b.liquidated_notional = 500.0;
    CHECK(a.total_bad_debt() == 12.75);
    cascade_outcome<double> run;
    CHECK(run.total_bad_debt() == 0.0);
    CHECK(run.amplification == 1.0);
    CHECK(run.converged);
    run.venues = {a, b};
    CHECK(run.total_bad_debt() == 15.75);
    CHECK(run.total_liquidated_notional() == 1500.0);
}
