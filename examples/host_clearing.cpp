// A clearing house's ES margin on margincall: a member's portfolio of linear futures on three
// underlyings is margined at the 97.5 % Expected Shortfall of its 2-day loss under
// historical-style scenarios (full revaluation). The calculator is assembled from the ES model:
// risk_based_account_margin in the margin_model slot (joint scenario losses across the three
// underlyings, ES by historical simulation), model_liquidation as the solver; the report's IM is
// the ES, its call amount the margin call, its liquidation prices those of the ES requirement.
// Source: ESMA EMIR RTS 153/2013 Art. 24–26 (CCP initial margin: confidence ≥ 99 % for OTC,
// 99.5 %; liquidation period 2 days for exchange-traded derivatives), Eurex Prisma / LCH PAIRS
// (filtered historical simulation, ES over the margin period of risk). docs/example-clearing.md.
// Data: scenarios from a seeded generator (Student-t like fat tails by a normal scale mixture).
#include <margincall/calculator.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace mc = margincall;
using linear = mc::linear_contract<double>;
using es_margin = mc::risk_based_account_margin<double>;  // ES of the joint loss, historical simulation

struct clearing_policies : mc::default_policies<double> {
    using margin_model = es_margin;                              // account-level: no per-position schedule
    using liquidation_solver = mc::model_liquidation<double>;    // prices where equity meets the ES requirement
};
using calculator = mc::margin_call_calculator<clearing_policies>;

int main() {
    // 2,500 two-day scenarios, seeded: correlated Student-t returns with 4 degrees of freedom as a
    // normal variance mixture, t = Z / sqrt(G), G ~ Gamma(shape 2, scale 0.5) (mean 1), scaled by
    // sqrt((ν − 2)/ν) = sqrt(0.5) to unit variance, by the 1-day volatility and by sqrt(2) days.
    const std::size_t scenarios = 2500, symbols = 3;
    const double vol[3] = {0.035, 0.045, 0.06};  // 1-day volatilities
    const double rho = 0.8;
    std::mt19937_64 rng(2026);
    std::normal_distribution<double> z(0.0, 1.0);
    std::gamma_distribution<double> regime(2.0, 0.5);  // mean 1
    // One column of 2-day log returns per underlying, on the same scenario rows (dates).
    std::vector<std::vector<double>> log_returns(symbols, std::vector<double>(scenarios));
    for (std::size_t k = 0; k < scenarios; ++k) {
        const double common = z(rng);
        const double scale = std::sqrt(1.0 / regime(rng)) * std::sqrt(2.0);  // 2-day horizon
        for (std::size_t s = 0; s < symbols; ++s) {
            const double e = rho * common + std::sqrt(1 - rho * rho) * z(rng);
            const double simple = std::expm1(vol[s] * scale * e * std::sqrt(0.5));
            log_returns[s][k] = std::log1p(simple);
        }
    }
    // The returns already span the 2-day period: MPOR 1 scenario step, so S' = S·(1 + simple return).
    // MM = 50 % of IM is this example's own default-management level, not a CCP's published figure.
    const mc::risk_based_parameters<double> p{0.975, 1.0, mc::tail_measure::expected_shortfall, 0.5};
    std::vector<mc::historical_scenarios<double>> history;
    for (const auto& column : log_returns) history.push_back({column});

    mc::liquidation_scan_options<double> scan;
    scan.grid_points = 256;
    const calculator calc(calculator::settings{.margin = es_margin(history, p),
                                               .liquidation = mc::model_liquidation<double>{0.2, 5.0, scan}});
    auto member = calc.make_account(250000.0);  // collateral posted
    const auto& none = mc::no_position_margin<double>::instance();  // positions carry no margin of their own
    using pos = mc::position<linear, mc::no_position_margin<double>>;
    member.add_position(pos(none, {.symbol = 0, .leverage = 1, .quantity = 40.0, .entry_price = 60000.0}));
    member.add_position(pos(none, {.symbol = 1, .leverage = 1, .quantity = -300.0, .entry_price = 3000.0}));
    member.add_position(pos(none, {.symbol = 2, .leverage = 1, .quantity = 5000.0, .entry_price = 150.0}));
    const std::vector<double> marks{61000.0, 3100.0, 140.0};

    const auto r = calc.evaluate(member, marks);
    std::printf("portfolio: equity %.2f over %zu scenarios\n", r.equity, scenarios);
    std::printf("2-day 97.5 %% ES (initial margin) %.2f, maintenance %.2f, status %s\n", r.initial_margin,
                r.maintenance_margin, mc::to_string(r.status));
    std::printf("clearing margin call: %.2f\n", r.call_amount);
    const auto& btc = r.positions[0].prices.liquidation.downside;
    if (btc.found()) std::printf("BTC mark at which equity meets the maintenance level (others held): %.2f\n", btc.price);
    return 0;
}
