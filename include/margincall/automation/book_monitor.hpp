#pragma once
/// \file
/// A tick monitor over the host's book: every pool of the book that holds one open position
/// (an isolated leg, or a cross account with a single open leg) watched by a margin_monitor built
/// from the book's own contracts, schedules and thresholds, with the map back to the book's
/// pools. The monitor's MM is the book's per-row kernel (margin/position_margin.hpp), so a
/// monitored status is the status the re-mark gives the same pool (docs/architecture.md).

#include <margincall/automation/margin_monitor.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace margincall {

/// A monitor over a book and, per monitored pool, the book pool it watches.
/// Thread safety: as margin_monitor (concurrent ticks on different symbols are safe; the
/// same symbol, or adding pools, needs exclusive access); `book_pool` is read-only after
/// monitor_book.
template <class Contract, real_scalar Real = double>
struct book_monitor {
    margin_monitor<Contract, Real> monitor;
    std::vector<std::size_t> book_pool;  ///< book_pool[i]: the book's pool that monitor pool i is
};

/// Builds the monitor of `b`: the pools with one open leg (book::sole_open_leg; flat legs add
/// nothing at any mark), with their collateral (isolated margin, or the wallet of a one-leg
/// cross account), quantity and entry. Pools of several open legs are not monitored (their
/// status moves with several marks; re-mark them), nor pools with none (no price moves them).
/// \throws invalid_argument as margin_monitor does (a schedule's top maintenance rate not
///         below the warning ratio, or thresholds with call_below_initial)
template <class Contract, real_scalar Real>
[[nodiscard]] book_monitor<Contract, Real> monitor_book(const book<Contract, tier_schedule<Real>, Real>& b) {
    book_monitor<Contract, Real> r{margin_monitor<Contract, Real>(
                                       std::vector<Contract>(b.contracts().begin(), b.contracts().end()),
                                       std::vector<tier_schedule<Real>>(b.models().begin(), b.models().end()),
                                       b.thresholds()),
                                   {}};
    const auto& c = b.columns();
    for (std::size_t k = 0; k < b.pools(); ++k) {
        const std::size_t j = b.sole_open_leg(k);
        if (j == b.npos) continue;
        r.monitor.add_pool(c.symbol()[j], c.quantity()[j], c.entry_price()[j], c.collateral()[k]);
        r.book_pool.push_back(k);
    }
    return r;
}

}  // namespace margincall
