// The heavy risk runs of a venue on all cores (margincall::parallel, oneTBB): the historical
// VaR/ES of one 10^7-scenario P&L sample, a full-revaluation Monte Carlo VaR of an option book,
// and a stress report of 300 accounts under 24 scenarios. Each runs on the sequential executor
// and on a oneTBB arena of every core; the figures are the same bits (the library's guarantee:
// chunks fixed by the work, counter-based random streams, exact tail merges), only the time
// differs.
//
//   build/release/examples/parallel_risk
#include <margincall/options/black_scholes.hpp>
#include <margincall/parallel/philox.hpp>
#include <margincall/parallel/tail_merge.hpp>
#include <margincall/parallel/tbb_executor.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/stress_test.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace {
template <class F>
auto timed(double& seconds, F&& f) {
    const auto start = std::chrono::steady_clock::now();
    auto result = f();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}
}  // namespace

int main() {
    using namespace margincall;
    const sequential_executor one;
    const tbb_executor all(std::max(1u, std::thread::hardware_concurrency()));
    std::printf("workers: 1 and %zu\n\n", all.workers());
    double t1 = 0, tn = 0;

    // 1. Historical VaR/ES (99 %) of 10^7 daily P&L scenarios (Student-t, 3 degrees of freedom).
    std::vector<double> pnl(10'000'000);
    std::mt19937_64 gen(42);
    std::student_t_distribution<double> t3(3.0);
    for (auto& x : pnl) x = 1.0e5 * t3(gen);
    const historical_simulation<double> on_pnl{quantile_type::type1, sample_sign::profit_and_loss};
    const auto h1 = timed(t1, [&] { return historical_tail_risk(one, std::span<const double>(pnl), 0.99, on_pnl); });
    const auto hn = timed(tn, [&] { return historical_tail_risk(all, std::span<const double>(pnl), 0.99, on_pnl); });
    std::printf("historical, 10^7 scenarios:   VaR %.2f  ES %.2f  | %.1f ms -> %.1f ms  same bits: %s\n",
                h1.value_at_risk, h1.expected_shortfall, 1e3 * t1, 1e3 * tn,
                h1.value_at_risk == hn.value_at_risk && h1.expected_shortfall == hn.expected_shortfall ? "yes" : "NO");

    // 2. Monte Carlo VaR (99 %), full revaluation: 30 Black-Scholes options on 3 correlated
    //    underlyings, 100,000 Philox paths (path i draws the same numbers on any worker).
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(3);
    Eigen::MatrixXd cov(3, 3);
    cov << 0.0004, 0.0002, 0.0001, 0.0002, 0.0009, 0.0003, 0.0001, 0.0003, 0.0016;
    const monte_carlo_var<double> model(mean, cov);
    const double spot[3] = {100.0, 50.0, 20.0};
    const auto value = [&](std::span<const double> x) {
        double v = 0;
        for (std::size_t u = 0; u < 3; ++u)
            for (int j = 0; j < 10; ++j) {
                const option_inputs<double> in{spot[u] * std::exp(x[u]), spot[u] * (0.8 + 0.04 * j), 0.25, 0.03, 0.03, 0.4};
                v += (j % 2 == 0 ? 100.0 : -60.0) * black_scholes_price(j % 3 == 0 ? option_type::put : option_type::call, in);
            }
        return v;
    };
    const double zero[3] = {0, 0, 0};
    const double base = value(zero);
    const auto pricer = [&](std::span<const double> x) { return value(x) - base; };
    const philox_streams streams(20261201);
    const monte_carlo_options options{100'000, false, quantile_type::type1};
    const auto m1 = timed(t1, [&] { return model.full_revaluation(pricer, 0.99, streams, options, {}, one); });
    const auto mn = timed(tn, [&] { return model.full_revaluation(pricer, 0.99, streams, options, {}, all); });
    std::printf("Monte Carlo, 10^5 paths:      VaR %.4f  ES %.4f  | %.1f ms -> %.1f ms  same bits: %s\n",
                m1.value_at_risk, m1.expected_shortfall, 1e3 * t1, 1e3 * tn,
                m1.value_at_risk == mn.value_at_risk && m1.expected_shortfall == mn.expected_shortfall ? "yes" : "NO");

    // 3. Stress report: 300 option accounts (short strangles around 100,000) under 24 shocks,
    //    margined by the portfolio-margin grid with a 30 % liquidation buffer.
    std::vector<stress_account<double>> accounts;
    for (int i = 0; i < 300; ++i) {
        const double k = 100000.0 * (0.9 + 0.01 * (i % 20)), expiry = (7.0 + 3.0 * (i % 30)) / 365.0, q = 1.0 + i % 4;
        std::vector<option_leg<double>> legs{{option_type::call, k * 1.1, expiry, -q, 0.5 + 0.01 * (i % 10)},
                                             {option_type::put, k * 0.9, expiry, -q, 0.55 + 0.01 * (i % 10)}};
        accounts.push_back({"account " + std::to_string(i), stress_book<double>(100000.0, std::move(legs)), 30000.0 + 500.0 * i});
    }
    std::vector<stress_scenario<double>> scenarios;
    for (int s = 0; s < 24; ++s) {
        market_shock<double> m;
        m.spot_move = -0.3 + 0.025 * s;
        m.vol_multiplier = 1.0 + 0.25 * (s % 5);
        m.liquidity_factor = 1.0 + (s % 3);
        scenarios.push_back({"shock " + std::to_string(s), m});
    }
    const layered_margin<double, portfolio_margin<double>> margin{portfolio_margin<double>{}, 0.3};
    const std::span<const stress_account<double>> a(accounts);
    const std::span<const stress_scenario<double>> sc(scenarios);
    const auto r1 = timed(t1, [&] { return run_stress_test(a, sc, margin, one); });
    const auto rn = timed(tn, [&] { return run_stress_test(a, sc, margin, all); });
    std::size_t liquidated = 0, same = 0;
    for (std::size_t i = 0; i < r1.size(); ++i) {
        liquidated += r1[i].liquidated() ? 1 : 0;
        same += r1[i].equity_after == rn[i].equity_after && r1[i].after.maintenance_margin == rn[i].after.maintenance_margin;
    }
    std::printf("stress, 300 accounts x 24:    %zu of %zu rows liquidated  | %.1f ms -> %.1f ms  same bits: %s\n", liquidated,
                r1.size(), 1e3 * t1, 1e3 * tn, same == r1.size() ? "yes" : "NO");
}
