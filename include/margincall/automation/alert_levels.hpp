#pragma once
/// \file
/// Alert levels on the margin ratio with hysteresis: a level is entered when the ratio
/// reaches its threshold and left only when the ratio falls a band below it, so a ratio
/// hovering at a threshold raises one alert, not one per tick.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <concepts>

namespace margincall {

/// Alert levels, from none to liquidation (the order is the severity).
enum class alert_level : unsigned char { none, warning, margin_call, liquidation };

/// Name of an alert level ("none", "warning", "margin_call", "liquidation").
[[nodiscard]] constexpr const char* to_string(alert_level a) noexcept {
    switch (a) {
        case alert_level::none: return "none";
        case alert_level::warning: return "warning";
        case alert_level::margin_call: return "margin_call";
        case alert_level::liquidation: return "liquidation";
    }
    return "unknown";
}

/// An alert policy: the next alert level from the current one and the margin ratio
/// (MM / equity, +∞ when equity ≤ 0). Must not throw: it runs on every evaluation.
template <class A, class Real>
concept has_next_level = requires(const A& a, alert_level current, Real ratio) {
    { a.next_level(current, ratio) } -> std::same_as<alert_level>;
};

/// An alert policy (`alert_level next_level(alert_level current, Real ratio) const`).
template <class A, class Real>
concept alert_policy = real_scalar<Real> && has_next_level<A, Real>;

/// Threshold alerts with a hysteresis band.
///
/// Entering: the level is the highest k whose threshold θ_k ≤ ratio, if that is above the
/// current level. Leaving: from the current level k the alert drops one level at a time while
/// ratio < θ_k − band; so it never drops while the ratio stays within `band` below the
/// threshold it entered at. With band = 0 this is the plain threshold rule of
/// classify_margin (ratio ≥ θ_k ⇔ level ≥ k).
/// Source: the dead-band (Schmitt trigger) rule of alarm management, ISA-18.2 (ANSI/ISA-18.2-2016,
/// "alarm deadband"): return-to-normal requires the value to clear the set point by the deadband.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class hysteresis_alerts {
public:
    /// \param warning, call, liquidation thresholds on MM / equity, 0 < warning ≤ call ≤ liquidation
    /// \param band the dead band, 0 ≤ band < warning
    /// \throws margincall::invalid_argument otherwise (NaN fails)
    explicit hysteresis_alerts(Real warning = Real(0.5), Real call = Real(0.8), Real liquidation = Real(1),
                               Real band = Real(0.05))
        : thresholds_{warning, call, liquidation}, band_(band) {
        constexpr const char* where = "hysteresis_alerts";
        check_positive(where, "warning", warning);
        if (!(call >= warning) || !detail::is_finite(call))
            throw_invalid_argument(where, "call", call, detail::message("finite and >= warning = ", warning).c_str());
        if (!(liquidation >= call) || !detail::is_finite(liquidation))
            throw_invalid_argument(where, "liquidation", liquidation,
                                   detail::message("finite and >= call = ", call).c_str());
        if (!(band >= 0 && band < warning))
            throw_invalid_argument(where, "band", band, detail::message("in [0, ", warning, ") (below warning)").c_str());
    }

    /// Threshold of a level (none → 0).
    [[nodiscard]] Real threshold(alert_level a) const noexcept {
        return a == alert_level::none ? Real(0) : thresholds_[static_cast<unsigned>(a) - 1];
    }
    [[nodiscard]] Real band() const noexcept { return band_; }

    /// The next level (see the class doc). A NaN ratio keeps the current level.
    [[nodiscard]] alert_level next_level(alert_level current, Real ratio) const noexcept {
        unsigned up = 0;
        for (unsigned k = 0; k < 3; ++k)
            if (ratio >= thresholds_[k]) up = k + 1;
        unsigned level = static_cast<unsigned>(current);
        if (level > 3) level = 3;
        if (up >= level) return static_cast<alert_level>(up);
        while (level > 0 && ratio < thresholds_[level - 1] - band_) --level;
        return static_cast<alert_level>(level);
    }

private:
    Real thresholds_[3];
    Real band_;
};

}  // namespace margincall
