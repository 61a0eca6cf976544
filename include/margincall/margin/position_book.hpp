#pragma once
/// \file
/// A structure-of-arrays book of margin pools and their positions, and the batch re-mark an
/// exchange runs on every price tick: spans in, spans out, no allocation and no exception
/// per position.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// A margin-rate model usable in the batch re-mark: its three members are noexcept, so a
/// pass over millions of positions cannot throw midway (bracket_table, or a host's own).
template <class M, class Real>
concept batch_margin_model = margin_rate_model<M, Real> && requires(const M& m, Real n, Real q, Real l) {
    requires noexcept(m.maintenance_margin(n, q));
    requires noexcept(m.initial_margin(n, q, l));
    requires noexcept(m.max_leverage(n, q));
};

/// Margin pools and their positions as columns (structure of arrays).
///
/// A pool is what a margin status belongs to: a cross account (its wallet balance and all
/// its cross positions) or one isolated position (its isolated margin and that position).
/// Pools are stored as CSR: the positions of pool k are rows pool_begin[k] .. pool_begin[k+1]
/// of the position columns (symbol, quantity, entry_price, leverage). Positions are added to
/// the pool opened last.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class position_book {
public:
    position_book() { pool_begin_.push_back(0); }

    /// Reserves room for `pools` pools and `positions` positions.
    void reserve(std::size_t pools, std::size_t positions) {
        collateral_.reserve(pools);
        pool_begin_.reserve(pools + 1);
        symbol_.reserve(positions);
        quantity_.reserve(positions);
        entry_.reserve(positions);
        leverage_.reserve(positions);
    }

    /// Opens a pool with `collateral` (wallet balance or isolated margin, finite); returns its index.
    std::size_t add_pool(Real collateral) {
        check_finite("position_book::add_pool", "collateral", collateral);
        if (!collateral_.empty() && last_pool_size() != 1) single_ = false;
        collateral_.push_back(collateral);
        pool_begin_.push_back(static_cast<std::uint32_t>(symbol_.size()));
        return collateral_.size() - 1;
    }

    /// Adds a position to the last pool: signed quantity (finite), entry price (finite and > 0
    /// unless the quantity is 0), leverage (finite and > 0).
    void add_position(std::uint32_t symbol, Real quantity, Real entry_price, Real leverage) {
        constexpr const char* where = "position_book::add_position";
        if (collateral_.empty()) throw_invalid_argument(where, "the number of pools", 0, "> 0 (call add_pool first)");
        if (symbol_.size() >= std::size_t{0xFFFFFFFFu})
            throw_invalid_argument(where, "the number of positions", symbol_.size(), "< 4294967295 (32-bit rows)");
        check_finite(where, "quantity", quantity);
        if (quantity != Real(0))
            check_positive(where, "entry_price", entry_price);
        else
            check_non_negative(where, "entry_price", entry_price);
        check_positive(where, "leverage", leverage);
        if (last_pool_size() != 0) single_ = false;
        symbol_.push_back(symbol);
        quantity_.push_back(quantity);
        entry_.push_back(entry_price);
        leverage_.push_back(leverage);
        pool_begin_.back() = static_cast<std::uint32_t>(symbol_.size());
        symbols_ = std::max<std::size_t>(symbols_, std::size_t{symbol} + 1);
    }

    [[nodiscard]] std::size_t pools() const noexcept { return collateral_.size(); }
    [[nodiscard]] std::size_t positions() const noexcept { return symbol_.size(); }
    /// Whether every pool holds exactly one position (isolated books): the re-mark then runs a
    /// flat loop without the per-pool inner loop.
    [[nodiscard]] bool single_position_pools() const noexcept {
        return single_ && (collateral_.empty() || last_pool_size() == 1);
    }
    /// One more than the largest symbol index used (the marks a re-mark needs).
    [[nodiscard]] std::size_t symbols() const noexcept { return symbols_; }

    [[nodiscard]] std::span<const Real> collateral() const noexcept { return collateral_; }
    [[nodiscard]] std::span<const std::uint32_t> pool_begin() const noexcept { return pool_begin_; }
    [[nodiscard]] std::span<const std::uint32_t> symbol() const noexcept { return symbol_; }
    [[nodiscard]] std::span<const Real> quantity() const noexcept { return quantity_; }
    [[nodiscard]] std::span<const Real> entry_price() const noexcept { return entry_; }
    [[nodiscard]] std::span<const Real> leverage() const noexcept { return leverage_; }

    /// Collateral is the one column hosts update between ticks (deposits, realised PnL).
    [[nodiscard]] std::span<Real> collateral_mutable() noexcept { return collateral_; }

    /// Bytes one re-mark pass reads from the book's columns.
    [[nodiscard]] std::size_t bytes() const noexcept {
        return collateral_.size() * sizeof(Real) + pool_begin_.size() * sizeof(std::uint32_t) +
               symbol_.size() * (sizeof(std::uint32_t) + 3 * sizeof(Real));
    }

private:
    [[nodiscard]] std::size_t last_pool_size() const noexcept {
        return pool_begin_[pool_begin_.size() - 1] - pool_begin_[pool_begin_.size() - 2];
    }

    std::vector<Real> collateral_;
    std::vector<std::uint32_t> pool_begin_;
    std::vector<std::uint32_t> symbol_;
    std::vector<Real> quantity_, entry_, leverage_;
    std::size_t symbols_ = 0;
    bool single_ = true;
};

/// Per-pool results of a re-mark; each span is either empty (not written) or one per pool.
template <real_scalar Real = double>
struct remark_output {
    std::span<Real> equity{};
    std::span<Real> initial_margin{};
    std::span<Real> maintenance_margin{};
    std::span<Real> call_amount{};
    std::span<margin_status> status{};
};

/// Book-wide totals of a re-mark.
template <real_scalar Real = double>
struct remark_totals {
    std::array<std::size_t, 4> count{};  ///< pools per margin_status (index = status value)
    Real call_amount{};                  ///< Σ call amounts
    Real equity{};                       ///< Σ pool equity
    Real maintenance_margin{};           ///< Σ MM
    Real initial_margin{};               ///< Σ IM

    [[nodiscard]] std::size_t operator[](margin_status s) const noexcept { return count[static_cast<std::size_t>(s)]; }
};

/// Re-marks every pool of `book` at `marks` (marks[s], contracts[s], models[s] for symbol s):
/// per pool equity = collateral + Σ uPnL, IM, MM, and the status and call amount of
/// summarise_margin, the very rule set accounts use. Validates the inputs once (sizes, marks
/// finite and > 0, thresholds); the pass itself does not allocate or throw.
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
    Real sum_call{0}, sum_equity{0}, sum_mm{0}, sum_im{0};
    // One position's contribution to its pool.
    const auto add_position = [&](std::size_t j, Real& equity, Real& im, Real& mm) {
        const std::uint32_t s = symbol[j];
        const Real mark = marks[s];
        const Real q = quantity[j];
        const Real abs_q = q < 0 ? -q : q;
        const Contract& c = contracts[s];
        const Model& m = models[s];
        const Real notional = static_cast<Real>(c.notional(q, mark));
        equity += static_cast<Real>(c.pnl(q, entry[j], mark));
        if constexpr (requires { m.margins(notional, abs_q, leverage[j]); }) {  // one tier lookup
            const auto both = m.margins(notional, abs_q, leverage[j]);
            mm += static_cast<Real>(both.maintenance_margin);
            im += static_cast<Real>(both.initial_margin);
        } else {
            mm += static_cast<Real>(m.maintenance_margin(notional, abs_q));
            im += static_cast<Real>(m.initial_margin(notional, abs_q, leverage[j]));
        }
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
    totals.count = {healthy, warning, called, liquidated};
    totals.call_amount = sum_call;
    totals.equity = sum_equity;
    totals.maintenance_margin = sum_mm;
    totals.initial_margin = sum_im;
    return totals;
}

}  // namespace margincall
