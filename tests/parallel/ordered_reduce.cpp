// Tests of include/margincall/parallel/ordered_reduce.hpp: the chunking, the fixed pairwise
// tree, and sums bit-identical on every executor.
#include <margincall/core/error.hpp>
#include <margincall/parallel/ordered_reduce.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "catch.hpp"
#include "parallel/executor_support.hpp"

TEST_CASE("fixed_chunks cut [0, n) into pieces of the given size", "[parallel][reduce]") {
    const margincall::fixed_chunks c(10, 4);  // [0,4) [4,8) [8,10)
    CHECK(c.count() == 3);
    CHECK(c.begin(2) == 8);
    CHECK(c.end(2) == 10);
    CHECK(margincall::fixed_chunks(8, 4).count() == 2);
    CHECK(margincall::fixed_chunks(0, 4).count() == 0);
    CHECK_THROWS_WITH(margincall::fixed_chunks(10, 0),
                      "fixed_chunks: chunk is 0, but must be >= 1");
}

TEST_CASE("pairwise_combine follows the fixed tree", "[parallel][reduce]") {
    // Five leaves a..e: level 1 (ab)(cd)e, level 2 ((ab)(cd))e, level 3 (((ab)(cd))e).
    const auto join = [](const std::string& x, const std::string& y) { return "(" + x + y + ")"; };
    CHECK(margincall::pairwise_combine<std::string>({"a", "b", "c", "d", "e"}, "", join) == "(((ab)(cd))e)");
    CHECK(margincall::pairwise_combine<std::string>({"a", "b", "c"}, "", join) == "((ab)c)");
    CHECK(margincall::pairwise_combine<std::string>({"a"}, "", join) == "a");
    CHECK(margincall::pairwise_combine<std::string>({}, "empty", join) == "empty");
}

TEST_CASE("ordered_sum is bit-identical on every executor and exact on integers", "[parallel][reduce]") {
    // Terms of widely different magnitudes, so that any change of order would change the bits.
    const auto term = [](std::size_t i) {
        return std::ldexp(1.0 + static_cast<double>(i % 97) / 97.0, static_cast<int>(i % 61) - 30);
    };
    const margincall::fixed_chunks chunks(100003, 1000);
    const double reference = margincall::ordered_sum<double>(margincall::sequential_executor{}, chunks, term);
    test_support::for_each_executor([&](const auto& exec, const char* label) {
        INFO(label);
        const double s = margincall::ordered_sum<double>(exec, chunks, term);
        CHECK(std::bit_cast<std::uint64_t>(s) == std::bit_cast<std::uint64_t>(reference));
        // Σ_{i<n} i = n(n−1)/2 = 100003·100002/2 = 5000250003, exact in a double.
        const double ints = margincall::ordered_sum<double>(exec, chunks, [](std::size_t i) { return double(i); });
        CHECK(ints == 5000250003.0);
    });
}
