#pragma once
/// \file
/// The `price_impact` concept: how forced orders move the price. The state of the market is
/// the reference price S (the exogenous, undisturbed price) and the cumulative signed volume
/// Q the cascade has traded so far (+ net buying, − net selling, base units). A policy says
///
///   price(S, Q)               the mark after displacement Q
///   average_price(S, Q0, Q1)  the volume-weighted price of trading from Q0 to Q1
///                             (= (1/(Q1 − Q0)) ∫_{Q0}^{Q1} price(S, q) dq; price(S, Q0) if equal)
///   recover(Q)                the displacement left after one step of resilience
///
/// Linear (Kyle 1985), square-root (Almgren et al. 2005; Tóth et al. 2011) and order-book
/// depth with resilience (Obizhaeva & Wang 2013) model it; a host plugs in its own the same way.
/// \test tests/cascade/price_impact.cpp (truth table)

#include <margincall/core/real_scalar.hpp>

#include <concepts>

namespace margincall {

/// `price(S, Q)`: the mark after a cumulative signed volume Q at reference price S.
template <class I, class Real>
concept has_impact_price = requires(const I& i, Real reference, Real volume) {
    { i.price(reference, volume) } -> std::convertible_to<Real>;
};

/// `average_price(S, Q0, Q1)`: the volume-weighted fill price of trading from Q0 to Q1.
template <class I, class Real>
concept has_average_price = requires(const I& i, Real reference, Real from, Real to) {
    { i.average_price(reference, from, to) } -> std::convertible_to<Real>;
};

/// `recover(Q)`: the displacement left after one step of order-book resilience.
template <class I, class Real>
concept has_recovery = requires(const I& i, Real volume) {
    { i.recover(volume) } -> std::convertible_to<Real>;
};

/// A price-impact policy: `price`, `average_price` and `recover`, all const.
template <class I, class Real>
concept price_impact = real_scalar<Real> && has_impact_price<I, Real> && has_average_price<I, Real> &&
                       has_recovery<I, Real>;

}  // namespace margincall
