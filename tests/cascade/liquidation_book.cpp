// Tests of include/margincall/cascade/liquidation_book.hpp: liquidation and bankruptcy prices
// against the tier-consistent closed form of liquidation/liquidation_price.hpp (itself checked
// against Binance and Bybit published examples), Bybit's published bankruptcy example, the
// Aave health-factor mapping, the index order and the validation messages.
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/core/money.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("account book: liquidation prices agree with liquidation_price() on random books", "[cascade][book]") {
    std::mt19937_64 gen(17);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const linear_contract<double> contract{};
    for (int trial = 0; trial < 300; ++trial) {
        const double rate = 0.002 + 0.02 * u(gen);
        const tier_schedule<double> one_tier({{0.0, std::numeric_limits<double>::infinity(), 0.5 / rate, rate}});
        const double side = u(gen) < 0.5 ? -1.0 : 1.0;  // draws in sequence: same data under every compiler
        const double q = side * (0.01 + 5.0 * u(gen));
        const double entry = 1000.0 + 50000.0 * u(gen);
        const double leverage = 1.5 + 40.0 * u(gen);
        const double c = std::round(std::abs(q) * entry / leverage * 100.0) / 100.0;
        const std::vector<double> qs{q}, es{entry}, cs{c}, ms{rate};
        const liquidation_book<double> b(qs, es, cs, ms);
        const auto lp = liquidation_price(contract, one_tier, position_leg<double>{q, entry}, account_balance<double>{c, 0, 0}, entry);
        REQUIRE(lp.found());
        CHECK_THAT(b.liquidation_price(0), WithinRel(lp.price, 1e-12));
        const auto bp = bankruptcy_price(contract, position_leg<double>{q, entry}, account_balance<double>{c, 0, 0}, entry);
        REQUIRE(bp.found());
        CHECK_THAT(b.bankruptcy_price(0), WithinRel(bp.price, 1e-12));
    }
}

TEST_CASE("account book: Bybit's bankruptcy example and the Aave liquidation threshold", "[cascade][book]") {
    // Bybit help center, bankruptcy price (USDT contract, isolated): BP = EP × (1 − 1/leverage);
    // long 1 BTC at 10,000, 50x → bankruptcy price 10,000 × (1 − 1/50) = 9,800 (docs/cascades.md §2).
    CHECK(liquidation_book<double>::bankruptcy_price(1.0, 10000.0, 200.0) == 9800.0);
    // Bybit example 1: long 1 BTC at 20,000, 50x, MMR 0.5 %: IM 400, MM 100 at entry, LP 19,700
    // (MM valued at entry). With MM at the mark (Binance): LP = (20,000 − 400)/(1 − 0.005).
    CHECK_THAT(liquidation_book<double>::liquidation_price(1.0, 20000.0, 400.0, 0.005), WithinRel(19600.0 / 0.995, 1e-15));
    // Aave v3: collateral c = 2 ETH, debt d = 3,000, LT = 0.825: HF = c·P·LT/d = 1 at
    // P = d/(c·LT) = 1,818.18…; as the long q = c, C = c·E − d, m = 1 − LT (any E).
    const double c = 2.0, d = 3000.0, lt = 0.825, e = 2500.0;
    CHECK_THAT(liquidation_book<double>::liquidation_price(c, e, c * e - d, 1.0 - lt), WithinRel(d / (c * lt), 1e-14));
}

TEST_CASE("account book: the index is sorted and does not depend on the input order", "[cascade][book]") {
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> q, e, c, m;
    for (int i = 0; i < 2000; ++i) {
        const double side = u(gen) < 0.5 ? -1.0 : 1.0;
        q.push_back(side * std::round(1 + 3 * u(gen)));  // many ties
        e.push_back(100.0);
        c.push_back(std::round(10.0 * u(gen)) + 1.0);
        m.push_back(0.01);
    }
    const liquidation_book<double> b(q, e, c, m);
    const auto longs = b.longs_by_liquidation_price();
    const auto shorts = b.shorts_by_liquidation_price();
    CHECK(longs.size() + shorts.size() == 2000);
    for (std::size_t k = 1; k < longs.size(); ++k) CHECK(longs[k - 1].price >= longs[k].price);
    for (std::size_t k = 1; k < shorts.size(); ++k) CHECK(shorts[k - 1].price <= shorts[k].price);
    for (const auto& x : longs) CHECK(x.price == b.liquidation_price(x.account));
    std::vector<std::size_t> p(q.size());
    std::iota(p.begin(), p.end(), std::size_t{0});
    std::shuffle(p.begin(), p.end(), gen);
    std::vector<double> q2, e2, c2, m2;
    for (const auto i : p) {
        q2.push_back(q[i]);
        e2.push_back(e[i]);
        c2.push_back(c[i]);
        m2.push_back(m[i]);
    }
    const liquidation_book<double> b2(q2, e2, c2, m2);
    const auto longs2 = b2.longs_by_liquidation_price();
    REQUIRE(longs2.size() == longs.size());
    for (std::size_t k = 0; k < longs.size(); ++k) {
        CHECK(longs2[k].price == longs[k].price);
        CHECK(b2.quantity(longs2[k].account) == b.quantity(longs[k].account));
        CHECK(b2.collateral_cents(longs2[k].account) == b.collateral_cents(longs[k].account));
    }
    CHECK(b.total_collateral_cents() == b2.total_collateral_cents());
    // Stored in index order; original_index maps back to the input.
    for (std::size_t i = 0; i < b.size(); ++i) {
        CHECK(b.quantity(i) == q[b.original_index(i)]);
        CHECK(b.collateral_cents(i) == to_cents(c[b.original_index(i)]));
    }
    CHECK(b.total_long_quantity() == std::accumulate(q.begin(), q.end(), 0.0, [](double s, double x) { return x > 0 ? s + x : s; }));
}

TEST_CASE("account book: collateral is held in cents", "[cascade][book]") {
    CHECK(to_cents(12.345) == 1235);  // half away from zero (12.345 is 12.3450000000000006 in double)
    CHECK(to_cents(-0.005) == -1);
    CHECK(from_cents<double>(1235) == 12.35);
    const std::vector<double> q{1.0}, e{100.0}, c{10.004}, m{0.0};
    const liquidation_book<double> b(q, e, c, m);
    CHECK(b.collateral_cents(0) == 1000);
    CHECK(b.collateral(0) == 10.0);
}

TEST_CASE("account book: bad input names the array and the index", "[cascade][book][errors]") {
    const std::vector<double> ok{1.0, -2.0, 3.0, 4.0}, entries{100.0, 100.0, 100.0, 100.0}, coll{10.0, 10.0, 10.0, 10.0},
        rates{0.01, 0.01, 0.01, 0.01};
    const std::vector<double> nan_q{1.0, -2.0, 3.0, std::nan("")};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(nan_q, entries, coll, rates), invalid_argument,
                           Message("liquidation_book: quantity[3] is nan, but must be finite and != 0"));
    const std::vector<double> zero_q{1.0, 0.0, 3.0, 4.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(zero_q, entries, coll, rates), invalid_argument,
                           Message("liquidation_book: quantity[1] is 0, but must be finite and != 0"));
    const std::vector<double> bad_e{100.0, 100.0, -1.0, 100.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(ok, bad_e, coll, rates), invalid_argument,
                           Message("liquidation_book: entry_price[2] is -1, but must be finite and > 0"));
    const std::vector<double> bad_c{10.0, -10.0, 10.0, 10.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(ok, entries, bad_c, rates), invalid_argument,
                           Message("liquidation_book: collateral[1] is -10, but must be finite and >= 0"));
    const std::vector<double> bad_m{0.01, 0.01, 0.01, 1.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(ok, entries, coll, bad_m), invalid_argument,
                           Message("liquidation_book: maintenance_rate[3] is 1, but must be in [0, 1)"));
    const std::vector<double> short_e{100.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(ok, short_e, coll, rates), invalid_argument,
                           Message("liquidation_book: the size of entry_price is 1, but must be the size of quantity (4)"));
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(empty, empty, empty, empty), invalid_argument,
                           Message("liquidation_book: the size of quantity is 0, but must be > 0"));
    const std::vector<double> huge{1e17, 1.0, 1.0, 1.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(ok, entries, huge, rates), invalid_argument,
                           Message("liquidation_book: the total collateral plus notional at entry is 1.00000000000001e+17, but must be "
                                   "finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
}

namespace {

// Binance BTCUSDT leverage brackets (GET /fapi/v1/leverageBracket; the same table as
// tests/liquidation/liquidation_price.cpp and docs/liquidation.md).
tier_schedule<double> btcusdt_brackets() {
    return tier_schedule<double>({{0, 50'000, 125, 0.004, 0.0},
                                  {50'000, 250'000, 100, 0.005, 50.0},
                                  {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                  {3'000'000, 20'000'000, 20, 0.025, 46'300.0},
                                  {20'000'000, 40'000'000, 10, 0.05, 546'300.0},
                                  {40'000'000, 100'000'000, 5, 0.1, 2'546'300.0},
                                  {100'000'000, 120'000'000, 4, 0.125, 5'046'300.0},
                                  {120'000'000, 200'000'000, 3, 0.15, 8'046'300.0},
                                  {200'000'000, 300'000'000, 2, 0.25, 28'046'300.0},
                                  {300'000'000, 500'000'000, 1, 0.5, 103'046'300.0}});
}

}  // namespace

TEST_CASE("tiered book: Binance's formula with the maintenance amount, by hand", "[cascade][book][tiers]") {
    // Binance FAQ (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93),
    // isolated one-way: LP = (WB + cum − side·Q·EP)/(Q·(MMR − side)). Long 100 BTC at 30,000
    // (notional 3,000,000: tier 4 at entry) with 40,000 USDT isolated margin. In tier 4
    // (2.5 %, cum 46,300): LP = (40,000 + 46,300 − 3,000,000)/(100·(0.025 − 1)) = 29,884.1…,
    // notional 2,988,410 < 3,000,000: not in tier 4. In tier 3 (1 %, cum 1,300):
    // LP = (40,000 + 1,300 − 3,000,000)/(100·(0.01 − 1)) = 2,958,700/99 = 29,885.8585…,
    // notional 2,988,586 ∈ [250,000, 3,000,000): consistent. (Also printed by
    // tests/reference/liquidation_binance.py as 29885.858585858587.)
    const auto tiers = btcusdt_brackets();
    const std::vector<double> q{100.0, -100.0}, e{30'000.0, 30'000.0}, c{40'000.0, 40'000.0};
    const liquidation_book<double> b(q, e, c, tiers);
    REQUIRE(b.schedule() != nullptr);
    const std::size_t lng = b.quantity(0) > 0 ? 0 : 1;
    const std::size_t sht = 1 - lng;
    CHECK_THAT(b.liquidation_price(lng), WithinRel(2'958'700.0 / 99.0, 1e-13));
    CHECK(b.maintenance_rate(lng) == 0.025);  // the tier at entry
    // The short: side −1, in tier 4 (notional 100·LP ≥ 3,000,000):
    // LP = (40,000 + 46,300 + 3,000,000)/(100·(0.025 + 1)) = 3,086,300/102.5 = 30,110.24…
    CHECK_THAT(b.liquidation_price(sht), WithinRel(3'086'300.0 / 102.5, 1e-13));
    // MM at a price: tier 3 at 29,000 (notional 2.9 M): 2,900,000 × 1 % − 1,300 = 27,700.
    CHECK_THAT(b.maintenance_margin(lng, 100.0, 29'000.0), WithinRel(27'700.0, 1e-14));
    CHECK_THAT(b.maintenance_rate_at(lng, 100.0, 29'000.0), WithinRel(27'700.0 / 2'900'000.0, 1e-14));
    // A 1x long: no positive price liquidates it.
    const std::vector<double> q1{1.0}, e1{30'000.0}, c1{30'000.0};
    CHECK(liquidation_book<double>(q1, e1, c1, tiers).liquidation_price(0) == 0.0);
}

TEST_CASE("tiered book: liquidation prices are liquidation_price()'s on random books", "[cascade][book][tiers]") {
    // The index must hold the closed form of liquidation/liquidation_price.hpp evaluated from
    // the position's own entry: where equity ≥ MM at entry, liquidation_price(…, mark = entry)
    // answers the same root; equity − MM changes sign there (checked directly, not through LP).
    const auto tiers = btcusdt_brackets();
    const linear_contract<double> contract{};
    std::mt19937_64 gen(23);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> q, e, c;
    for (int i = 0; i < 400; ++i) {
        const double side = u(gen) < 0.5 ? -1.0 : 1.0;
        q.push_back(side * std::exp(std::log(0.01) + u(gen) * std::log(50000.0)));
        e.push_back(20'000.0 + 40'000.0 * u(gen));
        c.push_back(std::round(std::abs(q.back()) * e.back() / (1.0 + 60.0 * u(gen)) * 100.0) / 100.0);
    }
    const liquidation_book<double> b(q, e, c, tiers);
    int checked = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const double qi = b.quantity(i), ei = b.entry_price(i), ci = b.collateral(i);
        const double lp = b.liquidation_price(i);
        const auto ref = liquidation_price(contract, tiers, position_leg<double>{qi, ei}, account_balance<double>{ci, 0, 0}, ei);
        if (ref.found()) {
            CHECK_THAT(lp, WithinRel(ref.price, 1e-12));
            ++checked;
        }
        if (lp > 0 && std::isfinite(lp)) {
            auto surplus = [&](double p) { return ci + qi * (p - ei) - tiers.maintenance_margin(std::abs(qi) * p); };
            const double inside = qi > 0 ? lp * (1 - 1e-9) : lp * (1 + 1e-9);
            const double outside = qi > 0 ? lp * (1 + 1e-9) : lp * (1 - 1e-9);
            CHECK(surplus(inside) < 0);
            CHECK(surplus(outside) > 0);
        }
    }
    CHECK(checked > 300);
}

TEST_CASE("tiered book: one tier is the flat-rate book", "[cascade][book][tiers]") {
    // With one bracket (rate m, cum 0) Binance's formula is the flat LP = (s·Q·E − C)/(Q·(s − m)).
    std::mt19937_64 gen(29);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const tier_schedule<double> one({{0.0, std::numeric_limits<double>::infinity(), 50.0, 0.01}});
    std::vector<double> q, e, c, m;
    for (int i = 0; i < 200; ++i) {
        const double side = u(gen) < 0.5 ? -1.0 : 1.0;
        q.push_back(side * (0.1 + u(gen)));
        e.push_back(100.0);
        c.push_back(std::round(100.0 * std::abs(q.back()) / (2.0 + 40.0 * u(gen)) * 100.0) / 100.0);
        m.push_back(0.01);
    }
    const liquidation_book<double> tiered(q, e, c, one), flat(q, e, c, m);
    for (std::size_t i = 0; i < tiered.size(); ++i) {
        CHECK(tiered.original_index(i) == flat.original_index(i));
        CHECK_THAT(tiered.liquidation_price(i), WithinRel(flat.liquidation_price(i), 1e-12));
    }
}

TEST_CASE("tiered book: bad input", "[cascade][book][tiers][errors]") {
    const auto tiers = btcusdt_brackets();
    const std::vector<double> q{1.0, std::nan("")}, e{100.0, 100.0}, c{10.0, 10.0}, e1{100.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(q, e, c, tiers), invalid_argument,
                           Message("liquidation_book: quantity[1] is nan, but must be finite and != 0"));
    const std::vector<double> q2{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(q2, e1, c, tiers), invalid_argument,
                           Message("liquidation_book: the size of entry_price is 1, but must be the size of quantity (2)"));
}
