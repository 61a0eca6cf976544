#pragma once
/// \file
/// Compound III (Comet) as a policy: one base asset that accounts borrow, several collateral
/// assets, and liquidation by absorption. Source: compound-finance/comet (commit d5a30b0),
/// contracts/Comet.sol: isBorrowCollateralized, isLiquidatable, absorbInternal, quoteCollateral.
/// On the lending_market an asset's `ltv` is Comet's borrowCollateralFactor, its
/// `liquidation_threshold` the liquidateCollateralFactor, and its liquidationFactor is
/// 1 − `liquidation_bonus` (the share of the collateral's value credited to the account):
///
///   borrow allowed   iff Σ c_i·p_i·borrowCF_i ≥ debt·p_base       (isBorrowCollateralized)
///   liquidatable     iff Σ c_i·p_i·liquidateCF_i < debt·p_base    (isLiquidatable: HF < 1)
///   absorb: the protocol takes every collateral unit and credits Σ c_i·p_i·LF_i / p_base base units;
///     the account's new balance is max(0, −debt + credit) (a positive balance is supplied to it);
///     the reserves pay the rest of the debt: shortfall = max(0, debt − credit) is bad debt
///   buyCollateral: base amount b buys b·p_base / (p_i·(1 − s·(1 − LF_i))) units of asset i,
///     s = storeFrontPriceFactor (quoteCollateral)
///
/// Comet rounds down in integer units (mulFactor, mulPrice, divPrice); this restates the
/// formulas in Real (tests/reference/lending_reference.py replays the integer arithmetic).
/// \test tests/lending/protocols.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/lending/lending_market.hpp>

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// What an absorption does to one account (units of each asset; base units for the balances).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct compound_absorption {
    std::vector<Real> collateral_seized;  ///< per asset: all of the account's collateral
    Real debt_absorbed{};                 ///< base units of debt taken off the account
    Real credited{};                      ///< Σ c_i·p_i·LF_i / p_base
    Real new_balance{};                   ///< max(0, credited − debt): base supplied to the account
    Real shortfall{};                     ///< max(0, debt − credited): the reserves' loss (bad debt)
};

/// Compound III liquidation policy on a market whose asset `base` is the borrowed base asset.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class compound_iii_liquidation {
public:
    /// \param base the index of the base asset in the market
    /// \param store_front_price_factor s in [0, 1] (Comet: BadDiscount above 1)
    /// \throws margincall::invalid_argument for s outside [0, 1]
    explicit compound_iii_liquidation(std::size_t base, Real store_front_price_factor)
        : base_{base}, store_front_{store_front_price_factor} {
        check_in_closed("compound_iii_liquidation", "store_front_price_factor", store_front_price_factor, Real(0), Real(1));
    }
    [[nodiscard]] std::size_t base() const noexcept { return base_; }

    /// HF < 1 with the liquidate collateral factors.
    [[nodiscard]] bool liquidatable(const lending_market<Real>& market, const lending_account<Real>& account,
                                    std::span<const Real> prices) const {
        check_base(market, account);
        return market.totals(account, prices).health_factor() < Real(1);
    }

    /// Σ c_i·p_i·borrowCF_i ≥ debt·p_base.
    [[nodiscard]] bool borrow_collateralized(const lending_market<Real>& market, const lending_account<Real>& account,
                                             std::span<const Real> prices) const {
        check_base(market, account);
        return market.totals(account, prices).borrowing_power() >= 0;
    }

    /// The absorption of a liquidatable account (an empty one, all zeros, otherwise).
    [[nodiscard]] compound_absorption<Real> absorb(const lending_market<Real>& market, const lending_account<Real>& account,
                                                   std::span<const Real> prices) const {
        compound_absorption<Real> out;
        out.collateral_seized.assign(market.size(), Real(0));
        if (!liquidatable(market, account, prices)) return out;
        Real value{0};
        for (std::size_t i = 0; i < market.size(); ++i) {
            if (i == base_ || !(account.collateral[i] > 0) || !market.asset(i).collateral) continue;
            out.collateral_seized[i] = account.collateral[i];
            value += account.collateral[i] * prices[i] * liquidation_factor(market, i);
        }
        out.debt_absorbed = account.debt[base_];
        out.credited = value / prices[base_];
        const Real balance = out.credited - out.debt_absorbed;
        out.new_balance = balance > 0 ? balance : Real(0);
        out.shortfall = balance < 0 ? -balance : Real(0);
        return out;
    }

    /// quoteCollateral: units of asset `asset` that `base_amount` base units buy from the reserves.
    /// \throws margincall::invalid_argument for the base asset itself, a bad amount or a missing price
    [[nodiscard]] Real quote_collateral(const lending_market<Real>& market, std::size_t asset, Real base_amount,
                                        std::span<const Real> prices) const {
        const char* where = "compound_iii_liquidation::quote_collateral";
        if (asset >= market.size() || asset == base_)
            throw_invalid_argument(where, "asset", asset, "a collateral asset of the market (not the base)");
        check_non_negative(where, "base_amount", base_amount);
        if (prices.size() != market.size())
            throw_invalid_argument(where, "the size of prices", prices.size(), "the market's asset count");
        check_positive(where, detail::message("prices[", asset, "]"), prices[asset]);
        check_positive(where, detail::message("prices[", base_, "]"), prices[base_]);
        const Real discount = store_front_ * (Real(1) - liquidation_factor(market, asset));
        return prices[base_] * base_amount / (prices[asset] * (Real(1) - discount));
    }

    /// The absorption seen as a quote for the pair (debt = base, collateral): every collateral
    /// is taken (taken_by_asset, one entry per asset; collateral_seized and collateral_taken are
    /// the pair's), the debt the collateral covers is repaid, the shortfall is bad debt (the
    /// reserves pay it) and the surplus is credited to the account (account_credit), so
    ///   Σ_i taken_i·p_i·LF_i = (debt_repaid + account_credit)·p_base   (absorbInternal).
    /// Before, the quote cleared the whole debt but reported only the pair's collateral, so
    /// applying it left the other collateral with the account: money was created.
    [[nodiscard]] lending_quote<Real> quote(const lending_market<Real>& market, const lending_account<Real>& account,
                                            std::span<const Real> prices, std::size_t debt, std::size_t collateral) const {
        if (debt != base_) throw_invalid_argument("compound_iii_liquidation::quote", "debt asset", debt, "the base asset");
        if (collateral >= market.size())
            throw_invalid_argument("compound_iii_liquidation::quote", "collateral asset", collateral, "an asset of the market");
        auto a = absorb(market, account, prices);
        if (!(a.debt_absorbed > 0)) return {};
        const Real pair = a.collateral_seized[collateral];
        return {.debt_repaid = a.debt_absorbed - a.shortfall, .collateral_seized = pair, .bad_debt = a.shortfall,
                .collateral_taken = pair, .taken_by_asset = std::move(a.collateral_seized),
                .account_credit = a.new_balance};
    }

private:
    static Real liquidation_factor(const lending_market<Real>& market, std::size_t i) {
        return Real(1) - market.asset(i).liquidation_bonus;
    }
    void check_base(const lending_market<Real>& market, const lending_account<Real>& account) const {
        if (base_ >= market.size())
            throw_invalid_argument("compound_iii_liquidation", "base", base_, detail::message("< ", market.size()).c_str());
        market.check_account("compound_iii_liquidation", account);
        for (std::size_t i = 0; i < market.size(); ++i)
            if (i != base_ && account.debt[i] > 0)
                throw_invalid_argument("compound_iii_liquidation", detail::message("account.debt[", i, "]"),
                                       account.debt[i], "0 (only the base asset is borrowed)");
    }

    std::size_t base_;
    Real store_front_;
};

}  // namespace margincall
