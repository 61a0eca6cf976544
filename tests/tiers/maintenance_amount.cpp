// Tests of include/margincall/tiers/maintenance_amount.hpp: the cum recursion reproduces the
// published cum column of Binance's BTCUSDT leverageBracket answer
// (tests/reference/binance_btcusdt_brackets.csv, sources in tests/reference/brackets_sources.md),
// and tier_schedule's amounts are the same recursion.
#include <margincall/tiers/maintenance_amount.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
struct row {
    double leverage, floor, cap, rate, cum;
};
std::vector<row> binance_btcusdt() {
    std::ifstream in(std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/binance_btcusdt_brackets.csv");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // bracket,initialLeverage,notionalFloor,notionalCap,maintMarginRatio,cum
    std::vector<row> out;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream cells(line);
        std::string cell;
        std::vector<double> v;
        while (std::getline(cells, cell, ',')) v.push_back(std::stod(cell));
        REQUIRE(v.size() == 6);
        out.push_back({v[1], v[2], v[3], v[4], v[5]});
    }
    return out;
}
}  // namespace

TEST_CASE("the cum step reproduces Binance's published BTCUSDT maintenance amounts", "[tiers]") {
    const auto table = binance_btcusdt();
    REQUIRE(table.size() == 10);
    double cum = 0, rate = 0;
    std::vector<bracket<double>> brackets;
    for (const auto& r : table) {
        cum = next_maintenance_amount(cum, rate, r.floor, r.rate);
        rate = r.rate;
        CAPTURE(r.floor);
        // The published column is whole USDT; the recursion in binary floating point is within
        // a few ulps of the largest term (3·10⁸ × 0.25).
        CHECK_THAT(cum, WithinAbs(r.cum, 1e-6));
        brackets.push_back({r.floor, r.cap, r.leverage, r.rate});
    }
    // The FAQ's worked step: level 3 = 250,000 × (1 % − 0.5 %) + 50 = 1,300.
    CHECK_THAT(next_maintenance_amount(50.0, 0.005, 250000.0, 0.01), WithinAbs(1300.0, 1e-9));
    static_assert(next_maintenance_amount(0.0, 0.0, 0.0, 0.004) == 0.0);
    // tier_schedule computes its amounts with the same step.
    const tier_schedule<double> s(brackets);
    double step = 0, previous_rate = 0;
    for (const auto& t : s.tiers()) {
        step = next_maintenance_amount(step, previous_rate, t.floor, t.maintenance_rate);
        previous_rate = t.maintenance_rate;
        CHECK(t.maintenance_amount == step);
    }
}
