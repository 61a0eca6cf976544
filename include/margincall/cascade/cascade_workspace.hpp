#pragma once
/// \file
/// The mutable state of a cascade run on one venue, and the workspace that keeps it between
/// runs: the accounts' quantities and collateral (integer cents), their states, and the
/// liquidation-price index a run reads crossings off — a cursor into the book's sorted lists
/// plus a heap of the accounts whose liquidation price changed during the run (versioned, so an
/// outdated entry is skipped). docs/cascades.md §3 (crossings in O(crossed)).
/// A workspace is bound to books once and then reset in O(accounts touched), so a Monte Carlo
/// of shocks costs what its runs touch, not the book.
/// \test tests/cascade/cascade_workspace.cpp (bind, reinsert, reset in O(touched));
///       tests/cascade/cascade_simulator.cpp (workspace reuse gives the fresh run's result)

#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/core/money.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace margincall {

namespace detail {

enum class account_state : std::uint8_t { active, crossed, abandoned, closed };

template <std::floating_point Real>
struct heap_entry {
    Real price;
    std::uint32_t account;
    std::uint32_t version;
};

/// Mutable per-venue state, reset in O(accounts touched) between runs.
template <std::floating_point Real>
struct venue_state {
    const liquidation_book<Real>* book{nullptr};
    std::vector<Real> quantity;
    std::vector<std::int64_t> collateral;
    std::vector<std::int64_t> socialised_charge;  // cents of socialised loss charged so far (rule C4)
    std::vector<account_state> state;
    std::vector<std::uint32_t> version;
    std::vector<std::uint8_t> touched_flag;
    std::vector<std::uint32_t> touched;
    std::size_t long_cursor{0};
    std::size_t short_cursor{0};
    std::vector<heap_entry<Real>> long_heap, short_heap;
    std::vector<std::vector<std::uint32_t>> pending;  // ring of delay + 1 slots
    std::vector<std::uint32_t> abandoned;
    std::vector<std::uint32_t> due;
    std::vector<std::uint32_t> batch;
    std::vector<Real> fraction;
    cents_guard money;  // the settlement's cents arithmetic; tested once per step

    void bind(const liquidation_book<Real>& b) {
        if (book == &b && quantity.size() == b.size()) {
            reset();
            return;
        }
        book = &b;
        const auto n = b.size();
        quantity.assign(b.quantities().begin(), b.quantities().end());
        collateral.assign(b.collaterals_cents().begin(), b.collaterals_cents().end());
        socialised_charge.assign(n, 0);
        state.assign(n, account_state::active);
        version.assign(n, 0);
        touched_flag.assign(n, 0);
        touched.clear();
        clear_lists();
    }
    void reset() {
        for (const auto i : touched) {
            quantity[i] = book->quantity(i);
            collateral[i] = book->collateral_cents(i);
            socialised_charge[i] = 0;
            state[i] = account_state::active;
            version[i] = 0;
            touched_flag[i] = 0;
        }
        touched.clear();
        clear_lists();
    }
    void clear_lists() {
        long_cursor = 0;
        short_cursor = 0;
        long_heap.clear();
        short_heap.clear();
        for (auto& p : pending) p.clear();
        abandoned.clear();
        due.clear();
        batch.clear();
        fraction.clear();
        money.clear();
    }
    void touch(std::uint32_t i) {
        if (touched_flag[i] == 0) {
            touched_flag[i] = 1;
            touched.push_back(i);
        }
    }
};

/// Liquidation price of account i at its current quantity and collateral.
template <std::floating_point Real>
[[nodiscard]] Real liquidation_price_of(const venue_state<Real>& st, std::uint32_t i) {
    return st.book->liquidation_price(i, st.quantity[i], from_cents<Real>(st.collateral[i]));
}

/// Max-heap on LP for longs (highest first), min-heap for shorts, ties in the book's canonical order.
template <std::floating_point Real>
auto heap_less(const liquidation_book<Real>& b, bool longs) {
    return [&b, longs](const heap_entry<Real>& x, const heap_entry<Real>& y) {
        return b.precedes(y.account, x.account, y.price, x.price, longs);  // "x after y"
    };
}

/// Puts account i back into the index at its new liquidation price (after a partial close,
/// ADL, socialisation, or a crossing the price undid): a new heap entry, the old one outdated.
template <std::floating_point Real>
void reinsert(venue_state<Real>& st, std::uint32_t i) {
    st.touch(i);
    ++st.version[i];
    st.state[i] = account_state::active;
    const Real lp = liquidation_price_of(st, i);
    const bool is_long = st.quantity[i] > 0;
    auto& heap = is_long ? st.long_heap : st.short_heap;
    heap.push_back({lp, i, st.version[i]});
    std::push_heap(heap.begin(), heap.end(), heap_less(*st.book, is_long));
}

}  // namespace detail

/// Reusable memory of a simulator's runs: copies the books once, then resets only what a run
/// touched, so a Monte Carlo of shocks costs O(accounts touched) per run, not O(book).
/// Thread safety: a workspace is one run's mutable state: one per thread (the simulators'
/// `run` is const and reentrant given distinct workspaces); never share one between
/// concurrent runs.
template <std::floating_point Real = double>
class cascade_workspace {
public:
    std::vector<detail::venue_state<Real>> venues;
};

}  // namespace margincall
