// Tests of include/margincall/risk/peaks_over_threshold.hpp against R 4.2.2 with evd 2.3.6.1
// (fpot, maximum likelihood; tests/reference/risk_pot.R, .out and the sample risk_pot_sample.txt)
// and SciPy 1.10.1 (tests/reference/risk_pot_scipy.py, .out).
#include <margincall/risk/peaks_over_threshold.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

static_assert(tail_estimator<peaks_over_threshold<double>, double>);

namespace {
std::vector<double> pot_sample() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/risk_pot_sample.txt");
    std::vector<double> x;
    for (std::string line; std::getline(in, line);) x.push_back(std::stod(line));
    return x;
}
struct row { double u; std::size_t nu; double xi, sigma, loglik, var99, es99, var995, es995; };
const std::array<row, 3> r_rows{{  // tests/reference/risk_pot.out
    {1.5, 221, 0.18781511181920452, 0.92256926454329902, -244.69591988183871, 4.3009625993331717, 6.0845864877106628,
     5.3733686940069543, 7.4049830012137079},
    {2, 131, 0.22103293422662029, 0.97690816566926697, -156.89470186901036, 4.2762213972955063, 6.1762093750843983,
     5.384857081704693, 7.5994218998764484},
    {2.5, 82, 0.29075724695632388, 0.98199468175230653, -104.35213923176882, 4.2130072639431217, 6.2998300781079202,
     5.349597753949471, 7.9023709361268901},
}};
}  // namespace

TEST_CASE("GPD maximum likelihood agrees with evd::fpot and is at least as likely", "[risk][pot]") {
    const auto x = pot_sample();
    REQUIRE(x.size() == 2000);
    for (const auto& r : r_rows) {
        INFO("threshold " << r.u);
        const auto fit = fit_gpd<double>(x, r.u);
        CHECK(fit.exceedances == r.nu);
        // evd stops its optimiser at reltol 1e-15 of the deviance; the parameters agree to ~1e-6.
        CHECK_THAT(fit.xi, WithinRel(r.xi, 1e-5));
        CHECK_THAT(fit.sigma, WithinRel(r.sigma, 1e-5));
        CHECK(fit.log_likelihood >= r.loglik - 1e-9);
        CHECK_THAT(fit.log_likelihood, WithinRel(r.loglik, 1e-10));
        // Our log-likelihood evaluated at evd's estimate reproduces evd's maximum.
        CHECK_THAT(gpd_log_likelihood<double>(x, r.u, r.xi, r.sigma), WithinRel(r.loglik, 1e-12));
        const peaks_over_threshold<double> pot{r.u};
        const auto t99 = pot.estimate(x, 0.99);
        const auto t995 = pot.estimate(x, 0.995);
        CHECK_THAT(t99.value_at_risk, WithinRel(r.var99, 1e-5));
        CHECK_THAT(t99.expected_shortfall, WithinRel(r.es99, 1e-5));
        CHECK_THAT(t995.value_at_risk, WithinRel(r.var995, 1e-5));
        CHECK_THAT(t995.expected_shortfall, WithinRel(r.es995, 1e-5));
        // McNeil–Frey formulas at evd's own parameters: agreement to rounding.
        const gpd_fit<double> evd_fit{r.u, r.xi, r.sigma, r.nu, 2000, r.loglik};
        CHECK_THAT(gpd_tail_risk(evd_fit, 0.99).value_at_risk, WithinRel(r.var99, 1e-14));
        CHECK_THAT(gpd_tail_risk(evd_fit, 0.99).expected_shortfall, WithinRel(r.es99, 1e-14));
    }
}

TEST_CASE("GPD maximum likelihood agrees with SciPy's tightly converged fit", "[risk][pot]") {
    // tests/reference/risk_pot_scipy.py (SciPy 1.10.1 genpareto.fit, floc = 0, Nelder–Mead to xtol 1e-12).
    struct srow { double u, xi, sigma, loglik; };
    const std::array<srow, 3> rows{{
        {1.5, 0.18781355930259869, 0.92256983873817433, -244.69591988160641},
        {2.0, 0.22103157929344974, 0.97690868957338028, -156.89470186891816},
        {2.5, 0.29075597111674123, 0.9819951566734666, -104.35213923173009},
    }};
    const auto x = pot_sample();
    for (const auto& r : rows) {
        const auto fit = fit_gpd<double>(x, r.u);
        CHECK_THAT(fit.xi, WithinRel(r.xi, 1e-6));
        CHECK_THAT(fit.sigma, WithinRel(r.sigma, 1e-6));
        CHECK(fit.log_likelihood >= r.loglik - 1e-10);
    }
}

TEST_CASE("score equations vanish at the fit", "[risk][pot]") {
    // ∂ℓ/∂σ = −N/σ + (1/ξ + 1) Σ (y/σ²)/(1 + ξy/σ) and ∂ℓ/∂ξ: both zero at an interior maximum;
    // checked by central differences of gpd_log_likelihood.
    const auto x = pot_sample();
    const auto fit = fit_gpd<double>(x, 2.0);
    const double h = 1e-6;
    const double d_xi = (gpd_log_likelihood<double>(x, 2.0, fit.xi + h, fit.sigma) -
                         gpd_log_likelihood<double>(x, 2.0, fit.xi - h, fit.sigma)) / (2 * h);
    const double d_sigma = (gpd_log_likelihood<double>(x, 2.0, fit.xi, fit.sigma + h) -
                            gpd_log_likelihood<double>(x, 2.0, fit.xi, fit.sigma - h)) / (2 * h);
    CHECK_THAT(d_xi, WithinAbs(0.0, 1e-4));
    CHECK_THAT(d_sigma, WithinAbs(0.0, 1e-4));
}

TEST_CASE("exponential limit: xi = 0 formulas by hand", "[risk][pot]") {
    // ξ = 0, σ = 2, u = 1, N_u/n = 0.1: VaR_0.99 = 1 − 2 log(0.1) = 1 + 2 ln 10, ES = VaR + 2.
    const gpd_fit<double> f{1.0, 0.0, 2.0, 10, 100, 0.0};
    const auto t = gpd_tail_risk(f, 0.99);
    CHECK_THAT(t.value_at_risk, WithinRel(1.0 + 2.0 * std::log(10.0), 1e-15));
    CHECK_THAT(t.expected_shortfall, WithinRel(3.0 + 2.0 * std::log(10.0), 1e-15));
}

TEST_CASE("POT: ES >= VaR and both monotone in alpha", "[risk][pot][property]") {
    const auto x = pot_sample();
    const auto fit = fit_gpd<double>(x, 2.0);
    double prev_var = -1e300, prev_es = -1e300;
    for (double a = 0.935; a < 0.9999; a += 0.001) {
        const auto t = gpd_tail_risk(fit, a);
        CHECK(t.expected_shortfall >= t.value_at_risk);
        CHECK(t.value_at_risk > prev_var);
        CHECK(t.expected_shortfall > prev_es);
        prev_var = t.value_at_risk;
        prev_es = t.expected_shortfall;
    }
}

TEST_CASE("POT errors name the argument and the value", "[risk][pot][errors]") {
    const auto x = pot_sample();
    REQUIRE_THROWS_MATCHES(fit_gpd<double>(x, 100.0), invalid_argument,
                           Message("fit_gpd: the number of losses above threshold is 0, but must be >= 3"));
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(fit_gpd<double>(empty, 1.0), invalid_argument,
                           Message("fit_gpd: the size of losses is 0, but must be > 0"));
    const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(fit_gpd<double>(bad, 0.5), invalid_argument,
                           Message("fit_gpd: losses[1] is nan, but must be finite"));
    const auto fit = fit_gpd<double>(x, 2.0);  // N_u/n = 131/2000 = 0.0655
    REQUIRE_THROWS_MATCHES(gpd_tail_risk(fit, 0.9), invalid_argument,
                           Message("gpd_tail_risk: alpha is 0.9, but must be >= 1 - N_u/n = 0.9345 (the quantile must "
                                   "lie beyond the threshold)"));
    const gpd_fit<double> heavy{1.0, 1.2, 1.0, 10, 100, 0.0};
    REQUIRE_THROWS_MATCHES(gpd_tail_risk(heavy, 0.99), invalid_argument,
                           Message("gpd_tail_risk: xi is 1.2, but must be < 1 (the ES is infinite for xi >= 1)"));
    REQUIRE_THROWS_MATCHES(peaks_over_threshold<double>{std::numeric_limits<double>::infinity()}, invalid_argument,
                           Message("peaks_over_threshold: threshold is inf, but must be finite"));
}

TEST_CASE("POT from given GPD parameters matches SciPy's genpareto", "[risk][pot][parameters]") {
    // tests/reference/risk_figures.py, section "gpd": VaR = u + genpareto.ppf(1 − (1 − α)/ζ, ξ, σ),
    // ES by quadrature of that quantile function over [α, 1] (SciPy 1.10.1).
    struct row { double u, xi, sigma, zeta, alpha, var, es; };
    const std::array<row, 4> rows{{
        {0.02, 0.25, 0.01, 0.08, 0.99, 0.047271713220297149, 0.069695617627079848},
        {0.02, 0.0, 0.01, 0.08, 0.995, 0.047725887222397817, 0.057725887222397521},
        {1.5, -0.2, 0.7, 0.1, 0.999, 3.6066249030627593, 3.8388540858856022},
        {100.0, 0.6, 35.0, 0.02, 0.99, 130.08346637977317, 262.70866594996448},
    }};
    for (const auto& r : rows) {
        INFO("xi " << r.xi);
        const auto t = gpd_tail_risk(r.u, r.xi, r.sigma, r.zeta, r.alpha);
        CHECK_THAT(t.value_at_risk, WithinRel(r.var, 1e-13));
        CHECK_THAT(t.expected_shortfall, WithinRel(r.es, 1e-10));
    }
    // The fit overload is the parameter overload with ζ = N_u/n.
    const gpd_fit<double> fit{0.02, 0.25, 0.01, 8, 100, 0.0};
    CHECK(gpd_tail_risk(fit, 0.99).value_at_risk == gpd_tail_risk(0.02, 0.25, 0.01, 0.08, 0.99).value_at_risk);
    REQUIRE_THROWS_MATCHES(gpd_tail_risk(0.02, 0.25, 0.01, 0.0, 0.99), invalid_argument,
                           Message("gpd_tail_risk: threshold_exceedance_probability is 0, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(gpd_tail_risk(0.02, 0.25, 0.01, 0.005, 0.99), invalid_argument,
                           Message("gpd_tail_risk: alpha is 0.99, but must be >= 1 - N_u/n = 0.995 (the quantile must "
                                   "lie beyond the threshold)"));
}
