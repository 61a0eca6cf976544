// The lending cascade: one step worked by hand (Aave's 50 % close factor, a Uniswap v2 sale),
// conservation of collateral and debt on a random book, the fixed point re-checked by brute
// force, the oracle's lag, and bad input.
#include "catch.hpp"
#include "lending/reference_values.hpp"

#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/lending_cascade.hpp>
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace mc = margincall;

namespace {
// 0 WETH (LT 82.5 %, bonus 5 %, fee 10 %), 1 USDC.
mc::lending_market<double> market() {
    return mc::lending_market<double>(
        {{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045, .protocol_fee = 0.10}});
}
const mc::lending_cascade_options<double> weth_usdc{.debt_asset = 1, .collateral_asset = 0};
}  // namespace

TEST_CASE("lending cascade: one liquidation and its sale, by hand", "[cascade][lending]") {
    const auto m = market();
    std::vector<mc::lending_account<double>> accounts{{.collateral = {10, 0}, .debt = {0, 16800}}};
    const mc::constant_product_impact<double> pool(1000, 2e6);  // 1,000 WETH / 2 M USDC, 0.3 %
    const std::vector<double> times{0};
    const std::vector<double> path{2000};
    const auto out = mc::run_lending_cascade(m, accounts, mc::aave_v3_liquidation<double>{}, pool,
                                             mc::push_oracle<double>(0.0, 3600), {2000, 1}, times, path, weth_usdc);
    // Round 1 at 2,000: HF 0.982 > 0.95, so 50 %: repay 8,400, the liquidator gets 4.389 WETH, fee 0.021.
    // It sells 4.389 WETH: getAmountOut = 4.389·0.997·2e6/(1000 + 4.389·0.997).
    // Round 2: the pool's price is k/x² = 2e9/1004.389²; 5.59 WETH at that price against 8,400:
    // HF = 5.59·1982.5·0.825/8,400 = 1.088: nobody else, the step ends.
    REQUIRE(out.steps.size() == 1);
    const auto& s = out.steps[0];
    CHECK(s.liquidations == 1);
    CHECK(s.rounds == 2);
    CHECK(s.debt_repaid == Approx(8400.0).epsilon(1e-14));
    CHECK(s.collateral_sold == Approx(4.389).epsilon(1e-14));
    CHECK(s.protocol_fees == Approx(0.021).epsilon(1e-12));
    const double proceeds = 4.389 * 0.997 * 2e6 / (1000 + 4.389 * 0.997);
    CHECK(s.liquidator_profit == Approx(proceeds - 8400).epsilon(1e-12));
    CHECK(s.market_price == Approx(2e9 / (1004.389 * 1004.389)).epsilon(1e-13));
    CHECK(s.oracle_price == s.market_price);  // deviation 0: every move posts
    CHECK(accounts[0].collateral[0] == Approx(10 - 4.41).epsilon(1e-14));
    CHECK(accounts[0].debt[1] == Approx(8400.0).epsilon(1e-14));
    CHECK_FALSE(out.amplification.has_value());  // no shock on the reference
}

TEST_CASE("lending cascade: conservation and the fixed point on a random book", "[cascade][lending]") {
    const auto m = market();
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<mc::lending_account<double>> accounts;
    for (int i = 0; i < 500; ++i) {
        const double weth = 1 + 49 * u(gen);
        accounts.push_back({.collateral = {weth, 0}, .debt = {0, weth * 2000 * 0.825 / (1.02 + 0.5 * u(gen))}});
    }
    const auto before = accounts;
    const mc::constant_product_impact<double> pool(50000, 50000 * 2000.0);
    std::vector<double> times;
    std::vector<double> path;
    for (int t = 0; t <= 10; ++t) {
        times.push_back(60.0 * t);
        path.push_back(2000 - 30.0 * t);  // −15 % over ten minutes
    }
    const auto out = mc::run_lending_cascade(m, accounts, mc::aave_v3_liquidation<double>{}, pool,
                                             mc::push_oracle<double>(0.005, 3600), {2000, 1}, times, path, weth_usdc);
    double sold = 0, fees = 0, repaid = 0, bad = 0;
    std::size_t liquidations = 0;
    for (const auto& s : out.steps) {
        CHECK_FALSE(s.budget_exhausted);
        sold += s.collateral_sold;
        fees += s.protocol_fees;
        repaid += s.debt_repaid;
        bad += s.bad_debt;
        liquidations += s.liquidations;
        CHECK(s.market_price <= s.reference * (1 + 1e-12));  // sales only push the pool below the reference
    }
    CHECK(liquidations > 100);
    double collateral_before = 0, collateral_after = 0, debt_before = 0, debt_after = 0;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        collateral_before += before[i].collateral[0];
        collateral_after += accounts[i].collateral[0];
        debt_before += before[i].debt[1];
        debt_after += accounts[i].debt[1];
    }
    // Every unit of collateral and debt is accounted for.
    CHECK(collateral_before == Approx(collateral_after + sold + fees).epsilon(1e-12));
    CHECK(debt_before == Approx(debt_after + repaid + bad).epsilon(1e-12));
    CHECK(out.displacement == Approx(-sold).epsilon(1e-12));  // no resilience: the pool holds every sale
    // Fixed point: at the final oracle price no account has an allowed liquidation left.
    const std::vector<double> final_prices{out.steps.back().oracle_price, 1};
    const mc::aave_v3_liquidation<double> aave;
    for (const auto& a : accounts) {
        const auto q = aave.quote(m, a, final_prices, 1, 0);
        CHECK_FALSE((q.debt_repaid > 0 && q.allowed));
    }
    // The feedback deepens the drop: amplification ≥ 1.
    REQUIRE(out.amplification.has_value());
    CHECK(*out.amplification >= 1.0);
}

TEST_CASE("lending cascade: liquidators that only act at a profit", "[cascade][lending]") {
    const auto m = market();
    // 60 accounts of 300 WETH at HF 1.01–1.07 against a shallow pool (5,000 WETH): a −5 % shock.
    // Half of one account's collateral (150 WETH) moves the pool by about 2·150/5,000 = 6 %, more
    // than the bonus less the fee (4.5 %): a careful liquidator stops once the price has fallen.
    std::vector<mc::lending_account<double>> accounts;
    for (int i = 0; i < 60; ++i)
        accounts.push_back({.collateral = {300, 0}, .debt = {0, 300 * 2000 * 0.825 / (1.01 + 0.001 * i)}});
    auto greedy = accounts;
    const mc::constant_product_impact<double> pool(5000, 5000 * 2000.0);
    const std::vector<double> times{0, 60};
    const std::vector<double> path{2000, 1900};
    const mc::aave_v3_liquidation<double> aave;
    const mc::push_oracle<double> oracle(0.0, 3600);
    const auto careful = mc::run_lending_cascade(m, accounts, aave, pool, oracle, {2000, 1}, times, path,
                                                 {.debt_asset = 1, .collateral_asset = 0, .profitable_only = true});
    const auto all = mc::run_lending_cascade(m, greedy, aave, pool, oracle, {2000, 1}, times, path, weth_usdc);
    // Every liquidation the careful liquidators made paid.
    CHECK(careful.steps[1].liquidator_profit >= 0);
    CHECK(all.steps[1].liquidator_profit < 0);
    CHECK(careful.steps[1].liquidations > 0);
    CHECK(careful.steps[1].unprofitable > 0);                                   // some are left standing
    CHECK(all.steps[1].liquidations > careful.steps[1].liquidations);          // the greedy run goes on
    CHECK(all.steps[1].market_price < careful.steps[1].market_price);          // and deepens the drop
}

TEST_CASE("lending cascade: the protocol waits for the oracle", "[cascade][lending]") {
    const auto m = market();
    // HF at 2,000: 10·2,000·0.825/16,000 = 1.03; at 1,930 it is 0.995 (liquidatable), a −3.5 % move.
    std::vector<mc::lending_account<double>> accounts{{.collateral = {10, 0}, .debt = {0, 16000}}};
    const mc::constant_product_impact<double> deep(1e7, 2e10);  // deep enough that the sale barely moves it
    const std::vector<double> times{0, 60, 3600};
    const std::vector<double> path{2000, 1930, 1930};
    const auto out = mc::run_lending_cascade(m, accounts, mc::aave_v3_liquidation<double>{}, deep,
                                             mc::push_oracle<double>(0.05, 3600), {2000, 1}, times, path, weth_usdc);
    CHECK(out.steps[1].liquidations == 0);       // −3.5 % is under the 5 % threshold: stale 2,000
    CHECK(out.steps[1].oracle_price == 2000);
    CHECK(out.steps[2].liquidations == 1);       // the heartbeat posts 1,930
    CHECK(out.steps[2].oracle_price == Approx(1930.0).epsilon(1e-6));
}

TEST_CASE("lending cascade: bad input is named", "[cascade][lending][bad input]") {
    const auto m = market();
    std::vector<mc::lending_account<double>> accounts{{.collateral = {10, 0}, .debt = {0, 16000}}};
    const mc::constant_product_impact<double> pool(1000, 2e6);
    const mc::aave_v3_liquidation<double> aave;
    const mc::push_oracle<double> oracle(0.005, 3600);
    const std::vector<double> two{0, 60};
    const std::vector<double> back{60, 0};
    const std::vector<double> one{2000};
    const std::vector<double> path2{2000, 1900};
    CHECK_THROWS_WITH(mc::run_lending_cascade(m, accounts, aave, pool, oracle, {2000, 1}, two, one, weth_usdc),
                      Contains("run_lending_cascade: the size of times is 2"));
    CHECK_THROWS_WITH(mc::run_lending_cascade(m, accounts, aave, pool, oracle, {2000, 1}, back, path2, weth_usdc),
                      Contains("times[1] is 0, but must be > times[0] 60"));
    CHECK_THROWS_WITH(mc::run_lending_cascade(m, accounts, aave, pool, oracle, {2000, 1}, two, path2,
                                              {.debt_asset = 1, .collateral_asset = 4}),
                      Contains("collateral asset is 4"));
    CHECK(accounts[0].debt[1] == 16000);  // nothing changed
}

TEST_CASE("lending cascade: Compound III absorbs multi-collateral accounts and conserves every asset and money",
          "[cascade][lending][compound]") {
    // 0 USDC (base), 1 WETH (liquidationFactor 95 %), 2 WBTC (liquidationFactor 93 %). The pool trades
    // WETH; the WBTC an absorb takes is valued at the oracle's (fixed) price.
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.83, .liquidation_threshold = 0.90, .liquidation_bonus = 0.05},
                                        {.ltv = 0.70, .liquidation_threshold = 0.85, .liquidation_bonus = 0.07}});
    const mc::compound_iii_liquidation<double> comet(0, 0.5);
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<mc::lending_account<double>> accounts;
    for (int i = 0; i < 300; ++i) {
        const double weth = 1 + 9 * u(gen);
        const double wbtc = 0.5 * u(gen);
        const double threshold = weth * 2000 * 0.90 + wbtc * 30000 * 0.85;
        accounts.push_back({.collateral = {0, weth, wbtc}, .debt = {threshold / (1.01 + 0.3 * u(gen)), 0, 0}});
    }
    const auto before = accounts;
    // A pool without impact, so every absorb of a step happens at the step's reference price and
    // the money check below can replay it from outside the cascade.
    struct no_impact {
        [[nodiscard]] double price(double reference, double) const { return reference; }
        [[nodiscard]] double average_price(double reference, double, double) const { return reference; }
        [[nodiscard]] double recover(double q) const { return q; }
    };
    const no_impact pool;
    std::vector<double> times;
    std::vector<double> path;
    for (int t = 0; t <= 8; ++t) {
        times.push_back(60.0 * t);
        path.push_back(2000 - 40.0 * t);
    }
    const auto out = mc::run_lending_cascade(m, accounts, comet, pool, mc::push_oracle<double>(0.0, 3600),
                                             {1, 2000, 30000}, times, path, {.debt_asset = 0, .collateral_asset = 1});
    std::vector<double> taken(3, 0.0);
    double repaid = 0, bad = 0, credit = 0, sold = 0, profit = 0;
    std::size_t liquidations = 0;
    for (const auto& s : out.steps) {
        for (std::size_t i = 0; i < 3; ++i) taken[i] += s.collateral_taken[i];
        repaid += s.debt_repaid;
        bad += s.bad_debt;
        credit += s.account_credit;
        sold += s.collateral_sold;
        profit += s.liquidator_profit;
        liquidations += s.liquidations;
    }
    CHECK(liquidations > 50);
    std::vector<double> c_before(3, 0.0), c_after(3, 0.0);
    double d_before = 0, d_after = 0;
    for (std::size_t k = 0; k < accounts.size(); ++k) {
        for (std::size_t i = 0; i < 3; ++i) {
            c_before[i] += before[k].collateral[i];
            c_after[i] += accounts[k].collateral[i];
        }
        d_before += before[k].debt[0];
        d_after += accounts[k].debt[0];
        // Absorb is all or nothing: an absorbed account has no collateral and no debt left.
        if (accounts[k].debt[0] == 0) {
            CHECK(accounts[k].collateral[1] == 0);
            CHECK(accounts[k].collateral[2] == 0);
        }
    }
    // Every asset: WETH and WBTC that left the accounts were taken; USDC supplied = the credit.
    CHECK(c_before[1] == Approx(c_after[1] + taken[1]).epsilon(1e-13));
    CHECK(c_before[2] == Approx(c_after[2] + taken[2]).epsilon(1e-13));
    CHECK(c_after[0] - c_before[0] == Approx(credit).epsilon(1e-13));
    CHECK(taken[1] == Approx(sold).epsilon(1e-13));  // all WETH taken is sold into the pool
    CHECK(d_before == Approx(d_after + repaid + bad).epsilon(1e-13));
    // Money to the cent, recomputed from the accounts: the value credited at the liquidation
    // factors (Σ c_i·p_i·LF_i, by hand) is what cleared the debt plus the surplus, each account
    // absorbed at the first step whose price makes it liquidatable.
    double credited = 0, value = 0;
    for (std::size_t k = 0; k < accounts.size(); ++k) {
        if (accounts[k].debt[0] != 0 || before[k].debt[0] == 0) continue;
        for (const auto& s : out.steps) {
            const std::vector<double> p{1, s.oracle_price, 30000};
            if (m.totals(before[k], p).health_factor() < 1) {
                credited += before[k].collateral[1] * s.oracle_price * 0.95 + before[k].collateral[2] * 30000 * 0.93;
                value += before[k].collateral[1] * s.oracle_price + before[k].collateral[2] * 30000;
                break;
            }
        }
    }
    CHECK(std::abs(credited - (repaid + credit)) < 0.005);
    // The liquidators paid (repaid + credit) for collateral worth Σ c_i·p_i at the oracle: their
    // profit is the liquidation factors' discount, Σ c_i·p_i·(1 − LF_i) > 0.
    CHECK(std::abs(profit - (value - credited)) < 0.005);
    CHECK(profit > 0);
}
