#pragma once
/// \file
/// The vectorised re-mark: books on bracket tables (bracket_table, or tier schedules compiled
/// to them) and linear, inverse, quanto or run-time (any_contract) contracts, in the shape a
/// tick re-mark must have to run at memory speed. Isolated books (one position per pool) and
/// books with cross pools (several positions per pool) each have a pass. Called by remark()
/// (margin/remark.hpp); tests pin both, pool by pool and bit for bit, to the generic pass that
/// calls the per-row kernel.

#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/remark_isolated.hpp>
#include <margincall/margin/remark_pooled.hpp>
#include <margincall/margin/remark_result.hpp>

#include <cstddef>
#include <span>

namespace margincall {

namespace detail {

/// The blocked re-mark: the isolated pass or the pooled pass.
template <class Contract, real_scalar Real, std::size_t MaxTiers>
remark_totals<Real> remark_blocked(const position_book<Real>& book, std::span<const Contract> contracts,
                                   std::span<const bracket_table<Real, MaxTiers>> models, std::span<const Real> marks,
                                   const status_thresholds<Real>& thresholds, const remark_output<Real>& out) {
    if (book.single_position_pools()) return remark_isolated(book, contracts, models, marks, thresholds, out);
    return remark_pooled(book, contracts, models, marks, thresholds, out);
}

}  // namespace detail

}  // namespace margincall
