// Tests of include/margincall/stress/named_scenarios.hpp: the shipped table is well formed, names are
// unique, the scenario (−30 % spot, volatility doubled) is there, and conversion is exact.
#include <margincall/stress/named_scenarios.hpp>

#include <algorithm>
#include <string_view>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("named scenarios: well formed, unique, and the issue's −30 %/vol ×2 present", "[stress][named]") {
    for (const auto& s : named_scenarios) {
        INFO(s.name);
        CHECK_NOTHROW(check_market_shock("named_scenarios", to_market_shock<double>(s)));
        CHECK(std::count_if(named_scenarios.begin(), named_scenarios.end(), [&](const named_scenario& t) { return t.name == s.name; }) == 1);
        CHECK(!s.description.empty());
    }
    const auto it = std::find_if(named_scenarios.begin(), named_scenarios.end(),
                                 [](const named_scenario& s) { return s.name == std::string_view("crash_30_vol_x2"); });
    REQUIRE(it != named_scenarios.end());
    constexpr auto m = to_market_shock<double>(named_scenarios[0]);
    static_assert(m.spot_move == -0.30 && m.vol_multiplier == 2.0);
    CHECK(to_market_shock<float>(*it).spot_move == -0.3f);
    CHECK(to_market_shock<long double>(*it).vol_multiplier == 2.0L);
}
