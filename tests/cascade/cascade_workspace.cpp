// Tests of include/margincall/cascade/cascade_workspace.hpp: binding copies the book, the index
// operations follow LP = E − C/q (m = 0: docs/cascades.md §2), and a reset restores only what a
// run touched.
#include <margincall/cascade/cascade_workspace.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
// Two longs at entry 100, rate 0: collateral 10 → LP 90 (stored first: highest LP), and
// q = 2, collateral 40 → LP 100 − 40/2 = 80.
liquidation_book<double> two_longs() {
    const std::vector<double> q{2.0, 1.0}, e{100.0, 100.0}, c{40.0, 10.0}, m{0.0, 0.0};
    return liquidation_book<double>(q, e, c, m);
}
}  // namespace

TEST_CASE("bind copies the book's quantities and cents; the index entry prices are the LPs", "[cascade][workspace]") {
    const auto b = two_longs();
    detail::venue_state<double> st;
    st.bind(b);
    REQUIRE(st.quantity.size() == 2);
    CHECK(st.quantity[0] == 1.0);
    CHECK(st.collateral[0] == 1000);
    CHECK(st.quantity[1] == 2.0);
    CHECK(st.collateral[1] == 4000);
    CHECK(st.state[0] == detail::account_state::active);
    CHECK(detail::liquidation_price_of(st, 0) == 90.0);
    CHECK(detail::liquidation_price_of(st, 1) == 80.0);
    CHECK(st.touched.empty());
    CHECK_FALSE(st.money.overflowed());
}

TEST_CASE("reinsert: a new heap entry at the new LP, a new version, the account touched", "[cascade][workspace]") {
    const auto b = two_longs();
    detail::venue_state<double> st;
    st.bind(b);
    st.collateral[0] = 2000;  // 20: LP = 100 − 20 = 80
    detail::reinsert(st, 0);
    REQUIRE(st.long_heap.size() == 1);
    CHECK(st.long_heap.front().price == 80.0);
    CHECK(st.long_heap.front().account == 0);
    CHECK(st.long_heap.front().version == 1);
    CHECK(st.version[0] == 1);
    CHECK(st.touched == std::vector<std::uint32_t>{0});
    // Account 1 falls to LP 100 − 10/2 = 95: the max-heap puts the highest LP first.
    st.collateral[1] = 1000;
    detail::reinsert(st, 1);
    CHECK(st.long_heap.front().price == 95.0);
    CHECK(st.long_heap.front().account == 1);
}

TEST_CASE("binding the same book again resets only the touched accounts", "[cascade][workspace]") {
    const auto b = two_longs();
    cascade_workspace<double> ws;
    ws.venues.resize(1);
    auto& st = ws.venues[0];
    st.bind(b);
    st.collateral[1] = 1;
    st.quantity[1] = 0.5;
    st.state[1] = detail::account_state::closed;
    detail::reinsert(st, 1);
    st.long_cursor = 2;
    (void)st.money.add(std::numeric_limits<std::int64_t>::max(), 1);
    st.bind(b);  // same book: reset
    CHECK(st.collateral[1] == 4000);
    CHECK(st.quantity[1] == 2.0);
    CHECK(st.state[1] == detail::account_state::active);
    CHECK(st.version[1] == 0);
    CHECK(st.touched.empty());
    CHECK(st.long_heap.empty());
    CHECK(st.long_cursor == 0);
    CHECK_FALSE(st.money.overflowed());
}
