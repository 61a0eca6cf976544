#pragma once
/// \file
/// Fixed chunking and ordered (pairwise, fixed-order) reductions on any executor: the basis of
/// the bit-identical results of the parallel workloads.
///
/// [0, n) is cut into ⌈n / chunk⌉ chunks of `chunk` indices (the last one shorter); `chunk` is
/// chosen by the algorithm or the caller, never from the worker count. Each chunk is computed by
/// one call, in index order; the chunk results are then combined on the calling thread by a
/// fixed binary tree over the chunk indices (neighbours (0,1), (2,3), … then the same on the
/// results, an odd last one carried up). The floating-point result therefore depends on n and
/// `chunk` only: the same bits for 1, 2 or 64 workers, or for a host's own executor. The
/// pairwise tree also bounds the rounding error of a sum by O(log(chunks)) instead of
/// O(chunks) (N. J. Higham, "The accuracy of floating point summation", SIAM J. Sci. Comput. 14
/// (1993) 783–799, §3 pairwise summation).
/// \test tests/parallel/ordered_reduce.cpp

#include <margincall/core/error.hpp>
#include <margincall/parallel/executor.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace margincall {

/// The chunking of [0, n) into pieces of `size` indices: chunk c is [c·size, min(n, (c+1)·size)).
struct fixed_chunks {
    std::size_t n;
    std::size_t size;

    /// \throws margincall::invalid_argument for size = 0
    fixed_chunks(std::size_t count, std::size_t chunk_size) : n{count}, size{chunk_size} {
        if (chunk_size == 0) throw_invalid_argument("fixed_chunks", "chunk", chunk_size, ">= 1");
    }
    [[nodiscard]] std::size_t count() const noexcept { return n / size + static_cast<std::size_t>(n % size != 0); }
    [[nodiscard]] std::size_t begin(std::size_t c) const noexcept { return c * size; }
    [[nodiscard]] std::size_t end(std::size_t c) const noexcept { return std::min(n, (c + 1) * size); }
};

/// Calls f(c, begin, end) once for each chunk c of `chunks`, on `exec`.
template <executor E, class F>
    requires std::invocable<F&, std::size_t, std::size_t, std::size_t>
void for_each_chunk(const E& exec, const fixed_chunks& chunks, F&& f) {
    checked_workers("for_each_chunk", exec);
    exec.bulk(chunks.count(), [&](std::size_t c) { f(c, chunks.begin(c), chunks.end(c)); });
}

/// Combines `values` in place by the fixed pairwise tree (see the file comment) and returns the
/// result; `identity` for an empty range. Runs on the calling thread.
template <class T, class Combine>
    requires std::invocable<Combine&, const T&, const T&>
[[nodiscard]] T pairwise_combine(std::vector<T> values, T identity, Combine&& combine) {
    if (values.empty()) return identity;
    std::size_t size = values.size();
    while (size > 1) {
        const std::size_t half = size / 2;
        for (std::size_t i = 0; i < half; ++i) values[i] = combine(values[2 * i], values[2 * i + 1]);
        if (size % 2 != 0) values[half] = std::move(values[size - 1]);
        size = half + size % 2;
    }
    return std::move(values[0]);
}

/// Ordered reduction: partial[c] = chunk_value(begin, end) for each chunk (on `exec`), then
/// pairwise_combine(partial, identity, combine). Bit-identical for any executor and worker count.
template <executor E, class T, class ChunkValue, class Combine>
    requires std::is_invocable_r_v<T, ChunkValue&, std::size_t, std::size_t> &&
             std::invocable<Combine&, const T&, const T&>
[[nodiscard]] T ordered_reduce(const E& exec, const fixed_chunks& chunks, T identity, ChunkValue&& chunk_value,
                               Combine&& combine) {
    std::vector<T> partial(chunks.count(), identity);
    for_each_chunk(exec, chunks,
                   [&](std::size_t c, std::size_t begin, std::size_t end) { partial[c] = chunk_value(begin, end); });
    return pairwise_combine(std::move(partial), std::move(identity), combine);
}

/// Σ term(i) over [0, n): in index order inside each chunk, chunks combined pairwise.
template <class Real, executor E, class Term>
    requires std::is_invocable_r_v<Real, Term&, std::size_t>
[[nodiscard]] Real ordered_sum(const E& exec, const fixed_chunks& chunks, Term&& term) {
    return ordered_reduce(
        exec, chunks, Real(0),
        [&](std::size_t begin, std::size_t end) {
            Real s(0);
            for (std::size_t i = begin; i < end; ++i) s += term(i);
            return s;
        },
        [](const Real& a, const Real& b) { return Real(a + b); });
}

/// results[i] = f(i) for every i in [0, n), computed on `exec` (one call per index: for heavy
/// items such as a fit or a portfolio's margin), returned in index order. Each result depends on
/// its index only, so the vector is identical for any executor. The first exception is rethrown.
template <executor E, class F>
    requires std::invocable<F&, std::size_t>
[[nodiscard]] auto transform_indices(const E& exec, std::size_t n, F&& f)
    -> std::vector<std::invoke_result_t<F&, std::size_t>> {
    using result = std::invoke_result_t<F&, std::size_t>;
    checked_workers("transform_indices", exec);
    std::vector<std::optional<result>> slots(n);
    exec.bulk(n, [&](std::size_t i) { slots[i].emplace(f(i)); });
    std::vector<result> out;
    out.reserve(n);
    for (auto& slot : slots) out.push_back(std::move(*slot));
    return out;
}

}  // namespace margincall
