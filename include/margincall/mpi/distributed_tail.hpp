#pragma once
/// \file
/// Exact VaR/ES of a loss sample split over MPI ranks: each rank keeps the k largest losses of
/// its part (parallel/tail_merge.hpp's tail_candidates, k = tail_candidate_count(n, α) for the
/// whole sample's n), rank 0 gathers the candidates and estimates, and broadcasts VaR and ES.
/// The result equals historical_simulation::estimate on the whole sample bit for bit (both read
/// the same order statistics and sum ES's excesses order-independently), for any rank count.
/// Communication: at most k values and a count per rank to rank 0 (O(ranks · n(1 − α))), and
/// two values back; never the sample.
/// \test tests/mpi/distributed.cpp

#if defined(MARGINCALL_HAS_MPI)

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/mpi/communicator.hpp>
#include <margincall/parallel/tail_merge.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/quantile.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <mpi.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace margincall::mpi {

/// The total of a per-rank count over all ranks (an allreduce; counted in the traffic).
[[nodiscard]] inline std::uint64_t total_count(communicator& comm, std::uint64_t local) {
    std::uint64_t total = 0;
    MPI_Allreduce(&local, &total, 1, MPI_UINT64_T, MPI_SUM, comm.native());
    comm.count(2 * sizeof(std::uint64_t));
    return total;
}

/// Gathers every rank's candidates on rank 0, estimates VaR_α and ES_α of all the losses seen
/// (historical simulation with quantile `type`), and returns them on every rank. Each rank's
/// `part` must have a capacity of at least tail_candidate_count(total seen, α, type).
/// \throws margincall::invalid_argument on every rank when any rank's part is too small, or α
///         differs between ranks, or nothing was seen anywhere
inline tail_risk<double> gather_tail(communicator& comm, const tail_candidates<double>& part, double alpha,
                                     quantile_type type = quantile_type::type1) {
    constexpr const char* where = "margincall::mpi::gather_tail";
    comm.agree_equal(where, "alpha (its bits)", std::bit_cast<std::uint64_t>(alpha));
    const std::uint64_t seen = total_count(comm, part.seen());
    comm.agree_on([&] {
        if (seen == 0) throw_invalid_argument(where, "the number of losses seen on all ranks", 0, ">= 1");
        check_probability(where, "alpha", alpha);
        const std::size_t needed = tail_candidate_count(static_cast<std::size_t>(seen), alpha, type);
        if (part.capacity() < needed)
            throw_invalid_argument(where, "this rank's candidate capacity", part.capacity(),
                                   detail::message(">= ", needed, ", the losses VaR and ES read from ", seen).c_str());
    });
    // Each rank sends its min(capacity, seen) largest losses and its count.
    const std::vector<double> mine = part.largest();
    const int size = comm.size();
    int length = static_cast<int>(mine.size());
    std::vector<int> lengths(comm.is_root() ? static_cast<std::size_t>(size) : 0);
    MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, comm.native());
    std::uint64_t my_seen = part.seen();
    std::vector<std::uint64_t> seens(comm.is_root() ? static_cast<std::size_t>(size) : 0);
    MPI_Gather(&my_seen, 1, MPI_UINT64_T, seens.data(), 1, MPI_UINT64_T, 0, comm.native());
    std::vector<int> offsets(lengths.size());
    std::size_t all = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
        offsets[r] = static_cast<int>(all);
        all += static_cast<std::size_t>(lengths[r]);
    }
    std::vector<double> values(all);
    MPI_Gatherv(mine.data(), length, MPI_DOUBLE, values.data(), lengths.data(), offsets.data(), MPI_DOUBLE, 0,
                comm.native());
    comm.count(sizeof(int) + sizeof(std::uint64_t) + mine.size() * sizeof(double) +
               (comm.is_root() ? all * sizeof(double) + lengths.size() * (sizeof(int) + sizeof(std::uint64_t)) : 0));
    double result[2] = {0.0, 0.0};
    if (comm.is_root()) {
        tail_candidates<double> merged(part.capacity());
        for (std::size_t r = 0; r < lengths.size(); ++r)
            merged.merge(std::span<const double>(values.data() + offsets[r], static_cast<std::size_t>(lengths[r])),
                         static_cast<std::size_t>(seens[r]));
        const auto risk = merged.estimate(alpha, type);
        result[0] = risk.value_at_risk;
        result[1] = risk.expected_shortfall;
    }
    MPI_Bcast(result, 2, MPI_DOUBLE, 0, comm.native());
    comm.count(2 * sizeof(double));
    return {result[0], result[1]};
}

/// Exact historical VaR_α and ES_α of a loss sample split over the ranks (`local` is this rank's
/// part, any size, possibly empty), on every rank; equal bit for bit to
/// historical_simulation<double>{type}.estimate on the concatenated sample.
/// \throws margincall::invalid_argument on every rank for an empty total sample, α ∉ (0, 1) or
///         differing between ranks, or a non-finite loss on any rank
inline tail_risk<double> historical_tail_risk(communicator& comm, std::span<const double> local, double alpha,
                                              quantile_type type = quantile_type::type1) {
    constexpr const char* where = "margincall::mpi::historical_tail_risk";
    comm.agree_on([&] {
        check_probability(where, "alpha", alpha);
        check_all_finite<double>(where, "this rank's losses", local);
    });
    const std::uint64_t n = total_count(comm, local.size());
    comm.agree_on([&] {
        if (n == 0) throw_invalid_argument(where, "the number of losses on all ranks", 0, ">= 1");
    });
    const std::size_t needed = tail_candidate_count(static_cast<std::size_t>(n), alpha, type);
    tail_candidates<double> part(needed);
    if (!local.empty()) {
        // The rank's candidates by the estimator's one-pass threshold filter, not a copy of its
        // whole share (risk/historical_simulation.hpp; exact: it falls back to a copy itself).
        historical_workspace<double> ws;
        const auto kept = detail::top_candidates(where, local, 1.0, std::min(needed, local.size()), ws);
        part.merge(std::span<const double>(kept.data(), kept.size()), local.size());
    }
    return gather_tail(comm, part, alpha, type);
}

}  // namespace margincall::mpi

#endif  // MARGINCALL_HAS_MPI
