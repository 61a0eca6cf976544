// Tests of include/margincall/io/report_table.hpp, report_csv.hpp and report_json.hpp: each
// report flattens to the documented columns with the struct's values, and every table survives
// CSV → parse_report_csv and JSON → nlohmann::json::parse cell by cell. Round trips through
// the existing loaders: a written account book reloads with parse_account_book, a written
// schedule with parse_tier_schedule_json.
#include <margincall/io/report_csv.hpp>
#include <margincall/io/report_json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

/// The number a cell holds (counts as numbers too), NaN for text.
double as_number(const report_value& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* n = std::get_if<std::uint64_t>(&v)) return static_cast<double>(*n);
    return std::numeric_limits<double>::quiet_NaN();
}

bool same_number(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

/// Every cell of `back` equals the one of `table`: text as text, numbers bit-for-bit in value.
void check_same(const report_table& table, const report_table& back) {
    REQUIRE(back.columns == table.columns);
    REQUIRE(back.rows.size() == table.rows.size());
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            INFO("row " << r << ", column " << table.columns[c]);
            const report_value& a = table.rows[r][c];
            const report_value& b = back.rows[r][c];
            if (std::holds_alternative<std::string>(a)) {
                REQUIRE(std::holds_alternative<std::string>(b));
                CHECK(std::get<std::string>(a) == std::get<std::string>(b));
            } else {
                CHECK(same_number(as_number(a), as_number(b)));
            }
        }
}

/// CSV round trip and JSON round trip (parse the text back, compare every field).
void check_round_trips(const report_table& table) {
    check_same(table, parse_report_csv(to_csv(table), "round-trip.csv"));
    std::ostringstream out;
    write_json(out, table);
    const nlohmann::json doc = nlohmann::json::parse(out.str());
    REQUIRE(doc.is_array());
    REQUIRE(doc.size() == table.rows.size());
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        REQUIRE(doc[r].size() == table.columns.size());
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            INFO("JSON row " << r << ", column " << table.columns[c]);
            const nlohmann::json& j = doc[r].at(table.columns[c]);
            const report_value& v = table.rows[r][c];
            if (const auto* s = std::get_if<std::string>(&v)) {
                CHECK(j == *s);
            } else if (const auto* n = std::get_if<std::uint64_t>(&v)) {
                CHECK(j.is_number_unsigned());
                CHECK(j.get<std::uint64_t>() == *n);
            } else {
                const double d = std::get<double>(v);
                if (std::isfinite(d)) CHECK(j.get<double>() == d);
                else CHECK(j == detail::format_number(d));
            }
        }
    }
}

double cell_number(const report_table& t, std::size_t row, const char* column) {
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        if (t.columns[c] == column) return as_number(t.rows.at(row)[c]);
    FAIL("no column " << column);
    return 0;
}

std::string cell_text(const report_table& t, std::size_t row, const char* column) {
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        if (t.columns[c] == column) return std::get<std::string>(t.rows.at(row)[c]);
    FAIL("no column " << column);
    return {};
}

}  // namespace

TEST_CASE("calculator report: account and position tables", "[io]") {
    margin_report<double> r;
    r.status = margin_status::margin_call;
    r.equity = 1234.5;
    r.initial_margin = 1500;
    r.maintenance_margin = 1000.25;
    r.margin_ratio = 1000.25 / 1234.5;
    r.call_amount = 265.5;
    r.cross.equity = 1234.5;
    r.cross.status = margin_status::margin_call;
    r.risk = tail_risk<double>{321.0, 400.75};
    position_report<double> p;
    p.figures = {50000.0, -765.5, 1500.0, 1000.25};
    p.pool.equity = 1234.5;
    p.pool.margin_ratio = std::numeric_limits<double>::infinity();  // written "inf"
    p.pool.status = margin_status::liquidation;
    p.prices.liquidation.downside = {liquidation_status::found, 0.1 + 0.2, 3, 0};
    p.prices.bankruptcy.upside = {liquidation_status::unreachable, 0, 0, 0};
    r.positions = {p, p};

    const report_table a = account_report_table(r);
    REQUIRE(a.rows.size() == 1);
    CHECK(cell_text(a, 0, "status") == "margin_call");
    CHECK(cell_number(a, 0, "margin_ratio") == 1000.25 / 1234.5);
    CHECK(cell_number(a, 0, "positions") == 2);
    CHECK(cell_number(a, 0, "expected_shortfall") == 400.75);
    check_round_trips(a);

    const report_table t = positions_report_table(r);
    REQUIRE(t.rows.size() == 2);
    CHECK(cell_number(t, 1, "position") == 1);
    CHECK(cell_number(t, 0, "unrealised_pnl") == -765.5);
    CHECK(cell_text(t, 0, "pool_status") == "liquidation");
    CHECK(std::isinf(cell_number(t, 0, "pool_margin_ratio")));
    CHECK(cell_number(t, 0, "liquidation_downside_price") == 0.1 + 0.2);  // shortest form reads back exactly
    CHECK(cell_text(t, 0, "bankruptcy_upside_status") == "unreachable");
    check_round_trips(t);
    CHECK(to_csv(a).substr(0, 41) == "status,equity,initial_margin,maintenance_");
}

TEST_CASE("re-mark outputs and totals", "[io]") {
    std::vector<double> eq{100, -5}, im{50, 10}, mm{25, 5}, call{0, 15};
    std::vector<margin_status> st{margin_status::healthy, margin_status::liquidation};
    const report_table t = remark_table(remark_output<double>{eq, im, mm, call, st});
    REQUIRE(t.rows.size() == 2);
    CHECK(cell_text(t, 1, "status") == "liquidation");
    CHECK(cell_number(t, 1, "equity") == -5);
    check_round_trips(t);
    std::vector<margin_status> short_status{margin_status::healthy};
    CHECK_THROWS_WITH(remark_table(remark_output<double>{eq, im, mm, call, short_status}),
                      Contains("remark_table: the length of an output span is 1, but must be 2"));

    remark_totals<double> s;
    s.count = {1, 0, 0, 0, 1};
    s.equity = 95;
    s.call_amount = 15;
    s.called_amount = 15;
    const report_table u = remark_totals_table(s);
    CHECK(cell_number(u, 0, "liquidation") == 1);
    CHECK(cell_number(u, 0, "healthy") == 1);
    check_round_trips(u);
}

TEST_CASE("liquidation ladder", "[io]") {
    const std::vector<ladder_rung<double>> rungs{
        {0.5, 20, 25000, {liquidation_status::found, 47812.5, 0, 0}},
        {10, 125, 500000, {liquidation_status::already_liquidated, 0, 0, 0}}};
    const report_table t = ladder_table(std::span<const ladder_rung<double>>(rungs));
    CHECK(cell_number(t, 0, "tier") == 1);  // 1-based
    CHECK(cell_number(t, 1, "tier") == 0);  // none
    CHECK(cell_text(t, 1, "status") == "already liquidated");
    check_round_trips(t);
}

TEST_CASE("cascade steps, outcome and Monte Carlo runs", "[io]") {
    cascade_outcome<double> o;
    o.start_price = 100;
    o.final_price = 80;
    o.lowest_price = 79.5;
    o.highest_price = 100;
    o.drawdown = 0.205;
    o.amplification = std::numeric_limits<double>::infinity();
    o.steps_to_fixed_point = 2;
    venue_outcome<double> v;
    cascade_step<double> s1;
    s1.reference_price = 90;
    s1.price = 88;
    s1.liquidated_count = 3;
    s1.bad_debt = 12.34;
    cascade_step<double> s2 = s1;
    s2.price = 80;
    v.steps = {s1, s2};
    v.ledger.bad_debt = 1234;  // cents
    v.unliquidated_bad_debt = 1.5;
    o.venues = {v, v};
    const report_table steps = cascade_steps_table(o);
    REQUIRE(steps.rows.size() == 4);
    CHECK(cell_number(steps, 3, "venue") == 1);
    CHECK(cell_number(steps, 3, "step") == 2);
    CHECK(cell_number(steps, 1, "price") == 80);
    check_round_trips(steps);
    const report_table out = cascade_outcome_table(o);
    REQUIRE(out.rows.size() == 2);
    CHECK(cell_number(out, 0, "total_bad_debt") == 12.34 + 1.5);
    CHECK(cell_number(out, 0, "bad_debt_cents") == 1234);
    CHECK(cell_number(out, 1, "converged") == 1);
    check_round_trips(out);

    cascade_distribution<double> d;
    d.bad_debt = {0, 10.5, 1e-300};
    d.liquidated_notional = {0, 1e6, 3};
    d.drawdown = {0.01, 0.2, 0.3};
    const report_table runs = cascade_runs_table(d);
    CHECK(cell_number(runs, 2, "bad_debt") == 1e-300);
    check_round_trips(runs);
    const report_table risk = tail_risk_table<double>({{"bad_debt", {10.5, 10.5}}, {"liquidated", {1e6, 1e6}}}, 0.99, 3);
    CHECK(cell_text(risk, 1, "distribution") == "liquidated");
    check_round_trips(risk);
    const std::vector<double> losses{1.5, -2, std::numeric_limits<double>::quiet_NaN()};
    check_round_trips(distribution_table(std::span<const double>(losses)));
}

TEST_CASE("backtest series and results", "[io]") {
    const std::vector<double> loss{1, 3, 0.5}, var{2, 2, 2}, es{2.5, 2.5, 2.5};
    const report_table series = backtest_series_table<double>(loss, var, es);
    CHECK(cell_number(series, 1, "exception") == 1);
    CHECK(cell_number(series, 0, "exception") == 0);
    check_round_trips(series);
    const std::vector<double> short_var{2};
    CHECK_THROWS_WITH(backtest_series_table<double>(loss, short_var, es), Contains("but must be 3, the number of losses"));

    // The tests' own values are tested in tests/risk; here the table must carry them unchanged.
    const auto k = kupiec_test<double>(250, 5, 0.99);
    const bool hits[6] = {false, true, false, false, true, false};
    const auto c = christoffersen_test<double>(std::span<const bool>(hits, 6), 0.99);
    acerbi_szekely_result<double> z{-0.25, 0.03, 0.001, 4, 10000};
    const report_table t = backtest_table(k, c, z);
    REQUIRE(t.rows.size() == 4);
    CHECK(cell_number(t, 0, "statistic") == k.unconditional_coverage.statistic);
    CHECK(cell_number(t, 2, "degrees_of_freedom") == 2);
    CHECK(cell_text(t, 3, "test") == "acerbi_szekely_z2");
    check_round_trips(t);
}

TEST_CASE("CSV quoting and reader errors", "[io]") {
    report_table t;
    t.columns = {"name", "x"};
    t.add({std::string("a, \"quoted\"\nname"), 1.0});
    t.add({std::string("42"), 0.5});
    const std::string csv = to_csv(t);
    CHECK(csv.find("\"a, \"\"quoted\"\"\nname\"") != std::string::npos);
    const report_table back = parse_report_csv(csv);
    CHECK(std::get<std::string>(back.rows[0][0]) == "a, \"quoted\"\nname");
    // Unquoted "42" reads back as a count: text columns holding digits lose their type in CSV
    // (JSON keeps it).
    CHECK(std::holds_alternative<std::uint64_t>(back.rows[1][0]));
    CHECK_THROWS_WITH(parse_report_csv("a,b\n1,2,3\n", "x.csv"),
                      Contains("parse_report_csv(x.csv): line 2: the number of fields is 3, but must be 2"));
    CHECK_THROWS_WITH(parse_report_csv("a,b\n\"1,2\n", "x.csv"), Contains("line 2 is an unterminated quote"));
    CHECK_THROWS_WITH(t.add({1.0}), Contains("report_table::add: the row's length is 1, but must be 2"));
    CHECK_THROWS_WITH(save_csv("/nonexistent-dir/x.csv", t), Contains("save_csv: the file"));
}

TEST_CASE("round trips through the existing loaders", "[io]") {
    // An account book written and read back by parse_account_book.
    const std::string text =
        "account,wallet_balance,symbol,side,quantity,entry_price,leverage,margin_mode,isolated_margin\n"
        "a,1000.5,BTCUSDT,both,0.25,64000.1,20,cross,0\n"
        "a,1000.5,ETHUSDT,short,-3,3100,10,isolated,930\n"
        "b,0.1,BTCUSDT,long,1e-3,0.3,125,cross,0\n";
    const auto book = parse_account_book<double>(text, "book.csv");
    std::ostringstream out;
    write_account_book_csv(out, book);
    const auto again = parse_account_book<double>(out.str(), "written.csv");
    REQUIRE(again.symbols == book.symbols);
    REQUIRE(again.accounts.size() == book.accounts.size());
    for (std::size_t i = 0; i < book.accounts.size(); ++i) {
        const auto& x = book.accounts[i];
        const auto& y = again.accounts[i];
        CHECK(x.id == y.id);
        CHECK(x.wallet_balance == y.wallet_balance);
        REQUIRE(x.positions.size() == y.positions.size());
        for (std::size_t j = 0; j < x.positions.size(); ++j) {
            CHECK(x.positions[j].symbol == y.positions[j].symbol);
            CHECK(x.positions[j].side == y.positions[j].side);
            CHECK(x.positions[j].quantity == y.positions[j].quantity);
            CHECK(x.positions[j].entry_price == y.positions[j].entry_price);
            CHECK(x.positions[j].leverage == y.positions[j].leverage);
            CHECK(x.positions[j].mode == y.positions[j].mode);
            CHECK(x.positions[j].isolated_margin == y.positions[j].isolated_margin);
        }
    }

    // A schedule (Binance BTCUSDT, loaded from the corpus) written in the generic form and read back.
    const std::string corpus = std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/../io/corpus/";
    for (const auto& s : load_binance_brackets<double>(corpus + "binance_usdm.json")) {
        const auto back = parse_tier_schedule_json<double>(tier_schedule_json(s.schedule, s.symbol).dump(), "written.json");
        CHECK(back.symbol == s.symbol);
        REQUIRE(back.schedule.tiers().size() == s.schedule.tiers().size());
        for (std::size_t i = 0; i < s.schedule.tiers().size(); ++i) {
            const auto& x = s.schedule.tiers()[i];
            const auto& y = back.schedule.tiers()[i];
            CHECK(x.floor == y.floor);
            CHECK(x.cap == y.cap);
            CHECK(x.max_leverage == y.max_leverage);
            CHECK(x.maintenance_rate == y.maintenance_rate);
            CHECK(x.maintenance_amount == y.maintenance_amount);
        }
    }
}
