#pragma once
/// \file
/// Umbrella header: the whole library but the optional io/ loaders (which need
/// nlohmann-json). Include single components for faster builds.

// core
#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/column_allocator.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/money.hpp>
#include <margincall/core/nelder_mead.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/core/side.hpp>

// contracts
#include <margincall/contracts/any_contract.hpp>
#include <margincall/contracts/contract.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>

// tiers
#include <margincall/tiers/arithmetic_tiers.hpp>
#include <margincall/tiers/linear_size_rate.hpp>
#include <margincall/tiers/maintenance_amount.hpp>
#include <margincall/tiers/margin_rate_model.hpp>
#include <margincall/tiers/open_interest_scaled.hpp>
#include <margincall/tiers/sqrt_size_premium.hpp>
#include <margincall/tiers/tier_schedule.hpp>

// margin
#include <margincall/margin/account.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/margin/remark_blocked.hpp>
#include <margincall/margin/remark_result.hpp>

// liquidation
#include <margincall/liquidation/account_liquidation.hpp>
#include <margincall/liquidation/batch_liquidation_prices.hpp>
#include <margincall/liquidation/bracket_liquidation.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/hedged_liquidation.hpp>
#include <margincall/liquidation/joint_liquidation_move.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_probability.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/liquidation/tiered_surplus.hpp>

// options
#include <margincall/options/black76.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/fast_math.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/implied_volatility.hpp>
#include <margincall/options/inverse_option.hpp>
#include <margincall/options/normal_cdf.hpp>
#include <margincall/options/option_batch.hpp>
#include <margincall/options/option_type.hpp>

// volatility
#include <margincall/volatility/ewma.hpp>
#include <margincall/volatility/garch11.hpp>
#include <margincall/volatility/garch11_fit.hpp>

// risk
#include <margincall/risk/age_weighted.hpp>
#include <margincall/risk/backtest_acerbi_szekely.hpp>
#include <margincall/risk/backtest_christoffersen.hpp>
#include <margincall/risk/backtest_exceptions.hpp>
#include <margincall/risk/backtest_kupiec.hpp>
#include <margincall/risk/backtest_traffic_light.hpp>
#include <margincall/risk/cornish_fisher_var.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/horizon_scaling.hpp>
#include <margincall/risk/monte_carlo_var.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/peaks_over_threshold.hpp>
#include <margincall/risk/portfolio_var.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/sample_moments.hpp>
#include <margincall/risk/streaming_tail.hpp>
#include <margincall/risk/student_t_var.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/risk/volatility_filtered.hpp>

// stress
#include <margincall/stress/layered_margin.hpp>
#include <margincall/stress/named_scenarios.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/risk_array_batch.hpp>
#include <margincall/stress/risk_based_margin.hpp>
#include <margincall/stress/span_margin.hpp>
#include <margincall/stress/stress_book.hpp>
#include <margincall/stress/stress_test.hpp>

// cascade
#include <margincall/cascade/amm_concentrated_liquidity.hpp>
#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/amm_impact.hpp>
#include <margincall/cascade/amm_stableswap.hpp>
#include <margincall/cascade/auto_deleveraging.hpp>
#include <margincall/cascade/book_cascade.hpp>
#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/cascade/cascade_outcome.hpp>
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/cascade_steps.hpp>
#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/cross_account_steps.hpp>
#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/depth_profile_impact.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/cascade/keeper_model.hpp>
#include <margincall/cascade/lending_cascade.hpp>
#include <margincall/cascade/linear_impact.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/loss_waterfall.hpp>
#include <margincall/cascade/multi_asset_simulator.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/cascade/square_root_impact.hpp>
#include <margincall/cascade/venue_crossings.hpp>
#include <margincall/cascade/venue_settlement.hpp>

// lending
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>
#include <margincall/lending/maker_vault.hpp>
#include <margincall/lending/morpho_blue.hpp>
#include <margincall/lending/push_oracle.hpp>

// automation
#include <margincall/automation/alert_levels.hpp>
#include <margincall/automation/auto_reduce.hpp>
#include <margincall/automation/book_monitor.hpp>
#include <margincall/automation/event_log.hpp>
#include <margincall/automation/margin_monitor.hpp>
#include <margincall/automation/top_up.hpp>

// calculator
#include <margincall/calculator/account_margin_model.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>
#include <margincall/calculator/default_policies.hpp>
#include <margincall/calculator/liquidation_solvers.hpp>
#include <margincall/calculator/model_liquidation.hpp>
#include <margincall/calculator/policy_concepts.hpp>

#include <margincall/calculator.hpp>
