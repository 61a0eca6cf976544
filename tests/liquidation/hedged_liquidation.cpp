// Tests of include/margincall/liquidation/hedged_liquidation.hpp: hedge-mode pairs against a
// brute-force scan of the surplus (the hand-derived and published hedge cases are in
// tests/liquidation/liquidation_price.cpp's edge cases and tests/liquidation/bracket_liquidation.cpp).
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/liquidation/hedged_liquidation.hpp>

#include <cmath>
#include <random>

#include "catch.hpp"

using namespace margincall;

namespace {
// Binance BTCUSDT leverage brackets (GET /fapi/v1/leverageBracket;
// tests/reference/binance_btcusdt_brackets.csv, sources in tests/reference/brackets_sources.md).
tier_schedule<double> btcusdt() {
    return tier_schedule<double>({{0, 50'000, 125, 0.004, 0.0},
                                  {50'000, 250'000, 100, 0.005, 50.0},
                                  {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                  {3'000'000, 20'000'000, 20, 0.025, 46'300.0},
                                  {20'000'000, 40'000'000, 10, 0.05, 546'300.0},
                                  {40'000'000, 100'000'000, 5, 0.1, 2'546'300.0},
                                  {100'000'000, 120'000'000, 4, 0.125, 5'046'300.0},
                                  {120'000'000, 200'000'000, 3, 0.15, 8'046'300.0},
                                  {200'000'000, 300'000'000, 2, 0.25, 28'046'300.0},
                                  {300'000'000, 500'000'000, 1, 0.5, 103'046'300.0}});
}
}  // namespace

TEST_CASE("random hedge-mode books: every returned price is a root and nothing nearer is missed", "[liquidation]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> size(0.0, 400.0);
    std::uniform_real_distribution<double> price_draw(20'000.0, 40'000.0);
    std::uniform_real_distribution<double> wallet_draw(1'000.0, 2'000'000.0);
    const auto usdt = btcusdt();
    const linear_contract<double> lin{};
    for (int i = 0; i < 1500; ++i) {
        const position_leg<double> lg{size(rng), price_draw(rng)};
        const position_leg<double> sh{-size(rng), price_draw(rng)};
        const double wallet = wallet_draw(rng);
        const double mark = 30'000.0;
        auto f = [&](double p) {
            return wallet + lin.pnl(lg.quantity, lg.entry_price, p) + lin.pnl(sh.quantity, sh.entry_price, p) -
                   usdt.maintenance_margin(lin.notional(lg.quantity, p)) -
                   usdt.maintenance_margin(lin.notional(sh.quantity, p));
        };
        const auto r = liquidation_prices_hedged(lin, usdt, lg, sh, {wallet}, mark);
        if (f(mark) < 0) {
            CHECK(r.downside.status == liquidation_status::already_liquidated);
            continue;
        }
        const double scale = lin.notional(lg.quantity, mark) + lin.notional(sh.quantity, mark) + wallet;
        // Brute force on a grid between the roots and the mark: no sign change nearer the mark.
        const double lo = r.downside.found() ? r.downside.price : 1.0;
        const double hi = r.upside.found() ? r.upside.price : 1e6;
        if (r.downside.found()) CHECK(std::abs(f(r.downside.price)) <= 1e-9 * scale);
        if (r.upside.found()) CHECK(std::abs(f(r.upside.price)) <= 1e-9 * scale);
        bool negative_inside = false;
        for (int k = 1; k < 400; ++k) {
            const double p = lo + (hi - lo) * k / 400.0;
            if (f(p) < -1e-9 * scale) negative_inside = true;
        }
        CHECK_FALSE(negative_inside);
    }
}
