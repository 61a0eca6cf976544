// Tests of include/margincall/cascade/keeper_model.hpp (decision rule by hand).
#include <margincall/cascade/keeper_model.hpp>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("keeper executes when its share of the fee covers the cost", "[cascade][keeper]") {
    // Gas 2 USDT, 50 % of a 0.5 % fee: worth it from a 800 USDT notional (0.5 × 0.005 × 800 = 2).
    const keeper_model<double> k(3, 2.0, 0.5);
    CHECK(k.worth_executing(0.005 * 800.0));
    CHECK(!k.worth_executing(0.005 * 799.0));
    CHECK(k.reward(4.0) == 2.0);
    CHECK(k.delay_steps() == 3);
    CHECK(k.cost_per_liquidation() == 2.0);
    CHECK(k.reward_share() == 0.5);
    // Zero cost: every liquidation is worth executing, even with no reward.
    CHECK(keeper_model<double>(0, 0.0, 0.0).worth_executing(0.0));
}

TEST_CASE("keeper: bad parameters", "[cascade][keeper][errors]") {
    REQUIRE_THROWS_MATCHES(keeper_model<double>(0, -1.0, 0.5), invalid_argument,
                           Message("keeper_model: cost_per_liquidation is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(keeper_model<double>(0, 1.0, 1.5), invalid_argument,
                           Message("keeper_model: reward_share is 1.5, but must be in [0, 1]"));
}
