#pragma once
/// \file
/// A structure-of-arrays store of margin pools and their positions: the numeric columns a
/// batch re-mark streams (margin/remark.hpp). The book of accounts (margin/book.hpp) keeps
/// its pools and positions in one of these.

#include <margincall/core/checks.hpp>
#include <margincall/core/column_allocator.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace margincall {

/// Margin pools and their positions as columns (structure of arrays).
///
/// A pool is what a margin status belongs to: a cross account (its wallet balance and all
/// its cross positions) or one isolated position (its isolated margin and that position).
/// Pools are stored as CSR: the positions of pool k are rows pool_begin[k] .. pool_begin[k+1]
/// of the position columns (symbol, quantity, entry_price, leverage). Positions are added to
/// the pool opened last.
///
/// The book also keeps the layout the pooled re-mark runs on (margin/remark_blocked.hpp): whole
/// pools in runs of at most `remark_block` positions and pools (a pool larger than that is a run
/// of its own). A run whose positions mix a few symbols (the legs of cross accounts alternate
/// symbols) is also kept grouped by symbol: a copy of its quantities, entries and leverages in
/// symbol order (each symbol's stretch a segment), and each position's place in that order, so
/// each symbol's legs take its mark, contract and brackets as loop constants and stream
/// contiguous columns. Positions never change once added, so the copy stays exact; it costs
/// three reals and a byte per position of such runs. A run is laid out when the pool after it closes it
/// (add_pool), so a pass finds every run laid out but the last, which it forms itself. The
/// layout depends on pool sizes and symbols only, never on marks or collateral.
/// \tparam Real a real_scalar
/// Thread safety: const members may run concurrently from any number of threads; a non-const member needs exclusive access (no internal locking): adding pools or positions while another thread reads is a race.
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
        if (!collateral_.empty()) lay_out(collateral_.size() - 1);  // the last pool is complete
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

    /// Runs of the pooled re-mark: at most this many positions, and pools, each.
    static constexpr std::size_t remark_block = 256;
    /// Run r, laid out, is pools run_begin()[r] .. run_begin()[r + 1]; the pools from
    /// run_begin().back() on are not laid out yet (the last run).
    [[nodiscard]] std::span<const std::uint32_t> run_begin() const noexcept { return run_begin_; }
    /// The segments of run r are segment_begin()[r] .. segment_begin()[r + 1]; none when the run
    /// is not grouped (one symbol, a pool larger than a run, or segments shorter than 16
    /// positions on average, which run faster gathered from the per-symbol tables).
    [[nodiscard]] std::span<const std::uint32_t> segment_begin() const noexcept { return segment_begin_; }
    /// Segment g holds symbol segment_symbol()[g] at places segment_end()[g − 1] (0 for the
    /// first of its run) .. segment_end()[g] of its run's symbol order.
    [[nodiscard]] std::span<const std::uint32_t> segment_symbol() const noexcept { return segment_symbol_; }
    [[nodiscard]] std::span<const std::uint16_t> segment_end() const noexcept { return segment_end_; }
    /// A grouped run r's entries in the grouped columns start at grouped_begin()[r] (one per
    /// position of the run).
    [[nodiscard]] std::span<const std::size_t> grouped_begin() const noexcept { return grouped_begin_; }
    /// The grouped columns: entry grouped_begin()[r] + i of a grouped run r is the position at
    /// place i of its symbol order (its quantity, entry price, leverage), except grouped_place,
    /// which is indexed by position: the place of the run's i-th position (row order).
    [[nodiscard]] std::span<const Real> grouped_quantity() const noexcept { return grouped_quantity_; }
    [[nodiscard]] std::span<const Real> grouped_entry_price() const noexcept { return grouped_entry_; }
    [[nodiscard]] std::span<const Real> grouped_leverage() const noexcept { return grouped_leverage_; }
    [[nodiscard]] std::span<const std::uint8_t> grouped_place() const noexcept { return grouped_place_; }

    /// Collateral is the one column hosts update between ticks (deposits, realised PnL).
    [[nodiscard]] std::span<Real> collateral_mutable() noexcept { return collateral_; }

    /// Bytes one re-mark pass reads from the book's columns: collateral per pool; symbol,
    /// quantity, entry price and leverage per position; and the pool offsets unless every
    /// pool holds one position (the flat pass does not read them). The pooled pass reads a
    /// grouped run's copy instead: quantity, entry price, leverage and place per position
    /// (and its few segments), not the symbol column.
    [[nodiscard]] std::size_t bytes() const noexcept {
        const std::size_t per_position = sizeof(std::uint32_t) + 3 * sizeof(Real);
        if (single_position_pools()) return collateral_.size() * sizeof(Real) + symbol_.size() * per_position;
        const std::size_t grouped = grouped_quantity_.size();
        return collateral_.size() * sizeof(Real) + pool_begin_.size() * sizeof(std::uint32_t) +
               (symbol_.size() - grouped) * per_position + grouped * (3 * sizeof(Real) + sizeof(std::uint8_t)) +
               segment_symbol_.size() * (sizeof(std::uint32_t) + sizeof(std::uint16_t));
    }

private:
    [[nodiscard]] std::size_t last_pool_size() const noexcept {
        return pool_begin_[pool_begin_.size() - 1] - pool_begin_[pool_begin_.size() - 2];
    }

    // Pool p is complete: it joins the open run if it fits (the rule the pass's own runs follow),
    // else the open run is closed and laid out, and p opens the next (or, larger than a run,
    // is a run of its own).
    void lay_out(std::size_t p) {
        const std::size_t first = run_begin_.back();
        const std::size_t size = pool_begin_[p + 1] - pool_begin_[p];
        if (p - first < remark_block && pool_begin_[p + 1] - pool_begin_[first] <= remark_block) return;
        if (p > first) close_run(p);
        if (size > remark_block) close_run(p + 1);
    }
    // Closes the open run at pool `end`, grouping its positions by symbol (stable: a symbol's
    // legs keep their order) if it mixes symbols in segments of 16 positions on average (two
    // vectors of eight) and holds a pool of several legs (runs of one-leg pools are isolated
    // positions, which the isolated pass takes; they are left as they are).
    void close_run(std::size_t end) {
        const std::size_t j0 = pool_begin_[run_begin_.back()];
        const std::size_t m = pool_begin_[end] - j0;
        const std::size_t pools = end - run_begin_.back();
        run_begin_.push_back(static_cast<std::uint32_t>(end));
        if (m <= remark_block && m > pools) {
            std::array<std::uint8_t, remark_block> order{};
            for (std::size_t i = 0; i < m; ++i) order[i] = static_cast<std::uint8_t>(i);
            const std::uint32_t* const sym = symbol_.data() + j0;
            std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(m),
                             [sym](std::uint8_t a, std::uint8_t b) { return sym[a] < sym[b]; });
            std::size_t segments = 1;
            for (std::size_t i = 1; i < m; ++i) segments += static_cast<std::size_t>(sym[order[i]] != sym[order[i - 1]]);
            if (segments > 1 && segments * 16 <= m) {
                const std::size_t at = grouped_quantity_.size();
                grouped_place_.resize(at + m);
                for (std::size_t i = 0; i < m; ++i) {
                    const std::size_t j = j0 + order[i];
                    grouped_quantity_.push_back(quantity_[j]);
                    grouped_entry_.push_back(entry_[j]);
                    grouped_leverage_.push_back(leverage_[j]);
                    grouped_place_[at + order[i]] = static_cast<std::uint8_t>(i);
                    if (i + 1 == m || sym[order[i + 1]] != sym[order[i]]) {
                        segment_symbol_.push_back(sym[order[i]]);
                        segment_end_.push_back(static_cast<std::uint16_t>(i + 1));
                    }
                }
            }
        }
        segment_begin_.push_back(static_cast<std::uint32_t>(segment_symbol_.size()));
        grouped_begin_.push_back(grouped_quantity_.size());
    }

    // Columns on 2 MiB (transparent huge) pages when large: the re-mark streams them
    // (core/column_allocator.hpp says why).
    template <class T>
    using column = std::vector<T, column_allocator<T>>;

    column<Real> collateral_;
    column<std::uint32_t> pool_begin_;
    column<std::uint32_t> symbol_;
    column<Real> quantity_, entry_, leverage_;
    std::vector<std::uint32_t> run_begin_{0}, segment_begin_{0}, segment_symbol_;
    std::vector<std::uint16_t> segment_end_;
    std::vector<std::size_t> grouped_begin_{0};
    column<Real> grouped_quantity_, grouped_entry_, grouped_leverage_;
    column<std::uint8_t> grouped_place_;
    std::size_t symbols_ = 0;
    bool single_ = true;
};


}  // namespace margincall
