// Tests of include/margincall/volatility/ewma.hpp: the RiskMetrics EWMA recursion, its closed
// forms, and its errors.
#include <margincall/volatility/ewma.hpp>

#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "catch.hpp"

using margincall::ewma_variance;
using margincall::invalid_argument;

TEST_CASE("EWMA reproduces Hull's worked example", "[volatility][ewma]") {
    // J. Hull, Options, Futures and Other Derivatives chapter "Estimating volatilities and correlations", EWMA example:
    // λ = 0.90, σ_{n−1} = 1 %, u_{n−1} = 2 %  →  σ²_n = 0.9 × 0.0001 + 0.1 × 0.0004 = 0.00013.
    const ewma_variance<double> ewma(0.90);
    CHECK_THAT(ewma.next_variance(0.0001, 0.02), WithinRel(0.00013, 1e-14));
}

TEMPLATE_TEST_CASE("EWMA filter follows the recursion computed by hand", "[volatility][ewma]", float, double,
                   long double) {
    // λ = 0.94, σ²_0 = 1e-4, r = (0.01, −0.02, 0.015):
    // σ²_1 = 0.94e-4 + 0.06 × 1e-4 = 1e-4; σ²_2 = 0.94e-4 + 0.06 × 4e-4 = 1.18e-4;
    // σ²_3 = 0.94 × 1.18e-4 + 0.06 × 2.25e-4 = 1.2442e-4 (the forecast after the last return).
    const ewma_variance<TestType> ewma;
    CHECK(ewma.lambda() == TestType(0.94));
    const std::vector<TestType> r{TestType(0.01), TestType(-0.02), TestType(0.015)};
    std::vector<TestType> v(3);
    const TestType next = ewma.filter(r, TestType(1e-4), v);
    const double tol = std::is_same_v<TestType, float> ? 1e-6 : 1e-13;
    CHECK_THAT(static_cast<double>(v[0]), WithinRel(1e-4, tol));
    CHECK_THAT(static_cast<double>(v[1]), WithinRel(1e-4, tol));
    CHECK_THAT(static_cast<double>(v[2]), WithinRel(1.18e-4, tol));
    CHECK_THAT(static_cast<double>(next), WithinRel(1.2442e-4, tol));
}

TEST_CASE("EWMA equals its closed form as an exponentially weighted sum", "[volatility][ewma]") {
    // Unrolling σ²_{t+1} = λσ²_t + (1−λ)r_t² gives σ²_n = λ^n σ²_0 + (1−λ) Σ_{i<n} λ^{n−1−i} r_i².
    const double lambda = 0.97;
    const ewma_variance<double> ewma(lambda);
    std::vector<double> r(200);
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = 0.01 * std::sin(0.7 * static_cast<double>(i) + 0.3);
    std::vector<double> v(r.size());
    const double seed = 2.5e-4;
    const double next = ewma.filter(r, seed, v);
    double closed = std::pow(lambda, static_cast<double>(r.size())) * seed;
    for (std::size_t i = 0; i < r.size(); ++i)
        closed += (1 - lambda) * std::pow(lambda, static_cast<double>(r.size() - 1 - i)) * r[i] * r[i];
    CHECK_THAT(next, WithinRel(closed, 1e-12));
}

TEST_CASE("EWMA of a constant-size return converges geometrically to its square", "[volatility][ewma]") {
    // |r_t| = c for all t: σ²_t − c² = λ^t (σ²_0 − c²) exactly.
    const ewma_variance<double> ewma(0.94);
    const double c = 0.02;
    std::vector<double> r(50);
    for (std::size_t i = 0; i < r.size(); ++i) r[i] = (i % 2 == 0) ? c : -c;
    std::vector<double> v(r.size());
    (void)ewma.filter(r, 1e-4, v);
    for (std::size_t t = 0; t < r.size(); ++t)
        CHECK_THAT(v[t] - c * c, WithinAbs(std::pow(0.94, static_cast<double>(t)) * (1e-4 - c * c), 1e-15));
}

TEST_CASE("EWMA default seed is the zero-mean sample variance", "[volatility][ewma]") {
    // r = (0.01, 0.03): mean square (1e-4 + 9e-4)/2 = 5e-4 = σ²_0.
    const ewma_variance<double> ewma;
    const std::vector<double> r{0.01, 0.03};
    std::vector<double> v(2);
    const double next = ewma.filter(r, v);
    CHECK_THAT(v[0], WithinRel(5e-4, 1e-14));
    CHECK_THAT(v[1], WithinRel(0.94 * 5e-4 + 0.06 * 1e-4, 1e-14));
    CHECK_THAT(next, WithinRel(0.94 * v[1] + 0.06 * 9e-4, 1e-14));
}

TEST_CASE("EWMA forecasts are flat and aggregate with the square root of time", "[volatility][ewma]") {
    const ewma_variance<double> ewma;
    CHECK(ewma.forecast_variance(3e-4, 1) == 3e-4);
    CHECK(ewma.forecast_variance(3e-4, 10) == 3e-4);
    CHECK_THAT(ewma.aggregate_variance(3e-4, 10), WithinRel(3e-3, 1e-15));
}

TEST_CASE("EWMA rejects bad input with the library's message", "[volatility][ewma][errors]") {
    REQUIRE_THROWS_MATCHES(ewma_variance<double>(1.0), invalid_argument,
                           Message("ewma_variance: lambda is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(ewma_variance<double>(0.0), invalid_argument,
                           Message("ewma_variance: lambda is 0, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(ewma_variance<double>(std::numeric_limits<double>::quiet_NaN()), invalid_argument,
                           Message("ewma_variance: lambda is nan, but must be in (0, 1)"));
    const ewma_variance<double> ewma;
    std::vector<double> none;
    std::vector<double> out;
    REQUIRE_THROWS_MATCHES(ewma.filter(none, out), invalid_argument,
                           Message("ewma_variance::filter: the size of returns is 0, but must be > 0"));
    std::vector<double> r{0.01, std::numeric_limits<double>::quiet_NaN()};
    std::vector<double> v(2);
    REQUIRE_THROWS_MATCHES(ewma.filter(r, v), invalid_argument,
                           Message("ewma_variance::filter: returns[1] is nan, but must be finite"));
    r[1] = 0.02;
    std::vector<double> short_out(1);
    REQUIRE_THROWS_MATCHES(ewma.filter(r, short_out), invalid_argument,
                           Message("ewma_variance::filter: the size of variances is 1, but must be "
                                   "the size of returns (2)"));
    REQUIRE_THROWS_MATCHES(ewma.filter(r, -1e-4, v), invalid_argument,
                           Message("ewma_variance::filter: initial_variance is -0.0001, but must be finite and > 0"));
    const std::vector<double> zeros(3, 0.0);
    std::vector<double> zv(3);
    REQUIRE_THROWS_MATCHES(ewma.filter(zeros, zv), invalid_argument,
                           Message("ewma_variance::filter: the mean square of returns is 0, but must be > 0 "
                                   "(an all-zero series has no volatility to seed)"));
    REQUIRE_THROWS_MATCHES(ewma.forecast_variance(1e-4, 0), invalid_argument,
                           Message("ewma_variance::forecast_variance: horizon is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(ewma.forecast_variance(0.0, 1), invalid_argument,
                           Message("ewma_variance::forecast_variance: next_variance is 0, but must be finite and > 0"));
}
