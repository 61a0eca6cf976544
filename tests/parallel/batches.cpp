// Per-item batches on every executor: batch liquidation prices (fixed chunks of 4096), GARCH(1,1)
// fits over many series (transform_indices), SPAN and portfolio margin of many books
// (book_margins) and the stress report of many accounts under many scenarios (run_stress_test)
// give the sequential results exactly.
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/liquidation/batch_liquidation_prices.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/stress/margin_batch.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/span_margin.hpp>
#include <margincall/stress/stress_test.hpp>
#include <margincall/volatility/garch11_fit.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <utility>
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

namespace {
// 30 option books around spot 100,000: short strangles, covered calls and spreads of varying size,
// expiry and volatility (a deterministic sequence), some with a linear hedge.
std::vector<stress_book<double>> option_books() {
    std::vector<stress_book<double>> books;
    for (int i = 0; i < 30; ++i) {
        const double k = 100000.0 * (0.8 + 0.02 * (i % 20)), t = (7.0 + 11.0 * (i % 9)) / 365.0;
        const double v = 0.4 + 0.03 * (i % 11), q = 1.0 + (i % 5);
        std::vector<option_leg<double>> options{{option_type::call, k * 1.1, t, -q, v},
                                                {option_type::put, k * 0.9, t, i % 3 == 0 ? q : -q, v + 0.05}};
        std::vector<linear_leg<double>> linear;
        if (i % 4 == 0) linear.push_back({q});
        books.emplace_back(100000.0, std::move(options), std::move(linear));
    }
    return books;
}
}  // namespace

TEST_CASE("SPAN and portfolio margin of many books: identical on every executor", "[parallel][stress]") {
    const auto books = option_books();
    const std::span<const stress_book<double>> all(books);
    const auto scenarios = cme_span_scenarios<double>();
    const span_margin<double> span(span_parameters<double>{15000.0, 0.10, 50.0},
                                   std::vector<span_scenario<double>>(scenarios.begin(), scenarios.end()));
    const portfolio_margin<double> pm{};
    const auto span_reference = book_margins(all, span);
    const auto pm_reference = book_margins(all, pm);
    // Each figure is the model's own call on that book.
    for (std::size_t b = 0; b < books.size(); ++b) {
        CHECK(same_bits(span_reference[b].maintenance_margin, span.maintenance_margin(books[b])));
        CHECK(same_bits(pm_reference[b].initial_margin, pm.initial_margin(books[b])));
    }
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const auto s = book_margins(all, span, exec), p = book_margins(all, pm, exec);
        std::size_t same = 0;
        for (std::size_t b = 0; b < books.size(); ++b)
            same += static_cast<std::size_t>(same_bits(s[b].initial_margin, span_reference[b].initial_margin) &&
                                             same_bits(s[b].maintenance_margin, span_reference[b].maintenance_margin) &&
                                             same_bits(p[b].initial_margin, pm_reference[b].initial_margin) &&
                                             same_bits(p[b].maintenance_margin, pm_reference[b].maintenance_margin));
        CHECK(same == books.size());
    });
    CHECK_THROWS_WITH(book_margins(std::span<const stress_book<double>>{}, pm), "book_margins: the size of books is 0, but must be > 0");
}

TEST_CASE("stress report of many accounts and scenarios: identical on every executor", "[parallel][stress]") {
    const auto books = option_books();
    std::vector<stress_account<double>> accounts;
    for (std::size_t b = 0; b < books.size(); ++b) accounts.push_back({"a" + std::to_string(b), books[b], 20000.0 + 1000.0 * double(b)});
    std::vector<stress_scenario<double>> scenarios;
    for (int s = 0; s < 9; ++s) {
        market_shock<double> m;
        m.spot_move = -0.3 + 0.075 * s;
        m.vol_multiplier = 1.0 + 0.1 * (s % 4);
        m.liquidity_factor = 1.0 + 0.5 * (s % 3);
        scenarios.push_back({"s" + std::to_string(s), m});
    }
    const layered_margin<double, portfolio_margin<double>> margin{portfolio_margin<double>{}, 0.3};
    const std::span<const stress_account<double>> a(accounts);
    const std::span<const stress_scenario<double>> sc(scenarios);
    const auto reference = run_stress_test(a, sc, margin);
    REQUIRE(reference.size() == accounts.size() * scenarios.size());
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const auto rows = run_stress_test(a, sc, margin, exec);
        std::size_t same = 0;
        for (std::size_t i = 0; i < rows.size(); ++i)
            same += static_cast<std::size_t>(rows[i].scenario == reference[i].scenario && rows[i].account == reference[i].account &&
                                             same_bits(rows[i].pnl, reference[i].pnl) &&
                                             same_bits(rows[i].exit_cost, reference[i].exit_cost) &&
                                             same_bits(rows[i].equity_after, reference[i].equity_after) &&
                                             same_bits(rows[i].after.initial_margin, reference[i].after.initial_margin) &&
                                             same_bits(rows[i].after.maintenance_margin, reference[i].after.maintenance_margin) &&
                                             rows[i].after.status == reference[i].after.status);
        CHECK(same == rows.size());
    });
}
