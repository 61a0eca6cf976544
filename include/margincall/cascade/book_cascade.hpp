#pragma once
/// \file
/// From the host's book to a cascade: the liquidation_book of one linear symbol, built from
/// the book's single-position pools on it (isolated legs, and cross accounts whose only leg
/// it is) with the symbol's tier schedule, and the map back to the book's pools. The cascade
/// book's maintenance margin is the book's per-row kernel (margin/position_margin.hpp), so a
/// pool the re-mark calls `liquidation` at a mark is one the cascade's first step liquidates
/// there (docs/architecture.md, "From a book to a cascade").

#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/contracts/any_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <concepts>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace margincall {

/// A cascade book built from a host's book, and the book pool of each of its accounts.
template <std::floating_point Real = double>
struct book_liquidation_book {
    liquidation_book<Real> accounts;
    std::vector<std::size_t> book_pool;  ///< book_pool[i]: the book's pool that stored account i is
};

namespace detail {
// The multiplier of symbol s's contract when it is linear; throws naming the symbol otherwise.
template <class Contract, class Real>
Real linear_multiplier(const Contract& c, std::size_t s) {
    if constexpr (std::is_same_v<Contract, linear_contract<Real>>) {
        return c.multiplier();
    } else if constexpr (std::is_same_v<Contract, any_contract<Real>>) {
        if (const auto* l = c.template get_if<linear_contract<Real>>()) return l->multiplier();
        throw_invalid_argument("isolated_liquidation_book", detail::message("the contract of symbol ", s), to_string(c.kind()),
                               "linear (the cascade book holds USDⓈ-margined positions)");
    } else {
        static_assert(std::is_same_v<Contract, linear_contract<Real>>,
                      "isolated_liquidation_book: the book's contract must be linear_contract or any_contract");
        return Real(1);
    }
}
}  // namespace detail

/// The liquidation_book of `symbol`: every pool of `b` holding exactly one open position, on
/// `symbol`, becomes one cascade account with quantity q·multiplier (base units), the entry
/// price and the pool's collateral (isolated margin, or the wallet of a one-leg cross
/// account), under the symbol's tier schedule.
/// \throws invalid_argument when the symbol is out of range, its contract is not linear, or
///         its brackets count quantity while the multiplier is not 1 (the cascade book counts
///         base units); and as liquidation_book does (collateral beyond its cents range)
template <class Contract, std::floating_point Real>
[[nodiscard]] book_liquidation_book<Real> isolated_liquidation_book(const book<Contract, tier_schedule<Real>, Real>& b,
                                                                    std::size_t symbol) {
    constexpr const char* where = "isolated_liquidation_book";
    if (symbol >= b.symbols())
        throw_invalid_argument(where, "symbol", symbol, detail::message("< ", b.symbols(), ", the number of symbols").c_str());
    const Real multiplier = detail::linear_multiplier<Contract, Real>(b.contracts()[symbol], symbol);
    const tier_schedule<Real>& schedule = b.models()[symbol];
    if (schedule.basis() == tier_basis::quantity && multiplier != Real(1))
        throw_invalid_argument(where, "the multiplier of the symbol's contract", multiplier,
                               "1 when its brackets count quantity (the cascade book counts base units)");
    const auto& c = b.columns();
    std::vector<Real> quantity, entry, collateral;
    std::vector<std::size_t> pool;
    for (std::size_t k = 0; k < b.pools(); ++k) {
        const auto [first, last] = b.pool_positions(k);
        if (last - first != 1 || c.symbol()[first] != symbol || c.quantity()[first] == Real(0)) continue;
        quantity.push_back(c.quantity()[first] * multiplier);
        entry.push_back(c.entry_price()[first]);
        collateral.push_back(c.collateral()[k]);
        pool.push_back(k);
    }
    book_liquidation_book<Real> r{liquidation_book<Real>(quantity, entry, collateral, schedule), {}};
    r.book_pool.resize(pool.size());
    for (std::size_t i = 0; i < pool.size(); ++i) r.book_pool[i] = pool[r.accounts.original_index(i)];
    return r;
}

}  // namespace margincall
