#pragma once
/// \file
/// The machinery behind the closed forms (namespace detail): the margin surplus
/// f(u) = equity − MM − fee of up to two legs as a piecewise-linear function of u (u = P, or
/// 1/P for inverse contracts) with breaks where a leg's notional crosses a tier floor; its
/// roots segment by segment and the nearest ones on each side of the mark. Each segment is
/// one bracket's line (bracket_liquidation.hpp): the per-bracket closed form, one place.
/// Derivation: docs/liquidation.md.

#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/bracket_liquidation.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

namespace detail {

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
        add_bracket(line.a, line.b, p.n[k], tiers[t].maintenance_rate, tiers[t].maintenance_amount);
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
            Real u = bracket_root(line.a, line.b);
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


}  // namespace detail

}  // namespace margincall
