#pragma once
/// \file
/// Initial-margin fraction scaled by the market's open interest between two caps (dYdX v4
/// "OIMF"): a market-wide state, not a property of one position.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>

#include <limits>

namespace margincall {

/// dYdX v4 liquidity-tier margin with open-interest scaling of the initial fraction:
///
///   scaling = (OI − lower_cap) / (upper_cap − lower_cap)
///   IMF_eff = base_imf                                      if OI ≤ lower_cap
///           = min(base_imf + scaling × (1 − base_imf), 1)   if lower_cap < OI < upper_cap
///           = 1                                             if OI ≥ upper_cap
///   MMF     = base_imf × maintenance_fraction               (not scaled by OI)
///   IM = notional / leverage with leverage ≤ 1 / IMF_eff,   MM = notional × MMF
///
/// OI is the market's open notional (open interest × oracle price) in the quote currency.
/// Source: dydxprotocol/v4-chain, protocol/x/perpetuals/types/liquidity_tier.go,
/// `GetInitialMarginQuoteQuantums` (comment and code) and `GetMaintenanceMarginPpm`
/// ("maintenance margin = initial margin * maintenance fraction"). dYdX encodes "no scaling" as
/// upper_cap = 0; here pass upper_cap = +∞. dYdX rounds the IM up to a quote quantum; this does not.
/// \tparam Real a real_scalar
/// \test tests/tiers/open_interest_scaled.cpp: dYdX's own test table (TestGetInitialMarginQuoteQuantums,
///       TestGetAdjustedInitialMarginPpm).
template <real_scalar Real = double>
class open_interest_scaled {
public:
    /// \param base_imf base initial-margin fraction, in (0, 1]
    /// \param maintenance_fraction MMF / base IMF, in (0, 1)
    /// \param lower_cap open notional where scaling starts, finite and ≥ 0
    /// \param upper_cap open notional where IMF reaches 1, ≥ lower_cap (+∞: no scaling)
    /// \param open_interest the market's open notional now, finite and ≥ 0
    open_interest_scaled(Real base_imf, Real maintenance_fraction, Real lower_cap, Real upper_cap,
                         Real open_interest = Real(0))
        : base_imf_(base_imf), maintenance_fraction_(maintenance_fraction), lower_cap_(lower_cap),
          upper_cap_(upper_cap) {
        constexpr const char* where = "open_interest_scaled";
        if (!(base_imf_ > Real(0) && base_imf_ <= Real(1)))
            throw_invalid_argument(where, "base_imf", base_imf_, "in (0, 1]");
        check_probability(where, "maintenance_fraction", maintenance_fraction_);
        check_non_negative(where, "lower_cap", lower_cap_);
        if (!(upper_cap_ >= lower_cap_))
            throw_invalid_argument(where, "upper_cap", upper_cap_,
                                   detail::message(">= ", lower_cap_, ", the lower_cap").c_str());
        set_open_interest(open_interest);
    }

    /// Updates the market's open notional (the model's one piece of market state).
    /// \throws margincall::invalid_argument if open_interest is negative or not finite.
    void set_open_interest(Real open_interest) {
        check_non_negative("open_interest_scaled::set_open_interest", "open_interest", open_interest);
        open_interest_ = open_interest;
        initial_fraction_ = initial_fraction_at(open_interest);
    }

    [[nodiscard]] Real base_imf() const noexcept { return base_imf_; }
    [[nodiscard]] Real maintenance_fraction() const noexcept { return maintenance_fraction_; }
    [[nodiscard]] Real lower_cap() const noexcept { return lower_cap_; }
    [[nodiscard]] Real upper_cap() const noexcept { return upper_cap_; }
    [[nodiscard]] Real open_interest() const noexcept { return open_interest_; }

    /// IMF_eff at a given open notional (see the class formula).
    [[nodiscard]] Real initial_fraction_at(Real open_interest) const noexcept {
        if (open_interest >= upper_cap_) return Real(1);
        if (open_interest <= lower_cap_) return base_imf_;
        const Real scaling = (open_interest - lower_cap_) / (upper_cap_ - lower_cap_);
        const Real imf = base_imf_ + scaling * (Real(1) - base_imf_);
        return imf < Real(1) ? imf : Real(1);
    }
    /// IMF_eff at the current open interest.
    [[nodiscard]] Real initial_fraction() const noexcept { return initial_fraction_; }
    /// MMF = base_imf × maintenance_fraction.
    [[nodiscard]] Real maintenance_rate() const noexcept { return base_imf_ * maintenance_fraction_; }

    // margin_rate_model: `notional` = |q| valued at the price (margin currency), `quantity` = |q|.

    /// MM = notional × base_imf × maintenance_fraction.
    [[nodiscard]] Real maintenance_margin(Real notional, Real /*quantity*/) const noexcept {
        return notional * maintenance_rate();
    }
    /// 1 / IMF_eff (1 once open interest reaches upper_cap).
    [[nodiscard]] Real max_leverage(Real /*notional*/, Real /*quantity*/) const noexcept {
        return Real(1) / initial_fraction_;
    }
    /// IM = notional / leverage (= notional × IMF_eff at the max leverage).
    /// \throws margincall::invalid_argument if notional or quantity is negative or not finite, or
    ///         leverage is not in [1, 1 / IMF_eff].
    [[nodiscard]] Real initial_margin(Real notional, Real quantity, Real leverage) const {
        constexpr const char* where = "open_interest_scaled::initial_margin";
        check_non_negative(where, "notional", notional);
        check_non_negative(where, "quantity", quantity);
        const Real max = max_leverage(notional, quantity);
        if (!(leverage >= Real(1) && leverage <= max))
            throw_invalid_argument(
                where, "leverage", leverage,
                detail::message("in [1, ", max, "], the max_leverage at open interest ", open_interest_).c_str());
        return notional / leverage;
    }

private:
    Real base_imf_;
    Real maintenance_fraction_;
    Real lower_cap_;
    Real upper_cap_;
    Real open_interest_{};
    Real initial_fraction_{};
};

}  // namespace margincall
