// Tests of include/margincall/risk/cornish_fisher_var.hpp against R 4.2.2
// (tests/reference/risk_parametric.R/.out: VaR by the Cornish–Fisher formula, ES by numerical
// integration of the Cornish–Fisher quantile function, independent of our closed form).
#include <margincall/risk/cornish_fisher_var.hpp>
#include <margincall/risk/normal_var.hpp>

#include <array>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<cornish_fisher_var<double>, double>);

TEST_CASE("Cornish-Fisher VaR and ES agree with R", "[risk][cornish_fisher]") {
    struct row { double mu, sd, skew, exkurt, alpha, var, es_integrated; };
    const std::array<row, 8> rows{{  // tests/reference/risk_parametric.out, "cornish-fisher"
        {0.001, 0.02, 0, 0, 0.95, 0.033897072539029433, 0.042254256150139995},
        {0.001, 0.02, 0, 0, 0.99, 0.047526957480816819, 0.054304284406817241},
        {0.001, 0.02, 0.5, 3, 0.95, 0.035434886586532377, 0.055440416723991033},
        {0.001, 0.02, 0.5, 3, 0.99, 0.067025689843611069, 0.090398127660456407},
        {0.001, 0.02, -0.3, 1.5, 0.95, 0.031552297798449064, 0.04280401314261089},
        {0.001, 0.02, -0.3, 1.5, 0.99, 0.049451286960468771, 0.061493248603365198},
        {0.001, 0.02, 1, 6, 0.95, 0.036784873469610339, 0.06609913133616957},
        {0.001, 0.02, 1, 6, 0.99, 0.08276104475134162, 0.11921905375487214},
    }};
    for (const auto& r : rows) {
        INFO("S " << r.skew << " K " << r.exkurt << " alpha " << r.alpha);
        const auto t = cornish_fisher_tail_risk(r.mu, r.sd, r.skew, r.exkurt, r.alpha);
        CHECK_THAT(t.value_at_risk, WithinRel(r.var, 1e-13));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es_integrated, 1e-10));
    }
}

TEST_CASE("Cornish-Fisher with zero skew and kurtosis is the normal", "[risk][cornish_fisher]") {
    for (const double a : {0.9, 0.95, 0.99, 0.999}) {
        const auto cf = cornish_fisher_tail_risk(0.01, 0.3, 0.0, 0.0, a);
        const auto n = normal_tail_risk(0.01, 0.3, a);
        CHECK_THAT(cf.value_at_risk, WithinRel(n.value_at_risk, 1e-15));
        CHECK_THAT(cf.expected_shortfall, WithinRel(n.expected_shortfall, 1e-15));
    }
}

TEST_CASE("Cornish-Fisher estimator uses the divisor-n moments of the sample", "[risk][cornish_fisher]") {
    std::vector<double> x;  // sample "small" of tests/reference/risk_historical.R
    for (long i = 0; i < 250; ++i) {
        const double m = static_cast<double>((i * 37) % 251) - 100.0;
        x.push_back(m * m * m / 1e4);
    }
    const auto t = cornish_fisher_var<double>{}.estimate(x, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(316.75217826206847, 1e-12));
    CHECK_THAT(t.expected_shortfall, WithinRel(355.1468198079541, 1e-10));
}

TEST_CASE("Cornish-Fisher errors name the argument and the value", "[risk][cornish_fisher][errors]") {
    REQUIRE_THROWS_MATCHES(cornish_fisher_tail_risk(0.0, 0.0, 0.0, 0.0, 0.99), invalid_argument,
                           Message("cornish_fisher_tail_risk: sd is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(cornish_fisher_tail_risk(0.0, 1.0, std::numeric_limits<double>::quiet_NaN(), 0.0, 0.99),
                           invalid_argument, Message("cornish_fisher_tail_risk: skewness is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(cornish_fisher_tail_risk(0.0, 1.0, 0.0, 0.0, -0.5), invalid_argument,
                           Message("cornish_fisher_tail_risk: alpha is -0.5, but must be in (0, 1)"));
    const std::vector<double> bad{std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(cornish_fisher_var<double>{}.estimate(bad, 0.99), invalid_argument,
                           Message("cornish_fisher_var: losses[0] is nan, but must be finite"));
}
