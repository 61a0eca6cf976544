// Tests of include/margincall/liquidation/batch_liquidation_prices.hpp: the batch equals the
// single-position closed form element by element; bad elements get a status, not a throw.
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/liquidation/batch_liquidation_prices.hpp>
#include <margincall/liquidation/liquidation_price.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

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

TEST_CASE("batch: same answers as the single-position call, bad elements flagged", "[liquidation]") {
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> size(-50.0, 50.0);
    std::uniform_real_distribution<double> lev(1.0, 40.0);
    const auto usdt = btcusdt();
    const linear_contract<double> lin{};
    const std::size_t n = 2000;
    std::vector<double> q(n), e(n, 30'000.0), w(n), m(n, 30'000.0);
    for (std::size_t i = 0; i < n; ++i) {
        q[i] = size(rng);
        w[i] = std::abs(q[i]) * e[i] / lev(rng);
    }
    q[3] = 0.0;
    e[4] = std::numeric_limits<double>::quiet_NaN();
    w[5] = -1.0;
    m[6] = 0.0;
    std::vector<liquidation_point<double>> out(n);
    batch_liquidation_prices<linear_contract<double>, double>(lin, usdt, q, e, w, m, out);
    for (std::size_t i = 0; i < n; ++i) {
        if (i >= 3 && i <= 6) {
            CHECK(out[i].status == liquidation_status::invalid_input);
            continue;
        }
        const auto r = liquidation_price(lin, usdt, {q[i], e[i]}, {w[i]}, m[i]);
        CHECK(out[i].status == r.status);
        CHECK(out[i].price == r.price);
        CHECK(out[i].tier == r.tier);
    }
    std::vector<liquidation_point<double>> short_out(n - 1);
    REQUIRE_THROWS_MATCHES((batch_liquidation_prices<linear_contract<double>, double>(lin, usdt, q, e, w, m, short_out)),
                           invalid_argument,
                           Message("batch_liquidation_prices: the size of out is 1999, but must be 2000 (the size of quantity)"));
}
