#pragma once
/// \file
/// Liquidation-cascade simulator: an exogenous move pushes accounts over their liquidation
/// price, their forced orders move the price through an impact policy, more accounts cross,
/// and so on to a fixed point. One or several venues (exchanges, lending protocols) share the
/// asset, so a cascade on one lowers the collateral value on the others (contagion).
///
/// One step t (docs/cascades.md §3 has the equations and their sources):
///  1. resilience: Q ← recover(Q); reference S_t from the shock; mark P = price(S_t, Q);
///  2. crossings: on every venue, the longs with LP ≥ P and the shorts with LP ≤ P, read off
///     the liquidation-price index (a cursor into the sorted book plus a small heap of accounts
///     whose LP changed): O(crossed);
///  3. keeper: a crossing is executed `delay_steps` later, if the reward covers the cost;
///     otherwise the account is left open (unliquidated exposure) and re-checked each step;
///  4. the step's forced orders are one batch: signed volume V = −Σ f_i q_i (f_i from the
///     liquidation policy at the mark), Q₁ = Q + V, new mark P₁ = price(S_t, Q₁); the batch
///     fills at the VWAP average_price(S_t, Q, Q₁), or at P₁ for a call auction;
///  5. settlement in integer cents: realised PnL, liquidation fee to the fund (keeper's share
///     out of it); deficits of closes beyond bankruptcy → fund → ADL / socialised / bad debt.
/// The run ends at the first step after the shock with no crossing, no execution and nothing
/// pending: the fixed point.
///
/// Order independence: a step's set of accounts is fixed by thresholds, its sums are taken in
/// the index's canonical order (liquidation price, then the account's fields), and the
/// waterfall allocates per step, not per account, so a shuffled book gives the same result.
/// Cost: a step touches the accounts it crosses or executes, the abandoned ones, and, only in a
/// step that auto-deleverages or socialises, the opposite side of the book (ranked at the
/// current mark, as the venues do).
/// \tparam Real float, double or long double
/// \tparam Impact a price_impact policy
/// \tparam Liquidation a liquidation_policy
/// The step's parts live in their own headers: cascade_steps.hpp (steps 2–5 on the venues,
/// shared with multi_asset_simulator), venue_crossings.hpp, venue_settlement.hpp; the inputs
/// and results in cascade_venue.hpp and cascade_outcome.hpp; the reusable memory in
/// cascade_workspace.hpp. This header is the driver: the price path and the fixed point.
/// \test tests/cascade/cascade_simulator.cpp: geometric-series fixed point and runaway condition
///       of an evenly spread book under linear impact, conservation to the cent, order
///       independence, no leverage never cascades, large fund never deleverages, keeper with no
///       delay and no cost = no keeper, bad input, positive prices.

#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/cascade/cascade_steps.hpp>
#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// The cascade simulator. Immutable once built; `run` is const and reentrant with one
/// workspace per thread.
template <std::floating_point Real = double, class Impact = linear_impact<Real>, class Liquidation = full_close>
    requires price_impact<Impact, Real> && liquidation_policy<Liquidation, Real>
class cascade_simulator {
public:
    using venue = cascade_venue<Real, Liquidation>;

    /// \throws margincall::invalid_argument for no venue, a null book, an invalid waterfall, or
    ///         an order-book depth smaller than the quantity the books could force through it
    cascade_simulator(Impact impact, std::vector<venue> venues, cascade_options options = {})
        : impact_{std::move(impact)}, steps_{std::move(venues), options, "cascade_simulator"}, options_{options} {
        constexpr const char* where = "cascade_simulator";
        if (options_.max_steps == 0) throw_invalid_argument(where, "max_steps", 0, ">= 1");
        if constexpr (requires { impact_.total_depth(); }) {
            const Real depth = impact_.total_depth();
            const Real total_long = steps_.liquidatable_long_quantity();
            const Real total_short = steps_.total_short_quantity();
            if (!(depth > total_long))
                throw_invalid_argument(where, "the total depth", depth,
                                       detail::message("> the books' liquidatable long quantity ", total_long).c_str());
            if (!(depth > total_short))
                throw_invalid_argument(where, "the total depth", depth,
                                       detail::message("> the books' total short quantity ", total_short).c_str());
        }
    }

    [[nodiscard]] std::span<const venue> venues() const noexcept { return steps_.venues(); }
    [[nodiscard]] const Impact& impact() const noexcept { return impact_; }
    /// The step building blocks this simulator drives.
    [[nodiscard]] const cascade_steps<Real, Liquidation>& steps() const noexcept { return steps_; }

    /// Runs the shock to the fixed point with a fresh workspace.
    [[nodiscard]] cascade_outcome<Real> run(const exogenous_shock<Real>& shock) const {
        cascade_workspace<Real> ws;
        return run(shock, ws);
    }

    /// Runs the shock to the fixed point, reusing `ws`.
    /// \throws margincall::invalid_argument if a linear impact could push the price to 0 or
    ///         below from this start (λ × the longs a positive price can liquidate ≥ start
    ///         price), if any step's price would not be positive, or if an amount of a step
    ///         (PnL, fee, a ledger total) does not fit in int64 cents (core/money.hpp: the step's
    ///         cents_guard is tested once per venue and step, not per account)
    [[nodiscard]] cascade_outcome<Real> run(const exogenous_shock<Real>& shock, cascade_workspace<Real>& ws) const {
        constexpr const char* where = "cascade_simulator";
        check_reach(shock.start_price());
        cascade_outcome<Real> out;
        steps_.prepare(ws, out);
        const Real s0 = shock.start_price();
        Real q_disp{0};
        Real mark = impact_.price(s0, q_disp);
        out.start_price = s0;
        out.lowest_price = mark;
        out.highest_price = mark;
        Real exo_move{0};
        Real mark_move{0};
        const auto refs = shock.reference_prices();
        std::size_t t = 1;
        for (;; ++t) {
            if (t > refs.size() + options_.max_steps) {
                out.converged = false;
                break;
            }
            if (t > 1) q_disp = impact_.recover(q_disp);
            const Real reference = t <= refs.size() ? refs[t - 1] : refs.back();
            exo_move = std::max(exo_move, std::abs(reference - s0));
            mark = impact_.price(reference, q_disp);
            check_price(where, mark);
            // 2.–3. crossings, keeper, batch
            const bool any_activity = steps_.collect_step(ws, t, mark);
            const Real q_new = q_disp + steps_.batch_volume(ws);
            const Real new_mark = impact_.price(reference, q_new);
            check_price(where, new_mark);
            Real fill = new_mark;
            if constexpr (!Liquidation::uniform_price) fill = impact_.average_price(reference, q_disp, q_new);
            check_price(where, fill);
            const bool traded = steps_.settle_step(ws, out, reference, new_mark, fill);
            q_disp = q_new;
            mark = new_mark;
            out.prices.push_back(mark);
            out.reference_prices.push_back(reference);
            out.lowest_price = std::min(out.lowest_price, mark);
            out.highest_price = std::max(out.highest_price, mark);
            mark_move = std::max(mark_move, std::abs(mark - s0));
            if (traded) out.steps_to_fixed_point = t;
            if (t >= refs.size() && !any_activity && !traded && !steps_.pending(ws)) break;
        }
        if (!options_.record_steps) {
            out.prices.clear();
            out.reference_prices.clear();
        }
        out.final_price = mark;
        out.drawdown = (s0 - out.lowest_price) / s0;
        if (exo_move > 0) out.amplification = mark_move / exo_move;
        else out.amplification = mark_move > 0 ? std::numeric_limits<Real>::infinity() : Real(1);
        return out;
    }

private:
    /// \throws margincall::invalid_argument if a linear impact could push the price to 0 or
    ///         below from `start_price` (λ × the longs a positive price can liquidate ≥ start)
    void check_reach(Real start_price) const {
        if constexpr (requires { impact_.lambda(); }) {
            const Real reach = impact_.lambda() * steps_.liquidatable_long_quantity();
            if (!(reach < start_price))
                throw_invalid_argument("cascade_simulator", "lambda × liquidatable long quantity", reach,
                                       detail::message("< the start price ", start_price).c_str());
        }
    }

    static void check_price(const char* where, Real price) {
        if (!(price > 0) || !detail::is_finite(price))
            throw_invalid_argument(where, "the price after impact", price,
                                   "finite and > 0 (the impact model is too strong for the book)");
    }

    Impact impact_;
    cascade_steps<Real, Liquidation> steps_;
    cascade_options options_;
};

}  // namespace margincall
