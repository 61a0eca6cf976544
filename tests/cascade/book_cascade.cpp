// Tests of include/margincall/cascade/book_cascade.hpp: cascade books built from the host's
// book — which pools go where, the figures they carry (hand-derived), and the refusals.
#include <margincall/cascade/book_cascade.hpp>
#include <margincall/contracts/any_contract.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
using schedule = tier_schedule<double>;
// Binance BTCUSDT brackets 1–2 (tests/reference/binance_btcusdt_brackets.csv).
schedule btc() { return schedule({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}}); }
// Symbols: 0 BTCUSDT linear, 1 ETHUSDT linear (multiplier 0.1), 2 BTCUSD inverse.
book<any_contract<double>, schedule> make() {
    const std::vector<account_row<double>> accounts{{.wallet_balance = 1000}, {.wallet_balance = 5000},
                                                    {.wallet_balance = 1}, {.wallet_balance = 300}};
    const std::vector<position_row<double>> positions{
        // account 0: one open leg on BTC and a flat ETH leg: an isolated-book account
        {.account = 0, .symbol = 0, .quantity = 1, .entry_price = 20000, .leverage = 20},
        {.account = 0, .symbol = 1, .quantity = 0, .entry_price = 0, .leverage = 10},
        // account 1: two open cross legs: a cross account
        {.account = 1, .symbol = 0, .quantity = -0.5, .entry_price = 21000, .leverage = 10},
        {.account = 1, .symbol = 1, .quantity = 100, .entry_price = 1500, .leverage = 10},
        // account 2: coin-margined
        {.account = 2, .symbol = 2, .quantity = -100, .entry_price = 25000, .leverage = 25},
        // account 3: isolated ETH long
        {.account = 3, .symbol = 1, .mode = margin_mode::isolated, .quantity = 20, .entry_price = 1500, .leverage = 10,
         .isolated_margin = 400},
    };
    return book<any_contract<double>, schedule>(
        {linear_contract<double>{}, linear_contract<double>{0.1}, inverse_contract<double>{100}}, {btc(), btc(), btc()},
        accounts, positions);
}
}  // namespace

TEST_CASE("book cascade: one open leg goes to its symbol's isolated book, two or more to the cross book", "[cascade][book]") {
    const auto b = make();
    const auto on_btc = isolated_liquidation_book(b, 0);
    REQUIRE(on_btc.accounts.size() == 1);  // account 0 (its flat ETH leg adds nothing)
    CHECK(on_btc.book_pool == std::vector<std::size_t>{0});
    CHECK(on_btc.accounts.collateral(0) == 1000);
    const auto on_eth = isolated_liquidation_book(b, 1);
    REQUIRE(on_eth.accounts.size() == 1);  // account 3's isolated leg, 20 contracts × 0.1 = 2 ETH
    CHECK(on_eth.accounts.quantity(0) == 2.0);
    CHECK(on_eth.accounts.collateral(0) == 400);
    const std::vector<std::size_t> symbols{0, 1};
    const std::vector<double> reference{20000, 1500};
    const auto cross = cross_liquidation_book(b, std::span<const std::size_t>(symbols), std::span<const double>(reference));
    REQUIRE(cross.accounts.size() == 1);  // account 1
    CHECK(cross.book_pool == std::vector<std::size_t>{b.account_pools(1).first});
    // At the reference: equity 5,000 − 0.5·(20,000 − 21,000) = 5,500 (the ETH leg, 10 ETH, at its
    // entry); MM 10,000·0.4 % + 15,000·0.4 % = 100; equity − MM = 5,400.
    CHECK_THAT(cross.accounts.surplus(0, reference), WithinAbs(5400, 1e-9));
}

TEST_CASE("book cascade: refusals name the symbol or the pool", "[cascade][book][errors]") {
    const auto b = make();
    CHECK_THROWS_MATCHES(isolated_liquidation_book(b, 2), invalid_argument,
                         Message("isolated_liquidation_book: the contract of symbol 2 is inverse, but must be linear (the "
                                 "cascade book holds USDⓈ-margined positions)"));
    CHECK_THROWS_MATCHES(isolated_liquidation_book(b, 3), invalid_argument,
                         Message("isolated_liquidation_book: symbol is 3, but must be < 3, the number of symbols"));
    const std::vector<double> one{20000};
    const std::vector<std::size_t> btc_only{0};
    // Account 1 holds BTC and ETH: a cascade on BTC alone cannot take it.
    CHECK_THROWS_MATCHES(cross_liquidation_book(b, std::span<const std::size_t>(btc_only), std::span<const double>(one)),
                         invalid_argument,
                         Message("cross_liquidation_book: pool 1 (account 1) is 1 open legs off the cascade's symbols, "
                                 "but must be every open leg on them, or none"));
    const std::vector<std::size_t> twice{0, 0};
    const std::vector<double> two{20000, 20000};
    CHECK_THROWS_MATCHES(cross_liquidation_book(b, std::span<const std::size_t>(twice), std::span<const double>(two)),
                         invalid_argument, Message("cross_liquidation_book: symbols[1] is 0, but must be not repeated"));
    CHECK_THROWS_MATCHES(cross_liquidation_book(b, std::span<const std::size_t>(btc_only), std::span<const double>(two)),
                         invalid_argument,
                         Message("cross_liquidation_book: the size of reference_price is 2, but must be 1, the number of symbols"));
}
