#pragma once
/// \file
/// The default policy bag of margin_call_calculator: a host inherits it and overrides the
/// member types it changes.

#include <margincall/automation/alert_levels.hpp>
#include <margincall/automation/auto_reduce.hpp>
#include <margincall/automation/top_up.hpp>
#include <margincall/calculator/liquidation_solvers.hpp>
#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/tier_schedule.hpp>

namespace margincall {

/// Defaults: linear (USDⓈ-M) contracts, venue brackets summed per position (position_rate_margin), one-way mode, closed-form
/// tier-consistent liquidation prices, no VaR/ES, hysteresis alerts, no automatic top-up and
/// no automatic reduction (a host opts into actions explicitly).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct default_policies {
    using real_type = Real;
    using contract = linear_contract<Real>;                 ///< a margincall::contract
    using margin_model = tier_schedule<Real>;               ///< a margincall::margin_rate_model (wrapped in
                                                            ///< position_rate_margin) or an account_margin_model
    using account_mode = one_way_mode;                      ///< a margincall::account_mode_policy
    using liquidation_solver = closed_form_liquidation;     ///< a margincall::liquidation_solver
    using risk_measure = no_risk_measure;                   ///< no_risk_measure or a margincall::tail_estimator
    using alert_policy = hysteresis_alerts<Real>;           ///< a margincall::alert_policy
    using top_up_policy = no_top_up;                        ///< a margincall::top_up_policy
    using reduction_policy = no_reduction;                  ///< a margincall::reduction_policy
};

}  // namespace margincall
