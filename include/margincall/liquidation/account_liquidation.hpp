#pragma once
/// \file
/// Liquidation prices of the margin layer's positions and accounts: thin overloads that read
/// WB, TMM1, UPNL1 and the legs off a margincall::position / margincall::account and call the
/// closed forms of liquidation_price.hpp.
///
/// Isolated leg: WB = its isolated margin, TMM1 = UPNL1 = 0. Cross leg: the symbol's cross
/// legs (one-way: the `both` leg; hedge: the cross long and short legs) move with the price;
/// the other cross positions are held at their marks, as Binance's formula does: WB = the cross
/// wallet, TMM1 = their maintenance margin, UPNL1 = their unrealised PnL. Isolated positions of
/// other symbols do not enter a cross pool.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <span>

namespace margincall {

/// Liquidation price of an isolated position (its own collateral only).
/// \throws invalid_argument for a cross or flat position, a bad mark or options
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
[[nodiscard]] liquidation_point<Real> liquidation_price(const position<Contract, tier_schedule<Real>, Real>& p,
                                                        Real mark, const liquidation_options<Real>& options = {}) {
    if (p.mode() != margin_mode::isolated)
        throw_invalid_argument("liquidation_price", "the mode of the position", "cross",
                               "isolated (pass the account for a cross position)");
    return liquidation_price(p.contract_spec(), p.model(), position_leg<Real>{p.quantity(), p.entry_price()},
                             account_balance<Real>{p.isolated_margin()}, mark, options);
}

/// Both-sided liquidation prices of the leg `leg` of an account at `marks` (marks[s] = symbol
/// s's mark): an isolated leg alone; a cross leg together with the other cross leg of its
/// symbol (hedge mode), the rest of the cross pool held at its marks.
/// \throws invalid_argument for a leg index out of range, a flat symbol, legs of one symbol on
///         different schedules, bad marks or options
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> account_liquidation_prices(const account<Contract, tier_schedule<Real>, Real>& a,
                                                          std::size_t leg, std::span<const Real> marks,
                                                          const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "account_liquidation_prices";
    const auto positions = a.positions();
    if (leg >= positions.size())
        throw_invalid_argument(where, "leg", leg, detail::message("< ", positions.size(), " (the number of positions)").c_str());
    const auto& p = positions[leg];
    const std::size_t symbol = p.symbol();
    if (marks.size() <= symbol)
        throw_invalid_argument(where, "the size of marks", marks.size(), detail::message("> ", symbol, " (the leg's symbol)").c_str());
    for (const auto& x : positions)
        if (x.symbol() < marks.size()) check_positive(where, detail::message("marks[", x.symbol(), "]"), marks[x.symbol()]);
    const Real mark = marks[symbol];
    // A flat leg takes part as a zero leg (entry 1: any positive price; it carries no PnL or margin).
    auto as_leg = [](const auto& x) {
        return position_leg<Real>{x.quantity(), x.is_flat() ? Real(1) : x.entry_price()};
    };
    position_leg<Real> long_leg{Real(0), Real(1)}, short_leg{Real(0), Real(1)};
    auto place = [&](const auto& x) {
        const position_leg<Real> l = as_leg(x);
        if (l.quantity >= 0) long_leg = l;
        else short_leg = l;
    };
    if (p.mode() == margin_mode::isolated) {
        if (p.is_flat()) throw_invalid_argument(where, "quantity", p.quantity(), "non-zero");
        place(p);
        return liquidation_prices_hedged(p.contract_spec(), p.model(), long_leg, short_leg,
                                         account_balance<Real>{p.isolated_margin()}, mark, options);
    }
    account_balance<Real> rest{a.wallet_balance()};
    bool any = false;
    for (const auto& x : positions) {
        if (x.mode() != margin_mode::cross) continue;
        if (x.symbol() == symbol) {
            if (&x.model() != &p.model())
                throw_invalid_argument(where, detail::message("the schedule of symbol ", symbol, "'s legs"), "different",
                                       "one schedule per symbol");
            if (!x.is_flat()) any = true;
            place(x);
        } else {
            const Real m = marks[x.symbol()];
            rest.other_unrealised_pnl += x.unrealised_pnl(m);
            rest.other_maintenance_margin += x.maintenance_margin(m);
        }
    }
    if (!any) throw_invalid_argument(where, "quantity", p.quantity(), "non-zero (the symbol's cross legs are flat)");
    return liquidation_prices_hedged(p.contract_spec(), p.model(), long_leg, short_leg, rest, mark, options);
}

}  // namespace margincall
