#pragma once
/// \file
/// The contracts the closed forms solve: those whose PnL and notional are linear in one price
/// variable u (u = P for linear and quanto contracts, u = 1/P for inverse ones), which makes the
/// margin surplus piecewise linear in u with breaks at the tier floors (docs/liquidation.md).

#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>

#include <concepts>

namespace margincall {

/// How a contract is seen in the variable u in which its PnL and notional are linear:
/// u = P (linear, quanto: PnL = q·m·(P − E)), u = 1/P (inverse: PnL = q·CV·(1/E − u)).
/// Specialise it for a contract of your own with `static constexpr bool inverted` (u = 1/P)
/// and `static Real size(const Contract&)` (the multiplier, or the contract value of an inverse
/// contract) to make it a closed_form_contract.
template <class Contract>
struct price_variable;

template <real_scalar Real>
struct price_variable<linear_contract<Real>> {
    static constexpr bool inverted = false;
    static Real size(const linear_contract<Real>& c) noexcept { return c.multiplier(); }
};
template <real_scalar Real>
struct price_variable<quanto_contract<Real>> {
    static constexpr bool inverted = false;
    static Real size(const quanto_contract<Real>& c) noexcept { return c.multiplier(); }
};
template <real_scalar Real>
struct price_variable<inverse_contract<Real>> {
    static constexpr bool inverted = true;
    static Real size(const inverse_contract<Real>& c) noexcept { return c.contract_value(); }
};

/// A contract the closed-form liquidation prices accept: price_variable<Contract> is
/// specialised (linear_contract, quanto_contract and inverse_contract are). Required by
/// liquidation_price, the hedged and per-bracket forms, account_liquidation_prices and the
/// calculator's closed_form_liquidation policy; any other contract takes the generic solver
/// (find_liquidation_prices, generic_liquidation).
template <class Contract>
concept closed_form_contract = requires(const Contract& c) {
    { price_variable<Contract>::inverted } -> std::convertible_to<bool>;
    price_variable<Contract>::size(c);
};

namespace detail {

/// A leg in u: equity contribution = constant + slope·u; notional = n·u.
template <real_scalar Real>
struct u_leg {
    Real slope{0};
    Real constant{0};
    Real n{0};
    Real quantity{0};  // |q|, for quantity-basis tiers
};

template <class Contract, real_scalar Real>
u_leg<Real> to_u(const Contract& c, const position_leg<Real>& leg) {
    const Real m = price_variable<Contract>::size(c);
    const Real q = leg.quantity;
    const Real abs_q = q < 0 ? Real(-q) : q;
    if constexpr (price_variable<Contract>::inverted) {
        return {Real(-q * m), Real(q * m / leg.entry_price), Real(abs_q * m), abs_q};
    } else {
        return {Real(q * m), Real(-q * m * leg.entry_price), Real(abs_q * m), abs_q};
    }
}

template <class Contract, real_scalar Real>
constexpr Real to_u_price(Real price) noexcept {
    if constexpr (price_variable<Contract>::inverted) return Real(1) / price;
    else return price;
}

/// A position whose coefficients in u overflow (an inverse entry of 4.9e-324: q·m/E = ∞) has
/// no liquidation price in the working precision: refused, naming the entry or the quantity.
template <class Contract, real_scalar Real>
void check_u_leg(const char* where, const Contract& c, const position_leg<Real>& leg) {
    const u_leg<Real> l = to_u(c, leg);
    if (!is_finite(l.constant) || !is_finite(l.slope) || !is_finite(l.n))
        throw_invalid_argument(where, "entry_price", leg.entry_price,
                               detail::message("such that quantity (", leg.quantity,
                                               ") x contract size / entry_price and x entry_price are finite")
                                   .c_str());
}

/// A root found in u, back in price: a root at u = ∞ or at a price that is 0 or ∞ is no price
/// at all but the end of the range (a subnormal quantity or entry made the inverse root 1/∞ = 0
/// and reported `found` at 0; issue #14, class 5): the position is fully collateralised.
template <class Contract, real_scalar Real>
[[nodiscard]] liquidation_point<Real> u_point_to_price(liquidation_point<Real> r) noexcept {
    if (!r.found()) return r;
    r.price = to_u_price<Contract>(r.price);
    if (!(r.price > 0) || !is_finite(r.price)) return {liquidation_status::fully_collateralised, Real(0), 0, 0};
    return r;
}

}  // namespace detail

}  // namespace margincall
