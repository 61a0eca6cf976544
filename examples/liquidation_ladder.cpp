// A liquidation ladder: where a BTCUSDT position is liquidated, per leverage and per tier, with
// the distance in daily standard deviations and the chance of reaching it within a day.
//
//   liquidation_ladder [quantity_btc] [entry_price] [annual_volatility]
//   (defaults: 10 BTC long at 30,000, 60 % volatility; a negative quantity is a short)
//
// Brackets: Binance BTCUSDT leverage brackets (GET /fapi/v1/leverageBracket), isolated margin
// = notional / leverage, mark = entry. Formulas and sources: docs/liquidation.md.
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_probability.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>

int main(int argc, char** argv) {
    try {
        const double quantity = argc > 1 ? std::strtod(argv[1], nullptr) : 10.0;
        const double entry = argc > 2 ? std::strtod(argv[2], nullptr) : 30'000.0;
        const double volatility = argc > 3 ? std::strtod(argv[3], nullptr) : 0.6;
        const margincall::tier_schedule<double> brackets({{0, 50'000, 125, 0.004},
                                                          {50'000, 250'000, 100, 0.005},
                                                          {250'000, 3'000'000, 50, 0.01},
                                                          {3'000'000, 20'000'000, 20, 0.025},
                                                          {20'000'000, 40'000'000, 10, 0.05},
                                                          {40'000'000, 100'000'000, 5, 0.1},
                                                          {100'000'000, 120'000'000, 4, 0.125},
                                                          {120'000'000, 200'000'000, 3, 0.15},
                                                          {200'000'000, 300'000'000, 2, 0.25},
                                                          {300'000'000, 500'000'000, 1, 0.5}});
        const margincall::linear_contract<double> btcusdt{};
        const double day = 1.0 / 365.0;

        auto row = [&](double q, double leverage) {
            const double notional = std::abs(q) * entry;
            const auto lp = margincall::liquidation_price(btcusdt, brackets, {q, entry}, {notional / leverage}, entry);
            if (!lp.found()) {
                std::printf("%10.2f %8.1fx %16.0f   %-22s\n", q, leverage, notional, margincall::to_string(lp.status));
                return;
            }
            const double distance = margincall::distance_to_liquidation(entry, lp.price, volatility, day);
            const double p_day = margincall::liquidation_probability(entry, lp.price, volatility, day);
            std::printf("%10.2f %8.1fx %16.0f %12.2f %6zu %9.2f%% %10.2f %11.4f%%\n", q, leverage, notional, lp.price,
                        lp.tier + 1, 100.0 * (lp.price / entry - 1.0), distance, 100.0 * p_day);
        };
        const char* header = "  quantity leverage    notional USDT   liq. price   tier   vs entry   daily sd   P(1 day)\n";

        std::printf("Liquidation ladder, %s %.4g BTC at %.2f USDT, isolated, volatility %.0f %%\n\n",
                    quantity >= 0 ? "long" : "short", std::abs(quantity), entry, 100.0 * volatility);
        std::printf("Per leverage (the size's tier caps the leverage):\n%s", header);
        const double max_leverage = brackets.max_leverage(std::abs(quantity) * entry);
        for (const double leverage : {1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 25.0, 50.0, 75.0, 100.0, 125.0})
            if (leverage <= max_leverage) row(quantity, leverage);

        std::printf("\nPer tier (a size in the middle of the tier, at the tier's max leverage):\n%s", header);
        for (const auto& t : brackets.tiers()) {
            const double size = (t.floor + t.cap) / 2 / entry;
            row(quantity >= 0 ? size : -size, t.max_leverage);
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "liquidation_ladder: %s\n", e.what());
        return 1;
    }
}
