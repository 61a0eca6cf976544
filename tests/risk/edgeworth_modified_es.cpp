// Tests of include/margincall/risk/edgeworth_modified_es.hpp, PerformanceAnalytics'
// ES(method = "modified"), against tests/reference/risk_figures.py (section "modified ES"):
// the Edgeworth density integrated numerically by SciPy 1.10.1 (quad), in PerformanceAnalytics'
// return terms with its operational rule min(−E, h), converted to losses.
#include <margincall/risk/cornish_fisher_var.hpp>
#include <margincall/risk/edgeworth_modified_es.hpp>

#include <array>
#include <cmath>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<edgeworth_modified_var<double>, double>);

TEST_CASE("modified VaR/ES from moments match the Edgeworth integral", "[risk][edgeworth_modified_es]") {
    struct row { double mean, sd, skew, exkurt, alpha, var, es; bool capped; };
    const std::array<row, 5> rows{{
        {0.001, 0.02, 0.5, 3, 0.99, 0.067025689843611069, 0.067025689843611069, true},
        {0, 1, 0, 0, 0.95, 1.6448536269514722, 2.0627128075074261, false},
        {-0.002, 0.015, -0.8, 2, 0.95, 0.018475981021344817, 0.022125336174118972, false},
        {0.0005, 0.03, 1.2, 6, 0.975, 0.082406783492391875, 0.16947430822403356, false},
        {0, 1, -1.5, 0.5, 0.99, 0.49350820309822374, 38.365673424179342, false},
    }};
    for (const auto& r : rows) {
        INFO("S " << r.skew << " K " << r.exkurt << " alpha " << r.alpha);
        const auto t = edgeworth_modified_tail_risk(r.mean, r.sd, r.skew, r.exkurt, r.alpha);
        CHECK_THAT(t.value_at_risk, WithinRel(r.var, 1e-13));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-12));
        // The VaR is the Cornish–Fisher VaR; the capped row reports ES = VaR (operational rule).
        if (r.capped) CHECK(t.expected_shortfall == t.value_at_risk);
    }
    // With S = K = 0 both modified ES reduce to the Gaussian ES φ(z)/(1 − α) = 2.0627128075074261.
    const auto cf = cornish_fisher_tail_risk(0.0, 1.0, 0.0, 0.0, 0.95);
    CHECK_THAT(cf.expected_shortfall, WithinRel(2.0627128075074261, 1e-13));
    // They differ beyond first order: S = 1.2, K = 6 at 97.5 %.
    const auto cf2 = cornish_fisher_tail_risk(0.0005, 0.03, 1.2, 6.0, 0.975);
    CHECK(std::abs(cf2.expected_shortfall - 0.16947430822403356) > 1e-3);
}

TEST_CASE("modified VaR/ES of a sample, as ES(R, p, method = \"modified\")", "[risk][edgeworth_modified_es]") {
    // Returns r_i = 0.03 sin(1.7 i) + 0.012 sin(0.31 i²) − 0.002, i = 1..200; losses −r.
    std::vector<double> losses;
    for (int i = 1; i <= 200; ++i) {
        const double x = static_cast<double>(i);
        losses.push_back(-(0.03 * std::sin(1.7 * x) + 0.012 * std::sin(0.31 * x * x) - 0.002));
    }
    const edgeworth_modified_var<double> estimator;
    const auto r95 = estimator.estimate(losses, 0.95);
    CHECK_THAT(r95.value_at_risk, WithinRel(0.040361741470635926, 1e-11));
    CHECK_THAT(r95.expected_shortfall, WithinRel(0.045034571829422602, 1e-11));
    const auto r99 = estimator.estimate(losses, 0.99);
    CHECK_THAT(r99.value_at_risk, WithinRel(0.049220182141955227, 1e-11));
    CHECK_THAT(r99.expected_shortfall, WithinRel(0.066705832106776775, 1e-11));
}

TEST_CASE("modified ES refuses bad input, naming it", "[risk][edgeworth_modified_es]") {
    REQUIRE_THROWS_MATCHES(edgeworth_modified_tail_risk(0.0, 0.0, 0.0, 0.0, 0.99), invalid_argument,
                           Message("edgeworth_modified_tail_risk: sd is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(edgeworth_modified_tail_risk(0.0, 1.0, 0.0, 0.0, 1.0), invalid_argument,
                           Message("edgeworth_modified_tail_risk: alpha is 1, but must be in (0, 1)"));
    const std::vector<double> constant(10, 1.0);
    REQUIRE_THROWS_AS(edgeworth_modified_var<double>{}.estimate(constant, 0.99), invalid_argument);
}
