#pragma once
/// \file
/// Liquidation and bankruptcy prices of the margin layer's positions and accounts: one function
/// (leg_closed_form) reads WB, TMM1, UPNL1 and the moving legs off a margincall::account, and
/// thin entry points hand them to the closed forms (liquidation_price.hpp,
/// hedged_liquidation.hpp). The calculator's closed_form_liquidation policy is an adapter over
/// the same entry points, so both answer alike on the same account.
///
/// Isolated leg: WB = its isolated margin, TMM1 = UPNL1 = 0. Cross leg: the symbol's cross
/// legs (one-way: the `both` leg; hedge: the cross long and short legs) move with the price;
/// the other cross positions are held at their marks, as Binance's formula does: WB = the cross
/// wallet, TMM1 = their maintenance margin, UPNL1 = their unrealised PnL. Isolated positions of
/// other symbols do not enter a cross pool.
///
/// One behaviour for every entry point: a bad mark is reported as the caller's `marks[s]`,
/// under the entry point's name; a flat leg (quantity 0) has no prices (both sides
/// `unreachable`), so an account can be evaluated leg by leg without special cases.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/hedged_liquidation.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <span>

namespace margincall {

/// The closed-form problem of one leg of an account: its contract and schedule, the legs that
/// move with its mark (long / short; a zero quantity where there is none), the rest of its pool
/// as WB / TMM1 / UPNL1, and its mark.
/// \tparam Contract a closed_form_contract; \tparam Real a real_scalar
template <class Contract, real_scalar Real = double>
struct leg_closed_form {
    const Contract* contract{nullptr};
    const tier_schedule<Real>* schedule{nullptr};
    position_leg<Real> long_leg{Real(0), Real(1)};   ///< quantity ≥ 0 (entry 1 when empty)
    position_leg<Real> short_leg{Real(0), Real(1)};  ///< quantity ≤ 0 (entry 1 when empty)
    account_balance<Real> balance{};
    Real mark{0};
    bool flat{true};  ///< the leg itself holds nothing: no prices

    /// Both legs non-zero: a hedge pair solved together; else one one-way leg.
    [[nodiscard]] bool pair() const noexcept { return long_leg.quantity != 0 && short_leg.quantity != 0; }
    /// The one non-zero leg when !pair().
    [[nodiscard]] const position_leg<Real>& single() const noexcept {
        return long_leg.quantity != 0 ? long_leg : short_leg;
    }
};

/// Builds the closed-form problem of leg `leg` of `a` at `marks` (marks[s] = symbol s's mark):
/// the one place that reads WB, TMM1 and UPNL1 off an account. `where` names the caller in
/// error messages.
/// \throws invalid_argument for a leg index out of range, too few marks, a mark of the leg's
///         symbol or of a cross position's symbol that is not finite and > 0 (named `marks[s]`),
///         or cross legs of one symbol on different schedules
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] leg_closed_form<Contract, Real> leg_closed_form_of(const account<Contract, tier_schedule<Real>, Real>& a,
                                                                 std::size_t leg, std::span<const Real> marks,
                                                                 const char* where = "leg_closed_form_of") {
    const auto positions = a.positions();
    if (leg >= positions.size())
        throw_invalid_argument(where, "leg", leg, detail::message("< ", positions.size(), " (the number of positions)").c_str());
    const auto& p = positions[leg];
    const std::size_t symbol = p.symbol();
    if (marks.size() <= symbol)
        throw_invalid_argument(where, "the size of marks", marks.size(), detail::message("> ", symbol, " (the leg's symbol)").c_str());
    check_positive(where, detail::message("marks[", symbol, "]"), marks[symbol]);
    leg_closed_form<Contract, Real> out;
    out.contract = &p.contract_spec();
    out.schedule = &p.model();
    out.mark = marks[symbol];
    out.flat = p.is_flat();
    auto place = [&](const auto& x) {
        if (x.is_flat()) return;
        (x.quantity() > 0 ? out.long_leg : out.short_leg) = position_leg<Real>{x.quantity(), x.entry_price()};
    };
    if (p.mode() == margin_mode::isolated) {
        place(p);
        out.balance = account_balance<Real>{p.isolated_margin(), Real(0), Real(0)};
        return out;
    }
    out.balance = account_balance<Real>{a.wallet_balance(), Real(0), Real(0)};
    for (const auto& x : positions) {
        if (x.mode() != margin_mode::cross) continue;
        if (x.symbol() == symbol) {
            if (&x.model() != &p.model())
                throw_invalid_argument(where, detail::message("the schedule of symbol ", symbol, "'s legs"), "different",
                                       "one schedule per symbol");
            place(x);
            continue;
        }
        if (marks.size() <= x.symbol())
            throw_invalid_argument(where, "the size of marks", marks.size(),
                                   detail::message("> ", x.symbol(), " (a cross position's symbol)").c_str());
        const Real m = marks[x.symbol()];
        check_positive(where, detail::message("marks[", x.symbol(), "]"), m);
        out.balance.other_unrealised_pnl += x.unrealised_pnl(m);
        out.balance.other_maintenance_margin += x.maintenance_margin(m);
    }
    return out;
}

namespace detail {

/// A one-way leg's single point on its losing side: below the mark for a long (linear or
/// inverse), above it for a short; the other side `unreachable` (equity only grows that way).
template <real_scalar Real>
liquidation_prices<Real> one_sided(const liquidation_point<Real>& p, const Real& quantity) {
    liquidation_prices<Real> out;
    (quantity > 0 ? out.downside : out.upside) = p;
    return out;
}

template <class Contract, real_scalar Real>
liquidation_prices<Real> leg_liquidation(const leg_closed_form<Contract, Real>& f, const liquidation_options<Real>& o,
                                         const char* where) {
    check_options(where, o);
    if (f.flat) return {};
    if (!f.pair()) {
        const position_leg<Real>& l = f.single();
        return one_sided(liquidation_price(*f.contract, *f.schedule, l, f.balance, f.mark, o), l.quantity);
    }
    if (o.fee_at == fee_valuation::bankruptcy_price && o.closing_fee_rate > 0)
        throw_invalid_argument(where, "fee_at", "bankruptcy_price", "liquidation_price in hedge mode (two bankruptcy prices)");
    return liquidation_prices_hedged(*f.contract, *f.schedule, f.long_leg, f.short_leg, f.balance, f.mark, o);
}

template <class Contract, real_scalar Real>
liquidation_prices<Real> leg_bankruptcy(const leg_closed_form<Contract, Real>& f, const liquidation_options<Real>& o,
                                        const char* where) {
    check_options(where, o);
    if (f.flat) return {};
    if (!f.pair()) {
        const position_leg<Real>& l = f.single();
        return one_sided(bankruptcy_price(*f.contract, l, f.balance, f.mark, o), l.quantity);
    }
    return bankruptcy_prices_hedged(*f.contract, f.long_leg, f.short_leg, f.balance, f.mark, o);
}

}  // namespace detail

/// Both-sided liquidation prices of a leg's closed-form problem (from leg_closed_form_of): a
/// one-way leg's price on its losing side, `unreachable` on the other; a hedge pair's nearest
/// price on each side; a flat leg `unreachable` on both.
/// \throws invalid_argument for bad options
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> leg_liquidation_prices(const leg_closed_form<Contract, Real>& leg,
                                                              const liquidation_options<Real>& options = {}) {
    return detail::leg_liquidation(leg, options, "leg_liquidation_prices");
}

/// Both-sided bankruptcy prices of a leg's closed-form problem, as leg_liquidation_prices.
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> leg_bankruptcy_prices(const leg_closed_form<Contract, Real>& leg,
                                                             const liquidation_options<Real>& options = {}) {
    return detail::leg_bankruptcy(leg, options, "leg_bankruptcy_prices");
}

/// Liquidation price of an isolated position (its own collateral only).
/// \throws invalid_argument for a cross or flat position, a bad mark or options
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
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
/// symbol (hedge mode), the rest of the cross pool held at its marks. A one-way leg has its
/// price on its losing side and `unreachable` on the other; a flat leg `unreachable` on both.
/// \throws invalid_argument as leg_closed_form_of, or for bad options
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> account_liquidation_prices(const account<Contract, tier_schedule<Real>, Real>& a,
                                                                  std::size_t leg, std::span<const Real> marks,
                                                                  const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "account_liquidation_prices";
    return detail::leg_liquidation(leg_closed_form_of(a, leg, marks, where), options, where);
}

/// Both-sided bankruptcy prices (pool equity = 0, or = the closing fee) of leg `leg`, as
/// account_liquidation_prices.
/// \throws invalid_argument as account_liquidation_prices
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> account_bankruptcy_prices(const account<Contract, tier_schedule<Real>, Real>& a,
                                                                 std::size_t leg, std::span<const Real> marks,
                                                                 const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "account_bankruptcy_prices";
    return detail::leg_bankruptcy(leg_closed_form_of(a, leg, marks, where), options, where);
}

}  // namespace margincall
