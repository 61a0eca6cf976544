// Tests of include/margincall/core/money.hpp. Expected values are derived by hand from the
// IEEE 754 binary64 values of the inputs (exact decimal expansions, e.g. by Python's
// decimal.Decimal(1.005)) and from the int64 limits ±2^63.
#include <margincall/core/money.hpp>

#include <cstdint>
#include <limits>

#include "catch.hpp"

using margincall::add_cents;
using margincall::cents_guard;
using margincall::from_cents;
using margincall::invalid_argument;
using margincall::multiply_cents;
using margincall::subtract_cents;
using margincall::to_cents;

namespace {
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();  //  9223372036854775807
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();  // -9223372036854775808
}  // namespace

TEST_CASE("to_cents: amount × 100 in Real, then half away from zero", "[core][money]") {
    // Exact halves round away from zero: 0.125 × 100 = 12.5 exactly.
    CHECK(to_cents(0.125) == 13);
    CHECK(to_cents(-0.125) == -13);
    CHECK(to_cents(0.0) == 0);
    CHECK(to_cents(-0.0) == 0);
    // 12.345 is 12.34500000000000063948…; × 100 = 1234.50000000000006394… whose nearest double is
    // 1234.5 (spacing 2.3e-13): half away → 1235.
    CHECK(to_cents(12.345) == 1235);
    // 1.005 is 1.00499999999999989341…; × 100 = 100.49999999999998934…, nearest double
    // 100.49999999999998578915 (spacing 1.4e-14): below the half → 100.
    CHECK(to_cents(1.005) == 100);
    // 2.675 is 2.67499999999999982236…; × 100 = 267.49999999999998224…, whose nearest double is
    // 267.5 (1.8e-14 away; the next below is 5.7e-14 under it): half away → 268.
    CHECK(to_cents(2.675) == 268);
    // 0.005 is 0.00500000000000000010408…; × 100 rounds to 0.5: → 1, and −0.005 → −1.
    CHECK(to_cents(0.005) == 1);
    CHECK(to_cents(-0.005) == -1);
    // float and long double follow the same rule: 0.125f and 0.125L are exact.
    CHECK(to_cents(0.125f) == 13);
    CHECK(to_cents(-0.125L) == -13);
    CHECK(from_cents<double>(1235) == 12.35);
    CHECK(from_cents<double>(-1) == -0.01);
}

TEST_CASE("to_cents at the int64 limits", "[core][money]") {
    // 92233720368547744 (a double) × 100 = 9223372036854774400, nearest double 9223372036854774784
    // (spacing 1024 below 2^63): inside the range.
    CHECK(to_cents(92233720368547744.0) == 9223372036854774784);
    // The next double, 92233720368547760, × 100 = 9223372036854776000 → 2^63: one beyond int64_max.
    REQUIRE_THROWS_MATCHES(to_cents(92233720368547760.0), invalid_argument,
                           Message("to_cents: amount is 9.22337203685478e+16, but must be finite and within "
                                   "+-92233720368547758.07 (int64 cents)"));
    // −92233720368547760 × 100 = −2^63 exactly: int64_min itself.
    CHECK(to_cents(-92233720368547760.0) == int64_min);
    // The next double down, −92233720368547776, × 100 → −9223372036854777856 < −2^63.
    REQUIRE_THROWS_AS(to_cents(-92233720368547776.0), invalid_argument);
    REQUIRE_THROWS_AS(to_cents(1e300), invalid_argument);
    REQUIRE_THROWS_AS(to_cents(std::numeric_limits<float>::max()), invalid_argument);
}

TEST_CASE("to_cents refuses NaN and infinities with the value named", "[core][money][errors]") {
    REQUIRE_THROWS_MATCHES(to_cents(std::numeric_limits<double>::quiet_NaN()), invalid_argument,
                           Message("to_cents: amount is nan, but must be finite and within +-92233720368547758.07 (int64 cents)"));
    REQUIRE_THROWS_MATCHES(to_cents(std::numeric_limits<double>::infinity()), invalid_argument,
                           Message("to_cents: amount is inf, but must be finite and within +-92233720368547758.07 (int64 cents)"));
    REQUIRE_THROWS_MATCHES(to_cents(-std::numeric_limits<long double>::infinity()), invalid_argument,
                           Message("to_cents: amount is -inf, but must be finite and within +-92233720368547758.07 (int64 cents)"));
}

TEST_CASE("add, subtract and multiply detect overflow at the int64 limits", "[core][money][errors]") {
    CHECK(add_cents(int64_max - 1, 1) == int64_max);
    CHECK(add_cents(int64_min, int64_max) == -1);
    CHECK(subtract_cents(int64_min + 1, 1) == int64_min);
    CHECK(subtract_cents(-1, int64_max) == int64_min);
    CHECK(multiply_cents(4611686018427387903, 2) == 9223372036854775806);  // (2^62 − 1) × 2
    CHECK(multiply_cents(-4611686018427387904, 2) == int64_min);          // −2^62 × 2 = −2^63
    REQUIRE_THROWS_MATCHES(add_cents(int64_max, 1), invalid_argument,
                           Message("add_cents: 9223372036854775807 + 1 is beyond the int64 range, but must be within "
                                   "[-9223372036854775808, 9223372036854775807] cents"));
    REQUIRE_THROWS_MATCHES(add_cents(int64_min, -1), invalid_argument,
                           Message("add_cents: -9223372036854775808 + -1 is beyond the int64 range, but must be within "
                                   "[-9223372036854775808, 9223372036854775807] cents"));
    REQUIRE_THROWS_MATCHES(subtract_cents(int64_min, 1), invalid_argument,
                           Message("subtract_cents: -9223372036854775808 - 1 is beyond the int64 range, but must be "
                                   "within [-9223372036854775808, 9223372036854775807] cents"));
    REQUIRE_THROWS_MATCHES(subtract_cents(0, int64_min), invalid_argument,  // 2^63 does not fit
                           Message("subtract_cents: 0 - -9223372036854775808 is beyond the int64 range, but must be "
                                   "within [-9223372036854775808, 9223372036854775807] cents"));
    REQUIRE_THROWS_MATCHES(multiply_cents(4611686018427387904, 2), invalid_argument,  // 2^62 × 2 = 2^63
                           Message("multiply_cents: 4611686018427387904 * 2 is beyond the int64 range, but must be "
                                   "within [-9223372036854775808, 9223372036854775807] cents"));
    REQUIRE_THROWS_AS(multiply_cents(int64_min, -1), invalid_argument);
}

TEST_CASE("cents_guard: no throw, a sticky flag", "[core][money]") {
    cents_guard g;
    CHECK(g.add(2, 3) == 5);
    CHECK(g.subtract(2, 3) == -1);
    CHECK(g.multiply(-4, 3) == -12);
    CHECK(g.to_cents(12.345) == 1235);
    std::int64_t total = 10;
    g.add_to(total, 5);
    g.subtract_from(total, 20);
    CHECK(total == -5);
    CHECK_FALSE(g.overflowed());
    static_assert(noexcept(g.add(1, 1)) && noexcept(g.to_cents(1.0)));
    CHECK(g.add(int64_max, 1) == int64_min);  // wrapped, and flagged
    CHECK(g.overflowed());
    CHECK(g.add(1, 1) == 2);
    CHECK(g.overflowed());  // sticky: later good operations do not clear it
    g.clear();
    CHECK_FALSE(g.overflowed());
    CHECK(g.to_cents(std::numeric_limits<double>::quiet_NaN()) == 0);
    CHECK(g.overflowed());
    g.clear();
    CHECK(g.subtract(int64_min, 1) == int64_max);
    CHECK(g.overflowed());
    g.clear();
    CHECK(g.multiply(int64_min, -1) == int64_min);
    CHECK(g.overflowed());
    g.clear();
    total = int64_min;
    g.subtract_from(total, 1);
    CHECK(g.overflowed());
    g.clear();
    // round: a real number of cents (a keeper's share of a fee) to int64, half away from zero.
    CHECK(g.round(46.5) == 47);  // 0.5 × 93 cents
    CHECK(g.round(-46.5) == -47);
    CHECK(g.round(46.4999) == 46);
    CHECK_FALSE(g.overflowed());
    static_assert(noexcept(g.round(1.0)));
    CHECK(g.round(9223372036854775808.0) == 0);  // 2^63 cents: beyond int64, flagged
    CHECK(g.overflowed());
    g.clear();
    CHECK(g.round(std::numeric_limits<double>::infinity()) == 0);
    CHECK(g.overflowed());
}

TEST_CASE("docs/core.md: the money snippet compiles and gives the page's values", "[core][money][docs]") {
    // --- docs/core.md snippet (keep in step with the page) ---
    const std::int64_t balance = margincall::to_cents(1250.125);    // 125013: half away from zero
    const std::int64_t fee = margincall::to_cents(0.5);             // 50
    const std::int64_t left = margincall::subtract_cents(balance, fee);  // throws on int64 overflow
    margincall::cents_guard guard;                 // for a hot loop: no throw, a sticky flag
    std::int64_t total = 0;
    for (int i = 0; i < 3; ++i) total = guard.add(total, left);
    if (guard.overflowed()) { /* report once, after the loop */ }
    const double shown = margincall::from_cents<double>(total);  // 3748.89
    // --- end of snippet ---
    CHECK(balance == 125013);  // 1250.125 and 125012.5 are exact in binary
    CHECK(fee == 50);
    CHECK(left == 124963);
    CHECK(total == 374889);
    CHECK_FALSE(guard.overflowed());
    CHECK(shown == 3748.89);
}
