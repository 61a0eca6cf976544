#pragma once
// A flat-rate liquidation_book, and cross-margin accounts, built row by row (structure of
// arrays), shared by the cascade tests.
#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstdint>
#include <utility>
#include <vector>

namespace cascade_test {

struct soa {
    std::vector<double> q, e, c, m;
    void add(double quantity, double entry, double collateral, double rate) {
        q.push_back(quantity);
        e.push_back(entry);
        c.push_back(collateral);
        m.push_back(rate);
    }
    [[nodiscard]] margincall::liquidation_book<double> book() const { return margincall::liquidation_book<double>(q, e, c, m); }
};

/// Cross accounts: wallets, and legs (account, asset, quantity, entry, flat rate) one by one.
struct cross_soa {
    std::vector<double> wallet;
    std::vector<std::uint32_t> account, asset;
    std::vector<double> q, e, m;
    void leg(std::uint32_t a, std::uint32_t k, double quantity, double entry, double rate) {
        account.push_back(a);
        asset.push_back(k);
        q.push_back(quantity);
        e.push_back(entry);
        m.push_back(rate);
    }
    /// The book at flat rates (the legs' rates).
    [[nodiscard]] margincall::cross_margin_book<double> book(const std::vector<double>& p0) const {
        return margincall::cross_margin_book<double>(p0, wallet, margincall::cross_legs<double>{account, asset, q, e, m});
    }
    /// The book under one schedule per asset (the legs' rates unused).
    [[nodiscard]] margincall::cross_margin_book<double> tiered(const std::vector<double>& p0,
                                                               std::vector<margincall::tier_schedule<double>> s) const {
        return margincall::cross_margin_book<double>(p0, wallet, margincall::cross_legs<double>{account, asset, q, e, {}}, std::move(s));
    }
};

}  // namespace cascade_test
