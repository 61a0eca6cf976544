#pragma once
/// \file
/// Volatility stress testing of accounts holding books of options and linear contracts: each
/// scenario (a market_shock: spot, volatility level / term / skew, liquidity) is applied to every
/// account; the report row gives the P&L, the exit cost, margin before and after (the margin
/// model recomputed on the shocked book), the layer breached, the call amount and whether the
/// account would be liquidated.
///   equity_before = cash + value(book today)
///   pnl           = value(book shocked) − value(book today)
///   exit_cost     = cost of closing every leg in the shocked market (stress_book::exit_cost)
///   equity_after  = equity_before + pnl − exit_cost   (liquidation value: conservative)
// Source: the layer rule of layered_margin.hpp; revaluation of stress_book.hpp.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/stress/layered_margin.hpp>
#include <margincall/stress/stress_book.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace margincall {

/// An account under stress: its book and its cash collateral (same currency as the book's values).
template <real_scalar Real = double>
struct stress_account {
    std::string name;
    stress_book<Real> book;
    Real cash{};
};

/// A named scenario of a stress run.
template <real_scalar Real = double>
struct stress_scenario {
    std::string name;
    market_shock<Real> shock{};
};

/// One row of the report: one scenario applied to one account.
template <real_scalar Real = double>
struct stress_row {
    std::size_t scenario{};
    std::size_t account{};
    Real pnl{};
    Real exit_cost{};
    Real equity_before{};
    Real equity_after{};
    layered_figures<Real> before{};  ///< layers of today's book at today's equity
    layered_figures<Real> after{};   ///< layers of the shocked book at the shocked equity
    [[nodiscard]] bool liquidated() const noexcept { return after.status == margin_status::liquidation; }
};

/// Runs every scenario on every account: rows in scenario-major order
/// (row s × accounts.size() + a). Throws for a malformed shock (naming the scenario) or a
/// non-finite cash balance (naming the account). Rows are independent: on an executor they run
/// in chunks of 16 rows (fixed by the row count), each row the same computation as sequentially,
/// so the report is bit-identical for any executor and worker count (issue #16).
template <real_scalar Real, class Model, executor Executor = sequential_executor>
[[nodiscard]] std::vector<stress_row<Real>> run_stress_test(std::span<const stress_account<Real>> accounts,
                                                            std::span<const stress_scenario<Real>> scenarios,
                                                            const layered_margin<Real, Model>& margin,
                                                            const Executor& exec = Executor{}) {
    constexpr const char* where = "run_stress_test";
    check_not_empty(where, "accounts", accounts);
    check_not_empty(where, "scenarios", scenarios);
    for (std::size_t a = 0; a < accounts.size(); ++a) check_finite(where, detail::message("accounts[", a, "].cash"), accounts[a].cash);
    for (std::size_t s = 0; s < scenarios.size(); ++s)
        check_market_shock(detail::message(where, ": scenario '", scenarios[s].name, "'").c_str(), scenarios[s].shock);
    std::vector<layered_figures<Real>> before(accounts.size());
    std::vector<Real> equity(accounts.size()), today(accounts.size());
    for (std::size_t a = 0; a < accounts.size(); ++a) {
        today[a] = accounts[a].book.value();
        equity[a] = accounts[a].cash + today[a];
        before[a] = margin.evaluate(accounts[a].book, equity[a]);
    }
    std::vector<stress_row<Real>> rows(accounts.size() * scenarios.size());
    for_each_chunk(exec, fixed_chunks(rows.size(), 16), [&](std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const std::size_t s = i / accounts.size(), a = i % accounts.size();
            const auto& acc = accounts[a];
            const auto& shock = scenarios[s].shock;
            stress_row<Real>& r = rows[i];
            r.scenario = s;
            r.account = a;
            r.pnl = acc.book.value(shock) - today[a];
            r.exit_cost = acc.book.exit_cost(shock);
            r.equity_before = equity[a];
            r.equity_after = equity[a] + r.pnl - r.exit_cost;
            r.before = before[a];
            r.after = margin.evaluate(acc.book.shocked(shock), r.equity_after);
        }
    });
    return rows;
}

}  // namespace margincall
