// Tests of include/margincall/risk/parametric_portfolio.hpp against
// tests/reference/risk_figures.py (section "parametric portfolio"; NumPy 1.24.2 / SciPy 1.10.1:
// the unit ES by quadrature of the density, marginals by 40-digit mpmath finite differences,
// stand-alone and incremental figures by recomputing the portfolio without the position).
#include <margincall/risk/parametric_portfolio.hpp>

#include <array>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
struct expected {
    double sigma, var, es;
    std::array<double, 3> standalone_var, standalone_es, marginal_var, marginal_es, incremental_var, incremental_es;
    double benefit_var, benefit_es, trade_var, trade_es;
};

void check_report(const parametric_portfolio_risk<double>& r, const expected& e) {
    CHECK_THAT(r.sigma, WithinRel(e.sigma, 1e-13));
    CHECK_THAT(r.total.value_at_risk, WithinRel(e.var, 1e-12));
    CHECK_THAT(r.total.expected_shortfall, WithinRel(e.es, 1e-10));
    CHECK_THAT(r.diversification_benefit.value_at_risk, WithinRel(e.benefit_var, 1e-11));
    CHECK_THAT(r.diversification_benefit.expected_shortfall, WithinRel(e.benefit_es, 1e-10));
    double component_var = 0;
    double component_es = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("position " << i);
        CHECK_THAT(r.standalone[i].value_at_risk, WithinRel(e.standalone_var[i], 1e-12));
        CHECK_THAT(r.standalone[i].expected_shortfall, WithinRel(e.standalone_es[i], 1e-10));
        CHECK_THAT(r.marginal_var[i], WithinRel(e.marginal_var[i], 1e-9));
        CHECK_THAT(r.marginal_es[i], WithinRel(e.marginal_es[i], 1e-9));
        CHECK_THAT(r.incremental[i].value_at_risk, WithinRel(e.incremental_var[i], 1e-10));
        CHECK_THAT(r.incremental[i].expected_shortfall, WithinRel(e.incremental_es[i], 1e-9));
        component_var += r.component_var[i];
        component_es += r.component_es[i];
    }
    // Euler: the components add up to the total.
    CHECK_THAT(component_var, WithinRel(r.total.value_at_risk, 1e-13));
    CHECK_THAT(component_es, WithinRel(r.total.expected_shortfall, 1e-13));
}

struct book {
    Eigen::VectorXd mean{3};
    Eigen::MatrixXd covariance{3, 3};
    std::vector<double> positions{1'000'000.0, -400'000.0, 250'000.0};
    std::vector<double> trade{0.0, 200'000.0, -50'000.0};
    book() {
        mean << 0.0004, -0.0002, 0.0010;
        const std::array<double, 3> vol{0.012, 0.025, 0.040};
        const std::array<std::array<double, 3>, 3> corr{{{1.0, 0.3, -0.2}, {0.3, 1.0, 0.5}, {-0.2, 0.5, 1.0}}};
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                covariance(i, j) = vol[static_cast<std::size_t>(i)] * vol[static_cast<std::size_t>(j)] *
                                   corr[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    }
};
}  // namespace

TEST_CASE("Gaussian portfolio: sigma_p at 10 days, stand-alone, diversification, incremental",
          "[risk][parametric_portfolio]") {
    const book b;
    const auto r = parametric_portfolio<double>(b.mean, b.covariance, b.positions, 0.99,
                                                parametric_model<double>::gaussian(), 10.0);
    check_report(r, {35213.633723318024, 74619.161949493748, 86551.877349435774,
                     {84278.694942314643, 72765.579118595546, 71065.579118595531},
                     {97137.768662751463, 83481.473885626227, 81781.473885626212},
                     {0.051493625836753813, -0.021122344098647449, 0.058706393893123772},
                     {0.059577078204456478, -0.024490449251856897, 0.068714477776946128},
                     {4353.5828308982018, -21872.648816540008, -17061.190565479294},
                     {5570.4034638095472, -24942.18609044094, -19182.239399075916},
                     153490.69123001199, 175848.83908456814, -903.57797714510525, -1166.2952973753127});
    const auto t = incremental_parametric<double>(b.mean, b.covariance, b.positions, b.trade, 0.99,
                                                  parametric_model<double>::gaussian(), 10.0);
    CHECK_THAT(t.value_at_risk, WithinRel(-903.57797714510525, 1e-10));
    CHECK_THAT(t.expected_shortfall, WithinRel(-1166.2952973753127, 1e-9));
    // At a one-day horizon the totals are those of gaussian_decomposition.
    const auto one_day = parametric_portfolio<double>(b.mean, b.covariance, b.positions, 0.99);
    const auto euler = gaussian_decomposition<double>(b.mean, b.covariance, b.positions, 0.99);
    CHECK_THAT(one_day.total.value_at_risk, WithinRel(euler.total.value_at_risk, 1e-14));
    CHECK_THAT(one_day.marginal_es[2], WithinRel(euler.marginal_es[2], 1e-14));
}

TEST_CASE("Student-t (nu = 5) portfolio figures", "[risk][parametric_portfolio]") {
    const book b;
    const auto model = parametric_model<double>::student_t(5.0);
    const auto r = parametric_portfolio<double>(b.mean, b.covariance, b.positions, 0.99, model, 10.0);
    check_report(r, {35213.633723318024, 84483.053445471684, 114146.07443983998,
                     {94908.338210081361, 81623.615175067811, 79923.615175067796},
                     {126874.15327840186, 108261.79439866824, 106561.79439866822},
                     {0.058175616850158221, -0.02390650702089929, 0.066979335147814942},
                     {0.078269921394730296, -0.032279133914470994, 0.091857997917285134},
                     {5359.4382704038726, -24410.007799623243, -18814.504446774852},
                     {8384.2800411717471, -32040.437718295521, -24087.127984026243},
                     171972.5151147453, 227551.66763589834, -1120.7469159834, -1773.8245369925135});
    const auto t = incremental_parametric<double>(b.mean, b.covariance, b.positions, b.trade, 0.99, model, 10.0);
    CHECK_THAT(t.value_at_risk, WithinRel(-1120.7469159834, 1e-10));
    CHECK_THAT(t.expected_shortfall, WithinRel(-1773.8245369925135, 1e-9));
}

TEST_CASE("parametric portfolio refuses bad input, naming it", "[risk][parametric_portfolio]") {
    const book b;
    REQUIRE_THROWS_MATCHES(parametric_model<double>::student_t(2.0), invalid_argument,
                           Message("parametric_model::student_t: nu is 2, but must be finite and > 2 (the covariance is "
                                   "matched)"));
    REQUIRE_THROWS_MATCHES(parametric_portfolio<double>(b.mean, b.covariance, b.positions, 0.99,
                                                        parametric_model<double>::gaussian(), 0.0),
                           invalid_argument,
                           Message("parametric_portfolio: horizon_days is 0, but must be finite and > 0"));
    const std::vector<double> zero(3, 0.0);
    REQUIRE_THROWS_MATCHES(parametric_portfolio<double>(b.mean, b.covariance, zero, 0.99), invalid_argument,
                           Message("parametric_portfolio: the portfolio standard deviation is 0, but must be finite and > 0"));
    const std::vector<double> two(2, 1.0);
    REQUIRE_THROWS_AS(incremental_parametric<double>(b.mean, b.covariance, b.positions, two, 0.99), invalid_argument);
}

TEST_CASE("parametric figures that overflow are refused, not reported as inf (issue #15 sweep)",
          "[risk][parametric_portfolio][reliability]") {
    // Before: a mean of 1e308 gave VaR = -inf; a trade of 1e160 gave an incremental VaR of inf.
    book b;
    b.mean[0] = 1e308;
    REQUIRE_THROWS_MATCHES(parametric_portfolio<double>(b.mean, b.covariance, b.positions, 0.99), invalid_argument,
                           Message("parametric_portfolio: the mean loss is -inf, but must be finite in the working "
                                   "precision (the means, positions or horizon are too large)"));
    book c;
    c.mean.setZero();
    // σ_p = √h·0.012·1.7e308 = 2.04e308 at h = 1e4: the figure itself overflows.
    const std::vector<double> huge_trade{1.7e308, 0.0, 0.0};
    REQUIRE_THROWS_MATCHES(incremental_parametric<double>(c.mean, c.covariance, c.positions, huge_trade, 0.99,
                                                          parametric_model<double>::gaussian(), 1e4),
                           invalid_argument,
                           Message("incremental_parametric: the VaR or ES after the trade is inf, but must be finite in "
                                   "the working precision (the means, positions or horizon are too large)"));
}

TEST_CASE("sigma_p stays exact where w'Sigma w leaves the normal range (fuzzer)", "[risk][parametric_portfolio][reliability]") {
    // Closed forms. A trade of 1e160 made (w σ)² overflow (σ_p = inf, refused); its VaR is finite:
    // ≈ 1e160·(z_0.99·0.012 − 0.0004), the other positions 1e-154 of it, z_0.99 = 2.3263478740408408
    // (SciPy 1.10.1 norm.ppf(0.99)).
    const book c;
    const std::vector<double> big_trade{1e160, 0.0, 0.0};
    const auto t = incremental_parametric<double>(c.mean, c.covariance, c.positions, big_trade, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(1e160 * (2.3263478740408408 * 0.012 - 0.0004), 1e-13));
    // w = (2^-270, 2^-1045), σ = (2^-270, 2^53), ρ = 0: wᵀΣw = 2^-1080 + 2^-1984 is below the smallest
    // subnormal (it was 0, refused as a zero portfolio); σ_p = 2^-540 (the second term is 2^-904 of
    // the first), β = Σw/σ_p = (2^-540·1, 2^-1045·2^106/2^-540).
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(2);
    Eigen::MatrixXd covariance(2, 2);
    covariance << std::ldexp(1.0, -540), 0.0, 0.0, std::ldexp(1.0, 106);
    const std::vector<double> w{std::ldexp(1.0, -270), std::ldexp(1.0, -1045)};
    const auto r = parametric_portfolio<double>(mean, covariance, w, 0.99);
    CHECK(r.sigma == std::ldexp(1.0, -540));
    CHECK(r.marginal_var[0] == 2.3263478740408408 * std::ldexp(1.0, -270));
    CHECK(r.component_var[0] + r.component_var[1] == r.total.value_at_risk);
    const auto d = gaussian_decomposition<double>(mean, covariance, w, 0.99);
    CHECK(d.total.value_at_risk == r.total.value_at_risk);
    CHECK(d.component_var[0] + d.component_var[1] == d.total.value_at_risk);
    // The fuzzer's case: sd = (2.05e-81, 1.08e16), w = (2.05e-81, 1.5e-315), Student-t ν = 5, 10 days;
    // wᵀΣw = 1.6e-323 kept two bits and the components missed the total by 14 %.
    Eigen::VectorXd mu(2);
    mu << 2.0546950493881392e-81, 2.0546950501119882e-81;
    const double sd1 = 2.0546950501119882e-81, sd2 = 10843961455707782.0, rho = 2.0546950501131914e-81;
    Eigen::MatrixXd cov(2, 2);
    cov << sd1 * sd1, rho * sd1 * sd2, rho * sd1 * sd2, sd2 * sd2;
    const std::vector<double> wf{2.0546954938940375e-81, 1.5073061392097687e-315};
    const auto f = parametric_portfolio<double>(mu, cov, wf, 0.99, parametric_model<double>::student_t(5.0), 10.0);
    CHECK_THAT(f.sigma, WithinRel(std::sqrt(10.0) * wf[0] * sd1, 1e-15));
    // The mean loss (−4.2e-161) and k·σ_p nearly cancel in the ES (3.8e-162): the tolerance is
    // relative to the terms, not to their difference.
    const double terms = 4 * std::abs(f.mean_loss);
    CHECK_THAT(f.component_var[0] + f.component_var[1], WithinAbs(f.total.value_at_risk, 1e-15 * terms));
    CHECK_THAT(f.component_es[0] + f.component_es[1], WithinAbs(f.total.expected_shortfall, 1e-15 * terms));
    // Again with h = 2e-320 days and α = 1.4e-308: σ_p ≈ 6e-322 is subnormal (two bits) while
    // k·σ_p ≈ −2e-261 is not; the total and the components are both formed from k·√h first.
    const double h = 2.0236928853657458e-320, alpha = 1.3906711615670009e-308;
    const std::vector<double> wh{2.0546954938940375e-81, 2.4988773165020968e-310};
    const auto g = parametric_portfolio<double>(mu, cov, wh, alpha, parametric_model<double>::student_t(5.0), h);
    const double k = parametric_model<double>::student_t(5.0).multipliers(alpha).value_at_risk;
    CHECK_THAT(g.total.value_at_risk, WithinRel(k * std::sqrt(h) * wh[0] * sd1, 1e-15));
    CHECK_THAT(g.component_var[0] + g.component_var[1], WithinRel(g.total.value_at_risk, 1e-15));
}
