#pragma once
/// \file
/// SPAN from the exchange's published risk arrays. A clearing member does not revalue the 16
/// scenarios itself: the clearing house publishes, for every contract, its risk array (the loss
/// of one long contract in each scenario, in the performance-bond currency, the two extreme
/// scenarios already multiplied by their cover fraction), its composite delta, and the charges.
/// The portfolio's risk array is the position-weighted sum of the contracts' arrays, scenario by
/// scenario; its scanning risk is the largest of the 16 sums (floored at zero), and the scenario
/// that gives it is the worst scenario. The rest of SPAN (time and price risk, intra-commodity
/// spread charge, short option minimum, inter-commodity credits) is span_margin.hpp's, reused.
///
/// Sources: CME Group, "SPAN Risk Parameter File Layouts for the Positional Formats", "Type 8 -
/// Expanded" (https://cmegroupclientsite.atlassian.net/wiki/spaces/pubspan/pages/46235915/Type+8+-+Expanded):
/// the 16 array values of one contract in this order, named "Futures No Change / Volatility Up"
/// ... "Futures Down Extreme - Cover Fraction"; CME SPAN methodology, "Scanning Risk" (the
/// scanning risk is the largest loss over the scenarios of the combined commodity's summed
/// arrays) (https://www.cmegroup.com/clearing/risk-management/span-overview.html). Worked example:
/// L. G. McMillan, "Options as a Strategic Investment", ch. 34, pp. 668-671 (the futures, long
/// call and covered-write arrays; tests/stress/span_risk_arrays.cpp).
/// The file loader for the expanded ("pa2") format is io/span_risk_parameter_file.hpp.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/stress/span_margin.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace margincall {

/// The number of scenarios of a CME SPAN risk array.
inline constexpr std::size_t span_array_size = 16;

/// CME's name of scenario `index` (0-based: index 0 is CME's array value 1), as the risk
/// parameter file layout names the 16 array values (cme_span_scenarios() holds the same order).
/// \throws margincall::invalid_argument for an index ≥ 16
[[nodiscard]] inline std::string_view cme_span_scenario_description(std::size_t index) {
    static constexpr std::array<std::string_view, span_array_size> names{
        "Futures No Change / Volatility Up",     "Futures No Change / Volatility Down",
        "Futures Up 1/3 / Volatility Up",        "Futures Up 1/3 / Volatility Down",
        "Futures Down 1/3 / Volatility Up",      "Futures Down 1/3 / Volatility Down",
        "Futures Up 2/3 / Volatility Up",        "Futures Up 2/3 / Volatility Down",
        "Futures Down 2/3 / Volatility Up",      "Futures Down 2/3 / Volatility Down",
        "Futures Up 3/3 / Volatility Up",        "Futures Up 3/3 / Volatility Down",
        "Futures Down 3/3 / Volatility Up",      "Futures Down 3/3 / Volatility Down",
        "Futures Up Extreme - Cover Fraction",   "Futures Down Extreme - Cover Fraction"};
    if (index >= span_array_size)
        throw_invalid_argument("cme_span_scenario_description", "index", index, "< 16");
    return names[index];
}

/// One contract's published risk array: what the clearing house publishes per contract.
template <real_scalar Real = double>
struct published_risk_array {
    std::array<Real, span_array_size> losses{};  ///< loss of one long contract per scenario (gains negative), CME order, extremes already × cover fraction
    Real composite_delta{0};                     ///< SPAN composite delta of one long contract
    bool option{false};                          ///< an option: a short position counts for the short option minimum
};

/// A portfolio's scan from published arrays: its risk array, the scanning risk and the worst scenario.
template <real_scalar Real = double>
struct span_scan {
    std::array<Real, span_array_size> losses{};  ///< Σ_i quantity_i × losses_i, per scenario
    Real scanning_risk{0};                       ///< max(max over scenarios of losses, 0)
    std::size_t worst_scenario{0};               ///< 0-based index of the largest loss (first on ties); CME's number is +1
    std::string_view worst_description;          ///< cme_span_scenario_description(worst_scenario)
    Real composite_delta{0};                     ///< Σ_i quantity_i × composite delta_i
    Real short_option_contracts{0};              ///< Σ over short option positions of |quantity|
};

namespace detail {
template <real_scalar Real>
void check_positions(const char* where, std::span<const published_risk_array<Real>> arrays,
                     std::span<const Real> quantities) {
    if (quantities.size() != arrays.size())
        throw_invalid_argument(where, "the size of quantities", quantities.size(),
                               detail::message("the size of arrays (", arrays.size(), ")").c_str());
    check_all_finite(where, "quantities", quantities);
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        for (std::size_t s = 0; s < span_array_size; ++s)
            check_finite(where, detail::message("arrays[", i, "].losses[", s, "]"), arrays[i].losses[s]);
        check_finite(where, detail::message("arrays[", i, "].composite_delta"), arrays[i].composite_delta);
    }
}
}  // namespace detail

/// Combines published per-contract risk arrays into the portfolio's: losses[s] = Σ_i q_i × a_i[s]
/// (a short position has q < 0), scanning risk = max(max_s losses[s], 0), the worst scenario
/// (the largest loss; the first on ties), the composite delta Σ q_i × Δ_i and the number of
/// short option contracts.
/// \throws margincall::invalid_argument on mismatched sizes or a value that is not finite
template <real_scalar Real>
[[nodiscard]] span_scan<Real> span_scan_from_risk_arrays(std::span<const published_risk_array<Real>> arrays,
                                                         std::span<const Real> quantities) {
    constexpr const char* where = "span_scan_from_risk_arrays";
    detail::check_positions(where, arrays, quantities);
    span_scan<Real> r;
    for (std::size_t i = 0; i < arrays.size(); ++i) {
        const Real q = quantities[i];
        for (std::size_t s = 0; s < span_array_size; ++s) r.losses[s] += q * arrays[i].losses[s];
        r.composite_delta += q * arrays[i].composite_delta;
        if (arrays[i].option && q < Real(0)) r.short_option_contracts -= q;
    }
    for (std::size_t s = 1; s < span_array_size; ++s)
        if (r.losses[s] > r.losses[r.worst_scenario]) r.worst_scenario = s;
    for (std::size_t s = 0; s < span_array_size; ++s)  // sums of finite values can overflow
        if (!detail::is_finite(r.losses[s]))
            throw_invalid_argument(where, detail::message("the portfolio's loss in scenario ", s), r.losses[s], "finite");
    r.scanning_risk = scanning_risk(std::span<const Real>(r.losses));
    r.worst_description = cme_span_scenario_description(r.worst_scenario);
    return r;
}

/// The SPAN requirement of one combined commodity from published arrays: span_scan_from_risk_arrays,
/// then span_result_from_losses (span_margin.hpp) with the scan's composite delta and short option
/// contracts; inter-commodity credits apply to the result as to any span_result
/// (apply_inter_commodity_credit).
template <real_scalar Real>
[[nodiscard]] span_result<Real> span_requirement_from_risk_arrays(std::span<const published_risk_array<Real>> arrays,
                                                                  std::span<const Real> quantities,
                                                                  const span_charges<Real>& charges,
                                                                  std::span<const Real> month_deltas = {}) {
    const auto scan = span_scan_from_risk_arrays(arrays, quantities);
    return span_result_from_losses(std::span<const Real>(scan.losses), charges, month_deltas,
                                   scan.short_option_contracts, scan.composite_delta);
}

}  // namespace margincall
