// Tests of include/margincall/volatility/garch_family.hpp: filter, log-likelihood, forecasts and
// one-day VaR/ES of GARCH / GJR / EGARCH (1,1) with a mean equation, on the dem2gbp benchmark.
// References: R 4.2.2 + fGarch 4022.89 (tests/reference/garch_family_fgarch.R →
// garch_family_fgarch.out: fGarch's own σ_t and predict(), and a plain R loop at fixed
// parameters) and Python 3.11 / SciPy 1.10 (tests/reference/garch_family_egarch.py →
// garch_family_egarch.out: an EGARCH loop with E|z| and the forecast expectations by quad).
#include <margincall/volatility/garch_family.hpp>

#include <cmath>
#include <numbers>
#include <span>
#include <vector>

#include "catch.hpp"
#include "dem2gbp_series.hpp"

using margincall::garch_family;
using margincall::garch_family_spec;
using margincall::garch_innovation;
using margincall::garch_mean;
using margincall::garch_variance;
using margincall::invalid_argument;

namespace {
constexpr garch_family_spec garch_norm{garch_variance::garch, garch_mean::constant, garch_innovation::normal};
constexpr garch_family_spec ar1_garch_norm{garch_variance::garch, garch_mean::ar1, garch_innovation::normal};
constexpr garch_family_spec gjr_std{garch_variance::gjr, garch_mean::constant, garch_innovation::student_t};
constexpr garch_family_spec egarch_norm{garch_variance::egarch, garch_mean::constant, garch_innovation::normal};
constexpr garch_family_spec egarch_std{garch_variance::egarch, garch_mean::constant, garch_innovation::student_t};

struct filtered {
    std::vector<double> sigma, z;
    margincall::garch_family_state<double> state;
};
filtered run(const garch_family<double>& m, const std::vector<double>& x) {
    filtered f{std::vector<double>(x.size()), std::vector<double>(x.size()), {}};
    f.state = m.filter(x, f.sigma, f.z);
    return f;
}

// fGarch's estimates as printed (10 digits) in garch_family_fgarch.out; the GJR ones through the
// APARCH mapping alpha = a (1 - g)^2, gamma = 4 a g (derived in the R script).
const garch_family<double> fgarch_garch_norm(garch_norm, {.mu = -0.006190414365, .omega = 0.01076139156,
                                                          .alpha = 0.1531339053, .beta = 0.8059737802});
const garch_family<double> fgarch_ar1(ar1_garch_norm, {.mu = -0.00609710032, .ar = 0.05137790102, .omega = 0.011189152,
                                                       .alpha = 0.1574030838, .beta = 0.7999517644});
const garch_family<double> fgarch_gjr_std(gjr_std, {.mu = 0.0009190423314, .omega = 0.002317534814, .alpha = 0.1022037663,
                                                    .gamma = 0.03621810593, .beta = 0.8867146731, .shape = 4.105570063});
}  // namespace

TEST_CASE("garch_family log-likelihood and next variance equal plain R / SciPy loops at fixed parameters", "[volatility]") {
    const auto x = dem2gbp_series();
    // [fixed gjr-ar1-std(...)] of garch_family_fgarch.out: e_1 = 0, h_1 = omega + (alpha + gamma/2 + beta) mean(e^2).
    const garch_family<double> gjr({garch_variance::gjr, garch_mean::ar1, garch_innovation::student_t},
                                   {.mu = -0.01, .ar = 0.02, .omega = 0.01, .alpha = 0.12, .gamma = 0.05, .beta = 0.80, .shape = 5});
    // Sums of 1974 terms agree to rounding: 1e-12 relative.
    CHECK_THAT(gjr.log_likelihood(x), WithinRel(-1000.15334474102, 1e-12));
    const auto g = run(gjr, x);
    CHECK_THAT(g.state.next_variance, WithinRel(0.131020767686133, 1e-12));
    CHECK_THAT(g.state.next_mean, WithinRel(0.000560937399999999, 1e-12));
    // [fixed egarch-*] of garch_family_egarch.out: SciPy's E|z| comes from quad (~1e-12), hence 1e-10.
    const garch_family<double> en(egarch_norm, {.mu = -0.01, .omega = -0.1, .alpha = -0.02, .gamma = 0.25, .beta = 0.95});
    CHECK_THAT(en.log_likelihood(x), WithinRel(-1133.19621523133, 1e-10));
    CHECK_THAT(run(en, x).state.next_variance, WithinRel(0.127732651526611, 1e-10));
    const garch_family<double> et(egarch_std,
                                  {.mu = -0.01, .omega = -0.1, .alpha = -0.02, .gamma = 0.25, .beta = 0.95, .shape = 5});
    CHECK_THAT(et.log_likelihood(x), WithinRel(-995.508402154722, 1e-10));
    CHECK_THAT(run(et, x).state.next_variance, WithinRel(0.14129317064887, 1e-10));
}

TEST_CASE("garch_family filter reproduces fGarch's sigma path and standardised residuals", "[volatility]") {
    const auto x = dem2gbp_series();
    const auto f = run(fgarch_garch_norm, x);
    // fGarch volatility(fit)[1], [2], [n]; parameters rounded to 10 digits move σ by < 1e-9.
    CHECK_THAT(f.sigma[0], WithinRel(0.4720612109, 1e-8));
    CHECK_THAT(f.sigma[1], WithinRel(0.4393347199, 1e-8));
    CHECK_THAT(f.sigma.back(), WithinRel(0.3388205087, 1e-8));
    // z_t = (x_t − μ) / σ_t by definition.
    CHECK_THAT(f.z[7], WithinRel((x[7] + 0.006190414365) / f.sigma[7], 1e-15));
    const auto a = run(fgarch_ar1, x);
    CHECK(a.z[0] == 0.0);  // fGarch's ε_1 = 0 under AR(1)
    CHECK_THAT(a.sigma[0], WithinRel(0.4724548146, 1e-8));
    CHECK_THAT(a.sigma.back(), WithinRel(0.336653356, 1e-8));
}

TEST_CASE("garch_family forecasts equal fGarch predict() and the SciPy EGARCH expectation", "[volatility]") {
    const auto x = dem2gbp_series();
    // predict(fit, n.ahead = 5): standardDeviation = sqrt(E σ²_{T+h}), meanForecast.
    const double garch_sd[] = {0.3833960289, 0.3895420932, 0.395347075, 0.4008357029, 0.406030189};
    const double ar1_sd[] = {0.385721338, 0.3919506556, 0.3978229423, 0.4033647131, 0.4085997378};
    const double ar1_mean[] = {0.0210328395, -0.005016477173, -0.006354836387, -0.006423598474, -0.006427131326};
    const double gjr_sd[] = {0.3639988994, 0.3684343097, 0.3728475723, 0.3772396771, 0.3816115663};
    const auto g = run(fgarch_garch_norm, x).state;
    const auto a = run(fgarch_ar1, x).state;
    const auto j = run(fgarch_gjr_std, x).state;
    CHECK(fgarch_gjr_std.persistence() > 1.0);  // fGarch's t fit is not covariance stationary
    for (std::size_t h = 1; h <= 5; ++h) {
        CHECK_THAT(std::sqrt(fgarch_garch_norm.forecast(g, h).variance), WithinRel(garch_sd[h - 1], 1e-8));
        CHECK(fgarch_garch_norm.forecast(g, h).mean == -0.006190414365);
        CHECK_THAT(std::sqrt(fgarch_ar1.forecast(a, h).variance), WithinRel(ar1_sd[h - 1], 1e-8));
        CHECK_THAT(fgarch_ar1.forecast(a, h).mean, WithinRel(ar1_mean[h - 1], 1e-8));
        // fGarch's predict() takes E(|z| − g z)² for the t from integrate() (garchKappa): 1.00575309580
        // against the exact 1 + g² = 1.00575322 (1.2e-7 off), which moves its P by ~1.5e-8 a step.
        CHECK_THAT(std::sqrt(fgarch_gjr_std.forecast(j, h).variance), WithinRel(gjr_sd[h - 1], 1e-7));
    }
    // EGARCH-normal: [egarch-norm] forecast variance (quad of E exp(β^j g(z)), Nelson's closed form here).
    const garch_family<double> e(egarch_norm, {.mu = -0.01159891796, .omega = -0.1268902221, .alpha = -0.03846526638,
                                               .gamma = 0.3327199325, .beta = 0.9124052579});
    const auto es = run(e, x).state;
    const double egarch_var[] = {0.167673480669, 0.176624946992, 0.184853095124, 0.192390344755, 0.199275958905};
    for (std::size_t h = 1; h <= 5; ++h) CHECK_THAT(e.forecast(es, h).variance, WithinRel(egarch_var[h - 1], 1e-8));
}

TEST_CASE("garch_family one-day VaR and ES through risk/ equal R's quantiles at fGarch's forecast", "[volatility]") {
    const auto x = dem2gbp_series();
    // "one-day 99% VaR / ES" lines: qnorm / qstd and the tail mean by integrate().
    const auto check = [&](const garch_family<double>& m, double var, double es) {
        const auto r = m.forecast_tail_risk(m.forecast(run(m, x).state, 1), 0.99);
        CHECK_THAT(r.value_at_risk, WithinRel(var, 1e-8));
        CHECK_THAT(r.expected_shortfall, WithinRel(es, 1e-8));
    };
    check(fgarch_garch_norm, 0.898102951, 1.028022963);
    check(fgarch_ar1, 0.8762891752, 1.006997156);
    check(fgarch_gjr_std, 0.9620816594, 1.331435924);
}

TEST_CASE("garch_family closed forms: persistence, long-run variance, E|z|", "[volatility]") {
    // GJR: P = α + γ/2 + β; σ̄² = ω / (1 − P) = 0.01 / (1 − 0.95) = 0.2.
    const garch_family<double> g({garch_variance::gjr, garch_mean::constant, garch_innovation::normal},
                                 {.omega = 0.01, .alpha = 0.05, .gamma = 0.1, .beta = 0.85});
    CHECK_THAT(g.persistence(), WithinRel(0.95, 1e-15));
    CHECK_THAT(g.unconditional_variance(), WithinRel(0.2, 1e-14));
    // Negative shock: σ² = ω + (α + γ) ε² + β σ² = 0.01 + 0.15·0.04 + 0.85·0.1 = 0.101; positive: 0.097.
    CHECK_THAT(g.next_variance(0.1, -0.2), WithinRel(0.101, 1e-14));
    CHECK_THAT(g.next_variance(0.1, 0.2), WithinRel(0.097, 1e-14));
    // Far forecasts converge to σ̄².
    CHECK_THAT(g.forecast({0.0, 0.5}, 2000).variance, WithinRel(0.2, 1e-12));
    // E|z|: √(2/π) for the normal; standardised t with ν = 3: 2√1 Γ(2) / (√π · 2 · Γ(3/2)) = 2/π.
    CHECK_THAT(garch_family<double>(egarch_norm, {.beta = 0.5}).abs_innovation_mean(), WithinRel(std::sqrt(2 / std::numbers::pi), 1e-15));
    CHECK_THAT(garch_family<double>(egarch_std, {.beta = 0.5, .shape = 3}).abs_innovation_mean(), WithinRel(2 / std::numbers::pi, 1e-14));
    // Integrated GJR (P = 1): E σ²_{T+h} = ω (h − 1) + σ²_{T+1}.
    const garch_family<double> i({garch_variance::gjr, garch_mean::constant, garch_innovation::normal},
                                 {.omega = 0.01, .alpha = 0.05, .gamma = 0.1, .beta = 0.9});
    CHECK_THAT(i.forecast({0.0, 0.5}, 11).variance, WithinRel(0.6, 1e-14));
}

TEST_CASE("garch_family refuses bad parameters, inputs and undefined forecasts", "[volatility]") {
    const garch_family_spec gjr{garch_variance::gjr, garch_mean::constant, garch_innovation::normal};
    CHECK_THROWS_AS(garch_family<double>(gjr, {.omega = 0, .alpha = 0.1, .beta = 0.8}), invalid_argument);
    CHECK_THROWS_WITH(garch_family<double>(gjr, {.omega = 0.1, .alpha = 0.1, .gamma = -0.2, .beta = 0.8}),
                      Contains("alpha + gamma"));
    CHECK_THROWS_AS(garch_family<double>(gjr, {.omega = 0.1, .alpha = 0.1, .beta = 1.0}), invalid_argument);
    CHECK_THROWS_WITH(garch_family<double>(garch_norm, {.omega = 0.1, .alpha = 0.1, .gamma = 0.1, .beta = 0.8}),
                      Contains("gamma"));
    CHECK_THROWS_WITH(garch_family<double>(garch_norm, {.ar = 0.1, .omega = 0.1, .alpha = 0.1, .beta = 0.8}),
                      Contains("ar1"));
    CHECK_THROWS_AS(garch_family<double>(ar1_garch_norm, {.ar = 1.0, .omega = 0.1, .alpha = 0.1, .beta = 0.8}), invalid_argument);
    CHECK_THROWS_AS(garch_family<double>(egarch_norm, {.beta = -1.0}), invalid_argument);
    CHECK_THROWS_AS(garch_family<double>(egarch_std, {.beta = 0.5, .shape = 2}), invalid_argument);
    CHECK_THROWS_AS(garch_family<double>(egarch_norm, {.omega = std::nan(""), .beta = 0.5}), invalid_argument);
    CHECK_THROWS_AS(fgarch_gjr_std.unconditional_variance(), invalid_argument);  // P > 1
    const garch_family<double> et(egarch_std, {.beta = 0.5, .shape = 5});
    CHECK_NOTHROW(et.forecast({0.0, 1.0}, 1));
    CHECK_THROWS_WITH(et.forecast({0.0, 1.0}, 2), Contains("filtered historical simulation"));
    CHECK_THROWS_AS(fgarch_garch_norm.forecast({0.0, 1.0}, 0), invalid_argument);
    CHECK_THROWS_AS(fgarch_garch_norm.forecast({0.0, -1.0}, 1), invalid_argument);
    std::vector<double> x(5, 0.0), s(5), z(5), s4(4);
    const garch_family<double> zero_mean(garch_norm, {.omega = 0.1, .alpha = 0.1, .beta = 0.8});
    CHECK_THROWS_WITH(zero_mean.filter(x, s, z), Contains("mean square"));  // all residuals 0
    x = {0.1, -0.2, 0.3, 0.1, -0.1};
    CHECK_THROWS_AS(fgarch_garch_norm.filter(x, s4, z), invalid_argument);
    CHECK_THROWS_AS(fgarch_garch_norm.log_likelihood(std::span<const double>()), invalid_argument);
    x[2] = 1e200;
    CHECK_THROWS_AS(fgarch_garch_norm.log_likelihood(x), invalid_argument);
}
