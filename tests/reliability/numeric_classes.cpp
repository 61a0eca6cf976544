// Regression tests of issue #14's numerical classes 2–7: one case per class that failed before
// the fix (a hang, a margin of zero for unbounded risk, a silent inf/NaN, a wrong answer, a
// foreign or misleading error, an unchecked lookup). The expected outcomes are the library's
// contract (docs/reliability.md): its own error with the standard message shape, or a finite
// result that keeps the entry point's invariants.
#include <margincall/calculator.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/risk/age_weighted.hpp>
#include <margincall/risk/cornish_fisher_var.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/normal_var.hpp>
#include <margincall/risk/peaks_over_threshold.hpp>
#include <margincall/stress/portfolio_margin.hpp>
#include <margincall/tiers/tier_schedule.hpp>
#include <margincall/volatility/garch11.hpp>
#include <margincall/volatility/garch11_fit.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reliability/oracle.hpp"

using namespace margincall;

namespace {
constexpr double tiny = std::numeric_limits<double>::denorm_min();  // 4.9e-324
constexpr double huge = 1e308;

// Runs f and returns the library's message; fails the test when f returns or throws a
// foreign type, or a message without the standard shape.
template <class F>
std::string library_error(F&& f) {
    try {
        f();
    } catch (const invalid_argument& e) {
        CHECK(test_oracle::standard_shape(e.what()));
        return e.what();
    } catch (const numeric_error& e) {
        CHECK(test_oracle::standard_shape(e.what()));
        return e.what();
    } catch (const std::exception& e) {
        FAIL("foreign exception: " << e.what());
    }
    FAIL("no exception");
    return {};
}
}  // namespace

TEST_CASE("class 2: fit_gpd on subnormal excesses ends (no hang), with the library's error", "[reliability][class2]") {
    // Excesses of a few denormal units: the profile bracket was (−inf, NaN) and Brent never ended.
    // The fit now runs on excesses divided by their mean, so it ends with the fit of 1, 2, 3, 4
    // scaled back: ξ as for {1, 2, 3, 4} and σ a subnormal multiple of it.
    const std::vector<double> losses{0.0, 0.0, tiny, 2 * tiny, 3 * tiny, 4 * tiny};
    const std::vector<double> unit{0.0, 0.0, 1.0, 2.0, 3.0, 4.0};
    const auto f = fit_gpd<double>(losses, 0.0);
    const auto g = fit_gpd<double>(unit, 0.0);
    CHECK_THAT(f.xi, Catch::Matchers::WithinRel(g.xi, 1e-9));
    CHECK(f.sigma > 0.0);
    CHECK(std::isfinite(f.sigma));
    CHECK_THAT(f.sigma / tiny, Catch::Matchers::WithinRel(g.sigma, 0.05));  // σ has few bits here
}

TEST_CASE("class 3: portfolio margin refuses a book whose revaluation overflows", "[reliability][class3]") {
    // Long 1e308 units of the underlying at spot 1e4: every grid value is ±inf or NaN; the old
    // code reported IM = MM = 0 (no margin for unbounded risk).
    const portfolio_margin<double> pm;
    const stress_book<double> book{1e4, {}, {{huge}}};
    const std::string m = library_error([&] { (void)pm.evaluate(book); });
    CHECK(m.find("portfolio_margin") != std::string::npos);
}

TEST_CASE("class 4: no silent inf/NaN from finite input", "[reliability][class4]") {
    SECTION("POT: excesses l − u that overflow") {
        std::vector<double> losses(20, 0.0);
        for (std::size_t i = 0; i < 10; ++i) losses[i] = 1.7e308 - static_cast<double>(i) * 1e306;
        const peaks_over_threshold<double> pot(-1.7e308);
        library_error([&] { (void)pot.estimate(losses, 0.99); });
    }
    SECTION("historical ES of losses near 1e308: finite, ES >= VaR (or refused)") {
        const std::vector<double> losses{1.5e308, 1.6e308, 1.7e308, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0};
        const auto r = historical_simulation<double>{}.estimate(losses, 0.75);
        CHECK(std::isfinite(r.value_at_risk));
        CHECK(std::isfinite(r.expected_shortfall));
        CHECK(r.expected_shortfall >= r.value_at_risk);
        // ES at 0.75 with n = 10: w = 2.5, (1.7e308 + 1.6e308 + 0.5 × 1.5e308)/2.5 = 1.62e308.
        CHECK_THAT(r.expected_shortfall, Catch::Matchers::WithinRel(1.62e308, 1e-12));
    }
    SECTION("Black–Scholes put with carry 1e308 is 0 (the forward leg vanishes), not NaN") {
        option_inputs<double> in;
        in.spot = 100;
        in.strike = 100;
        in.expiry = 1;
        in.rate = 0;
        in.carry = huge;
        in.volatility = 0.2;
        // Put: K e^{−rT} N(−d2) − S e^{(b−r)T} N(−d1) with d1, d2 → +∞: both terms 0.
        CHECK(black_scholes_price(option_type::put, in) == 0.0);
        // The call's forward is infinite: refused, naming the carry.
        const std::string m = library_error([&] { (void)black_scholes_price(option_type::call, in); });
        CHECK(m.find("carry") != std::string::npos);
    }
    SECTION("GARCH: an unconditional variance that overflows is refused at construction") {
        const std::string m = library_error([&] { (void)garch11<double>(huge, 0.05, 0.949); });
        CHECK(m.find("omega") != std::string::npos);
    }
}

TEST_CASE("class 4: a book re-marked where a mark times a quantity overflows is refused", "[reliability][class4]") {
    // Found by fuzz_numeric: rows finite at entry (1e300 units at 1e-10), re-marked at 1e10:
    // the notional 1e310 made every figure of the pool ±inf, silently.
    using book_t = book<linear_contract<double>, tier_schedule<double>>;
    const tier_schedule<double> s({{0, std::numeric_limits<double>::infinity(), 20, 0.01, 0.0}});
    const std::vector<account_row<double>> accounts{{.wallet_balance = 1.0}};
    const std::vector<position_row<double>> positions{
        {.account = 0, .symbol = 0, .quantity = 1e300, .entry_price = 1e-10, .leverage = 10}};
    const book_t b({linear_contract<double>{}}, {s}, accounts, positions);
    const std::vector<double> marks{1e10};
    const std::string m = library_error([&] { (void)remark(b, std::span<const double>(marks)); });
    CHECK(m.rfind("remark: ", 0) == 0);
}

TEST_CASE("class 4: a call amount IM - equity that overflows is refused, by the book and the calculator",
          "[reliability][class4]") {
    // Found by fuzz_numeric: a short of 5.65e303 units entered at 1.5e-154 and marked at 31,000
    // has a finite PnL (−1.75e308) and IM (1.75e308 / 20), but IM − equity = 1.84e308 is +∞.
    const double quantity = -5.6548879812553033e+303, entry = 1.4916681462401251e-154;
    const tier_schedule<double> s({{0, std::numeric_limits<double>::infinity(), 20, 0.01, 0.0}});
    const std::vector<double> marks{31'000.0};
    using book_t = book<linear_contract<double>, tier_schedule<double>>;
    const std::vector<account_row<double>> accounts{{.wallet_balance = 1.0}};
    const std::vector<position_row<double>> positions{
        {.account = 0, .symbol = 0, .quantity = quantity, .entry_price = entry, .leverage = 20}};
    const book_t b({linear_contract<double>{}}, {s}, accounts, positions);
    const std::string m = library_error([&] { (void)remark(b, std::span<const double>(marks)); });
    CHECK(m.rfind("remark: the book's total call amount is inf", 0) == 0);

    using position_t = position<linear_contract<double>, tier_schedule<double>, double>;
    margin_call_calculator<default_policies<double>> calc;
    auto a = calc.make_account(1.0);
    a.add_position(position_t(s, {.symbol = 0, .leverage = 20, .quantity = quantity, .entry_price = entry}));
    REQUIRE_THROWS_MATCHES(calc.evaluate(a, marks), numeric_error,
                           Message("account::evaluate: the cross pool's call amount is inf, but must be finite (the "
                                   "positions' value at these marks is beyond the working precision's range)"));
}

TEST_CASE("class 4: a portfolio-margin IM that overflows is refused", "[reliability][class4]") {
    // Found by fuzz_numeric: a short of 8.76e304 calls (spot 30,000, strike 33,000, expiry 5.6e-308
    // years): the worst loss is finite, MM / mm_factor was +inf, reported silently.
    option_leg<double> o;
    o.type = option_type::call;
    o.strike = 33'000;
    o.expiry = 5.5626846474984087e-308;
    o.quantity = -8.7585113551405491e+304;
    o.volatility = 0.6;
    const stress_book<double> b{30'000, {o}, {{1.0}}};
    const std::string m = library_error([&] { (void)portfolio_margin<double>{}.evaluate(b); });
    CHECK(m.rfind("portfolio_margin: ", 0) == 0);
}

TEST_CASE("class 5: wrong answers: invariants hold or the call refuses", "[reliability][class5]") {
    SECTION("Cornish–Fisher at alpha = 4.9e-324: ES >= VaR") {
        bool refused = false;
        tail_risk<double> r{};
        try {
            r = cornish_fisher_tail_risk(0.0, 1.0, 1.0, 0.0, tiny);  // z_cf ≈ 3373 > ES ≈ 0 before the fix
        } catch (const invalid_argument&) {
            refused = true;
        } catch (const numeric_error&) {
            refused = true;
        }
        if (!refused) CHECK(r.expected_shortfall >= r.value_at_risk);
    }
    SECTION("age-weighted on an all-subnormal sample: ES >= VaR") {
        const std::vector<double> losses{tiny, 2 * tiny, 3 * tiny, 4 * tiny, 5 * tiny, 6 * tiny, 7 * tiny};
        const auto r = age_weighted<double>(0.97).estimate(losses, 0.5);
        CHECK(r.expected_shortfall >= r.value_at_risk);
    }
    SECTION("inverse liquidation price with a subnormal quantity is not `found` at price 0") {
        const inverse_contract<double> c{100.0};
        const tier_schedule<double> s({{0, std::numeric_limits<double>::infinity(), 125, 0.004}});
        // 4.9e-324 contracts against 1 coin of wallet: the position is fully collateralised.
        const auto r = liquidation_price(c, s, position_leg<double>{tiny, 100.0}, account_balance<double>{1.0}, 100.0);
        CHECK(r.status != liquidation_status::found);
        if (r.found()) CHECK(r.price > 0.0);
        // An entry of 4.9e-324 makes the inverse PnL q·m/E infinite: refused, naming the entry.
        const std::string m = library_error([&] {
            (void)liquidation_price(c, s, position_leg<double>{1.0, tiny}, account_balance<double>{1.0}, 100.0);
        });
        CHECK(m.find("entry_price") != std::string::npos);
    }
}

TEST_CASE("class 6: errors name what the caller passed and are the library's own", "[reliability][class6]") {
    SECTION("Student-t GARCH with a huge shape: no boost::math overflow_error") {
        const garch11<double> g(1e-6, 0.05, 0.9, huge);  // ν → ∞ is the normal limit: accepted
        CHECK(std::isfinite(g.log_density(0.01, 1e-4)));
    }
    SECTION("GARCH fit on one 1e308 return names the returns, not omega = -nan") {
        std::vector<double> r{0.01, -0.02, 0.015, -0.01, 0.02, -0.005, 0.01, -0.01, 0.0, 0.03};
        r[4] = huge;
        const std::string m = library_error([&] { (void)fit_garch11<double>(r, garch_innovation::normal); });
        CHECK(m.find("nan") == std::string::npos);
        CHECK(m.find("returns") != std::string::npos);
    }
    SECTION("generic liquidation solver: never 'surplus at -nan'") {
        const auto surplus = [](double p) { return 1.0 - 1e-300 * p; };
        const std::string m = library_error([&] {
            // A linear grid up to the largest double: TOMS 748's interpolation steps overflow to NaN.
            liquidation_scan_options<double> o;
            o.logarithmic_grid = false;
            (void)find_liquidation_prices(surplus, 1.0, 1e-300, std::numeric_limits<double>::max(), o);
        });
        CHECK(m.find("nan") == std::string::npos);
    }
}

TEST_CASE("class 6: max_order_quantity at a price of 1e308 does not blame an entry_price", "[reliability][class6]") {
    using schedule = tier_schedule<double>;
    using linear = linear_contract<double>;
    const schedule btc({{0, 50'000, 125, 0.004, 0.0}, {50'000, 250'000, 100, 0.005, 50.0}});
    account<linear, schedule> a(1000.0);
    a.add_position(position<linear, schedule>(btc, {.symbol = 0, .leverage = 10, .quantity = 1.0, .entry_price = 20'000.0}));
    const std::vector<double> marks{20'000.0};
    // Growing the 1 BTC leg at 1e308 overflows the averaged entry for any trial size: the
    // account accepts no addition (was: "position: entry_price is inf, but must be ...").
    const auto r = a.solve_max_order_quantity(0, position_side::both, side::long_side, huge, marks);
    CHECK(r.root == 0.0);
    CHECK(a.preview({0, position_side::both, r.root, huge}, marks).check == order_check::accepted);
}

namespace {
struct normal_risk_policies : default_policies<double> {
    using risk_measure = normal_var<double>;
};
}  // namespace

TEST_CASE("class 6: the calculator names the risk scenario it built, not a 'sample'", "[reliability][class6]") {
    using schedule = tier_schedule<double>;
    using linear = linear_contract<double>;
    const schedule s({{0, std::numeric_limits<double>::infinity(), 20, 0.01, 0.0}});
    margin_call_calculator<normal_risk_policies> calc;
    auto a = calc.make_account(1e306);
    a.add_position(position<linear, schedule>(s, {.symbol = 0, .leverage = 10, .quantity = 1e305, .entry_price = 100.0}));
    // Scenario 1 moves the mark ×101: the PnL 1e305 × 10,000 overflows. The old message came
    // from the estimator: "normal_var: ...losses... is -inf", a sample the caller never passed.
    calc.set_risk_scenarios(std::vector<double>{0.01, 100.0, -0.01}, 1, 0.95);
    const std::vector<double> marks{100.0};
    const std::string m = library_error([&] { (void)calc.evaluate(a, marks); });
    CHECK(m.rfind("margin_call_calculator::evaluate: the loss in the risk scenarios[1] is -inf", 0) == 0);
}

TEST_CASE("class 7: tier_schedule::maintenance_margin checks its sizes", "[reliability][class7]") {
    const tier_schedule<double> s({{0, 50'000, 125, 0.004, 0.0}, {50'000, 250'000, 100, 0.005, 50.0}});
    CHECK(s.maintenance_margin(100'000.0) == 450.0);            // 100000 × 0.005 − 50
    CHECK(s.maintenance_margin(100'000.0, 1.0) == 450.0);
    CHECK(s.maintenance_margin_unchecked(100'000.0, 1.0) == 450.0);
    for (const double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
        library_error([&] { (void)s.maintenance_margin(bad); });
        library_error([&] { (void)s.maintenance_margin(bad, 1.0); });
        library_error([&] { (void)s.maintenance_margin(1.0, bad); });
    }
}
