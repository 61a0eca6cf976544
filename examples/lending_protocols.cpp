// Lending protocols on margincall: one market, four liquidation rules, an oracle that lags the
// market, and liquidated collateral sold into an AMM pool. docs/lending.md.
//
//   1. An account under Aave v3: HF, status, the largest liquidation now, liquidation prices.
//   2. The same position under Compound III (absorb) and Morpho Blue (LIF from LLTV).
//   3. A Maker vault barked into a Clipper Dutch auction with a stairstep price curve.
//   4. A price path: a push oracle (0.5 % deviation, 1 h heartbeat) feeds Aave; each liquidation
//      sells its WETH into a Uniswap v2 pool, which moves the market the oracle watches.
#include <margincall/cascade/amm_constant_product.hpp>
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

    std::printf("4. Oracle lag and an AMM: Aave accounts, WETH sold into a Uniswap v2 pool\n");
    // 400 borrowers with 100 WETH each, debts from 140,000 to 159,950 USDC (HF 1.18 down to 1.03).
    std::vector<mc::lending_account<double>> book;
    for (int i = 0; i < 400; ++i)
        book.push_back({.collateral = {100, 0, 0}, .debt = {0, 0, 140000.0 + 50.0 * i}});
    // 100,000 WETH / 200 M USDC; arbitrage removes 10 % of the displacement per minute.
    const mc::constant_product_impact<double> pool(100000, 100000 * 2000.0, 0.003, 0.10);
    mc::push_oracle_set<double> oracle({mc::push_oracle<double>(0.005, 3600), mc::push_oracle<double>(0.005, 3600),
                                        mc::push_oracle<double>(0.005, 3600)});
    double sold = 0;          // WETH the liquidators sold into the pool
    double displacement = 0;  // the pool's displacement Q (net WETH bought from it; sales make it negative)
    double bad_debt = 0;
    int liquidated = 0;
    for (int minute = 0; minute <= 60; ++minute) {
        const double reference = 2000.0 * (1.0 - 0.0015 * minute);  // the outside market drifts down 9 % in an hour
        displacement = pool.recover(displacement);
        const double market_price = pool.price(reference, displacement);
        const std::vector<double> observed{market_price, 30000, 1};
        oracle.observe(60.0 * minute, std::span<const double>(observed));
        const bool weth_posted = oracle.oracle(0).posted_at() == 60.0 * minute;
        const auto seen = oracle.prices();
        for (auto& a : book) {
            const auto q = aave.quote(market, a, std::span<const double>(seen), 2, 0);
            if (!(q.debt_repaid > 0) || !q.allowed) continue;
            mc::apply_lending_liquidation(a, 2, 0, q);
            sold += q.collateral_seized;  // the liquidator sells its WETH
            displacement -= q.collateral_seized;
            bad_debt += q.bad_debt;
            ++liquidated;
        }
        if (minute % 5 == 0)
            std::printf("   %2d min: reference %7.2f, market %7.2f, oracle %7.2f (%s), liquidations %3d, WETH sold %7.2f\n",
                        minute, reference, market_price, seen[0], weth_posted ? "posted" : "stale ", liquidated, sold);
    }
    std::printf("   bad debt %.2f USDC\n", bad_debt);
}
