// Tests of include/margincall/margin/book.hpp: layout of accounts into pools, figures of a
// mixed book (linear, inverse, quanto; cross and isolated; one-way and hedge) derived by hand,
// the re-mark over the book against the accounts it hands out, checks at the door, append.
#include <margincall/contracts/any_contract.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

using schedule = tier_schedule<double>;
using contract_t = any_contract<double>;
using book_t = book<contract_t, schedule>;

// Binance BTCUSDT brackets 1–3 (GET /fapi/v1/leverageBracket, tests/reference/binance_btcusdt_brackets.csv):
// 0–50k 125x 0.4 %; 50k–250k 100x 0.5 % (cum 50); 250k–3M 50x 1 % (cum 1,300).
schedule btcusdt() {
    return schedule({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}, {250000, 3000000, 50, 0.01, 1300.0}});
}
// Binance ETHUSDT 2021 brackets 1–3: 0–10k 0.5 %, 10k–100k 0.65 % (cum 15), 100k–500k 1 % (cum 365).
schedule ethusdt() {
    return schedule({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0}, {100000, 500000, 50, 0.01, 365.0}});
}
// Coin-margined brackets in BTC (as tests/margin/account.cpp): 0–5 BTC 125x 0.4 %, 5–10 BTC 100x 0.5 % (cum 0.005).
schedule coin_m() { return schedule({{0, 5, 125, 0.004, 0.0}, {5, 10, 100, 0.005, 0.005}}); }

// Symbols: 0 BTCUSDT (linear), 1 ETHUSDT (linear), 2 BTCUSD (inverse, 100 USD a contract),
// 3 ETHUSD quanto (BitMEX: 0.000001 XBT per index point per contract).
book_t make_book(std::span<const account_row<double>> accounts, std::span<const position_row<double>> positions) {
    return book_t({linear_contract<double>{}, linear_contract<double>{}, inverse_contract<double>{100},
                   quanto_contract<double>{0.000001}},
                  {btcusdt(), ethusdt(), coin_m(), coin_m()}, accounts, positions);
}

const std::vector<account_row<double>> accounts{
    {.wallet_balance = 10000},                               // A0: USDT, one-way
    {.wallet_balance = 500, .mode = position_mode::hedge},   // A1: USDT, hedge
    {.wallet_balance = 0.05},                                // A2: BTC (coin-margined)
    {.wallet_balance = 0.1},                                 // A3: XBT, isolated quanto only
};
const std::vector<position_row<double>> positions{
    {.account = 0, .symbol = 0, .quantity = 1, .entry_price = 20000, .leverage = 20},
    {.account = 1, .symbol = 0, .mode = margin_mode::isolated, .side = position_side::long_leg, .quantity = 2,
     .entry_price = 30000, .leverage = 50, .isolated_margin = 1300},
    {.account = 0, .symbol = 1, .quantity = -5, .entry_price = 1500, .leverage = 10},
    {.account = 1, .symbol = 0, .side = position_side::short_leg, .quantity = -0.5, .entry_price = 30000, .leverage = 10},
    {.account = 2, .symbol = 2, .quantity = -100, .entry_price = 25000, .leverage = 25},
    {.account = 3, .symbol = 3, .mode = margin_mode::isolated, .quantity = 1000, .entry_price = 2000, .leverage = 10,
     .isolated_margin = 0.05},
};
const std::vector<double> marks{19000, 1600, 20000, 1800};

}  // namespace

TEST_CASE("book: accounts laid out as pools, cross pool first, legs in the order given", "[margin][book]") {
    const book_t b = make_book(accounts, positions);
    REQUIRE(b.accounts() == 4);
    REQUIRE(b.pools() == 5);  // A0 cross; A1 cross + isolated long; A2 cross; A3 isolated (no cross legs, no cross pool)
    REQUIRE(b.positions() == 6);
    CHECK(b.account_pools(0) == std::pair<std::size_t, std::size_t>{0, 1});
    CHECK(b.account_pools(1) == std::pair<std::size_t, std::size_t>{1, 3});
    CHECK(b.account_pools(3) == std::pair<std::size_t, std::size_t>{4, 5});
    CHECK(b.pool_mode(1) == margin_mode::cross);
    CHECK(b.pool_mode(2) == margin_mode::isolated);
    CHECK(b.pool_positions(0) == std::pair<std::size_t, std::size_t>{0, 2});
    CHECK(b.position(0).symbol == 0);  // A0's legs in the order given: BTC, then ETH
    CHECK(b.position(1).symbol == 1);
    CHECK(b.position(3).isolated_margin == 1300);
    CHECK(b.columns().collateral()[1] == 500);   // A1's cross pool holds its wallet
    CHECK(b.columns().collateral()[2] == 1300);  // its isolated pool, the leg's margin
}

TEST_CASE("book: re-mark of a mixed book, derived by hand", "[margin][book]") {
    const book_t b = make_book(accounts, positions);
    std::vector<double> equity(b.pools()), im(b.pools()), mm(b.pools()), call(b.pools());
    std::vector<margin_status> status(b.pools());
    const auto totals = remark(b, std::span<const double>(marks), {equity, im, mm, call, status});
    // Pool 0, A0 cross: 10,000 + 1·(19,000 − 20,000) − 5·(1,600 − 1,500) = 8,500.
    // MM: BTC 19,000 × 0.4 % = 76; ETH 8,000 × 0.5 % = 40. IM: 19,000/20 + 8,000/10 = 1,750.
    CHECK_THAT(equity[0], WithinAbs(8500, 1e-9));
    CHECK_THAT(mm[0], WithinAbs(116, 1e-9));
    CHECK_THAT(im[0], WithinAbs(1750, 1e-9));
    CHECK(status[0] == margin_status::healthy);
    // Pool 1, A1 cross short: 500 − 0.5·(19,000 − 30,000) = 6,000; notional 9,500: MM 38, IM 950.
    CHECK_THAT(equity[1], WithinAbs(6000, 1e-9));
    CHECK_THAT(mm[1], WithinAbs(38, 1e-9));
    CHECK_THAT(im[1], WithinAbs(950, 1e-9));
    // Pool 2, A1 isolated long: 1,300 + 2·(19,000 − 30,000) = −20,700; notional 38,000 (tier 1):
    // MM 152, IM 38,000/50 = 760, call 760 + 20,700 = 21,460, liquidation (equity ≤ 0).
    CHECK_THAT(equity[2], WithinAbs(-20700, 1e-9));
    CHECK_THAT(mm[2], WithinAbs(152, 1e-9));
    CHECK_THAT(im[2], WithinAbs(760, 1e-9));
    CHECK_THAT(call[2], WithinAbs(21460, 1e-9));
    CHECK(status[2] == margin_status::liquidation);
    // Pool 3, A2 inverse short: PnL = q·CV·(1/E − 1/P) = −100·100·(1/25,000 − 1/20,000) = +0.1 BTC,
    // equity 0.15; notional 100·100/20,000 = 0.5 BTC: MM 0.002, IM 0.5/25 = 0.02.
    CHECK_THAT(equity[3], WithinAbs(0.15, 1e-15));
    CHECK_THAT(mm[3], WithinAbs(0.002, 1e-15));
    CHECK_THAT(im[3], WithinAbs(0.02, 1e-15));
    // Pool 4, A3 isolated quanto long: 0.05 + 1,000·10⁻⁶·(1,800 − 2,000) = −0.15 XBT; notional
    // 1.8 XBT: MM 0.0072, IM 0.18, call 0.33, liquidation.
    CHECK_THAT(equity[4], WithinAbs(-0.15, 1e-15));
    CHECK_THAT(mm[4], WithinAbs(0.0072, 1e-15));
    CHECK_THAT(im[4], WithinAbs(0.18, 1e-15));
    CHECK_THAT(call[4], WithinAbs(0.33, 1e-15));
    CHECK(totals[margin_status::liquidation] == 2);
    CHECK(totals[margin_status::healthy] == 3);
}

TEST_CASE("book: the re-mark agrees bit for bit with the accounts the book hands out", "[margin][book]") {
    const book_t b = make_book(accounts, positions);
    std::vector<double> equity(b.pools()), im(b.pools()), mm(b.pools()), call(b.pools());
    std::vector<margin_status> status(b.pools());
    (void)remark(b, std::span<const double>(marks), {equity, im, mm, call, status});
    for (std::size_t a = 0; a < b.accounts(); ++a) {
        const auto acc = b.make_account(a);
        const auto e = acc.evaluate(marks);
        const auto [first, last] = b.account_pools(a);
        std::size_t leg = 0;
        for (std::size_t k = first; k < last; ++k) {
            const auto& pool = e.pools[leg];  // the pool of the pool's first leg
            CHECK(pool.equity == equity[k]);
            CHECK(pool.initial_margin == im[k]);
            CHECK(pool.maintenance_margin == mm[k]);
            CHECK(pool.call_amount == call[k]);
            CHECK(pool.status == status[k]);
            leg += b.pool_positions(k).second - b.pool_positions(k).first;
        }
        CHECK(leg == acc.positions().size());
    }
}

TEST_CASE("book: a bad row refuses the whole batch, names the row, and leaves the book as it was", "[margin][book]") {
    book_t b = make_book(accounts, positions);
    const auto before = b.rows();
    std::vector<double> equity_before(b.pools()), im_before(b.pools());
    const auto totals_before = remark(b, std::span<const double>(marks), {.equity = equity_before, .initial_margin = im_before});
    const auto refuse = [&](std::vector<account_row<double>> acc, std::vector<position_row<double>> pos,
                            const std::string& message) {
        CHECK_THROWS_MATCHES(b.append(acc, pos), invalid_argument, Message(message));
        REQUIRE(b.accounts() == 4);
        REQUIRE(b.positions() == before.size());
        REQUIRE(b.pools() == equity_before.size());
        for (std::size_t j = 0; j < before.size(); ++j) {
            CHECK(b.position(j).quantity == before[j].quantity);
            CHECK(b.position(j).account == before[j].account);
            CHECK(b.position(j).leverage == before[j].leverage);
            CHECK(b.position(j).isolated_margin == before[j].isolated_margin);
        }
        for (std::size_t a = 0; a < accounts.size(); ++a) CHECK(b.wallet_balance(a) == accounts[a].wallet_balance);
        // A re-mark after the refusal prints what it printed before, pool by pool.
        std::vector<double> equity(b.pools()), im(b.pools());
        const auto totals = remark(b, std::span<const double>(marks), {.equity = equity, .initial_margin = im});
        CHECK(totals.equity == totals_before.equity);
        CHECK(totals.maintenance_margin == totals_before.maintenance_margin);
        CHECK(equity == equity_before);
        CHECK(im == im_before);
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    refuse({{.wallet_balance = 1}, {.wallet_balance = nan}}, {},
           "book: accounts[1].wallet_balance is nan, but must be finite and >= 0");
    refuse({{.wallet_balance = 1, .mode = static_cast<position_mode>(7)}}, {},
           "book: accounts[0].mode is 7, but must be one_way (0) or hedge (1)");
    const position_row<double> ok{.account = 4, .symbol = 1, .quantity = 1, .entry_price = 1500, .leverage = 10};
    auto bad = ok;
    bad.leverage = 0;
    refuse({{.wallet_balance = 1000}}, {ok, bad}, "book: positions[1].leverage is 0, but must be finite and > 0");
    bad = ok;
    bad.account = 9;
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].account is 9, but must be < 5, the number of accounts");
    bad = ok;
    bad.symbol = 4;
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].symbol is 4, but must be < 4, the number of symbols");
    bad = ok;
    bad.side = position_side::long_leg;
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].side is long, but must be both (its account is one-way)");
    bad = ok;
    bad.mode = static_cast<margin_mode>(9);
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].mode is 9, but must be cross (0) or isolated (1)");
    bad = ok;
    bad.side = static_cast<position_side>(5);
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].side is 5, but must be both (0), long_leg (1) or short_leg (2)");
    bad = ok;
    bad.entry_price = 0;
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].entry_price is 0, but must be finite and > 0");
    bad = ok;
    bad.isolated_margin = 5;
    refuse({{.wallet_balance = 1000}}, {bad}, "book: positions[0].isolated_margin is 5, but must be 0 (a cross leg)");
    // A second `both` leg on ETHUSDT in account 0 (which already holds one).
    bad = ok;
    bad.account = 0;
    refuse({}, {bad}, "book: positions[0].symbol is 1, but must be a symbol without a both leg in account 0");
    // A coin-margined leg in the cross pool of a USDT account.
    bad = ok;
    bad.account = 0;
    bad.symbol = 2;
    refuse({}, {bad},
           "book: positions[0].symbol is 2, but must be a contract margined in the currency of the account's other "
           "cross legs (symbol 0), or an isolated leg");
    // A leverage the symbol's model refuses (ETHUSDT tiers: leverage in [1, max]) is refused at
    // the door, by the model's own rule and message, not later by the calculator.
    bad = ok;
    bad.leverage = 0.5;
    refuse({{.wallet_balance = 1000}}, {ok, bad},
           "book: positions[1].leverage is 0.5, but must be accepted by models[1] at the entry size "
           "(tier_schedule::initial_margin: leverage is 0.5, but must be in [1, 100], the max_leverage of tier 1 at "
           "notional 1500)");
}

TEST_CASE("book: the first bad row is named, whichever check finds it", "[margin][book]") {
    book_t b = make_book(accounts, positions);
    const position_row<double> ok{.account = 4, .symbol = 1, .quantity = 1, .entry_price = 1500, .leverage = 10};
    auto nan_leverage = ok;
    nan_leverage.symbol = 0;
    nan_leverage.leverage = std::numeric_limits<double>::quiet_NaN();
    auto repeat_stored = ok;  // account 0 already holds a `both` ETHUSDT leg
    repeat_stored.account = 0;
    // A repeated leg (row 1) before a row that is bad on its own (row 2), and the other way round.
    CHECK_THROWS_MATCHES(b.append({{{.wallet_balance = 1000}}}, {{ok, repeat_stored, nan_leverage}}), invalid_argument,
                         Message("book: positions[1].symbol is 1, but must be a symbol without a both leg in account 0"));
    CHECK_THROWS_MATCHES(b.append({{{.wallet_balance = 1000}}}, {{ok, nan_leverage, repeat_stored}}), invalid_argument,
                         Message("book: positions[1].leverage is nan, but must be finite and > 0"));
    // Two repeats: the lower row is named, though its account sorts after the other's.
    auto btc = ok;
    btc.symbol = 0;
    btc.entry_price = 20000;
    CHECK_THROWS_MATCHES(b.append({{{.wallet_balance = 1000}}}, {{btc, ok, btc, repeat_stored}}), invalid_argument,
                         Message("book: positions[2].symbol is 0, but must be a symbol without a both leg in account 4"));
    // A repeat after a currency clash: the clash (row 1, coin-margined in a USDT pool) is named.
    auto inverse = ok;
    inverse.symbol = 2;
    inverse.entry_price = 20000;
    CHECK_THROWS_MATCHES(b.append({{{.wallet_balance = 1000}}}, {{ok, inverse, ok}}), invalid_argument,
                         Message("book: positions[1].symbol is 2, but must be a contract margined in the currency of the "
                                 "account's other cross legs (symbol 1), or an isolated leg"));
    // The account's first cross leg sets the currency, even when it sorts after the others by symbol.
    CHECK_THROWS_MATCHES(b.append({{{.wallet_balance = 1000}}}, {{inverse, ok, btc}}), invalid_argument,
                         Message("book: positions[1].symbol is 1, but must be a contract margined in the currency of the "
                                 "account's other cross legs (symbol 2), or an isolated leg"));
    CHECK(b.accounts() == 4);
    CHECK(b.positions() == positions.size());
}

TEST_CASE("book: append equals building everything at once; wallets update their cross pool", "[margin][book]") {
    const book_t whole = make_book(accounts, positions);
    // The first two accounts and their legs, then the rest (one new leg on an old account).
    std::vector<position_row<double>> first, rest;
    for (const auto& p : positions) (p.account < 2 && p.symbol != 1 ? first : rest).push_back(p);
    book_t b = make_book(std::span(accounts).first(2), first);
    b.append(std::span(accounts).subspan(2), rest);
    REQUIRE(b.pools() == whole.pools());
    for (std::size_t j = 0; j < whole.positions(); ++j) {
        CHECK(b.position(j).account == whole.position(j).account);
        CHECK(b.position(j).symbol == whole.position(j).symbol);
        CHECK(b.position(j).quantity == whole.position(j).quantity);
    }
    b.set_wallet_balance(0, 20000);
    CHECK(b.wallet_balance(0) == 20000);
    CHECK(b.columns().collateral()[0] == 20000);
    CHECK(b.make_account(0).wallet_balance() == 20000);
    CHECK_THROWS_MATCHES(b.set_wallet_balance(0, -1), invalid_argument,
                         Message("book::set_wallet_balance: wallet is -1, but must be finite and >= 0"));
}

TEST_CASE("book: construction checks its instruments", "[margin][book]") {
    CHECK_THROWS_MATCHES(book_t({linear_contract<double>{}}, {}), invalid_argument,
                         Message("book: the number of models is 0, but must be 1, the number of contracts"));
    CHECK_THROWS_MATCHES(book_t({}, {}), invalid_argument, Message("book: the number of contracts is 0, but must be > 0"));
}

TEST_CASE("book: a schedule beyond the batch table's 16 tiers is named when the book is re-marked", "[margin][book]") {
    // 17 tiers of 10,000 each, rates rising by 0.1 % (the schedule derives the maintenance amounts).
    std::vector<bracket<double>> tiers;
    for (int t = 0; t < 17; ++t) tiers.push_back({10000.0 * t, 10000.0 * (t + 1), 100.0 - 5.0 * t, 0.004 + 0.001 * t});
    const book<linear_contract<double>, schedule> b({linear_contract<double>{}}, {schedule(tiers)});
    const std::vector<double> one_mark{100.0};
    CHECK_THROWS_MATCHES(remark(b, std::span<const double>(one_mark)), invalid_argument,
                         Message("book::batch_models: the number of tiers of models[0] is 17, but must be <= 16 for the "
                                 "batch re-mark (bracket_table)"));
}
