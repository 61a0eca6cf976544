// Tests of include/margincall/stress/stress_test.hpp: a stress run over a covered-call vault, a
// short straddle, a short call and a leveraged covered call, layered margin over the default
// portfolio-margin grid (30 % liquidation buffer), checked row by row against
// tests/reference/stress_books.py (SciPy 1.10.1, Python 3.11.2) → stress_books.out, "# stress report".
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/stress_test.hpp>

#include <string>
#include <limits>
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
std::vector<stress_account<double>> accounts() {
    using enum option_type;
    const leg_liquidity<double> liq{0.0005, 0.01, 100.0, 0.5};
    std::vector<stress_account<double>> a;
    a.push_back({"vault", {S0, {leg(call, 110000, 7, -5, 0.50), leg(call, 120000, 30, -5, 0.65)}, {{10.0, 1.0, liq}}}, 250000.0});
    a.push_back({"straddle", {S0, {leg(call, 100000, 30, -1, 0.55), leg(put, 100000, 30, -1, 0.60)}}, 38000.0});
    a.push_back({"short_call", {S0, {leg(call, 110000, 30, -1, 0.60)}}, 25000.0});
    a.push_back({"levered_covered_call", {S0, {leg(call, 110000, 30, -1, 0.60)}, {{1.0, 1.0, liq}}}, -75000.0});
    return a;
}
stress_scenario<double> scenario(const char* name, double move, double mult, double par, double pw, double skew, double liq) {
    market_shock<double> m;
    m.spot_move = move;
    m.vol_multiplier = mult;
    m.vol_parallel = par;
    m.term_power = pw;
    m.vol_skew = skew;
    m.liquidity_factor = liq;
    return {name, m};
}
std::vector<stress_scenario<double>> scenarios() {
    return {scenario("crash_30_vol_x2", -0.30, 2.0, 0, 0, 0, 5.0), scenario("short_squeeze_rally", 0.30, 1.5, 0, 0, 0.2, 2.0),
            scenario("front_end_vol_spike", -0.10, 1.0, 0.40, 0.5, 0, 1.5), scenario("parallel_down_20", 0.05, 1.0, -0.20, 0, 0, 1.0)};
}
}  // namespace

TEST_CASE("stress report rows agree with the independent reference", "[stress][stress_test]") {
    struct expected { double pnl, exit_cost, equity_after, mm_after, im_after; margin_status status; };
    using enum margin_status;
    // stress_books.out, "# stress report" (its layer names in margin_status: none = healthy, initial =
    // margin_call, maintenance = reduce_only, liquidation = liquidation), accounts in the order vault, straddle, short call, levered covered call
    const std::vector<std::vector<expected>> ref{
        {{-295354.4415352731, 6699.7474683058335, 937708.996699147, 114647.20135980565, 143309.00169975706, healthy},
         {108888.13056080649, 7113.776741499454, 1341537.539522033, 124864.14699059946, 156080.18373824932, healthy},
         {-110205.44031139812, 4160.6850115866755, 1125397.0603797412, 145784.76782855613, 182230.95978569516, healthy},
         {53130.728366788826, 3845.391543176798, 1289048.522526338, 172101.39165246487, 215126.73956558108, healthy}},
        {{-20764.158144176115, 0.0, 4097.885955598089, 11979.103114926853, 14973.878893658566, liquidation},
         {-21031.502089382622, 0.0, 3830.542010391582, 23788.312000400998, 29735.390000501247, liquidation},
         {-9453.080989674312, 0.0, 15408.963110099892, 12881.744356756808, 16102.180445946009, margin_call},
         {3457.46652873492, 0.0, 28319.510628509124, 18911.953644379093, 23639.942055473864, healthy}},
        {{1949.2950022797568, 0.0, 23679.03449757034, 6043.707326334022, 7554.634157917527, healthy},
         {-21732.645210990897, 0.0, -2.9057157003117027, 22294.029467333472, 27867.53683416684, liquidation},
         {-782.1618423740656, 0.0, 20947.57765291652, 11530.503512131789, 14413.129390164735, healthy},
         {456.4477504204733, 0.0, 22186.18724571106, 15893.311747404994, 19866.639684256243, healthy}},
        {{-28050.70499772024, 331.52475842498524, -6652.490260854637, 11683.504036936029, 14604.380046170036, liquidation},
         {8267.3547890091, 313.84776310850236, 29683.246521191188, 13066.35307536846, 16332.941344210576, healthy},
         {-10782.161842374073, 177.727038425243, 10769.850614491274, 14434.082224856305, 18042.60278107038, reduce_only},
         {5456.44775042047, 157.5, 27028.68724571106, 16737.121812940735, 20921.40226617592, healthy}},
    };
    const std::vector<double> equity_before{1239763.185702726, 24862.044099774204, 21729.739495290585, 21729.73949529059};
    const std::vector<double> mm_before{163749.66971021355, 16295.046500357435, 14086.22242909708, 16008.335172487961};
    const auto acc = accounts();
    const auto sc = scenarios();
    const layered_margin<double, portfolio_margin<double>> margin{portfolio_margin<double>{}, 0.3};
    const auto rows = run_stress_test(std::span<const stress_account<double>>(acc), std::span<const stress_scenario<double>>(sc), margin);
    REQUIRE(rows.size() == 16);
    for (const auto& r : rows) {
        INFO(acc[r.account].name << " / " << sc[r.scenario].name);
        const auto& e = ref[r.account][r.scenario];
        CHECK(&r == &rows[r.scenario * acc.size() + r.account]);  // scenario-major order
        CHECK_THAT(r.pnl, WithinRel(e.pnl, 1e-9));
        CHECK_THAT(r.exit_cost, WithinAbs(e.exit_cost, 1e-8));
        CHECK_THAT(r.equity_before, WithinRel(equity_before[r.account], 1e-12));
        CHECK_THAT(r.equity_after, WithinRel(e.equity_after, 1e-8));
        CHECK_THAT(r.before.maintenance_margin, WithinRel(mm_before[r.account], 1e-10));
        CHECK(r.before.status == healthy);
        CHECK_THAT(r.after.maintenance_margin, WithinRel(e.mm_after, 1e-9));
        CHECK_THAT(r.after.initial_margin, WithinRel(e.im_after, 1e-9));
        CHECK(r.after.status == e.status);
        CHECK(r.liquidated() == (e.status == liquidation));
        CHECK_THAT(r.after.call_amount, WithinAbs(e.im_after > e.equity_after ? e.im_after - e.equity_after : 0.0, 1e-6));
    }
}

TEST_CASE("stress run rejects bad input with the library's message", "[stress][stress_test][errors]") {
    auto acc = accounts();
    auto sc = scenarios();
    const layered_margin<double, portfolio_margin<double>> margin{portfolio_margin<double>{}, 0.3};
    const std::span<const stress_account<double>> a(acc);
    REQUIRE_THROWS_MATCHES(run_stress_test(a, std::span<const stress_scenario<double>>{}, margin), invalid_argument,
                           Message("run_stress_test: the size of scenarios is 0, but must be > 0"));
    sc[2].shock.liquidity_factor = 0.5;
    REQUIRE_THROWS_MATCHES(run_stress_test(a, std::span<const stress_scenario<double>>(sc), margin), invalid_argument,
                           Message("run_stress_test: scenario 'front_end_vol_spike': liquidity_factor is 0.5, but must be finite and >= 1"));
    sc = scenarios();
    acc[1].cash = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(run_stress_test(std::span<const stress_account<double>>(acc), std::span<const stress_scenario<double>>(sc), margin),
                           invalid_argument, Message("run_stress_test: accounts[1].cash is nan, but must be finite"));
}
