#pragma once
/// \file
/// The vectorised re-mark: books on bracket tables (bracket_table, or tier schedules compiled
/// to them) and linear, inverse, quanto or run-time (any_contract) contracts, in the shape a
/// tick re-mark must have to run at memory speed. Isolated books (one position per pool) and
/// books with cross pools (several positions per pool) each have a pass. Called by remark()
/// (margin/remark.hpp); tests pin both, pool by pool and bit for bit, to the generic pass that
/// calls the per-row kernel.

#include <margincall/contracts/any_contract.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
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
#include <utility>
#include <vector>

// Lambdas of the blocked pass are inlined into it: only then can the compiler see that the
// block buffers are locals no load of the book aliases, and vectorise (g++ 12 otherwise keeps
// the one-symbol loop scalar: "no vectype for stmt"). GNU attribute syntax, which g++ and
// clang++ accept on lambdas.
#if defined(__GNUC__)
#define MARGINCALL_ALWAYS_INLINE __attribute__((always_inline))
#else
#define MARGINCALL_ALWAYS_INLINE
#endif

namespace margincall {

namespace detail {

template <class Model, class Real>
struct is_bracket_table_of : std::false_type {};
template <class Real, std::size_t N>
struct is_bracket_table_of<bracket_table<Real, N>, Real> : std::true_type {};

/// The contracts the blocked passes take.
template <class Contract, class Real>
inline constexpr bool is_blocked_contract =
    std::is_same_v<Contract, linear_contract<Real>> || std::is_same_v<Contract, inverse_contract<Real>> ||
    std::is_same_v<Contract, quanto_contract<Real>> || std::is_same_v<Contract, any_contract<Real>>;

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

// The tier slot of a size on one symbol whose floors start at f = floor + base: the count of
// its floors ≤ key (MaxTiers − 1 compares; padding floors are NaN and never count).
template <std::size_t MaxTiers, class Real>
MARGINCALL_ALWAYS_INLINE inline std::size_t counted_tier(const Real* f, std::size_t base, Real key) noexcept {
    std::uint32_t t = 0;  // 32-bit: eight counters fill half a vector register
    for (std::size_t j = 1; j < MaxTiers; ++j) t += key >= f[j] ? 1U : 0U;
    return base + t;
}

// The contracts' notional and PnL on a packed per-symbol scale (multiplier, or contract value),
// restated as plain arithmetic for the isolated pass (the same expressions, in the same order,
// as linear_contract / quanto_contract and inverse_contract; tests pin them bit for bit).
template <class Real>
struct linear_formula {
    [[nodiscard]] Real notional(Real abs_q, Real scale, Real p) const noexcept { return abs_q * scale * p; }
    [[nodiscard]] Real pnl(Real q, Real scale, Real p, Real e) const noexcept { return q * scale * (p - e); }
};
template <class Real>
struct inverse_formula {
    [[nodiscard]] Real notional(Real abs_q, Real scale, Real p) const noexcept { return abs_q * scale / p; }
    // A flat leg is 0 whatever its entry, as in position_margin (at E = 0 it would be 0·∞).
    [[nodiscard]] Real pnl(Real q, Real scale, Real p, Real e) const noexcept {
        const Real v = q * scale * (Real(1) / e - Real(1) / p);
        return q == Real(0) ? Real(0) : v;
    }
};
// Either, chosen per position (blocks of an any_contract book that mix symbols): both
// computed, one selected, so the loop stays free of branches.
template <class Real>
struct chosen_formula {
    bool inverse;
    [[nodiscard]] Real notional(Real abs_q, Real scale, Real p) const noexcept {
        const Real l = linear_formula<Real>{}.notional(abs_q, scale, p);
        const Real i = inverse_formula<Real>{}.notional(abs_q, scale, p);
        return inverse ? i : l;
    }
    [[nodiscard]] Real pnl(Real q, Real scale, Real p, Real e) const noexcept {
        const Real l = linear_formula<Real>{}.pnl(q, scale, p, e);
        const Real i = inverse_formula<Real>{}.pnl(q, scale, p, e);
        return inverse ? i : l;
    }
};

// A contract's scale and whether it is inverse.
template <class Real>
std::pair<Real, bool> contract_scale(const linear_contract<Real>& c) noexcept { return {c.multiplier(), false}; }
template <class Real>
std::pair<Real, bool> contract_scale(const quanto_contract<Real>& c) noexcept { return {c.multiplier(), false}; }
template <class Real>
std::pair<Real, bool> contract_scale(const inverse_contract<Real>& c) noexcept { return {c.contract_value(), true}; }
template <class Real>
std::pair<Real, bool> contract_scale(const any_contract<Real>& c) noexcept {
    return c.visit([](const auto& held) { return contract_scale(held); });
}

// Per-symbol columns both passes read, packed once per call (O(symbols × MaxTiers), not per
// position): floors, rates, amounts and max leverages of each bracket table, and each
// symbol's mark, contract scale, tier basis and whether its contract is inverse.
template <class Real, std::size_t MaxTiers>
struct packed_symbols {
    std::vector<Real> data;
    Real *floor, *rate, *amount, *cap, *scale, *mark, *by_quantity, *inverse;
    template <class Contract>
    packed_symbols(std::span<const Contract> contracts, std::span<const bracket_table<Real, MaxTiers>> models,
                   std::span<const Real> marks)
        : data(marks.size() * (4 * MaxTiers + 4)) {
        const std::size_t symbols = marks.size();
        floor = data.data();
        rate = floor + symbols * MaxTiers;
        amount = rate + symbols * MaxTiers;
        cap = amount + symbols * MaxTiers;
        scale = cap + symbols * MaxTiers;
        mark = scale + symbols;
        by_quantity = mark + symbols;
        inverse = by_quantity + symbols;
        for (std::size_t s = 0; s < symbols; ++s) {
            const auto& m = models[s];
            std::copy(m.floors().begin(), m.floors().end(), floor + s * MaxTiers);
            std::copy(m.maintenance_rates().begin(), m.maintenance_rates().end(), rate + s * MaxTiers);
            std::copy(m.maintenance_amounts().begin(), m.maintenance_amounts().end(), amount + s * MaxTiers);
            std::copy(m.max_leverages().begin(), m.max_leverages().end(), cap + s * MaxTiers);
            const auto [sc, inv] = contract_scale(contracts[s]);
            scale[s] = sc;
            inverse[s] = inv ? Real(1) : Real(0);
            mark[s] = marks[s];
            by_quantity[s] = m.basis() == tier_basis::notional ? Real(0) : Real(1);
        }
    }
    packed_symbols(const packed_symbols&) = delete;
    packed_symbols& operator=(const packed_symbols&) = delete;
};

// Pointers to a run's quantity, entry price and leverage columns: the book's, or a grouped copy.
template <class Real>
struct row_columns {
    const Real* quantity;
    const Real* entry;
    const Real* leverage;
};

// Calls body(formula, mark, scale, tier_by_quantity, tier_of) with symbol s's constants, loop
// invariants of a one-symbol loop: its contract formula, mark, scale, tier basis, and tier_of
// counting its floors.
template <class Real, std::size_t MaxTiers, class Body>
MARGINCALL_ALWAYS_INLINE inline void with_symbol(const packed_symbols<Real, MaxTiers>& packed, std::uint32_t s,
                                                 const Body& body) {
    const std::size_t base = std::size_t{s} * MaxTiers;
    const Real* const f = packed.floor + base;
    const auto tier_of = [f, base](const Real& key) MARGINCALL_ALWAYS_INLINE { return counted_tier<MaxTiers>(f, base, key); };
    const Real p = packed.mark[s];
    const Real sc = packed.scale[s];
    const bool tier_by_quantity = packed.by_quantity[s] != Real(0);
    if (packed.inverse[s] != Real(0)) {
        body(inverse_formula<Real>{}, p, sc, tier_by_quantity, tier_of);
    } else {
        body(linear_formula<Real>{}, p, sc, tier_by_quantity, tier_of);
    }
}

// The formula of a block mixing symbols: fixed by the contract type, or chosen per position
// for an any_contract book.
template <class Contract, class Real>
auto formula_of_symbol(const Real* inverse) {
    if constexpr (std::is_same_v<Contract, inverse_contract<Real>>) {
        return [](std::size_t) { return inverse_formula<Real>{}; };
    } else if constexpr (std::is_same_v<Contract, any_contract<Real>>) {
        return [inverse](std::size_t s) { return chosen_formula<Real>{inverse[s] != Real(0)}; };
    } else {
        return [](std::size_t) { return linear_formula<Real>{}; };
    }
}

/// The blocked re-mark of books with pools of any size (cross accounts).
/// Shapes, and why (measured in benchmarks/margin.cpp, BM_position_book_remark* and
/// BM_book_remark*, docs/performance.md):
///  * positions run in blocks of `block`. A block whose positions are all on one symbol (the
///    common case: exchanges keep isolated positions by symbol) takes that symbol's mark,
///    contract and brackets as loop constants (an any_contract is resolved to its concrete
///    contract once per block), and finds each position's tier by counting the floors ≤ its
///    size (MaxTiers − 1 compares; padding floors are NaN and never count; for the sorted
///    floors of a validated schedule the count is the index of the last floor ≤ size,
///    bracket_table::tier_index's answer), so the only per-position memory traffic left is
///    the book's columns. A block mixing symbols gathers the same constants from columns
///    packed once per call (S × MaxTiers floors, rates, amounts, max leverages) and runs
///    bracket_table's branch-free binary search on them.
///  * the contract's own notional() and pnl() are called (inlined), so the contract formulas
///    are not restated; the tier figures restate bracket_table::margins on the packed columns
///    (MM = notional·rate − amount, IM = notional / min(L, cap)), pinned by the tests. A flat
///    position's PnL is 0 whatever its entry, as in the per-row kernel.
///  * a first loop computes each position's PnL, IM and MM into L1-resident local buffers; pools
///    are then finished (equity = collateral + Σ PnL in position order, as the generic pass
///    adds, status, call amount) into pool buffers, and a last loop adds them to `lanes`
///    running sums per total. The buffers are locals of this function, not members or
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

    // One slot more than a block: slot `block` stays +0, the figures of a missing leg.
    alignas(64) std::array<Real, block + 1> pnl_b{}, im_b{}, mm_b{};
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
    // The one-symbol loop: rows [a, b) of `rows`, all on symbol s, into slots [a, b).
    const auto one_symbol = [&](std::uint32_t s, const row_columns<Real>& rows, std::size_t a,
                                std::size_t b) MARGINCALL_ALWAYS_INLINE {
        with_symbol(packed, s, [&](const auto& formula, Real p, Real sc, bool tier_by_quantity, const auto& tier_of)
                                   MARGINCALL_ALWAYS_INLINE {
                                       for (std::size_t i = a; i < b; ++i)
                                           position(formula, i, rows, i, p, sc, tier_by_quantity, tier_of);
                                   });
    };
    // Positions [j0, j0 + m), m ≤ block, into the position buffers [0, m).
    const auto positions = [&](std::size_t j0, std::size_t m) MARGINCALL_ALWAYS_INLINE {
        const std::uint32_t first = symbol[j0];
        std::uint32_t differs = 0;
        for (std::size_t i = 0; i < m; ++i) differs |= symbol[j0 + i] ^ first;
        const row_columns<Real> rows{quantity + j0, entry + j0, leverage + j0};
        if (differs == 0) {  // one symbol: its constants are loop invariants
            one_symbol(first, rows, 0, m);
        } else {
            const auto formula_of = formula_of_symbol<Contract, Real>(inverse);
            for (std::size_t i = 0; i < m; ++i) {
                const std::size_t s = symbol[j0 + i];
                position(formula_of(s), i, rows, i, mark[s], scale[s], by_quantity[s] != Real(0),
                         [&](const Real& key) { return packed_tier_search<MaxTiers / 2>(floor, key, s * MaxTiers); });
            }
        }
    };
    // A grouped run's m positions, from entry c of the grouped columns (segments [g0, g1)):
    // each symbol's stretch through the one-symbol loop, so the position buffers hold the run
    // in symbol order, and slot_b[i] the slot of the run's i-th position.
    alignas(64) std::array<std::uint32_t, block + 1> slot_b{};
    slot_b[block] = block;  // a missing leg's: the +0 slot
    const auto grouped_positions = [&](std::size_t c, std::size_t m, std::size_t g0, std::size_t g1) MARGINCALL_ALWAYS_INLINE {
        for (std::size_t i = 0; i < m; ++i) slot_b[i] = grouped_place[c + i];
        const row_columns<Real> rows{grouped_quantity + c, grouped_entry + c, grouped_leverage + c};
        std::size_t a = 0;
        for (std::size_t g = g0; g < g1; ++g) {
            one_symbol(segment_symbol[g], rows, a, segment_end[g]);
            a = segment_end[g];
        }
    };
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
    // position buffers (position j0 + i in slot slot_of(i)), each pool adding its legs in order.
    const auto pool_sums = [&](std::size_t k0, std::size_t k1, std::size_t j0, const auto& slot_of) MARGINCALL_ALWAYS_INLINE {
        const std::size_t pools = k1 - k0;
        std::uint32_t widest = 0;
        for (std::size_t i = 0; i < pools; ++i) {
            const std::uint32_t size = begin[k0 + i + 1] - begin[k0 + i];
            widest = size > widest ? size : widest;
        }
        if (widest <= narrow) {
            // Pools of at most `narrow` legs (cross accounts mostly hold a few): leg by leg
            // across the run's pools, a missing leg adding +0 (x + 0 = x exactly), so each
            // pool still adds its legs in order, without a loop of varying length per pool.
            for (std::size_t i = 0; i < pools; ++i) {
                equity_b[i] = collateral[k0 + i];
                pool_im_b[i] = Real(0);
                pool_mm_b[i] = Real(0);
            }
            for (std::uint32_t t = 0; t < widest; ++t) {
                for (std::size_t i = 0; i < pools; ++i) {
                    const std::uint32_t first = begin[k0 + i] - static_cast<std::uint32_t>(j0);
                    const bool has = t < begin[k0 + i + 1] - begin[k0 + i];
                    const std::uint32_t at = slot_of(has ? first + t : static_cast<std::uint32_t>(block));
                    equity_b[i] += pnl_b[at];
                    pool_im_b[i] += im_b[at];
                    pool_mm_b[i] += mm_b[at];
                }
            }
        } else {
            for (std::size_t k = k0; k < k1; ++k) {
                Real equity = collateral[k], im{0}, mm{0};  // the generic pass's order of additions
                for (std::size_t j = begin[k]; j < begin[k + 1]; ++j) {
                    const std::uint32_t at = slot_of(static_cast<std::uint32_t>(j - j0));
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
            if (k1 > k0) {
                const std::size_t j0 = begin[k0];
                const std::size_t pools = k1 - k0;
                if (g1 > g0) {
                    grouped_positions(c, begin[k1] - j0, g0, g1);
                    pool_sums(k0, k1, j0, [&](std::uint32_t i) { return slot_b[i]; });
                } else {
                    positions(j0, begin[k1] - j0);
                    pool_sums(k0, k1, j0, [](std::uint32_t i) { return i; });
                }
                finish(k0, pools);
                k0 = k1;
                continue;
            }
            // One pool of more than `block` positions: block by block, added in order.
            Real equity = collateral[k0], im{0}, mm{0};
            for (std::size_t j0 = begin[k0]; j0 < begin[k0 + 1]; j0 += block) {
                const std::size_t m = begin[k0 + 1] - j0 < block ? begin[k0 + 1] - j0 : block;
                positions(j0, m);
                for (std::size_t i = 0; i < m; ++i) {
                    equity += pnl_b[i];
                    im += im_b[i];
                    mm += mm_b[i];
                }
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
            with_symbol(packed, first,
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

/// The blocked re-mark: the isolated pass or the pooled pass.
template <class Contract, real_scalar Real, std::size_t MaxTiers>
remark_totals<Real> remark_blocked(const position_book<Real>& book, std::span<const Contract> contracts,
                                   std::span<const bracket_table<Real, MaxTiers>> models, std::span<const Real> marks,
                                   const status_thresholds<Real>& thresholds, const remark_output<Real>& out) {
    if (book.single_position_pools()) return remark_isolated(book, contracts, models, marks, thresholds, out);
    return remark_pooled(book, contracts, models, marks, thresholds, out);
}

}  // namespace detail

}  // namespace margincall
