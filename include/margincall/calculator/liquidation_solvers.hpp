#pragma once
/// \file
/// The two liquidation-solver policies of the calculator: the exact tier-consistent closed
/// forms for tier_schedule accounts, and the generic root scan for any margin model.

#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/liquidation/liquidation_solver.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <span>

namespace margincall {

namespace detail {

/// Maps a one-way leg's single liquidation point to its side: below the mark for a long,
/// above it for a short.
template <real_scalar Real>
liquidation_prices<Real> one_sided(const liquidation_point<Real>& p, const Real& quantity) {
    liquidation_prices<Real> out;
    (quantity > 0 ? out.downside : out.upside) = p;
    return out;
}

}  // namespace detail

/// Closed-form, tier-consistent prices (liquidation/liquidation_price.hpp, Binance's
/// formulas with tier iteration): isolated legs with their isolated margin as WB; cross legs
/// with the wallet as WB and the other cross legs' MM and uPnL at the current marks as TMM1
/// and UPNL1; a cross hedge pair of one symbol solved together (cumL / cumS). Needs accounts
/// whose margin model is tier_schedule and whose contract is linear, inverse or quanto.
struct closed_form_liquidation {
    template <class Contract, real_scalar Real>
        requires detail::closed_form_contract<Contract>
    [[nodiscard]] leg_prices<Real> prices(const account<Contract, tier_schedule<Real>, Real>& a, std::size_t leg,
                                          std::span<const Real> marks) const {
        constexpr const char* where = "closed_form_liquidation";
        const auto positions = a.positions();
        if (leg >= positions.size())
            throw_invalid_argument(where, "leg", leg, detail::message("< ", positions.size(), " (the number of positions)").c_str());
        const auto& p = positions[leg];
        if (p.symbol() >= marks.size())
            throw_invalid_argument(where, "the size of marks", marks.size(), detail::message("> ", p.symbol(), " (the leg's symbol)").c_str());
        leg_prices<Real> out;
        if (p.is_flat()) return out;  // both sides `unreachable`
        const Real mark = marks[p.symbol()];
        const Contract& c = p.contract_spec();
        const tier_schedule<Real>& s = p.model();
        if (p.mode() == margin_mode::isolated) {
            const account_balance<Real> b{p.isolated_margin(), Real(0), Real(0)};
            const position_leg<Real> l{p.quantity(), p.entry_price()};
            out.liquidation = detail::one_sided(liquidation_price(c, s, l, b, mark), p.quantity());
            out.bankruptcy = detail::one_sided(bankruptcy_price(c, l, b, mark), p.quantity());
            return out;
        }
        // Cross: the opposite hedge leg of the same symbol, if cross, moves with this one.
        std::size_t twin = a.npos;
        if (p.side() != position_side::both) {
            const position_side other = p.side() == position_side::long_leg ? position_side::short_leg : position_side::long_leg;
            twin = a.find_leg(p.symbol(), other);
            if (twin != a.npos && positions[twin].mode() != margin_mode::cross) twin = a.npos;
        }
        account_balance<Real> b{a.wallet_balance(), Real(0), Real(0)};
        for (std::size_t i = 0; i < positions.size(); ++i) {
            const auto& x = positions[i];
            if (i == leg || i == twin || x.mode() != margin_mode::cross || x.is_flat()) continue;
            const Real m = marks[x.symbol()];
            b.other_maintenance_margin += x.maintenance_margin(m);
            b.other_unrealised_pnl += x.unrealised_pnl(m);
        }
        if (p.side() == position_side::both) {
            const position_leg<Real> l{p.quantity(), p.entry_price()};
            out.liquidation = detail::one_sided(liquidation_price(c, s, l, b, mark), p.quantity());
            out.bankruptcy = detail::one_sided(bankruptcy_price(c, l, b, mark), p.quantity());
            return out;
        }
        position_leg<Real> long_leg{}, short_leg{};
        (p.side() == position_side::long_leg ? long_leg : short_leg) = position_leg<Real>{p.quantity(), p.entry_price()};
        if (twin != a.npos && !positions[twin].is_flat())
            (p.side() == position_side::long_leg ? short_leg : long_leg) =
                position_leg<Real>{positions[twin].quantity(), positions[twin].entry_price()};
        out.liquidation = liquidation_prices_hedged(c, s, long_leg, short_leg, b, mark);
        out.bankruptcy = bankruptcy_prices_hedged(c, long_leg, short_leg, b, mark);
        return out;
    }
};

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
        if (!(lower_factor > 0 && lower_factor < 1))
            throw_invalid_argument(where, "lower_factor", lower_factor, "in (0, 1)");
        if (!(upper_factor > 1) || !detail::is_finite(upper_factor))
            throw_invalid_argument(where, "upper_factor", upper_factor, "finite and > 1");
        const auto positions = a.positions();
        if (leg >= positions.size())
            throw_invalid_argument(where, "leg", leg, detail::message("< ", positions.size(), " (the number of positions)").c_str());
        const auto& p = positions[leg];
        if (p.symbol() >= marks.size())
            throw_invalid_argument(where, "the size of marks", marks.size(), detail::message("> ", p.symbol(), " (the leg's symbol)").c_str());
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
                for (const auto& x : positions) {
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
