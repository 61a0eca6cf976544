#pragma once
/// \file
/// The event log of automation: what was decided (alert change, top-up, reduction), on
/// which figures, and why, in the order it happened.

#include <margincall/automation/alert_levels.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace margincall {

/// Kinds of automation events.
enum class event_kind : unsigned char {
    alert_raised,        ///< the alert level went up
    alert_cleared,       ///< the alert level went down (the ratio cleared the hysteresis band)
    top_up,              ///< collateral moved from spot into the account
    top_up_short,        ///< the top-up needed more than the spot balance held (all of it moved)
    reduction,           ///< a position was cut to restore the target ratio
    reduction_exhausted  ///< a position was closed and the target ratio was still not reached
};

/// Name of an event kind ("alert_raised", ...).
[[nodiscard]] constexpr const char* to_string(event_kind k) noexcept {
    switch (k) {
        case event_kind::alert_raised: return "alert_raised";
        case event_kind::alert_cleared: return "alert_cleared";
        case event_kind::top_up: return "top_up";
        case event_kind::top_up_short: return "top_up_short";
        case event_kind::reduction: return "reduction";
        case event_kind::reduction_exhausted: return "reduction_exhausted";
    }
    return "unknown";
}

/// One decision: its kind, the alert levels around it, the ratio before and after, the amount
/// (collateral moved, or quantity cut, signed as the order) and the leg it concerns.
template <real_scalar Real = double>
struct margin_event {
    std::uint64_t sequence{};   ///< position in the log, from 0
    event_kind kind{};
    alert_level from = alert_level::none;
    alert_level to = alert_level::none;
    Real ratio_before{};        ///< margin ratio that led to the decision
    Real ratio_after{};         ///< margin ratio after it
    Real amount{};              ///< top-up amount, or signed order quantity of a cut
    std::size_t leg{};          ///< the position cut (reductions only)
    const char* reason = "";    ///< the rule that fired, a string literal
};

/// An append-only log of automation decisions.
/// Thread safety: `record` and `clear` need exclusive access (no internal locking); use one
/// log per thread, or a lock around it, when several threads decide. Const readers may run
/// concurrently with each other.
template <real_scalar Real = double>
class event_log {
public:
    /// Appends `e`, stamping its sequence number; returns it.
    const margin_event<Real>& record(margin_event<Real> e) {
        e.sequence = next_++;
        events_.push_back(e);
        return events_.back();
    }
    [[nodiscard]] std::span<const margin_event<Real>> events() const noexcept { return events_; }
    [[nodiscard]] std::size_t size() const noexcept { return events_.size(); }
    /// Forgets the recorded events (sequence numbers keep counting).
    void clear() noexcept { events_.clear(); }

private:
    std::vector<margin_event<Real>> events_;
    std::uint64_t next_{0};
};

}  // namespace margincall
