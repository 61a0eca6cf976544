#pragma once
// The table of public numerical entry points that the bad-input sweep
// (tests/reliability/bad_input_sweep.cpp) and the numerical fuzzer (fuzz/fuzz_numeric.cpp) both
// drive: one row per entry point, with its argument names, valid defaults, whether it takes a
// sample, and a call that checks the entry point's invariants on its result (the oracle in
// tests/reliability/oracle.hpp classifies the outcome). Adding an entry point is one row.
// Test code only: not part of the library.
#include <margincall/calculator.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/options/black76.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>
#include <margincall/risk/age_weighted.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/cornish_fisher_var.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/horizon_scaling.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/peaks_over_threshold.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/student_t_var.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/span_margin.hpp>
#include <margincall/tiers/tier_schedule.hpp>
#include <margincall/volatility/ewma.hpp>
#include <margincall/volatility/garch11.hpp>
#include <margincall/volatility/garch11_fit.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include "reliability/oracle.hpp"

namespace test_oracle {

using namespace margincall;

// What an entry point receives: its scalar arguments and (if it takes one) a sample.
struct input {
    std::vector<double> x;
    std::vector<double> sample;
};

// One public entry point: argument names, valid defaults, the call with its invariant checks.
// `sample` is the valid default sample (empty when the entry point takes none); `tables` are
// named invalid table variants (unsorted, overlapping), given as whole argument vectors.
struct entry {
    const char* name;
    std::vector<const char*> args;
    std::vector<double> defaults;
    bool takes_sample;
    std::function<verdict(const input&)> call;
    std::vector<std::pair<const char*, std::vector<double>>> tables{};
    // A finding in a header this table's maintainers do not own, reported to its owner and not
    // yet fixed (a crash the sweep cannot survive): the sweep runs only the valid defaults and
    // prints this text, the fuzzer skips the row. Empty when the row is fully swept; delete the
    // text when the owner's fix lands.
    const char* open_finding = "";
};

inline verdict tail(const tail_risk<double>& r) {
    checker c;
    c.finite("VaR", r.value_at_risk);
    c.finite("ES", r.expected_shortfall);
    c.at_least("ES", r.expected_shortfall, "VaR", r.value_at_risk);
    return c.result();
}

inline verdict price_greeks(const option_greeks<double>& g) {
    checker c;
    c.non_negative("price", g.price);
    c.finite("delta", g.delta);
    c.non_negative("gamma", g.gamma);
    c.non_negative("vega", g.vega);
    c.finite("theta", g.theta);
    c.finite("rho", g.rho);
    c.finite("carry_rho", g.carry_rho);
    c.finite("rho_fixed_carry", g.rho_fixed_carry);
    return c.result();
}

inline verdict value(const char* name, double v) {
    checker c;
    c.finite(name, v);
    return c.result();
}

inline verdict non_negative(const char* name, double v) {
    checker c;
    c.non_negative(name, v);
    return c.result();
}

inline option_inputs<double> bs(const input& in) { return {in.x[0], in.x[1], in.x[2], in.x[3], in.x[4], in.x[5]}; }

inline tier_schedule<double> two_tiers(const input& in) {
    return tier_schedule<double>({{in.x[0], in.x[1], in.x[2], in.x[3], 0.0}, {in.x[1], in.x[4], in.x[5], in.x[6], in.x[7]}});
}

inline verdict liquidation(const liquidation_point<double>& r) {
    checker c;
    if (r.found()) {
        c.finite("price", r.price);
        c.holds("found price > 0", r.price > 0);
    }
    return c.result();
}

inline verdict margins(double im, double mm) {
    checker c;
    c.non_negative("IM", im);
    c.non_negative("MM", mm);
    c.at_least("IM", im, "MM", mm);
    return c.result();
}

inline verdict pool(double equity, double im, double mm, double call, margin_status status) {
    checker c;
    c.finite("equity", equity);
    const verdict m = margins(im, mm);
    c.holds(m.broken.c_str(), m.ok());
    c.non_negative("call amount", call);
    c.holds("call amount = max(0, IM - equity)", call == (im > equity ? im - equity : 0.0));
    c.holds("status liquidation exactly when equity <= MM", (status == margin_status::liquidation) == (equity <= mm));
    return c.result();
}

inline const tier_schedule<double>& btc_tiers() {
    static const tier_schedule<double> s({{0, 50'000, 125, 0.004, 0.0},
                                          {50'000, 250'000, 100, 0.005, 50.0},
                                          {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                          {3'000'000, std::numeric_limits<double>::infinity(), 20, 0.025, 46'300.0}});
    return s;
}

inline stress_book<double> option_book(const input& in) {
    option_leg<double> o;
    o.type = option_type::call;
    o.strike = in.x[1];
    o.expiry = in.x[2];
    o.quantity = in.x[3];
    o.volatility = in.x[4];
    return stress_book<double>{in.x[0], {o}, {{in.x[5]}}};
}

// The rows of issue #15's entry points (reliability/entry_points_issue15.hpp, included below).
inline void add_issue15_entries(std::vector<entry>& e);

inline std::vector<entry> entries() {
    const std::vector<double> bs_defaults{100, 105, 0.5, 0.03, 0.01, 0.25};
    const std::vector<const char*> bs_args{"spot", "strike", "expiry", "rate", "carry", "volatility"};
    std::vector<entry> e;
    // --- risk measures (sample + α) ---
    e.push_back({"historical_simulation", {"alpha"}, {0.99}, true,
                 [](const input& in) { return tail(historical_simulation<double>{}.estimate(in.sample, in.x[0])); }});
    e.push_back({"historical_simulation(type7)", {"alpha"}, {0.975}, true, [](const input& in) {
                     return tail(historical_simulation<double>{quantile_type::type7}.estimate(in.sample, in.x[0]));
                 }});
    e.push_back({"age_weighted", {"lambda", "alpha"}, {0.97, 0.99}, true,
                 [](const input& in) { return tail(age_weighted<double>(in.x[0]).estimate(in.sample, in.x[1])); }});
    e.push_back({"normal_var", {"alpha"}, {0.99}, true,
                 [](const input& in) { return tail(normal_var<double>{}.estimate(in.sample, in.x[0])); }});
    e.push_back({"normal_tail_risk", {"mean", "sd", "alpha"}, {0.0, 0.02, 0.99}, false,
                 [](const input& in) { return tail(normal_tail_risk(in.x[0], in.x[1], in.x[2])); }});
    e.push_back({"cornish_fisher_var", {"alpha"}, {0.99}, true,
                 [](const input& in) { return tail(cornish_fisher_var<double>{}.estimate(in.sample, in.x[0])); }});
    e.push_back({"cornish_fisher_tail_risk", {"mean", "sd", "skewness", "excess_kurtosis", "alpha"},
                 {0.0, 0.02, 0.3, 1.0, 0.99}, false, [](const input& in) {
                     return tail(cornish_fisher_tail_risk(in.x[0], in.x[1], in.x[2], in.x[3], in.x[4]));
                 }});
    e.push_back({"student_t_tail_risk", {"location", "scale", "nu", "alpha"}, {0.0, 0.02, 4.0, 0.99}, false,
                 [](const input& in) { return tail(student_t_tail_risk(in.x[0], in.x[1], in.x[2], in.x[3])); }});
    e.push_back({"student_t_var", {"nu", "alpha"}, {5.0, 0.99}, true,
                 [](const input& in) { return tail(student_t_var<double>(in.x[0]).estimate(in.sample, in.x[1])); }});
    e.push_back({"peaks_over_threshold", {"threshold", "alpha"}, {0.005, 0.99}, true, [](const input& in) {
                     return tail(peaks_over_threshold<double>(in.x[0]).estimate(in.sample, in.x[1]));
                 }});
    e.push_back({"gpd_tail_risk", {"threshold", "xi", "sigma", "alpha"}, {0.01, 0.2, 0.01, 0.99}, false,
                 [](const input& in) {
                     const gpd_fit<double> f{in.x[0], in.x[1], in.x[2], 20, 200, 0.0};
                     return tail(gpd_tail_risk(f, in.x[3]));
                 }});
    e.push_back({"normal_horizon_tail_risk", {"daily_mean", "daily_sd", "horizon_days", "alpha"},
                 {0.0, 0.02, 10.0, 0.99}, false, [](const input& in) {
                     return tail(normal_horizon_tail_risk(in.x[0], in.x[1], in.x[2], in.x[3]));
                 }});
    e.push_back({"sqrt_time_scale", {"VaR", "ES", "horizon_days"}, {0.03, 0.04, 10.0}, false, [](const input& in) {
                     return tail(sqrt_time_scale(tail_risk<double>{in.x[0], in.x[1]}, in.x[2]));
                 }});
    e.push_back({"sample_quantile", {"p"}, {0.95}, true,
                 [](const input& in) { return value("quantile", sample_quantile<double>(in.sample, in.x[0])); }});
    // --- backtests ---
    e.push_back({"kupiec_test", {"confidence"}, {0.99}, false, [](const input& in) {
                     const auto r = kupiec_test<double>(250, 4, in.x[0]);
                     checker c;
                     c.non_negative("statistic", r.unconditional_coverage.statistic);
                     c.holds("p_value in [0, 1]", r.unconditional_coverage.p_value >= 0 && r.unconditional_coverage.p_value <= 1);
                     return c.result();
                 }});
    // --- volatility ---
    e.push_back({"ewma_variance::filter", {"lambda", "initial_variance"}, {0.94, 1e-4}, true, [](const input& in) {
                     std::vector<double> v(in.sample.size());
                     const double next = ewma_variance<double>(in.x[0]).filter(in.sample, in.x[1], v);
                     checker c;
                     c.non_negative("next variance", next);
                     return c.result();
                 }});
    e.push_back({"garch11(normal)", {"omega", "alpha", "beta"}, {1e-6, 0.08, 0.9}, true, [](const input& in) {
                     const garch11<double> g(in.x[0], in.x[1], in.x[2]);
                     std::vector<double> v(in.sample.size());
                     checker c;
                     c.non_negative("unconditional variance", g.unconditional_variance());
                     c.non_negative("next variance", g.filter(in.sample, v));
                     c.finite("log-likelihood", g.log_likelihood(in.sample));
                     c.non_negative("10-day variance", g.aggregate_variance(1e-4, 10));
                     return c.result();
                 }});
    e.push_back({"garch11(student_t)", {"omega", "alpha", "beta", "shape", "probability"}, {1e-6, 0.08, 0.9, 5.0, 0.01},
                 true, [](const input& in) {
                     const garch11<double> g(in.x[0], in.x[1], in.x[2], in.x[3]);
                     checker c;
                     c.finite("log-likelihood", g.log_likelihood(in.sample));
                     c.finite("quantile", g.innovation_quantile(in.x[4]));
                     c.finite("ES", g.innovation_expected_shortfall(1 - in.x[4]));
                     return c.result();
                 }});
    e.push_back({"fit_garch11", {}, {}, true, [](const input& in) {
                     garch11_fit_options<double> o;
                     o.max_evaluations = 600;
                     o.restarts = 0;
                     const auto f = fit_garch11<double>(in.sample, garch_innovation::normal, o);
                     checker c;
                     c.finite("log-likelihood", f.log_likelihood);
                     c.non_negative("unconditional variance", f.model.unconditional_variance());
                     return c.result();
                 }});
    // --- options ---
    e.push_back({"black_scholes_price(call)", bs_args, bs_defaults, false,
                 [](const input& in) { return non_negative("price", black_scholes_price(option_type::call, bs(in))); }});
    e.push_back({"black_scholes_price(put)", bs_args, bs_defaults, false,
                 [](const input& in) { return non_negative("price", black_scholes_price(option_type::put, bs(in))); }});
    e.push_back({"black_scholes_greeks(call)", bs_args, bs_defaults, false,
                 [](const input& in) { return price_greeks(black_scholes_greeks(option_type::call, bs(in))); }});
    e.push_back({"black_scholes_greeks(put)", bs_args, bs_defaults, false,
                 [](const input& in) { return price_greeks(black_scholes_greeks(option_type::put, bs(in))); }});
    e.push_back({"black76_price", {"forward", "strike", "expiry", "rate", "volatility"}, {100, 95, 0.25, 0.02, 0.3},
                 false, [](const input& in) {
                     return non_negative("price", black76_price(option_type::put, black76_inputs<double>{
                                                                                      in.x[0], in.x[1], in.x[2], in.x[3], in.x[4]}));
                 }});
    e.push_back({"implied_volatility", {"spot", "strike", "expiry", "rate", "carry", "price"},
                 {100, 105, 0.5, 0.03, 0.01, 6.0}, false, [](const input& in) {
                     const option_inputs<double> o{in.x[0], in.x[1], in.x[2], in.x[3], in.x[4], 0.2};  // σ is solved for
                     return non_negative("volatility", implied_volatility(option_type::call, o, in.x[5]));
                 }});
    // --- tiers and position margin ---
    {
        const std::vector<const char*> table_args{"floor1", "cap1", "max_leverage1", "mmr1", "cap2", "max_leverage2",
                                                  "mmr2", "amount2", "notional"};
        const std::vector<double> table{0, 50'000, 125, 0.004, 250'000, 100, 0.005, 50, 100'000};
        const auto call = [](const input& in) {
            const tier_schedule<double> s = two_tiers(in);
            const double n = in.x[8];
            return margins(s.initial_margin(n, 1.0, 10.0), s.maintenance_margin(n, 1.0));
        };
        e.push_back({"tier_schedule", table_args, table, false, call,
                     {{"unsorted tiers", {50'000, 250'000, 125, 0.004, 0, 100, 0.005, 50, 100'000}},
                      {"overlapping tiers", {0, 300'000, 125, 0.004, 250'000, 100, 0.005, 50, 100'000}},
                      {"rates decreasing", {0, 50'000, 125, 0.006, 250'000, 100, 0.005, 50, 100'000}}}});
    }
    e.push_back({"tier_schedule::maintenance_margin", {"notional", "quantity"}, {100'000, 1.0}, false,
                 [](const input& in) { return non_negative("MM", btc_tiers().maintenance_margin(in.x[0], in.x[1])); }});
    // position_margin (margin/position_margin.hpp) is the unchecked per-row kernel behind the
    // book's door checks; its checked front doors are `position` (below) and the book.
    e.push_back({"position::maintenance_margin", {"quantity", "entry", "leverage", "mark"}, {-2.0, 30'000, 20, 31'000},
                 false, [](const input& in) {
                     position_spec<linear_contract<double>, double> spec;
                     spec.leverage = in.x[2];
                     spec.quantity = in.x[0];
                     spec.entry_price = in.x[1];
                     const position<linear_contract<double>, tier_schedule<double>, double> p(btc_tiers(), spec);
                     return margins(p.initial_margin(in.x[3]), p.maintenance_margin(in.x[3]));
                 }});
    // --- liquidation prices ---
    {
        const std::vector<const char*> args{"quantity", "entry", "wallet", "mark"};
        e.push_back({"liquidation_price(linear)", args, {1.5, 30'000, 3'000, 30'500}, false, [](const input& in) {
                         return liquidation(liquidation_price(linear_contract<double>{}, btc_tiers(),
                                                              position_leg<double>{in.x[0], in.x[1]},
                                                              account_balance<double>{in.x[2]}, in.x[3]));
                     }});
        e.push_back({"liquidation_price(inverse)", args, {-20, 30'000, 0.05, 29'000}, false, [](const input& in) {
                         return liquidation(liquidation_price(inverse_contract<double>{100.0}, btc_tiers(),
                                                              position_leg<double>{in.x[0], in.x[1]},
                                                              account_balance<double>{in.x[2]}, in.x[3]));
                     }});
        e.push_back({"bankruptcy_price(inverse)", args, {20, 30'000, 0.05, 31'000}, false, [](const input& in) {
                         return liquidation(bankruptcy_price(inverse_contract<double>{100.0}, position_leg<double>{in.x[0], in.x[1]},
                                                             account_balance<double>{in.x[2]}, in.x[3]));
                     }});
    }
    e.push_back({"find_liquidation_prices", {"quantity", "wallet", "mark", "lower", "upper"},
                 {1.0, 3'000, 30'000, 1'000, 100'000}, false, [](const input& in) {
                     const double q = in.x[0], w = in.x[1];
                     const auto surplus = [&](double p) {
                         return w + q * (p - 30'000) - btc_tiers().maintenance_margin(std::abs(q) * p, std::abs(q));
                     };
                     const auto r = find_liquidation_prices(surplus, in.x[2], in.x[3], in.x[4]);
                     checker c;
                     const verdict d = liquidation(r.prices.downside), u = liquidation(r.prices.upside);
                     c.holds(d.broken.c_str(), d.ok());
                     c.holds(u.broken.c_str(), u.ok());
                     return c.result();
                 }});
    // --- stress-based margins ---
    {
        const std::vector<const char*> args{"spot", "strike", "expiry", "quantity", "volatility", "linear quantity"};
        const std::vector<double> defaults{30'000, 33'000, 0.1, -3, 0.6, 1};
        e.push_back({"portfolio_margin", args, defaults, false, [](const input& in) {
                         const auto r = portfolio_margin<double>{}.evaluate(option_book(in));
                         return margins(r.initial_margin, r.maintenance_margin);
                     }});
        e.push_back({"span_margin", args, defaults, false, [](const input& in) {
                         const auto sc = cme_span_scenarios<double>();
                         const span_margin<double> m(span_parameters<double>{1'500, 0.05},
                                                     std::vector<span_scenario<double>>(sc.begin(), sc.end()));
                         const stress_book<double> b = option_book(in);
                         return margins(m.initial_margin(b), m.maintenance_margin(b));
                     }});
    }
    // --- a book and its re-mark; the calculator ---
    e.push_back({"book + remark", {"wallet", "quantity", "entry", "leverage", "mark"}, {2'000, 1.5, 30'000, 20, 29'000},
                 false, [](const input& in) {
                     using book_t = book<linear_contract<double>, tier_schedule<double>>;
                     const std::vector<account_row<double>> accounts{{.wallet_balance = in.x[0]}};
                     const std::vector<position_row<double>> positions{
                         {.account = 0, .symbol = 0, .quantity = in.x[1], .entry_price = in.x[2], .leverage = in.x[3]}};
                     const book_t b({linear_contract<double>{}}, {btc_tiers()}, accounts, positions);
                     std::vector<double> equity(b.pools()), im(b.pools()), mm(b.pools()), call(b.pools());
                     std::vector<margin_status> status(b.pools());
                     const std::vector<double> marks{in.x[4]};
                     (void)remark(b, std::span<const double>(marks), {equity, im, mm, call, status});
                     return pool(equity[0], im[0], mm[0], call[0], status[0]);
                 }});
    e.push_back({"margin_call_calculator::evaluate", {"wallet", "quantity", "entry", "leverage", "mark"},
                 {2'000, -1.5, 30'000, 20, 31'000}, false, [](const input& in) {
                     using position_t = position<linear_contract<double>, tier_schedule<double>, double>;
                     margin_call_calculator<default_policies<double>> calc;
                     auto a = calc.make_account(in.x[0]);
                     a.add_position(position_t(btc_tiers(), {.symbol = 0, .leverage = in.x[3], .quantity = in.x[1],
                                                             .entry_price = in.x[2]}));
                     const std::vector<double> marks{in.x[4]};
                     const auto r = calc.evaluate(a, marks);
                     checker c;
                     const verdict p = pool(r.cross.equity, r.cross.initial_margin, r.cross.maintenance_margin,
                                            r.cross.call_amount, r.cross.status);
                     c.holds(p.broken.c_str(), p.ok());
                     for (const auto& side : {r.positions[0].prices.liquidation.downside, r.positions[0].prices.liquidation.upside}) {
                         const verdict l = liquidation(side);
                         c.holds(l.broken.c_str(), l.ok());
                     }
                     return c.result();
                 }});
    add_issue15_entries(e);
    return e;
}

}  // namespace test_oracle

#include "reliability/entry_points_issue15.hpp"
