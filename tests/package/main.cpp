// Built against the installed package: find_package(margincall COMPONENTS io), linking
// margincall::margincall and margincall::io (and margincall::parallel where oneTBB is found).
#include <margincall/io.hpp>
#include <margincall/margincall.hpp>

#include <cstdio>
#include <string_view>

static_assert(margincall::version_major == MARGINCALL_VERSION_MAJOR);
static_assert(MARGINCALL_VERSION == MARGINCALL_VERSION_MAJOR * 10000 + MARGINCALL_VERSION_MINOR * 100 +
                                        MARGINCALL_VERSION_PATCH);

int main() {
    int failures = 0;
    // The header's version is the one the installed config version file gave find_package.
    std::printf("installed margincall %s (package config says %s)\n", MARGINCALL_VERSION_STRING,
                MARGINCALL_PACKAGE_VERSION);
    if (margincall::version_string != std::string_view{MARGINCALL_PACKAGE_VERSION}) ++failures;

    const margincall::inverse_contract<double> btcusd{100.0};
    const double notional = btcusd.notional(100.0, 25000.0);  // Binance COIN-M FAQ: 0.4 BTC
    std::printf("100 BTCUSD contracts at 25000 = %.4f BTC\n", notional);
    if (!(notional > 0.3999 && notional < 0.4001)) ++failures;

    // margincall::io: a two-tier schedule from the generic JSON form; tier 2 of a
    // 50 000-notional position at 1 % maintenance with a 250 cumulative amount.
    const auto loaded = margincall::parse_tier_schedule_json(R"({"symbol": "TESTUSDT", "tiers": [
        {"floor": 0, "cap": 50000, "maintenance_rate": 0.005, "max_leverage": 50},
        {"floor": 50000, "cap": 250000, "maintenance_rate": 0.01, "max_leverage": 20}]})");
    const double maintenance = loaded.schedule.maintenance_margin(60000.0);  // 60000 * 0.01 - 250 = 350
    std::printf("io: %s, %zu tiers, maintenance margin of 60000 notional = %.2f\n", loaded.symbol.c_str(),
                loaded.schedule.tiers().size(), maintenance);
    if (loaded.symbol != "TESTUSDT" || loaded.schedule.tiers().size() != 2) ++failures;
    if (!(maintenance > 349.999 && maintenance < 350.001)) ++failures;

#if defined(MARGINCALL_HAS_TBB)
    // margincall::parallel: Σ_{i<1000} i = 499500 on a oneTBB arena of 2 workers.
    const double sum = margincall::ordered_sum<double>(margincall::tbb_executor{2}, margincall::fixed_chunks(1000, 64),
                                                       [](std::size_t i) { return static_cast<double>(i); });
    std::printf("parallel: ordered sum on 2 oneTBB workers = %.0f\n", sum);
    if (sum != 499500.0) ++failures;
#endif
    return failures;
}
