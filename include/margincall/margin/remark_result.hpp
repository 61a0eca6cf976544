#pragma once
/// \file
/// What a batch re-mark writes: per-pool outputs (caller-owned spans) and book-wide totals.

#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/margin_status.hpp>

#include <array>
#include <cstddef>
#include <span>

namespace margincall {

template <real_scalar Real = double>
struct remark_output {
    std::span<Real> equity{};
    std::span<Real> initial_margin{};
    std::span<Real> maintenance_margin{};
    std::span<Real> call_amount{};
    std::span<margin_status> status{};
};

/// Book-wide totals of a re-mark.
template <real_scalar Real = double>
struct remark_totals {
    std::array<std::size_t, margin_status_count> count{};  ///< pools per margin_status (index = status value)
    Real call_amount{};                  ///< Σ call amounts (every pool below IM, whatever its status)
    Real called_amount{};                ///< Σ call amounts of the pools in margin_call or liquidation:
                                         ///< what the venue demands now
    Real equity{};                       ///< Σ pool equity
    Real maintenance_margin{};           ///< Σ MM
    Real initial_margin{};               ///< Σ IM

    [[nodiscard]] std::size_t operator[](margin_status s) const noexcept { return count[static_cast<std::size_t>(s)]; }
};


}  // namespace margincall
