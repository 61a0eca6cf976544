#pragma once
/// \file
/// The configuration of a cascade: one venue (its book, liquidation policy, waterfall and
/// optional keeper) and the run-wide options. docs/cascades.md §3 (the step and the liquidation
/// policies), §5 (the waterfall), §6 (keepers).
/// \test tests/cascade/cascade_venue.cpp (defaults, record_steps); every run of
///       tests/cascade/cascade_simulator.cpp

#include <margincall/cascade/keeper_model.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/loss_waterfall.hpp>

#include <concepts>
#include <cstddef>
#include <optional>

namespace margincall {

/// One venue of a cascade: its book, liquidation policy, waterfall and (optional) keeper.
template <std::floating_point Real = double, class Liquidation = full_close>
struct cascade_venue {
    const liquidation_book<Real>* book{nullptr};
    Liquidation liquidation{};
    loss_waterfall<Real> waterfall{};
    std::optional<keeper_model<Real>> keeper{};  ///< none: every crossing is executed at once, for free
};

/// Run-wide options.
struct cascade_options {
    std::size_t max_steps{100000};  ///< a run that has not reached its fixed point by then stops, converged = false
    bool record_steps{true};        ///< keep the per-step records (off: totals only, for Monte Carlo)
};

}  // namespace margincall
