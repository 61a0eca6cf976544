#pragma once
/// \file
/// Batch closed-form liquidation prices of isolated one-way positions of one contract:
/// structure of arrays in, one liquidation_point per element out, a status per element
/// instead of a throw, no allocation.
/// The executor overload splits the elements into fixed chunks of 4096 on an executor
/// (parallel/executor.hpp): each element's figure is computed alone, so the output is identical
/// for any executor and worker count.
/// \test tests/liquidation/liquidation_price.cpp (batch cases); tests/parallel/batches.cpp;
/// benchmarks/liquidation.cpp.

#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/liquidation/liquidation_inputs.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/liquidation/liquidation_result.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <cstddef>
#include <span>

namespace margincall {

/// Batch: isolated one-way positions of one contract (structure of arrays in, points out).
/// Element i: quantity[i] ≠ 0, entry_price[i] > 0, isolated margin wallet_balance[i] ≥ 0,
/// mark[i] > 0; an element breaking this gets status `invalid_input` (no throw per element).
/// No allocation; the common case costs one tier lookup and one division.
/// \throws invalid_argument when the spans' sizes differ or the options are invalid
template <class Contract, real_scalar Real>
    requires closed_form_contract<Contract>
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
        const detail::u_leg<Real> l = detail::to_u(contract, position_leg<Real>{q, e});
        if (!detail::is_finite(l.constant) || !detail::is_finite(l.slope) || !detail::is_finite(l.n)) {
            out[i] = {liquidation_status::invalid_input, Real(0), 0, 0};  // detail::check_u_leg's case
            continue;
        }
        if (fast) {
            liquidation_point<Real> r;
            if (detail::walk_single(schedule, Real(w + l.constant), Real(l.slope - options.closing_fee_rate * l.n), l.n,
                                    detail::to_u_price<Contract>(p), r)) {
                out[i] = detail::u_point_to_price<Contract>(r);
                continue;
            }
        }
        out[i] = detail::single_leg(contract, &schedule, position_leg<Real>{q, e}, account_balance<Real>{w, 0, 0}, p,
                                    options);
    }
}

/// The same batch on `exec`, in fixed chunks of 4096 elements (identical output for any executor).
/// \throws invalid_argument when the spans' sizes differ or the options are invalid
template <class Contract, real_scalar Real, executor Executor>
    requires closed_form_contract<Contract>
void batch_liquidation_prices(const Contract& contract, const tier_schedule<Real>& schedule,
                              std::span<const Real> quantity, std::span<const Real> entry_price,
                              std::span<const Real> wallet_balance, std::span<const Real> mark,
                              std::span<liquidation_point<Real>> out, const liquidation_options<Real>& options,
                              const Executor& exec) {
    // Sizes and options checked once, by the sequential batch on no element.
    const std::size_t n = quantity.size();
    for (const std::size_t size : {entry_price.size(), wallet_balance.size(), mark.size(), out.size()})
        if (size != n) {
            batch_liquidation_prices(contract, schedule, quantity, entry_price, wallet_balance, mark, out, options);
            return;  // not reached: the sequential batch throws for the mismatch
        }
    batch_liquidation_prices(contract, schedule, quantity.first(0), entry_price.first(0), wallet_balance.first(0),
                             mark.first(0), out.first(0), options);
    for_each_chunk(exec, fixed_chunks(n, 4096), [&](std::size_t, std::size_t begin, std::size_t end) {
        const std::size_t len = end - begin;
        batch_liquidation_prices(contract, schedule, quantity.subspan(begin, len), entry_price.subspan(begin, len),
                                 wallet_balance.subspan(begin, len), mark.subspan(begin, len), out.subspan(begin, len),
                                 options);
    });
}

}  // namespace margincall
