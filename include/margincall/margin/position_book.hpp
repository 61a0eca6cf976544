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


}  // namespace margincall
