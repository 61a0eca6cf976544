// GARCH(1,1)-t VaR/ES forecasting and backtesting, end to end.
//
// 1. Simulates 3 000 daily returns from a known GARCH(1,1) with standardised Student-t innovations
//    (ω = 2e-6, α = 0.08, β = 0.90, ν = 6; fixed seed), standing in for a crypto return series.
// 2. Rolls forward over the last 2 000 days: every 250 days it refits a Student-t GARCH(1,1) by
//    maximum likelihood on the previous 1 000 returns; each day it forecasts σ_{t} from the returns
//    before t and sets the one-day 99 % VaR_t = −σ_t z_{0.01} and ES_t = σ_t E[−z | −z ≥ −z_{0.01}]
//    (the standardised-t quantile and closed-form tail mean, via Boost.Math).
// 3. Backtests the forecasts: Kupiec POF, Christoffersen independence / conditional coverage, the
//    Basel traffic light (last 250 days, and all days), and the Acerbi–Szekely Z2 ES test with a
//    seeded Monte Carlo p-value simulated from the forecast distributions.
// 4. Writes garch_var_backtest.csv and garch_var_backtest.gp (gnuplot) to the directory given as the
//    first argument (default: the current directory), and renders garch_var_backtest.png when
//    gnuplot is on the PATH (otherwise prints the command); beside them the backtest as data
//    (garch_var_backtest_series / _tests, CSV and, with nlohmann-json, JSON; columns in docs/io.md).
//
// Usage: garch_var_backtest [output-directory]
#include <margincall/risk/backtest_acerbi_szekely.hpp>
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_exceptions.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/backtest_traffic_light.hpp>
#include <margincall/io/report_csv.hpp>
#if __has_include(<nlohmann/json.hpp>)
#include <margincall/io/report_json.hpp>
#endif
#include <margincall/volatility/garch11.hpp>
#include <margincall/volatility/garch11_fit.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char* zone_name(margincall::traffic_light_zone z) {
    switch (z) {
        case margincall::traffic_light_zone::green: return "green";
        case margincall::traffic_light_zone::yellow: return "yellow";
        case margincall::traffic_light_zone::red: return "red";
    }
    return "?";
}

int run(const std::filesystem::path& out_dir) {
    constexpr std::size_t total = 3000, window = 1000, refit_every = 250;
    constexpr double confidence = 0.99;

    // 1. A GARCH(1,1)-t path with a 500-day burn-in.
    std::mt19937_64 generator(20261128);
    std::vector<double> returns(total);
    {
        const double omega = 2e-6, alpha = 0.08, beta = 0.90, nu = 6.0;
        std::student_t_distribution<double> t(nu);
        const double scale = std::sqrt((nu - 2) / nu);
        double h = omega / (1 - alpha - beta);
        for (std::size_t i = 0; i < total + 500; ++i) {
            const double r = std::sqrt(h) * t(generator) * scale;
            h = omega + alpha * r * r + beta * h;
            if (i >= 500) returns[i - 500] = r;
        }
    }

    // 2. Rolling forecasts for days window .. total − 1.
    const std::size_t days = total - window;
    std::vector<double> losses(days), var(days), es(days), sigma(days), shape(days);
    std::unique_ptr<margincall::garch11<double>> model;
    double variance = 0;  // σ²_t for the day being forecast
    for (std::size_t d = 0; d < days; ++d) {
        const std::size_t t = window + d;
        if (d % refit_every == 0) {
            const std::span<const double> past(returns.data() + (t - window), window);
            const auto fit = margincall::fit_garch11<double>(past, margincall::garch_innovation::student_t);
            model = std::make_unique<margincall::garch11<double>>(fit.model);
            std::vector<double> filtered(window);
            variance = model->filter(past, filtered);  // σ²_t from returns before t only
            std::printf("refit on days %zu..%zu: omega=%.3g alpha=%.4f beta=%.4f nu=%.2f  (logL %.1f%s)\n",
                        t - window, t - 1, model->omega(), model->alpha(), model->beta(), model->shape(),
                        fit.log_likelihood, fit.converged ? "" : ", NOT converged");
        } else {
            variance = model->next_variance(variance, returns[t - 1]);
        }
        sigma[d] = std::sqrt(variance);
        shape[d] = model->shape();
        var[d] = -sigma[d] * model->innovation_quantile(1 - confidence);
        es[d] = sigma[d] * model->innovation_expected_shortfall(confidence);
        losses[d] = -returns[t];
    }

    // 3. Backtests.
    auto hits = std::make_unique<bool[]>(days);
    const std::size_t exceptions =
        margincall::var_exceptions<double>(losses, var, std::span<bool>(hits.get(), days));
    const std::span<const bool> hit_span(hits.get(), days);
    const auto kupiec = margincall::kupiec_test(hit_span, confidence);
    const auto christoffersen = margincall::christoffersen_test(hit_span, confidence);
    const margincall::basel_traffic_light<double> basel;  // 250 days at 99 %
    const std::size_t last = 250;
    std::size_t recent = 0;
    for (std::size_t d = days - last; d < days; ++d) recent += hits[d] ? 1U : 0U;
    const margincall::basel_traffic_light<double> whole(days, confidence);
    std::mt19937_64 mc(7);
    const auto z2 = margincall::acerbi_szekely_z2_test<double>(
        losses, var, es, confidence,
        [&](std::size_t d, std::mt19937_64& g) {
            const double nu = shape[d];
            std::student_t_distribution<double> t(nu);
            return -sigma[d] * t(g) * std::sqrt((nu - 2) / nu);
        },
        mc, 2000);

    std::printf("\n%zu one-day %.0f%% VaR forecasts, %zu exceptions (expected %.1f)\n", days, 100 * confidence,
                exceptions, kupiec.expected_exceptions);
    std::printf("Kupiec POF:           LR_uc  = %7.3f  p = %.4f\n", kupiec.unconditional_coverage.statistic,
                kupiec.unconditional_coverage.p_value);
    std::printf("Christoffersen:       LR_ind = %7.3f  p = %.4f   (n00 %zu, n01 %zu, n10 %zu, n11 %zu)\n",
                christoffersen.independence.statistic, christoffersen.independence.p_value,
                christoffersen.transitions[0][0], christoffersen.transitions[0][1], christoffersen.transitions[1][0],
                christoffersen.transitions[1][1]);
    std::printf("                      LR_cc  = %7.3f  p = %.4f\n", christoffersen.conditional_coverage.statistic,
                christoffersen.conditional_coverage.p_value);
    std::printf("Basel traffic light:  last 250 days: %zu exceptions -> %s (plus factor %.2f)\n", recent,
                zone_name(basel.zone(recent)), margincall::basel_plus_factor(recent));
    std::printf("                      all %zu days: %zu exceptions -> %s (yellow from %zu, red from %zu)\n", days,
                exceptions, zone_name(whole.zone(exceptions)), whole.yellow_begin(), whole.red_begin());
    std::printf("Acerbi-Szekely Z2:    Z2 = %.3f  p = %.4f (+/- %.4f, %zu simulations)\n", z2.statistic, z2.p_value,
                z2.p_value_standard_error, z2.simulations);

    // 4. CSV, gnuplot script, PNG.
    std::filesystem::create_directories(out_dir);
    const auto csv = out_dir / "garch_var_backtest.csv";
    const auto gp = out_dir / "garch_var_backtest.gp";
    const auto png = out_dir / "garch_var_backtest.png";
    {
        std::ofstream out(csv);
        out << "day,return,loss,var99,es99,exception\n";
        out.precision(10);
        for (std::size_t d = 0; d < days; ++d)
            out << window + d << ',' << returns[window + d] << ',' << losses[d] << ',' << var[d] << ',' << es[d] << ','
                << (hits[d] ? 1 : 0) << '\n';
        if (!out) throw std::runtime_error("cannot write " + csv.string());
    }
    // The backtest as data beside the chart (io/report_table.hpp, columns in docs/io.md).
    const auto series = margincall::backtest_series_table<double>(losses, var, es);
    const auto tests = margincall::backtest_table(kupiec, christoffersen, z2);
    margincall::save_csv((out_dir / "garch_var_backtest_series.csv").string(), series);
    margincall::save_csv((out_dir / "garch_var_backtest_tests.csv").string(), tests);
#if __has_include(<nlohmann/json.hpp>)
    margincall::save_json((out_dir / "garch_var_backtest_series.json").string(), series);
    margincall::save_json((out_dir / "garch_var_backtest_tests.json").string(), tests);
#endif
    {
        std::ofstream out(gp);
        out << "# gnuplot script written by garch_var_backtest: returns against the 99% VaR line\n"
            << "set datafile separator ','\n"
            << "set terminal pngcairo size 1400,600 noenhanced\n"
            << "set output '" << png.string() << "'\n"
            << "set title 'GARCH(1,1)-t one-day 99% VaR: " << exceptions << " exceptions in " << days << " days'\n"
            << "set xlabel 'day'\nset ylabel 'daily return'\nset key top left\n"
            << "plot '" << csv.string() << "' every ::1 using 1:2 with impulses lc rgb '#9090a0' title 'return', \\\n"
            << "     '' every ::1 using 1:(-$4) with lines lw 2 lc rgb '#d04020' title '-VaR 99%', \\\n"
            << "     '' every ::1 using 1:($6 > 0 ? $2 : 1/0) with points pt 7 ps 1.2 lc rgb '#000000' title 'exception'\n";
        if (!out) throw std::runtime_error("cannot write " + gp.string());
    }
    std::printf("\nwrote %s and %s\n", csv.string().c_str(), gp.string().c_str());
    if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
        const std::string command = "gnuplot '" + gp.string() + "'";
        if (std::system(command.c_str()) == 0)
            std::printf("wrote %s\n", png.string().c_str());
        else
            std::printf("gnuplot failed; run: %s\n", command.c_str());
    } else {
        std::printf("gnuplot not found; to draw the chart install it (Debian: gnuplot-nox) and run: gnuplot '%s'\n",
                    gp.string().c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::current_path());
    } catch (const std::exception& e) {
        std::cerr << "garch_var_backtest: " << e.what() << '\n';
        return 1;
    }
}
