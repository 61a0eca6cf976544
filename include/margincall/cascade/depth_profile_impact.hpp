#pragma once
/// \file
/// Order-book depth profile with resilience: the resting quantity on each side of the book as a
/// function of the relative distance from the reference price S, consumed by forced orders
/// and refilled between steps.
///
/// The profile is a list of bands: band k holds quantity D_k spread evenly over relative
/// distances (δ_{k−1}, δ_k], δ_0 = 0 < δ_1 < … < δ_K < 1, the same on the bid and the ask side.
/// Consuming a cumulative quantity C walks the bands; the edge x(C) is piecewise linear in C and
///
///   price(S, Q) = S·(1 − x(|Q|)) for Q < 0 (bids taken),  S·(1 + x(Q)) for Q ≥ 0,
///   average over [Q0, Q1] = S·[ 1 + (A(|Q1|) − A(|Q0|))/(Q1 − Q0) ],  A(C) = ∫_0^C x(c) dc,
///
/// A piecewise quadratic summed band by band. Between steps the book refills a fraction ρ of
/// the consumed depth (recover(Q) = (1 − ρ)·Q), so a displacement decays geometrically: the
/// transient impact of Obizhaeva & Wang. A price never reaches 0: δ_K < 1, and taking more than
/// the whole profile throws (the simulator checks up front that the book cannot).
/// Source: A. A. Obizhaeva, J. Wang, "Optimal trading strategy and supply/demand dynamics",
/// J. Financial Markets 16(1) (2013) 1–32 (a block-shaped book of depth q that recovers at
/// rate ρ); here the block is generalised to a piecewise-constant profile.
/// \tparam Real a floating-point real_scalar
/// \test tests/cascade/depth_profile_impact.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// One band of the profile: quantity resting up to `distance` (relative, in (0, 1)) from S.
template <real_scalar Real = double>
struct depth_band {
    Real distance;  ///< δ_k, the band's outer edge as a fraction of the reference price
    Real quantity;  ///< D_k, base units resting in (δ_{k−1}, δ_k]
};

/// Depth-profile impact with resilience.
template <real_scalar Real = double>
class depth_profile_impact {
public:
    /// \param bands increasing distances in (0, 1), quantities finite and > 0
    /// \param resilience fraction ρ of the consumed depth that refills per step, in [0, 1]
    /// \throws margincall::invalid_argument naming the band and the field
    depth_profile_impact(std::span<const depth_band<Real>> bands, Real resilience) : resilience_{resilience} {
        constexpr const char* where = "depth_profile_impact";
        check_not_empty<depth_band<Real>>(where, "bands", bands);
        check_in_closed(where, "resilience", resilience, Real(0), Real(1));
        Real previous{0};
        cumulative_.push_back(Real(0));
        area_.push_back(Real(0));
        edge_.push_back(Real(0));
        for (std::size_t k = 0; k < bands.size(); ++k) {
            const auto& b = bands[k];
            check_positive(where, detail::message("quantity of band ", k + 1), b.quantity);
            if (!(b.distance > previous && b.distance < Real(1)))
                throw_invalid_argument(where, detail::message("distance of band ", k + 1), b.distance,
                                       detail::message("in (", previous, ", 1)").c_str());
            cumulative_.push_back(cumulative_.back() + b.quantity);
            area_.push_back(area_.back() + b.quantity * (previous + b.distance) / Real(2));
            edge_.push_back(b.distance);
            previous = b.distance;
        }
    }

    /// Total quantity resting on one side: the most a cascade can take.
    [[nodiscard]] Real total_depth() const noexcept { return cumulative_.back(); }

    /// \throws margincall::invalid_argument if |volume| exceeds the total depth
    [[nodiscard]] Real price(Real reference, Real volume) const {
        const Real c = volume < 0 ? -volume : volume;
        const Real x = edge(c);
        return volume < 0 ? reference * (Real(1) - x) : reference * (Real(1) + x);
    }
    /// \throws margincall::invalid_argument if |from| or |to| exceeds the total depth
    [[nodiscard]] Real average_price(Real reference, Real from, Real to) const {
        if (from == to) return price(reference, from);
        // J(Q) = ∫_0^Q (price/S − 1) dq = A(|Q|) on both sides: on the bid side the integrand
        // −x(−q) and the direction of integration are both negative (substitute q = −y).
        const auto j = [this](Real q) { return area(q < 0 ? -q : q); };
        return reference * (Real(1) + (j(to) - j(from)) / (to - from));
    }
    [[nodiscard]] Real recover(Real volume) const noexcept { return (Real(1) - resilience_) * volume; }
    [[nodiscard]] Real resilience() const noexcept { return resilience_; }

private:
    [[nodiscard]] std::size_t band_of(Real c) const {
        if (!(c <= cumulative_.back()))
            throw_invalid_argument("depth_profile_impact", "the displaced volume", c,
                                   detail::message("<= the total depth ", cumulative_.back()).c_str());
        const auto it = std::upper_bound(cumulative_.begin() + 1, cumulative_.end(), c);
        return it == cumulative_.end() ? cumulative_.size() - 1 : static_cast<std::size_t>(it - cumulative_.begin());
    }
    [[nodiscard]] Real edge(Real c) const {
        const std::size_t k = band_of(c);
        const Real frac = (c - cumulative_[k - 1]) / (cumulative_[k] - cumulative_[k - 1]);
        return edge_[k - 1] + frac * (edge_[k] - edge_[k - 1]);
    }
    [[nodiscard]] Real area(Real c) const {
        const std::size_t k = band_of(c);
        return area_[k - 1] + (c - cumulative_[k - 1]) * (edge_[k - 1] + edge(c)) / Real(2);
    }

    Real resilience_;
    std::vector<Real> cumulative_;  // Σ_{j≤k} D_j, with 0 in front
    std::vector<Real> area_;        // A at each band edge
    std::vector<Real> edge_;        // δ_k, with 0 in front
};

}  // namespace margincall
