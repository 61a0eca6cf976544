#pragma once
/// \file
/// Monte Carlo of bad debt across the venues of a cross-protocol simulation: per run and per
/// venue the bad debt (perp: cash bad debt plus the open positions' negative equity, as
/// cascade_outcome::total_bad_debt; lending: the numeraire value written off), the distribution
/// of the total, VaR_α and ES_α of the total and of each venue from a `tail_estimator` of the
/// risk layer (historical simulation by default: Hyndman–Fan type 1 quantile and the
/// Acerbi–Tasche ES, as cascade_monte_carlo), and each venue's probability of insolvency: the
/// share of runs whose bad debt exceeds the venue's reserve (a lending venue's `reserve`; a perp
/// venue's insurance fund has already paid what it could, so any bad debt left is insolvency).
///
/// Reproducible run by run: run r draws its path from a std::mt19937_64 seeded with
/// std::seed_seq{seed_lo, seed_hi, r_lo, r_hi}, so a run's result depends on (seed, r) only,
/// not on the runs before it: a parallel execution of the runs gives the same samples.
/// \test tests/lending/cross_protocol_monte_carlo.cpp

#include <margincall/cascade/cross_protocol.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace margincall {

/// The samples of a cross-protocol Monte Carlo and their tail risk at one confidence level.
template <std::floating_point Real = double>
struct cross_protocol_distribution {
    std::vector<Real> bad_debt;                    ///< per run: Σ over the venues
    std::vector<std::vector<Real>> venue_bad_debt; ///< [venue][run]: perp venues first, then the lending venues
    tail_risk<Real> bad_debt_risk{};               ///< VaR_α and ES_α of the total
    std::vector<tail_risk<Real>> venue_risk;       ///< per venue
    std::vector<Real> insolvency_probability;      ///< per venue: share of runs with bad debt > its reserve
    std::size_t unconverged_runs{0};
};

/// The generator of run `run` under `seed` (the per-run seeding described in the file comment).
[[nodiscard]] inline std::mt19937_64 cross_protocol_run_generator(std::uint64_t seed, std::uint64_t run) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32U),
                      static_cast<std::uint32_t>(run), static_cast<std::uint32_t>(run >> 32U)};
    return std::mt19937_64(seq);
}

/// Runs `runs` paths, path r drawn by `sampler(generator_r, r)` (returning a
/// cross_protocol_path<Real>), through `simulator`, and estimates VaR/ES at `alpha`.
/// \throws margincall::invalid_argument for runs = 0 or α ∉ (0, 1), and whatever a run throws
template <std::floating_point Real, class Liquidation, class Sampler, class Estimator = historical_simulation<Real>>
    requires std::invocable<Sampler&, std::mt19937_64&, std::size_t> && tail_estimator<Estimator, Real>
[[nodiscard]] cross_protocol_distribution<Real> cross_protocol_monte_carlo(
    const cross_protocol_simulator<Real, Liquidation>& simulator, std::size_t runs, Sampler&& sampler, std::uint64_t seed,
    Real alpha, const Estimator& estimator = Estimator{}) {
    constexpr const char* where = "cross_protocol_monte_carlo";
    if (runs == 0) throw_invalid_argument(where, "runs", runs, ">= 1");
    check_probability(where, "alpha", alpha);
    const std::size_t perps = simulator.perp_venues();
    const auto lendings = simulator.lending_venues();
    const std::size_t venues = perps + lendings.size();
    cross_protocol_distribution<Real> out;
    out.bad_debt.reserve(runs);
    out.venue_bad_debt.assign(venues, {});
    std::vector<std::size_t> insolvent(venues, 0);
    std::vector<cascade_workspace<Real>> ws;
    for (std::size_t r = 0; r < runs; ++r) {
        auto generator = cross_protocol_run_generator(seed, r);
        const cross_protocol_path<Real> path = sampler(generator, r);
        const auto result = simulator.run(path, ws);
        for (std::size_t v = 0; v < perps; ++v) {
            const Real b = result.perp[v].total_bad_debt();
            out.venue_bad_debt[v].push_back(b);
            insolvent[v] += b > 0 ? 1U : 0U;
        }
        for (std::size_t v = 0; v < lendings.size(); ++v) {
            const Real b = result.lending_bad_debt[v];
            out.venue_bad_debt[perps + v].push_back(b);
            insolvent[perps + v] += b > lendings[v].reserve ? 1U : 0U;
        }
        out.bad_debt.push_back(result.total_bad_debt());
        if (!result.converged) ++out.unconverged_runs;
    }
    out.bad_debt_risk = estimator.estimate(std::span<const Real>(out.bad_debt), alpha);
    for (std::size_t v = 0; v < venues; ++v) {
        out.venue_risk.push_back(estimator.estimate(std::span<const Real>(out.venue_bad_debt[v]), alpha));
        out.insolvency_probability.push_back(static_cast<Real>(insolvent[v]) / static_cast<Real>(runs));
    }
    return out;
}

}  // namespace margincall
