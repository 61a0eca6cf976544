// Tests of include/margincall/io/bracket_json.hpp: Binance leverage-bracket JSON and the
// generic form, and every error naming source, JSON path and field.
#include <margincall/io/bracket_json.hpp>

#include <string>

#include "catch.hpp"

using namespace margincall;

namespace {
const std::string corpus = std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/../io/corpus/";
}

TEST_CASE("Binance USD-M leverageBracket answer loads the published table", "[io]") {
    // tests/io/corpus/binance_usdm.json: BTCUSDT is tests/reference/binance_btcusdt_brackets.csv
    // (a real GET /fapi/v1/leverageBracket answer, sources in brackets_sources.md) in the API's
    // JSON shape; ETHUSDT the 2021 brackets 1–3 (gist crackcomm/e29582030d9eeac6c6124a7503cd0ac2).
    const auto all = load_binance_brackets<double>(corpus + "binance_usdm.json");
    REQUIRE(all.size() == 2);
    CHECK(all[0].symbol == "BTCUSDT");
    const auto& s = all[0].schedule;
    REQUIRE(s.tiers().size() == 10);
    CHECK(s.basis() == tier_basis::notional);
    CHECK(s.tiers()[2].floor == 250000);
    CHECK(s.tiers()[2].cap == 3000000);
    CHECK(s.tiers()[2].max_leverage == 50);
    CHECK(s.tiers()[9].maintenance_rate == 0.5);
    // Binance FAQ: 264,000 USDT falls in the 1 % tier; level 3 cum = 1,300.
    CHECK(s.maintenance_rate(264000.0) == 0.01);
    CHECK_THAT(s.maintenance_amount(500000.0), WithinAbs(1300.0, 1e-9));
    CHECK_THAT(s.tiers()[9].maintenance_amount, WithinAbs(103046300.0, 1e-6));
    CHECK(all[1].symbol == "ETHUSDT");
    CHECK_THAT(all[1].schedule.tiers()[2].maintenance_amount, WithinAbs(365.0, 1e-9));
}

TEST_CASE("Binance COIN-M answer (pair, qtyFloor/qtyCap or the documented qtylFloor)", "[io]") {
    const auto all = load_binance_brackets<double>(corpus + "binance_coinm.json");
    REQUIRE(all.size() == 1);
    CHECK(all[0].symbol == "BTCUSD");
    CHECK(all[0].schedule.tiers()[1].floor == 5);
    CHECK_THAT(all[0].schedule.tiers()[2].maintenance_amount, WithinAbs(0.055, 1e-15));
    // Binance's COIN-M documentation example (symbol, qtylFloor), one object instead of an array.
    const auto doc = parse_binance_brackets<double>(
        R"({"symbol": "BTCUSD_PERP", "notionalCoef": 1.50, "brackets": [
              {"bracket": 1, "initialLeverage": 125, "qtyCap": 50, "qtylFloor": 0, "maintMarginRatio": 0.004, "cum": 0.0}]})");
    REQUIRE(doc.size() == 1);
    CHECK(doc[0].symbol == "BTCUSD_PERP");
    CHECK(doc[0].schedule.tiers()[0].cap == 50);
}

TEST_CASE("generic form: basis, open-ended last tier, optional amounts", "[io]") {
    const auto g = load_tier_schedule_json<double>(corpus + "generic_okx_style.json");
    CHECK(g.symbol == "ADA-USDT-SWAP");
    CHECK(g.schedule.basis() == tier_basis::quantity);
    CHECK(g.schedule.tiers().back().cap == std::numeric_limits<double>::infinity());
    CHECK(g.schedule.maintenance_rate(7000.0) == 0.015);
    const auto f = parse_tier_schedule_json<float>(R"({"tiers": [{"floor": 0, "cap": null, "max_leverage": 10, "maintenance_rate": 0.05}]})");
    CHECK(f.schedule.tiers().size() == 1);
}

TEST_CASE("bracket JSON errors name the source, the JSON path and the field", "[io][errors]") {
    using M = margincall::invalid_argument;
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\",\n \"brackets\": [}]", "x.json"), M,
                           Message("parse_binance_brackets(x.json): the JSON text at line 2, column 15 is malformed, but must be valid JSON"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("", "x.json"), M,
                           Message("parse_binance_brackets(x.json): the JSON text at line 1, column 1 is malformed, but must be valid JSON"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("42", "x.json"), M,
                           Message("parse_binance_brackets(x.json): (root) is a number, but must be an array or an object"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[]", "x.json"), M,
                           Message("parse_binance_brackets(x.json): (root) is empty, but must be a non-empty array"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>(R"([{"brackets": []}])", "x.json"), M,
                           Message("parse_binance_brackets(x.json): /0/symbol is missing, but must be present (\"symbol\" for USD-M, \"pair\" for COIN-M)"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>(R"([{"symbol": 7, "brackets": []}])", "x.json"), M,
                           Message("parse_binance_brackets(x.json): /0/symbol is a number, but must be a string"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>(R"([{"symbol": "X", "brackets": {}}])", "x.json"), M,
                           Message("parse_binance_brackets(x.json): /0/brackets is a object, but must be an array"));
    const std::string ok1 = R"({"bracket": 1, "initialLeverage": 125, "notionalCap": 50000, "notionalFloor": 0, "maintMarginRatio": 0.004, "cum": 0})";
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + ok1 +
                                                              R"(, {"bracket": 3, "initialLeverage": 100, "notionalCap": 250000, "notionalFloor": 50000, "maintMarginRatio": 0.005, "cum": 50}]}])",
                                                          "x.json"),
                           M, Message("parse_binance_brackets(x.json): /0/brackets/1/bracket is 3, but must be 2 (brackets numbered from 1, in order)"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + ok1 +
                                                              R"(, {"bracket": 2, "initialLeverage": 100, "notionalCap": 250000, "notionalFloor": 50000, "maintMarginRatio": "0.005", "cum": 50}]}])",
                                                          "x.json"),
                           M, Message("parse_binance_brackets(x.json): /0/brackets/1/maintMarginRatio is a string (\"0.005\"), but must be a number"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + ok1 +
                                                              R"(, {"bracket": 2, "initialLeverage": 100, "notionalFloor": 50000, "maintMarginRatio": 0.005, "cum": 50}]}])",
                                                          "x.json"),
                           M, Message("parse_binance_brackets(x.json): /0/brackets/1/notionalCap is missing, but must be present"));
    // Inconsistent cum: tier_schedule's validation, prefixed with source and path.
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + ok1 +
                                                              R"(, {"bracket": 2, "initialLeverage": 100, "notionalCap": 250000, "notionalFloor": 50000, "maintMarginRatio": 0.005, "cum": 60}]}])",
                                                          "x.json"),
                           M, Message("parse_binance_brackets(x.json): /0/brackets: tier_schedule: maintenance_amount of tier 2 is 60, "
                                      "but must be 50, the amount that makes maintenance margin continuous at the tier's floor"));
    // Gap between brackets.
    REQUIRE_THROWS_WITH(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + ok1 +
                                                           R"(, {"bracket": 2, "initialLeverage": 100, "notionalCap": 250000, "notionalFloor": 60000, "maintMarginRatio": 0.005, "cum": 50}]}])",
                                                       "x.json"),
                        Contains("/0/brackets: tier_schedule: floor of tier 2 is 60000") && Contains("gap between brackets"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>(R"([{"pair": "BTCUSD", "brackets": [{"bracket": 1, "initialLeverage": 125, "qtyCap": 5, "qtyFloor": 0, "qtylFloor": 0, "maintMarginRatio": 0.004, "cum": 0}]}])", "c.json"),
                           M, Message("parse_binance_brackets(c.json): /0/brackets/0/qtylFloor is present beside qtyFloor, but must be absent (one floor field)"));
    // Overflowing numbers and hostile nesting.
    REQUIRE_THROWS_WITH(parse_binance_brackets<double>("[1e999]", "x.json"), StartsWith("parse_binance_brackets(x.json): "));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>(std::string(100, '[') + std::string(100, ']'), "deep.json"), M,
                           Message("parse_binance_brackets(deep.json): the JSON nesting depth is 17, but must be <= 16"));
    // Generic form.
    REQUIRE_THROWS_MATCHES(parse_tier_schedule_json<double>(R"({"basis": "notionals", "tiers": []})", "g.json"), M,
                           Message("parse_tier_schedule_json(g.json): /basis is \"notionals\", but must be \"notional\" or \"quantity\""));
    REQUIRE_THROWS_MATCHES(parse_tier_schedule_json<double>(R"({"tiers": []})", "g.json"), M,
                           Message("parse_tier_schedule_json(g.json): /tiers is empty, but must be a non-empty array"));
    REQUIRE_THROWS_MATCHES(parse_tier_schedule_json<double>(R"({"tiers": [{"floor": 0, "cap": null, "max_leverage": 10}]})", "g.json"), M,
                           Message("parse_tier_schedule_json(g.json): /tiers/0/maintenance_rate is missing, but must be present"));
    REQUIRE_THROWS_MATCHES(parse_tier_schedule_json<double>(R"([1])", "g.json"), M,
                           Message("parse_tier_schedule_json(g.json): (root) is a array, but must be an object"));
    // Files.
    REQUIRE_THROWS_MATCHES(load_binance_brackets<double>(corpus + "does-not-exist.json"), M,
                           Message("load_binance_brackets: the file is " + corpus + "does-not-exist.json, but must be a readable file"));
}

TEST_CASE("bracket JSON: repeated keys are refused, a byte-order mark is accepted", "[io][errors]") {
    using M = margincall::invalid_argument;
    const std::string ok1 = R"({"bracket": 1, "initialLeverage": 125, "notionalCap": 50000, "notionalFloor": 0, "maintMarginRatio": 0.004, "cum": 0})";
    // nlohmann keeps the last of two equal keys: this table would silently get 0.5 % for tier 1.
    const std::string dup = R"({"bracket": 1, "initialLeverage": 125, "notionalCap": 50000, "notionalFloor": 0, "maintMarginRatio": 0.004, "maintMarginRatio": 0.005, "cum": 0})";
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + dup + "]}]", "d.json"), M,
                           Message("parse_binance_brackets(d.json): the JSON key \"maintMarginRatio\" is repeated in one object, "
                                   "but must be unique within its object"));
    REQUIRE_THROWS_MATCHES(parse_binance_brackets<double>("[{\"symbol\": \"X\", \"symbol\": \"Y\", \"brackets\": [" + ok1 + "]}]", "d.json"), M,
                           Message("parse_binance_brackets(d.json): the JSON key \"symbol\" is repeated in one object, "
                                   "but must be unique within its object"));
    REQUIRE_THROWS_WITH(parse_tier_schedule_json<double>(R"({"basis": "notional", "basis": "quantity", "tiers": []})", "g.json"),
                        Contains("the JSON key \"basis\" is repeated in one object"));
    // The same key in sibling objects is fine (one set of keys per object).
    const std::string ok2 = R"({"bracket": 2, "initialLeverage": 100, "notionalCap": 250000, "notionalFloor": 50000, "maintMarginRatio": 0.005, "cum": 50})";
    const auto two = parse_binance_brackets<double>("[{\"symbol\": \"X\", \"brackets\": [" + ok1 + ", " + ok2 + "]}]", "ok.json");
    REQUIRE(two.size() == 1);
    CHECK(two[0].schedule.tiers().size() == 2);
    // A UTF-8 byte-order mark before the text.
    const auto bom = parse_binance_brackets<double>("\xEF\xBB\xBF[{\"symbol\": \"X\", \"brackets\": [" + ok1 + "]}]", "bom.json");
    CHECK(bom[0].symbol == "X");
}
