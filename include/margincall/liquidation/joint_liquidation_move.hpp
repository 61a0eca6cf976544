#pragma once
/// \file
/// Joint-move liquidation for a multi-asset cross account: the move t along a direction d
/// (every mark P_i becomes P_i·(1 + t·d_i)) at which equity crosses maintenance margin.
/// d = (1, …, 1) is the uniform percentage move of all marks (t = −0.2: every mark 20 % lower);
/// a beta vector, or a stress scenario's shape, gives a move along that direction.
/// Answers the question single-asset liquidation prices cannot ("assumes all other asset
/// prices are held equal", Mango UI issues #51/#52/#55).
///
/// Method: the generic solver of liquidation_solver.hpp on a uniform grid in t (same sign-change
/// and extremum refinement, TOMS 748 roots); one scratch vector per call.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace margincall {

/// The moves t in [lower_move, upper_move] at which `surplus(prices(t))` changes sign, with
/// prices_i(t) = marks_i·(1 + t·direction_i), and the nearest ones below and above t = 0
/// (in `prices.downside` / `prices.upside`, whose `price` field holds the move t).
///
/// \param surplus callable `Real(std::span<const Real> prices)` = equity − maintenance margin
/// \param marks current marks, each > 0; \param direction same size, finite
/// \param lower_move ≤ 0 ≤ upper_move; every price must stay > 0 at both ends
/// \throws invalid_argument on bad sizes, marks, direction or range, or a non-finite surplus
template <real_scalar Real, class Surplus>
    requires std::invocable<Surplus&, std::span<const Real>>
[[nodiscard]] liquidation_scan<Real> find_joint_liquidation_move(Surplus surplus, std::span<const Real> marks,
                                                                 std::span<const Real> direction, Real lower_move,
                                                                 Real upper_move,
                                                                 const liquidation_scan_options<Real>& options = {}) {
    constexpr const char* where = "find_joint_liquidation_move";
    check_not_empty(where, "marks", marks);
    if (direction.size() != marks.size())
        throw_invalid_argument(where, "the size of direction", direction.size(),
                               detail::message(marks.size(), " (the size of marks)").c_str());
    for (std::size_t i = 0; i < marks.size(); ++i) check_positive(where, detail::message("marks[", i, "]"), marks[i]);
    check_all_finite(where, "direction", direction);
    check_finite(where, "lower_move", lower_move);
    check_finite(where, "upper_move", upper_move);
    if (!(lower_move <= 0)) throw_invalid_argument(where, "lower_move", lower_move, "<= 0");
    if (!(upper_move >= 0)) throw_invalid_argument(where, "upper_move", upper_move, ">= 0");
    if (!(upper_move > lower_move))
        throw_invalid_argument(where, "upper_move", upper_move, detail::message("> lower_move = ", lower_move).c_str());
    for (std::size_t i = 0; i < marks.size(); ++i) {
        for (const bool lower : {true, false}) {
            const Real t = lower ? lower_move : upper_move;
            if (!(Real(1) + t * direction[i] > 0))
                throw_invalid_argument(where, lower ? "lower_move" : "upper_move", t,
                                       detail::message("such that every price stays > 0 (1 + t × direction[", i,
                                                       "] = 1 + t × ", direction[i], " is not)")
                                           .c_str());
        }
    }
    std::vector<Real> prices(marks.size());
    auto along = [&](Real t) -> Real {
        for (std::size_t i = 0; i < marks.size(); ++i) prices[i] = marks[i] * (Real(1) + t * direction[i]);
        return static_cast<Real>(std::invoke(surplus, std::span<const Real>(prices)));
    };
    liquidation_scan_options<Real> uniform = options;
    uniform.logarithmic_grid = false;
    // The move scan runs over t ∈ [lower_move, upper_move] with the "mark" at t = 0; shift to a
    // non-negative variable so the solver's range check holds, then shift back.
    auto shifted = [&](Real x) -> Real { return along(x + lower_move); };
    liquidation_scan<Real> out =
        find_liquidation_prices(shifted, Real(-lower_move), Real(0), Real(upper_move - lower_move), uniform);
    for (Real& c : out.crossings) c += lower_move;
    for (liquidation_point<Real>* p : {&out.prices.downside, &out.prices.upside})
        if (p->found()) p->price += lower_move;
    return out;
}

}  // namespace margincall
