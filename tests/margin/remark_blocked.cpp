// Tests of include/margincall/margin/remark_blocked.hpp: the vectorised passes give the generic
// pass's figures (the per-row kernel's), pool by pool and bit for bit, for isolated books and
// books with cross pools of any size, on linear, inverse, quanto and any_contract books.
#include <margincall/contracts/any_contract.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

// The same brackets, but not a bracket_table: remark takes its generic pass (the kernel) for it.
struct generic_brackets : bracket_table<double> {
    using bracket_table<double>::bracket_table;
};

// Binance BTCUSDT brackets 1–3 (tests/reference/binance_btcusdt_brackets.csv).
tier_schedule<double> usdt_brackets() {
    return tier_schedule<double>(
        {{0, 50000, 125, 0.004, 0.0}, {50000, 250000, 100, 0.005, 50.0}, {250000, 3000000, 50, 0.01, 1300.0}});
}
// Coin-margined brackets in BTC: 0–5 125x 0.4 %, 5–10 100x 0.5 % (cum 0.005), 10–50 50x 1 % (cum 0.055).
tier_schedule<double> coin_brackets() {
    return tier_schedule<double>({{0, 5, 125, 0.004, 0.0}, {5, 10, 100, 0.005, 0.005}, {10, 50, 50, 0.01, 0.055}});
}
// Quantity-basis brackets (contracts), Deribit-style.
tier_schedule<double> quantity_brackets() {
    return tier_schedule<double>({{0, 1000, 50, 0.01, 0.0}, {1000, 5000, 20, 0.02, 0.0}, {5000, 1e9, 10, 0.05, 0.0}},
                                 tier_basis::quantity);
}

// A book of `pools` pools on three symbols; pool sizes drawn from `sizes` (0 = an empty cross
// pool); every 13th leg flat with entry 0 (an inverse PnL there would be 0·∞).
position_book<double> pooled_book(std::size_t pools, const std::vector<std::size_t>& sizes, std::uint64_t seed,
                                  const double (&prices)[3]) {
    position_book<double> book;
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t leg = 0;
    for (std::size_t k = 0; k < pools; ++k) {
        const std::size_t n = sizes[k % sizes.size()];
        const double wallet = 50.0 * std::exp(u(gen) * 8.0);
        book.add_pool(wallet);
        for (std::size_t i = 0; i < n; ++i, ++leg) {
            const auto s = static_cast<std::uint32_t>((k + i) % 3);
            const double lev = 1.0 + std::floor(u(gen) * 100.0);
            const double size = std::exp(u(gen) * 8.0) * (s == 1 ? 10.0 : 0.01);
            const double q = (u(gen) < 0.5 ? 1.0 : -1.0) * size;
            const bool flat = leg % 13 == 0;
            book.add_position(s, flat ? 0.0 : q, flat ? 0.0 : prices[s] * (0.9 + 0.2 * u(gen)), lev);
        }
    }
    return book;
}

template <class Contract>
void check_blocked_equals_generic(const position_book<double>& book, const std::vector<Contract>& contracts,
                                  const std::vector<tier_schedule<double>>& schedules, const double (&prices)[3]) {
    std::vector<bracket_table<double>> fast;
    std::vector<generic_brackets> slow;
    for (const auto& s : schedules) {
        fast.emplace_back(s);
        slow.emplace_back(s);
    }
    const std::size_t n = book.pools();
    std::vector<double> e1(n), i1(n), m1(n), c1(n), e2(n), i2(n), m2(n), c2(n);
    std::vector<margin_status> s1(n), s2(n);
    for (const bool below : {false, true}) {
        const status_thresholds<double> t{0.4, 0.7, below};
        for (const double move : {1.0, 0.9, 1.12}) {
            const std::vector<double> marks{prices[0] * move, prices[1] * move, prices[2] * move};
            const auto a = remark<Contract, bracket_table<double>, double>(book, contracts, fast, marks, t, {e1, i1, m1, c1, s1});
            const auto b = remark<Contract, generic_brackets, double>(book, contracts, slow, marks, t, {e2, i2, m2, c2, s2});
            CHECK(e1 == e2);
            CHECK(i1 == i2);
            CHECK(m1 == m2);
            CHECK(c1 == c2);
            CHECK(s1 == s2);
            CHECK(a.count == b.count);
            for (const double x : e1) REQUIRE(std::isfinite(x));
            // Totals: the vectorised passes sum in 8 lanes, the generic pass in order.
            CHECK_THAT(a.equity, WithinRel(b.equity, 1e-12));
            CHECK_THAT(a.initial_margin, WithinRel(b.initial_margin, 1e-12));
            CHECK_THAT(a.maintenance_margin, WithinRel(b.maintenance_margin, 1e-12));
            CHECK_THAT(a.call_amount, WithinRel(b.call_amount, 1e-12));
        }
    }
}

}  // namespace

TEST_CASE("blocked re-mark: cross pools of every size equal the generic pass (linear, inverse, quanto)",
          "[margin][property]") {
    const double usd[3]{20000.0, 1500.0, 40.0};
    // Sizes: empty pools and pools of up to 4 legs (the leg-by-leg sums), small cross pools
    // with a wider one (the per-pool loop), runs ending exactly at and just past a 256-position
    // block, and pools larger than a block (600: three blocks of one pool).
    const std::vector<std::vector<std::size_t>> shapes{{1, 2, 3, 0, 4}, {1, 2, 3, 0, 5}, {256}, {255, 2}, {257},
                                                       {600, 1, 0}};
    for (std::size_t shape = 0; shape < shapes.size(); ++shape) {
        const auto book = pooled_book(700, shapes[shape], 100 + shape, usd);
        INFO("shape " << shape);
        check_blocked_equals_generic<linear_contract<double>>(
            book, {linear_contract<double>{}, linear_contract<double>{}, linear_contract<double>{0.1}},
            {usdt_brackets(), usdt_brackets(), quantity_brackets()}, usd);
        check_blocked_equals_generic<inverse_contract<double>>(
            book, {inverse_contract<double>{100}, inverse_contract<double>{10}, inverse_contract<double>{1}},
            {coin_brackets(), coin_brackets(), quantity_brackets()}, usd);
        check_blocked_equals_generic<quanto_contract<double>>(
            book, {quanto_contract<double>{0.000001}, quanto_contract<double>{0.0001}, quanto_contract<double>{0.01}},
            {coin_brackets(), coin_brackets(), quantity_brackets()}, usd);
    }
}

TEST_CASE("blocked re-mark: any_contract books mixing linear, inverse and quanto equal the generic pass",
          "[margin][property]") {
    const double usd[3]{20000.0, 20000.0, 1500.0};
    const std::vector<any_contract<double>> contracts{linear_contract<double>{}, inverse_contract<double>{100},
                                                      quanto_contract<double>{0.000001}};
    for (const auto& sizes : std::vector<std::vector<std::size_t>>{{1}, {2, 1, 3}, {300}}) {
        // Isolated (one position a pool, symbols alternating: mixed blocks) and cross shapes.
        const auto book = pooled_book(900, sizes, 7 + sizes.size(), usd);
        check_blocked_equals_generic<any_contract<double>>(book, contracts,
                                                           {usdt_brackets(), coin_brackets(), coin_brackets()}, usd);
    }
    // Runs of one symbol longer than a block: the one-symbol path resolves the contract once.
    position_book<double> by_symbol;
    for (std::uint32_t s = 0; s < 3; ++s) {
        for (int i = 0; i < 300; ++i) {
            by_symbol.add_pool(1000.0);
            by_symbol.add_position(s, i % 2 == 0 ? 0.5 + i : -(0.5 + i), usd[s] * (1.0 + 0.0001 * i), 10.0);
        }
    }
    REQUIRE(by_symbol.single_position_pools());
    check_blocked_equals_generic<any_contract<double>>(by_symbol, contracts,
                                                       {usdt_brackets(), coin_brackets(), coin_brackets()}, usd);
}

TEST_CASE("blocked re-mark: a flat inverse leg at entry 0 adds nothing (hand-derived)", "[margin]") {
    // Pool: wallet 1 BTC; a flat leg (q = 0, E = 0) and a short 1,000 contracts of 100 USD at 25,000.
    // At 20,000: PnL = −1,000·100·(1/25,000 − 1/20,000) = +1 BTC, so equity 2 BTC; notional
    // 1,000·100/20,000 = 5 BTC → tier 2: MM = 5·0.5 % − 0.005 = 0.02, IM = 5/10 = 0.5.
    position_book<double> book;
    book.add_pool(1.0);
    book.add_position(0, 0.0, 0.0, 10.0);
    book.add_position(0, -1000.0, 25000.0, 10.0);
    const std::vector<inverse_contract<double>> contracts{inverse_contract<double>{100}};
    const std::vector<bracket_table<double>> models{bracket_table<double>(coin_brackets())};
    const std::vector<double> marks{20000.0};
    std::vector<double> equity(1), im(1), mm(1);
    (void)remark<inverse_contract<double>, bracket_table<double>, double>(book, contracts, models, marks, {},
                                                                         {.equity = equity, .initial_margin = im,
                                                                          .maintenance_margin = mm});
    CHECK_THAT(equity[0], WithinAbs(2.0, 1e-12));
    CHECK_THAT(mm[0], WithinAbs(0.02, 1e-15));
    CHECK_THAT(im[0], WithinAbs(0.5, 1e-15));
}

TEST_CASE("pooled re-mark: the sign of a zero equity is the kernel's (hand-derived)", "[margin]") {
    // Pool 0: collateral −0 and one short leg marked at its entry: PnL = −1·1·(100 − 100) = −0,
    // so equity = −0 + −0 = −0 in the per-row kernel's order. Pool 1 holds two legs, so the
    // run's widest pool is 2 and pool 0 adds a missing second leg: its slot holds −0, and
    // x + (−0) = x for every x (+0 would turn −0 into +0). Pool 2: collateral −0 and a flat leg
    // (q = +0) marked below its entry, whose PnL the kernel takes as +0 (q·(P − E) would be −0):
    // equity −0 + (+0) = +0.
    position_book<double> book;
    book.add_pool(-0.0);
    book.add_position(0, -1.0, 100.0, 10.0);
    book.add_pool(1000.0);
    book.add_position(0, 1.0, 100.0, 10.0);
    book.add_position(1, -1.0, 100.0, 10.0);
    book.add_pool(-0.0);
    book.add_position(1, 0.0, 110.0, 10.0);
    const std::vector<linear_contract<double>> contracts(2);
    const std::vector<bracket_table<double>> fast{bracket_table<double>(usdt_brackets()),
                                                  bracket_table<double>(usdt_brackets())};
    const std::vector<generic_brackets> slow{generic_brackets(usdt_brackets()), generic_brackets(usdt_brackets())};
    const std::vector<double> marks{100.0, 100.0};
    std::vector<double> e1(3), e2(3);
    (void)remark<linear_contract<double>, bracket_table<double>, double>(book, contracts, fast, marks, {}, {.equity = e1});
    (void)remark<linear_contract<double>, generic_brackets, double>(book, contracts, slow, marks, {}, {.equity = e2});
    CHECK(e2[0] == 0.0);
    CHECK(std::signbit(e2[0]));
    CHECK(e2[2] == 0.0);
    CHECK_FALSE(std::signbit(e2[2]));
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(e1[k] == e2[k]);
        CHECK(std::signbit(e1[k]) == std::signbit(e2[k]));
    }
}

TEST_CASE("pooled re-mark layout: a cross book's runs are kept grouped by symbol, a faithful copy", "[margin]") {
    const double usd[3]{20000.0, 1500.0, 40.0};
    const auto book = pooled_book(700, {1, 2, 3, 0, 4}, 5, usd);
    const auto runs = book.run_begin();
    const auto segments = book.segment_begin();
    const auto grouped = book.grouped_begin();
    REQUIRE(runs.size() >= 4);  // 1,400 legs: at least five runs of at most 256, all laid out but the last
    REQUIRE(segments.size() == runs.size());
    REQUIRE(grouped.size() == runs.size());
    std::size_t grouped_runs = 0;
    for (std::size_t r = 0; r + 1 < runs.size(); ++r) {
        const std::size_t j0 = book.pool_begin()[runs[r]];
        const std::size_t m = book.pool_begin()[runs[r + 1]] - j0;
        REQUIRE(m <= position_book<double>::remark_block);
        REQUIRE(runs[r + 1] - runs[r] <= position_book<double>::remark_block);
        if (segments[r + 1] == segments[r]) continue;
        ++grouped_runs;
        REQUIRE(grouped[r + 1] - grouped[r] == m);
        // Every position of the run is at its place of the grouped copy, in the segment of its
        // symbol, and the places within a segment keep the row order.
        std::vector<bool> seen(m, false);
        for (std::size_t i = 0; i < m; ++i) {
            const std::size_t place = book.grouped_place()[grouped[r] + i];
            REQUIRE(place < m);
            CHECK_FALSE(seen[place]);
            seen[place] = true;
            CHECK(book.grouped_quantity()[grouped[r] + place] == book.quantity()[j0 + i]);
            CHECK(book.grouped_entry_price()[grouped[r] + place] == book.entry_price()[j0 + i]);
            CHECK(book.grouped_leverage()[grouped[r] + place] == book.leverage()[j0 + i]);
            std::size_t g = segments[r];
            while (book.segment_end()[g] <= place) ++g;
            CHECK(book.segment_symbol()[g] == book.symbol()[j0 + i]);
            if (i > 0 && book.symbol()[j0 + i - 1] == book.symbol()[j0 + i])
                CHECK(book.grouped_place()[grouped[r] + i - 1] < place);
        }
        CHECK(book.segment_end()[segments[r + 1] - 1] == m);
        CHECK(segments[r + 1] - segments[r] == 3);  // three symbols, each in one segment
    }
    CHECK(grouped_runs + 1 >= runs.size() - 1);  // every full run mixes the three symbols
}

TEST_CASE("pooled re-mark: runs of many symbols or of one-leg pools stay ungrouped and equal the generic pass",
          "[margin][property]") {
    // 40 symbols alternating leg by leg: segments of 6–7 positions, too short to group.
    constexpr std::size_t symbols = 40;
    position_book<double> many;
    std::vector<double> marks;
    for (std::size_t s = 0; s < symbols; ++s) marks.push_back(10.0 + 37.0 * static_cast<double>(s));
    std::mt19937_64 gen(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t leg = 0;
    for (std::size_t k = 0; k < 600; ++k) {
        many.add_pool(1000.0 * (1.0 + u(gen)));
        for (std::size_t i = 0; i < 1 + k % 3; ++i, ++leg) {
            const auto s = static_cast<std::uint32_t>(leg % symbols);
            many.add_position(s, (u(gen) < 0.5 ? 1.0 : -1.0) * 100.0 * std::exp(u(gen) * 6.0) / marks[s],
                              marks[s] * (0.9 + 0.2 * u(gen)), 1.0 + std::floor(u(gen) * 100.0));
        }
    }
    CHECK(many.segment_symbol().empty());
    CHECK(many.grouped_quantity().empty());
    const std::vector<linear_contract<double>> contracts(symbols);
    const std::vector<bracket_table<double>> fast(symbols, bracket_table<double>(usdt_brackets()));
    const std::vector<generic_brackets> slow(symbols, generic_brackets(usdt_brackets()));
    const std::size_t n = many.pools();
    std::vector<double> e1(n), i1(n), m1(n), e2(n), i2(n), m2(n);
    std::vector<margin_status> s1(n), s2(n);
    (void)remark<linear_contract<double>, bracket_table<double>, double>(many, contracts, fast, marks, {},
                                                                        {e1, i1, m1, {}, s1});
    (void)remark<linear_contract<double>, generic_brackets, double>(many, contracts, slow, marks, {}, {e2, i2, m2, {}, s2});
    CHECK(e1 == e2);
    CHECK(i1 == i2);
    CHECK(m1 == m2);
    CHECK(s1 == s2);

    // Isolated positions alternating two symbols: the isolated pass's book, no grouped copy.
    const double usd[3]{20000.0, 1500.0, 40.0};
    const auto isolated = pooled_book(900, {1}, 9, usd);
    REQUIRE(isolated.single_position_pools());
    CHECK(isolated.segment_symbol().empty());
    CHECK(isolated.grouped_quantity().empty());
}
