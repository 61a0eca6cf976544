// Tests of include/margincall/contracts/{linear,inverse,quanto}_contract.hpp.
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>

#include <limits>

#include "catch.hpp"

using namespace margincall;

static_assert(contract<linear_contract<double>, double>);
static_assert(contract<inverse_contract<double>, double>);
static_assert(contract<quanto_contract<long double>, long double>);
struct not_a_contract { double pnl(double, double, double) const { return 0; } };
static_assert(!contract<not_a_contract, double>);

TEMPLATE_TEST_CASE("linear contract: PnL, notional and value are linear in price", "[contracts]", float, double,
                   long double) {
    const linear_contract<TestType> btcusdt{};
    // Bybit USDT contract example: long 1 BTC at 20,000 → position value 20,000 USDT.
    CHECK(btcusdt.notional(TestType(1), TestType(20000)) == TestType(20000));
    CHECK(btcusdt.notional(TestType(-2), TestType(20000)) == TestType(40000));
    CHECK(btcusdt.value(TestType(-2), TestType(20000)) == TestType(-40000));
    CHECK(btcusdt.pnl(TestType(1), TestType(20000), TestType(19700)) == TestType(-300));
    CHECK(btcusdt.pnl(TestType(-1), TestType(20000), TestType(19700)) == TestType(300));
    const linear_contract<TestType> mini{TestType(0.001)};  // a 0.001 BTC contract
    CHECK_THAT(double(mini.pnl(TestType(1000), TestType(100), TestType(110))), WithinRel(10.0, 1e-6));
    CHECK(btcusdt.currency() == margin_currency::quote);
}

TEST_CASE("inverse contract: Binance COIN-M and Bybit published figures", "[contracts]") {
    const inverse_contract<double> btcusd{100.0};
    // Binance COIN-M FAQ: 100 BTCUSD contracts (100 USD each) at mark 25,000 → notional 0.4 BTC.
    CHECK_THAT(btcusd.notional(100.0, 25000.0), WithinRel(0.4, 1e-15));
    // Bybit inverse IM example: 12,000 contracts (1 USD each) at 8,000 → 1.5 BTC; /50x → 0.03 BTC.
    const inverse_contract<double> bybit{1.0};
    CHECK_THAT(bybit.notional(12000.0, 8000.0) / 50.0, WithinRel(0.03, 1e-15));
    // Hand-derived: long 10,000 USD of contracts from 10,000 to 20,000 earns 1 − 0.5 = 0.5 BTC;
    // the short loses the same; long PnL is bounded by q·CV/E = 1 BTC.
    CHECK_THAT(bybit.pnl(10000.0, 10000.0, 20000.0), WithinRel(0.5, 1e-15));
    CHECK_THAT(bybit.pnl(-10000.0, 10000.0, 20000.0), WithinRel(-0.5, 1e-15));
    CHECK(bybit.pnl(10000.0, 10000.0, 1e300) <= 1.0);
    CHECK(btcusd.currency() == margin_currency::base);
}

TEST_CASE("quanto contract pays a fixed settlement amount per index point", "[contracts]") {
    // BitMEX ETHUSD: 0.000001 XBT per contract per 1 USD of ETH price. 1,000 contracts long,
    // ETH 3,000 → 3,100: 1,000 × 1e-6 × 100 = 0.1 XBT, whatever the XBT/USD rate.
    const quanto_contract<double> ethusd{1e-6};
    CHECK_THAT(ethusd.pnl(1000.0, 3000.0, 3100.0), WithinRel(0.1, 1e-12));
    CHECK_THAT(ethusd.notional(-1000.0, 3000.0), WithinRel(3.0, 1e-12));
    CHECK(ethusd.currency() == margin_currency::settlement);
}

TEST_CASE("contract sizes are validated", "[contracts][errors]") {
    REQUIRE_THROWS_MATCHES(linear_contract<double>{0.0}, invalid_argument,
                           Message("linear_contract: multiplier is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(inverse_contract<double>{-100.0}, invalid_argument,
                           Message("inverse_contract: contract_value is -100, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(quanto_contract<double>{std::numeric_limits<double>::quiet_NaN()}, invalid_argument,
                           Message("quanto_contract: multiplier is nan, but must be finite and > 0"));
}
