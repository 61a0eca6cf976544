#pragma once
/// \file
/// Christoffersen's independence and conditional-coverage tests of a VaR hit sequence.
///
/// Transition counts n_ij = #{t ≥ 2 : I_{t−1} = i, I_t = j} over the T − 1 transitions;
/// π01 = n01/(n00 + n01), π11 = n11/(n10 + n11), π = (n01 + n11)/(T − 1):
///   LR_ind = −2 ln[(1 − π)^{n00+n10} π^{n01+n11}]
///            + 2 ln[(1 − π01)^{n00} π01^{n01} (1 − π11)^{n10} π11^{n11}]  ~  χ²(1),
///   LR_cc  = LR_uc + LR_ind  ~  χ²(2),
/// with 0·ln 0 := 0, so a zero transition count (no clustered exceptions: n11 = 0, or no
/// exception before the last day: n10 + n11 = 0) gives a defined statistic.
/// Source: P. Christoffersen, "Evaluating interval forecasts", International Economic Review
/// 39(4), 1998, pp. 841–862 (LR_ind and LR_cc). LR_uc is Kupiec's on all T
/// observations (as in rugarch::VaRTest and MathWorks varbacktest.cc), so LR_cc = LR_uc + LR_ind
/// holds exactly. Tested: tests/risk/backtest_christoffersen.cpp against R
/// (tests/reference/backtest_christoffersen.R).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/backtest_kupiec.hpp>

#include <array>
#include <optional>
#include <cstddef>
#include <span>

namespace margincall {

/// Christoffersen (1998) backtest result.
template <real_scalar Real = double>
struct christoffersen_result {
    std::size_t observations;  ///< T
    std::size_t exceptions;    ///< x
    /// transitions[i][j] = n_ij, the number of days with I_{t−1} = i and I_t = j (T − 1 in all).
    std::array<std::array<std::size_t, 2>, 2> transitions;
    likelihood_ratio_test<Real> unconditional_coverage;  ///< LR_uc ~ χ²(1) (Kupiec)
    likelihood_ratio_test<Real> independence;            ///< LR_ind ~ χ²(1)
    likelihood_ratio_test<Real> conditional_coverage;    ///< LR_cc = LR_uc + LR_ind ~ χ²(2)
    /// π01 = n01/(n00 + n01), P(exception today | none yesterday); empty when n00 + n01 = 0.
    std::optional<Real> pi_01;
    /// π11 = n11/(n10 + n11), P(exception today | exception yesterday); empty when n10 + n11 = 0
    /// (no exception before the last day).
    std::optional<Real> pi_11;
    /// π = (n01 + n11)/(T − 1), the exception rate over the transitions (the i.i.d. fit).
    Real pi;
};

/// Christoffersen independence and conditional-coverage tests of a hit sequence (true = exception)
/// at confidence α. Needs at least two observations (one transition); throws otherwise.
template <real_scalar Real>
[[nodiscard]] christoffersen_result<Real> christoffersen_test(std::span<const bool> hits, Real confidence) {
    check_probability("christoffersen_test", "confidence", confidence);
    if (!(Real(1) - confidence < Real(1)))
        throw_invalid_argument("christoffersen_test", "confidence", confidence,
                               "large enough that 1 - confidence < 1 in the working precision");
    return christoffersen_test(hits, var_coverage<Real>::from_confidence(confidence));
}

/// Christoffersen tests at a coverage given either way (var_coverage::from_confidence(0.99) or
/// ::from_exception_probability(0.01)).
template <real_scalar Real>
[[nodiscard]] christoffersen_result<Real> christoffersen_test(std::span<const bool> hits,
                                                              const var_coverage<Real>& coverage) {
    if (hits.size() < 2)
        throw_invalid_argument("christoffersen_test", "the size of hits", hits.size(), ">= 2 (one transition)");
    std::array<std::array<std::size_t, 2>, 2> n{};
    std::size_t exceptions = hits[0] ? 1U : 0U;
    for (std::size_t t = 1; t < hits.size(); ++t) {
        ++n[hits[t - 1] ? 1U : 0U][hits[t] ? 1U : 0U];
        exceptions += hits[t] ? 1U : 0U;
    }
    const std::size_t from0 = n[0][0] + n[0][1];
    const std::size_t from1 = n[1][0] + n[1][1];
    const std::size_t to1 = n[0][1] + n[1][1];
    const Real transitions = static_cast<Real>(hits.size() - 1);
    // Each ratio is only evaluated when its count is positive, so no 0/0 arises.
    const Real pi = static_cast<Real>(to1) / transitions;
    const auto ll_term = [](std::size_t count, std::size_t total, const Real& probability) {
        // count · ln(count/total) − count · ln(probability), 0 when count = 0.
        if (count == 0) return Real(0);
        return detail::count_log_ratio(count, static_cast<Real>(count) / static_cast<Real>(total), probability);
    };
    // LR_ind = 2 Σ_ij n_ij ln(π_ij / π_j): the Markov-chain fit against the i.i.d. Bernoulli(π) fit.
    const Real lr_ind = Real(2) * (ll_term(n[0][0], from0, Real(1) - pi) + ll_term(n[0][1], from0, pi) +
                                   ll_term(n[1][0], from1, Real(1) - pi) + ll_term(n[1][1], from1, pi));
    const auto uc = kupiec_test(hits.size(), exceptions, coverage).unconditional_coverage;
    const auto ind = detail::chi_squared_test(lr_ind, 1);
    const auto ratio = [](std::size_t count, std::size_t total) -> std::optional<Real> {
        if (total == 0) return std::nullopt;
        return static_cast<Real>(count) / static_cast<Real>(total);
    };
    return {hits.size(), exceptions, n, uc, ind, detail::chi_squared_test(uc.statistic + ind.statistic, 2),
            ratio(n[0][1], from0), ratio(n[1][1], from1), pi};
}

}  // namespace margincall
