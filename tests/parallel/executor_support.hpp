#pragma once
// Executors the parallel/ tests run every workload on: the sequential one, a host's own
// (a tiny std::thread pool, to prove any type modelling the concept works) and, where oneTBB is
// found (margincall::parallel), tbb_executor arenas of 1, 2 and 4 workers.
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/tbb_executor.hpp>

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace test_support {

/// A host's own executor: `threads` std::threads pull indices from a shared counter; the first
/// exception is kept and rethrown after all threads joined.
struct thread_executor {
    std::size_t threads;

    [[nodiscard]] std::size_t workers() const noexcept { return threads; }

    template <class F>
    void bulk(std::size_t n, F&& f) const {
        std::atomic<std::size_t> next{0};
        std::exception_ptr first;
        std::mutex guard;
        const auto work = [&] {
            for (std::size_t i = next++; i < n; i = next++) {
                try {
                    f(i);
                } catch (...) {
                    const std::lock_guard<std::mutex> lock(guard);
                    if (!first) first = std::current_exception();
                    next = n;  // stop handing out indices
                }
            }
        };
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
        work();
        for (auto& t : pool) t.join();
        if (first) std::rethrow_exception(first);
    }
};

static_assert(margincall::executor<thread_executor>);
static_assert(margincall::executor<margincall::sequential_executor>);

/// Calls check(exec, label) for the sequential executor, host thread pools of 2 and 4 threads
/// and, with oneTBB, arenas of 1, 2 and 4 workers.
template <class Check>
void for_each_executor(Check&& check) {
    check(margincall::sequential_executor{}, "sequential");
    check(thread_executor{2}, "2 threads");
    check(thread_executor{4}, "4 threads");
#if defined(MARGINCALL_HAS_TBB)
    check(margincall::tbb_executor{1}, "tbb 1");
    check(margincall::tbb_executor{2}, "tbb 2");
    check(margincall::tbb_executor{4}, "tbb 4");
#endif
}

}  // namespace test_support
