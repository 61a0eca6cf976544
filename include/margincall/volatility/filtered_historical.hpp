#pragma once
/// \file
/// Multi-day filtered historical simulation (FHS) through a fitted garch_family model: each
/// path draws standardised residuals ẑ with replacement from the model's own filtered history
/// and feeds them, day by day, through the mean and variance recursions,
///   r_{T+k} = m_{T+k} + σ_{T+k} ẑ_k,   σ²_{T+k+1} = next_variance(σ²_{T+k}, r_{T+k} − m_{T+k}),
///   m_{T+k+1} = μ + φ r_{T+k},
/// so volatility clustering and asymmetry over the horizon come from the model and the tails
/// from the data. The h-day return of a path is Σ_{k=1}^{h} r_{T+k} (log returns add up); VaR/ES
/// of the h-day loss are the historical estimates (risk/historical_simulation.hpp) of the paths.
/// Source: G. Barone-Adesi, K. Giannopoulos & L. Vosper, "VaR without correlations for
/// portfolios of derivative securities", J. Futures Markets 19(5) (1999) 583–602; G. Barone-Adesi,
/// F. Bourgoin & K. Giannopoulos, "Don't look back", Risk 11 (August 1998) 100–103.
/// Reproducible: std::mt19937_64 (its output sequence is fixed by the C++ standard) seeded by
/// the caller, the index drawn as ⌊u n⌋ with u from the top 53 bits (not
/// std::uniform_int_distribution, whose algorithm differs between standard libraries); paths
/// are simulated one after another, so a seed gives the same paths on every platform.
/// Tested: tests/volatility/filtered_historical.cpp (closed-form moments and quantiles of
/// simulated paths from residual pools with known moments).

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/volatility/garch_family.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace margincall {

/// Writes the h-day return Σ_{k=1}^{h} r_{T+k} of one simulated path per element of
/// `path_returns`, starting from `state` (garch_family::filter's result) and drawing from
/// `standardized_residuals` (the filter's z_t, or any pool of unit-variance shocks).
/// \throws margincall::invalid_argument for an empty or non-finite pool, horizon 0, no paths or
///         a bad state; numeric_error when a path's variance overflows
template <real_scalar Real>
void simulate_filtered_historical(const garch_family<Real>& model, const garch_family_state<Real>& state,
                                  std::span<const Real> standardized_residuals, std::size_t horizon,
                                  std::uint64_t seed, std::span<Real> path_returns) {
    using std::sqrt;
    constexpr const char* where = "simulate_filtered_historical";
    check_not_empty(where, "standardized_residuals", standardized_residuals);
    check_all_finite(where, "standardized_residuals", standardized_residuals);
    if (horizon == 0) throw_invalid_argument(where, "horizon", horizon, ">= 1");
    check_not_empty(where, "path_returns", std::span<const Real>(path_returns));
    check_finite(where, "state.next_mean", state.next_mean);
    check_positive(where, "state.next_variance", state.next_variance);
    std::mt19937_64 engine(seed);
    const double pool = static_cast<double>(standardized_residuals.size());
    for (Real& total : path_returns) {
        Real mean = state.next_mean;
        Real variance = state.next_variance;
        Real sum(0);
        for (std::size_t k = 0; k < horizon; ++k) {
            const double u = static_cast<double>(engine() >> 11) * 0x1.0p-53;  // [0, 1)
            const Real z = standardized_residuals[static_cast<std::size_t>(u * pool)];
            const Real residual = Real(sqrt(variance)) * z;
            const Real r = mean + residual;
            sum += r;
            variance = model.next_variance(variance, residual);
            mean = model.conditional_mean(r);
        }
        if (!detail::is_finite(sum) || !detail::is_finite(variance))
            throw_numeric_error(where, "a simulated path", sum, "finite (the variance recursion overflowed over this horizon)");
        total = sum;
    }
}

/// VaR_α and ES_α of the h-day loss −Σ r over `paths` simulated paths (historical_simulation,
/// Hyndman–Fan type 1 quantile and Acerbi–Tasche ES, of the simulated P&L).
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> filtered_historical_tail_risk(const garch_family<Real>& model,
                                                            const garch_family_state<Real>& state,
                                                            std::span<const Real> standardized_residuals,
                                                            std::size_t horizon, std::size_t paths,
                                                            std::uint64_t seed, Real alpha) {
    check_probability("filtered_historical_tail_risk", "alpha", alpha);
    std::vector<Real> returns(paths);
    simulate_filtered_historical(model, state, standardized_residuals, horizon, seed, std::span<Real>(returns));
    return historical_simulation<Real>(quantile_type::type1, sample_sign::profit_and_loss)
        .estimate(std::span<const Real>(returns), alpha);
}

}  // namespace margincall
