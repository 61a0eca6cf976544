#pragma once
/// \file
/// Age-weighted historical simulation (Boudoukh, Richardson & Whitelaw 1998, "BRW"): the
/// observation i days old (i = 1 the most recent, the *last* element of the sample) weighs
///   w_i = λ^{i−1} (1 − λ) / (1 − λ^n),   0 < λ < 1   (λ = 1: equal weights 1/n),
/// and VaR/ES are those of the weighted empirical distribution F(l) = Σ_{L_i ≤ l} w_i:
///   VaR_α = inf{l : F(l) ≥ α} = L_[j*],  j* = min{j : Σ_{m≤j} w_[m] > 1 − α}   (losses sorted
///   descending with their weights), and ES_α = (1/(1−α)) ∫_α^1 F^{-1}(u) du
///   = (1/(1−α)) [ Σ_{m<j*} w_[m] L_[m] + (1 − α − Σ_{m<j*} w_[m]) L_[j*] ].
/// With λ = 1 this is exactly historical_simulation (type 1 VaR, Acerbi–Tasche ES).
/// Source: J. Boudoukh, M. Richardson & R. Whitelaw, "The best of both worlds", Risk 11(5), 1998,
/// 64–67 (BRW interpolate between neighbouring points; we use the inverse weighted CDF, as
/// QuantLib's weighted GeneralStatistics::percentile, so that ES is the integral of VaR).
/// Performance: O(n log n) (a sort of the index by loss); samples are a few hundred to a few
/// thousand days. Pass an `age_weighted_workspace` to avoid allocating in repeated calls.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/risk/weighted_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <vector>

namespace margincall {

/// Scratch memory for age_weighted (an index permutation).
struct age_weighted_workspace {
    std::vector<std::size_t> order;
};

/// Age-weighted (BRW) historical VaR and ES; the sample is chronological (last = most recent).
/// A `tail_estimator` policy.
template <real_scalar Real = double>
class age_weighted {
public:
    /// \param lambda decay per day, in (0, 1] (BRW use 0.97 and 0.99; 1 gives equal weights)
    explicit age_weighted(Real lambda) : lambda_{lambda} {
        if (!(lambda > Real(0) && lambda <= Real(1)))
            throw_invalid_argument("age_weighted", "lambda", lambda, "in (0, 1]");
    }

    /// The weight of the observation `age` days old (1 = most recent) in a sample of n.
    [[nodiscard]] Real weight(std::size_t age, std::size_t n) const {
        using std::pow;
        if (lambda_ == Real(1)) return Real(1) / static_cast<Real>(n);
        return pow(lambda_, static_cast<Real>(age - 1)) * (Real(1) - lambda_) /
               (Real(1) - pow(lambda_, static_cast<Real>(n)));
    }

    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        age_weighted_workspace ws;
        return estimate(losses, alpha, ws);
    }

    /// VaR and ES at α; throws for an empty or non-finite sample or α ∉ (0, 1).
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha, age_weighted_workspace& ws) const {
        constexpr const char* where = "age_weighted";
        check_not_empty<Real>(where, "losses", losses);
        check_probability(where, "alpha", alpha);
        check_all_finite<Real>(where, "losses", losses);
        const std::size_t n = losses.size();
        // Equal weights: exactly historical simulation (type 1), with R's rank arithmetic at the
        // boundaries where n(1 − α) is an integer, rather than a running sum of 1/n.
        if (lambda_ == Real(1)) return historical_simulation<Real>{}.estimate(losses, alpha);
        detail::order_by_loss(losses, ws.order);
        // Element i is n − i days old; the weighted-distribution rule of weighted_distribution.hpp.
        return detail::weighted_tail_of_sorted<Real>(losses, ws.order, [&](std::size_t i) { return weight(n - i, n); },
                                                     Real(Real(1) - alpha));
    }

    [[nodiscard]] Real lambda() const noexcept { return lambda_; }

private:
    Real lambda_;
};

}  // namespace margincall
