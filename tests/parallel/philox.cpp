// Tests of include/margincall/parallel/philox.hpp: Philox4x32-10 against Random123's published
// known-answer vectors, the stream layout, and the uniform/normal/chi-squared transforms
// against mpmath (tests/reference/parallel_philox.py, .out).
#include <margincall/core/error.hpp>
#include <margincall/parallel/philox.hpp>

#include <array>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

#if __has_include(<Random123/philox.h>)
#include <Random123/philox.h>
#define MARGINCALL_TEST_RANDOM123 1
#endif

#include "catch.hpp"

using margincall::philox4x32_10;
using margincall::philox_stream;
using margincall::philox_streams;

static_assert(std::uniform_random_bit_generator<philox_stream>);
// Reuse of a stream is impossible by construction: no copies, no public constructor.
static_assert(!std::is_copy_constructible_v<philox_stream>);
static_assert(!std::is_copy_assignable_v<philox_stream>);
static_assert(!std::is_constructible_v<philox_stream, std::uint64_t, std::uint64_t>);
static_assert(!std::is_default_constructible_v<philox_stream>);

TEST_CASE("Philox4x32-10 reproduces Random123's known-answer vectors", "[parallel][philox]") {
    // Random123 (D. E. Shaw Research), tests/kat_vectors, the three "philox4x32 10" lines:
    // counter (4 words), key (2 words), expected output (4 words).
    constexpr std::array<std::uint32_t, 4> zero_out{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
    STATIC_REQUIRE(philox4x32_10({0u, 0u, 0u, 0u}, {0u, 0u}) == zero_out);
    CHECK(philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}) ==
          std::array<std::uint32_t, 4>{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu});
    CHECK(philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}) ==
          std::array<std::uint32_t, 4>{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u});
}

#if defined(MARGINCALL_TEST_RANDOM123)
TEST_CASE("Philox4x32-10 equals Random123's implementation on many counters and keys", "[parallel][philox]") {
    using r123_philox = r123::Philox4x32_R<10>;
    std::mt19937_64 gen(20261130);
    for (int trial = 0; trial < 2000; ++trial) {
        const std::uint64_t a = gen(), b = gen(), c = gen();
        const std::array<std::uint32_t, 4> counter{std::uint32_t(a), std::uint32_t(a >> 32), std::uint32_t(b),
                                                   std::uint32_t(b >> 32)};
        const std::array<std::uint32_t, 2> key{std::uint32_t(c), std::uint32_t(c >> 32)};
        const r123_philox::ctr_type rc = {{counter[0], counter[1], counter[2], counter[3]}};
        const r123_philox::key_type rk = {{key[0], key[1]}};
        const auto expected = r123_philox{}(rc, rk);
        const auto got = philox4x32_10(counter, key);
        REQUIRE(got == std::array<std::uint32_t, 4>{expected[0], expected[1], expected[2], expected[3]});
    }
}
#endif

TEST_CASE("a stream is keyed by (seed, path) and lays its blocks out as documented", "[parallel][philox]") {
    // Seed 0, path 0, block 0 is the all-zero known-answer vector: words (0,1) then (2,3).
    auto s = philox_streams{0}.stream_for(0);
    CHECK(s() == 0xe169c58d6627e8d5u);
    CHECK(s() == 0x9b00dbd8bc57ac4cu);
    CHECK(s.blocks_used() == 1);
    // Block 1 of path 0 is counter (1, 0, 0, 0); path p sits in counter words 2 and 3; the seed is the key.
    const auto block1 = philox4x32_10({1u, 0u, 0u, 0u}, {0u, 0u});
    CHECK(s() == (std::uint64_t{block1[1]} << 32 | block1[0]));
    auto p = philox_streams{0x0123456789abcdefu}.stream_for(0xfedcba9876543210u);
    const auto first = philox4x32_10({0u, 0u, 0x76543210u, 0xfedcba98u}, {0x89abcdefu, 0x01234567u});
    CHECK(p() == (std::uint64_t{first[1]} << 32 | first[0]));
    CHECK(p.path() == 0xfedcba9876543210u);

    // The same (seed, path) gives the same draws wherever it is asked for; other paths differ.
    const philox_streams family(42);
    auto x = family.stream_for(7);
    auto y = family.stream_for(7);
    auto z = family.stream_for(8);
    bool all_equal = true, any_equal_other = false;
    for (int i = 0; i < 100; ++i) {
        const auto xi = x();
        all_equal = all_equal && xi == y();
        any_equal_other = any_equal_other || xi == z();
    }
    CHECK(all_equal);
    CHECK_FALSE(any_equal_other);
}

TEST_CASE("uniform, normal and chi-squared draws match mpmath at the known-answer draws", "[parallel][philox]") {
    // tests/reference/parallel_philox.out: the first two draws of seed 0, path 0.
    auto u = philox_streams{0}.stream_for(0);
    CHECK(u.uniform() == 0x1.c2d38b1acc4fdp-1);
    CHECK(u.uniform() == 0x1.3601b7b178af5p-1);
    auto n = philox_streams{0}.stream_for(0);
    CHECK_THAT(n.normal(), Catch::Matchers::WithinRel(1.1775912390542729487, 4e-16));
    CHECK_THAT(n.normal(), Catch::Matchers::WithinRel(0.26756224953309987389, 4e-16));
    auto c = philox_streams{0}.stream_for(0);
    CHECK_THAT(c.chi_squared(3.0), Catch::Matchers::WithinRel(5.8434569377062899322, 1e-14));
    CHECK_THAT(c.chi_squared(3.0), Catch::Matchers::WithinRel(2.9812948273294234363, 1e-14));
    CHECK_THROWS_WITH(c.chi_squared(0.0), "philox_stream::chi_squared: nu is 0, but must be finite and > 0");
}

TEST_CASE("uniforms stay strictly inside (0, 1) and normals look standard", "[parallel][philox]") {
    // 200 000 normals of one stream: the sample mean is within 5 standard errors (5/√n ≈ 0.011)
    // of 0 and the variance within 5·√(2/n) ≈ 0.016 of 1 (a fixed seed: no flakiness).
    auto s = philox_streams{2026}.stream_for(3);
    const int n = 200000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = s.normal();
        REQUIRE(std::isfinite(z));
        sum += z;
        sum2 += z * z;
    }
    const double mean = sum / n;
    CHECK(std::abs(mean) < 0.011);
    CHECK(std::abs(sum2 / n - mean * mean - 1.0) < 0.016);
    // The extreme draws map inside (0, 1): k = 0 gives 2^-53, k = 2^52 − 1 gives 1 − 2^-53.
    CHECK((0.0 + 0.5) * 0x1p-52 == 0x1p-53);
    CHECK((static_cast<double>((std::uint64_t{1} << 52) - 1) + 0.5) * 0x1p-52 == 1.0 - 0x1p-53);
}
