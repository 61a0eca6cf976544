// Tests of include/margincall/risk/student_t_var.hpp against R 4.2.2 (tests/reference/risk_parametric.R/.out).
#include <margincall/risk/student_t_var.hpp>

#include <array>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<student_t_var<double>, double>);

TEST_CASE("Student-t VaR and ES agree with R's qt/dt and with the integrated quantile", "[risk][student_t]") {
    struct row { double mu, scale, nu, alpha, var, es, es_integrated; };
    const std::array<row, 9> rows{{  // tests/reference/risk_parametric.out, "student t"
        {0.001, 0.02, 3, 0.95, 0.048067268696036496, 0.078485350354385988, 0.078485350354357067},
        {0.001, 0.02, 3, 0.99, 0.091814057171362637, 0.14106164072484223, 0.14106164072499522},
        {0.001, 0.02, 3, 0.995, 0.11781818619466709, 0.17924946791954838, 0.17924946791920313},
        {0.001, 0.02, 4.5, 0.95, 0.042311517777570473, 0.061442478910624085, 0.061442478910652354},
        {0.001, 0.02, 4.5, 0.99, 0.071541017812521895, 0.096425572434848617, 0.096425572434269996},
        {0.001, 0.02, 4.5, 0.995, 0.086456479860225838, 0.11485315766102702, 0.11485315765986798},
        {0.001, 0.02, 10, 0.95, 0.037249222456233515, 0.049168020836881481, 0.049168020836855321},
        {0.001, 0.02, 10, 0.99, 0.056275389162253914, 0.068265029500291188, 0.068265029500290342},
        {0.001, 0.02, 10, 0.995, 0.064385453452339009, 0.076671107912816533, 0.076671107912814979},
    }};
    for (const auto& r : rows) {
        INFO("nu " << r.nu << " alpha " << r.alpha);
        const auto t = student_t_tail_risk(r.mu, r.scale, r.nu, r.alpha);
        CHECK_THAT(t.value_at_risk, WithinRel(r.var, 1e-13));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-13));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es_integrated, 1e-10));
    }
}

TEST_CASE("Student-t estimator matches the sample variance", "[risk][student_t]") {
    std::vector<double> x;  // sample "small" of tests/reference/risk_historical.R
    for (long i = 0; i < 250; ++i) {
        const double m = static_cast<double>((i * 37) % 251) - 100.0;
        x.push_back(m * m * m / 1e4);
    }
    const auto t = student_t_var<double>{5.0}.estimate(x, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(286.27989170026024, 1e-13));
    CHECK_THAT(t.expected_shortfall, WithinRel(365.70978371999712, 1e-10));
}

TEST_CASE("Student-t converges to the normal as nu grows", "[risk][student_t][property]") {
    // t_ν → N(0, 1): at ν = 10⁶ the 99% quantile differs from z_0.99 = 2.3263478740408408 by O(1/ν).
    const auto t = student_t_tail_risk(0.0, 1.0, 1e6, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(2.3263478740408408, 1e-5));
    CHECK_THAT(t.expected_shortfall, WithinRel(2.665214220345808, 1e-5));  // φ(z)/0.01, R: dnorm(qnorm(.99))/.01
}

TEST_CASE("Student-t errors name the argument and the value", "[risk][student_t][errors]") {
    REQUIRE_THROWS_MATCHES(student_t_tail_risk(0.0, 1.0, 1.0, 0.99), invalid_argument,
                           Message("student_t_tail_risk: nu is 1, but must be > 1 (ES is infinite for nu <= 1)"));
    REQUIRE_THROWS_MATCHES(student_t_tail_risk(0.0, 1.0, 0.5, 0.99), invalid_argument,
                           Message("student_t_tail_risk: nu is 0.5, but must be > 1 (ES is infinite for nu <= 1)"));
    REQUIRE_THROWS_MATCHES(student_t_tail_risk(0.0, -1.0, 4.0, 0.99), invalid_argument,
                           Message("student_t_tail_risk: scale is -1, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(student_t_tail_risk(0.0, 1.0, 4.0, 1.0), invalid_argument,
                           Message("student_t_tail_risk: alpha is 1, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES(student_t_var<double>{2.0}, invalid_argument,
                           Message("student_t_var: nu is 2, but must be finite and > 2 (the variance is matched)"));
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(student_t_var<double>{4.0}.estimate(empty, 0.99), invalid_argument,
                           Message("student_t_var: the size of losses is 0, but must be > 0"));
}
