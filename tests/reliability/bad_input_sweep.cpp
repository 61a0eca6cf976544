// The bad-input sweep (issue #14): every public numerical entry point in the table below is
// called with each of its arguments replaced, one at a time, by each bad value class (NaN, ±∞,
// negative, zero, 1e308, −1e308, subnormal, a probability outside (0, 1), exactly 1), its
// sample (where it takes one) emptied, spiked with each bad value, or made of it entirely, and
// its table (where it takes one) unsorted or overlapping. Every case must end in the library's
// error with the standard message shape or in a finite result that keeps the entry point's
// invariants (tests/reliability/oracle.hpp, shared with fuzz/fuzz_numeric.cpp). Adding an
// entry point is one row of `entries()`. The counts by outcome are printed to stdout.
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/margin/position_margin.hpp>
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

#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reliability/oracle.hpp"

using namespace margincall;
using test_oracle::checker;
using test_oracle::outcome;
using test_oracle::verdict;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct bad_value {
    const char* name;
    double value;
};

// The bad value classes of the issue; "above one" and "one" are the probabilities outside (0, 1).
const std::vector<bad_value>& bad_values() {
    static const std::vector<bad_value> values{
        {"nan", std::numeric_limits<double>::quiet_NaN()},
        {"+inf", inf},
        {"-inf", -inf},
        {"negative", -1.0},
        {"zero", 0.0},
        {"1e308", 1e308},
        {"-1e308", -1e308},
        {"subnormal", std::numeric_limits<double>::denorm_min()},
        {"above one", 1.5},
        {"one", 1.0},
    };
    return values;
}

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
};

std::vector<double> base_sample() {
    std::mt19937_64 rng(14);
    std::student_t_distribution<double> t(4.0);
    std::vector<double> s(60);
    for (auto& v : s) v = 0.01 * t(rng);
    return s;
}

verdict tail(const tail_risk<double>& r) {
    checker c;
    c.finite("VaR", r.value_at_risk);
    c.finite("ES", r.expected_shortfall);
    c.at_least("ES", r.expected_shortfall, "VaR", r.value_at_risk);
    return c.result();
}

verdict price_greeks(const option_greeks<double>& g) {
    checker c;
    c.non_negative("price", g.price);
    c.finite("delta", g.delta);
    c.non_negative("gamma", g.gamma);
    c.non_negative("vega", g.vega);
    c.finite("theta", g.theta);
    c.finite("rho", g.rho);
    c.finite("carry_rho", g.carry_rho);
    return c.result();
}

verdict value(const char* name, double v) {
    checker c;
    c.finite(name, v);
    return c.result();
}

verdict non_negative(const char* name, double v) {
    checker c;
    c.non_negative(name, v);
    return c.result();
}

option_inputs<double> bs(const input& in) { return {in.x[0], in.x[1], in.x[2], in.x[3], in.x[4], in.x[5]}; }

tier_schedule<double> two_tiers(const input& in) {
    return tier_schedule<double>({{in.x[0], in.x[1], in.x[2], in.x[3], 0.0}, {in.x[1], in.x[4], in.x[5], in.x[6], in.x[7]}});
}

verdict liquidation(const liquidation_point<double>& r) {
    checker c;
    if (r.found()) {
        c.finite("price", r.price);
        c.holds("found price > 0", r.price > 0);
    }
    return c.result();
}

verdict margins(double im, double mm) {
    checker c;
    c.non_negative("IM", im);
    c.non_negative("MM", mm);
    c.at_least("IM", im, "MM", mm);
    return c.result();
}

const tier_schedule<double>& btc_tiers() {
    static const tier_schedule<double> s({{0, 50'000, 125, 0.004, 0.0},
                                          {50'000, 250'000, 100, 0.005, 50.0},
                                          {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                          {3'000'000, inf, 20, 0.025, 46'300.0}});
    return s;
}

stress_book<double> option_book(const input& in) {
    option_leg<double> o;
    o.type = option_type::call;
    o.strike = in.x[1];
    o.expiry = in.x[2];
    o.quantity = in.x[3];
    o.volatility = in.x[4];
    return stress_book<double>{in.x[0], {o}, {{in.x[5]}}};
}

std::vector<entry> entries() {
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
    return e;
}

struct tally {
    std::size_t refused = 0, finite = 0, violation = 0;
    void add(outcome o) {
        if (o == outcome::refused) ++refused;
        else if (o == outcome::finite) ++finite;
        else ++violation;
    }
    [[nodiscard]] std::size_t total() const { return refused + finite + violation; }
};

}  // namespace

TEST_CASE("bad-input sweep: every case ends in the library's error or a finite result with its invariants",
          "[reliability][sweep]") {
    const std::vector<double> sample = base_sample();
    tally all;
    std::map<std::string, tally> by_class;
    const auto run = [&](const entry& en, const input& in, const std::string& label, const std::string& cls) {
        test_oracle::report r = test_oracle::judge([&] { return en.call(in); });
        // A NaN argument that yields a figure was read past, not checked: a violation too.
        if (cls == "nan" && r.kind == outcome::finite) r = {outcome::violation, "NaN accepted"};
        all.add(r.kind);
        by_class[cls].add(r.kind);
        if (r.kind == outcome::violation) FAIL_CHECK(en.name << " with " << label << ": " << r.detail);
    };
    const auto list = entries();
    for (const entry& en : list) {
        const input valid{en.defaults, en.takes_sample ? sample : std::vector<double>{}};
        run(en, valid, "valid defaults", "valid");
        for (std::size_t i = 0; i < en.args.size(); ++i)
            for (const bad_value& b : bad_values()) {
                input in = valid;
                in.x[i] = b.value;
                run(en, in, std::string(en.args[i]) + " = " + b.name, b.name);
            }
        if (en.takes_sample) {
            run(en, input{en.defaults, {}}, "an empty sample", "empty");
            for (const bad_value& b : bad_values()) {
                input one = valid;
                one.sample[7] = b.value;
                run(en, one, std::string("sample[7] = ") + b.name, b.name);
                input every = valid;
                for (auto& v : every.sample) v = b.value;
                run(en, every, std::string("every sample value = ") + b.name, b.name);
            }
            input scaled = valid;  // a sample near the overflow threshold, of both signs
            for (auto& v : scaled.sample) v *= 1e308 / 0.05;
            run(en, scaled, "a sample scaled to ~1e308", "1e308");
            input tiny = valid;
            for (auto& v : tiny.sample) v *= 1e-320;
            run(en, tiny, "a sample scaled to subnormals", "subnormal");
        }
        for (const auto& [label, args] : en.tables) run(en, input{args, {}}, label, "unsorted/overlapping table");
    }
    std::printf("bad-input sweep: %zu entry points, %zu cases: %zu refused with the library's error, "
                "%zu finite results with their invariants, %zu violations\n",
                list.size(), all.total(), all.refused, all.finite, all.violation);
    for (const auto& [cls, t] : by_class)
        std::printf("  %-28s %5zu cases: %5zu refused, %5zu finite, %zu violations\n", cls.c_str(), t.total(), t.refused,
                    t.finite, t.violation);
    CHECK(all.violation == 0);
    CHECK(all.total() > 500);
}
