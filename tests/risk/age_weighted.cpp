// Tests of include/margincall/risk/age_weighted.hpp against R 4.2.2 (tests/reference/risk_weighted.R/.out).
#include <margincall/risk/age_weighted.hpp>
#include <margincall/risk/historical_simulation.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<age_weighted<double>, double>);

namespace {
std::vector<double> small_sample() {  // sample "small" of tests/reference/risk_historical.R
    std::vector<double> x;
    for (long i = 0; i < 250; ++i) {
        const double m = static_cast<double>((i * 37) % 251) - 100.0;
        x.push_back(m * m * m / 1e4);
    }
    return x;
}
}  // namespace

TEST_CASE("age-weighted VaR and ES agree with R", "[risk][age_weighted]") {
    struct row { double lambda, alpha, var, es; };
    const std::array<row, 6> rows{{  // tests/reference/risk_weighted.out, "age weighted"
        {0.97, 0.95, 274.39999999999998, 300.77909474374923},
        {0.97, 0.99, 324.17919999999998, 326.59699580711367},
        {0.99, 0.95, 268.56189999999998, 302.19404609406564},
        {0.99, 0.99, 324.17919999999998, 330.96005345793128},
        {1, 0.95, 262.80720000000002, 300.65903999999995},
        {1, 0.99, 324.17919999999998, 332.15379999999999},
    }};
    const auto x = small_sample();
    for (const auto& r : rows) {
        INFO("lambda " << r.lambda << " alpha " << r.alpha);
        const auto t = age_weighted<double>{r.lambda}.estimate(x, r.alpha);
        CHECK(t.value_at_risk == r.var);
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-12));
    }
}

TEST_CASE("age weights by hand: n = 3, lambda = 0.5", "[risk][age_weighted]") {
    // w = (1, 0.5, 0.25)·0.5/(1 − 0.125) = (4/7, 2/7, 1/7) for ages 1, 2, 3.
    const age_weighted<double> aw{0.5};
    CHECK_THAT(aw.weight(1, 3), WithinRel(4.0 / 7.0, 1e-15));
    CHECK_THAT(aw.weight(2, 3), WithinRel(2.0 / 7.0, 1e-15));
    CHECK_THAT(aw.weight(3, 3), WithinRel(1.0 / 7.0, 1e-15));
    // Losses oldest → newest {10, 5, 1}: weights 1/7, 2/7, 4/7. At α = 0.8 (p = 0.2): the largest
    // loss 10 carries 1/7 < 0.2, then 5 pushes it past: VaR = 5; ES = (10/7 + (0.2 − 1/7)·5)/0.2 = 8.5714…
    const std::vector<double> losses{10.0, 5.0, 1.0};
    const auto t = aw.estimate(losses, 0.8);
    CHECK(t.value_at_risk == 5.0);
    CHECK_THAT(t.expected_shortfall, WithinRel((10.0 / 7.0 + (0.2 - 1.0 / 7.0) * 5.0) / 0.2, 1e-14));
}

TEST_CASE("lambda -> 1 tends to historical simulation; ES >= VaR; monotone in alpha", "[risk][age_weighted][property]") {
    std::mt19937_64 gen(11);
    std::student_t_distribution<double> t4(4.0);
    for (int trial = 0; trial < 30; ++trial) {
        std::vector<double> x(100 + static_cast<std::size_t>(trial) * 17);
        for (auto& v : x) v = t4(gen);
        double prev_var = -1e300, prev_es = -1e300;
        for (double a = 0.8; a < 0.999; a += 0.0123) {
            const auto hs = historical_simulation<double>{}.estimate(x, a);
            CHECK(age_weighted<double>{1.0}.estimate(x, a).value_at_risk == hs.value_at_risk);
            // Nearly equal weights: same order statistic unless n(1 − α) sits on an integer.
            const double w = static_cast<double>(x.size()) * (1 - a);
            if (std::abs(w - std::round(w)) > 1e-3) {
                const auto eq = age_weighted<double>{1.0 - 1e-12}.estimate(x, a);
                CHECK(eq.value_at_risk == hs.value_at_risk);
                CHECK_THAT(eq.expected_shortfall, WithinRel(hs.expected_shortfall, 1e-8));
            }
            const auto aw = age_weighted<double>{0.98}.estimate(x, a);
            CHECK(aw.expected_shortfall >= aw.value_at_risk - 1e-12);
            CHECK(aw.value_at_risk >= prev_var);
            CHECK(aw.expected_shortfall >= prev_es - 1e-12);
            prev_var = aw.value_at_risk;
            prev_es = aw.expected_shortfall;
        }
    }
}

TEST_CASE("age-weighted errors name the argument and the value", "[risk][age_weighted][errors]") {
    REQUIRE_THROWS_MATCHES(age_weighted<double>{0.0}, invalid_argument,
                           Message("age_weighted: lambda is 0, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(age_weighted<double>{1.01}, invalid_argument,
                           Message("age_weighted: lambda is 1.01, but must be in (0, 1]"));
    const age_weighted<double> aw{0.97};
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(aw.estimate(empty, 0.99), invalid_argument,
                           Message("age_weighted: the size of losses is 0, but must be > 0"));
    const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(aw.estimate(bad, 0.99), invalid_argument,
                           Message("age_weighted: losses[1] is nan, but must be finite"));
    const std::vector<double> ok{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(aw.estimate(ok, 1.0), invalid_argument,
                           Message("age_weighted: alpha is 1, but must be in (0, 1)"));
}
