// Tests of include/margincall/stress/stress_book.hpp: full revaluation of covered-call, short-call,
// short-straddle and covered-call-vault books under spot, volatility (level, term, skew) shocks,
// against tests/reference/stress_books.py (SciPy 1.10.1, Python 3.11.2) → stress_books.out;
// exit costs against hand computation.
#include <margincall/stress/stress_book.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
constexpr double S0 = 100000.0;
constexpr double year = 365.0;

option_leg<double> leg(option_type t, double k, double days, double q, double v) {
    option_leg<double> o;
    o.type = t;
    o.strike = k;
    o.expiry = days / year;
    o.quantity = q;
    o.volatility = v;
    return o;
}
// The books of stress_books.py.
stress_book<double> book(const std::string& name) {
    using enum option_type;
    if (name == "covered_call") return {S0, {leg(call, 110000, 30, -1, 0.60)}, {{1.0}}};
    if (name == "short_call") return {S0, {leg(call, 110000, 30, -1, 0.60)}};
    if (name == "short_straddle") return {S0, {leg(call, 100000, 30, -1, 0.55), leg(put, 100000, 30, -1, 0.60)}};
    return {S0, {leg(call, 110000, 7, -5, 0.50), leg(call, 120000, 30, -5, 0.65)}, {{10.0}}};  // vault
}
market_shock<double> shock(double move, double mult, double par = 0, double pw = 0, double skew = 0) {
    market_shock<double> m;
    m.spot_move = move;
    m.vol_multiplier = mult;
    m.vol_parallel = par;
    m.term_power = pw;
    m.vol_skew = skew;
    return m;
}
}  // namespace

TEST_CASE("stress P&L of option books agrees with SciPy full revaluation", "[stress][stress_book]") {
    struct row { const char* book; market_shock<double> s; double pnl; };
    const std::vector<row> rows{  // tests/reference/stress_books.out, "# stress P&L"
        {"covered_call", shock(-0.30, 2.0), -28050.70499772024},
        {"covered_call", shock(0.30, 1.5, 0, 0, 0.2), 8267.3547890091},
        {"covered_call", shock(-0.10, 1.0, 0.40, 0.5), -10782.161842374073},
        {"covered_call", shock(0.05, 1.0, -0.20), 5456.44775042047},
        {"short_call", shock(-0.30, 2.0), 1949.2950022797568},
        {"short_call", shock(0.30, 1.5, 0, 0, 0.2), -21732.645210990897},
        {"short_call", shock(-0.10, 1.0, 0.40, 0.5), -782.1618423740656},
        {"short_call", shock(0.05, 1.0, -0.20), 456.4477504204733},
        {"short_straddle", shock(-0.30, 2.0), -20764.158144176115},
        {"short_straddle", shock(0.30, 1.5, 0, 0, 0.2), -21031.502089382622},
        {"short_straddle", shock(-0.10, 1.0, 0.40, 0.5), -9453.080989674312},
        {"short_straddle", shock(0.05, 1.0, -0.20), 3457.46652873492},
        {"covered_call_vault", shock(-0.30, 2.0), -295354.4415352731},
        {"covered_call_vault", shock(0.30, 1.5, 0, 0, 0.2), 108888.13056080649},
        {"covered_call_vault", shock(-0.10, 1.0, 0.40, 0.5), -110205.44031139812},
        {"covered_call_vault", shock(0.05, 1.0, -0.20), 53130.728366788826},
    };
    for (const auto& r : rows) {
        INFO(r.book << " move " << r.s.spot_move);
        CHECK_THAT(book(r.book).pnl(r.s), WithinRel(r.pnl, 1e-10));
    }
}

TEST_CASE("shocked volatility: multiplier, term weighting, skew and floor by hand", "[stress][stress_book]") {
    const auto b = book("short_straddle");
    const auto& c = b.options()[0];  // K = S, T = 30 days: term weight (30/30)^p = 1, ln(K/S) = 0
    CHECK_THAT(b.shocked_volatility(c, shock(0, 2.0, 0.1, 0.5, 0.3)), WithinRel(0.55 * 2 + 0.1, 1e-14));
    const auto v = book("covered_call_vault");
    const auto& front = v.options()[0];  // K = 110000, T = 7 days
    // σ' = 0.5·1 + 0.2·(30/7)^0.5 − 0.1·ln(1.1)
    const double expected = 0.5 + 0.2 * std::sqrt(30.0 / 7.0) - 0.1 * std::log(1.1);
    CHECK_THAT(v.shocked_volatility(front, shock(0, 1.0, 0.2, 0.5, -0.1)), WithinRel(expected, 1e-14));
    CHECK(v.shocked_volatility(front, shock(0, 0.0, -0.5)) == 0.01);  // floored at the book's minimum
}

TEST_CASE("exit cost grows with size over available volume (square-root law) by hand", "[stress][stress_book]") {
    linear_leg<double> perp{4.0, 1.0, {0.001, 0.02, 100.0, 0.5}};
    const stress_book<double> b{S0, {}, {perp}};
    // |4 × 100000| × (0.001 + 0.02·√(4/100)) = 400000 × 0.005 = 2000
    CHECK_THAT(b.exit_cost(), WithinRel(2000.0, 1e-14));
    market_shock<double> s;
    s.spot_move = -0.5;
    s.liquidity_factor = 4.0;
    // |4 × 50000| × (0.004 + 0.02·√(16/100)) = 200000 × 0.012 = 2400
    CHECK_THAT(b.exit_cost(s), WithinRel(2400.0, 1e-13));
}

TEST_CASE("book delta and short contracts", "[stress][stress_book]") {
    // Straddle at the money, r = b = 0: Δ = −N(d1_c) + N(−d1_p), d1 = σ√T/2.
    const auto b = book("short_straddle");
    const double tc = 30.0 / year;
    const auto n = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    const double expected = -n(0.55 * std::sqrt(tc) / 2) + n(-0.60 * std::sqrt(tc) / 2);
    CHECK_THAT(b.delta(), WithinRel(expected, 1e-12));
    CHECK(b.short_option_contracts() == 2.0);
    CHECK(book("covered_call").delta() > 0.0);
}

TEST_CASE("time elapsed: one day of decay agrees with SciPy; expiry reached gives intrinsic value", "[stress][stress_book]") {
    market_shock<double> day;
    day.time_elapsed = 1.0 / year;
    // stress_books.out, "# one-day decay P&L of the short call"
    CHECK_THAT(book("short_call").pnl(day), WithinRel(103.11018300497744, 1e-9));
    market_shock<double> expire;
    expire.spot_move = 0.2;
    expire.time_elapsed = 1.0;  // past the 30-day expiry: the short call pays (120000 − 110000)
    const double premium = black_scholes_price(option_type::call, option_inputs<double>{S0, 110000, 30 / year, 0, 0, 0.6});
    CHECK_THAT(book("short_call").pnl(expire), WithinRel(-(10000.0 - premium), 1e-12));
    const auto later = book("short_call").shocked(day);
    CHECK_THAT(later.options()[0].expiry, WithinRel(29.0 / year, 1e-14));
    REQUIRE_THROWS_MATCHES(book("short_call").shocked(expire), invalid_argument,
                           Message("stress_book::shocked: options[0].expiry after time_elapsed is -0.917808219178082, but must be > 0"));
    day.time_elapsed = -1.0;
    REQUIRE_THROWS_MATCHES(check_market_shock("x", day), invalid_argument, Message("x: time_elapsed is -1, but must be finite and >= 0"));
}

TEST_CASE("shocked book carries the shocked spot and volatilities", "[stress][stress_book]") {
    const auto b = book("covered_call");
    const auto s = shock(-0.3, 2.0);
    const auto after = b.shocked(s);
    CHECK(after.spot() == S0 * 0.7);
    CHECK(after.options()[0].volatility == 1.2);
    CHECK_THAT(after.value(), WithinRel(b.value(s), 1e-14));
}

TEST_CASE("stress_book rejects bad input with the library's message", "[stress][stress_book][errors]") {
    using enum option_type;
    REQUIRE_THROWS_MATCHES((stress_book<double>{-1.0, {}}), invalid_argument,
                           Message("stress_book: spot is -1, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((stress_book<double>{S0, {leg(call, 0.0, 30, 1, 0.5)}}), invalid_argument,
                           Message("stress_book: options[0].strike is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((stress_book<double>{S0, {leg(put, 1.0, 0, 1, 0.5)}}), invalid_argument,
                           Message("stress_book: options[0].expiry is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((stress_book<double>{S0, {leg(put, 1.0, 3, std::numeric_limits<double>::quiet_NaN(), 0.5)}}), invalid_argument,
                           Message("stress_book: options[0].quantity is nan, but must be finite"));
    REQUIRE_THROWS_MATCHES((stress_book<double>{S0, {leg(put, 1.0, 3, 1, -0.5)}}), invalid_argument,
                           Message("stress_book: options[0].volatility is -0.5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((stress_book<double>{S0, {}, {{1.0, 1.0, {0.0, 0.1, 0.0, 0.5}}}}), invalid_argument,
                           Message("stress_book: linear[0].liquidity.available_volume is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((stress_book<double>{S0, {}, {{1.0, 1.0, {-0.1, 0.1, 1.0, 0.5}}}}), invalid_argument,
                           Message("stress_book: linear[0].liquidity.half_spread is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(book("covered_call").shocked(shock(-1.0, 1.0)), invalid_argument,
                           Message("stress_book::shocked: spot_move is -1, but must be > -1"));
    auto s = shock(0.0, 1.0);
    s.liquidity_factor = 0.5;
    REQUIRE_THROWS_MATCHES(check_market_shock("x", s), invalid_argument,
                           Message("x: liquidity_factor is 0.5, but must be finite and >= 1"));
    REQUIRE_THROWS_MATCHES(check_market_shock("x", shock(0.0, -1.0)), invalid_argument,
                           Message("x: vol_multiplier is -1, but must be finite and >= 0"));
}

TEMPLATE_TEST_CASE("a book revalues in every real type", "[stress][stress_book]", float, double, long double) {
    using T = TestType;
    option_leg<T> o;
    o.strike = T(110);
    o.expiry = T(30) / T(365);
    o.quantity = T(-1);
    o.volatility = T(0.6);
    const stress_book<T> b{T(100), {o}, {{T(1)}}};
    market_shock<T> s;
    s.spot_move = T(-0.3);
    s.vol_multiplier = T(2);
    // covered_call crash_30_vol_x2 of stress_books.out scaled by 1/1000 (BS is homogeneous of degree 1 in S, K)
    CHECK_THAT(static_cast<double>(b.pnl(s)), WithinRel(-28.05070499772024, 1e-4));
}
