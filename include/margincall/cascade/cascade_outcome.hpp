#pragma once
/// \file
/// What a cascade run reports: per venue and step (cascade_step), per venue over the run
/// (venue_outcome, with its cents ledger) and for the whole run (cascade_outcome: prices,
/// drawdown, amplification, convergence). docs/cascades.md §3–§5.
/// \test tests/cascade/cascade_outcome.cpp (the totals); every run of tests/cascade/cascade_simulator.cpp

#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/core/money.hpp>

#include <concepts>
#include <cstddef>
#include <vector>

namespace margincall {

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

}  // namespace margincall
