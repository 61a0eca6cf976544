// Tests of include/margincall/core/column_allocator.hpp.
#include <margincall/core/column_allocator.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

#include "catch.hpp"

using margincall::column_allocator;

TEST_CASE("column_allocator: small columns are plain, large ones 2 MiB aligned", "[core]") {
    static_assert(column_allocator<double>::huge_page_size == 2 * 1024 * 1024);
    CHECK(!column_allocator<double>::is_large(1000));
    CHECK(column_allocator<double>::is_large(262144));  // 262,144 × 8 B = 2 MiB
    CHECK(!column_allocator<double>::is_large(262143));

    column_allocator<double> a;
    double* small = a.allocate(1000);
    CHECK(reinterpret_cast<std::uintptr_t>(small) % alignof(double) == 0);
    small[999] = 1.0;
    a.deallocate(small, 1000);

    double* large = a.allocate(300000);  // 2.3 MiB: rounded to 4 MiB, aligned to 2 MiB
    CHECK(reinterpret_cast<std::uintptr_t>(large) % column_allocator<double>::huge_page_size == 0);
    large[0] = 1.0;
    large[299999] = 2.0;
    CHECK(large[0] + large[299999] == 3.0);
    a.deallocate(large, 300000);
}

TEST_CASE("column_allocator: a std::vector through growth keeps its values", "[core]") {
    std::vector<std::uint32_t, column_allocator<std::uint32_t>> v;
    for (std::uint32_t i = 0; i < 1'000'000; ++i) v.push_back(i);  // crosses 2 MiB while growing
    CHECK(v.size() == 1'000'000);
    CHECK(std::accumulate(v.begin(), v.end(), std::uint64_t{0}) == std::uint64_t{999'999} * 1'000'000 / 2);
    auto copy = v;
    CHECK(copy == v);
    CHECK(column_allocator<std::uint32_t>{} == column_allocator<double>{});
}

TEST_CASE("column_allocator: a size that cannot be allocated throws bad_array_new_length", "[core][errors]") {
    column_allocator<double> a;
    CHECK_THROWS_AS(static_cast<void>(a.allocate(std::size_t(-1) / 4)), std::bad_array_new_length);
}
