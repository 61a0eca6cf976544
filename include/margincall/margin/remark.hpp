#pragma once
/// \file
/// The batch re-mark an exchange runs on every price tick: every pool of a position_book at
/// new marks, spans in, spans out, no allocation and no exception per position. Each
/// position's figures come from the one per-row kernel (margin/position_margin.hpp); books of
/// bracket tables (and linear, inverse, quanto or any_contract contracts) take the vectorised
/// passes (margin/remark_blocked.hpp), pinned to the same per-pool figures by tests.

#include <margincall/contracts/contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/margin/remark_blocked.hpp>
#include <margincall/margin/remark_result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace margincall {

/// A margin-rate model usable in the batch re-mark: its three members are noexcept, so a
/// pass over millions of positions cannot throw midway (bracket_table, or a host's own).
template <class M, class Real>
concept batch_margin_model = margin_rate_model<M, Real> && nothrow_margin_model<M, Real>;

/// Re-marks every pool of `book` at `marks` (marks[s], contracts[s], models[s] for symbol s):
/// per pool equity = collateral + Σ uPnL, IM, MM, and the status and call amount of
/// summarise_margin, the very rule set accounts use. Validates the inputs once (sizes, marks
/// finite and > 0, thresholds); the pass itself does not throw, and allocates nothing per
/// position (the isolated-book pass packs the per-symbol tables once per call: one allocation
/// of symbols × (4·MaxTiers + 3) values).
/// Precondition (holds for bracket_table): a model charges 0 margin at size 0.
/// \tparam Contract a margincall::contract (one per symbol)
/// \tparam Model a batch_margin_model (one per symbol)
template <class Contract, class Model, real_scalar Real>
    requires contract<Contract, Real> && batch_margin_model<Model, Real>
remark_totals<Real> remark(const position_book<Real>& book, std::span<const Contract> contracts,
                           std::span<const Model> models, std::span<const Real> marks,
                           const status_thresholds<Real>& thresholds, const remark_output<Real>& out = {}) {
    constexpr const char* where = "remark";
    const std::size_t needed = book.symbols();
    if (marks.size() < needed)
        throw_invalid_argument(where, "the size of marks", marks.size(),
                               detail::message(">= ", needed, " (one mark per symbol)").c_str());
    if (contracts.size() != marks.size())
        throw_invalid_argument(where, "the size of contracts", contracts.size(),
                               detail::message(marks.size(), ", the size of marks").c_str());
    if (models.size() != marks.size())
        throw_invalid_argument(where, "the size of models", models.size(),
                               detail::message(marks.size(), ", the size of marks").c_str());
    for (std::size_t s = 0; s < marks.size(); ++s) check_positive(where, detail::message("marks[", s, "]"), marks[s]);
    check_status_thresholds(where, thresholds);
    const std::size_t pools = book.pools();
    const auto check_out = [&](const char* name, std::size_t size) {
        if (size != 0 && size != pools)
            throw_invalid_argument(where, detail::message("the size of ", name), size,
                                   detail::message("0 or ", pools, " (one per pool)").c_str());
    };
    check_out("equity", out.equity.size());
    check_out("initial_margin", out.initial_margin.size());
    check_out("maintenance_margin", out.maintenance_margin.size());
    check_out("call_amount", out.call_amount.size());
    check_out("status", out.status.size());

    if constexpr (detail::is_blocked_contract<Contract, Real> && detail::is_bracket_table_of<Model, Real>::value) {
        return detail::remark_blocked(book, contracts, models, marks, thresholds, out);
    }

    const Real* collateral = book.collateral().data();
    const std::uint32_t* begin = book.pool_begin().data();
    const std::uint32_t* symbol = book.symbol().data();
    const Real* quantity = book.quantity().data();
    const Real* entry = book.entry_price().data();
    const Real* leverage = book.leverage().data();

    remark_totals<Real> totals;
    // Status counts as four branch-free sums (an indexed ++ would chain through memory).
    std::size_t healthy = 0, warning = 0, called = 0, liquidated = 0;
    // Sums in locals, not in `totals` (the return slot may alias the output spans, which would
    // force a store and reload per pool).
    Real sum_call{0}, sum_called{0}, sum_equity{0}, sum_mm{0}, sum_im{0};
    // One position's contribution to its pool.
    const auto add_position = [&](std::size_t j, Real& equity, Real& im, Real& mm) {
        const std::uint32_t s = symbol[j];
        const position_figures<Real> f = position_margin(contracts[s], models[s], quantity[j], entry[j], leverage[j], marks[s]);
        equity += f.unrealised_pnl;
        im += f.initial_margin;
        mm += f.maintenance_margin;
    };
    // A finished pool: the status rule set of summarise_margin, counts, totals, outputs.
    const auto finish_pool = [&](std::size_t k, const Real& equity, const Real& im, const Real& mm) {
        const margin_status status = classify_margin(equity, im, mm, thresholds);
        const Real call = call_amount(im, equity);
        healthy += static_cast<std::size_t>(status == margin_status::healthy);
        warning += static_cast<std::size_t>(status == margin_status::warning);
        called += static_cast<std::size_t>(status == margin_status::margin_call);
        liquidated += static_cast<std::size_t>(status == margin_status::liquidation);
        sum_call += call;
        sum_called += static_cast<unsigned>(status) >= 2u ? call : Real(0);  // margin_call, liquidation
        sum_equity += equity;
        sum_mm += mm;
        sum_im += im;
        if (!out.equity.empty()) out.equity[k] = equity;
        if (!out.initial_margin.empty()) out.initial_margin[k] = im;
        if (!out.maintenance_margin.empty()) out.maintenance_margin[k] = mm;
        if (!out.call_amount.empty()) out.call_amount[k] = call;
        if (!out.status.empty()) out.status[k] = status;
    };
    if (book.single_position_pools()) {  // pool k is position k
        for (std::size_t k = 0; k < pools; ++k) {
            Real equity = collateral[k], im{0}, mm{0};
            add_position(k, equity, im, mm);
            finish_pool(k, equity, im, mm);
        }
    } else {
        for (std::size_t k = 0; k < pools; ++k) {
            Real equity = collateral[k], im{0}, mm{0};
            for (std::uint32_t j = begin[k]; j < begin[k + 1]; ++j) add_position(j, equity, im, mm);
            finish_pool(k, equity, im, mm);
        }
    }
    totals.count = {healthy, warning, called, 0, liquidated};  // no reduce_only without a liquidation level
    totals.call_amount = sum_call;
    totals.called_amount = sum_called;
    totals.equity = sum_equity;
    totals.maintenance_margin = sum_mm;
    totals.initial_margin = sum_im;
    return totals;
}


}  // namespace margincall
