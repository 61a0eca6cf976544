#pragma once
/// \file
/// What a cross-protocol run reports (cascade/cross_protocol.hpp): each lending liquidation,
/// each venue's figures per step, the prices per step and the whole run.
/// \test tests/lending/cross_protocol.cpp

#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>

#include <concepts>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace margincall {

/// One lending liquidation as it happened: where, when, the quote and the oracle prices it used.
template <std::floating_point Real = double>
struct cross_protocol_liquidation {
    std::size_t venue{};    ///< lending venue index (0-based among the lending venues)
    std::size_t step{};
    std::size_t round{};
    std::size_t account{};
    std::size_t debt{};     ///< market asset ids of the pair
    std::size_t collateral{};
    lending_quote<Real> quote{};
    std::vector<Real> prices{};  ///< the venue's oracle prices, per market asset
};

/// One venue's figures in one step (numeraire values at the oracle, sales at the pool's fill).
template <std::floating_point Real = double>
struct cross_venue_step {
    std::size_t liquidations{};
    std::vector<Real> sold{};     ///< per asset: units sold into its pool (perp: the batch's sales, purchases negative)
    std::vector<Real> taken{};    ///< per asset (lending): units that left the accounts (sold + kept + fees)
    std::vector<Real> repaid{};   ///< per asset (lending): debt units repaid
    std::vector<Real> written_off{};  ///< per asset (lending): debt units written off (bad debt)
    Real debt_repaid{};         ///< numeraire value of the debt repaid (perp: the liquidated notional)
    Real bad_debt{};            ///< numeraire value written off in the step (perp: the step's new cash bad debt)
    Real protocol_fees{};       ///< numeraire value of the protocol's fees (perp: fees to the fund)
    Real liquidator_profit{};   ///< proceeds − cost (perp: keeper rewards)
    Real account_credit{};      ///< numeraire value credited to accounts (Comet's surplus)
};

/// The run's prices in one step.
template <std::floating_point Real = double>
struct cross_protocol_step {
    Real time{};
    std::vector<Real> reference{};     ///< per asset, in its pool's units
    std::vector<Real> pool_price{};    ///< per asset, in its pool's units at the end of the step (the peg for a pegged pair)
    std::vector<Real> market_price{};  ///< per asset, numeraire, end of step
    std::vector<Real> oracle_price{};  ///< per asset, numeraire, end of step
    std::size_t rounds{};            ///< lending rounds
    bool budget_exhausted{false};
};

/// The run.
template <std::floating_point Real = double>
struct cross_protocol_outcome {
    std::vector<cross_protocol_step<Real>> steps{};
    /// venue_steps[v][t − 1]: venue v (the perp venues first, then the lending venues) at step t
    std::vector<std::vector<cross_venue_step<Real>>> venue_steps{};
    std::vector<cascade_outcome<Real>> perp{};                       ///< per perp venue, as cascade_simulator reports it
    std::vector<std::vector<lending_account<Real>>> lending_accounts{}; ///< per lending venue, after the run (keep_accounts)
    /// per lending venue: (account index, account after the run) of every account the run changed
    std::vector<std::vector<std::pair<std::size_t, lending_account<Real>>>> changed_accounts{};
    std::vector<Real> lending_bad_debt{};  ///< per lending venue: numeraire value written off over the run
    std::vector<cross_protocol_liquidation<Real>> liquidations{};  ///< with options.record_liquidations
    std::vector<Real> displacement{};      ///< per asset: the pool's displacement at the end (0 without a pool)
    /// per asset with a pool: (start − final pool price)/(start − final reference) in the pool's
    /// units; none without a pool or without a shock
    std::vector<std::optional<Real>> amplification{};
    bool converged{true};
    [[nodiscard]] Real total_bad_debt() const noexcept {
        Real s{0};
        for (const auto& p : perp) s += p.total_bad_debt();
        for (const Real b : lending_bad_debt) s += b;
        return s;
    }
};

}  // namespace margincall
