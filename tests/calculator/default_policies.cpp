// Tests of include/margincall/calculator/default_policies.hpp: the defaults fill every slot
// with a part satisfying its concept, for each real type.
#include <margincall/calculator/default_policies.hpp>

#include <type_traits>

#include "catch.hpp"

using namespace margincall;

TEMPLATE_TEST_CASE("default policy bag", "[calculator]", float, double, long double) {
    using P = default_policies<TestType>;
    using tested_account = account<typename P::contract, typename P::margin_model, TestType>;
    STATIC_REQUIRE(std::is_same_v<typename P::real_type, TestType>);
    STATIC_REQUIRE(margincall::contract<typename P::contract, TestType>);
    STATIC_REQUIRE(margin_rate_model<typename P::margin_model, TestType>);
    STATIC_REQUIRE(account_mode_policy<typename P::account_mode>);
    STATIC_REQUIRE(margincall::liquidation_solver<typename P::liquidation_solver, tested_account, TestType>);
    STATIC_REQUIRE(margincall::risk_measure<typename P::risk_measure, TestType>);
    STATIC_REQUIRE(margincall::alert_policy<typename P::alert_policy, TestType>);
    STATIC_REQUIRE(margincall::top_up_policy<typename P::top_up_policy, TestType>);
    STATIC_REQUIRE(margincall::reduction_policy<typename P::reduction_policy, tested_account, TestType>);
    CHECK(P::account_mode::mode == position_mode::one_way);
}
