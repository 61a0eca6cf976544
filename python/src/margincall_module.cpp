// The margincall Python module (pybind11): thin bindings over the header-only library. Every
// formula stays in include/margincall/; this file converts arguments and results only.
// Batch paths take NumPy float64 arrays without copying them (a C-contiguous float64 array is
// viewed in place; anything else is converted once by pybind11's forcecast) and write their
// results into freshly allocated NumPy arrays through spans, so no result is copied either.
// Library errors (margincall::invalid_argument) arrive in Python as ValueError with the
// library's message ("where: argument is value, but must be condition"). docs/python.md.

#include <margincall/calculator.hpp>
#include <margincall/cascade/book_cascade.hpp>
#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/io/account_book_csv.hpp>
#include <margincall/io/bracket_json.hpp>
#include <margincall/liquidation/batch_liquidation_prices.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/options/black76.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>
#include <margincall/options/option_batch.hpp>
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/backtest_traffic_light.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/volatility_filtered.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/span_margin.hpp>
#include <margincall/stress/stress_book.hpp>
#include <margincall/tiers/tier_schedule.hpp>
#include <margincall/volatility/garch11.hpp>
#include <margincall/volatility/garch11_fit.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace py = pybind11;
namespace mc = margincall;

namespace {

using schedule = mc::tier_schedule<double>;
using linear = mc::linear_contract<double>;
using host_book = mc::book<linear, schedule, double>;
using in_array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using out_array = py::array_t<double>;

struct hedge_policies : mc::default_policies<double> {
    using account_mode = mc::hedge_mode;
};

// ---------------------------------------------------------------------------------------------
// Arrays: views in, fresh arrays out.

/// A read-only span over a one-dimensional float64 array (no copy for C-contiguous float64).
std::span<const double> view(const char* where, const char* name, const in_array& a) {
    if (a.ndim() != 1) mc::throw_invalid_argument(where, mc::detail::message("the dimension of ", name), a.ndim(), "1");
    return {a.data(), static_cast<std::size_t>(a.size())};
}

template <int Flags>
std::span<double> view(py::array_t<double, Flags>& a) {
    return {a.mutable_data(), static_cast<std::size_t>(a.size())};
}

template <class T>
py::array_t<T> fresh(std::size_t n) {
    return py::array_t<T>(static_cast<py::ssize_t>(n));
}

out_array to_numpy(const std::vector<double>& v) {
    out_array a = fresh<double>(v.size());
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

void check_same_size(const char* where, const char* name, std::size_t size, std::size_t n, const char* reference) {
    if (size != n)
        mc::throw_invalid_argument(where, mc::detail::message("the size of ", name), size,
                                   mc::detail::message(n, " (the size of ", reference, ")").c_str());
}

// ---------------------------------------------------------------------------------------------
// Enumerations by name.

mc::tier_basis basis_of(const std::string& s) {
    if (s == "notional") return mc::tier_basis::notional;
    if (s == "quantity") return mc::tier_basis::quantity;
    mc::throw_invalid_argument("TierSchedule", "basis", mc::detail::message('"', s, '"'), "\"notional\" or \"quantity\"");
}

const char* basis_name(mc::tier_basis b) { return b == mc::tier_basis::notional ? "notional" : "quantity"; }

mc::option_type option_of(const char* where, const std::string& s) {
    if (s == "call") return mc::option_type::call;
    if (s == "put") return mc::option_type::put;
    mc::throw_invalid_argument(where, "kind", mc::detail::message('"', s, '"'), "\"call\" or \"put\"");
}

/// Option types of a batch, read in place: +1 call, -1 put (any other value is rejected, naming
/// the element, by the library's batch check). option_type is an enumeration with the fixed
/// underlying type signed char, the representation of an int8 element; the array's storage is
/// NumPy's (malloc'd, so objects of the enumeration are implicitly created there, C++20
/// [intro.object]/10), and every signed char value is a valid option_type value.
std::span<const mc::option_type> option_types(const char* where,
                                              const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind,
                                              std::size_t n) {
    static_assert(std::is_same_v<std::underlying_type_t<mc::option_type>, signed char> &&
                  std::is_same_v<std::int8_t, signed char>);
    if (kind.ndim() != 1) mc::throw_invalid_argument(where, "the dimension of kind", kind.ndim(), "1");
    check_same_size(where, "kind", static_cast<std::size_t>(kind.size()), n, "spot");
    return {reinterpret_cast<const mc::option_type*>(kind.data()), n};
}

mc::garch_innovation innovation_of(const std::string& s) {
    if (s == "normal") return mc::garch_innovation::normal;
    if (s == "student_t") return mc::garch_innovation::student_t;
    mc::throw_invalid_argument("fit_garch11", "innovation", mc::detail::message('"', s, '"'), "\"normal\" or \"student_t\"");
}

mc::quantile_type quantile_of(const char* where, int type) {
    if (type < 1 || type > 9) mc::throw_invalid_argument(where, "quantile_type", type, "in [1, 9] (Hyndman–Fan)");
    return static_cast<mc::quantile_type>(type);
}

py::dict risk_dict(const mc::tail_risk<double>& r) {
    py::dict d;
    d["value_at_risk"] = r.value_at_risk;
    d["expected_shortfall"] = r.expected_shortfall;
    return d;
}

py::tuple risk_tuple(const mc::tail_risk<double>& r) { return py::make_tuple(r.value_at_risk, r.expected_shortfall); }

/// A dict of named results (columns, figures), in the order given.
py::dict named(std::initializer_list<std::pair<const char*, py::object>> items) {
    py::dict d;
    for (const auto& [key, value] : items) d[key] = value;
    return d;
}

// ---------------------------------------------------------------------------------------------
// Tier schedules.

schedule make_schedule(const in_array& floor, const in_array& cap, const in_array& max_leverage,
                       const in_array& maintenance_rate, const std::string& basis) {
    constexpr const char* where = "TierSchedule";
    const auto f = view(where, "floor", floor);
    const auto c = view(where, "cap", cap);
    const auto l = view(where, "max_leverage", max_leverage);
    const auto m = view(where, "maintenance_rate", maintenance_rate);
    check_same_size(where, "cap", c.size(), f.size(), "floor");
    check_same_size(where, "max_leverage", l.size(), f.size(), "floor");
    check_same_size(where, "maintenance_rate", m.size(), f.size(), "floor");
    std::vector<mc::bracket<double>> brackets(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) brackets[i] = {f[i], c[i], l[i], m[i], std::nullopt};
    return schedule(std::move(brackets), basis_of(basis));
}

/// A batch look-up of `s` over `size`: out[i] = get(size[i]).
template <class Get>
out_array per_size(const char* where, const in_array& size, Get get) {
    const auto x = view(where, "size", size);
    out_array out = fresh<double>(x.size());
    const auto o = view(out);
    for (std::size_t i = 0; i < x.size(); ++i) o[i] = get(x[i]);
    return out;
}

py::dict named_schedules(std::vector<mc::named_schedule<double>> all) {
    py::dict d;
    for (auto& s : all) d[py::str(s.symbol)] = py::cast(std::move(s.schedule));
    return d;
}

// ---------------------------------------------------------------------------------------------
// The book.

/// The host's book on linear contracts and tier schedules, with its symbol names.
struct py_book {
    host_book book;
    std::vector<std::string> symbols;
    std::vector<std::string> account_ids;
};

std::vector<schedule> schedules_for(const char* where, const std::vector<std::string>& symbols,
                                    const py::dict& schedules) {
    std::vector<schedule> out;
    out.reserve(symbols.size());
    for (const auto& s : symbols) {
        if (!schedules.contains(py::str(s)))
            mc::throw_invalid_argument(where, mc::detail::message("the schedule of symbol \"", s, '"'), "missing",
                                       "in schedules");
        out.push_back(schedules[py::str(s)].cast<schedule>());
    }
    return out;
}

std::vector<linear> contracts_for(const char* where, const std::vector<std::string>& symbols,
                                  const std::optional<py::dict>& multipliers) {
    std::vector<linear> out;
    out.reserve(symbols.size());
    for (const auto& s : symbols) {
        double m = 1.0;
        if (multipliers && multipliers->contains(py::str(s))) m = (*multipliers)[py::str(s)].cast<double>();
        mc::check_positive(where, mc::detail::message("the multiplier of \"", s, '"'), m);
        out.emplace_back(m);
    }
    return out;
}

mc::status_thresholds<double> thresholds_of(double warning_ratio, double call_ratio) {
    mc::status_thresholds<double> t;
    t.warning_ratio = warning_ratio;
    t.call_ratio = call_ratio;
    return t;
}

py_book book_from_csv(const std::string& path, const py::dict& schedules, const std::optional<py::dict>& multipliers,
                      double warning_ratio, double call_ratio) {
    constexpr const char* where = "Book.from_csv";
    const auto loaded = mc::load_account_book<double>(path);
    auto contracts = contracts_for(where, loaded.symbols, multipliers);
    auto models = schedules_for(where, loaded.symbols, schedules);
    std::vector<std::string> ids;
    ids.reserve(loaded.accounts.size());
    for (const auto& a : loaded.accounts) ids.push_back(a.id);
    return {host_book(std::move(contracts), std::move(models), mc::to_book_rows(loaded),
                      thresholds_of(warning_ratio, call_ratio)),
            loaded.symbols, std::move(ids)};
}

template <class T>
std::span<const T> int_view(const char* where, const char* name, const py::array_t<T, py::array::c_style | py::array::forcecast>& a,
                            std::size_t n) {
    if (a.ndim() != 1) mc::throw_invalid_argument(where, mc::detail::message("the dimension of ", name), a.ndim(), "1");
    check_same_size(where, name, static_cast<std::size_t>(a.size()), n, "quantity");
    return {a.data(), n};
}

using index_array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using flag_array = py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>;

py_book book_from_columns(const std::vector<std::string>& symbols, const py::dict& schedules, const in_array& wallet,
                          const index_array& account, const index_array& symbol, const in_array& quantity,
                          const in_array& entry_price, const in_array& leverage,
                          const std::optional<flag_array>& isolated, const std::optional<in_array>& isolated_margin,
                          const std::optional<py::dict>& multipliers, double warning_ratio, double call_ratio) {
    constexpr const char* where = "Book";
    const auto w = view(where, "wallet_balance", wallet);
    const auto q = view(where, "quantity", quantity);
    const std::size_t n = q.size();
    const auto acc = int_view<std::int64_t>(where, "account", account, n);
    const auto sym = int_view<std::int64_t>(where, "symbol", symbol, n);
    const auto e = view(where, "entry_price", entry_price);
    const auto l = view(where, "leverage", leverage);
    check_same_size(where, "entry_price", e.size(), n, "quantity");
    check_same_size(where, "leverage", l.size(), n, "quantity");
    std::span<const std::int8_t> iso;
    if (isolated) iso = int_view<std::int8_t>(where, "isolated", *isolated, n);
    std::span<const double> im;
    if (isolated_margin) {
        im = view(where, "isolated_margin", *isolated_margin);
        check_same_size(where, "isolated_margin", im.size(), n, "quantity");
    }
    std::vector<mc::account_row<double>> accounts(w.size());
    for (std::size_t a = 0; a < w.size(); ++a) accounts[a].wallet_balance = w[a];
    std::vector<mc::position_row<double>> positions(n);
    for (std::size_t j = 0; j < n; ++j) {
        if (acc[j] < 0) mc::throw_invalid_argument(where, mc::detail::message("account[", j, "]"), acc[j], ">= 0");
        if (sym[j] < 0) mc::throw_invalid_argument(where, mc::detail::message("symbol[", j, "]"), sym[j], ">= 0");
        auto& r = positions[j];
        r.account = static_cast<std::size_t>(acc[j]);
        r.symbol = static_cast<std::size_t>(sym[j]);
        r.mode = !iso.empty() && iso[j] != 0 ? mc::margin_mode::isolated : mc::margin_mode::cross;
        r.quantity = q[j];
        r.entry_price = e[j];
        r.leverage = l[j];
        r.isolated_margin = im.empty() ? 0.0 : im[j];
    }
    std::vector<std::string> ids(w.size());
    for (std::size_t a = 0; a < w.size(); ++a) ids[a] = std::to_string(a);
    return {host_book(contracts_for(where, symbols, multipliers), schedules_for(where, symbols, schedules), accounts,
                      positions, thresholds_of(warning_ratio, call_ratio)),
            symbols, std::move(ids)};
}

py::dict remark_book(const py_book& b, const in_array& marks) {
    const auto m = view("remark", "marks", marks);
    const std::size_t pools = b.book.pools();
    out_array equity = fresh<double>(pools), im = fresh<double>(pools), mm = fresh<double>(pools),
              call = fresh<double>(pools);
    py::array_t<std::uint8_t> status = fresh<std::uint8_t>(pools);
    static_assert(sizeof(mc::margin_status) == sizeof(std::uint8_t));
    mc::remark_output<double> out;
    out.equity = view(equity);
    out.initial_margin = view(im);
    out.maintenance_margin = view(mm);
    out.call_amount = view(call);
    // margin_status has the fixed underlying type unsigned char: the uint8 array's elements are its
    // values, written in place (the storage is NumPy's; see option_types).
    static_assert(std::is_same_v<std::underlying_type_t<mc::margin_status>, unsigned char>);
    out.status = {reinterpret_cast<mc::margin_status*>(status.mutable_data()), pools};
    const auto totals = mc::remark(b.book, m, out);
    py::dict counts;
    for (std::size_t s = 0; s < mc::margin_status_count; ++s)
        counts[py::str(mc::to_string(static_cast<mc::margin_status>(s)))] = totals.count[s];
    return named({{"equity", equity}, {"initial_margin", im}, {"maintenance_margin", mm}, {"call_amount", call},
                  {"status", status}, {"counts", counts}, {"total_call_amount", py::float_(totals.call_amount)},
                  {"total_called_amount", py::float_(totals.called_amount)},
                  {"total_equity", py::float_(totals.equity)},
                  {"total_maintenance_margin", py::float_(totals.maintenance_margin)},
                  {"total_initial_margin", py::float_(totals.initial_margin)}});
}

py::dict summary_dict(const mc::margin_summary<double>& s) {
    py::dict d;
    d["equity"] = s.equity;
    d["initial_margin"] = s.initial_margin;
    d["maintenance_margin"] = s.maintenance_margin;
    d["margin_ratio"] = s.margin_ratio;
    d["call_amount"] = s.call_amount;
    d["available_balance"] = s.available_balance;
    d["status"] = mc::to_string(s.status);
    return d;
}

py::dict point_dict(const mc::liquidation_point<double>& p) {
    py::dict d;
    d["status"] = mc::to_string(p.status);
    d["price"] = p.price;
    return d;
}

template <class Calculator>
py::dict report_of(const Calculator& calc, const host_book& b, std::size_t account, std::span<const double> marks) {
    const mc::margin_report<double> r = calc.evaluate(b.make_account(account), marks);
    py::dict d;
    d["status"] = mc::to_string(r.status);
    d["equity"] = r.equity;
    d["initial_margin"] = r.initial_margin;
    d["maintenance_margin"] = r.maintenance_margin;
    d["margin_ratio"] = r.margin_ratio;
    d["call_amount"] = r.call_amount;
    d["cross"] = summary_dict(r.cross);
    py::list positions;
    for (const auto& p : r.positions) {
        py::dict e;
        e["notional"] = p.figures.notional;
        e["unrealised_pnl"] = p.figures.unrealised_pnl;
        e["initial_margin"] = p.figures.initial_margin;
        e["maintenance_margin"] = p.figures.maintenance_margin;
        e["pool"] = summary_dict(p.pool);
        e["liquidation_downside"] = point_dict(p.prices.liquidation.downside);
        e["liquidation_upside"] = point_dict(p.prices.liquidation.upside);
        e["bankruptcy_downside"] = point_dict(p.prices.bankruptcy.downside);
        e["bankruptcy_upside"] = point_dict(p.prices.bankruptcy.upside);
        positions.append(e);
    }
    d["positions"] = positions;
    return d;
}

py::dict account_report(const py_book& b, std::size_t account, const in_array& marks) {
    const auto m = view("Book.report", "marks", marks);
    if (account >= b.book.accounts())
        mc::throw_invalid_argument("Book.report", "account", account,
                                   mc::detail::message("< ", b.book.accounts(), ", the number of accounts").c_str());
    if (b.book.account_mode(account) == mc::position_mode::hedge)
        return report_of(mc::margin_call_calculator<hedge_policies>{}, b.book, account, m);
    return report_of(mc::margin_call_calculator<mc::default_policies<double>>{}, b.book, account, m);
}

/// Monte Carlo of instant shocks N(0, shock_sd) (floored at −max_drop) on one symbol's isolated
/// cascade book (every pool whose only open leg is on that symbol).
py::dict cascade_mc(const py_book& b, std::size_t symbol, double start_price, double shock_sd, double max_drop,
                    std::size_t runs, double alpha, double impact_lambda, double insurance_fund, double fee_rate,
                    std::uint64_t seed) {
    constexpr const char* where = "Book.cascade_monte_carlo";
    mc::check_positive(where, "shock_sd", shock_sd);
    if (!(max_drop > 0.0 && max_drop < 1.0)) mc::throw_invalid_argument(where, "max_drop", max_drop, "in (0, 1)");
    const auto isolated = mc::isolated_liquidation_book(b.book, symbol);
    using sim = mc::cascade_simulator<double>;
    mc::loss_waterfall<double> waterfall;
    waterfall.insurance_fund = insurance_fund;
    waterfall.liquidation_fee_rate = fee_rate;
    waterfall.residual = mc::residual_loss::bad_debt;
    const sim s(mc::linear_impact<double>(impact_lambda), {sim::venue{&isolated.accounts, {}, waterfall, {}}},
                mc::cascade_options{100000, false});
    mc::check_positive(where, "start_price", start_price);
    auto sampler = [start_price, shock_sd, max_drop](std::mt19937_64& g) {
        std::normal_distribution<double> n(0.0, shock_sd);
        return mc::exogenous_shock<double>::instant_relative(start_price, std::max(-max_drop, n(g)));
    };
    std::mt19937_64 gen(seed);
    const auto d = mc::cascade_monte_carlo(s, runs, sampler, gen, alpha);
    py::dict out;
    out["bad_debt"] = to_numpy(d.bad_debt);
    out["liquidated_notional"] = to_numpy(d.liquidated_notional);
    out["drawdown"] = to_numpy(d.drawdown);
    out["bad_debt_risk"] = risk_dict(d.bad_debt_risk);
    out["liquidated_risk"] = risk_dict(d.liquidated_risk);
    out["unconverged_runs"] = d.unconverged_runs;
    out["accounts"] = isolated.accounts.size();
    return out;
}

// ---------------------------------------------------------------------------------------------
// Options in batch.

struct batch_columns {
    std::span<const mc::option_type> type;
    mc::option_batch batch;
};

batch_columns option_columns(const char* where, const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind,
                             const in_array& spot, const in_array& strike, const in_array& expiry, const in_array& rate,
                             const in_array& carry, const in_array& volatility) {
    batch_columns c;
    c.batch.spot = view(where, "spot", spot);
    c.type = option_types(where, kind, c.batch.spot.size());
    c.batch.type = c.type;
    c.batch.strike = view(where, "strike", strike);
    c.batch.expiry = view(where, "expiry", expiry);
    c.batch.rate = view(where, "rate", rate);
    c.batch.carry = view(where, "carry", carry);
    c.batch.volatility = view(where, "volatility", volatility);
    const std::size_t n = c.batch.size();
    check_same_size(where, "strike", c.batch.strike.size(), n, "spot");
    check_same_size(where, "expiry", c.batch.expiry.size(), n, "spot");
    check_same_size(where, "rate", c.batch.rate.size(), n, "spot");
    check_same_size(where, "carry", c.batch.carry.size(), n, "spot");
    check_same_size(where, "volatility", c.batch.volatility.size(), n, "spot");
    return c;
}

mc::option_inputs<double> inputs_at(const mc::option_batch& b, std::size_t i) {
    return {b.spot[i], b.strike[i], b.expiry[i], b.rate[i], b.carry[i], b.volatility[i]};
}

py::dict greeks_dict(std::size_t n, const auto& at) {
    out_array price = fresh<double>(n), delta = fresh<double>(n), gamma = fresh<double>(n), vega = fresh<double>(n),
              theta = fresh<double>(n), rho = fresh<double>(n), carry_rho = fresh<double>(n),
              rho_fixed_carry = fresh<double>(n);
    const auto p = view(price), de = view(delta), ga = view(gamma), ve = view(vega), th = view(theta), rh = view(rho),
               cr = view(carry_rho), rf = view(rho_fixed_carry);
    for (std::size_t i = 0; i < n; ++i) {
        const mc::option_greeks<double> g = at(i);
        p[i] = g.price;
        de[i] = g.delta;
        ga[i] = g.gamma;
        ve[i] = g.vega;
        th[i] = g.theta;
        rh[i] = g.rho;
        cr[i] = g.carry_rho;
        rf[i] = g.rho_fixed_carry;
    }
    return named({{"price", price}, {"delta", delta}, {"gamma", gamma}, {"vega", vega}, {"theta", theta},
                  {"rho", rho}, {"carry_rho", carry_rho}, {"rho_fixed_carry", rho_fixed_carry}});
}

// ---------------------------------------------------------------------------------------------
// SPAN.

/// A stress_book of option legs (columns) and linear legs (columns) on one underlying.
mc::stress_book<double> stress_book_of(const char* where, double spot, const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind,
                                       const in_array& strike, const in_array& expiry, const in_array& quantity,
                                       const in_array& volatility, const std::optional<in_array>& multiplier,
                                       const in_array& linear_quantity, const std::optional<in_array>& linear_multiplier,
                                       double rate, double carry) {
    const auto k = view(where, "strike", strike);
    const std::size_t n = k.size();
    const auto type = option_types(where, kind, n);
    const auto t = view(where, "expiry", expiry), q = view(where, "quantity", quantity), v = view(where, "volatility", volatility);
    check_same_size(where, "expiry", t.size(), n, "strike");
    check_same_size(where, "quantity", q.size(), n, "strike");
    check_same_size(where, "volatility", v.size(), n, "strike");
    std::span<const double> m;
    if (multiplier) {
        m = view(where, "multiplier", *multiplier);
        check_same_size(where, "multiplier", m.size(), n, "strike");
    }
    std::vector<mc::option_leg<double>> options(n);
    for (std::size_t i = 0; i < n; ++i) {
        options[i].type = type[i];
        options[i].strike = k[i];
        options[i].expiry = t[i];
        options[i].quantity = q[i];
        options[i].volatility = v[i];
        options[i].multiplier = m.empty() ? 1.0 : m[i];
    }
    const auto lq = view(where, "linear_quantity", linear_quantity);
    std::span<const double> lm;
    if (linear_multiplier) {
        lm = view(where, "linear_multiplier", *linear_multiplier);
        check_same_size(where, "linear_multiplier", lm.size(), lq.size(), "linear_quantity");
    }
    std::vector<mc::linear_leg<double>> linear_legs(lq.size());
    for (std::size_t i = 0; i < lq.size(); ++i) {
        linear_legs[i].quantity = lq[i];
        linear_legs[i].multiplier = lm.empty() ? 1.0 : lm[i];
    }
    return mc::stress_book<double>(spot, std::move(options), std::move(linear_legs), rate, carry);
}

}  // namespace

PYBIND11_MODULE(_margincall, m) {
    m.doc() = "margincall: margin-call dynamics (tiers, books, re-marks, liquidation prices, VaR/ES, GARCH, "
              "backtests, options, cascades). A thin binding of the header-only C++20 library; see docs/python.md.";

    // Errors: margincall::invalid_argument (a std::invalid_argument) becomes ValueError with its message.
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const mc::invalid_argument& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });

    // --- Tier schedules --------------------------------------------------------------------
    py::class_<schedule>(m, "TierSchedule",
                         "Risk-limit brackets of one contract: tier look-up, maintenance margin (MM = notional x MMR_i - "
                         "cum_i, continuous at every floor; Binance FAQ), initial margin. Validated at construction.")
        .def(py::init(&make_schedule), py::arg("floor"), py::arg("cap"), py::arg("max_leverage"),
             py::arg("maintenance_rate"), py::arg("basis") = "notional",
             "Brackets in ascending order, first floor 0, each floor equal to the previous cap (last cap may be inf); "
             "basis 'notional' or 'quantity'. Raises ValueError naming the tier and field.")
        .def_property_readonly("basis", [](const schedule& s) { return basis_name(s.basis()); })
        .def("tiers",
             [](const schedule& s) {
                 const auto t = s.tiers();
                 out_array f = fresh<double>(t.size()), c = fresh<double>(t.size()), l = fresh<double>(t.size()),
                           r = fresh<double>(t.size()), a = fresh<double>(t.size());
                 for (std::size_t i = 0; i < t.size(); ++i) {
                     view(f)[i] = t[i].floor;
                     view(c)[i] = t[i].cap;
                     view(l)[i] = t[i].max_leverage;
                     view(r)[i] = t[i].maintenance_rate;
                     view(a)[i] = t[i].maintenance_amount;
                 }
                 return named({{"floor", f}, {"cap", c}, {"max_leverage", l}, {"maintenance_rate", r},
                               {"maintenance_amount", a}});
             },
             "The validated tiers as NumPy columns: floor, cap, max_leverage, maintenance_rate, maintenance_amount (cum).")
        .def("__len__", [](const schedule& s) { return s.tiers().size(); })
        .def("tier_index",
             [](const schedule& s, const in_array& size) {
                 const auto x = view("TierSchedule.tier_index", "size", size);
                 py::array_t<std::int64_t> out = fresh<std::int64_t>(x.size());
                 for (std::size_t i = 0; i < x.size(); ++i)
                     out.mutable_data()[i] = static_cast<std::int64_t>(s.tier_index(x[i]));
                 return out;
             },
             py::arg("size"), "0-based tier of each size (floor inclusive, cap exclusive; beyond the last cap: last tier).")
        .def("maintenance_rate",
             [](const schedule& s, const in_array& size) {
                 return per_size("TierSchedule.maintenance_rate", size, [&](double x) { return s.maintenance_rate(x); });
             },
             py::arg("size"), "MMR of each size's tier.")
        .def("maintenance_amount",
             [](const schedule& s, const in_array& size) {
                 return per_size("TierSchedule.maintenance_amount", size, [&](double x) { return s.maintenance_amount(x); });
             },
             py::arg("size"), "Maintenance amount (cum) of each size's tier.")
        .def("max_leverage",
             [](const schedule& s, const in_array& size) {
                 return per_size("TierSchedule.max_leverage", size, [&](double x) { return s.max_leverage(x); });
             },
             py::arg("size"), "Max leverage of each size's tier.")
        .def("maintenance_margin",
             [](const schedule& s, const in_array& notional, const std::optional<in_array>& quantity) {
                 constexpr const char* where = "TierSchedule.maintenance_margin";
                 const auto n = view(where, "notional", notional);
                 std::span<const double> q = n;
                 if (quantity) {
                     q = view(where, "quantity", *quantity);
                     check_same_size(where, "quantity", q.size(), n.size(), "notional");
                 } else if (s.basis() == mc::tier_basis::quantity) {
                     mc::throw_invalid_argument(where, "quantity", "missing", "given for a quantity-basis schedule");
                 }
                 // The element's name is built only for a bad element (no string per element);
                 // the look-up itself is then the checked schedule's unchecked fast path.
                 for (std::size_t i = 0; i < n.size(); ++i) {
                     if (!(n[i] >= 0) || !std::isfinite(n[i]))
                         mc::check_non_negative(where, mc::detail::message("notional[", i, "]"), n[i]);
                     if (!(q[i] >= 0) || !std::isfinite(q[i]))
                         mc::check_non_negative(where, mc::detail::message("quantity[", i, "]"), q[i]);
                 }
                 out_array out = fresh<double>(n.size());
                 const auto o = view(out);
                 for (std::size_t i = 0; i < n.size(); ++i) o[i] = s.maintenance_margin_unchecked(n[i], q[i]);
                 return out;
             },
             py::arg("notional"), py::arg("quantity") = py::none(),
             "MM = notional x MMR_i - cum_i per element, the tier chosen by notional (or quantity, per basis).")
        .def("initial_margin", &schedule::initial_margin, py::arg("notional"), py::arg("quantity"), py::arg("leverage"),
             "IM = notional / leverage; leverage must be in [1, the size's tier max_leverage].")
        .def("max_size", &schedule::max_size, py::arg("leverage"), "Largest size a leverage allows (the cap of the last tier allowing it).")
        .def_property_readonly("size_limit", &schedule::size_limit, "The last cap (inf for an open-ended top bracket).");

    m.def("parse_binance_brackets",
          [](const std::string& text, const std::string& source) {
              return named_schedules(mc::parse_binance_brackets<double>(text, source));
          },
          py::arg("text"), py::arg("source") = "<memory>",
          "Schedules from a Binance leverage-bracket answer (USD-M or COIN-M JSON): {symbol: TierSchedule}.");
    m.def("load_binance_brackets",
          [](const std::string& path) { return named_schedules(mc::load_binance_brackets<double>(path)); },
          py::arg("path"), "parse_binance_brackets on the contents of a file.");
    m.def("parse_tier_schedule_json",
          [](const std::string& text, const std::string& source) {
              auto s = mc::parse_tier_schedule_json<double>(text, source);
              return py::make_tuple(s.symbol, std::move(s.schedule));
          },
          py::arg("text"), py::arg("source") = "<memory>",
          "A schedule in margincall's generic JSON form: (symbol, TierSchedule).");
    m.def("load_tier_schedule_json",
          [](const std::string& path) {
              auto s = mc::load_tier_schedule_json<double>(path);
              return py::make_tuple(s.symbol, std::move(s.schedule));
          },
          py::arg("path"), "parse_tier_schedule_json on the contents of a file.");

    // --- The book --------------------------------------------------------------------------
    py::class_<py_book>(m, "Book",
                        "The host's book of accounts on linear contracts and tier schedules (margin/book.hpp): accounts, "
                        "pools (a cross pool per account with cross legs, one per isolated leg), positions.")
        .def(py::init(&book_from_columns), py::arg("symbols"), py::arg("schedules"), py::arg("wallet_balance"),
             py::arg("account"), py::arg("symbol"), py::arg("quantity"), py::arg("entry_price"), py::arg("leverage"),
             py::kw_only(), py::arg("isolated") = py::none(), py::arg("isolated_margin") = py::none(),
             py::arg("multipliers") = py::none(), py::arg("warning_ratio") = 0.5, py::arg("call_ratio") = 0.8,
             "A one-way book from NumPy columns: wallet_balance per account; per position its account and symbol "
             "index, signed quantity, entry price, leverage, optional isolated flag and isolated margin. schedules "
             "maps each symbol name to its TierSchedule; multipliers (default 1) to its linear contract's multiplier.")
        .def_static("from_csv", &book_from_csv, py::arg("path"), py::arg("schedules"), py::kw_only(),
                    py::arg("multipliers") = py::none(), py::arg("warning_ratio") = 0.5, py::arg("call_ratio") = 0.8,
                    "A book from an account-book CSV (io/account_book_csv.hpp columns: account, wallet_balance, symbol, "
                    "side, quantity, entry_price, leverage, margin_mode, isolated_margin).")
        .def_property_readonly("accounts", [](const py_book& b) { return b.book.accounts(); })
        .def_property_readonly("pools", [](const py_book& b) { return b.book.pools(); })
        .def_property_readonly("positions", [](const py_book& b) { return b.book.positions(); })
        .def_property_readonly("symbols", [](const py_book& b) { return b.symbols; })
        .def_property_readonly("account_ids", [](const py_book& b) { return b.account_ids; })
        .def("pool_account",
             [](const py_book& b) {
                 py::array_t<std::int64_t> out = fresh<std::int64_t>(b.book.pools());
                 for (std::size_t k = 0; k < b.book.pools(); ++k)
                     out.mutable_data()[k] = static_cast<std::int64_t>(b.book.pool_account(k));
                 return out;
             },
             "The account of every pool.")
        .def("remark", &remark_book, py::arg("marks"),
             "Re-marks every pool at marks (one per symbol): NumPy arrays equity, initial_margin, maintenance_margin, "
             "call_amount, status (0 healthy, 1 warning, 2 margin_call, 3 reduce_only, 4 liquidation) and totals.")
        .def("report", &account_report, py::arg("account"), py::arg("marks"),
             "The calculator's report of one account at marks: status, equity, IM, MM, margin ratio, call amount, "
             "the cross pool and per position its figures, pool and liquidation / bankruptcy prices.")
        .def("cascade_monte_carlo", &cascade_mc, py::arg("symbol"), py::arg("start_price"), py::arg("shock_sd"),
             py::kw_only(), py::arg("max_drop") = 0.5, py::arg("runs") = 1000, py::arg("alpha") = 0.99,
             py::arg("impact_lambda") = 0.0, py::arg("insurance_fund") = 0.0, py::arg("fee_rate") = 0.0,
             py::arg("seed") = 1,
             "Monte Carlo of instant shocks N(0, shock_sd) (floored at -max_drop) through the liquidation cascade "
             "of the symbol's isolated book (linear impact, bad debt left uncovered): per-run bad_debt, "
             "liquidated_notional, drawdown arrays and their VaR/ES at alpha.");

    // --- Liquidation prices in batch -------------------------------------------------------
    m.def("liquidation_prices",
          [](const schedule& s, const in_array& quantity, const in_array& entry_price, const in_array& wallet_balance,
             const in_array& mark, double multiplier) {
              constexpr const char* where = "batch_liquidation_prices";
              const auto q = view(where, "quantity", quantity);
              std::vector<mc::liquidation_point<double>> points(q.size());
              mc::batch_liquidation_prices(linear(multiplier), s, q, view(where, "entry_price", entry_price),
                                           view(where, "wallet_balance", wallet_balance), view(where, "mark", mark),
                                           std::span<mc::liquidation_point<double>>(points));
              out_array price = fresh<double>(q.size());
              py::array_t<std::uint8_t> status = fresh<std::uint8_t>(q.size());
              py::array_t<std::int64_t> tier = fresh<std::int64_t>(q.size());
              for (std::size_t i = 0; i < q.size(); ++i) {
                  view(price)[i] = points[i].price;
                  status.mutable_data()[i] = static_cast<std::uint8_t>(points[i].status);
                  tier.mutable_data()[i] = static_cast<std::int64_t>(points[i].tier);
              }
              return py::make_tuple(price, status, tier);
          },
          py::arg("schedule"), py::arg("quantity"), py::arg("entry_price"), py::arg("wallet_balance"), py::arg("mark"),
          py::arg("multiplier") = 1.0,
          "Closed-form liquidation prices of isolated one-way linear positions: (price, status, tier) arrays; "
          "status 0 found, 1 already_liquidated, 2 fully_collateralised, 3 unreachable, 4 out_of_range, 5 invalid_input.");

    // --- VaR / ES --------------------------------------------------------------------------
    m.def("historical_var",
          [](const in_array& losses, double alpha, int quantile_type) {
              return risk_tuple(mc::historical_simulation<double>(quantile_of("historical_var", quantile_type))
                                    .estimate(view("historical_simulation", "losses", losses), alpha));
          },
          py::arg("losses"), py::arg("alpha"), py::arg("quantile_type") = 1,
          "Historical-simulation (VaR, ES) of a loss sample at alpha; VaR the Hyndman-Fan quantile of that type "
          "(R's quantile(type=)), ES the Acerbi-Tasche tail mean.");
    m.def("normal_var", [](const in_array& losses, double alpha) {
              return risk_tuple(mc::normal_var<double>{}.estimate(view("normal_var", "losses", losses), alpha));
          },
          py::arg("losses"), py::arg("alpha"), "Parametric normal (VaR, ES) from the sample mean and standard deviation.");
    m.def("normal_tail_risk", [](double mean, double sd, double alpha) { return risk_tuple(mc::normal_tail_risk(mean, sd, alpha)); },
          py::arg("mean"), py::arg("sd"), py::arg("alpha"),
          "Normal (VaR, ES) = (mu + sigma z_alpha, mu + sigma phi(z_alpha)/(1 - alpha)).");
    m.def("filtered_var",
          [](const in_array& losses, const in_array& sigmas, double sigma_now, double alpha) {
              const auto s = view("volatility_filtered", "sigmas", sigmas);
              return risk_tuple(mc::volatility_filtered<double>(s, sigma_now)
                                    .estimate(view("volatility_filtered", "losses", losses), alpha));
          },
          py::arg("losses"), py::arg("sigmas"), py::arg("sigma_now"), py::arg("alpha"),
          "Hull-White volatility-filtered historical (VaR, ES): losses rescaled by sigma_now / sigma_t.");
    m.def("monte_carlo_var",
          [](const in_array& positions, const in_array& mean, const py::array_t<double, py::array::c_style | py::array::forcecast>& covariance,
             double alpha, std::size_t scenarios, std::uint64_t seed, double nu, bool antithetic) {
              constexpr const char* where = "monte_carlo_var";
              const auto mu = view(where, "mean", mean);
              const auto k = static_cast<py::ssize_t>(mu.size());
              if (covariance.ndim() != 2 || covariance.shape(0) != k || covariance.shape(1) != k)
                  mc::throw_invalid_argument(where, "the shape of covariance", mc::detail::message(covariance.ndim(), "-d"),
                                             "(n, n) with n the size of mean");
              using model = mc::monte_carlo_var<double>;
              const model::vector m0 = Eigen::Map<const model::vector>(mu.data(), k);
              const model::matrix c = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                  covariance.data(), k, k);
              const model mcv(m0, c, nu);
              mc::monte_carlo_options o;
              o.scenarios = scenarios;
              o.antithetic = antithetic;
              std::mt19937_64 gen(seed);
              return risk_tuple(mcv.linear(view(where, "positions", positions), alpha, gen, o));
          },
          py::arg("positions"), py::arg("mean"), py::arg("covariance"), py::arg("alpha"), py::kw_only(),
          py::arg("scenarios") = 100000, py::arg("seed") = 1, py::arg("nu") = std::numeric_limits<double>::infinity(),
          py::arg("antithetic") = false,
          "Monte Carlo (VaR, ES) of a linear book, loss = -positions . X, X multivariate normal (nu = inf) or Student-t.");

    // --- GARCH(1,1) ------------------------------------------------------------------------
    using garch = mc::garch11<double>;
    py::class_<garch>(m, "Garch11", "GARCH(1,1) of zero-mean returns: s2_t+1 = omega + alpha r_t^2 + beta s2_t.")
        .def(py::init([](double omega, double alpha, double beta, std::optional<double> shape) {
                 return shape ? garch(omega, alpha, beta, *shape) : garch(omega, alpha, beta);
             }),
             py::arg("omega"), py::arg("alpha"), py::arg("beta"), py::arg("shape") = py::none(),
             "Normal innovations, or standardised Student-t with shape = nu > 2.")
        .def_property_readonly("omega", &garch::omega)
        .def_property_readonly("alpha", &garch::alpha)
        .def_property_readonly("beta", &garch::beta)
        .def_property_readonly("shape", &garch::shape)
        .def_property_readonly("persistence", &garch::persistence)
        .def_property_readonly("unconditional_variance", &garch::unconditional_variance)
        .def("filter",
             [](const garch& g, const in_array& returns) {
                 const auto r = view("garch11::filter", "returns", returns);
                 out_array v = fresh<double>(r.size());
                 const double next = g.filter(r, view(v));
                 return py::make_tuple(v, next);
             },
             py::arg("returns"), "(variances s2_t of every day, next-day variance s2_T+1).")
        .def("log_likelihood", [](const garch& g, const in_array& r) { return g.log_likelihood(view("garch11::log_likelihood", "returns", r)); },
             py::arg("returns"))
        .def("forecast_variance", &garch::forecast_variance, py::arg("next_variance"), py::arg("horizon"),
             "E[s2_T+h] = s2_bar + (alpha + beta)^(h-1) (s2_T+1 - s2_bar).")
        .def("aggregate_variance", &garch::aggregate_variance, py::arg("next_variance"), py::arg("horizon"),
             "Variance of the h-period sum of returns.");
    m.def("fit_garch11",
          [](const in_array& returns, const std::string& innovation) {
              const auto f = mc::fit_garch11<double>(view("fit_garch11", "returns", returns), innovation_of(innovation));
              py::dict d;
              d["model"] = f.model;
              d["log_likelihood"] = f.log_likelihood;
              d["observations"] = f.observations;
              d["evaluations"] = f.evaluations;
              d["converged"] = f.converged;
              if (f.standard_errors) {
                  const auto& s = *f.standard_errors;
                  d["standard_errors"] = py::make_tuple(s.omega, s.alpha, s.beta, s.shape);
              } else {
                  d["standard_errors"] = py::none();
              }
              return d;
          },
          py::arg("returns"), py::arg("innovation") = "normal",
          "Maximum-likelihood GARCH(1,1) fit (innovation 'normal' or 'student_t'): model, log_likelihood, "
          "standard_errors (omega, alpha, beta, shape) or None.");

    // --- Backtests -------------------------------------------------------------------------
    const auto lr_dict = [](const mc::likelihood_ratio_test<double>& t) {
        py::dict d;
        d["statistic"] = t.statistic;
        d["degrees_of_freedom"] = t.degrees_of_freedom;
        d["p_value"] = t.p_value;
        return d;
    };
    m.def("kupiec_test",
          [lr_dict](std::size_t observations, std::size_t exceptions, double confidence) {
              const auto r = mc::kupiec_test(observations, exceptions, confidence);
              py::dict d = lr_dict(r.unconditional_coverage);
              d["expected_exceptions"] = r.expected_exceptions;
              return d;
          },
          py::arg("observations"), py::arg("exceptions"), py::arg("confidence"),
          "Kupiec proportion-of-failures test: statistic LR_uc ~ chi2(1), p_value, expected_exceptions.");
    m.def("christoffersen_test",
          [lr_dict](const py::array_t<bool, py::array::c_style | py::array::forcecast>& hits, double confidence) {
              if (hits.ndim() != 1) mc::throw_invalid_argument("christoffersen_test", "the dimension of hits", hits.ndim(), "1");
              const auto r = mc::christoffersen_test(std::span<const bool>(hits.data(), static_cast<std::size_t>(hits.size())),
                                                     confidence);
              py::dict d;
              d["unconditional_coverage"] = lr_dict(r.unconditional_coverage);
              d["independence"] = lr_dict(r.independence);
              d["conditional_coverage"] = lr_dict(r.conditional_coverage);
              d["exceptions"] = r.exceptions;
              return d;
          },
          py::arg("hits"), py::arg("confidence"), "Christoffersen independence and conditional-coverage tests of a hit sequence.");
    m.def("traffic_light_zone",
          [](std::size_t exceptions, std::size_t observations, double confidence) {
              const auto z = mc::basel_traffic_light<double>(observations, confidence).zone(exceptions);
              return z == mc::traffic_light_zone::green ? "green" : (z == mc::traffic_light_zone::yellow ? "yellow" : "red");
          },
          py::arg("exceptions"), py::arg("observations") = 250, py::arg("confidence") = 0.99,
          "Basel traffic-light zone of an exception count.");

    // --- Options in batch ------------------------------------------------------------------
    m.def("black_scholes_price_delta",
          [](const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind, const in_array& spot,
             const in_array& strike, const in_array& expiry, const in_array& rate, const in_array& carry,
             const in_array& volatility, std::optional<py::array_t<double, py::array::c_style>> price_out,
             std::optional<py::array_t<double, py::array::c_style>> delta_out) {
              constexpr const char* where = "black_scholes_price_delta";
              const auto c = option_columns(where, kind, spot, strike, expiry, rate, carry, volatility);
              const std::size_t n = c.batch.size();
              // Caller-owned outputs (written in place, as the C++ call writes its spans) or fresh arrays.
              using c_array = py::array_t<double, py::array::c_style>;
              c_array price = price_out ? *price_out : c_array(static_cast<py::ssize_t>(n));
              c_array delta = delta_out ? *delta_out : c_array(static_cast<py::ssize_t>(n));
              if (price.ndim() != 1) mc::throw_invalid_argument(where, "the dimension of price_out", price.ndim(), "1");
              if (delta.ndim() != 1) mc::throw_invalid_argument(where, "the dimension of delta_out", delta.ndim(), "1");
              const auto p = view(price), d = view(delta);
              // The kernel's outputs must not overlap each other or any input (it is __restrict).
              const auto overlaps = [](std::span<const double> a, std::span<const double> b) {
                  return !a.empty() && !b.empty() && std::less<const double*>{}(a.data(), b.data() + b.size()) &&
                         std::less<const double*>{}(b.data(), a.data() + a.size());
              };
              const std::span<const double> inputs[] = {c.batch.spot, c.batch.strike, c.batch.expiry,
                                                        c.batch.rate, c.batch.carry, c.batch.volatility};
              for (const auto out : {std::span<const double>(p), std::span<const double>(d)})
                  for (const auto in : inputs)
                      if (overlaps(out, in))
                          mc::throw_invalid_argument(where, "an output array", "overlapping an input", "a separate array");
              if (overlaps(p, d)) mc::throw_invalid_argument(where, "delta_out", "overlapping price_out", "a separate array");
              mc::black_scholes_price_delta(c.batch, p, d);
              return py::make_tuple(price, delta);
          },
          py::arg("kind"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"), py::arg("carry"),
          py::arg("volatility"), py::kw_only(), py::arg("price_out").noconvert() = py::none(),
          py::arg("delta_out").noconvert() = py::none(),
          "Vectorised generalised Black-Scholes-Merton (carry b) price and delta; kind +1 call, -1 put. Returns "
          "(price, delta): fresh arrays, or price_out / delta_out (float64, C-contiguous, writable) filled in place.");
    m.def("black_scholes_greeks",
          [](const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind, const in_array& spot,
             const in_array& strike, const in_array& expiry, const in_array& rate, const in_array& carry,
             const in_array& volatility) {
              const auto c = option_columns("black_scholes_greeks", kind, spot, strike, expiry, rate, carry, volatility);
              return greeks_dict(c.batch.size(), [&](std::size_t i) {
                  return mc::black_scholes_greeks(c.type[i], inputs_at(c.batch, i));
              });
          },
          py::arg("kind"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"), py::arg("carry"),
          py::arg("volatility"), "Price and greeks (delta, gamma, vega, theta, rho at fixed dividend yield as Hull and QuantLib, carry_rho, rho_fixed_carry) per option (T > 0, sigma > 0).");
    m.def("black76_greeks",
          [](const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind, const in_array& forward,
             const in_array& strike, const in_array& expiry, const in_array& rate, const in_array& volatility) {
              const auto c = option_columns("black76_greeks", kind, forward, strike, expiry, rate, rate, volatility);
              return greeks_dict(c.batch.size(), [&](std::size_t i) {
                  return mc::black76_greeks(c.type[i], mc::black76_inputs<double>{c.batch.spot[i], c.batch.strike[i],
                                                                                   c.batch.expiry[i], c.batch.rate[i],
                                                                                   c.batch.volatility[i]});
              });
          },
          py::arg("kind"), py::arg("forward"), py::arg("strike"), py::arg("expiry"), py::arg("rate"), py::arg("volatility"),
          "Black-76 price and greeks per option on a forward (delta is dV/dF).");
    m.def("implied_volatility",
          [](const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind, const in_array& spot,
             const in_array& strike, const in_array& expiry, const in_array& rate, const in_array& carry,
             const in_array& price) {
              const auto c = option_columns("implied_volatility", kind, spot, strike, expiry, rate, carry, price);
              out_array vol = fresh<double>(c.batch.size());
              const auto v = view(vol);
              for (std::size_t i = 0; i < c.batch.size(); ++i) {
                  mc::option_inputs<double> in = inputs_at(c.batch, i);
                  in.volatility = 0.0;
                  v[i] = mc::implied_volatility(c.type[i], in, c.batch.volatility[i]);
              }
              return vol;
          },
          py::arg("kind"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"), py::arg("carry"),
          py::arg("price"), "Black-Scholes-Merton implied volatility of each price; ValueError naming a price with none.");
    m.def("option_kind", [](const std::string& s) { return static_cast<int>(option_of("option_kind", s)); }, py::arg("name"),
          "+1 for 'call', -1 for 'put'.");

    // --- SPAN --------------------------------------------------------------------------------
    m.def("span_requirement",
          [](double spot, const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind,
             const in_array& strike, const in_array& expiry, const in_array& quantity, const in_array& volatility,
             double price_scan_range, double volatility_scan_range, const std::optional<in_array>& multiplier,
             const std::optional<in_array>& linear_quantity, const std::optional<in_array>& linear_multiplier,
             double short_option_minimum, double intra_spread_rate, double look_ahead_time, double rate, double carry,
             const std::optional<in_array>& month_deltas) {
              const auto book = stress_book_of("span_requirement", spot, kind, strike, expiry, quantity, volatility, multiplier,
                                               linear_quantity ? *linear_quantity : in_array(0), linear_multiplier,
                                               rate, carry);
              mc::span_parameters<double> p{price_scan_range, volatility_scan_range, short_option_minimum,
                                            intra_spread_rate, look_ahead_time};
              constexpr auto scenarios = mc::cme_span_scenarios<double>();
              const std::span<const mc::span_scenario<double>> table(scenarios);
              out_array losses = fresh<double>(scenarios.size());
              mc::span_risk_array(book, p, table, view(losses));
              const auto r = mc::span_requirement(book, p, table,
                                                  month_deltas ? view("span_requirement", "month_deltas", *month_deltas)
                                                               : std::span<const double>());
              return named({{"risk_array", losses}, {"scanning_risk", py::float_(r.scanning_risk)},
                            {"time_risk", py::float_(r.time_risk)}, {"price_risk", py::float_(r.price_risk)},
                            {"intra_spread_charge", py::float_(r.intra_spread_charge)},
                            {"short_option_minimum", py::float_(r.short_option_minimum)},
                            {"composite_delta", py::float_(r.composite_delta)},
                            {"requirement", py::float_(r.requirement)}});
          },
          py::arg("spot"), py::arg("kind"), py::arg("strike"), py::arg("expiry"), py::arg("quantity"),
          py::arg("volatility"), py::arg("price_scan_range"), py::arg("volatility_scan_range"), py::kw_only(),
          py::arg("multiplier") = py::none(), py::arg("linear_quantity") = py::none(),
          py::arg("linear_multiplier") = py::none(), py::arg("short_option_minimum") = 0.0,
          py::arg("intra_spread_rate") = 0.0, py::arg("look_ahead_time") = 0.0, py::arg("rate") = 0.0,
          py::arg("carry") = 0.0, py::arg("month_deltas") = py::none(),
          "SPAN requirement of one combined commodity on the CME 16-scenario table: option legs as columns "
          "(kind +1/-1, strike, expiry, signed quantity, implied volatility, optional multiplier), optional linear "
          "legs; returns the risk array (losses positive), scanning, time and price risk, charges, requirement.");

    m.def("portfolio_margin",
          [](double spot, const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind,
             const in_array& strike, const in_array& expiry, const in_array& quantity, const in_array& volatility,
             const std::optional<in_array>& multiplier, const std::optional<in_array>& linear_quantity,
             const std::optional<in_array>& linear_multiplier, double price_range, std::size_t buckets_per_side,
             double volatility_range_up, double volatility_range_down, double mm_factor, double rate, double carry) {
              const auto book = stress_book_of("portfolio_margin", spot, kind, strike, expiry, quantity, volatility,
                                               multiplier, linear_quantity ? *linear_quantity : in_array(0),
                                               linear_multiplier, rate, carry);
              mc::portfolio_margin_parameters<double> p;
              p.price_range = price_range;
              p.buckets_per_side = buckets_per_side;
              p.volatility_range_up = volatility_range_up;
              p.volatility_range_down = volatility_range_down;
              p.mm_factor = mm_factor;
              const auto r = mc::portfolio_margin<double>(p).evaluate(book);
              out_array move = fresh<double>(r.grid.size()), loss = fresh<double>(r.grid.size());
              py::array_t<std::int8_t> vol = fresh<std::int8_t>(r.grid.size());
              for (std::size_t i = 0; i < r.grid.size(); ++i) {
                  view(move)[i] = r.grid[i].spot_move;
                  view(loss)[i] = r.grid[i].loss;
                  vol.mutable_data()[i] = static_cast<std::int8_t>(r.grid[i].vol);
              }
              return named({{"spot_move", move}, {"vol", vol}, {"loss", loss}, {"worst", py::int_(r.worst)},
                            {"maintenance_margin", py::float_(r.maintenance_margin)},
                            {"initial_margin", py::float_(r.initial_margin)}});
          },
          py::arg("spot"), py::arg("kind"), py::arg("strike"), py::arg("expiry"), py::arg("quantity"),
          py::arg("volatility"), py::kw_only(), py::arg("multiplier") = py::none(), py::arg("linear_quantity") = py::none(),
          py::arg("linear_multiplier") = py::none(), py::arg("price_range") = 0.16, py::arg("buckets_per_side") = 4,
          py::arg("volatility_range_up") = 0.5, py::arg("volatility_range_down") = 0.25, py::arg("mm_factor") = 0.8,
          py::arg("rate") = 0.0, py::arg("carry") = 0.0,
          "Deribit-style portfolio margin of one currency's book (full revaluation on a grid of moves k/b x range, "
          "each with vol up (+1), unchanged (0), down (-1)): grid columns spot_move, vol, loss; worst index; MM, IM.");

    // --- Overhead measurement (benchmarks, docs/python.md) ---------------------------------
    m.def("_time_black_scholes_price_delta",
          [](const py::array_t<std::int8_t, py::array::c_style | py::array::forcecast>& kind, const in_array& spot,
             const in_array& strike, const in_array& expiry, const in_array& rate, const in_array& carry,
             const in_array& volatility, int repeats) {
              const auto c = option_columns("black_scholes_price_delta", kind, spot, strike, expiry, rate, carry, volatility);
              std::vector<double> price(c.batch.size()), delta(c.batch.size());
              double best = std::numeric_limits<double>::infinity();
              for (int r = 0; r < repeats; ++r) {
                  const auto t0 = std::chrono::steady_clock::now();
                  mc::black_scholes_price_delta(c.batch, price, delta);
                  const auto t1 = std::chrono::steady_clock::now();
                  best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
              }
              return best;
          },
          py::arg("kind"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"), py::arg("carry"),
          py::arg("volatility"), py::arg("repeats"),
          "Best wall time (s) of the C++ call black_scholes_price_delta over repeats, timed inside C++ on "
          "preallocated outputs: the reference for the binding's overhead.");
}
