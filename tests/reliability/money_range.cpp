// Issue #14, class 1: money in int64 cents is range-checked at the door, and no ledger sum can
// wrap and still read as balanced. The amounts are the issue's: a 100x long of 1e14 units at
// 1e4 (notional 1e18) with collateral 1e16, under a −50 % shock, and an insurance fund of
// 1e17. int64 holds ±9.22e18 cents = ±9.22e16 currency units; the door bound is 4.6e16
// (core/money.hpp, max_book_amount, whose comment proves the door's sums fit).
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/multi_asset_simulator.hpp>
#include <margincall/core/money.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;
using Catch::Matchers::Message;

TEST_CASE("a 100x long of 1e14 at 1e4 is refused by the cascade books at the door, by name", "[reliability][money]") {
    // Notional 1e14 × 1e4 = 1e18 currency units = 1e20 cents: its −50 % PnL (−5e19 cents) has no
    // int64 value, so the book refuses the position when it is built, naming it.
    const std::vector<double> q{1e14}, e{1e4}, c{1e16}, m{0.005};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(q, e, c, m), invalid_argument,
                           Message("liquidation_book: the notional at entry |quantity[0]| x entry_price[0] is 1e+18, but must "
                                   "be finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
    // The same position in a cross account.
    const std::vector<std::uint32_t> account{0}, asset{0};
    const std::vector<double> p0{1e4}, wallet{1e16};
    REQUIRE_THROWS_MATCHES(cross_margin_book<double>(p0, wallet, cross_legs<double>{account, asset, q, e, m}), invalid_argument,
                           Message("cross_margin_book: the notional at entry |legs.quantity[0]| x legs.entry_price[0] is 1e+18, "
                                   "but must be finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
    // Many positions each within the bound but together beyond it: the total is refused.
    const std::vector<double> q3{1e12, 1e12, 1e12}, e3{2e4, 2e4, 2e4}, c3{0, 0, 0}, m3{0.005, 0.005, 0.005};
    REQUIRE_THROWS_MATCHES(liquidation_book<double>(q3, e3, c3, m3), invalid_argument,
                           Message("liquidation_book: the total collateral plus notional at entry is 6e+16, but must be "
                                   "finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
}

TEST_CASE("an insurance fund of 1e17 is refused when the simulator is built, by name", "[reliability][money]") {
    const std::vector<double> q{1}, e{1e4}, c{100}, m{0.005};
    const liquidation_book<double> b(q, e, c, m);
    using sim = cascade_simulator<double>;
    REQUIRE_THROWS_MATCHES(
        sim(linear_impact<double>(0.0), {sim::venue{&b, {}, {1e17, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}, {}}}),
        invalid_argument,
        Message("cascade_simulator: insurance_fund is 1e+17, but must be finite, >= 0 and <= 4.6e16 (int64 cents, with room for "
                "the fund)"));
    using multi = multi_asset_simulator<double>;
    REQUIRE_THROWS_MATCHES(multi({multi::asset{linear_impact<double>(0.0), {}}}, nullptr,
                                 loss_waterfall<double>{1e17, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}),
                           invalid_argument,
                           Message("multi_asset_simulator: insurance_fund is 1e+17, but must be finite, >= 0 and <= 4.6e16 "
                                   "(int64 cents, with room for the fund)"));
}

TEST_CASE("a book and a fund at the door bound run a -50 % shock to a balanced ledger, exact to the cent",
          "[reliability][money]") {
    // One long of 4.5e12 at 1e4 (notional 4.5e16) with collateral 1e15: Σ C + Σ |q|·E = 4.6e16,
    // the bound; fund 4.6e16. m = 0: LP = E − C/q = 1e4 − 222.22… ≈ 9,777.78. A −50 % shock to
    // 5,000 with no impact fills at 5,000: PnL = 4.5e12 × (5,000 − 1e4) = −2.25e16, cash
    // 1e15 − 2.25e16 = −2.15e16, paid by the fund: fund 4.6e16 − 2.15e16 = 2.45e16, market
    // +2.25e16, no bad debt. In cents (all exact in double): 2.45e18 and 2.25e18.
    const std::vector<double> q{4.5e12}, e{1e4}, c{1e15}, m{0.0};
    const liquidation_book<double> b(q, e, c, m);
    using sim = cascade_simulator<double>;
    const sim s(linear_impact<double>(0.0), {sim::venue{&b, {}, {4.6e16, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}, {}}});
    const auto out = s.run(exogenous_shock<double>::instant_relative(1e4, -0.5));
    const auto& led = out.venues[0].ledger;
    CHECK(led.fund == 2'450'000'000'000'000'000);
    CHECK(led.market == 2'250'000'000'000'000'000);
    CHECK(led.bad_debt == 0);
    CHECK(led.collateral == 0);
    CHECK(led.balanced());
}

TEST_CASE("a ledger whose int64 sum would wrap to 0 is not balanced", "[reliability][money]") {
    // 2^62 in four buckets from nothing: Σ = 2^64, which an int64 sum wraps to 0 (and is
    // undefined behaviour). The ledger is off by 2^64 cents, not balanced.
    constexpr std::int64_t two62 = std::int64_t{1} << 62;
    cascade_ledger led;
    led.collateral = two62;
    led.fund = two62;
    led.keeper_rewards = two62;
    led.market = two62;
    CHECK_FALSE(led.balanced());
    CHECK(led.imbalance() == std::numeric_limits<std::int64_t>::max());  // saturated
    led.market = -two62;
    led.bad_debt = two62;  // 2^62 + 2^62 + 2^62 − 2^62 − 2^62 = 2^62
    CHECK(led.imbalance() == two62);
    led.keeper_rewards = 0;
    CHECK(led.balanced());
}
