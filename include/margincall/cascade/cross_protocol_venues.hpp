#pragma once
/// \file
/// What a cross-protocol run is made of (cascade/cross_protocol.hpp): the shared pools, the
/// lending and perp venues, the outside price path and the run-wide options.
/// \test tests/lending/cross_protocol.cpp

#include <margincall/cascade/cascade_venue.hpp>
#include <margincall/cascade/liquidation_policy.hpp>
#include <margincall/cascade/price_impact.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace margincall {

/// A pool shared by the venues: any price_impact policy trading asset `base` against asset
/// `quote` (none: the numeraire). Type-erased so that one run mixes StableSwap, constant-product
/// and linear pools.
/// \tparam Real a floating-point type
template <std::floating_point Real = double>
class cross_pool {
public:
    template <class Impact>
        requires price_impact<Impact, Real>
    cross_pool(Impact impact, std::size_t base, std::optional<std::size_t> quote = std::nullopt)
        : base_{base}, quote_{quote} {
        auto p = std::make_shared<const Impact>(std::move(impact));
        price_ = [p](Real s, Real q) { return p->price(s, q); };
        average_ = [p](Real s, Real from, Real to) { return p->average_price(s, from, to); };
        recover_ = [p](Real q) { return p->recover(q); };
    }
    [[nodiscard]] std::size_t base() const noexcept { return base_; }
    [[nodiscard]] std::optional<std::size_t> quote() const noexcept { return quote_; }
    [[nodiscard]] Real price(Real reference, Real q) const { return price_(reference, q); }
    [[nodiscard]] Real average_price(Real reference, Real from, Real to) const { return average_(reference, from, to); }
    [[nodiscard]] Real recover(Real q) const { return recover_(q); }

private:
    std::size_t base_;
    std::optional<std::size_t> quote_;
    std::function<Real(Real, Real)> price_;
    std::function<Real(Real, Real, Real)> average_;
    std::function<Real(Real)> recover_;
};

/// A lending protocol in the run: its market and accounts, which global asset each market asset
/// is, the (debt, collateral) pairs its liquidators work in order, its rule, and its reserve.
/// \tparam Real a floating-point type
template <std::floating_point Real = double>
struct cross_lending_venue {
    using quote_function = std::function<lending_quote<Real>(const lending_market<Real>&, const lending_account<Real>&,
                                                             std::span<const Real>, std::size_t, std::size_t)>;
    template <lending_liquidation_policy<Real> Policy>
    cross_lending_venue(std::string venue_name, lending_market<Real> lending, std::vector<lending_account<Real>> book,
                        std::vector<std::size_t> global_assets, std::vector<std::pair<std::size_t, std::size_t>> liquidated_pairs,
                        Policy policy, Real reserve_fund = Real(0))
        : name{std::move(venue_name)}, market{std::move(lending)}, accounts{std::move(book)},
          assets{std::move(global_assets)}, pairs{std::move(liquidated_pairs)},
          quote{[policy = std::move(policy)](const lending_market<Real>& m, const lending_account<Real>& a,
                                             std::span<const Real> p, std::size_t d, std::size_t c) {
              return policy.quote(m, a, p, d, c);
          }},
          reserve{reserve_fund} {}

    std::string name;
    lending_market<Real> market;
    std::vector<lending_account<Real>> accounts{};
    std::vector<std::size_t> assets{};                       ///< market asset i is global asset assets[i]
    std::vector<std::pair<std::size_t, std::size_t>> pairs{}; ///< (debt, collateral) market ids, tried in order
    quote_function quote;
    Real reserve{0};  ///< numeraire value that covers bad debt; insolvent when the bad debt exceeds it
};

/// A perp exchange in the run: books that trade asset `asset` (one cascade_steps group).
template <std::floating_point Real = double, class Liquidation = full_close>
struct cross_perp_venue {
    std::string name;
    std::size_t asset{};
    std::vector<cascade_venue<Real, Liquidation>> books{};
    cascade_options options{};
};

/// The outside prices: per step, one reference per asset (in its pool's units) and a time.
template <std::floating_point Real = double>
struct cross_protocol_path {
    std::vector<Real> start{};               ///< the references before the shock (the undisturbed prices)
    std::vector<std::vector<Real>> steps{};  ///< steps[t − 1][a]: the reference of asset a at step t
    std::vector<Real> times{};               ///< times[t − 1]: step t's time (oracle clock), increasing
};

/// Run-wide options.
struct cross_protocol_options {
    std::size_t max_steps{100000};          ///< steps allowed after the path before the run gives up
    std::size_t max_rounds_per_step{1000};  ///< lending rounds per step
    bool record_liquidations{false};        ///< keep every lending liquidation (cross_protocol_liquidation) in the outcome
    bool keep_accounts{true};               ///< copy every lending account after the run into the outcome (O(accounts));
                                            ///< off, the outcome lists only the accounts the run changed
};

}  // namespace margincall
