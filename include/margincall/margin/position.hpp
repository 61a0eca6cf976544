#pragma once
/// \file
/// A position (one leg): signed quantity, entry price, contract, margin-rate model, leverage,
/// margin mode and, when isolated, its own collateral. Its notional, unrealised PnL, initial
/// and maintenance margin at a mark price.

#include <margincall/contracts/any_contract.hpp>
#include <margincall/contracts/contract.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <algorithm>
#include <cstddef>
#include <utility>

namespace margincall {

/// Cross: the position draws on the account's wallet and shares it with every other cross
/// position. Isolated: the position has its own collateral and cannot touch anything else.
enum class margin_mode : unsigned char { cross, isolated };

/// Which leg a position is. One-way accounts hold one `both` leg per symbol (signed);
/// hedge-mode accounts hold a `long_leg` (quantity ≥ 0) and a `short_leg` (quantity ≤ 0)
/// per symbol, each with its own entry price (Binance BOTH / LONG / SHORT).
enum class position_side : unsigned char { both, long_leg, short_leg };

/// Name of a leg ("both", "long", "short").
[[nodiscard]] constexpr const char* to_string(position_side s) noexcept {
    switch (s) {
        case position_side::both: return "both";
        case position_side::long_leg: return "long";
        case position_side::short_leg: return "short";
    }
    return "unknown";
}

/// Entry price of a position grown from q_old @ e_old by q_add @ price (same direction):
/// the price at which the combined position has the PnL of its two parts at every mark.
/// Linear and quanto: quantity-weighted arithmetic mean, E = (q₁E₁ + q₂P) / (q₁ + q₂).
/// Source: Binance "Average entry price" (USDⓈ-M); docs/margin.md derives it from
/// PnL = q·m·(X − E) being affine in X.
template <real_scalar Real>
[[nodiscard]] constexpr Real averaged_entry(const linear_contract<Real>&, const Real& q_old, const Real& e_old,
                                            const Real& q_add, const Real& price) noexcept {
    return (q_old * e_old + q_add * price) / (q_old + q_add);
}
template <real_scalar Real>
[[nodiscard]] constexpr Real averaged_entry(const quanto_contract<Real>&, const Real& q_old, const Real& e_old,
                                            const Real& q_add, const Real& price) noexcept {
    return (q_old * e_old + q_add * price) / (q_old + q_add);
}
/// Inverse: quantity-weighted harmonic mean, E = (q₁ + q₂) / (q₁/E₁ + q₂/P), because PnL =
/// q·CV·(1/E − 1/X) is affine in 1/X. Source: BitMEX / Binance COIN-M average entry price
/// (docs/margin.md).
template <real_scalar Real>
[[nodiscard]] constexpr Real averaged_entry(const inverse_contract<Real>&, const Real& q_old, const Real& e_old,
                                            const Real& q_add, const Real& price) noexcept {
    return (q_old + q_add) / (q_old / e_old + q_add / price);
}

/// A run-time contract averages as the contract it holds.
template <real_scalar Real>
[[nodiscard]] constexpr Real averaged_entry(const any_contract<Real>& c, const Real& q_old, const Real& e_old,
                                            const Real& q_add, const Real& price) noexcept {
    return c.visit([&](const auto& held) { return averaged_entry(held, q_old, e_old, q_add, price); });
}

/// The named fields of a position, for construction with designated initializers:
///
///     position<linear_contract<double>, tier_schedule<double>> p(
///         btcusdt, {.symbol = 0, .leverage = 20, .quantity = 0.5, .entry_price = 60000});
///
/// Fields left out take the defaults below; `leverage` has none that passes validation, so a
/// spec without it is rejected. Validated by the position's constructor (docs/margin.md,
/// "Positions").
/// \tparam Contract the position's contract policy
/// \tparam Real a real_scalar
template <class Contract, real_scalar Real = double>
struct position_spec {
    std::size_t symbol{};                      ///< index of the mark price in the marks given to evaluations
    Contract contract{};                       ///< contract policy (multiplier, contract value)
    Real leverage{};                           ///< chosen leverage, finite and > 0: required
    margin_mode mode = margin_mode::cross;     ///< cross or isolated
    position_side side = position_side::both;  ///< both (one-way), long_leg or short_leg (hedge)
    Real quantity{};                           ///< signed size (+ long, − short); sign must agree with `side`
    Real entry_price{};                        ///< finite and > 0 when quantity ≠ 0, finite and ≥ 0 when flat
    Real isolated_margin{};                    ///< isolated collateral, finite and ≥ 0; 0 in cross mode
};

/// One position (leg) of an account.
///
/// The margin-rate model is held by pointer, not copied: one schedule per symbol is shared by
/// every position on it, and must outlive them. So the constructor takes the model as a named
/// object only: passing a temporary (an rvalue) is a compile error, not a dangling pointer
/// (docs/margin.md, "Positions"). IM is the model's initial margin at the effective leverage
/// min(leverage, model.max_leverage(size)): when a price move carries the position into a tier
/// whose maximum leverage is below the chosen one, the tier's cap applies (docs/margin.md,
/// "Initial margin").
/// \tparam Contract a margincall::contract (linear_contract, inverse_contract, quanto_contract)
/// \tparam Model a margincall::margin_rate_model (tier_schedule, or a host's own)
/// \tparam Real a real_scalar
/// Thread safety: const members may run concurrently from any number of threads; a non-const member needs exclusive access (no internal locking) (`set_state`).
template <class Contract, class Model, real_scalar Real = double>
    requires contract<Contract, Real> && margin_rate_model<Model, Real>
class position {
public:
    using contract_type = Contract;
    using model_type = Model;
    using real_type = Real;
    using spec_type = position_spec<Contract, Real>;

    /// \param model the margin-rate model; kept by pointer, so it must outlive the position
    /// \param spec the position's fields by name; each is validated, and a bad one throws
    ///        margincall::invalid_argument naming the field
    position(const Model& model, spec_type spec)
        : symbol_(spec.symbol),
          contract_(std::move(spec.contract)),
          model_(&model),
          leverage_(spec.leverage),
          mode_(spec.mode),
          side_(spec.side) {
        check_positive("position", "leverage", leverage_);
        set_state(spec.quantity, spec.entry_price, spec.isolated_margin);
    }
    /// A temporary model would be destroyed at the end of the full expression and leave the
    /// position pointing at freed memory: refused at compile time. Pass a named model.
    position(const Model&& model, spec_type spec) = delete;  // the model must outlive the position
    position(Model&& model, spec_type spec) = delete;        // the model must outlive the position

    [[nodiscard]] std::size_t symbol() const noexcept { return symbol_; }
    [[nodiscard]] const Contract& contract_spec() const noexcept { return contract_; }
    [[nodiscard]] const Model& model() const noexcept { return *model_; }
    [[nodiscard]] Real leverage() const noexcept { return leverage_; }
    [[nodiscard]] margin_mode mode() const noexcept { return mode_; }
    [[nodiscard]] position_side side() const noexcept { return side_; }
    [[nodiscard]] Real quantity() const noexcept { return quantity_; }
    [[nodiscard]] Real entry_price() const noexcept { return entry_price_; }
    [[nodiscard]] Real isolated_margin() const noexcept { return isolated_margin_; }
    [[nodiscard]] bool is_flat() const noexcept { return quantity_ == Real(0); }

    /// Replaces quantity, entry and isolated margin, validated as in the constructor.
    void set_state(Real quantity, Real entry_price, Real isolated_margin) {
        check_finite("position", "quantity", quantity);
        if (side_ == position_side::long_leg && quantity < 0)
            throw_invalid_argument("position", "quantity of the long leg", quantity, ">= 0");
        if (side_ == position_side::short_leg && quantity > 0)
            throw_invalid_argument("position", "quantity of the short leg", quantity, "<= 0");
        if (quantity != Real(0))
            check_positive("position", "entry_price", entry_price);
        else
            check_non_negative("position", "entry_price", entry_price);
        check_non_negative("position", "isolated_margin", isolated_margin);
        if (mode_ == margin_mode::cross && isolated_margin != Real(0))
            throw_invalid_argument("position", "isolated_margin of a cross position", isolated_margin, "0");
        quantity_ = quantity;
        entry_price_ = entry_price;
        isolated_margin_ = isolated_margin;
    }

    /// |q| valued at `mark`.
    [[nodiscard]] Real notional(const Real& mark) const noexcept { return contract_.notional(quantity_, mark); }
    /// PnL from entry to `mark` (0 when flat).
    [[nodiscard]] Real unrealised_pnl(const Real& mark) const noexcept {
        if (is_flat()) return Real(0);
        return contract_.pnl(quantity_, entry_price_, mark);
    }
    /// The leverage IM is charged at: min(leverage, model max leverage at the size at `mark`).
    [[nodiscard]] Real effective_leverage(const Real& mark) const noexcept {
        const Real n = notional(mark);
        const Real cap = static_cast<Real>(model_->max_leverage(n, abs_quantity()));
        return std::min(leverage_, cap);
    }
    /// Model MM at the size at `mark` (0 when flat).
    /// \throws margincall::invalid_argument if mark is not finite and > 0 (a NaN, negative or
    ///         infinite mark gave a NaN, negative or infinite margin; issue #14, class 7).
    [[nodiscard]] Real maintenance_margin(const Real& mark) const {
        check_positive("position::maintenance_margin", "mark", mark);
        return position_maintenance_margin(contract_, *model_, quantity_, mark);
    }
    /// Model IM at the effective leverage (0 when flat). Throws as maintenance_margin.
    [[nodiscard]] Real initial_margin(const Real& mark) const { return figures(mark).initial_margin; }
    /// All figures at `mark`: the per-row kernel position_margin (margin/position_margin.hpp).
    /// Throws as maintenance_margin.
    [[nodiscard]] position_figures<Real> figures(const Real& mark) const {
        check_positive("position::figures", "mark", mark);
        return position_margin(contract_, *model_, quantity_, entry_price_, leverage_, mark);
    }

private:
    [[nodiscard]] Real abs_quantity() const noexcept { return quantity_ < 0 ? -quantity_ : quantity_; }

    std::size_t symbol_;
    Contract contract_;
    const Model* model_;
    Real leverage_;
    margin_mode mode_;
    position_side side_;
    Real quantity_{};
    Real entry_price_{};
    Real isolated_margin_{};
};

}  // namespace margincall
