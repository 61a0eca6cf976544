// Per-item batches on every executor: batch liquidation prices (fixed chunks of 4096) and
// GARCH(1,1) fits over many series (transform_indices) give the sequential results exactly.
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/liquidation/batch_liquidation_prices.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/volatility/garch11_fit.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "catch.hpp"
#include "parallel/executor_support.hpp"
#include "parallel/same_bits.hpp"

using namespace margincall;

using test_support::same_bits;

TEST_CASE("batch liquidation prices: identical on every executor", "[parallel][liquidation]") {
    // Binance BTCUSDT brackets, first four (tests/reference/binance_btcusdt_brackets.csv).
    const tier_schedule<double> usdt({{0, 50'000, 125, 0.004, 0.0},
                                      {50'000, 250'000, 100, 0.005, 50.0},
                                      {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                      {3'000'000, 20'000'000, 20, 0.025, 46'300.0}});
    const linear_contract<double> lin{};
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> size(-50.0, 50.0), lev(1.0, 40.0);
    const std::size_t n = 10001;  // three chunks, the last one short
    std::vector<double> q(n), e(n, 30'000.0), w(n), m(n, 30'000.0);
    for (std::size_t i = 0; i < n; ++i) {
        q[i] = size(rng);
        w[i] = std::abs(q[i]) * e[i] / lev(rng);
    }
    q[5000] = 0.0;  // an invalid element gets its status, in any chunk
    std::vector<liquidation_point<double>> reference(n);
    batch_liquidation_prices<linear_contract<double>, double>(lin, usdt, q, e, w, m, reference);
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        std::vector<liquidation_point<double>> out(n);
        batch_liquidation_prices<linear_contract<double>, double>(lin, usdt, q, e, w, m, out, {}, exec);
        std::size_t same = 0;
        for (std::size_t i = 0; i < n; ++i)
            same += static_cast<std::size_t>(out[i].status == reference[i].status &&
                                             same_bits(out[i].price, reference[i].price) && out[i].tier == reference[i].tier);
        CHECK(same == n);
    });
    CHECK(reference[5000].status == liquidation_status::invalid_input);
    std::vector<liquidation_point<double>> short_out(n - 1);
    CHECK_THROWS_WITH((batch_liquidation_prices<linear_contract<double>, double>(lin, usdt, q, e, w, m, short_out, {},
                                                                                 test_support::thread_executor{2})),
                      "batch_liquidation_prices: the size of out is 10000, but must be 10001 (the size of quantity)");
}

TEST_CASE("GARCH(1,1) fits over many series: identical on every executor", "[parallel][volatility]") {
    // Six simulated GARCH(1,1) series (ω = 1e-6, α = 0.08, β = 0.9), 500 returns each.
    std::vector<std::vector<double>> series(6);
    std::mt19937_64 gen(17);
    std::normal_distribution<double> z;
    for (auto& s : series) {
        double h = 1e-6 / (1 - 0.98), r = 0;
        for (int t = 0; t < 500; ++t) {
            h = 1e-6 + 0.08 * r * r + 0.9 * h;
            r = std::sqrt(h) * z(gen);
            s.push_back(r);
        }
    }
    const auto fit = [&](std::size_t i) {
        return fit_garch11(std::span<const double>(series[i]), garch_innovation::normal);
    };
    const auto reference = transform_indices(sequential_executor{}, series.size(), fit);
    REQUIRE(reference.size() == series.size());
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const auto fits = transform_indices(exec, series.size(), fit);
        std::size_t same = 0;
        for (std::size_t i = 0; i < fits.size(); ++i)
            same += static_cast<std::size_t>(same_bits(fits[i].log_likelihood, reference[i].log_likelihood) &&
                                             fits[i].evaluations == reference[i].evaluations);
        CHECK(same == series.size());
    });
    // The first error of an item reaches the caller: a series of 5 returns is refused.
    series[3].resize(5);
    CHECK_THROWS_WITH(transform_indices(test_support::thread_executor{2}, series.size(), fit),
                      "fit_garch11: the size of returns is 5, but must be >= 10");
}
