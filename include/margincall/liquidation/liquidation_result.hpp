#pragma once
/// \file
/// What a liquidation-price query answers: the price, the tier it was solved in, and, when
/// there is no price, why not.

#include <margincall/core/real_scalar.hpp>

#include <cstddef>

namespace margincall {

/// Why a liquidation (or bankruptcy) price is, or is not, there.
enum class liquidation_status : unsigned char {
    found,                 ///< `price` holds the mark price at which equity = maintenance margin
    already_liquidated,    ///< equity < maintenance margin already at the current mark
    fully_collateralised,  ///< the account loses as the price moves this way, but equity stays
                           ///< ≥ maintenance margin all the way to price 0 (or ∞): a 1x long
    unreachable,           ///< moving the price this way never brings equity down to the margin
                           ///< (the account gains, or its loss levels off above the margin)
    out_of_range,          ///< generic solver: no crossing inside the searched price range
    invalid_input,         ///< batch APIs only: this element's inputs were NaN, ≤ 0 where a
                           ///< price or size must be positive, …; the other elements are solved
    no_convergence         ///< generic solver: a crossing was bracketed, but the root finder's
                           ///< budget ran out before the bracket met the tolerance (raise
                           ///< liquidation_scan_options::max_iterations); no price is reported
};

/// A short English name of a status ("found", "already liquidated", ...).
[[nodiscard]] constexpr const char* to_string(liquidation_status status) noexcept {
    switch (status) {
        case liquidation_status::found: return "found";
        case liquidation_status::already_liquidated: return "already liquidated";
        case liquidation_status::fully_collateralised: return "fully collateralised";
        case liquidation_status::unreachable: return "unreachable";
        case liquidation_status::out_of_range: return "out of range";
        case liquidation_status::no_convergence: return "no convergence";
        case liquidation_status::invalid_input: return "invalid input";
    }
    return "unknown";
}

/// One liquidation (or bankruptcy) price, the tier(s) it was solved in, or the reason there is none.
/// `price`, `tier` and `short_tier` mean something only when `status == found`; otherwise
/// they are 0 (never NaN).
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct liquidation_point {
    liquidation_status status{liquidation_status::unreachable};
    Real price{0};               ///< mark price at which equity = maintenance margin (or 0)
    std::size_t tier{0};         ///< tier index (0-based) of the position at `price`; in hedge
                                 ///< mode, of the long leg
    std::size_t short_tier{0};   ///< hedge mode: tier index of the short leg at `price`

    [[nodiscard]] constexpr bool found() const noexcept { return status == liquidation_status::found; }
};

/// Both directions: the highest liquidation price below the mark and the lowest one above it.
/// A single long linear position has only a `downside`; a single short only an `upside`;
/// hedge-mode, cross and option accounts can have both.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct liquidation_prices {
    liquidation_point<Real> downside{};  ///< the first crossing as the mark falls
    liquidation_point<Real> upside{};    ///< the first crossing as the mark rises
};

}  // namespace margincall
