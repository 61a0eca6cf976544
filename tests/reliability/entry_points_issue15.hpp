#pragma once
// Rows of the entry-point table (tests/reliability/entry_points.hpp, which includes this file at
// its end) for the public numerical entry points added by issue #15: the distributions every
// layer uses, the Edgeworth modified ES, the backtest tables (coverage both ways, critical values,
// Christoffersen's π, Basel zones for any T and coverage), the parametric portfolio report, the
// weighted discrete distribution, the GPD tail from given parameters, the GARCH family (GJR,
// EGARCH) with its fit, forecasts and filtered historical simulation, the normalised Black
// function, the implied-volatility batch, inputs with a dividend yield (all four rhos), and SPAN
// from published risk arrays. Test code only: not part of the library.
#include <margincall/core/distributions.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>
#include <margincall/options/normalised_black.hpp>
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/backtest_traffic_light.hpp>
#include <margincall/risk/edgeworth_modified_es.hpp>
#include <margincall/risk/parametric_portfolio.hpp>
#include <margincall/risk/peaks_over_threshold.hpp>
#include <margincall/risk/var_coverage.hpp>
#include <margincall/risk/weighted_distribution.hpp>
#include <margincall/stress/span_risk_arrays.hpp>
#include <margincall/volatility/filtered_historical.hpp>
#include <margincall/volatility/garch_family.hpp>
#include <margincall/volatility/garch_family_fit.hpp>

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "reliability/oracle.hpp"

namespace test_oracle {

namespace issue15 {

using namespace margincall;

// A count argument (observations, exceptions, a horizon, a number of paths) is a std::size_t in
// the library: NaN, ±∞, negative and fractional values cannot reach it. The harness maps a whole
// number in [0, cap] to its count and refuses anything else before the call with an error of the
// library's shape (converting it would be the harness's own undefined behaviour); `cap` bounds
// the run time of one case.
inline std::size_t count(const char* name, double x, double cap) {
    if (!(x >= 0 && x <= cap) || x != std::floor(x))
        throw_invalid_argument("test_harness", name, x, detail::message("a whole number in [0, ", cap, "] (a count)").c_str());
    return static_cast<std::size_t>(x);
}

inline verdict probability(const char* name, double v) {
    checker c;
    c.finite(name, v);
    c.holds((std::string(name) + " in [0, 1]").c_str(), v >= 0 && v <= 1);
    return c.result();
}

inline void tail_into(checker& c, const tail_risk<double>& r) {
    const verdict v = tail(r);
    c.holds(v.broken.c_str(), v.ok());
}

inline void test_into(checker& c, const char* name, const likelihood_ratio_test<double>& t, double significance) {
    c.non_negative(name, t.statistic);
    c.holds((std::string(name) + " p-value in [0, 1]").c_str(), t.p_value >= 0 && t.p_value <= 1);
    const double critical = t.critical_value(significance);
    c.non_negative("critical value", critical);
    // H0 is rejected exactly when the statistic exceeds the critical value (up to rounding of both).
    if (std::abs(t.statistic - critical) > 1e-6 * (1 + critical))
        c.holds("rejects(s) == (statistic > critical value)", t.rejects(significance) == (t.statistic > critical));
}

// |a − b| within a relative tolerance of the scale of the terms summed, or within 64 units of the
// smallest subnormal (figures of 1e-319 carry only a few bits: the fuzzer's parametric ES of a
// portfolio with α = 8.6e-217 and h = 8.6e-217).
inline bool close(double a, double b, double scale) {
    return std::abs(a - b) <= 1e-9 * scale + 64 * std::numeric_limits<double>::denorm_min();
}

// A two-asset parametric model: (μ1, μ2, σ1, σ2, ρ) and positions (w1, w2).
struct two_assets {
    Eigen::VectorXd mean;
    Eigen::MatrixXd covariance;
    std::vector<double> positions;
};

inline two_assets assets(const std::vector<double>& x) {
    two_assets a{Eigen::VectorXd(2), Eigen::MatrixXd(2, 2), {x[5], x[6]}};
    a.mean << x[0], x[1];
    a.covariance << x[2] * x[2], x[4] * x[2] * x[3], x[4] * x[2] * x[3], x[3] * x[3];
    return a;
}

inline verdict parametric_report(const parametric_portfolio_risk<double>& r) {
    checker c;
    c.non_negative("sigma", r.sigma);
    tail_into(c, r.total);
    tail_into(c, r.undiversified);
    double sum_var = 0, sum_es = 0, scale_var = std::abs(r.total.value_at_risk), scale_es = std::abs(r.total.expected_shortfall);
    for (std::size_t i = 0; i < r.component_var.size(); ++i) {
        c.finite("marginal VaR", r.marginal_var[i]);
        c.finite("marginal ES", r.marginal_es[i]);
        c.finite("incremental VaR", r.incremental[i].value_at_risk);
        c.finite("incremental ES", r.incremental[i].expected_shortfall);
        tail_into(c, r.standalone[i]);
        sum_var += r.component_var[i];
        sum_es += r.component_es[i];
        scale_var += std::abs(r.component_var[i]);
        scale_es += std::abs(r.component_es[i]);
    }
    c.finite("diversification benefit (VaR)", r.diversification_benefit.value_at_risk);
    c.finite("diversification benefit (ES)", r.diversification_benefit.expected_shortfall);
    c.holds("component VaRs sum to VaR", close(sum_var, r.total.value_at_risk, scale_var));
    c.holds("component ESs sum to ES", close(sum_es, r.total.expected_shortfall, scale_es));
    return c.result();
}

// (μ, ω, α, γ, β; ν = x[7] for Student-t) of a constant-mean model.
inline garch_family<double> family(garch_variance v, garch_innovation z, const std::vector<double>& x) {
    garch_family_parameters<double> p;
    p.mu = x[0];
    p.omega = x[1];
    p.alpha = x[2];
    p.gamma = x[3];
    p.beta = x[4];
    p.shape = z == garch_innovation::student_t ? x[7] : 0.0;
    return garch_family<double>({v, garch_mean::constant, z}, p);
}

// Filter the sample, forecast x[5] days ahead and the VaR/ES at x[6] of that day.
inline verdict garch_family_run(garch_variance v, garch_innovation z, const input& in) {
    const garch_family<double> g = family(v, z, in.x);
    std::vector<double> sigma(in.sample.size()), resid(in.sample.size());
    const auto state = g.filter(in.sample, sigma, resid);
    checker c;
    for (std::size_t t = 0; t < sigma.size(); ++t) {
        c.non_negative("sigma_t", sigma[t]);
        c.holds("sigma_t > 0", sigma[t] > 0);
        c.finite("z_t", resid[t]);
    }
    c.finite("next mean", state.next_mean);
    c.non_negative("next variance", state.next_variance);
    c.finite("log-likelihood", g.log_likelihood(in.sample));
    const auto f = g.forecast(state, count("horizon", in.x[5], 1e4));
    c.finite("forecast mean", f.mean);
    c.non_negative("forecast variance", f.variance);
    tail_into(c, g.forecast_tail_risk(f, in.x[6]));
    return c.result();
}

// Two published arrays (a future and an option) scaled by `scale`, composite deltas δ and δ/2:
// the future loses −scale × move (moves 0, ±1/3, ±2/3, ±1 of the price scan range, the two
// extremes 3 × 0.35), the option loses a volatility part and half the future's move.
inline std::array<published_risk_array<double>, 2> two_arrays(double scale, double delta) {
    std::array<published_risk_array<double>, 2> a{};
    for (std::size_t s = 0; s < span_array_size; ++s) {
        const double sign = s % 4 < 2 ? 1.0 : -1.0;
        const double move = s < 2 ? 0.0 : s < 14 ? sign * static_cast<double>((s - 2) / 4 + 1) / 3.0 : (s == 14 ? 1.05 : -1.05);
        a[0].losses[s] = -scale * move;
        a[1].losses[s] = scale * (s % 2 == 0 ? 0.1 : -0.08) - 0.5 * a[0].losses[s];
    }
    a[0].composite_delta = delta;
    a[1].composite_delta = 0.5 * delta;
    a[1].option = true;
    return a;
}

}  // namespace issue15

inline void add_issue15_entries(std::vector<entry>& e) {
    using namespace issue15;
    // --- core/distributions.hpp ---
    e.push_back({"standard_normal_cdf", {"x"}, {-1.5}, false, [](const input& in) {
                     checker c;
                     const double p = standard_normal_cdf(in.x[0]), q = standard_normal_upper_tail(in.x[0]);
                     const double d = standard_normal_pdf(in.x[0]);
                     for (const auto& v : {probability("Phi", p), probability("1 - Phi", q)}) c.holds(v.broken.c_str(), v.ok());
                     c.non_negative("phi", d);
                     c.holds("Phi + (1 - Phi) = 1", std::abs(p + q - 1) <= 1e-15);
                     return c.result();
                 }});
    e.push_back({"standard_normal_quantile", {"p"}, {0.975}, false, [](const input& in) {
                     checker c;
                     const double x = standard_normal_quantile(in.x[0]), y = standard_normal_upper_quantile(in.x[0]);
                     c.finite("quantile", x);
                     c.finite("upper quantile", y);
                     c.holds("Phi(quantile(p)) = p", std::abs(standard_normal_cdf(x) - in.x[0]) <= 1e-11 * in.x[0] + 1e-15);
                     return c.result();
                 }});
    e.push_back({"student_t_cdf", {"x", "nu"}, {-2.0, 4.0}, false, [](const input& in) {
                     checker c;
                     const verdict p = probability("P(T <= x)", student_t_cdf(in.x[0], in.x[1]));
                     c.holds(p.broken.c_str(), p.ok());
                     c.non_negative("density", student_t_pdf(in.x[0], in.x[1]));
                     return c.result();
                 }});
    e.push_back({"student_t_quantile", {"p", "nu"}, {0.99, 4.0}, false,
                 [](const input& in) { return value("quantile", student_t_quantile(in.x[0], in.x[1])); }});
    e.push_back({"chi_squared_cdf", {"x", "k"}, {3.0, 2.0}, false, [](const input& in) {
                     checker c;
                     const double p = chi_squared_cdf(in.x[0], in.x[1]), q = chi_squared_upper_tail(in.x[0], in.x[1]);
                     for (const auto& v : {probability("P(X <= x)", p), probability("P(X > x)", q)}) c.holds(v.broken.c_str(), v.ok());
                     return c.result();
                 }});
    e.push_back({"chi_squared_quantile", {"p", "k"}, {0.95, 1.0}, false, [](const input& in) {
                     checker c;
                     c.non_negative("quantile", chi_squared_quantile(in.x[0], in.x[1]));
                     c.non_negative("upper quantile", chi_squared_upper_quantile(in.x[0], in.x[1]));
                     return c.result();
                 }});
    // --- risk/: Edgeworth modified ES, weighted distribution, GPD from parameters ---
    e.push_back({"edgeworth_modified_tail_risk", {"mean", "sd", "skewness", "excess_kurtosis", "alpha"},
                 {0.0, 0.02, 0.3, 1.0, 0.99}, false, [](const input& in) {
                     return tail(edgeworth_modified_tail_risk(in.x[0], in.x[1], in.x[2], in.x[3], in.x[4]));
                 }});
    e.push_back({"edgeworth_modified_var", {"alpha"}, {0.99}, true,
                 [](const input& in) { return tail(edgeworth_modified_var<double>{}.estimate(in.sample, in.x[0])); }});
    e.push_back({"weighted_tail_risk", {"weight_even", "weight_odd", "alpha"}, {1.0, 2.0, 0.95}, true, [](const input& in) {
                     std::vector<double> w(in.sample.size());
                     for (std::size_t i = 0; i < w.size(); ++i) w[i] = in.x[i % 2];
                     return tail(weighted_tail_risk<double>(in.sample, w, in.x[2]));
                 }});
    e.push_back({"gpd_tail_risk(parameters)", {"threshold", "xi", "sigma", "exceedance_probability", "alpha"},
                 {0.01, 0.2, 0.01, 0.1, 0.99}, false,
                 [](const input& in) { return tail(gpd_tail_risk(in.x[0], in.x[1], in.x[2], in.x[3], in.x[4])); }});
    // --- backtest tables ---
    e.push_back({"var_coverage", {"probability"}, {0.99}, false, [](const input& in) {
                     checker c;
                     const auto a = var_coverage<double>::from_confidence(in.x[0]);
                     const auto b = var_coverage<double>::from_exception_probability(in.x[0]);
                     for (const auto& v : {probability("confidence", a.confidence()), probability("p", a.exception_probability()),
                                           probability("confidence", b.confidence()), probability("p", b.exception_probability())})
                         c.holds(v.broken.c_str(), v.ok());
                     return c.result();
                 }});
    e.push_back({"kupiec_test(coverage) + critical_value", {"observations", "exceptions", "exception_probability", "significance"},
                 {250, 4, 0.01, 0.05}, false, [](const input& in) {
                     const std::size_t t = count("observations", in.x[0], 1e6), x = count("exceptions", in.x[1], 1e6);
                     const auto r = kupiec_test<double>(t, x, var_coverage<double>::from_exception_probability(in.x[2]));
                     checker c;
                     test_into(c, "LR_uc", r.unconditional_coverage, in.x[3]);
                     return c.result();
                 }});
    e.push_back({"christoffersen_test", {"threshold", "confidence", "significance"}, {0.01, 0.95, 0.05}, true,
                 [](const input& in) {
                     // Hit sequence: a day is an exception when its loss exceeds the threshold.
                     // The library takes bools; the harness refuses what cannot be a hit.
                     check_finite("test_harness", "threshold", in.x[0]);
                     check_all_finite<double>("test_harness", "sample", in.sample);
                     std::vector<char> raw(in.sample.size());
                     for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = in.sample[i] > in.x[0];
                     std::unique_ptr<bool[]> hits(new bool[raw.size() + 1]);
                     for (std::size_t i = 0; i < raw.size(); ++i) hits[i] = raw[i] != 0;
                     const auto r = christoffersen_test<double>(std::span<const bool>(hits.get(), raw.size()), in.x[1]);
                     checker c;
                     test_into(c, "LR_uc", r.unconditional_coverage, in.x[2]);
                     test_into(c, "LR_ind", r.independence, in.x[2]);
                     test_into(c, "LR_cc", r.conditional_coverage, in.x[2]);
                     const verdict p = probability("pi", r.pi);
                     c.holds(p.broken.c_str(), p.ok());
                     if (r.pi_01) c.holds("pi_01 in [0, 1]", probability("pi_01", *r.pi_01).ok());
                     if (r.pi_11) c.holds("pi_11 in [0, 1]", probability("pi_11", *r.pi_11).ok());
                     return c.result();
                 }});
    e.push_back({"basel_traffic_light", {"observations", "confidence", "yellow_probability", "red_probability", "exceptions"},
                 {500, 0.99, 0.95, 0.9999, 9}, false, [](const input& in) {
                     const std::size_t t = count("observations", in.x[0], 1e5);
                     const basel_traffic_light<double> b(t, in.x[1], in.x[2], in.x[3]);
                     const std::size_t x = count("exceptions", in.x[4], 1e5);
                     checker c;
                     c.holds("yellow_begin <= red_begin <= T + 1", b.yellow_begin() <= b.red_begin() && b.red_begin() <= t + 1);
                     const auto zone = b.zone(x);
                     const double m = b.multiplier(x);
                     c.holds("multiplier in [3, 4]", m >= 3 && m <= 4);
                     c.holds("green: multiplier 3", zone != traffic_light_zone::green || m == 3);
                     c.holds("red: multiplier 4", zone != traffic_light_zone::red || m == 4);
                     c.holds("cumulative probability in [0, 1]", probability("P(X <= x)", b.cumulative_probability(x)).ok());
                     return c.result();
                 }});
    // --- parametric portfolio ---
    {
        std::vector<const char*> args{"mu1", "mu2", "sd1", "sd2", "correlation", "w1", "w2", "alpha", "horizon_days"};
        std::vector<double> defaults{0.0, 0.0005, 0.01, 0.02, 0.3, 1e6, -4e5, 0.99, 10};
        e.push_back({"parametric_portfolio(gaussian)", args, defaults, false, [](const input& in) {
                         const two_assets a = assets(in.x);
                         return parametric_report(parametric_portfolio<double>(a.mean, a.covariance, a.positions, in.x[7],
                                                                               parametric_model<double>::gaussian(), in.x[8]));
                     }});
        args.push_back("nu");
        defaults.push_back(5);
        e.push_back({"parametric_portfolio(student_t)", args, defaults, false, [](const input& in) {
                         const two_assets a = assets(in.x);
                         return parametric_report(parametric_portfolio<double>(
                             a.mean, a.covariance, a.positions, in.x[7], parametric_model<double>::student_t(in.x[9]), in.x[8]));
                     }});
        e.push_back({"incremental_parametric", args, defaults, false, [](const input& in) {
                         const two_assets a = assets(in.x);
                         const std::vector<double> trade{-0.5 * in.x[5], 0.25 * in.x[6]};
                         const auto r = incremental_parametric<double>(a.mean, a.covariance, a.positions, trade, in.x[7],
                                                                       parametric_model<double>::student_t(in.x[9]), in.x[8]);
                         checker c;
                         c.finite("incremental VaR", r.value_at_risk);
                         c.finite("incremental ES", r.expected_shortfall);
                         return c.result();
                     }});
    }
    // --- volatility: the GARCH family, its fit, filtered historical simulation ---
    {
        // x = (μ, ω, α, γ, β, horizon, VaR level[, ν]): ν only for Student-t innovations.
        const std::vector<const char*> args{"mu", "omega", "alpha", "gamma", "beta", "horizon", "alpha_level"};
        std::vector<const char*> t_args = args;
        t_args.push_back("shape");
        const std::vector<double> gjr{2e-4, 2e-6, 0.04, 0.08, 0.9, 10, 0.99};
        const std::vector<double> egarch{2e-4, -0.3, -0.05, 0.15, 0.96, 10, 0.99};
        std::vector<double> gjr_t = gjr, egarch_t = egarch;
        gjr_t.push_back(6);
        egarch_t.push_back(6);
        egarch_t[5] = 1;  // E σ² is infinite beyond one day for EGARCH-t
        e.push_back({"garch_family(gjr, normal)", args, gjr, true, [](const input& in) {
                         return garch_family_run(garch_variance::gjr, garch_innovation::normal, in);
                     }});
        e.push_back({"garch_family(gjr, student_t)", t_args, gjr_t, true, [](const input& in) {
                         return garch_family_run(garch_variance::gjr, garch_innovation::student_t, in);
                     }});
        e.push_back({"garch_family(egarch, normal)", args, egarch, true, [](const input& in) {
                         return garch_family_run(garch_variance::egarch, garch_innovation::normal, in);
                     }});
        e.push_back({"garch_family(egarch, student_t)", t_args, egarch_t, true, [](const input& in) {
                         return garch_family_run(garch_variance::egarch, garch_innovation::student_t, in);
                     }});
        std::vector<const char*> fhs_args = args;
        fhs_args.push_back("paths");
        std::vector<double> fhs_gjr = gjr, fhs_egarch = egarch;
        fhs_gjr.push_back(500);
        fhs_egarch.push_back(500);
        for (const auto& [name, variance, defaults] :
             {std::tuple{"filtered_historical_tail_risk(gjr)", garch_variance::gjr, fhs_gjr},
              std::tuple{"filtered_historical_tail_risk(egarch)", garch_variance::egarch, fhs_egarch}}) {
            const garch_variance v = variance;
            e.push_back({name, fhs_args, defaults, true, [v](const input& in) {
                             const garch_family<double> g = family(v, garch_innovation::normal, in.x);
                             const garch_family_state<double> state{in.x[0], 1e-4};
                             return tail(filtered_historical_tail_risk<double>(g, state, in.sample,
                                                                               count("horizon", in.x[5], 250),
                                                                               count("paths", in.x[7], 2e4), 15, in.x[6]));
                         }});
        }
        for (const auto& [name, variance] : {std::pair{"fit_garch_family(gjr)", garch_variance::gjr},
                                             std::pair{"fit_garch_family(egarch)", garch_variance::egarch}}) {
            const garch_variance v = variance;
            e.push_back({name, {}, {}, true, [v](const input& in) {
                             garch_family_fit_options<double> o;
                             o.max_evaluations = 600;
                             o.restarts = 0;
                             const auto f = fit_garch_family<double>(in.sample, {v, garch_mean::ar1, garch_innovation::student_t}, o);
                             checker c;
                             c.finite("log-likelihood", f.log_likelihood);
                             std::vector<double> sigma(in.sample.size()), z(in.sample.size());
                             const auto state = f.model.filter(in.sample, sigma, z);
                             c.non_negative("next variance", state.next_variance);
                             if (f.standard_errors) {
                                 const auto& s = *f.standard_errors;
                                 for (const double se : {s.mu, s.ar, s.omega, s.alpha, s.gamma, s.beta, s.shape})
                                     c.non_negative("standard error", se);
                             }
                             return c.result();
                         }});
        }
    }
    // --- options: normalised Black, the IV batch, dividend yield and the rhos ---
    {
        entry nb{"normalised_black", {"x", "s"}, {-0.1, 0.3}, false, [](const input& in) {
                     checker c;
                     const auto x = static_cast<long double>(in.x[0]), s = static_cast<long double>(in.x[1]);
                     c.non_negative("b(call)", normalised_black(option_type::call, x, s));
                     c.non_negative("b(put)", normalised_black(option_type::put, x, s));
                     return c.result();
                 }};
        e.push_back(nb);
    }
    e.push_back({"implied_volatilities", {"spot", "strike", "expiry", "rate", "carry", "price"}, {100, 105, 0.5, 0.03, 0.01, 6.0},
                 false, [](const input& in) {
                     const option_inputs<double> o{in.x[0], in.x[1], in.x[2], in.x[3], in.x[4], 0.2};
                     const std::array<option_type, 2> type{option_type::call, option_type::call};
                     const std::array<option_inputs<double>, 2> inputs{o, option_inputs<double>{100, 100, 1, 0, 0, 0.2}};
                     const std::array<double, 2> price{in.x[5], 7.965567455405804};
                     std::array<double, 2> vol{};
                     implied_volatilities<double>(type, inputs, price, vol);
                     checker c;
                     c.non_negative("volatility[0]", vol[0]);
                     c.non_negative("volatility[1]", vol[1]);
                     return c.result();
                 }});
    {
        const std::vector<const char*> args{"spot", "strike", "expiry", "rate", "dividend_yield", "volatility"};
        const std::vector<double> defaults{100, 95, 0.75, 0.04, 0.02, 0.3};
        for (const auto& [name, type] : {std::pair{"with_dividend_yield greeks(call)", option_type::call},
                                         std::pair{"with_dividend_yield greeks(put)", option_type::put}}) {
            const option_type t = type;
            e.push_back({name, args, defaults, false, [t](const input& in) {
                             const auto g = black_scholes_greeks(t, with_dividend_yield(in.x[0], in.x[1], in.x[2], in.x[3], in.x[4], in.x[5]));
                             return price_greeks(g);
                         }});
        }
        // Hull's rho (fixed q) is the sum of the fixed-carry rho and the carry rho.
        entry identity{"with_dividend_yield rho = rho_fixed_carry + carry_rho", args, defaults, false, [](const input& in) {
                           const auto g = black_scholes_greeks(option_type::call,
                                                               with_dividend_yield(in.x[0], in.x[1], in.x[2], in.x[3], in.x[4], in.x[5]));
                           checker c;
                           const verdict v = price_greeks(g);
                           c.holds(v.broken.c_str(), v.ok());
                           c.holds("rho = rho_fixed_carry + carry_rho",
                                   close(g.rho, g.rho_fixed_carry + g.carry_rho,
                                         std::abs(g.rho) + std::abs(g.rho_fixed_carry) + std::abs(g.carry_rho)));
                           return c.result();
                       }};
        e.push_back(identity);
    }
    // --- stress: SPAN from published risk arrays ---
    e.push_back({"span_requirement_from_risk_arrays",
                 {"quantity_future", "quantity_option", "array_scale", "composite_delta", "short_option_minimum",
                  "intra_spread_rate", "month_delta_front", "month_delta_back"},
                 {3, -5, 1200, 0.95, 60, 150, 2.5, -1.8}, false, [](const input& in) {
                     const auto a = two_arrays(in.x[2], in.x[3]);
                     const std::array<double, 2> q{in.x[0], in.x[1]};
                     const std::array<double, 2> months{in.x[6], in.x[7]};
                     const span_charges<double> charges{in.x[4], in.x[5]};
                     const auto scan = span_scan_from_risk_arrays<double>(a, q);
                     const auto r = span_requirement_from_risk_arrays<double>(a, q, charges, months);
                     checker c;
                     c.non_negative("scanning risk", scan.scanning_risk);
                     c.holds("worst scenario < 16", scan.worst_scenario < span_array_size);
                     c.holds("scanning risk = worst loss (or 0)",
                             scan.scanning_risk == std::max(scan.losses[scan.worst_scenario], 0.0));
                     c.non_negative("intra-commodity spread charge", r.intra_spread_charge);
                     c.non_negative("short option minimum", r.short_option_minimum);
                     c.non_negative("requirement", r.requirement);
                     c.at_least("requirement", r.requirement, "short option minimum", r.short_option_minimum);
                     c.holds("scanning risk agrees", r.scanning_risk == scan.scanning_risk);
                     return c.result();
                 }});
}

}  // namespace test_oracle
