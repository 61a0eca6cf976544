#pragma once
/// \file
/// Keeper economics: a forced liquidation happens only when someone executes it. The executor
/// (an exchange's liquidation engine, a DeFi keeper bot) acts `delay_steps` after the price
/// crosses the liquidation price, pays a fixed cost per liquidation (gas, transaction fee) and
/// receives a reward, a share of the liquidation fee (the liquidation bonus). A liquidation
/// whose reward is below the cost is not executed: the position stays open, its loss grows,
/// and it is reported as unliquidated exposure and, past its bankruptcy price, bad debt.
///
///   execute ⇔ reward_share · fee_rate · |q| · P ≥ cost_per_liquidation
///
/// Sources: Aave v3 liquidation bonus and protocol fee share (aave/aave-v3-core,
/// `contracts/protocol/libraries/logic/LiquidationLogic.sol`); MakerDAO dss `src/clip.sol` keeper
/// incentives `tip + chip × tab`; liquidator incentives
/// and their costs on chain: K. Qin, L. Zhou, P. Gamito, P. Jovanovic, A. Gervais, "An empirical
/// study of DeFi liquidations: incentives, risks, and instabilities", ACM IMC 2021
/// (docs/cascades.md §6).
/// With delay 0 and cost 0 every crossing is executed at once: the model is then the same as
/// having no keeper (tested).
/// \tparam Real a real_scalar
/// \test tests/cascade/keeper_model.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstddef>
#include <cstdint>

namespace margincall {

/// The executor of forced liquidations: delay, cost and reward.
template <real_scalar Real = double>
class keeper_model {
public:
    /// \param delay_steps steps between the crossing and the execution
    /// \param cost_per_liquidation the executor's fixed cost of one liquidation, finite and ≥ 0
    /// \param reward_share the executor's share of the liquidation fee, in [0, 1]
    /// \throws margincall::invalid_argument otherwise
    keeper_model(std::size_t delay_steps, Real cost_per_liquidation, Real reward_share)
        : delay_{delay_steps}, cost_{cost_per_liquidation}, share_{reward_share} {
        check_non_negative("keeper_model", "cost_per_liquidation", cost_per_liquidation);
        check_in_closed("keeper_model", "reward_share", reward_share, Real(0), Real(1));
    }
    [[nodiscard]] std::size_t delay_steps() const noexcept { return delay_; }
    [[nodiscard]] Real cost_per_liquidation() const noexcept { return cost_; }
    [[nodiscard]] Real reward_share() const noexcept { return share_; }
    /// The executor's reward for a liquidation that charges `fee`.
    [[nodiscard]] Real reward(Real fee) const noexcept { return share_ * fee; }
    /// True if the reward for a liquidation charging `fee` covers the cost.
    [[nodiscard]] bool worth_executing(Real fee) const noexcept { return share_ * fee >= cost_; }
    /// The reward in cents for a charged fee of `fee` cents (docs/cascades.md rule C1):
    /// share·fee rounded half away from zero through `guard` (a cents_guard of core/money.hpp:
    /// flagged, not undefined, beyond int64), at most the fee, which a double near 2^63 could pass.
    template <class Guard>
    [[nodiscard]] std::int64_t reward_cents(std::int64_t fee, Guard& guard) const noexcept {
        const std::int64_t r = guard.round(static_cast<double>(share_) * static_cast<double>(fee));
        return r < fee ? r : fee;
    }

private:
    std::size_t delay_;
    Real cost_;
    Real share_;
};

}  // namespace margincall
