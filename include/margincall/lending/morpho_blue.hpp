#pragma once
/// \file
/// Morpho Blue's liquidation as a policy. Source: morpho-org/morpho-blue (commit 3085651),
/// src/Morpho.sol (liquidate, _isHealthy) and src/libraries/ConstantsLib.sol. A market has one
/// collateral and one loan asset and a liquidation LTV (LLTV), the collateral asset's
/// `liquidation_threshold` on the lending_market:
///
///   healthy iff collateral·price·LLTV ≥ borrowed                        (HF ≥ 1)
///   LIF = min(maxLIF, 1 / (β·LLTV + (1 − β))),  β = 0.3 (LIQUIDATION_CURSOR), maxLIF = 1.15
///   repaying r loan units seizes r·LIF·p_loan/p_coll collateral units; no close factor: a
///     liquidator may repay everything, up to the collateral held
///   when the collateral reaches 0 the debt left is bad debt, socialised to the suppliers
///
/// The LIF comes from the LLTV alone; this policy does not read the market's `liquidation_bonus`
/// nor `protocol_fee` (Morpho Blue takes no liquidation fee). Morpho rounds in WAD and shares
/// (mulDivDown, wMulDown, toSharesUp); this restates the asset arithmetic in Real.
/// \test tests/lending/protocols.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/lending/lending_market.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>

namespace margincall {

/// LIF = min(max_lif, 1/(cursor·LLTV + 1 − cursor)).
/// \throws margincall::invalid_argument for LLTV outside (0, 1]
template <real_scalar Real>
[[nodiscard]] Real morpho_liquidation_incentive_factor(Real lltv, Real cursor = Real(0.3), Real max_lif = Real(1.15)) {
    if (!(lltv > 0 && lltv <= 1)) throw_invalid_argument("morpho_liquidation_incentive_factor", "lltv", lltv, "in (0, 1]");
    return std::min(max_lif, Real(1) / (cursor * lltv + (Real(1) - cursor)));
}

/// Morpho Blue liquidation policy.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class morpho_blue_liquidation {
public:
    /// HF < 1 (LLTV as the threshold).
    [[nodiscard]] bool liquidatable(const lending_market<Real>& market, const lending_account<Real>& account,
                                    std::span<const Real> prices) const {
        return market.totals(account, prices).health_factor() < Real(1);
    }

    /// Repaying `repay` units of loan asset `debt` (+∞: as much as the collateral covers)
    /// against collateral asset `collateral`.
    /// \throws margincall::invalid_argument for asset ids outside the market, a negative repay,
    ///   and as lending_market::totals
    [[nodiscard]] lending_quote<Real> quote(const lending_market<Real>& market, const lending_account<Real>& account,
                                            std::span<const Real> prices, std::size_t debt, std::size_t collateral,
                                            Real repay = std::numeric_limits<Real>::infinity()) const {
        market.check_pair("morpho_blue_liquidation::quote", debt, collateral, repay);
        if (!liquidatable(market, account, prices) || !market.asset(collateral).collateral) return {};
        const Real lif = morpho_liquidation_incentive_factor(market.liquidation_threshold(account.emode, collateral));
        const Real owed = account.debt[debt];
        const Real held = account.collateral[collateral];
        // Nothing of this collateral to seize (the account's collateral is elsewhere): no quote, as
        // aave_v3_liquidation::quote; without it seized = 0 >= held wrote the whole debt off.
        if (!(held > 0) || !(owed > 0)) return {};
        Real repaid = std::min(repay, owed);
        Real seized = repaid * lif * prices[debt] / prices[collateral];
        if (seized >= held) {
            seized = held;
            repaid = held * prices[collateral] / prices[debt] / lif;
        }
        lending_quote<Real> q{.debt_repaid = repaid, .collateral_seized = seized, .collateral_taken = seized};
        if (!(seized < held)) q.bad_debt = owed - repaid;
        return q;
    }
};

}  // namespace margincall
