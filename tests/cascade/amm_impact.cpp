// AMM impact policies against their invariants' closed forms (worked in the comments) and, for
// StableSwap, against tests/reference/amm_stableswap.py (Curve's integer Newton iterations).
#include "catch.hpp"
#include "lending/reference_values.hpp"

#include <margincall/cascade/amm_concentrated_liquidity.hpp>
#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/amm_stableswap.hpp>
#include <margincall/cascade/price_impact.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace mc = margincall;

static_assert(mc::price_impact<mc::constant_product_impact<double>, double>);
static_assert(mc::price_impact<mc::concentrated_liquidity_impact<double>, double>);
static_assert(mc::price_impact<mc::stableswap_impact<double>, double>);

TEST_CASE("constant product: Uniswap v2 getAmountOut / getAmountIn and the x·y = k state", "[cascade][amm]") {
    // 1,000 base and 2,000,000 quote: spot 2,000, k = 2e9, fee 0.3 %.
    const mc::constant_product_impact<double> pool(1000, 2e6);
    // Selling 10 base: out = 10·0.997·2e6/(1000 + 9.97) = 19,743.16...
    const double out = 9.97 * 2e6 / 1009.97;
    CHECK(mc::constant_product_amount_out(10.0, 1000.0, 2e6) == Approx(out).epsilon(1e-15));
    CHECK(pool.average_price(2000, 0, -10) == Approx(out / 10).epsilon(1e-14));
    // Buying 10 base: in = 2e6·10/(990·0.997).
    const double in = 2e6 * 10 / (990 * 0.997);
    CHECK(mc::constant_product_amount_in(10.0, 2e6, 1000.0) == Approx(in).epsilon(1e-15));
    CHECK(pool.average_price(2000, 0, 10) == Approx(in / 10).epsilon(1e-14));
    // The mark after selling 10: y/x = k/1010² = 2e9/1,020,100.
    CHECK(pool.price(2000, -10) == Approx(2e9 / (1010.0 * 1010.0)).epsilon(1e-14));
    // A second sale of 10 fills as getAmountOut from the state x = 1,010, y = k/1,010.
    CHECK(pool.average_price(2000, -10, -20) ==
          Approx(mc::constant_product_amount_out(10.0, 1010.0, 2e9 / 1010) / 10).epsilon(1e-13));
    // The reference price scales the pool's relative impact.
    CHECK(pool.price(1000, -10) == Approx(pool.price(2000, -10) / 2).epsilon(1e-15));
    // x·y = k along the curve: quote_between is the change of y = k/x.
    CHECK(pool.curve().quote_between(0, -250) == Approx(2e9 / 1250 - 2e6).epsilon(1e-14));
    CHECK(pool.recover(5.0) == 5.0);
    // Zero liquidity and a purchase beyond the reserve are refused.
    CHECK_THROWS_WITH(mc::constant_product_impact<double>(0, 2e6), Contains("base_reserve is 0"));
    CHECK_THROWS_WITH(pool.price(2000, 1000), Contains("the displacement is 1000"));
    CHECK_THROWS_WITH(mc::constant_product_impact<double>(1000, 2e6, 1.0), Contains("fee is 1"));
}

TEST_CASE("concentrated liquidity: one range is x·y = L² on virtual reserves", "[cascade][amm]") {
    // One range around price 2,000 with L = 1e5: virtual reserves x = L/√P, y = L·√P.
    const double L = 1e5;
    const double p0 = 2000;
    const std::vector<mc::liquidity_range<double>> ranges{{.tick_lower = 70000, .tick_upper = 82000, .liquidity = L}};
    const mc::concentrated_liquidity_impact<double> v3(p0, ranges, 0.003);
    const mc::constant_product_impact<double> v2(L / std::sqrt(p0), L * std::sqrt(p0), 0.003);
    for (const double q : {-50.0, -5.0, 3.0, 40.0}) {
        CHECK(v3.price(p0, q) == Approx(v2.price(p0, q)).epsilon(1e-12));
        CHECK(v3.average_price(p0, 0, q) == Approx(v2.average_price(p0, 0, q)).epsilon(1e-12));
    }
    // The range ends at tick 82,000: the base left above the price is L·(1/√P0 − 1/√P(82,000)).
    const double depth = L * (1 / std::sqrt(p0) - 1 / std::pow(1.0001, 41000.0));
    CHECK(v3.curve().max_purchase() == Approx(depth).epsilon(1e-12));
    CHECK_THROWS_WITH(v3.price(p0, depth * 1.001), Contains("inside the pool's depth"));
}

TEST_CASE("concentrated liquidity: crossing initialised ticks changes the liquidity", "[cascade][amm]") {
    // Price 1 (tick 0). Ranges [−1000, 1000) with L1 = 1000 and [0, 2000) with L2 = 500: active 1,500.
    const double L1 = 1000;
    const double L2 = 500;
    const std::vector<mc::liquidity_range<double>> ranges{{-1000, 1000, L1}, {0, 2000, L2}};
    const mc::concentrated_liquidity_curve<double> c(1.0, ranges);
    const double s1000 = std::pow(1.0001, 500.0);  // √P at tick 1,000
    const double s2000 = std::pow(1.0001, 1000.0);
    const double sm1000 = std::pow(1.0001, -500.0);
    CHECK(c.liquidity(0.1) == L1 + L2);
    // Up to tick 1,000: Δx = 1,500·(1 − 1/s1000); then 500·(1/s1000 − 1/s2000) more.
    const double first = (L1 + L2) * (1 - 1 / s1000);
    const double second = L2 * (1 / s1000 - 1 / s2000);
    CHECK(c.max_purchase() == Approx(first + second).epsilon(1e-13));
    // Buying first + 10: past tick 1,000 with L2 only: 1/√P = 1/s1000 − 10/500.
    const double s_after = 1 / (1 / s1000 - 10 / L2);
    CHECK(c.liquidity(first + 10) == L2);
    CHECK(c.marginal_price(first + 10) == Approx(s_after * s_after).epsilon(1e-13));
    // Quote paid: 1,500·(s1000 − 1) + 500·(s_after − s1000).
    CHECK(c.quote_between(0, first + 10) == Approx((L1 + L2) * (s1000 - 1) + L2 * (s_after - s1000)).epsilon(1e-13));
    // Selling: below tick 0 only L1 is active; down to tick −1,000 the pool takes L1·(1/sm1000 − 1).
    CHECK(c.liquidity(-0.1) == L1);
    CHECK(c.max_sale() == Approx(L1 * (1 / sm1000 - 1)).epsilon(1e-13));
    const double s_down = 1 / (1 + 20 / L1);
    CHECK(c.marginal_price(-20) == Approx(s_down * s_down).epsilon(1e-14));
    CHECK_THROWS_WITH(mc::concentrated_liquidity_curve<double>(1.0, {{10, 10, 1.0}}), Contains("ranges[0].tick_lower is 10"));
    CHECK_THROWS_WITH(mc::concentrated_liquidity_curve<double>(1.0, {{0, 10, 0.0}}), Contains("ranges[0].liquidity is 0"));
    CHECK_THROWS_WITH(mc::concentrated_liquidity_curve<double>(1.0, {}), Contains("the number of ranges is 0"));
}

TEST_CASE("stableswap: get_D, get_y, get_dy and the spot price against Curve's integer iterations", "[cascade][amm]") {
    const auto ref = mc::test::read_reference_values("amm_stableswap.out");
    struct pool_case {
        const char* name;
        double x, y, amp;
    };
    for (const auto& p : {pool_case{"balanced", 1e6, 1e6, 100}, pool_case{"skewed", 1.5e6, 5e5, 100},
                          pool_case{"low_amp", 1.2e6, 8e5, 5}}) {
        const std::string n = p.name;
        const auto d = mc::stableswap_invariant(p.x, p.y, p.amp);
        REQUIRE(d.found());
        CHECK(d.root == Approx(ref.at(n + ".D")).epsilon(1e-13));
        const auto y = mc::stableswap_other_balance(p.x + 1e4, d.root, p.amp);
        REQUIRE(y.found());
        CHECK(y.root == Approx(ref.at(n + ".y_after_sale")).epsilon(1e-12));
        // The invariant holds at the new balances: Ann·(x + y) + D = Ann·D + D³/(4xy).
        const double ann = 2 * p.amp;
        const double xn = p.x + 1e4;
        CHECK(ann * (xn + y.root) + d.root == Approx(ann * d.root + d.root * d.root * d.root / (4 * xn * y.root)).epsilon(1e-13));
        // get_dy with a 4 bp fee on the output = the impact policy's fill for a sale of 10,000.
        const mc::stableswap_impact<double> pool(p.x, p.y, p.amp, 0.0004);
        const double spot = pool.curve().marginal_price(0);
        CHECK(spot == Approx(ref.at(n + ".spot")).epsilon(1e-10));
        CHECK(pool.average_price(spot, 0, -1e4) * 1e4 == Approx(ref.at(n + ".dy_sale_fee4bp")).epsilon(1e-11));
    }
}

TEST_CASE("stableswap: the iteration budget reports running out", "[cascade][amm]") {
    const auto d = mc::stableswap_invariant(1.5e6, 5e5, 100.0, {.max_iterations = 1});
    CHECK(d.status == mc::solve_status::no_convergence);
    CHECK(d.evaluations == 1);
    CHECK_THROWS_AS(mc::stableswap_curve<double>(1.5e6, 5e5, 100.0, {.max_iterations = 1}), mc::convergence_error);
    CHECK_THROWS_WITH(mc::stableswap_invariant(0.0, 1.0, 100.0), Contains("stableswap_invariant: x is 0"));
    // A budget that cannot run is refused by name, not reported as running out.
    CHECK_THROWS_WITH(mc::stableswap_invariant(1.5e6, 5e5, 100.0, {.max_iterations = 0}),
                      Contains("stableswap_invariant: budget.max_iterations is 0"));
    CHECK_THROWS_WITH(mc::stableswap_other_balance(1.5e6, 2e6, 100.0, {.max_iterations = 8, .relative_tolerance = -1.0}),
                      Contains("budget.relative_tolerance is -1"));
    CHECK_THROWS_WITH(mc::stableswap_impact<double>(1e6, 1e6, 0.0, 0.0004), Contains("amp is 0"));
}
