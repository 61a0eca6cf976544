// Tests of include/margincall/parallel/executor.hpp and tbb_executor.hpp: every index exactly
// once, exceptions rethrown, zero workers refused, a host's own executor accepted.
#include <margincall/core/error.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/tbb_executor.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "parallel/executor_support.hpp"

namespace {
struct not_an_executor {
    void bulk(std::size_t, int) const {}
};
struct zero_workers {
    [[nodiscard]] std::size_t workers() const noexcept { return 0; }
    template <class F>
    void bulk(std::size_t n, F&& f) const {
        for (std::size_t i = 0; i < n; ++i) f(i);
    }
};
}  // namespace

static_assert(!margincall::executor<not_an_executor>);
static_assert(!margincall::executor<int>);
static_assert(margincall::executor<zero_workers>);  // modelled; refused at run time by checked_workers

TEST_CASE("every executor calls f(i) exactly once for each i", "[parallel][executor]") {
    test_support::for_each_executor([](const auto& exec, const char* label) {
        INFO(label);
        CHECK(exec.workers() >= 1);
        for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{10000}}) {
            std::vector<std::atomic<int>> calls(n);
            exec.bulk(n, [&](std::size_t i) { ++calls[i]; });
            std::size_t once = 0;
            for (auto& c : calls) once += static_cast<std::size_t>(c.load() == 1);
            CHECK(once == n);
        }
    });
}

TEST_CASE("every executor rethrows an exception thrown by a call", "[parallel][executor]") {
    test_support::for_each_executor([](const auto& exec, const char* label) {
        INFO(label);
        CHECK_THROWS_WITH(exec.bulk(1000,
                                    [](std::size_t i) {
                                        if (i == 617) throw std::runtime_error("call 617 failed");
                                    }),
                          "call 617 failed");
    });
}

TEST_CASE("an executor with zero workers is refused with a clear error", "[parallel][executor]") {
    CHECK_THROWS_WITH(margincall::checked_workers("test", zero_workers{}),
                      Catch::Matchers::Contains("workers()") && Catch::Matchers::Contains(">= 1"));
    const margincall::fixed_chunks chunks(10, 3);
    CHECK_THROWS_AS(margincall::for_each_chunk(zero_workers{}, chunks, [](std::size_t, std::size_t, std::size_t) {}),
                    margincall::invalid_argument);
#if defined(MARGINCALL_HAS_TBB)
    CHECK_THROWS_WITH(margincall::tbb_executor{0}, Catch::Matchers::Contains("tbb_executor") &&
                                                       Catch::Matchers::Contains("workers is 0"));
    CHECK(margincall::tbb_executor{}.workers() >= 1);
    CHECK(margincall::tbb_executor{3}.workers() == 3);
#endif
}
