// Tests of include/margincall/risk/normal_var.hpp against R 4.2.2 (tests/reference/risk_parametric.R/.out).
#include <margincall/risk/normal_var.hpp>

#include <array>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<normal_var<double>, double>);

TEST_CASE("normal VaR and ES agree with R's qnorm/dnorm and with the integrated quantile", "[risk][normal]") {
    struct row { double mu, sd, alpha, var, es, es_integrated; };
    const std::array<row, 3> rows{{  // tests/reference/risk_parametric.out, "normal"
        {0.001, 0.02, 0.95, 0.033897072539029433, 0.042254256150148571, 0.042254256150139995},
        {0.001, 0.02, 0.99, 0.047526957480816819, 0.05430428440691612, 0.054304284406817241},
        {0.001, 0.02, 0.995, 0.052516586070977998, 0.058838972107669689, 0.058838972107643654},
    }};
    for (const auto& r : rows) {
        const auto t = normal_tail_risk(r.mu, r.sd, r.alpha);
        CHECK_THAT(t.value_at_risk, WithinRel(r.var, 1e-14));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-14));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es_integrated, 1e-10));
    }
}

TEMPLATE_TEST_CASE("normal estimator fits the sample and is monotone", "[risk][normal]", float, double, long double) {
    std::vector<TestType> x;  // sample "small" of tests/reference/risk_historical.R
    for (long i = 0; i < 250; ++i) {
        const TestType m = static_cast<TestType>((i * 37) % 251) - TestType(100);
        x.push_back(m * m * m / TestType(1e4));
    }
    const auto t = normal_var<TestType>{}.estimate(x, TestType(0.99));
    const double tol = std::is_same_v<TestType, float> ? 1e-5 : 1e-12;
    CHECK_THAT(static_cast<double>(t.value_at_risk), WithinRel(259.86694351906317, tol));
    CHECK_THAT(static_cast<double>(t.expected_shortfall), WithinRel(291.81966660485261, tol));
    TestType prev_var(TestType(-1e30)), prev_es(TestType(-1e30));
    for (TestType a = TestType(0.5); a < TestType(0.999); a += TestType(0.01)) {
        const auto u = normal_var<TestType>{}.estimate(x, a);
        CHECK(u.expected_shortfall >= u.value_at_risk);
        CHECK(u.value_at_risk > prev_var);
        CHECK(u.expected_shortfall > prev_es);
        prev_var = u.value_at_risk;
        prev_es = u.expected_shortfall;
    }
}

TEST_CASE("normal errors name the argument and the value", "[risk][normal][errors]") {
    REQUIRE_THROWS_MATCHES(normal_tail_risk(0.0, 0.0, 0.99), invalid_argument,
                           Message("normal_tail_risk: sd is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(normal_tail_risk(0.0, 1.0, 1.5), invalid_argument,
                           Message("normal_tail_risk: alpha is 1.5, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(normal_tail_risk(std::numeric_limits<double>::quiet_NaN(), 1.0, 0.9), invalid_argument,
                           Message("normal_tail_risk: mean is nan, but must be finite"));
    const std::vector<double> flat{2.0, 2.0, 2.0};
    REQUIRE_THROWS_MATCHES(normal_var<double>{}.estimate(flat, 0.99), invalid_argument,
                           Message("normal_var: the standard deviation of losses is 0, but must be finite and > 0"));
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(normal_var<double>{}.estimate(empty, 0.99), invalid_argument,
                           Message("normal_var: the size of losses is 0, but must be > 0"));
    const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(normal_var<double>{}.estimate(bad, 0.99), invalid_argument,
                           Message("normal_var: losses[1] is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(normal_var<double>{}.estimate(flat, 0.0), invalid_argument,
                           Message("normal_var: alpha is 0, but must be in (0, 1)"));
}
