// Tests of include/margincall/liquidation/account_liquidation.hpp: liquidation prices of the
// margin layer's positions and accounts. Expected values: a Bybit-style hand derivation, and
// the margin layer's own evaluation (a separate code path) showing equity = MM at each price.
#include <margincall/liquidation/account_liquidation.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
using schedule = tier_schedule<double>;
using lin = linear_contract<double>;
using book_account = account<lin, schedule, double>;
using pos = position<lin, schedule, double>;

const schedule& btcusdt() {
    static const schedule s({{0, 50'000, 125, 0.004},
                             {50'000, 250'000, 100, 0.005},
                             {250'000, 3'000'000, 50, 0.01},
                             {3'000'000, 20'000'000, 20, 0.025},
                             {20'000'000, 40'000'000, 10, 0.05}});
    return s;
}
// Binance ETHUSDT brackets (2021 table in docs/liquidation.md), first five levels.
const schedule& ethusdt() {
    static const schedule s({{0, 10'000, 75, 0.005},
                             {10'000, 100'000, 50, 0.0065},
                             {100'000, 500'000, 25, 0.01},
                             {500'000, 1'000'000, 10, 0.02},
                             {1'000'000, 2'000'000, 5, 0.05}});
    return s;
}

// The cross pool's surplus with symbol `s` re-marked at `price`.
double cross_surplus(const book_account& a, std::array<double, 2> marks, std::size_t s, double price) {
    marks[s] = price;
    const auto e = a.evaluate(std::span<const double>(marks));
    return e.cross.equity - e.cross.maintenance_margin;
}
}  // namespace

TEST_CASE("isolated position: Bybit's example valued at the liquidation price", "[liquidation][account]") {
    // Long 1 BTC @ 20,000 with 400 USDT isolated margin, one 0.5 % tier:
    // 400 + (P − 20,000) = 0.005 P ⇒ P = 19,600 / 0.995 (hand-derived).
    const schedule flat({{0, std::numeric_limits<double>::infinity(), 50, 0.005}});
    const pos p(flat, {.symbol = 0,
                       .leverage = 50.0,
                       .mode = margin_mode::isolated,
                       .quantity = 1.0,
                       .entry_price = 20'000.0,
                       .isolated_margin = 400.0});
    const auto r = liquidation_price(p, 20'000.0);
    REQUIRE(r.found());
    CHECK_THAT(r.price, WithinRel(19'600.0 / 0.995, 1e-14));
}

TEST_CASE("one-way cross account: other symbols held at their marks", "[liquidation][account]") {
    book_account a(12'000.0);
    a.add_position(pos(btcusdt(), {.symbol = 0, .leverage = 20.0, .quantity = 20.0, .entry_price = 30'000.0}));
    a.add_position(pos(ethusdt(), {.symbol = 1, .leverage = 10.0, .quantity = -50.0, .entry_price = 1'980.0}));
    const std::array<double, 2> marks{30'500.0, 2'000.0};
    const auto r = account_liquidation_prices(a, 0, std::span<const double>(marks));
    REQUIRE(r.downside.found());
    CHECK(r.upside.status == liquidation_status::unreachable);
    CHECK(std::abs(cross_surplus(a, marks, 0, r.downside.price)) <= 1e-9 * 20.0 * r.downside.price);
    CHECK(r.downside.tier == btcusdt().tier_index(20.0 * r.downside.price));
    // Re-marking ETH moves BTC's liquidation price (the rest of the pool is held at its marks).
    const std::array<double, 2> eth_up{30'500.0, 2'050.0};
    const auto r2 = account_liquidation_prices(a, 0, std::span<const double>(eth_up));
    CHECK(r2.downside.price > r.downside.price);
    // The ETH short's own liquidation price, BTC held at 30,500.
    const auto e = account_liquidation_prices(a, 1, std::span<const double>(marks));
    REQUIRE(e.upside.found());
    CHECK(std::abs(cross_surplus(a, marks, 1, e.upside.price)) <= 1e-9 * 50.0 * e.upside.price);
}

TEST_CASE("hedge-mode cross account: long and short legs share one pair of prices", "[liquidation][account]") {
    book_account a(4'000.0, position_mode::hedge);
    a.add_position(pos(
        btcusdt(),
        {.symbol = 0, .leverage = 20.0, .side = position_side::long_leg, .quantity = 5.2, .entry_price = 30'000.0}));
    a.add_position(pos(
        btcusdt(),
        {.symbol = 0, .leverage = 20.0, .side = position_side::short_leg, .quantity = -5.0, .entry_price = 30'000.0}));
    a.add_position(pos(
        ethusdt(),
        {.symbol = 1, .leverage = 10.0, .side = position_side::long_leg, .quantity = 10.0, .entry_price = 2'100.0}));
    const std::array<double, 2> marks{30'000.0, 2'000.0};
    const auto from_long = account_liquidation_prices(a, 0, std::span<const double>(marks));
    const auto from_short = account_liquidation_prices(a, 1, std::span<const double>(marks));
    REQUIRE(from_long.downside.found());
    REQUIRE(from_long.upside.found());  // concave: at 5 % MMR the legs' MM grows 0.51 P, faster than the net 0.2 P
    CHECK(from_long.downside.price == from_short.downside.price);
    CHECK(from_long.upside.price == from_short.upside.price);
    for (const double p : {from_long.downside.price, from_long.upside.price})
        CHECK(std::abs(cross_surplus(a, marks, 0, p)) <= 1e-9 * 10.2 * p);
}

TEST_CASE("account overload errors", "[liquidation][account][errors]") {
    const pos cross(btcusdt(), {.symbol = 0, .leverage = 20.0, .quantity = 1.0, .entry_price = 30'000.0});
    REQUIRE_THROWS_MATCHES(liquidation_price(cross, 30'000.0), invalid_argument,
                           Message("liquidation_price: the mode of the position is cross, but must be isolated (pass "
                                   "the account for a cross position)"));
    book_account a(1'000.0);
    a.add_position(cross);
    const std::array<double, 1> marks{30'000.0};
    REQUIRE_THROWS_MATCHES(account_liquidation_prices(a, 3, std::span<const double>(marks)), invalid_argument,
                           Message("account_liquidation_prices: leg is 3, but must be < 1 (the number of positions)"));
    const std::array<double, 1> bad{-1.0};
    REQUIRE_THROWS_MATCHES(account_liquidation_prices(a, 0, std::span<const double>(bad)), invalid_argument,
                           Message("account_liquidation_prices: marks[0] is -1, but must be finite and > 0"));
}

TEST_CASE("one behaviour with the calculator's policy: a flat leg has no prices, a bad mark is the caller's",
          "[liquidation][account]") {
    // A flat leg: `unreachable` on both sides, liquidation and bankruptcy, in the account entry
    // points and in closed_form_liquidation (tests/calculator/liquidation_solvers.cpp).
    const std::array<double, 2> marks{30'000.0, 2'000.0};
    book_account flat(1'000.0);
    flat.add_position(pos(btcusdt(), {.symbol = 0, .leverage = 20.0}));
    for (const auto& r : {account_liquidation_prices(flat, 0, std::span<const double>(marks)),
                          account_bankruptcy_prices(flat, 0, std::span<const double>(marks))}) {
        CHECK(r.downside.status == liquidation_status::unreachable);
        CHECK(r.upside.status == liquidation_status::unreachable);
    }
    // A flat hedge leg beside an open one: the flat leg has none, the open one its own.
    book_account hedge(1'000.0, position_mode::hedge);
    hedge.add_position(pos(btcusdt(), {.symbol = 0, .leverage = 20.0, .side = position_side::long_leg, .quantity = 0.0, .entry_price = 30'000.0}));
    hedge.add_position(pos(btcusdt(), {.symbol = 0, .leverage = 20.0, .side = position_side::short_leg, .quantity = -1.0, .entry_price = 30'000.0}));
    const auto none = account_liquidation_prices(hedge, 0, std::span<const double>(marks));
    CHECK(none.downside.status == liquidation_status::unreachable);
    CHECK(none.upside.status == liquidation_status::unreachable);
    const auto short_leg = account_liquidation_prices(hedge, 1, std::span<const double>(marks));
    REQUIRE(short_leg.upside.found());
    // Short 1 @ 30,000, wallet 1,000, tier 1: 1,000 − (P − 30,000) = 0.004 P ⇔ P = 31,000 / 1.004.
    CHECK_THAT(short_leg.upside.price, WithinRel(31'000.0 / 1.004, 1e-13));
    // A bad mark of another cross symbol is named as the caller's marks[s], not as an internal value.
    book_account two(12'000.0);
    two.add_position(pos(btcusdt(), {.symbol = 0, .leverage = 20.0, .quantity = 1.0, .entry_price = 30'000.0}));
    two.add_position(pos(ethusdt(), {.symbol = 1, .leverage = 10.0, .quantity = -5.0, .entry_price = 2'000.0}));
    const std::array<double, 2> bad_eth{30'000.0, -2.0};
    REQUIRE_THROWS_MATCHES(account_liquidation_prices(two, 0, std::span<const double>(bad_eth)), invalid_argument,
                           Message("account_liquidation_prices: marks[1] is -2, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(account_bankruptcy_prices(two, 0, std::span<const double>(bad_eth)), invalid_argument,
                           Message("account_bankruptcy_prices: marks[1] is -2, but must be finite and > 0"));
    const std::array<double, 1> short_marks{30'000.0};
    REQUIRE_THROWS_MATCHES(account_liquidation_prices(two, 0, std::span<const double>(short_marks)), invalid_argument,
                           Message("account_liquidation_prices: the size of marks is 1, but must be > 1 (a cross "
                                   "position's symbol)"));
    // Bankruptcy of the BTC long, ETH held at 2,000 (UPNL1 = 0): 12,000 + (P − 30,000) = 0.
    const auto bp = account_bankruptcy_prices(two, 0, std::span<const double>(marks));
    REQUIRE(bp.downside.found());
    CHECK_THAT(bp.downside.price, WithinRel(18'000.0, 1e-13));
    CHECK(bp.upside.status == liquidation_status::unreachable);
}
