#pragma once
/// \file
/// A push oracle: the protocol reads the last price the oracle posted, not the market. The
/// oracle posts a new round when the market has moved by at least the deviation threshold from
/// the posted price, |p − p_posted| / p_posted ≥ δ, or when the heartbeat has elapsed since the
/// last post, t − t_posted ≥ h; until either fires the protocol sees a stale price. The first
/// observation always posts. Source: Chainlink Data Feeds, "Deviation threshold" and
/// "Heartbeat threshold" (docs.chain.link/architecture-overview/architecture-decentralized-model).
/// push_oracle_set keeps one oracle per asset and hands a lending market its price vector.
/// \test tests/lending/push_oracle.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// One push oracle.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class push_oracle {
public:
    /// \param deviation δ ≥ 0 (0: every move posts) \param heartbeat h > 0 (time units of `observe`)
    /// \throws margincall::invalid_argument otherwise
    push_oracle(Real deviation, Real heartbeat) : deviation_{deviation}, heartbeat_{heartbeat} {
        check_non_negative("push_oracle", "deviation", deviation);
        check_positive("push_oracle", "heartbeat", heartbeat);
    }

    /// The market trades at `market_price` at time `time`; returns true when the oracle posts it.
    /// \throws margincall::invalid_argument for a price not finite and > 0, or a time before the
    ///   last observation (nothing changes)
    bool observe(Real time, Real market_price) {
        check_positive("push_oracle::observe", "market_price", market_price);
        check_finite("push_oracle::observe", "time", time);
        if (has_price_ && time < last_seen_)
            throw_invalid_argument("push_oracle::observe", "time", time,
                                   detail::message(">= the last observation's time ", last_seen_).c_str());
        last_seen_ = time;
        using std::abs;
        if (has_price_ && abs(market_price - price_) < deviation_ * price_ && time - posted_at_ < heartbeat_)
            return false;
        price_ = market_price;
        posted_at_ = time;
        has_price_ = true;
        ++rounds_;
        return true;
    }

    [[nodiscard]] bool has_price() const noexcept { return has_price_; }
    /// The posted price. \throws margincall::invalid_argument before the first observation
    [[nodiscard]] Real price() const {
        if (!has_price_) throw_invalid_argument("push_oracle::price", "the number of rounds posted", 0, "> 0 (no price yet)");
        return price_;
    }
    [[nodiscard]] Real posted_at() const noexcept { return posted_at_; }
    [[nodiscard]] std::size_t rounds() const noexcept { return rounds_; }

private:
    Real deviation_;
    Real heartbeat_;
    Real price_{};
    Real posted_at_{};
    Real last_seen_{};
    bool has_price_{false};
    std::size_t rounds_{0};
};

/// One push oracle per asset of a market.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class push_oracle_set {
public:
    /// \throws margincall::invalid_argument for an empty set
    explicit push_oracle_set(std::vector<push_oracle<Real>> oracles) : oracles_{std::move(oracles)} {
        if (oracles_.empty()) throw_invalid_argument("push_oracle_set", "the number of oracles", 0, "> 0");
    }
    /// Every asset's market price at `time`; returns the number of oracles that posted.
    /// \throws margincall::invalid_argument for a size mismatch or a bad price (nothing changes)
    std::size_t observe(Real time, std::span<const Real> market_prices) {
        if (market_prices.size() != oracles_.size())
            throw_invalid_argument("push_oracle_set::observe", "the size of market_prices", market_prices.size(),
                                   detail::message("the number of oracles ", oracles_.size()).c_str());
        for (std::size_t i = 0; i < oracles_.size(); ++i) {
            check_positive("push_oracle_set::observe", detail::message("market_prices[", i, "]"), market_prices[i]);
            if (oracles_[i].has_price() && !(time >= last_time_))
                throw_invalid_argument("push_oracle_set::observe", "time", time,
                                       detail::message(">= the last observation's time ", last_time_).c_str());
        }
        std::size_t posted = 0;
        for (std::size_t i = 0; i < oracles_.size(); ++i) posted += oracles_[i].observe(time, market_prices[i]) ? 1U : 0U;
        last_time_ = time;
        return posted;
    }
    /// The posted prices, one per asset.
    /// \throws margincall::invalid_argument naming the first asset whose oracle has no price yet
    [[nodiscard]] std::vector<Real> prices() const {
        std::vector<Real> out(oracles_.size());
        for (std::size_t i = 0; i < oracles_.size(); ++i) {
            if (!oracles_[i].has_price())
                throw_invalid_argument("push_oracle_set::prices", detail::message("oracles[", i, "]'s rounds posted"), 0,
                                       "> 0 (no price yet)");
            out[i] = oracles_[i].price();
        }
        return out;
    }
    [[nodiscard]] const push_oracle<Real>& oracle(std::size_t i) const { return oracles_.at(i); }
    [[nodiscard]] std::size_t size() const noexcept { return oracles_.size(); }

private:
    std::vector<push_oracle<Real>> oracles_;
    Real last_time_{};
};

}  // namespace margincall
