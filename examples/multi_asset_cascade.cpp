// A −10 % move of one asset through a synthetic exchange with three assets (BTC-, ETH- and
// SOL-like, fixed seed): 240,000 isolated positions (BTC's under Binance's BTCUSDT risk-limit
// brackets, the others at flat rates), 60,000 cross-margin accounts each holding two or three
// of the assets on one wallet, square-root impact with resilience per asset (deeper for BTC),
// insurance funds, ADL on the isolated venues. Only BTC is shocked; ETH and SOL fall because the
// cross accounts that BTC liquidates sell them too.
//
// Writes multi_asset_cascade.csv (per step: the price of each asset, isolated and cross
// liquidations per asset, funds, bad debt) and multi_asset_cascade.gp into the directory given
// as the first argument (default: the current directory), and renders multi_asset_cascade.png
// when gnuplot is on the PATH (Debian: apt-get install gnuplot-nox). Beside them, each asset's
// isolated-venue run as data (io/report_table.hpp, columns in docs/io.md):
// multi_asset_cascade_<asset>_steps.csv / _outcome.csv, and .json with nlohmann-json.
//
// With --tiered-keepers the cross accounts' legs are margined by brackets (BTC's Binance
// brackets, one tier of 0.5 % and 1 % for ETH and SOL) and closed in part, largest loss first,
// by a keeper with a one-step delay, a cost of 5 USDT and half the fee (docs/cascades.md §12.2,
// rule C11), instead of wholly and at once.
//
//   ./multi_asset_cascade [--tiered-keepers] [output-directory]
#include <margincall/io/report_csv.hpp>
#if __has_include(<nlohmann/json.hpp>)
#include <margincall/io/report_json.hpp>
#endif
#include <margincall/cascade/multi_asset_simulator.hpp>
#include <margincall/cascade/square_root_impact.hpp>
#include <margincall/core/money.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace margincall;
    std::string dir = ".";
    bool tiered_keepers = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--tiered-keepers") tiered_keepers = true;
        else dir = argv[i];
    }
    const std::array<const char*, 3> name{"BTC", "ETH", "SOL"};
    const std::array<double, 3> start{60'000.0, 3'000.0, 150.0};

    // Binance BTCUSDT brackets (GET /fapi/v1/leverageBracket, first five levels).
    const tier_schedule<double> btc_tiers({{0, 50'000, 125, 0.004, 0.0},
                                           {50'000, 250'000, 100, 0.005, 50.0},
                                           {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                           {3'000'000, 20'000'000, 20, 0.025, 46'300.0},
                                           {20'000'000, 40'000'000, 10, 0.05, 546'300.0}});

    // Isolated positions: half on BTC, 30 % ETH, 20 % SOL; notional log-normal around 2,000 USDT,
    // 70 % long, leverage mostly 5x–25x with a tail to 75x, entries within 3 % of the price; a
    // position already liquidatable at the start is not opened.
    std::mt19937_64 gen(20240602);
    std::lognormal_distribution<double> notional_dist(std::log(2'000.0), 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::array<std::vector<double>, 3> q, e, c, m;
    for (std::size_t opened = 0; opened < 240'000;) {
        const double r = u(gen);
        const std::size_t k = r < 0.5 ? 0 : (r < 0.8 ? 1 : 2);
        const double notional = std::min(notional_dist(gen), 2'000'000.0);
        const double side = u(gen) < 0.7 ? 1.0 : -1.0;
        const double entry = start[k] * (0.97 + 0.06 * u(gen));
        const double leverage = u(gen) < 0.85 ? 5.0 + 20.0 * u(gen) : 25.0 + 50.0 * u(gen);
        const double size = notional / entry;
        const double collateral = std::round(notional / leverage * 100.0) / 100.0;
        const double rate = k == 0 ? btc_tiers.maintenance_rate(notional) : (k == 1 ? 0.005 : 0.01);
        const double lp = k == 0 ? liquidation_book<double>::liquidation_price(btc_tiers, side * size, entry, collateral)
                                 : liquidation_book<double>::liquidation_price(side * size, entry, collateral, rate);
        if (side > 0 ? lp >= start[k] : lp <= start[k]) continue;
        q[k].push_back(side * size);
        e[k].push_back(entry);
        c[k].push_back(collateral);
        m[k].push_back(rate);
        ++opened;
    }
    const liquidation_book<double> btc(q[0], e[0], c[0], btc_tiers);
    const liquidation_book<double> eth(q[1], e[1], c[1], m[1]);
    const liquidation_book<double> sol(q[2], e[2], c[2], m[2]);

    // Cross accounts: two or three legs, 75 % of legs long, leverage 3x–20x on the wallet.
    std::vector<double> wallet, lq, le, lm;
    std::vector<std::uint32_t> la, lk;
    for (std::uint32_t a = 0; a < 60'000; ++a) {
        const auto skip = u(gen) < 0.5 ? static_cast<std::uint32_t>(u(gen) * 3.0) : 3U;
        double notional = 0.0;
        for (std::uint32_t k = 0; k < 3; ++k) {
            if (k == skip) continue;
            const double leg = std::min(notional_dist(gen), 500'000.0);
            la.push_back(a);
            lk.push_back(k);
            lq.push_back((u(gen) < 0.75 ? 1.0 : -1.0) * leg / start[k]);
            le.push_back(start[k]);
            lm.push_back(k == 0 ? 0.004 : (k == 1 ? 0.005 : 0.01));
            notional += leg;
        }
        wallet.push_back(std::round(notional / (3.0 + 17.0 * u(gen)) * 100.0) / 100.0);
    }
    const double inf = std::numeric_limits<double>::infinity();
    const cross_margin_book<double> cross =
        tiered_keepers ? cross_margin_book<double>(start, wallet, cross_legs<double>{la, lk, lq, le, {}},
                                                   {btc_tiers, tier_schedule<double>({{0, inf, 125, 0.005, 0.0}}),
                                                    tier_schedule<double>({{0, inf, 75, 0.01, 0.0}})})
                       : cross_margin_book<double>(start, wallet, cross_legs<double>{la, lk, lq, le, lm});
    cross_liquidation<double> cross_rules;
    if (tiered_keepers) {
        cross_rules.partial = partial_close<double>(0.05, 0.1);
        cross_rules.keeper = keeper_model<double>(1, 5.0, 0.5);
    }

    // Impact: Y = 0.7, daily volatility 3 % / 4 % / 6 %, daily volume 60,000 BTC / 60,000 ETH /
    // 800,000 SOL (thin books for the alts); 30 % of the displacement decays per step.
    using simulator = multi_asset_simulator<double, square_root_impact<double>, full_close>;
    const loss_waterfall<double> venue{200'000.0, 0.005, residual_loss::auto_deleveraging, adl_ranking::bitmex};
    const simulator sim({simulator::asset{square_root_impact<double>(0.7, 0.03, 60'000.0, 0.3), {&btc, {}, venue, {}}},
                         simulator::asset{square_root_impact<double>(0.7, 0.04, 60'000.0, 0.3), {&eth, {}, venue, {}}},
                         simulator::asset{square_root_impact<double>(0.7, 0.06, 800'000.0, 0.3), {&sol, {}, venue, {}}}},
                        &cross, {100'000.0, 0.005, residual_loss::bad_debt, adl_ranking::bitmex}, {}, cross_rules);

    // The shock: BTC −1 % of its start per step for ten steps; ETH and SOL unshocked.
    std::vector<double> path;
    for (int t = 1; t <= 10; ++t) path.push_back(start[0] * (1.0 - 0.01 * static_cast<double>(t)));
    const std::vector<exogenous_shock<double>> shocks{exogenous_shock<double>::path(start[0], path),
                                                      exogenous_shock<double>::instant_relative(start[1], 0.0),
                                                      exogenous_shock<double>::instant_relative(start[2], 0.0)};
    const auto out = sim.run(shocks);

    const std::string csv = dir + "/multi_asset_cascade.csv";
    std::ofstream f(csv);
    if (!f) {
        std::cerr << "cannot write " << csv << "\n";
        return 1;
    }
    f << "step,btc_reference,btc,eth,sol,btc_change_pct,eth_change_pct,sol_change_pct,btc_isolated,eth_isolated,"
         "sol_isolated,btc_cross_legs,eth_cross_legs,sol_cross_legs,cross_accounts,cross_fund,total_bad_debt\n";
    f << "0," << start[0] << ',' << start[0] << ',' << start[1] << ',' << start[2] << ",0,0,0,0,0,0,0,0,0,0,"
      << 100'000.0 << ",0\n";
    std::printf("step   BTC ref      BTC      ETH      SOL | isolated liq. BTC/ETH/SOL | cross legs BTC/ETH/SOL | cross accts\n");
    const std::size_t steps = out.assets[0].prices.size();
    for (std::size_t t = 0; t < steps; ++t) {
        std::array<std::size_t, 3> iso{}, legs{};
        double bad = out.cross.steps[t].bad_debt;  // cumulative, as the venues' records
        for (std::size_t k = 0; k < 3; ++k) {
            iso[k] = out.assets[k].venues[0].steps[t].liquidated_count;
            legs[k] = out.cross.steps[t].liquidated_legs[k];
            bad += out.assets[k].venues[0].steps[t].bad_debt;
        }
        const auto p = [&](std::size_t k) { return out.assets[k].prices[t]; };
        const auto pct = [&](std::size_t k) { return 100.0 * (p(k) / start[k] - 1.0); };
        f << t + 1 << ',' << out.assets[0].reference_prices[t] << ',' << p(0) << ',' << p(1) << ',' << p(2) << ',' << pct(0) << ','
          << pct(1) << ',' << pct(2) << ',' << iso[0] << ',' << iso[1] << ',' << iso[2] << ',' << legs[0] << ',' << legs[1] << ','
          << legs[2] << ',' << out.cross.steps[t].liquidated_count << ',' << out.cross.steps[t].insurance_fund << ',' << bad << '\n';
        std::printf("%4zu %9.1f %9.1f %8.2f %8.3f | %7zu %7zu %7zu | %6zu %6zu %6zu | %6zu\n", t + 1,
                    out.assets[0].reference_prices[t], p(0), p(1), p(2), iso[0], iso[1], iso[2], legs[0], legs[1], legs[2],
                    out.cross.steps[t].liquidated_count);
    }
    f.close();

    const std::string gp = dir + "/multi_asset_cascade.gp";
    std::ofstream g(gp);
    g << "set terminal pngcairo size 1000,600\n"
         "set output 'multi_asset_cascade.png'\n"
         "set datafile separator ','\n"
         "set title 'Multi-asset cascade: -10% on BTC only, 240,000 isolated + 60,000 cross accounts'\n"
         "set xlabel 'step'\nset ylabel 'change from start (%)'\nset y2label 'liquidations in the step'\n"
         "set ytics nomirror\nset y2tics\nset key right center\n"
         "plot 'multi_asset_cascade.csv' using 1:6 with linespoints lw 2 title 'BTC', \\\n"
         "     '' using 1:7 with linespoints lw 2 title 'ETH (not shocked)', \\\n"
         "     '' using 1:8 with linespoints lw 2 title 'SOL (not shocked)', \\\n"
         "     '' using 1:($9+$10+$11+$15) axes x1y2 with impulses lw 4 title 'accounts liquidated'\n";
    g.close();

    for (std::size_t k = 0; k < out.assets.size(); ++k) {
        const std::string base = dir + "/multi_asset_cascade_" + name[k];
        save_csv(base + "_steps.csv", cascade_steps_table(out.assets[k]));
        save_csv(base + "_outcome.csv", cascade_outcome_table(out.assets[k]));
#if __has_include(<nlohmann/json.hpp>)
        save_json(base + "_steps.json", cascade_steps_table(out.assets[k]));
        save_json(base + "_outcome.json", cascade_outcome_table(out.assets[k]));
#endif
    }

    std::printf("\nsteps to the fixed point %zu\n", out.steps_to_fixed_point);
    for (std::size_t k = 0; k < 3; ++k)
        std::printf("%s: final %.4g (%.2f %%), lowest %.4g; isolated liquidated %zu (%.0f USDT); cross legs %zu (%.0f USDT)\n",
                    name[k], out.assets[k].final_price, 100.0 * (out.assets[k].final_price / start[k] - 1.0),
                    out.assets[k].lowest_price, out.assets[k].venues[0].liquidated_count,
                    out.assets[k].venues[0].liquidated_notional, out.cross.liquidated_legs[k], out.cross.liquidated_notional[k]);
    std::printf("cross accounts liquidated %zu of %zu (exact checks %zu); cross fund %.2f; total bad debt %.2f\n",
                out.cross.liquidated_count, cross.size(), out.cross.checked, from_cents<double>(out.cross.ledger.fund),
                out.total_bad_debt());
    if (tiered_keepers)
        std::printf("cross closes: %zu partial of %zu; left by the keeper: %zu accounts (%.0f USDT open, %.2f USDT under water)\n",
                    out.cross.partial_count, out.cross.liquidated_count, out.cross.abandoned, out.cross.unliquidated_exposure,
                    out.cross.unliquidated_bad_debt);
    std::printf("every ledger balanced to the cent: %s\n", out.balanced() ? "yes" : "NO");
    std::printf("wrote %s and %s\n", csv.c_str(), gp.c_str());
    if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
        const std::string cmd = "cd '" + dir + "' && gnuplot multi_asset_cascade.gp";
        if (std::system(cmd.c_str()) == 0) std::printf("wrote %s/multi_asset_cascade.png\n", dir.c_str());
        else std::printf("gnuplot failed; render with: cd %s && gnuplot multi_asset_cascade.gp\n", dir.c_str());
    } else {
        std::printf("gnuplot not found (apt-get install gnuplot-nox); render with: cd %s && gnuplot multi_asset_cascade.gp\n",
                    dir.c_str());
    }
    return out.balanced() ? 0 : 1;
}
