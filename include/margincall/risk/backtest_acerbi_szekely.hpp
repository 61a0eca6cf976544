#pragma once
/// \file
/// The Acerbi–Szekely Z2 ("testing ES directly") backtest of Expected Shortfall forecasts,
/// with a seeded Monte Carlo p-value.
///
/// In the paper's return terms (X_t = −L_t, VaR and ES positive, tail probability p = 1 − α):
///   Z2 = Σ_t X_t I_t / (T p ES_t) + 1,   I_t = 1{X_t + VaR_t < 0};
/// in loss terms, the form used here:
///   Z2 = 1 − Σ_t L_t 1{L_t > VaR_t} / (T p ES_t).
/// E_H0[Z2] = 0; Z2 < 0 means the realised tail is worse than forecast (risk underestimated).
/// The test is one-sided: p-value = P_H0(Z2 ≤ z_observed), estimated by simulating M paths
/// L_t^(i) ~ F_t from the forecast distributions: p ≈ (1/M) Σ_i 1{Z2^(i) ≤ z}.
/// Source: C. Acerbi and B. Szekely, "Backtesting Expected Shortfall", Risk, December 2014
/// (MSCI research insight), Test 2 and its simulation procedure for the significance.
/// Tested: tests/risk/backtest_acerbi_szekely.cpp (hand computation; T = 1 closed form of the
/// p-value; E_H0[Z2] = 0 within Monte Carlo error).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <random>
#include <span>

namespace margincall {

/// Z2 test result.
template <real_scalar Real = double>
struct acerbi_szekely_result {
    Real statistic;            ///< Z2 of the realised losses
    Real p_value;              ///< Monte Carlo estimate of P_H0(Z2 ≤ statistic)
    Real p_value_standard_error;  ///< sqrt(p (1 − p) / M), the Monte Carlo error of p_value
    std::size_t exceptions;    ///< #{t : L_t > VaR_t}
    std::size_t simulations;   ///< M
    /// True when H0 (the ES forecasts are right) is rejected at `significance`.
    [[nodiscard]] bool rejects(Real significance) const noexcept { return p_value < significance; }
};

namespace detail {
template <real_scalar Real>
void check_z2_inputs(const char* where, std::span<const Real> losses, std::span<const Real> value_at_risk,
                     std::span<const Real> expected_shortfall, const Real& confidence) {
    check_probability(where, "confidence", confidence);
    check_not_empty(where, "losses", losses);
    if (value_at_risk.size() != losses.size())
        throw_invalid_argument(where, "the size of value_at_risk", value_at_risk.size(),
                               message("the size of losses (", losses.size(), ")").c_str());
    if (expected_shortfall.size() != losses.size())
        throw_invalid_argument(where, "the size of expected_shortfall", expected_shortfall.size(),
                               message("the size of losses (", losses.size(), ")").c_str());
    check_all_finite(where, "losses", losses);
    check_all_finite(where, "value_at_risk", value_at_risk);
    for (std::size_t t = 0; t < expected_shortfall.size(); ++t)
        check_positive(where, message("expected_shortfall[", t, "]"), expected_shortfall[t]);
}

/// Σ_t L_t 1{L_t > VaR_t} / ES_t over validated data, with the exception count.
template <real_scalar Real, class LossAt>
Real z2_tail_sum(std::size_t size, LossAt&& loss_at, std::span<const Real> value_at_risk,
                 std::span<const Real> expected_shortfall, std::size_t& exceptions) {
    Real sum(0);
    exceptions = 0;
    for (std::size_t t = 0; t < size; ++t) {
        const Real loss = loss_at(t);
        if (loss > value_at_risk[t]) {
            sum += loss / expected_shortfall[t];
            ++exceptions;
        }
    }
    return sum;
}
}  // namespace detail

/// Z2 = 1 − Σ_t L_t 1{L_t > VaR_t} / (T (1 − α) ES_t) of realised losses against VaR/ES forecasts.
/// Throws on empty or mismatched inputs, non-finite values, ES_t ≤ 0, α ∉ (0, 1).
template <real_scalar Real>
[[nodiscard]] Real acerbi_szekely_z2(std::span<const Real> losses, std::span<const Real> value_at_risk,
                                     std::span<const Real> expected_shortfall, Real confidence) {
    detail::check_z2_inputs("acerbi_szekely_z2", losses, value_at_risk, expected_shortfall, confidence);
    std::size_t exceptions = 0;
    const Real sum = detail::z2_tail_sum<Real>(losses.size(), [&](std::size_t t) { return losses[t]; },
                                               value_at_risk, expected_shortfall, exceptions);
    return Real(1) - sum / (static_cast<Real>(losses.size()) * (Real(1) - confidence));
}

/// The Z2 test with a Monte Carlo p-value. `sample_loss(t, generator)` draws one loss from the
/// day-t forecast distribution F_t (the one whose VaR and ES were forecast); it is called
/// T × `simulations` times, in order t = 0..T−1 within each simulation, so the result is
/// reproducible from the generator's seed. A non-finite simulated loss throws.
/// Performance: O(T M) sampler calls, no allocation.
template <real_scalar Real, class Sampler, std::uniform_random_bit_generator Generator>
    requires std::invocable<Sampler&, std::size_t, Generator&>
[[nodiscard]] acerbi_szekely_result<Real> acerbi_szekely_z2_test(
    std::span<const Real> losses, std::span<const Real> value_at_risk, std::span<const Real> expected_shortfall,
    Real confidence, Sampler&& sample_loss, Generator& generator, std::size_t simulations = 10000) {
    constexpr const char* where = "acerbi_szekely_z2_test";
    detail::check_z2_inputs(where, losses, value_at_risk, expected_shortfall, confidence);
    if (simulations == 0) throw_invalid_argument(where, "simulations", simulations, "> 0");
    const std::size_t size = losses.size();
    const Real scale = static_cast<Real>(size) * (Real(1) - confidence);
    std::size_t exceptions = 0;
    const Real observed =
        Real(1) - detail::z2_tail_sum<Real>(size, [&](std::size_t t) { return losses[t]; }, value_at_risk,
                                            expected_shortfall, exceptions) / scale;
    std::size_t at_or_below = 0;
    for (std::size_t i = 0; i < simulations; ++i) {
        std::size_t simulated_exceptions = 0;
        const Real z = Real(1) - detail::z2_tail_sum<Real>(
                                     size,
                                     [&](std::size_t t) {
                                         const Real loss = static_cast<Real>(sample_loss(t, generator));
                                         if (!detail::is_finite(loss))
                                             throw_invalid_argument(where, detail::message("sample_loss(", t, ")"), loss, "finite");
                                         return loss;
                                     },
                                     value_at_risk, expected_shortfall, simulated_exceptions) / scale;
        at_or_below += z <= observed ? 1U : 0U;
    }
    using std::sqrt;
    const Real p = static_cast<Real>(at_or_below) / static_cast<Real>(simulations);
    return {observed, p, Real(sqrt(p * (Real(1) - p) / static_cast<Real>(simulations))), exceptions, simulations};
}

}  // namespace margincall
