// Tests of include/margincall/calculator/policy_concepts.hpp: truth tables of the slot concepts.
#include <margincall/calculator.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>
#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/stress/span_margin.hpp>
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

static_assert(has_model_leg_prices<model_liquidation<double>, tested_account, position_rate_margin, double>);
static_assert(!has_model_leg_prices<generic_liquidation<double>, tested_account, position_rate_margin, double>);
static_assert(!has_model_leg_prices<good_solver, tested_account, position_rate_margin, double>);
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

// The snippet of docs/policies.md, "margin_model" (account-level models), as written there.
namespace docs_snippet {
namespace mc = margincall;
struct span_clearing : mc::default_policies<double> {
    using margin_model = mc::book_margin_account<double, mc::span_margin<double>>;
    using liquidation_solver = mc::model_liquidation<double>;
};
using calculator = mc::margin_call_calculator<span_clearing>;

mc::margin_report<double> run() {
    const auto cme = mc::cme_span_scenarios<double>();
    const std::vector<mc::span_scenario<double>> scenarios(cme.begin(), cme.end());
    // S&P futures, 500 USD per point: price scan range 20 points; search liquidation within ±50 %.
    calculator calc(calculator::settings{
        .margin = span_clearing::margin_model({mc::span_margin<double>({20.0, 0.0}, scenarios)}),
        .liquidation = mc::model_liquidation<double>{0.5, 2.0, {}}});
    auto member = calc.make_account(62'000.0);
    using futures = mc::position<mc::linear_contract<double>, mc::no_position_margin<double>>;
    member.add_position(futures(mc::no_position_margin<double>::instance(),
                                {.symbol = 0, .contract = mc::linear_contract<double>(500.0), .leverage = 1.0,
                                 .quantity = 3.0, .entry_price = 4'100.0}));
    const std::vector<double> marks{4'080.0};
    auto report = calc.evaluate(member, marks);  // MM 30,000 (3 × 10,000), IM 33,000, call 1,000
    return report;
}
}  // namespace docs_snippet

TEST_CASE("the account-level snippet of docs/policies.md compiles and gives its figures", "[calculator][docs]") {
    // McMillan's S&P futures row: 20 points × 500 USD = 10,000 per contract (docs/portfolio-margin.md).
    const auto r = docs_snippet::run();
    CHECK_THAT(r.maintenance_margin, Catch::Matchers::WithinAbs(30000.0, 1e-6));
    CHECK_THAT(r.initial_margin, Catch::Matchers::WithinAbs(33000.0, 1e-6));
    CHECK_THAT(r.call_amount, Catch::Matchers::WithinAbs(1000.0, 1e-6));
}
