#pragma once
/// \file
/// Steps 2–3 of a cascade step on one venue: crossings read off the liquidation-price index,
/// then the keeper's decision (execute now, later, or leave the account open). docs/cascades.md
/// §3 (steps 2–3) and §6 (keepers). Used by cascade_steps, and so by both simulators.
/// Cost: O(accounts crossed + pending + abandoned), never O(book).
/// \test tests/cascade/venue_crossings.cpp (crossings, keeper delay, cost, a price that came back);
///       tests/cascade/cascade_simulator.cpp

#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/liquidation_book.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace margincall::detail {

/// Steps 2–3 of a cascade step on one venue at mark `mark`, step t: the accounts whose
/// liquidation price the mark reached cross; each is executed now or `delay_steps` later if the
/// keeper finds it worth it (else abandoned and re-tried every step); the batch to execute at
/// this step goes to st.batch with its close fractions in st.fraction (liquidation policy at
/// the mark). True if anything crossed or is batched.
template <std::floating_point Real, class Liquidation>
bool collect_crossings(const cascade_venue<Real, Liquidation>& cfg, venue_state<Real>& st, std::size_t t, Real mark) {
    const auto& b = *st.book;
    st.batch.clear();
    st.fraction.clear();
    st.due.clear();
    const std::size_t slots = st.pending.size();
    auto& now_slot = st.pending[t % slots];
    auto cross = [&](std::uint32_t i) {
        st.touch(i);
        st.state[i] = account_state::crossed;
        if (slots == 1) st.due.push_back(i);
        else st.pending[(t + slots - 1) % slots].push_back(i);
    };
    // A delayed crossing found at step t is executed at step t + delay: slot (t + delay) % (delay + 1).
    std::size_t crossings = 0;
    {
        const auto longs = b.longs_by_liquidation_price();
        while (st.long_cursor < longs.size() && longs[st.long_cursor].price >= mark) {
            const auto i = longs[st.long_cursor++].account;
            if (st.version[i] == 0 && st.state[i] == account_state::active) {
                cross(i);
                ++crossings;
            }
        }
        const auto less = heap_less(b, true);
        while (!st.long_heap.empty() && st.long_heap.front().price >= mark) {
            const auto e = st.long_heap.front();
            std::pop_heap(st.long_heap.begin(), st.long_heap.end(), less);
            st.long_heap.pop_back();
            if (e.version == st.version[e.account] && st.state[e.account] == account_state::active) {
                cross(e.account);
                ++crossings;
            }
        }
    }
    {
        const auto shorts = b.shorts_by_liquidation_price();
        while (st.short_cursor < shorts.size() && shorts[st.short_cursor].price <= mark) {
            const auto i = shorts[st.short_cursor++].account;
            if (st.version[i] == 0 && st.state[i] == account_state::active) {
                cross(i);
                ++crossings;
            }
        }
        const auto less = heap_less(b, false);
        while (!st.short_heap.empty() && st.short_heap.front().price <= mark) {
            const auto e = st.short_heap.front();
            std::pop_heap(st.short_heap.begin(), st.short_heap.end(), less);
            st.short_heap.pop_back();
            if (e.version == st.version[e.account] && st.state[e.account] == account_state::active) {
                cross(e.account);
                ++crossings;
            }
        }
    }
    const Real fee_rate = cfg.waterfall.liquidation_fee_rate;
    auto fraction_of = [&](std::uint32_t i) {
        const Real q = st.quantity[i];
        const Real q_abs = q < 0 ? -q : q;
        const Real equity = from_cents<Real>(st.collateral[i]) + q * (mark - b.entry_price(i));
        if constexpr (has_tiered_close_fraction<Liquidation, Real>) {
            if (const auto* schedule = b.schedule()) {  // rule C6: the margin of the position left
                const Real size = schedule->basis() == tier_basis::notional ? q_abs * mark : q_abs;
                return cfg.liquidation.close_fraction_tiered(equity, q_abs * mark, size, *schedule, fee_rate);
            }
        }
        return cfg.liquidation.close_fraction(equity, q_abs * mark, b.maintenance_rate_at(i, q, mark), fee_rate);
    };
    auto worth = [&](std::uint32_t i, Real f) {
        if (!cfg.keeper) return true;
        const Real q = st.quantity[i];
        const Real fee = fee_rate * f * (q < 0 ? -q : q) * mark;
        return cfg.keeper->worth_executing(fee);
    };
    // The same test as the index's (LP against the mark), so a crossing is never undone by rounding.
    auto still_liquidatable = [&](std::uint32_t i) {
        const Real lp = liquidation_price_of(st, i);
        return st.quantity[i] > 0 ? lp >= mark : lp <= mark;
    };
    // Abandoned accounts first (oldest), then the accounts due now.
    std::size_t kept = 0;
    for (std::size_t k = 0; k < st.abandoned.size(); ++k) {
        const auto i = st.abandoned[k];
        if (!still_liquidatable(i)) {
            reinsert(st, i);
            continue;
        }
        const Real f = fraction_of(i);
        if (worth(i, f)) {
            st.state[i] = account_state::crossed;
            st.batch.push_back(i);
            st.fraction.push_back(f);
        } else {
            st.abandoned[kept++] = i;
        }
    }
    st.abandoned.resize(kept);
    auto decide = [&](std::uint32_t i) {
        if (st.state[i] != account_state::crossed) return;
        if (!still_liquidatable(i)) {
            reinsert(st, i);  // the price came back before the executor did
            return;
        }
        const Real f = fraction_of(i);
        if (worth(i, f)) {
            st.batch.push_back(i);
            st.fraction.push_back(f);
        } else {
            st.state[i] = account_state::abandoned;
            st.abandoned.push_back(i);
        }
    };
    if (slots > 1) {
        for (const auto i : now_slot) decide(i);
        now_slot.clear();
    }
    for (const auto i : st.due) decide(i);
    st.due.clear();
    return crossings > 0 || !st.batch.empty();
}

}  // namespace margincall::detail
