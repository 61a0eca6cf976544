#pragma once
/// \file
/// The batch re-mark of a book sharded into several position_books, shards on an executor
/// (sequential by default). Each shard is re-marked by margin/remark.hpp's `remark` (the one
/// rule set), shard totals are combined by the fixed pairwise tree of parallel/ordered_reduce.hpp
/// in shard order, so the totals are bit-identical for any executor and worker count; they depend
/// on the sharding, which the caller fixes (split_book: a fixed number of pools per shard).
/// The same shards are what a process of a distributed run holds.
/// \test tests/parallel/workloads.cpp

#include <margincall/contracts/contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/margin/remark_result.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace margincall {

/// The sum of two shards' re-mark totals (counts and amounts), the combine of the ordered reduction.
template <real_scalar Real>
[[nodiscard]] remark_totals<Real> combine_remark_totals(const remark_totals<Real>& a, const remark_totals<Real>& b) {
    remark_totals<Real> t;
    for (std::size_t s = 0; s < t.count.size(); ++s) t.count[s] = a.count[s] + b.count[s];
    t.call_amount = a.call_amount + b.call_amount;
    t.called_amount = a.called_amount + b.called_amount;
    t.equity = a.equity + b.equity;
    t.maintenance_margin = a.maintenance_margin + b.maintenance_margin;
    t.initial_margin = a.initial_margin + b.initial_margin;
    return t;
}

/// Splits `book` into shards of `pools_per_shard` pools (the last one shorter), in pool order.
/// \throws margincall::invalid_argument for pools_per_shard = 0
template <real_scalar Real>
[[nodiscard]] std::vector<position_book<Real>> split_book(const position_book<Real>& book, std::size_t pools_per_shard) {
    if (pools_per_shard == 0) throw_invalid_argument("split_book", "pools_per_shard", pools_per_shard, ">= 1");
    const fixed_chunks chunks(book.pools(), pools_per_shard);
    std::vector<position_book<Real>> shards(chunks.count());
    const auto begin = book.pool_begin();
    for (std::size_t c = 0; c < chunks.count(); ++c) {
        auto& shard = shards[c];
        shard.reserve(chunks.end(c) - chunks.begin(c), begin[chunks.end(c)] - begin[chunks.begin(c)]);
        for (std::size_t k = chunks.begin(c); k < chunks.end(c); ++k) {
            shard.add_pool(book.collateral()[k]);
            for (std::uint32_t j = begin[k]; j < begin[k + 1]; ++j)
                shard.add_position(book.symbol()[j], book.quantity()[j], book.entry_price()[j], book.leverage()[j]);
        }
    }
    return shards;
}

/// Re-marks every shard at `marks` (the same contracts, models and marks for all: symbol s is
/// symbol s in every shard) on `exec` and returns the book-wide totals. `outputs`, when not
/// empty, holds one remark_output per shard (each sized 0 or the shard's pools).
/// \throws margincall::invalid_argument for no shard, a count of outputs other than 0 or the
///         shard count, and whatever `remark` refuses (the first shard's error)
template <class Contract, class Model, real_scalar Real, executor Executor = sequential_executor>
    requires contract<Contract, Real> && batch_margin_model<Model, Real>
[[nodiscard]] remark_totals<Real> remark_shards(std::span<const position_book<Real>> shards,
                                                std::span<const Contract> contracts, std::span<const Model> models,
                                                std::span<const Real> marks, const status_thresholds<Real>& thresholds,
                                                std::span<const remark_output<Real>> outputs = {},
                                                const Executor& exec = Executor{}) {
    constexpr const char* where = "remark_shards";
    if (shards.empty()) throw_invalid_argument(where, "the number of shards", 0, ">= 1");
    if (!outputs.empty() && outputs.size() != shards.size())
        throw_invalid_argument(where, "the number of outputs", outputs.size(),
                               detail::message("0 or ", shards.size(), " (one per shard)").c_str());
    return ordered_reduce(
        exec, fixed_chunks(shards.size(), 1), remark_totals<Real>{},
        [&](std::size_t shard, std::size_t) {
            return remark(shards[shard], contracts, models, marks, thresholds,
                          outputs.empty() ? remark_output<Real>{} : outputs[shard]);
        },
        [](const remark_totals<Real>& a, const remark_totals<Real>& b) { return combine_remark_totals(a, b); });
}

}  // namespace margincall
