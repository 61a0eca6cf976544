#pragma once
/// \file
/// Aave v3's liquidation rule as a policy. Source: aave-dao/aave-v3-origin v3.6 (commit
/// fd1fbd9), src/contracts/protocol/libraries/logic/LiquidationLogic.sol, executeLiquidationCall
/// and _calculateAvailableCollateralToLiquidate; the rule, restated (amounts in token units,
/// prices in the base currency, B = 1 + bonus):
///
///   liquidatable iff HF < 1                                   (ValidationLogic, HEALTH_FACTOR_LIQUIDATION_THRESHOLD)
///   max repay = the whole debt d_j of the debt asset, except: when the debt asset's debt and the
///     collateral asset's collateral are each worth ≥ 2,000 base units (MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
///     v3.3+) and HF > 0.95 (CLOSE_FACTOR_HF_THRESHOLD), at most 50 % (DEFAULT_LIQUIDATION_CLOSE_FACTOR)
///     of the account's total debt value, i.e. 0.5·D/p_j, when d_j·p_j exceeds it
///   collateral = (repay·p_j / p_c)·B; if that exceeds the collateral c held, all of c is taken and
///     repay = c·p_c/p_j / B
///   protocol fee = (collateral − collateral/B)·fee, taken out of the liquidator's collateral
///   dust rule (v3.3+, MustNotLeaveDust): unless the whole debt or the whole collateral of the pair
///     goes, both leftovers must be worth ≥ 1,000 base units (MIN_LEFTOVER_BASE)
///   e-mode: the category's bonus replaces the reserve's for collateral the category lists
///   deficit (v3.3+): when the liquidation consumes the account's last collateral, the debt left
///     is written off as the reserve's deficit (reported as bad_debt for the debt asset)
///
/// The contract rounds in integer token units and basis points (percentMulFloor on the bonus,
/// percentDivCeil on the capped repay, percentMulCeil on the fee, mulDivCeil on debt values);
/// this policy computes the same formulas in Real, so its figures differ from the chain's by at
/// most those roundings (a few wei); tests/reference/lending_reference.py replays the integer
/// arithmetic and tests/lending/protocols.cpp checks the two agree.
/// \test tests/lending/protocols.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/lending/lending_market.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>

namespace margincall {

/// The constants of Aave v3's liquidation; the defaults are v3.3+ on a USD base currency.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct aave_v3_parameters {
    Real close_factor{0.5};               ///< DEFAULT_LIQUIDATION_CLOSE_FACTOR
    Real close_factor_hf_threshold{0.95}; ///< CLOSE_FACTOR_HF_THRESHOLD: at or below it, 100 %
    Real min_base_max_close_factor{2000}; ///< MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD (base currency); 0 before v3.3
    Real min_leftover_base{1000};         ///< MIN_LEFTOVER_BASE; 0 disables the dust rule (before v3.3)
};

/// Aave v3 liquidation policy.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class aave_v3_liquidation {
public:
    /// \throws margincall::invalid_argument for a close factor or HF threshold outside (0, 1] or
    ///   a negative threshold value
    explicit aave_v3_liquidation(aave_v3_parameters<Real> p = {}) : p_{p} {
        if (!(p.close_factor > 0 && p.close_factor <= 1))
            throw_invalid_argument("aave_v3_liquidation", "close_factor", p.close_factor, "in (0, 1]");
        if (!(p.close_factor_hf_threshold > 0 && p.close_factor_hf_threshold <= 1))
            throw_invalid_argument("aave_v3_liquidation", "close_factor_hf_threshold", p.close_factor_hf_threshold,
                                   "in (0, 1]");
        check_non_negative("aave_v3_liquidation", "min_base_max_close_factor", p.min_base_max_close_factor);
        check_non_negative("aave_v3_liquidation", "min_leftover_base", p.min_leftover_base);
    }
    [[nodiscard]] const aave_v3_parameters<Real>& parameters() const noexcept { return p_; }

    /// HF < 1.
    [[nodiscard]] bool liquidatable(const lending_market<Real>& market, const lending_account<Real>& account,
                                    std::span<const Real> prices) const {
        return market.totals(account, prices).health_factor() < Real(1);
    }

    /// The liquidation of `debt_to_cover` units of debt asset `debt` against collateral asset
    /// `collateral` (+∞: the most the rule allows). An account that is not liquidatable, or owes
    /// none of `debt`, or holds none of `collateral` (or `collateral` is borrow-only), gets an
    /// empty quote.
    /// \throws margincall::invalid_argument for asset ids outside the market, a negative or NaN
    ///   debt_to_cover, and as lending_market::totals
    [[nodiscard]] lending_quote<Real> quote(const lending_market<Real>& market, const lending_account<Real>& account,
                                            std::span<const Real> prices, std::size_t debt, std::size_t collateral,
                                            Real debt_to_cover = std::numeric_limits<Real>::infinity()) const {
        market.check_pair("aave_v3_liquidation::quote", debt, collateral, debt_to_cover);
        const auto t = market.totals(account, prices);
        const Real hf = t.health_factor();
        const Real owed = account.debt[debt];
        const Real held = account.collateral[collateral];
        if (!(hf < Real(1)) || !(owed > 0) || !(held > 0) || !market.asset(collateral).collateral) return {};
        const Real pd = prices[debt];
        const Real pc = prices[collateral];
        const Real bonus = Real(1) + market.liquidation_bonus(account.emode, collateral);

        Real max_debt = owed;
        if (held * pc >= p_.min_base_max_close_factor && owed * pd >= p_.min_base_max_close_factor &&
            hf > p_.close_factor_hf_threshold) {
            const Real half = t.debt_value * p_.close_factor;
            if (owed * pd > half) max_debt = half / pd;
        }
        Real repay = std::min(debt_to_cover, max_debt);
        Real seized = repay * pd / pc * bonus;
        if (seized > held) {
            seized = held;
            repay = held * pc / pd / bonus;
        }
        Real fee{0};
        const Real fee_share = market.asset(collateral).protocol_fee;
        if (fee_share > 0) fee = (seized - seized / bonus) * fee_share;
        lending_quote<Real> q{.debt_repaid = repay, .collateral_seized = seized - fee, .protocol_fee = fee,
                              .collateral_taken = seized};
        if (repay < owed && seized < held)
            q.allowed = (owed - repay) * pd >= p_.min_leftover_base && (held - seized) * pc >= p_.min_leftover_base;
        if (!(seized < held) && t.collateral_value - held * pc <= 0) q.bad_debt = owed - repay;
        return q;
    }

private:
    aave_v3_parameters<Real> p_;
};

}  // namespace margincall
