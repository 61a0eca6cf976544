// Push oracle: deviation threshold and heartbeat, worked by hand; a lending liquidation that
// waits for the oracle.
#include "catch.hpp"
#include "lending/reference_values.hpp"

#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/push_oracle.hpp>

#include <cmath>
#include <vector>

namespace mc = margincall;

TEST_CASE("push_oracle: posts on a 0.5 % deviation or a 3,600 s heartbeat", "[lending][oracle]") {
    mc::push_oracle<double> o(0.005, 3600);
    CHECK_FALSE(o.has_price());
    CHECK_THROWS_WITH(o.price(), Contains("no price yet"));
    CHECK(o.observe(0, 2000));           // first round
    CHECK_FALSE(o.observe(60, 2009));    // 0.45 %: stale
    CHECK(o.price() == 2000);
    CHECK(o.observe(120, 2010));         // 0.5 %: posts
    CHECK(o.price() == 2010);
    CHECK_FALSE(o.observe(3000, 2000));  // 0.497 %, 2,880 s: stale
    CHECK(o.observe(3720, 2001));        // 3,600 s since the post at 120: heartbeat
    CHECK(o.posted_at() == 3720);
    CHECK(o.rounds() == 3);
    CHECK_THROWS_WITH(o.observe(100, 2000), Contains("time is 100, but must be >= the last observation's time 3720"));
    CHECK(o.price() == 2001);  // nothing changed
    CHECK_THROWS_WITH(o.observe(4000, std::nan("")), Contains("market_price is nan"));
    CHECK_THROWS_WITH(mc::push_oracle<double>(-0.1, 3600), Contains("deviation is -0.1"));
    CHECK_THROWS_WITH(mc::push_oracle<double>(0.01, 0), Contains("heartbeat is 0"));
}

TEST_CASE("push_oracle_set: a liquidation waits for the oracle", "[lending][oracle]") {
    const mc::lending_market<double> m({{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05},
                                        {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045}});
    const mc::lending_account<double> a{.collateral = {10, 0}, .debt = {0, 16000}};
    mc::push_oracle_set<double> oracles({mc::push_oracle<double>(0.01, 3600), mc::push_oracle<double>(0.001, 86400)});
    CHECK_THROWS_WITH(oracles.prices(), Contains("oracles[0]'s rounds posted is 0"));
    const std::vector<double> start{2000, 1};
    CHECK(oracles.observe(0, start) == 2);
    // The market falls to 1,960 (−2 %... no: 1,985 is −0.75 %, under the 1 % threshold). HF at the
    // market: 10·1,985·0.825/16,000 = 1.0235; at 1,930 it would be 0.9952, liquidatable.
    const mc::aave_v3_liquidation<double> aave;
    const std::vector<double> dip{1985, 1};
    CHECK(oracles.observe(60, dip) == 0);
    const std::vector<double> crash{1930, 1};  // −3.5 % from the posted 2,000: posts
    CHECK(oracles.observe(120, crash) == 1);
    CHECK(aave.liquidatable(m, a, oracles.prices()));
    // A fall that stays under the threshold from the posted price is invisible until the heartbeat.
    mc::push_oracle_set<double> slow({mc::push_oracle<double>(0.05, 3600), mc::push_oracle<double>(0.05, 3600)});
    slow.observe(0, start);
    CHECK(slow.observe(60, crash) == 0);
    CHECK_FALSE(aave.liquidatable(m, a, slow.prices()));  // the protocol still sees 2,000
    CHECK(slow.observe(3600, crash) == 2);                // heartbeat: both post
    CHECK(aave.liquidatable(m, a, slow.prices()));
    const std::vector<double> bad{2000, -1};
    CHECK_THROWS_WITH(slow.observe(4000, bad), Contains("market_prices[1] is -1"));
}
