// Built against the installed package: find_package(margincall) + margincall::margincall.
#include <margincall/margincall.hpp>

#include <cstdio>

int main() {
    const margincall::inverse_contract<double> btcusd{100.0};
    const double notional = btcusd.notional(100.0, 25000.0);  // Binance COIN-M FAQ: 0.4 BTC
    std::printf("installed margincall: 100 BTCUSD contracts at 25000 = %.4f BTC\n", notional);
    return notional > 0.3999 && notional < 0.4001 ? 0 : 1;
}
