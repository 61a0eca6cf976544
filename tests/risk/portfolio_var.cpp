// Tests of include/margincall/risk/portfolio_var.hpp against R 4.2.2 (tests/reference/risk_portfolio.R/.out),
// plus Euler properties: components sum to the total; Gaussian marginals equal finite differences.
#include <margincall/risk/portfolio_var.hpp>

#include <array>
#include <limits>
#include <numeric>
#include <vector>

#include "catch.hpp"

using namespace margincall;
using mat = Eigen::MatrixXd;
using vec = Eigen::VectorXd;

namespace {
mat scenario_matrix() {  // as in risk_portfolio.R, s = 0..499
    mat s(500, 3);
    for (long i = 0; i < 500; ++i) {
        s(i, 0) = (static_cast<double>((i * 7919) % 1009) - 504.0) / 1000.0;
        s(i, 1) = (static_cast<double>((i * 104729) % 2003) - 1001.0) / 2000.0;
        const double c = static_cast<double>((i * 15485863LL) % 997) - 498.0;
        s(i, 2) = c * c * c / 1e9;
    }
    return s;
}
const std::vector<double> w_hist{3.0, -2.0, 5.0};
vec mu() {
    vec m(3);
    m << 0.001, -0.0005, 0.002;
    return m;
}
mat sigma() {
    mat s(3, 3);
    s << 0.04, 0.006, -0.002, 0.006, 0.09, 0.012, -0.002, 0.012, 0.0225;
    return s;
}
const std::vector<double> w_gauss{2.0, -1.0, 3.0};
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
}  // namespace

TEST_CASE("historical Euler decomposition agrees with R and sums to the total", "[risk][portfolio]") {
    struct row { double alpha, var, es; std::array<double, 3> cvar, ces; };
    const std::array<row, 2> rows{{  // tests/reference/risk_portfolio.out
        {0.975, 1.992830605, 2.1945670149999996, {0.74099999999999999, 0.82299999999999995, 0.42883060500000003},
         {1.2452399999999995, 0.7739600000000002, 0.17536701500000018}},
        {0.99, 2.2129696549999998, 2.3218096589999999, {1.248, 0.91800000000000004, 0.046969654999999999},
         {1.2408000000000001, 0.7894000000000001, 0.2916096589999998}},
    }};
    const mat s = scenario_matrix();
    for (const auto& r : rows) {
        INFO("alpha " << r.alpha);
        const auto d = historical_decomposition<double>(s, w_hist, r.alpha);
        CHECK_THAT(d.total.value_at_risk, WithinRel(r.var, 1e-14));
        CHECK_THAT(d.total.expected_shortfall, WithinRel(r.es, 1e-13));
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK_THAT(d.component_var[i], WithinRel(r.cvar[i], 1e-13));
            CHECK_THAT(d.component_es[i], WithinRel(r.ces[i], 1e-12));
        }
        CHECK_THAT(sum(d.component_var), WithinRel(d.total.value_at_risk, 1e-13));
        CHECK_THAT(sum(d.component_es), WithinRel(d.total.expected_shortfall, 1e-13));
        // The total agrees with historical_simulation on the P&L vector.
        std::vector<double> pnl(500);
        portfolio_pnl<double>(s, w_hist, pnl);
        const auto h = historical_simulation<double>{quantile_type::type1, sample_sign::profit_and_loss}.estimate(pnl, r.alpha);
        CHECK(h.value_at_risk == d.total.value_at_risk);
        CHECK_THAT(h.expected_shortfall, WithinRel(d.total.expected_shortfall, 1e-13));
    }
    // Type 7 interpolates two scenarios: the components interpolate too and still sum up.
    const auto d7 = historical_decomposition<double>(s, w_hist, 0.97, quantile_type::type7);
    CHECK_THAT(sum(d7.component_var), WithinRel(d7.total.value_at_risk, 1e-13));
}

TEST_CASE("Gaussian decomposition agrees with R; marginals are the derivatives", "[risk][portfolio]") {
    struct row { double alpha, var, es; std::array<double, 3> mvar, mes; };
    const std::array<row, 2> rows{{  // tests/reference/risk_portfolio.out
        {0.95, 0.93996887059445666, 1.1809182283704276, {0.19297258105390389, -0.11930659418035239, 0.14490570476876546},
         {0.24224944219304981, -0.14974230253100135, 0.18222568048444215}},
        {0.99, 1.3329376237177666, 1.5283374912172365, {0.27333912304603941, -0.16894475246961257, 0.20577154171869164},
         {0.31330059970758517, -0.19362684099586142, 0.23603648360206822}},
    }};
    for (const auto& r : rows) {
        const auto d = gaussian_decomposition<double>(mu(), sigma(), w_gauss, r.alpha);
        CHECK_THAT(d.total.value_at_risk, WithinRel(r.var, 1e-14));
        CHECK_THAT(d.total.expected_shortfall, WithinRel(r.es, 1e-14));
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK_THAT(d.marginal_var[i], WithinRel(r.mvar[i], 1e-13));
            CHECK_THAT(d.marginal_es[i], WithinRel(r.mes[i], 1e-13));
            // Central difference of the total in w_i.
            auto up = w_gauss, down = w_gauss;
            up[i] += 1e-6;
            down[i] -= 1e-6;
            const double fd = (gaussian_decomposition<double>(mu(), sigma(), up, r.alpha).total.value_at_risk -
                               gaussian_decomposition<double>(mu(), sigma(), down, r.alpha).total.value_at_risk) / 2e-6;
            CHECK_THAT(d.marginal_var[i], WithinAbs(fd, 1e-8));
        }
        CHECK_THAT(sum(d.component_var), WithinRel(d.total.value_at_risk, 1e-14));
        CHECK_THAT(sum(d.component_es), WithinRel(d.total.expected_shortfall, 1e-14));
    }
}

TEST_CASE("incremental VaR and ES are the exact before-after difference", "[risk][portfolio]") {
    const mat s = scenario_matrix();
    const std::vector<double> trade{0.0, 0.0, -1.0};
    const auto inc = incremental_historical<double>(s, w_hist, trade, 0.975);
    const std::vector<double> after{3.0, -2.0, 4.0};
    const auto a = historical_decomposition<double>(s, after, 0.975).total;
    const auto b = historical_decomposition<double>(s, w_hist, 0.975).total;
    CHECK(inc.value_at_risk == a.value_at_risk - b.value_at_risk);
    CHECK(inc.expected_shortfall == a.expected_shortfall - b.expected_shortfall);
    // Zero trade, zero increment.
    const std::vector<double> none{0.0, 0.0, 0.0};
    CHECK(incremental_historical<double>(s, w_hist, none, 0.975).value_at_risk == 0.0);
}

TEST_CASE("portfolio errors name the argument and the value", "[risk][portfolio][errors]") {
    const mat s = scenario_matrix();
    const std::vector<double> two{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(historical_decomposition<double>(s, two, 0.99), invalid_argument,
                           Message("historical_decomposition: the size of positions is 2, but must be 3 (the number of "
                                   "instruments)"));
    REQUIRE_THROWS_MATCHES(historical_decomposition<double>(s, w_hist, 1.0), invalid_argument,
                           Message("historical_decomposition: alpha is 1, but must be in (0, 1)"));
    mat bad = s;
    bad(7, 1) = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(historical_decomposition<double>(bad, w_hist, 0.99), invalid_argument,
                           Message("historical_decomposition: scenarios(7, 1) is nan, but must be finite"));
    const mat empty(0, 3);
    REQUIRE_THROWS_MATCHES(historical_decomposition<double>(empty, w_hist, 0.99), invalid_argument,
                           Message("historical_decomposition: scenarios is a 0x3 matrix, but must be non-empty"));
    mat not_pd(3, 3);
    not_pd << 1, 2, 0, 2, 1, 0, 0, 0, 1;  // eigenvalues 3, 1, −1
    REQUIRE_THROWS_MATCHES(gaussian_decomposition<double>(mu(), not_pd, w_gauss, 0.99), invalid_argument,
                           Message("gaussian_decomposition: covariance is a matrix with smallest eigenvalue -1, but must "
                                   "be positive definite"));
    std::vector<double> out(3);
    REQUIRE_THROWS_MATCHES(portfolio_pnl<double>(s, w_hist, out), invalid_argument,
                           Message("portfolio_pnl: the size of out is 3, but must be 500 (the number of scenarios)"));
    const std::vector<double> zero{0.0, 0.0, 0.0};
    REQUIRE_THROWS_MATCHES(gaussian_decomposition<double>(mu(), sigma(), zero, 0.99), invalid_argument,
                           Message("gaussian_decomposition: the portfolio standard deviation is 0, but must be finite and > 0"));
}
