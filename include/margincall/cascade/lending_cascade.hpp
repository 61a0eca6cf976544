#pragma once
/// \file
/// A collateral-value feedback loop on one lending market: the outside (reference) price of a
/// collateral asset follows a path; its market price is an AMM pool's (price_impact) at the
/// pool's displacement; a push oracle posts the market price on its deviation / heartbeat rule;
/// the protocol's rule (aave_v3_liquidation, morpho_blue_liquidation, or any policy with the same
/// `quote`) liquidates at the oracle's price; each liquidator sells the collateral it seized into
/// the pool, which moves the market price the oracle reads next. Within one time step the loop
/// runs in rounds to its fixed point: every round re-reads the oracle (same time stamp) and
/// re-evaluates every account (brute force, O(accounts) per round), until a round liquidates
/// nobody or the round budget runs out (reported).
///
/// With `profitable_only` a liquidator acts only when the sale pays for the repay (keepers do not
/// liquidate at a loss), which can leave liquidatable accounts standing: the step reports them.
/// Per step it reports liquidations, collateral sold, the debt repaid, the bad debt written off,
/// the protocol's fees, the liquidators' profit (sale proceeds at the pool's fill less the debt
/// repaid, in the base currency), and the market and oracle prices; over the run the
/// amplification: final market drop / reference drop (the shock).
///
/// Money is conserved account by account through apply_lending_liquidation: collateral before
/// = collateral after + seized + fee; debt before = debt after + repaid + bad debt (tested).
/// A liquidation that takes several collateral assets (Compound III's absorb) takes each of
/// them: the pair's collateral is sold into the pool, the others are valued at the oracle's
/// prices (the run has no pool for them) and counted per asset in `collateral_taken`; what the
/// protocol credits to the account (Comet's surplus) is part of the liquidation's cost.
/// \test tests/cascade/lending_cascade.cpp

#include <margincall/cascade/price_impact.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>
#include <margincall/lending/push_oracle.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

namespace margincall {

/// Which pair the cascade liquidates and how long a step may loop.
template <real_scalar Real = double>
struct lending_cascade_options {
    std::size_t debt_asset{};            ///< the debt the liquidators repay
    std::size_t collateral_asset{};      ///< the collateral whose price the path moves and the pool trades
    std::size_t max_rounds_per_step{1000};
    bool profitable_only{false};         ///< a liquidator acts only when selling the seized collateral into
                                         ///< the pool pays at least the debt it repays
};

/// One time step of the cascade.
template <real_scalar Real = double>
struct lending_cascade_step {
    Real time{};
    Real reference{};          ///< the outside price
    Real market_price{};       ///< the pool's price at the end of the step
    Real oracle_price{};       ///< the oracle's posted price at the end of the step
    std::size_t liquidations{};
    std::size_t rounds{};      ///< rounds the step took (the last liquidated nobody unless budget_exhausted)
    std::size_t unprofitable{}; ///< liquidations passed over in the step's last round because they would lose money
    Real collateral_sold{};    ///< collateral units the liquidators sold into the pool
    Real debt_repaid{};        ///< debt units repaid
    Real bad_debt{};           ///< debt units written off
    Real protocol_fees{};      ///< collateral units taken as the protocol's fee
    Real liquidator_profit{};  ///< Σ (proceeds − (repaid + credit)·p_debt), base currency
    Real account_credit{};     ///< debt units credited to the accounts (Comet's surplus)
    std::vector<Real> collateral_taken{};  ///< per asset: units that left the accounts (sold, fees, other assets)
    bool budget_exhausted{false};
};

/// The run: its steps and the amplification.
template <real_scalar Real = double>
struct lending_cascade_outcome {
    std::vector<lending_cascade_step<Real>> steps;
    Real start_price{};               ///< the reference at the first step (the pool's undisturbed price)
    Real displacement{};              ///< the pool's displacement at the end
    std::optional<Real> amplification; ///< (start − final market)/(start − final reference); none without a shock
};

/// Runs the cascade on `accounts` (changed in place) along `reference_path` at `times`.
/// `prices` holds every asset's price; the collateral asset's entry is replaced by the oracle's.
/// \throws margincall::invalid_argument for a path and times of different sizes or empty, times
///   not increasing, a bad reference price, a pair outside the market, and as the market, the
///   oracle, the policy and the pool do (a sale beyond the pool's depth)
template <real_scalar Real, class Policy, class Impact>
    requires lending_liquidation_policy<Policy, Real> && price_impact<Impact, Real>
[[nodiscard]] lending_cascade_outcome<Real> run_lending_cascade(const lending_market<Real>& market,
                                                                std::vector<lending_account<Real>>& accounts,
                                                                const Policy& policy, const Impact& pool,
                                                                push_oracle<Real> oracle, std::vector<Real> prices,
                                                                std::type_identity_t<std::span<const Real>> times,
                                                                std::type_identity_t<std::span<const Real>> reference_path,
                                                                const lending_cascade_options<Real>& options = {}) {
    const char* where = "run_lending_cascade";
    if (times.empty() || times.size() != reference_path.size())
        throw_invalid_argument(where, "the size of times", times.size(),
                               detail::message("> 0 and the size of reference_path ", reference_path.size()).c_str());
    for (std::size_t t = 0; t < times.size(); ++t) {
        check_positive(where, detail::message("reference_path[", t, "]"), reference_path[t]);
        if (t > 0 && !(times[t] > times[t - 1]))
            throw_invalid_argument(where, detail::message("times[", t, "]"), times[t],
                                   detail::message("> times[", t - 1, "] ", times[t - 1]).c_str());
    }
    market.check_pair(where, options.debt_asset, options.collateral_asset, Real(0));
    if (prices.size() != market.size())
        throw_invalid_argument(where, "the size of prices", prices.size(),
                               detail::message("the market's asset count ", market.size()).c_str());
    for (std::size_t i = 0; i < accounts.size(); ++i) market.check_account(where, accounts[i]);
    if (options.max_rounds_per_step == 0) throw_invalid_argument(where, "options.max_rounds_per_step", 0, "> 0");

    const std::size_t d = options.debt_asset;
    const std::size_t c = options.collateral_asset;
    lending_cascade_outcome<Real> out;
    out.start_price = reference_path[0];
    Real q{0};  // the pool's displacement
    for (std::size_t t = 0; t < times.size(); ++t) {
        if (t > 0) q = pool.recover(q);
        const Real reference = reference_path[t];
        lending_cascade_step<Real> step{.time = times[t], .reference = reference};
        step.collateral_taken.assign(market.size(), Real(0));
        for (;;) {
            oracle.observe(times[t], pool.price(reference, q));
            prices[c] = oracle.price();
            ++step.rounds;
            std::size_t liquidated = 0;
            step.unprofitable = 0;
            for (auto& a : accounts) {
                const auto quote = policy.quote(market, a, std::span<const Real>(prices), d, c);
                if (!(quote.debt_repaid > 0) || !quote.allowed) continue;
                const Real proceeds = quote.collateral_seized > 0
                                          ? pool.average_price(reference, q, q - quote.collateral_seized) * quote.collateral_seized
                                          : Real(0);
                // Other collateral the liquidation takes (an absorb) at the oracle's prices.
                Real others{0};
                for (std::size_t i = 0; i < quote.taken_by_asset.size(); ++i)
                    if (i != c) others += quote.taken_by_asset[i] * prices[i];
                const Real cost = (quote.debt_repaid + quote.account_credit) * prices[d];
                if (options.profitable_only && proceeds + others < cost) {
                    ++step.unprofitable;
                    continue;
                }
                apply_lending_liquidation(a, d, c, quote);
                q -= quote.collateral_seized;
                ++liquidated;
                step.collateral_sold += quote.collateral_seized;
                step.debt_repaid += quote.debt_repaid;
                step.bad_debt += quote.bad_debt;
                step.protocol_fees += quote.protocol_fee;
                step.liquidator_profit += proceeds + others - cost;
                step.account_credit += quote.account_credit;
                if (quote.taken_by_asset.empty()) step.collateral_taken[c] += quote.collateral_taken;
                else
                    for (std::size_t i = 0; i < quote.taken_by_asset.size(); ++i)
                        step.collateral_taken[i] += quote.taken_by_asset[i];
            }
            step.liquidations += liquidated;
            if (liquidated == 0) break;
            if (step.rounds >= options.max_rounds_per_step) {
                step.budget_exhausted = true;
                break;
            }
        }
        step.market_price = pool.price(reference, q);
        step.oracle_price = oracle.price();
        out.steps.push_back(step);
    }
    out.displacement = q;
    const Real shock = out.start_price - reference_path.back();
    if (shock != 0) out.amplification = (out.start_price - out.steps.back().market_price) / shock;
    return out;
}

}  // namespace margincall
