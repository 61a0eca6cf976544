#pragma once
/// \file
/// The coverage of a VaR model, named both ways: the confidence level α (0.99) and the exception
/// probability p = 1 − α (0.01), the probability that a day's loss exceeds VaR_α. Backtests take
/// either through a named factory, so 0.01 and 0.99 cannot be confused:
///   var_coverage<>::from_confidence(0.99) == var_coverage<>::from_exception_probability(0.01).
/// The value given is stored exactly and the other is derived from it (p = 1 − α rounds for
/// α near 1 − ε; a p given directly, e.g. 1e-20, keeps its full precision in the likelihoods).
/// Source of the terms: Basel Committee on Banking Supervision, "Supervisory framework for the use
/// of 'backtesting' …" (1996), §II ("coverage", "exceptions"); P. Kupiec (1995) (p the failure rate).

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

/// A VaR coverage level; build it with from_confidence(α) or from_exception_probability(p).
template <real_scalar Real = double>
class var_coverage {
public:
    /// α ∈ (0, 1), e.g. 0.99; throws outside, or when 1 − α rounds to 1 (α below ε/2).
    [[nodiscard]] static var_coverage from_confidence(Real confidence) {
        check_probability("var_coverage::from_confidence", "confidence", confidence);
        const Real p = Real(1) - confidence;
        if (!(p > Real(0) && p < Real(1)))
            throw_invalid_argument("var_coverage::from_confidence", "confidence", confidence,
                                   "such that 1 - confidence is in (0, 1) in the working precision");
        return var_coverage(confidence, p);
    }
    /// p ∈ (0, 1), e.g. 0.01; throws outside. p is kept exactly; confidence() = 1 − p may round
    /// (to 1 for p below ε/2), which the tests never use: they work with p.
    [[nodiscard]] static var_coverage from_exception_probability(Real exception_probability) {
        check_probability("var_coverage::from_exception_probability", "exception_probability", exception_probability);
        return var_coverage(Real(Real(1) - exception_probability), exception_probability);
    }
    /// α, the VaR confidence level.
    [[nodiscard]] Real confidence() const noexcept { return confidence_; }
    /// p = 1 − α, the probability of an exception on one day under correct coverage.
    [[nodiscard]] Real exception_probability() const noexcept { return exception_probability_; }

private:
    var_coverage(Real confidence, Real exception_probability)
        : confidence_(confidence), exception_probability_(exception_probability) {}
    Real confidence_;
    Real exception_probability_;
};

}  // namespace margincall
