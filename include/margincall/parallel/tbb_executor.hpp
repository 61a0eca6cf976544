#pragma once
/// \file
/// `tbb_executor`: the parallel policy, on a oneTBB task arena with an explicit worker count
/// (Debian libtbb-dev). Needs oneTBB: link the CMake target margincall::parallel (which links
/// TBB::tbb and defines MARGINCALL_HAS_TBB); without it this header declares nothing, so the
/// module header <margincall/parallel.hpp> and the umbrella stay free of TBB.
///
/// Why oneTBB rather than OpenMP: see docs/scaling.md (a library, not a compiler flag; arenas
/// with their own worker counts compose inside a host's own thread pool; works unchanged with
/// g++ and clang++ and under the sanitizers).
/// \test tests/parallel/executor.cpp

#if defined(MARGINCALL_HAS_TBB)

#include <margincall/core/error.hpp>
#include <margincall/parallel/executor.hpp>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <concepts>
#include <cstddef>
#include <limits>
#include <memory>

namespace margincall {

/// Runs bulk calls on its own oneTBB task arena of `workers()` threads (the calling thread is one
/// of them). Copies share the arena. f(i) is called exactly once per index; the first exception
/// a call throws cancels the remaining calls and is rethrown by bulk (oneTBB's exact exception
/// propagation).
class tbb_executor {
public:
    /// An arena of oneTBB's default concurrency (the cores this process may use).
    tbb_executor() : tbb_executor(static_cast<std::size_t>(oneapi::tbb::info::default_concurrency())) {}

    /// An arena of exactly `workers` threads.
    /// \throws margincall::invalid_argument for 0 workers (or more than an int holds)
    explicit tbb_executor(std::size_t workers) : workers_{workers} {
        if (workers == 0) throw_invalid_argument("tbb_executor", "workers", workers, ">= 1");
        if (workers > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw_invalid_argument("tbb_executor", "workers", workers, "<= INT_MAX");
        arena_ = std::make_shared<oneapi::tbb::task_arena>(static_cast<int>(workers));
    }

    [[nodiscard]] std::size_t workers() const noexcept { return workers_; }

    template <class F>
        requires std::invocable<F&, std::size_t>
    void bulk(std::size_t n, F&& f) const {
        if (n == 0) return;
        arena_->execute([&] {
            oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, n),
                                      [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                                          for (std::size_t i = range.begin(); i != range.end(); ++i) f(i);
                                      });
        });
    }

private:
    std::size_t workers_;
    std::shared_ptr<oneapi::tbb::task_arena> arena_;
};

}  // namespace margincall

#endif  // MARGINCALL_HAS_TBB
