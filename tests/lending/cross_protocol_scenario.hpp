#pragma once
// The cross-protocol depeg scenario shared by tests/lending/cross_protocol.cpp and
// tests/lending/cross_protocol_monte_carlo.cpp.
#include "cascade/soa_book.hpp"

#include <margincall/cascade/amm_constant_product.hpp>
#include <margincall/cascade/amm_stableswap.hpp>
#include <margincall/cascade/cross_protocol.hpp>
#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace cross_test {

namespace mc = margincall;

inline cascade_test::soa perp_book(std::size_t n, std::uint32_t seed, double centre) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    cascade_test::soa b;
    for (std::size_t i = 0; i < n; ++i) {
        const double side = u(gen) < 0.6 ? 1.0 : -1.0;
        const double qty = std::round((0.1 + 10.0 * u(gen)) * 1000.0) / 1000.0;
        const double entry = std::round(centre * (0.95 + 0.1 * u(gen)) * 100.0) / 100.0;
        const double leverage = 2.0 + 48.0 * u(gen);
        const double collateral = std::round(qty * entry / leverage * 100.0) / 100.0;
        const double rate = std::round((0.005 + 0.015 * u(gen)) * 10000.0) / 10000.0;
        b.add(side * qty, entry, collateral, rate);
    }
    return b;
}

// Assets of the depeg scenario: 0 ETH (constant-product pool against the numeraire, USD),
// 1 stETH (StableSwap pool against ETH), 2 USDC (no pool: its reference is its price).
// Lending venue "loop" (Aave v3): stETH collateral (LT 93 %, bonus 1 %, fee 10 %) against ETH debt.
// Lending venue "comet" (Compound III): base USDC; ETH and stETH collateral.
struct scenario {
    mc::lending_market<double> loop_market{
        {{.ltv = 0.80, .liquidation_threshold = 0.83, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.90, .liquidation_threshold = 0.93, .liquidation_bonus = 0.01, .protocol_fee = 0.10}}};
    mc::lending_market<double> comet_market{{{.collateral = false},
                                             {.ltv = 0.83, .liquidation_threshold = 0.90, .liquidation_bonus = 0.05},
                                             {.ltv = 0.80, .liquidation_threshold = 0.85, .liquidation_bonus = 0.07}}};
    std::vector<mc::lending_account<double>> loop_accounts;
    std::vector<mc::lending_account<double>> comet_accounts;
    cascade_test::soa perp = perp_book(400, 3, 2000);
    mc::liquidation_book<double> book = perp.book();

    explicit scenario(std::uint32_t seed, std::size_t n = 300) {
        std::mt19937_64 gen(seed);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (std::size_t i = 0; i < n; ++i) {
            const double steth = 10 + 90 * u(gen);
            // HF between 1.005 and 1.10 at a peg of 1: a loop of staked ETH against ETH.
            loop_accounts.push_back({.collateral = {0, steth}, .debt = {steth * 0.93 / (1.005 + 0.095 * u(gen)), 0}});
            const double eth = 2 * u(gen), st = 3 * u(gen);
            const double threshold = eth * 2000 * 0.90 + st * 2000 * 0.85;
            comet_accounts.push_back({.collateral = {0, eth, st}, .debt = {threshold / (1.01 + 0.2 * u(gen)), 0, 0}});
        }
    }

    [[nodiscard]] mc::cross_protocol_simulator<double> simulator(const mc::cross_protocol_options& options = {},
                                                                 bool with_perp = true) const {
        std::vector<mc::cross_pool<double>> pools{
            mc::cross_pool<double>(mc::constant_product_impact<double>(20000, 20000 * 2000.0), 0),
            mc::cross_pool<double>(mc::stableswap_impact<double>(30000, 30000, 50, 0.0004), 1, 0)};
        std::vector<mc::push_oracle<double>> oracles(3, mc::push_oracle<double>(0.005, 3600));
        std::vector<mc::cross_perp_venue<double>> perps;
        if (with_perp)
            perps.push_back({.name = "perp", .asset = 0,
                             .books = {{.book = &book, .waterfall = {.insurance_fund = 5000, .liquidation_fee_rate = 0.005}}}});
        std::vector<mc::cross_lending_venue<double>> lendings;
        lendings.emplace_back("loop", loop_market, loop_accounts, std::vector<std::size_t>{0, 1},
                              std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}}, mc::aave_v3_liquidation<double>{},
                              1000.0);
        lendings.emplace_back("comet", comet_market, comet_accounts, std::vector<std::size_t>{2, 0, 1},
                              std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}},
                              mc::compound_iii_liquidation<double>(0, 0.5), 5000.0);
        return mc::cross_protocol_simulator<double>(3, std::move(pools), std::move(oracles), std::move(perps),
                                                    std::move(lendings), options);
    }
};

// The staked asset's peg slides from 1 to 0.96 over eight steps, ETH from 2,000 to 1,900.
inline mc::cross_protocol_path<double> depeg_path(std::size_t steps = 8) {
    mc::cross_protocol_path<double> p{.start = {2000, 1, 1}};
    for (std::size_t t = 1; t <= steps; ++t) {
        const double f = static_cast<double>(t) / 8.0;
        p.steps.push_back({2000 - 100 * f, 1 - 0.04 * f, 1});
        p.times.push_back(60.0 * static_cast<double>(t));
    }
    return p;
}

}  // namespace cross_test
