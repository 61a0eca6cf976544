// Tests of include/margincall/margin/remark.hpp: the batch re-mark.
#include <margincall/margin/account.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/remark.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
using linear = linear_contract<double>;
tier_schedule<double> binance_btcusdt() {  // brackets 1–3, docs/margin.md
    return tier_schedule<double>({{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}, {250000, 3000000, 50, 0.01, 1300.0}});
}
tier_schedule<double> binance_ethusdt() {  // 2021 brackets 1–3 (MMR, cum from the cited gist)
    return tier_schedule<double>({{0, 10000, 100, 0.005, 0.0}, {10000, 100000, 75, 0.0065, 15.0}, {100000, 500000, 50, 0.01, 365.0}});
}
static_assert(batch_margin_model<bracket_table<double>, double>);
static_assert(!batch_margin_model<tier_schedule<double>, double>);  // its initial_margin may throw
}  // namespace

TEST_CASE("re-mark of a small book: the account test's figures, pool by pool (hand-derived)", "[margin]") {
    const auto btc_s = binance_btcusdt();
    const auto eth_s = binance_ethusdt();
    const std::vector<bracket_table<double>> models{bracket_table<double>(btc_s), bracket_table<double>(eth_s)};
    const std::vector<linear> contracts{linear{}, linear{}};
    position_book<double> book;
    book.add_pool(10000.0);  // cross: long 1 BTC @ 20,000 at 20x, short 5 ETH @ 1,500 at 10x
    book.add_position(0, 1.0, 20000.0, 20);
    book.add_position(1, -5.0, 1500.0, 10);
    book.add_pool(400.0);  // isolated: Bybit example 1, long 1 BTC @ 20,000 at 50x, margin 400
    book.add_position(0, 1.0, 20000.0, 50);
    book.add_pool(50.0);  // an empty cross account
    CHECK(book.pools() == 3);
    CHECK(book.positions() == 3);
    CHECK(book.symbols() == 2);
    CHECK(!book.single_position_pools());  // the general (CSR) pass
    const std::vector<double> marks{19000.0, 1600.0};
    std::vector<double> equity(3), im(3), mm(3), call(3);
    std::vector<margin_status> status(3);
    const auto totals = remark<linear, bracket_table<double>, double>(book, contracts, models, marks, {},
                                                                    {equity, im, mm, call, status});
    // pool 0: equity 10,000 − 1,000 − 500 = 8,500, IM 950 + 800, MM 76 + 40 (account test)
    CHECK(equity[0] == 8500);
    CHECK(im[0] == 1750);
    CHECK(mm[0] == 116);
    CHECK(status[0] == margin_status::healthy);
    // pool 1: equity 400 − 1,000 = −600 → liquidation; IM 19,000/50 = 380; call 980
    CHECK(equity[1] == -600);
    CHECK(status[1] == margin_status::liquidation);
    CHECK(call[1] == 980);
    CHECK(mm[1] == 19000 * 0.004);
    // pool 2: no positions
    CHECK(equity[2] == 50);
    CHECK(status[2] == margin_status::healthy);
    CHECK(totals[margin_status::healthy] == 2);
    CHECK(totals[margin_status::liquidation] == 1);
    CHECK(totals.call_amount == 980);
    CHECK(totals.equity == 8500 - 600 + 50);
}

TEST_CASE("batch re-mark equals live account evaluation (property)", "[margin][property]") {
    // The same accounts as `account` objects (tier_schedule, position::figures) and as a book
    // (bracket_table, remark): every pool's figures must agree exactly.
    const auto btc_s = binance_btcusdt();
    const auto eth_s = binance_ethusdt();
    const std::vector<bracket_table<double>> models{bracket_table<double>(btc_s), bracket_table<double>(eth_s)};
    const std::vector<linear> contracts{linear{}, linear{}};
    std::mt19937_64 gen(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<account<linear, tier_schedule<double>>> accounts;
    position_book<double> book;
    std::vector<std::size_t> first_pool;  // each account: its cross pool, then its isolated legs
    for (int i = 0; i < 2000; ++i) {
        accounts.emplace_back(100.0 + 20000.0 * u(gen));
        auto& a = accounts.back();
        const double qb = (u(gen) - 0.5) * 4, qe = (u(gen) - 0.5) * 60;
        const bool eth_isolated = u(gen) < 0.3;
        a.add_position({btc_s,
                        {.symbol = 0,
                         .leverage = 1 + std::floor(u(gen) * 40),
                         .quantity = qb,
                         .entry_price = 18000 + 4000 * u(gen)}});
        const double iso = eth_isolated ? 50 + 1000 * u(gen) : 0.0;
        a.add_position({eth_s,
                        {.symbol = 1,
                         .leverage = 1 + std::floor(u(gen) * 40),
                         .mode = eth_isolated ? margin_mode::isolated : margin_mode::cross,
                         .quantity = qe,
                         .entry_price = 1300 + 400 * u(gen),
                         .isolated_margin = iso}});
        first_pool.push_back(book.add_pool(a.wallet_balance()));
        const auto& p = a.positions();
        book.add_position(0, p[0].quantity(), p[0].entry_price(), p[0].leverage());
        if (!eth_isolated) book.add_position(1, p[1].quantity(), p[1].entry_price(), p[1].leverage());
        if (eth_isolated) {
            book.add_pool(iso);
            book.add_position(1, p[1].quantity(), p[1].entry_price(), p[1].leverage());
        }
    }
    std::vector<double> eq(book.pools()), im(book.pools()), mm(book.pools()), call(book.pools());
    std::vector<margin_status> st(book.pools());
    for (const double move : {1.0, 0.9, 0.8, 1.1, 1.3}) {
        const std::vector<double> marks{20000.0 * move, 1500.0 * move};
        remark<linear, bracket_table<double>, double>(book, contracts, models, marks, {}, {eq, im, mm, call, st});
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            const auto e = accounts[i].evaluate(marks);
            const std::size_t k = first_pool[i];
            CHECK(eq[k] == e.cross.equity);
            CHECK(im[k] == e.cross.initial_margin);
            CHECK(mm[k] == e.cross.maintenance_margin);
            CHECK(call[k] == e.cross.call_amount);
            CHECK(st[k] == e.cross.status);
            if (accounts[i].positions()[1].mode() == margin_mode::isolated) {
                CHECK(eq[k + 1] == e.pools[1].equity);
                CHECK(mm[k + 1] == e.pools[1].maintenance_margin);
                CHECK(im[k + 1] == e.pools[1].initial_margin);
                CHECK(st[k + 1] == e.pools[1].status);
            }
        }
    }
}

namespace {
// The same brackets, but not a bracket_table: remark takes its generic pass for it.
struct generic_brackets : bracket_table<double> {
    using bracket_table<double>::bracket_table;
};
static_assert(batch_margin_model<generic_brackets, double>);

// An isolated book (one position per pool) of `n` positions on three symbols — BTC and ETH
// with notional brackets, and a third whose brackets count contracts (Deribit-style quantity
// basis) and whose contract has a multiplier — laid out in runs of `run` positions per symbol
// (run = 1: symbols alternate, every block of the fast pass mixes them).
position_book<double> isolated_book(std::size_t n, std::size_t run, std::uint64_t seed) {
    position_book<double> book;
    book.reserve(n, n);
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double prices[3]{20000.0, 1500.0, 40.0};
    for (std::size_t i = 0; i < n; ++i) {
        const auto s = static_cast<std::uint32_t>((i / run) % 3);
        const double lev = 1.0 + std::floor(u(gen) * 120.0);
        const double notional = 10.0 * std::exp(u(gen) * 12.0);  // 10 .. 1.6e6, all tiers
        const double q = (u(gen) < 0.5 ? 1.0 : -1.0) * notional / prices[s];
        book.add_pool(notional / lev * (0.2 + 1.2 * u(gen)));
        book.add_position(s, i % 97 == 0 ? 0.0 : q, prices[s] * (0.9 + 0.2 * u(gen)), lev);
    }
    return book;
}
}  // namespace

TEST_CASE("isolated books: the vectorised pass gives the generic pass's figures, pool by pool (property)",
          "[margin][property]") {
    // Third symbol: quantity-basis brackets (contracts; such brackets carry no maintenance amount).
    const tier_schedule<double> contracts_basis({{0, 1000, 50, 0.01, 0.0}, {1000, 5000, 20, 0.02, 0.0}, {5000, 1e9, 10, 0.05, 0.0}},
                                                tier_basis::quantity);
    const std::vector<bracket_table<double>> fast{bracket_table<double>(binance_btcusdt()),
                                                  bracket_table<double>(binance_ethusdt()),
                                                  bracket_table<double>(contracts_basis)};
    const std::vector<generic_brackets> slow{generic_brackets(binance_btcusdt()), generic_brackets(binance_ethusdt()),
                                             generic_brackets(contracts_basis)};
    const std::vector<linear> contracts{linear{}, linear{}, linear{0.1}};
    // Sizes around the 256-position block: one short block, exact blocks, a ragged tail; runs
    // of one symbol longer than a block (one-symbol blocks) and of 1 (mixed blocks).
    for (const std::size_t n : {std::size_t{1}, std::size_t{255}, std::size_t{512}, std::size_t{3001}}) {
        for (const std::size_t run : {std::size_t{1}, std::size_t{7}, std::size_t{700}}) {
            const auto book = isolated_book(n, run, 11 + n + run);
            REQUIRE(book.single_position_pools());
            std::vector<double> e1(n), i1(n), m1(n), c1(n), e2(n), i2(n), m2(n), c2(n);
            std::vector<margin_status> s1(n), s2(n);
            for (const bool below : {false, true}) {
                const status_thresholds<double> t{0.4, 0.7, below};
                for (const double move : {1.0, 0.93, 1.08}) {
                    const std::vector<double> marks{20000.0 * move, 1500.0 * move, 40.0 * move};
                    const auto a = remark<linear, bracket_table<double>, double>(book, contracts, fast, marks, t,
                                                                                 {e1, i1, m1, c1, s1});
                    const auto b = remark<linear, generic_brackets, double>(book, contracts, slow, marks, t,
                                                                            {e2, i2, m2, c2, s2});
                    CHECK(e1 == e2);
                    CHECK(i1 == i2);
                    CHECK(m1 == m2);
                    CHECK(c1 == c2);
                    CHECK(s1 == s2);
                    CHECK(a.count == b.count);
                    // Totals: the fast pass sums in 8 lanes, the generic pass in order.
                    CHECK_THAT(a.equity, Catch::Matchers::WithinRel(b.equity, 1e-12));
                    CHECK_THAT(a.initial_margin, Catch::Matchers::WithinRel(b.initial_margin, 1e-12));
                    CHECK_THAT(a.maintenance_margin, Catch::Matchers::WithinRel(b.maintenance_margin, 1e-12));
                    CHECK_THAT(a.call_amount, Catch::Matchers::WithinRel(b.call_amount, 1e-12));
                    CHECK_THAT(a.called_amount, Catch::Matchers::WithinRel(b.called_amount, 1e-12));
                    CHECK(a.called_amount <= a.call_amount);
                    // and without outputs, the same totals
                    const auto a0 = remark<linear, bracket_table<double>, double>(book, contracts, fast, marks, t);
                    CHECK(a0.count == a.count);
                    CHECK(a0.equity == a.equity);
                }
            }
        }
    }
}

TEST_CASE("the vectorised pass agrees with live isolated accounts (hand-derived tier crossings)", "[margin]") {
    // Long 1 BTC @ 20,000 at 20x, isolated margin 1,000; marks put the notional in tiers 1, 2, 3
    // of binance_btcusdt: 49,999 → tier 1 (MMR 0.4 %), 50,000 → tier 2 (0.5 %, cum 50),
    // 250,000 → tier 3 (1 %, cum 1,300). MM = notional × MMR − cum; IM = notional / 20.
    const std::vector<bracket_table<double>> models{bracket_table<double>(binance_btcusdt())};
    const std::vector<linear> contracts{linear{}};
    position_book<double> book;
    for (int i = 0; i < 3; ++i) {
        book.add_pool(1000.0);
        book.add_position(0, 1.0, 20000.0, 20);
    }
    std::vector<double> eq(3), im(3), mm(3), call(3);
    std::vector<margin_status> st(3);
    const struct {
        double mark, mm, im;
    } cases[]{{49999.0, 49999.0 * 0.004, 49999.0 / 20}, {50000.0, 50000.0 * 0.005 - 50.0, 50000.0 / 20},
              {250000.0, 250000.0 * 0.01 - 1300.0, 250000.0 / 20}};
    for (const auto& c : cases) {
        const std::vector<double> marks{c.mark};
        remark<linear, bracket_table<double>, double>(book, contracts, models, marks, {}, {eq, im, mm, call, st});
        for (std::size_t k = 0; k < 3; ++k) {
            CHECK(eq[k] == 1000.0 + (c.mark - 20000.0));
            CHECK(mm[k] == c.mm);
            CHECK(im[k] == c.im);
        }
    }
}

TEST_CASE("re-mark without outputs still counts statuses", "[margin]") {
    const auto s = binance_btcusdt();
    const std::vector<bracket_table<double>> models{bracket_table<double>(s)};
    const std::vector<linear> contracts{linear{}};
    position_book<double> book;
    book.reserve(4, 4);
    for (double c : {1000.0, 500.0, 150.0, 50.0}) {  // long 1 @ 20,000 at 20x; mark 19,100: uPnL −900
        book.add_pool(c);
        book.add_position(0, 1.0, 20000.0, 20);
    }
    CHECK(book.single_position_pools());  // the flat pass
    // MM = 19,100 × 0.4 % = 76.4. equity: 100 (r 0.764 warning), −400, −750, −850 (liquidation)
    const std::vector<double> marks{19100.0};
    const auto t = remark<linear, bracket_table<double>, double>(book, contracts, models, marks, {});
    CHECK(t[margin_status::warning] == 1);
    CHECK(t[margin_status::liquidation] == 3);
    CHECK(t[margin_status::healthy] == 0);
    // IM = 19,100 / 20 = 955. Call amounts 955 − equity: 855 (the warning pool, not demanded),
    // 1,355, 1,705, 1,805 (liquidation). Total 5,720; demanded (margin call or liquidation) 4,865.
    CHECK(t.call_amount == 5720.0);
    CHECK(t.called_amount == 4865.0);
    // the same pools through the general pass (an empty pool appended) count the same
    position_book<double> general = book;
    general.add_pool(1e6);
    CHECK(!general.single_position_pools());
    const auto g = remark<linear, bracket_table<double>, double>(general, contracts, models, marks, {});
    CHECK(g[margin_status::warning] == 1);
    CHECK(g[margin_status::liquidation] == 3);
    CHECK(g[margin_status::healthy] == 1);
    CHECK(g.equity == t.equity + 1e6);
    CHECK(g.call_amount == 5720.0);
    CHECK(g.called_amount == 4865.0);
}

TEST_CASE("book and re-mark inputs are validated", "[margin][errors]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    position_book<double> book;
    REQUIRE_THROWS_MATCHES(book.add_position(0, 1.0, 1.0, 1.0), invalid_argument,
                           Message("position_book::add_position: the number of pools is 0, but must be > 0 (call add_pool first)"));
    REQUIRE_THROWS_MATCHES(book.add_pool(nan), invalid_argument,
                           Message("position_book::add_pool: collateral is nan, but must be finite"));
    book.add_pool(100.0);
    REQUIRE_THROWS_MATCHES(book.add_position(0, nan, 1.0, 1.0), invalid_argument,
                           Message("position_book::add_position: quantity is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES(book.add_position(0, 1.0, 0.0, 1.0), invalid_argument,
                           Message("position_book::add_position: entry_price is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(book.add_position(0, 1.0, 10.0, -2.0), invalid_argument,
                           Message("position_book::add_position: leverage is -2, but must be finite and > 0"));
    book.add_position(1, 1.0, 20000.0, 10.0);

    const auto s = binance_btcusdt();
    const std::vector<bracket_table<double>> one_model{bracket_table<double>(s)};
    const std::vector<bracket_table<double>> models{bracket_table<double>(s), bracket_table<double>(s)};
    const std::vector<linear> one_contract{linear{}};
    const std::vector<linear> contracts{linear{}, linear{}};
    const std::vector<double> one_mark{20000.0};
    const std::vector<double> marks{20000.0, 20000.0};
    const std::vector<double> bad_marks{20000.0, -1.0};
    using lin = linear;
    using bt = bracket_table<double>;
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, one_contract, one_model, one_mark, {})), invalid_argument,
                           Message("remark: the size of marks is 1, but must be >= 2 (one mark per symbol)"));
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, one_contract, models, marks, {})), invalid_argument,
                           Message("remark: the size of contracts is 1, but must be 2, the size of marks"));
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, contracts, one_model, marks, {})), invalid_argument,
                           Message("remark: the size of models is 1, but must be 2, the size of marks"));
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, contracts, models, bad_marks, {})), invalid_argument,
                           Message("remark: marks[1] is -1, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, contracts, models, marks, {0.9, 0.5, false})),
                           invalid_argument, Message("remark: call_ratio is 0.5, but must be in [0.9, 1]"));
    std::vector<double> wrong(3);
    std::vector<margin_status> wrong_status(2);
    remark_output<double> out;
    out.equity = wrong;
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, contracts, models, marks, {}, out)), invalid_argument,
                           Message("remark: the size of equity is 3, but must be 0 or 1 (one per pool)"));
    out = {};
    out.status = wrong_status;
    REQUIRE_THROWS_MATCHES((remark<lin, bt, double>(book, contracts, models, marks, {}, out)), invalid_argument,
                           Message("remark: the size of status is 2, but must be 0 or 1 (one per pool)"));
}
