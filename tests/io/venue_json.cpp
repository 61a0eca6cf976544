// Tests of include/margincall/io/venue_json.hpp: each venue's public answer
// (tests/io/corpus/venue_*.json, sources in tests/io/venue_sources.md) loads into the library's
// model with the venue's published numbers, and bad fields fail naming the field and row.
#include <margincall/io/venue_json.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "catch.hpp"

using namespace margincall;

namespace {
const std::string venues = std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/../io/corpus/venue_";

/// `text` with its first `from` replaced by `to` (a field broken on purpose).
std::string with(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("Bybit: the documented risk-limit answer (percent) maps to one notional tier", "[io]") {
    const auto all = load_bybit_risk_limits<double>(venues + "bybit_risk_limit_doc.json", rate_unit::percent);
    REQUIRE(all.size() == 1);
    CHECK(all[0].symbol == "BTCUSD");
    const auto& s = all[0].schedule;
    REQUIRE(s.tiers().size() == 1);
    CHECK(s.basis() == tier_basis::notional);
    CHECK(s.tiers()[0].floor == 0);
    CHECK(s.tiers()[0].cap == 150);  // BTC of position value (inverse)
    CHECK(s.tiers()[0].max_leverage == 100);
    CHECK_THAT(s.tiers()[0].maintenance_rate, WithinAbs(0.005, 1e-15));
    // MM of a 100 BTC position: 100 × 0.5 % = 0.5 BTC.
    CHECK_THAT(s.maintenance_margin(100.0, 0.0), WithinAbs(0.5, 1e-12));
    // Read as fractions, the documented "1" at 100x is a unit mix-up, named with its row.
    CHECK_THROWS_WITH(load_bybit_risk_limits<double>(venues + "bybit_risk_limit_doc.json"),
                      Contains("/result/list/0/initialMargin is 1, but must be 0.01 = 1 / maxLeverage"));
}

TEST_CASE("Bybit: tiers sorted by riskLimitValue, mmDeduction checked by continuity", "[io]") {
    // Rows out of order as the API may send them; cum_2 = 2,000,000 × (0.0056 − 0.005) = 1,200.
    const std::string text = R"({"retCode":0,"result":{"category":"linear","list":[
        {"id":2,"symbol":"BTCUSDT","riskLimitValue":"2600000","maintenanceMargin":"0.0056","initialMargin":"0.0111",
         "maxLeverage":"90.00","mmDeduction":"1200"},
        {"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","initialMargin":"0.01",
         "maxLeverage":"100.00","mmDeduction":""}]}})";
    const auto all = parse_bybit_risk_limits<double>(text, "b.json");
    const auto& s = all.at(0).schedule;
    REQUIRE(s.tiers().size() == 2);
    CHECK(s.tiers()[1].floor == 2000000);
    CHECK_THAT(s.tiers()[1].maintenance_amount, WithinAbs(1200.0, 1e-9));
    // 2,500,000 × 0.56 % − 1,200 = 12,800.
    CHECK_THAT(s.maintenance_margin(2500000.0, 0.0), WithinAbs(12800.0, 1e-6));

    const std::string wrong = with(text, "\"1200\"", "\"1300\"");
    CHECK_THROWS_WITH(parse_bybit_risk_limits<double>(wrong, "b.json"),
                      Contains("maintenance_amount of tier 2 is 1300, but must be 1200"));
    const std::string bad = with(text, "\"0.0056\"", "\"0.0O56\"");
    CHECK_THROWS_WITH(parse_bybit_risk_limits<double>(bad, "b.json"),
                      Contains("parse_bybit_risk_limits(b.json): /result/list/0/maintenanceMargin is \"0.0O56\""));
    CHECK_THROWS_WITH(parse_bybit_risk_limits<double>(R"({"retCode":10001,"result":{}})", "b.json"),
                      Contains("/retCode is 10001"));
}

TEST_CASE("OKX: position tiers in contracts, maxSz inside its tier as OKX counts it", "[io]") {
    const auto all = load_okx_position_tiers<double>(venues + "okx_position_tiers_eth_usdt.json");
    REQUIRE(all.size() == 1);
    CHECK(all[0].symbol == "ETH-USDT");
    const auto& s = all[0].schedule;
    CHECK(s.basis() == tier_basis::quantity);
    REQUIRE(s.tiers().size() == 3);
    // freqtrade's expectations for the same rows (tests/exchange/test_okx.py).
    CHECK(s.maintenance_rate(2000.0) == 0.01);
    CHECK(s.maintenance_rate(2001.0) == 0.015);
    CHECK(s.maintenance_rate(4001.0) == 0.02);
    CHECK(s.maintenance_rate(7999.0) == 0.02);
    CHECK(s.max_leverage(0.0, 3000.0) == 50);
    CHECK(s.size_limit() == 8000);
    // Quantity basis: MM = value × mmr of the quantity's tier, no deduction: 3000 contracts
    // worth 90,000 USDT → 90,000 × 1.5 % = 1,350.
    CHECK_THAT(s.maintenance_margin(90000.0, 3000.0), WithinAbs(1350.0, 1e-9));

    const auto doc = load_okx_position_tiers<double>(venues + "okx_position_tiers_doc.json");
    REQUIRE(doc.size() == 1);
    CHECK(doc[0].symbol == "BTC-USDT");  // instFamily and uly empty: the instId names it
    CHECK(doc[0].schedule.tiers()[0].cap == 50);
    CHECK(doc[0].schedule.tiers()[0].max_leverage == 10);
    CHECK(doc[0].schedule.tiers()[0].maintenance_rate == 0.03);
}

TEST_CASE("OKX: gaps, misnumbered tiers and bad numbers name the row", "[io]") {
    const std::string ok = R"({"code":"0","data":[
        {"uly":"X-USDT","tier":"1","minSz":"0","maxSz":"10","mmr":"0.01","imr":"0.02","maxLever":"50"},
        {"uly":"X-USDT","tier":"2","minSz":"11","maxSz":"20","mmr":"0.02","imr":"0.04","maxLever":"25"}]})";
    CHECK(parse_okx_position_tiers<double>(ok, "o.json").at(0).schedule.tiers()[1].floor == 11);
    const std::string gap = with(ok, "\"11\"", "\"15\"");
    CHECK_THROWS_WITH(parse_okx_position_tiers<double>(gap, "o.json"),
                      Contains("parse_okx_position_tiers(o.json): /data/1/minSz is 15, but must be 10 or 11"));
    const std::string tier = with(ok, "\"tier\":\"2\"", "\"tier\":\"3\"");
    CHECK_THROWS_WITH(parse_okx_position_tiers<double>(tier, "o.json"), Contains("/data/1/tier is 3, but must be 2"));
    const std::string imr = with(ok, "\"0.04\"", "\"0.01\"");
    CHECK_THROWS_WITH(parse_okx_position_tiers<double>(imr, "o.json"), Contains("/data/1/imr is 0.01"));
    CHECK_THROWS_WITH(parse_okx_position_tiers<double>(R"({"code":"51001","data":[]})", "o.json"),
                      Contains("/code is \"51001\""));
}

TEST_CASE("Hyperliquid: meta answer, MMR half the initial rate at max leverage", "[io]") {
    const auto all = load_hyperliquid_meta<double>(venues + "hyperliquid_meta_doc.json");
    REQUIRE(all.size() == 4);
    CHECK(all[0].symbol == "BTC");
    CHECK(all[0].schedule.tiers()[0].max_leverage == 50);
    CHECK(all[0].schedule.tiers()[0].maintenance_rate == 0.01);  // 1 / (2 × 50)
    CHECK(std::isinf(all[0].schedule.size_limit()));
    CHECK(all[3].symbol == "LOOM");
    CHECK_THAT(all[2].schedule.tiers()[0].maintenance_rate, WithinAbs(1.0 / 6.0, 1e-15));

    // An asset naming a table uses it: the docs' "tiered 10x" table 51.
    const std::string with_id = R"({"universe":[{"name":"X","szDecimals":1,"maxLeverage":10,"marginTableId":51}],
        "marginTables":[[51,{"description":"tiered 10x","marginTiers":[{"lowerBound":"0.0","maxLeverage":10},
        {"lowerBound":"3000000.0","maxLeverage":5}]}]]})";
    const auto x = parse_hyperliquid_meta<double>(with_id, "m.json").at(0).schedule;
    REQUIRE(x.tiers().size() == 2);
    // deduction = 3,000,000 × (10 % − 5 %) = 150,000; MM(4,000,000) = 400,000 − 150,000.
    CHECK_THAT(x.tiers()[1].maintenance_amount, WithinAbs(150000.0, 1e-6));
    CHECK_THAT(x.maintenance_margin(4000000.0, 0.0), WithinAbs(250000.0, 1e-6));
    // An unlisted id below 50 is one tier at that leverage (Hyperliquid docs, "Margin tiers").
    const std::string flat = with(with_id, "\"marginTableId\":51", "\"marginTableId\":20");
    const auto f = parse_hyperliquid_meta<double>(flat, "m.json").at(0).schedule;
    REQUIRE(f.tiers().size() == 1);
    CHECK(f.tiers()[0].max_leverage == 20);
    CHECK(f.tiers()[0].maintenance_rate == 0.025);  // the docs' example: 2.5 % at 20x
    const std::string missing = with(with_id, "\"marginTableId\":51", "\"marginTableId\":52");
    CHECK_THROWS_WITH(parse_hyperliquid_meta<double>(missing, "m.json"),
                      Contains("parse_hyperliquid_meta(m.json): /universe/0/marginTableId is 52, but must be an id listed"));
    const std::string bound = with(with_id, "\"3000000.0\"", "\"0.0\"");
    CHECK_THROWS_WITH(parse_hyperliquid_meta<double>(bound, "m.json"),
                      Contains("/marginTables/0/1/marginTiers/1/lowerBound is 0, but must be > 0"));
}

TEST_CASE("Hyperliquid: BTC's margin table (40x to 150M, 20x above)", "[io]") {
    const auto t = parse_hyperliquid_margin_table<double>(
        read_text_file("test", venues + "hyperliquid_margin_table_btc.json"), "btc.json");
    CHECK(t.symbol == "tiered 40x");
    const auto& s = t.schedule;
    REQUIRE(s.tiers().size() == 2);
    CHECK(s.tiers()[0].cap == 150000000);
    CHECK(s.tiers()[0].maintenance_rate == 0.0125);
    CHECK(s.tiers()[1].maintenance_rate == 0.025);
    // deduction = 150M × (2.5 % − 1.25 %) = 1,875,000; MM(200M) = 5,000,000 − 1,875,000.
    CHECK_THAT(s.maintenance_margin(200000000.0, 0.0), WithinAbs(3125000.0, 1e-3));
    // Continuous at the bound: 150M × 1.25 % = 1,875,000 from either side.
    CHECK_THAT(s.maintenance_margin(150000000.0, 0.0), WithinAbs(1875000.0, 1e-3));
}

TEST_CASE("dYdX v4: perpetual market → open_interest_scaled", "[io]") {
    const auto all = load_dydx_perpetual_markets<double>(venues + "dydx_perpetual_markets_btc.json");
    REQUIRE(all.size() == 1);
    const auto& m = all[0];
    CHECK(m.ticker == "BTC-USD");
    CHECK(m.model.base_imf() == 0.02);
    CHECK_THAT(m.model.maintenance_rate(), WithinAbs(0.012, 1e-15));
    CHECK(std::isinf(m.model.upper_cap()));  // dYdX's upper cap 0 = no scaling
    CHECK_THAT(m.model.open_interest(), WithinAbs(52.0691 * 118976.5376, 1e-6));
    CHECK_THAT(m.model.max_leverage(1.0, 1.0), WithinAbs(50.0, 1e-12));
    // MM of a 1,000,000 USDC position: 1.2 % = 12,000.
    CHECK_THAT(m.model.maintenance_margin(1000000.0, 0.0), WithinAbs(12000.0, 1e-9));

    // Scaled market (dYdX's isolated TRY-USD parameters: caps 500,000 / 1,000,000): at OI
    // 750,000 USDC, IMF = 0.01 + 0.5 × 0.99 = 0.505.
    const std::string scaled = R"({"markets":{"TRY-USD":{"initialMarginFraction":"0.01",
        "maintenanceMarginFraction":"0.005","openInterest":"750000","oraclePrice":"1",
        "openInterestLowerCap":"500000","openInterestUpperCap":"1000000"}}})";
    CHECK_THAT(parse_dydx_perpetual_markets<double>(scaled).at(0).model.initial_fraction(), WithinAbs(0.505, 1e-12));
    const std::string bad = with(scaled, "\"0.005\"", "\"0.02\"");
    CHECK_THROWS_WITH(parse_dydx_perpetual_markets<double>(bad, "d.json"),
                      Contains("parse_dydx_perpetual_markets(d.json): /markets/TRY-USD/maintenanceMarginFraction is 0.02"));
    const std::string missing = with(scaled, "\"oraclePrice\"", "\"indexPrice\"");
    CHECK_THROWS_WITH(parse_dydx_perpetual_markets<double>(missing, "d.json"),
                      Contains("/markets/TRY-USD/oraclePrice is missing"));
}

TEST_CASE("Deribit: futures from get_instruments → size-linear margin", "[io]") {
    const auto all = load_deribit_instruments<double>(venues + "deribit_instruments_doc.json");
    REQUIRE(all.size() == 1);
    const auto& f = all[0];
    CHECK(f.instrument_name == "BTC-29SEP23");
    CHECK(f.inverse);
    CHECK(f.contract_size == 10);
    // Deribit's published BTC futures margin: IM 2 % + 0.005 % per BTC, MM 1 % + 0.005 % per BTC.
    const auto model = f.margin(0.00005);
    CHECK_THAT(model.initial_rate(0.0), WithinAbs(0.02, 1e-15));
    CHECK_THAT(model.maintenance_rate(0.0), WithinAbs(0.01, 1e-15));
    CHECK_THAT(model.initial_rate(100.0), WithinAbs(0.025, 1e-15));
    const std::string bad = R"({"result":[{"kind":"future","instrument_name":"X","instrument_type":"reversed",
        "contract_size":10,"max_leverage":"fifty"}]})";
    CHECK_THROWS_WITH(parse_deribit_instruments<double>(bad, "r.json"),
                      Contains("parse_deribit_instruments(r.json): /result/0/max_leverage is \"fifty\""));
    CHECK_THROWS_WITH(parse_deribit_instruments<double>(R"({"result":[{"kind":"option"}]})", "r.json"),
                      Contains("/result is without futures"));
}
