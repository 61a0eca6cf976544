#pragma once
/// \file
/// The cross-margin accounts' part of a multi-asset cascade step (docs/cascades.md §11):
/// step 3, candidates from the distance-bound index of cross_margin_book.hpp checked exactly
/// (equity < MM), and step 5, every leg of a liquidated account realised at its asset's fill,
/// the fee to the cross fund, a deficit to the fund and then bad debt. What the cross accounts
/// report (cross_step, cross_outcome) and their reusable memory (cross_workspace) live here too.
/// Used by multi_asset_simulator, which moves the prices around these steps.
/// Cost of a step: O(candidates + groups × K + legs of the accounts liquidated).
/// \test tests/cascade/cross_account_steps.cpp; tests/cascade/multi_asset_simulator.cpp
///       (hand-worked two-asset case, brute-force re-evaluation, conservation to the cent)

#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/core/money.hpp>

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// Cross accounts in one step.
template <std::floating_point Real = double>
struct cross_step {
    std::vector<Real> liquidated_notional;       ///< per asset: Σ |leg| × fill of the legs closed
    std::vector<std::size_t> liquidated_legs;    ///< per asset: legs closed
    std::size_t liquidated_count{0};             ///< accounts liquidated
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
    std::size_t liquidated_count{0};
    std::size_t checked{0};                    ///< exact checks over the run (the index's cost)
    std::vector<std::uint32_t> liquidated;     ///< input index of each liquidated account, in order
    std::vector<std::size_t> liquidated_step;  ///< the step it was liquidated at
};

/// Reusable memory of the cross accounts' steps (reset in O(accounts that entered a prefix)).
template <std::floating_point Real = double>
struct cross_workspace {
    const cross_margin_book<Real>* book{nullptr};
    std::vector<std::uint8_t> candidate;        ///< per stored cross account: 1 once it entered the prefix
    std::vector<std::size_t> cursor;            ///< per group: end of the prefix read so far
    std::vector<std::uint32_t> candidates;      ///< live candidates, stored order of entry
    std::vector<std::uint32_t> batch;           ///< liquidated this step
    cents_guard money;                          ///< the cross settlement's cents arithmetic
};

namespace detail {

/// Binds (or resets, in O(accounts that entered a prefix)) the workspace to `book` (null: no
/// cross accounts).
template <std::floating_point Real>
void bind_cross(const cross_margin_book<Real>* book, cross_workspace<Real>& ws) {
    ws.money.clear();
    ws.batch.clear();
    ws.candidates.clear();
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
}

/// Step 3 at marks `mark` (one per asset): the prefixes the current moves reach join the
/// candidates; every candidate is checked exactly (equity < MM); the liquidated ones go to
/// ws.batch. `mu` is scratch of one entry per asset.
template <std::floating_point Real>
void collect_cross(const cross_margin_book<Real>& b, cross_workspace<Real>& ws, std::span<const Real> mark,
                   std::span<Real> mu, cross_step<Real>& rec) {
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
    std::size_t kept = 0;
    for (std::size_t r = 0; r < ws.candidates.size(); ++r) {
        const auto s = ws.candidates[r];
        if (b.surplus(s, mark) < 0) ws.batch.push_back(s);
        else ws.candidates[kept++] = s;
    }
    rec.checked = ws.candidates.size();
    ws.candidates.resize(kept);
}

/// Step 5 for the liquidated cross accounts at fills `fill` (one per asset), step t: every leg
/// at its asset's fill, the fee to the cross fund, a negative balance to the fund, then bad
/// debt; the assets that traded are marked in `traded`. The cents go through ws.money: test
/// its flag after the call.
template <std::floating_point Real>
void settle_cross(const cross_margin_book<Real>& b, const loss_waterfall<Real>& waterfall, bool record_steps,
                  cross_workspace<Real>& ws, cross_outcome<Real>& cx, std::span<const Real> fill,
                  std::vector<std::uint8_t>& traded, cross_step<Real>& rec, std::size_t t) {
    auto& led = cx.ledger;
    const std::size_t k_assets = fill.size();
    rec.liquidated_notional.assign(k_assets, Real(0));
    rec.liquidated_legs.assign(k_assets, 0);
    const Real fee_rate = waterfall.liquidation_fee_rate;
    auto& g = ws.money;  // hot path: no throw per account; the caller tests the flag after the step
    for (const auto s : ws.batch) {
        std::int64_t cash = b.wallet_cents(s);
        Real notional_sum{0};
        for (std::size_t j = b.leg_begin(s); j < b.leg_end(s); ++j) {
            const auto k = b.leg_asset(j);
            const Real q = b.leg_quantity(j);
            const std::int64_t pnl = g.to_cents(q * (fill[k] - b.leg_entry_price(j)));
            g.add_to(cash, pnl);
            g.add_to(led.collateral, pnl);
            g.subtract_from(led.market, pnl);
            const Real notional = (q < 0 ? -q : q) * fill[k];
            notional_sum += notional;
            rec.liquidated_notional[k] += notional;
            ++rec.liquidated_legs[k];
            traded[k] = 1;
        }
        const std::int64_t fee = std::min(g.to_cents(fee_rate * notional_sum), std::max<std::int64_t>(cash, 0));
        cash -= fee;  // 0 <= fee <= max(cash, 0)
        g.subtract_from(led.collateral, fee);
        g.add_to(led.fees, fee);
        g.add_to(led.fund, fee);
        if (cash < 0) {  // the account ends at 0: the fund pays what it can, the rest is bad debt
            const std::int64_t deficit = g.subtract(0, cash);
            const std::int64_t pay = std::min(deficit, led.fund);
            g.add_to(led.collateral, deficit);
            led.fund -= pay;  // 0 <= pay <= fund
            g.add_to(led.fund_payouts, pay);
            g.add_to(led.bad_debt, deficit - pay);  // 0 <= pay <= deficit
        }
        ++rec.liquidated_count;
        cx.liquidated.push_back(static_cast<std::uint32_t>(b.original_index(s)));
        cx.liquidated_step.push_back(t);
    }
    for (std::size_t k = 0; k < k_assets; ++k) {
        cx.liquidated_notional[k] += rec.liquidated_notional[k];
        cx.liquidated_legs[k] += rec.liquidated_legs[k];
    }
    cx.liquidated_count += rec.liquidated_count;
    cx.checked += rec.checked;
    rec.insurance_fund = from_cents<Real>(led.fund);
    rec.bad_debt = from_cents<Real>(led.bad_debt);
    if (record_steps) cx.steps.push_back(std::move(rec));
    ws.batch.clear();
}

}  // namespace detail

}  // namespace margincall
