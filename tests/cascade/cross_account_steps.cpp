// Tests of include/margincall/cascade/cross_account_steps.hpp: steps 3 and 5 of the cross
// accounts on the hand-worked case of docs/cascades.md §11.4 (also in multi_asset_simulator.cpp).
//  X: wallet 100, long 10 A @ 100 and 4 B @ 50, m = 0: slack 100 over weights 1,000 + 200, key
//     1/12 ≈ 0.083; equity 100 + 10(P_A − 100) + 4(P_B − 50).
//  V: wallet 10,000, long 1 A @ 100 and 1 B @ 50: key 10,000/150, never a candidate here.
#include <margincall/cascade/cross_account_steps.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
cross_margin_book<double> book() {
    const std::vector<double> p0{100.0, 50.0}, wallet{100.0, 10000.0};
    const std::vector<std::uint32_t> account{0, 0, 1, 1}, asset{0, 1, 0, 1};
    const std::vector<double> q{10.0, 4.0, 1.0, 1.0}, e{100.0, 50.0, 100.0, 50.0}, m{0.0, 0.0, 0.0, 0.0};
    return cross_margin_book<double>(p0, wallet, cross_legs<double>{account, asset, q, e, m});
}
}  // namespace

TEST_CASE("collect: only accounts whose key the move reached are checked; equity < 0 liquidates",
          "[cascade][cross]") {
    const auto b = book();
    cross_workspace<double> ws;
    detail::bind_cross(&b, ws);
    std::array<double, 2> mu{};
    cross_step<double> rec;
    // A at 95: |μ_A| = 0.05 < 1/12: nobody is a candidate, nothing is checked.
    const std::array<double, 2> calm{95.0, 50.0};
    detail::collect_cross(b, ws, std::span<const double>(calm), std::span<double>(mu), rec);
    CHECK(ws.batch.empty());
    CHECK(rec.checked == 0);
    // A at 89: |μ_A| = 0.11 > 1/12: X is checked, equity 100 − 110 = −10 < 0: liquidated.
    const std::array<double, 2> shocked{89.0, 50.0};
    detail::collect_cross(b, ws, std::span<const double>(shocked), std::span<double>(mu), rec);
    REQUIRE(ws.batch.size() == 1);
    CHECK(b.original_index(ws.batch[0]) == 0);
    CHECK(rec.checked == 1);
    CHECK(ws.candidates.empty());
}

TEST_CASE("settle: legs at their fills, the fund pays what it can, the rest is bad debt", "[cascade][cross]") {
    // Fills A 88.5, B 49: X's cash 100 + 10(88.5 − 100) + 4(49 − 50) = −19.00; the cross fund of
    // 5.00 pays 500 cents, bad debt 1,400; the market receives 11,900.
    const auto b = book();
    cross_workspace<double> ws;
    detail::bind_cross(&b, ws);
    std::array<double, 2> mu{};
    cross_step<double> rec;
    const std::array<double, 2> shocked{89.0, 50.0};
    detail::collect_cross(b, ws, std::span<const double>(shocked), std::span<double>(mu), rec);
    cross_outcome<double> cx;
    cx.liquidated_notional.assign(2, 0.0);
    cx.liquidated_legs.assign(2, 0);
    cx.ledger.initial_collateral = b.total_wallet_cents();
    cx.ledger.collateral = cx.ledger.initial_collateral;
    cx.ledger.initial_fund = 500;
    cx.ledger.fund = 500;
    const loss_waterfall<double> w{5.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex};
    std::vector<std::uint8_t> traded(2, 0);
    const std::array<double, 2> fill{88.5, 49.0};
    detail::settle_cross(b, w, true, ws, cx, std::span<const double>(fill), traded, rec, 1);
    CHECK_FALSE(ws.money.overflowed());
    CHECK(traded == std::vector<std::uint8_t>{1, 1});
    CHECK(cx.liquidated == std::vector<std::uint32_t>{0});
    CHECK(cx.liquidated_step == std::vector<std::size_t>{1});
    CHECK(cx.liquidated_notional == std::vector<double>{885.0, 196.0});
    CHECK(cx.ledger.fund == 0);
    CHECK(cx.ledger.fund_payouts == 500);
    CHECK(cx.ledger.bad_debt == 1400);
    CHECK(cx.ledger.market == 11900);
    CHECK(cx.ledger.balanced());
    REQUIRE(cx.steps.size() == 1);
    CHECK(cx.steps[0].bad_debt == 14.0);
    CHECK(ws.batch.empty());
}
