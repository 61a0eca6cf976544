#pragma once
/// \file
/// Monte Carlo of shocks through a cascade simulator: the distributions of bad debt and of
/// liquidated volume over many runs, and their VaR and ES from a `tail_estimator` of the
/// risk layer (historical simulation by default: Hyndman–Fan type 1 quantile and the
/// Acerbi–Tasche ES).
///
/// Each run draws one shock from the caller's sampler with the caller's generator, so the whole
/// experiment is reproducible from the seed. Runs share one workspace: a run costs what it
/// touches, not the size of the books.
/// The Philox overload is the parallel-capable one: run r draws its shock from
/// streams.stream_for(r) (parallel/philox.hpp), runs go in fixed chunks of 16 on an executor
/// (sequential by default), one workspace per chunk, so the bad-debt distribution is
/// bit-identical for any executor and worker count (issue #16). The generator overload keeps
/// its one sequential stream (the numbers existing tests pin).
/// \test tests/cascade/cascade_monte_carlo.cpp

#include <margincall/cascade/cascade_simulator.hpp>
#include <margincall/cascade/cascade_workspace.hpp>
#include <margincall/cascade/exogenous_shock.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/parallel/philox.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <concepts>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

namespace margincall {

/// The samples of a Monte Carlo of cascades and their tail risk at one confidence level.
template <std::floating_point Real = double>
struct cascade_distribution {
    std::vector<Real> bad_debt;             ///< per run: cash bad debt + open positions' negative equity, all venues
    std::vector<Real> liquidated_notional;  ///< per run: Σ liquidated notional, all venues
    std::vector<Real> drawdown;             ///< per run: (start − lowest mark)/start
    tail_risk<Real> bad_debt_risk{};        ///< VaR_α and ES_α of bad debt
    tail_risk<Real> liquidated_risk{};      ///< VaR_α and ES_α of liquidated notional
    std::size_t unconverged_runs{0};        ///< runs stopped by max_steps before their fixed point
};

namespace detail {
template <std::floating_point Real>
void check_cascade_monte_carlo(std::size_t runs, Real alpha) {
    constexpr const char* where = "cascade_monte_carlo";
    if (runs == 0) throw_invalid_argument(where, "runs", runs, ">= 1");
    check_probability(where, "alpha", alpha);
}
}  // namespace detail

/// Runs `runs` shocks drawn by `sampler(generator)` (returning an exogenous_shock<Real>)
/// through `simulator` and estimates VaR/ES at `alpha` with `estimator`.
/// \throws margincall::invalid_argument for runs = 0 or α ∉ (0, 1), and whatever a run throws
template <std::floating_point Real, class Simulator, class Sampler, std::uniform_random_bit_generator Generator,
          class Estimator = historical_simulation<Real>>
    requires std::invocable<Sampler&, Generator&> && tail_estimator<Estimator, Real>
[[nodiscard]] cascade_distribution<Real> cascade_monte_carlo(const Simulator& simulator, std::size_t runs,
                                                             Sampler&& sampler, Generator& generator, Real alpha,
                                                             const Estimator& estimator = Estimator{}) {
    detail::check_cascade_monte_carlo(runs, alpha);
    cascade_distribution<Real> out;
    out.bad_debt.reserve(runs);
    out.liquidated_notional.reserve(runs);
    out.drawdown.reserve(runs);
    cascade_workspace<Real> ws;
    for (std::size_t r = 0; r < runs; ++r) {
        const exogenous_shock<Real> shock = sampler(generator);
        const auto result = simulator.run(shock, ws);
        out.bad_debt.push_back(result.total_bad_debt());
        out.liquidated_notional.push_back(result.total_liquidated_notional());
        out.drawdown.push_back(result.drawdown);
        if (!result.converged) ++out.unconverged_runs;
    }
    out.bad_debt_risk = estimator.estimate(std::span<const Real>(out.bad_debt), alpha);
    out.liquidated_risk = estimator.estimate(std::span<const Real>(out.liquidated_notional), alpha);
    return out;
}

/// One run's figures: what cascade_distribution keeps per run.
template <std::floating_point Real = double>
struct cascade_run_figures {
    Real bad_debt{};
    Real liquidated_notional{};
    Real drawdown{};
    bool converged{true};
};

/// Runs [begin, end) of a Philox Monte Carlo of cascades: run r draws its shock by
/// sampler(stream) with stream = streams.stream_for(r) and its figures go to out[r − begin].
/// Fixed chunks of 16 runs on `exec`, one workspace per chunk. cascade_monte_carlo is this over
/// [0, runs); a process of a distributed run (mpi/) calls it on its share. The simulator (const,
/// reentrant with one workspace per thread) and the sampler are called concurrently when the
/// executor has several workers.
/// 	hrows margincall::invalid_argument for begin > end or an `out` of another size than
///         end − begin, and the first error a run throws
template <std::floating_point Real, class Simulator, class Sampler, executor Executor = sequential_executor>
    requires std::invocable<const Sampler&, philox_stream&>
void cascade_monte_carlo_runs(const Simulator& simulator, const Sampler& sampler, const philox_streams& streams,
                              std::size_t begin, std::size_t end, std::span<cascade_run_figures<Real>> out,
                              const Executor& exec = Executor{}) {
    constexpr const char* where = "cascade_monte_carlo_runs";
    if (begin > end) throw_invalid_argument(where, "begin", begin, detail::message("<= end (", end, ")").c_str());
    if (out.size() != end - begin)
        throw_invalid_argument(where, "the size of out", out.size(), detail::message("end - begin (", end - begin, ")").c_str());
    for_each_chunk(exec, fixed_chunks(end - begin, 16), [&](std::size_t, std::size_t lo, std::size_t hi) {
        cascade_workspace<Real> ws;
        for (std::size_t i = lo; i < hi; ++i) {
            philox_stream stream = streams.stream_for(begin + i);
            const exogenous_shock<Real> shock = sampler(stream);
            const auto result = simulator.run(shock, ws);
            out[i] = {result.total_bad_debt(), result.total_liquidated_notional(), result.drawdown, result.converged};
        }
    });
}

/// Runs `runs` shocks through `simulator`, run r drawing its shock by sampler(stream) with
/// stream = streams.stream_for(r), on `exec` (sequential by default), and estimates VaR/ES at
/// `alpha` with `estimator`. The simulator (const, reentrant with one workspace per thread) and
/// the sampler are called concurrently when the executor has several workers: the sampler must be
/// safe to call from several threads at once. Bit-identical for any executor and worker count.
/// \throws margincall::invalid_argument for runs = 0 or α ∉ (0, 1), and the first error a run throws
template <std::floating_point Real, class Simulator, class Sampler, class Estimator = historical_simulation<Real>,
          executor Executor = sequential_executor>
    requires std::invocable<const Sampler&, philox_stream&> && tail_estimator<Estimator, Real>
[[nodiscard]] cascade_distribution<Real> cascade_monte_carlo(const Simulator& simulator, std::size_t runs,
                                                             const Sampler& sampler, const philox_streams& streams,
                                                             Real alpha, const Estimator& estimator = Estimator{},
                                                             const Executor& exec = Executor{}) {
    detail::check_cascade_monte_carlo(runs, alpha);
    std::vector<cascade_run_figures<Real>> figures(runs);
    cascade_monte_carlo_runs(simulator, sampler, streams, 0, runs, std::span<cascade_run_figures<Real>>(figures), exec);
    cascade_distribution<Real> out;
    out.bad_debt.reserve(runs);
    out.liquidated_notional.reserve(runs);
    out.drawdown.reserve(runs);
    for (const auto& f : figures) {
        out.bad_debt.push_back(f.bad_debt);
        out.liquidated_notional.push_back(f.liquidated_notional);
        out.drawdown.push_back(f.drawdown);
        if (!f.converged) ++out.unconverged_runs;
    }
    out.bad_debt_risk = estimator.estimate(std::span<const Real>(out.bad_debt), alpha);
    out.liquidated_risk = estimator.estimate(std::span<const Real>(out.liquidated_notional), alpha);
    return out;
}

}  // namespace margincall
