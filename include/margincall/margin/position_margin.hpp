#pragma once
/// \file
/// The per-row margin kernel: one position's notional, unrealised PnL, initial and
/// maintenance margin at a mark, from its contract and its margin-rate model. Written once;
/// `position`, the book's re-mark, the tick monitor and the cascade builders call it
/// (docs/architecture.md, "The kernel").

#include <margincall/contracts/contract.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

namespace margincall {

/// The figures of one position at one mark price.
template <real_scalar Real = double>
struct position_figures {
    Real notional{};            ///< |q| valued at the mark, margin currency
    Real unrealised_pnl{};      ///< contract PnL from entry to mark
    Real initial_margin{};      ///< model IM at min(leverage, model max leverage at this size)
    Real maintenance_margin{};  ///< model MM at this size
};

/// Whether a model's margin members cannot throw, so a pass over a book cannot stop midway.
template <class Model, class Real>
inline constexpr bool nothrow_margin_model = requires(const Model& m, Real n, Real q, Real l) {
    requires noexcept(m.maintenance_margin(n, q));
    requires noexcept(m.initial_margin(n, q, l));
    requires noexcept(m.max_leverage(n, q));
};

/// Maintenance margin alone, MM = model.maintenance_margin(contract.notional(q, P), |q|)
/// (0 when flat): what the tick monitor and the cascade books need. position_margin gives
/// the same MM (it is the same expression).
template <class Contract, class Model, real_scalar Real>
    requires contract<Contract, Real> && has_maintenance_margin<Model, Real>
[[nodiscard]] inline Real position_maintenance_margin(const Contract& contract, const Model& model, const Real& quantity,
                                                      const Real& mark) noexcept(noexcept(model.maintenance_margin(quantity,
                                                                                                                   quantity))) {
    if (quantity == Real(0)) return Real(0);
    return static_cast<Real>(
        model.maintenance_margin(static_cast<Real>(contract.notional(quantity, mark)), quantity < 0 ? -quantity : quantity));
}

/// One position (signed quantity q, entry E, chosen leverage L) at mark P:
///
///   notional = contract.notional(q, P)         uPnL = contract.pnl(q, E, P)
///   MM = model.maintenance_margin(notional, |q|)
///   IM = model.initial_margin(notional, |q|, min(L, model.max_leverage(notional, |q|)))
///
/// A flat position (q = 0) has all four figures 0 whatever its entry (an inverse PnL at a
/// zero entry would otherwise be 0·∞). IM at the effective leverage: when a move carries the
/// size into a tier whose maximum leverage is below L, the tier's cap applies (Binance
/// "Leverage and Margin of USDⓈ-M Futures"; docs/margin.md, "Initial margin").
/// Models with a fused `margins(notional, |q|, L)` (bracket_table) are asked once; it applies
/// the same cap.
template <class Contract, class Model, real_scalar Real>
    requires contract<Contract, Real> && margin_rate_model<Model, Real>
[[nodiscard]] inline position_figures<Real> position_margin(const Contract& contract, const Model& model,
                                                            const Real& quantity, const Real& entry_price,
                                                            const Real& leverage,
                                                            const Real& mark) noexcept(nothrow_margin_model<Model, Real>) {
    if (quantity == Real(0)) return {};
    const Real abs_q = quantity < 0 ? -quantity : quantity;
    position_figures<Real> f;
    f.notional = static_cast<Real>(contract.notional(quantity, mark));
    f.unrealised_pnl = static_cast<Real>(contract.pnl(quantity, entry_price, mark));
    if constexpr (requires { model.margins(f.notional, abs_q, leverage); }) {
        const auto both = model.margins(f.notional, abs_q, leverage);
        f.maintenance_margin = static_cast<Real>(both.maintenance_margin);
        f.initial_margin = static_cast<Real>(both.initial_margin);
    } else {
        f.maintenance_margin = static_cast<Real>(model.maintenance_margin(f.notional, abs_q));
        const Real cap = static_cast<Real>(model.max_leverage(f.notional, abs_q));
        f.initial_margin = static_cast<Real>(model.initial_margin(f.notional, abs_q, leverage < cap ? leverage : cap));
    }
    return f;
}

}  // namespace margincall
