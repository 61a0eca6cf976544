// The distribution of a venue's bad debt: 1,000 one-day price paths drawn from a Student-t
// GARCH(1,1) (hourly steps, starting in a stressed volatility regime) pushed through the same
// synthetic book of 20,000 isolated positions, with square-root price impact, a small insurance
// fund and no auto-deleveraging, so what the fund cannot pay stays as bad debt.
//
// Writes into the directory given as the first argument (default: the current directory):
//   cascade_monte_carlo_runs.csv   per run: bad_debt, liquidated_notional, drawdown
//   cascade_monte_carlo_risk.csv   VaR and ES at 99 % of bad debt and of liquidated notional
//   (and the same two as .json when nlohmann-json is installed; columns in docs/io.md)
//   cascade_monte_carlo.gp         a gnuplot script: the empirical distribution of bad debt
// and renders cascade_monte_carlo.png when gnuplot is on the PATH (Debian: gnuplot-nox).
//
//   ./cascade_monte_carlo [output-directory]
#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/square_root_impact.hpp>
#include <margincall/io/report_csv.hpp>
#include <margincall/volatility/garch11.hpp>
#if __has_include(<nlohmann/json.hpp>)
#include <margincall/io/report_json.hpp>
#endif

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <random>
#include <span>
#include <string>
#include <vector>

int main(int argc, char** argv) try {
    using namespace margincall;
    const std::string dir = argc > 1 ? argv[1] : ".";
    const double start = 100.0;
    const double alpha = 0.99;
    const std::size_t runs = 1000;

    // The book: 20,000 positions, sizes exponential (mean 3 units), 60 % long, leverage uniform
    // in 3x–50x, maintenance 1 % (2 % above 10 units), all entered at the start price.
    std::mt19937_64 book_gen(7);
    std::exponential_distribution<double> size_dist(1.0 / 3.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> q, e, c, m;
    for (int i = 0; i < 20000; ++i) {
        const double size = 0.01 + size_dist(book_gen);
        const double leverage = 3.0 + 47.0 * u(book_gen);
        q.push_back(u(book_gen) < 0.6 ? size : -size);
        e.push_back(start);
        c.push_back(std::round(size * start / leverage * 100.0) / 100.0);
        m.push_back(size > 10.0 ? 0.02 : 0.01);
    }
    const liquidation_book<double> book(q, e, c, m);

    // Impact: Y = 0.7, daily volatility 4 %, daily volume 100,000 units, 30 % decay per step.
    // Insurance fund 50,000, liquidation fee 0.5 %, residual losses stay as bad debt.
    using simulator = cascade_simulator<double, square_root_impact<double>, full_close>;
    const simulator sim(square_root_impact<double>(0.7, 0.04, 100000.0, 0.3),
                        {simulator::venue{&book, {}, {50000.0, 0.005, residual_loss::bad_debt}, {}}});

    // Shocks: 24 hourly log-returns from GARCH(1,1) with Student-t(4) innovations; the long-run
    // hourly variance is 0.04² / 24 (4 % a day) and each path starts at twice that.
    const double hourly_variance = 0.04 * 0.04 / 24.0;
    const garch11<double> garch(0.02 * hourly_variance, 0.08, 0.90, 4.0);
    auto sampler = [&](std::mt19937_64& g) {
        return exogenous_shock<double>::garch(garch, start, 2.0 * hourly_variance, 24, g);
    };
    std::mt19937_64 gen(20260601);
    const cascade_distribution<double> d = cascade_monte_carlo(sim, runs, sampler, gen, alpha);

    std::size_t with_debt = 0;
    double mean = 0.0;
    for (const double x : d.bad_debt) {
        with_debt += x > 0.0;
        mean += x / static_cast<double>(runs);
    }
    std::printf("%zu runs of %zu accounts, %zu unconverged\n", runs, book.size(), d.unconverged_runs);
    std::printf("runs with bad debt: %zu (%.1f %%); mean bad debt %.2f\n", with_debt,
                100.0 * static_cast<double>(with_debt) / static_cast<double>(runs), mean);
    std::printf("bad debt at %.0f %%: VaR %.2f, ES %.2f\n", 100.0 * alpha, d.bad_debt_risk.value_at_risk,
                d.bad_debt_risk.expected_shortfall);
    std::printf("liquidated notional at %.0f %%: VaR %.0f, ES %.0f\n", 100.0 * alpha,
                d.liquidated_risk.value_at_risk, d.liquidated_risk.expected_shortfall);

    // Reports as data (io/report_table.hpp): the runs and the tail risk, CSV and JSON.
    const report_table runs_table = cascade_runs_table(d);
    const report_table risk_table = tail_risk_table<double>(
        {{"bad_debt", d.bad_debt_risk}, {"liquidated_notional", d.liquidated_risk}}, alpha, runs);
    save_csv(dir + "/cascade_monte_carlo_runs.csv", runs_table);
    save_csv(dir + "/cascade_monte_carlo_risk.csv", risk_table);
    std::printf("wrote %s/cascade_monte_carlo_runs.csv and cascade_monte_carlo_risk.csv\n", dir.c_str());
#if __has_include(<nlohmann/json.hpp>)
    save_json(dir + "/cascade_monte_carlo_runs.json", runs_table);
    save_json(dir + "/cascade_monte_carlo_risk.json", risk_table);
    std::printf("wrote %s/cascade_monte_carlo_runs.json and cascade_monte_carlo_risk.json\n", dir.c_str());
#endif

    // The chart: the empirical distribution function of bad debt (gnuplot's `smooth cnormal`
    // sorts the runs), its upper tail from the 95th percentile, with VaR and ES marked.
    const std::string gp = dir + "/cascade_monte_carlo.gp";
    std::ofstream g(gp);
    g << "set terminal pngcairo size 1000,600\n"
         "set output 'cascade_monte_carlo.png'\n"
         "set datafile separator ','\n"
         "set title 'Bad debt over "
      << runs << " GARCH(1,1)-t one-day paths, " << book.size()
      << " accounts'\n"
         "set xlabel 'bad debt (USDT)'\nset ylabel 'P(bad debt <= x)'\n"
         "set yrange [0.95:1.001]\nset key bottom right\nset grid\n"
         "set arrow from "
      << d.bad_debt_risk.value_at_risk << ", graph 0 to " << d.bad_debt_risk.value_at_risk
      << ", graph 1 nohead lw 2 dt 2 lc rgb 'red'\n"
         "set arrow from "
      << d.bad_debt_risk.expected_shortfall << ", graph 0 to " << d.bad_debt_risk.expected_shortfall
      << ", graph 1 nohead lw 2 dt 3 lc rgb 'dark-red'\n"
         "plot 'cascade_monte_carlo_runs.csv' every ::1 using 2:(1.0) smooth cnormal with steps lw 2 "
         "title 'empirical distribution', \\\n"
         "     NaN with lines lw 2 dt 2 lc rgb 'red' title sprintf('VaR %.0f%%', "
      << 100.0 * alpha
      << "), \\\n"
         "     NaN with lines lw 2 dt 3 lc rgb 'dark-red' title sprintf('ES %.0f%%', "
      << 100.0 * alpha << ")\n";
    g.close();
    std::printf("wrote %s\n", gp.c_str());
    if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
        const std::string cmd = "cd '" + dir + "' && gnuplot cascade_monte_carlo.gp";
        if (std::system(cmd.c_str()) == 0) std::printf("wrote %s/cascade_monte_carlo.png\n", dir.c_str());
        else std::printf("gnuplot failed; render with: cd %s && gnuplot cascade_monte_carlo.gp\n", dir.c_str());
    } else {
        std::printf("gnuplot not found (apt-get install gnuplot-nox); render with: cd %s && gnuplot cascade_monte_carlo.gp\n",
                    dir.c_str());
    }
    return 0;
} catch (const std::exception& ex) {
    std::fprintf(stderr, "cascade_monte_carlo: %s\n", ex.what());
    return 1;
}
