// Tests of include/margincall/cascade/venue_settlement.hpp (step 5 on one venue). Expected values
// are worked by hand from the rules of docs/cascades.md §3 (settlement) and §5 (waterfall):
// realised PnL q·(X − E) against the market, fee φ·|q|·X capped by the cash left, the keeper's
// share llround(s·fee) out of it, deficits to the fund, then by rule; the ledger identity
// collateral + fund + rewards + market − bad debt = initial collateral + initial fund.
#include <margincall/cascade/venue_settlement.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
template <class Venue>
struct fixture {
    liquidation_book<double> book;
    Venue venue;
    detail::venue_state<double> st;
    venue_outcome<double> out;

    fixture(liquidation_book<double> b, loss_waterfall<double> w, std::optional<keeper_model<double>> k = {})
        : book{std::move(b)}, venue{nullptr, {}, w, k} {
        venue.book = &book;
        st.bind(book);
        st.pending.resize(1);
        out.ledger.initial_collateral = book.total_collateral_cents();
        out.ledger.collateral = out.ledger.initial_collateral;
        out.ledger.initial_fund = to_cents(w.insurance_fund);
        out.ledger.fund = out.ledger.initial_fund;
    }
    void settle(std::uint32_t i, double fill) {
        st.batch = {i};
        st.fraction = {1.0};
        detail::settle_batch(venue, st, out, fill, fill, fill, true);
    }
};
using venue_t = cascade_venue<double>;

liquidation_book<double> one_long() {  // q = 1, E = 100, C = 10, m = 0: LP 90, BP 90
    const std::vector<double> q{1.0}, e{100.0}, c{10.0}, m{0.0};
    return liquidation_book<double>(q, e, c, m);
}
}  // namespace

TEST_CASE("a close above bankruptcy: PnL, fee, keeper share, fund", "[cascade][settlement]") {
    // Fill 95: PnL 1 × (95 − 100) = −5.00 → −500 cents; fee 1 % × 95 = 0.95 → 95 cents; cash
    // 1000 − 500 = 500 ≥ 95; left 405. Keeper share 0.3: llround(28.5) = 29 cents; fund +66.
    fixture<venue_t> f(one_long(), {0.0, 0.01, residual_loss::bad_debt, adl_ranking::bitmex}, keeper_model<double>(0, 0.0, 0.3));
    f.settle(0, 95.0);
    const auto& led = f.out.ledger;
    CHECK(f.st.collateral[0] == 405);
    CHECK(f.st.quantity[0] == 0.0);
    CHECK(f.st.state[0] == detail::account_state::closed);
    CHECK(led.collateral == 405);
    CHECK(led.market == 500);
    CHECK(led.fees == 95);
    CHECK(led.keeper_rewards == 29);
    CHECK(led.fund == 66);
    CHECK(led.bad_debt == 0);
    CHECK(led.balanced());  // 405 + 66 + 29 + 500 − 0 = 1000
    REQUIRE(f.out.steps.size() == 1);
    CHECK(f.out.steps[0].liquidated_count == 1);
    CHECK(f.out.steps[0].liquidated_notional == 95.0);
    CHECK(f.out.steps[0].insurance_fund == 0.66);
}

TEST_CASE("a close beyond bankruptcy: the fund pays what it can, the rest is bad debt", "[cascade][settlement]") {
    // Fill 85: PnL −15.00 → −1500 cents; cash −500; fee capped at max(cash, 0) = 0. Deficit 500:
    // a fund of 2.00 pays 200, bad debt 300; the account ends at 0.
    fixture<venue_t> f(one_long(), {2.0, 0.01, residual_loss::bad_debt, adl_ranking::bitmex});
    f.settle(0, 85.0);
    const auto& led = f.out.ledger;
    CHECK(f.st.collateral[0] == 0);
    CHECK(led.fees == 0);
    CHECK(led.fund == 0);
    CHECK(led.fund_payouts == 200);
    CHECK(led.bad_debt == 300);
    CHECK(led.market == 1500);
    CHECK(led.balanced());  // 0 + 0 + 0 + 1500 − 300 = 1000 + 200
    CHECK(f.out.steps[0].bad_debt == 3.0);
}

TEST_CASE("socialised loss: the residual is charged to the opposite side's profit", "[cascade][settlement]") {
    // The long above (deficit 500 at fill 85) and a short q = −1 at 100 with C = 50 (LP 150): its
    // unrealised profit at 85 is −1 × (85 − 100) = 15.00 = 1500 cents ≥ 500, so it is charged the
    // whole 500 (no fund): 5000 → 4500, nothing left as bad debt.
    const std::vector<double> q{1.0, -1.0}, e{100.0, 100.0}, c{10.0, 50.0}, m{0.0, 0.0};
    fixture<venue_t> f(liquidation_book<double>(q, e, c, m), {0.0, 0.0, residual_loss::socialised, adl_ranking::bitmex});
    REQUIRE(f.book.quantity(0) == 1.0);  // stored order: longs first
    f.settle(0, 85.0);
    const auto& led = f.out.ledger;
    CHECK(f.st.collateral[1] == 4500);
    CHECK(led.socialised == 500);
    CHECK(led.bad_debt == 0);
    CHECK(led.balanced());
}

TEST_CASE("an amount beyond int64 cents raises the state's guard instead of wrapping", "[cascade][settlement][money]") {
    // The book's door bounds Σ C + Σ |q|·E (4.6e16), not the fill: a short q = −4e14 at 100
    // (notional 4e16), C = 1e14 (m = 0.001), filled at 100,000, has PnL −4e14 × 99,900 ≈ −4e19
    // = −4e21 cents.
    const std::vector<double> q{-4e14}, e{100.0}, c{1e14}, m{0.001};
    fixture<venue_t> f(liquidation_book<double>(q, e, c, m), {0.0, 0.0, residual_loss::bad_debt, adl_ranking::bitmex});
    CHECK_FALSE(f.st.money.overflowed());
    f.settle(0, 100000.0);
    CHECK(f.st.money.overflowed());
}
