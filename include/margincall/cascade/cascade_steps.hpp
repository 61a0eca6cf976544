#pragma once
/// \file
/// The building blocks of a cascade step on a set of venues that share one price: what
/// cascade_simulator runs for its one asset and multi_asset_simulator runs for each asset
/// between moving several prices at once. docs/cascades.md §3 has the step and its equations.
///
/// A driver binds a workspace with `prepare`, then at each step t:
///  1. moves the price itself (resilience, shock, impact) to the mark P;
///  2. `collect_step(ws, t, P)`: crossings and the keepers' decisions on every venue
///     (venue_crossings.hpp); true if anything crossed or is batched;
///  3. `batch_volume(ws)`: the signed volume V = −Σ f_i q_i the batch sends to the market,
///     from which the driver computes the new mark P₁ and the fill;
///  4. `settle_step(ws, out, S_t, P₁, fill)`: settlement and waterfall on every venue
///     (venue_settlement.hpp); true if anything traded;
/// and stops at the fixed point: nothing crossed, nothing traded and `pending(ws)` false.
/// Immutable once built; the calls are const and reentrant with one workspace per thread.
/// \tparam Real float, double or long double
/// \tparam Liquidation a liquidation_policy
/// \test tests/cascade/cascade_steps.cpp (a driver written from these blocks reproduces
///       cascade_simulator's run; bad input), tests/cascade/cascade_simulator.cpp,
///       tests/cascade/multi_asset_simulator.cpp

#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/venue_crossings.hpp>
#include <margincall/cascade/venue_settlement.hpp>
#include <margincall/core/error.hpp>

#include <concepts>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// Steps 2–5 of a cascade on venues that share one price.
template <std::floating_point Real = double, class Liquidation = full_close>
    requires liquidation_policy<Liquidation, Real>
class cascade_steps {
public:
    using venue = cascade_venue<Real, Liquidation>;

    /// \param where the name of the caller, in error messages (a string literal: it is kept)
    /// \throws margincall::invalid_argument for no venue, a null book or an invalid waterfall
    cascade_steps(std::vector<venue> venues, cascade_options options = {}, const char* where = "cascade_steps")
        : venues_{std::move(venues)}, record_steps_{options.record_steps}, where_{where} {
        if (venues_.empty()) throw_invalid_argument(where, "the number of venues", 0, ">= 1");
        for (std::size_t v = 0; v < venues_.size(); ++v) {
            if (venues_[v].book == nullptr) throw_invalid_argument(where, detail::message("book of venue ", v), "null", "a book");
            venues_[v].waterfall.validate(where);
            liquidatable_long_ += venues_[v].book->liquidatable_long_quantity();
            total_short_ += venues_[v].book->total_short_quantity();
        }
    }

    [[nodiscard]] std::span<const venue> venues() const noexcept { return venues_; }
    /// Σ over the venues of the long quantity a positive price can liquidate: the most a falling
    /// cascade can sell.
    [[nodiscard]] Real liquidatable_long_quantity() const noexcept { return liquidatable_long_; }
    /// Σ over the venues of the short quantity: the most a rising cascade can buy.
    [[nodiscard]] Real total_short_quantity() const noexcept { return total_short_; }

    /// Binds (or resets, in O(accounts touched)) the workspace to the venues' books and opens
    /// their ledgers in `out` (one venue_outcome per venue).
    /// \throws margincall::invalid_argument (from to_cents) for an insurance fund beyond int64 cents
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
        for (std::size_t v = 0; v < venues_.size(); ++v) any |= detail::collect_crossings(venues_[v], ws.venues[v], t, mark);
        return any;
    }

    /// The signed volume V = −Σ f_i q_i of the collected batch (all venues).
    [[nodiscard]] Real batch_volume(const cascade_workspace<Real>& ws) const noexcept {
        Real volume{0};
        for (const auto& st : ws.venues)
            for (std::size_t k = 0; k < st.batch.size(); ++k) volume -= st.fraction[k] * st.quantity[st.batch[k]];
        return volume;
    }

    /// Step 5 on every venue: settles the batch at `fill`, mark `mark` after impact, reference
    /// price `reference`; true if anything traded.
    /// \throws margincall::invalid_argument if an amount of the step does not fit in int64 cents
    ///         (the settlement's cents_guard raised its flag: checked once per venue and step)
    bool settle_step(cascade_workspace<Real>& ws, cascade_outcome<Real>& out, Real reference, Real mark,
                     Real fill) const {
        bool traded = false;
        for (std::size_t v = 0; v < venues_.size(); ++v) {
            auto& st = ws.venues[v];
            traded |= !st.batch.empty();
            detail::settle_batch(venues_[v], st, out.venues[v], reference, mark, fill, record_steps_);
            if (st.money.overflowed())
                throw_invalid_argument(where_, detail::message("a cents amount of venue ", v), "beyond the int64 range",
                                       "within +-92233720368547758.07 (the book's amounts are too large for int64 cents)");
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

private:
    std::vector<venue> venues_;
    bool record_steps_{true};
    const char* where_;
    Real liquidatable_long_{0};
    Real total_short_{0};
};

}  // namespace margincall
