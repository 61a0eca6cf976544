#pragma once
/// \file
/// From the host's book to a cascade: the liquidation_book of one linear symbol, built from
/// the book's pools whose only open leg is on it (isolated legs, and cross accounts with one
/// open leg), and the cross_margin_book of the pools with two or more open legs on the
/// cascade's symbols, each under the symbols' tier schedules and with the map back to the
/// book's pools. Both cascade books take their maintenance margin from the book's per-row
/// kernel (margin/position_margin.hpp), so a pool the re-mark calls `liquidation` at a mark is
/// one the cascade's first step liquidates there (docs/architecture.md §3, docs/cascades.md
/// §11.3.1).

#include <margincall/cascade/cross_margin_book.hpp>
#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/contracts/any_contract.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/error.hpp>
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <concepts>
#include <cstdint>
#include <span>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace margincall {

/// A cascade book built from a host's book, and the book pool of each of its accounts.
template <std::floating_point Real = double>
struct book_liquidation_book {
    liquidation_book<Real> accounts;
    /// book_pool[i]: the book's pool that input account i is; stored account s (the book's
    /// index order) is input account accounts.original_index(s).
    std::vector<std::size_t> book_pool;
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

/// The liquidation_book of `symbol`: every pool of `b` whose only open leg (book::sole_open_leg)
/// is on `symbol` becomes one cascade account with quantity q·multiplier (base units), the entry
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
        const std::size_t j = b.sole_open_leg(k);
        if (j == b.npos || c.symbol()[j] != symbol) continue;
        quantity.push_back(c.quantity()[j] * multiplier);
        entry.push_back(c.entry_price()[j]);
        collateral.push_back(c.collateral()[k]);
        pool.push_back(k);
    }
    return {liquidation_book<Real>(quantity, entry, collateral, schedule), std::move(pool)};
}

/// A cross-account cascade book built from a host's book, and the book pool of each account.
template <std::floating_point Real = double>
struct book_cross_margin_book {
    cross_margin_book<Real> accounts;
    /// book_pool[i]: the book's pool that input account i is (the index cross outcomes report,
    /// cross_outcome::liquidated); stored account s is input account accounts.original_index(s).
    std::vector<std::size_t> book_pool;
};

/// The cross_margin_book of the cascade's assets `symbols` (book symbols, in asset order; linear
/// contracts) at reference prices `reference_price` (one per asset): every pool of `b` with two
/// or more open legs, all on those symbols, becomes one cross account (wallet: the pool's
/// collateral; legs: q·multiplier, entry), under the symbols' tier schedules through the
/// per-row kernel. Pools with one open leg belong to the isolated books
/// (isolated_liquidation_book); pools with no leg on the symbols are outside this cascade.
/// \throws invalid_argument for a symbol out of range, repeated or not linear, a size mismatch,
///         a pool with open legs both on and off the cascade's symbols (naming the pool), or no
///         pool to take
template <class Contract, std::floating_point Real>
[[nodiscard]] book_cross_margin_book<Real> cross_liquidation_book(const book<Contract, tier_schedule<Real>, Real>& b,
                                                                  std::span<const std::size_t> symbols,
                                                                  std::span<const Real> reference_price) {
    constexpr const char* where = "cross_liquidation_book";
    if (reference_price.size() != symbols.size())
        throw_invalid_argument(where, "the size of reference_price", reference_price.size(),
                               detail::message(symbols.size(), ", the number of symbols").c_str());
    std::vector<std::size_t> asset_of(b.symbols(), b.npos);
    std::vector<Real> multiplier(symbols.size());
    std::vector<tier_schedule<Real>> schedules;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const std::size_t s = symbols[i];
        if (s >= b.symbols())
            throw_invalid_argument(where, detail::message("symbols[", i, "]"), s,
                                   detail::message("< ", b.symbols(), ", the number of symbols").c_str());
        if (asset_of[s] != b.npos) throw_invalid_argument(where, detail::message("symbols[", i, "]"), s, "not repeated");
        asset_of[s] = i;
        multiplier[i] = detail::linear_multiplier<Contract, Real>(b.contracts()[s], s);
        if (b.models()[s].basis() == tier_basis::quantity && multiplier[i] != Real(1))
            throw_invalid_argument(where, detail::message("the multiplier of symbol ", s), multiplier[i],
                                   "1 when its brackets count quantity (the cascade book counts base units)");
        schedules.push_back(b.models()[s]);
    }
    const auto& c = b.columns();
    std::vector<Real> wallet, quantity, entry;
    std::vector<std::uint32_t> account, asset;
    std::vector<std::size_t> pool;
    for (std::size_t k = 0; k < b.pools(); ++k) {
        if (b.open_legs(k) < 2) continue;
        const auto [first, last] = b.pool_positions(k);
        std::size_t on = 0, off = 0;
        for (std::size_t j = first; j < last; ++j) {
            if (c.quantity()[j] == Real(0)) continue;
            (asset_of[c.symbol()[j]] != b.npos ? on : off) += 1;
        }
        if (on == 0) continue;
        if (off != 0)
            throw_invalid_argument(where, detail::message("pool ", k, " (account ", b.pool_account(k), ")"),
                                   detail::message(off, " open legs off the cascade's symbols"),
                                   "every open leg on them, or none");
        for (std::size_t j = first; j < last; ++j) {
            if (c.quantity()[j] == Real(0)) continue;
            const std::size_t i = asset_of[c.symbol()[j]];
            account.push_back(static_cast<std::uint32_t>(wallet.size()));
            asset.push_back(static_cast<std::uint32_t>(i));
            quantity.push_back(c.quantity()[j] * multiplier[i]);
            entry.push_back(c.entry_price()[j]);
        }
        wallet.push_back(c.collateral()[k]);
        pool.push_back(k);
    }
    if (wallet.empty())
        throw_invalid_argument(where, "the number of pools with two or more open legs on the symbols", 0,
                               "> 0 (a cascade without cross accounts needs no cross book)");
    return {cross_margin_book<Real>(reference_price, wallet, cross_legs<Real>{account, asset, quantity, entry, {}},
                                    std::move(schedules)),
            std::move(pool)};
}

}  // namespace margincall
