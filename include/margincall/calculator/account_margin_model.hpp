#pragma once
/// \file
/// The account-level margin model: what the calculator's `margin_model` slot asks of a model.
/// Given an account and marks, the model returns the account's requirement — IM, MM and the
/// liquidation level of every pool (the cross pool and each isolated leg) — in one result type,
/// account_requirement. A per-position rate model (tier_schedule, bracket_table, a host's own)
/// is the common case: position_rate_margin sums it per pool exactly as account::evaluate does,
/// and the calculator wraps a rate model in it automatically. Account-level models (SPAN,
/// portfolio, risk-based and layered margin over the account's positions) answer the same
/// question (calculator/book_margin_adapters.hpp). docs/policies.md, "margin_model".

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace margincall {

/// The requirement of one margin pool.
template <real_scalar Real = double>
struct pool_requirement {
    Real initial_margin{};      ///< IM of the pool
    Real maintenance_margin{};  ///< MM of the pool
    Real liquidation_level{};   ///< equity at or below which the pool is liquidated, ≤ MM
                                ///< (MM for rate models; MM·(1 − buffer) for a layered model)
};

/// An account's requirement at one set of marks, pool by pool.
template <real_scalar Real = double>
struct account_requirement {
    pool_requirement<Real> cross;              ///< the cross pool (all cross positions)
    std::vector<pool_requirement<Real>> pools; ///< per position: its isolated pool, or a copy of `cross`
    Real initial_margin{};                     ///< the account's total IM (cross + isolated pools)
    Real maintenance_margin{};                 ///< the account's total MM (cross + isolated pools)
};

/// `account_requirement<Real> requirement(const Account&, std::span<const Real> marks) const`:
/// the requirement of the account at `marks` (marks[s] is symbol s's mark).
template <class M, class Account, class Real>
concept has_account_requirement = requires(const M& m, const Account& a, std::span<const Real> marks) {
    { m.requirement(a, marks) } -> std::same_as<account_requirement<Real>>;
};

/// An account-level margin model for accounts of type Account: the concept of the calculator's
/// `margin_model` slot (a margin_rate_model there is wrapped in position_rate_margin).
template <class M, class Account, class Real>
concept account_margin_model = real_scalar<Real> && has_account_requirement<M, Account, Real>;

namespace detail {
/// Throws unless `marks` covers every symbol of the account's positions with a finite mark > 0.
template <class Account, class Real>
void check_account_marks(const char* where, const Account& a, std::span<const Real> marks) {
    std::size_t needed = 0;
    for (const auto& p : a.positions()) needed = needed > p.symbol() + 1 ? needed : p.symbol() + 1;
    if (marks.size() < needed)
        throw_invalid_argument(where, "the size of marks", marks.size(),
                               detail::message(">= ", needed, " (one mark per symbol)").c_str());
    for (const auto& p : a.positions()) check_positive(where, detail::message("marks[", p.symbol(), "]"), marks[p.symbol()]);
}
}  // namespace detail

/// The default adapter: the account's requirement from the per-position rate model its
/// positions carry. Cross pool IM, MM = Σ over cross positions; each isolated pool its
/// position's own; totals Σ over all positions in the account's order; liquidation level = MM.
/// The same sums, in the same order, as account::evaluate, so figures agree bit for bit.
struct position_rate_margin {
    template <class Contract, class Model, real_scalar Real>
    [[nodiscard]] account_requirement<Real> requirement(const account<Contract, Model, Real>& a,
                                                        std::span<const Real> marks) const {
        detail::check_account_marks("position_rate_margin", a, marks);
        const auto positions = a.positions();
        account_requirement<Real> r;
        r.pools.resize(positions.size());
        for (std::size_t i = 0; i < positions.size(); ++i) {
            const auto& p = positions[i];
            const Real mark = marks[p.symbol()];
            const Real im = p.initial_margin(mark), mm = p.maintenance_margin(mark);
            r.initial_margin += im;
            r.maintenance_margin += mm;
            if (p.mode() == margin_mode::isolated) {
                r.pools[i] = {im, mm, mm};
            } else {
                r.cross.initial_margin += im;
                r.cross.maintenance_margin += mm;
            }
        }
        r.cross.liquidation_level = r.cross.maintenance_margin;
        for (std::size_t i = 0; i < positions.size(); ++i)
            if (positions[i].mode() == margin_mode::cross) r.pools[i] = r.cross;
        return r;
    }
};

/// The per-position model of accounts margined at account level (an account_margin_model in the
/// calculator's slot): positions carry no margin of their own (IM = MM = 0, no leverage cap),
/// so every requirement comes from the account-level model. Order checks that read the
/// per-position model (leverage cap, cross IM) then pass; the account-level requirement governs.
/// A host that also wants per-position limits names its rate model in `Policies::position_model`.
template <real_scalar Real = double>
struct no_position_margin {
    [[nodiscard]] constexpr Real maintenance_margin(Real, Real) const noexcept { return Real(0); }
    [[nodiscard]] constexpr Real initial_margin(Real, Real, Real) const noexcept { return Real(0); }
    [[nodiscard]] Real max_leverage(Real, Real) const noexcept { return std::numeric_limits<Real>::infinity(); }
    /// The one instance positions point to (a position holds its model by pointer).
    [[nodiscard]] static const no_position_margin& instance() noexcept {
        static const no_position_margin model{};
        return model;
    }
};

}  // namespace margincall
