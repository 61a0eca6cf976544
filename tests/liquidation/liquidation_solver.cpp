// Tests of include/margincall/liquidation/liquidation_solver.hpp: the generic solver.
#include <margincall/liquidation/hedged_liquidation.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>

#include <boost/math/distributions/normal.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {

// Black-76 (Black 1976, "The pricing of commodity contracts", J. Fin. Econ. 3): undiscounted
// call = F N(d1) − K N(d2), put = K N(−d2) − F N(−d1), d1,2 = (ln(F/K) ± σ²T/2)/(σ√T).
double black76(bool call, double forward, double strike, double vol, double expiry) {
    const boost::math::normal_distribution<double> n;
    const double s = vol * std::sqrt(expiry);
    const double d1 = (std::log(forward / strike) + s * s / 2) / s;
    const double d2 = d1 - s;
    return call ? forward * boost::math::cdf(n, d1) - strike * boost::math::cdf(n, d2)
                : strike * boost::math::cdf(n, -d2) - forward * boost::math::cdf(n, -d1);
}

struct option_leg {
    bool call;
    double quantity, strike, vol, expiry;
};

// A cross account of options and one perpetual on one underlying: equity = cash + Σ q·(V(P) − V(F0))
// + perp·(P − F0); MM = 1 % of |perp| notional + 8 % of the underlying per short option
// (a smooth Deribit-like rule) + the short options' marks.
struct option_account {
    std::vector<option_leg> legs;
    std::vector<double> base;  // leg values at f0
    double perp{0}, cash{0}, f0{100};
    void freeze() {
        base.clear();
        for (const auto& l : legs) base.push_back(black76(l.call, f0, l.strike, l.vol, l.expiry));
    }
    double equity(double p) const { return surplus_parts(p).first; }
    double margin(double p) const { return surplus_parts(p).second; }
    std::pair<double, double> surplus_parts(double p) const {
        double e = cash + perp * (p - f0);
        double m = 0.01 * std::abs(perp) * p;
        for (std::size_t k = 0; k < legs.size(); ++k) {
            const auto& l = legs[k];
            const double v = black76(l.call, p, l.strike, l.vol, l.expiry);
            e += l.quantity * (v - base[k]);
            if (l.quantity < 0) m += -l.quantity * (0.08 * p + v);
        }
        return {e, m};
    }
    double surplus(double p) const {
        const auto [e, m] = surplus_parts(p);
        return e - m;
    }
};

}  // namespace

TEST_CASE("a quadratic surplus: both roots, nearest on each side", "[liquidation][solver]") {
    // s(P) = −(P − 80)(P − 125): hand-derived roots 80 and 125, positive between them.
    auto s = [](double p) { return -(p - 80.0) * (p - 125.0); };
    const auto r = find_liquidation_prices(s, 100.0, 1.0, 1'000.0);
    REQUIRE(r.crossings.size() == 2);
    CHECK_THAT(r.crossings[0], WithinRel(80.0, 1e-13));
    CHECK_THAT(r.crossings[1], WithinRel(125.0, 1e-13));
    REQUIRE(r.prices.downside.found());
    CHECK_THAT(r.prices.downside.price, WithinRel(80.0, 1e-13));
    CHECK_THAT(r.prices.upside.price, WithinRel(125.0, 1e-13));
    CHECK(r.surplus_at_mark == 500.0);
    CHECK(r.evaluations > 1024);
    // The two-functor form: equity 5,000 − 45 P... any split with the same difference.
    auto equity = [](double p) { return 205.0 * p; };
    auto margin = [](double p) { return p * p + 10'000.0; };
    const auto r2 = find_liquidation_prices(equity, margin, 100.0, 1.0, 1'000.0);
    REQUIRE(r2.crossings.size() == 2);
    CHECK_THAT(r2.crossings[0], WithinRel(80.0, 1e-13));
    CHECK_THAT(r2.crossings[1], WithinRel(125.0, 1e-13));
}

TEST_CASE("a pair of roots inside one grid cell is found by the extremum refinement", "[liquidation][solver]") {
    // s(P) = ln(P/500)² − 0.01²: roots 500·e^{∓0.01} (hand-derived), 2 % apart, while a 64-point log
    // grid over [100, 100,000] has cells 11.6 % wide: no sign change on the grid.
    auto s = [](double p) { return std::log(p / 500.0) * std::log(p / 500.0) - 1e-4; };
    liquidation_scan_options<double> coarse;
    coarse.grid_points = 64;
    const auto r = find_liquidation_prices(s, 2'000.0, 100.0, 100'000.0, coarse);
    REQUIRE(r.crossings.size() == 2);
    CHECK_THAT(r.crossings[0], WithinRel(500.0 * std::exp(-0.01), 1e-10));
    CHECK_THAT(r.crossings[1], WithinRel(500.0 * std::exp(0.01), 1e-10));
    CHECK_THAT(r.prices.downside.price, WithinRel(500.0 * std::exp(0.01), 1e-10));
    CHECK(r.prices.upside.status == liquidation_status::out_of_range);
}

TEST_CASE("no crossing in range, already liquidated", "[liquidation][solver]") {
    auto healthy = [](double p) { return 1.0 + p; };
    const auto r = find_liquidation_prices(healthy, 50.0, 1.0, 100.0);
    CHECK(r.crossings.empty());
    CHECK(r.prices.downside.status == liquidation_status::out_of_range);
    CHECK(r.prices.upside.status == liquidation_status::out_of_range);
    auto broke = [](double p) { return p - 60.0; };
    const auto b = find_liquidation_prices(broke, 50.0, 1.0, 100.0);
    CHECK(b.prices.downside.status == liquidation_status::already_liquidated);
    CHECK(b.prices.upside.status == liquidation_status::already_liquidated);
    CHECK(b.crossings.size() == 1);
}

TEST_CASE("on a perpetual hedge book the generic solver reproduces the closed form", "[liquidation][solver]") {
    // Two different methods (segment scan of the piecewise-linear surplus vs grid + TOMS 748).
    const tier_schedule<double> usdt({{0, 50'000, 125, 0.004},
                                      {50'000, 250'000, 100, 0.005},
                                      {250'000, 3'000'000, 50, 0.01},
                                      {3'000'000, 20'000'000, 20, 0.025},
                                      {20'000'000, 40'000'000, 10, 0.05}});
    const linear_contract<double> lin{};
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> size(0.0, 300.0);
    std::uniform_real_distribution<double> entry(25'000.0, 35'000.0);
    std::uniform_real_distribution<double> wallet(10'000.0, 500'000.0);
    int checked = 0;
    for (int i = 0; i < 200; ++i) {
        const position_leg<double> lg{size(rng), entry(rng)}, sh{-size(rng), entry(rng)};
        const double w = wallet(rng);
        auto s = [&](double p) {
            return w + lin.pnl(lg.quantity, lg.entry_price, p) + lin.pnl(sh.quantity, sh.entry_price, p) -
                   usdt.maintenance_margin(lin.notional(lg.quantity, p)) - usdt.maintenance_margin(lin.notional(sh.quantity, p));
        };
        if (s(30'000.0) < 0) continue;
        const auto closed = liquidation_prices_hedged(lin, usdt, lg, sh, {w}, 30'000.0);
        const auto generic = find_liquidation_prices(s, 30'000.0, 100.0, 1e6);
        for (const auto& [a, b] : {std::pair{closed.downside, generic.prices.downside},
                                   std::pair{closed.upside, generic.prices.upside}}) {
            if (a.found()) {
                REQUIRE(b.found());
                CHECK_THAT(b.price, WithinRel(a.price, 1e-10));
                ++checked;
            }
        }
    }
    CHECK(checked > 100);
}

TEST_CASE("random option accounts: a dense brute-force grid finds no crossing the solver missed",
          "[liquidation][solver]") {
    std::mt19937_64 rng(20261128);
    std::uniform_real_distribution<double> strike(60.0, 140.0), vol(0.3, 1.0), expiry(0.05, 1.0), qty(-5.0, 5.0);
    std::bernoulli_distribution call(0.5);
    liquidation_scan_options<double> options;
    options.grid_points = 256;
    int two_root_accounts = 0;
    for (int i = 0; i < 40; ++i) {
        option_account a;
        const int n = i < 10 ? 2 : 10;
        for (int k = 0; k < n; ++k) a.legs.push_back({call(rng), qty(rng), strike(rng), vol(rng), expiry(rng)});
        if (i < 10) {  // short straddles: the classic two-sided liquidation
            const double k0 = strike(rng);
            a.legs = {{true, -3.0, k0, 0.6, 0.25}, {false, -3.0, k0, 0.6, 0.25}};
        }
        a.perp = qty(rng);
        a.freeze();
        a.cash = a.margin(a.f0) - a.equity(a.f0) + 40.0 + 60.0 * std::abs(qty(rng));
        auto s = [&](double p) { return a.surplus(p); };
        const auto r = find_liquidation_prices(s, a.f0, 1.0, 1'000.0, options);
        for (const double c : r.crossings) CHECK(std::abs(a.surplus(c)) <= 1e-9 * (a.cash + 100.0 * c));
        // Brute force: 8,000 log-spaced points (31× finer than the solver's grid).
        const int dense = 8'000;
        double prev_x = 1.0, prev_s = a.surplus(1.0);
        for (int k = 1; k <= dense; ++k) {
            const double x = std::exp(std::log(1'000.0) * k / dense);
            const double sx = a.surplus(x);
            if ((prev_s < 0) != (sx < 0)) {
                bool matched = false;
                for (const double c : r.crossings) matched = matched || (c >= prev_x * (1 - 1e-12) && c <= x * (1 + 1e-12));
                CHECK(matched);
            }
            prev_x = x;
            prev_s = sx;
        }
        if (r.prices.downside.found() && r.prices.upside.found()) ++two_root_accounts;
    }
    CHECK(two_root_accounts >= 10);
}

TEST_CASE("solver input errors", "[liquidation][solver][errors]") {
    auto s = [](double p) { return p; };
    REQUIRE_THROWS_MATCHES(find_liquidation_prices(s, 5.0, 0.0, 10.0), invalid_argument,
                           Message("find_liquidation_prices: lower is 0, but must be finite and > 0"));
    REQUIRE_THROWS_MATCHES(find_liquidation_prices(s, 5.0, 10.0, 1.0), invalid_argument,
                           Message("find_liquidation_prices: upper is 1, but must be > lower = 10"));
    REQUIRE_THROWS_MATCHES(find_liquidation_prices(s, 50.0, 1.0, 10.0), invalid_argument,
                           Message("find_liquidation_prices: mark is 50, but must be in [1, 10]"));
    REQUIRE_THROWS_MATCHES(find_liquidation_prices(s, 5.0, 1.0, std::numeric_limits<double>::infinity()), invalid_argument,
                           Message("find_liquidation_prices: upper is inf, but must be finite"));
    liquidation_scan_options<double> o;
    o.grid_points = 2;
    REQUIRE_THROWS_MATCHES(find_liquidation_prices(s, 5.0, 1.0, 10.0, o), invalid_argument,
                           Message("find_liquidation_prices: grid_points is 2, but must be >= 3"));
    auto nan_at_low = [](double p) { return p < 2.0 ? std::numeric_limits<double>::quiet_NaN() : p; };
    REQUIRE_THROWS_MATCHES(find_liquidation_prices(nan_at_low, 5.0, 1.0, 10.0), invalid_argument,
                           Message("find_liquidation_prices: the surplus at 1 is nan, but must be finite"));
    o.grid_points = 16;
    o.logarithmic_grid = false;
    const auto r = find_liquidation_prices(s, 5.0, 0.0, 10.0, o);  // a uniform grid may start at 0
    CHECK(r.crossings.size() == 1);
    CHECK(r.crossings[0] == 0.0);
}

TEST_CASE("a TOMS 748 budget that runs out is no_convergence on that side, never found", "[liquidation][solver]") {
    // s(P) = −(P − 80)(P − 125) as above: roots 80 and 125. With a budget of one evaluation per
    // refinement no bracket narrows to the tolerance; the full budget solves both.
    auto s = [](double p) { return -(p - 80.0) * (p - 125.0); };
    liquidation_scan_options<double> starved;
    starved.max_iterations = 1;
    const auto r = find_liquidation_prices(s, 100.0, 1.0, 1'000.0, starved);
    REQUIRE(r.crossings.size() == 2);
    REQUIRE(r.crossing_status.size() == 2);
    CHECK(r.crossing_status[0] == solve_status::no_convergence);
    CHECK(r.crossing_status[1] == solve_status::no_convergence);
    CHECK(r.prices.downside.status == liquidation_status::no_convergence);
    CHECK(r.prices.upside.status == liquidation_status::no_convergence);
    CHECK_FALSE(r.prices.downside.found());
    CHECK(r.prices.downside.price == 0.0);
    // The unconverged estimates still lie in their grid cells (1,024 log-spaced points: < 0.7 % wide).
    CHECK_THAT(r.crossings[0], WithinRel(80.0, 7e-3));
    CHECK_THAT(r.crossings[1], WithinRel(125.0, 7e-3));
    CHECK(std::string(to_string(liquidation_status::no_convergence)) == "no convergence");

    const auto full = find_liquidation_prices(s, 100.0, 1.0, 1'000.0);
    CHECK(full.crossing_status[0] == solve_status::found);
    CHECK(full.prices.downside.found());
    CHECK(full.prices.upside.found());
}
