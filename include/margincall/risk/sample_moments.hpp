#pragma once
/// \file
/// Sample moments for the parametric estimators: mean, variance (divisor n − 1, as R's var()
/// and QuantLib's GeneralStatistics), and the moment-method skewness m3/m2^{3/2} and excess
/// kurtosis m4/m2² − 3 with central moments m_k = (1/n) Σ (x_i − x̄)^k (divisor n, as
/// PerformanceAnalytics' modified VaR). Two passes (mean first) for accuracy.
/// Source: PerformanceAnalytics VaR.CornishFisher (centeredmoment / skewness / kurtosis "moment").

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>
#include <cstddef>
#include <span>

namespace margincall {

/// Moments of a sample; `central_m2` is m2 (divisor n), `variance` uses n − 1.
template <real_scalar Real = double>
struct sample_moments {
    std::size_t count;
    Real mean;
    Real variance;         ///< Σ(x − x̄)² / (n − 1); 0 when n = 1
    Real central_m2;       ///< Σ(x − x̄)² / n
    Real skewness;         ///< m3 / m2^{3/2} (0 when m2 = 0)
    Real excess_kurtosis;  ///< m4 / m2² − 3 (0 when m2 = 0)
};

/// Moments of `x`; throws margincall::invalid_argument for an empty or non-finite sample.
template <real_scalar Real>
[[nodiscard]] sample_moments<Real> moments_of(std::span<const Real> x, const char* where = "moments_of",
                                              const char* name = "sample") {
    using std::sqrt;
    check_not_empty<Real>(where, name, x);
    check_all_finite<Real>(where, name, x);
    const auto n = static_cast<Real>(x.size());
    Real sum(0);
    for (const auto& v : x) sum += v;
    const Real mean = sum / n;
    Real m2(0), m3(0), m4(0);
    for (const auto& v : x) {
        const Real d = v - mean;
        const Real d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    sample_moments<Real> m{x.size(), mean, Real(0), m2 / n, Real(0), Real(0)};
    if (x.size() > 1) m.variance = m2 / (n - Real(1));
    if (m.central_m2 > Real(0)) {
        m.skewness = (m3 / n) / (m.central_m2 * sqrt(m.central_m2));
        m.excess_kurtosis = (m4 / n) / (m.central_m2 * m.central_m2) - Real(3);
    }
    return m;
}

}  // namespace margincall
