#pragma once
/// \file
/// The cross-margin accounts' part of a multi-asset cascade step (docs/cascades.md §11, §12.2):
/// step 3, candidates from the distance-bound index of cross_margin_book.hpp checked exactly
/// (equity < MM), the keeper's decision and the close each executed account gets; step 5,
/// the closed legs realised at their assets' fills, the fee to the cross fund (less the
/// keeper's reward), a deficit to the fund and then bad debt. What the cross accounts report
/// (cross_step, cross_outcome), how they are executed (cross_liquidation) and their reusable
/// memory (cross_workspace) live here too. Used by multi_asset_simulator, which moves the
/// prices around these steps.
///
/// By default (cross_liquidation{}) an account is closed wholly as soon as it is liquidatable
/// (§11.1). With a `partial_close` policy its legs are closed largest loss first, each just
/// enough to restore (1 + b)·MM of what is left (rule C11); with a `keeper_model` the executor
/// acts `delay_steps` after the crossing and only when its reward covers its cost, and an
/// account it declines is re-tested every step (rule C8). An account a cascade has touched
/// keeps its live cash and leg quantities in the workspace and stays a candidate (checked
/// exactly every step) until it is closed, so the index's bound, which holds for the book's
/// untouched accounts, never has to be rebuilt.
/// Cost of a step: O(candidates × legs + groups × K + legs of the accounts executed).
/// \test tests/cascade/cross_account_steps.cpp; tests/cascade/multi_asset_simulator.cpp
///       (hand-worked two-asset case, brute-force re-evaluation, conservation to the cent);
///       tests/cascade/cross_tiered_keepers.cpp (rule C11, keepers, tiers)

#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/keeper_model.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/core/money.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// How the cross accounts are executed. Default: every leg closed at once, as soon as the
/// account is liquidatable, with no keeper (docs/cascades.md §11.1; the run is then exactly the
/// one before this option existed).
template <std::floating_point Real = double>
struct cross_liquidation {
    /// Rule C11: legs closed largest loss first, each by the policy's fraction at the equity
    /// left after (1 + b)·MM of the legs still open; empty: every leg closed.
    std::optional<partial_close<Real>> partial{};
    /// The executor: delay, cost per execution and share of the fee (§6, rule C8); empty:
    /// executed at once, no reward.
    std::optional<keeper_model<Real>> keeper{};
    [[nodiscard]] bool immediate_full_close() const noexcept { return !partial && !keeper; }
};

/// Cross accounts in one step.
template <std::floating_point Real = double>
struct cross_step {
    std::vector<Real> liquidated_notional;       ///< per asset: Σ |closed| × fill of the legs closed
    std::vector<std::size_t> liquidated_legs;    ///< per asset: legs closed (wholly or in part)
    std::size_t liquidated_count{0};             ///< executions (accounts closed wholly or in part)
    std::size_t partial_count{0};                ///< of which left the account open (rule C11)
    std::size_t checked{0};                      ///< candidates checked exactly
    Real insurance_fund{0};                      ///< the cross fund after the step
    Real bad_debt{0};                            ///< cumulative
};

/// The cross accounts' run.
template <std::floating_point Real = double>
struct cross_outcome {
    std::vector<cross_step<Real>> steps;
    cascade_ledger ledger;
    std::vector<Real> liquidated_notional;     ///< per asset, whole run
    std::vector<std::size_t> liquidated_legs;  ///< per asset, whole run
    std::size_t liquidated_count{0};           ///< executions over the run
    std::size_t partial_count{0};              ///< executions that left the account open
    std::size_t checked{0};                    ///< exact checks over the run (the index's cost)
    std::vector<std::uint32_t> liquidated;     ///< input index of the account of each execution, in order
    std::vector<std::size_t> liquidated_step;  ///< the step of that execution
    std::vector<std::uint8_t> liquidated_full; ///< 1 if that execution closed the account, 0 for a partial close
    std::size_t abandoned{0};                  ///< accounts the keeper left liquidatable at the end (rule C8)
    Real unliquidated_exposure{0};             ///< Σ |q|·P over their open legs at the final marks
    Real unliquidated_bad_debt{0};             ///< Σ max(−equity, 0) over them at the final marks
};

/// Reusable memory of the cross accounts' steps (reset in O(accounts that entered a prefix)).
template <std::floating_point Real = double>
struct cross_workspace {
    const cross_margin_book<Real>* book{nullptr};
    std::vector<std::uint8_t> candidate;        ///< per stored cross account: 1 once it entered the prefix
    std::vector<std::size_t> cursor;            ///< per group: end of the prefix read so far
    std::vector<std::uint32_t> candidates;      ///< live candidates, stored order of entry
    std::vector<std::uint32_t> batch;           ///< executed this step
    std::vector<std::size_t> close_begin;       ///< per batch entry: where its legs start in `closing`
    std::vector<std::uint8_t> full;             ///< per batch entry: 1 if every open leg is closed
    std::vector<Real> closing;                  ///< signed quantity closed of every leg of each batch entry
    cents_guard money;                          ///< the cross settlement's cents arithmetic
    // Live state, kept only when the accounts are not all closed at once (cross_liquidation).
    bool live{false};
    const cross_margin_book<Real>* live_book{nullptr};
    std::vector<std::int64_t> cash;             ///< per stored account: cash in cents
    std::vector<Real> quantity;                 ///< per leg: quantity still open
    std::vector<std::uint8_t> state;            ///< per stored account: cross_state, bit 7 = touched
    std::vector<std::size_t> due;               ///< per stored account: the step a pending keeper acts
    std::vector<std::uint32_t> touched;         ///< accounts whose live state differs from the book's
    std::vector<std::uint32_t> order;           ///< scratch: an account's legs in closing order
    std::size_t pending{0};                     ///< accounts waiting for their keeper after collect
};

namespace detail {

/// The live state of a cross account (cross_workspace::state, low bits).
enum cross_state : std::uint8_t { cross_active = 0, cross_pending = 1, cross_abandoned = 2, cross_closed = 3 };
inline constexpr std::uint8_t cross_touched_bit = 0x80;

/// Binds (or resets, in O(accounts that entered a prefix or were touched)) the workspace to
/// `book` (null: no cross accounts). `live`: keep each account's cash and legs (partial
/// closes, keepers), allocated once per book and workspace.
template <std::floating_point Real>
void bind_cross(const cross_margin_book<Real>* book, cross_workspace<Real>& ws, bool live = false) {
    ws.money.clear();
    ws.batch.clear();
    ws.candidates.clear();
    ws.closing.clear();
    ws.close_begin.clear();
    ws.full.clear();
    ws.pending = 0;
    ws.live = live && book != nullptr;
    if (book == nullptr) {
        ws.book = nullptr;
        return;
    }
    const auto groups = book->groups();
    if (ws.book == book && ws.candidate.size() == book->size() && ws.cursor.size() == groups.size()) {
        for (std::size_t g = 0; g < groups.size(); ++g)  // O(accounts that entered a prefix)
            for (std::size_t s = groups[g].begin; s < ws.cursor[g]; ++s) ws.candidate[s] = 0;
    } else {
        ws.book = book;
        ws.candidate.assign(book->size(), 0);
    }
    ws.cursor.resize(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) ws.cursor[g] = groups[g].begin;
    if (!ws.live) return;
    const auto q = book->leg_quantities();
    if (ws.live_book == book && ws.cash.size() == book->size() && ws.quantity.size() == q.size()) {
        for (const auto s : ws.touched) {  // O(accounts touched by the previous run)
            ws.cash[s] = book->wallet_cents(s);
            for (std::size_t j = book->leg_begin(s); j < book->leg_end(s); ++j) ws.quantity[j] = q[j];
            ws.state[s] = cross_active;
        }
    } else {
        ws.live_book = book;
        ws.cash.resize(book->size());
        for (std::size_t s = 0; s < book->size(); ++s) ws.cash[s] = book->wallet_cents(s);
        ws.quantity.assign(q.begin(), q.end());
        ws.state.assign(book->size(), cross_active);
        ws.due.assign(book->size(), 0);
    }
    ws.touched.clear();
}

template <std::floating_point Real>
void set_cross_state(cross_workspace<Real>& ws, std::uint32_t s, cross_state to) {
    if ((ws.state[s] & cross_touched_bit) == 0) ws.touched.push_back(s);
    ws.state[s] = static_cast<std::uint8_t>(to | cross_touched_bit);
}

/// Rule C11 at marks `mark`: the signed quantity to close of every leg of account s, appended to
/// ws.closing (one entry per leg of s, 0 for a leg left alone); returns the nominal fee
/// φ·Σ|closed|·P the keeper expects, and sets `full` when every open leg is closed.
///
/// Without a policy every open leg is closed. With `partial_close` (buffer b): e = cash +
/// Σ q_i·(P_i − E_i), legs with q ≠ 0 taken largest loss first (ascending q_i·(P_i − E_i), ties
/// in stored order); for leg j, with R the MM of the legs after it (still open),
///     e_j = e − φ·(notional of the legs closed before j) − (1 + b)·R,
///     f_j = the policy's fraction at equity e_j for leg j alone (close_fraction, or
///           close_fraction_tiered with the leg's asset's brackets: rule C6),
/// so that e − φ·f_j·N_j − … ≥ (1 + b)·(MM_j((1 − f_j)·N_j) + R): the same inequality as a
/// single position's, with the other open legs' margin charged to the equity. f_j < 1 stops
/// the walk (the legs after j stay open); f_j = 1 closes j wholly and goes on.
template <std::floating_point Real>
Real plan_cross_close(const cross_margin_book<Real>& b, cross_workspace<Real>& ws, std::uint32_t s, std::span<const Real> mark,
                      const std::optional<partial_close<Real>>& partial, Real fee_rate, bool& full) {
    const std::size_t begin = b.leg_begin(s), end = b.leg_end(s);
    const std::size_t base = ws.closing.size();
    ws.closing.resize(base + (end - begin), Real(0));
    const auto q_of = [&](std::size_t j) { return ws.live ? ws.quantity[j] : b.leg_quantity(j); };
    Real notional{0};
    full = true;
    if (!partial) {
        for (std::size_t j = begin; j < end; ++j) {
            const Real q = q_of(j);
            ws.closing[base + (j - begin)] = q;
            notional += (q < 0 ? -q : q) * mark[b.leg_asset(j)];
        }
        return fee_rate * notional;
    }
    Real equity = from_cents<Real>(ws.cash[s]);
    Real rest{0};  // MM of the open legs not yet walked
    ws.order.clear();
    for (std::size_t j = begin; j < end; ++j) {
        const Real q = q_of(j);
        if (q == Real(0)) continue;
        const Real p = mark[b.leg_asset(j)];
        equity += q * (p - b.leg_entry_price(j));
        rest += b.leg_margin(j, q, p);
        ws.order.push_back(static_cast<std::uint32_t>(j));
    }
    std::stable_sort(ws.order.begin(), ws.order.end(), [&](std::uint32_t x, std::uint32_t y) {
        return q_of(x) * (mark[b.leg_asset(x)] - b.leg_entry_price(x)) < q_of(y) * (mark[b.leg_asset(y)] - b.leg_entry_price(y));
    });
    const Real k = Real(1) + partial->buffer();
    const auto schedules = b.schedules();
    for (const auto j : ws.order) {
        const Real q = q_of(j);
        const Real q_abs = q < 0 ? -q : q;
        const auto asset = b.leg_asset(j);
        const Real p = mark[asset];
        const Real leg_notional = q_abs * p;
        rest -= b.leg_margin(j, q, p);
        const Real e = equity - k * rest;
        Real f;
        if (!schedules.empty()) {
            const auto& schedule = schedules[asset];
            const Real size = schedule.basis() == tier_basis::notional ? leg_notional : q_abs;
            f = partial->close_fraction_tiered(e, leg_notional, size, schedule, fee_rate);
        } else {
            f = partial->close_fraction(e, leg_notional, b.leg_maintenance_rate(j), fee_rate);
        }
        if (f < Real(1)) {
            ws.closing[base + (j - begin)] = f * q;
            notional += f * leg_notional;
            full = false;
            break;
        }
        ws.closing[base + (j - begin)] = q;
        notional += leg_notional;
        equity -= fee_rate * leg_notional;
    }
    return fee_rate * notional;
}

/// Step 3 at marks `mark` (one per asset), step t: the prefixes the current moves reach join
/// the candidates; every candidate is checked exactly (equity < MM); the executed ones go to
/// ws.batch with what each closes (ws.closing from ws.close_begin; ws.full). `mu` is scratch of
/// one entry per asset. With the default rules (ws.live false) a liquidatable candidate is
/// executed wholly and leaves the candidates; otherwise the keeper's delay, test and rule C8
/// apply, and an account stays a candidate until it is closed.
template <std::floating_point Real>
void collect_cross(const cross_margin_book<Real>& b, cross_workspace<Real>& ws, std::span<const Real> mark,
                   std::span<Real> mu, cross_step<Real>& rec, const cross_liquidation<Real>& rules = {},
                   Real fee_rate = Real(0), std::size_t t = 1) {
    const auto p0 = b.reference_prices();
    for (std::size_t k = 0; k < mark.size(); ++k) {
        const Real m = (mark[k] - p0[k]) / p0[k];
        mu[k] = m < 0 ? -m : m;
    }
    const auto groups = b.groups();
    for (std::size_t g = 0; g < groups.size(); ++g) {
        Real reach{0};
        for (std::uint64_t bits = groups[g].mask; bits != 0; bits &= bits - 1)
            reach = std::max(reach, mu[static_cast<std::size_t>(std::countr_zero(bits))]);
        auto& c = ws.cursor[g];
        while (c < groups[g].end && b.key(c) <= reach) {
            ws.candidate[c] = 1;
            ws.candidates.push_back(static_cast<std::uint32_t>(c));
            ++c;
        }
    }
    ws.batch.clear();
    ws.closing.clear();
    ws.close_begin.clear();
    ws.full.clear();
    ws.pending = 0;
    std::size_t kept = 0;
    bool full = true;
    if (!ws.live) {
        for (std::size_t r = 0; r < ws.candidates.size(); ++r) {
            const auto s = ws.candidates[r];
            if (b.surplus(s, mark) < 0) {
                ws.batch.push_back(s);
                ws.close_begin.push_back(ws.closing.size());
                (void)plan_cross_close(b, ws, s, mark, std::optional<partial_close<Real>>{}, fee_rate, full);
                ws.full.push_back(1);
            } else {
                ws.candidates[kept++] = s;
            }
        }
        rec.checked = ws.candidates.size();
        ws.candidates.resize(kept);
        return;
    }
    const auto& keeper = rules.keeper;
    const std::size_t delay = keeper ? keeper->delay_steps() : 0;
    std::size_t checked = 0;
    for (std::size_t r = 0; r < ws.candidates.size(); ++r) {
        const auto s = ws.candidates[r];
        const auto st = static_cast<cross_state>(ws.state[s] & ~cross_touched_bit);
        if (st == cross_closed) continue;  // leaves the candidates
        ws.candidates[kept++] = s;
        if (st == cross_pending && t < ws.due[s]) {
            ++ws.pending;
            continue;
        }
        ++checked;
        if (!(b.surplus(s, mark, ws.cash[s], ws.quantity) < 0)) {
            if (st != cross_active) set_cross_state(ws, s, cross_active);  // the price came back first
            continue;
        }
        if (st == cross_active && delay > 0) {  // crossed now: the keeper acts at t + delay
            set_cross_state(ws, s, cross_pending);
            ws.due[s] = t + delay;
            ++ws.pending;
            continue;
        }
        const std::size_t begin = ws.closing.size();
        const Real fee = plan_cross_close(b, ws, s, mark, rules.partial, fee_rate, full);
        if (!keeper || keeper->worth_executing(fee)) {
            if (st != cross_active) set_cross_state(ws, s, cross_active);
            ws.batch.push_back(s);
            ws.close_begin.push_back(begin);
            ws.full.push_back(full ? 1 : 0);
        } else {
            ws.closing.resize(begin);
            if (st != cross_abandoned) set_cross_state(ws, s, cross_abandoned);  // rule C8: re-tested every step
        }
    }
    rec.checked = checked;
    ws.candidates.resize(kept);
}

/// Adds the batch's signed volume −Σ closed to `volume` (one entry per asset).
template <std::floating_point Real>
void add_cross_volume(const cross_margin_book<Real>& b, const cross_workspace<Real>& ws, std::span<Real> volume) {
    for (std::size_t i = 0; i < ws.batch.size(); ++i) {
        const auto s = ws.batch[i];
        for (std::size_t j = b.leg_begin(s); j < b.leg_end(s); ++j)
            volume[b.leg_asset(j)] -= ws.closing[ws.close_begin[i] + (j - b.leg_begin(s))];
    }
}

/// Step 5 for the executed cross accounts at fills `fill` (one per asset), step t: every closed
/// leg at its asset's fill, the fee (capped by the cash, rule C1) to the cross fund less the
/// keeper's reward, and for an account closed wholly a negative balance to the fund, then bad
/// debt. A partial close that would leave negative cash, or of an account bankrupt at the fill
/// (cash + Σ to_cents(q·(X − E)) over its open legs < 0), closes every leg (rule C5 for cross
/// accounts; the added legs fill at X without moving this step's price). The assets that traded
/// are marked in `traded`. The cents go through ws.money: test its flag after the call.
template <std::floating_point Real>
void settle_cross(const cross_margin_book<Real>& b, const loss_waterfall<Real>& waterfall, bool record_steps,
                  cross_workspace<Real>& ws, cross_outcome<Real>& cx, std::span<const Real> fill,
                  std::vector<std::uint8_t>& traded, cross_step<Real>& rec, std::size_t t,
                  const cross_liquidation<Real>& rules = {}) {
    auto& led = cx.ledger;
    const std::size_t k_assets = fill.size();
    rec.liquidated_notional.assign(k_assets, Real(0));
    rec.liquidated_legs.assign(k_assets, 0);
    const Real fee_rate = waterfall.liquidation_fee_rate;
    auto& g = ws.money;  // hot path: no throw per account; the caller tests the flag after the step
    for (std::size_t i = 0; i < ws.batch.size(); ++i) {
        const auto s = ws.batch[i];
        const std::size_t begin = b.leg_begin(s), end = b.leg_end(s);
        Real* closing = ws.closing.data() + ws.close_begin[i];
        std::int64_t cash = ws.live ? ws.cash[s] : b.wallet_cents(s);
        bool full = ws.full[i] != 0;
        if (!full) {
            std::int64_t at_fill = cash, left = cash;
            for (std::size_t j = begin; j < end; ++j) {
                const Real x_minus_e = fill[b.leg_asset(j)] - b.leg_entry_price(j);
                at_fill = g.add(at_fill, g.to_cents(ws.quantity[j] * x_minus_e));
                if (closing[j - begin] != Real(0)) left = g.add(left, g.to_cents(closing[j - begin] * x_minus_e));
            }
            if (at_fill < 0 || left < 0) {
                full = true;
                for (std::size_t j = begin; j < end; ++j) closing[j - begin] = ws.quantity[j];
            }
        }
        Real notional_sum{0};
        for (std::size_t j = begin; j < end; ++j) {
            const Real q = closing[j - begin];
            if (q == Real(0)) continue;  // a leg left open, or closed earlier
            const auto k = b.leg_asset(j);
            const std::int64_t pnl = g.to_cents(q * (fill[k] - b.leg_entry_price(j)));
            g.add_to(cash, pnl);
            g.add_to(led.collateral, pnl);
            g.subtract_from(led.market, pnl);
            const Real notional = (q < 0 ? -q : q) * fill[k];
            notional_sum += notional;
            rec.liquidated_notional[k] += notional;
            ++rec.liquidated_legs[k];
            traded[k] = 1;
            if (ws.live) ws.quantity[j] = full ? Real(0) : ws.quantity[j] - q;
        }
        const std::int64_t fee = std::min(g.to_cents(fee_rate * notional_sum), std::max<std::int64_t>(cash, 0));
        cash -= fee;  // 0 <= fee <= max(cash, 0)
        const std::int64_t reward = rules.keeper ? rules.keeper->reward_cents(fee, g) : 0;
        g.subtract_from(led.collateral, fee);
        g.add_to(led.fees, fee);
        g.add_to(led.keeper_rewards, reward);
        g.add_to(led.fund, fee - reward);  // 0 <= reward <= fee
        if (full && cash < 0) {  // the account ends at 0: the fund pays what it can, the rest is bad debt
            const std::int64_t deficit = g.subtract(0, cash);
            const std::int64_t pay = std::min(deficit, led.fund);
            g.add_to(led.collateral, deficit);
            led.fund -= pay;  // 0 <= pay <= fund
            g.add_to(led.fund_payouts, pay);
            g.add_to(led.bad_debt, deficit - pay);  // 0 <= pay <= deficit
            cash = 0;
        }
        if (ws.live) {
            ws.cash[s] = cash;
            if (full) set_cross_state(ws, s, cross_closed);
            else set_cross_state(ws, s, cross_active);
        }
        ++rec.liquidated_count;
        if (!full) ++rec.partial_count;
        cx.liquidated.push_back(static_cast<std::uint32_t>(b.original_index(s)));
        cx.liquidated_step.push_back(t);
        cx.liquidated_full.push_back(full ? 1 : 0);
    }
    for (std::size_t k = 0; k < k_assets; ++k) {
        cx.liquidated_notional[k] += rec.liquidated_notional[k];
        cx.liquidated_legs[k] += rec.liquidated_legs[k];
    }
    cx.liquidated_count += rec.liquidated_count;
    cx.partial_count += rec.partial_count;
    cx.checked += rec.checked;
    rec.insurance_fund = from_cents<Real>(led.fund);
    rec.bad_debt = from_cents<Real>(led.bad_debt);
    if (record_steps) cx.steps.push_back(std::move(rec));
    ws.batch.clear();
}

/// At the end of a run: the accounts the keeper left liquidatable (rule C8), valued at the
/// final marks: their count, Σ |q|·P of their open legs, and Σ max(−equity, 0).
template <std::floating_point Real>
void finish_cross(const cross_margin_book<Real>& b, const cross_workspace<Real>& ws, cross_outcome<Real>& cx,
                  std::span<const Real> mark) {
    if (!ws.live) return;
    for (const auto s : ws.candidates) {
        if ((ws.state[s] & ~cross_touched_bit) != cross_abandoned) continue;
        ++cx.abandoned;
        Real equity = from_cents<Real>(ws.cash[s]);
        for (std::size_t j = b.leg_begin(s); j < b.leg_end(s); ++j) {
            const Real q = ws.quantity[j];
            const Real p = mark[b.leg_asset(j)];
            equity += q * (p - b.leg_entry_price(j));
            cx.unliquidated_exposure += (q < 0 ? -q : q) * p;
        }
        if (equity < 0) cx.unliquidated_bad_debt -= equity;
    }
}

}  // namespace detail

}  // namespace margincall
