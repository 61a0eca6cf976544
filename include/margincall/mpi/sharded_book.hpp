#pragma once
/// \file
/// A host's book sharded over MPI ranks: the batch re-mark and the exact historical VaR/ES of the
/// whole book. The book is cut into a fixed number of shards of whole pools (parallel/
/// remark_shards.hpp's split_book), rank r holding the contiguous shards share_of(shards, r,
/// size); the shard count, not the rank count, fixes every summation order, so the results are
/// bit-identical for any rank count and equal to the single-process remark_shards and
/// book_historical_tail_risk over all shards.
/// Communication: the re-mark gathers one remark_totals per shard (O(shards)); the historical
/// VaR/ES exchanges each shard's scenario P&L for the scenario block of the rank that sums it
/// (O(scenarios × shards) values in total, independent of the positions), then only the tail
/// candidates (O(ranks · scenarios · (1 − α))).
/// \test tests/mpi/distributed.cpp

#if defined(MARGINCALL_HAS_MPI)

#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/margin/remark_result.hpp>
#include <margincall/mpi/communicator.hpp>
#include <margincall/mpi/distributed_tail.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/remark_shards.hpp>

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace margincall {

/// The P&L of a shard in each historical scenario: pnl[t] = Σ over its positions, in row order,
/// of contract.pnl(q, mark, scenario mark) (the contract's own formula: the change in value from
/// the current marks to scenario t's). `scenario_marks` holds the scenarios row by row, one mark
/// per symbol (size = scenarios × symbols).
/// \throws margincall::invalid_argument for a scenario_marks size that is not a multiple of the
///         symbol count, or a non-finite P&L
template <class Contract>
    requires contract<Contract, double>
[[nodiscard]] std::vector<double> shard_scenario_pnl(const position_book<double>& shard,
                                                     std::span<const Contract> contracts,
                                                     std::span<const double> marks,
                                                     std::span<const double> scenario_marks) {
    constexpr const char* where = "shard_scenario_pnl";
    const std::size_t symbols = marks.size();
    if (symbols == 0 || contracts.size() != symbols)
        throw_invalid_argument(where, "the number of contracts", contracts.size(),
                               detail::message("the number of marks (", symbols, "), at least 1").c_str());
    if (scenario_marks.size() % symbols != 0)
        throw_invalid_argument(where, "the size of scenario_marks", scenario_marks.size(),
                               detail::message("a multiple of the symbols (", symbols, ")").c_str());
    const std::size_t scenarios = scenario_marks.size() / symbols;
    std::vector<double> pnl(scenarios, 0.0);
    const auto sym = shard.symbol();
    const auto q = shard.quantity();
    for (std::size_t t = 0; t < scenarios; ++t) {
        const double* row = scenario_marks.data() + t * symbols;
        double sum = 0.0;
        for (std::size_t j = 0; j < sym.size(); ++j)
            sum += static_cast<double>(contracts[sym[j]].pnl(q[j], marks[sym[j]], row[sym[j]]));
        if (!detail::is_finite(sum))
            throw_invalid_argument(where, detail::message("the P&L of scenario ", t), sum, "finite");
        pnl[t] = sum;
    }
    return pnl;
}

/// Historical VaR_α and ES_α of a book from its shards' scenario P&L (shard_pnl[s][t]): the
/// book's P&L in scenario t is the sum over shards in shard order, its loss the negative. The
/// single-process form of mpi::book_historical_tail_risk (the same sums, bit for bit).
/// \throws margincall::invalid_argument for no shard, shards of different scenario counts, or
///         what historical_simulation refuses
[[nodiscard]] inline tail_risk<double> book_historical_tail_risk(std::span<const std::vector<double>> shard_pnl,
                                                                 double alpha,
                                                                 quantile_type type = quantile_type::type1) {
    constexpr const char* where = "book_historical_tail_risk";
    if (shard_pnl.empty()) throw_invalid_argument(where, "the number of shards", 0, ">= 1");
    const std::size_t scenarios = shard_pnl[0].size();
    std::vector<double> losses(scenarios, 0.0);
    for (std::size_t s = 0; s < shard_pnl.size(); ++s) {
        if (shard_pnl[s].size() != scenarios)
            throw_invalid_argument(where, detail::message("the scenario count of shard ", s), shard_pnl[s].size(),
                                   detail::message("that of shard 0 (", scenarios, ")").c_str());
        for (std::size_t t = 0; t < scenarios; ++t) losses[t] += shard_pnl[s][t];
    }
    for (double& l : losses) l = -l;
    return historical_simulation<double>{type}.estimate(std::span<const double>(losses), alpha);
}

}  // namespace margincall

namespace margincall::mpi {

namespace detail {
inline void check_shards(communicator& comm, const char* where, std::size_t local, std::size_t total) {
    comm.agree_equal(where, "the total number of shards", total);
    comm.agree_on([&] {
        if (total < static_cast<std::size_t>(comm.size()))
            throw_invalid_argument(where, "the number of ranks", comm.size(),
                                   margincall::detail::message("<= the number of shards (", total, ")").c_str());
        const share mine = share_of(total, comm.rank(), comm.size());
        if (local != mine.end - mine.begin)
            throw_invalid_argument(where, "this rank's number of shards", local,
                                   margincall::detail::message(mine.end - mine.begin, " (shards ", mine.begin, " to ",
                                                               mine.end, " of ", total, ": share_of)")
                                       .c_str());
    });
}
}  // namespace detail

/// The re-mark of a book sharded over the ranks: rank r passes its shards (share_of(total_shards,
/// r, size), in order) and every rank the same contracts, models, marks and thresholds. Each
/// shard is re-marked by margin/remark.hpp's `remark` (on `exec` within the rank); rank 0 combines
/// the shard totals by the fixed pairwise tree in shard order. Returns the book's totals on every
/// rank, equal bit for bit to remark_shards over all the shards in one process.
/// \throws margincall::invalid_argument on every rank for a shard count other than the rank's
///         share, fewer shards than ranks, or what `remark` refuses on any rank
template <class Contract, class Model, executor Executor = sequential_executor>
    requires contract<Contract, double> && batch_margin_model<Model, double>
remark_totals<double> remark_book(communicator& comm, std::span<const position_book<double>> local_shards,
                                  std::size_t total_shards, std::span<const Contract> contracts,
                                  std::span<const Model> models, std::span<const double> marks,
                                  const status_thresholds<double>& thresholds, const Executor& exec = Executor{}) {
    constexpr const char* where = "margincall::mpi::remark_book";
    detail::check_shards(comm, where, local_shards.size(), total_shards);
    std::vector<remark_totals<double>> totals;
    comm.agree_on([&] {
        totals = transform_indices(exec, local_shards.size(), [&](std::size_t s) {
            return remark(local_shards[s], contracts, models, marks, thresholds, remark_output<double>{});
        });
    });
    // A shard's totals as 10 doubles: 5 status counts (exact below 2^53) and 5 amounts.
    constexpr std::size_t width = margin_status_count + 5;
    std::vector<double> mine(width * totals.size());
    for (std::size_t s = 0; s < totals.size(); ++s) {
        double* row = mine.data() + width * s;
        for (std::size_t k = 0; k < margin_status_count; ++k) row[k] = static_cast<double>(totals[s].count[k]);
        row[margin_status_count + 0] = totals[s].call_amount;
        row[margin_status_count + 1] = totals[s].called_amount;
        row[margin_status_count + 2] = totals[s].equity;
        row[margin_status_count + 3] = totals[s].maintenance_margin;
        row[margin_status_count + 4] = totals[s].initial_margin;
    }
    std::vector<int> lengths(static_cast<std::size_t>(comm.size())), offsets(lengths.size());
    for (int r = 0; r < comm.size(); ++r) {
        const share s = share_of(total_shards, r, comm.size());
        lengths[static_cast<std::size_t>(r)] = static_cast<int>(width * (s.end - s.begin));
        offsets[static_cast<std::size_t>(r)] = static_cast<int>(width * s.begin);
    }
    // Rank 0 receives every shard's row; the others need room only for the broadcast total.
    std::vector<double> all(comm.is_root() ? width * total_shards : width);
    MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), lengths.data(), offsets.data(),
                MPI_DOUBLE, 0, comm.native());
    if (comm.is_root()) {
        std::vector<remark_totals<double>> shards(total_shards);
        for (std::size_t s = 0; s < total_shards; ++s) {
            const double* row = all.data() + width * s;
            for (std::size_t k = 0; k < margin_status_count; ++k) shards[s].count[k] = static_cast<std::size_t>(row[k]);
            shards[s].call_amount = row[margin_status_count + 0];
            shards[s].called_amount = row[margin_status_count + 1];
            shards[s].equity = row[margin_status_count + 2];
            shards[s].maintenance_margin = row[margin_status_count + 3];
            shards[s].initial_margin = row[margin_status_count + 4];
        }
        const remark_totals<double> book = pairwise_combine(
            std::move(shards), remark_totals<double>{},
            [](const remark_totals<double>& a, const remark_totals<double>& b) { return combine_remark_totals(a, b); });
        for (std::size_t k = 0; k < margin_status_count; ++k) all[k] = static_cast<double>(book.count[k]);
        all[margin_status_count + 0] = book.call_amount;
        all[margin_status_count + 1] = book.called_amount;
        all[margin_status_count + 2] = book.equity;
        all[margin_status_count + 3] = book.maintenance_margin;
        all[margin_status_count + 4] = book.initial_margin;
    }
    MPI_Bcast(all.data(), static_cast<int>(width), MPI_DOUBLE, 0, comm.native());
    comm.count(mine.size() * sizeof(double) + (comm.is_root() ? all.size() * sizeof(double) : 0) +
               width * sizeof(double));
    remark_totals<double> out;
    for (std::size_t k = 0; k < margin_status_count; ++k) out.count[k] = static_cast<std::size_t>(all[k]);
    out.call_amount = all[margin_status_count + 0];
    out.called_amount = all[margin_status_count + 1];
    out.equity = all[margin_status_count + 2];
    out.maintenance_margin = all[margin_status_count + 3];
    out.initial_margin = all[margin_status_count + 4];
    return out;
}

/// Exact historical VaR_α and ES_α of a book sharded over the ranks, from each local shard's
/// scenario P&L (shard_scenario_pnl; every shard the same scenario count). Scenarios are split
/// into blocks share_of(scenarios, r, size); an all-to-all hands rank r every shard's P&L for its
/// block, rank r sums them in shard order and keeps the tail candidates of its block's losses,
/// rank 0 merges them (distributed_tail.hpp). Returns VaR and ES on every rank, equal bit for bit
/// to book_historical_tail_risk over all the shards in one process.
/// \throws margincall::invalid_argument on every rank for a shard count other than the rank's
///         share, scenario counts that differ, fewer scenarios than ranks, or α ∉ (0, 1)
inline tail_risk<double> book_historical_tail_risk(communicator& comm, std::span<const std::vector<double>> local_pnl,
                                                   std::size_t total_shards, double alpha,
                                                   quantile_type type = quantile_type::type1) {
    constexpr const char* where = "margincall::mpi::book_historical_tail_risk";
    detail::check_shards(comm, where, local_pnl.size(), total_shards);
    const std::size_t scenarios = local_pnl.empty() ? 0 : local_pnl[0].size();
    comm.agree_equal(where, "the scenario count", scenarios);
    comm.agree_on([&] {
        check_probability(where, "alpha", alpha);
        for (std::size_t s = 0; s < local_pnl.size(); ++s)
            if (local_pnl[s].size() != scenarios)
                throw_invalid_argument(where, margincall::detail::message("the scenario count of local shard ", s),
                                       local_pnl[s].size(), margincall::detail::message(scenarios).c_str());
        if (scenarios < static_cast<std::size_t>(comm.size()))
            throw_invalid_argument(where, "the number of ranks", comm.size(),
                                   margincall::detail::message("<= the scenario count (", scenarios, ")").c_str());
    });
    const int size = comm.size();
    const std::size_t local = local_pnl.size();
    // Send to rank j, shard by shard, the P&L of j's scenario block.
    std::vector<int> send_counts(static_cast<std::size_t>(size)), send_offsets(send_counts.size());
    std::vector<double> send;
    send.reserve(local * scenarios);
    for (int j = 0; j < size; ++j) {
        const share block = share_of(scenarios, j, size);
        send_offsets[static_cast<std::size_t>(j)] = static_cast<int>(send.size());
        for (std::size_t s = 0; s < local; ++s)
            send.insert(send.end(), local_pnl[s].begin() + static_cast<std::ptrdiff_t>(block.begin),
                        local_pnl[s].begin() + static_cast<std::ptrdiff_t>(block.end));
        send_counts[static_cast<std::size_t>(j)] = static_cast<int>(send.size()) - send_offsets[static_cast<std::size_t>(j)];
    }
    // Receive from rank r its shards' P&L for my block: rank r's shards come in shard order.
    const share my_block = share_of(scenarios, comm.rank(), size);
    const std::size_t width = my_block.end - my_block.begin;
    std::vector<int> recv_counts(send_counts.size()), recv_offsets(send_counts.size());
    std::size_t received = 0;
    for (int r = 0; r < size; ++r) {
        const share shards = share_of(total_shards, r, size);
        recv_offsets[static_cast<std::size_t>(r)] = static_cast<int>(received);
        recv_counts[static_cast<std::size_t>(r)] = static_cast<int>((shards.end - shards.begin) * width);
        received += (shards.end - shards.begin) * width;
    }
    std::vector<double> recv(received);
    MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_DOUBLE, recv.data(), recv_counts.data(),
                  recv_offsets.data(), MPI_DOUBLE, comm.native());
    comm.count((send.size() + recv.size()) * sizeof(double));
    // recv holds shard 0's block, shard 1's block, ... in shard order: sum in that order.
    std::vector<double> losses(width, 0.0);
    for (std::size_t s = 0; s < total_shards; ++s)
        for (std::size_t t = 0; t < width; ++t) losses[t] += recv[s * width + t];
    for (double& l : losses) l = -l;
    return historical_tail_risk(comm, std::span<const double>(losses), alpha, type);
}

}  // namespace margincall::mpi

#endif  // MARGINCALL_HAS_MPI
