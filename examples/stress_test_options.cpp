// Stress-tests a covered-call vault and a short-straddle account under the named scenarios that
// ship with margincall (stress/named_scenarios.hpp), with layered margin over Deribit-style
// portfolio margin, and prints the scenario table: P&L, exit cost, margin before and after, the
// layer breached, the call amount and whether the account would be liquidated. Then shows the
// same straddle under SPAN (CME's 16 scenarios) and under risk-based margin (filtered historical ES).
//
// Run: ./stress_test_options
#include <margincall/stress/named_scenarios.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/risk_based_margin.hpp>
#include <margincall/stress/span_margin.hpp>
#include <margincall/stress/stress_test.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace margincall;

namespace {
option_leg<double> leg(option_type t, double strike, double days, double quantity, double vol) {
    option_leg<double> o;
    o.type = t;
    o.strike = strike;
    o.expiry = days / 365.0;
    o.quantity = quantity;
    o.volatility = vol;
    return o;
}
}  // namespace

int main() {
    constexpr double spot = 100000.0;  // BTC in USD
    using enum option_type;
    const leg_liquidity<double> btc_liquidity{0.0005, 0.01, 100.0, 0.5};  // 5 bp half spread, √(size/volume) impact
    std::vector<stress_account<double>> accounts;
    // A covered-call vault: 10 BTC held, 10 calls sold across two expiries, 250,000 USD of cash.
    accounts.push_back({"covered-call vault",
                        {spot, {leg(call, 110000, 7, -5, 0.50), leg(call, 120000, 30, -5, 0.65)}, {{10.0, 1.0, btc_liquidity}}},
                        250000.0});
    // A short straddle at the money, 30 days, with 38,000 USD of cash.
    accounts.push_back({"short straddle",
                        {spot, {leg(call, 100000, 30, -1, 0.55), leg(put, 100000, 30, -1, 0.60)}},
                        38000.0});

    std::vector<stress_scenario<double>> scenarios;
    for (const auto& s : named_scenarios) scenarios.push_back({std::string(s.name), to_market_shock<double>(s)});

    const layered_margin<double, portfolio_margin<double>> margin{portfolio_margin<double>{}, 0.3};
    const auto rows = run_stress_test(std::span<const stress_account<double>>(accounts),
                                      std::span<const stress_scenario<double>>(scenarios), margin);

    std::printf("Layered portfolio margin (Deribit-style grid +-16%%, MM = 0.8 IM, liquidation buffer 30%% of MM)\n\n");
    std::printf("%-22s %-20s %12s %10s %12s %11s %11s %11s %-17s %10s %s\n", "scenario", "account", "P&L", "exit cost",
                "equity after", "MM before", "MM after", "IM after", "status", "call", "liquidated");
    for (const auto& r : rows)
        std::printf("%-22s %-20s %12.0f %10.0f %12.0f %11.0f %11.0f %11.0f %-17s %10.0f %s\n",
                    scenarios[r.scenario].name.c_str(), accounts[r.account].name.c_str(), r.pnl, r.exit_cost, r.equity_after,
                    r.before.maintenance_margin, r.after.maintenance_margin, r.after.initial_margin, to_string(r.after.status),
                    r.after.call_amount, r.liquidated() ? "yes" : "no");

    // The straddle under SPAN: price scan range 10 % of spot, volatility scan range 10 points.
    const auto& straddle = accounts[1].book;
    constexpr auto cme = cme_span_scenarios<double>();
    const span_parameters<double> span_p{10000.0, 0.10, 100.0};
    std::array<double, 16> losses{};
    span_risk_array(straddle, span_p, std::span<const span_scenario<double>>(cme), std::span<double>(losses));
    std::printf("\nSPAN risk array of the short straddle (losses, USD; PSR 10,000, VSR 10 vol):\n");
    for (std::size_t i = 0; i < losses.size(); ++i)
        std::printf("  %2zu  price %+5.2f  vol %+2.0f  covered %3.0f%%  loss %10.1f\n", i + 1, cme[i].price_fraction,
                    cme[i].vol_fraction, 100.0 * cme[i].covered_fraction, losses[i]);
    const auto sr = span_requirement(straddle, span_p, std::span<const span_scenario<double>>(cme));
    std::printf("  scanning risk %.1f, short option minimum %.1f, requirement %.1f\n", sr.scanning_risk,
                sr.short_option_minimum, sr.requirement);

    // The straddle under risk-based margin: ES 99 % over a 2-day MPOR from 750 synthetic days of
    // GARCH(1,1) returns with Student-t(4) shocks (long-run daily vol 3 %, fixed seed), each day's
    // return filtered from its own conditional vol to today's forecast.
    std::mt19937_64 gen(2024);
    std::student_t_distribution<double> t4(4.0);
    std::vector<double> returns(750), sigmas(750);
    double var = 0.03 * 0.03;
    for (std::size_t t = 0; t < returns.size(); ++t) {
        sigmas[t] = std::sqrt(var);
        returns[t] = sigmas[t] * t4(gen) / std::sqrt(2.0);  // t(4) has variance 2
        var = 0.02 * 0.03 * 0.03 + 0.08 * returns[t] * returns[t] + 0.90 * var;  // ω = (1 − α − β)·0.03²
    }
    const historical_scenarios<double> hist{returns, {}, sigmas, std::sqrt(var)};
    const risk_based_margin<double> rbm{hist, risk_based_parameters<double>{0.99, 2.0, tail_measure::expected_shortfall, 0.8}};
    const auto rb = rbm.evaluate(straddle);
    std::printf("\nRisk-based margin of the short straddle (FHS, 750 days, 2-day MPOR, 99 %%): VaR %.0f, ES %.0f -> IM %.0f, MM %.0f\n",
                rb.tail.value_at_risk, rb.tail.expected_shortfall, rb.initial_margin, rb.maintenance_margin);
    return 0;
}
