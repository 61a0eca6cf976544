// Tests of include/margincall/automation/alert_levels.hpp: hysteresis alert levels.
#include <margincall/automation/alert_levels.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(alert_policy<hysteresis_alerts<double>, double>);
static_assert(alert_policy<hysteresis_alerts<float>, float>);
namespace {
struct no_next_level {};
struct wrong_return {
    int next_level(alert_level, double) const { return 0; }
};
}  // namespace
static_assert(!alert_policy<no_next_level, double>);
static_assert(!alert_policy<wrong_return, double>);

TEST_CASE("hysteresis: hand-derived sequence at the warning level (band 0.05)", "[automation]") {
    // Thresholds 0.5 / 0.8 / 1, band 0.05: enter warning at r ≥ 0.5, leave only at r < 0.45.
    const hysteresis_alerts<double> h(0.5, 0.8, 1.0, 0.05);
    alert_level a = alert_level::none;
    const std::vector<std::pair<double, alert_level>> steps = {
        {0.49, alert_level::none},        // below 0.5
        {0.50, alert_level::warning},     // reaches 0.5
        {0.47, alert_level::warning},     // within the band [0.45, 0.5): held
        {0.451, alert_level::warning},    // still ≥ 0.45
        {0.499, alert_level::warning},
        {0.449, alert_level::none},       // < 0.45: cleared
        {0.80, alert_level::margin_call}, // jumps straight to call
        {0.76, alert_level::margin_call}, // ≥ 0.75: held
        {0.74, alert_level::warning},     // < 0.75 leaves call; 0.74 ≥ 0.45 keeps warning
        {1.0, alert_level::liquidation},
        {0.96, alert_level::liquidation},
        {0.30, alert_level::none},        // drops through every level at once
    };
    for (const auto& [ratio, expected] : steps) {
        a = h.next_level(a, ratio);
        CHECK(a == expected);
    }
    CHECK(h.next_level(alert_level::margin_call, std::numeric_limits<double>::quiet_NaN()) == alert_level::margin_call);
    CHECK(h.next_level(alert_level::none, std::numeric_limits<double>::infinity()) == alert_level::liquidation);
}

TEST_CASE("hysteresis: band 0 is the plain threshold rule", "[automation]") {
    const hysteresis_alerts<double> h(0.5, 0.8, 1.0, 0.0);
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.2);
    alert_level a = alert_level::none;
    for (int i = 0; i < 5000; ++i) {
        const double r = u(rng);
        a = h.next_level(a, r);
        const alert_level plain = r >= 1 ? alert_level::liquidation
                                  : r >= 0.8 ? alert_level::margin_call
                                  : r >= 0.5 ? alert_level::warning
                                             : alert_level::none;
        REQUIRE(a == plain);
    }
}

TEST_CASE("hysteresis properties on seeded random walks", "[automation][property]") {
    const double band = 0.04;
    const hysteresis_alerts<double> h(0.5, 0.7, 1.0, band);
    const hysteresis_alerts<double> plain(0.5, 0.7, 1.0, 0.0);
    std::mt19937_64 rng(20261128);
    std::normal_distribution<double> step(0.0, 0.01);
    for (int walk = 0; walk < 50; ++walk) {
        double r = 0.3;
        alert_level a = alert_level::none, b = alert_level::none;
        int changes = 0, plain_changes = 0;
        for (int t = 0; t < 2000; ++t) {
            r = std::clamp(r + step(rng), 0.0, 1.3);
            const alert_level next = h.next_level(a, r);
            // Rising to k needs r ≥ θ_k; falling from k needs r < θ_k − band.
            if (next > a) REQUIRE(r >= h.threshold(next));
            if (next < a) REQUIRE(r < h.threshold(a) - band);
            // Never further than the band from the plain rule.
            const alert_level p = plain.next_level(b, r);
            REQUIRE(next >= p);
            if (next > p) REQUIRE(r >= h.threshold(next) - band);
            changes += next != a;
            plain_changes += p != b;
            a = next;
            b = p;
        }
        REQUIRE(changes <= plain_changes);
    }
    // Hovering inside the band never flaps.
    std::uniform_real_distribution<double> hover(0.5 - band, 0.5 + band / 2);
    alert_level a = h.next_level(alert_level::none, 0.5);
    REQUIRE(a == alert_level::warning);
    for (int t = 0; t < 10000; ++t) REQUIRE(h.next_level(a, hover(rng)) == alert_level::warning);
}

TEST_CASE("hysteresis_alerts rejects bad levels with the library's message", "[automation][errors]") {
    REQUIRE_THROWS_MATCHES(hysteresis_alerts<double>(0.0, 0.8, 1.0, 0.0), margincall::invalid_argument,
                           Message("hysteresis_alerts: warning is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(hysteresis_alerts<double>(0.5, 0.4, 1.0, 0.0), margincall::invalid_argument,
                           Message("hysteresis_alerts: call is 0.4, but must be finite and >= warning = 0.5"));
    REQUIRE_THROWS_MATCHES(hysteresis_alerts<double>(0.5, 0.8, 0.7, 0.0), margincall::invalid_argument,
                           Message("hysteresis_alerts: liquidation is 0.7, but must be finite and >= call = 0.8"));
    REQUIRE_THROWS_MATCHES(hysteresis_alerts<double>(0.5, 0.8, 1.0, 0.5), margincall::invalid_argument,
                           Message("hysteresis_alerts: band is 0.5, but must be in [0, 0.5) (below warning)"));
    REQUIRE_THROWS_MATCHES(hysteresis_alerts<double>(0.5, 0.8, 1.0, -0.1), margincall::invalid_argument,
                           Message("hysteresis_alerts: band is -0.1, but must be in [0, 0.5) (below warning)"));
}
