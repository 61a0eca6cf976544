#pragma once
/// \file
/// Open-ended arithmetic tiers (OKX): listed brackets, then a rule "each further tier adds a
/// fixed size, a fixed maintenance rate and a fixed initial rate" until 1x leverage.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

namespace margincall {

/// A tier_schedule `head` (n listed tiers, last cap C, last MMR m_n, last max leverage L_n)
/// followed by generated tiers k = 1, 2, …, K:
///
///   floor_{n+k} = C + (k−1)·step,   cap_{n+k} = C + k·step,
///   MMR_{n+k} = m_n + k·Δm,   IMR_{n+k} = 1/L_n + k·Δi,   max_leverage_{n+k} = 1 / IMR_{n+k},
///   notional basis: cum_{n+k} = cum_n + Δm·(k·C + step·k(k−1)/2)   (Binance's recursion summed),
///   quantity basis: cum = 0 (MM = notional × MMR by quantity, as in tier_schedule).
///
/// K is the last k with IMR ≤ 1 (leverage 1x; computed with a tolerance of max(64 ulps, 10⁻¹²)
/// so that rates that reach exactly 100 % count). Like tier_schedule, a size beyond the last generated cap
/// is evaluated in tier n+K for maintenance, and `initial_margin` throws there.
/// Source: OKX tier announcements (mirrors cnoyu.com 2023-04-17, okx.vote 2023-05-15), e.g.
/// ADAUSDT perpetual after the change: tiers ≤1,500 / ≤3,000 / ≤6,000 contracts, then "+6,000
/// conts, +0.5 % MMR, +0.5 % IMR" per tier; OKX "Tiered maintenance margin ratio rules"
/// (tiers counted in contracts). See docs/tiers.md.
/// \tparam Real a real_scalar
/// \test tests/tiers/arithmetic_tiers.cpp: the OKX ADAUSDT rule, continuity of the generated
///       cums, every constructor error.
template <real_scalar Real = double>
class arithmetic_tiers {
public:
    using tier = typename tier_schedule<Real>::tier;

    /// \param head the listed tiers; its last cap must be finite
    /// \param size_step size each generated tier adds (basis units), finite and > 0
    /// \param maintenance_rate_step MMR each generated tier adds, finite, ≥ 0 and ≤ initial_rate_step
    ///        (so MMR stays below IMR)
    /// \param initial_rate_step IMR each generated tier adds, finite and > 0
    arithmetic_tiers(tier_schedule<Real> head, Real size_step, Real maintenance_rate_step, Real initial_rate_step)
        : head_(std::move(head)), step_(size_step), maintenance_step_(maintenance_rate_step),
          initial_step_(initial_rate_step) {
        constexpr const char* where = "arithmetic_tiers";
        const tier& last = head_.tiers().back();
        check_finite(where, "the last cap of head", last.cap);
        check_positive(where, "size_step", step_);
        check_positive(where, "initial_rate_step", initial_step_);
        check_non_negative(where, "maintenance_rate_step", maintenance_step_);
        if (!(maintenance_step_ <= initial_step_))
            throw_invalid_argument(where, "maintenance_rate_step", maintenance_step_,
                                   detail::message("<= ", initial_step_, ", the initial_rate_step").c_str());
        // K = max k with 1/L_n + k·Δi ≤ 1 (+ rate_slack()), the last tier that 1x leverage can open.
        const Real slack = rate_slack();
        const Real base = Real(1) / last.max_leverage;
        // Tier numbers must stay exact integers in Real: at most 1/epsilon generated tiers.
        const Real most = Real(1) / std::numeric_limits<Real>::epsilon();
        if ((Real(1) - base) / initial_step_ > most)
            throw_invalid_argument(where, "initial_rate_step", initial_step_,
                                   detail::message(">= ", Real((Real(1) - base) / most),
                                                   " (at most 1/epsilon generated tiers)")
                                       .c_str());
        using std::floor;
        Real k = floor((Real(1) - base) / initial_step_);
        while (base + (k + Real(1)) * initial_step_ <= Real(1) + slack) k += Real(1);
        while (k > Real(0) && base + k * initial_step_ > Real(1) + slack) k -= Real(1);
        generated_ = k;
        last_cap_ = last.cap + generated_ * step_;
    }

    [[nodiscard]] const tier_schedule<Real>& head() const noexcept { return head_; }
    [[nodiscard]] tier_basis basis() const noexcept { return head_.basis(); }
    /// Number of tiers, listed and generated (n + K).
    [[nodiscard]] Real tier_count() const noexcept { return Real(head_.tiers().size()) + generated_; }
    /// Cap of the last generated tier: the largest size that can be opened (at 1x).
    [[nodiscard]] Real last_cap() const noexcept { return last_cap_; }

    /// 0-based tier index of a size (basis units), O(log n) in the head, O(1) beyond it. A size
    /// beyond last_cap() maps to the last generated tier.
    [[nodiscard]] std::uint64_t tier_index(Real size) const noexcept {
        const Real k = generated_index(size);
        if (k == Real(0)) return static_cast<std::uint64_t>(head_.tier_index(size));
        return static_cast<std::uint64_t>(head_.tiers().size()) + static_cast<std::uint64_t>(k) - 1;
    }
    /// The tier of a size, listed or generated (by value: generated tiers are not stored).
    [[nodiscard]] tier tier_for(Real size) const noexcept {
        const Real k = generated_index(size);
        if (k == Real(0)) return head_.tier_for(size);
        const tier& last = head_.tiers().back();
        tier t{};
        t.floor = last.cap + (k - Real(1)) * step_;
        t.cap = last.cap + k * step_;
        t.maintenance_rate = last.maintenance_rate + k * maintenance_step_;
        // k ≤ K, so IMR ≤ 1 up to rate_slack(); round that residue to exactly 1x.
        const Real initial_rate = Real(1) / last.max_leverage + k * initial_step_;
        t.max_leverage = initial_rate < Real(1) ? Real(Real(1) / initial_rate) : Real(1);
        // Σ_{j=1..k} floor_{n+j}·Δm = Δm·(k·C + step·k(k−1)/2); every generated step raises MMR by Δm.
        t.maintenance_amount = head_.basis() == tier_basis::notional
                                   ? Real(last.maintenance_amount +
                                          maintenance_step_ * (k * last.cap + step_ * k * (k - Real(1)) / Real(2)))
                                   : Real(0);
        return t;
    }

    // margin_rate_model: `notional` = |q| valued at the price (margin currency), `quantity` = |q|.

    /// MM = notional × MMR_i − cum_i, i the tier of notional or quantity per basis().
    [[nodiscard]] Real maintenance_margin(Real notional, Real quantity) const noexcept {
        const tier t = tier_for(key(notional, quantity));
        return notional * t.maintenance_rate - t.maintenance_amount;
    }
    /// The size's tier's max leverage (the last generated tier's beyond last_cap()).
    [[nodiscard]] Real max_leverage(Real notional, Real quantity) const noexcept {
        return tier_for(key(notional, quantity)).max_leverage;
    }
    /// The largest size (basis units) a position may be opened or increased to: last_cap().
    [[nodiscard]] Real size_limit() const noexcept { return last_cap_; }
    /// Whether a leg of this notional and quantity may be opened (size ≤ size_limit(); false for NaN).
    [[nodiscard]] bool within_size_limit(Real notional, Real quantity) const noexcept {
        return key(notional, quantity) <= last_cap_;
    }
    /// IM = notional / leverage, in the size's tier (the last generated tier beyond
    /// last_cap(), as for maintenance: a live position carried there by the price is margined,
    /// not refused; opening it is refused through within_size_limit).
    /// \throws margincall::invalid_argument if notional or quantity is negative or not finite,
    ///         or if leverage is not in [1, the tier's max].
    [[nodiscard]] Real initial_margin(Real notional, Real quantity, Real leverage) const {
        constexpr const char* where = "arithmetic_tiers::initial_margin";
        check_non_negative(where, "notional", notional);
        check_non_negative(where, "quantity", quantity);
        const Real size = key(notional, quantity);
        const char* name = head_.basis() == tier_basis::notional ? "notional" : "quantity";
        const Real max = tier_for(size).max_leverage;
        if (!(leverage >= Real(1) && leverage <= max))
            throw_invalid_argument(where, "leverage", leverage,
                                   detail::message("in [1, ", max, "], the max_leverage of tier ",
                                                   tier_index(size) + 1, " at ", name, " ", size)
                                       .c_str());
        return notional / leverage;
    }
    /// The largest size (basis units) a leverage allows: the cap of the last tier whose max
    /// leverage ≥ leverage.
    /// \throws margincall::invalid_argument if leverage is not in [1, max_leverage of tier 1].
    [[nodiscard]] Real max_size(Real leverage) const {
        const tier& last = head_.tiers().back();
        const Real top = head_.tiers().front().max_leverage;
        if (!(leverage >= Real(1) && leverage <= top))
            throw_invalid_argument("arithmetic_tiers::max_size", "leverage", leverage,
                                   detail::message("in [1, ", top, "], the max_leverage of tier 1").c_str());
        if (leverage > Real(1) / (Real(1) / last.max_leverage + initial_step_)) return head_.max_size(leverage);
        // Generated tier k allows leverage iff 1/L_n + k·Δi ≤ 1/leverage (with the same tolerance as K).
        const Real slack = rate_slack();
        const Real room = Real(1) / leverage - Real(1) / last.max_leverage;
        using std::floor;
        Real k = floor(room / initial_step_);
        while ((k + Real(1)) * initial_step_ <= room + slack) k += Real(1);
        while (k > Real(1) && k * initial_step_ > room + slack) k -= Real(1);
        if (k > generated_) k = generated_;
        return last.cap + k * step_;
    }

private:
    /// Rates within max(64 ulps, 10⁻¹²) of a bound count as reaching it (a step of 0.5 % typed in
    /// double and widened to long double overshoots 100 % after 195 steps by 2·10⁻¹⁷).
    [[nodiscard]] static Real rate_slack() noexcept {
        const Real ulps = Real(64) * std::numeric_limits<Real>::epsilon();
        const auto fixed = static_cast<Real>(1e-12);
        return ulps > fixed ? ulps : fixed;
    }
    [[nodiscard]] Real key(Real notional, Real quantity) const noexcept {
        return head_.basis() == tier_basis::notional ? notional : quantity;
    }
    /// 0 inside the head, else k in [1, K] (K beyond last_cap()).
    [[nodiscard]] Real generated_index(Real size) const noexcept {
        const Real cap = head_.tiers().back().cap;
        if (!(size >= cap) || generated_ == Real(0)) return Real(0);
        using std::floor;
        const Real k = floor((size - cap) / step_) + Real(1);
        return k < generated_ ? k : generated_;
    }

    tier_schedule<Real> head_;
    Real step_;
    Real maintenance_step_;
    Real initial_step_;
    Real generated_{};  // K, an integer held in Real (may exceed any integer type for tiny steps)
    Real last_cap_{};
};

}  // namespace margincall
