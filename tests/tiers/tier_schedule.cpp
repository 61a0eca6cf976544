// Tests of include/margincall/tiers/tier_schedule.hpp: published Binance bracket tables and
// look-ups, hand-derived maintenance amounts, MM continuity on both sides of every floor,
// the OKX-style quantity basis, and every validation message.
#include <margincall/tiers/margin_rate_model.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "catch.hpp"

using margincall::bracket;
using margincall::invalid_argument;
using margincall::tier_basis;
using margincall::tier_schedule;

static_assert(margincall::margin_rate_model<tier_schedule<double>, double>);
static_assert(margincall::margin_rate_model<tier_schedule<float>, float>);
static_assert(margincall::margin_rate_model<tier_schedule<long double>, long double>);

namespace {

template <class Real>
bracket<Real> row(double floor, double cap, double lev, double mmr, std::optional<double> cum = std::nullopt) {
    bracket<Real> b{static_cast<Real>(floor), static_cast<Real>(cap), static_cast<Real>(lev),
                    static_cast<Real>(mmr), std::nullopt};
    if (cum) b.maintenance_amount = static_cast<Real>(*cum);
    return b;
}

// Binance BTCUSDT, a real GET /fapi/v1/leverageBracket response (2022–2023 era), with its
// published cum column. Source: repository boolean404/heikin-ashi-trading-bot,
// json/fapiPrivate_get_leverage_bracket.py (commit f4c6c76f2b465421681cded5f60c2f3cf29c256d);
// also tests/reference/binance_btcusdt_brackets.csv.
template <class Real>
std::vector<bracket<Real>> binance_btcusdt() {
    return {row<Real>(0, 50e3, 125, 0.004, 0),
            row<Real>(50e3, 250e3, 100, 0.005, 50),
            row<Real>(250e3, 3e6, 50, 0.01, 1300),
            row<Real>(3e6, 20e6, 20, 0.025, 46300),
            row<Real>(20e6, 40e6, 10, 0.05, 546300),
            row<Real>(40e6, 100e6, 5, 0.1, 2546300),
            row<Real>(100e6, 120e6, 4, 0.125, 5046300),
            row<Real>(120e6, 200e6, 3, 0.15, 8046300),
            row<Real>(200e6, 300e6, 2, 0.25, 28046300),
            row<Real>(300e6, 500e6, 1, 0.5, 103046300)};
}

// Binance ETHUSDT brackets of 2021 (floor, MMR, cum as published; the top bracket is open-ended
// ">20M"). Source: gist crackcomm/e29582030d9eeac6c6124a7503cd0ac2 (Binance front-end tables,
// 2021). Max leverages 100/75/50/25/10/5/4/3/2 as Binance listed ETHUSDT then.
template <class Real>
std::vector<bracket<Real>> binance_ethusdt_2021() {
    const double inf = std::numeric_limits<double>::infinity();
    return {row<Real>(0, 10e3, 100, 0.005, 0),
            row<Real>(10e3, 100e3, 75, 0.0065, 15),
            row<Real>(100e3, 500e3, 50, 0.01, 365),
            row<Real>(500e3, 1e6, 25, 0.02, 5365),
            row<Real>(1e6, 2e6, 10, 0.05, 35365),
            row<Real>(2e6, 5e6, 5, 0.1, 135365),
            row<Real>(5e6, 10e6, 4, 0.125, 260365),
            row<Real>(10e6, 20e6, 3, 0.15, 510365),
            row<Real>(20e6, inf, 2, 0.25, 2510365)};
}

// Binance PAXGUSDT tiers from 2025-12-05 (announcement mirrored in repository
// A13Club/BinanceAnnouncement): cap, MMR, the top of each leverage range. No cum is published;
// the amounts are derived by hand below.
template <class Real>
std::vector<bracket<Real>> binance_paxgusdt_2025() {
    return {row<Real>(0, 5e3, 75, 0.01),          row<Real>(5e3, 10e3, 50, 0.015),
            row<Real>(10e3, 50e3, 25, 0.02),      row<Real>(50e3, 100e3, 20, 0.025),
            row<Real>(100e3, 175e3, 15, 0.0333),  row<Real>(175e3, 250e3, 10, 0.05),
            row<Real>(250e3, 750e3, 5, 0.1),      row<Real>(750e3, 1.5e6, 4, 0.125),
            row<Real>(1.5e6, 4.5e6, 3, 0.1667),   row<Real>(4.5e6, 7.5e6, 2, 0.25),
            row<Real>(7.5e6, 12.5e6, 1, 0.5)};
}

template <class Real>
Real below(Real x) {
    using std::nextafter;
    return nextafter(x, Real(0));
}

}  // namespace

TEMPLATE_TEST_CASE("Binance BTCUSDT: published cum column is accepted and reproduced", "[tiers]", float, double,
                   long double) {
    const tier_schedule<TestType> s{binance_btcusdt<TestType>()};
    REQUIRE(s.tiers().size() == 10);
    CHECK(s.basis() == tier_basis::notional);
    // The published cum column (source above), tier by tier.
    const double cum[] = {0, 50, 1300, 46300, 546300, 2546300, 5046300, 8046300, 28046300, 103046300};
    for (std::size_t i = 0; i < 10; ++i)
        CHECK_THAT(static_cast<double>(s.tiers()[i].maintenance_amount), WithinAbs(cum[i], 1e-6 * cum[i]));
    // Binance FAQ b3c689c1…: "a 264,000 USDT position → MMR 1 %"; "500,000 USDT → maintenance
    // amount 1,300 USDT"; level 3 = 250,000 × (1 % − 0.5 %) + 50 = 1,300.
    CHECK(s.tier_index(TestType(264000)) == 2);
    CHECK(s.maintenance_rate(TestType(264000)) == TestType(0.01));
    CHECK_THAT(static_cast<double>(s.maintenance_amount(TestType(500000))), WithinRel(1300.0, 1e-6));
    CHECK(s.max_leverage(TestType(264000)) == TestType(50));
    // Hand-derived: MM(264,000) = 264,000 × 1 % − 1,300 = 1,340.
    CHECK_THAT(static_cast<double>(s.maintenance_margin(TestType(264000))), WithinRel(1340.0, 1e-6));
}

TEST_CASE("tier lookup: floors inclusive, caps exclusive, beyond the last cap → last tier", "[tiers]") {
    const tier_schedule<double> s{binance_btcusdt<double>()};
    CHECK(s.tier_index(0.0) == 0);
    CHECK(s.tier_index(49999.99) == 0);
    CHECK(s.tier_index(50000.0) == 1);
    CHECK(s.tier_index(below(250000.0)) == 1);
    CHECK(s.tier_index(250000.0) == 2);
    CHECK(s.tier_index(299999999.0) == 8);
    CHECK(s.tier_index(300e6) == 9);
    CHECK(s.tier_index(500e6) == 9);
    CHECK(s.tier_index(1e12) == 9);
    CHECK(s.tier_index(-1.0) == 0);
    CHECK(s.tier_index(std::numeric_limits<double>::quiet_NaN()) == 0);
    CHECK(&s.tier_for(1e6) == &s.tiers()[2]);
    // Beyond the last cap MM keeps the top rate: 600,000,000 × 50 % − 103,046,300.
    CHECK(s.maintenance_margin(600e6) == 600e6 * 0.5 - 103046300.0);
}

TEST_CASE("tier lookup agrees with std::upper_bound over the floors, for 1 to 40 tiers", "[tiers][property]") {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> width(1.0, 100.0), unit(0.0, 1.0);
    for (std::size_t n = 1; n <= 40; ++n) {
        std::vector<bracket<double>> rows;
        std::vector<double> floors;
        double floor = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double cap = floor + width(gen);
            rows.push_back(row<double>(floor, cap, 100.0 / static_cast<double>(i + 1), 0.001 * static_cast<double>(i + 1)));
            floors.push_back(floor);
            floor = cap;
        }
        const tier_schedule<double> s{rows};
        for (int k = 0; k < 500; ++k) {
            // Random sizes and every floor exactly (the inclusive edge).
            const double size = k < static_cast<int>(n) ? floors[static_cast<std::size_t>(k)] : unit(gen) * floor * 1.1;
            const auto expected = static_cast<std::size_t>(std::upper_bound(floors.begin(), floors.end(), size) -
                                                           floors.begin()) - 1;
            REQUIRE(s.tier_index(size) == expected);
        }
    }
}

TEST_CASE("Binance ETHUSDT 2021: open-ended top bracket, published cums", "[tiers]") {
    const tier_schedule<double> s{binance_ethusdt_2021<double>()};
    const double cum[] = {0, 15, 365, 5365, 35365, 135365, 260365, 510365, 2510365};
    for (std::size_t i = 0; i < 9; ++i) CHECK_THAT(s.tiers()[i].maintenance_amount, WithinAbs(cum[i], 1e-6));
    CHECK(std::isinf(s.tiers().back().cap));
    CHECK(s.tier_index(1e15) == 8);
    CHECK(std::isinf(s.max_size(2.0)));
    CHECK_THAT(s.initial_margin(1e9, 0.0, 2.0), WithinRel(5e8, 1e-15));
}

TEST_CASE("Binance BTCUSDT 2021-03-18: official tiers reproduce the 2021 cum column", "[tiers]") {
    // Tiers (notional, leverage, MMR) from the Binance announcement "Updates to Leverage and
    // Margin Tiers of Binance Futures Contracts (2021-03-18)",
    // https://www.binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6.
    // The cum column of that table (not in the announcement) from gist
    // highfestiva/b71e76f51eed84d56c1be8ebbcc286b5 (Binance front-end tables, 2021-03-26).
    const tier_schedule<double> s{{row<double>(0, 50e3, 125, 0.004), row<double>(50e3, 250e3, 100, 0.005),
                                   row<double>(250e3, 1e6, 50, 0.01), row<double>(1e6, 10e6, 20, 0.025),
                                   row<double>(10e6, 20e6, 10, 0.05), row<double>(20e6, 50e6, 5, 0.1),
                                   row<double>(50e6, 100e6, 4, 0.125), row<double>(100e6, 200e6, 3, 0.15),
                                   row<double>(200e6, 300e6, 2, 0.25), row<double>(300e6, 500e6, 1, 0.5)}};
    const double cum[] = {0, 50, 1300, 16300, 266300, 1266300, 2516300, 5016300, 25016300, 100016300};
    for (std::size_t i = 0; i < 10; ++i) CHECK_THAT(s.tiers()[i].maintenance_amount, WithinAbs(cum[i], 1e-6 * cum[i]));
    // The announcement's initial margin column is 1 / leverage (e.g. 0.80 % at 125x, 2.00 % at 50x):
    // IM of 1,000,000 at 20x = 50,000 (5.00 %).
    CHECK(s.initial_margin(1e6, 0, 20.0) == 50000.0);
}

TEST_CASE("Binance COIN-M BTCUSD: coin-denominated brackets, published cums 0.56 / 1.81 / 11.81 BTC", "[tiers]") {
    // Floors and leverages: Binance FAQ "Leverage and Margin in Coin-Margined Futures Contracts"
    // (https://www.binance.com/en/support/faq/be2c7d9d95b04a7e8044ed02dd7dfe5c): 125x ≤ 10 BTC,
    // 100x ≤ 20, 50x ≤ 30, 20x ≤ 50, 10x ≤ 100, 5x ≤ 200, 4x ≤ 400 (notional in BTC).
    // MMR of levels 4 and 5 (2.5 %, 5 %) and the cum of level 4 (0.56 BTC) and 5 (1.81 BTC) from the
    // COIN-M liquidation FAQ (https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46):
    // "Level 5 = 50 BTC × (5 % − 2.5 %) + 0.56 BTC = 1.81 BTC"; an older version of that page: a
    // 300 BTC position → MMR 12.5 %, maintenance amount 11.81 BTC. Levels 1–3 (0.4 / 0.5 / 1 %) and 6
    // (10 %) are not on those pages: they are Binance's USDⓈ-M pattern, and the three published
    // amounts are what checks them (0.01 + 20 × 0.5 % = 0.11; 0.11 + 30 × 1.5 % = 0.56;
    // 1.81 + 100 × 5 % = 6.81; 6.81 + 200 × 2.5 % = 11.81).
    const tier_schedule<double> s{{row<double>(0, 10, 125, 0.004), row<double>(10, 20, 100, 0.005),
                                   row<double>(20, 30, 50, 0.01), row<double>(30, 50, 20, 0.025, 0.56),
                                   row<double>(50, 100, 10, 0.05, 1.81), row<double>(100, 200, 5, 0.1),
                                   row<double>(200, 400, 4, 0.125)}};
    CHECK_THAT(s.tiers()[3].maintenance_amount, WithinRel(0.56, 1e-12));
    CHECK_THAT(s.tiers()[4].maintenance_amount, WithinRel(1.81, 1e-12));
    CHECK(s.maintenance_rate(300.0) == 0.125);
    CHECK_THAT(s.maintenance_amount(300.0), WithinRel(11.81, 1e-12));
    // COIN-M FAQ MM example: 100 contracts of 100 USD at mark 25,000 → notional 0.4 BTC, level 1,
    // MM = 0.4 × 0.4 % − 0 = 0.0016 BTC.
    CHECK_THAT(s.maintenance_margin(100 * 100 / 25000.0), WithinRel(0.0016, 1e-12));
}

TEMPLATE_TEST_CASE("Binance PAXGUSDT 2025: non-round rates 3.33 % and 16.67 %", "[tiers]", float, double,
                   long double) {
    const tier_schedule<TestType> s{binance_paxgusdt_2025<TestType>()};
    // Hand-derived with cum_i = cum_{i−1} + floor_i × (MMR_i − MMR_{i−1}):
    //   25 = 5,000 × 0.5 %; 75 = 25 + 10,000 × 0.5 %; 325 = 75 + 50,000 × 0.5 %;
    //   1,155 = 325 + 100,000 × 0.83 %; 4,077.5 = 1,155 + 175,000 × 1.67 %;
    //   16,577.5 = 4,077.5 + 250,000 × 5 %; 35,327.5 = 16,577.5 + 750,000 × 2.5 %;
    //   97,877.5 = 35,327.5 + 1,500,000 × 4.17 %; 472,727.5 = 97,877.5 + 4,500,000 × 8.33 %;
    //   2,347,727.5 = 472,727.5 + 7,500,000 × 25 %.
    const double cum[] = {0, 25, 75, 325, 1155, 4077.5, 16577.5, 35327.5, 97877.5, 472727.5, 2347727.5};
    for (std::size_t i = 0; i < 11; ++i)
        CHECK_THAT(static_cast<double>(s.tiers()[i].maintenance_amount), WithinAbs(cum[i], 2e-6 * cum[i]));
    // Hand-derived: 120,000 is in tier 5: MM = 120,000 × 3.33 % − 1,155 = 2,841.
    CHECK(s.tier_index(TestType(120000)) == 4);
    CHECK_THAT(static_cast<double>(s.maintenance_margin(TestType(120000))), WithinRel(2841.0, 1e-5));
    // The same schedule accepts those amounts when supplied (a table with the cum column).
    auto rows = binance_paxgusdt_2025<TestType>();
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].maintenance_amount = static_cast<TestType>(cum[i]);
    CHECK_NOTHROW(tier_schedule<TestType>{rows});
}

TEMPLATE_TEST_CASE("MM is continuous at every floor, checked on both sides", "[tiers][property]", float, double,
                   long double) {
    for (const auto& rows : {binance_btcusdt<TestType>(), binance_paxgusdt_2025<TestType>()}) {
        const tier_schedule<TestType> s{rows};
        for (std::size_t i = 1; i < s.tiers().size(); ++i) {
            const TestType f = s.tiers()[i].floor;
            const TestType left = below(f);
            REQUIRE(s.tier_index(left) == i - 1);
            REQUIRE(s.tier_index(f) == i);
            // Left limit in tier i−1 and value in tier i agree to rounding (the left point is
            // one ulp below the floor, so MM there is smaller by at most MMR_{i−1} ulp(floor)).
            CHECK_THAT(static_cast<double>(s.maintenance_margin(left)),
                       WithinRel(static_cast<double>(s.maintenance_margin(f)),
                                 64 * static_cast<double>(std::numeric_limits<TestType>::epsilon())));
        }
    }
}

TEST_CASE("random valid schedules: MM continuous and increasing in notional", "[tiers][property]") {
    std::mt19937_64 gen(20261128);
    std::uniform_real_distribution<double> width(1.0, 1e6), step(0.0, 0.01), unit(0.0, 1.0);
    for (int trial = 0; trial < 2000; ++trial) {
        const int n = 1 + static_cast<int>(unit(gen) * 12);
        std::vector<bracket<double>> rows;
        double floor = 0, mmr = 0.001 + step(gen), lev = 1.0 / (mmr * (1.5 + unit(gen)));
        for (int i = 0; i < n; ++i) {
            const double cap = floor + width(gen);
            rows.push_back(row<double>(floor, cap, std::max(lev, 1.0), mmr));
            floor = cap;
            mmr = std::min(mmr + step(gen), 0.49);
            lev = std::min(lev, 1.0 / (mmr * (1.01 + unit(gen))));
        }
        const tier_schedule<double> s{rows};
        double previous = -1;
        for (std::size_t i = 0; i < s.tiers().size(); ++i) {
            const auto& t = s.tiers()[i];
            if (i > 0) {
                // Hand identity: floor·MMR_{i−1} − cum_{i−1} = floor·MMR_i − cum_i.
                const auto& p = s.tiers()[i - 1];
                CHECK_THAT(t.floor * p.maintenance_rate - p.maintenance_amount,
                           WithinAbs(t.floor * t.maintenance_rate - t.maintenance_amount, 1e-9 * t.floor));
            }
            const double mid = 0.5 * (t.floor + t.cap);
            const double mm = s.maintenance_margin(mid);
            CHECK(mm > previous);
            CHECK(mm > 0);
            previous = mm;
        }
    }
}

TEST_CASE("initial margin at a leverage, max leverage and max size", "[tiers]") {
    const tier_schedule<double> s{binance_btcusdt<double>()};
    // IM = notional / leverage: 264,000 at 50x → 5,280 (hand-derived).
    CHECK(s.initial_margin(264000.0, 4.0, 50.0) == 5280.0);
    CHECK(s.initial_margin(264000.0, 4.0, 1.0) == 264000.0);
    CHECK(s.max_leverage(264000.0, 4.0) == 50.0);
    CHECK(s.max_leverage(1e12, 1.0) == 1.0);
    // A position of exactly the last cap can be opened (at 1x).
    CHECK(s.initial_margin(500e6, 1.0, 1.0) == 500e6);
    // Largest size at a leverage = cap of the last tier allowing it (Binance "maximum position").
    CHECK(s.max_size(125.0) == 50e3);
    CHECK(s.max_size(100.0) == 250e3);
    CHECK(s.max_size(60.0) == 250e3);
    CHECK(s.max_size(50.0) == 3e6);
    CHECK(s.max_size(20.0) == 20e6);
    CHECK(s.max_size(1.5) == 300e6);
    CHECK(s.max_size(1.0) == 500e6);
}

TEST_CASE("beyond the last cap: margined in the last tier, not openable", "[tiers]") {
    // Binance BTCUSDT's last bracket: 300M–500M, 1x, MMR 50 %, cum 103,046,300. A position the
    // price carried to 600M notional is margined there (IM = 600M / 1, MM = 600M × 0.5 − cum),
    // as bracket_table charges it in the batch path (tests/margin/bracket_table.cpp); opening it is refused by the size limit.
    const tier_schedule<double> s{binance_btcusdt<double>()};
    CHECK(s.size_limit() == 500e6);
    CHECK(s.initial_margin(600e6, 1.0, 1.0) == 600e6);
    CHECK(s.maintenance_margin(600e6, 1.0) == 600e6 * 0.5 - 103046300.0);
    CHECK(s.within_size_limit(500e6, 1.0));
    CHECK(!s.within_size_limit(600e6, 1.0));
    CHECK(!s.within_size_limit(std::nan(""), 1.0));
}

TEST_CASE("initial margin and max size reject what cannot be opened", "[tiers][errors]") {
    const tier_schedule<double> s{binance_btcusdt<double>()};
    REQUIRE_THROWS_MATCHES(s.initial_margin(264000.0, 4.0, 51.0), invalid_argument,
                           Message("tier_schedule::initial_margin: leverage is 51, but must be in [1, 50], the "
                                   "max_leverage of tier 3 at notional 264000"));
    REQUIRE_THROWS_MATCHES(s.initial_margin(264000.0, 4.0, 0.5), invalid_argument,
                           Message("tier_schedule::initial_margin: leverage is 0.5, but must be in [1, 50], the "
                                   "max_leverage of tier 3 at notional 264000"));
    REQUIRE_THROWS_MATCHES(s.initial_margin(264000.0, 4.0, std::nan("")), invalid_argument,
                           Message("tier_schedule::initial_margin: leverage is nan, but must be in [1, 50], the "
                                   "max_leverage of tier 3 at notional 264000"));
    // Beyond the last cap (500,000,000) leverage is still checked against the last tier (1x).
    REQUIRE_THROWS_MATCHES(s.initial_margin(600e6, 1.0, 2.0), invalid_argument,
                           Message("tier_schedule::initial_margin: leverage is 2, but must be in [1, 1], the "
                                   "max_leverage of tier 10 at notional 600000000"));
    REQUIRE_THROWS_MATCHES(s.initial_margin(-1.0, 1.0, 1.0), invalid_argument,
                           Message("tier_schedule::initial_margin: notional is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(s.initial_margin(1.0, -2.0, 1.0), invalid_argument,
                           Message("tier_schedule::initial_margin: quantity is -2, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(s.max_size(126.0), invalid_argument,
                           Message("tier_schedule::max_size: leverage is 126, but must be in [1, 125], the "
                                   "max_leverage of tier 1"));
    REQUIRE_THROWS_MATCHES(s.max_size(0.0), invalid_argument,
                           Message("tier_schedule::max_size: leverage is 0, but must be in [1, 125], the "
                                   "max_leverage of tier 1"));
}

TEST_CASE("quantity basis (OKX tiers in contracts): amount 0, MM jumps at a boundary", "[tiers]") {
    // OKX ADAUSDT perpetual tiers after the 2023-04 change (announcement mirrors cnoyu.com
    // 2023-04-17 / okx.vote 2023-05-15): ≤1,500 contracts MMR 0.50 % 75x; ≤3,000 0.75 % 50x;
    // ≤6,000 1.00 % 40x.
    const tier_schedule<double> s{{row<double>(0, 1500, 75, 0.005), row<double>(1500, 3000, 50, 0.0075),
                                   row<double>(3000, 6000, 40, 0.01)},
                                  tier_basis::quantity};
    CHECK(s.basis() == tier_basis::quantity);
    for (const auto& t : s.tiers()) CHECK(t.maintenance_amount == 0.0);
    // One contract = 100 ADA (an assumption of this test only), price 0.40 USDT:
    // notional = q × 100 × 0.40 = 40 q. Hand-derived MM = notional × MMR(tier by quantity).
    const auto notional = [](double q) { return q * 100.0 * 0.40; };
    CHECK_THAT(s.maintenance_margin(notional(1000), 1000), WithinRel(40000.0 * 0.005, 1e-15));
    // The jump at 1,500 contracts: 60,000 × (0.75 % − 0.50 %) = 150 USDT.
    const double q_left = below(1500.0);
    const double jump = s.maintenance_margin(notional(1500), 1500) - s.maintenance_margin(notional(q_left), q_left);
    CHECK_THAT(jump, WithinAbs(150.0, 1e-6));
    // The tier follows the quantity, not the notional: a large notional in few contracts stays in tier 1.
    CHECK(s.maintenance_margin(1e9, 10.0) == 1e9 * 0.005);
    CHECK(s.max_leverage(1e9, 10.0) == 75.0);
    CHECK(s.initial_margin(notional(2000), 2000, 50.0) == notional(2000) / 50.0);
    REQUIRE_THROWS_MATCHES(s.initial_margin(notional(2000), 2000, 75.0), invalid_argument,
                           Message("tier_schedule::initial_margin: leverage is 75, but must be in [1, 50], the "
                                   "max_leverage of tier 2 at quantity 2000"));
    // Beyond the last cap (6,000 contracts): margined in tier 3, refused for opening.
    CHECK(s.initial_margin(notional(7000), 7000, 1.0) == notional(7000));
    CHECK(!s.within_size_limit(notional(7000), 7000));
    CHECK(s.within_size_limit(1e12, 6000));  // the quantity decides, not the notional
    CHECK(s.max_size(60.0) == 1500.0);
    // A supplied non-zero amount contradicts the quantity basis.
    REQUIRE_THROWS_MATCHES(
        (tier_schedule<double>{{row<double>(0, 1500, 75, 0.005), row<double>(1500, 3000, 50, 0.0075, 3.75)},
                               tier_basis::quantity}),
        invalid_argument,
        Message("tier_schedule: maintenance_amount of tier 2 is 3.75, but must be 0 (quantity brackets carry no "
                "maintenance amount)"));
}

TEST_CASE("third-party tables with wrong cums are rejected naming the tier and both values", "[tiers][errors]") {
    // wilfredbtan/ChartSniper liquidation_test.py ("Retrieved on 25 Jun 2021" from the Binance FAQ):
    // the last row's cum is 0; the recursion gives 24,891,300 + 300,000,000 × 25 % = 99,891,300.
    // (Max leverages are Binance's 2021 BTCUSDT ones; the file lists only rates and cums.)
    const std::vector<bracket<double>> chartsniper{
        row<double>(0, 50e3, 125, 0.004, 0),          row<double>(50e3, 250e3, 100, 0.005, 50),
        row<double>(250e3, 1e6, 50, 0.01, 1300),      row<double>(1e6, 5e6, 20, 0.025, 16300),
        row<double>(5e6, 20e6, 10, 0.05, 141300),     row<double>(20e6, 50e6, 5, 0.1, 1141300),
        row<double>(50e6, 100e6, 4, 0.125, 2391300),  row<double>(100e6, 200e6, 3, 0.15, 4891300),
        row<double>(200e6, 300e6, 2, 0.25, 24891300), row<double>(300e6, 500e6, 1, 0.5, 0)};
    REQUIRE_THROWS_MATCHES(tier_schedule<double>{chartsniper}, invalid_argument,
                           Message("tier_schedule: maintenance_amount of tier 10 is 0, but must be 99891300, the "
                                   "amount that makes maintenance margin continuous at the tier's floor"));
    // A C# unit test's BTCUSDT payload ("Maintenance_bracket_is_the_one_holding_the_notional"):
    // bracket 3 cum 950 = 50 + 600,000 × 0.15 % is right; bracket 4 cum 800 < 950 is not:
    // 950 + 3,000,000 × (1 % − 0.65 %) = 11,450.
    const std::vector<bracket<double>> csharp{
        row<double>(0, 50e3, 125, 0.004, 0), row<double>(50e3, 600e3, 100, 0.005, 50),
        row<double>(600e3, 3e6, 75, 0.0065, 950), row<double>(3e6, 4e6, 50, 0.01, 800)};
    REQUIRE_THROWS_MATCHES(tier_schedule<double>{csharp}, invalid_argument,
                           Message("tier_schedule: maintenance_amount of tier 4 is 800, but must be 11450, the "
                                   "amount that makes maintenance margin continuous at the tier's floor"));
    // The first tier starts at 0, so its amount must be 0 (MM at notional 0 is 0).
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{{row<double>(0, 50e3, 125, 0.004, 10)}}), invalid_argument,
                           Message("tier_schedule: maintenance_amount of tier 1 is 10, but must be 0, the amount "
                                   "that makes maintenance margin continuous at the tier's floor"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{{row<double>(0, 50e3, 125, 0.004, -1)}}), invalid_argument,
                           Message("tier_schedule: maintenance_amount of tier 1 is -1, but must be finite and >= 0"));
    // Within tolerance (10⁻⁶ of floor × MMR = 0.0025 at tier 3): accepted.
    auto rows = binance_btcusdt<double>();
    rows[2].maintenance_amount = 1300.001;
    CHECK_NOTHROW(tier_schedule<double>{rows});
    rows[2].maintenance_amount = 1300.01;
    CHECK_THROWS_AS(tier_schedule<double>{rows}, invalid_argument);
}

TEST_CASE("bracket structure errors name the tier and the field", "[tiers][errors]") {
    using v = std::vector<bracket<double>>;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_MATCHES(tier_schedule<double>{v{}}, invalid_argument,
                           Message("tier_schedule: the number of brackets is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(10, 50, 125, 0.004)}}), invalid_argument,
                           Message("tier_schedule: floor of tier 1 is 10, but must be 0"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(nan, 50, 125, 0.004)}}), invalid_argument,
                           Message("tier_schedule: floor of tier 1 is nan, but must be 0"));
    // Unsorted: tier 3 listed before tier 2.
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0.004),
                                                    row<double>(250e3, 3e6, 50, 0.01),
                                                    row<double>(50e3, 250e3, 100, 0.005)}}),
                           invalid_argument,
                           Message("tier_schedule: floor of tier 2 is 250000, but must be 50000, the cap of tier 1 "
                                   "(gap between brackets)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0.004),
                                                    row<double>(50e3, 250e3, 100, 0.005),
                                                    row<double>(10e3, 3e6, 50, 0.01)}}),
                           invalid_argument,
                           Message("tier_schedule: floor of tier 3 is 10000, but must be >= 50000, the floor of tier "
                                   "2 (brackets must be sorted)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0.004),
                                                    row<double>(40e3, 250e3, 100, 0.005)}}),
                           invalid_argument,
                           Message("tier_schedule: floor of tier 2 is 40000, but must be 50000, the cap of tier 1 "
                                   "(brackets overlap)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0.004),
                                                    row<double>(60e3, 250e3, 100, 0.005)}}),
                           invalid_argument,
                           Message("tier_schedule: floor of tier 2 is 60000, but must be 50000, the cap of tier 1 "
                                   "(gap between brackets)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 0, 125, 0.004)}}), invalid_argument,
                           Message("tier_schedule: cap of tier 1 is 0, but must be > 0, the tier's floor"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, nan, 125, 0.004)}}), invalid_argument,
                           Message("tier_schedule: cap of tier 1 is nan, but must be > 0, the tier's floor"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, inf, 125, 0.004),
                                                    row<double>(inf, inf, 100, 0.005)}}),
                           invalid_argument,
                           Message("tier_schedule: cap of tier 1 is inf, but must be finite (only the last cap may "
                                   "be infinite)"));
}

TEST_CASE("leverage and rate errors name the tier and the field", "[tiers][errors]") {
    using v = std::vector<bracket<double>>;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 0, 0.004)}}), invalid_argument,
                           Message("tier_schedule: max_leverage of tier 1 is 0, but must be finite and >= 1"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, -5, 0.004)}}), invalid_argument,
                           Message("tier_schedule: max_leverage of tier 1 is -5, but must be finite and >= 1"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, nan, 0.004)}}), invalid_argument,
                           Message("tier_schedule: max_leverage of tier 1 is nan, but must be finite and >= 1"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0)}}), invalid_argument,
                           Message("tier_schedule: maintenance_rate of tier 1 is 0, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, -0.004)}}), invalid_argument,
                           Message("tier_schedule: maintenance_rate of tier 1 is -0.004, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, nan)}}), invalid_argument,
                           Message("tier_schedule: maintenance_rate of tier 1 is nan, but must be in (0, 1)"));
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 1, 1.0)}}), invalid_argument,
                           Message("tier_schedule: maintenance_rate of tier 1 is 1, but must be in (0, 1)"));
    // Decreasing maintenance rate (0.4 % typed as 0.004 after 0.005).
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0.004),
                                                    row<double>(50e3, 250e3, 100, 0.005),
                                                    row<double>(250e3, 3e6, 50, 0.004)}}),
                           invalid_argument,
                           Message("tier_schedule: maintenance_rate of tier 3 is 0.004, but must be >= 0.005, the "
                                   "maintenance_rate of tier 2"));
    // Increasing max leverage.
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 100, 0.004),
                                                    row<double>(50e3, 250e3, 125, 0.005)}}),
                           invalid_argument,
                           Message("tier_schedule: max_leverage of tier 2 is 125, but must be <= 100, the "
                                   "max_leverage of tier 1"));
    // MMR at or above the initial rate 1 / max_leverage: 2 % at 50x.
    REQUIRE_THROWS_MATCHES((tier_schedule<double>{v{row<double>(0, 50e3, 125, 0.004),
                                                    row<double>(50e3, 250e3, 50, 0.02)}}),
                           invalid_argument,
                           Message("tier_schedule: maintenance_rate of tier 2 is 0.02, but must be < 0.02 = 1 / "
                                   "max_leverage (else a position at max leverage opens liquidatable)"));
}

TEST_CASE("a Boost.Multiprecision schedule reproduces the published cums exactly", "[tiers]") {
    using mp = boost::multiprecision::cpp_bin_float_50;
    std::vector<bracket<mp>> rows;
    for (const auto& b : binance_btcusdt<double>())
        rows.push_back(bracket<mp>{mp(b.floor), mp(b.cap), mp(b.max_leverage),
                                   mp(std::to_string(b.maintenance_rate)), std::nullopt});
    const tier_schedule<mp> s{rows};
    CHECK(abs(s.tiers()[9].maintenance_amount - mp(103046300)) < mp(1e-30));
    CHECK(abs(s.maintenance_margin(mp(264000)) - mp(1340)) < mp(1e-30));
}
