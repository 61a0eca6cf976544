// Tests of include/margincall/margin/margin_status.hpp: margin ratio, status levels, call amount.
#include <margincall/margin/margin_status.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <random>

#include "catch.hpp"

using namespace margincall;

TEMPLATE_TEST_CASE("Bybit isolated example: status along the way to the published liquidation price", "[margin]", float,
                   double, long double) {
    using R = TestType;
    // Bybit "Liquidation Price (USDT Contract)", Example 1: long 1 BTC @ 20,000, 50x, MMR 0.5 %
    // → IM 400, MM 100, LP 19,700. Isolated equity = IM + uPnL = 400 + (mark − 20,000); MM at
    // the entry notional is 100 (the example keeps MM at the entry value).
    const status_thresholds<R> t{};  // warning 0.5, call 0.8
    const R im(400), mm(100);
    // mark 20,000: equity 400, r = 0.25 → healthy
    auto s = summarise_margin(R(400), im, mm, t);
    CHECK(s.status == margin_status::healthy);
    CHECK(s.margin_ratio == R(0.25));
    CHECK(s.call_amount == R(0));
    CHECK(s.available_balance == R(0));
    // mark 19,800: equity 200, r = 0.5 → warning (levels are inclusive)
    s = summarise_margin(R(200), im, mm, t);
    CHECK(s.status == margin_status::warning);
    CHECK(s.call_amount == R(200));
    // mark 19,720: equity 120, r = 0.8333 → margin call; the call restores equity to IM: 280
    s = summarise_margin(R(120), im, mm, t);
    CHECK(s.status == margin_status::margin_call);
    CHECK(s.call_amount == R(280));
    // mark 19,700 (the published LP): equity 100 = MM → liquidation, exactly at the boundary
    s = summarise_margin(R(100), im, mm, t);
    CHECK(s.status == margin_status::liquidation);
    CHECK(s.margin_ratio == R(1));
    CHECK(s.call_amount == R(300));
    // one tick above: equity 100.5 > MM → not yet liquidation
    CHECK(summarise_margin(R(100.5), im, mm, t).status == margin_status::margin_call);
}

TEST_CASE("non-positive equity: ratio +inf, liquidation, call restores IM", "[margin]") {
    const status_thresholds<double> t{};
    const auto s = summarise_margin(-50.0, 400.0, 100.0, t);
    CHECK(s.margin_ratio == std::numeric_limits<double>::infinity());
    CHECK(s.status == margin_status::liquidation);
    CHECK(s.call_amount == 450.0);
    CHECK(s.available_balance == 0.0);
    CHECK(summarise_margin(0.0, 0.0, 0.0, t).status == margin_status::liquidation);
    // no positions, positive equity: nothing at risk
    const auto flat = summarise_margin(1000.0, 0.0, 0.0, t);
    CHECK(flat.status == margin_status::healthy);
    CHECK(flat.margin_ratio == 0.0);
    CHECK(flat.available_balance == 1000.0);
}

TEST_CASE("call_below_initial turns equity < IM into a margin call", "[margin]") {
    status_thresholds<double> t{};
    t.call_below_initial = true;
    // equity 390 < IM 400, r = 100/390 = 0.256 < warning: a call only because of the flag
    CHECK(classify_margin(390.0, 400.0, 100.0, t) == margin_status::margin_call);
    CHECK(classify_margin(400.0, 400.0, 100.0, t) == margin_status::healthy);
    t.call_below_initial = false;
    CHECK(classify_margin(390.0, 400.0, 100.0, t) == margin_status::healthy);
}

TEST_CASE("call amount is zero exactly when equity >= IM (property)", "[margin][property]") {
    std::mt19937_64 gen(20261128);
    std::uniform_real_distribution<double> u(-1e6, 1e6);
    for (int i = 0; i < 20000; ++i) {
        const double im = std::abs(u(gen));
        const double equity = (i % 10 == 0) ? im : u(gen);  // hit equality often
        const double call = call_amount(im, equity);
        CHECK((call == 0.0) == (equity >= im));
        CHECK(call >= 0.0);
        if (equity < im)  // the deposit restores IM, to the rounding of one subtraction
            CHECK_THAT(equity + call, WithinAbs(im, 1e-15 * (std::abs(equity) + im)));
        const double avail = available_balance(im, equity);
        CHECK((avail == 0.0) == (equity <= im));
    }
}

TEST_CASE("status is monotone in equity (property)", "[margin][property]") {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0.0, 1e5);
    const status_thresholds<double> t{0.3, 0.9, false};
    for (int i = 0; i < 5000; ++i) {
        const double mm = u(gen), im = 2 * mm, e1 = u(gen) - 1e4, e2 = e1 + u(gen);
        CHECK(classify_margin(e2, im, mm, t) <= classify_margin(e1, im, mm, t));
    }
}

TEST_CASE("thresholds are validated", "[margin][errors]") {
    REQUIRE_THROWS_MATCHES(check_status_thresholds("account", status_thresholds<double>{0.0, 0.8, false}),
                           invalid_argument, Message("account: warning_ratio is 0, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(check_status_thresholds("account", status_thresholds<double>{1.5, 0.8, false}),
                           invalid_argument, Message("account: warning_ratio is 1.5, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(
        check_status_thresholds("account", status_thresholds<double>{std::numeric_limits<double>::quiet_NaN(), 0.8, false}),
        invalid_argument, Message("account: warning_ratio is nan, but must be in (0, 1]"));
    REQUIRE_THROWS_MATCHES(check_status_thresholds("account", status_thresholds<double>{0.5, 0.4, false}),
                           invalid_argument, Message("account: call_ratio is 0.4, but must be in [0.5, 1]"));
    REQUIRE_THROWS_MATCHES(check_status_thresholds("account", status_thresholds<double>{0.5, 1.2, false}),
                           invalid_argument, Message("account: call_ratio is 1.2, but must be in [0.5, 1]"));
    CHECK_NOTHROW(check_status_thresholds("account", status_thresholds<double>{1.0, 1.0, false}));
}

TEST_CASE("status names", "[margin]") {
    CHECK(std::string(to_string(margin_status::healthy)) == "healthy");
    CHECK(std::string(to_string(margin_status::warning)) == "warning");
    CHECK(std::string(to_string(margin_status::margin_call)) == "margin_call");
    CHECK(std::string(to_string(margin_status::liquidation)) == "liquidation");
}
