// Tests of include/margincall/calculator/liquidation_solvers.hpp: the closed-form policy against
// the standalone closed forms, the generic policy against hand-derived roots and the closed forms.
#include <margincall/calculator/liquidation_solvers.hpp>

#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
using schedule = tier_schedule<double>;
using linear = linear_contract<double>;
using inverse = inverse_contract<double>;
// Binance BTCUSDT brackets 1–3, open-ended at 2.5 % beyond 3M (cum 46,300 by the recursion).
schedule btc() {
    return schedule({{0, 50000, 125, 0.004, 0.0},
                     {50000, 250000, 100, 0.005, 50.0},
                     {250000, 3000000, 50, 0.01, 1300.0},
                     {3000000, inf, 20, 0.025, 46300.0}});
}
}  // namespace

TEST_CASE("closed form: isolated hedge legs each solved with their own margin", "[calculator]") {
    const auto s = btc();
    account<linear, schedule> a(0.0, position_mode::hedge);
    a.add_position(position<linear, schedule>(s, {.symbol = 0,
                                                  .leverage = 10,
                                                  .mode = margin_mode::isolated,
                                                  .side = position_side::long_leg,
                                                  .quantity = 1.0,
                                                  .entry_price = 20000.0,
                                                  .isolated_margin = 2000.0}));
    a.add_position(position<linear, schedule>(s, {.symbol = 0,
                                                  .leverage = 10,
                                                  .mode = margin_mode::isolated,
                                                  .side = position_side::short_leg,
                                                  .quantity = -1.0,
                                                  .entry_price = 20000.0,
                                                  .isolated_margin = 2000.0}));
    const std::vector<double> marks{20000.0};
    const auto l = closed_form_liquidation{}.prices(a, 0, std::span<const double>(marks));
    const auto h = closed_form_liquidation{}.prices(a, 1, std::span<const double>(marks));
    // Long: 2,000 + (P − 20,000) = 0.004 P ⇔ P = 18,000 / 0.996; short: 2,000 − (P − 20,000) = 0.004 P ⇔ P = 22,000 / 1.004.
    CHECK_THAT(l.liquidation.downside.price, WithinRel(18000.0 / 0.996, 1e-12));
    CHECK_THAT(h.liquidation.upside.price, WithinRel(22000.0 / 1.004, 1e-12));
    CHECK_THAT(l.bankruptcy.downside.price, WithinRel(18000.0, 1e-12));
    CHECK_THAT(h.bankruptcy.upside.price, WithinRel(22000.0, 1e-12));
}

TEST_CASE("closed form: inverse contract through the policy equals the standalone call", "[calculator]") {
    const schedule coin({{0, 5, 125, 0.004, 0.0}, {5, inf, 100, 0.005, 0.005}});  // illustrative, in BTC
    account<inverse, schedule> a(0.5);
    a.add_position(position<inverse, schedule>(
        coin, {.symbol = 0, .contract = inverse{100.0}, .leverage = 20, .quantity = 300.0, .entry_price = 30000.0}));
    const std::vector<double> marks{29000.0};
    const auto p = closed_form_liquidation{}.prices(a, 0, std::span<const double>(marks));
    const auto x = liquidation_price(inverse{100.0}, coin, position_leg<double>{300.0, 30000.0},
                                     account_balance<double>{0.5, 0.0, 0.0}, 29000.0);
    CHECK(p.liquidation.downside.price == x.price);
    CHECK(p.liquidation.downside.status == x.status);
    CHECK(p.liquidation.upside.status == liquidation_status::unreachable);
}

TEST_CASE("flat legs have no prices", "[calculator]") {
    const auto s = btc();
    account<linear, schedule> a(10.0);
    a.add_position(position<linear, schedule>(s, {.symbol = 0, .leverage = 10}));
    const std::vector<double> marks{100.0};
    const auto p = closed_form_liquidation{}.prices(a, 0, std::span<const double>(marks));
    CHECK(p.liquidation.downside.status == liquidation_status::unreachable);
    CHECK(p.liquidation.upside.status == liquidation_status::unreachable);
    CHECK(p.bankruptcy.downside.status == liquidation_status::unreachable);
    CHECK(p.bankruptcy.upside.status == liquidation_status::unreachable);
    const auto g = generic_liquidation<double>{}.prices(a, 0, std::span<const double>(marks));
    CHECK(g.liquidation.upside.status == liquidation_status::unreachable);
    // The liquidation layer's entry point answers the same (it used to throw for a flat leg).
    const auto x = account_liquidation_prices(a, 0, std::span<const double>(marks));
    CHECK(x.downside.status == liquidation_status::unreachable);
    CHECK(x.upside.status == liquidation_status::unreachable);
}

TEST_CASE("closed form policy and account_liquidation_prices agree on random cross books", "[calculator][property]") {
    // One path: the policy adapts the liquidation layer, so both give identical points.
    const auto s = btc();
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 100; ++i) {
        account<linear, schedule> a(1000 + 50000 * u(rng), position_mode::hedge);
        const double e = 10000 + 50000 * u(rng);
        const double ql = 0.1 + 20 * u(rng);
        const double qs = -(0.1 + 20 * u(rng));
        const double e2 = 1000 + 2000 * u(rng);
        const double q2 = 10 * u(rng) - 5;
        a.add_position(position<linear, schedule>(s, {.symbol = 0, .leverage = 1, .side = position_side::long_leg, .quantity = ql, .entry_price = e}));
        a.add_position(position<linear, schedule>(s, {.symbol = 0, .leverage = 1, .side = position_side::short_leg, .quantity = qs, .entry_price = e}));
        a.add_position(position<linear, schedule>(
            s, {.symbol = 1, .leverage = 1, .side = position_side::long_leg, .quantity = q2 > 0 ? q2 : 0.0, .entry_price = e2}));
        const std::vector<double> marks{e * (0.95 + 0.1 * u(rng)), e2};
        for (std::size_t leg = 0; leg < 3; ++leg) {
            const auto p = closed_form_liquidation{}.prices(a, leg, std::span<const double>(marks));
            const auto x = account_liquidation_prices(a, leg, std::span<const double>(marks));
            const auto b = account_bankruptcy_prices(a, leg, std::span<const double>(marks));
            for (const auto& [l, r] : {std::pair{p.liquidation.downside, x.downside}, std::pair{p.liquidation.upside, x.upside},
                                       std::pair{p.bankruptcy.downside, b.downside}, std::pair{p.bankruptcy.upside, b.upside}}) {
                CHECK(l.status == r.status);
                CHECK(l.price == r.price);
            }
        }
    }
}

TEST_CASE("generic solver agrees with the closed forms on random tiered books", "[calculator][property]") {
    const auto s = btc();
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int compared = 0;
    for (int i = 0; i < 200; ++i) {
        account<linear, schedule> a(1000 + 100000 * u(rng));
        const double e = 10000 + 50000 * u(rng);
        const double q = (u(rng) < 0.5 ? -1 : 1) * (0.1 + 100 * u(rng));
        a.add_position(position<linear, schedule>(s, {.symbol = 0, .leverage = 1, .quantity = q, .entry_price = e}));
        const std::vector<double> marks{e * (0.95 + 0.1 * u(rng))};
        const auto x = closed_form_liquidation{}.prices(a, 0, std::span<const double>(marks));
        const auto g = generic_liquidation<double>{}.prices(a, 0, std::span<const double>(marks));
        for (const auto& [xs, gs] : {std::pair{x.liquidation.downside, g.liquidation.downside},
                                     std::pair{x.liquidation.upside, g.liquidation.upside},
                                     std::pair{x.bankruptcy.downside, g.bankruptcy.downside},
                                     std::pair{x.bankruptcy.upside, g.bankruptcy.upside}}) {
            if (xs.found() && xs.price > marks[0] * 1e-3 && xs.price < marks[0] * 1e3) {
                REQUIRE(gs.found());
                CHECK_THAT(gs.price, WithinRel(xs.price, 1e-9));
                ++compared;
            }
        }
    }
    CHECK(compared > 200);
}

TEST_CASE("solver policies reject bad legs, marks and ranges", "[calculator][errors]") {
    const auto s = btc();
    account<linear, schedule> a(10.0);
    a.add_position(position<linear, schedule>(s, {.symbol = 2, .leverage = 10, .quantity = 1.0, .entry_price = 100.0}));
    const std::vector<double> two{1.0, 1.0};
    REQUIRE_THROWS_MATCHES(closed_form_liquidation{}.prices(a, 0, std::span<const double>(two)), margincall::invalid_argument,
                           Message("closed_form_liquidation: the size of marks is 2, but must be > 2 (the leg's symbol)"));
    REQUIRE_THROWS_MATCHES(generic_liquidation<double>{}.prices(a, 1, std::span<const double>(two)), margincall::invalid_argument,
                           Message("generic_liquidation: leg is 1, but must be < 1 (the number of positions)"));
    const std::vector<double> three{1.0, 1.0, -5.0};
    REQUIRE_THROWS_MATCHES(generic_liquidation<double>{}.prices(a, 0, std::span<const double>(three)), margincall::invalid_argument,
                           Message("generic_liquidation: mark is -5, but must be finite and > 0"));
    // The caller's marks[2], under the policy's name (as account_liquidation_prices does), not an
    // internal argument of the closed form it calls.
    REQUIRE_THROWS_MATCHES(closed_form_liquidation{}.prices(a, 0, std::span<const double>(three)), margincall::invalid_argument,
                           Message("closed_form_liquidation: marks[2] is -5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(account_liquidation_prices(a, 0, std::span<const double>(three)), margincall::invalid_argument,
                           Message("account_liquidation_prices: marks[2] is -5, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES((generic_liquidation<double>{.lower_factor = 0.5, .upper_factor = 1.0}.prices(a, 0, std::span<const double>(three))),
                           margincall::invalid_argument, Message("generic_liquidation: upper_factor is 1, but must be finite and > 1"));
}
