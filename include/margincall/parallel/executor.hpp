#pragma once
/// \file
/// The execution policy of the heavy workloads: an `executor` runs f(i) for every i in [0, n)
/// exactly once, possibly concurrently, and returns when all are done. `sequential_executor` is
/// the default everywhere (a plain loop, nothing to link); `tbb_executor`
/// (parallel/tbb_executor.hpp, target margincall::parallel) runs on a oneTBB task arena; a host
/// may pass its own type (a thread pool, a GPU queue's host side) that models the concept.
///
/// What the library guarantees on top of any executor (parallel/ordered_reduce.hpp): work is cut
/// into chunks whose size does not depend on `workers()`, each chunk is computed in index order,
/// and chunk results are combined in a fixed pairwise order, so every figure is bit-identical for
/// any worker count. Executors only decide *where* a chunk runs, never *what* it computes.
/// \test tests/parallel/executor.cpp

#include <margincall/core/error.hpp>

#include <concepts>
#include <cstddef>
#include <type_traits>

namespace margincall {

namespace detail {
/// The callable an executor must accept: f(i) for an index i (a stand-in in the concept).
struct index_function_archetype {
    void operator()(std::size_t) const {}
};
}  // namespace detail

/// An executor: `workers()` (>= 1, the most calls of f that may run at once) and
/// `bulk(n, f)`, which calls f(i) exactly once for every i in [0, n), possibly concurrently,
/// returns when all calls are done, and rethrows the first exception a call threw (calls not yet
/// started may then be skipped). f must be safe to call concurrently for distinct i.
template <class E>
concept executor = requires(const E& e, std::size_t n, const detail::index_function_archetype& f) {
    { e.workers() } -> std::convertible_to<std::size_t>;
    e.bulk(n, f);
};

/// Runs everything on the calling thread, in index order: the default policy, zero cost.
struct sequential_executor {
    [[nodiscard]] static constexpr std::size_t workers() noexcept { return 1; }

    template <class F>
        requires std::invocable<F&, std::size_t>
    void bulk(std::size_t n, F&& f) const {
        for (std::size_t i = 0; i < n; ++i) f(i);
    }
};

/// `workers()` of a host's executor checked once before use: 0 workers cannot run anything.
/// \throws margincall::invalid_argument naming `where` when workers() == 0
template <executor E>
std::size_t checked_workers(const char* where, const E& exec) {
    const auto w = static_cast<std::size_t>(exec.workers());
    if (w == 0) throw_invalid_argument(where, "the executor's workers()", w, ">= 1");
    return w;
}

}  // namespace margincall
