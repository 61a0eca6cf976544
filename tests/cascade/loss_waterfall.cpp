// Tests of include/margincall/cascade/loss_waterfall.hpp: validation and the ledger identity.
#include <margincall/cascade/loss_waterfall.hpp>

#include <cmath>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("ledger: every transfer booked on two sides balances, one-sided does not", "[cascade][waterfall]") {
    cascade_ledger l;
    l.initial_collateral = l.collateral = 100000;
    l.initial_fund = l.fund = 5000;
    CHECK(l.balanced());
    // A long loses 300.00 against the market: collateral −30000, market +30000.
    l.collateral -= 30000;
    l.market += 30000;
    // Fee 10.00 from the account: 2.00 to the keeper, 8.00 to the fund.
    l.collateral -= 1000;
    l.keeper_rewards += 200;
    l.fund += 800;
    // A deficit of 70.00: the fund pays 58.00, 12.00 is bad debt.
    l.collateral += 7000;
    l.fund -= 5800;
    l.bad_debt += 1200;
    CHECK(l.balanced());
    l.fund += 1;  // a cent from nowhere
    CHECK(!l.balanced());
    CHECK(l.imbalance() == 1);
}

TEST_CASE("waterfall: bad parameters", "[cascade][waterfall][errors]") {
    const loss_waterfall<double> negative{-5.0, 0.01};
    REQUIRE_THROWS_MATCHES(negative.validate("venue"), invalid_argument,
                           Message("venue: insurance_fund is -5, but must be finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
    const loss_waterfall<double> nan_fee{0.0, std::nan("")};
    REQUIRE_THROWS_MATCHES(nan_fee.validate("venue"), invalid_argument,
                           Message("venue: liquidation_fee_rate is nan, but must be in [0, 1)"));
    CHECK_NOTHROW(loss_waterfall<double>{1e6, 0.005, residual_loss::socialised, adl_ranking::binance}.validate("venue"));
}
