// A −10 % move through a synthetic exchange book: 200,000 isolated-margin positions (fixed
// seed), square-root price impact with order-book resilience, a keeper that needs a step and
// pays gas, a small insurance fund and BitMEX-ranked auto-deleveraging.
//
// Writes liquidation_cascade.csv (per step: reference price, mark, liquidations, fund, bad debt,
// ADL) and liquidation_cascade.gp (a gnuplot script) into the directory given as the first
// argument (default: the current directory), and renders liquidation_cascade.png when gnuplot
// is on the PATH (Debian: apt-get install gnuplot-nox); otherwise it says how to render it.
// Beside them, the run as data (io/report_table.hpp, columns in docs/io.md):
// liquidation_cascade_steps.csv / _outcome.csv, and .json when nlohmann-json is installed.
//
//   ./liquidation_cascade [output-directory]
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/square_root_impact.hpp>
#include <margincall/core/money.hpp>
#include <margincall/io/report_csv.hpp>
#if __has_include(<nlohmann/json.hpp>)
#include <margincall/io/report_json.hpp>
#endif

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace margincall;
    const std::string dir = argc > 1 ? argv[1] : ".";
    const double start = 100.0;

    // The book: sizes log-normal around 2 units, 70 % long, leverage mostly 5x–25x with a tail to
    // 100x, maintenance 0.5 %–2 % (bigger positions pay more, as in bracket tables), entries within
    // 3 % of the price; a position already liquidatable at 100 is not opened.
    std::mt19937_64 gen(20240601);
    std::lognormal_distribution<double> size_dist(std::log(2.0), 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> q, e, c, m;
    while (q.size() < 200000) {
        const double size = size_dist(gen);
        const double side = u(gen) < 0.7 ? 1.0 : -1.0;
        const double entry = start * (0.97 + 0.06 * u(gen));
        const double leverage = u(gen) < 0.85 ? 5.0 + 20.0 * u(gen) : 25.0 + 75.0 * u(gen);
        const double rate = size < 5.0 ? 0.005 : (size < 20.0 ? 0.01 : 0.02);
        const double collateral = std::round(size * entry / leverage * 100.0) / 100.0;
        const double lp = liquidation_book<double>::liquidation_price(side * size, entry, collateral, rate);
        if (side > 0 ? lp >= start : lp <= start) continue;
        q.push_back(side * size);
        e.push_back(entry);
        c.push_back(collateral);
        m.push_back(rate);
    }
    const liquidation_book<double> book(q, e, c, m);

    // Impact: Y = 0.7, daily volatility 4 %, daily volume 300,000 units; 30 % of the displacement
    // decays per step. Keeper: one step late, 0.10 USDT of gas, half of the 0.5 % fee as reward.
    using simulator = cascade_simulator<double, square_root_impact<double>, full_close>;
    const simulator sim(square_root_impact<double>(0.7, 0.04, 300000.0, 0.3),
                        {simulator::venue{&book, {}, {20000.0, 0.005, residual_loss::auto_deleveraging, adl_ranking::bitmex},
                                          keeper_model<double>(1, 0.1, 0.5)}});

    // The shock: −1 % of the start price per step for ten steps, to 90.
    std::vector<double> path;
    for (int t = 1; t <= 10; ++t) path.push_back(start - static_cast<double>(t));
    const auto out = sim.run(exogenous_shock<double>::path(start, path));
    const auto& v = out.venues[0];

    const std::string csv = dir + "/liquidation_cascade.csv";
    std::ofstream f(csv);
    if (!f) {
        std::cerr << "cannot write " << csv << "\n";
        return 1;
    }
    f << "step,reference_price,price,liquidated_notional,liquidated_count,cumulative_liquidated_notional,"
         "insurance_fund,bad_debt,adl_notional,automation_cost,unliquidated_exposure\n";
    double cumulative = 0.0;
    f << 0 << ',' << start << ',' << start << ",0,0,0," << 20000.0 << ",0,0,0,0\n";
    for (std::size_t t = 0; t < v.steps.size(); ++t) {
        const auto& s = v.steps[t];
        cumulative += s.liquidated_notional;
        f << t + 1 << ',' << s.reference_price << ',' << s.price << ',' << s.liquidated_notional << ','
          << s.liquidated_count << ',' << cumulative << ',' << s.insurance_fund << ',' << s.bad_debt << ','
          << s.adl_notional << ',' << s.automation_cost << ',' << s.unliquidated_exposure << '\n';
    }
    f.close();

    const std::string gp = dir + "/liquidation_cascade.gp";
    std::ofstream g(gp);
    g << "set terminal pngcairo size 1000,600\n"
         "set output 'liquidation_cascade.png'\n"
         "set datafile separator ','\n"
         "set title 'Liquidation cascade: -10% exogenous move, 200,000 accounts'\n"
         "set xlabel 'step'\nset ylabel 'price'\nset y2label 'cumulative liquidated notional (USDT)'\n"
         "set ytics nomirror\nset y2tics\nset key top right\n"
         "plot 'liquidation_cascade.csv' using 1:2 with lines lw 2 title 'exogenous price', \\\n"
         "     '' using 1:3 with linespoints lw 2 title 'mark after forced selling', \\\n"
         "     '' using 1:6 axes x1y2 with steps lw 2 title 'cumulative liquidations'\n";
    g.close();

    save_csv(dir + "/liquidation_cascade_steps.csv", cascade_steps_table(out));
    save_csv(dir + "/liquidation_cascade_outcome.csv", cascade_outcome_table(out));
#if __has_include(<nlohmann/json.hpp>)
    save_json(dir + "/liquidation_cascade_steps.json", cascade_steps_table(out));
    save_json(dir + "/liquidation_cascade_outcome.json", cascade_outcome_table(out));
#endif

    std::printf("accounts %zu, steps to the fixed point %zu\n", book.size(), out.steps_to_fixed_point);
    std::printf("exogenous low %.2f, mark low %.2f, amplification %.3f, drawdown %.2f %%\n", 90.0, out.lowest_price,
                out.amplification, 100.0 * out.drawdown);
    std::printf("liquidated %zu accounts, %.0f USDT; ADL %.0f USDT; fund %.2f; bad debt %.2f; left open %.0f USDT "
                "(automation cost %.2f)\n",
                v.liquidated_count, v.liquidated_notional, v.adl_notional, from_cents<double>(v.ledger.fund),
                v.total_bad_debt(), v.unliquidated_exposure, v.automation_cost);
    std::printf("ledger balanced to the cent: %s\n", v.ledger.balanced() ? "yes" : "NO");
    std::printf("wrote %s and %s (and liquidation_cascade_steps / _outcome reports)\n", csv.c_str(), gp.c_str());
    if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
        const std::string cmd = "cd '" + dir + "' && gnuplot liquidation_cascade.gp";
        if (std::system(cmd.c_str()) == 0) std::printf("wrote %s/liquidation_cascade.png\n", dir.c_str());
        else std::printf("gnuplot failed; render with: cd %s && gnuplot liquidation_cascade.gp\n", dir.c_str());
    } else {
        std::printf("gnuplot not found (apt-get install gnuplot-nox); render with: cd %s && gnuplot liquidation_cascade.gp\n",
                    dir.c_str());
    }
    return v.ledger.balanced() ? 0 : 1;
}
