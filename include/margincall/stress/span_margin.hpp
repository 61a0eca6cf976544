#pragma once
/// \file
/// Scenario (SPAN-style) margin: a risk array of price-scan × volatility-scan scenarios, extreme
/// moves covered at a fraction, scanning risk as the worst loss, a short option minimum, an
/// intra-commodity spread charge and inter-commodity spread credits. Scenarios and rates are
/// configuration (span_parameters); the CME table of 16 scenarios ships as cme_span_scenarios().
///
/// Why here and not in margin/: the risk array revalues options (options/), and margin/ stands
/// below options/ in the layering, so scenario margin lives in stress/, which stands on top
/// (docs/portfolio-margin.md, "Where these models live"). In the calculator: book_margin_account.
///
// Source: CME Group, "CME SPAN: Standard Portfolio Analysis of Risk" (2019) and the CME SPAN
// methodology pages "Risk Arrays", "Scanning Risk", "Short Option Minimum", "Intra-commodity
// spread charge", "Inter-commodity spread credit" (cmegroup.com/clearing/risk-management/span-overview.html);
// the 16 scenarios and the worked risk arrays in L. G. McMillan, "Options as a Strategic
// Investment", ch. 34 "Futures and Futures Options", pp. 668-671 (tests/stress/span_margin.cpp).

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/stress/stress_book.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// One SPAN risk scenario: a price move and a volatility move as fractions of their scan ranges,
/// and the fraction of the resulting loss that is covered (1, or 0.35 for CME's extreme moves).
template <real_scalar Real = double>
struct span_scenario {
    Real price_fraction;   ///< × price scan range
    Real vol_fraction;     ///< × volatility scan range
    Real covered_fraction; ///< in (0, 1]
};

/// The 16 CME SPAN scenarios: price 0, ±1/3, ±2/3, ±1 of the scan range with volatility up and
/// down, then ±2 (extreme) at unchanged volatility covered at 35 %.
// Source: CME SPAN "Risk Arrays" table; McMillan, ch. 34, pp. 668-669.
template <real_scalar Real = double>
[[nodiscard]] constexpr std::array<span_scenario<Real>, 16> cme_span_scenarios() {
    const Real third = Real(1) / Real(3);
    const Real two_thirds = Real(2) / Real(3);
    return {{{Real(0), Real(1), Real(1)},       {Real(0), Real(-1), Real(1)},
             {third, Real(1), Real(1)},         {third, Real(-1), Real(1)},
             {-third, Real(1), Real(1)},        {-third, Real(-1), Real(1)},
             {two_thirds, Real(1), Real(1)},    {two_thirds, Real(-1), Real(1)},
             {-two_thirds, Real(1), Real(1)},   {-two_thirds, Real(-1), Real(1)},
             {Real(1), Real(1), Real(1)},       {Real(1), Real(-1), Real(1)},
             {Real(-1), Real(1), Real(1)},      {Real(-1), Real(-1), Real(1)},
             {Real(2), Real(0), Real(0.35)},    {Real(-2), Real(0), Real(0.35)}}};
}

/// Scan ranges and charges of one combined commodity.
template <real_scalar Real = double>
struct span_parameters {
    Real price_scan_range;                ///< absolute price move of one scan range (underlying price units), > 0
    Real volatility_scan_range;           ///< absolute volatility move (0.05 = 5 vol points), ≥ 0
    Real short_option_minimum = Real(0);  ///< charge per short option contract, ≥ 0
    Real intra_spread_rate = Real(0);     ///< charge per unit of delta spread between months, ≥ 0
    Real look_ahead_time = Real(0);       ///< years: options revalued as of this time ahead (CME: next trading day), ≥ 0
};

/// Throws margincall::invalid_argument unless the parameters and the scenarios are well formed.
template <real_scalar Real>
void check_span(const char* where, const span_parameters<Real>& p, std::span<const span_scenario<Real>> scenarios) {
    check_positive(where, "price_scan_range", p.price_scan_range);
    check_non_negative(where, "volatility_scan_range", p.volatility_scan_range);
    check_non_negative(where, "short_option_minimum", p.short_option_minimum);
    check_non_negative(where, "intra_spread_rate", p.intra_spread_rate);
    check_non_negative(where, "look_ahead_time", p.look_ahead_time);
    check_not_empty(where, "scenarios", scenarios);
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        const auto& s = scenarios[i];
        check_finite(where, detail::message("scenarios[", i, "].price_fraction"), s.price_fraction);
        check_finite(where, detail::message("scenarios[", i, "].vol_fraction"), s.vol_fraction);
        if (!(s.covered_fraction > Real(0) && s.covered_fraction <= Real(1)))
            throw_invalid_argument(where, detail::message("scenarios[", i, "].covered_fraction"), s.covered_fraction, "in (0, 1]");
    }
}

/// The market shock of one SPAN scenario on a book at spot S: spot move = f·PSR / S, parallel vol
/// shift = g·VSR, time advanced by the look-ahead (SPAN values options "as they would exist on the
/// next trading day", McMillan p. 669; so time risk, the mean of scenarios 1 and 2, is the decay).
template <real_scalar Real>
[[nodiscard]] market_shock<Real> span_shock(const span_parameters<Real>& p, const span_scenario<Real>& s, Real spot) noexcept {
    market_shock<Real> m;
    m.spot_move = s.price_fraction * p.price_scan_range / spot;
    m.vol_parallel = s.vol_fraction * p.volatility_scan_range;
    m.time_elapsed = p.look_ahead_time;
    return m;
}

/// Fills `losses` (one per scenario) with the book's risk array, losses positive as in CME's arrays:
///   loss_i = −(value(shock_i) − value(today)) × covered_fraction_i.
/// Throws for bad parameters, a scenario whose price move reaches −100 % or a size mismatch;
/// throws margincall::numeric_error when a revaluation is not finite (the book overflows).
template <real_scalar Real>
void span_risk_array(const stress_book<Real>& book, const span_parameters<Real>& p,
                     std::span<const span_scenario<Real>> scenarios, std::span<Real> losses) {
    constexpr const char* where = "span_risk_array";
    check_span(where, p, scenarios);
    if (losses.size() != scenarios.size())
        throw_invalid_argument(where, "the size of losses", losses.size(),
                               detail::message("equal to the number of scenarios (", scenarios.size(), ")").c_str());
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        const auto m = span_shock(p, scenarios[i], book.spot());
        if (!(m.spot_move > Real(-1)))
            throw_invalid_argument(where, detail::message("scenarios[", i, "] price move"), m.spot_move * book.spot(),
                                   detail::message("> -spot (", book.spot(), ")").c_str());
    }
    const Real today = book.value();
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        losses[i] = detail::checked_scenario_loss(
            where, "scenarios", i,
            Real(-(book.value(span_shock(p, scenarios[i], book.spot())) - today) * scenarios[i].covered_fraction));
}

/// Scanning risk: the largest loss of the risk array, floored at zero (a book that gains in
/// every scenario needs no scanning charge).
template <real_scalar Real>
[[nodiscard]] Real scanning_risk(std::span<const Real> losses) {
    check_not_empty("scanning_risk", "losses", losses);
    check_all_finite("scanning_risk", "losses", losses);
    Real worst(0);
    for (const Real& x : losses) worst = x > worst ? x : worst;
    return worst;
}

/// SPAN time risk: the mean loss of the two unchanged-price scenarios (CME scenarios 1 and 2),
/// the part of the scanning risk due to volatility and time rather than price.
// Source: CME SPAN methodology, "Inter-commodity spread credit": price risk = scan risk − time risk.
template <real_scalar Real>
[[nodiscard]] Real span_time_risk(std::span<const Real> losses) {
    if (losses.size() < 2) throw_invalid_argument("span_time_risk", "the size of losses", losses.size(), ">= 2");
    return (losses[0] + losses[1]) / 2;
}

/// The SPAN figures of one combined commodity.
template <real_scalar Real = double>
struct span_result {
    Real scanning_risk{};
    Real time_risk{};
    Real price_risk{};            ///< max(scanning risk − time risk, 0)
    Real intra_spread_charge{};
    Real short_option_minimum{};
    Real composite_delta{};
    Real inter_spread_credit{};   ///< filled by apply_inter_commodity_credit
    Real requirement{};           ///< max(scan + intra − credit, short option minimum)
};

/// The charges SPAN adds to a combined commodity's scanning risk (span_parameters carries the
/// same two rates; span_charges is what a risk array computed elsewhere, e.g. published by the
/// exchange, needs: stress/span_risk_arrays.hpp).
template <real_scalar Real = double>
struct span_charges {
    Real short_option_minimum = Real(0);  ///< charge per short option contract, ≥ 0
    Real intra_spread_rate = Real(0);     ///< charge per unit of delta spread between months, ≥ 0
};

/// The SPAN figures of one combined commodity from its risk array `losses` (losses positive, the
/// first two the unchanged-price scenarios), before inter-commodity credits:
///   requirement = max(scanning risk + intra-commodity charge, short option minimum),
///   intra-commodity charge = rate × min(Σ long deltas, Σ short deltas) over the legs' months,
///   short option minimum = charge × number of short option contracts.
/// `month_deltas` holds the net delta of each delivery month (may be empty: no spread charge).
/// The one place these charges are computed: span_requirement (a stress_book's own array) and
/// span_requirement_from_risk_arrays (published arrays) both call it.
template <real_scalar Real>
[[nodiscard]] span_result<Real> span_result_from_losses(std::span<const Real> losses, const span_charges<Real>& c,
                                                        std::span<const Real> month_deltas, Real short_option_contracts,
                                                        Real composite_delta) {
    constexpr const char* where = "span_result_from_losses";
    check_non_negative(where, "short_option_minimum", c.short_option_minimum);
    check_non_negative(where, "intra_spread_rate", c.intra_spread_rate);
    check_all_finite(where, "month_deltas", month_deltas);
    check_non_negative(where, "short_option_contracts", short_option_contracts);
    check_finite(where, "composite_delta", composite_delta);
    span_result<Real> r;
    r.scanning_risk = scanning_risk(losses);
    r.time_risk = losses.size() >= 2 ? span_time_risk(losses) : Real(0);
    r.price_risk = r.scanning_risk - r.time_risk > Real(0) ? r.scanning_risk - r.time_risk : Real(0);
    Real longs(0), shorts(0);
    for (const Real& d : month_deltas) (d > Real(0) ? longs : shorts) += d > Real(0) ? d : -d;
    if (!detail::is_finite(longs) || !detail::is_finite(shorts))
        throw_invalid_argument(where, "the sum of month_deltas of one sign", detail::is_finite(longs) ? shorts : longs,
                               "finite");
    r.intra_spread_charge = c.intra_spread_rate * (longs < shorts ? longs : shorts);
    r.short_option_minimum = c.short_option_minimum * short_option_contracts;
    r.composite_delta = composite_delta;
    const Real scan = r.scanning_risk + r.intra_spread_charge;
    r.requirement = scan > r.short_option_minimum ? scan : r.short_option_minimum;
    // A finite rate or charge times a finite count can overflow (a rate of 1e308): refuse it
    // rather than report an infinite margin (issue #15 reliability sweep).
    const auto check_charge = [&](const char* charge, const Real& rate, const Real& amount) {
        if (!detail::is_finite(amount))
            throw_invalid_argument(where, charge, rate,
                                   detail::message("such that the charge is finite (it is ", amount, ")").c_str());
    };
    check_charge("intra_spread_rate", c.intra_spread_rate, r.intra_spread_charge);
    check_charge("short_option_minimum", c.short_option_minimum, r.short_option_minimum);
    check_charge("intra_spread_rate", c.intra_spread_rate, r.requirement);
    return r;
}

/// SPAN requirement of one combined commodity (before inter-commodity credits): the book's risk
/// array (span_risk_array), then span_result_from_losses with the parameters' charges, the book's
/// short option contracts and its delta as the composite delta.
/// `month_deltas` holds the net delta of each delivery month (may be empty: no spread charge).
template <real_scalar Real>
[[nodiscard]] span_result<Real> span_requirement(const stress_book<Real>& book, const span_parameters<Real>& p,
                                                 std::span<const span_scenario<Real>> scenarios,
                                                 std::span<const Real> month_deltas = {}) {
    std::vector<Real> losses(scenarios.size());
    span_risk_array(book, p, scenarios, std::span<Real>(losses));
    check_all_finite("span_requirement", "month_deltas", month_deltas);
    return span_result_from_losses(std::span<const Real>(losses),
                                   span_charges<Real>{p.short_option_minimum, p.intra_spread_rate}, month_deltas,
                                   book.short_option_contracts(), book.delta());
}

/// An inter-commodity spread: delta ratio a : b between two combined commodities and the credit rate.
template <real_scalar Real = double>
struct inter_commodity_spread {
    Real delta_per_spread_a;  ///< > 0
    Real delta_per_spread_b;  ///< > 0
    Real credit_rate;         ///< in [0, 1]
};

/// SPAN inter-commodity spread credit between two combined commodities whose composite deltas
/// have opposite signs (positively correlated products):
///   spreads n = min(|Δa| / a, |Δb| / b),
///   credit_x = rate × n × (delta per spread of x) × price risk_x / |Δx|  (weighted futures price risk),
/// subtracted from each requirement, which stays ≥ its short option minimum.
// Source: CME SPAN methodology, "Inter-commodity spread credit" (weighted futures price risk =
// price risk / composite delta; credit = rate × spreads × delta per spread × weighted price risk).
template <real_scalar Real>
void apply_inter_commodity_credit(span_result<Real>& a, span_result<Real>& b, const inter_commodity_spread<Real>& s) {
    constexpr const char* where = "apply_inter_commodity_credit";
    using std::abs;
    check_positive(where, "delta_per_spread_a", s.delta_per_spread_a);
    check_positive(where, "delta_per_spread_b", s.delta_per_spread_b);
    check_in_closed(where, "credit_rate", s.credit_rate, Real(0), Real(1));
    if (!(a.composite_delta * b.composite_delta < Real(0))) return;  // same side (or flat): no spread
    const Real da = abs(a.composite_delta), db = abs(b.composite_delta);
    const Real na = da / s.delta_per_spread_a, nb = db / s.delta_per_spread_b;
    const Real n = na < nb ? na : nb;
    const auto credit = [&](span_result<Real>& x, Real dx, Real per) {
        const Real c = s.credit_rate * n * per * x.price_risk / dx;
        x.inter_spread_credit += c;
        const Real net = x.scanning_risk + x.intra_spread_charge - x.inter_spread_credit;
        x.requirement = net > x.short_option_minimum ? net : x.short_option_minimum;
    };
    credit(a, da, s.delta_per_spread_a);
    credit(b, db, s.delta_per_spread_b);
}

/// SPAN as a margin model for stress/: maintenance = the SPAN requirement, initial =
/// maintenance × initial_multiple (the clearing house's initial-to-maintenance ratio; 1.1 by
/// default, margincall's illustrative value: set the venue's).
template <real_scalar Real = double>
class span_margin {
public:
    span_margin(span_parameters<Real> p, std::vector<span_scenario<Real>> scenarios, Real initial_multiple = Real(1.1))
        : p_{p}, scenarios_{std::move(scenarios)}, initial_multiple_{initial_multiple} {
        check_span("span_margin", p_, std::span<const span_scenario<Real>>(scenarios_));
        if (!(initial_multiple_ >= Real(1)) || !detail::is_finite(initial_multiple_))
            throw_invalid_argument("span_margin", "initial_multiple", initial_multiple_, "finite and >= 1");
    }
    [[nodiscard]] Real maintenance_margin(const stress_book<Real>& book) const {
        return span_requirement(book, p_, std::span<const span_scenario<Real>>(scenarios_)).requirement;
    }
    [[nodiscard]] Real initial_margin(const stress_book<Real>& book) const { return initial_multiple_ * maintenance_margin(book); }
    [[nodiscard]] const span_parameters<Real>& parameters() const noexcept { return p_; }

private:
    span_parameters<Real> p_;
    std::vector<span_scenario<Real>> scenarios_;
    Real initial_multiple_;
};

}  // namespace margincall
