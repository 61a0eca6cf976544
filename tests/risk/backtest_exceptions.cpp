// Tests of include/margincall/risk/backtest_exceptions.hpp: the hit sequence I_t = 1{L_t > VaR_t}.
#include <margincall/risk/backtest_exceptions.hpp>

#include <limits>
#include <vector>

#include "catch.hpp"

using margincall::invalid_argument;

TEST_CASE("exceptions are strict exceedances of VaR by the loss", "[risk][backtest][exceptions]") {
    // Day by day: 1 > 2 no; 3 > 2 yes; 2 > 2 no (equality is not an exception: BCBS 1996 counts losses exceeding VaR);
    // −5 > −6 yes (a negative VaR is a forecast gain); 0 > 0.5 no.
    const std::vector<double> losses{1.0, 3.0, 2.0, -5.0, 0.0};
    const std::vector<double> var{2.0, 2.0, 2.0, -6.0, 0.5};
    bool hits[5] = {};
    CHECK(margincall::var_exceptions<double>(losses, var, hits) == 2);
    CHECK_FALSE(hits[0]);
    CHECK(hits[1]);
    CHECK_FALSE(hits[2]);
    CHECK(hits[3]);
    CHECK_FALSE(hits[4]);
    CHECK(margincall::count_var_exceptions<double>(losses, var) == 2);
}

TEST_CASE("exceptions reject bad input with the library's message", "[risk][backtest][exceptions][errors]") {
    const std::vector<double> losses{1.0, 2.0};
    const std::vector<double> short_var{1.0};
    const std::vector<double> none;
    bool hits[2] = {};
    REQUIRE_THROWS_MATCHES(margincall::count_var_exceptions<double>(losses, short_var), invalid_argument,
                           Message("count_var_exceptions: the size of value_at_risk is 1, but must be the size of losses (2)"));
    REQUIRE_THROWS_MATCHES(margincall::count_var_exceptions<double>(none, none), invalid_argument,
                           Message("count_var_exceptions: the size of losses is 0, but must be > 0"));
    const std::vector<double> nan_var{1.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(margincall::var_exceptions<double>(losses, nan_var, hits), invalid_argument,
                           Message("var_exceptions: value_at_risk[1] is nan, but must be finite"));
    const std::vector<double> inf_loss{std::numeric_limits<double>::infinity(), 1.0};
    REQUIRE_THROWS_MATCHES(margincall::var_exceptions<double>(inf_loss, losses, hits), invalid_argument,
                           Message("var_exceptions: losses[0] is inf, but must be finite"));
    bool one_hit[1] = {};
    REQUIRE_THROWS_MATCHES(margincall::var_exceptions<double>(losses, losses, one_hit), invalid_argument,
                           Message("var_exceptions: the size of hits is 1, but must be the size of losses (2)"));
}
