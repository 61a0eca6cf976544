// Tests of include/margincall/risk/monte_carlo_var.hpp: Monte Carlo against closed forms, with
// tolerances from the Monte Carlo standard error (fixed seeds).
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/student_t_var.hpp>

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;
using vec = Eigen::VectorXd;
using mat = Eigen::MatrixXd;

namespace {
// Three factors with correlation; w'Σw and w'μ by hand below.
mat covariance() {
    mat s(3, 3);
    s << 0.04, 0.006, -0.002,  //
        0.006, 0.09, 0.012,    //
        -0.002, 0.012, 0.0225;
    return s;
}
vec mean() {
    vec m(3);
    m << 0.001, -0.002, 0.0005;
    return m;
}
const std::vector<double> positions{2.0, -1.0, 3.0};
// w'μ = 0.002 + 0.002 + 0.0015 = 0.0055
// w'Σw = 4·0.04 + 1·0.09 + 9·0.0225 + 2·(2·(−1)·0.006 + 2·3·(−0.002) + (−1)·3·0.012)
//      = 0.16 + 0.09 + 0.2025 + 2·(−0.012 − 0.012 − 0.036) = 0.4525 − 0.12 = 0.3325
constexpr double w_mu = 0.0055;
constexpr double w_sigma_w = 0.3325;

// Standard errors of the empirical α-quantile and ES of n draws of a normal loss N(m, s²):
// SE(VaR) = √(α(1−α)/n)/f(q), f(q) = φ(z)/s; SE(ES) = √((Var(L|L>q) + α(ES−q)²)/(n(1−α)))
// (Manistre & Hancock 2005, North American Actuarial Journal 9(2)); Var(Z|Z>z) = 1 + zλ − λ², λ = φ(z)/(1−α).
struct se { double var, es; };
se normal_standard_errors(double s, double alpha, double n) {
    const boost::math::normal_distribution<double> nd;
    const double z = boost::math::quantile(nd, alpha);
    const double lambda = boost::math::pdf(nd, z) / (1 - alpha);
    const double var_se = std::sqrt(alpha * (1 - alpha) / n) * s / boost::math::pdf(nd, z);
    const double tail_var = s * s * (1 + z * lambda - lambda * lambda);
    const double es_se = std::sqrt((tail_var + alpha * (s * (lambda - z)) * (s * (lambda - z))) / (n * (1 - alpha)));
    return {var_se, es_se};
}
}  // namespace

TEST_CASE("MC normal VaR/ES of a linear book converge to -w'mu + z sqrt(w'Sigma w)", "[risk][monte_carlo]") {
    const monte_carlo_var<double> mc{mean(), covariance()};
    const auto exact = normal_tail_risk(-w_mu, std::sqrt(w_sigma_w), 0.99);
    for (const bool antithetic : {false, true}) {
        std::mt19937_64 gen(12345);
        monte_carlo_options opt;
        opt.scenarios = 200000;
        opt.antithetic = antithetic;
        const auto t = mc.linear(positions, 0.99, gen, opt);
        const auto e = normal_standard_errors(std::sqrt(w_sigma_w), 0.99, 200000.0);
        INFO("antithetic " << antithetic);
        CHECK_THAT(t.value_at_risk, WithinAbs(exact.value_at_risk, 4 * e.var));
        CHECK_THAT(t.expected_shortfall, WithinAbs(exact.expected_shortfall, 4 * e.es));
    }
}

TEST_CASE("MC full revaluation of a linear pricer equals the linear path's distribution", "[risk][monte_carlo]") {
    const monte_carlo_var<double> mc{mean(), covariance()};
    std::mt19937_64 gen(777);
    monte_carlo_options opt;
    opt.scenarios = 100000;
    const auto pricer = [](std::span<const double> x) { return 2.0 * x[0] - x[1] + 3.0 * x[2]; };
    const auto t = mc.full_revaluation(pricer, 0.99, gen, opt);
    const auto exact = normal_tail_risk(-w_mu, std::sqrt(w_sigma_w), 0.99);
    const auto e = normal_standard_errors(std::sqrt(w_sigma_w), 0.99, 100000.0);
    CHECK_THAT(t.value_at_risk, WithinAbs(exact.value_at_risk, 4 * e.var));
    CHECK_THAT(t.expected_shortfall, WithinAbs(exact.expected_shortfall, 4 * e.es));
}

TEST_CASE("MC Student-t linear book: w'X is a scaled univariate t", "[risk][monte_carlo]") {
    // Elliptical: wᵀX = wᵀμ + √(wᵀΣw) T_ν, so loss VaR/ES are student_t_tail_risk(−wᵀμ, √(wᵀΣw), ν)
    // (linear combinations of an elliptical vector stay in its family: McNeil, Frey & Embrechts 2005,
    // §3.3). Tolerances from the SE formulas above with the t(5) density f(3.365) ≈ 0.0109: SE(VaR)
    // ≈ 0.43% at 4·10⁵ scenarios, so 2% ≈ 4.6 SE; SE(ES) ≈ 0.8%, so 5% ≈ 6 SE.
    const monte_carlo_var<double> mc{mean(), covariance(), 5.0};
    std::mt19937_64 gen(99);
    monte_carlo_options opt;
    opt.scenarios = 400000;
    opt.antithetic = true;
    const auto t = mc.linear(positions, 0.99, gen, opt);
    const auto exact = student_t_tail_risk(-w_mu, std::sqrt(w_sigma_w), 5.0, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(exact.value_at_risk, 0.02));
    CHECK_THAT(t.expected_shortfall, WithinRel(exact.expected_shortfall, 0.05));
}

TEST_CASE("simulated factors have the requested mean and covariance", "[risk][monte_carlo]") {
    const monte_carlo_var<double> mc{mean(), covariance()};
    std::mt19937_64 gen(5);
    mat x(3, 100000);
    mc.simulate(x, gen, true);
    const vec m = x.rowwise().mean();
    const mat centered = x.colwise() - m;
    const mat c = centered * centered.transpose() / static_cast<double>(x.cols() - 1);
    CHECK_THAT(m[1], WithinAbs(-0.002, 1e-12));  // antithetic pairs: the mean is exact up to rounding
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)  // SE of a sample covariance ≈ √((σ_ii σ_jj + σ_ij²)/n) ≤ 0.09·√2/316 ≈ 4e-4
            CHECK_THAT(c(i, j), WithinAbs(covariance()(i, j), 2e-3));
}

TEST_CASE("MC is reproducible from the caller's generator", "[risk][monte_carlo]") {
    const monte_carlo_var<double> mc{mean(), covariance(), 4.0};
    std::mt19937_64 g1(2024), g2(2024);
    monte_carlo_options opt;
    opt.scenarios = 5000;
    const auto a = mc.linear(positions, 0.975, g1, opt);
    const auto b = mc.linear(positions, 0.975, g2, opt);
    CHECK(a.value_at_risk == b.value_at_risk);
    CHECK(a.expected_shortfall == b.expected_shortfall);
    std::vector<double> out(5000);
    std::mt19937_64 g3(2024);
    const auto c = mc.linear(positions, 0.975, g3, opt, out);
    CHECK(c.value_at_risk == a.value_at_risk);
    CHECK(std::find(out.begin(), out.end(), a.value_at_risk) != out.end());
}

TEST_CASE("MC errors name the argument and the value", "[risk][monte_carlo][errors]") {
    mat not_pd(2, 2);
    not_pd << 1.0, 2.0, 2.0, 1.0;  // eigenvalues 3 and −1
    vec m2 = vec::Zero(2);
    REQUIRE_THROWS_MATCHES(monte_carlo_var<double>(m2, not_pd), invalid_argument,
                           Message("monte_carlo_var: covariance is a matrix with smallest eigenvalue -1, but must be "
                                   "positive definite"));
    mat asym(2, 2);
    asym << 1.0, 0.5, 0.4, 1.0;
    REQUIRE_THROWS_MATCHES(monte_carlo_var<double>(m2, asym), invalid_argument,
                           Message("monte_carlo_var: covariance(0, 1) is 0.5, but must be equal to covariance(1, 0) = 0.4"));
    REQUIRE_THROWS_MATCHES(monte_carlo_var<double>(mean(), not_pd), invalid_argument,
                           Message("monte_carlo_var: covariance is a 2x2 matrix, but must be 3x3 (the size of mean)"));
    mat nan_cov = covariance();
    nan_cov(1, 1) = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(monte_carlo_var<double>(mean(), nan_cov), invalid_argument,
                           Message("monte_carlo_var: covariance(1, 1) is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(monte_carlo_var<double>(mean(), covariance(), 0.0), invalid_argument,
                           Message("monte_carlo_var: nu is 0, but must be > 0"));
    const monte_carlo_var<double> mc{mean(), covariance()};
    std::mt19937_64 gen(1);
    const std::vector<double> two{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(mc.linear(two, 0.99, gen), invalid_argument,
                           Message("monte_carlo_var::linear: the size of positions is 2, but must be 3 (the number of factors)"));
    REQUIRE_THROWS_MATCHES(mc.linear(positions, 1.0, gen), invalid_argument,
                           Message("monte_carlo_var::linear: alpha is 1, but must be in (0, 1)"));
    monte_carlo_options odd;
    odd.scenarios = 101;
    odd.antithetic = true;
    REQUIRE_THROWS_MATCHES(mc.linear(positions, 0.99, gen, odd), invalid_argument,
                           Message("monte_carlo_var::linear: options.scenarios is 101, but must be even when antithetic"));
    monte_carlo_options none;
    none.scenarios = 0;
    REQUIRE_THROWS_MATCHES(mc.linear(positions, 0.99, gen, none), invalid_argument,
                           Message("monte_carlo_var::linear: options.scenarios is 0, but must be > 0"));
    const auto bad_pricer = [](std::span<const double>) { return std::numeric_limits<double>::quiet_NaN(); };
    monte_carlo_options few;
    few.scenarios = 10;
    REQUIRE_THROWS_MATCHES(mc.full_revaluation(bad_pricer, 0.99, gen, few), invalid_argument,
                           Message("monte_carlo_var::full_revaluation: the pricer's P&L in scenario 0 is nan, but must be finite"));
}
