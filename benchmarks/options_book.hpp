// The synthetic options book shared by benchmarks/options.cpp and the QuantLib peer
// (benchmarks/peers/options_quantlib.cpp), so both price exactly the same options.
#pragma once

#include <margincall/options/option_batch.hpp>
#include <margincall/options/option_type.hpp>

#include <cmath>
#include <cstddef>
#include <map>
#include <random>
#include <vector>

namespace margincall_bench {

struct options_book_columns {
    std::vector<margincall::option_type> type;
    std::vector<double> spot, strike, expiry, rate, carry, volatility;
    [[nodiscard]] margincall::option_batch view() const {
        return {type, spot, strike, expiry, rate, carry, volatility};
    }
};

// A crypto options book: BTC at 60,000, strikes e^±0.7 around it, expiries 1 day..1 year,
// vols 20%..150%; fixed seed, built once per size.
inline const options_book_columns& options_book(std::size_t n) {
    static std::map<std::size_t, options_book_columns> cache;
    auto& b = cache[n];
    if (b.spot.empty()) {
        std::mt19937_64 gen(42);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t i = 0; i < n; ++i) {
            b.type.push_back(u(gen) < 0.5 ? margincall::option_type::call : margincall::option_type::put);
            b.spot.push_back(60000.0);
            b.strike.push_back(60000.0 * std::exp(1.4 * u(gen) - 0.7));
            b.expiry.push_back(1.0 / 365.0 + u(gen));
            b.rate.push_back(0.05 * u(gen));
            b.carry.push_back(0.05 * u(gen));
            b.volatility.push_back(0.2 + 1.3 * u(gen));
        }
    }
    return b;
}

/// The textbook formula on the C library (std::erfc, std::exp, std::log, std::sqrt), the plain-loop
/// baseline of the options benchmarks: the price, and the delta into *delta unless delta is null.
inline double textbook_erfc_price(margincall::option_type type, double spot, double strike, double expiry, double rate,
                                  double carry, double volatility, double* delta) {
    const double w = type == margincall::option_type::call ? 1.0 : -1.0;
    const double sd = volatility * std::sqrt(expiry);
    const double carry_factor = std::exp((carry - rate) * expiry);
    const double discount = std::exp(-rate * expiry);
    const double d1 = (std::log(spot / strike) + carry * expiry) / sd + 0.5 * sd;
    const double n1 = 0.5 * std::erfc(-w * d1 * 0.70710678118654752440);
    const double n2 = 0.5 * std::erfc(-w * (d1 - sd) * 0.70710678118654752440);
    if (delta != nullptr) *delta = w * carry_factor * n1;
    return w * (spot * carry_factor * n1 - strike * discount * n2);
}

}  // namespace margincall_bench
