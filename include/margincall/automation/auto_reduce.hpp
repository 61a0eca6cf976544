#pragma once
/// \file
/// Automatic reduction: the smallest cut of a position that brings its margin pool's ratio
/// back to a target, solved (not stepped) on the account's own order preview.

#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position.hpp>


#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

namespace margincall {

/// What a reduction policy decided.
enum class reduction_status : unsigned char {
    not_needed,   ///< no pool's ratio reached the trigger
    restored,     ///< the cut brings the pool's ratio to the target
    unreachable,  ///< even closing the whole leg leaves the ratio above the target (the plan closes it)
    no_convergence  ///< the solve's budget ran out: the cut restores the target (the end of the
                    ///< last bracket where the ratio is ≤ target) but a smaller one may too
};

/// Name of a reduction status ("not_needed", "restored", "unreachable", "no_convergence").
[[nodiscard]] constexpr const char* to_string(reduction_status s) noexcept {
    switch (s) {
        case reduction_status::not_needed: return "not_needed";
        case reduction_status::restored: return "restored";
        case reduction_status::unreachable: return "unreachable";
        case reduction_status::no_convergence: return "no_convergence";
    }
    return "unknown";
}

/// A planned reduction: a reducing order on one leg, closed at the mark.
template <real_scalar Real = double>
struct reduction_plan {
    reduction_status status = reduction_status::not_needed;
    std::size_t leg{};        ///< index of the position to cut
    order<Real> cut{};        ///< the reducing order (quantity opposite to the leg's)
    Real ratio_before{};      ///< the pool's margin ratio before
    Real ratio_after{};       ///< the pool's margin ratio after the cut (from the account's preview)
};

/// A reduction policy: `reduction_plan<Real> plan(const Account&, std::span<const Real> marks) const`.
template <class R, class Account, class Real>
concept has_reduction_plan = requires(const R& r, const Account& a, std::span<const Real> marks) {
    { r.plan(a, marks) } -> std::same_as<reduction_plan<Real>>;
};

/// A reduction policy for accounts of type Account.
template <class R, class Account, class Real>
concept reduction_policy = real_scalar<Real> && has_reduction_plan<R, Account, Real>;

/// Never reduces.
struct no_reduction {
    template <class Account, real_scalar Real>
    [[nodiscard]] reduction_plan<Real> plan(const Account&, std::span<const Real>) const noexcept {
        return {};
    }
};

/// Cuts the leg that carries the most maintenance margin in the first pool whose ratio
/// MM / equity ≥ trigger, by the smallest quantity c with ratio_after(c) ≤ target.
///
/// The cut is an order at the mark (account::preview): in a cross pool the realised PnL of
/// the closed part moves from uPnL into the wallet, so equity is unchanged and MM(c) falls
/// strictly with c (maintenance rates > 0), so ratio(c) is continuous and strictly decreasing
/// on [0, |q|]; the root of ratio(c) − target is bracketed by [0, |q|] and solved with
/// Boost.Math's TOMS 748 (Alefeld, Potra & Shi 1995; core/bracketed_solve.hpp) to a bracket of
/// a few ulps, returning the end where the ratio is ≤ target. Each solve may call the account's
/// preview at most `max_evaluations` times; when that budget runs out the plan says
/// `no_convergence` and still cuts the restoring end of the bracket reached. An isolated leg releases margin in proportion to the cut,
/// which keeps its ratio almost unchanged: a full close is then the only cure and the plan says
/// `unreachable` unless a partial cut works.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
class auto_reduce {
public:
    /// \param trigger_ratio ratio at which to act, in (0, 1]
    /// \param target_ratio ratio to restore, 0 < target_ratio < trigger_ratio
    /// \param max_evaluations previews a cut's solve may make (TOMS 748 budget), ≥ 1
    explicit auto_reduce(Real trigger_ratio = Real(0.8), Real target_ratio = Real(0.5),
                         std::uintmax_t max_evaluations = 200)
        : trigger_(trigger_ratio), target_(target_ratio), max_evaluations_(max_evaluations) {
        constexpr const char* where = "auto_reduce";
        if (!(trigger_ratio > 0 && trigger_ratio <= 1))
            throw_invalid_argument(where, "trigger_ratio", trigger_ratio, "in (0, 1]");
        if (!(target_ratio > 0 && target_ratio < trigger_ratio))
            throw_invalid_argument(where, "target_ratio", target_ratio,
                                   detail::message("in (0, ", trigger_ratio, ") (below trigger_ratio)").c_str());
        if (max_evaluations == 0) throw_invalid_argument(where, "max_evaluations", max_evaluations, ">= 1");
    }
    [[nodiscard]] Real trigger_ratio() const noexcept { return trigger_; }
    [[nodiscard]] Real target_ratio() const noexcept { return target_; }
    [[nodiscard]] std::uintmax_t max_evaluations() const noexcept { return max_evaluations_; }

    /// The plan for `a` at `marks` (not executed). \throws invalid_argument on bad marks.
    template <class Contract, class Model>
    [[nodiscard]] reduction_plan<Real> plan(const account<Contract, Model, Real>& a, std::span<const Real> marks) const {
        const auto e = a.evaluate(marks);
        const auto positions = a.positions();
        // The first triggered pool (cross first), then its leg with the largest MM.
        std::size_t leg = positions.size();
        Real best{-1};
        for (int pass = 0; pass < 2 && leg == positions.size(); ++pass) {
            for (std::size_t i = 0; i < positions.size(); ++i) {
                const bool cross = positions[i].mode() == margin_mode::cross;
                if ((pass == 0) != cross || positions[i].is_flat()) continue;
                if (!(e.pools[i].margin_ratio >= trigger_)) continue;
                if (!cross && leg != positions.size()) continue;  // one isolated pool at a time
                if (e.positions[i].maintenance_margin > best) {
                    best = e.positions[i].maintenance_margin;
                    leg = i;
                }
            }
        }
        reduction_plan<Real> r;
        if (leg == positions.size()) return r;
        return plan_leg(a, leg, marks, e.pools[leg].margin_ratio);
    }

    /// The smallest cut of leg `leg` restoring the target (whatever its pool's ratio now).
    template <class Contract, class Model>
    [[nodiscard]] reduction_plan<Real> plan_leg(const account<Contract, Model, Real>& a, std::size_t leg,
                                                std::span<const Real> marks, Real ratio_before) const {
        const auto& p = a.positions()[leg];
        const Real q = p.quantity();
        const Real size = q < 0 ? -q : q;
        const Real sign = q < 0 ? Real(1) : Real(-1);  // the reducing direction
        const Real mark = marks[p.symbol()];
        const auto cut_order = [&](const Real& c) { return order<Real>{p.symbol(), p.side(), sign * c, mark}; };
        const auto ratio_after = [&](const Real& c) {
            if (c >= size && p.mode() == margin_mode::isolated) return Real(0);  // nothing left in the pool
            return a.preview(cut_order(c), marks).after.pools[leg].margin_ratio;
        };
        reduction_plan<Real> r;
        r.leg = leg;
        r.ratio_before = ratio_before;
        const Real full = ratio_after(size);
        if (!(full <= target_)) {
            r.status = reduction_status::unreachable;
            r.cut = cut_order(size);
            r.ratio_after = full;
            return r;
        }
        if (ratio_before <= target_) {
            r.status = reduction_status::restored;
            r.cut = cut_order(Real(0));
            r.ratio_after = ratio_before;
            return r;
        }
        const auto f = [&](const Real& c) { return ratio_after(c) - target_; };
        const solve_result<Real> solved =
            solve_bracketed(f, Real(0), size, Real(ratio_before - target_), Real(full - target_),
                            solve_budget<Real>{max_evaluations_, boost::math::tools::digits<Real>() - 3});
        // f is decreasing: the upper end of the bracket has f ≤ 0 (the ratio is restored); the
        // lower end does too only when the solve hit the root exactly.
        const Real c = f(solved.lower) <= 0 ? solved.lower : solved.upper;
        r.status = solved.found() ? reduction_status::restored : reduction_status::no_convergence;
        r.cut = cut_order(c);
        r.ratio_after = ratio_after(c);
        return r;
    }

private:
    Real trigger_;
    Real target_;
    std::uintmax_t max_evaluations_;
};

}  // namespace margincall
