// Tests of include/margincall/io/span_risk_parameter_file.hpp: tests/io/corpus/span_mcmillan.pa2,
// a file written field by field from CME's public expanded-format layout
// (tests/reference/io_span_expanded_fixture.py) holding McMillan's S&P 500 futures and Dec 410
// call arrays ("Options as a Strategic Investment", ch. 34, pp. 668-671); loaded, combined into
// his covered write, and every malformed record refused by name.
#include <margincall/io/span_risk_parameter_file.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "stress/mcmillan_span_rows.hpp"

using namespace margincall;

namespace {
const std::string corpus = std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/../io/corpus/";
using test::mcmillan_covered_write;
using test::mcmillan_futures;

// A record of `n` blanks with `text` written at 1-based position `at`.
std::string put(std::string r, std::size_t at, const std::string& text) {
    if (r.size() < at - 1 + text.size()) r.resize(at - 1 + text.size(), ' ');
    r.replace(at - 1, text.size(), text);
    return r;
}
const std::string key = "CMESP        SP        FUT 199812                   ";  // positions 3-54
const std::string values9 = "00000+00000+03330-03330-03330+03330+06670-06670-06670+";
const std::string values7 = "06670+10000-10000-10000+10000+07000-07000+";
const std::string r81 = "81" + key + values9;
const std::string r82 = "82" + key + values7 + "10000+";
}  // namespace

TEST_CASE("expanded SPAN file: McMillan's arrays load and combine into his covered write", "[io][span]") {
    const auto contracts = load_span_risk_arrays(corpus + "span_mcmillan.pa2");
    REQUIRE(contracts.size() == 3);
    const auto& fut = contracts[0];
    CHECK(fut.exchange == "CME");
    CHECK(fut.commodity == "SP");
    CHECK(fut.product_type == "FUT");
    CHECK(fut.option_right == ' ');
    CHECK(fut.futures_month == "199812");
    CHECK(fut.option_month.empty());
    CHECK_FALSE(fut.array.option);
    CHECK(fut.array.composite_delta == 1.0);
    for (std::size_t i = 0; i < 16; ++i) CHECK(fut.array.losses[i] == -mcmillan_futures[i]);
    const auto& call = contracts[1];
    CHECK(call.product_type == "OOF");
    CHECK(call.option_right == 'C');
    CHECK(call.option_month == "199812");
    CHECK(call.strike == "0004100");
    CHECK(call.array.option);
    CHECK(call.array.composite_delta == 0.55);  // "05500+": 9V9(4)
    CHECK(call.array.losses[13] == 3990.0);     // McMillan's scenario 14: −3,990
    // "ES" has decimal locator 1 on the type "2" record: the same digits, a tenth of the value.
    const auto& mini = contracts[2];
    CHECK(mini.decimal_locator == 1);
    CHECK(mini.array.losses[10] == -1000.0);
    CHECK(mini.array.losses[14] == -700.0);

    // Long the future, short the call: McMillan's covered write, worst at scenario 13, 6,620.
    const std::vector<published_risk_array<double>> arrays{fut.array, call.array};
    const std::vector<double> q{1.0, -1.0};
    const auto scan = span_scan_from_risk_arrays<double>(arrays, q);
    for (std::size_t i = 0; i < 16; ++i) CHECK(scan.losses[i] == -mcmillan_covered_write[i]);
    CHECK(scan.scanning_risk == 6620.0);
    CHECK(scan.worst_scenario == 12);
    CHECK(scan.composite_delta == 1.0 - 0.55);
    CHECK(scan.short_option_contracts == 1.0);
}

TEST_CASE("expanded SPAN file: records in memory, and what is refused", "[io][span][errors]") {
    // A minimal file: the two records alone (no header, no type "2": locator 0), Unix line ends.
    const auto one = parse_span_risk_arrays(r81 + "\n" + r82 + "\n", "m.pa2");
    REQUIRE(one.size() == 1);
    CHECK(one[0].array.losses[15] == 7000.0);  // the down-extreme: a loss for the long

    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays("0 CME   19981015SF                 UP\n" + r81 + "\n" + r82, "p.pa2"),
                           invalid_argument,
                           Message("parse_span_risk_arrays(p.pa2): line 1, the file format (positions 36-37) is \"UP\", but must be "
                             "\"U2\" (expanded unpacked; the Paris expanded \"UP\" and other formats are not read)"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(put(r81, 72, "*") + "\n" + r82, "s.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(s.pa2): line 1, the sign of array value 3 (position 72) is \"*\", but "
                             "must be \"+\" or \"-\""));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(r81 + "\n" + put(r82, 61, "1O000"), "d.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(d.pa2): line 2, array value 11 (positions 61-65) is \"1O000\", but "
                             "must be 5 digits"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(r81 + "\n" + r82.substr(0, 100), "t.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(t.pa2): line 2, the composite delta (positions 97-101) is \"1000\", "
                             "but must be 5 digits"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(r81 + "\n" + r81 + "\n" + r82, "o.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(o.pa2): line 1, the \"81\" record's next record is \"81\", but must be "
                             "\"82\" (the second record of the same contract)"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(r81, "e.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(e.pa2): line 1, the \"81\" record's next record is missing, but must "
                             "be \"82\" (the second record of the same contract)"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(r82, "n.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(n.pa2): line 1, the \"82\" record is without its \"81\", but must be "
                             "the second record of a contract whose \"81\" record precedes it"));
    REQUIRE_THROWS_WITH(parse_span_risk_arrays(r81 + "\n" + put(r82, 6, "ES"), "k.pa2"),
                        Contains("line 2, the contract of the \"82\" record (positions 3-54) is \"CMEES") &&
                            Contains("but must be the contract of the \"81\" record of line 1"));
    const std::string r2 = "2 CME SP    2USD$P    SP        FUT0+";
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(r2 + "\n" + r81 + "\n" + r82, "x.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(x.pa2): line 1, the risk exponent (position 13) is \"2\", but must be "
                             "0 or blank (the layout gives it no arithmetic; the loader does not guess)"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays(put(r2, 13, "0").replace(35, 1, "x") + "\n" + r81 + "\n" + r82, "l.pa2"),
                           invalid_argument,
                           Message("parse_span_risk_arrays(l.pa2): line 1, the decimal locator of SP (position 36) is \"x\", but "
                             "must be a digit or blank"));
    REQUIRE_THROWS_MATCHES(parse_span_risk_arrays("1 CME  01\n", "z.pa2"), invalid_argument,
                           Message("parse_span_risk_arrays(z.pa2): the number of risk arrays is 0, but must be > 0"));
    REQUIRE_THROWS_WITH(load_span_risk_arrays(corpus + "nope.pa2"), StartsWith("load_span_risk_arrays: the file is"));
}
