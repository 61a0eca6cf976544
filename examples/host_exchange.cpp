// A centralized perpetuals exchange on margincall: Binance-style BTCUSDT brackets, cross-margin
// accounts held once in the host's book, a tick-stream monitor built from the book that finds
// the accounts whose status changed, the calculator for their full report (on the account the
// book hands out), and a liquidation waterfall into an insurance fund.
//
// Waterfall (Binance "Insurance Fund", Bybit "Insurance Fund"): a liquidated account is closed at
// the mark; if equity remains, a liquidation fee min(equity, fee rate × notional) goes to the
// fund; if equity is negative (closed beyond bankruptcy), the fund pays the deficit. When the
// fund cannot, the shortfall would go to auto-deleveraging (counted here, not executed).
// Data: a seeded book and a seeded price path; run without arguments. docs/example-exchange.md.
#include <margincall/automation/book_monitor.hpp>
#include <margincall/calculator.hpp>
#include <margincall/margin/book.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

namespace mc = margincall;
using linear = mc::linear_contract<double>;
using schedule = mc::tier_schedule<double>;

int main() {
    // Binance BTCUSDT brackets 1–5 (GET /fapi/v1/leverageBracket snapshot), the last open-ended.
    const schedule btc({{0, 50000, 125, 0.004, 0.0},
                        {50000, 250000, 100, 0.005, 50.0},
                        {250000, 3000000, 50, 0.01, 1300.0},
                        {3000000, 20000000, 20, 0.025, 46300.0},
                        {20000000, std::numeric_limits<double>::infinity(), 10, 0.05, 546300.0}});
    const mc::status_thresholds<double> levels{0.5, 0.8, false};
    const double liquidation_fee_rate = 0.005;  // 0.5 % of notional at the mark (illustrative)

    // The book: 20,000 cross accounts with one BTCUSDT position each, opened within ±0.2 % of
    // 30,000 at 2x–25x. Rows in, checked once; every reader below works on this one book.
    const std::size_t n = 20000;
    std::vector<mc::account_row<double>> account_rows;
    std::vector<mc::position_row<double>> position_rows;
    account_rows.reserve(n);
    position_rows.reserve(n);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double entry = 30000.0 * (0.998 + 0.004 * u(rng));
        const double q = (u(rng) < 0.6 ? 1.0 : -1.0) * 0.01 * std::pow(1000.0, u(rng));
        const double leverage = 2.0 + 23.0 * u(rng);
        account_rows.push_back({.wallet_balance = std::abs(q) * entry / leverage});
        position_rows.push_back({.account = i, .symbol = 0, .quantity = q, .entry_price = entry, .leverage = leverage});
    }
    const mc::book<linear, schedule> book({linear{}}, {btc}, account_rows, position_rows, levels);
    mc::margin_call_calculator<mc::default_policies<double>> calc;
    // The monitor watches every one-leg pool of the book; book_pool maps its pools back.
    auto watched = mc::monitor_book(book);
    auto& monitor = watched.monitor;
    std::vector<double> marks{30000.0};
    monitor.start(marks);

    // A seeded sell-off: 2,000 ticks, drift −0.01 % per tick, 0.1 % volatility.
    std::normal_distribution<double> shock(-0.0001, 0.001);
    std::vector<mc::status_transition<double>> changes;
    std::vector<bool> closed(n, false);
    double fund = 1.0e6, fees = 0, paid = 0, shortfall = 0;
    std::size_t liquidations = 0, touched = 0, calls = 0;
    for (int tick = 0; tick < 2000; ++tick) {
        marks[0] *= std::exp(shock(rng));
        changes.clear();
        touched += monitor.on_tick(0, marks[0], changes);
        for (const auto& c : changes) {
            if (closed[c.pool]) continue;
            if (c.to == mc::margin_status::margin_call) ++calls;
            if (c.to != mc::margin_status::liquidation) continue;
            // The calculator's report on the account being liquidated.
            const std::size_t account = book.pool_account(watched.book_pool[c.pool]);
            const auto report = calc.evaluate(book.make_account(account), marks);
            const double equity = report.equity;
            const double notional = report.positions[0].figures.notional;
            if (equity >= 0) {
                const double fee = std::min(equity, liquidation_fee_rate * notional);
                fund += fee;
                fees += fee;
            } else if (fund >= -equity) {
                fund += equity;
                paid -= equity;
            } else {
                shortfall += -equity - fund;  // would be auto-deleveraged
                paid += fund;
                fund = 0;
            }
            closed[c.pool] = true;
            ++liquidations;
            if (liquidations <= 3)
                std::printf("tick %4d: account %5zu liquidated at mark %.2f: equity %.2f, MM %.2f, bankruptcy price %.2f\n",
                            tick, account, marks[0], equity, report.maintenance_margin,
                            book.position(book.pool_positions(watched.book_pool[c.pool]).first).quantity > 0
                                ? report.positions[0].prices.bankruptcy.downside.price
                                : report.positions[0].prices.bankruptcy.upside.price);
        }
    }
    std::printf("final mark %.2f after 2000 ticks\n", marks[0]);
    std::printf("accounts %zu, margin calls %zu, liquidations %zu, pools re-evaluated per tick %.1f (of %zu)\n", n, calls,
                liquidations, static_cast<double>(touched) / 2000.0, n);
    std::printf("insurance fund: fees in %.2f, deficits paid %.2f, balance %.2f, shortfall to ADL %.2f\n", fees, paid,
                fund, shortfall);
    return 0;
}
