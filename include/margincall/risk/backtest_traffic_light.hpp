#pragma once
/// \file
/// The Basel traffic-light zones for VaR exceptions, for any number of observations and confidence.
///
/// Under H0 (correct coverage) the exception count X ~ Binomial(T, 1 − α). A count x is
///   green  while P(X ≤ x) <  95 %,
///   yellow while P(X ≤ x) <  99.99 %,
///   red    otherwise.
/// Source: Basel Committee on Banking Supervision, "Supervisory framework for the use of
/// 'backtesting' in conjunction with the internal models approach to market risk capital
/// requirements" (January 1996), Table 2 (T = 250, α = 99 %: green 0–4, yellow 5–9,
/// red ≥ 10; plus factors 0.40, 0.50, 0.65, 0.75, 0.85 for 5–9 exceptions, 1.00 from 10).
/// The plus factor for any T and α (BCBS 1996, §IV "Description of the backtesting framework",
/// the rationale of Table 2): x exceptions in T days imply a coverage of only 1 − x/T, and the
/// plus factor is the increase of the multiplier 3 that restores coverage α under normality,
///   raw(x) = 3 (Φ⁻¹(α) / Φ⁻¹(1 − x/T) − 1)
/// ("five exceptions in a sample of 250 implies only 98 % coverage … the ratio of the 99th
/// percentile to the 98th percentile is approximately 1.14, and the increase needed in the
/// multiplication factor is therefore approximately 0.40"). Table 2 prints raw(x) rounded to two
/// decimals and then down to the 0.05 grid (0.398 → 0.40, 0.529 → 0.50, 0.652 → 0.65,
/// 0.768 → 0.75, 0.879 → 0.85: exactly the published 0.40, 0.50, 0.65, 0.75, 0.85), so the
/// general rule used here is
///   plus(x) = 0                                    in the green zone,
///           = min(1, ⌊round₂(raw(x)) / 0.05⌋ · 0.05)  in the yellow zone (1 when x/T ≥ ½),
///           = 1                                    in the red zone,
/// which reproduces Table 2 at T = 250, α = 99 %. The rounding convention is inferred from the
/// table (the document states the rationale, not the rounding).
/// Binomial CDF from Boost.Math. Tested: tests/risk/backtest_traffic_light.cpp against that table
/// and R pbinom (tests/reference/backtest_traffic_light.R).

#include <margincall/core/checks.hpp>
#include <margincall/core/distributions.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/var_coverage.hpp>

#include <boost/math/distributions/binomial.hpp>

#include <cmath>
#include <cstddef>

namespace margincall {

/// A Basel traffic-light zone.
enum class traffic_light_zone { green, yellow, red };

/// Zone boundaries for T observations at confidence α (default: the Basel 250 days at 99 %).
/// \tparam Real a real_scalar (float, double, long double)
template <real_scalar Real = double>
class basel_traffic_light {
public:
    /// Cumulative probabilities that open the yellow and red zones (BCBS 1996).
    static constexpr double basel_yellow_probability = 0.95;
    static constexpr double basel_red_probability = 0.9999;

    /// Throws when T = 0, α ∉ (0, 1), or the zone probabilities are not 0 < yellow < red < 1.
    explicit basel_traffic_light(std::size_t observations = 250, Real confidence = Real(0.99),
                                 Real yellow_probability = Real(basel_yellow_probability),
                                 Real red_probability = Real(basel_red_probability))
        : basel_traffic_light(observations, checked_coverage(confidence), yellow_probability, red_probability) {}

    /// Zone boundaries for T observations at a coverage given either way
    /// (var_coverage::from_confidence(0.99) or ::from_exception_probability(0.01)).
    basel_traffic_light(std::size_t observations, const var_coverage<Real>& coverage,
                        Real yellow_probability = Real(basel_yellow_probability),
                        Real red_probability = Real(basel_red_probability))
        : observations_(observations),
          confidence_(coverage.confidence()),
          exception_probability_(coverage.exception_probability()),
          yellow_probability_(yellow_probability),
          red_probability_(red_probability) {
        constexpr const char* where = "basel_traffic_light";
        if (observations == 0) throw_invalid_argument(where, "observations", observations, "> 0");
        check_probability(where, "yellow_probability", yellow_probability);
        check_probability(where, "red_probability", red_probability);
        if (!(red_probability > yellow_probability))
            throw_invalid_argument(where, "red_probability", red_probability,
                                   detail::message("> yellow_probability (", yellow_probability, ")").c_str());
        // Scan x = 0, 1, ... : the CDF is non-decreasing, so each zone is an interval of counts.
        std::size_t x = 0;
        while (x <= observations_ && cumulative_probability(x) < yellow_probability_) ++x;
        yellow_begin_ = x;
        while (x <= observations_ && cumulative_probability(x) < red_probability_) ++x;
        red_begin_ = x;
    }

    [[nodiscard]] std::size_t observations() const noexcept { return observations_; }
    [[nodiscard]] Real confidence() const noexcept { return confidence_; }
    /// p = 1 − α, the probability of one exception under correct coverage.
    [[nodiscard]] Real exception_probability() const noexcept { return exception_probability_; }

    /// P(X ≤ x) for X ~ Binomial(T, 1 − α): the "cumulative probability" column of BCBS Table 2.
    [[nodiscard]] Real cumulative_probability(std::size_t exceptions) const {
        if (exceptions >= observations_) return Real(1);
        const boost::math::binomial_distribution<Real> b(static_cast<Real>(observations_), exception_probability_);
        return cdf(b, static_cast<Real>(exceptions));
    }

    /// The first exception count in the yellow zone (5 for 250 days at 99 %); T + 1 if none is.
    [[nodiscard]] std::size_t yellow_begin() const noexcept { return yellow_begin_; }
    /// The first exception count in the red zone (10 for 250 days at 99 %); T + 1 if none is.
    [[nodiscard]] std::size_t red_begin() const noexcept { return red_begin_; }

    /// The zone of an exception count; throws when it exceeds T.
    [[nodiscard]] traffic_light_zone zone(std::size_t exceptions) const {
        if (exceptions > observations_)
            throw_invalid_argument("basel_traffic_light::zone", "exceptions", exceptions,
                                   detail::message("<= observations (", observations_, ")").c_str());
        if (exceptions < yellow_begin_) return traffic_light_zone::green;
        if (exceptions < red_begin_) return traffic_light_zone::yellow;
        return traffic_light_zone::red;
    }

    /// The plus factor for x exceptions (the general rule above): 0 (green), the Table 2 rule
    /// (yellow), 1 (red). Equals basel_plus_factor(x) at T = 250, α = 99 %. Throws when x > T.
    [[nodiscard]] Real plus_factor(std::size_t exceptions) const {
        const auto z = zone(exceptions);
        if (z == traffic_light_zone::green) return Real(0);
        if (z == traffic_light_zone::red) return Real(1);
        if (exceptions == 0) return Real(0);  // yellow at x = 0 only for tiny T: nothing to restore
        const Real observed_tail = static_cast<Real>(exceptions) / static_cast<Real>(observations_);
        if (!(observed_tail < Real(0.5))) return Real(1);  // Φ⁻¹(1 − x/T) ≤ 0: no finite scaling restores α
        using std::floor;
        using std::round;
        const Real raw = Real(3) * (standard_normal_upper_quantile(exception_probability_) /
                                        standard_normal_upper_quantile(observed_tail) -
                                    Real(1));
        // Two decimals, then down to the 0.05 grid, in whole hundredths (exact integers).
        const Real hundredths = floor(round(Real(100) * raw) / Real(5)) * Real(5);
        if (!(hundredths > Real(0))) return Real(0);
        return hundredths >= Real(100) ? Real(1) : hundredths / Real(100);
    }

    /// The capital multiplier 3 + plus_factor(x) (BCBS 1996, Table 2 "Increase in scaling factor").
    [[nodiscard]] Real multiplier(std::size_t exceptions) const { return Real(3) + plus_factor(exceptions); }

private:
    static var_coverage<Real> checked_coverage(Real confidence) {
        check_probability("basel_traffic_light", "confidence", confidence);
        return var_coverage<Real>::from_confidence(confidence);
    }

    std::size_t observations_;
    Real confidence_;
    Real exception_probability_;
    Real yellow_probability_;
    Real red_probability_;
    std::size_t yellow_begin_ = 0;
    std::size_t red_begin_ = 0;
};

/// The Basel plus factor added to the capital multiplier (3 + plus factor) for x exceptions in
/// 250 days at 99 % (BCBS 1996, Table 2), the published table itself; for any other sample
/// use basel_traffic_light(T, coverage).plus_factor(x), the general rule it reproduces.
template <real_scalar Real = double>
[[nodiscard]] constexpr Real basel_plus_factor(std::size_t exceptions) noexcept {
    switch (exceptions) {
        case 0: case 1: case 2: case 3: case 4: return Real(0);
        case 5: return Real(0.40);
        case 6: return Real(0.50);
        case 7: return Real(0.65);
        case 8: return Real(0.75);
        case 9: return Real(0.85);
        default: return Real(1);
    }
}

}  // namespace margincall
