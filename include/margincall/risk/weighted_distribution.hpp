#pragma once
/// \file
/// VaR and ES of a weighted discrete loss distribution: losses L_i with probabilities
/// p_i = w_i / Σ w (the weights given, e.g. scenario probabilities, kernel or age weights).
/// With F(l) = Σ_{L_i ≤ l} p_i:
///   VaR_α = inf{l : F(l) ≥ α} = L_[j*],  j* = min{j : Σ_{m≤j} p_[m] > 1 − α}  (losses sorted
///   descending with their probabilities),
///   ES_α  = (1/(1−α)) ∫_α^1 F^{-1}(u) du = (1/(1−α)) [ Σ_{m<j*} p_[m] L_[m] + (1 − α − Σ_{m<j*} p_[m]) L_[j*] ],
/// the coherent ES of a general distribution (Acerbi & Tasche 2002, Prop. 3.2: the quantile
/// integral, with the atom at VaR counted only up to the mass 1 − α). Equal weights give
/// historical_simulation (type 1 VaR, Acerbi–Tasche ES); age_weighted uses the same rule.
/// Source: C. Acerbi & D. Tasche, "On the coherence of expected shortfall", J. Banking & Finance
/// 26 (2002) 1487–1503, eq. (3.3) and Prop. 3.2.
/// Tested: tests/risk/weighted_distribution.cpp against tests/reference/risk_figures.py (the
/// quantile integral summed piece by piece over u ∈ [α, 1], exact rationals).
/// Performance: O(n log n) (a sort of the index by loss).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <span>
#include <vector>

namespace margincall {

namespace detail {

/// VaR/ES of the weighted distribution whose losses, in descending order, are
/// losses[order[0]] ≥ losses[order[1]] ≥ …, with probability_of(i) the probability of losses[i]
/// (summing to 1 up to rounding); tail = 1 − α.
template <real_scalar Real, class ProbabilityOf>
[[nodiscard]] tail_risk<Real> weighted_tail_of_sorted(std::span<const Real> losses, std::span<const std::size_t> order,
                                                      ProbabilityOf&& probability_of, const Real& tail) {
    const std::size_t n = order.size();
    Real cumulative(0);  // probability of the losses above the current one
    for (std::size_t j = 0; j < n; ++j) {
        const std::size_t i = order[j];
        const Real w = probability_of(i);
        if (!(cumulative + w > tail) && j + 1 < n) {
            cumulative += w;
            continue;
        }
        // ES = (Σ p_m L_m + (tail − Σ p_m) VaR) / tail = VaR + Σ (p_m / tail)(L_m − VaR): a sum of
        // non-negative excesses, so ES ≥ VaR in any rounding (w·L underflowed to 0 for a
        // subnormal sample and gave ES < VaR; issue #14, class 5), and no sum of losses near
        // 1e308 (an excess that overflows is halved first). The last index is VaR when rounding
        // leaves the probabilities summing just below 1 − (1 − α).
        const Real var = losses[i];
        Real excess(0);
        for (std::size_t m = 0; m < j; ++m) {
            const Real l = losses[order[m]];
            const Real share = probability_of(order[m]) / tail;
            const Real d = l - var;
            excess += is_finite(d) ? Real(share * d) : Real(share * (l / 2 - var / 2) * 2);
        }
        return {var, var + excess};
    }
    return {Real(0), Real(0)};  // not reached: n ≥ 1
}

/// The indices of `losses` ordered by loss, largest first (ties keep their order).
template <real_scalar Real>
void order_by_loss(std::span<const Real> losses, std::vector<std::size_t>& order) {
    order.resize(losses.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return losses[a] > losses[b]; });
}

}  // namespace detail

/// VaR and ES at α of the discrete distribution putting probability weights[i] / Σ weights on
/// losses[i]. Weights need not sum to 1 (they are normalised) but must be finite and ≥ 0 with a
/// positive sum; throws on empty or mismatched inputs, a non-finite loss or α ∉ (0, 1).
template <real_scalar Real>
[[nodiscard]] tail_risk<Real> weighted_tail_risk(std::span<const Real> losses, std::span<const Real> weights, Real alpha) {
    constexpr const char* where = "weighted_tail_risk";
    check_not_empty<Real>(where, "losses", losses);
    if (weights.size() != losses.size())
        throw_invalid_argument(where, "the size of weights", weights.size(),
                               detail::message("the size of losses (", losses.size(), ")").c_str());
    check_probability(where, "alpha", alpha);
    check_all_finite<Real>(where, "losses", losses);
    Real total(0);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        check_non_negative(where, detail::message("weights[", i, "]"), weights[i]);
        total += weights[i];
    }
    if (!(total > Real(0)) || !detail::is_finite(total))
        throw_invalid_argument(where, "the sum of weights", total, "finite and > 0");
    std::vector<std::size_t> order;
    detail::order_by_loss(losses, order);
    return detail::weighted_tail_of_sorted<Real>(losses, order, [&](std::size_t i) { return Real(weights[i] / total); },
                                                 Real(Real(1) - alpha));
}

}  // namespace margincall
