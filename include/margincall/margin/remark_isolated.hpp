#pragma once
/// \file
/// The blocked re-mark of isolated books (one position per pool): remark_isolated. Called
/// through remark_blocked (remark_blocked.hpp); tests pin it, bit for bit, to the generic pass
/// that calls the per-row kernel.

#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/remark_block_support.hpp>
#include <margincall/margin/remark_result.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace margincall {

namespace detail {

/// The re-mark of isolated books (pool k is position k): one fused loop per block computes
/// each position's equity, IM, MM, call amount and status into L1-resident buffers (no
/// reduction in it, so it vectorises), a second adds the block to `lanes` running sums. The
/// shape that keeps a tick re-mark at memory speed (docs/margin.md, "The blocked passes").
/// One-symbol blocks take the symbol's mark, scale, formula and brackets as loop constants and
/// count floors for the tier; mixed blocks gather them from the packed columns.
template <class Contract, real_scalar Real, std::size_t MaxTiers>
remark_totals<Real> remark_isolated(const position_book<Real>& book, std::span<const Contract> contracts,
                                    std::span<const bracket_table<Real, MaxTiers>> models, std::span<const Real> marks,
                                    const status_thresholds<Real>& given, const remark_output<Real>& out) {
    // A local copy: the compiler then knows no store of the pass can change the thresholds.
    const status_thresholds<Real> thresholds = given;
    constexpr std::size_t block = 256;
    constexpr std::size_t lanes = 8;
    const packed_symbols<Real, MaxTiers> packed(contracts, models, marks);
    const Real* const floor = packed.floor;
    const Real* const rate = packed.rate;
    const Real* const amount = packed.amount;
    const Real* const cap = packed.cap;
    const Real* const scale = packed.scale;
    const Real* const mark = packed.mark;
    const Real* const by_quantity = packed.by_quantity;
    const Real* const inverse = packed.inverse;

    const std::size_t n = book.pools();
    const Real* const collateral = book.collateral().data();
    const std::uint32_t* const symbol = book.symbol().data();
    const Real* const quantity = book.quantity().data();
    const Real* const entry = book.entry_price().data();
    const Real* const leverage = book.leverage().data();

    alignas(64) std::array<Real, block> equity_b{}, im_b{}, mm_b{}, call_b{}, called_b{};
    alignas(64) std::array<margin_status, block> status_b{};
    std::array<Real, lanes> sum_equity{}, sum_im{}, sum_mm{}, sum_call{}, sum_called{};
    std::size_t warning = 0, called = 0, liquidated = 0;
    // Position k into slot i of the block buffers, at mark p with the symbol's scale and
    // formula, its tier's slot in the packed columns given by tier_of(size).
    const auto position_figures = [&](const auto& formula, std::size_t i, std::size_t k, Real p, Real sc,
                                      bool tier_by_quantity, const auto& tier_of) MARGINCALL_ALWAYS_INLINE {
        const Real q = quantity[k];
        const Real abs_q = q < 0 ? -q : q;
        const Real notional = formula.notional(abs_q, sc, p);
        const Real equity = collateral[k] + formula.pnl(q, sc, p, entry[k]);
        const std::size_t j = tier_of(tier_by_quantity ? abs_q : notional);
        const Real c = cap[j];
        const Real lev = leverage[k];
        const Real im = notional / (lev < c ? lev : c);  // bracket_table::margins
        const Real mm = notional * rate[j] - amount[j];
        const Real call = call_amount(im, equity);
        const margin_status status = classify_margin(equity, im, mm, thresholds);
        equity_b[i] = equity;
        im_b[i] = im;
        mm_b[i] = mm;
        call_b[i] = call;
        called_b[i] = static_cast<unsigned>(status) >= 2u ? call : Real(0);  // margin_call and worse
        status_b[i] = status;
    };
    for (std::size_t k0 = 0; k0 < n; k0 += block) {
        const std::size_t m = n - k0 < block ? n - k0 : block;
        const std::uint32_t first = symbol[k0];
        std::uint32_t differs = 0;
        for (std::size_t i = 0; i < m; ++i) differs |= symbol[k0 + i] ^ first;
        if (differs == 0) {  // one symbol: its constants are loop invariants
            with_symbol<Contract>(packed, first,
                        [&](const auto& formula, Real p, Real sc, bool tier_by_quantity, const auto& tier_of)
                            MARGINCALL_ALWAYS_INLINE {
                                for (std::size_t i = 0; i < m; ++i)
                                    position_figures(formula, i, k0 + i, p, sc, tier_by_quantity, tier_of);
                            });
        } else {
            const auto run = [&](const auto& formula_of) MARGINCALL_ALWAYS_INLINE {
                for (std::size_t i = 0; i < m; ++i) {
                    const std::size_t s = symbol[k0 + i];
                    position_figures(formula_of(s), i, k0 + i, mark[s], scale[s], by_quantity[s] != Real(0),
                                     [&](const Real& key) { return packed_tier_search<MaxTiers / 2>(floor, key, s * MaxTiers); });
                }
            };
            run(formula_of_symbol<Contract, Real>(inverse));
        }
        for (std::size_t i = m; i < block; ++i) {  // the last block: pad the sums with zeros
            equity_b[i] = im_b[i] = mm_b[i] = call_b[i] = called_b[i] = Real(0);
            status_b[i] = margin_status::healthy;
        }
        for (std::size_t i = 0; i < block; i += lanes) {
            for (std::size_t l = 0; l < lanes; ++l) {
                sum_equity[l] += equity_b[i + l];
                sum_im[l] += im_b[i + l];
                sum_mm[l] += mm_b[i + l];
                sum_call[l] += call_b[i + l];
                sum_called[l] += called_b[i + l];
            }
        }
        for (std::size_t i = 0; i < block; ++i) {
            const auto level = static_cast<unsigned>(status_b[i]);
            warning += static_cast<std::size_t>(level == 1u);
            called += static_cast<std::size_t>(level == 2u);
            liquidated += static_cast<std::size_t>(level == static_cast<unsigned>(margin_status::liquidation));
        }
        const auto at = static_cast<std::ptrdiff_t>(k0);
        if (!out.equity.empty()) std::copy_n(equity_b.begin(), m, out.equity.begin() + at);
        if (!out.initial_margin.empty()) std::copy_n(im_b.begin(), m, out.initial_margin.begin() + at);
        if (!out.maintenance_margin.empty()) std::copy_n(mm_b.begin(), m, out.maintenance_margin.begin() + at);
        if (!out.call_amount.empty()) std::copy_n(call_b.begin(), m, out.call_amount.begin() + at);
        if (!out.status.empty()) std::copy_n(status_b.begin(), m, out.status.begin() + at);
    }
    remark_totals<Real> totals;
    totals.count = {n - warning - called - liquidated, warning, called, 0, liquidated};  // no reduce_only without a liquidation level
    for (std::size_t l = 0; l < lanes; ++l) {
        totals.equity += sum_equity[l];
        totals.initial_margin += sum_im[l];
        totals.maintenance_margin += sum_mm[l];
        totals.call_amount += sum_call[l];
        totals.called_amount += sum_called[l];
    }
    return totals;
}

}  // namespace detail

}  // namespace margincall
