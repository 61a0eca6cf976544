// Tests of include/margincall/stress/portfolio_margin.hpp: grid arithmetic on hand-derivable
// linear books, and the option books' grid margin against tests/reference/stress_books.py
// (SciPy 1.10.1, Python 3.11.2) → stress_books.out, "# portfolio margin grid".
#include <margincall/stress/portfolio_margin.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
constexpr double S0 = 100000.0;
option_leg<double> leg(option_type t, double k, double days, double q, double v) {
    option_leg<double> o;
    o.type = t;
    o.strike = k;
    o.expiry = days / 365.0;
    o.quantity = q;
    o.volatility = v;
    return o;
}
stress_book<double> book(const std::string& name) {
    using enum option_type;
    if (name == "covered_call") return {S0, {leg(call, 110000, 30, -1, 0.60)}, {{1.0}}};
    if (name == "short_call") return {S0, {leg(call, 110000, 30, -1, 0.60)}};
    if (name == "short_straddle") return {S0, {leg(call, 100000, 30, -1, 0.55), leg(put, 100000, 30, -1, 0.60)}};
    return {S0, {leg(call, 110000, 7, -5, 0.50), leg(call, 120000, 30, -5, 0.65)}, {{10.0}}};
}
}  // namespace

TEST_CASE("grid of a linear book: 9 moves × 3 vol scenarios, worst loss = q × S × range", "[stress][portfolio_margin]") {
    const portfolio_margin<double> pm;  // Deribit's API example: ±16 %, 4 buckets a side, mm_factor 0.8
    const stress_book<double> longs{S0, {}, {{2.0}}};
    const auto r = pm.evaluate(longs);
    REQUIRE(r.grid.size() == 27);
    // moves −16, −12, −8, −4, 0, 4, 8, 12, 16 %: loss of 2 BTC at −16 % = 2 × 100000 × 0.16 = 32000
    CHECK_THAT(r.grid[0].spot_move, WithinAbs(-0.16, 1e-15));
    CHECK_THAT(r.grid[3].spot_move, WithinAbs(-0.12, 1e-15));
    CHECK_THAT(r.grid[12].spot_move, WithinAbs(0.0, 1e-15));
    CHECK_THAT(r.grid[26].spot_move, WithinAbs(0.16, 1e-15));
    CHECK_THAT(r.maintenance_margin, WithinRel(32000.0, 1e-12));
    CHECK_THAT(r.initial_margin, WithinRel(32000.0 / 0.8, 1e-12));  // IM = MM / mm_factor = 40000
    CHECK(r.grid[r.worst].spot_move < 0.0);
    // A hedged book (long 2, short 2) has no loss anywhere: margin 0.
    const stress_book<double> flat{S0, {}, {{2.0}, {-2.0}}};
    CHECK(pm.evaluate(flat).maintenance_margin == 0.0);
    // 2 buckets a side at ±10 %: short 3 BTC loses most at +10 % = 30000.
    portfolio_margin_parameters<double> p;
    p.price_range = 0.10;
    p.buckets_per_side = 2;
    p.mm_factor = 0.5;
    const auto s = portfolio_margin<double>(p).evaluate(stress_book<double>{S0, {}, {{-3.0}}});
    CHECK(s.grid.size() == 15);
    CHECK_THAT(s.maintenance_margin, WithinRel(30000.0, 1e-12));
    CHECK_THAT(s.initial_margin, WithinRel(60000.0, 1e-12));
}

TEST_CASE("extended moves count a fraction of their loss", "[stress][portfolio_margin]") {
    portfolio_margin_parameters<double> p;
    p.extended_moves = {-0.66, 0.5};
    p.extended_fraction = 0.25;
    const auto r = portfolio_margin<double>(p).evaluate(stress_book<double>{S0, {}, {{1.0}}});
    REQUIRE(r.grid.size() == 29);
    // −66 % on 1 BTC = 66000, a quarter counted = 16500 > 16000 of the main grid
    CHECK_THAT(r.grid[27].loss, WithinRel(16500.0, 1e-12));
    CHECK_THAT(r.maintenance_margin, WithinRel(16500.0, 1e-12));
    CHECK(r.worst == 27);
}

TEST_CASE("vol shift decays with expiry: range × (30 d / T)^power", "[stress][portfolio_margin]") {
    const portfolio_margin<double> pm;
    CHECK_THAT(pm.vol_shift(7 / 365.0, vol_scenario::up), WithinRel(0.5 * std::pow(30.0 / 7.0, 0.3), 1e-14));
    CHECK_THAT(pm.vol_shift(90 / 365.0, vol_scenario::down), WithinRel(-0.25 * std::pow(30.0 / 90.0, 0.13), 1e-14));
    CHECK(pm.vol_shift(1.0, vol_scenario::unchanged) == 0.0);
}

TEST_CASE("option books' portfolio margin agrees with SciPy full revaluation", "[stress][portfolio_margin]") {
    struct row { const char* book; double mm, im, worst_move; vol_scenario worst_vol; };
    const std::vector<row> rows{  // stress_books.out, "# portfolio margin grid: book MM IM worst_move worst_vol"
        {"covered_call", 16008.335172487961, 20010.41896560995, -0.16, vol_scenario::up},
        {"short_call", 14086.22242909708, 17607.77803637135, 0.16, vol_scenario::up},
        {"short_straddle", 16295.046500357435, 20368.808125446794, 0.16, vol_scenario::up},
        {"covered_call_vault", 163749.66971021355, 204687.08713776694, -0.16, vol_scenario::up},
    };
    const portfolio_margin<double> pm;
    for (const auto& r : rows) {
        INFO(r.book);
        const auto res = pm.evaluate(book(r.book));
        CHECK_THAT(res.maintenance_margin, WithinRel(r.mm, 1e-10));
        CHECK_THAT(res.initial_margin, WithinRel(r.im, 1e-10));
        CHECK_THAT(res.grid[res.worst].spot_move, WithinAbs(r.worst_move, 1e-12));
        CHECK(res.grid[res.worst].vol == r.worst_vol);
    }
}

TEST_CASE("portfolio margin rejects bad parameters with the library's message", "[stress][portfolio_margin][errors]") {
    using P = portfolio_margin_parameters<double>;
    P p;
    p.price_range = 1.0;
    REQUIRE_THROWS_MATCHES(portfolio_margin<double>(p), invalid_argument,
                           Message("portfolio_margin: price_range is 1, but must be in (0, 1)"));
    p = P{};
    p.buckets_per_side = 0;
    REQUIRE_THROWS_MATCHES(portfolio_margin<double>(p), invalid_argument,
                           Message("portfolio_margin: buckets_per_side is 0, but must be >= 1"));
    p = P{};
    p.mm_factor = 0.0;
    REQUIRE_THROWS_MATCHES(portfolio_margin<double>(p), invalid_argument,
                           Message("portfolio_margin: mm_factor is 0, but must be in (0, 1]"));
    p = P{};
    p.volatility_range_up = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(portfolio_margin<double>(p), invalid_argument,
                           Message("portfolio_margin: volatility_range_up is nan, but must be finite and >= 0"));
    p = P{};
    p.extended_moves = {0.5, -1.0};
    REQUIRE_THROWS_MATCHES(portfolio_margin<double>(p), invalid_argument,
                           Message("portfolio_margin: extended_moves[1] is -1, but must be finite and > -1"));
    p = P{};
    p.extended_fraction = 0.0;
    REQUIRE_THROWS_MATCHES(portfolio_margin<double>(p), invalid_argument,
                           Message("portfolio_margin: extended_fraction is 0, but must be in (0, 1]"));
}
