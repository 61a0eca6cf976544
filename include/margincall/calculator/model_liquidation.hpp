#pragma once
/// \file
/// Liquidation and bankruptcy prices against an account-level margin model: the liquidation
/// solver of calculators whose `margin_model` slot holds an account_margin_model (SPAN, portfolio,
/// risk-based, layered; or a rate model through position_rate_margin).

#include <margincall/calculator/account_margin_model.hpp>
#include <margincall/calculator/liquidation_solvers.hpp>
#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// For leg i on symbol s: the marks of s at which the pool holding the leg reaches its
/// liquidation level (equity(P) = level(P), the model's requirement recomputed at every
/// candidate P, other marks held) and zero equity. The surplus equity(P) − level(P) is scanned
/// on a log grid over [mark × lower_factor, mark × upper_factor] and each sign change refined
/// with TOMS 748 (find_liquidation_prices, liquidation/liquidation_solver.hpp); a crossing
/// outside the range is `out_of_range`. With position_rate_margin the level is the pool's MM,
/// so the prices are those of generic_liquidation.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct model_liquidation {
    Real lower_factor = Real(1e-3);  ///< search down to mark × lower_factor, in (0, 1)
    Real upper_factor = Real(1e3);   ///< search up to mark × upper_factor, > 1
    liquidation_scan_options<Real> scan{};

    template <class Contract, class PositionModel, class Model>
        requires account_margin_model<Model, account<Contract, PositionModel, Real>, Real>
    [[nodiscard]] leg_prices<Real> prices(const account<Contract, PositionModel, Real>& a, const Model& model,
                                          std::size_t leg, std::span<const Real> marks) const {
        constexpr const char* where = "model_liquidation";
        const auto& p = detail::scanned_leg(where, a, leg, marks, lower_factor, upper_factor);
        leg_prices<Real> out;
        if (p.is_flat()) return out;
        const std::size_t sym = p.symbol();
        const Real mark = marks[sym];
        check_positive(where, "mark", mark);
        std::vector<Real> moved(marks.begin(), marks.end());
        const bool isolated = p.mode() == margin_mode::isolated;
        // Pool equity minus its liquidation level (or minus nothing) with symbol `sym` at P.
        const auto surplus = [&](const Real& price, bool with_margin) {
            moved[sym] = price;
            Real equity{0};
            if (isolated) {
                equity = p.isolated_margin() + p.unrealised_pnl(price);
            } else {
                equity = a.wallet_balance();
                for (const auto& x : a.positions())
                    if (x.mode() == margin_mode::cross) equity += x.unrealised_pnl(moved[x.symbol()]);
            }
            if (!with_margin) return equity;
            const account_requirement<Real> r = model.requirement(a, std::span<const Real>(moved));
            return Real(equity - (isolated ? r.pools[leg].liquidation_level : r.cross.liquidation_level));
        };
        const Real lo = mark * lower_factor, hi = mark * upper_factor;
        out.liquidation = find_liquidation_prices([&](Real x) { return surplus(x, true); }, mark, lo, hi, scan).prices;
        out.bankruptcy = find_liquidation_prices([&](Real x) { return surplus(x, false); }, mark, lo, hi, scan).prices;
        return out;
    }
};

}  // namespace margincall
