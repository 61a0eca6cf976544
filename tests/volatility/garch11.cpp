// Tests of include/margincall/volatility/garch11.hpp: the GARCH(1,1) filter, likelihood, forecasts
// and innovation quantiles. Reference values: R 4.2.2 with fGarch 4022.89
// (tests/reference/garch_fgarch.R → garch_fgarch.out, on tests/reference/garch_series.csv), and
// closed forms derived in the comments.
#include <margincall/volatility/garch11.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "catch.hpp"

using margincall::garch11;
using margincall::invalid_argument;

namespace {
std::vector<double> reference_series() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/garch_series.csv");
    REQUIRE(in.good());
    std::string line;
    std::getline(in, line);  // header
    std::vector<double> r;
    while (std::getline(in, line))
        if (!line.empty()) r.push_back(std::stod(line));
    REQUIRE(r.size() == 2000);
    return r;
}
}  // namespace

TEST_CASE("GARCH(1,1) log-likelihood and forecast match a plain R loop on the stored series",
          "[volatility][garch]") {
    const auto r = reference_series();
    // garch_fgarch.out, "[fixed parameters, plain R loop]" (dnorm / fGarch::dstd per day).
    const garch11<double> normal(2e-6, 0.08, 0.90);
    CHECK_THAT(normal.log_likelihood(r), WithinRel(6842.93688983218, 1e-12));
    const garch11<double> student(2e-6, 0.08, 0.90, 6.0);
    CHECK_THAT(student.log_likelihood(r), WithinRel(6875.46871800403, 1e-12));
    std::vector<double> v(r.size());
    CHECK_THAT(normal.filter(r, v), WithinRel(0.000178229585619157, 1e-12));
}

TEST_CASE("GARCH(1,1) filter starts and runs as fGarch does", "[volatility][garch]") {
    // fGarch's fitted normal model and its conditional variances (volatility(fit)^2), garch_fgarch.out.
    const auto r = reference_series();
    const garch11<double> fitted(1.793510149e-06, 0.09907293892, 0.8791701336);
    std::vector<double> v(r.size());
    (void)fitted.filter(r, v);
    // 10 printed digits of the parameters limit the agreement to ~1e-8 relative.
    CHECK_THAT(v[0], WithinRel(7.719347933e-05, 1e-7));
    CHECK_THAT(v[1], WithinRel(6.988193767e-05, 1e-7));
    CHECK_THAT(v[2], WithinRel(6.488171336e-05, 1e-7));
    CHECK_THAT(v[1999], WithinRel(0.0001934179573, 1e-6));
    // σ²_1 = ω + (α + β) r̄² by definition.
    CHECK(v[0] == fitted.initial_variance(garch11<double>::mean_square(r)));
}

TEST_CASE("GARCH(1,1) recursion by hand", "[volatility][garch]") {
    // ω = 1e-6, α = 0.1, β = 0.8; σ²_1 = 1e-4 given; r = (0.01, −0.02):
    // σ²_2 = 1e-6 + 0.1 × 1e-4 + 0.8 × 1e-4 = 9.1e-5; σ²_3 = 1e-6 + 0.1 × 4e-4 + 0.8 × 9.1e-5 = 1.138e-4.
    const garch11<double> g(1e-6, 0.1, 0.8);
    const std::vector<double> r{0.01, -0.02};
    std::vector<double> v(2);
    CHECK_THAT(g.filter(r, 1e-4, v), WithinRel(1.138e-4, 1e-13));
    CHECK_THAT(v[1], WithinRel(9.1e-5, 1e-13));
    // Normal log-density: −½(ln 2π + ln σ² + r²/σ²); r = 0.01, σ² = 1e-4: −½(ln 2π + ln 1e-4 + 1).
    CHECK_THAT(g.log_density(0.01, 1e-4), WithinRel(-0.5 * (std::log(2 * std::numbers::pi) + std::log(1e-4) + 1), 1e-14));
    CHECK_THAT(g.unconditional_variance(), WithinRel(1e-5, 1e-14));  // 1e-6 / (1 − 0.9)
    CHECK_THAT(g.persistence(), WithinRel(0.9, 1e-15));
}

TEST_CASE("GARCH(1,1) multi-step forecasts revert to the long-run variance", "[volatility][garch]") {
    // ω = 1e-6, α = 0.1, β = 0.85 → σ̄² = 1e-6 / 0.05 = 2e-5. From σ²_{T+1} = 1e-4:
    // h = 1: 1e-4; h = 2: 2e-5 + 0.95 × 8e-5 = 9.6e-5; h = 11: 2e-5 + 0.95^10 × 8e-5.
    const garch11<double> g(1e-6, 0.1, 0.85);
    CHECK_THAT(g.forecast_variance(1e-4, 1), WithinRel(1e-4, 1e-14));
    CHECK_THAT(g.forecast_variance(1e-4, 2), WithinRel(9.6e-5, 1e-14));
    CHECK_THAT(g.forecast_variance(1e-4, 11), WithinRel(2e-5 + std::pow(0.95, 10) * 8e-5, 1e-13));
    CHECK_THAT(g.forecast_variance(1e-4, 100000), WithinRel(2e-5, 1e-12));
    // Aggregate over h days equals the sum of the daily forecasts (geometric sum closed form).
    double sum = 0;
    for (std::size_t k = 1; k <= 10; ++k) sum += g.forecast_variance(1e-4, k);
    CHECK_THAT(g.aggregate_variance(1e-4, 10), WithinRel(sum, 1e-13));
}

TEST_CASE("innovation quantiles and tail means match R", "[volatility][garch]") {
    // tests/reference/garch_quantiles.R → garch_quantiles.out (tail means by numerical integration,
    // an independent route to the closed forms in the header).
    const garch11<double> normal(1e-6, 0.1, 0.8);
    CHECK_THAT(normal.innovation_quantile(0.01), WithinRel(-2.3263478740408408, 1e-12));
    CHECK_THAT(normal.innovation_expected_shortfall(0.99), WithinRel(2.665214220345808, 1e-10));
    // Standardised t, ν = 5: the t quantities scaled by √((ν − 2)/ν) = √0.6 (unit variance).
    const garch11<double> t5(1e-6, 0.1, 0.8, 5.0);
    CHECK_THAT(t5.innovation_quantile(0.01), WithinRel(-3.3649299989072183 * std::sqrt(0.6), 1e-10));
    CHECK_THAT(t5.innovation_expected_shortfall(0.99), WithinRel(4.4524291118179757 * std::sqrt(0.6), 1e-9));
}

TEST_CASE("GARCH(1,1) rejects bad input with the library's message", "[volatility][garch][errors]") {
    REQUIRE_THROWS_MATCHES(garch11<double>(1e-6, 0.2, 0.8), invalid_argument,
                           Message("garch11: alpha + beta is 1, but must be < 1 (covariance stationary)"));
    REQUIRE_THROWS_MATCHES(garch11<double>(0.0, 0.1, 0.8), invalid_argument,
                           Message("garch11: omega is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(garch11<double>(1e-6, -0.1, 0.8), invalid_argument,
                           Message("garch11: alpha is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(garch11<double>(1e-6, 0.1, std::numeric_limits<double>::quiet_NaN()), invalid_argument,
                           Message("garch11: beta is nan, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(garch11<double>(1e-6, 0.1, 0.8, 2.0), invalid_argument,
                           Message("garch11: shape is 2, but must be finite and > 2 (finite innovation variance)"));
    const garch11<double> g(1e-6, 0.1, 0.8);
    std::vector<double> none, out;
    REQUIRE_THROWS_MATCHES(g.filter(none, out), invalid_argument,
                           Message("garch11::filter: the size of returns is 0, but must be > 0"));
    const std::vector<double> bad{0.01, std::numeric_limits<double>::infinity()};
    REQUIRE_THROWS_MATCHES(g.log_likelihood(bad), invalid_argument,
                           Message("garch11::log_likelihood: returns[1] is inf, but must be finite"));
    const std::vector<double> r{0.01, 0.02};
    std::vector<double> three(3);
    REQUIRE_THROWS_MATCHES(g.filter(r, three), invalid_argument,
                           Message("garch11::filter: the size of variances is 3, but must be the size of returns (2)"));
    const std::vector<double> zeros(5, 0.0);
    REQUIRE_THROWS_MATCHES(g.log_likelihood(zeros), invalid_argument,
                           Message("garch11::log_likelihood: the mean square of returns is 0, but must be > 0 "
                                   "(an all-zero series has no volatility)"));
    REQUIRE_THROWS_MATCHES(g.forecast_variance(1e-4, 0), invalid_argument,
                           Message("garch11::forecast_variance: horizon is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(g.innovation_quantile(1.0), invalid_argument,
                           Message("garch11::innovation_quantile: probability is 1, but must be in (0, 1)"));
}
