// Lending protocols on margincall: one market, four liquidation rules, an oracle that lags the
// market, and liquidated collateral sold into an AMM pool. docs/lending.md.
//
//   1. An account under Aave v3: HF, status, the largest liquidation now, liquidation prices.
//   2. The same position under Compound III (absorb) and Morpho Blue (LIF from LLTV).
//   3. A Maker vault barked into a Clipper Dutch auction with a stairstep price curve.
//   4. A price path: a push oracle (0.5 % deviation, 1 h heartbeat) feeds Aave; each liquidation
//      sells its WETH into a Uniswap v2 pool, which moves the market the oracle watches.
#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/lending_cascade.hpp>
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>
#include <margincall/lending/lending_report.hpp>
#include <margincall/lending/maker_vault.hpp>
#include <margincall/lending/morpho_blue.hpp>
#include <margincall/lending/push_oracle.hpp>

#include <cstdio>
#include <span>
#include <vector>

namespace mc = margincall;

int main() {
    // Assets: 0 WETH, 1 WBTC, 2 USDC (illustrative parameters in the range Aave v3 uses).
    const mc::lending_market<double> market(
        {{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.73, .liquidation_threshold = 0.78, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045, .protocol_fee = 0.10}});
    const std::vector<double> prices{2000, 30000, 1};
    const std::span<const double> at(prices);

    std::printf("1. Aave v3\n");
    const mc::lending_account<double> borrower{.collateral = {10, 0.5, 0}, .debt = {0, 0, 28000}};
    const mc::aave_v3_liquidation<double> aave;
    const auto r = mc::report_lending_account(aave, market, borrower, at, 2, 0);
    std::printf("   HF %.4f (%s), borrowing power %.2f\n", r.health_factor, mc::to_string(r.status), r.borrowing_power);
    const std::vector<double> crash{1700, 30000, 1};
    const auto rc = mc::report_lending_account(aave, market, borrower, std::span<const double>(crash), 2, 0);
    std::printf("   at WETH 1,700: HF %.4f (%s); max repay %.2f USDC for %.4f WETH, fee %.4f WETH\n", rc.health_factor,
                mc::to_string(rc.status), rc.max_liquidation.debt_repaid, rc.max_liquidation.collateral_seized,
                rc.max_liquidation.protocol_fee);
    std::printf("   liquidation prices (others held): WETH %.2f, WBTC %.2f\n", *r.liquidation_prices[0],
                *r.liquidation_prices[1]);
    const std::vector<double> both_fall{-2000, -30000, 0};  // both fall by the same fraction t
    const auto t = mc::lending_liquidation_move(market, borrower, at, std::span<const double>(both_fall));
    std::printf("   WETH and WBTC falling together: HF = 1 after a %.2f %% fall\n", 100 * *t);

    std::printf("2. Compound III and Morpho Blue on WETH against USDC\n");
    const mc::lending_market<double> comet_market(
        {{.collateral = false}, {.ltv = 0.83, .liquidation_threshold = 0.90, .liquidation_bonus = 0.05}});
    const mc::compound_iii_liquidation<double> comet(0, 0.5);
    const mc::lending_account<double> c_account{.collateral = {0, 10}, .debt = {17000, 0}};
    for (const double eth : {1850.0, 1700.0}) {
        const std::vector<double> p{1, eth};
        const auto a = comet.absorb(comet_market, c_account, std::span<const double>(p));
        std::printf("   Comet at %.0f: absorbed %.0f USDC, credited %.2f, account keeps %.2f, reserves lose %.2f\n", eth,
                    a.debt_absorbed, a.credited, a.new_balance, a.shortfall);
    }
    const std::vector<double> at1700{1, 1700};
    std::printf("   buyCollateral: 1,000 USDC buys %.6f WETH at the store-front price\n",
                comet.quote_collateral(comet_market, 1, 1000.0, std::span<const double>(at1700)));
    const mc::morpho_blue_liquidation<double> morpho;
    const auto m = morpho.quote(comet_market, c_account, std::span<const double>(at1700), 0, 1);
    std::printf("   Morpho (LLTV 90 %%, LIF %.4f): repay %.2f USDC, seize %.4f WETH, bad debt %.2f USDC\n",
                mc::morpho_liquidation_incentive_factor(0.90), m.debt_repaid, m.collateral_seized, m.bad_debt);

    std::printf("3. Maker vault (mat 1.5, chop 1.13) and a Clipper auction\n");
    const mc::lending_market<double> maker_market(
        {{.collateral = false}, {.ltv = 0.0, .liquidation_threshold = 1 / 1.5, .liquidation_bonus = 0.13}});
    const mc::lending_account<double> vault{.collateral = {0, 10}, .debt = {14000, 0}};
    const std::vector<double> feed{1, 2000};
    const auto bark = mc::maker_bark_vault(maker_market, vault, std::span<const double>(feed), 1, 0, {.dust = 100});
    std::printf("   bark: lot %.2f ETH, debt %.2f DAI, tab %.2f DAI\n", bark.lot, bark.debt, bark.tab);
    mc::clipper_auction<mc::stairstep_exponential_decrease<double>> auction(
        mc::stairstep_exponential_decrease<double>(90, 0.99), bark.tab, bark.lot, 2000, 1.2, 113, 7200, 0.4);
    for (const double age : {0.0, 900.0, 1800.0}) std::printf("   price at %4.0f s: %.2f\n", age, auction.price(age));
    const auto bought = auction.take(1800, 10, 2000);
    std::printf("   take at 1,800 s: %.4f ETH for %.2f DAI; %.4f ETH back to the vault\n", bought.slice, bought.owe,
                auction.lot());

    std::printf("4. Oracle lag and an AMM: Aave accounts, WETH sold into a Uniswap v2 pool (run_lending_cascade)\n");
    // 400 borrowers with 100 WETH each, debts from 140,000 to 159,950 USDC (HF 1.18 down to 1.03).
    std::vector<mc::lending_account<double>> book;
    for (int i = 0; i < 400; ++i)
        book.push_back({.collateral = {100, 0, 0}, .debt = {0, 0, 140000.0 + 50.0 * i}});
    auto careful_book = book;
    // 100,000 WETH / 200 M USDC; arbitrage removes 10 % of the displacement per minute.
    const mc::constant_product_impact<double> pool(100000, 100000 * 2000.0, 0.003, 0.10);
    std::vector<double> times;
    std::vector<double> path;
    for (int minute = 0; minute <= 60; ++minute) {
        times.push_back(60.0 * minute);
        path.push_back(2000.0 * (1.0 - 0.0015 * minute));  // the outside market drifts down 9 % in an hour
    }
    const auto run = mc::run_lending_cascade(market, book, aave, pool, mc::push_oracle<double>(0.005, 3600), prices,
                                             times, path, {.debt_asset = 2, .collateral_asset = 0});
    std::size_t liquidations = 0;
    double sold = 0;
    double bad_debt = 0;
    double profit = 0;
    for (std::size_t k = 0; k < run.steps.size(); ++k) {
        const auto& s = run.steps[k];
        liquidations += s.liquidations;
        sold += s.collateral_sold;
        bad_debt += s.bad_debt;
        profit += s.liquidator_profit;
        if (k % 5 == 0)
            std::printf("   %2zu min: reference %7.2f, market %7.2f, oracle %7.2f, liquidations %3zu, WETH sold %8.2f\n", k,
                        s.reference, s.market_price, s.oracle_price, liquidations, sold);
    }
    std::printf("   bad debt %.2f USDC, liquidators' profit %.2f USDC, amplification %.2f\n", bad_debt, profit,
                *run.amplification);
    // The same path with liquidators that act only when the sale pays for the repay.
    const auto careful = mc::run_lending_cascade(market, careful_book, aave, pool, mc::push_oracle<double>(0.005, 3600),
                                                 prices, times, path,
                                                 {.debt_asset = 2, .collateral_asset = 0, .profitable_only = true});
    std::size_t careful_liquidations = 0;
    double careful_bad_debt = 0;
    for (const auto& s : careful.steps) {
        careful_liquidations += s.liquidations;
        careful_bad_debt += s.bad_debt;
    }
    std::printf("   profitable liquidations only: %zu liquidations, bad debt %.2f USDC, final market %.2f, "
                "%zu liquidatable accounts left standing, amplification %.2f\n",
                careful_liquidations, careful_bad_debt, careful.steps.back().market_price, careful.steps.back().unprofitable,
                *careful.amplification);
}
