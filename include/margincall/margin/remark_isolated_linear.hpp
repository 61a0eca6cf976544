#pragma once
/// \file
/// The vectorised re-mark of isolated books (one position per pool) on linear contracts with
/// bracket tables: the shape a tick re-mark must have to run at memory speed. Called by
/// remark() (margin/remark.hpp); tests pin it bit for bit to the generic pass.

#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/remark_result.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

namespace margincall {

namespace detail {

template <class Model, class Real>
struct is_bracket_table_of : std::false_type {};
template <class Real, std::size_t N>
struct is_bracket_table_of<bracket_table<Real, N>, Real> : std::true_type {};

// One step of the branch-free tier search in the packed per-symbol floors (as bracket_table's).
template <std::size_t Step, class Real>
[[nodiscard]] inline std::size_t packed_tier_search(const Real* floor, Real key, std::size_t j) noexcept {
    j += (key >= floor[j + Step]) ? Step : 0;
    if constexpr (Step > 1) {
        return packed_tier_search<Step / 2>(floor, key, j);
    } else {
        return j;
    }
}

/// The re-mark of books whose pools each hold one position, on linear contracts with bracket
/// tables: the isolated book of an exchange, and the case a tick re-mark must run at memory
/// speed. Same per-pool figures as the generic pass (same formulas, same operation order:
/// linear_contract::notional/pnl, bracket_table::margins, classify_margin, call_amount); what
/// changes is the shape, so that the compiler vectorises it:
///  * positions run in blocks of `block`. A block whose positions are all on one symbol (the
///    common case: exchanges keep isolated positions by symbol) takes that symbol's mark,
///    multiplier and brackets as loop constants, and finds each position's tier by counting
///    the floors ≤ its size (MaxTiers − 1 compares, padding floors are NaN and never count;
///    for the sorted floors of a validated schedule the count is the index of the last floor
///    ≤ size, bracket_table::tier_index's answer), so the only per-position memory traffic
///    left is the book's columns. A block mixing symbols gathers the same constants from
///    columns packed once per call (S × MaxTiers floors, rates, amounts, max leverages) and
///    runs bracket_table's branch-free binary search on them.
///  * a first loop computes equity, IM, MM, call amount and status of every position of the
///    block into L1-resident buffers (no reduction in it, so it vectorises); a second adds
///    the block to `lanes` running sums per total. Floating-point addition is not
///    associative and a compiler may not reorder it (without -ffast-math), so the lanes are
///    spelled out: a total is the sum of `lanes` interleaved partial sums, the same on every
///    machine and compiler (it may differ from a sequential sum in the last bits).
/// Hand-written because neither Eigen nor Boost offers a gathered, blocked reduction of this
/// shape. Measured in benchmarks/margin.cpp (BM_position_book_remark*), docs/performance.md.
template <real_scalar Real, std::size_t MaxTiers>
remark_totals<Real> remark_isolated_linear(const position_book<Real>& book,
                                           std::span<const linear_contract<Real>> contracts,
                                           std::span<const bracket_table<Real, MaxTiers>> models,
                                           std::span<const Real> marks, const status_thresholds<Real>& given,
                                           const remark_output<Real>& out) {
    // A local copy: the compiler then knows no store of the pass can change the thresholds.
    const status_thresholds<Real> thresholds = given;
    constexpr std::size_t block = 256;
    constexpr std::size_t lanes = 8;
    const std::size_t symbols = marks.size();
    // Per-symbol columns, packed once per call (O(symbols × MaxTiers), not per position).
    std::vector<Real> packed(symbols * (4 * MaxTiers + 3));
    Real* const floor = packed.data();
    Real* const rate = floor + symbols * MaxTiers;
    Real* const amount = rate + symbols * MaxTiers;
    Real* const cap = amount + symbols * MaxTiers;
    Real* const price_multiplier = cap + symbols * MaxTiers;
    Real* const mark = price_multiplier + symbols;
    Real* const by_quantity = mark + symbols;
    for (std::size_t s = 0; s < symbols; ++s) {
        const auto& m = models[s];
        std::copy(m.floors().begin(), m.floors().end(), floor + s * MaxTiers);
        std::copy(m.maintenance_rates().begin(), m.maintenance_rates().end(), rate + s * MaxTiers);
        std::copy(m.maintenance_amounts().begin(), m.maintenance_amounts().end(), amount + s * MaxTiers);
        std::copy(m.max_leverages().begin(), m.max_leverages().end(), cap + s * MaxTiers);
        price_multiplier[s] = contracts[s].multiplier();
        mark[s] = marks[s];
        by_quantity[s] = m.basis() == tier_basis::notional ? Real(0) : Real(1);
    }

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
    // Position k into slot i of the block buffers, at mark p and multiplier mult, its tier's
    // slot in the packed columns given by tier_of(size).
    const auto position_figures = [&](std::size_t i, std::size_t k, Real p, Real mult, bool tier_by_quantity,
                                      const auto& tier_of) {
        const Real q = quantity[k];
        const Real abs_q = q < 0 ? -q : q;
        const Real notional = abs_q * mult * p;                         // linear_contract::notional
        const Real equity = collateral[k] + q * mult * (p - entry[k]);  // + linear_contract::pnl
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
        called_b[i] = static_cast<unsigned>(status) >= 2u ? call : Real(0);  // margin_call, liquidation
        status_b[i] = status;
    };
    for (std::size_t k0 = 0; k0 < n; k0 += block) {
        const std::size_t m = n - k0 < block ? n - k0 : block;
        const std::uint32_t first = symbol[k0];
        std::uint32_t differs = 0;
        for (std::size_t i = 0; i < m; ++i) differs |= symbol[k0 + i] ^ first;
        if (differs == 0) {  // one symbol: its constants are loop invariants
            const std::size_t base = std::size_t{first} * MaxTiers;
            const Real p = mark[first];
            const Real mult = price_multiplier[first];
            const bool tier_by_quantity = by_quantity[first] != Real(0);
            const Real* const f = floor + base;
            for (std::size_t i = 0; i < m; ++i) {
                position_figures(i, k0 + i, p, mult, tier_by_quantity, [&](const Real& key) {
                    std::uint32_t t = 0;  // 32-bit: eight counters fill half a vector register
                    for (std::size_t j = 1; j < MaxTiers; ++j) t += key >= f[j] ? 1U : 0U;
                    return base + t;
                });
            }
        } else {
            for (std::size_t i = 0; i < m; ++i) {
                const std::size_t s = symbol[k0 + i];
                position_figures(i, k0 + i, mark[s], price_multiplier[s], by_quantity[s] != Real(0), [&](const Real& key) {
                    return packed_tier_search<MaxTiers / 2>(floor, key, s * MaxTiers);
                });
            }
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
            liquidated += static_cast<std::size_t>(level == 3u);
        }
        const auto at = static_cast<std::ptrdiff_t>(k0);
        if (!out.equity.empty()) std::copy_n(equity_b.begin(), m, out.equity.begin() + at);
        if (!out.initial_margin.empty()) std::copy_n(im_b.begin(), m, out.initial_margin.begin() + at);
        if (!out.maintenance_margin.empty()) std::copy_n(mm_b.begin(), m, out.maintenance_margin.begin() + at);
        if (!out.call_amount.empty()) std::copy_n(call_b.begin(), m, out.call_amount.begin() + at);
        if (!out.status.empty()) std::copy_n(status_b.begin(), m, out.status.begin() + at);
    }
    remark_totals<Real> totals;
    totals.count = {n - warning - called - liquidated, warning, called, liquidated};
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
