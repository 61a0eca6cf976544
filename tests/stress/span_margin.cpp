// Tests of include/margincall/stress/span_margin.hpp: the CME 16-scenario table, McMillan's S&P
// futures / long Dec 410 call / covered-write risk arrays (L. G. McMillan, "Options as a Strategic
// Investment", ch. 34 "Futures and Futures Options", pp. 668-671; his option row is illustrative
// and does not reproduce under Black-76: tests/reference/stress_span_mcmillan_fit.py), a short straddle's
// array against tests/reference/stress_books.py (SciPy 1.10.1), and the charges and credits by hand.
#include <margincall/stress/span_margin.hpp>

#include <array>
#include <limits>
#include <vector>

#include "catch.hpp"
#include "stress/mcmillan_span_rows.hpp"

using namespace margincall;

namespace {
constexpr double S0 = 100000.0;
using test::mcmillan_covered_write;
using test::mcmillan_futures;
using test::mcmillan_long_call;
stress_book<double> short_straddle() {
    option_leg<double> c{option_type::call, 100000, 30 / 365.0, -1, 0.55};
    option_leg<double> p{option_type::put, 100000, 30 / 365.0, -1, 0.60};
    return {S0, {c, p}};
}
}  // namespace

TEST_CASE("CME table: 16 scenarios, extremes at twice the range covered at 35 %", "[stress][span]") {
    constexpr auto t = cme_span_scenarios<double>();
    static_assert(t.size() == 16);
    CHECK(t[0].price_fraction == 0.0);
    CHECK(t[0].vol_fraction == 1.0);
    CHECK(t[13].price_fraction == -1.0);
    CHECK(t[13].vol_fraction == -1.0);
    CHECK(t[14].price_fraction == 2.0);
    CHECK(t[15].covered_fraction == 0.35);
    for (std::size_t i = 0; i < 14; i += 2) {  // paired scenarios: same price, opposite vol
        CHECK(t[i].price_fraction == t[i + 1].price_fraction);
        CHECK(t[i].vol_fraction == -t[i + 1].vol_fraction);
    }
}

TEST_CASE("McMillan's S&P futures risk array reproduces (to his rounding to 10 USD)", "[stress][span]") {
    // One S&P 500 future, multiplier 500 USD per point, price scan range 10,000 USD = 20 points.
    const stress_book<double> fut{400.0, {}, {{1.0, 500.0}}};
    const span_parameters<double> p{20.0, 0.0};
    constexpr auto t = cme_span_scenarios<double>();
    std::array<double, 16> losses{};
    span_risk_array(fut, p, std::span<const span_scenario<double>>(t), std::span<double>(losses));
    for (std::size_t i = 0; i < 16; ++i) {
        INFO("scenario " << i + 1);
        CHECK_THAT(-losses[i], WithinAbs(mcmillan_futures[i], 5.0));  // 3,333.33 printed as 3,330
    }
    CHECK_THAT(losses[14], WithinAbs(-7000.0, 1e-9));  // 0.35 × 2 × 10,000 exactly
    // Risk arrays add across positions: our futures row minus McMillan's long-call row is his
    // covered-write row (long future + short call), within the rounding of the printed rows.
    for (std::size_t i = 0; i < 16; ++i) {
        INFO("scenario " << i + 1);
        CHECK_THAT(-losses[i] - mcmillan_long_call[i], WithinAbs(mcmillan_covered_write[i], 5.0));
    }
}

TEST_CASE("scanning risk of McMillan's published arrays", "[stress][span]") {
    std::array<double, 16> call_losses{}, write_losses{};
    for (std::size_t i = 0; i < 16; ++i) {
        call_losses[i] = -mcmillan_long_call[i];
        write_losses[i] = -mcmillan_covered_write[i];
    }
    CHECK(scanning_risk(std::span<const double>(call_losses)) == 3990.0);   // McMillan: requirement 3,990 (scenario 14)
    CHECK(scanning_risk(std::span<const double>(write_losses)) == 6620.0);  // scenario 13
    // time risk = mean loss of scenarios 1 and 2 = (−460 + 610)/2 = 75
    CHECK(span_time_risk(std::span<const double>(call_losses)) == 75.0);
    const std::array<double, 3> gains{-1.0, -2.0, -3.0};
    CHECK(scanning_risk(std::span<const double>(gains)) == 0.0);
}

TEST_CASE("short straddle risk array and scanning risk agree with SciPy", "[stress][span]") {
    // tests/reference/stress_books.out, "# span risk array (losses) short_straddle PSR 10000 VSR 0.10"
    constexpr std::array<double, 16> expected{
        2278.2682647307956, -2280.9615643451543, 2759.2433575812684, -1781.2316973388006, 2252.926460225688,
        -2132.434400182341, 3667.9764023790412, -681.5150270881204, 2699.435882780039, -1323.3958001870233,
        4968.199500638286,  944.782688584568,   3619.5929396633146, 116.44157635465672, 3260.097487954951,
        2822.347547899955};
    const span_parameters<double> p{10000.0, 0.10};
    constexpr auto t = cme_span_scenarios<double>();
    std::array<double, 16> losses{};
    span_risk_array(short_straddle(), p, std::span<const span_scenario<double>>(t), std::span<double>(losses));
    for (std::size_t i = 0; i < 16; ++i) {
        INFO("scenario " << i + 1);
        CHECK_THAT(losses[i], WithinRel(expected[i], 1e-9));
    }
    const auto r = span_requirement(short_straddle(), p, std::span<const span_scenario<double>>(t));
    CHECK_THAT(r.scanning_risk, WithinRel(4968.199500638286, 1e-9));
    CHECK_THAT(r.requirement, WithinRel(4968.199500638286, 1e-9));
    CHECK_THAT(r.time_risk, WithinRel((2278.2682647307956 - 2280.9615643451543) / 2, 1e-6));
}

TEST_CASE("look-ahead: the array one trading day ahead agrees with SciPy; time risk is the decay", "[stress][span]") {
    // stress_books.out, "# span risk array one day ahead (losses) short_straddle"
    constexpr std::array<double, 16> expected{
        2019.9442352191181, -2463.168003833576, 2500.4605582482254, -1961.0546832617838, 2002.8828765047874,
        -2306.0058009222557, 3415.870150187482, -849.343044036963, 2465.51121516696, -1477.841053416847,
        4728.741063531637, 795.8738293479619, 3408.8499718770145, -11.00651829999697, 3214.7347896698557,
        2795.1410744182635};
    span_parameters<double> p{10000.0, 0.10};
    p.look_ahead_time = 1.0 / 365.0;
    constexpr auto t = cme_span_scenarios<double>();
    std::array<double, 16> losses{};
    span_risk_array(short_straddle(), p, std::span<const span_scenario<double>>(t), std::span<double>(losses));
    for (std::size_t i = 0; i < 16; ++i) {
        INFO("scenario " << i + 1);
        CHECK_THAT(losses[i], WithinAbs(expected[i], 1e-8));
    }
    const auto r = span_requirement(short_straddle(), p, std::span<const span_scenario<double>>(t));
    CHECK_THAT(r.time_risk, WithinRel(-221.61188430722905, 1e-9));  // a short straddle earns the decay
    CHECK_THAT(r.price_risk, WithinRel(4728.741063531637 + 221.61188430722905, 1e-9));
}

TEST_CASE("short option minimum floors the requirement; intra-commodity charge adds", "[stress][span]") {
    constexpr auto t = cme_span_scenarios<double>();
    const std::span<const span_scenario<double>> sc(t);
    span_parameters<double> p{10000.0, 0.10, 3000.0};
    // 2 short contracts × 3,000 = 6,000 > scan 4,968.2
    CHECK(span_requirement(short_straddle(), p, sc).requirement == 6000.0);
    p.short_option_minimum = 1000.0;
    p.intra_spread_rate = 150.0;
    const std::array<double, 3> months{3.0, -2.0, -0.5};  // longs 3, shorts 2.5 → 2.5 spreads × 150 = 375
    const auto r = span_requirement(short_straddle(), p, sc, std::span<const double>(months));
    CHECK(r.intra_spread_charge == 375.0);
    CHECK_THAT(r.requirement, WithinRel(4968.199500638286 + 375.0, 1e-9));
}

TEST_CASE("inter-commodity spread credit by hand", "[stress][span]") {
    span_result<double> a, b;
    a.scanning_risk = 1000;
    a.time_risk = 100;
    a.price_risk = 900;
    a.composite_delta = 4.0;
    a.requirement = 1000;
    b.scanning_risk = 600;
    b.price_risk = 600;
    b.composite_delta = -3.0;
    b.requirement = 600;
    b.short_option_minimum = 500;
    // ratio 1 : 2, rate 0.5: spreads n = min(4/1, 3/2) = 1.5;
    // credit_a = 0.5 × 1.5 × 1 × 900/4 = 168.75; credit_b = 0.5 × 1.5 × 2 × 600/3 = 300 → 600 − 300 = 300 < 500 → 500
    apply_inter_commodity_credit(a, b, inter_commodity_spread<double>{1.0, 2.0, 0.5});
    CHECK(a.inter_spread_credit == 168.75);
    CHECK(a.requirement == 1000 - 168.75);
    CHECK(b.inter_spread_credit == 300.0);
    CHECK(b.requirement == 500.0);
    span_result<double> c = a, d = a;  // same-side deltas: no credit
    apply_inter_commodity_credit(c, d, inter_commodity_spread<double>{1.0, 1.0, 0.5});
    CHECK(c.inter_spread_credit == a.inter_spread_credit);
}

TEST_CASE("span_margin model: IM is the multiple of MM", "[stress][span]") {
    constexpr auto t = cme_span_scenarios<double>();
    const span_margin<double> m{{10000.0, 0.10}, {t.begin(), t.end()}, 1.1};
    CHECK_THAT(m.maintenance_margin(short_straddle()), WithinRel(4968.199500638286, 1e-9));
    CHECK_THAT(m.initial_margin(short_straddle()), WithinRel(1.1 * 4968.199500638286, 1e-9));
}

TEST_CASE("SPAN rejects bad input with the library's message", "[stress][span][errors]") {
    constexpr auto t = cme_span_scenarios<double>();
    const std::span<const span_scenario<double>> sc(t);
    std::array<double, 16> out{};
    std::array<double, 3> small{};
    REQUIRE_THROWS_MATCHES(span_risk_array(short_straddle(), span_parameters<double>{0.0, 0.1}, sc, std::span<double>(out)),
                           invalid_argument, Message("span_risk_array: price_scan_range is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(span_risk_array(short_straddle(), span_parameters<double>{1.0, -0.1}, sc, std::span<double>(out)),
                           invalid_argument, Message("span_risk_array: volatility_scan_range is -0.1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(span_risk_array(short_straddle(), span_parameters<double>{1.0, 0.1}, sc, std::span<double>(small)),
                           invalid_argument,
                           Message("span_risk_array: the size of losses is 3, but must be equal to the number of scenarios (16)"));
    REQUIRE_THROWS_MATCHES(span_risk_array(short_straddle(), span_parameters<double>{60000.0, 0.1}, sc, std::span<double>(out)),
                           invalid_argument,
                           Message("span_risk_array: scenarios[15] price move is -120000, but must be > -spot (100000)"));
    const std::vector<span_scenario<double>> bad{{0.0, 1.0, 1.5}};
    REQUIRE_THROWS_MATCHES(span_margin<double>({1.0, 0.1}, bad), invalid_argument,
                           Message("span_margin: scenarios[0].covered_fraction is 1.5, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(span_margin<double>({1.0, 0.1, 0.0, 0.0, -1.0}, {t.begin(), t.end()}), invalid_argument,
                           Message("span_margin: look_ahead_time is -1, but must be finite and >= 0"));
    REQUIRE_THROWS_MATCHES(span_margin<double>({1.0, 0.1}, {}), invalid_argument,
                           Message("span_margin: the size of scenarios is 0, but must be > 0"));
    REQUIRE_THROWS_MATCHES(span_margin<double>({1.0, 0.1}, {t.begin(), t.end()}, 0.9), invalid_argument,
                           Message("span_margin: initial_multiple is 0.9, but must be finite and >= 1"));
    const std::array<double, 2> nan_losses{1.0, std::numeric_limits<double>::quiet_NaN()};
    REQUIRE_THROWS_MATCHES(scanning_risk(std::span<const double>(nan_losses)), invalid_argument,
                           Message("scanning_risk: losses[1] is nan, but must be finite"));
    span_result<double> a, b;
    REQUIRE_THROWS_MATCHES(apply_inter_commodity_credit(a, b, inter_commodity_spread<double>{1.0, 1.0, 1.5}), invalid_argument,
                           Message("apply_inter_commodity_credit: credit_rate is 1.5, but must be in [0, 1]"));
}
