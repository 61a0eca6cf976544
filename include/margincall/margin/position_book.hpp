#pragma once
/// \file
/// A structure-of-arrays book of margin pools and their positions, and the batch re-mark an
/// exchange runs on every price tick: spans in, spans out, no allocation and no exception
/// per position.

#include <margincall/contracts/contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/column_allocator.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
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

    /// Bytes one re-mark pass reads from the book's columns: collateral per pool; symbol,
    /// quantity, entry price and leverage per position; and the pool offsets unless every
    /// pool holds one position (the flat pass does not read them).
    [[nodiscard]] std::size_t bytes() const noexcept {
        const std::size_t offsets = single_position_pools() ? 0 : pool_begin_.size() * sizeof(std::uint32_t);
        return collateral_.size() * sizeof(Real) + offsets + symbol_.size() * (sizeof(std::uint32_t) + 3 * sizeof(Real));
    }

private:
    [[nodiscard]] std::size_t last_pool_size() const noexcept {
        return pool_begin_[pool_begin_.size() - 1] - pool_begin_[pool_begin_.size() - 2];
    }

    // Columns on 2 MiB (transparent huge) pages when large: the re-mark streams them
    // (core/column_allocator.hpp says why).
    template <class T>
    using column = std::vector<T, column_allocator<T>>;

    column<Real> collateral_;
    column<std::uint32_t> pool_begin_;
    column<std::uint32_t> symbol_;
    column<Real> quantity_, entry_, leverage_;
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
    std::array<std::size_t, margin_status_count> count{};  ///< pools per margin_status (index = status value)
    Real call_amount{};                  ///< Σ call amounts (every pool below IM, whatever its status)
    Real called_amount{};                ///< Σ call amounts of the pools in margin_call or liquidation:
                                         ///< what the venue demands now
    Real equity{};                       ///< Σ pool equity
    Real maintenance_margin{};           ///< Σ MM
    Real initial_margin{};               ///< Σ IM

    [[nodiscard]] std::size_t operator[](margin_status s) const noexcept { return count[static_cast<std::size_t>(s)]; }
};

namespace detail {

template <class Model, class Real>
struct is_bracket_table_of : std::false_type {};
template <class Real, std::size_t N>
struct is_bracket_table_of<bracket_table<Real, N>, Real> : std::true_type {};

// One step of the branch-free tier search in the packed per-symbol floors (as bracket_table's).
template <std::size_t Step, class Real>
[[nodiscard]] inline std::size_t packed_tier_search(const Real* floor, Real key, std::size_t j) noexcept {
    j += (key >= floor[j + Step]) ? Step : 0;
    if constexpr (Step > 1) {
        return packed_tier_search<Step / 2>(floor, key, j);
    } else {
        return j;
    }
}

/// The re-mark of books whose pools each hold one position, on linear contracts with bracket
/// tables: the isolated book of an exchange, and the case a tick re-mark must run at memory
/// speed. Same per-pool figures as the generic pass (same formulas, same operation order:
/// linear_contract::notional/pnl, bracket_table::margins, classify_margin, call_amount); what
/// changes is the shape, so that the compiler vectorises it:
///  * positions run in blocks of `block`. A block whose positions are all on one symbol (the
///    common case: exchanges keep isolated positions by symbol) takes that symbol's mark,
///    multiplier and brackets as loop constants, and finds each position's tier by counting
///    the floors ≤ its size (MaxTiers − 1 compares, padding floors are NaN and never count;
///    for the sorted floors of a validated schedule the count is the index of the last floor
///    ≤ size, bracket_table::tier_index's answer), so the only per-position memory traffic
///    left is the book's columns. A block mixing symbols gathers the same constants from
///    columns packed once per call (S × MaxTiers floors, rates, amounts, max leverages) and
///    runs bracket_table's branch-free binary search on them.
///  * a first loop computes equity, IM, MM, call amount and status of every position of the
///    block into L1-resident buffers (no reduction in it, so it vectorises); a second adds
///    the block to `lanes` running sums per total. Floating-point addition is not
///    associative and a compiler may not reorder it (without -ffast-math), so the lanes are
///    spelled out: a total is the sum of `lanes` interleaved partial sums, the same on every
///    machine and compiler (it may differ from a sequential sum in the last bits).
/// Hand-written because neither Eigen nor Boost offers a gathered, blocked reduction of this
/// shape. Measured in benchmarks/margin.cpp (BM_position_book_remark*), docs/performance.md.
template <real_scalar Real, std::size_t MaxTiers>
remark_totals<Real> remark_isolated_linear(const position_book<Real>& book,
                                           std::span<const linear_contract<Real>> contracts,
                                           std::span<const bracket_table<Real, MaxTiers>> models,
                                           std::span<const Real> marks, const status_thresholds<Real>& given,
                                           const remark_output<Real>& out) {
    // A local copy: the compiler then knows no store of the pass can change the thresholds.
    const status_thresholds<Real> thresholds = given;
    constexpr std::size_t block = 256;
    constexpr std::size_t lanes = 8;
    const std::size_t symbols = marks.size();
    // Per-symbol columns, packed once per call (O(symbols × MaxTiers), not per position).
    std::vector<Real> packed(symbols * (4 * MaxTiers + 3));
    Real* const floor = packed.data();
    Real* const rate = floor + symbols * MaxTiers;
    Real* const amount = rate + symbols * MaxTiers;
    Real* const cap = amount + symbols * MaxTiers;
    Real* const price_multiplier = cap + symbols * MaxTiers;
    Real* const mark = price_multiplier + symbols;
    Real* const by_quantity = mark + symbols;
    for (std::size_t s = 0; s < symbols; ++s) {
        const auto& m = models[s];
        std::copy(m.floors().begin(), m.floors().end(), floor + s * MaxTiers);
        std::copy(m.maintenance_rates().begin(), m.maintenance_rates().end(), rate + s * MaxTiers);
        std::copy(m.maintenance_amounts().begin(), m.maintenance_amounts().end(), amount + s * MaxTiers);
        std::copy(m.max_leverages().begin(), m.max_leverages().end(), cap + s * MaxTiers);
        price_multiplier[s] = contracts[s].multiplier();
        mark[s] = marks[s];
        by_quantity[s] = m.basis() == tier_basis::notional ? Real(0) : Real(1);
    }

    const std::size_t n = book.pools();
    const Real* const collateral = book.collateral().data();
    const std::uint32_t* const symbol = book.symbol().data();
    const Real* const quantity = book.quantity().data();
    const Real* const entry = book.entry_price().data();
    const Real* const leverage = book.leverage().data();

    alignas(64) std::array<Real, block> equity_b{}, im_b{}, mm_b{}, call_b{}, called_b{};
    alignas(64) std::array<margin_status, block> status_b{};
    std::array<Real, lanes> sum_equity{}, sum_im{}, sum_mm{}, sum_call{}, sum_called{};
    std::size_t warning = 0, called = 0, liquidated = 0;
    // Position k into slot i of the block buffers, at mark p and multiplier mult, its tier's
    // slot in the packed columns given by tier_of(size).
    const auto position_figures = [&](std::size_t i, std::size_t k, Real p, Real mult, bool tier_by_quantity,
                                      const auto& tier_of) {
        const Real q = quantity[k];
        const Real abs_q = q < 0 ? -q : q;
        const Real notional = abs_q * mult * p;                         // linear_contract::notional
        const Real equity = collateral[k] + q * mult * (p - entry[k]);  // + linear_contract::pnl
        const std::size_t j = tier_of(tier_by_quantity ? abs_q : notional);
        const Real c = cap[j];
        const Real lev = leverage[k];
        const Real im = notional / (lev < c ? lev : c);  // bracket_table::margins
        const Real mm = notional * rate[j] - amount[j];
        const Real call = call_amount(im, equity);
        const margin_status status = classify_margin(equity, im, mm, thresholds);
        equity_b[i] = equity;
        im_b[i] = im;
        mm_b[i] = mm;
        call_b[i] = call;
        called_b[i] = static_cast<unsigned>(status) >= 2u ? call : Real(0);  // margin_call, liquidation
        status_b[i] = status;
    };
    for (std::size_t k0 = 0; k0 < n; k0 += block) {
        const std::size_t m = n - k0 < block ? n - k0 : block;
        const std::uint32_t first = symbol[k0];
        std::uint32_t differs = 0;
        for (std::size_t i = 0; i < m; ++i) differs |= symbol[k0 + i] ^ first;
        if (differs == 0) {  // one symbol: its constants are loop invariants
            const std::size_t base = std::size_t{first} * MaxTiers;
            const Real p = mark[first];
            const Real mult = price_multiplier[first];
            const bool tier_by_quantity = by_quantity[first] != Real(0);
            const Real* const f = floor + base;
            for (std::size_t i = 0; i < m; ++i) {
                position_figures(i, k0 + i, p, mult, tier_by_quantity, [&](const Real& key) {
                    std::uint32_t t = 0;  // 32-bit: eight counters fill half a vector register
                    for (std::size_t j = 1; j < MaxTiers; ++j) t += key >= f[j] ? 1U : 0U;
                    return base + t;
                });
            }
        } else {
            for (std::size_t i = 0; i < m; ++i) {
                const std::size_t s = symbol[k0 + i];
                position_figures(i, k0 + i, mark[s], price_multiplier[s], by_quantity[s] != Real(0), [&](const Real& key) {
                    return packed_tier_search<MaxTiers / 2>(floor, key, s * MaxTiers);
                });
            }
        }
        for (std::size_t i = m; i < block; ++i) {  // the last block: pad the sums with zeros
            equity_b[i] = im_b[i] = mm_b[i] = call_b[i] = called_b[i] = Real(0);
            status_b[i] = margin_status::healthy;
        }
        for (std::size_t i = 0; i < block; i += lanes) {
            for (std::size_t l = 0; l < lanes; ++l) {
                sum_equity[l] += equity_b[i + l];
                sum_im[l] += im_b[i + l];
                sum_mm[l] += mm_b[i + l];
                sum_call[l] += call_b[i + l];
                sum_called[l] += called_b[i + l];
            }
        }
        for (std::size_t i = 0; i < block; ++i) {
            const auto level = static_cast<unsigned>(status_b[i]);
            warning += static_cast<std::size_t>(level == 1u);
            called += static_cast<std::size_t>(level == 2u);
            liquidated += static_cast<std::size_t>(level == static_cast<unsigned>(margin_status::liquidation));
        }
        const auto at = static_cast<std::ptrdiff_t>(k0);
        if (!out.equity.empty()) std::copy_n(equity_b.begin(), m, out.equity.begin() + at);
        if (!out.initial_margin.empty()) std::copy_n(im_b.begin(), m, out.initial_margin.begin() + at);
        if (!out.maintenance_margin.empty()) std::copy_n(mm_b.begin(), m, out.maintenance_margin.begin() + at);
        if (!out.call_amount.empty()) std::copy_n(call_b.begin(), m, out.call_amount.begin() + at);
        if (!out.status.empty()) std::copy_n(status_b.begin(), m, out.status.begin() + at);
    }
    remark_totals<Real> totals;
    totals.count = {n - warning - called - liquidated, warning, called, 0, liquidated};
    for (std::size_t l = 0; l < lanes; ++l) {
        totals.equity += sum_equity[l];
        totals.initial_margin += sum_im[l];
        totals.maintenance_margin += sum_mm[l];
        totals.call_amount += sum_call[l];
        totals.called_amount += sum_called[l];
    }
    return totals;
}

}  // namespace detail

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

    if constexpr (std::is_same_v<Contract, linear_contract<Real>> && detail::is_bracket_table_of<Model, Real>::value) {
        if (book.single_position_pools()) return detail::remark_isolated_linear(book, contracts, models, marks, thresholds, out);
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
    totals.count = {healthy, warning, called, 0, liquidated};
    totals.call_amount = sum_call;
    totals.called_amount = sum_called;
    totals.equity = sum_equity;
    totals.maintenance_margin = sum_mm;
    totals.initial_margin = sum_im;
    return totals;
}

}  // namespace margincall
