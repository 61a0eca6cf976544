#pragma once
/// \file
/// What both blocked re-mark passes (remark_pooled.hpp, remark_isolated.hpp) share: the contracts
/// they take, the contract formulas as loop constants, the symbols' marks, scales and brackets
/// packed into columns, the row columns of a book, the one-symbol loop's setup and tier count.
/// Formulas are those of the per-row kernel (margin/remark.hpp); tests pin the passes to it.

#include <margincall/contracts/any_contract.hpp>
#include <margincall/contracts/inverse_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
#include <margincall/core/always_inline.hpp>
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
// its floors ≤ key among slots 1 .. Width − 1 (Width − 1 compares against loop constants; the
// table's tiers fit in Width slots, and padding floors are NaN and never count). The counter
// is as wide as the index (64-bit): a 32-bit one cost a pack of two masks per compare (g++ 12,
// AVX-512, 256-bit vectors), measured 5–8 % of the cross pass.
template <std::size_t Width, class Real>
MARGINCALL_ALWAYS_INLINE inline std::size_t counted_tier(const Real* f, std::size_t base, Real key) noexcept {
    std::uint64_t t = 0;
    for (std::size_t j = 1; j < Width; ++j) t += key >= f[j] ? 1U : 0U;
    return base + t;
}

// The contracts' notional and PnL on a packed per-symbol scale (multiplier, or contract value),
// restated as plain arithmetic for the isolated pass (the same expressions, in the same order,
// as linear_contract / quanto_contract and inverse_contract; tests pin them bit for bit).
template <class Real>
struct linear_formula {
    [[nodiscard]] Real notional(Real abs_q, Real scale, Real p) const noexcept { return abs_q * scale * p; }
    // A flat leg is +0 whatever its entry, as in position_margin (q·m·(P − E) would be −0 for
    // P < E, and turn a pool's −0 collateral into −0 equity where the kernel gives +0).
    [[nodiscard]] Real pnl(Real q, Real scale, Real p, Real e) const noexcept {
        const Real v = q * scale * (p - e);
        return q == Real(0) ? Real(0) : v;
    }
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
// symbol's mark, contract scale, tier basis, whether its contract is inverse, and its
// table's tier count.
template <class Real, std::size_t MaxTiers>
struct packed_symbols {
    std::vector<Real> data;
    Real *floor, *rate, *amount, *cap, *scale, *mark, *by_quantity, *inverse;
    std::vector<std::size_t> tiers;
    template <class Contract>
    packed_symbols(std::span<const Contract> contracts, std::span<const bracket_table<Real, MaxTiers>> models,
                   std::span<const Real> marks)
        : data(marks.size() * (4 * MaxTiers + 4)), tiers(marks.size()) {
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
            tiers[s] = m.size();
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

// Runs run.template operator()<Width>() with the narrowest Width of 2, 4, 6, ... 16, MaxTiers
// that holds `tiers` tiers: Width − 1 compares find the tier of every size (the floors from slot
// Width on are padding). Venue tables hold 1 to about 15 tiers; each width is one more copy
// of the one-symbol loop, so wider capacities take one copy, not one per step.
template <std::size_t MaxTiers, std::size_t Width, class Run>
MARGINCALL_ALWAYS_INLINE inline void dispatch_width(std::size_t tiers, const Run& run) {
    if constexpr (Width >= MaxTiers) {
        run.template operator()<MaxTiers>();
    } else {
        if (tiers <= Width) return run.template operator()<Width>();
        dispatch_width<MaxTiers, (Width < 16 ? Width + 2 : MaxTiers)>(tiers, run);
    }
}

// Calls body(formula, mark, scale, tier_by_quantity, tier_of) with symbol s's constants, loop
// invariants of a one-symbol loop: its contract formula, mark, scale, tier basis, and tier_of
// counting its floors (as few as its table's tiers need). The formula is fixed by the contract
// type, so a linear, quanto or inverse book compiles one loop per width, an any_contract book
// two.
template <class Contract, class Real, std::size_t MaxTiers, class Body>
MARGINCALL_ALWAYS_INLINE inline void with_symbol(const packed_symbols<Real, MaxTiers>& packed, std::uint32_t s,
                                                 const Body& body) {
    const std::size_t base = std::size_t{s} * MaxTiers;
    const Real* const f = packed.floor + base;
    const Real p = packed.mark[s];
    const Real sc = packed.scale[s];
    const bool tier_by_quantity = packed.by_quantity[s] != Real(0);
    const auto with_width = [&]<std::size_t Width>() MARGINCALL_ALWAYS_INLINE {
        const auto tier_of = [f, base](const Real& key) MARGINCALL_ALWAYS_INLINE { return counted_tier<Width>(f, base, key); };
        if constexpr (std::is_same_v<Contract, inverse_contract<Real>>) {
            body(inverse_formula<Real>{}, p, sc, tier_by_quantity, tier_of);
        } else if constexpr (std::is_same_v<Contract, any_contract<Real>>) {
            if (packed.inverse[s] != Real(0)) {
                body(inverse_formula<Real>{}, p, sc, tier_by_quantity, tier_of);
            } else {
                body(linear_formula<Real>{}, p, sc, tier_by_quantity, tier_of);
            }
        } else {
            body(linear_formula<Real>{}, p, sc, tier_by_quantity, tier_of);
        }
    };
    dispatch_width<MaxTiers, 2>(packed.tiers[s], with_width);
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

}  // namespace detail

}  // namespace margincall
