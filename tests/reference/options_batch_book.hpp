// Reader of tests/reference/options_batch_mpmath.out (the 50-digit reference book of
// tests/reference/options_batch_mpmath.py), shared by tests/options/option_batch_accuracy.cpp
// and benchmarks/options_batch.cpp so both use exactly the same options.
#pragma once

#include <margincall/options/option_batch.hpp>
#include <margincall/options/option_type.hpp>

#include <cstddef>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace margincall_reference {

struct options_batch_book {
    std::vector<margincall::option_type> type;
    std::vector<double> spot, strike, expiry, rate, carry, volatility;
    std::vector<double> price, delta;  // mpmath, 17 significant digits
    /// The first n options as a batch.
    [[nodiscard]] margincall::option_batch view(std::size_t n) const {
        return {{type.data(), n}, {spot.data(), n},  {strike.data(), n},    {expiry.data(), n},
                {rate.data(), n}, {carry.data(), n}, {volatility.data(), n}};
    }
};

/// Reads `path` (columns: type spot strike expiry rate carry volatility price delta); throws
/// std::runtime_error if the file cannot be opened or a row is malformed.
inline options_batch_book read_options_batch_book(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    options_batch_book b;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream row(line);
        int w = 0;
        double s = 0, k = 0, t = 0, r = 0, c = 0, v = 0, p = 0, d = 0;
        if (!(row >> w >> s >> k >> t >> r >> c >> v >> p >> d)) throw std::runtime_error("malformed row: " + line);
        b.type.push_back(w == 1 ? margincall::option_type::call : margincall::option_type::put);
        b.spot.push_back(s);
        b.strike.push_back(k);
        b.expiry.push_back(t);
        b.rate.push_back(r);
        b.carry.push_back(c);
        b.volatility.push_back(v);
        b.price.push_back(p);
        b.delta.push_back(d);
    }
    return b;
}

}  // namespace margincall_reference
