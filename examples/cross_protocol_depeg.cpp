// A staked-asset depeg across three venues that share two pools and their oracles:
//   assets: 0 ETH (a constant-product pool against USD), 1 stETH (a Curve StableSwap pool
//           against ETH, A = 50), 2 USDC (no pool);
//   "loop"  an Aave v3 market where accounts loop stETH collateral (e-mode-like LT 93 %,
//           bonus 1 %) against ETH debt: their health depends on the stETH/ETH peg only;
//   "comet" a Compound III market (base USDC) with ETH and stETH collateral;
//   "perp"  a perp exchange on ETH whose forced orders trade in the ETH pool.
// The outside peg slides 3 % in an hour. Loop liquidations sell stETH into the StableSwap pool,
// the oracle posts the deeper depeg, more loops fail; Comet's absorbs sell ETH into the ETH
// pool the perp venue marks at. Printed per step and venue: liquidations, collateral sold,
// peg and ETH price, bad debt, liquidator profit; then the amplification.
//
// Then a Monte Carlo of bad debt: 100 random depegs (peg −0 to −8 %, ETH −0 to −15 %), one
// generator per run from (seed, run); writes into the directory given as the first argument:
//   cross_protocol_runs.csv   per run: total and per-venue bad debt
//   cross_protocol_risk.csv   VaR / ES at 99 % and the probability of insolvency per venue
//   cross_protocol.gp         a gnuplot script: the distribution of total bad debt
// and renders cross_protocol.png when gnuplot is on the PATH (Debian: gnuplot-nox).
//
//   ./cross_protocol_depeg [output-directory]
#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/amm_stableswap.hpp>
#include <margincall/cascade/cross_protocol.hpp>
#include <margincall/cascade/cross_protocol_monte_carlo.hpp>
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace mc = margincall;

int main(int argc, char** argv) try {
    const std::string dir = argc > 1 ? argv[1] : ".";
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);

    // Loop market: 0 ETH (LT 83 %, bonus 5 %), 1 stETH (LT 93 %, bonus 1 %, 10 % of it to the protocol).
    const mc::lending_market<double> loop_market(
        {{.ltv = 0.80, .liquidation_threshold = 0.83, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.90, .liquidation_threshold = 0.93, .liquidation_bonus = 0.01, .protocol_fee = 0.10}});
    std::vector<mc::lending_account<double>> loops;
    for (int i = 0; i < 2000; ++i) {  // 1–40 stETH each, HF 1.002–1.05 at the peg
        const double steth = 1 + 39 * u(gen);
        loops.push_back({.collateral = {0, steth}, .debt = {steth * 0.93 / (1.002 + 0.048 * u(gen)), 0}});
    }
    // Comet market: 0 USDC (base), 1 ETH (liquidateCF 90 %, LF 95 %), 2 stETH (85 %, LF 93 %).
    const mc::lending_market<double> comet_market({{.collateral = false},
                                                   {.ltv = 0.83, .liquidation_threshold = 0.90, .liquidation_bonus = 0.05},
                                                   {.ltv = 0.80, .liquidation_threshold = 0.85, .liquidation_bonus = 0.07}});
    std::vector<mc::lending_account<double>> comets;
    for (int i = 0; i < 2000; ++i) {
        const double eth = 5 * u(gen), steth = 5 * u(gen);
        const double threshold = (eth * 0.90 + steth * 0.85) * 2000;
        comets.push_back({.collateral = {0, eth, steth}, .debt = {threshold / (1.01 + 0.25 * u(gen)), 0, 0}});
    }
    // Perp book on ETH: 5,000 accounts, 60 % long, 2x–25x, entries within 0.5 % of 2,000.
    std::vector<double> q, e, c, m;
    for (int i = 0; i < 5000; ++i) {
        const double size = 0.1 + 5 * u(gen);
        const double entry = std::round(2000 * (0.995 + 0.01 * u(gen)) * 100) / 100;
        const double leverage = 2 + 23 * u(gen);
        q.push_back(u(gen) < 0.6 ? size : -size);
        e.push_back(entry);
        c.push_back(std::round(size * entry / leverage * 100) / 100);
        m.push_back(0.01);
    }
    const mc::liquidation_book<double> book(q, e, c, m);

    auto build = [&]() {
        std::vector<mc::cross_pool<double>> pools{
            mc::cross_pool<double>(mc::constant_product_impact<double>(100000, 100000 * 2000.0, 0.003, 0.2), 0),
            mc::cross_pool<double>(mc::stableswap_impact<double>(60000, 60000, 50, 0.0004, 0.05), 1, 0)};
        std::vector<mc::push_oracle<double>> oracles(3, mc::push_oracle<double>(0.005, 3600));
        std::vector<mc::cross_perp_venue<double>> perps{
            {.name = "perp", .asset = 0,
             .books = {{.book = &book, .waterfall = {.insurance_fund = 200000, .liquidation_fee_rate = 0.005,
                                                     .residual = mc::residual_loss::bad_debt}}}}};
        std::vector<mc::cross_lending_venue<double>> lendings;
        lendings.emplace_back("loop", loop_market, loops, std::vector<std::size_t>{0, 1},
                              std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}}, mc::aave_v3_liquidation<double>{},
                              50000.0);
        lendings.emplace_back("comet", comet_market, comets, std::vector<std::size_t>{2, 0, 1},
                              std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}},
                              mc::compound_iii_liquidation<double>(0, 0.5), 200000.0);
        return mc::cross_protocol_simulator<double>(3, std::move(pools), std::move(oracles), std::move(perps),
                                                    std::move(lendings));
    };
    const auto sim = build();
    const char* names[] = {"perp", "loop", "comet"};

    // The depeg: the outside peg falls 0.5 % every ten minutes for an hour; ETH holds at 2,000.
    mc::cross_protocol_path<double> path{.start = {2000, 1, 1}};
    for (int t = 1; t <= 6; ++t) {
        path.steps.push_back({2000, 1 - 0.005 * t, 1});
        path.times.push_back(600.0 * t);
    }
    const auto out = sim.run(path);
    std::printf("step  ref peg   peg     ETH      venue  liq  sold ETH   sold stETH  bad debt    profit\n");
    for (std::size_t t = 0; t < out.steps.size(); ++t) {
        const auto& s = out.steps[t];
        for (std::size_t v = 0; v < 3; ++v) {
            const auto& vs = out.venue_steps[v][t];
            std::printf("%4zu  %.4f  %.4f  %7.2f  %-5s %5zu %9.2f %11.2f %10.2f %10.2f\n", t + 1, s.reference[1],
                        s.pool_price[1], s.market_price[0], names[v], vs.liquidations, vs.sold[0] + 0.0, vs.sold[1] + 0.0,
                        vs.bad_debt, vs.liquidator_profit);
        }
    }
    std::printf("peg amplification (final depeg / outside depeg): %.3f\n", out.amplification[1].value_or(0.0));
    std::printf("ETH drop %.3f %% with no outside ETH move\n",
                100.0 * (2000 - out.steps.back().market_price[0]) / 2000);
    std::printf("bad debt: perp %.2f, loop %.2f, comet %.2f\n", out.perp[0].total_bad_debt(), out.lending_bad_debt[0],
                out.lending_bad_debt[1]);

    // Monte Carlo.
    const std::size_t runs = 100;
    const double alpha = 0.99;
    auto draw = [](std::mt19937_64& g, std::size_t) {
        std::uniform_real_distribution<double> uu(0.0, 1.0);
        const double peg = 0.08 * uu(g), eth = 0.15 * uu(g);
        mc::cross_protocol_path<double> p{.start = {2000, 1, 1}};
        for (int t = 1; t <= 6; ++t) {
            p.steps.push_back({2000 * (1 - eth * t / 6.0), 1 - peg * t / 6.0, 1});
            p.times.push_back(600.0 * t);
        }
        return p;
    };
    const auto d = mc::cross_protocol_monte_carlo(sim, runs, draw, 20261130, alpha);
    std::printf("%zu runs: total bad debt VaR %.0f%% %.2f, ES %.2f\n", runs, 100 * alpha, d.bad_debt_risk.value_at_risk,
                d.bad_debt_risk.expected_shortfall);
    for (std::size_t v = 0; v < 3; ++v)
        std::printf("  %-5s VaR %.2f, ES %.2f, P(insolvent) %.4f\n", names[v], d.venue_risk[v].value_at_risk,
                    d.venue_risk[v].expected_shortfall, d.insolvency_probability[v]);

    std::ofstream runs_csv(dir + "/cross_protocol_runs.csv");
    runs_csv << "run,total,perp,loop,comet\n";
    for (std::size_t r = 0; r < runs; ++r)
        runs_csv << r << ',' << d.bad_debt[r] << ',' << d.venue_bad_debt[0][r] << ',' << d.venue_bad_debt[1][r] << ','
                 << d.venue_bad_debt[2][r] << '\n';
    std::ofstream risk_csv(dir + "/cross_protocol_risk.csv");
    risk_csv << "venue,alpha,var,es,p_insolvent\n";
    risk_csv << "total," << alpha << ',' << d.bad_debt_risk.value_at_risk << ',' << d.bad_debt_risk.expected_shortfall
             << ",\n";
    for (std::size_t v = 0; v < 3; ++v)
        risk_csv << names[v] << ',' << alpha << ',' << d.venue_risk[v].value_at_risk << ','
                 << d.venue_risk[v].expected_shortfall << ',' << d.insolvency_probability[v] << '\n';
    runs_csv.close();
    risk_csv.close();
    std::printf("wrote %s/cross_protocol_runs.csv and cross_protocol_risk.csv\n", dir.c_str());

    const std::string gp = dir + "/cross_protocol.gp";
    std::ofstream g(gp);
    g << "set terminal pngcairo size 1000,600\n"
         "set output 'cross_protocol.png'\n"
         "set datafile separator ','\n"
         "set title 'Total bad debt over "
      << runs
      << " random depegs (perp + Aave loop + Comet)'\n"
         "set xlabel 'bad debt (USD)'\nset ylabel 'P(bad debt <= x)'\nset key bottom right\nset grid\n"
         "set arrow from "
      << d.bad_debt_risk.value_at_risk << ", graph 0 to " << d.bad_debt_risk.value_at_risk
      << ", graph 1 nohead lw 2 dt 2 lc rgb 'red'\n"
         "plot 'cross_protocol_runs.csv' every ::1 using 2:(1.0) smooth cnormal with steps lw 2 title 'total', \\\n"
         "     '' every ::1 using 4:(1.0) smooth cnormal with steps lw 1 title 'loop', \\\n"
         "     '' every ::1 using 5:(1.0) smooth cnormal with steps lw 1 title 'comet', \\\n"
         "     NaN with lines lw 2 dt 2 lc rgb 'red' title 'VaR 99%'\n";
    g.close();
    std::printf("wrote %s\n", gp.c_str());
    if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
        const std::string cmd = "cd '" + dir + "' && gnuplot cross_protocol.gp";
        if (std::system(cmd.c_str()) == 0) std::printf("wrote %s/cross_protocol.png\n", dir.c_str());
        else std::printf("gnuplot failed; render with: cd %s && gnuplot cross_protocol.gp\n", dir.c_str());
    } else {
        std::printf("gnuplot not found; render with: cd %s && gnuplot cross_protocol.gp\n", dir.c_str());
    }
    return 0;
} catch (const std::exception& ex) {
    std::fprintf(stderr, "cross_protocol_depeg: %s\n", ex.what());
    return 1;
}
