// Tests of include/margincall/cascade/cascade_simulator.hpp. Expected values are closed forms
// derived by hand in the comments (and in docs/cascades.md §4), never the simulator's output.
#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/depth_profile_impact.hpp>
#include <margincall/cascade/square_root_impact.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "catch.hpp"
#include "soa_book.hpp"

using namespace margincall;

namespace {

using cascade_test::soa;

// N longs of size q, entry E = P0, maintenance rate 0, with liquidation prices evenly spread
// below P0: LP_k = P0 − (k − ½)·d, k = 1..N. With m = 0, LP = E − C/q, so C_k = q·(k − ½)·d
// (exact in cents for the values used).
soa evenly_spread(std::size_t n, double p0, double q, double d) {
    soa b;
    for (std::size_t k = 1; k <= n; ++k) b.add(q, p0, q * (static_cast<double>(k) - 0.5) * d, 0.0);
    return b;
}

template <class Impact, class Liquidation = full_close>
cascade_outcome<double> run_one(const liquidation_book<double>& book, Impact impact, const exogenous_shock<double>& shock,
                                loss_waterfall<double> w = {1e12, 0.0, residual_loss::bad_debt, adl_ranking::bitmex},
                                Liquidation liq = {}, std::optional<keeper_model<double>> keeper = {}) {
    using sim = cascade_simulator<double, Impact, Liquidation>;
    sim s(std::move(impact), {typename sim::venue{&book, liq, w, keeper}});
    return s.run(shock);
}

// The fixed point of the evenly spread book under linear impact, by the hand-derived map
// D ↦ g(D) = s + λ·q·n(D), n(D) = #{k ≤ N : (k − ½)·d ≤ D} = min(N, ⌊D/d + ½⌋), from D = s.
double fixed_point_drop(double s, double lambda, double q, double d, std::size_t n) {
    double drop = s;
    for (int it = 0; it < 100000; ++it) {
        const double count = std::min(static_cast<double>(n), std::floor(drop / d + 0.5));
        const double next = s + lambda * q * count;
        if (next == drop) return drop;
        drop = next;
    }
    return drop;
}

}  // namespace

TEST_CASE("evenly spread book, linear impact: the fixed point is the geometric series s/(1 − r)", "[cascade]") {
    // Each unit of price fall crosses q/d units of position (density ρ = 1/d accounts of size q);
    // they sell q/d, which moves the price λ·q/d further: the n-th round moves s·r^n, r = λq/d,
    // and the total drop is s·Σ r^n = s/(1 − r) for r < 1. With the discrete book,
    // n(D) = ⌊D/d + ½⌋ ∈ (D/d − ½, D/d + ½], so the exact fixed point D* = s + λq·n(D*) obeys
    // |D* − s/(1 − r)| ≤ (λq/2)/(1 − r)   (docs/cascades.md §4).
    struct row { double q, d, lambda, s; };
    const std::array<row, 3> rows{{{1.0, 1.0, 0.5, 100.0}, {2.0, 4.0, 1.0, 60.0}, {1.0, 1.0, 0.9, 37.3}}};
    for (const auto& r : rows) {
        const double p0 = 10000.0;
        const std::size_t n = 4000;
        const auto b = evenly_spread(n, p0, r.q, r.d).book();
        const auto out = run_one(b, linear_impact<double>(r.lambda), exogenous_shock<double>::instant_relative(p0, -r.s / p0));
        const double ratio = r.lambda * r.q / r.d;
        const double closed_form = r.s / (1.0 - ratio);
        const double drop = p0 - out.final_price;
        CHECK(std::abs(drop - closed_form) <= r.lambda * r.q / 2.0 / (1.0 - ratio) + 1e-9);
        CHECK_THAT(drop, WithinAbs(fixed_point_drop(r.s, r.lambda, r.q, r.d, n), 1e-6));
        CHECK(out.converged);
        // Every crossed account was liquidated: count = n(D*) (D* of the last mark before the quiet step).
        CHECK(static_cast<double>(out.venues[0].liquidated_count) == std::floor(drop / r.d + 0.5));
        // Amplification = D*/s ≈ 1/(1 − r).
        CHECK_THAT(out.amplification, WithinRel(drop / r.s, 1e-12));
    }
}

TEST_CASE("evenly spread book: runaway iff r = λq/d ≥ 1, on either side of the boundary", "[cascade]") {
    // r < 1: the drop converges to ≈ s/(1 − r) and most of the book survives.
    // r ≥ 1: g(D) − D ≥ s − λq/2 > 0 for every D below the book's end, so the cascade only
    // stops when the book is exhausted: all N accounts, final drop s + λ·q·N.
    const double p0 = 10000.0;
    const std::size_t n = 3000;
    const double s = 10.0;
    const auto b = evenly_spread(n, p0, 1.0, 1.0).book();
    const auto below = run_one(b, linear_impact<double>(0.99), exogenous_shock<double>::instant_relative(p0, -s / p0));
    const double drop_below = p0 - below.final_price;
    CHECK(std::abs(drop_below - s / 0.01) <= 0.99 / 2.0 / 0.01);
    CHECK(below.venues[0].liquidated_count < n);
    const auto above = run_one(b, linear_impact<double>(1.01), exogenous_shock<double>::instant_relative(p0, -s / p0));
    CHECK(above.venues[0].liquidated_count == n);
    CHECK_THAT(p0 - above.final_price, WithinAbs(s + 1.01 * static_cast<double>(n), 1e-6));
    const auto at = run_one(b, linear_impact<double>(1.0), exogenous_shock<double>::instant_relative(p0, -s / p0));
    CHECK(at.venues[0].liquidated_count == n);  // r = 1: g(D) − D ≥ s − ½ > 0
}

namespace {
// A random mixed book: longs and shorts, 2x–50x, maintenance rate 0.5 %–2 %, entries around 100.
soa random_book(std::size_t n, std::uint32_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    soa b;
    for (std::size_t i = 0; i < n; ++i) {
        const double side = u(gen) < 0.6 ? 1.0 : -1.0;
        const double qty = std::round((0.1 + 10.0 * u(gen)) * 1000.0) / 1000.0;
        const double entry = std::round((95.0 + 10.0 * u(gen)) * 100.0) / 100.0;
        const double leverage = 2.0 + 48.0 * u(gen);
        const double collateral = std::round(qty * entry / leverage * 100.0) / 100.0;
        const double rate = std::round((0.005 + 0.015 * u(gen)) * 10000.0) / 10000.0;
        b.add(side * qty, entry, collateral, rate);
    }
    return b;
}

soa shuffled(const soa& b, std::uint32_t seed) {
    std::vector<std::size_t> p(b.q.size());
    std::iota(p.begin(), p.end(), std::size_t{0});
    std::mt19937_64 gen(seed);
    std::shuffle(p.begin(), p.end(), gen);
    soa out;
    for (const auto i : p) out.add(b.q[i], b.e[i], b.c[i], b.m[i]);
    return out;
}

void check_same(const cascade_outcome<double>& x, const cascade_outcome<double>& y) {
    REQUIRE(x.prices.size() == y.prices.size());
    for (std::size_t t = 0; t < x.prices.size(); ++t) CHECK(x.prices[t] == y.prices[t]);
    REQUIRE(x.venues.size() == y.venues.size());
    for (std::size_t v = 0; v < x.venues.size(); ++v) {
        const auto& a = x.venues[v];
        const auto& b = y.venues[v];
        CHECK(a.liquidated_count == b.liquidated_count);
        CHECK(a.liquidated_notional == b.liquidated_notional);
        CHECK(a.adl_notional == b.adl_notional);
        CHECK(a.adl_count == b.adl_count);
        CHECK(a.ledger.collateral == b.ledger.collateral);
        CHECK(a.ledger.fund == b.ledger.fund);
        CHECK(a.ledger.market == b.ledger.market);
        CHECK(a.ledger.bad_debt == b.ledger.bad_debt);
        CHECK(a.ledger.socialised == b.ledger.socialised);
        CHECK(a.unliquidated_bad_debt == b.unliquidated_bad_debt);
    }
}

// Σ of the accounts' cash in the workspace must equal the ledger's collateral bucket.
std::int64_t workspace_cash(const cascade_workspace<double>& ws, std::size_t v) {
    std::int64_t s = 0;
    for (const auto c : ws.venues[v].collateral) s += c;
    return s;
}
}  // namespace

TEST_CASE("conservation: collateral + fund + rewards + market − bad debt balance to the cent", "[cascade]") {
    const auto b = random_book(3000, 7).book();
    const std::array<residual_loss, 3> rules{residual_loss::auto_deleveraging, residual_loss::socialised,
                                             residual_loss::bad_debt};
    const std::array<double, 3> funds{0.0, 500.0, 1e7};
    for (const auto rule : rules) {
        for (const double fund : funds) {
            for (const double move : {-0.08, 0.07}) {
                using sim = cascade_simulator<double, linear_impact<double>, partial_close<double>>;
                sim s(linear_impact<double>(0.002),
                      {sim::venue{&b, partial_close<double>(0.2), {fund, 0.005, rule, adl_ranking::binance},
                                  keeper_model<double>(1, 0.05, 0.3)}});
                cascade_workspace<double> ws;
                const auto out = s.run(exogenous_shock<double>::instant_relative(100.0, move), ws);
                const auto& led = out.venues[0].ledger;
                CHECK(led.balanced());
                CHECK(led.imbalance() == 0);
                CHECK(workspace_cash(ws, 0) == led.collateral);
                CHECK(led.fund >= 0);
                // The fund is what it started with, plus fees net of keeper shares, minus what it paid
                // (ADL may hand it a rounding cent per step).
                const auto fund_flows = led.initial_fund + led.fees - led.keeper_rewards - led.fund_payouts;
                if (rule == residual_loss::auto_deleveraging) CHECK(std::abs(led.fund - fund_flows) <= static_cast<std::int64_t>(out.prices.size()));
                else CHECK(led.fund == fund_flows);
                CHECK(out.venues[0].liquidated_count > 0);
                if (rule == residual_loss::bad_debt) CHECK(led.adl_covered == 0);
                if (rule != residual_loss::socialised) CHECK(led.socialised == 0);
                // Every cent of deficit went somewhere: fund payouts + ADL + socialised + bad debt.
                CHECK(led.fund_payouts + led.adl_covered + led.socialised + led.bad_debt >= 0);
            }
        }
    }
}

TEST_CASE("order independence: a shuffled book gives the same result, bit for bit", "[cascade]") {
    const auto base = random_book(2000, 11);
    const auto b1 = base.book();
    const auto b2 = shuffled(base, 99).book();
    for (const auto rule : {residual_loss::auto_deleveraging, residual_loss::socialised}) {
        const loss_waterfall<double> w{100.0, 0.005, rule, adl_ranking::bitmex};
        const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.06);
        check_same(run_one(b1, linear_impact<double>(0.003), shock, w), run_one(b2, linear_impact<double>(0.003), shock, w));
        check_same(run_one(b1, linear_impact<double>(0.003), shock, w, partial_close<double>(0.1), keeper_model<double>(2, 0.01, 0.5)),
                   run_one(b2, linear_impact<double>(0.003), shock, w, partial_close<double>(0.1), keeper_model<double>(2, 0.01, 0.5)));
        check_same(run_one(b1, square_root_impact<double>(1.0, 0.04, 5000.0, 0.1), shock, w, call_auction{}),
                   run_one(b2, square_root_impact<double>(1.0, 0.04, 5000.0, 0.1), shock, w, call_auction{}));
    }
}

TEST_CASE("a book without leverage never cascades", "[cascade]") {
    // 1x longs: C = q·E, so LP = (qE − C)/(q(1 − m)) = 0: no positive price liquidates them.
    soa s;
    for (int i = 1; i <= 500; ++i) s.add(0.5 * i, 100.0, 0.5 * i * 100.0, 0.01);
    const auto b = s.book();
    const auto out = run_one(b, linear_impact<double>(0.01), exogenous_shock<double>::instant_relative(100.0, -0.9));
    CHECK(out.venues[0].liquidated_count == 0);
    CHECK(out.final_price == 100.0 * (1.0 + -0.9));  // only the exogenous move, as the shock computes it
    CHECK(out.amplification == 1.0);
    CHECK(out.steps_to_fixed_point == 0);
}

TEST_CASE("a fund large enough never triggers auto-deleveraging", "[cascade]") {
    const auto b = random_book(2000, 5).book();
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.1);
    const auto rich = run_one(b, linear_impact<double>(0.003), shock, {1e9, 0.005, residual_loss::auto_deleveraging});
    CHECK(rich.venues[0].adl_notional == 0.0);
    CHECK(rich.venues[0].adl_count == 0);
    CHECK(rich.venues[0].ledger.bad_debt == 0);
    CHECK(rich.venues[0].ledger.fund_payouts > 0);  // the shock does produce deficits
    const auto poor = run_one(b, linear_impact<double>(0.003), shock, {0.0, 0.005, residual_loss::auto_deleveraging});
    CHECK(poor.venues[0].adl_count > 0);
    CHECK(poor.venues[0].ledger.balanced());
}

TEST_CASE("a keeper with no delay and no cost is the same as no keeper", "[cascade][keeper]") {
    const auto b = random_book(2000, 3).book();
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.07);
    const loss_waterfall<double> w{50.0, 0.006, residual_loss::auto_deleveraging};
    const auto none = run_one(b, linear_impact<double>(0.003), shock, w);
    const auto zero = run_one(b, linear_impact<double>(0.003), shock, w, full_close{}, keeper_model<double>(0, 0.0, 0.0));
    check_same(none, zero);
    // With a reward share the money splits between the fund and the keepers, nothing else moves.
    const auto shared = run_one(b, linear_impact<double>(0.003), shock, w, full_close{}, keeper_model<double>(0, 0.0, 0.4));
    REQUIRE(none.prices.size() == shared.prices.size());
    CHECK(none.final_price == shared.final_price);
    CHECK(none.venues[0].liquidated_count == shared.venues[0].liquidated_count);
    CHECK(shared.venues[0].ledger.keeper_rewards > 0);
    CHECK(shared.venues[0].ledger.balanced());
}

TEST_CASE("keeper economics: small positions are left open and grow into bad debt", "[cascade][keeper]") {
    // 100 longs of size 0.01 at 100 with 10x leverage (fee at 0.5 % of 1 USDT ≈ 0.5 cent
    // < cost 1 USDT) and 10 large ones: only the large ones are executed.
    soa s;
    for (int i = 0; i < 100; ++i) s.add(0.01, 100.0, 0.1, 0.01);
    for (int i = 0; i < 10; ++i) s.add(10.0, 100.0, 100.0, 0.01);
    const auto b = s.book();
    const loss_waterfall<double> w{1e6, 0.005, residual_loss::bad_debt};
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.2);
    const auto out = run_one(b, linear_impact<double>(0.0), shock, w, full_close{}, keeper_model<double>(0, 1.0, 1.0));
    CHECK(out.venues[0].liquidated_count == 10);
    // Left open: 100 × 0.01 at 80 = 80 USDT of exposure; each has equity 0.1 + 0.01·(80 − 100) = −0.1.
    CHECK_THAT(out.venues[0].unliquidated_exposure, WithinRel(80.0, 1e-12));
    CHECK_THAT(out.venues[0].unliquidated_bad_debt, WithinRel(10.0, 1e-9));
    CHECK_THAT(out.venues[0].automation_cost, WithinRel(10.0, 1e-12));
    // Without the keeper they would have been closed: no bad debt left open.
    const auto free = run_one(b, linear_impact<double>(0.0), shock, w);
    CHECK(free.venues[0].liquidated_count == 110);
    CHECK(free.venues[0].unliquidated_bad_debt == 0.0);
    // A delay of 3 steps executes 3 steps later.
    const auto late = run_one(b, linear_impact<double>(0.0), shock, w, full_close{}, keeper_model<double>(3, 0.0, 1.0));
    CHECK(late.steps_to_fixed_point == 4);
    CHECK(free.steps_to_fixed_point == 1);
}

TEST_CASE("fills: VWAP for a continuous close, the clearing price for a call auction", "[cascade]") {
    // 10 longs of size 1, all with LP = 95 (C = 5, m = 0, E = 100); instant move to 94; λ = 0.1:
    // V = −10, mark after = 94 − 1 = 93; the VWAP of a linear book is the midpoint 93.5.
    soa s;
    for (int i = 0; i < 10; ++i) s.add(1.0, 100.0, 5.0, 0.0);
    const auto b = s.book();
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.06);
    const auto cont = run_one(b, linear_impact<double>(0.1), shock);
    const auto auction = run_one(b, linear_impact<double>(0.1), shock, {1e6, 0.0, residual_loss::bad_debt}, call_auction{});
    CHECK_THAT(cont.venues[0].steps[0].execution_price, WithinRel(93.5, 1e-14));
    CHECK_THAT(auction.venues[0].steps[0].execution_price, WithinRel(93.0, 1e-14));
    // Deficits: each is bankrupt at 95 and fills at 93.5 (93): 1.5 (2) per account, paid by the fund.
    CHECK(cont.venues[0].ledger.fund_payouts == 1500);
    CHECK(auction.venues[0].ledger.fund_payouts == 2000);
}

TEST_CASE("contagion: a cascade on one venue liquidates a lending protocol sharing the asset", "[cascade]") {
    // Venue A: 40x longs; venue B: a lending protocol, collateral 1 unit, debt 80, LT 0.85 →
    // liquidated below 80/0.85 = 94.12 (as the long q = 1, C = E − 80, m = 0.15).
    soa a;
    for (int i = 0; i < 2000; ++i) a.add(1.0, 100.0, 2.5 + 0.001 * i, 0.005);
    soa l;
    for (int i = 0; i < 500; ++i) l.add(1.0, 100.0, 100.0 - 80.0, 0.15);
    const auto book_a = a.book();
    const auto book_b = l.book();
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.03);
    using sim = cascade_simulator<double>;
    const loss_waterfall<double> w{1e9, 0.005, residual_loss::bad_debt};
    const auto alone = sim(linear_impact<double>(0.005), {sim::venue{&book_b, {}, w, {}}}).run(shock);
    CHECK(alone.venues[0].liquidated_count == 0);
    const auto both = sim(linear_impact<double>(0.005), {sim::venue{&book_a, {}, w, {}}, sim::venue{&book_b, {}, w, {}}}).run(shock);
    CHECK(both.venues[0].liquidated_count > 0);
    CHECK(both.venues[1].liquidated_count == 500);
    CHECK(both.final_price < 80.0 / 0.85);
    CHECK(both.venues[0].ledger.balanced());
    CHECK(both.venues[1].ledger.balanced());
}

TEST_CASE("prices stay positive under every impact model", "[cascade]") {
    const auto b = random_book(3000, 21).book();
    const std::array<depth_band<double>, 3> bands{{{0.01, 2000.0}, {0.05, 5000.0}, {0.5, 20000.0}}};
    for (const double move : {-0.5, -0.2, 0.3}) {
        const auto shock = exogenous_shock<double>::instant_relative(100.0, move);
        for (const auto& out : {run_one(b, square_root_impact<double>(1.0, 0.1, 100.0), shock),
                                run_one(b, depth_profile_impact<double>(bands, 0.2), shock),
                                run_one(b, linear_impact<double>(0.0009), shock)}) {
            for (const double p : out.prices) CHECK(p > 0.0);
            CHECK(out.venues[0].ledger.balanced());
        }
    }
}

TEST_CASE("bad input gets the library's message", "[cascade][errors]") {
    const auto b = evenly_spread(100, 100.0, 1.0, 0.5).book();  // 100 units long
    using sim = cascade_simulator<double>;
    // λ × long quantity = 1.5 × 100 = 150 ≥ 100: the book alone could push the price through 0.
    const sim strong(linear_impact<double>(1.5), {sim::venue{&b, {}, {}, {}}});
    REQUIRE_THROWS_MATCHES(strong.run(exogenous_shock<double>::instant_relative(100.0, -0.1)), invalid_argument,
                           Message("cascade_simulator: lambda × liquidatable long quantity is 150, but must be < the start price 100"));
    // Allowed at the start (0.9 × 100 = 90 < 100) but the shock to 50 leaves too little room.
    const sim near(linear_impact<double>(0.9), {sim::venue{&b, {}, {}, {}}});
    REQUIRE_THROWS_WITH(near.run(exogenous_shock<double>::instant_relative(100.0, -0.5)),
                        Contains("cascade_simulator: the price after impact is -") &&
                            Contains(", but must be finite and > 0 (the impact model is too strong for the book)"));
    const std::array<depth_band<double>, 1> thin{{{0.1, 50.0}}};
    using dsim = cascade_simulator<double, depth_profile_impact<double>>;
    REQUIRE_THROWS_MATCHES(dsim(depth_profile_impact<double>(thin, 0.5), {dsim::venue{&b, {}, {}, {}}}), invalid_argument,
                           Message("cascade_simulator: the total depth is 50, but must be > the books' liquidatable long quantity 100"));
    REQUIRE_THROWS_MATCHES(sim(linear_impact<double>(0.1), {}), invalid_argument,
                           Message("cascade_simulator: the number of venues is 0, but must be >= 1"));
    REQUIRE_THROWS_MATCHES(sim(linear_impact<double>(0.1), {sim::venue{nullptr, {}, {}, {}}}), invalid_argument,
                           Message("cascade_simulator: book of venue 0 is null, but must be a book"));
    REQUIRE_THROWS_MATCHES(sim(linear_impact<double>(0.1), {sim::venue{&b, {}, {-1.0, 0.0}, {}}}), invalid_argument,
                           Message("cascade_simulator: insurance_fund is -1, but must be finite, >= 0 and <= 4.6e16 (int64 cents, with room for the fund)"));
    REQUIRE_THROWS_MATCHES(sim(linear_impact<double>(0.1), {sim::venue{&b, {}, {0.0, 1.0}, {}}}), invalid_argument,
                           Message("cascade_simulator: liquidation_fee_rate is 1, but must be in [0, 1)"));
    REQUIRE_THROWS_MATCHES(sim(linear_impact<double>(0.1), {sim::venue{&b, {}, {}, {}}}, cascade_options{0, true}),
                           invalid_argument, Message("cascade_simulator: max_steps is 0, but must be >= 1"));
}

TEST_CASE("workspace reuse gives the same runs as fresh workspaces", "[cascade]") {
    const auto b = random_book(2000, 8).book();
    using sim = cascade_simulator<double, linear_impact<double>, partial_close<double>>;
    const sim s(linear_impact<double>(0.003),
                {sim::venue{&b, partial_close<double>(0.1), {10.0, 0.005, residual_loss::auto_deleveraging}, {}}});
    cascade_workspace<double> ws;
    for (const double move : {-0.05, -0.12, 0.08, -0.05}) {
        const auto shock = exogenous_shock<double>::instant_relative(100.0, move);
        check_same(s.run(shock, ws), s.run(shock));
    }
}

TEST_CASE("waterfall by hand: ADL at the bankruptcy price, socialised loss pro rata", "[cascade][waterfall]") {
    // Long A: q = 1, E = 100, C = 5, m = 0 → LP = BP = 95. Shorts S1: q = −1, E = 110, C = 50;
    // S2: q = −2, E = 105, C = 50. No fund, no fee, λ = 1, move to 94: A sells 1, the mark goes to
    // 93 and A fills at the VWAP 93.5: cash 5 + (93.5 − 100) = −1.50, a deficit of 150 cents.
    soa s;
    s.add(1.0, 100.0, 5.0, 0.0);
    s.add(-1.0, 110.0, 50.0, 0.0);
    s.add(-2.0, 105.0, 50.0, 0.0);
    const auto b = s.book();
    auto stored = [&](std::size_t original) {
        for (std::size_t i = 0; i < b.size(); ++i)
            if (b.original_index(i) == original) return i;
        return b.size();
    };
    const auto shock = exogenous_shock<double>::instant_relative(100.0, -0.06);
    using sim = cascade_simulator<double>;
    {
        // BitMEX ranking at the mark 93 (rule C3): S1: PNL% = 17/110 = 0.1545, EL = 93/(160 − 93)
        // = 1.388 → 0.2145; S2: PNL% = 24/210 = 0.1143, EL = 186/(260 − 186) = 2.514 → 0.287: S2 first. θ = 1: S2
        // takes over 1 unit at BP 95: its PnL (−1)·(95 − 105) = +10; A's fill improves by
        // 1 × (95 − 93.5) = 1.50, exactly its deficit.
        const sim adl(linear_impact<double>(1.0), {sim::venue{&b, {}, {0.0, 0.0, residual_loss::auto_deleveraging}, {}}});
        cascade_workspace<double> ws;
        const auto out = adl.run(shock, ws);
        const auto& v = out.venues[0];
        CHECK(v.steps[0].execution_price == 93.5);
        CHECK(v.adl_count == 1);
        CHECK(v.adl_notional == 95.0);
        CHECK(v.ledger.adl_covered == 150);
        CHECK(v.ledger.bad_debt == 0);
        CHECK(v.ledger.fund == 0);
        CHECK(ws.venues[0].quantity[stored(2)] == -1.0);
        CHECK(ws.venues[0].collateral[stored(2)] == 6000);
        CHECK(ws.venues[0].collateral[stored(1)] == 5000);
        CHECK(ws.venues[0].collateral[stored(0)] == 0);
        CHECK(v.ledger.balanced());
    }
    {
        // Socialised: 150 cents pro rata to unrealised profit at the mark 93 (rule C4): S1 1,700,
        // S2 2,400 (of 4,100): 62.195 → 62 and 87.805 → 87, the last cent to the larger remainder
        // (S2): 62 and 88. (At the fill 93.5, before rule C4, it was 63 and 87.)
        const sim soc(linear_impact<double>(1.0), {sim::venue{&b, {}, {0.0, 0.0, residual_loss::socialised}, {}}});
        cascade_workspace<double> ws;
        const auto out = soc.run(shock, ws);
        const auto& v = out.venues[0];
        CHECK(v.ledger.socialised == 150);
        CHECK(v.adl_count == 0);
        CHECK(ws.venues[0].collateral[stored(1)] == 5000 - 62);
        CHECK(ws.venues[0].collateral[stored(2)] == 5000 - 88);
        CHECK(ws.venues[0].collateral[stored(0)] == 0);
        CHECK(v.ledger.balanced());
    }
    {
        // Neither: the 1.50 is the venue's bad debt.
        const sim none(linear_impact<double>(1.0), {sim::venue{&b, {}, {0.0, 0.0, residual_loss::bad_debt}, {}}});
        const auto out = none.run(shock);
        CHECK(out.venues[0].ledger.bad_debt == 150);
        CHECK(out.total_bad_debt() == 1.5);
    }
}

namespace {
// A host's own impact model: a fixed fraction of the price per unit sold, no resilience.
struct host_impact {
    double price(double s, double q) const { return s * (1.0 + 0.001 * q); }
    double average_price(double s, double q0, double q1) const { return s * (1.0 + 0.0005 * (q0 + q1)); }
    double recover(double q) const { return q; }
};
}  // namespace

TEST_CASE("a host plugs in its own impact model", "[cascade][impact]") {
    // Ten longs with LP 95 (as above), move to 94: they sell 10, the mark goes to 94 × (1 − 0.01).
    soa s;
    for (int i = 0; i < 10; ++i) s.add(1.0, 100.0, 5.0, 0.0);
    const auto b = s.book();
    using sim = cascade_simulator<double, host_impact>;
    const auto out = sim(host_impact{}, {sim::venue{&b, {}, {1e6, 0.0, residual_loss::bad_debt}, {}}})
                         .run(exogenous_shock<double>::instant_relative(100.0, -0.06));
    CHECK_THAT(out.final_price, WithinRel(94.0 * 0.99, 1e-14));
    CHECK(out.venues[0].liquidated_count == 10);
}

TEST_CASE("simulator: a tiered book crosses at Binance's tiered liquidation price", "[cascade][simulator][tiers]") {
    // Long 100 BTC at 30,000 with 40,000 isolated margin under Binance's BTCUSDT brackets:
    // LP = (40,000 + 1,300 − 3,000,000)/(100·(0.01 − 1)) = 29,885.86 (tier 3; derivation in
    // tests/cascade/liquidation_book.cpp). λ = 0: the mark is the reference price.
    const tier_schedule<double> tiers({{0, 50'000, 125, 0.004, 0.0},
                                       {50'000, 250'000, 100, 0.005, 50.0},
                                       {250'000, 3'000'000, 50, 0.01, 1'300.0},
                                       {3'000'000, 20'000'000, 20, 0.025, 46'300.0},
                                       {20'000'000, 40'000'000, 10, 0.05, 546'300.0}});
    const std::vector<double> q{100.0}, e{30'000.0}, c{40'000.0};
    const liquidation_book<double> b(q, e, c, tiers);
    const auto above = run_one(b, linear_impact<double>(0.0), exogenous_shock<double>::instant_relative(30'000.0, 29'886.0 / 30'000.0 - 1.0));
    CHECK(above.venues[0].liquidated_count == 0);
    const auto below = run_one(b, linear_impact<double>(0.0), exogenous_shock<double>::instant_relative(30'000.0, 29'885.0 / 30'000.0 - 1.0));
    CHECK(below.venues[0].liquidated_count == 1);
    CHECK(below.venues[0].ledger.balanced());
    // A partial close restores (1 + b)·MM with the tiered MM: it closes part, and what is left
    // is above its new (tiered) liquidation price at the fill.
    const auto partial = run_one(b, linear_impact<double>(0.0), exogenous_shock<double>::instant_relative(30'000.0, 29'885.0 / 30'000.0 - 1.0),
                                 {0.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}, partial_close<double>(0.5, 0.01));
    REQUIRE(partial.venues[0].liquidated_count == 1);
    CHECK(partial.venues[0].liquidated_notional < 100.0 * 29'885.0);
    CHECK(partial.venues[0].ledger.balanced());
}

TEST_CASE("a step amount beyond int64 cents is reported, not wrapped", "[cascade][errors][money]") {
    // The book's door bounds what it brings (Σ C + Σ |q|·E ≤ 4.6e16), not how far prices go: a
    // short's loss grows with the price. One short of 4e14 at 100 (notional 4e16), collateral
    // 1e14, m = 0.001: LP = (4e16 + 1e14)/(4e14·1.001) ≈ 100.15. The price rises 1000-fold to
    // 100,000 (λ = 1e-17 adds 0.004), so its realised PnL is −4e14 × (100,000 − 100) ≈ −4e19 =
    // −4e21 cents, beyond int64 (±9.22e18): the settlement's cents_guard flags it, run reports it.
    soa s;
    s.add(-4e14, 100.0, 1e14, 0.001);
    const auto b = s.book();
    using sim = cascade_simulator<double>;
    const sim big(linear_impact<double>(1e-17), {sim::venue{&b, {}, {0.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}, {}}});
    REQUIRE_THROWS_MATCHES(big.run(exogenous_shock<double>::instant_relative(100.0, 999.0)), invalid_argument,
                           Message("cascade_simulator: a cents amount of venue 0 is beyond the int64 range, but must be "
                                   "within +-92233720368547758.07 (the book's amounts are too large for int64 cents)"));
    // An insurance fund beyond the door bound is refused when the simulator is built, by name.
    REQUIRE_THROWS_MATCHES(
        sim(linear_impact<double>(1e-17), {sim::venue{&b, {}, {1e30, 0.0, residual_loss::bad_debt, adl_ranking::bitmex}, {}}}),
        invalid_argument,
        Message("cascade_simulator: insurance_fund is 1e+30, but must be finite, >= 0 and <= 4.6e16 (int64 cents, with room "
                "for the fund)"));
}
