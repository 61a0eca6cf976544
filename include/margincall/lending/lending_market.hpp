#pragma once
/// \file
/// A lending market and its accounts: per-asset loan-to-value (LTV), liquidation threshold (LT),
/// liquidation bonus and protocol fee; efficiency-mode categories; isolation-mode debt ceilings;
/// accounts holding several collateral and several debt assets. Every protocol's rule
/// (lending/aave_v3.hpp, compound_iii.hpp, maker_vault.hpp, morpho_blue.hpp) reads the market
/// through this one model, and the health factor is written once, here:
///
///   HF = Σ_i c_i·p_i·LT_i / Σ_j d_j·p_j      (+∞ without debt)
///   borrowing power = Σ_i c_i·p_i·LTV_i − Σ_j d_j·p_j
///
/// Source: Aave v3 GenericLogic.calculateUserAccountData (aave-dao/aave-v3-origin v3.6,
/// src/contracts/protocol/libraries/logic/GenericLogic.sol): the health factor is the
/// value-weighted liquidation threshold over the debt; an e-mode category's LT replaces the
/// reserve's LT for the collateral assets the category lists (its collateral bitmap, v3.2+).
/// Compound III (Comet.isLiquidatable), Maker (Dog.bark: ink·spot < art·rate, spot = price/mat)
/// and Morpho Blue (_isHealthy: collateral·price·LLTV ≥ borrowed) are the same inequality HF < 1
/// with one collateral factor per asset (docs/lending.md, "One health factor").
/// The health factor is affine in every single price, so the price of one asset at which HF = 1
/// is a closed form (lending_liquidation_prices), and so is the move along a direction of price
/// changes (lending_liquidation_move).
/// \test tests/lending/lending_market.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace margincall {

/// One asset's risk parameters in a lending market (fractions, not basis points).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct lending_asset {
    Real ltv{};                    ///< loan-to-value: the borrowing power per unit of value, in [0, LT]
    Real liquidation_threshold{};  ///< LT in (0, 1]: the weight of this collateral in HF
    Real liquidation_bonus{};      ///< the liquidator's bonus over the repaid value, > 0 (Aave's 10500 bps is 0.05)
    Real protocol_fee{};           ///< the protocol's share of the bonus, in [0, 1]
    Real debt_ceiling{};           ///< isolation mode: 0 = not isolated, else the ceiling on debt (base currency)
    bool collateral{true};         ///< false: a borrow-only asset (Aave LT 0, Comet's base, a Morpho loan token):
                                   ///< its LTV, LT and bonus are not read and a supply of it is not collateral
};

/// An efficiency-mode category: correlated assets with their own LTV, LT and bonus (Aave v3).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct emode_category {
    Real ltv{};
    Real liquidation_threshold{};
    Real liquidation_bonus{};
    std::vector<std::size_t> collateral_assets;  ///< the assets whose collateral takes these parameters
};

/// A lending account: collateral and debt amounts per asset of its market (token units) and
/// its e-mode category (0 = none; k ≥ 1 is the market's category k − 1).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct lending_account {
    std::vector<Real> collateral;
    std::vector<Real> debt;
    std::size_t emode{0};
};

/// Where an account stands (the status vocabulary of docs/lending.md).
enum class lending_status : unsigned char {
    healthy,       ///< HF ≥ 1 (or no debt)
    liquidatable,  ///< HF < 1, collateral value ≥ debt value
    bad_debt       ///< collateral value < debt value: no liquidation can repay all of the debt
};

/// A short English name of a status.
[[nodiscard]] constexpr const char* to_string(lending_status status) noexcept {
    switch (status) {
        case lending_status::healthy: return "healthy";
        case lending_status::liquidatable: return "liquidatable";
        case lending_status::bad_debt: return "bad debt";
    }
    return "unknown";
}

/// The value sums of an account at one set of prices (base currency).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct lending_totals {
    Real collateral_value{};    ///< Σ c_i·p_i
    Real threshold_value{};     ///< Σ c_i·p_i·LT_i
    Real borrow_limit{};        ///< Σ c_i·p_i·LTV_i
    Real debt_value{};          ///< Σ d_j·p_j

    /// HF = threshold_value / debt_value, +∞ without debt.
    [[nodiscard]] Real health_factor() const noexcept {
        return debt_value > 0 ? threshold_value / debt_value : std::numeric_limits<Real>::infinity();
    }
    /// borrow_limit − debt_value (negative when the account is over its LTV).
    [[nodiscard]] Real borrowing_power() const noexcept { return borrow_limit - debt_value; }
    [[nodiscard]] lending_status status() const noexcept {
        if (!(debt_value > 0) || threshold_value >= debt_value) return lending_status::healthy;
        return collateral_value >= debt_value ? lending_status::liquidatable : lending_status::bad_debt;
    }
};

/// What one liquidation does (token units): the debt the liquidator repays, the collateral it
/// receives, the collateral the protocol takes as its fee, and the debt left with no collateral
/// behind it (bad debt, written off). `allowed` is false where the protocol would revert
/// (Aave's MustNotLeaveDust); the amounts then show the attempted liquidation.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct lending_quote {
    Real debt_repaid{};         ///< debt asset units repaid by the liquidator
    Real collateral_seized{};   ///< collateral asset units sent to the liquidator
    Real protocol_fee{};        ///< collateral asset units sent to the protocol's treasury
    Real bad_debt{};            ///< debt asset units left without collateral (0 unless the protocol writes it off)
    Real collateral_taken{};    ///< collateral_seized + protocol_fee: what leaves the account (exactly the holding when all goes)
    bool allowed{true};         ///< false where the protocol reverts (dust rule)
    /// Empty for a liquidation of one pair. Otherwise one entry per market asset: every
    /// collateral the liquidation takes (Compound III's absorb takes them all); the pair's
    /// entry equals collateral_taken, and the others go to the protocol on the same terms.
    std::vector<Real> taken_by_asset{};
    Real account_credit{};      ///< debt asset units credited (supplied) to the account: Comet's surplus
};

/// A lending market: its assets and e-mode categories, checked once at construction.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class lending_market {
public:
    /// \throws margincall::invalid_argument naming the first bad field: LT outside (0, 1],
    ///   LTV outside [0, LT], a bonus ≤ 0 or so large that LT·(1 + bonus) > 1 (Aave's own check in
    ///   PoolConfigurator.configureReserveAsCollateral: a liquidation must not seize more than
    ///   the collateral), a protocol fee outside [0, 1], a negative debt ceiling, an e-mode
    ///   category naming a missing asset, or no assets.
    explicit lending_market(std::vector<lending_asset<Real>> assets, std::vector<emode_category<Real>> emodes = {})
        : assets_{std::move(assets)}, emodes_{std::move(emodes)} {
        if (assets_.empty()) throw_invalid_argument("lending_market", "the number of assets", 0, "> 0");
        for (std::size_t i = 0; i < assets_.size(); ++i) {
            const auto& a = assets_[i];
            if (!a.collateral) continue;
            check_parameters(detail::message("assets[", i, "]"), a.ltv, a.liquidation_threshold, a.liquidation_bonus);
            check_in_closed("lending_market", detail::message("assets[", i, "].protocol_fee"), a.protocol_fee, Real(0),
                            Real(1));
            check_non_negative("lending_market", detail::message("assets[", i, "].debt_ceiling"), a.debt_ceiling);
        }
        for (std::size_t k = 0; k < emodes_.size(); ++k) {
            const auto& e = emodes_[k];
            check_parameters(detail::message("emodes[", k, "]"), e.ltv, e.liquidation_threshold, e.liquidation_bonus);
            for (std::size_t m = 0; m < e.collateral_assets.size(); ++m)
                if (e.collateral_assets[m] >= assets_.size())
                    throw_invalid_argument("lending_market", detail::message("emodes[", k, "].collateral_assets[", m, "]"),
                                           e.collateral_assets[m], detail::message("< ", assets_.size()).c_str());
                else if (!assets_[e.collateral_assets[m]].collateral)
                    throw_invalid_argument("lending_market", detail::message("emodes[", k, "].collateral_assets[", m, "]"),
                                           e.collateral_assets[m], "an asset with collateral = true");
        }
    }

    [[nodiscard]] std::size_t size() const noexcept { return assets_.size(); }
    [[nodiscard]] const lending_asset<Real>& asset(std::size_t i) const { return assets_.at(i); }
    [[nodiscard]] const std::vector<emode_category<Real>>& emodes() const noexcept { return emodes_; }

    /// The category (1-based id) that governs asset i's collateral for an account in e-mode `emode`, or none.
    [[nodiscard]] const emode_category<Real>* emode_for(std::size_t emode, std::size_t i) const noexcept {
        if (emode == 0 || emode > emodes_.size()) return nullptr;
        const auto& e = emodes_[emode - 1];
        for (std::size_t m : e.collateral_assets)
            if (m == i) return &e;
        return nullptr;
    }
    /// LTV, LT and bonus of asset i's collateral for an account in e-mode `emode`.
    [[nodiscard]] Real ltv(std::size_t emode, std::size_t i) const noexcept {
        const auto* e = emode_for(emode, i);
        return e ? e->ltv : assets_[i].ltv;
    }
    [[nodiscard]] Real liquidation_threshold(std::size_t emode, std::size_t i) const noexcept {
        const auto* e = emode_for(emode, i);
        return e ? e->liquidation_threshold : assets_[i].liquidation_threshold;
    }
    [[nodiscard]] Real liquidation_bonus(std::size_t emode, std::size_t i) const noexcept {
        const auto* e = emode_for(emode, i);
        return e ? e->liquidation_bonus : assets_[i].liquidation_bonus;
    }

    /// The weight of asset i's collateral in HF: its LT (e-mode's where it applies), 0 for a borrow-only asset.
    [[nodiscard]] Real collateral_weight(std::size_t emode, std::size_t i) const noexcept {
        return assets_[i].collateral ? liquidation_threshold(emode, i) : Real(0);
    }

    /// Throws unless `debt` and `collateral` are asset ids of this market, and `amount` (a repay
    /// or debt to cover; +∞ for "the most allowed") is ≥ 0.
    void check_pair(const char* where, std::size_t debt, std::size_t collateral, Real amount) const {
        if (debt >= assets_.size())
            throw_invalid_argument(where, "debt asset", debt, detail::message("< ", assets_.size()).c_str());
        if (collateral >= assets_.size())
            throw_invalid_argument(where, "collateral asset", collateral, detail::message("< ", assets_.size()).c_str());
        if (!(amount >= 0)) throw_invalid_argument(where, "the amount to repay", amount, ">= 0");
    }

    /// Throws unless the account fits this market: one amount per asset, each finite and ≥ 0,
    /// and an e-mode id of an existing category.
    void check_account(const char* where, const lending_account<Real>& account) const {
        if (account.collateral.size() != assets_.size())
            throw_invalid_argument(where, "the size of account.collateral", account.collateral.size(),
                                   detail::message("the market's asset count ", assets_.size()).c_str());
        if (account.debt.size() != assets_.size())
            throw_invalid_argument(where, "the size of account.debt", account.debt.size(),
                                   detail::message("the market's asset count ", assets_.size()).c_str());
        for (std::size_t i = 0; i < assets_.size(); ++i) {
            check_non_negative(where, detail::message("account.collateral[", i, "]"), account.collateral[i]);
            check_non_negative(where, detail::message("account.debt[", i, "]"), account.debt[i]);
        }
        if (account.emode > emodes_.size())
            throw_invalid_argument(where, "account.emode", account.emode,
                                   detail::message("0 or a category id <= ", emodes_.size()).c_str());
    }

    /// Throws unless every asset the account holds or owes has a finite price > 0.
    void check_prices(const char* where, const lending_account<Real>& account, std::span<const Real> prices) const {
        if (prices.size() != assets_.size())
            throw_invalid_argument(where, "the size of prices", prices.size(),
                                   detail::message("the market's asset count ", assets_.size()).c_str());
        for (std::size_t i = 0; i < assets_.size(); ++i)
            if (account.collateral[i] > 0 || account.debt[i] > 0)
                check_positive(where, detail::message("prices[", i, "]"), prices[i]);
    }

    /// The value sums of a checked account at checked prices (no checks: the hot path).
    [[nodiscard]] lending_totals<Real> totals_unchecked(const lending_account<Real>& account,
                                                        std::span<const Real> prices) const noexcept {
        lending_totals<Real> t;
        for (std::size_t i = 0; i < assets_.size(); ++i) {
            if (account.collateral[i] > 0 && assets_[i].collateral) {
                const Real value = account.collateral[i] * prices[i];
                t.collateral_value += value;
                t.threshold_value += value * collateral_weight(account.emode, i);
                t.borrow_limit += value * ltv(account.emode, i);
            }
            if (account.debt[i] > 0) t.debt_value += account.debt[i] * prices[i];
        }
        return t;
    }

    /// The value sums, HF and borrowing power of an account at `prices` (prices[i] of asset i).
    /// \throws margincall::invalid_argument for an account that does not fit or a missing price
    [[nodiscard]] lending_totals<Real> totals(const lending_account<Real>& account, std::span<const Real> prices) const {
        check_account("lending_market::totals", account);
        check_prices("lending_market::totals", account, prices);
        return totals_unchecked(account, prices);
    }

    /// Borrowing power with isolation mode: an account whose collateral includes an isolated
    /// asset (debt_ceiling > 0) may borrow at most the ceiling less the isolated debt the market
    /// already carries (`isolated_debt`, base currency); Aave v3 ValidationLogic.validateBorrow.
    [[nodiscard]] Real borrowing_power(const lending_account<Real>& account, std::span<const Real> prices,
                                       Real isolated_debt = Real(0)) const {
        const auto t = totals(account, prices);
        check_non_negative("lending_market::borrowing_power", "isolated_debt", isolated_debt);
        Real power = t.borrowing_power();
        for (std::size_t i = 0; i < assets_.size(); ++i)
            if (account.collateral[i] > 0 && assets_[i].debt_ceiling > 0 && assets_[i].debt_ceiling - isolated_debt < power)
                power = assets_[i].debt_ceiling - isolated_debt;
        return power;
    }

private:
    static void check_parameters(const std::string& name, Real ltv, Real lt, Real bonus) {
        if (!(lt > 0 && lt <= 1)) throw_invalid_argument("lending_market", name + ".liquidation_threshold", lt, "in (0, 1]");
        if (!(ltv >= 0 && ltv <= lt))
            throw_invalid_argument("lending_market", name + ".ltv", ltv,
                                   detail::message("in [0, liquidation_threshold ", lt, "]").c_str());
        if (!(bonus > 0) || !(lt * (Real(1) + bonus) <= Real(1)))
            throw_invalid_argument("lending_market", name + ".liquidation_bonus", bonus,
                                   detail::message("> 0 with liquidation_threshold*(1 + bonus) <= 1, liquidation_threshold ",
                                                   lt)
                                       .c_str());
    }

    std::vector<lending_asset<Real>> assets_;
    std::vector<emode_category<Real>> emodes_;
};

/// Applies an allowed quote to the account: the debt asset's debt falls by the repay (and the
/// bad debt, written off), the collateral by what the quote takes (every asset of
/// quote.taken_by_asset when it is not empty), and the account's supply of the debt asset
/// (its `collateral` entry) rises by quote.account_credit. A quote that takes all of a
/// holding or repays all of a debt leaves exactly 0 (no rounding residue).
/// \throws margincall::invalid_argument for a quote that is not allowed, takes more than the
///   account holds or owes, has a taken_by_asset of the wrong size or disagreeing with
///   collateral_taken, or a negative credit (nothing changes)
template <real_scalar Real>
void apply_lending_liquidation(lending_account<Real>& account, std::size_t debt, std::size_t collateral,
                               const lending_quote<Real>& quote) {
    const char* where = "apply_lending_liquidation";
    if (debt >= account.debt.size())
        throw_invalid_argument(where, "debt asset", debt, detail::message("< ", account.debt.size()).c_str());
    if (collateral >= account.collateral.size())
        throw_invalid_argument(where, "collateral asset", collateral, detail::message("< ", account.collateral.size()).c_str());
    if (!quote.allowed) throw_invalid_argument(where, "quote.allowed", false, "true");
    const Real owed = account.debt[debt];
    const Real held = account.collateral[collateral];
    const Real cleared = quote.debt_repaid + quote.bad_debt;
    if (!(cleared <= owed * (Real(1) + Real(16) * std::numeric_limits<Real>::epsilon())) || !(quote.debt_repaid >= 0))
        throw_invalid_argument(where, "quote.debt_repaid + quote.bad_debt", cleared, detail::message("<= the debt ", owed).c_str());
    if (!(quote.collateral_taken <= held) || !(quote.collateral_taken >= 0))
        throw_invalid_argument(where, "quote.collateral_taken", quote.collateral_taken,
                               detail::message("<= the collateral ", held).c_str());
    check_non_negative(where, "quote.account_credit", quote.account_credit);
    const auto& all = quote.taken_by_asset;
    if (!all.empty()) {
        if (all.size() != account.collateral.size())
            throw_invalid_argument(where, "the size of quote.taken_by_asset", all.size(),
                                   detail::message("the account's asset count ", account.collateral.size()).c_str());
        for (std::size_t i = 0; i < all.size(); ++i)
            if (!(all[i] >= 0) || !(all[i] <= account.collateral[i]))
                throw_invalid_argument(where, detail::message("quote.taken_by_asset[", i, "]"), all[i],
                                       detail::message("in [0, the collateral ", account.collateral[i], "]").c_str());
        if (all[collateral] != quote.collateral_taken)
            throw_invalid_argument(where, detail::message("quote.taken_by_asset[", collateral, "]"), all[collateral],
                                   detail::message("quote.collateral_taken ", quote.collateral_taken).c_str());
    }
    account.debt[debt] = cleared >= owed ? Real(0) : owed - cleared;
    if (all.empty()) account.collateral[collateral] = held - quote.collateral_taken;
    else
        for (std::size_t i = 0; i < all.size(); ++i) account.collateral[i] -= all[i];
    account.collateral[debt] += quote.account_credit;
}

/// The price of each asset at which HF = 1 with every other price held: HF is affine in p_k,
///   Σ_{i≠k} c_i·p_i·LT_i + c_k·LT_k·p_k = Σ_{j≠k} d_j·p_j + d_k·p_k
///   ⇒ p_k* = (D_{−k} − W_{−k}) / (c_k·LT_k − d_k),
/// reported when p_k* > 0 (none when the asset's net weight c_k·LT_k − d_k is 0 or the root is ≤ 0).
/// \throws margincall::invalid_argument as lending_market::totals
template <real_scalar Real>
[[nodiscard]] std::vector<std::optional<Real>> lending_liquidation_prices(const lending_market<Real>& market,
                                                                          const lending_account<Real>& account,
                                                                          std::span<const Real> prices) {
    const auto t = market.totals(account, prices);
    std::vector<std::optional<Real>> out(market.size());
    for (std::size_t k = 0; k < market.size(); ++k) {
        const Real weight_k = account.collateral[k] * market.collateral_weight(account.emode, k);
        const Real slope = weight_k - account.debt[k];
        if (!(account.collateral[k] > 0 || account.debt[k] > 0) || slope == 0) continue;
        const Real rest = (t.debt_value - account.debt[k] * prices[k]) - (t.threshold_value - weight_k * prices[k]);
        const Real root = rest / slope;
        if (root > 0 && detail::is_finite(root)) out[k] = root;
    }
    return out;
}

/// Several prices moving together along a direction v: p(t) = p + t·v. HF(p(t)) − 1 has the
/// numerator Σ_i (c_i·LT_i − d_i)·(p_i + t·v_i), affine in t, so the root set is one point,
/// none, or the whole line; this returns the one root t* (and none for no root, for the whole line,
/// or when some held price p_i + t*·v_i would be ≤ 0). Multiply v by the root to get the move.
/// \throws margincall::invalid_argument as lending_market::totals, or for a direction that
///   is not finite or has the wrong size
template <real_scalar Real>
[[nodiscard]] std::optional<Real> lending_liquidation_move(const lending_market<Real>& market,
                                                           const lending_account<Real>& account,
                                                           std::span<const Real> prices,
                                                           std::span<const Real> direction) {
    const auto t = market.totals(account, prices);
    if (direction.size() != market.size())
        throw_invalid_argument("lending_liquidation_move", "the size of direction", direction.size(),
                               detail::message("the market's asset count ", market.size()).c_str());
    check_all_finite("lending_liquidation_move", "direction", direction);
    Real slope{0};
    for (std::size_t i = 0; i < market.size(); ++i)
        if (account.collateral[i] > 0 || account.debt[i] > 0)
            slope += (account.collateral[i] * market.collateral_weight(account.emode, i) - account.debt[i]) *
                     direction[i];
    if (slope == 0) return std::nullopt;
    const Real root = (t.debt_value - t.threshold_value) / slope;
    for (std::size_t i = 0; i < market.size(); ++i)
        if ((account.collateral[i] > 0 || account.debt[i] > 0) && !(prices[i] + root * direction[i] > 0))
            return std::nullopt;
    return root;
}

}  // namespace margincall
