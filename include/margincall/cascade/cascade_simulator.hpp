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
/// \test tests/cascade/cascade_simulator.cpp: geometric-series fixed point and runaway condition
///       of an evenly spread book under linear impact, conservation to the cent, order
///       independence, no leverage never cascades, large fund never deleverages, keeper with no
///       delay and no cost = no keeper, bad input, positive prices.

#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/cascade/auto_deleveraging.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/cascade/keeper_model.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>

#include <algorithm>
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

/// One venue of a cascade: its book, liquidation policy, waterfall and (optional) keeper.
template <std::floating_point Real = double, class Liquidation = full_close>
struct cascade_venue {
    const liquidation_book<Real>* book{nullptr};
    Liquidation liquidation{};
    loss_waterfall<Real> waterfall{};
    std::optional<keeper_model<Real>> keeper{};  ///< none: every crossing is executed at once, for free
};

/// What happened on one venue in one step.
template <std::floating_point Real = double>
struct cascade_step {
    Real reference_price{0};        ///< S_t, the exogenous price
    Real price{0};                  ///< the mark at the end of the step (after impact)
    Real execution_price{0};        ///< the step's fill price (VWAP or auction price); 0 if nothing traded
    Real liquidated_notional{0};    ///< Σ |closed quantity| × fill price on this venue
    std::size_t liquidated_count{0};
    Real insurance_fund{0};         ///< after the step
    Real bad_debt{0};               ///< cumulative uncovered deficits (cash)
    Real adl_notional{0};           ///< quantity deleveraged × bankruptcy price, this step
    Real automation_cost{0};        ///< executor cost paid this step
    Real unliquidated_exposure{0};  ///< notional of crossed accounts nobody executes, at the mark
    Real unliquidated_bad_debt{0};  ///< their negative equity at the mark
};

/// A venue's run: per step records, the ledger and the totals.
template <std::floating_point Real = double>
struct venue_outcome {
    std::vector<cascade_step<Real>> steps;
    cascade_ledger ledger;
    Real liquidated_notional{0};
    std::size_t liquidated_count{0};
    Real adl_notional{0};
    std::size_t adl_count{0};        ///< accounts deleveraged (one count per account per step)
    Real automation_cost{0};
    Real unliquidated_exposure{0};   ///< at the end
    Real unliquidated_bad_debt{0};   ///< at the end, at the final mark
    /// Cash bad debt plus the negative equity of the positions left open, at the final mark.
    [[nodiscard]] Real total_bad_debt() const noexcept { return from_cents<Real>(ledger.bad_debt) + unliquidated_bad_debt; }
};

/// A run to the fixed point.
template <std::floating_point Real = double>
struct cascade_outcome {
    std::vector<Real> prices;              ///< the mark at the end of each step
    std::vector<Real> reference_prices;    ///< S_t of each step
    std::vector<venue_outcome<Real>> venues;
    Real start_price{0};
    Real final_price{0};
    Real lowest_price{0};
    Real highest_price{0};
    Real drawdown{0};          ///< (start − lowest mark)/start
    Real amplification{1};     ///< largest |mark − start| over largest |S_t − start|; 1 if neither moved, +∞ if only the mark did
    std::size_t steps_to_fixed_point{0};  ///< the last step at which anything was liquidated
    bool converged{true};      ///< false if max_steps ended the run first
    [[nodiscard]] Real total_bad_debt() const noexcept {
        Real s{0};
        for (const auto& v : venues) s += v.total_bad_debt();
        return s;
    }
    [[nodiscard]] Real total_liquidated_notional() const noexcept {
        Real s{0};
        for (const auto& v : venues) s += v.liquidated_notional;
        return s;
    }
};

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

    void bind(const liquidation_book<Real>& b) {
        if (book == &b && quantity.size() == b.size()) {
            reset();
            return;
        }
        book = &b;
        const auto n = b.size();
        quantity.assign(b.quantities().begin(), b.quantities().end());
        collateral.assign(b.collaterals_cents().begin(), b.collaterals_cents().end());
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
    }
    void touch(std::uint32_t i) {
        if (touched_flag[i] == 0) {
            touched_flag[i] = 1;
            touched.push_back(i);
        }
    }
};

}  // namespace detail

/// Reusable memory of a simulator's runs: copies the books once, then resets only what a run
/// touched, so a Monte Carlo of shocks costs O(accounts touched) per run, not O(book).
template <std::floating_point Real = double>
class cascade_workspace {
public:
    std::vector<detail::venue_state<Real>> venues;
};

/// Run-wide options.
struct cascade_options {
    std::size_t max_steps{100000};  ///< a run that has not reached its fixed point by then stops, converged = false
    bool record_steps{true};        ///< keep the per-step records (off: totals only, for Monte Carlo)
};

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
        : impact_{std::move(impact)}, venues_{std::move(venues)}, options_{options} {
        constexpr const char* where = "cascade_simulator";
        if (venues_.empty()) throw_invalid_argument(where, "the number of venues", 0, ">= 1");
        for (std::size_t v = 0; v < venues_.size(); ++v) {
            if (venues_[v].book == nullptr) throw_invalid_argument(where, detail::message("book of venue ", v), "null", "a book");
            venues_[v].waterfall.validate(where);
            total_long_ += venues_[v].book->liquidatable_long_quantity();
            total_short_ += venues_[v].book->total_short_quantity();
        }
        if (options_.max_steps == 0) throw_invalid_argument(where, "max_steps", 0, ">= 1");
        if constexpr (requires { impact_.total_depth(); }) {
            const Real depth = impact_.total_depth();
            if (!(depth > total_long_))
                throw_invalid_argument(where, "the total depth", depth,
                                       detail::message("> the books' liquidatable long quantity ", total_long_).c_str());
            if (!(depth > total_short_))
                throw_invalid_argument(where, "the total depth", depth,
                                       detail::message("> the books' total short quantity ", total_short_).c_str());
        }
    }

    [[nodiscard]] std::span<const venue> venues() const noexcept { return venues_; }
    [[nodiscard]] const Impact& impact() const noexcept { return impact_; }

    /// Runs the shock to the fixed point with a fresh workspace.
    [[nodiscard]] cascade_outcome<Real> run(const exogenous_shock<Real>& shock) const {
        cascade_workspace<Real> ws;
        return run(shock, ws);
    }

    /// Runs the shock to the fixed point, reusing `ws`.
    /// \throws margincall::invalid_argument if a linear impact could push the price to 0 or
    ///         below from this start (λ × the longs a positive price can liquidate ≥ start
    ///         price), or if any
    ///         step's price would not be positive
    [[nodiscard]] cascade_outcome<Real> run(const exogenous_shock<Real>& shock, cascade_workspace<Real>& ws) const {
        constexpr const char* where = "cascade_simulator";
        check_reach(shock.start_price());
        cascade_outcome<Real> out;
        prepare(ws, out);
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
            const bool any_activity = collect_step(ws, t, mark);
            const Real q_new = q_disp + batch_volume(ws);
            const Real new_mark = impact_.price(reference, q_new);
            check_price(where, new_mark);
            Real fill = new_mark;
            if constexpr (!Liquidation::uniform_price) fill = impact_.average_price(reference, q_disp, q_new);
            check_price(where, fill);
            const bool traded = settle_step(ws, out, reference, new_mark, fill, t);
            q_disp = q_new;
            mark = new_mark;
            out.prices.push_back(mark);
            out.reference_prices.push_back(reference);
            out.lowest_price = std::min(out.lowest_price, mark);
            out.highest_price = std::max(out.highest_price, mark);
            mark_move = std::max(mark_move, std::abs(mark - s0));
            if (traded) out.steps_to_fixed_point = t;
            if (t >= refs.size() && !any_activity && !traded && !pending(ws)) break;
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

    /// \name Step building blocks
    /// The pieces `run` is made of, for a driver that moves several prices at once
    /// (multi_asset_simulator): bind the workspace, then per step collect at the mark, read
    /// the batch's signed volume, settle at the new mark and fill; a run is over when nothing
    /// is pending. `run` is the normal entry point.
    /// @{

    /// \throws margincall::invalid_argument if a linear impact could push the price to 0 or
    ///         below from `start_price` (λ × the longs a positive price can liquidate ≥ start)
    void check_reach(Real start_price) const {
        if constexpr (requires { impact_.lambda(); }) {
            const Real reach = impact_.lambda() * total_long_;
            if (!(reach < start_price))
                throw_invalid_argument("cascade_simulator", "lambda × liquidatable long quantity", reach,
                                       detail::message("< the start price ", start_price).c_str());
        }
    }

    /// Binds (or resets) the workspace to the venues' books and opens their ledgers in `out`.
    void prepare(cascade_workspace<Real>& ws, cascade_outcome<Real>& out) const {
        ws.venues.resize(venues_.size());
        for (std::size_t v = 0; v < venues_.size(); ++v) {
            auto& st = ws.venues[v];
            st.bind(*venues_[v].book);
            const std::size_t slots = venues_[v].keeper ? venues_[v].keeper->delay_steps() + 1 : 1;
            st.pending.resize(slots);
        }
        out.venues.resize(venues_.size());
        for (std::size_t v = 0; v < venues_.size(); ++v) {
            auto& led = out.venues[v].ledger;
            led.initial_collateral = venues_[v].book->total_collateral_cents();
            led.collateral = led.initial_collateral;
            led.initial_fund = to_cents(venues_[v].waterfall.insurance_fund);
            led.fund = led.initial_fund;
        }
    }

    /// Steps 2–3 at step t and mark `mark` on every venue; true if anything crossed or is batched.
    bool collect_step(cascade_workspace<Real>& ws, std::size_t t, Real mark) const {
        bool any = false;
        for (std::size_t v = 0; v < venues_.size(); ++v) any |= collect(v, ws.venues[v], t, mark);
        return any;
    }

    /// The signed volume V = −Σ f_i q_i of the collected batch (all venues).
    [[nodiscard]] Real batch_volume(const cascade_workspace<Real>& ws) const noexcept {
        Real volume{0};
        for (const auto& st : ws.venues)
            for (std::size_t k = 0; k < st.batch.size(); ++k) volume -= st.fraction[k] * st.quantity[st.batch[k]];
        return volume;
    }

    /// Step 5 on every venue: settles the batch at `fill`, mark `mark` after impact; true if anything traded.
    bool settle_step(cascade_workspace<Real>& ws, cascade_outcome<Real>& out, Real reference, Real mark, Real fill,
                     std::size_t t) const {
        bool traded = false;
        for (std::size_t v = 0; v < venues_.size(); ++v) {
            auto& st = ws.venues[v];
            traded |= !st.batch.empty();
            settle(v, st, out.venues[v], reference, mark, fill, t);
        }
        return traded;
    }

    /// True if a keeper still has crossings scheduled.
    [[nodiscard]] static bool pending(const cascade_workspace<Real>& ws) noexcept {
        for (const auto& st : ws.venues)
            for (const auto& p : st.pending)
                if (!p.empty()) return true;
        return false;
    }
    /// @}

private:
    static void check_price(const char* where, Real price) {
        if (!(price > 0) || !detail::is_finite(price))
            throw_invalid_argument(where, "the price after impact", price,
                                   "finite and > 0 (the impact model is too strong for the book)");
    }

    [[nodiscard]] static Real liquidation_price_of(const detail::venue_state<Real>& st, std::uint32_t i) {
        return st.book->liquidation_price(i, st.quantity[i], from_cents<Real>(st.collateral[i]));
    }

    // Max-heap on LP for longs (highest first), min-heap for shorts, ties in the book's canonical order.
    static auto heap_less(const liquidation_book<Real>& b, bool longs) {
        return [&b, longs](const detail::heap_entry<Real>& x, const detail::heap_entry<Real>& y) {
            return b.precedes(y.account, x.account, y.price, x.price, longs);  // "x after y"
        };
    }

    static void reinsert(detail::venue_state<Real>& st, std::uint32_t i) {
        st.touch(i);
        ++st.version[i];
        st.state[i] = detail::account_state::active;
        const Real lp = liquidation_price_of(st, i);
        const bool is_long = st.quantity[i] > 0;
        auto& heap = is_long ? st.long_heap : st.short_heap;
        heap.push_back({lp, i, st.version[i]});
        std::push_heap(heap.begin(), heap.end(), heap_less(*st.book, is_long));
    }

    // Steps 2–3: crossings at `mark`, the keeper's decision; fills st.batch/st.fraction.
    bool collect(std::size_t v, detail::venue_state<Real>& st, std::size_t t, Real mark) const {
        const auto& cfg = venues_[v];
        const auto& b = *st.book;
        st.batch.clear();
        st.fraction.clear();
        st.due.clear();
        const std::size_t slots = st.pending.size();
        auto& now_slot = st.pending[t % slots];
        auto cross = [&](std::uint32_t i) {
            st.touch(i);
            st.state[i] = detail::account_state::crossed;
            if (slots == 1) st.due.push_back(i);
            else st.pending[(t + slots - 1) % slots].push_back(i);
        };
        // A delayed crossing found at step t is executed at step t + delay: slot (t + delay) % (delay + 1).
        std::size_t crossings = 0;
        {
            const auto longs = b.longs_by_liquidation_price();
            while (st.long_cursor < longs.size() && longs[st.long_cursor].price >= mark) {
                const auto i = longs[st.long_cursor++].account;
                if (st.version[i] == 0 && st.state[i] == detail::account_state::active) {
                    cross(i);
                    ++crossings;
                }
            }
            const auto less = heap_less(b, true);
            while (!st.long_heap.empty() && st.long_heap.front().price >= mark) {
                const auto e = st.long_heap.front();
                std::pop_heap(st.long_heap.begin(), st.long_heap.end(), less);
                st.long_heap.pop_back();
                if (e.version == st.version[e.account] && st.state[e.account] == detail::account_state::active) {
                    cross(e.account);
                    ++crossings;
                }
            }
        }
        {
            const auto shorts = b.shorts_by_liquidation_price();
            while (st.short_cursor < shorts.size() && shorts[st.short_cursor].price <= mark) {
                const auto i = shorts[st.short_cursor++].account;
                if (st.version[i] == 0 && st.state[i] == detail::account_state::active) {
                    cross(i);
                    ++crossings;
                }
            }
            const auto less = heap_less(b, false);
            while (!st.short_heap.empty() && st.short_heap.front().price <= mark) {
                const auto e = st.short_heap.front();
                std::pop_heap(st.short_heap.begin(), st.short_heap.end(), less);
                st.short_heap.pop_back();
                if (e.version == st.version[e.account] && st.state[e.account] == detail::account_state::active) {
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
                st.state[i] = detail::account_state::crossed;
                st.batch.push_back(i);
                st.fraction.push_back(f);
            } else {
                st.abandoned[kept++] = i;
            }
        }
        st.abandoned.resize(kept);
        auto decide = [&](std::uint32_t i) {
            if (st.state[i] != detail::account_state::crossed) return;
            if (!still_liquidatable(i)) {
                reinsert(st, i);  // the price came back before the executor did
                return;
            }
            const Real f = fraction_of(i);
            if (worth(i, f)) {
                st.batch.push_back(i);
                st.fraction.push_back(f);
            } else {
                st.state[i] = detail::account_state::abandoned;
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

    struct bankrupt_side {
        std::int64_t deficit{0};  // Σ −C of closed accounts with negative cash
        Real quantity{0};         // Σ |closed quantity|
        Real weighted_bp{0};      // Σ |closed quantity| × bankruptcy price
    };

    // Step 5: settlement of the batch at `fill`, then the waterfall.
    void settle(std::size_t v, detail::venue_state<Real>& st, venue_outcome<Real>& vo, Real reference, Real mark,
                Real fill, std::size_t) const {
        const auto& cfg = venues_[v];
        const auto& b = *st.book;
        auto& led = vo.ledger;
        cascade_step<Real> rec;
        rec.reference_price = reference;
        rec.price = mark;
        rec.execution_price = st.batch.empty() ? Real(0) : fill;
        const Real fee_rate = cfg.waterfall.liquidation_fee_rate;
        bankrupt_side sides[2];  // [0] longs, [1] shorts
        std::vector<std::uint32_t>& bankrupts = st.due;  // reused as scratch
        bankrupts.clear();
        for (std::size_t k = 0; k < st.batch.size(); ++k) {
            const auto i = st.batch[k];
            const Real f = st.fraction[k];
            const Real q = st.quantity[i];
            const Real closed = f >= Real(1) ? q : f * q;
            const Real closed_abs = closed < 0 ? -closed : closed;
            const Real bp_before = liquidation_book<Real>::bankruptcy_price(q, b.entry_price(i), from_cents<Real>(st.collateral[i]));
            const std::int64_t pnl = to_cents(closed * (fill - b.entry_price(i)));
            const Real notional = closed_abs * fill;
            std::int64_t fee = to_cents(fee_rate * notional);
            const std::int64_t cash = st.collateral[i] + pnl;
            fee = std::min(fee, std::max<std::int64_t>(cash, 0));
            st.collateral[i] = cash - fee;
            led.collateral += pnl - fee;
            led.market -= pnl;
            led.fees += fee;
            std::int64_t reward = 0;
            if (cfg.keeper) {
                reward = static_cast<std::int64_t>(std::llround(static_cast<double>(cfg.keeper->reward_share()) * static_cast<double>(fee)));
                rec.automation_cost += cfg.keeper->cost_per_liquidation();
            }
            led.keeper_rewards += reward;
            led.fund += fee - reward;
            rec.liquidated_notional += notional;
            ++rec.liquidated_count;
            if (f >= Real(1)) {
                st.quantity[i] = 0;
                st.state[i] = detail::account_state::closed;
                if (st.collateral[i] < 0) {
                    auto& side = sides[q > 0 ? 0 : 1];
                    side.deficit -= st.collateral[i];
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
                const std::int64_t residual = side.deficit - led.fund;
                if (cfg.waterfall.residual == residual_loss::auto_deleveraging) {
                    covered = deleverage(cfg, st, vo, rec, s == 0, fill, side, residual);
                    led.adl_covered += covered;
                } else {
                    covered = socialise(st, led, s == 0, fill, residual);
                    led.socialised += covered;
                }
            }
            // The bankrupt accounts end at 0 cash: covered (booked already) + fund + bad debt = deficit.
            std::int64_t need = side.deficit - covered;
            led.collateral += need;
            if (need < 0) {  // rounding gave a cent or two more than the deficit: to the fund
                led.fund -= need;
                need = 0;
            }
            const std::int64_t pay = std::min(need, led.fund);
            led.fund -= pay;
            led.fund_payouts += pay;
            led.bad_debt += need - pay;
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
        if (options_.record_steps) vo.steps.push_back(rec);
        st.batch.clear();
        st.fraction.clear();
    }

    struct candidate {
        std::uint32_t account;
        Real score;
        std::int64_t profit;
    };

    // Profitable active accounts of one side at `price`, in the index's canonical order.
    static void profitable(const detail::venue_state<Real>& st, bool longs, Real price, adl_ranking ranking,
                           std::vector<candidate>& out) {
        const auto& b = *st.book;
        const auto index = longs ? b.longs_by_liquidation_price() : b.shorts_by_liquidation_price();
        out.clear();
        for (const auto& e : index) {
            const auto i = e.account;
            if (st.state[i] != detail::account_state::active) continue;
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
            out.push_back({i, score, to_cents(upnl)});
        }
    }

    // ADL: the opposite side takes over θ = residual/deficit of the bankrupt quantity at the
    // (quantity-weighted) bankruptcy price, by rank. Returns the cents it covered.
    std::int64_t deleverage(const venue& cfg, detail::venue_state<Real>& st, venue_outcome<Real>& vo,
                            cascade_step<Real>& rec, bool bankrupt_longs, Real fill, const bankrupt_side& side,
                            std::int64_t residual) const {
        const auto& b = *st.book;
        auto& led = vo.ledger;
        std::vector<candidate> cands;
        profitable(st, !bankrupt_longs, fill, cfg.waterfall.ranking, cands);
        std::stable_sort(cands.begin(), cands.end(), [](const candidate& x, const candidate& y) { return x.score > y.score; });
        const Real theta = static_cast<Real>(residual) / static_cast<Real>(side.deficit);
        const Real bp = side.weighted_bp / side.quantity;
        Real left = theta * side.quantity;
        Real taken{0};
        for (const auto& c : cands) {
            if (!(left > 0)) break;
            const auto j = c.account;
            const Real q = st.quantity[j];
            const Real q_abs = q < 0 ? -q : q;
            const Real u = q_abs < left ? q_abs : left;
            const Real closed = q < 0 ? -u : u;
            const std::int64_t pnl = to_cents(closed * (bp - b.entry_price(j)));
            st.touch(j);
            st.collateral[j] += pnl;
            led.collateral += pnl;
            led.market -= pnl;
            left -= u;
            taken += u;
            rec.adl_notional += u * bp;
            ++vo.adl_count;
            if (u >= q_abs) {
                st.quantity[j] = 0;
                st.state[j] = detail::account_state::closed;
            } else {
                st.quantity[j] = q - closed;
                reinsert(st, j);
            }
        }
        // The bankrupt side trades `taken` at bp instead of the fill: its improvement, from the market.
        const Real gap = fill > bp ? fill - bp : bp - fill;
        const std::int64_t improvement = to_cents(taken * gap);
        led.market -= improvement;
        led.collateral += improvement;
        return improvement;
    }

    // Socialised loss: the residual is charged to the opposite side's unrealised profit pro rata
    // (largest remainder in cents, ties in canonical order), capped by the profits.
    std::int64_t socialise(detail::venue_state<Real>& st, cascade_ledger& led, bool bankrupt_longs, Real fill,
                           std::int64_t residual) const {
        std::vector<candidate> cands;
        profitable(st, !bankrupt_longs, fill, adl_ranking::bitmex, cands);
        std::int64_t total{0};
        for (const auto& c : cands) total += c.profit;
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
            st.collateral[j] -= share[k];
            led.collateral -= share[k];
            reinsert(st, j);
        }
        led.collateral += assigned;  // credited to the bankrupt accounts (they end at 0 below)
        return assigned;
    }

    Impact impact_;
    std::vector<venue> venues_;
    cascade_options options_;
    Real total_long_{0};
    Real total_short_{0};
};

}  // namespace margincall
