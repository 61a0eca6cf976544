#pragma once
/// \file
/// What every margin model whose rates depend on the position's size alone shares (linear_size_rate,
/// sqrt_size_premium): given IMR(q) and MMR(q), the `margin_rate_model` members
///   MM = notional × MMR(q),   max leverage = 1 / IMR(q),   IM = notional / leverage, leverage ∈ [1, 1 / IMR(q)],
/// and the checks of the base rates. Written once here; a model supplies its rate functions.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

namespace margincall {

namespace detail {
// The base rates of a size-dependent model: maintenance in (0, 1), initial in (maintenance, 1],
// the size coefficient finite and ≥ 0; the error names the caller's parameters.
template <real_scalar Real>
void check_size_rates(const char* where, const char* initial_name, Real initial, const char* maintenance_name,
                      Real maintenance, const char* coefficient_name, Real coefficient) {
    check_probability(where, maintenance_name, maintenance);
    if (!(initial > maintenance && initial <= Real(1)))
        throw_invalid_argument(where, initial_name, initial,
                               detail::message("in (", maintenance, ", 1], above ", maintenance_name).c_str());
    check_non_negative(where, coefficient_name, coefficient);
}
}  // namespace detail

/// The `margin_rate_model` members of a model with size-dependent rates (CRTP): `Derived` has
/// `initial_rate(q)`, `maintenance_rate(q)` and `static constexpr const char* initial_margin_where`.
/// `notional` = |q| valued at the price (margin currency), `quantity` = |q|.
template <class Derived, real_scalar Real>
class size_rate_model {
public:
    /// MM = notional × MMR(quantity).
    [[nodiscard]] Real maintenance_margin(Real notional, Real quantity) const noexcept {
        return notional * self().maintenance_rate(quantity);
    }
    /// 1 / IMR(quantity) (below 1 where IMR exceeds 1: such a size cannot be opened).
    [[nodiscard]] Real max_leverage(Real /*notional*/, Real quantity) const noexcept {
        return Real(1) / self().initial_rate(quantity);
    }
    /// IM = notional / leverage.
    /// \throws margincall::invalid_argument if notional or quantity is negative or not finite, or
    ///         leverage is not in [1, 1 / IMR(quantity)].
    [[nodiscard]] Real initial_margin(Real notional, Real quantity, Real leverage) const {
        constexpr const char* where = Derived::initial_margin_where;
        check_non_negative(where, "notional", notional);
        check_non_negative(where, "quantity", quantity);
        const Real max = max_leverage(notional, quantity);
        if (!(leverage >= Real(1) && leverage <= max))
            throw_invalid_argument(where, "leverage", leverage,
                                   detail::message("in [1, ", max, "], the max_leverage at quantity ", quantity).c_str());
        return notional / leverage;
    }

private:
    [[nodiscard]] const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
};

}  // namespace margincall
