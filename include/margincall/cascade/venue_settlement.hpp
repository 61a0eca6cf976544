#pragma once
/// \file
/// Step 5 of a cascade step on one venue: settlement of the step's batch in integer cents and
/// the loss waterfall (insurance fund, then auto-deleveraging, socialised loss or bad debt), as
/// docs/cascades.md §3 (step 5) and §5 write it with its sources. Every transfer is booked
/// twice in the venue's cascade_ledger, so money is conserved to the cent. The cents arithmetic
/// goes through the venue state's cents_guard (core/money.hpp): no throw inside the loop over
/// accounts; an amount beyond int64 cents raises the guard's flag, which cascade_steps reports
/// after the step. Used by cascade_steps, and so by both simulators.
/// Cost: O(batch), plus the opposite side of the book in a step that deleverages or socialises.
/// Rules C1–C5 of docs/cascades.md §12 (fees, their order, ADL, socialised loss, partial closes).
/// \test tests/cascade/rules.cpp (one hand-computed test per rule); tests/cascade/venue_settlement.cpp (hand-worked settlements: fee and keeper share, fund
///       and bad debt, socialised loss, int64 overflow); tests/cascade/cascade_simulator.cpp
///       (conservation to the cent, ADL, order independence)

#include <margincall/cascade/auto_deleveraging.hpp>
#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/core/money.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace margincall::detail {

/// The closes of one side of the batch that ended below zero cash.
template <std::floating_point Real>
struct bankrupt_side {
    std::int64_t deficit{0};  // Σ −C of closed accounts with negative cash
    Real quantity{0};         // Σ |closed quantity|
    Real weighted_bp{0};      // Σ |closed quantity| × bankruptcy price
};

/// An account of the side opposite a deficit, with unrealised profit at the mark (rules C3, C4).
template <std::floating_point Real>
struct adl_candidate {
    std::uint32_t account;
    Real score;
    std::int64_t profit;
};

/// Profitable active accounts of one side at `price` (the mark after the batch: rules C3, C4),
/// in the index's canonical order. `profit` is what rule C4 may charge: to_cents(q·(price − E))
/// less what earlier steps' socialised losses already charged the account, capped by its cash
/// (the charge is debited from the cash, which must stay ≥ 0), at least 0.
template <std::floating_point Real>
void profitable(venue_state<Real>& st, bool longs, Real price, adl_ranking ranking,
                       std::vector<adl_candidate<Real>>& out) {
    const auto& b = *st.book;
    const auto index = longs ? b.longs_by_liquidation_price() : b.shorts_by_liquidation_price();
    out.clear();
    for (const auto& e : index) {
        const auto i = e.account;
        if (st.state[i] != account_state::active) continue;
        const Real q = st.quantity[i];
        const Real upnl = q * (price - b.entry_price(i));
        if (!(upnl > 0)) continue;
        const Real cash = from_cents<Real>(st.collateral[i]);
        Real score;
        if (ranking == adl_ranking::bitmex) {
            score = bitmex_adl_score(q * price, q * b.entry_price(i), q * liquidation_book<Real>::bankruptcy_price(q, b.entry_price(i), cash));
        } else {
            score = binance_adl_score(upnl, cash, b.maintenance_margin(i, q, price));
        }
        const std::int64_t net = st.money.subtract(st.money.to_cents(upnl), st.socialised_charge[i]);
        out.push_back({i, score, std::max<std::int64_t>(std::min(net, st.collateral[i]), 0)});
    }
}

// ADL (rule C3): the opposite side, ranked at the mark among the accounts profitable both at the
// mark and at the (quantity-weighted) bankruptcy price B̄ — so the take-over at B̄ never
// realises a loss — takes over θ = residual/deficit of the bankrupt quantity at B̄, by rank,
// with no fee and no price impact. Returns the cents it covered, at most `residual`.
template <std::floating_point Real, class Liquidation>
std::int64_t deleverage(const cascade_venue<Real, Liquidation>& cfg, venue_state<Real>& st, venue_outcome<Real>& vo,
                        cascade_step<Real>& rec, bool bankrupt_longs, Real mark, Real fill,
                        const bankrupt_side<Real>& side, std::int64_t residual) {
    const auto& b = *st.book;
    auto& led = vo.ledger;
    auto& g = st.money;
    std::vector<adl_candidate<Real>> cands;
    profitable(st, !bankrupt_longs, mark, cfg.waterfall.ranking, cands);
    std::stable_sort(cands.begin(), cands.end(), [](const adl_candidate<Real>& x, const adl_candidate<Real>& y) { return x.score > y.score; });
    const Real theta = static_cast<Real>(residual) / static_cast<Real>(side.deficit);
    const Real bp = side.weighted_bp / side.quantity;
    Real left = theta * side.quantity;
    Real taken{0};
    for (const auto& c : cands) {
        if (!(left > 0)) break;
        const auto j = c.account;
        const Real q = st.quantity[j];
        if (!(q * (bp - b.entry_price(j)) > 0)) continue;  // would realise a loss at B̄ (rule C3)
        const Real q_abs = q < 0 ? -q : q;
        const Real u = q_abs < left ? q_abs : left;
        const Real closed = q < 0 ? -u : u;
        const std::int64_t pnl = g.to_cents(closed * (bp - b.entry_price(j)));
        st.touch(j);
        g.add_to(st.collateral[j], pnl);
        g.add_to(led.collateral, pnl);
        g.subtract_from(led.market, pnl);
        left -= u;
        taken += u;
        rec.adl_notional += u * bp;
        ++vo.adl_count;
        if (u >= q_abs) {
            st.quantity[j] = 0;
            st.state[j] = account_state::closed;
        } else {
            st.quantity[j] = q - closed;
            reinsert(st, j);
        }
    }
    // The bankrupt side trades `taken` at bp instead of the fill: its improvement, from the
    // market, rounded once and capped at the residual it covers (rule C3).
    const Real gap = fill > bp ? fill - bp : bp - fill;
    const std::int64_t improvement = std::min(g.to_cents(taken * gap), residual);
    g.subtract_from(led.market, improvement);
    g.add_to(led.collateral, improvement);
    return improvement;
}

// Socialised loss (rule C4): the residual is charged to the opposite side's unrealised profit at
// the mark, in cents, net of earlier charges and capped by each account's cash, pro rata (largest
// remainder in cents, ties in the index's canonical order), capped by the sum of those profits.
template <std::floating_point Real>
std::int64_t socialise(venue_state<Real>& st, cascade_ledger& led, bool bankrupt_longs, Real mark,
                       std::int64_t residual) {
    auto& g = st.money;
    std::vector<adl_candidate<Real>> cands;
    profitable(st, !bankrupt_longs, mark, adl_ranking::bitmex, cands);
    std::int64_t total{0};
    for (const auto& c : cands) g.add_to(total, c.profit);
    if (total <= 0) return 0;
    const std::int64_t charge = std::min(total, residual);
    std::vector<std::int64_t> share(cands.size());
    std::vector<long double> remainder(cands.size());
    std::int64_t assigned{0};
    for (std::size_t k = 0; k < cands.size(); ++k) {
        const long double exact = static_cast<long double>(charge) * static_cast<long double>(cands[k].profit) /
                                  static_cast<long double>(total);
        share[k] = std::min(static_cast<std::int64_t>(std::floor(exact)), cands[k].profit);
        remainder[k] = exact - static_cast<long double>(share[k]);
        assigned += share[k];
    }
    std::vector<std::size_t> order(cands.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return remainder[x] > remainder[y]; });
    for (std::size_t r = 0; assigned < charge && r < order.size(); ++r) {
        const auto k = order[r];
        if (share[k] < cands[k].profit) {
            ++share[k];
            ++assigned;
        }
    }
    for (std::size_t k = 0; k < cands.size(); ++k) {
        if (share[k] == 0) continue;
        const auto j = cands[k].account;
        st.touch(j);
        g.subtract_from(st.collateral[j], share[k]);
        g.add_to(st.socialised_charge[j], share[k]);
        g.subtract_from(led.collateral, share[k]);
        reinsert(st, j);
    }
    g.add_to(led.collateral, assigned);  // credited to the bankrupt accounts (they end at 0 below)
    return assigned;
}

/// Step 5 on one venue: settles st.batch at `fill` (mark `mark` after impact) in integer
/// cents — realised PnL, the liquidation fee to the fund (the keeper's share out of it) — then
/// runs the waterfall on the deficits (fund → ADL / socialised / bad debt), values the abandoned
/// accounts at the mark, and adds the step to `vo` (its record only if `record_steps`).
template <std::floating_point Real, class Liquidation>
void settle_batch(const cascade_venue<Real, Liquidation>& cfg, venue_state<Real>& st, venue_outcome<Real>& vo,
                  Real reference, Real mark, Real fill, bool record_steps) {
    const auto& b = *st.book;
    auto& led = vo.ledger;
    auto& g = st.money;  // hot path: no throw per account; cascade_steps tests the flag after the step
    cascade_step<Real> rec;
    rec.reference_price = reference;
    rec.price = mark;
    rec.execution_price = st.batch.empty() ? Real(0) : fill;
    const Real fee_rate = cfg.waterfall.liquidation_fee_rate;
    bankrupt_side<Real> sides[2];  // [0] longs, [1] shorts
    std::vector<std::uint32_t>& bankrupts = st.due;  // reused as scratch
    bankrupts.clear();
    for (std::size_t k = 0; k < st.batch.size(); ++k) {
        const auto i = st.batch[k];
        const Real q = st.quantity[i];
        Real f = st.fraction[k];
        // Rule C5: an account bankrupt at the fill (C + to_cents(q·(X − E)) < 0, X beyond its
        // bankruptcy price) is closed in full, never left open with negative cash. The quantity
        // added to the batch fills at X without moving the price of this step.
        if (f < Real(1) && g.add(st.collateral[i], g.to_cents(q * (fill - b.entry_price(i)))) < 0) f = Real(1);
        const Real closed = f >= Real(1) ? q : f * q;
        const Real closed_abs = closed < 0 ? -closed : closed;
        const Real bp_before = liquidation_book<Real>::bankruptcy_price(q, b.entry_price(i), from_cents<Real>(st.collateral[i]));
        const std::int64_t pnl = g.to_cents(closed * (fill - b.entry_price(i)));
        const Real notional = closed_abs * fill;
        std::int64_t fee = g.to_cents(fee_rate * notional);
        const std::int64_t cash = g.add(st.collateral[i], pnl);
        std::int64_t cap = cash;  // rules C1, C5
        if (cfg.waterfall.fee_limit == fee_cap::equity && f < Real(1)) cap = g.add(cash, g.to_cents((q - closed) * (mark - b.entry_price(i))));
        fee = std::min(fee, std::max<std::int64_t>(std::min(cap, cash), 0));
        st.collateral[i] = cash - fee;  // 0 <= fee <= max(cash, 0): no overflow
        g.add_to(led.collateral, g.subtract(pnl, fee));
        g.subtract_from(led.market, pnl);
        g.add_to(led.fees, fee);
        std::int64_t reward = 0;
        if (cfg.keeper) {
            // share·fee in cents, rounded half away from zero through the guard (flagged, not
            // undefined, beyond int64); at most the fee, which a double near 2^63 could pass.
            reward = std::min(g.round(static_cast<double>(cfg.keeper->reward_share()) * static_cast<double>(fee)), fee);
            rec.automation_cost += cfg.keeper->cost_per_liquidation();
        }
        g.add_to(led.keeper_rewards, reward);
        g.add_to(led.fund, fee - reward);  // 0 <= reward <= fee
        rec.liquidated_notional += notional;
        ++rec.liquidated_count;
        if (f >= Real(1)) {
            st.quantity[i] = 0;
            st.state[i] = account_state::closed;
            if (st.collateral[i] < 0) {
                auto& side = sides[q > 0 ? 0 : 1];
                g.subtract_from(side.deficit, st.collateral[i]);
                side.quantity += closed_abs;
                side.weighted_bp += closed_abs * bp_before;
                bankrupts.push_back(i);
            }
        } else {
            st.quantity[i] = q - closed;
            reinsert(st, i);
        }
    }
    // Waterfall, longs' deficits first, then shorts'.
    for (int s = 0; s < 2; ++s) {
        const auto& side = sides[s];
        if (side.deficit == 0) continue;
        std::int64_t covered = 0;  // by ADL or socialisation
        if (side.deficit > led.fund && cfg.waterfall.residual != residual_loss::bad_debt) {
            const std::int64_t residual = g.subtract(side.deficit, led.fund);
            if (cfg.waterfall.residual == residual_loss::auto_deleveraging) {
                covered = deleverage(cfg, st, vo, rec, s == 0, mark, fill, side, residual);
                g.add_to(led.adl_covered, covered);
            } else {
                covered = socialise(st, led, s == 0, mark, residual);
                g.add_to(led.socialised, covered);
            }
        }
        // The bankrupt accounts end at 0 cash: covered (booked already) + fund + bad debt = deficit.
        // covered <= residual <= deficit (rules C3, C4), so need >= 0.
        const std::int64_t need = g.subtract(side.deficit, covered);
        assert(need >= 0);  // the bound above; a negative need would grow the fund silently
        g.add_to(led.collateral, need);
        const std::int64_t pay = std::min(need, led.fund);
        led.fund -= pay;  // 0 <= pay <= fund
        g.add_to(led.fund_payouts, pay);
        g.add_to(led.bad_debt, need - pay);  // 0 <= pay <= need
    }
    for (const auto i : bankrupts) st.collateral[i] = 0;
    bankrupts.clear();
    // Abandoned accounts at the new mark.
    for (const auto i : st.abandoned) {
        const Real q = st.quantity[i];
        rec.unliquidated_exposure += (q < 0 ? -q : q) * mark;
        const Real equity = from_cents<Real>(st.collateral[i]) + q * (mark - b.entry_price(i));
        if (equity < 0) rec.unliquidated_bad_debt -= equity;
    }
    rec.insurance_fund = from_cents<Real>(led.fund);
    rec.bad_debt = from_cents<Real>(led.bad_debt);
    vo.liquidated_notional += rec.liquidated_notional;
    vo.liquidated_count += rec.liquidated_count;
    vo.adl_notional += rec.adl_notional;
    vo.automation_cost += rec.automation_cost;
    vo.unliquidated_exposure = rec.unliquidated_exposure;
    vo.unliquidated_bad_debt = rec.unliquidated_bad_debt;
    if (record_steps) vo.steps.push_back(rec);
    st.batch.clear();
    st.fraction.clear();
}

}  // namespace margincall::detail
