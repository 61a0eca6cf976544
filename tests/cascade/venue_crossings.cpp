// Tests of include/margincall/cascade/venue_crossings.hpp (steps 2–3 on one venue), with
// expected values from the model as docs/cascades.md §3 and §6 state it: a crossing found at
// step t is executed at t + delay if reward = share · fee_rate · f·|q|·P covers the cost, else
// abandoned; an account whose LP the price left before execution goes back to the book.
#include <margincall/cascade/venue_crossings.hpp>

#include <cstdint>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
// Longs at entry 100, m = 0: LP = 100 − C/q. C = 10 → LP 90 (stored 0); C = 20 → LP 80 (stored 1).
liquidation_book<double> book() {
    const std::vector<double> q{1.0, 1.0}, e{100.0, 100.0}, c{10.0, 20.0}, m{0.0, 0.0};
    return liquidation_book<double>(q, e, c, m);
}

detail::venue_state<double> bound(const liquidation_book<double>& b, std::size_t delay) {
    detail::venue_state<double> st;
    st.bind(b);
    st.pending.resize(delay + 1);
    return st;
}
}  // namespace

TEST_CASE("without a keeper, the accounts the mark reached are batched at once, whole", "[cascade][crossings]") {
    const auto b = book();
    const cascade_venue<double> v{&b, {}, {}, {}};
    auto st = bound(b, 0);
    CHECK_FALSE(detail::collect_crossings(v, st, 1, 95.0));  // 95 > 90: nothing
    CHECK(detail::collect_crossings(v, st, 2, 85.0));        // 85 ≤ 90: account 0 only
    CHECK(st.batch == std::vector<std::uint32_t>{0});
    CHECK(st.fraction == std::vector<double>{1.0});
    CHECK(st.state[0] == detail::account_state::crossed);
    CHECK(detail::collect_crossings(v, st, 3, 80.0));  // 80 ≤ 80: account 1; account 0 not again
    CHECK(st.batch == std::vector<std::uint32_t>{1});
}

TEST_CASE("a keeper with delay 2 executes a crossing of step 1 at step 3", "[cascade][crossings]") {
    const auto b = book();
    const cascade_venue<double> v{&b, {}, {0.0, 0.01, residual_loss::bad_debt, adl_ranking::bitmex},
                                  keeper_model<double>(2, 0.0, 0.5)};
    auto st = bound(b, 2);
    CHECK(detail::collect_crossings(v, st, 1, 85.0));  // crossed, not yet due
    CHECK(st.batch.empty());
    CHECK_FALSE(detail::collect_crossings(v, st, 2, 85.0));
    CHECK(st.batch.empty());
    CHECK(detail::collect_crossings(v, st, 3, 85.0));
    CHECK(st.batch == std::vector<std::uint32_t>{0});
}

TEST_CASE("a keeper whose reward is below its cost abandons the account; the price coming back returns it",
          "[cascade][crossings]") {
    const auto b = book();
    // Reward at mark 85: 0.5 × 0.01 × 1 × 85 = 0.425.
    SECTION("cost 0.5 > 0.425: abandoned, re-tried each step") {
        const cascade_venue<double> v{&b, {}, {0.0, 0.01, residual_loss::bad_debt, adl_ranking::bitmex},
                                      keeper_model<double>(0, 0.5, 0.5)};
        auto st = bound(b, 0);
        CHECK(detail::collect_crossings(v, st, 1, 85.0));
        CHECK(st.batch.empty());
        CHECK(st.abandoned == std::vector<std::uint32_t>{0});
        CHECK(st.state[0] == detail::account_state::abandoned);
        // At mark 79 both are below their LP; reward 0.5 × 0.01 × 79 = 0.395 < 0.5: both abandoned.
        CHECK(detail::collect_crossings(v, st, 2, 79.0));  // account 1 crossed ...
        CHECK(st.batch.empty());                           // ... and nothing executed
        CHECK(st.abandoned.size() == 2);
    }
    SECTION("cost 0.4 ≤ 0.425: executed") {
        const cascade_venue<double> v{&b, {}, {0.0, 0.01, residual_loss::bad_debt, adl_ranking::bitmex},
                                      keeper_model<double>(0, 0.4, 0.5)};
        auto st = bound(b, 0);
        CHECK(detail::collect_crossings(v, st, 1, 85.0));
        CHECK(st.batch == std::vector<std::uint32_t>{0});
    }
    SECTION("delay 1: crossed at 85, back at 95 when due: returned to the book, not executed") {
        const cascade_venue<double> v{&b, {}, {}, keeper_model<double>(1, 0.0, 0.0)};
        auto st = bound(b, 1);
        CHECK(detail::collect_crossings(v, st, 1, 85.0));
        CHECK_FALSE(detail::collect_crossings(v, st, 2, 95.0));
        CHECK(st.batch.empty());
        CHECK(st.state[0] == detail::account_state::active);
        REQUIRE(st.long_heap.size() == 1);
        CHECK(st.long_heap.front().price == 90.0);
    }
}
