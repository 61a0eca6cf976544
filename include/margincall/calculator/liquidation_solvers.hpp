#pragma once
/// \file
/// The two liquidation-solver policies of the calculator: thin adapters over the liquidation
/// layer — the exact tier-consistent closed forms for tier_schedule accounts
/// (liquidation/account_liquidation.hpp), and the generic root scan for any margin model
/// (liquidation/liquidation_solver.hpp).

#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/account_liquidation.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <span>

namespace margincall {

/// Closed-form, tier-consistent prices (Binance's formulas with tier iteration): an adapter
/// over the liquidation layer (liquidation/account_liquidation.hpp): leg_closed_form_of builds
/// WB, TMM1 and UPNL1 from the account in one place, leg_liquidation_prices and
/// leg_bankruptcy_prices solve it, as account_liquidation_prices does: isolated legs with their
/// isolated margin as WB; cross legs with the wallet as WB and the other cross legs' MM and uPnL
/// at the current marks as TMM1 and UPNL1; a cross hedge pair of one symbol solved together
/// (cumL / cumS). A flat leg has no prices (`unreachable`); a bad mark is reported as
/// `closed_form_liquidation: marks[s] is …`. Needs accounts whose margin model is
/// tier_schedule and whose contract is a margincall::closed_form_contract (linear, inverse,
/// quanto, or one with a price_variable specialisation); any other account takes
/// generic_liquidation.
struct closed_form_liquidation {
    template <class Contract, real_scalar Real>
        requires closed_form_contract<Contract>
    [[nodiscard]] leg_prices<Real> prices(const account<Contract, tier_schedule<Real>, Real>& a, std::size_t leg,
                                          std::span<const Real> marks) const {
        constexpr const char* where = "closed_form_liquidation";
        const leg_closed_form<Contract, Real> f = leg_closed_form_of(a, leg, marks, where);
        return {leg_liquidation_prices(f), leg_bankruptcy_prices(f)};
    }
};

namespace detail {
/// What a scanning solver checks before it scans leg `leg` of account `a` (generic_liquidation,
/// model_liquidation): its search factors, the leg's index and that `marks` covers its symbol.
/// Returns the leg. Messages name `where`.
template <class Account, class Real>
[[nodiscard]] const auto& scanned_leg(const char* where, const Account& a, std::size_t leg, std::span<const Real> marks,
                                      const Real& lower_factor, const Real& upper_factor) {
    if (!(lower_factor > 0 && lower_factor < 1)) throw_invalid_argument(where, "lower_factor", lower_factor, "in (0, 1)");
    if (!(upper_factor > 1) || !is_finite(upper_factor))
        throw_invalid_argument(where, "upper_factor", upper_factor, "finite and > 1");
    const auto positions = a.positions();
    if (leg >= positions.size())
        throw_invalid_argument(where, "leg", leg, message("< ", positions.size(), " (the number of positions)").c_str());
    const auto& p = positions[leg];
    if (p.symbol() >= marks.size())
        throw_invalid_argument(where, "the size of marks", marks.size(), message("> ", p.symbol(), " (the leg's symbol)").c_str());
    return p;
}
}  // namespace detail

/// Generic prices for any margin model and contract: the leg's pool surplus
/// equity(P) − MM(P) (and equity(P) for bankruptcy) as the leg's mark P moves, every other
/// mark held, scanned on a log grid over [mark × lower_factor, mark × upper_factor] and
/// refined with TOMS 748 (find_liquidation_prices in liquidation/liquidation_solver.hpp).
/// No crossing in the range gives `out_of_range`.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct generic_liquidation {
    Real lower_factor = Real(1e-3);  ///< search down to mark × lower_factor, in (0, 1)
    Real upper_factor = Real(1e3);   ///< search up to mark × upper_factor, > 1
    liquidation_scan_options<Real> scan{};

    template <class Contract, class Model>
    [[nodiscard]] leg_prices<Real> prices(const account<Contract, Model, Real>& a, std::size_t leg,
                                          std::span<const Real> marks) const {
        constexpr const char* where = "generic_liquidation";
        const auto& p = detail::scanned_leg(where, a, leg, marks, lower_factor, upper_factor);
        leg_prices<Real> out;
        if (p.is_flat()) return out;
        const std::size_t sym = p.symbol();
        const Real mark = marks[sym];
        check_positive(where, "mark", mark);
        // Pool equity and MM with the leg's symbol at P (no IM: a model may refuse to price
        // IM beyond its last bracket, MM it always prices).
        const auto pool = [&](const Real& price, bool with_margin) {
            Real equity{0}, mm{0};
            const auto at = [&](std::size_t s) { return s == sym ? price : marks[s]; };
            if (p.mode() == margin_mode::isolated) {
                equity = p.isolated_margin() + p.unrealised_pnl(price);
                if (with_margin) mm = p.maintenance_margin(price);
            } else {
                equity = a.wallet_balance();
                for (const auto& x : a.positions()) {
                    if (x.mode() != margin_mode::cross) continue;
                    equity += x.unrealised_pnl(at(x.symbol()));
                    if (with_margin) mm += x.maintenance_margin(at(x.symbol()));
                }
            }
            return Real(equity - mm);
        };
        const Real lo = mark * lower_factor, hi = mark * upper_factor;
        out.liquidation = find_liquidation_prices([&](Real x) { return pool(x, true); }, mark, lo, hi, scan).prices;
        out.bankruptcy = find_liquidation_prices([&](Real x) { return pool(x, false); }, mark, lo, hi, scan).prices;
        return out;
    }
};

}  // namespace margincall
