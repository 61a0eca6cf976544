#pragma once
/// \file
/// Square-root impact: the relative price move of a metaorder of size Q is Y·σ·√(Q/V), with
/// σ the daily volatility and V the daily traded volume. A cascade's forced orders form one
/// metaorder, so the displacement is a function of the cumulative signed volume Q:
///
///   price(S, Q) = S · exp( sign(Q) · a · √|Q| ),   a = Y·σ / √V,
///
/// written on the log price so that it stays positive for any volume (to first order it is the
/// published S·(1 + Y·σ·√(Q/V))); in floating point it underflows to 0 only past a log move of
/// about −745, which the simulator's per-step price check reports. The fill price over [Q0, Q1] is the exact integral average,
/// from the antiderivative (u = a·√|q|)
///
///   ∫_0^q e^{ a√x } dx = (2/a²)·[ (u − 1)·e^u + 1 ]        (q ≥ 0)
///   ∫_0^q e^{−a√−x} dx = −(2/a²)·[ 1 − (1 + u)·e^{−u} ]     (q < 0)
///
/// (by parts with x = t²), summed as its Taylor series Σ_{k≥2} (±1)^k (k − 1) u^k / k! for small
/// u, where the closed form cancels. Hand-written: Boost.Math has no such integral in closed
/// form, and quadrature would cost a loop per step.
/// Sources: R. Almgren, C. Thum, E. Hauptmann, H. Li, "Direct estimation of equity market
/// impact", Risk 18(7) (2005) 58–62 (exponent ≈ 0.6, close to 1/2); B. Tóth, Y. Lempérière,
/// C. Deremble, J. de Lataillade, J. Kockelkoren, J.-P. Bouchaud, "Anomalous price impact and the
/// critical nature of liquidity in financial markets", Phys. Rev. X 1 (2011) 021006:
/// I(Q) = Y σ √(Q/V), Y of order 1.
/// \tparam Real a floating-point real_scalar
/// \test tests/cascade/square_root_impact.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cmath>

namespace margincall {

/// Square-root (Tóth et al.) impact on the log price.
template <real_scalar Real = double>
class square_root_impact {
public:
    /// \param y the prefactor Y (order 1), finite and ≥ 0
    /// \param daily_volatility σ of daily returns, finite and ≥ 0
    /// \param daily_volume V, base units traded per day, finite and > 0
    /// \param resilience fraction of the displacement that decays per step, in [0, 1]
    /// \throws margincall::invalid_argument otherwise
    square_root_impact(Real y, Real daily_volatility, Real daily_volume, Real resilience = Real(0))
        : resilience_{resilience} {
        constexpr const char* where = "square_root_impact";
        check_non_negative(where, "y", y);
        check_non_negative(where, "daily_volatility", daily_volatility);
        check_positive(where, "daily_volume", daily_volume);
        check_in_closed(where, "resilience", resilience, Real(0), Real(1));
        using std::sqrt;
        a_ = y * daily_volatility / sqrt(daily_volume);
    }

    [[nodiscard]] Real price(Real reference, Real volume) const noexcept {
        using std::exp;
        using std::sqrt;
        const Real u = a_ * sqrt(volume < 0 ? -volume : volume);
        return reference * exp(volume < 0 ? -u : u);
    }
    [[nodiscard]] Real average_price(Real reference, Real from, Real to) const noexcept {
        if (from == to) return price(reference, from);
        return reference * (integral(to) - integral(from)) / (to - from);
    }
    [[nodiscard]] Real recover(Real volume) const noexcept { return (Real(1) - resilience_) * volume; }
    /// a = Y·σ/√V: the log-price move of the first √(unit) of volume.
    [[nodiscard]] Real coefficient() const noexcept { return a_; }

private:
    // ∫_0^q exp(sign(x)·a·√|x|) dx, q of either sign.
    [[nodiscard]] Real integral(Real q) const noexcept {
        using std::exp;
        using std::sqrt;
        const Real abs_q = q < 0 ? -q : q;
        const Real u = a_ * sqrt(abs_q);
        const Real sign = q < 0 ? Real(-1) : Real(1);  // e^{−u} branch for selling
        // series: ∫ = |q|·Σ_{k≥2} (±u)^{k−2}·2(k − 1)/k!, the sign of each power from e^{±u}
        if (u < Real(0.5)) {
            Real sum{0};
            Real term{1};  // (±u)^{k−2}
            Real factorial{2};
            for (int k = 2; k < 30; ++k) {
                if (k > 2) factorial *= Real(k);
                sum += term * Real(2 * (k - 1)) / factorial;
                term *= sign * u;
            }
            return sign * abs_q * sum;
        }
        const Real a2 = a_ * a_;
        if (q >= 0) return Real(2) / a2 * ((u - Real(1)) * exp(u) + Real(1));
        return -Real(2) / a2 * (Real(1) - (Real(1) + u) * exp(-u));
    }

    Real a_{0};
    Real resilience_;
};

}  // namespace margincall
