#pragma once
/// \file
/// Monte Carlo VaR/ES (linear and full revaluation) and the Monte Carlo of cascade bad debt with
/// their paths split over MPI ranks. A path's random numbers come from its Philox stream keyed by
/// its global index (parallel/philox.hpp) and the split cuts only between the fixed chunks the
/// single-process run uses, so every path's loss is the same number wherever it runs; each rank
/// keeps the tail candidates of its share and rank 0 merges them exactly (distributed_tail.hpp).
/// The VaR and ES returned on every rank equal the single-process Philox overloads'
/// (monte_carlo_var::linear / full_revaluation, cascade_monte_carlo) bit for bit, for any rank
/// count. Communication per call: the tail candidates (O(ranks · n(1 − α)) values) and, for
/// the cascade, one partial sum per fixed chunk of runs; never the paths.
/// \test tests/mpi/distributed.cpp

#if defined(MARGINCALL_HAS_MPI)

#include <margincall/cascade/cascade_monte_carlo.hpp>
#include <margincall/core/error.hpp>
#include <margincall/mpi/communicator.hpp>
#include <margincall/mpi/distributed_tail.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/philox.hpp>
#include <margincall/parallel/tail_merge.hpp>
#include <margincall/risk/monte_carlo_var.hpp>

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace margincall::mpi {

namespace detail {

// The fresh-scenario share [begin, end) of this rank, cut at multiples of `chunk`, after all
// ranks agree on the run's parameters; throws on every rank when there are fewer chunks than
// ranks (a rank would have no work).
inline share scenario_share(communicator& comm, const char* where, const philox_streams& streams,
                            const monte_carlo_options& options, double alpha, std::size_t fresh, std::size_t chunk) {
    comm.agree_equal(where, "options.scenarios", options.scenarios);
    comm.agree_equal(where, "options.antithetic", options.antithetic ? 1 : 0);
    comm.agree_equal(where, "the seed of the streams", streams.seed());
    comm.agree_equal(where, "alpha (its bits)", std::bit_cast<std::uint64_t>(alpha));
    const std::size_t chunks = fixed_chunks(fresh, chunk).count();
    comm.agree_on([&] {
        if (chunks < static_cast<std::size_t>(comm.size()))
            throw_invalid_argument(where, "the number of ranks", comm.size(),
                                   margincall::detail::message("<= the scenario chunks of the run (", chunks, " of ", chunk,
                                                               " fresh scenarios)")
                                       .c_str());
    });
    const share s = share_of(chunks, comm.rank(), comm.size());
    return {s.begin * chunk, std::min(fresh, s.end * chunk)};
}

// Runs `losses(begin, end, emit)` on this rank's share and merges the tails exactly.
template <class Losses>
tail_risk<double> distributed_scenarios(communicator& comm, const char* where, const philox_streams& streams,
                                        const monte_carlo_options& options, double alpha, std::size_t chunk,
                                        Losses&& losses) {
    const std::size_t fresh = monte_carlo_var<double>::fresh_count(options);
    const share mine = scenario_share(comm, where, streams, options, alpha, fresh, chunk);
    std::vector<double> local((mine.end - mine.begin) * (options.antithetic ? 2 : 1));
    const std::size_t half = mine.end - mine.begin;
    comm.agree_on([&] {
        losses(mine.begin, mine.end, [&](std::size_t s, double loss) {
            // Fresh scenario s, or its antithetic twin s + fresh.
            local[s >= fresh ? half + (s - fresh - mine.begin) : s - mine.begin] = loss;
        });
    });
    tail_candidates<double> part(tail_candidate_count(options.scenarios, alpha, options.type));
    part.add(std::span<const double>(local));
    return gather_tail(comm, part, alpha, options.type);
}

}  // namespace detail

/// monte_carlo_var::linear (Philox overload) with the scenarios split over the ranks of `comm`;
/// every rank passes the same model, book, α, streams and options. `exec` runs this rank's chunks
/// (threads within a rank). Returns VaR and ES on every rank, equal bit for bit to the
/// single-process call.
/// \throws margincall::invalid_argument on every rank for bad input on any rank, parameters that
///         differ between ranks, or fewer scenario chunks (of monte_carlo_var::linear_chunk) than ranks
template <executor Executor = sequential_executor>
tail_risk<double> monte_carlo_var_linear(communicator& comm, const monte_carlo_var<double>& model,
                                         std::span<const double> positions, double alpha, const philox_streams& streams,
                                         const monte_carlo_options& options = {}, const Executor& exec = Executor{}) {
    constexpr const char* where = "margincall::mpi::monte_carlo_var_linear";
    comm.agree_on([&] {
        check_probability(where, "alpha", alpha);
        if (options.scenarios == 0) throw_invalid_argument(where, "options.scenarios", 0, "> 0");
    });
    return detail::distributed_scenarios(comm, where, streams, options, alpha, monte_carlo_var<double>::linear_chunk,
                                         [&](std::size_t begin, std::size_t end, auto&& emit) {
                                             model.linear_losses(positions, streams, options, begin, end, emit, exec);
                                         });
}

/// monte_carlo_var::full_revaluation (Philox overload) with the scenarios split over the ranks of
/// `comm`, as monte_carlo_var_linear; the pricer runs on every rank (on `exec`'s workers).
template <class Pricer, executor Executor = sequential_executor>
    requires std::is_invocable_r_v<double, const Pricer&, std::span<const double>>
tail_risk<double> monte_carlo_var_full_revaluation(communicator& comm, const monte_carlo_var<double>& model,
                                                   const Pricer& pricer, double alpha, const philox_streams& streams,
                                                   const monte_carlo_options& options = {},
                                                   const Executor& exec = Executor{}) {
    constexpr const char* where = "margincall::mpi::monte_carlo_var_full_revaluation";
    comm.agree_on([&] {
        check_probability(where, "alpha", alpha);
        if (options.scenarios == 0) throw_invalid_argument(where, "options.scenarios", 0, "> 0");
    });
    return detail::distributed_scenarios(comm, where, streams, options, alpha,
                                         monte_carlo_var<double>::revaluation_chunk,
                                         [&](std::size_t begin, std::size_t end, auto&& emit) {
                                             model.revaluation_losses(pricer, streams, options, begin, end, emit, exec);
                                         });
}

/// What a distributed Monte Carlo of cascades reports on every rank: the tail risk of bad debt
/// and of liquidated notional (historical simulation, type-1 quantile), their means (each the
/// fixed pairwise sum of per-chunk sums of `run_chunk` runs, divided by the run count: the same
/// on any rank count), and how many runs stopped before their fixed point.
struct cascade_summary {
    tail_risk<double> bad_debt_risk{};
    tail_risk<double> liquidated_risk{};
    double mean_bad_debt{0};
    double mean_liquidated_notional{0};
    std::uint64_t unconverged_runs{0};
    std::uint64_t runs{0};
};

/// Runs of a cascade Monte Carlo per fixed chunk of the mean's partial sums.
inline constexpr std::size_t run_chunk = 64;

/// cascade_monte_carlo (Philox overload) with the runs split over the ranks of `comm`: run r
/// draws from streams.stream_for(r) wherever it runs. The VaR/ES equal the single-process
/// cascade_monte_carlo's (historical_simulation estimator) bit for bit; `exec` runs this rank's
/// runs (threads within a rank).
/// \throws margincall::invalid_argument on every rank for runs = 0, α ∉ (0, 1), parameters that
///         differ between ranks, fewer run chunks (of run_chunk) than ranks, or a run's error
template <class Simulator, class Sampler, executor Executor = sequential_executor>
    requires std::invocable<const Sampler&, philox_stream&>
cascade_summary cascade_monte_carlo(communicator& comm, const Simulator& simulator, std::size_t runs,
                                    const Sampler& sampler, const philox_streams& streams, double alpha,
                                    const Executor& exec = Executor{}) {
    constexpr const char* where = "margincall::mpi::cascade_monte_carlo";
    comm.agree_equal(where, "runs", runs);
    comm.agree_equal(where, "the seed of the streams", streams.seed());
    comm.agree_equal(where, "alpha (its bits)", std::bit_cast<std::uint64_t>(alpha));
    const std::size_t chunks = runs / run_chunk + (runs % run_chunk != 0 ? 1 : 0);
    comm.agree_on([&] {
        if (runs == 0) throw_invalid_argument(where, "runs", runs, ">= 1");
        check_probability(where, "alpha", alpha);
        if (chunks < static_cast<std::size_t>(comm.size()))
            throw_invalid_argument(where, "the number of ranks", comm.size(),
                                   margincall::detail::message("<= the run chunks (", chunks, " of ", run_chunk,
                                                               " runs)")
                                       .c_str());
    });
    const share mine_chunks = share_of(chunks, comm.rank(), comm.size());
    const std::size_t begin = mine_chunks.begin * run_chunk, end = std::min(runs, mine_chunks.end * run_chunk);
    std::vector<cascade_run_figures<double>> figures(end - begin);
    comm.agree_on([&] {
        cascade_monte_carlo_runs(simulator, sampler, streams, begin, end,
                                 std::span<cascade_run_figures<double>>(figures), exec);
    });
    const std::size_t k = tail_candidate_count(runs, alpha);
    tail_candidates<double> bad(k), liquidated(k);
    // Per-chunk sums of this rank's chunks (bad debt, liquidated notional), in run order.
    std::vector<double> sums(2 * (mine_chunks.end - mine_chunks.begin), 0.0);
    std::uint64_t unconverged = 0;
    for (std::size_t i = 0; i < figures.size(); ++i) {
        const auto& f = figures[i];
        bad.add(f.bad_debt);
        liquidated.add(f.liquidated_notional);
        sums[2 * (i / run_chunk)] += f.bad_debt;
        sums[2 * (i / run_chunk) + 1] += f.liquidated_notional;
        unconverged += f.converged ? 0 : 1;
    }
    cascade_summary out;
    out.runs = runs;
    out.bad_debt_risk = gather_tail(comm, bad, alpha);
    out.liquidated_risk = gather_tail(comm, liquidated, alpha);
    out.unconverged_runs = total_count(comm, unconverged);
    // Gather the chunk sums on rank 0 in chunk order, combine by the fixed pairwise tree.
    std::vector<int> lengths(static_cast<std::size_t>(comm.size())), offsets(lengths.size());
    for (int r = 0; r < comm.size(); ++r) {
        const share s = share_of(chunks, r, comm.size());
        lengths[static_cast<std::size_t>(r)] = static_cast<int>(2 * (s.end - s.begin));
        offsets[static_cast<std::size_t>(r)] = static_cast<int>(2 * s.begin);
    }
    std::vector<double> all(comm.is_root() ? 2 * chunks : 0);
    MPI_Gatherv(sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, all.data(), lengths.data(), offsets.data(),
                MPI_DOUBLE, 0, comm.native());
    comm.count(sums.size() * sizeof(double) + all.size() * sizeof(double));
    double means[2] = {0.0, 0.0};
    if (comm.is_root()) {
        std::vector<double> bad_sums(chunks), liquidated_sums(chunks);
        for (std::size_t c = 0; c < chunks; ++c) {
            bad_sums[c] = all[2 * c];
            liquidated_sums[c] = all[2 * c + 1];
        }
        const auto add = [](double a, double b) { return a + b; };
        means[0] = pairwise_combine(std::move(bad_sums), 0.0, add) / static_cast<double>(runs);
        means[1] = pairwise_combine(std::move(liquidated_sums), 0.0, add) / static_cast<double>(runs);
    }
    MPI_Bcast(means, 2, MPI_DOUBLE, 0, comm.native());
    comm.count(2 * sizeof(double));
    out.mean_bad_debt = means[0];
    out.mean_liquidated_notional = means[1];
    return out;
}

}  // namespace margincall::mpi

#endif  // MARGINCALL_HAS_MPI
