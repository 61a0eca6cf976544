#pragma once
/// \file
/// Kupiec's proportion-of-failures (POF) test of unconditional VaR coverage.
///
/// With T observations, x exceptions and tail probability p = 1 − α:
///   LR_uc = −2 ln[(1 − p)^{T−x} p^x] + 2 ln[(1 − x/T)^{T−x} (x/T)^x]  ~  χ²(1) under H0,
/// written here as the equivalent 2[x ln(p̂/p) + (T − x) ln((1 − p̂)/(1 − p))], p̂ = x/T,
/// with 0·ln 0 := 0 so x = 0 and x = T are defined.
/// Source: P. Kupiec, "Techniques for verifying the accuracy of risk measurement models",
/// Journal of Derivatives 3(2), 1995, pp. 73–84; p-value from the χ²(1) upper tail
/// (core/distributions.hpp, over Boost.Math). Tested: tests/risk/backtest_kupiec.cpp against R pchisq/qchisq
/// (tests/reference/backtest_chisq.R).

#include <margincall/core/checks.hpp>
#include <margincall/core/distributions.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/var_coverage.hpp>

#include <cmath>
#include <cstddef>
#include <span>

namespace margincall {

/// The outcome of a likelihood-ratio backtest: the statistic, its degrees of freedom and its p-value.
template <real_scalar Real = double>
struct likelihood_ratio_test {
    Real statistic;     ///< the likelihood ratio, ≥ 0
    int degrees_of_freedom;
    Real p_value;       ///< P(χ²(df) ≥ statistic)
    /// True when H0 (correct coverage) is rejected at `significance` (e.g. 0.05).
    [[nodiscard]] bool rejects(Real significance) const noexcept { return p_value < significance; }
    /// The χ²(df) critical value at `significance` (s ∈ (0, 1)): the c with P(χ²(df) > c) = s,
    /// e.g. 3.841459 for df = 1, s = 0.05; H0 is rejected when statistic > c.
    [[nodiscard]] Real critical_value(Real significance) const {
        return chi_squared_upper_quantile(significance, static_cast<Real>(degrees_of_freedom));
    }
};

/// Kupiec POF test result.
template <real_scalar Real = double>
struct kupiec_result {
    std::size_t observations;  ///< T
    std::size_t exceptions;    ///< x
    Real expected_exceptions;  ///< T (1 − α)
    likelihood_ratio_test<Real> unconditional_coverage;  ///< LR_uc ~ χ²(1)
};

namespace detail {

/// n ln(a / b), with the convention 0 · ln(anything) = 0 (the limit of n ln n as n → 0).
/// a / b overflows for a subnormal b (an exception probability of 4.9e-324 against an observed
/// rate of 0.016): then ln a − ln b, finite for any a, b > 0 (issue #15 reliability sweep).
template <real_scalar Real>
[[nodiscard]] Real count_log_ratio(std::size_t n, const Real& a, const Real& b) {
    using std::log;
    if (n == 0) return Real(0);
    const Real ratio = a / b;
    return static_cast<Real>(n) * (is_finite(ratio) && ratio > Real(0) ? Real(log(ratio)) : Real(log(a) - log(b)));
}

/// The χ² upper tail P(χ²(df) ≥ statistic), from Boost.Math.
template <real_scalar Real>
[[nodiscard]] likelihood_ratio_test<Real> chi_squared_test(Real statistic, int degrees_of_freedom) {
    // A likelihood ratio is ≥ 0 in exact arithmetic (it is twice a Kullback–Leibler divergence);
    // cancellation can leave −1e-16, which is rounding, not information: report it as 0.
    if (statistic < 0) statistic = Real(0);
    // An infinite statistic (a tail probability that rounds to 0 or 1 against observed hits)
    // has p-value 0, the limit (chi_squared_upper_tail returns it).
    return {statistic, degrees_of_freedom, chi_squared_upper_tail(statistic, static_cast<Real>(degrees_of_freedom))};
}

/// The number of exceptions (true values) in a hit sequence.
[[nodiscard]] inline std::size_t count_hits(std::span<const bool> hits) noexcept {
    std::size_t exceptions = 0;
    for (const bool hit : hits) exceptions += hit ? 1U : 0U;
    return exceptions;
}

/// LR_uc of Kupiec (1995) for x exceptions in T observations at tail probability p.
template <real_scalar Real>
[[nodiscard]] Real kupiec_statistic(std::size_t observations, std::size_t exceptions, const Real& tail) {
    const Real t = static_cast<Real>(observations);
    const Real hit_rate = static_cast<Real>(exceptions) / t;
    return Real(2) * (count_log_ratio(exceptions, hit_rate, tail) +
                      count_log_ratio(observations - exceptions, Real(1) - hit_rate, Real(1) - tail));
}

}  // namespace detail

/// Kupiec POF test of x = `exceptions` VaR exceptions in T = `observations` days at confidence α.
/// Throws when T = 0, x > T or α ∉ (0, 1). Defined for x = 0 and x = T (0·ln 0 := 0).
template <real_scalar Real>
[[nodiscard]] kupiec_result<Real> kupiec_test(std::size_t observations, std::size_t exceptions, Real confidence) {
    check_probability("kupiec_test", "confidence", confidence);
    if (observations == 0) throw_invalid_argument("kupiec_test", "observations", observations, "> 0");
    if (exceptions > observations)
        throw_invalid_argument("kupiec_test", "exceptions", exceptions,
                               detail::message("<= observations (", observations, ")").c_str());
    // A confidence below ε/2 leaves a tail of exactly 1 and an infinite statistic.
    if (!(Real(1) - confidence < Real(1)))
        throw_invalid_argument("kupiec_test", "confidence", confidence,
                               "large enough that 1 - confidence < 1 in the working precision");
    return kupiec_test(observations, exceptions, var_coverage<Real>::from_confidence(confidence));
}

/// Kupiec POF test at a coverage given either way (var_coverage::from_confidence(0.99) or
/// ::from_exception_probability(0.01)); the likelihood uses the exception probability p as given.
template <real_scalar Real>
[[nodiscard]] kupiec_result<Real> kupiec_test(std::size_t observations, std::size_t exceptions,
                                              const var_coverage<Real>& coverage) {
    if (observations == 0) throw_invalid_argument("kupiec_test", "observations", observations, "> 0");
    if (exceptions > observations)
        throw_invalid_argument("kupiec_test", "exceptions", exceptions,
                               detail::message("<= observations (", observations, ")").c_str());
    const Real tail = coverage.exception_probability();
    return {observations, exceptions, static_cast<Real>(observations) * tail,
            detail::chi_squared_test(detail::kupiec_statistic(observations, exceptions, tail), 1)};
}

/// Kupiec POF test of a hit sequence (true = exception), e.g. from var_exceptions().
template <real_scalar Real>
[[nodiscard]] kupiec_result<Real> kupiec_test(std::span<const bool> hits, Real confidence) {
    check_not_empty("kupiec_test", "hits", hits);
    return kupiec_test(hits.size(), detail::count_hits(hits), confidence);
}

/// Kupiec POF test of a hit sequence at a coverage given either way.
template <real_scalar Real>
[[nodiscard]] kupiec_result<Real> kupiec_test(std::span<const bool> hits, const var_coverage<Real>& coverage) {
    check_not_empty("kupiec_test", "hits", hits);
    return kupiec_test(hits.size(), detail::count_hits(hits), coverage);
}

}  // namespace margincall
