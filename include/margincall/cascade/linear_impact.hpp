#pragma once
/// \file
/// Linear price impact (Kyle's λ): the price moves by λ per unit of net order flow,
///
///   price(S, Q) = S + λ·Q,   average_price(S, Q0, Q1) = S + λ·(Q0 + Q1)/2,
///
/// permanent unless a resilience ρ ∈ [0, 1] is given (recover(Q) = (1 − ρ)·Q).
/// Source: A. S. Kyle, "Continuous Auctions and Insider Trading", Econometrica 53(6) (1985)
/// 1315–1335: the price moves by λ times the net order flow. The average fill walks a linear book, so it is the
/// midpoint of the move.
/// A linear model can push the price through zero; the cascade simulator refuses a λ that
/// could (λ × the book's long quantity ≥ the start price) and checks every step.
/// \tparam Real a real_scalar
/// \test tests/cascade/linear_impact.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// Linear (Kyle) impact: price = S + λ·Q.
template <real_scalar Real = double>
class linear_impact {
public:
    /// \param lambda price change per unit of base volume, finite and ≥ 0
    /// \param resilience fraction of the displacement that decays per step, in [0, 1]
    /// \throws margincall::invalid_argument otherwise
    explicit linear_impact(Real lambda, Real resilience = Real(0)) : lambda_{lambda}, resilience_{resilience} {
        check_non_negative("linear_impact", "lambda", lambda);
        check_in_closed("linear_impact", "resilience", resilience, Real(0), Real(1));
    }
    [[nodiscard]] Real price(Real reference, Real volume) const noexcept { return reference + lambda_ * volume; }
    [[nodiscard]] Real average_price(Real reference, Real from, Real to) const noexcept {
        return reference + lambda_ * (from + to) / Real(2);
    }
    [[nodiscard]] Real recover(Real volume) const noexcept { return (Real(1) - resilience_) * volume; }
    [[nodiscard]] Real lambda() const noexcept { return lambda_; }
    [[nodiscard]] Real resilience() const noexcept { return resilience_; }

private:
    Real lambda_;
    Real resilience_;
};

}  // namespace margincall
