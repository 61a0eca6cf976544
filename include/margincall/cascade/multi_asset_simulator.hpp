#pragma once
/// \file
/// Liquidation cascades on several assets: K assets, each with its own mark, its own price
/// impact and its own book of isolated positions (a liquidation_book, flat or tiered, with the
/// venue's liquidation policy, waterfall and keeper), plus cross-margin accounts whose one
/// wallet backs legs on several assets (cross_margin_book). A cross account is liquidated when
/// its equity falls below its maintenance margin, and all its legs are closed, each into its
/// own asset's impact: a shock on asset A moves B through the accounts that hold both, and the
/// isolated book of B reacts to it (docs/cascades.md §11).
///
/// One step t (the single-asset step of cascade_simulator.hpp on every asset, with one more
/// source of forced orders; the isolated venues' parts are cascade_steps.hpp, the same code):
///  1. for every asset k: resilience Q_k ← recover_k(Q_k); mark P_k = price_k(S_k,t, Q_k);
///  2. isolated positions of every asset: crossings, keeper, batch at P_k
///     (cascade_steps::collect_step);
///  3. cross accounts: in every group G of accounts holding the same assets, the prefix with
///     key ≤ max_{i∈G} |P_i − P⁰_i|/P⁰_i becomes candidate (cross_margin_book.hpp); every
///     candidate is checked exactly (equity < MM); a candidate that survives stays one
///     (cross_account_steps.hpp, detail::collect_cross); with `cross_liquidation` the keeper
///     decides (delay, cost, rule C8) and rule C11 sizes each leg's close;
///  4. per asset the batch's signed volume V_k = −Σ f·q (isolated) − Σ q_leg (cross legs on k);
///     new mark P_k' = price_k(S_k,t, Q_k + V_k), fill at the VWAP (or P_k' for a call auction);
///  5. settlement in integer cents: isolated positions through cascade_steps::settle_step (fees,
///     insurance fund, ADL / socialised loss / bad debt of that asset's venue); cross accounts
///     realise every closed leg at its asset's fill, pay the liquidation fee of the cross waterfall
///     into its fund, and a negative balance is paid by that fund, the rest being bad debt
///     (cross_account_steps.hpp, detail::settle_cross).
/// The run ends at the first step after the shocks with no crossing, no candidate liquidated,
/// no execution and nothing pending, on any asset.
///
/// Modelling choices: by default cross accounts are executed at once, wholly (full close; no
/// keeper); with `cross_liquidation` their legs are closed largest loss first, just enough to
/// restore (1 + b)·MM (rule C11, tiered or flat), by a keeper with a delay, a cost and a reward
/// (§6, rule C8). Their deficits go to the cross waterfall's fund, then bad debt (no ADL: the
/// cross fund does not belong to one asset's opposite side). ADL on an asset ranks that
/// asset's isolated positions only.
///
/// Cost of a step: O(isolated accounts crossed or executed on each asset + cross candidates +
/// groups × K). The candidates are the cross accounts whose bound is reached, a superset of
/// those liquidated that does not grow with the accounts far from liquidation.
/// \tparam Real float, double or long double
/// \tparam Impact a price_impact policy (one object per asset, so parameters differ)
/// \tparam Liquidation a liquidation_policy (isolated positions)
/// \test tests/cascade/multi_asset_simulator.cpp

#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/cascade/cascade_steps.hpp>
#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/cross_account_steps.hpp>
#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/money.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// One asset of a multi-asset cascade: its impact and its venue of isolated positions.
template <std::floating_point Real = double, class Impact = linear_impact<Real>, class Liquidation = full_close>
struct cascade_asset {
    Impact impact;
    cascade_venue<Real, Liquidation> isolated{};  ///< isolated.book null: no isolated positions on this asset
};

/// A multi-asset run to the fixed point.
template <std::floating_point Real = double>
struct multi_asset_outcome {
    /// Per asset: marks and reference prices per step, start/final/lowest/highest, drawdown,
    /// amplification, the last step anything traded on it, and its isolated venue (`venues`
    /// has one entry, or none for an asset without isolated positions).
    std::vector<cascade_outcome<Real>> assets;
    cross_outcome<Real> cross;
    std::size_t steps_to_fixed_point{0};  ///< the last step at which anything was liquidated
    bool converged{true};
    /// Every ledger (isolated venues and the cross accounts) balances to the cent.
    [[nodiscard]] bool balanced() const noexcept {
        for (const auto& a : assets)
            for (const auto& v : a.venues)
                if (!v.ledger.balanced()) return false;
        return cross.ledger.balanced();
    }
    [[nodiscard]] Real total_bad_debt() const noexcept {
        Real s = from_cents<Real>(cross.ledger.bad_debt);
        for (const auto& a : assets) s += a.total_bad_debt();
        return s;
    }
};

/// Reusable memory of a multi-asset simulator's runs (reset in O(accounts touched)).
/// Thread safety: one run's mutable state: one workspace per thread, never shared between
/// concurrent runs.
template <std::floating_point Real = double>
class multi_asset_workspace {
public:
    std::vector<cascade_workspace<Real>> assets;
    cross_workspace<Real> cross;
};

/// The multi-asset cascade simulator. Immutable once built; `run` is const.
/// Thread safety: `run` is reentrant: concurrent runs are safe, each with its own workspace.
template <std::floating_point Real = double, class Impact = linear_impact<Real>, class Liquidation = full_close>
    requires price_impact<Impact, Real> && liquidation_policy<Liquidation, Real>
class multi_asset_simulator {
public:
    using asset = cascade_asset<Real, Impact, Liquidation>;
    using isolated_steps = cascade_steps<Real, Liquidation>;

    /// \param assets K ≥ 1 assets
    /// \param cross cross accounts on the same K assets, or null
    /// \param cross_waterfall fee rate and fund of the cross accounts; residual must be bad_debt
    /// \param cross_rules how cross accounts are executed (partial close, keeper); default:
    ///        wholly and at once
    /// \throws margincall::invalid_argument for no asset, a cross book on another number of
    ///         assets, an invalid waterfall, a residual rule other than bad_debt for the cross
    ///         accounts, an order-book depth smaller than what the books could force through it
    multi_asset_simulator(std::vector<asset> assets, const cross_margin_book<Real>* cross = nullptr,
                          loss_waterfall<Real> cross_waterfall = {Real(0), Real(0), residual_loss::bad_debt, adl_ranking::bitmex},
                          cascade_options options = {}, cross_liquidation<Real> cross_rules = {})
        : cross_{cross}, cross_waterfall_{cross_waterfall}, options_{options}, cross_rules_{std::move(cross_rules)} {
        constexpr const char* where = "multi_asset_simulator";
        if (assets.empty()) throw_invalid_argument(where, "the number of assets", 0, ">= 1");
        if (cross != nullptr && cross->assets() != assets.size())
            throw_invalid_argument(where, "the number of assets of the cross book", cross->assets(),
                                   detail::message("the number of assets (", assets.size(), ")").c_str());
        cross_waterfall_.validate(where);
        if (cross_waterfall_.residual != residual_loss::bad_debt)
            throw_invalid_argument(where, "cross_waterfall.residual",
                                   cross_waterfall_.residual == residual_loss::auto_deleveraging ? "auto_deleveraging" : "socialised",
                                   "bad_debt (cross deficits: the cross fund, then bad debt)");
        if (options_.max_steps == 0) throw_invalid_argument(where, "max_steps", 0, ">= 1");
        const std::size_t k_assets = assets.size();
        long_.assign(k_assets, Real(0));
        short_.assign(k_assets, Real(0));
        for (std::size_t k = 0; k < k_assets; ++k) {
            auto& a = assets[k];
            impacts_.push_back(a.impact);
            if (a.isolated.book != nullptr) {
                long_[k] += a.isolated.book->liquidatable_long_quantity();
                short_[k] += a.isolated.book->total_short_quantity();
                isolated_.emplace_back(isolated_steps({a.isolated}, options_, where));
            } else {
                isolated_.emplace_back(std::nullopt);
            }
            if (cross != nullptr) {
                long_[k] += cross->long_quantity(k);
                short_[k] += cross->short_quantity(k);
            }
            if constexpr (requires { a.impact.total_depth(); }) {
                const Real depth = a.impact.total_depth();
                if (!(depth > long_[k]))
                    throw_invalid_argument(where, detail::message("the total depth of asset ", k), depth,
                                           detail::message("> its books' long quantity ", long_[k]).c_str());
                if (!(depth > short_[k]))
                    throw_invalid_argument(where, detail::message("the total depth of asset ", k), depth,
                                           detail::message("> its books' short quantity ", short_[k]).c_str());
            }
        }
    }

    [[nodiscard]] std::size_t assets() const noexcept { return impacts_.size(); }
    [[nodiscard]] const cross_margin_book<Real>* cross_book() const noexcept { return cross_; }

    /// Runs one shock per asset to the fixed point with a fresh workspace.
    [[nodiscard]] multi_asset_outcome<Real> run(std::span<const exogenous_shock<Real>> shocks) const {
        multi_asset_workspace<Real> ws;
        return run(shocks, ws);
    }

    /// Runs one shock per asset (an asset that should not move: exogenous_shock::instant_relative(P, 0))
    /// to the fixed point, reusing `ws`.
    /// \throws margincall::invalid_argument for a number of shocks other than K, a linear
    ///         impact that could push an asset's price to 0 or below (λ_k × its long quantity,
    ///         isolated that a positive price can liquidate plus cross, ≥ its start price),
    ///         a step whose price would not be positive, or a step amount (PnL, fee, ledger
    ///         total) beyond int64 cents (tested once per step, core/money.hpp)
    [[nodiscard]] multi_asset_outcome<Real> run(std::span<const exogenous_shock<Real>> shocks,
                                                multi_asset_workspace<Real>& ws) const {
        constexpr const char* where = "multi_asset_simulator";
        const std::size_t k_assets = impacts_.size();
        if (shocks.size() != k_assets)
            throw_invalid_argument(where, "the number of shocks", shocks.size(),
                                   detail::message("the number of assets (", k_assets, ")").c_str());
        for (std::size_t k = 0; k < k_assets; ++k) {
            if constexpr (requires { impacts_[k].lambda(); }) {
                const Real reach = impacts_[k].lambda() * long_[k];
                if (!(reach < shocks[k].start_price()))
                    throw_invalid_argument(where, detail::message("lambda × long quantity of asset ", k), reach,
                                           detail::message("< its start price ", shocks[k].start_price()).c_str());
            }
        }
        multi_asset_outcome<Real> out;
        out.assets.resize(k_assets);
        ws.assets.resize(k_assets);
        for (std::size_t k = 0; k < k_assets; ++k)
            if (isolated_[k]) isolated_[k]->prepare(ws.assets[k], out.assets[k]);
        detail::bind_cross(cross_, ws.cross, !cross_rules_.immediate_full_close());
        auto& cx = out.cross;
        cx.liquidated_notional.assign(k_assets, Real(0));
        cx.liquidated_legs.assign(k_assets, 0);
        cx.ledger.initial_collateral = cross_ != nullptr ? cross_->total_wallet_cents() : 0;
        cx.ledger.collateral = cx.ledger.initial_collateral;
        cx.ledger.initial_fund = to_cents(cross_waterfall_.insurance_fund);
        cx.ledger.fund = cx.ledger.initial_fund;

        std::vector<Real> q_disp(k_assets, Real(0)), mark(k_assets), reference(k_assets), volume(k_assets),
            new_mark(k_assets), fill(k_assets), exo_move(k_assets, Real(0)), mark_move(k_assets, Real(0)), mu(k_assets);
        std::vector<std::uint8_t> traded(k_assets);
        std::size_t horizon = 0;
        for (std::size_t k = 0; k < k_assets; ++k) {
            auto& o = out.assets[k];
            o.start_price = shocks[k].start_price();
            mark[k] = impacts_[k].price(o.start_price, Real(0));
            o.lowest_price = mark[k];
            o.highest_price = mark[k];
            horizon = std::max(horizon, shocks[k].steps());
        }
        std::size_t t = 1;
        for (;; ++t) {
            if (t > horizon + options_.max_steps) {
                out.converged = false;
                break;
            }
            bool any = false;
            for (std::size_t k = 0; k < k_assets; ++k) {
                if (t > 1) q_disp[k] = impacts_[k].recover(q_disp[k]);
                const auto refs = shocks[k].reference_prices();
                reference[k] = t <= refs.size() ? refs[t - 1] : refs.back();
                exo_move[k] = std::max(exo_move[k], std::abs(reference[k] - shocks[k].start_price()));
                mark[k] = impacts_[k].price(reference[k], q_disp[k]);
                check_price(where, mark[k]);
                volume[k] = Real(0);
                traded[k] = 0;
                if (isolated_[k]) {
                    any |= isolated_[k]->collect_step(ws.assets[k], t, mark[k]);
                    volume[k] = isolated_[k]->batch_volume(ws.assets[k]);
                }
            }
            cross_step<Real> crec;
            if (cross_ != nullptr) {
                detail::collect_cross(*cross_, ws.cross, std::span<const Real>(mark), std::span<Real>(mu), crec, cross_rules_,
                                      cross_waterfall_.liquidation_fee_rate, t);
                detail::add_cross_volume(*cross_, ws.cross, std::span<Real>(volume));
                any |= !ws.cross.batch.empty();
            }
            for (std::size_t k = 0; k < k_assets; ++k) {
                const Real q_new = q_disp[k] + volume[k];
                new_mark[k] = impacts_[k].price(reference[k], q_new);
                check_price(where, new_mark[k]);
                fill[k] = new_mark[k];
                if constexpr (!Liquidation::uniform_price) fill[k] = impacts_[k].average_price(reference[k], q_disp[k], q_new);
                check_price(where, fill[k]);
                q_disp[k] = q_new;
            }
            bool pending = false;
            for (std::size_t k = 0; k < k_assets; ++k) {
                if (!isolated_[k]) continue;
                traded[k] |= isolated_[k]->settle_step(ws.assets[k], out.assets[k], reference[k], new_mark[k], fill[k]) ? 1 : 0;
                pending |= isolated_steps::pending(ws.assets[k]);
            }
            if (cross_ != nullptr) {
                detail::settle_cross(*cross_, cross_waterfall_, options_.record_steps, ws.cross, out.cross,
                                     std::span<const Real>(fill), traded, crec, t, cross_rules_);
                pending |= ws.cross.pending > 0;
                if (ws.cross.money.overflowed())
                    throw_invalid_argument(where, "a cents amount of the cross accounts", "beyond the int64 range",
                                           "within +-92233720368547758.07 (the book's amounts are too large for int64 cents)");
            }
            bool traded_any = false;
            for (std::size_t k = 0; k < k_assets; ++k) {
                auto& o = out.assets[k];
                mark[k] = new_mark[k];
                o.prices.push_back(mark[k]);
                o.reference_prices.push_back(reference[k]);
                o.lowest_price = std::min(o.lowest_price, mark[k]);
                o.highest_price = std::max(o.highest_price, mark[k]);
                mark_move[k] = std::max(mark_move[k], std::abs(mark[k] - o.start_price));
                if (traded[k] != 0) {
                    o.steps_to_fixed_point = t;
                    traded_any = true;
                }
            }
            if (traded_any) out.steps_to_fixed_point = t;
            if (t >= horizon && !any && !traded_any && !pending) break;
        }
        if (cross_ != nullptr) detail::finish_cross(*cross_, ws.cross, out.cross, std::span<const Real>(mark));
        for (std::size_t k = 0; k < k_assets; ++k) {
            auto& o = out.assets[k];
            if (!options_.record_steps) {
                o.prices.clear();
                o.reference_prices.clear();
            }
            o.converged = out.converged;
            o.final_price = mark[k];
            o.drawdown = (o.start_price - o.lowest_price) / o.start_price;
            if (exo_move[k] > 0) o.amplification = mark_move[k] / exo_move[k];
            else o.amplification = mark_move[k] > 0 ? std::numeric_limits<Real>::infinity() : Real(1);
        }
        return out;
    }

private:
    static void check_price(const char* where, Real price) {
        if (!(price > 0) || !detail::is_finite(price))
            throw_invalid_argument(where, "the price after impact", price,
                                   "finite and > 0 (the impact model is too strong for the book)");
    }

    std::vector<Impact> impacts_;
    std::vector<std::optional<isolated_steps>> isolated_;
    const cross_margin_book<Real>* cross_;
    loss_waterfall<Real> cross_waterfall_;
    cascade_options options_;
    cross_liquidation<Real> cross_rules_;
    std::vector<Real> long_, short_;
};

}  // namespace margincall
