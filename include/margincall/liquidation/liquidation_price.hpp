#pragma once
/// \file
/// Closed-form, tier-consistent liquidation and bankruptcy prices of linear, quanto and
/// inverse perpetuals: isolated or cross margin, one-way or hedge mode, with tiered
/// maintenance margin and an optional closing-fee buffer.
///
/// The liquidation price is the mark P at which equity(P) = MM(P) (+ closing fee), where the
/// maintenance tier is the one the notional *at P* falls in. In the variable u = P (linear,
/// quanto) or u = 1/P (inverse) every position's PnL and notional are linear in u, so the margin
/// surplus f(u) = equity − MM − fee is piecewise linear with breaks where a leg's notional
/// crosses a tier floor. In one tier (Binance USDⓈ-M FAQ, one-way, single position):
///
///   linear:   LP = (WB − TMM1 + UPNL1 + cum − side·Q·EP) / (Q·(MMR − side))
///   inverse:  LP = Q·CV·(MMR + side) / (WB − TMM1 + UPNL1 + cum + side·Q·CV/EP)
///
/// Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93) and "… of COIN-M
/// Futures Contracts" (https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46);
/// Bybit "Liquidation Price (USDT Contract)" for the MM-at-entry convention. The tier-consistent
/// root: for a single position f is strictly monotone (proof in docs/liquidation.md), so the
/// solve starts in the tier of the mark's notional and walks to a neighbour only while the
/// candidate lies outside its tier; hedge mode (two legs, each in its own tier, as Binance's
/// cumL/cumS) enumerates the segments of the piecewise-linear f and returns the nearest root on
/// each side of the mark.
/// \test tests/liquidation/liquidation_price.cpp: Bybit and Binance published examples, an
///       independent Python implementation of Binance's formula with tier iteration
///       (tests/reference/liquidation_binance.py), properties on random books.

#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

namespace margincall {

/// The rest of the account, held at the current marks (Binance's WB, TMM1, UPNL1), all in the
/// contract's margin currency. Isolated margin: `wallet_balance` is the position's isolated
/// margin (initial margin + any added margin) and the two others are 0.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct account_balance {
    Real wallet_balance{0};            ///< WB: cross wallet balance, or the isolated margin; ≥ 0
    Real other_maintenance_margin{0};  ///< TMM1: maintenance margin of all other positions; ≥ 0
    Real other_unrealised_pnl{0};      ///< UPNL1: unrealised PnL of all other positions
};

/// One leg of a position: signed quantity (+ long, − short; contracts or base units as the
/// contract counts them) and its average entry price.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct position_leg {
    Real quantity{0};
    Real entry_price{0};
};

/// At which price the maintenance margin is valued.
enum class margin_valuation {
    mark,  ///< at the price being evaluated: MM(LP) (Binance; tier chosen by the notional at LP)
    entry  ///< at the entry price, a constant: MM = Q·EP·MMR − deduction (Bybit isolated:
           ///< "LP = EP − (IM − MM)/Q", PositionValue = Q × EP)
};

/// Where the closing-fee buffer is valued.
enum class fee_valuation {
    liquidation_price,  ///< fee = rate × notional at the liquidation price (OKX-style buffer)
    bankruptcy_price    ///< fee = rate × notional at the bankruptcy price (Bybit inverse: "Qty × 0.00075 / BP")
};

/// Options of the closed forms.
/// \tparam Real a real_scalar
template <real_scalar Real = double>
struct liquidation_options {
    Real closing_fee_rate{0};  ///< liquidation fee / closing cost as a fraction of notional, in [0, 1)
    fee_valuation fee_at{fee_valuation::liquidation_price};
    margin_valuation valuation{margin_valuation::mark};
};

namespace detail {

/// A contract seen in the variable u in which its PnL and notional are linear:
/// u = P (linear, quanto: PnL = q·m·(P − E)), u = 1/P (inverse: PnL = q·CV·(1/E − u)).
template <class Contract>
struct price_variable;

template <real_scalar Real>
struct price_variable<linear_contract<Real>> {
    static constexpr bool inverted = false;
    static Real size(const linear_contract<Real>& c) noexcept { return c.multiplier(); }
};
template <real_scalar Real>
struct price_variable<quanto_contract<Real>> {
    static constexpr bool inverted = false;
    static Real size(const quanto_contract<Real>& c) noexcept { return c.multiplier(); }
};
template <real_scalar Real>
struct price_variable<inverse_contract<Real>> {
    static constexpr bool inverted = true;
    static Real size(const inverse_contract<Real>& c) noexcept { return c.contract_value(); }
};

template <class Contract>
concept closed_form_contract = requires { price_variable<Contract>::inverted; };

/// A leg in u: equity contribution = constant + slope·u; notional = n·u.
template <real_scalar Real>
struct u_leg {
    Real slope{0};
    Real constant{0};
    Real n{0};
    Real quantity{0};  // |q|, for quantity-basis tiers
};

template <class Contract, real_scalar Real>
u_leg<Real> to_u(const Contract& c, const position_leg<Real>& leg) {
    const Real m = price_variable<Contract>::size(c);
    const Real q = leg.quantity;
    const Real abs_q = q < 0 ? Real(-q) : q;
    if constexpr (price_variable<Contract>::inverted) {
        return {Real(-q * m), Real(q * m / leg.entry_price), Real(abs_q * m), abs_q};
    } else {
        return {Real(q * m), Real(-q * m * leg.entry_price), Real(abs_q * m), abs_q};
    }
}

template <class Contract, real_scalar Real>
constexpr Real to_u_price(Real price) noexcept {
    if constexpr (price_variable<Contract>::inverted) return Real(1) / price;
    else return price;
}

/// The surplus f(u) = constant + slope·u − Σ_k MM_k(n_k·u) of up to two legs whose
/// maintenance tier floats with u ("floating" legs); everything fixed is folded into
/// constant and slope.
template <real_scalar Real>
struct surplus_problem {
    Real constant{0};
    Real slope{0};
    std::array<Real, 2> n{};               // floating legs' notional per unit u
    std::array<bool, 2> floating{};        // leg k's tier moves with u
    std::array<std::size_t, 2> fixed_tier{};
    std::size_t legs{0};
    const tier_schedule<Real>* schedule{nullptr};  // null: no maintenance margin (bankruptcy)
};

/// A root of the surplus in u, the tiers of the legs there.
template <real_scalar Real>
struct u_root {
    bool exists{false};
    Real u{0};
    std::array<std::size_t, 2> tier{};
};

template <real_scalar Real>
struct segment_line {
    Real a{0};  // f(u) = a + b·u on the segment
    Real b{0};
    std::array<std::size_t, 2> tier{};
};

/// The linear piece of f where each floating leg k sits at notional n_k·u_probe.
template <real_scalar Real>
segment_line<Real> line_at(const surplus_problem<Real>& p, Real u_probe) {
    segment_line<Real> line{p.constant, p.slope, p.fixed_tier};
    if (p.schedule == nullptr) return line;
    const auto tiers = p.schedule->tiers();
    for (std::size_t k = 0; k < p.legs; ++k) {
        if (!p.floating[k]) continue;
        const std::size_t t = p.schedule->tier_index(p.n[k] * u_probe);
        line.tier[k] = t;
        line.a += tiers[t].maintenance_amount;
        line.b -= p.n[k] * tiers[t].maintenance_rate;
    }
    return line;
}

/// Every root of the piecewise-linear surplus in u > 0, found segment by segment: the breaks
/// are the u where a floating leg's notional hits a tier floor; a sign change of f between two
/// consecutive breaks brackets exactly one root of that segment's line (clamped into the
/// segment against rounding). Cost O(legs × tiers).
template <real_scalar Real>
struct surplus_scan {
    std::vector<u_root<Real>> roots;
    Real limit_at_zero{0};       // f(0+)
    Real slope_at_infinity{0};   // slope of the last segment
    Real limit_at_infinity{0};   // constant of the last segment (used when its slope is 0)
};

template <real_scalar Real>
surplus_scan<Real> scan_surplus(const surplus_problem<Real>& p) {
    std::vector<Real> breaks{Real(0)};
    if (p.schedule != nullptr) {
        const auto tiers = p.schedule->tiers();
        for (std::size_t k = 0; k < p.legs; ++k)
            if (p.floating[k] && p.n[k] > 0)
                for (std::size_t t = 1; t < tiers.size(); ++t) breaks.push_back(tiers[t].floor / p.n[k]);
    }
    std::sort(breaks.begin(), breaks.end());
    breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());

    surplus_scan<Real> out;
    const std::size_t segments = breaks.size();
    auto probe = [&](std::size_t j) -> Real {
        if (j + 1 < segments) return (breaks[j] + breaks[j + 1]) / 2;
        return breaks[j] > 0 ? Real(breaks[j] * 2) : Real(1);
    };
    segment_line<Real> line = line_at(p, probe(0));
    out.limit_at_zero = line.a;
    Real left = line.a;  // f at breaks[0] = 0
    for (std::size_t j = 0; j < segments; ++j) {
        const bool last = j + 1 == segments;
        const segment_line<Real> next = last ? line : line_at(p, probe(j + 1));
        // f at the right end: the next segment's value at the shared break (f is evaluated
        // where the notional sits in the upper tier, floors being inclusive).
        const Real right = last ? Real(0) : Real(next.a + next.b * breaks[j + 1]);
        const int right_sign = last ? (line.b > 0 ? 1 : (line.b < 0 ? -1 : 0)) : (right > 0 ? 1 : (right < 0 ? -1 : 0));
        const int left_sign = left > 0 ? 1 : (left < 0 ? -1 : 0);
        if (left_sign == 0 && j > 0) out.roots.push_back({true, breaks[j], line.tier});
        if (left_sign != 0 && right_sign != 0 && left_sign != right_sign && line.b != 0) {
            Real u = -line.a / line.b;
            if (u < breaks[j]) u = breaks[j];
            if (!last && u > breaks[j + 1]) u = breaks[j + 1];
            if (u > 0) out.roots.push_back({true, u, line.tier});
        }
        if (last) {
            out.slope_at_infinity = line.b;
            out.limit_at_infinity = line.a;
        } else {
            left = right;
            line = next;
        }
    }
    return out;
}

/// f at one u, with the tiers of that u.
template <real_scalar Real>
Real surplus_at(const surplus_problem<Real>& p, Real u) {
    const segment_line<Real> line = line_at(p, u);
    return line.a + line.b * u;
}

/// Nearest roots below and above u_mark, with the reason when a side has none.
template <real_scalar Real>
struct u_sides {
    liquidation_status lower_status{liquidation_status::unreachable};
    liquidation_status upper_status{liquidation_status::unreachable};
    u_root<Real> lower{};
    u_root<Real> upper{};
};

template <real_scalar Real>
u_sides<Real> nearest_roots(const surplus_problem<Real>& p, Real u_mark) {
    u_sides<Real> out;
    const Real at_mark = surplus_at(p, u_mark);
    if (at_mark < 0) {
        out.lower_status = out.upper_status = liquidation_status::already_liquidated;
        return out;
    }
    const surplus_scan<Real> scan = scan_surplus(p);
    for (const u_root<Real>& r : scan.roots) {
        if (r.u <= u_mark) out.lower = r;
        if (r.u >= u_mark && !out.upper.exists) out.upper = r;
    }
    if (out.lower.exists) out.lower_status = liquidation_status::found;
    else out.lower_status = scan.limit_at_zero < at_mark ? liquidation_status::fully_collateralised
                                                         : liquidation_status::unreachable;
    if (out.upper.exists) out.upper_status = liquidation_status::found;
    else {
        const bool falls = scan.slope_at_infinity < 0 || (scan.slope_at_infinity == 0 && scan.limit_at_infinity < at_mark);
        out.upper_status = falls ? liquidation_status::fully_collateralised : liquidation_status::unreachable;
    }
    return out;
}

template <class Contract, real_scalar Real>
liquidation_point<Real> to_price_point(liquidation_status status, const u_root<Real>& r) {
    if (status != liquidation_status::found) return {status, Real(0), 0, 0};
    return {status, to_u_price<Contract>(r.u), r.tier[0], r.tier[1]};
}

/// Converts sides in u to sides in price: u = 1/P swaps them.
template <class Contract, real_scalar Real>
liquidation_prices<Real> to_price_sides(const u_sides<Real>& s) {
    const liquidation_point<Real> lower = to_price_point<Contract>(s.lower_status, s.lower);
    const liquidation_point<Real> upper = to_price_point<Contract>(s.upper_status, s.upper);
    if constexpr (price_variable<Contract>::inverted) return {upper, lower};
    else return {lower, upper};
}

template <real_scalar Real>
void check_balance(const char* where, const account_balance<Real>& b) {
    check_non_negative(where, "wallet_balance", b.wallet_balance);
    check_non_negative(where, "other_maintenance_margin", b.other_maintenance_margin);
    check_finite(where, "other_unrealised_pnl", b.other_unrealised_pnl);
}

template <real_scalar Real>
void check_leg(const char* where, const char* quantity_name, const char* entry_name, const position_leg<Real>& leg,
               bool allow_zero) {
    check_finite(where, quantity_name, leg.quantity);
    if (!allow_zero && leg.quantity == 0) throw_invalid_argument(where, quantity_name, leg.quantity, "non-zero");
    check_positive(where, entry_name, leg.entry_price);
}

template <real_scalar Real>
void check_options(const char* where, const liquidation_options<Real>& o) {
    check_non_negative(where, "closing_fee_rate", o.closing_fee_rate);
    if (!(o.closing_fee_rate < 1)) throw_invalid_argument(where, "closing_fee_rate", o.closing_fee_rate, "< 1");
}

/// Builds f(u) for up to two legs. `with_margin` false gives the bankruptcy problem
/// (equity = closing fee).
template <class Contract, real_scalar Real>
surplus_problem<Real> build_problem(const Contract& c, const tier_schedule<Real>* schedule,
                                    std::span<const position_leg<Real>> legs, const account_balance<Real>& b,
                                    const liquidation_options<Real>& o) {
    surplus_problem<Real> p;
    p.schedule = schedule;
    p.legs = legs.size();
    p.constant = b.wallet_balance - b.other_maintenance_margin + b.other_unrealised_pnl;
    if (schedule == nullptr) p.constant += b.other_maintenance_margin;  // bankruptcy: equity = 0 (+fee)
    Real n_total(0);
    for (std::size_t k = 0; k < legs.size(); ++k) {
        const u_leg<Real> l = to_u(c, legs[k]);
        p.constant += l.constant;
        p.slope += l.slope;
        n_total += l.n;
        if (schedule == nullptr || l.n == 0) continue;
        const auto tiers = schedule->tiers();
        const bool by_quantity = schedule->basis() == tier_basis::quantity;
        if (o.valuation == margin_valuation::entry) {
            // MM = notional at entry × MMR − cum, a constant (Bybit).
            const Real entry_notional = price_variable<Contract>::inverted ? Real(l.n / legs[k].entry_price)
                                                                            : Real(l.n * legs[k].entry_price);
            const std::size_t t = schedule->tier_index(by_quantity ? l.quantity : entry_notional);
            p.fixed_tier[k] = t;
            p.constant -= entry_notional * tiers[t].maintenance_rate - tiers[t].maintenance_amount;
        } else if (by_quantity) {
            // Quantity brackets: the tier does not move with the price (OKX).
            const std::size_t t = schedule->tier_index(l.quantity);
            p.fixed_tier[k] = t;
            p.slope -= l.n * tiers[t].maintenance_rate;
            p.constant += tiers[t].maintenance_amount;
        } else {
            p.floating[k] = true;
            p.n[k] = l.n;
        }
    }
    if (o.fee_at == fee_valuation::liquidation_price || schedule == nullptr) {
        p.slope -= o.closing_fee_rate * n_total;
    } else {
        // Fee valued at the bankruptcy price of the same legs (computed first, fee at BP).
        surplus_problem<Real> bankrupt = p;
        bankrupt.schedule = nullptr;
        bankrupt.constant = b.wallet_balance + b.other_unrealised_pnl;
        for (const auto& leg : legs) bankrupt.constant += to_u(c, leg).constant;
        bankrupt.slope = -o.closing_fee_rate * n_total;
        for (const auto& leg : legs) bankrupt.slope += to_u(c, leg).slope;
        Real u_b(0);
        if (bankrupt.slope != 0) u_b = -bankrupt.constant / bankrupt.slope;
        if (u_b > 0) p.constant -= o.closing_fee_rate * n_total * u_b;
    }
    return p;
}

/// Single one-way position, floating tier: the walk from the mark's tier (see file comment).
/// Returns false when the walk's monotonicity premise fails (MMR + fee ≥ 1 on the way), so the
/// caller falls back to the segment scan.
template <real_scalar Real>
bool walk_single(const tier_schedule<Real>& s, Real constant, Real slope, Real n, Real u_mark,
                 liquidation_point<Real>& out_u) noexcept {
    const auto tiers = s.tiers();
    const std::size_t count = tiers.size();
    std::size_t t = s.tier_index(n * u_mark);
    {
        const Real at_mark = constant + tiers[t].maintenance_amount + u_mark * (slope - n * tiers[t].maintenance_rate);
        if (!(at_mark >= 0)) {
            out_u = {liquidation_status::already_liquidated, Real(0), 0, 0};
            return true;
        }
    }
    if (slope < 0) {
        // f decreasing in u: the root lies above u_mark; walk up.
        const std::size_t start = t;
        for (;;) {
            const Real d = slope - n * tiers[t].maintenance_rate;  // < 0 always
            Real u = -(constant + tiers[t].maintenance_amount) / d;
            const Real lower = t == start ? u_mark : Real(tiers[t].floor / n);
            if (t + 1 < count && n * u >= tiers[t + 1].floor) {
                ++t;
                continue;
            }
            if (u < lower) u = lower;  // rounding at a floor
            out_u = {liquidation_status::found, u, t, 0};
            return true;
        }
    }
    // f increasing in u while slope > n·MMR: the root lies below u_mark; walk down.
    const std::size_t start = t;
    for (;;) {
        const Real d = slope - n * tiers[t].maintenance_rate;
        if (!(d > 0)) return false;
        Real u = -(constant + tiers[t].maintenance_amount) / d;
        if (t > 0 && n * u < tiers[t].floor) {
            --t;
            continue;
        }
        if (!(u > 0)) {
            out_u = {liquidation_status::fully_collateralised, Real(0), 0, 0};
            return true;
        }
        const Real upper = t == start ? u_mark : Real(tiers[t].cap / n);
        if (u > upper) u = upper;
        out_u = {liquidation_status::found, u, t, 0};
        return true;
    }
}

/// Single leg through the fast walk when the tier floats, else the segment scan (fixed tiers,
/// no schedule, or a failed monotonicity premise).
template <class Contract, real_scalar Real>
liquidation_point<Real> single_leg(const Contract& c, const tier_schedule<Real>* schedule, const position_leg<Real>& leg,
                                   const account_balance<Real>& b, Real mark, const liquidation_options<Real>& o) {
    const std::array<position_leg<Real>, 1> legs{leg};
    const surplus_problem<Real> p = build_problem(c, schedule, std::span<const position_leg<Real>>(legs), b, o);
    const Real u_mark = to_u_price<Contract>(mark);
    // Which side of the mark loses: the side where equity falls, i.e. the sign of the slope in u.
    const bool root_above_in_u = to_u(c, leg).slope < 0;
    if (p.floating[0]) {
        liquidation_point<Real> r;
        if (walk_single(*schedule, p.constant, p.slope, p.n[0], u_mark, r)) {
            if (r.found()) r.price = to_u_price<Contract>(r.price);
            return r;
        }
    }
    const u_sides<Real> sides = nearest_roots(p, u_mark);
    return root_above_in_u ? to_price_point<Contract>(sides.upper_status, sides.upper)
                           : to_price_point<Contract>(sides.lower_status, sides.lower);
}

}  // namespace detail

/// Liquidation price of one one-way position (isolated, or cross with the rest of the account
/// held at its marks): the mark at which equity = maintenance margin (+ closing fee), in the
/// tier of the notional at that price. A long has it below the mark, a short above (inverse
/// likewise). "fully collateralised" when equity stays ≥ MM down to price 0 (a 1x linear long)
/// or up to ∞ (a 1x inverse short); "already liquidated" when equity < MM at `mark`.
///
/// \param contract linear_contract, quanto_contract or inverse_contract
/// \param schedule the contract's tiers (notional basis: tier by notional at the price;
///        quantity basis: tier by |quantity|)
/// \param position signed quantity ≠ 0 and entry price > 0
/// \param balance WB / TMM1 / UPNL1 in the margin currency
/// \param mark the current mark price > 0
/// \throws invalid_argument on NaN, a zero quantity, a non-positive price, a negative balance or
///         margin, a closing-fee rate outside [0, 1)
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
[[nodiscard]] liquidation_point<Real> liquidation_price(const Contract& contract, const tier_schedule<Real>& schedule,
                                                        const position_leg<Real>& position,
                                                        const account_balance<Real>& balance, Real mark,
                                                        const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "liquidation_price";
    detail::check_leg(where, "quantity", "entry_price", position, false);
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    return detail::single_leg(contract, &schedule, position, balance, mark, options);
}

/// Bankruptcy price of one one-way position: the mark at which equity = 0 (or = the closing
/// fee, if a rate is given). Other positions' maintenance margin does not enter; their PnL does.
/// Bybit: BP_long = EP × (1 − 1/leverage) for an isolated position opened at `leverage`.
/// \throws invalid_argument as liquidation_price
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
[[nodiscard]] liquidation_point<Real> bankruptcy_price(const Contract& contract, const position_leg<Real>& position,
                                                       const account_balance<Real>& balance, Real mark,
                                                       const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "bankruptcy_price";
    detail::check_leg(where, "quantity", "entry_price", position, false);
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    return detail::single_leg(contract, static_cast<const tier_schedule<Real>*>(nullptr), position, balance, mark,
                              options);
}

/// Hedge mode (one long and one short leg of the same contract, each in its own tier as
/// Binance's cumL/cumS) or, with one quantity 0, a one-way position seen from both sides:
/// the nearest liquidation price below and above the mark. In cross mode both legs share it.
/// The surplus is concave in u (sum of linear PnL minus convex tiered MM), so there are at most
/// two roots: one per side (docs/liquidation.md).
/// \param long_leg quantity ≥ 0; \param short_leg quantity ≤ 0 (at least one non-zero)
/// \throws invalid_argument on NaN, a leg on the wrong side, both legs empty, a non-positive
///         price, a negative balance or margin, a closing-fee rate outside [0, 1)
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> liquidation_prices_hedged(const Contract& contract,
                                                                 const tier_schedule<Real>& schedule,
                                                                 const position_leg<Real>& long_leg,
                                                                 const position_leg<Real>& short_leg,
                                                                 const account_balance<Real>& balance, Real mark,
                                                                 const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "liquidation_prices_hedged";
    detail::check_leg(where, "long quantity", "long entry_price", long_leg, true);
    detail::check_leg(where, "short quantity", "short entry_price", short_leg, true);
    if (long_leg.quantity < 0) throw_invalid_argument(where, "long quantity", long_leg.quantity, ">= 0");
    if (short_leg.quantity > 0) throw_invalid_argument(where, "short quantity", short_leg.quantity, "<= 0");
    if (long_leg.quantity == 0 && short_leg.quantity == 0)
        throw_invalid_argument(where, "long quantity", long_leg.quantity, "non-zero when the short quantity is 0");
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    if (options.fee_at == fee_valuation::bankruptcy_price && options.closing_fee_rate > 0)
        throw_invalid_argument(where, "fee_at", "bankruptcy_price", "liquidation_price in hedge mode (two bankruptcy prices)");
    const std::array<position_leg<Real>, 2> legs{long_leg, short_leg};
    const detail::surplus_problem<Real> p =
        detail::build_problem(contract, &schedule, std::span<const position_leg<Real>>(legs), balance, options);
    return detail::to_price_sides<Contract>(detail::nearest_roots(p, detail::to_u_price<Contract>(mark)));
}

/// Bankruptcy prices of a hedge-mode pair (equity = 0, or = the closing fee): equity is linear
/// in u, so at most one side has one.
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
[[nodiscard]] liquidation_prices<Real> bankruptcy_prices_hedged(const Contract& contract,
                                                                const position_leg<Real>& long_leg,
                                                                const position_leg<Real>& short_leg,
                                                                const account_balance<Real>& balance, Real mark,
                                                                const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "bankruptcy_prices_hedged";
    detail::check_leg(where, "long quantity", "long entry_price", long_leg, true);
    detail::check_leg(where, "short quantity", "short entry_price", short_leg, true);
    if (long_leg.quantity < 0) throw_invalid_argument(where, "long quantity", long_leg.quantity, ">= 0");
    if (short_leg.quantity > 0) throw_invalid_argument(where, "short quantity", short_leg.quantity, "<= 0");
    detail::check_balance(where, balance);
    check_positive(where, "mark", mark);
    detail::check_options(where, options);
    const std::array<position_leg<Real>, 2> legs{long_leg, short_leg};
    const detail::surplus_problem<Real> p = detail::build_problem(
        contract, static_cast<const tier_schedule<Real>*>(nullptr), std::span<const position_leg<Real>>(legs), balance,
        options);
    return detail::to_price_sides<Contract>(detail::nearest_roots(p, detail::to_u_price<Contract>(mark)));
}

/// Batch: isolated one-way positions of one contract (structure of arrays in, points out).
/// Element i: quantity[i] ≠ 0, entry_price[i] > 0, isolated margin wallet_balance[i] ≥ 0,
/// mark[i] > 0; an element breaking this gets status `invalid_input` (no throw per element).
/// No allocation; the common case costs one tier lookup and one division.
/// \throws invalid_argument when the spans' sizes differ or the options are invalid
template <class Contract, real_scalar Real>
    requires detail::closed_form_contract<Contract>
void batch_liquidation_prices(const Contract& contract, const tier_schedule<Real>& schedule,
                              std::span<const Real> quantity, std::span<const Real> entry_price,
                              std::span<const Real> wallet_balance, std::span<const Real> mark,
                              std::span<liquidation_point<Real>> out, const liquidation_options<Real>& options = {}) {
    constexpr const char* where = "batch_liquidation_prices";
    const std::size_t n = quantity.size();
    if (entry_price.size() != n)
        throw_invalid_argument(where, "the size of entry_price", entry_price.size(), detail::message(n, " (the size of quantity)").c_str());
    if (wallet_balance.size() != n)
        throw_invalid_argument(where, "the size of wallet_balance", wallet_balance.size(), detail::message(n, " (the size of quantity)").c_str());
    if (mark.size() != n)
        throw_invalid_argument(where, "the size of mark", mark.size(), detail::message(n, " (the size of quantity)").c_str());
    if (out.size() != n)
        throw_invalid_argument(where, "the size of out", out.size(), detail::message(n, " (the size of quantity)").c_str());
    detail::check_options(where, options);
    const bool fast = schedule.basis() == tier_basis::notional && options.valuation == margin_valuation::mark &&
                      options.fee_at == fee_valuation::liquidation_price;
    for (std::size_t i = 0; i < n; ++i) {
        const Real q = quantity[i];
        const Real e = entry_price[i];
        const Real w = wallet_balance[i];
        const Real p = mark[i];
        if (!(q != 0 && detail::is_finite(q) && e > 0 && detail::is_finite(e) && w >= 0 && detail::is_finite(w) &&
              p > 0 && detail::is_finite(p))) {
            out[i] = {liquidation_status::invalid_input, Real(0), 0, 0};
            continue;
        }
        if (fast) {
            const detail::u_leg<Real> l = detail::to_u(contract, position_leg<Real>{q, e});
            liquidation_point<Real> r;
            if (detail::walk_single(schedule, Real(w + l.constant), Real(l.slope - options.closing_fee_rate * l.n), l.n,
                                    detail::to_u_price<Contract>(p), r)) {
                if (r.found()) r.price = detail::to_u_price<Contract>(r.price);
                out[i] = r;
                continue;
            }
        }
        out[i] = detail::single_leg(contract, &schedule, position_leg<Real>{q, e}, account_balance<Real>{w, 0, 0}, p,
                                    options);
    }
}

}  // namespace margincall
