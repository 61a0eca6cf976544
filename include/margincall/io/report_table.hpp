#pragma once
/// \file
/// Results as data: every report of the library flattened into one `report_table` (named
/// columns, typed cells), written once per result type here and saved as CSV
/// (io/report_csv.hpp) or JSON (io/report_json.hpp). The column names are the contract,
/// listed in docs/io.md "Reports as data".
///
/// Needs nothing beyond the standard library and the library's own headers. Numbers are
/// stored as double (the file formats' number), counts as unsigned integers, states as text.

#include <margincall/calculator.hpp>
#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/money.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/remark_result.hpp>
#include <margincall/risk/backtest_acerbi_szekely.hpp>
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace margincall {

/// One cell: a real number, a count, or text (a status, a name).
using report_value = std::variant<double, std::uint64_t, std::string>;

/// Named columns and rows of cells, each row as long as `columns`.
struct report_table {
    std::vector<std::string> columns;
    std::vector<std::vector<report_value>> rows;

    /// Appends a row. \throws invalid_argument if its length is not the number of columns.
    void add(std::vector<report_value> row) {
        if (row.size() != columns.size())
            throw_invalid_argument("report_table::add", "the row's length", row.size(),
                                   detail::message(columns.size(), ", the number of columns").c_str());
        rows.push_back(std::move(row));
    }
};

namespace detail {

template <class Real>
report_value cell(const Real& x) {
    return static_cast<double>(x);
}
inline report_value count_cell(std::size_t n) { return static_cast<std::uint64_t>(n); }
inline report_value text_cell(const char* s) { return std::string(s); }

inline report_table make_table(std::initializer_list<const char*> names) {
    report_table t;
    for (const char* n : names) t.columns.emplace_back(n);
    return t;
}

}  // namespace detail

/// The account line of a calculator report (calculator.hpp, margin_report): one row.
/// Columns: status, equity, initial_margin, maintenance_margin, margin_ratio, call_amount,
/// cross_equity, cross_status, positions, value_at_risk, expected_shortfall (the last two 0
/// when the report has no risk figures; `has_risk` says which).
template <real_scalar Real>
[[nodiscard]] report_table account_report_table(const margin_report<Real>& r) {
    report_table t = detail::make_table({"status", "equity", "initial_margin", "maintenance_margin", "margin_ratio",
                                         "call_amount", "cross_equity", "cross_status", "positions", "has_risk",
                                         "value_at_risk", "expected_shortfall"});
    t.add({detail::text_cell(to_string(r.status)), detail::cell(r.equity), detail::cell(r.initial_margin),
           detail::cell(r.maintenance_margin), detail::cell(r.margin_ratio), detail::cell(r.call_amount),
           detail::cell(r.cross.equity), detail::text_cell(to_string(r.cross.status)),
           detail::count_cell(r.positions.size()), detail::count_cell(r.risk ? 1 : 0),
           detail::cell(r.risk ? r.risk->value_at_risk : Real(0)),
           detail::cell(r.risk ? r.risk->expected_shortfall : Real(0))});
    return t;
}

/// The positions of a calculator report: one row per position, in the account's order.
/// Columns: position (0-based), notional, unrealised_pnl, initial_margin, maintenance_margin,
/// pool_equity, pool_margin_ratio, pool_status, then for liquidation and bankruptcy, downside
/// and upside: <kind>_<side>_status and <kind>_<side>_price (price 0 when not found).
template <real_scalar Real>
[[nodiscard]] report_table positions_report_table(const margin_report<Real>& r) {
    report_table t = detail::make_table(
        {"position", "notional", "unrealised_pnl", "initial_margin", "maintenance_margin", "pool_equity",
         "pool_margin_ratio", "pool_status", "liquidation_downside_status", "liquidation_downside_price",
         "liquidation_upside_status", "liquidation_upside_price", "bankruptcy_downside_status",
         "bankruptcy_downside_price", "bankruptcy_upside_status", "bankruptcy_upside_price"});
    for (std::size_t i = 0; i < r.positions.size(); ++i) {
        const position_report<Real>& p = r.positions[i];
        const auto& l = p.prices.liquidation;
        const auto& b = p.prices.bankruptcy;
        t.add({detail::count_cell(i), detail::cell(p.figures.notional), detail::cell(p.figures.unrealised_pnl),
               detail::cell(p.figures.initial_margin), detail::cell(p.figures.maintenance_margin),
               detail::cell(p.pool.equity), detail::cell(p.pool.margin_ratio), detail::text_cell(to_string(p.pool.status)),
               detail::text_cell(to_string(l.downside.status)), detail::cell(l.downside.price),
               detail::text_cell(to_string(l.upside.status)), detail::cell(l.upside.price),
               detail::text_cell(to_string(b.downside.status)), detail::cell(b.downside.price),
               detail::text_cell(to_string(b.upside.status)), detail::cell(b.upside.price)});
    }
    return t;
}

/// A batch re-mark's per-pool outputs (margin/remark_result.hpp, remark_output): one row per
/// pool. Columns: pool, equity, initial_margin, maintenance_margin, call_amount, status.
/// \throws invalid_argument if the spans' lengths differ
template <real_scalar Real>
[[nodiscard]] report_table remark_table(const remark_output<Real>& out) {
    const std::size_t n = out.equity.size();
    for (const std::size_t m : {out.initial_margin.size(), out.maintenance_margin.size(), out.call_amount.size(),
                                out.status.size()})
        if (m != n)
            throw_invalid_argument("remark_table", "the length of an output span", m,
                                   detail::message(n, ", the length of equity").c_str());
    report_table t = detail::make_table({"pool", "equity", "initial_margin", "maintenance_margin", "call_amount", "status"});
    for (std::size_t i = 0; i < n; ++i)
        t.add({detail::count_cell(i), detail::cell(out.equity[i]), detail::cell(out.initial_margin[i]),
               detail::cell(out.maintenance_margin[i]), detail::cell(out.call_amount[i]),
               detail::text_cell(to_string(out.status[i]))});
    return t;
}

/// A re-mark's book-wide totals: one row. Columns: equity, initial_margin, maintenance_margin,
/// call_amount, called_amount, then one count per status (healthy, warning, margin_call,
/// reduce_only, liquidation).
template <real_scalar Real>
[[nodiscard]] report_table remark_totals_table(const remark_totals<Real>& s) {
    report_table t = detail::make_table({"equity", "initial_margin", "maintenance_margin", "call_amount",
                                         "called_amount", "healthy", "warning", "margin_call", "reduce_only",
                                         "liquidation"});
    t.add({detail::cell(s.equity), detail::cell(s.initial_margin), detail::cell(s.maintenance_margin),
           detail::cell(s.call_amount), detail::cell(s.called_amount), detail::count_cell(s[margin_status::healthy]),
           detail::count_cell(s[margin_status::warning]), detail::count_cell(s[margin_status::margin_call]),
           detail::count_cell(s[margin_status::reduce_only]), detail::count_cell(s[margin_status::liquidation])});
    return t;
}

/// One rung of a liquidation ladder: a position size and leverage and where it is liquidated.
template <real_scalar Real = double>
struct ladder_rung {
    Real quantity{};
    Real leverage{};
    Real notional{};
    liquidation_point<Real> liquidation{};
};

/// A liquidation ladder: one row per rung. Columns: quantity, leverage, notional, status,
/// liquidation_price (0 when not found), tier (1-based; 0 when not found).
template <real_scalar Real>
[[nodiscard]] report_table ladder_table(std::span<const ladder_rung<Real>> rungs) {
    report_table t = detail::make_table({"quantity", "leverage", "notional", "status", "liquidation_price", "tier"});
    for (const ladder_rung<Real>& r : rungs)
        t.add({detail::cell(r.quantity), detail::cell(r.leverage), detail::cell(r.notional),
               detail::text_cell(to_string(r.liquidation.status)), detail::cell(r.liquidation.price),
               detail::count_cell(r.liquidation.found() ? r.liquidation.tier + 1 : 0)});
    return t;
}

/// A cascade run's steps (cascade/cascade_outcome.hpp): one row per venue and step, steps of
/// venue 0 first. Columns: venue, step (from 1), reference_price, price, execution_price,
/// liquidated_notional, liquidated_count, insurance_fund, bad_debt, adl_notional,
/// automation_cost, unliquidated_exposure, unliquidated_bad_debt.
template <std::floating_point Real>
[[nodiscard]] report_table cascade_steps_table(const cascade_outcome<Real>& o) {
    report_table t = detail::make_table({"venue", "step", "reference_price", "price", "execution_price",
                                         "liquidated_notional", "liquidated_count", "insurance_fund", "bad_debt",
                                         "adl_notional", "automation_cost", "unliquidated_exposure",
                                         "unliquidated_bad_debt"});
    for (std::size_t v = 0; v < o.venues.size(); ++v)
        for (std::size_t s = 0; s < o.venues[v].steps.size(); ++s) {
            const cascade_step<Real>& x = o.venues[v].steps[s];
            t.add({detail::count_cell(v), detail::count_cell(s + 1), detail::cell(x.reference_price),
                   detail::cell(x.price), detail::cell(x.execution_price), detail::cell(x.liquidated_notional),
                   detail::count_cell(x.liquidated_count), detail::cell(x.insurance_fund), detail::cell(x.bad_debt),
                   detail::cell(x.adl_notional), detail::cell(x.automation_cost),
                   detail::cell(x.unliquidated_exposure), detail::cell(x.unliquidated_bad_debt)});
        }
    return t;
}

/// A cascade run's outcome: one row per venue with the run's figures repeated on each.
/// Columns: venue, liquidated_notional, liquidated_count, adl_notional, adl_count,
/// automation_cost, unliquidated_exposure, unliquidated_bad_debt, total_bad_debt, and the
/// ledger in cents (fees, fund_payouts, adl_covered, socialised, bad_debt_cents, fund_cents),
/// then the run's start_price, final_price, lowest_price, highest_price, drawdown,
/// amplification, steps_to_fixed_point, converged (1 or 0).
template <std::floating_point Real>
[[nodiscard]] report_table cascade_outcome_table(const cascade_outcome<Real>& o) {
    report_table t = detail::make_table(
        {"venue", "liquidated_notional", "liquidated_count", "adl_notional", "adl_count", "automation_cost",
         "unliquidated_exposure", "unliquidated_bad_debt", "total_bad_debt", "fees_cents", "fund_payouts_cents",
         "adl_covered_cents", "socialised_cents", "bad_debt_cents", "fund_cents", "start_price", "final_price",
         "lowest_price", "highest_price", "drawdown", "amplification", "steps_to_fixed_point", "converged"});
    for (std::size_t v = 0; v < o.venues.size(); ++v) {
        const venue_outcome<Real>& x = o.venues[v];
        // Ledger entries are whole cents: counts when ≥ 0 (all of these are), numbers otherwise.
        const auto cents = [](std::int64_t c) {
            return c >= 0 ? report_value(static_cast<std::uint64_t>(c)) : report_value(static_cast<double>(c));
        };
        t.add({detail::count_cell(v), detail::cell(x.liquidated_notional), detail::count_cell(x.liquidated_count),
               detail::cell(x.adl_notional), detail::count_cell(x.adl_count), detail::cell(x.automation_cost),
               detail::cell(x.unliquidated_exposure), detail::cell(x.unliquidated_bad_debt),
               detail::cell(x.total_bad_debt()), cents(x.ledger.fees), cents(x.ledger.fund_payouts),
               cents(x.ledger.adl_covered), cents(x.ledger.socialised), cents(x.ledger.bad_debt), cents(x.ledger.fund),
               detail::cell(o.start_price), detail::cell(o.final_price), detail::cell(o.lowest_price),
               detail::cell(o.highest_price), detail::cell(o.drawdown), detail::cell(o.amplification),
               detail::count_cell(o.steps_to_fixed_point), detail::count_cell(o.converged ? 1 : 0)});
    }
    return t;
}

/// The runs of a cascade Monte Carlo: one row per run. Columns: run (from 1), bad_debt,
/// liquidated_notional, drawdown.
template <std::floating_point Real>
[[nodiscard]] report_table cascade_runs_table(const cascade_distribution<Real>& d) {
    report_table t = detail::make_table({"run", "bad_debt", "liquidated_notional", "drawdown"});
    for (std::size_t i = 0; i < d.bad_debt.size(); ++i)
        t.add({detail::count_cell(i + 1), detail::cell(d.bad_debt[i]), detail::cell(d.liquidated_notional[i]),
               detail::cell(d.drawdown[i])});
    return t;
}

/// A loss sample (Monte Carlo VaR losses, a bad-debt distribution): one row per draw.
/// Columns: draw (from 1), loss.
template <real_scalar Real>
[[nodiscard]] report_table distribution_table(std::span<const Real> losses) {
    report_table t = detail::make_table({"draw", "loss"});
    for (std::size_t i = 0; i < losses.size(); ++i) t.add({detail::count_cell(i + 1), detail::cell(losses[i])});
    return t;
}

/// Tail risk of named distributions at one confidence: one row per (name, tail_risk).
/// Columns: distribution, alpha, samples, value_at_risk, expected_shortfall.
template <real_scalar Real>
[[nodiscard]] report_table tail_risk_table(
    std::initializer_list<std::pair<const char*, tail_risk<Real>>> risks, Real alpha, std::size_t samples) {
    report_table t = detail::make_table({"distribution", "alpha", "samples", "value_at_risk", "expected_shortfall"});
    for (const auto& [name, r] : risks)
        t.add({detail::text_cell(name), detail::cell(alpha), detail::count_cell(samples), detail::cell(r.value_at_risk),
               detail::cell(r.expected_shortfall)});
    return t;
}

/// A backtest's daily series: one row per day. Columns: day (from 1), loss, value_at_risk,
/// expected_shortfall, exception (1 when loss > VaR). \throws invalid_argument if lengths differ
template <real_scalar Real>
[[nodiscard]] report_table backtest_series_table(std::span<const Real> losses, std::span<const Real> value_at_risk,
                                                 std::span<const Real> expected_shortfall) {
    if (value_at_risk.size() != losses.size() || expected_shortfall.size() != losses.size())
        throw_invalid_argument("backtest_series_table", "the length of value_at_risk or expected_shortfall",
                               value_at_risk.size() != losses.size() ? value_at_risk.size() : expected_shortfall.size(),
                               detail::message(losses.size(), ", the number of losses").c_str());
    report_table t = detail::make_table({"day", "loss", "value_at_risk", "expected_shortfall", "exception"});
    for (std::size_t i = 0; i < losses.size(); ++i)
        t.add({detail::count_cell(i + 1), detail::cell(losses[i]), detail::cell(value_at_risk[i]),
               detail::cell(expected_shortfall[i]), detail::count_cell(losses[i] > value_at_risk[i] ? 1 : 0)});
    return t;
}

/// Backtest results in one table, one row per test. Columns: test, observations, exceptions,
/// statistic, degrees_of_freedom, p_value ("kupiec_uc", "christoffersen_ind",
/// "christoffersen_cc", "acerbi_szekely_z2"; Z2 has no degrees of freedom: 0).
template <real_scalar Real>
[[nodiscard]] report_table backtest_table(const kupiec_result<Real>& k, const christoffersen_result<Real>& c,
                                          const acerbi_szekely_result<Real>& z) {
    report_table t = detail::make_table({"test", "observations", "exceptions", "statistic", "degrees_of_freedom", "p_value"});
    const auto lr = [&](const char* name, std::size_t obs, std::size_t exc, const likelihood_ratio_test<Real>& x) {
        t.add({detail::text_cell(name), detail::count_cell(obs), detail::count_cell(exc), detail::cell(x.statistic),
               detail::count_cell(static_cast<std::size_t>(x.degrees_of_freedom)), detail::cell(x.p_value)});
    };
    lr("kupiec_uc", k.observations, k.exceptions, k.unconditional_coverage);
    lr("christoffersen_ind", c.observations, c.exceptions, c.independence);
    lr("christoffersen_cc", c.observations, c.exceptions, c.conditional_coverage);
    t.add({detail::text_cell("acerbi_szekely_z2"), detail::count_cell(k.observations), detail::count_cell(z.exceptions),
           detail::cell(z.statistic), detail::count_cell(0), detail::cell(z.p_value)});
    return t;
}

}  // namespace margincall
