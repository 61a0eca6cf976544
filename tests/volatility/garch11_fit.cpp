// Tests of include/margincall/volatility/garch11_fit.hpp: maximum likelihood and standard errors
// against R 4.2.2 / fGarch 4022.89 (tests/reference/garch_fgarch.R → garch_fgarch.out, series
// tests/reference/garch_series.csv), and recovery of known parameters from simulated paths.
#include <margincall/volatility/garch11_fit.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

using margincall::fit_garch11;
using margincall::garch_innovation;
using margincall::invalid_argument;

namespace {
std::vector<double> reference_series() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/garch_series.csv");
    REQUIRE(in.good());
    std::string line;
    std::getline(in, line);
    std::vector<double> r;
    while (std::getline(in, line))
        if (!line.empty()) r.push_back(std::stod(line));
    return r;
}

// A GARCH(1,1)-t path from a fixed seed (std::student_t_distribution scaled to unit variance).
std::vector<double> simulate(std::size_t n, double omega, double alpha, double beta, double nu, unsigned seed) {
    std::mt19937_64 generator(seed);
    std::student_t_distribution<double> t(nu);
    const double scale = std::sqrt((nu - 2) / nu);
    double h = omega / (1 - alpha - beta);
    std::vector<double> r(n + 500);
    for (auto& x : r) {
        x = std::sqrt(h) * t(generator) * scale;
        h = omega + alpha * x * x + beta * h;
    }
    return {r.begin() + 500, r.end()};
}
}  // namespace

TEST_CASE("normal GARCH(1,1) fit matches fGarch", "[volatility][garch][fit]") {
    const auto r = reference_series();
    const auto fit = fit_garch11<double>(r, garch_innovation::normal);
    CHECK(fit.converged);
    CHECK(fit.observations == 2000);
    // garch_fgarch.out [norm]: estimates to 10 digits; fGarch's optimiser stops near 1e-5 relative.
    CHECK_THAT(fit.model.omega(), WithinRel(1.793510149e-06, 1e-4));
    CHECK_THAT(fit.model.alpha(), WithinRel(0.09907293892, 1e-5));
    CHECK_THAT(fit.model.beta(), WithinRel(0.8791701336, 1e-5));
    CHECK_THAT(fit.log_likelihood, WithinRel(6848.734092, 1e-9));
    REQUIRE(fit.standard_errors.has_value());
    // Same Hessian scheme as fGarch hessian = "rcd" (central differences, step 1e-4 × θ).
    CHECK_THAT(fit.standard_errors->omega, WithinRel(4.806358451e-07, 2e-3));
    CHECK_THAT(fit.standard_errors->alpha, WithinRel(0.01384654009, 2e-3));
    CHECK_THAT(fit.standard_errors->beta, WithinRel(0.01640822032, 2e-3));
    CHECK(fit.standard_errors->shape == 0.0);
    // fGarch's default "ropt" (R optimHess, absolute steps 1e-3 on the scaled problem) agrees to ~1 %.
    CHECK_THAT(fit.standard_errors->omega, WithinRel(4.775259026e-07, 2e-2));
    CHECK_THAT(fit.standard_errors->alpha, WithinRel(0.013790995, 2e-2));
    CHECK_THAT(fit.standard_errors->beta, WithinRel(0.01630249103, 2e-2));
    // Bollerslev–Wooldridge sandwich: fGarch robust.cvar = TRUE with hessian = "rcd".
    REQUIRE(fit.robust_standard_errors.has_value());
    CHECK_THAT(fit.robust_standard_errors->omega, WithinRel(5.089837777e-07, 2e-3));
    CHECK_THAT(fit.robust_standard_errors->alpha, WithinRel(0.016798796, 2e-3));
    CHECK_THAT(fit.robust_standard_errors->beta, WithinRel(0.01761557188, 2e-3));
}

TEST_CASE("Student-t GARCH(1,1) fit matches fGarch", "[volatility][garch][fit]") {
    const auto r = reference_series();
    const auto fit = fit_garch11<double>(r, garch_innovation::student_t);
    CHECK(fit.converged);
    CHECK(fit.model.innovation() == garch_innovation::student_t);
    // garch_fgarch.out [std].
    CHECK_THAT(fit.model.omega(), WithinRel(1.702460312e-06, 1e-4));
    CHECK_THAT(fit.model.alpha(), WithinRel(0.08967524879, 1e-5));
    CHECK_THAT(fit.model.beta(), WithinRel(0.88969313, 1e-5));
    CHECK_THAT(fit.model.shape(), WithinRel(7.236158465, 1e-5));
    CHECK_THAT(fit.log_likelihood, WithinRel(6877.585397, 1e-9));
    REQUIRE(fit.standard_errors.has_value());
    CHECK_THAT(fit.standard_errors->omega, WithinRel(5.496931857e-07, 2e-3));
    CHECK_THAT(fit.standard_errors->alpha, WithinRel(0.01574896862, 2e-3));
    CHECK_THAT(fit.standard_errors->beta, WithinRel(0.01881637566, 2e-3));
    CHECK_THAT(fit.standard_errors->shape, WithinRel(1.179312066, 2e-3));
    // fGarch's robust (sandwich) errors for "std" are not used as a reference: its score function
    // (.garchRCDAGradient) evaluates the density at the stored .params$shape rather than the perturbed
    // one, so the ν column of its scores is not the score. Here: the sandwich exists and, the model
    // being correctly specified (the series is GARCH-t), is within 25 % of the Hessian errors.
    REQUIRE(fit.robust_standard_errors.has_value());
    CHECK_THAT(fit.robust_standard_errors->alpha, WithinRel(fit.standard_errors->alpha, 0.25));
    CHECK_THAT(fit.robust_standard_errors->beta, WithinRel(fit.standard_errors->beta, 0.25));
    CHECK_THAT(fit.robust_standard_errors->shape, WithinRel(fit.standard_errors->shape, 0.25));
}

TEST_CASE("fits of long simulated paths recover the true parameters within their standard errors",
          "[volatility][garch][fit][property]") {
    // θ = (ω, α, β, ν) = (1e-6, 0.07, 0.91, 5); 10 000 returns per path; each estimate must lie within
    // 3.5 standard errors of the truth (|z| > 3.5 has probability 5e-4 per parameter; seeds are fixed).
    for (const unsigned seed : {1U, 2U, 3U}) {
        INFO("seed " << seed);
        const auto r = simulate(10000, 1e-6, 0.07, 0.91, 5.0, seed);
        const auto fit = fit_garch11<double>(r, garch_innovation::student_t);
        REQUIRE(fit.standard_errors.has_value());
        CHECK(std::abs(fit.model.omega() - 1e-6) < 3.5 * fit.standard_errors->omega);
        CHECK(std::abs(fit.model.alpha() - 0.07) < 3.5 * fit.standard_errors->alpha);
        CHECK(std::abs(fit.model.beta() - 0.91) < 3.5 * fit.standard_errors->beta);
        CHECK(std::abs(fit.model.shape() - 5.0) < 3.5 * fit.standard_errors->shape);
        // The normal QML fit of the same path: (ω, α, β) are still consistent (Bollerslev–Wooldridge),
        // judged with the robust errors.
        const auto qml = fit_garch11<double>(r, garch_innovation::normal);
        REQUIRE(qml.robust_standard_errors.has_value());
        CHECK(std::abs(qml.model.alpha() - 0.07) < 3.5 * qml.robust_standard_errors->alpha);
        CHECK(std::abs(qml.model.beta() - 0.91) < 3.5 * qml.robust_standard_errors->beta);
    }
}

TEST_CASE("fit rejects bad input with the library's message", "[volatility][garch][fit][errors]") {
    const std::vector<double> short_series(9, 0.01);
    REQUIRE_THROWS_MATCHES(fit_garch11<double>(short_series, garch_innovation::normal), invalid_argument,
                           Message("fit_garch11: the size of returns is 9, but must be >= 10"));
    std::vector<double> r(20, 0.01);
    r[4] = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(fit_garch11<double>(r, garch_innovation::normal), invalid_argument,
                           Message("fit_garch11: returns[4] is nan, but must be finite"));
    const std::vector<double> zeros(20, 0.0);
    REQUIRE_THROWS_MATCHES(fit_garch11<double>(zeros, garch_innovation::student_t), invalid_argument,
                           Message("fit_garch11: the mean square of returns is 0, but must be > 0 "
                                   "(an all-zero series has no volatility)"));
    const std::vector<double> ok(20, 0.01);
    margincall::garch11_fit_options<double> options;
    options.max_evaluations = 0;
    REQUIRE_THROWS_MATCHES(fit_garch11<double>(ok, garch_innovation::normal, options), invalid_argument,
                           Message("fit_garch11: options.max_evaluations is 0, but must be > 0"));
}

TEST_CASE("a fit out of evaluations reports it instead of pretending", "[volatility][garch][fit]") {
    const auto r = reference_series();
    margincall::garch11_fit_options<double> options;
    options.max_evaluations = 30;
    const auto fit = fit_garch11<double>(r, garch_innovation::normal, options);
    CHECK_FALSE(fit.converged);
    CHECK(fit.evaluations <= 40);
}

TEST_CASE("the fit also runs in long double and agrees with double", "[volatility][garch][fit]") {
    const auto r = reference_series();
    const std::vector<long double> rl(r.begin(), r.end());
    const auto fit = fit_garch11<long double>(rl, garch_innovation::normal);
    CHECK(fit.converged);
    // fGarch's normal estimates (garch_fgarch.out), as for double.
    CHECK_THAT(static_cast<double>(fit.model.alpha()), WithinRel(0.09907293892, 1e-5));
    CHECK_THAT(static_cast<double>(fit.model.beta()), WithinRel(0.8791701336, 1e-5));
    CHECK_THAT(static_cast<double>(fit.log_likelihood), WithinRel(6848.734092, 1e-9));
}
