// Tests of include/margincall/calculator/book_margin_adapters.hpp: clearing hosts assembled from
// the calculator's slots — SPAN (book_margin_account over span_margin), layered SPAN, and
// risk-based ES (risk_based_account_margin) — each checked against a hand derivation from
// published figures (McMillan's SPAN futures row) or closed forms written out below.
#include <margincall/calculator.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/stress/layered_margin.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/stress/span_margin.hpp>

#include <cmath>
#include <span>
#include <vector>

#include "catch.hpp"

using namespace margincall;
using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {
using linear = linear_contract<double>;
using unmargined = no_position_margin<double>;
using clearing_account = account<linear, unmargined>;
using pos = position<linear, unmargined>;
using span_account_margin = book_margin_account<double, span_margin<double>>;
using layered_span = layered_margin<double, span_margin<double>>;
using layered_account_margin = book_margin_account<double, layered_span>;

struct span_clearing : default_policies<double> {
    using margin_model = span_account_margin;
    using liquidation_solver = model_liquidation<double>;
};
struct layered_clearing : default_policies<double> {
    using margin_model = layered_account_margin;
    using liquidation_solver = model_liquidation<double>;
};
struct es_clearing : default_policies<double> {
    using margin_model = risk_based_account_margin<double>;
    using liquidation_solver = model_liquidation<double>;
};

std::vector<span_scenario<double>> cme() {
    const auto s = cme_span_scenarios<double>();
    return {s.begin(), s.end()};
}
// McMillan's S&P 500 futures (ch. 34, pp. 668–671): 500 USD per point, price scan range 20 points
// (10,000 USD). A second commodity: 50 USD per point, scan range 100 points (5,000 USD).
std::vector<span_margin<double>> span_models() {
    return {span_margin<double>({20.0, 0.0}, cme()), span_margin<double>({100.0, 0.0}, cme())};
}

// Ten daily log returns (docs/portfolio-margin.md, §3 worked example) for BTC and a second row for ETH.
const std::vector<double> btc_returns{0.01, -0.04, 0.02, -0.01, 0.03, -0.06, 0.005, -0.02, 0.015, -0.03};
const std::vector<double> eth_returns{0.02, -0.05, 0.01, 0.00, 0.04, -0.07, 0.01, -0.03, 0.02, -0.02};
}  // namespace

static_assert(account_margin_model<span_account_margin, clearing_account, double>);
static_assert(account_margin_model<layered_account_margin, clearing_account, double>);
static_assert(account_margin_model<risk_based_account_margin<double>, clearing_account, double>);
static_assert(account_margin_model<book_margin_account<double, portfolio_margin<double>>, clearing_account, double>);
static_assert(account_margin_model<span_account_margin, account<quanto_contract<double>, unmargined>, double>);
// Inverse contracts are not linear in the price: no stress_book leg, refused at compile time.
static_assert(!account_margin_model<span_account_margin, account<inverse_contract<double>, unmargined>, double>);
static_assert(margin_call_calculator<span_clearing>::is_account_model);
static_assert(std::is_same_v<margin_call_calculator<span_clearing>::account_type, clearing_account>);

TEST_CASE("SPAN clearing host from the slots: McMillan's futures scan, by hand", "[calculator][book_margin]") {
    // Scanning risk of one long S&P future = 20 points × 500 USD = 10,000 (McMillan's futures row,
    // scenario 13: −10,000; the extreme ±2 ranges count 35 % of 20,000 = 7,000). So:
    //   cross: long 3 @ 4,100, mark 4,080: MM = 3 × 10,000 = 30,000, IM = 1.1 × MM = 33,000;
    //          equity = 62,000 + 3 × 500 × (4,080 − 4,100) = 32,000: MM ≤ equity < IM, call 1,000,
    //          ratio 30,000 / 32,000 = 0.9375 ≥ 0.8: margin_call.
    //   isolated: short 4 @ 5,000 of the second commodity, mark 5,010, margin 25,000:
    //          MM = 4 × 100 × 50 = 20,000, IM = 22,000, equity = 25,000 − 4 × 50 × 10 = 23,000.
    //   totals: IM 55,000, MM 50,000, equity 55,000, call 1,000.
    //   cross liquidation (MM independent of the mark): 62,000 + 1,500 (P − 4,100) = 30,000
    //          → P = 4,100 − 32,000 / 1,500 = 4,078.6667.
    // SPAN's scan range is absolute (points): the liquidation search stays where S − 2 PSR > 0.
    margin_call_calculator<span_clearing> calc(margin_call_calculator<span_clearing>::settings{
        .margin = span_account_margin(span_models()), .liquidation = model_liquidation<double>{0.5, 2.0, {}}});
    auto member = calc.make_account(62000.0);
    const auto& none = unmargined::instance();
    member.add_position(pos(none, {.symbol = 0, .contract = linear(500.0), .leverage = 1.0, .quantity = 3.0, .entry_price = 4100.0}));
    member.add_position(pos(none, {.symbol = 1, .contract = linear(50.0), .leverage = 1.0, .mode = margin_mode::isolated, .quantity = -4.0, .entry_price = 5000.0, .isolated_margin = 25000.0}));
    const std::vector<double> marks{4080.0, 5010.0};
    const auto r = calc.evaluate(member, marks);
    CHECK_THAT(r.cross.maintenance_margin, WithinAbs(30000.0, 1e-6));
    CHECK_THAT(r.cross.initial_margin, WithinAbs(33000.0, 1e-6));
    CHECK_THAT(r.cross.equity, WithinAbs(32000.0, 1e-9));
    CHECK_THAT(r.cross.call_amount, WithinAbs(1000.0, 1e-6));
    CHECK(r.cross.status == margin_status::margin_call);
    CHECK_THAT(r.positions[1].pool.maintenance_margin, WithinAbs(20000.0, 1e-6));
    CHECK_THAT(r.positions[1].pool.initial_margin, WithinAbs(22000.0, 1e-6));
    CHECK_THAT(r.positions[1].pool.equity, WithinAbs(23000.0, 1e-9));
    CHECK_THAT(r.initial_margin, WithinAbs(55000.0, 1e-6));
    CHECK_THAT(r.maintenance_margin, WithinAbs(50000.0, 1e-6));
    CHECK_THAT(r.equity, WithinAbs(55000.0, 1e-9));
    CHECK_THAT(r.call_amount, WithinAbs(1000.0, 1e-6));
    CHECK(r.status == margin_status::margin_call);
    // Per-position figures carry no margin of their own: the requirement is the account model's.
    CHECK(r.positions[0].figures.maintenance_margin == 0.0);
    const auto& liq = r.positions[0].prices.liquidation.downside;
    REQUIRE(liq.found());
    CHECK_THAT(liq.price, WithinRel(4100.0 - 32000.0 / 1500.0, 1e-9));
    const auto& bankrupt = r.positions[0].prices.bankruptcy.downside;
    REQUIRE(bankrupt.found());
    CHECK_THAT(bankrupt.price, WithinRel(4100.0 - 62000.0 / 1500.0, 1e-9));
    // Opposite positions in one commodity net in one book: hedge-mode long 3 and short 3 → no scan risk.
    clearing_account hedged(1000.0, position_mode::hedge);
    hedged.add_position(pos(none, {.symbol = 0, .contract = linear(500.0), .leverage = 1.0, .side = position_side::long_leg, .quantity = 3.0, .entry_price = 4100.0}));
    hedged.add_position(pos(none, {.symbol = 0, .contract = linear(500.0), .leverage = 1.0, .side = position_side::short_leg, .quantity = -3.0, .entry_price = 4090.0}));
    CHECK(calc.requirement(hedged, marks).cross.maintenance_margin == 0.0);
}

TEST_CASE("layered SPAN reaches the calculator as reduce_only inside the buffer", "[calculator][book_margin][status]") {
    // MM 30,000 (above), buffer 20 %: liquidation level 24,000. Wallet 56,000 → equity 26,000:
    // 24,000 < 26,000 ≤ 30,000 → reduce_only, call 33,000 − 26,000 = 7,000. Liquidation at
    // 56,000 + 1,500 (P − 4,100) = 24,000 → P = 4,100 − 32,000 / 1,500.
    std::vector<layered_span> layers;
    for (auto& m : span_models()) layers.emplace_back(m, 0.2);
    margin_call_calculator<layered_clearing> calc(
        margin_call_calculator<layered_clearing>::settings{.margin = layered_account_margin(std::move(layers)),
                                                           .liquidation = model_liquidation<double>{0.5, 2.0, {}}});
    auto member = calc.make_account(56000.0);
    member.add_position(pos(unmargined::instance(), {.symbol = 0, .contract = linear(500.0), .leverage = 1.0, .quantity = 3.0, .entry_price = 4100.0}));
    const std::vector<double> marks{4080.0};
    const auto q = calc.requirement(member, marks);
    CHECK_THAT(q.cross.liquidation_level, WithinAbs(24000.0, 1e-6));
    const auto r = calc.evaluate(member, marks);
    CHECK(r.status == margin_status::reduce_only);
    CHECK_THAT(r.call_amount, WithinAbs(7000.0, 1e-6));
    // The same figures through the layer rule of stress/: one status vocabulary.
    CHECK(classify_layers(26000.0, 33000.0, 30000.0, 0.2).status == r.status);
    const auto& liq = r.positions[0].prices.liquidation.downside;
    REQUIRE(liq.found());
    CHECK_THAT(liq.price, WithinRel(4100.0 - 32000.0 / 1500.0, 1e-9));
}

TEST_CASE("ES clearing host from the slots: joint 80 % ES of ten days, by hand", "[calculator][book_margin]") {
    // Long 2 BTC @ 100,000 and short 30 ETH @ 3,000, marks at entry; MPOR 1 day, so day t moves
    // S to S·e^{r_t}. Joint loss L_t = −2 × 100,000 (e^{a_t} − 1) + 30 × 3,000 (e^{b_t} − 1):
    //   t:    0       1       2       3       4       5       6      7       8       9
    //   L: −191.9  3,452.8 −3,135.8 1,990.0 −2,417.9 5,562.5  −98.0 1,300.4 −1,204.5 4,128.8
    // α = 0.8: n(1 − α) = 2, so ES = mean of the two largest (days 5 and 9) and type-1 VaR the
    // third largest (day 1) (docs/risk.md). IM = ES = 4,845.66; MM = 0.8 × IM = 3,876.52.
    // Alone, BTC's ES is 9,744.60 and ETH's 2,745.55: the joint tail keeps the hedge.
    const auto loss = [](double a, double b) { return -200000.0 * std::expm1(a) + 90000.0 * std::expm1(b); };
    const double es = (loss(-0.06, -0.07) + loss(-0.03, -0.02)) / 2;
    CHECK_THAT(es, WithinAbs(4845.655, 1e-3));
    const risk_based_parameters<double> p{0.8, 1.0, tail_measure::expected_shortfall, 0.8};
    using model = risk_based_account_margin<double>;
    margin_call_calculator<es_clearing> calc(margin_call_calculator<es_clearing>::settings{
        .margin = model({historical_scenarios<double>{btc_returns}, historical_scenarios<double>{eth_returns}}, p)});
    auto member = calc.make_account(4000.0);
    const auto& none = unmargined::instance();
    member.add_position(pos(none, {.symbol = 0, .leverage = 1.0, .quantity = 2.0, .entry_price = 100000.0}));
    member.add_position(pos(none, {.symbol = 1, .leverage = 1.0, .quantity = -30.0, .entry_price = 3000.0}));
    const std::vector<double> marks{100000.0, 3000.0};
    const auto r = calc.evaluate(member, marks);
    CHECK_THAT(r.initial_margin, WithinRel(es, 1e-12));
    CHECK_THAT(r.maintenance_margin, WithinRel(0.8 * es, 1e-12));
    CHECK_THAT(r.call_amount, WithinRel(es - 4000.0, 1e-12));
    CHECK(r.status == margin_status::margin_call);  // ratio 3,876.5 / 4,000 ≥ 0.8
    // The same margin with VaR: day 1's loss.
    const risk_based_parameters<double> pv{0.8, 1.0, tail_measure::value_at_risk, 1.0};
    const model var({historical_scenarios<double>{btc_returns}, historical_scenarios<double>{eth_returns}}, pv);
    CHECK_THAT(var.requirement(member, std::span<const double>(marks)).cross.initial_margin,
               WithinRel(loss(-0.04, -0.05), 1e-12));
}

TEST_CASE("ES host: liquidation price of one long in closed form", "[calculator][book_margin][liquidation]") {
    // Long 2 BTC @ 100,000, wallet 10,000. MM(P) = 0.8 × ES of 2P(1 − e^{a_t}) = 1.6 P c with
    // c = mean of the two largest 1 − e^{a_t} (days 5 and 1: a = −0.06, −0.04). Equity(P) =
    // 10,000 + 2 (P − 100,000); equity = MM at P = (200,000 − 10,000) / (2 − 1.6 c).
    const double c = (-std::expm1(-0.06) - std::expm1(-0.04)) / 2;
    const double expected = 190000.0 / (2.0 - 1.6 * c);
    const risk_based_parameters<double> p{0.8, 1.0, tail_measure::expected_shortfall, 0.8};
    margin_call_calculator<es_clearing> calc(margin_call_calculator<es_clearing>::settings{
        .margin = risk_based_account_margin<double>({historical_scenarios<double>{btc_returns}}, p)});
    auto member = calc.make_account(10000.0);
    member.add_position(pos(unmargined::instance(), {.symbol = 0, .leverage = 1.0, .quantity = 2.0, .entry_price = 100000.0}));
    const std::vector<double> marks{100000.0};
    const auto r = calc.evaluate(member, marks);
    CHECK(r.status == margin_status::warning);  // MM 7,795.7 at the mark: ratio 0.78 in [0.5, 0.8)
    const auto& liq = r.positions[0].prices.liquidation.downside;
    REQUIRE(liq.found());
    CHECK_THAT(liq.price, WithinRel(expected, 1e-9));
    CHECK(r.positions[0].prices.liquidation.upside.status == liquidation_status::out_of_range);
}

TEST_CASE("portfolio margin per currency: Deribit's grid by hand, cross and isolated pools", "[calculator][book_margin]") {
    // Default Deribit grid (±16 %, mm_factor 0.8; docs/portfolio-margin.md, §2): a linear book's
    // worst point is the full ±16 % move against it. Cross: long 2 BTC at 100,000 → MM = 2 ×
    // 100,000 × 0.16 = 32,000, IM = 40,000. Isolated: short 30 ETH at 3,000 → MM = 30 × 3,000 ×
    // 0.16 = 14,400, IM = 18,000. Totals: IM 58,000, MM 46,400.
    using pm = book_margin_account<double, portfolio_margin<double>>;
    const pm model({portfolio_margin<double>{}, portfolio_margin<double>{}});
    clearing_account a(50000.0);
    a.add_position(pos(unmargined::instance(), {.symbol = 0, .leverage = 1.0, .quantity = 2.0, .entry_price = 100000.0}));
    a.add_position(pos(unmargined::instance(), {.symbol = 1, .leverage = 1.0, .mode = margin_mode::isolated, .quantity = -30.0, .entry_price = 3000.0, .isolated_margin = 20000.0}));
    const std::vector<double> marks{100000.0, 3000.0};
    const auto q = model.requirement(a, std::span<const double>(marks));
    CHECK_THAT(q.cross.maintenance_margin, WithinRel(32000.0, 1e-12));
    CHECK_THAT(q.cross.initial_margin, WithinRel(40000.0, 1e-12));
    CHECK_THAT(q.pools[0].initial_margin, WithinRel(40000.0, 1e-12));  // a cross leg sees the cross pool
    CHECK_THAT(q.pools[1].maintenance_margin, WithinRel(14400.0, 1e-12));
    CHECK_THAT(q.pools[1].initial_margin, WithinRel(18000.0, 1e-12));
    CHECK(q.pools[1].liquidation_level == q.pools[1].maintenance_margin);
    CHECK_THAT(q.initial_margin, WithinRel(58000.0, 1e-12));
    CHECK_THAT(q.maintenance_margin, WithinRel(46400.0, 1e-12));
    // Under ES margin the isolated leg is its own one-leg book. A short loses on rises: ETH's two
    // largest rises are day 4 (+4 %) and a +2 % day (0 and 8 tie): at α = 0.8 over ten days
    // ES = mean of 30 × 3,000 × (e^{0.04} − 1) and 30 × 3,000 × (e^{0.02} − 1).
    const risk_based_parameters<double> p{0.8, 1.0, tail_measure::expected_shortfall, 1.0};
    const risk_based_account_margin<double> es({historical_scenarios<double>{btc_returns}, historical_scenarios<double>{eth_returns}}, p);
    const auto e = es.requirement(a, std::span<const double>(marks));
    CHECK_THAT(e.pools[1].initial_margin, WithinRel(90000.0 * (std::expm1(0.04) + std::expm1(0.02)) / 2, 1e-12));
}

TEST_CASE("account adapters reject bad input with the library's message", "[calculator][book_margin][errors]") {
    const span_account_margin span(span_models());
    clearing_account a(1000.0);
    a.add_position(pos(unmargined::instance(), {.symbol = 2, .leverage = 1.0, .quantity = 1.0, .entry_price = 100.0}));
    const std::vector<double> marks{100.0, 100.0, 100.0};
    REQUIRE_THROWS_MATCHES(span.requirement(a, std::span<const double>(marks)), invalid_argument,
                           Message("book_margin_account: the symbol of position 0 is 2, but must be < 2 (the number of per-symbol models)"));
    REQUIRE_THROWS_MATCHES(span_account_margin(std::vector<span_margin<double>>{}), invalid_argument,
                           Message("book_margin_account: the size of per_symbol is 0, but must be > 0"));
    const std::vector<double> nine(btc_returns.begin(), btc_returns.end() - 1);
    REQUIRE_THROWS_MATCHES(risk_based_account_margin<double>({historical_scenarios<double>{btc_returns}, historical_scenarios<double>{nine}}),
                           invalid_argument,
                           Message("risk_based_account_margin: the size of log_returns of symbol 1 is 9, but must be 10 (symbol 0's: one row of dates)"));
    const std::vector<double> short_marks{100.0};
    REQUIRE_THROWS_MATCHES(span.requirement(a, std::span<const double>(short_marks)), invalid_argument,
                           Message("book_margin_account: the size of marks is 1, but must be >= 3 (one mark per symbol)"));
}
