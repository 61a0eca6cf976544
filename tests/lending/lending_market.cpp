// Lending market: HF, borrowing power, status, liquidation prices (closed forms worked by hand
// in the comments), e-mode, isolation mode, and bad input named field by field.
#include "catch.hpp"
#include "lending/reference_values.hpp"

#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>

#include <cmath>
#include <random>
#include <limits>
#include <string>
#include <vector>

namespace mc = margincall;

namespace {
// Assets: 0 WETH (LTV 80 %, LT 82.5 %, bonus 5 %, fee 10 %), 1 WBTC (LTV 73 %, LT 78 %, bonus 5 %),
// 2 USDC (LTV 75 %, LT 78 %, bonus 4.5 %), 3 an isolated asset with a 1,000,000 debt ceiling.
mc::lending_market<double> market() {
    return mc::lending_market<double>(
        {{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.73, .liquidation_threshold = 0.78, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045, .protocol_fee = 0.10},
         {.ltv = 0.40, .liquidation_threshold = 0.50, .liquidation_bonus = 0.10, .protocol_fee = 0.0, .debt_ceiling = 1e6}},
        {{.ltv = 0.90, .liquidation_threshold = 0.93, .liquidation_bonus = 0.01, .collateral_assets = {0}}});
}
const std::vector<double> prices{2000.0, 30000.0, 1.0, 5.0};
}  // namespace

TEST_CASE("lending_market: HF and borrowing power are the value-weighted sums", "[lending]") {
    const auto m = market();
    // 10 WETH + 1 WBTC against 20,000 USDC:
    //   threshold value = 20,000·0.825 + 30,000·0.78 = 16,500 + 23,400 = 39,900 → HF = 1.995
    //   borrow limit    = 20,000·0.80  + 30,000·0.73 = 16,000 + 21,900 = 37,900 → power 17,900
    const mc::lending_account<double> a{.collateral = {10, 1, 0, 0}, .debt = {0, 0, 20000, 0}};
    const auto t = m.totals(a, prices);
    CHECK(t.collateral_value == Approx(50000.0));
    CHECK(t.health_factor() == Approx(1.995).epsilon(1e-14));
    CHECK(t.borrowing_power() == Approx(17900.0).epsilon(1e-14));
    CHECK(t.status() == mc::lending_status::healthy);
    // No debt: HF = +∞.
    const mc::lending_account<double> lender{.collateral = {1, 0, 0, 0}, .debt = {0, 0, 0, 0}};
    CHECK(std::isinf(m.totals(lender, prices).health_factor()));
}

TEST_CASE("lending_market: status is liquidatable below HF 1 and bad debt below the debt's value", "[lending]") {
    const auto m = market();
    // 10 WETH at 2,000 = 20,000; LT value 16,500. Debt 17,000: liquidatable; debt 21,000: bad debt.
    CHECK(m.totals({.collateral = {10, 0, 0, 0}, .debt = {0, 0, 17000, 0}}, prices).status() ==
          mc::lending_status::liquidatable);
    CHECK(m.totals({.collateral = {10, 0, 0, 0}, .debt = {0, 0, 21000, 0}}, prices).status() ==
          mc::lending_status::bad_debt);
    CHECK(std::string(mc::to_string(mc::lending_status::bad_debt)) == "bad debt");
}

TEST_CASE("lending_market: e-mode replaces LTV, LT and bonus of the listed collateral", "[lending]") {
    const auto m = market();
    // In e-mode 1, WETH counts at LT 93 %: 10·2,000·0.93 = 18,600 over 18,000 → HF = 1.0333...
    const mc::lending_account<double> a{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 18000, 0}, .emode = 1};
    CHECK(m.totals(a, prices).health_factor() == Approx(18600.0 / 18000.0).epsilon(1e-14));
    CHECK(m.liquidation_bonus(1, 0) == 0.01);
    CHECK(m.liquidation_bonus(1, 1) == 0.05);  // WBTC is not in the category
    auto outside = a;
    outside.emode = 0;
    CHECK(m.totals(outside, prices).health_factor() == Approx(16500.0 / 18000.0).epsilon(1e-14));
}

TEST_CASE("lending_market: isolation mode caps borrowing at the debt ceiling left", "[lending]") {
    const auto m = market();
    // 1,000,000 units of the isolated asset at 5 → 5,000,000 value, LTV 40 % → 2,000,000 of power,
    // but the ceiling is 1,000,000 with 300,000 already borrowed market-wide: 700,000 left.
    const mc::lending_account<double> a{.collateral = {0, 0, 0, 1e6}, .debt = {0, 0, 0, 0}};
    CHECK(m.borrowing_power(a, prices, 300000.0) == Approx(700000.0));
    CHECK(m.borrowing_power(a, prices, 0.0) == Approx(1e6));
}

TEST_CASE("lending_liquidation_prices: each asset's price at HF = 1, others held", "[lending]") {
    const auto m = market();
    // 10 WETH + 1 WBTC, 20,000 USDC debt. WETH alone: 8.25·p + 23,400 = 20,000 → p < 0: none.
    // With 40,000 USDC debt: WETH: 8.25·p + 23,400 = 40,000 → p = 16,600/8.25 = 2,012.1212...
    //                        WBTC: 0.78·p + 16,500 = 40,000 → p = 23,500/0.78 = 30,128.205...
    //                        USDC (debt): 39,900 = 40,000·p → p = 0.9975
    const mc::lending_account<double> a{.collateral = {10, 1, 0, 0}, .debt = {0, 0, 40000, 0}};
    const auto roots = mc::lending_liquidation_prices(m, a, std::span<const double>(prices));
    REQUIRE(roots[0].has_value());
    CHECK(*roots[0] == Approx(16600.0 / 8.25).epsilon(1e-13));
    CHECK(*roots[1] == Approx(23500.0 / 0.78).epsilon(1e-13));
    CHECK(*roots[2] == Approx(0.9975).epsilon(1e-13));
    CHECK_FALSE(roots[3].has_value());  // not held
    // At each root HF is 1 (the closed form re-evaluated).
    for (std::size_t k = 0; k < 3; ++k) {
        auto moved = prices;
        moved[k] = *roots[k];
        CHECK(m.totals(a, moved).health_factor() == Approx(1.0).epsilon(1e-12));
    }
    const mc::lending_account<double> safe{.collateral = {10, 1, 0, 0}, .debt = {0, 0, 20000, 0}};
    CHECK_FALSE(mc::lending_liquidation_prices(m, safe, std::span<const double>(prices))[0].has_value());
}

TEST_CASE("lending_liquidation_move: several prices along a direction", "[lending]") {
    const auto m = market();
    // 10 WETH + 1 WBTC, 30,000 USDC. Both fall by t per cent of their price: v = (−20, −300, 0, 0).
    // Numerator 39,900 + t·(8.25·(−20) + 0.78·(−300)) − 30,000 = 9,900 − 399·t = 0 → t = 24.8120...
    const mc::lending_account<double> a{.collateral = {10, 1, 0, 0}, .debt = {0, 0, 30000, 0}};
    const std::vector<double> v{-20, -300, 0, 0};
    const auto t = mc::lending_liquidation_move(m, a, std::span<const double>(prices), std::span<const double>(v));
    REQUIRE(t.has_value());
    CHECK(*t == Approx(9900.0 / 399.0).epsilon(1e-13));
    // A move that only raises collateral never reaches HF = 1 on the positive side: the root is negative.
    const std::vector<double> up{20, 300, 0, 0};
    CHECK(*mc::lending_liquidation_move(m, a, std::span<const double>(prices), std::span<const double>(up)) < 0);
    // A direction that leaves HF unchanged has no root; one that needs prices ≤ 0 has none either.
    const std::vector<double> flat{0, 0, 0, 1};
    CHECK_FALSE(mc::lending_liquidation_move(m, a, std::span<const double>(prices), std::span<const double>(flat)).has_value());
    // WETH alone falling, debt 100: root t = (100 − 39,900)/(8.25·(−20)) = 241.2, where WETH would be < 0.
    const mc::lending_account<double> safe{.collateral = {10, 1, 0, 0}, .debt = {0, 0, 100, 0}};
    const std::vector<double> weth_down{-20, 0, 0, 0};
    CHECK_FALSE(
        mc::lending_liquidation_move(m, safe, std::span<const double>(prices), std::span<const double>(weth_down)).has_value());
}

TEST_CASE("report_lending_account: HF, status, max repay and seizure, liquidation prices", "[lending]") {
    const auto m = market();
    const mc::aave_v3_liquidation<double> aave;
    // 10 WETH, 18,000 USDC: HF = 16,500/18,000 = 0.91667 ≤ 0.95, so the whole debt may go:
    // seized = 18,000/2,000·1.05 = 9.45 WETH, fee = (9.45 − 9)·0.1 = 0.045, liquidator 9.405.
    const mc::lending_account<double> a{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 18000, 0}};
    const auto r = mc::report_lending_account(aave, m, a, std::span<const double>(prices), 2, 0);
    CHECK(r.health_factor == Approx(16500.0 / 18000.0).epsilon(1e-14));
    CHECK(r.status == mc::lending_status::liquidatable);
    CHECK(r.max_liquidation.debt_repaid == Approx(18000.0));
    CHECK(r.max_liquidation.collateral_seized == Approx(9.405).epsilon(1e-14));
    CHECK(r.max_liquidation.protocol_fee == Approx(0.045).epsilon(1e-12));
    // WETH at HF = 1: 8.25·p = 18,000 → p = 2,181.8181...
    CHECK(*r.liquidation_prices[0] == Approx(18000.0 / 8.25).epsilon(1e-13));
    CHECK(r.borrowing_power == Approx(16000.0 - 18000.0));
}

TEST_CASE("lending_market: bad parameters are refused with the field named", "[lending][bad input]") {
    using A = mc::lending_asset<double>;
    auto refuses = [](std::vector<A> assets, const char* what) {
        CHECK_THROWS_WITH(mc::lending_market<double>(std::move(assets)), Contains(what));
    };
    refuses({{.ltv = 0.5, .liquidation_threshold = 1.2, .liquidation_bonus = 0.05}},
            "lending_market: assets[0].liquidation_threshold is 1.2, but must be in (0, 1]");
    refuses({{.ltv = 0.5, .liquidation_threshold = 0.0, .liquidation_bonus = 0.05}}, "assets[0].liquidation_threshold is 0");
    refuses({{.ltv = 0.9, .liquidation_threshold = 0.8, .liquidation_bonus = 0.05}}, "assets[0].ltv is 0.9");
    refuses({{.ltv = 0.5, .liquidation_threshold = 0.8, .liquidation_bonus = 0.0}}, "assets[0].liquidation_bonus is 0");
    refuses({{.ltv = 0.5, .liquidation_threshold = 0.8, .liquidation_bonus = 0.3}},
            "assets[0].liquidation_bonus is 0.3, but must be > 0 with liquidation_threshold*(1 + bonus) <= 1");
    refuses({{.ltv = 0.5, .liquidation_threshold = 0.8, .liquidation_bonus = std::nan("")}}, "liquidation_bonus is nan");
    refuses({{.ltv = 0.5, .liquidation_threshold = 0.8, .liquidation_bonus = 0.05, .protocol_fee = 1.5}},
            "assets[0].protocol_fee is 1.5");
    refuses({}, "the number of assets is 0");
    CHECK_THROWS_WITH(mc::lending_market<double>({{.ltv = 0.5, .liquidation_threshold = 0.8, .liquidation_bonus = 0.05}},
                                                 {{.ltv = 0.9, .liquidation_threshold = 0.93, .liquidation_bonus = 0.01,
                                                   .collateral_assets = {3}}}),
                      Contains("emodes[0].collateral_assets[0] is 3, but must be < 1"));
}

TEST_CASE("lending_market: a missing price or asset is refused with the field named", "[lending][bad input]") {
    const auto m = market();
    const mc::lending_account<double> a{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 18000, 0}};
    const std::vector<double> no_usdc{2000, 30000, std::nan(""), 5};
    CHECK_THROWS_WITH(m.totals(a, no_usdc), Contains("lending_market::totals: prices[2] is nan, but must be finite and > 0"));
    const std::vector<double> zero_weth{0, 30000, 1, 5};
    CHECK_THROWS_WITH(m.totals(a, zero_weth), Contains("prices[0] is 0"));
    const std::vector<double> short_prices{2000, 30000};
    CHECK_THROWS_WITH(m.totals(a, short_prices), Contains("the size of prices is 2"));
    // An unheld asset may have no price.
    const std::vector<double> no_wbtc{2000, std::nan(""), 1, 5};
    CHECK_NOTHROW(m.totals(a, no_wbtc));
    const mc::lending_account<double> missing{.collateral = {10, 0, 0}, .debt = {0, 0, 18000, 0}};
    CHECK_THROWS_WITH(m.totals(missing, prices), Contains("the size of account.collateral is 3"));
    const mc::lending_account<double> negative{.collateral = {10, 0, 0, 0}, .debt = {0, 0, -1, 0}};
    CHECK_THROWS_WITH(m.totals(negative, prices), Contains("account.debt[2] is -1"));
    const mc::lending_account<double> bad_emode{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 1, 0}, .emode = 2};
    CHECK_THROWS_WITH(m.totals(bad_emode, prices), Contains("account.emode is 2"));
}

TEST_CASE("apply_lending_liquidation: exact zeros when all goes; refusals change nothing", "[lending]") {
    const auto m = market();
    const mc::aave_v3_liquidation<double> aave;
    // WETH at 1,700, 10 WETH against 16,800 USDC: the collateral caps the repay (16,190.48) and the
    // rest (609.52) is written off; seized + fee is the whole 10 WETH.
    const std::vector<double> low{1700, 30000, 1, 5};
    mc::lending_account<double> a{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 16800, 0}};
    const auto q = aave.quote(m, a, low, 2, 0);
    CHECK(q.collateral_taken == 10);
    mc::apply_lending_liquidation(a, 2, 0, q);
    CHECK(a.collateral[0] == 0);
    CHECK(a.debt[2] == 0);
    // A dusty quote is refused and the account stays as it was.
    mc::lending_account<double> b{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 18000, 0}};
    const auto dusty = aave.quote(m, b, prices, 2, 0, 17500.0);
    REQUIRE_FALSE(dusty.allowed);
    CHECK_THROWS_WITH(mc::apply_lending_liquidation(b, 2, 0, dusty), Contains("quote.allowed is false"));
    auto greedy = aave.quote(m, b, prices, 2, 0);
    greedy.collateral_taken = 11;
    CHECK_THROWS_WITH(mc::apply_lending_liquidation(b, 2, 0, greedy), Contains("quote.collateral_taken is 11"));
    CHECK(b.collateral[0] == 10);
    CHECK(b.debt[2] == 18000);
    // A partial quote: 8,400 of 16,800 repaid, 4.41 WETH out (seized 4.389 + fee 0.021).
    mc::lending_account<double> c{.collateral = {10, 0, 0, 0}, .debt = {0, 0, 16800, 0}};
    mc::apply_lending_liquidation(c, 2, 0, aave.quote(m, c, prices, 2, 0));
    CHECK(c.debt[2] == Approx(8400.0));
    CHECK(c.collateral[0] == Approx(10 - 4.41).epsilon(1e-14));
}

TEST_CASE("lending_market: a borrow-only asset is not collateral", "[lending]") {
    // Asset 1 is borrow-only (LT 0 on Aave, Comet's base): its fields are not read.
    const mc::lending_market<double> m({{.ltv = 0.8, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05},
                                        {.ltv = 0.0, .liquidation_threshold = 0.0, .liquidation_bonus = 0.0, .collateral = false}});
    const std::vector<double> p{2000, 1};
    // 10 WETH + 5,000 of the borrow-only asset supplied, 15,000 owed: HF = 16,500/15,000 (the supply counts for nothing).
    const mc::lending_account<double> a{.collateral = {10, 5000}, .debt = {0, 15000}};
    CHECK(m.totals(a, p).health_factor() == Approx(1.1).epsilon(1e-14));
    CHECK(m.totals(a, p).collateral_value == Approx(20000.0));
    // At 17,000 owed (HF 0.97) WETH can be liquidated, the borrow-only supply cannot.
    const mc::lending_account<double> under{.collateral = {10, 5000}, .debt = {0, 17000}};
    CHECK(mc::aave_v3_liquidation<double>{}.quote(m, under, p, 1, 0).debt_repaid > 0);
    CHECK(mc::aave_v3_liquidation<double>{}.quote(m, under, p, 1, 1).debt_repaid == 0);
    CHECK_THROWS_WITH(mc::lending_market<double>({{.ltv = 0.8, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05},
                                                  {.collateral = false}},
                                                 {{.ltv = 0.9, .liquidation_threshold = 0.93, .liquidation_bonus = 0.01,
                                                   .collateral_assets = {1}}}),
                      Contains("emodes[0].collateral_assets[0] is 1, but must be an asset with collateral = true"));
}

TEST_CASE("lending_liquidation_prices agree with brute-force HF on a random book", "[lending]") {
    // 2,000 random accounts (WETH and WBTC collateral, USDC and WETH debt); for WETH moves of
    // −30 % … +30 %, the accounts with HF < 1 at the moved price are exactly those whose WETH
    // liquidation price lies on the far side of the move (above it when WETH's net weight
    // c·LT − d is positive, below it when negative).
    const auto m = market();
    std::mt19937_64 gen(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<mc::lending_account<double>> book;
    for (int i = 0; i < 2000; ++i) {
        mc::lending_account<double> a{.collateral = {20 * u(gen), u(gen), 0, 0}, .debt = {0, 0, 0, 0}};
        a.debt[2] = 60000 * u(gen);
        a.debt[0] = u(gen) < 0.2 ? 5 * u(gen) : 0.0;
        book.push_back(a);
    }
    std::size_t checked = 0;
    for (const double factor : {0.7, 0.85, 0.95, 1.0, 1.05, 1.3}) {
        auto moved = prices;
        moved[0] *= factor;
        for (const auto& a : book) {
            const auto roots = mc::lending_liquidation_prices(m, a, std::span<const double>(prices));
            const double slope = a.collateral[0] * 0.825 - a.debt[0];
            const bool brute = m.totals(a, moved).health_factor() < 1.0;
            bool predicted = false;
            if (roots[0]) predicted = slope > 0 ? moved[0] < *roots[0] : moved[0] > *roots[0];
            else predicted = m.totals(a, prices).health_factor() < 1.0;  // no root: HF stays on one side of 1
            if (brute != predicted) {
                const double hf = m.totals(a, moved).health_factor();
                CHECK(std::abs(hf - 1.0) < 1e-12);  // only an account sitting exactly on HF = 1 may disagree
            }
            ++checked;
        }
    }
    CHECK(checked == 12000);
}
