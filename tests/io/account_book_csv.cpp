// Tests of include/margincall/io/account_book_csv.hpp: strict CSV account books.
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/io/account_book_csv.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <limits>
#include <span>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
const std::string corpus = std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/../io/corpus/";
const std::string header = "account,wallet_balance,symbol,side,quantity,entry_price,leverage,margin_mode,isolated_margin\n";
}  // namespace

TEST_CASE("account book: rows grouped by account, symbols indexed in order", "[io]") {
    const auto book = load_account_book<double>(corpus + "book.csv");
    REQUIRE(book.symbols == std::vector<std::string>{"BTCUSDT", "ETHUSDT"});
    REQUIRE(book.accounts.size() == 3);
    const auto& alice = book.accounts[0];
    CHECK(alice.id == "alice");
    CHECK(alice.wallet_balance == 10000);
    REQUIRE(alice.positions.size() == 2);
    CHECK(alice.positions[1].symbol == 1);
    CHECK(alice.positions[1].quantity == -20);
    CHECK(alice.positions[1].line == 4);
    const auto& bob = book.accounts[1];
    CHECK(bob.positions[0].mode == margin_mode::isolated);
    CHECK(bob.positions[0].isolated_margin == 1800);
    const auto& carol = book.accounts[2];
    CHECK(carol.positions[0].side == position_side::long_leg);
    CHECK(carol.positions[1].side == position_side::short_leg);
    // Column order is free, side optional, CRLF and '+' accepted.
    const auto b = parse_account_book<float>(
        "symbol,account,quantity,entry_price,leverage,margin_mode,isolated_margin,wallet_balance\r\nBTC,a,+1,100,5,cross,0,50\r\n");
    REQUIRE(b.accounts.size() == 1);
    CHECK(b.accounts[0].positions[0].side == position_side::both);
    CHECK(b.accounts[0].wallet_balance == 50.0f);
}

TEST_CASE("account book errors name the source, the line and the field", "[io][errors]") {
    using M = margincall::invalid_argument;
    REQUIRE_THROWS_MATCHES(parse_account_book<double>("", "b.csv"), M,
                           Message("parse_account_book(b.csv): the header is missing, but must be the first non-comment line"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header, "b.csv"), M,
                           Message("parse_account_book(b.csv): the number of rows is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>("account,wallet,symbol\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 1, header field 2 is \"wallet\", but must be a column name "
                                   "(account, wallet_balance, symbol, side, quantity, entry_price, leverage, margin_mode, isolated_margin)"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>("account,account\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 1, header field 2 is \"account\", but must be a column not named before"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>("account,wallet_balance,symbol,quantity,entry_price,leverage,margin_mode\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 1, column isolated_margin is missing, but must be present in the header"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,cross\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, the number of fields is 8, but must be 9 (the header's)"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "# c\n\na,1,BTC,both,1x,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 4, field quantity is \"1x\", but must be a number"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,nan,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field quantity is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1e999,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field quantity is \"1e999\", but must be a number"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,up,1,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field side is \"up\", but must be both, long or short"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,long,-1,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field quantity is -1, but must be >= 0 on a long leg"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,0,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field entry_price is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,-5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field leverage is -5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,portfolio,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field margin_mode is \"portfolio\", but must be cross or isolated"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,cross,3\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field isolated_margin is 3, but must be 0 on a cross position"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,-1,BTC,both,1,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field wallet_balance is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + ",1,BTC,both,1,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field account is empty, but must be an account id"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,cross,0\na,2,ETH,both,1,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 3, field wallet_balance is 2, but must be 1, the wallet of account \"a\" on line 2"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,cross,0\na,1,BTC,both,2,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 3, field symbol is \"BTC\", but must be a symbol without a both leg in account \"a\" (one on line 2)"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "\"a\",1,BTC,both,1,100,5,cross,0\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2 is quoted, but must be unquoted (the format has no quoting)"));
    REQUIRE_THROWS_MATCHES(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,cross," + std::string(100, 'x') + "\n", "b.csv"), M,
                           Message("parse_account_book(b.csv): line 2, field isolated_margin is \"" + std::string(40, 'x') +
                                   "...\", but must be a number"));
    REQUIRE_THROWS_MATCHES(load_account_book<double>(corpus + "nope.csv"), M,
                           Message("load_account_book: the file is " + corpus + "nope.csv, but must be a readable file"));
}

TEST_CASE("account book: loaded rows build the host's book (figures derived by hand)", "[io][book]") {
    const auto loaded = load_account_book<double>(corpus + "book.csv");
    const auto rows = to_book_rows(loaded);
    REQUIRE(rows.accounts.size() == 3);
    CHECK(rows.accounts[2].mode == position_mode::hedge);  // carol holds long and short legs
    CHECK(rows.accounts[0].mode == position_mode::one_way);
    // Binance BTCUSDT / ETHUSDT brackets 1–2 (docs/tiers.md), in the loaded symbol order.
    using schedule = tier_schedule<double>;
    const schedule btc({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}});
    const schedule eth({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0}});
    const book<linear_contract<double>, schedule> b({linear_contract<double>{}, linear_contract<double>{}}, {btc, eth}, rows);
    REQUIRE(b.pools() == 3);  // alice cross, bob isolated (no cross legs), carol cross
    const std::vector<double> marks{19000, 1600};
    std::vector<double> equity(3), mm(3);
    (void)remark(b, std::span<const double>(marks), {.equity = equity, .maintenance_margin = mm});
    // alice: 10,000 + 1.5·(19,000 − 20,000) − 20·(1,600 − 1,500) = 6,500; MM 28,500·0.4 % +
    // (32,000·0.65 % − 15) = 114 + 193 = 307.
    CHECK_THAT(equity[0], WithinAbs(6500, 1e-9));
    CHECK_THAT(mm[0], WithinAbs(307, 1e-9));
    // bob, isolated: 1,800 + 2·(19,000 − 21,000) = −2,200; MM 38,000·0.4 % = 152.
    CHECK_THAT(equity[1], WithinAbs(-2200, 1e-9));
    CHECK_THAT(mm[1], WithinAbs(152, 1e-9));
    // carol, hedge: 5,000 + 3·(−1,000) − 1·(−2,000) = 4,000; MM 57,000 → tier 2: 285 − 50 = 235,
    // plus 19,000·0.4 % = 76: 311.
    CHECK_THAT(equity[2], WithinAbs(4000, 1e-9));
    CHECK_THAT(mm[2], WithinAbs(311, 1e-9));
}

TEST_CASE("account book: a UTF-8 byte-order mark before the header is accepted", "[io]") {
    // Spreadsheets save "CSV UTF-8" with EF BB BF first; the header must still be recognised.
    const auto loaded = parse_account_book<double>("\xEF\xBB\xBF" + header + "a,1,BTC,both,1,100,5,cross,0\n", "bom.csv");
    REQUIRE(loaded.accounts.size() == 1);
    CHECK(loaded.accounts[0].id == "a");
    CHECK(loaded.accounts[0].positions[0].quantity == 1.0);
    // Only at the start: the same bytes inside a header field are still an unknown column.
    REQUIRE_THROWS_WITH(parse_account_book<double>("account,\xEF\xBB\xBFwallet_balance\n", "b.csv"),
                        Contains("header field 2"));
}

TEST_CASE("account book: rows are checked against the host's models at load (the kernel's own rules)", "[io][errors]") {
    using M = margincall::invalid_argument;
    using schedule = tier_schedule<double>;
    // Binance BTCUSDT brackets 1–2 (docs/tiers.md), open-ended above so large notionals are valued.
    const std::vector<schedule> models{schedule({{0, 50000, 125, 0.004, 0.0},
                                                 {50000, std::numeric_limits<double>::infinity(), 100, 0.005, 50.0}})};
    const std::vector<linear_contract<double>> contracts{linear_contract<double>{}};
    const std::span<const linear_contract<double>> c(contracts);
    const std::span<const schedule> m(models);
    // A sound book passes: 1 BTC at 20,000, 20x.
    CHECK_NOTHROW(check_account_book(parse_account_book<double>(header + "a,1000,BTC,both,1,20000,20,cross,0\n"), c, m, "ok.csv"));
    // Leverage 0.001: the parse takes it (> 0); the schedule's initial_margin refuses it.
    REQUIRE_THROWS_MATCHES(
        check_account_book(parse_account_book<double>(header + "a,1000,BTC,both,1,20000,0.001,cross,0\n"), c, m, "b.csv"), M,
        Message("check_account_book(b.csv): line 2 (symbol BTC): tier_schedule::initial_margin: leverage is 0.001, but must be "
                "in [1, 125], the max_leverage of tier 1 at notional 20000"));
    // Quantity 1e308 at 20,000: notional 2e312 overflows to inf; the model refuses the notional.
    REQUIRE_THROWS_WITH(
        check_account_book(parse_account_book<double>(header + "a,1000,BTC,both,1e308,20000,20,cross,0\n"), c, m, "b.csv"),
        StartsWith("check_account_book(b.csv): line 2 (symbol BTC): ") && Contains("notional is inf, but must be finite and >= 0"));
    // Fewer models than symbols.
    REQUIRE_THROWS_MATCHES(check_account_book(parse_account_book<double>(header + "a,1,BTC,both,1,100,5,cross,0\n"
                                                                                  "a,1,ETH,both,1,100,5,cross,0\n"),
                                              c, m, "b.csv"),
                           M, Message("check_account_book(b.csv): the number of contracts is 1, but must be >= 2, the number of symbols"));
    // The loader with models: book.csv (BTCUSDT, ETHUSDT) under two such schedules loads.
    const std::vector<schedule> two{models[0], models[0]};
    const std::vector<linear_contract<double>> two_c{linear_contract<double>{}, linear_contract<double>{}};
    CHECK(load_account_book<double>(corpus + "book.csv", std::span<const linear_contract<double>>(two_c),
                                    std::span<const schedule>(two))
              .accounts.size() == 3);
}
