#pragma once
/// \file
/// The blocked re-mark of books with cross pools (several positions per pool): remark_pooled.
/// Called through remark_blocked (remark_blocked.hpp); tests pin it, pool by pool and bit for
/// bit, to the generic pass that calls the per-row kernel.

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

/// The blocked re-mark of books with pools of any size (cross accounts).
/// Shapes, and why (measured in benchmarks/margin.cpp, BM_position_book_remark* and
/// BM_book_remark*, docs/performance.md):
///  * positions run in blocks of `block`. A block whose positions are all on one symbol (the
///    common case: exchanges keep isolated positions by symbol) takes that symbol's mark,
///    contract and brackets as loop constants (an any_contract is resolved to its concrete
///    contract once per block), and finds each position's tier by counting the floors ≤ its
///    size (Width − 1 compares, Width the narrowest of 2, 4, ... 16 or MaxTiers slots that
///    holds the symbol's table, chosen per symbol; padding floors are NaN and never count;
///    for the sorted floors of a validated schedule the count is the index of the last floor
///    ≤ size, bracket_table::tier_index's answer), so the only per-position memory traffic
///    left is the book's columns. A block mixing symbols gathers the same constants from columns
///    packed once per call (S × MaxTiers floors, rates, amounts, max leverages) and runs
///    bracket_table's branch-free binary search on them.
///  * the contract formulas (linear_formula, inverse_formula, remark_block_support.hpp) and
///    the tier figures (bracket_table::margins on the packed columns: MM = notional·rate −
///    amount, IM = notional / min(L, cap)) are restated as loop arithmetic, pinned bit for bit
///    to the per-row kernel by the tests. A flat position's PnL is 0 whatever its entry, as
///    in the per-row kernel.
///  * a first loop computes each position's PnL, IM and MM into L1-resident local buffers; pools
///    are then summed (equity = collateral + Σ PnL in position order, as the generic pass
///    adds: pools of up to `narrow` legs in one loop over the run's pools with the run's
///    widest pool as a loop constant, the sums in registers), classified (status, call
///    amount) into pool buffers, and a last loop adds them to `lanes` running sums per total. The buffers are locals of this function, not members or
///    pointers, so the compiler can prove no store of the pass aliases the book's columns and
///    vectorises the loops. Pooled books run whole pools in runs of at most `block` positions
///    and `block` pools; a pool larger than a block runs block by block, added in order.
///  * floating-point addition is not associative and a compiler may not reorder it (without
///    -ffast-math), so the lanes are spelled out: a total is the sum of `lanes` interleaved
///    partial sums, the same on every machine and compiler (it may differ from a sequential
///    sum in the last bits; per-pool figures do not).
/// Hand-written because neither Eigen nor Boost offers a gathered, blocked reduction of this
/// shape.
template <class Contract, real_scalar Real, std::size_t MaxTiers>
remark_totals<Real> remark_pooled(const position_book<Real>& book, std::span<const Contract> contracts,
                                   std::span<const bracket_table<Real, MaxTiers>> models, std::span<const Real> marks,
                                   const status_thresholds<Real>& given, const remark_output<Real>& out) {
    // A local copy: the compiler then knows no store of the pass can change the thresholds.
    const status_thresholds<Real> thresholds = given;
    constexpr std::size_t block = position_book<Real>::remark_block;
    constexpr std::size_t lanes = 8;
    constexpr std::uint32_t narrow = 4;  // pools of up to this many legs take the leg-by-leg sums
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
    const std::uint32_t* const begin = book.pool_begin().data();
    const std::uint32_t* const symbol = book.symbol().data();
    const Real* const quantity = book.quantity().data();
    const Real* const entry = book.entry_price().data();
    const Real* const leverage = book.leverage().data();
    const Real* const grouped_quantity = book.grouped_quantity().data();
    const Real* const grouped_entry = book.grouped_entry_price().data();
    const Real* const grouped_leverage = book.grouped_leverage().data();
    const std::uint8_t* const grouped_place = book.grouped_place().data();
    const std::uint32_t* const segment_symbol = book.segment_symbol().data();
    const std::uint16_t* const segment_end = book.segment_end().data();

    // One slot more than a block: slot `block` stays −0, the figures of a missing leg (x + −0 = x
    // exactly for every x, +0 and −0 included).
    alignas(64) std::array<Real, block + 1> pnl_b{}, im_b{}, mm_b{};
    pnl_b[block] = im_b[block] = mm_b[block] = -Real(0);
    alignas(64) std::array<Real, block> equity_b{}, pool_im_b{}, pool_mm_b{}, call_b{}, called_b{};
    alignas(64) std::array<margin_status, block> status_b{};
    std::array<Real, lanes> sum_equity{}, sum_im{}, sum_mm{}, sum_call{}, sum_called{};
    std::size_t warning = 0, called = 0, liquidated = 0;

    // Row k of the columns `rows` (the book's, or a grouped run's copy) into slot i of the
    // position buffers, at mark p with the symbol's scale and formula; tier_of(size) gives its
    // tier's slot.
    const auto position = [&](const auto& formula, std::size_t i, const row_columns<Real>& rows, std::size_t k, Real p,
                              Real sc, bool tier_by_quantity, const auto& tier_of) MARGINCALL_ALWAYS_INLINE {
        const Real q = rows.quantity[k];
        const Real abs_q = q < 0 ? -q : q;
        const Real notional = formula.notional(abs_q, sc, p);
        const std::size_t j = tier_of(tier_by_quantity ? abs_q : notional);
        const Real c = cap[j];
        const Real lev = rows.leverage[k];
        pnl_b[i] = formula.pnl(q, sc, p, rows.entry[k]);
        im_b[i] = notional / (lev < c ? lev : c);  // bracket_table::margins
        mm_b[i] = notional * rate[j] - amount[j];
    };
    // m ≤ block rows of `rows` into the position buffers [0, m), in row order. Given segments
    // (segment g: symbol seg_symbol[g] up to row seg_end[g]), each runs through the one-symbol
    // loop, its symbol's constants loop invariants; without (rows mixing symbols), each row
    // gathers its symbol's constants from the packed columns, row_symbol[i] its symbol.
    // One call site, so the one-symbol loop (one copy per tier width and formula) is inlined
    // once.
    const auto positions = [&](const row_columns<Real>& rows, std::size_t m, const std::uint32_t* seg_symbol,
                               const std::uint16_t* seg_end, std::size_t segments,
                               const std::uint32_t* row_symbol) MARGINCALL_ALWAYS_INLINE {
        if (segments == 0) {
            const auto formula_of = formula_of_symbol<Contract, Real>(inverse);
            for (std::size_t i = 0; i < m; ++i) {
                const std::size_t s = row_symbol[i];
                position(formula_of(s), i, rows, i, mark[s], scale[s], by_quantity[s] != Real(0),
                         [&](const Real& key) { return packed_tier_search<MaxTiers / 2>(floor, key, s * MaxTiers); });
            }
            return;
        }
        std::size_t a = 0;
        for (std::size_t g = 0; g < segments; ++g) {
            const std::size_t b = seg_end[g];
            with_symbol<Contract>(packed, seg_symbol[g],
                        [&](const auto& formula, Real p, Real sc, bool tier_by_quantity, const auto& tier_of)
                            MARGINCALL_ALWAYS_INLINE {
                                for (std::size_t i = a; i < b; ++i)
                                    position(formula, i, rows, i, p, sc, tier_by_quantity, tier_of);
                            });
            a = b;
        }
    };
    // slot_b[i]: the slot in the position buffers of the run's i-th position (its place in the
    // symbol order of a grouped run, else i); slot `block` holds a missing leg's figures.
    alignas(64) std::array<std::uint32_t, block + 1> slot_b{};
    slot_b[block] = block;
    // Pools [k0, k0 + m) from the pool buffers: status, call amount, sums, outputs.
    const auto finish = [&](std::size_t k0, std::size_t m) MARGINCALL_ALWAYS_INLINE {
        for (std::size_t i = 0; i < m; ++i) {
            const Real call = call_amount(pool_im_b[i], equity_b[i]);
            const margin_status status = classify_margin(equity_b[i], pool_im_b[i], pool_mm_b[i], thresholds);
            call_b[i] = call;
            called_b[i] = static_cast<unsigned>(status) >= 2u ? call : Real(0);  // margin_call, liquidation
            status_b[i] = status;
        }
        // A short run: pad to a whole number of lane groups with zeros (not to a whole block:
        // runs of cross pools are often half a block).
        const std::size_t padded = (m + lanes - 1) / lanes * lanes;
        for (std::size_t i = m; i < padded; ++i) {
            equity_b[i] = pool_im_b[i] = pool_mm_b[i] = call_b[i] = called_b[i] = Real(0);
            status_b[i] = margin_status::healthy;
        }
        for (std::size_t i = 0; i < padded; i += lanes) {
            for (std::size_t l = 0; l < lanes; ++l) {
                sum_equity[l] += equity_b[i + l];
                sum_im[l] += pool_im_b[i + l];
                sum_mm[l] += pool_mm_b[i + l];
                sum_call[l] += call_b[i + l];
                sum_called[l] += called_b[i + l];
            }
        }
        for (std::size_t i = 0; i < padded; ++i) {
            const auto level = static_cast<unsigned>(status_b[i]);
            warning += static_cast<std::size_t>(level == 1u);
            called += static_cast<std::size_t>(level == 2u);
            liquidated += static_cast<std::size_t>(level == static_cast<unsigned>(margin_status::liquidation));
        }
        const auto at = static_cast<std::ptrdiff_t>(k0);
        if (!out.equity.empty()) std::copy_n(equity_b.begin(), m, out.equity.begin() + at);
        if (!out.initial_margin.empty()) std::copy_n(pool_im_b.begin(), m, out.initial_margin.begin() + at);
        if (!out.maintenance_margin.empty()) std::copy_n(pool_mm_b.begin(), m, out.maintenance_margin.begin() + at);
        if (!out.call_amount.empty()) std::copy_n(call_b.begin(), m, out.call_amount.begin() + at);
        if (!out.status.empty()) std::copy_n(status_b.begin(), m, out.status.begin() + at);
    };

    // Pools [k0, k1) of a run from row j0 into the pool buffers, their legs' figures in the
    // position buffers (position j0 + i in slot slot_b[i]), each pool adding its legs in order.
    const auto pool_sums = [&](std::size_t k0, std::size_t k1, std::size_t j0) MARGINCALL_ALWAYS_INLINE {
        const std::size_t pools = k1 - k0;
        std::uint32_t widest = 0;
        for (std::size_t i = 0; i < pools; ++i) {
            const std::uint32_t size = begin[k0 + i + 1] - begin[k0 + i];
            widest = size > widest ? size : widest;
        }
        // Pools of at most `narrow` legs (cross accounts mostly hold a few): each pool adds
        // legs 0 .. Width − 1 (Width the run's widest pool, a loop constant, so the loop over
        // pools vectorises with the sums in registers), a missing leg adding −0 (x + −0 = x
        // exactly), so each pool still adds its legs in order.
        const auto narrow_sums = [&]<std::uint32_t Width>() MARGINCALL_ALWAYS_INLINE {
            for (std::size_t i = 0; i < pools; ++i) {
                const std::uint32_t first = begin[k0 + i] - static_cast<std::uint32_t>(j0);
                const std::uint32_t size = begin[k0 + i + 1] - begin[k0 + i];
                Real equity = collateral[k0 + i], im{0}, mm{0};
                for (std::uint32_t t = 0; t < Width; ++t) {
                    const std::uint32_t at = slot_b[t < size ? first + t : static_cast<std::uint32_t>(block)];
                    equity += pnl_b[at];
                    im += im_b[at];
                    mm += mm_b[at];
                }
                equity_b[i] = equity;
                pool_im_b[i] = im;
                pool_mm_b[i] = mm;
            }
        };
        if (widest <= narrow) {
            static_assert(narrow == 4);
            if (widest <= 1) {
                narrow_sums.template operator()<1>();
            } else if (widest == 2) {
                narrow_sums.template operator()<2>();
            } else if (widest == 3) {
                narrow_sums.template operator()<3>();
            } else {
                narrow_sums.template operator()<4>();
            }
        } else {
            for (std::size_t k = k0; k < k1; ++k) {
                Real equity = collateral[k], im{0}, mm{0};  // the generic pass's order of additions
                for (std::size_t j = begin[k]; j < begin[k + 1]; ++j) {
                    const std::uint32_t at = slot_b[j - j0];
                    equity += pnl_b[at];
                    im += im_b[at];
                    mm += mm_b[at];
                }
                equity_b[k - k0] = equity;
                pool_im_b[k - k0] = im;
                pool_mm_b[k - k0] = mm;
            }
        }
    };

    {
        // Runs the book laid out (pool sizes and symbols fixed), then the last run, formed here
        // by the same rule.
        const std::span<const std::uint32_t> run_begin = book.run_begin();
        const std::span<const std::uint32_t> segment_begin = book.segment_begin();
        const std::span<const std::size_t> grouped_begin = book.grouped_begin();
        const std::size_t laid_out = run_begin.size() - 1;
        std::size_t r = 0;
        std::size_t k0 = 0;
        while (k0 < n) {
            std::size_t k1 = k0;  // the run [k0, k1): whole pools within one block of positions
            std::size_t g0 = 0, g1 = 0, c = 0;  // its segments and grouped entries, if grouped
            if (r < laid_out) {
                k1 = run_begin[r + 1];
                g0 = segment_begin[r];
                g1 = segment_begin[r + 1];
                c = grouped_begin[r];
                ++r;
                if (begin[k1] - begin[k0] > block) k1 = k0;  // one pool larger than a run
            } else {
                while (k1 < n && k1 - k0 < block && begin[k1 + 1] - begin[k0] <= block) ++k1;
            }
            // A run is one block of positions; one pool of more than `block` positions runs
            // block by block, its sums added in order.
            const bool whole = k1 > k0;
            const std::size_t j_end = whole ? begin[k1] : begin[k0 + 1];
            Real equity = collateral[k0], im{0}, mm{0};
            for (std::size_t j0 = begin[k0]; j0 < j_end; j0 += block) {
                const std::size_t m = j_end - j0 < block ? j_end - j0 : block;
                if (g1 > g0) {  // grouped by symbol
                    for (std::size_t i = 0; i < m; ++i) slot_b[i] = grouped_place[c + i];
                    positions({grouped_quantity + c, grouped_entry + c, grouped_leverage + c}, m, segment_symbol + g0,
                              segment_end + g0, g1 - g0, nullptr);
                } else {
                    for (std::size_t i = 0; i < m; ++i) slot_b[i] = static_cast<std::uint32_t>(i);
                    const std::uint32_t first = symbol[j0];
                    std::uint32_t differs = 0;
                    for (std::size_t i = 0; i < m; ++i) differs |= symbol[j0 + i] ^ first;
                    const std::array<std::uint32_t, 1> one_symbol{first};
                    const std::array<std::uint16_t, 1> one_end{static_cast<std::uint16_t>(m)};
                    positions({quantity + j0, entry + j0, leverage + j0}, m, one_symbol.data(), one_end.data(),
                              differs == 0 ? 1 : 0, symbol + j0);
                }
                if (whole) break;
                for (std::size_t i = 0; i < m; ++i) {
                    equity += pnl_b[i];
                    im += im_b[i];
                    mm += mm_b[i];
                }
            }
            if (whole) {
                pool_sums(k0, k1, begin[k0]);
                finish(k0, k1 - k0);
                k0 = k1;
                continue;
            }
            equity_b[0] = equity;
            pool_im_b[0] = im;
            pool_mm_b[0] = mm;
            finish(k0, 1);
            ++k0;
        }
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
