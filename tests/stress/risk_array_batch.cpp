// Tests of include/margincall/stress/risk_array_batch.hpp: the vectorised risk array equals the
// scalar one (span_margin.hpp, itself checked against SciPy and McMillan) on a seeded random book,
// reproduces the SciPy short-straddle array of tests/reference/stress_books.out, and rejects bad input.
#include <margincall/stress/risk_array_batch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("batch risk array equals the scalar risk array on a seeded book", "[stress][risk_array_batch]") {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<option_leg<double>> legs(2000);
    for (auto& o : legs) {
        o.type = u(gen) < 0.5 ? option_type::call : option_type::put;
        o.strike = 100000.0 * (0.5 + u(gen));
        o.expiry = (1.0 + 179.0 * u(gen)) / 365.0;  // 1 to 180 days
        o.quantity = u(gen) < 0.5 ? -2.0 : 3.0;
        o.volatility = 0.05 + 0.8 * u(gen);  // some below the vol-down scan: the floor engages
        o.multiplier = 0.1;
    }
    const stress_book<double> book{100000.0, legs, {{-4.0}}};
    risk_array_batch batch{book};
    REQUIRE(batch.size() == 2000);
    span_parameters<double> p{15000.0, 0.10};
    constexpr auto t = cme_span_scenarios<double>();
    for (const double ahead : {0.0, 1.0 / 365.0, 2.0 / 365.0}) {  // two days ahead expires the 1-day options
        p.look_ahead_time = ahead;
        std::array<double, 16> scalar{}, fast{};
        span_risk_array(book, p, std::span<const span_scenario<double>>(t), std::span<double>(scalar));
        span_risk_array(batch, p, std::span<const span_scenario<double>>(t), std::span<double>(fast));
        double scale = 0.0;
        for (double x : scalar) scale = std::max(scale, std::abs(x));
        for (std::size_t i = 0; i < 16; ++i) {
            INFO("look-ahead " << ahead << ", scenario " << i + 1);
            CHECK_THAT(fast[i], WithinAbs(scalar[i], 1e-9 * scale));
        }
    }
}

TEST_CASE("batch risk array of the short straddle agrees with SciPy", "[stress][risk_array_batch]") {
    option_leg<double> c{option_type::call, 100000, 30 / 365.0, -1, 0.55};
    option_leg<double> p{option_type::put, 100000, 30 / 365.0, -1, 0.60};
    risk_array_batch batch{stress_book<double>{100000.0, {c, p}}};
    constexpr auto t = cme_span_scenarios<double>();
    std::array<double, 16> losses{};
    span_risk_array(batch, span_parameters<double>{10000.0, 0.10}, std::span<const span_scenario<double>>(t), std::span<double>(losses));
    // stress_books.out, "# span risk array (losses) short_straddle PSR 10000 VSR 0.10": scenarios 1, 11, 16
    CHECK_THAT(losses[0], WithinRel(2278.2682647307956, 1e-9));
    CHECK_THAT(losses[10], WithinRel(4968.199500638286, 1e-9));
    CHECK_THAT(losses[15], WithinRel(2822.347547899955, 1e-9));
}

TEST_CASE("batch risk array rejects bad input with the library's message", "[stress][risk_array_batch][errors]") {
    option_leg<double> c{option_type::call, 100000, 30 / 365.0, -1, 0.55};
    risk_array_batch batch{stress_book<double>{100000.0, {c}}};
    constexpr auto t = cme_span_scenarios<double>();
    std::array<double, 15> short_out{};
    std::array<double, 16> out{};
    REQUIRE_THROWS_MATCHES(span_risk_array(batch, span_parameters<double>{1.0, 0.1}, std::span<const span_scenario<double>>(t),
                                           std::span<double>(short_out)),
                           invalid_argument,
                           Message("span_risk_array: the size of losses is 15, but must be equal to the number of scenarios (16)"));
    REQUIRE_THROWS_MATCHES(span_risk_array(batch, span_parameters<double>{50000.0, 0.1}, std::span<const span_scenario<double>>(t),
                                           std::span<double>(out)),
                           invalid_argument,
                           Message("span_risk_array: scenarios[15] price move is -100000, but must be > -spot (100000)"));
    REQUIRE_THROWS_MATCHES(span_risk_array(batch, span_parameters<double>{std::numeric_limits<double>::quiet_NaN(), 0.1}, std::span<const span_scenario<double>>(t),
                                           std::span<double>(out)),
                           invalid_argument, Message("span_risk_array: price_scan_range is nan, but must be finite and > 0"));
}
