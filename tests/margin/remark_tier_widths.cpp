// Tests of the tier widths of the blocked re-mark (margin/remark_block_support.hpp): the
// one-symbol loop of either pass counts only as many floors as its symbol's table needs (a
// width of 2, 4, ... 16 slots, or the capacity), chosen per symbol. Tables of 1 to 16 tiers (and
// 17 and 32 in a 32-slot table), sizes exactly on every floor and half a unit either side: the
// figures are checked against the hand-derived tier of each size and, pool by pool and bit for
// bit, against the generic pass.
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

using linear = linear_contract<double>;

// The same brackets, but not a bracket_table: remark takes its generic pass (the kernel) for it.
template <std::size_t MaxTiers>
struct generic_brackets : bracket_table<double, MaxTiers> {
    using bracket_table<double, MaxTiers>::bracket_table;
};

// A ladder of `tiers` tiers: tier i (0-based) from 1,000·i to 1,000·(i + 1) (the last one
// open-ended), MMR (i + 1)/1,024, max leverage 60 − i (so MMR < 1 / max leverage). The rates are
// dyadic, so every product below is exact: the schedule's cum (Binance's recursion
// cum_i = cum_(i−1) + floor_i·(MMR_i − MMR_(i−1)) = cum_(i−1) + 1,000·i/1,024) and
// MM = size·MMR_i − cum_i are exact, with or without a fused multiply-add.
tier_schedule<double> ladder(std::size_t tiers, tier_basis basis) {
    std::vector<bracket<double>> brackets;
    for (std::size_t i = 0; i < tiers; ++i) {
        const auto x = static_cast<double>(i);
        const double cap = i + 1 == tiers ? std::numeric_limits<double>::infinity() : 1000.0 * (x + 1);
        brackets.push_back({1000.0 * x, cap, 60.0 - x, (x + 1) / 1024});
    }
    return tier_schedule<double>(brackets, basis);
}

// Sizes half a unit below, exactly on and half a unit above every floor after the first, a
// small one, and one past the last floor; with the tier each belongs to (floor inclusive).
struct sized {
    double size;
    std::size_t tier;
};
std::vector<sized> boundary_sizes(std::size_t tiers) {
    std::vector<sized> out{{0.25, 0}};
    for (std::size_t i = 1; i < tiers; ++i) {
        const double floor = 1000.0 * static_cast<double>(i);
        out.push_back({floor - 0.5, i - 1});
        out.push_back({floor, i});
        out.push_back({floor + 0.5, i});
    }
    out.push_back({1000.0 * static_cast<double>(tiers) + 7.0, tiers - 1});
    return out;
}

// Isolated pools of collateral 10, each one leg of a size of `sizes` (in order, `rounds` times)
// at entry `entry` and leverage 50; long, or short on odd rounds if `alternate`.
position_book<double> isolated_book(const std::vector<sized>& sizes, std::size_t rounds, double entry, bool alternate) {
    position_book<double> book;
    for (std::size_t r = 0; r < rounds; ++r) {
        for (const auto& x : sizes) {
            book.add_pool(10.0);
            book.add_position(0, alternate && r % 2 == 1 ? -x.size : x.size, entry, 50);
        }
    }
    return book;
}

// MM and IM of a leg of `size` (notional basis: mark 1, multiplier 1, so notional = size) at
// leverage 50, in tier t of ladder(tiers): MM = size·MMR_t − cum_t, IM = size / min(50, 60 − t).
struct figures {
    double mm, im;
};
figures expected(const tier_schedule<double>& s, double size, std::size_t t) {
    const auto& tier = s.tiers()[t];
    return {size * tier.maintenance_rate - tier.maintenance_amount, size / std::min(50.0, tier.max_leverage)};
}

template <std::size_t MaxTiers>
void check_equals_generic(const position_book<double>& book, const std::vector<tier_schedule<double>>& schedules,
                          const std::vector<double>& marks, std::vector<double>& equity, std::vector<double>& im,
                          std::vector<double>& mm) {
    std::vector<bracket_table<double, MaxTiers>> fast;
    std::vector<generic_brackets<MaxTiers>> slow;
    for (const auto& s : schedules) {
        fast.emplace_back(s);
        slow.emplace_back(s);
    }
    const std::vector<linear> contracts(schedules.size(), linear{});
    const std::size_t n = book.pools();
    std::vector<double> e2(n), i2(n), m2(n), c1(n), c2(n);
    std::vector<margin_status> s1(n), s2(n);
    equity.assign(n, 0.0);
    im.assign(n, 0.0);
    mm.assign(n, 0.0);
    const status_thresholds<double> t{};
    const auto a =
        remark<linear, bracket_table<double, MaxTiers>, double>(book, contracts, fast, marks, t, {equity, im, mm, c1, s1});
    const auto b =
        remark<linear, generic_brackets<MaxTiers>, double>(book, contracts, slow, marks, t, {e2, i2, m2, c2, s2});
    CHECK(equity == e2);
    CHECK(im == i2);
    CHECK(mm == m2);
    CHECK(c1 == c2);
    CHECK(s1 == s2);
    CHECK(a.count == b.count);
}

}  // namespace

TEST_CASE("tier widths: isolated books on tables of 1 to 16 tiers find the tier of sizes on every floor",
          "[margin]") {
    for (const std::size_t tiers : std::vector<std::size_t>{1, 2, 3, 4, 5, 6, 8, 9, 10, 15, 16}) {
        INFO(tiers << " tiers");
        const auto s = ladder(tiers, tier_basis::notional);
        const auto sizes = boundary_sizes(tiers);
        // Runs of one symbol (the one-symbol loop) longer than a block, long and short legs;
        // entry = mark, so PnL is 0 and equity the collateral.
        const auto book = isolated_book(sizes, 9, 1.0, true);
        std::vector<double> equity, im, mm;
        check_equals_generic<16>(book, {s}, {1.0}, equity, im, mm);
        for (std::size_t k = 0; k < book.pools(); ++k) {
            const auto& x = sizes[k % sizes.size()];
            const auto f = expected(s, x.size, x.tier);
            INFO("size " << x.size << ", tier " << x.tier + 1);
            CHECK(mm[k] == f.mm);
            CHECK(im[k] == f.im);
            CHECK(equity[k] == 10.0);
        }
    }
}

TEST_CASE("tier widths: quantity-basis tables count the quantity, whatever the notional", "[margin]") {
    for (const std::size_t tiers : std::vector<std::size_t>{1, 4, 5, 16}) {
        INFO(tiers << " tiers");
        const auto s = ladder(tiers, tier_basis::quantity);
        const auto sizes = boundary_sizes(tiers);
        const auto book = isolated_book(sizes, 3, 3.0, false);
        std::vector<double> equity, im, mm;
        // Mark 3: the notional is three times the quantity and would fall in another tier;
        // quantity brackets carry no maintenance amount, so MM = notional·MMR.
        check_equals_generic<16>(book, {s}, {3.0}, equity, im, mm);
        for (std::size_t k = 0; k < book.pools(); ++k) {
            const auto& x = sizes[k % sizes.size()];
            const auto& tier = s.tiers()[x.tier];
            INFO("quantity " << x.size << ", tier " << x.tier + 1);
            CHECK(mm[k] == 3.0 * x.size * tier.maintenance_rate);
            CHECK(im[k] == 3.0 * x.size / std::min(50.0, tier.max_leverage));
        }
    }
}

TEST_CASE("tier widths: cross pools whose symbols have 1, 4, 5 and 16 tiers, grouped by symbol", "[margin]") {
    // Four symbols with tables of different widths; pools of two legs on symbols (k, k + 1)
    // mod 4 at boundary sizes: closed runs are grouped by symbol (segments of 64 legs), each
    // segment on its own width; the last run is formed by the pass. The legs of a pool add in
    // order: MM = collateral-free sums of the two legs' hand-derived figures (exact here).
    const std::vector<std::size_t> widths{1, 4, 5, 16};
    std::vector<tier_schedule<double>> schedules;
    std::vector<std::vector<sized>> sizes;
    for (const std::size_t w : widths) {
        schedules.push_back(ladder(w, tier_basis::notional));
        sizes.push_back(boundary_sizes(w));
    }
    position_book<double> book;
    std::vector<figures> pool_expected;
    for (std::size_t k = 0; k < 1500; ++k) {
        book.add_pool(100.0);
        figures sum{0.0, 0.0};
        for (std::size_t leg = 0; leg < 2; ++leg) {
            const std::size_t s = (k + leg) % 4;
            const auto& x = sizes[s][(k / 4 + leg) % sizes[s].size()];
            book.add_position(static_cast<std::uint32_t>(s), k % 3 == 0 ? -x.size : x.size, 1.0, 50);
            const auto f = expected(schedules[s], x.size, x.tier);
            sum.mm += f.mm;
            sum.im += f.im;
        }
        pool_expected.push_back(sum);
    }
    REQUIRE(book.grouped_quantity().size() > 0);  // the closed runs are kept grouped
    std::vector<double> equity, im, mm;
    check_equals_generic<16>(book, schedules, {1.0, 1.0, 1.0, 1.0}, equity, im, mm);
    for (std::size_t k = 0; k < book.pools(); ++k) {
        INFO("pool " << k);
        CHECK(mm[k] == pool_expected[k].mm);
        CHECK(im[k] == pool_expected[k].im);
        CHECK(equity[k] == 100.0);
    }
}

TEST_CASE("tier widths: a 32-slot table with 17 and 32 tiers takes the full width", "[margin]") {
    for (const std::size_t tiers : std::vector<std::size_t>{3, 17, 32}) {
        INFO(tiers << " tiers");
        // Max leverage 60 − i stays ≥ 1 and above 1/MMR up to 32 tiers: MMR 32/1,024 = 1/32 < 1/29.
        const auto s = ladder(tiers, tier_basis::notional);
        const auto sizes = boundary_sizes(tiers);
        const auto book = isolated_book(sizes, 1, 1.0, false);
        std::vector<double> equity, im, mm;
        check_equals_generic<32>(book, {s}, {1.0}, equity, im, mm);
        for (std::size_t k = 0; k < sizes.size(); ++k) {
            const auto f = expected(s, sizes[k].size, sizes[k].tier);
            INFO("size " << sizes[k].size << ", tier " << sizes[k].tier + 1);
            CHECK(mm[k] == f.mm);
            CHECK(im[k] == f.im);
        }
    }
}
