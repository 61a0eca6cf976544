// Each protocol's liquidation rule against tests/reference/lending_reference.py (the contracts'
// integer arithmetic replayed with Python ints; its command and version are in its header) and
// against closed forms worked in the comments.
#include "catch.hpp"
#include "lending/reference_values.hpp"

#include <margincall/lending/aave_v3.hpp>
#include <margincall/lending/compound_iii.hpp>
#include <margincall/lending/lending_market.hpp>
#include <margincall/lending/lending_report.hpp>
#include <margincall/lending/maker_vault.hpp>
#include <margincall/lending/morpho_blue.hpp>

#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace mc = margincall;

namespace {
const std::map<std::string, double>& reference() {
    static const auto values = mc::test::read_reference_values("lending_reference.out");
    return values;
}
double ref(const std::string& name) { return reference().at(name); }
// The contracts round to the token's smallest unit: agreement to 1e-12 relative, and to one unit
// of the token (`unit`, 1e-6 for USDC amounts) where the integer rounding is coarser than that.
Approx near(const std::string& name, double unit = 0) { return Approx(ref(name)).epsilon(1e-12).margin(unit); }

// Aave: 0 WETH (LT 82.5 %, bonus 5 %, fee 10 %), 1 USDC (LT 78 %, bonus 4.5 %, fee 10 %),
// 2 stETH-like (LT 79.5 %, bonus 6 %); e-mode 1: WETH at LT 93 %, bonus 1 %.
mc::lending_market<double> aave_market() {
    return mc::lending_market<double>(
        {{.ltv = 0.80, .liquidation_threshold = 0.825, .liquidation_bonus = 0.05, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.78, .liquidation_bonus = 0.045, .protocol_fee = 0.10},
         {.ltv = 0.75, .liquidation_threshold = 0.795, .liquidation_bonus = 0.06, .protocol_fee = 0.10}},
        {{.ltv = 0.90, .liquidation_threshold = 0.93, .liquidation_bonus = 0.01, .collateral_assets = {0}}});
}
// The repay (USDC, one unit 1e-6 unless the debt is in an 18-decimal asset), the liquidator's
// collateral and the protocol fee of a quote against the reference case `name`.
void check_against_reference(const mc::lending_quote<double>& q, const std::string& name, double repay_unit = 1e-6) {
    CHECK(q.debt_repaid == near(name + ".repay", repay_unit));
    CHECK(q.collateral_seized == near(name + ".seized"));
    CHECK(q.protocol_fee == near(name + ".fee"));
}
}  // namespace

TEST_CASE("aave_v3: close factor 50 % above HF 0.95, bonus and protocol fee", "[lending][aave]") {
    const auto m = aave_market();
    const mc::aave_v3_liquidation<double> aave;
    const std::vector<double> p{2000, 1, 1900};
    const mc::lending_account<double> a{.collateral = {10, 0, 0}, .debt = {0, 16800, 0}};
    CHECK(m.totals(a, p).health_factor() == near("aave.partial.hf"));
    const auto q = aave.quote(m, a, p, 1, 0);
    check_against_reference(q, "aave.partial");
    CHECK(q.allowed);
    // Value conservation: seized + fee = repaid·p_debt/p_coll·(1 + bonus).
    CHECK(q.collateral_seized + q.protocol_fee == Approx(q.debt_repaid / 2000 * 1.05).epsilon(1e-14));
}

TEST_CASE("aave_v3: 100 % at HF <= 0.95, and the dust rule", "[lending][aave]") {
    const auto m = aave_market();
    const mc::aave_v3_liquidation<double> aave;
    const std::vector<double> p{2000, 1, 1900};
    const mc::lending_account<double> a{.collateral = {10, 0, 0}, .debt = {0, 18000, 0}};
    const auto q = aave.quote(m, a, p, 1, 0);
    check_against_reference(q, "aave.full");
    CHECK(q.allowed);
    // Covering 17,500 leaves 500 of debt (< 1,000 base): MustNotLeaveDust.
    const auto dust = aave.quote(m, a, p, 1, 0, 17500.0);
    CHECK(dust.debt_repaid == near("aave.dust.repay", 1e-6));
    CHECK(dust.collateral_seized == near("aave.dust.seized"));
    CHECK_FALSE(dust.allowed);
    CHECK(ref("aave.dust.allowed") == 0);
    // Before v3.3 (no dust rule, no 2,000 threshold) the same call is allowed.
    const mc::aave_v3_liquidation<double> v30({.min_base_max_close_factor = 0, .min_leftover_base = 0});
    CHECK(v30.quote(m, a, p, 1, 0, 17500.0).allowed);
}

TEST_CASE("aave_v3: the collateral caps the repay, the rest is a deficit", "[lending][aave]") {
    const auto m = aave_market();
    const mc::aave_v3_liquidation<double> aave;
    const std::vector<double> p{1700, 1, 1900};
    const mc::lending_account<double> a{.collateral = {10, 0, 0}, .debt = {0, 16800, 0}};
    const auto q = aave.quote(m, a, p, 1, 0);
    check_against_reference(q, "aave.capped");
    CHECK(q.bad_debt == near("aave.capped.bad_debt", 1e-6));
    CHECK(q.collateral_seized + q.protocol_fee == Approx(10.0));
}

TEST_CASE("aave_v3: e-mode's threshold and bonus", "[lending][aave]") {
    const auto m = aave_market();
    const mc::aave_v3_liquidation<double> aave;
    const std::vector<double> p{2000, 1, 1900};
    const mc::lending_account<double> a{.collateral = {10, 0, 0}, .debt = {0, 0, 9.8}, .emode = 1};
    CHECK(m.totals(a, p).health_factor() == near("aave.emode.hf"));
    const auto q = aave.quote(m, a, p, 2, 0);
    check_against_reference(q, "aave.emode", 0);
}

TEST_CASE("aave_v3: healthy accounts get an empty quote; bad input is named", "[lending][aave][bad input]") {
    const auto m = aave_market();
    const mc::aave_v3_liquidation<double> aave;
    const std::vector<double> p{2000, 1, 1900};
    const mc::lending_account<double> a{.collateral = {10, 0, 0}, .debt = {0, 1000, 0}};
    CHECK(aave.quote(m, a, p, 1, 0).debt_repaid == 0);
    CHECK_THROWS_WITH(aave.quote(m, a, p, 5, 0), Contains("aave_v3_liquidation::quote: debt asset is 5, but must be < 3"));
    CHECK_THROWS_WITH(aave.quote(m, a, p, 1, 0, -1.0), Contains("aave_v3_liquidation::quote: the amount to repay is -1"));
    CHECK_THROWS_WITH(mc::aave_v3_liquidation<double>({.close_factor = 0}), Contains("close_factor is 0"));
}

TEST_CASE("compound_iii: liquidate vs borrow collateral factors, absorb, store-front price", "[lending][compound]") {
    // 0 USDC (the base), 1 WETH: borrowCF 83 %, liquidateCF 90 %, liquidationFactor 95 % (bonus 5 %).
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.83, .liquidation_threshold = 0.90, .liquidation_bonus = 0.05}});
    const mc::compound_iii_liquidation<double> comet(0, 0.5);
    const mc::lending_account<double> a{.collateral = {0, 10}, .debt = {17000, 0}};
    // At 2,000: borrow limit 16,600 < 17,000 (no new borrow) but 18,000 ≥ 17,000 (not liquidatable).
    const std::vector<double> at2000{1, 2000};
    CHECK_FALSE(comet.borrow_collateralized(m, a, at2000));
    CHECK_FALSE(comet.liquidatable(m, a, at2000));
    const std::vector<double> at1850{1, 1850};
    CHECK(comet.liquidatable(m, a, at1850));
    CHECK(ref("comet.surplus.liquidatable") == 1);
    const auto s = comet.absorb(m, a, at1850);
    CHECK(s.credited == near("comet.surplus.credited", 1e-6));
    CHECK(s.new_balance == near("comet.surplus.new_balance", 1e-6));
    CHECK(s.shortfall == near("comet.surplus.shortfall", 1e-6));
    CHECK(s.collateral_seized[1] == 10);
    const std::vector<double> at1700{1, 1700};
    const auto f = comet.absorb(m, a, at1700);
    CHECK(f.shortfall == near("comet.shortfall.shortfall", 1e-6));
    CHECK(f.new_balance == 0);
    CHECK(comet.quote_collateral(m, 1, 1000.0, at1700) == near("comet.quote_collateral"));
    CHECK(comet.quote(m, a, at1700, 0, 1).bad_debt == near("comet.shortfall.shortfall", 1e-6));
    // Only the base may be borrowed.
    const mc::lending_account<double> wrong{.collateral = {0, 10}, .debt = {17000, 1}};
    CHECK_THROWS_WITH(comet.liquidatable(m, wrong, at1700), Contains("account.debt[1] is 1, but must be 0"));
    CHECK_THROWS_WITH(mc::compound_iii_liquidation<double>(0, 1.5), Contains("store_front_price_factor is 1.5"));
}

TEST_CASE("morpho_blue: LIF from LLTV, seizure, bad debt", "[lending][morpho]") {
    // LIF = min(1.15, 1/(0.3·LLTV + 0.7)): Morpho's docs list e.g. LLTV 86 % → LIF 1.0438.
    for (const int lltv : {385, 625, 860, 945})
        CHECK(mc::morpho_liquidation_incentive_factor(lltv / 1000.0) == near("morpho.lif." + std::to_string(lltv)));
    // 0 USDC (loan), 1 WETH (collateral, LLTV 86 %). 1 WETH at 2,000 against 1,750: max borrow 1,720.
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.86, .liquidation_threshold = 0.86, .liquidation_bonus = 0.01}});
    const mc::morpho_blue_liquidation<double> morpho;
    const mc::lending_account<double> a{.collateral = {0, 1}, .debt = {1750, 0}};
    const std::vector<double> p{1, 2000};
    CHECK(morpho.liquidatable(m, a, p));
    const auto q = morpho.quote(m, a, p, 0, 1, 1000.0);
    CHECK(q.collateral_seized == Approx(ref("morpho.seized")).epsilon(1e-9));
    // Repaying everything would need 1,750·1.0438/2,000 = 0.913 WETH: all of it is allowed (no close factor).
    const auto all = morpho.quote(m, a, p, 0, 1);
    CHECK(all.debt_repaid == 1750);
    CHECK(all.bad_debt == 0);
    // At 1,500 the collateral runs out: repay = 1,500/LIF, the rest is bad debt.
    const std::vector<double> low{1, 1500};
    const auto bad = morpho.quote(m, a, low, 0, 1);
    const double lif = 1.0 / (0.3 * 0.86 + 0.7);
    CHECK(bad.collateral_seized == 1);
    CHECK(bad.debt_repaid == Approx(1500 / lif).epsilon(1e-14));
    CHECK(bad.bad_debt == Approx(1750 - 1500 / lif).epsilon(1e-13));
    CHECK_THROWS_WITH(mc::morpho_liquidation_incentive_factor(0.0), Contains("lltv is 0"));
}

TEST_CASE("morpho_blue: a quote on a collateral the account does not hold seizes and writes off nothing", "[lending][morpho]") {
    // 0 USDC (loan), 1 WETH, 2 WBTC (both collateral, LLTV 86 %). The account holds only WETH and is
    // liquidatable (1 WETH at 2,000 against 1,750 owed, as above); asking to seize WBTC, of which it
    // holds 0, has nothing to take: no repay, no seizure and no bad debt (the WETH still backs the debt).
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.86, .liquidation_threshold = 0.86, .liquidation_bonus = 0.01},
                                        {.ltv = 0.86, .liquidation_threshold = 0.86, .liquidation_bonus = 0.01}});
    const mc::morpho_blue_liquidation<double> morpho;
    const mc::lending_account<double> a{.collateral = {0, 1, 0}, .debt = {1750, 0, 0}};
    const std::vector<double> p{1, 2000, 60000};
    REQUIRE(morpho.liquidatable(m, a, p));
    const auto none = morpho.quote(m, a, p, 0, 2);
    CHECK(none.debt_repaid == 0);
    CHECK(none.collateral_seized == 0);
    CHECK(none.bad_debt == 0);
}

TEST_CASE("maker: bark with a hole, tab = debt·chop, Clipper price curves and take", "[lending][maker]") {
    // 0 DAI, 1 ETH with mat 1.5 (LT 2/3) and chop 1.13 (bonus 0.13).
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.0, .liquidation_threshold = 1.0 / 1.5, .liquidation_bonus = 0.13}});
    const mc::lending_account<double> vault{.collateral = {0, 10}, .debt = {14000, 0}};
    const std::vector<double> p{1, 2000};
    // ink·spot = 10·2,000/1.5 = 13,333 < 14,000: unsafe.
    const auto full = mc::maker_bark_vault(m, vault, std::span<const double>(p), 1, 0);
    CHECK(full.lot == 10);
    CHECK(full.tab == Approx(14000 * 1.13).epsilon(1e-15));
    const auto partial = mc::maker_bark_vault(m, vault, std::span<const double>(p), 1, 0, {.dust = 100, .room = 10000});
    CHECK(partial.lot == near("maker.partial.lot"));
    CHECK(partial.debt == near("maker.partial.debt"));
    CHECK(partial.tab == near("maker.partial.tab"));
    // A safe vault is not barked.
    const std::vector<double> high{1, 2200};
    CHECK(mc::maker_bark_vault(m, vault, std::span<const double>(high), 1, 0).tab == 0);
    // A partial bark whose rest would be dusty takes the whole vault; a dusty partial auction is refused.
    CHECK(mc::maker_bark_vault(m, vault, std::span<const double>(p), 1, 0, {.dust = 6000, .room = 10000}).lot == 10);
    CHECK_THROWS_WITH(mc::maker_bark_vault(m, vault, std::span<const double>(p), 1, 0, {.dust = 1000, .room = 1000}),
                      Contains("dusty-auction-from-partial-liquidation"));

    // Clipper: top = 2,000·1.2; stairstep cut 0.99 every 90 s; linear τ = 3,600 s.
    const mc::stairstep_exponential_decrease<double> stairs(90, 0.99);
    const mc::linear_decrease<double> linear(3600);
    CHECK(linear.price(2400, 1800) == near("maker.linear.1800"));
    CHECK(linear.price(2400, 4000) == 0);
    CHECK(stairs.price(2400, 900) == near("maker.stairstep.900"));
    CHECK(stairs.price(2400, 989) == stairs.price(2400, 900));  // the step holds until 990
    CHECK(mc::exponential_decrease<double>(0.999).price(2400, 10) == Approx(2400 * std::pow(0.999, 10)));
    mc::clipper_auction<mc::stairstep_exponential_decrease<double>> auction(stairs, full.tab, full.lot, 2000, 1.2, 113, 7200, 0.5);
    CHECK(auction.top() == near("maker.top"));
    const auto bought = auction.take(900, 3, 2200);
    CHECK(bought.slice == 3);
    CHECK(bought.owe == near("maker.take.owe"));
    CHECK(auction.tab() == near("maker.take.tab_left"));
    CHECK_THROWS_WITH(auction.take(900, 1, 2000), Contains("Clipper/too-expensive"));
    CHECK_THROWS_WITH(auction.take(8000, 1, 3000), Contains("Clipper/needs-reset"));
    // Buying more than the tab needs: owe = tab, slice = tab/price, the rest of the lot stays.
    const double price = auction.price(900);
    const auto rest = auction.take(900, 7, 2200);
    CHECK(rest.owe == Approx(ref("maker.take.tab_left")).epsilon(1e-12));
    CHECK(rest.slice == Approx(ref("maker.take.tab_left") / price).epsilon(1e-12));
    CHECK(auction.finished());
}

TEST_CASE("every protocol fits report_lending_account", "[lending]") {
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.83, .liquidation_threshold = 0.86, .liquidation_bonus = 0.05}});
    const mc::lending_account<double> a{.collateral = {0, 1}, .debt = {1750, 0}};
    const std::vector<double> p{1, 2000};
    const auto aave = mc::report_lending_account(mc::aave_v3_liquidation<double>{}, m, a, std::span<const double>(p), 0, 1);
    const auto comet = mc::report_lending_account(mc::compound_iii_liquidation<double>(0, 0.5), m, a, std::span<const double>(p), 0, 1);
    const auto morpho = mc::report_lending_account(mc::morpho_blue_liquidation<double>{}, m, a, std::span<const double>(p), 0, 1);
    CHECK(aave.health_factor == comet.health_factor);
    CHECK(aave.health_factor == morpho.health_factor);
    CHECK(aave.health_factor == Approx(1720.0 / 1750.0));
    // HF 0.983 > 0.95 but the debt (1,750) is under 2,000: Aave lets the whole debt go.
    CHECK(aave.max_liquidation.debt_repaid == 1750);
    CHECK(comet.max_liquidation.collateral_seized == 1);
    CHECK(morpho.max_liquidation.debt_repaid == 1750);
}

TEST_CASE("compound_iii: absorbing a multi-collateral account takes every collateral and credits the surplus",
          "[lending][compound]") {
    // 0 USDC (the base), 1 WETH (liquidateCF 90 %, liquidationFactor 95 %), 2 WBTC (liquidateCF 85 %,
    // liquidationFactor 93 %). 5 WETH at 2,000 and 0.2 WBTC at 30,000 against 14,500 USDC:
    //   Σ c·p·liquidateCF = 9,000 + 5,100 = 14,100 < 14,500: liquidatable;
    //   credited = 5·2,000·0.95 + 0.2·30,000·0.93 = 9,500 + 5,580 = 15,080 USDC;
    //   the debt goes, the account keeps 15,080 − 14,500 = 580 USDC supplied, every collateral goes.
    // Before the fix the quote cleared the debt but took only WETH: the account kept its WBTC
    // (6,000 USDC of value created) and lost its 580 USDC surplus.
    const mc::lending_market<double> m({{.collateral = false},
                                        {.ltv = 0.83, .liquidation_threshold = 0.90, .liquidation_bonus = 0.05},
                                        {.ltv = 0.70, .liquidation_threshold = 0.85, .liquidation_bonus = 0.07}});
    const mc::compound_iii_liquidation<double> comet(0, 0.5);
    const std::vector<double> p{1, 2000, 30000};
    mc::lending_account<double> a{.collateral = {0, 5, 0.2}, .debt = {14500, 0, 0}};
    const auto q = comet.quote(m, a, p, 0, 1);
    CHECK(q.debt_repaid == Approx(14500).epsilon(1e-14));
    CHECK(q.bad_debt == 0);
    CHECK(q.account_credit == Approx(580).epsilon(1e-12));
    mc::apply_lending_liquidation(a, 0, 1, q);
    CHECK(a.debt[0] == 0);
    CHECK(a.collateral[1] == 0);
    CHECK(a.collateral[2] == 0);
    CHECK(a.collateral[0] == Approx(580).epsilon(1e-12));
    // A shortfall: 17,000 USDC of debt, 15,080 credited, 1,920 is the reserves' bad debt; nothing is credited.
    mc::lending_account<double> b{.collateral = {0, 5, 0.2}, .debt = {17000, 0, 0}};
    const auto s = comet.quote(m, b, p, 0, 2);
    CHECK(s.debt_repaid == Approx(15080).epsilon(1e-12));
    CHECK(s.bad_debt == Approx(1920).epsilon(1e-12));
    CHECK(s.collateral_seized == 0.2);
    mc::apply_lending_liquidation(b, 0, 2, s);
    CHECK(b.debt[0] == 0);
    CHECK(b.collateral[0] == 0);
    CHECK(b.collateral[1] == 0);
    CHECK(b.collateral[2] == 0);
}

TEST_CASE("apply_lending_liquidation: a multi-asset quote that does not fit changes nothing", "[lending][bad input]") {
    mc::lending_account<double> a{.collateral = {0, 5, 0.2}, .debt = {14500, 0, 0}};
    const auto before = a;
    mc::lending_quote<double> q{.debt_repaid = 14500, .collateral_seized = 5, .collateral_taken = 5,
                                .taken_by_asset = {0, 5, 0.3}};
    CHECK_THROWS_WITH(mc::apply_lending_liquidation(a, 0, 1, q), Contains("quote.taken_by_asset[2] is 0.3"));
    q.taken_by_asset = {0, 5};
    CHECK_THROWS_WITH(mc::apply_lending_liquidation(a, 0, 1, q), Contains("the size of quote.taken_by_asset is 2"));
    q.taken_by_asset = {0, 4, 0.2};
    CHECK_THROWS_WITH(mc::apply_lending_liquidation(a, 0, 1, q), Contains("quote.taken_by_asset[1] is 4"));
    q.taken_by_asset = {};
    q.account_credit = -1;
    CHECK_THROWS_WITH(mc::apply_lending_liquidation(a, 0, 1, q), Contains("quote.account_credit is -1"));
    CHECK(a.collateral == before.collateral);
    CHECK(a.debt == before.debt);
}
