// margin_call_book: a synthetic exchange book of 100,000 accounts on two USDⓈ-M perpetuals
// (BTCUSDT, ETHUSDT) with Binance-style tier schedules, re-marked across a sequence of price
// moves. Per move it prints how many margin pools are healthy / in warning / in margin call /
// in liquidation, the total call amount and how long the re-mark took. Then it takes one
// account and shows that an order preview and the executed order agree.
//
// Everything is generated from a fixed seed, so every run prints the same book figures
// (the timings vary with the machine).

#include <margincall/contracts/linear_contract.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

namespace {

using linear = margincall::linear_contract<double>;
using schedule = margincall::tier_schedule<double>;
using table = margincall::bracket_table<double>;

// Binance BTCUSDT leverage brackets, a real GET /fapi/v1/leverageBracket response
// (repo boolean404/heikin-ashi-trading-bot, json/fapiPrivate_get_leverage_bracket.py,
// commit f4c6c76f; see docs/margin.md). The cum column is Binance's own and is checked by
// tier_schedule against the continuity recursion.
schedule btcusdt() {
    return schedule({{0, 50000, 125, 0.004, 0.0},
                     {50000, 250000, 100, 0.005, 50.0},
                     {250000, 3000000, 50, 0.01, 1300.0},
                     {3000000, 20000000, 20, 0.025, 46300.0},
                     {20000000, 40000000, 10, 0.05, 546300.0},
                     {40000000, 100000000, 5, 0.1, 2546300.0},
                     {100000000, 120000000, 4, 0.125, 5046300.0},
                     {120000000, 200000000, 3, 0.15, 8046300.0},
                     {200000000, 300000000, 2, 0.25, 28046300.0},
                     {300000000, 500000000, 1, 0.5, 103046300.0}});
}

// Binance ETHUSDT brackets of 2021 (MMR and cum from gist crackcomm/e29582030d9eeac6c6124a7503cd0ac2).
// That source gives no maximum leverage per bracket; we set 1 / (2 × MMR) rounded down
// (maintenance = half the initial margin at max leverage, the Hyperliquid convention).
schedule ethusdt() {
    const double inf = std::numeric_limits<double>::infinity();
    return schedule({{0, 10000, 100, 0.005, 0.0},
                     {10000, 100000, 76, 0.0065, 15.0},
                     {100000, 500000, 50, 0.01, 365.0},
                     {500000, 1000000, 25, 0.02, 5365.0},
                     {1000000, 2000000, 10, 0.05, 35365.0},
                     {2000000, 5000000, 5, 0.1, 135365.0},
                     {5000000, 10000000, 4, 0.125, 260365.0},
                     {10000000, 20000000, 3, 0.15, 510365.0},
                     {20000000, inf, 2, 0.25, 2510365.0}});
}

constexpr std::size_t accounts = 100000;
constexpr double btc0 = 60000.0, eth0 = 3000.0;

// A position: leverage, log-uniform notional within what the leverage allows, entry near
// the current mark, random side.
struct drawn {
    double quantity, entry, leverage;
};
drawn draw(std::mt19937_64& gen, const schedule& s, double mark) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    static const double levels[] = {2, 3, 5, 10, 10, 20, 20, 25, 50, 75, 100};
    const double leverage = std::min(levels[static_cast<std::size_t>(u(gen) * 11.0)], s.tiers()[0].max_leverage);
    const double cap = std::min(s.max_size(leverage), 5e6);
    const double notional = std::min(200.0 * std::exp(u(gen) * 9.0), 0.9 * cap);  // 200 .. 1.6M
    const double side = u(gen) < 0.55 ? 1.0 : -1.0;
    const double entry = mark * (0.997 + 0.006 * u(gen));  // within ±0.3 % of the mark
    return {side * notional / entry, entry, leverage};
}

}  // namespace

int main() {
    const schedule btc_s = btcusdt(), eth_s = ethusdt();
    const std::vector<linear> contracts{linear{}, linear{}};
    const std::vector<table> models{table(btc_s), table(eth_s)};
    const margincall::status_thresholds<double> thresholds{0.5, 0.8, false};

    // The book: every account has a cross pool (wallet + one or two cross positions); a
    // quarter also holds an isolated ETH position, which is a pool of its own.
    margincall::position_book<double> book;
    book.reserve(accounts * 5 / 4, accounts * 2);
    std::mt19937_64 gen(20261128);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t a = 0; a < accounts; ++a) {
        const bool both = u(gen) < 0.4;
        const bool btc_leg = both || u(gen) < 0.6;
        const drawn b = draw(gen, btc_s, btc0);
        const drawn e = draw(gen, eth_s, eth0);
        double im = 0.0;
        if (btc_leg) im += std::abs(b.quantity) * btc0 / b.leverage;
        if (both || !btc_leg) im += std::abs(e.quantity) * eth0 / e.leverage;
        book.add_pool(im * (1.2 + 2.0 * u(gen)));  // wallet: 1.2x to 3.2x the initial margin
        if (btc_leg) book.add_position(0, b.quantity, b.entry, b.leverage);
        if (both || !btc_leg) book.add_position(1, e.quantity, e.entry, e.leverage);
        if (u(gen) < 0.25) {  // an isolated ETH position with margin 1.1x to 2x its IM
            const drawn x = draw(gen, eth_s, eth0);
            book.add_pool(std::abs(x.quantity) * eth0 / x.leverage * (1.1 + 0.9 * u(gen)));
            book.add_position(1, x.quantity, x.entry, x.leverage);
        }
    }
    std::printf("margin_call_book: %zu accounts, %zu margin pools (cross accounts + isolated positions), "
                "%zu positions, %.1f MB of columns\n",
                accounts, book.pools(), book.positions(), static_cast<double>(book.bytes()) / 1e6);
    std::printf("thresholds: warning at MM/equity >= %.2f, margin call at >= %.2f, liquidation at equity <= MM\n\n",
                thresholds.warning_ratio, thresholds.call_ratio);

    // A sell-off and a rebound: BTC moves, ETH moves 1.3x as much.
    const double moves[] = {0.0, -0.01, -0.02, -0.04, -0.06, -0.09, -0.12, -0.08, -0.03, 0.02, 0.05};
    std::vector<margincall::margin_status> status(book.pools());
    std::vector<double> call(book.pools());
    // "called": the call amounts of the pools in margin call or liquidation, what the venue demands;
    // "below IM": every pool's max(0, IM − equity), including healthy pools that cannot open more.
    std::printf("%8s %10s %9s %9s %9s %9s %9s %14s %14s %10s\n", "BTC move", "BTC", "ETH", "healthy", "warning", "call",
                "liquid.", "called USDT", "below IM USDT", "re-mark ms");
    for (const double m : moves) {
        const std::vector<double> marks{btc0 * (1.0 + m), eth0 * (1.0 + 1.3 * m)};
        const auto t0 = std::chrono::steady_clock::now();
        const auto totals = margincall::remark<linear, table, double>(book, contracts, models, marks, thresholds,
                                                                      {{}, {}, {}, call, status});
        const std::chrono::duration<double, std::milli> dt = std::chrono::steady_clock::now() - t0;
        std::printf("%+7.1f%% %10.1f %9.2f %9zu %9zu %9zu %9zu %14.0f %14.0f %10.2f\n", 100.0 * m, marks[0], marks[1],
                    totals[margincall::margin_status::healthy], totals[margincall::margin_status::warning],
                    totals[margincall::margin_status::margin_call], totals[margincall::margin_status::liquidation],
                    totals.called_amount, totals.call_amount, dt.count());
    }

    // One account through the live model: the preview of an order is the account after it.
    using account_t = margincall::account<linear, schedule>;
    account_t acc(5000.0);
    acc.add_position({btc_s, {.symbol = 0, .leverage = 20, .quantity = 0.5, .entry_price = btc0}});
    acc.add_position({eth_s,
                      {.symbol = 1,
                       .leverage = 10,
                       .mode = margincall::margin_mode::isolated,
                       .quantity = -4.0,
                       .entry_price = eth0,
                       .isolated_margin = 1300.0}});
    const std::vector<double> marks{btc0 * 0.95, eth0 * 1.02};
    const auto live = acc.evaluate(marks);
    const double room = acc.max_order_quantity(0, margincall::position_side::both, margincall::side::long_side,
                                               marks[0], marks);
    const margincall::order<double> buy{0, margincall::position_side::both, 0.5 * room, marks[0]};
    const auto preview = acc.preview(buy, marks);
    const auto executed = acc.execute(buy, marks);
    const auto after = acc.evaluate(marks);
    std::printf("\none account (BTC 0.5 long cross at 20x, ETH 4 short isolated at 10x), BTC -5%%, ETH +2%%:\n");
    std::printf("  cross: equity %.2f, IM %.2f, MM %.2f, ratio %.4f, %s; isolated ETH: equity %.2f, %s\n",
                live.cross.equity, live.cross.initial_margin, live.cross.maintenance_margin, live.cross.margin_ratio,
                margincall::to_string(live.cross.status), live.pools[1].equity, margincall::to_string(live.pools[1].status));
    std::printf("  largest BTC buy the balance and tiers allow: %.6f BTC; preview of buying half of it: %s,\n"
                "  entry %.2f, cross IM %.2f, available %.2f\n",
                room, margincall::to_string(preview.check), preview.entry_price, preview.after.cross.initial_margin,
                preview.after.cross.available_balance);
    const bool same = executed.check == preview.check && after.cross.equity == preview.after.cross.equity &&
                      after.cross.initial_margin == preview.after.cross.initial_margin &&
                      after.cross.maintenance_margin == preview.after.cross.maintenance_margin &&
                      after.cross.status == preview.after.cross.status;
    std::printf("  executed: live figures %s the preview\n", same ? "equal" : "DIFFER FROM");
    return same ? 0 : 1;
}
