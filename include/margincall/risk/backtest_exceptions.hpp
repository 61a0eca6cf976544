#pragma once
/// \file
/// VaR exceptions (exceedances): the hit sequence every VaR backtest starts from.
///
/// An exception on day t is L_t > VaR_t (strict), with losses positive.
/// Source: Basel Committee on Banking Supervision, "Supervisory framework for the use of
/// 'backtesting' in conjunction with the internal models approach to market risk capital
/// requirements" (January 1996): an exception is a trading loss larger than the VaR measure. Tested: tests/risk/backtest_exceptions.cpp.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>

#include <cstddef>
#include <span>

namespace margincall {

namespace detail {
template <real_scalar Real>
void check_loss_and_var(const char* where, std::span<const Real> losses, std::span<const Real> value_at_risk) {
    check_not_empty(where, "losses", losses);
    if (value_at_risk.size() != losses.size())
        throw_invalid_argument(where, "the size of value_at_risk", value_at_risk.size(),
                               message("the size of losses (", losses.size(), ")").c_str());
    check_all_finite(where, "losses", losses);
    check_all_finite(where, "value_at_risk", value_at_risk);
}
}  // namespace detail

/// Writes the hit sequence I_t = 1{L_t > VaR_t} into `hits` (same size) and returns Σ I_t.
/// Throws on empty input, mismatched sizes or a non-finite loss or VaR.
template <real_scalar Real>
std::size_t var_exceptions(std::span<const Real> losses, std::span<const Real> value_at_risk,
                           std::span<bool> hits) {
    detail::check_loss_and_var("var_exceptions", losses, value_at_risk);
    if (hits.size() != losses.size())
        throw_invalid_argument("var_exceptions", "the size of hits", hits.size(),
                               detail::message("the size of losses (", losses.size(), ")").c_str());
    std::size_t count = 0;
    for (std::size_t t = 0; t < losses.size(); ++t) {
        hits[t] = losses[t] > value_at_risk[t];
        count += hits[t] ? 1U : 0U;
    }
    return count;
}

/// The number of exceptions Σ 1{L_t > VaR_t}.
template <real_scalar Real>
[[nodiscard]] std::size_t count_var_exceptions(std::span<const Real> losses, std::span<const Real> value_at_risk) {
    detail::check_loss_and_var("count_var_exceptions", losses, value_at_risk);
    std::size_t count = 0;
    for (std::size_t t = 0; t < losses.size(); ++t) count += losses[t] > value_at_risk[t] ? 1U : 0U;
    return count;
}

}  // namespace margincall
