// Tests of include/margincall/core/reproducible_sum.hpp: exact totals by closed form, the same bits
// for any order and any split, float/double/long double, the range ends, and clear errors.
#include <margincall/core/error.hpp>
#include <margincall/core/reproducible_sum.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"

using margincall::nonnegative_fixed_sum;

TEST_CASE("integers sum exactly", "[core][reproducible_sum]") {
    // 1 + 2 + ... + 1000 = 1000·1001/2 = 500500 (Gauss).
    nonnegative_fixed_sum<double> s(1000.0);
    for (int i = 1; i <= 1000; ++i) s.add(double(i));
    CHECK(s.total() == 500500.0);
    CHECK(s.total_over(1001.0) == 500.0);
}

TEST_CASE("small terms are not absorbed by a large one", "[core][reproducible_sum]") {
    // 1 + 1000·2^-60: a left-to-right double sum returns 1 (each 2^-60 is below half an ulp of 1);
    // the exact sum is 1 + 1000/256 ulp(1) = 1 + 3.906 ulp, which rounds to 1 + 4·2^-52 = 1 + 2^-50.
    nonnegative_fixed_sum<double> s(1.0);
    s.add(1.0);
    double naive = 1.0;
    for (int i = 0; i < 1000; ++i) {
        s.add(std::ldexp(1.0, -60));
        naive += std::ldexp(1.0, -60);
    }
    CHECK(naive == 1.0);
    CHECK(s.total() == 1.0 + std::ldexp(1.0, -50));
}

TEST_CASE("the total does not depend on the order or the split", "[core][reproducible_sum]") {
    std::mt19937_64 gen(3);
    std::lognormal_distribution<double> d(0.0, 4.0);  // terms spread over ~20 orders of magnitude
    std::vector<double> x(20000);
    for (auto& v : x) v = d(gen);
    const double bound = *std::max_element(x.begin(), x.end());
    const auto sum_of = [&](const std::vector<double>& terms) {
        nonnegative_fixed_sum<double> s(bound);
        for (const double v : terms) s.add(v);
        return s;
    };
    const double whole = sum_of(x).total();
    auto shuffled = x;
    std::shuffle(shuffled.begin(), shuffled.end(), gen);
    CHECK(std::bit_cast<std::uint64_t>(sum_of(shuffled).total()) == std::bit_cast<std::uint64_t>(whole));
    std::sort(x.begin(), x.end());
    CHECK(std::bit_cast<std::uint64_t>(sum_of(x).total()) == std::bit_cast<std::uint64_t>(whole));
    // Three parts merged in two orders.
    nonnegative_fixed_sum<double> a(bound), b(bound), c(bound);
    for (std::size_t i = 0; i < x.size(); ++i) (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(x[i]);
    auto abc = a, cba = c;
    abc.merge(b);
    abc.merge(c);
    cba.merge(b);
    cba.merge(a);
    CHECK(std::bit_cast<std::uint64_t>(abc.total()) == std::bit_cast<std::uint64_t>(whole));
    CHECK(std::bit_cast<std::uint64_t>(cba.total()) == std::bit_cast<std::uint64_t>(whole));
    // The sorted ascending double sum is accurate to ~n·eps here: the fixed-point total agrees.
    double ascending = 0;
    for (const double v : x) ascending += v;
    CHECK(std::abs(whole - ascending) <= 1e-12 * whole);
}

TEST_CASE("the range ends: terms near the largest and the smallest doubles", "[core][reproducible_sum]") {
    // Four terms of 1e308 overflow a double sum; their mean is exactly 1e308.
    nonnegative_fixed_sum<double> big(1e308);
    for (int i = 0; i < 4; ++i) big.add(1e308);
    CHECK(big.total_over(4.0) == 1e308);
    CHECK(big.total() == std::numeric_limits<double>::infinity());
    // Subnormal terms: 3·v is a multiple of 2^-1074 below 2^-1022, so it is exact.
    const double v = 1e-310;
    nonnegative_fixed_sum<double> tiny(v);
    for (int i = 0; i < 3; ++i) tiny.add(v);
    CHECK(tiny.total() == 3.0 * v);
    // A zero bound: only zeros.
    nonnegative_fixed_sum<double> zero(0.0);
    zero.add(0.0);
    CHECK(zero.total() == 0.0);
}

TEST_CASE("float and long double", "[core][reproducible_sum]") {
    nonnegative_fixed_sum<float> f(100.0f);
    for (int i = 1; i <= 100; ++i) f.add(float(i));
    CHECK(f.total() == 5050.0f);  // 100·101/2
    nonnegative_fixed_sum<long double> l(1.0L);
    l.add(1.0L);
    for (int i = 0; i < 3; ++i) l.add(std::ldexp(1.0L, -63));  // exact in a 64-bit significand: 1 + 3·2^-63
    CHECK(l.total() == 1.0L + 3.0L * std::ldexp(1.0L, -63));
}

TEST_CASE("bad bounds and terms are refused by name", "[core][reproducible_sum]") {
    CHECK_THROWS_WITH(nonnegative_fixed_sum<double>(-1.0),
                      "nonnegative_fixed_sum: bound is -1, but must be finite and >= 0");
    CHECK_THROWS_AS(nonnegative_fixed_sum<double>(std::numeric_limits<double>::infinity()), margincall::invalid_argument);
    CHECK_THROWS_AS(nonnegative_fixed_sum<double>(std::numeric_limits<double>::quiet_NaN()), margincall::invalid_argument);
    nonnegative_fixed_sum<double> s(2.0);
    CHECK_THROWS_WITH(s.add(5.0), Catch::Matchers::Contains("term is 5, but must be in [0, bound]"));
    CHECK_THROWS_AS(s.add(-1.0), margincall::invalid_argument);
    CHECK_THROWS_AS(s.add(std::numeric_limits<double>::quiet_NaN()), margincall::invalid_argument);
    nonnegative_fixed_sum<double> other(1e10);
    CHECK_THROWS_WITH(s.merge(other), Catch::Matchers::Contains("scale exponent"));
}
