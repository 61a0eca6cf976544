// Tests of include/margincall/risk/quantile.hpp against R 4.2.2's quantile(type = 1..9).
#include <margincall/risk/quantile.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "catch.hpp"

using namespace margincall;

namespace {
// tests/reference/risk_historical.R, sample "small": m_i = (37 i) mod 251, x_i = (m_i − 100)³ / 10⁴.
std::vector<double> small_sample() {
    std::vector<double> x;
    for (long i = 0; i < 250; ++i) {
        const double m = static_cast<double>((i * 37) % 251) - 100.0;
        x.push_back(m * m * m / 1e4);
    }
    return x;
}
struct row {
    double p;
    std::array<double, 9> q;  // types 1..9
};
// Printed by tests/reference/risk_historical.R (tests/reference/risk_historical.out, last four lines).
const std::array<row, 4> r_rows{{
    {0, {-100, -100, -100, -100, -100, -100, -100, -100, -100}},
    {0.37, {-0.051200000000000002, -0.051200000000000002, -0.072900000000000006, -0.062050000000000008,
            -0.051200000000000002, -0.054020999999999902, -0.049003000000000081, -0.052140333333333712,
            -0.051905249999999979}},
    {0.98999999999999999, {324.17919999999998, 324.17919999999998, 324.17919999999998, 320.91575, 324.17919999999998,
                           327.42089300000004, 320.98101899999995, 325.25976433333324, 324.98962325000002}},
    {1, {337.5, 337.5, 337.5, 337.5, 337.5, 337.5, 337.5, 337.5, 337.5}},
}};
}  // namespace

TEST_CASE("all nine Hyndman-Fan types agree with R's quantile() to the last bit", "[risk][quantile]") {
    const auto x = small_sample();
    for (const auto& r : r_rows) {
        for (int t = 1; t <= 9; ++t) {
            INFO("p = " << r.p << ", type " << t);
            const double q = sample_quantile<double>(x, r.p, static_cast<quantile_type>(t));
            CHECK_THAT(q, WithinRel(r.q[static_cast<std::size_t>(t - 1)], 2 * std::numeric_limits<double>::epsilon()));
        }
    }
}

TEST_CASE("quantile positions match Hyndman & Fan's closed forms on n = 10", "[risk][quantile]") {
    // Hand derivation, n = 10, p = 0.25: type 1 j = ⌊2.5⌋ = 2, g > 0 → x_(3);
    // type 6 nppm = 0.25·11 = 2.75 → lo 2, hi 3, h 0.75; type 7 index = 1 + 9·0.25 = 3.25 → lo 3, h 0.25.
    const auto t1 = locate_quantile(quantile_type::type1, 10, 0.25);
    CHECK(t1.lo == 2);
    CHECK(t1.hi == 3);
    CHECK(t1.h == 1.0);
    const auto t6 = locate_quantile(quantile_type::type6, 10, 0.25);
    CHECK(t6.lo == 2);
    CHECK(t6.hi == 3);
    CHECK_THAT(t6.h, WithinAbs(0.75, 1e-15));
    const auto t7 = locate_quantile(quantile_type::type7, 10, 0.25);
    CHECK(t7.lo == 3);
    CHECK(t7.hi == 4);
    CHECK_THAT(t7.h, WithinAbs(0.25, 1e-15));
    // Clamping: type 6 at p = 0.99 of n = 10 → nppm = 10.89 → x_(10) both sides.
    const auto t6_top = locate_quantile(quantile_type::type6, 10, 0.99);
    CHECK(t6_top.lo == 10);
    CHECK(t6_top.hi == 10);
}

TEMPLATE_TEST_CASE("select_quantile reorders in place and interpolates like type 7", "[risk][quantile]", float, double,
                   long double) {
    // 1..5 in reverse order; type 7 at p = 0.3: index = 1 + 4·0.3 = 2.2 → 2 + 0.2·(3 − 2) = 2.2.
    std::vector<TestType> v{5, 4, 3, 2, 1};
    const TestType q = select_quantile(std::span<TestType>(v), TestType(0.3));
    CHECK_THAT(static_cast<double>(q), WithinAbs(2.2, 1e-6));
}

TEST_CASE("quantile errors name the argument and the value", "[risk][quantile][errors]") {
    const std::vector<double> empty;
    REQUIRE_THROWS_MATCHES(sample_quantile<double>(empty, 0.5), invalid_argument,
                           Message("sample_quantile: the size of values is 0, but must be > 0"));
    const std::vector<double> x{1.0, std::numeric_limits<double>::quiet_NaN(), 3.0};
    REQUIRE_THROWS_MATCHES(sample_quantile<double>(x, 0.5), invalid_argument,
                           Message("sample_quantile: values[1] is nan, but must be finite"));
    const std::vector<double> y{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(sample_quantile<double>(y, 1.5), invalid_argument,
                           Message("sample_quantile: p is 1.5, but must be in [0, 1]"));
    std::vector<double> z{1.0, 2.0};
    REQUIRE_THROWS_MATCHES(select_quantile(std::span<double>(z), -0.1), invalid_argument,
                           Message("select_quantile: p is -0.1, but must be in [0, 1]"));
}
