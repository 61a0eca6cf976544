#pragma once
/// \file
/// Layered margin: initial margin, maintenance margin and a liquidation buffer as explicit layers
/// over any book margin model (SPAN, portfolio margin, risk-based), each with its own call and
/// action, classified in margincall's one status vocabulary (margin_status):
///   equity ≥ IM                        → healthy: no call
///   MM < equity < IM                   → margin_call: deposit IM − equity
///   MM·(1 − buffer) < equity ≤ MM      → reduce_only: reduce-only and an immediate call of IM − equity
///   equity ≤ MM·(1 − buffer), or ≤ 0   → liquidation
/// The buffer lets a venue act (restrict, call) before it liquidates; buffer 0 liquidates at MM.
/// It is classify_margin with thresholds {warning 1, call 1, call below IM} and liquidation
/// level MM·(1 − buffer): one rule set for rate and book models (docs/portfolio-margin.md, §4).
// Source: Binance "Margin Ratio = Maintenance Margin / Margin Balance", liquidation at a ratio of
// 100 % (docs/margin.md); CME "Performance bond" (a maintenance breach calls the account back to
// initial); Deribit portfolio margin (MM = fraction of IM, liquidation when equity falls below MM).
// The buffer layer is margincall's configuration.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/stress/stress_book.hpp>

#include <concepts>
#include <utility>

namespace margincall {

/// A margin model over a stress_book: `initial_margin(book)` and `maintenance_margin(book)`.
template <class M, class Real>
concept book_margin_model = requires(const M& m, const stress_book<Real>& b) {
    { m.initial_margin(b) } -> std::convertible_to<Real>;
    { m.maintenance_margin(b) } -> std::convertible_to<Real>;
};

/// Figures of the layers at one equity.
template <real_scalar Real = double>
struct layered_figures {
    Real initial_margin{};
    Real maintenance_margin{};
    Real liquidation_level{};  ///< MM × (1 − buffer)
    margin_status status = margin_status::healthy;  ///< healthy, margin_call, reduce_only or liquidation
    Real call_amount{};        ///< max(0, IM − equity)
};

/// The layer thresholds: no warning band, a call whenever equity < IM or equity ≤ MM.
template <real_scalar Real>
[[nodiscard]] constexpr status_thresholds<Real> layered_thresholds() noexcept {
    return status_thresholds<Real>{Real(1), Real(1), true};
}

/// The layer rule (file comment) on given IM, MM, buffer and equity. IM ≥ MM ≥ 0 and
/// buffer ∈ [0, 1) must hold (layered_margin checks them); NaN equity classifies as liquidation.
template <real_scalar Real>
[[nodiscard]] constexpr layered_figures<Real> classify_layers(Real equity, Real initial_margin, Real maintenance_margin,
                                                              Real buffer) noexcept {
    layered_figures<Real> f;
    f.initial_margin = initial_margin;
    f.maintenance_margin = maintenance_margin;
    f.liquidation_level = maintenance_margin * (Real(1) - buffer);
    f.call_amount = call_amount(initial_margin, equity);
    f.status = classify_margin(equity, initial_margin, maintenance_margin, layered_thresholds<Real>(), f.liquidation_level);
    return f;
}

/// Layers over a book margin model.
/// \tparam Model a book_margin_model (span_margin, portfolio_margin, risk_based_margin or a host's)
template <real_scalar Real, class Model>
    requires book_margin_model<Model, Real>
class layered_margin {
public:
    /// \param liquidation_buffer fraction of MM below MM at which liquidation starts, in [0, 1)
    layered_margin(Model model, Real liquidation_buffer) : model_{std::move(model)}, buffer_{liquidation_buffer} {
        if (!(buffer_ >= Real(0) && buffer_ < Real(1)))
            throw_invalid_argument("layered_margin", "liquidation_buffer", buffer_, "in [0, 1)");
    }

    /// The layers of `book` for an account with this equity. Throws if the model returns IM < MM,
    /// a negative or a non-finite figure, or if equity is not finite.
    [[nodiscard]] layered_figures<Real> evaluate(const stress_book<Real>& book, Real equity) const {
        constexpr const char* where = "layered_margin";
        check_finite(where, "equity", equity);
        const Real im = static_cast<Real>(model_.initial_margin(book));
        const Real mm = static_cast<Real>(model_.maintenance_margin(book));
        check_non_negative(where, "maintenance margin", mm);
        check_non_negative(where, "initial margin", im);
        if (im < mm)
            throw_invalid_argument(where, "initial margin", im, detail::message(">= maintenance margin (", mm, ")").c_str());
        return classify_layers(equity, im, mm, buffer_);
    }

    [[nodiscard]] Real initial_margin(const stress_book<Real>& book) const { return static_cast<Real>(model_.initial_margin(book)); }
    [[nodiscard]] Real maintenance_margin(const stress_book<Real>& book) const { return static_cast<Real>(model_.maintenance_margin(book)); }
    [[nodiscard]] Real liquidation_buffer() const noexcept { return buffer_; }
    [[nodiscard]] const Model& model() const noexcept { return model_; }

private:
    Model model_;
    Real buffer_;
};

}  // namespace margincall
