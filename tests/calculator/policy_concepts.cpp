// Tests of include/margincall/calculator/policy_concepts.hpp: truth tables of the slot concepts.
#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include "catch.hpp"

using namespace margincall;

namespace {
using tested_account = account<linear_contract<double>, tier_schedule<double>>;
struct good_solver {
    leg_prices<double> prices(const tested_account&, std::size_t, std::span<const double>) const { return {}; }
};
struct wrong_return_solver {
    liquidation_prices<double> prices(const tested_account&, std::size_t, std::span<const double>) const { return {}; }
};
struct non_const_solver {
    leg_prices<double> prices(const tested_account&, std::size_t, std::span<const double>) { return {}; }
};
struct mode_as_int {
    static constexpr int mode = 0;  // converts to nothing: position_mode is a scoped enum
};
struct wrong_estimator {
    double estimate(std::span<const double>, double) const { return 0; }
};
}  // namespace

static_assert(liquidation_solver<good_solver, tested_account, double>);
static_assert(!liquidation_solver<wrong_return_solver, tested_account, double>);
static_assert(!liquidation_solver<non_const_solver, tested_account, double>);
static_assert(!liquidation_solver<good_solver, tested_account, int>);
static_assert(account_mode_policy<one_way_mode>);
static_assert(account_mode_policy<hedge_mode>);
static_assert(!account_mode_policy<mode_as_int>);
static_assert(risk_measure<no_risk_measure, double>);
static_assert(risk_measure<normal_var<double>, double>);
static_assert(risk_measure<historical_simulation<double>, double>);
static_assert(!risk_measure<wrong_estimator, double>);

TEST_CASE("account modes carry their position_mode", "[calculator]") {
    CHECK(one_way_mode::mode == position_mode::one_way);
    CHECK(hedge_mode::mode == position_mode::hedge);
    const leg_prices<double> p{};
    CHECK(p.liquidation.downside.status == liquidation_status::unreachable);
    CHECK(p.bankruptcy.upside.price == 0.0);
}
