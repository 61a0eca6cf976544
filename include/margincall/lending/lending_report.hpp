#pragma once
/// \file
/// The calculator-style report of a lending account under one protocol's rule: HF, status,
/// borrowing power, the largest liquidation the rule allows now for one (debt, collateral) pair
/// (the repay and the collateral it seizes), and the price of each asset at which HF = 1.
/// The policy is any of aave_v3_liquidation, compound_iii_liquidation, morpho_blue_liquidation
/// (or a host's own with the same `quote`).
/// \test tests/lending/lending_market.cpp, tests/lending/protocols.cpp

#include <margincall/core/real_scalar.hpp>
#include <margincall/lending/lending_market.hpp>

#include <concepts>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace margincall {

/// A protocol's liquidation rule: `quote(market, account, prices, debt, collateral)` is the
/// largest liquidation of the pair the rule allows now.
template <class P, class Real>
concept lending_liquidation_policy = requires(const P& p, const lending_market<Real>& m, const lending_account<Real>& a,
                                              std::span<const Real> prices, std::size_t i) {
    { p.quote(m, a, prices, i, i) } -> std::same_as<lending_quote<Real>>;
};

/// What the report says about one account.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct lending_report {
    Real health_factor{};
    lending_status status{lending_status::healthy};
    Real collateral_value{};
    Real debt_value{};
    Real borrowing_power{};
    lending_quote<Real> max_liquidation;                 ///< the largest liquidation of the pair now
    std::vector<std::optional<Real>> liquidation_prices; ///< per asset: its price at HF = 1, others held
};

/// The report of `account` under `policy` for the pair (debt asset, collateral asset).
/// \throws margincall::invalid_argument as the market and the policy do for bad input
template <real_scalar Real, lending_liquidation_policy<Real> Policy>
[[nodiscard]] lending_report<Real> report_lending_account(const Policy& policy, const lending_market<Real>& market,
                                                          const lending_account<Real>& account,
                                                          std::span<const Real> prices, std::size_t debt,
                                                          std::size_t collateral) {
    const auto t = market.totals(account, prices);
    return {.health_factor = t.health_factor(),
            .status = t.status(),
            .collateral_value = t.collateral_value,
            .debt_value = t.debt_value,
            .borrowing_power = t.borrowing_power(),
            .max_liquidation = policy.quote(market, account, prices, debt, collateral),
            .liquidation_prices = lending_liquidation_prices(market, account, prices)};
}

}  // namespace margincall
