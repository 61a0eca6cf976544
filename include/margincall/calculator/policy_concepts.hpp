#pragma once
/// \file
/// The concepts a margin-call calculator's policy slots are checked against, beyond those
/// defined next to their components (margin_rate_model in tiers/, account_margin_model in
/// calculator/account_margin_model.hpp, contract in contracts/, tail_estimator in risk/,
/// alert_policy, top_up_policy and reduction_policy in automation/): the account mode, the
/// liquidation solver and the optional risk measure.

#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <concepts>
#include <cstddef>
#include <span>

namespace margincall {

/// An account-mode policy: `static constexpr position_mode mode` (one_way or hedge).
template <class A>
concept account_mode_policy = requires {
    { A::mode } -> std::convertible_to<position_mode>;
};

/// One-way mode: one signed leg per symbol.
struct one_way_mode {
    static constexpr position_mode mode = position_mode::one_way;
};
/// Hedge mode: a long and a short leg per symbol.
struct hedge_mode {
    static constexpr position_mode mode = position_mode::hedge;
};

/// Liquidation and bankruptcy prices of one leg, below and above the mark.
template <real_scalar Real = double>
struct leg_prices {
    liquidation_prices<Real> liquidation{};  ///< equity of the leg's pool = its MM
    liquidation_prices<Real> bankruptcy{};   ///< equity of the leg's pool = 0
};

/// A liquidation solver: `leg_prices<Real> prices(const Account&, std::size_t leg,
/// std::span<const Real> marks) const`, the prices at which the pool holding `leg` reaches its
/// maintenance margin and zero equity as that leg's mark moves, other marks held.
template <class S, class Account, class Real>
concept has_leg_prices = requires(const S& s, const Account& a, std::size_t leg, std::span<const Real> marks) {
    { s.prices(a, leg, marks) } -> std::same_as<leg_prices<Real>>;
};

/// A liquidation-solver policy for accounts of type Account.
template <class S, class Account, class Real>
concept liquidation_solver = real_scalar<Real> && has_leg_prices<S, Account, Real>;

/// A liquidation solver that reads the account-level margin model: `leg_prices<Real>
/// prices(const Account&, const Model&, std::size_t leg, std::span<const Real> marks) const`,
/// the prices at which the pool holding `leg` reaches the model's liquidation level and zero
/// equity (model_liquidation). Needed when the calculator's margin_model slot holds an
/// account_margin_model; the calculator prefers it over has_leg_prices when a solver has both.
template <class S, class Account, class Model, class Real>
concept has_model_leg_prices =
    requires(const S& s, const Account& a, const Model& m, std::size_t leg, std::span<const Real> marks) {
        { s.prices(a, m, leg, marks) } -> std::same_as<leg_prices<Real>>;
    };

/// The risk-measure slot when no VaR / ES is wanted.
struct no_risk_measure {};

/// A risk-measure slot: no_risk_measure, or a tail_estimator (historical_simulation,
/// normal_var, student_t_var, ... or a host's own).
template <class R, class Real>
concept risk_measure = std::same_as<R, no_risk_measure> || tail_estimator<R, Real>;

}  // namespace margincall
