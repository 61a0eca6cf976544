#pragma once
/// \file
/// A book of many isolated-margin positions on one linear (USDⓈ-margined) contract, stored as
/// structure of arrays, with an index by liquidation price: longs sorted by liquidation price
/// descending, shorts ascending, so that a falling (rising) price liquidates a prefix of one
/// list and a cascade step costs O(accounts it liquidates), never O(book).
///
/// Per account i (side s = sign of q, Q = |q|, collateral C, entry E, maintenance rate m):
///
///   liquidation price  LP = (s·Q·E − C) / (Q·(s − m))      (equity C + q(P − E) = m·Q·P)
///   bankruptcy price   BP = E − C / q                      (equity = 0)
///
/// Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93), isolated
/// one-way, one tier: LP = (WB + cum − side·Q·EP)/(Q·(MMR − side)) with cum = 0; the same
/// closed form as liquidation/liquidation_price.hpp, which the tests check it against.
/// Bybit "Liquidation Price (USDT Contract)" for the bankruptcy price BP = EP·(1 − 1/leverage).
/// A lending position (collateral c units of the asset, debt d, liquidation threshold LT) is
/// the long q = c, C = c·E − d, m = 1 − LT (its liquidation price d/(c·LT) is the LP above):
/// Aave v3 health factor HF = c·P·LT/d (docs/cascades.md §2).
///
/// Collateral is held in integer cents (std::int64_t, core/money.hpp), so a cascade can account
/// for every cent (docs/cascades.md §5). Ties in the index are broken by (quantity, entry, collateral,
/// rate): the index, and so every result built on it, does not depend on the order in which
/// the accounts were given.
///
/// Tiered maintenance margin: the second constructor takes the contract's risk-limit brackets
/// (tiers/tier_schedule.hpp) instead of one rate per account. MM(P) = |q|·P·MMR_t − cum_t with
/// t the tier of the notional |q|·P (or of |q| for quantity brackets); the liquidation price is
/// then the tier-consistent closed form of liquidation/liquidation_price.hpp (Binance's
/// LP = (WB + cum − side·Q·EP)/(Q·(MMR − side)), solved in the tier the notional at LP falls
/// in), called, not re-derived, here. It is evaluated from a mark on the safe side of the root:
/// with m_top the last tier's rate, MM(N) ≤ m_top·N (cum ≥ 0), so equity − MM > 0 above the
/// flat LP at m_top for a long and below it for a short (docs/cascades.md §11).
/// \tparam Real a floating-point real_scalar (float, double, long double)
/// \test tests/cascade/liquidation_book.cpp

#include <margincall/contracts/linear_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/money.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/liquidation_price.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// One entry of the liquidation-price index.
template <std::floating_point Real = double>
struct book_index_entry {
    Real price;             ///< the account's liquidation price
    std::uint32_t account;  ///< its position in the book
};

/// Isolated-margin linear positions as structure of arrays, indexed by liquidation price.
/// \tparam Real float, double or long double
/// Thread safety: immutable once built (every member is const); any number of simulators
/// and threads may read one book at once.
template <std::floating_point Real = double>
class liquidation_book {
public:
    /// Largest total collateral plus notional at entry (Σ C + Σ |q|·E) the book accepts, in
    /// currency units: core/money.hpp's max_book_amount, which keeps every sum formed at the
    /// door within int64 cents (its comment has the proof).
    static constexpr Real max_total_collateral = Real(max_book_amount);

    /// \param quantity signed position sizes in base units (+ long, − short), finite and ≠ 0
    /// \param entry_price average entry prices, finite and > 0
    /// \param collateral isolated margin of each position in quote currency, finite and ≥ 0;
    ///        Σ collateral + Σ |quantity|·entry_price ≤ max_total_collateral (4.6e16)
    /// \param maintenance_rate maintenance margin rate of each position, in [0, 1)
    /// \throws margincall::invalid_argument naming the array and the first bad index
    liquidation_book(std::span<const Real> quantity, std::span<const Real> entry_price, std::span<const Real> collateral,
                 std::span<const Real> maintenance_rate) {
        constexpr const char* where = "liquidation_book";
        check_size(where, "maintenance_rate", maintenance_rate.size(), quantity.size());
        validate(where, quantity, entry_price, collateral);
        for (std::size_t i = 0; i < quantity.size(); ++i)
            if (!(maintenance_rate[i] >= 0 && maintenance_rate[i] < 1))
                throw_invalid_argument(where, detail::message("maintenance_rate[", i, "]"), maintenance_rate[i],
                                       "in [0, 1)");
        maintenance_rate_.assign(maintenance_rate.begin(), maintenance_rate.end());
        store(quantity, entry_price, collateral);
    }

    /// Tiered maintenance margin: every position's MM comes from `schedule` (risk-limit
    /// brackets of the contract), MM = notional × MMR_t − cum_t in the tier t of its notional
    /// at the price (or of |q| for quantity brackets). `maintenance_rate(i)` then reports the
    /// rate of the tier at entry. Other parameters and throws as the flat-rate constructor.
    liquidation_book(std::span<const Real> quantity, std::span<const Real> entry_price, std::span<const Real> collateral,
                 const tier_schedule<Real>& schedule)
        : schedule_{schedule} {
        validate("liquidation_book", quantity, entry_price, collateral);
        maintenance_rate_.resize(quantity.size());
        for (std::size_t i = 0; i < quantity.size(); ++i) {
            const Real q_abs = quantity[i] < 0 ? -quantity[i] : quantity[i];
            maintenance_rate_[i] = schedule.tier_for(schedule.basis() == tier_basis::notional ? q_abs * entry_price[i] : q_abs)
                                       .maintenance_rate;
        }
        store(quantity, entry_price, collateral);
    }

    /// Accounts are stored in index order (longs by liquidation price descending, then shorts
    /// ascending); account i of this book was account original_index(i) of the input.
    [[nodiscard]] std::size_t size() const noexcept { return quantity_.size(); }
    [[nodiscard]] std::size_t original_index(std::size_t i) const noexcept { return original_[i]; }
    [[nodiscard]] Real quantity(std::size_t i) const noexcept { return quantity_[i]; }
    [[nodiscard]] Real entry_price(std::size_t i) const noexcept { return entry_price_[i]; }
    [[nodiscard]] std::int64_t collateral_cents(std::size_t i) const noexcept { return collateral_cents_[i]; }
    [[nodiscard]] Real collateral(std::size_t i) const noexcept { return from_cents<Real>(collateral_cents_[i]); }
    [[nodiscard]] Real maintenance_rate(std::size_t i) const noexcept { return maintenance_rate_[i]; }
    [[nodiscard]] std::span<const Real> quantities() const noexcept { return quantity_; }
    [[nodiscard]] std::span<const Real> entry_prices() const noexcept { return entry_price_; }
    [[nodiscard]] std::span<const std::int64_t> collaterals_cents() const noexcept { return collateral_cents_; }
    [[nodiscard]] std::span<const Real> maintenance_rates() const noexcept { return maintenance_rate_; }

    /// LP = (s·Q·E − C)/(Q·(s − m)); ≤ 0 for a long that no fall can liquidate (C ≥ Q·E).
    [[nodiscard]] static Real liquidation_price(Real quantity, Real entry, Real collateral, Real rate) noexcept {
        const Real s = quantity < 0 ? Real(-1) : Real(1);
        const Real q_abs = quantity < 0 ? -quantity : quantity;
        return (s * q_abs * entry - collateral) / (q_abs * (s - rate));
    }
    /// BP = E − C/q.
    [[nodiscard]] static Real bankruptcy_price(Real quantity, Real entry, Real collateral) noexcept {
        return entry - collateral / quantity;
    }
    /// The tier-consistent liquidation price of an isolated linear position under `schedule`
    /// (liquidation/liquidation_price.hpp); 0 for a long no positive price liquidates.
    [[nodiscard]] static Real liquidation_price(const tier_schedule<Real>& schedule, Real quantity, Real entry,
                                                Real collateral) {
        // A mark where equity − MM > 0 for sure: MM(N) ≤ m_top·N, so beyond the flat LP at m_top.
        const Real top = schedule.tiers().back().maintenance_rate;
        const Real flat = liquidation_price(quantity, entry, collateral, top);
        const Real mark = quantity > 0 ? (flat > 0 ? std::max(entry, Real(2) * flat) : entry)
                                       : std::min(entry, flat / Real(2));
        const liquidation_point<Real> lp =
            ::margincall::liquidation_price(linear_contract<Real>{}, schedule, position_leg<Real>{quantity, entry},
                                            account_balance<Real>{collateral, 0, 0}, mark);
        if (lp.found()) return lp.price;
        // fully collateralised long (a short always has a root: its loss grows without bound)
        return quantity > 0 ? Real(0) : std::numeric_limits<Real>::infinity();
    }
    /// Liquidation price of stored account i holding `quantity` with `collateral` (after a
    /// partial close, ADL or socialisation), under the book's flat rate or tiers.
    [[nodiscard]] Real liquidation_price(std::size_t i, Real quantity, Real collateral) const {
        if (schedule_) return liquidation_price(*schedule_, quantity, entry_price_[i], collateral);
        return liquidation_price(quantity, entry_price_[i], collateral, maintenance_rate_[i]);
    }
    [[nodiscard]] Real liquidation_price(std::size_t i) const { return liquidation_price(i, quantity_[i], collateral(i)); }
    /// Maintenance margin of account i holding `quantity` at `price`: m·|q|·P, or the tiers'
    /// |q|·P·MMR_t − cum_t.
    [[nodiscard]] Real maintenance_margin(std::size_t i, Real quantity, Real price) const noexcept {
        if (schedule_) return position_maintenance_margin(linear_contract<Real>{}, unchecked_tiers<Real>{*schedule_}, quantity, price);
        const Real q_abs = quantity < 0 ? -quantity : quantity;
        return maintenance_rate_[i] * q_abs * price;
    }
    /// The maintenance rate of account i at `price`: m, or MM/notional under tiers (the
    /// effective rate a policy without close_fraction_tiered restores; rule C6).
    [[nodiscard]] Real maintenance_rate_at(std::size_t i, Real quantity, Real price) const noexcept {
        if (!schedule_) return maintenance_rate_[i];
        const Real q_abs = quantity < 0 ? -quantity : quantity;
        const Real notional = q_abs * price;
        return notional > 0 ? maintenance_margin(i, quantity, price) / notional : maintenance_rate_[i];
    }
    /// The brackets of a tiered book; null for flat rates.
    [[nodiscard]] const tier_schedule<Real>* schedule() const noexcept { return schedule_ ? &*schedule_ : nullptr; }
    [[nodiscard]] Real bankruptcy_price(std::size_t i) const noexcept {
        return bankruptcy_price(quantity_[i], entry_price_[i], collateral(i));
    }

    /// Longs by liquidation price, highest first: a falling mark P liquidates the prefix with LP ≥ P.
    [[nodiscard]] std::span<const book_index_entry<Real>> longs_by_liquidation_price() const noexcept { return longs_; }
    /// Shorts by liquidation price, lowest first: a rising mark P liquidates the prefix with LP ≤ P.
    [[nodiscard]] std::span<const book_index_entry<Real>> shorts_by_liquidation_price() const noexcept { return shorts_; }

    [[nodiscard]] Real total_long_quantity() const noexcept { return total_long_; }
    /// Σ q of the longs a positive price can liquidate (LP > 0): the most a falling cascade can sell.
    [[nodiscard]] Real liquidatable_long_quantity() const noexcept { return liquidatable_long_; }
    [[nodiscard]] Real total_short_quantity() const noexcept { return total_short_; }
    [[nodiscard]] std::int64_t total_collateral_cents() const noexcept { return total_cents_; }

    /// The canonical order of two accounts: by the key (LP, |q|, E, C, m), so that a shuffled
    /// book sorts the same way. `descending_price` for longs.
    [[nodiscard]] bool precedes(std::uint32_t a, std::uint32_t b, Real price_a, Real price_b,
                                bool descending_price) const noexcept {
        if (price_a != price_b) return descending_price ? price_a > price_b : price_a < price_b;
        if (quantity_[a] != quantity_[b]) return quantity_[a] < quantity_[b];
        if (entry_price_[a] != entry_price_[b]) return entry_price_[a] < entry_price_[b];
        if (collateral_cents_[a] != collateral_cents_[b]) return collateral_cents_[a] < collateral_cents_[b];
        return maintenance_rate_[a] < maintenance_rate_[b];
    }

private:
    static void validate(const char* where, std::span<const Real> quantity, std::span<const Real> entry_price,
                         std::span<const Real> collateral) {
        check_not_empty<Real>(where, "quantity", quantity);
        check_size(where, "entry_price", entry_price.size(), quantity.size());
        check_size(where, "collateral", collateral.size(), quantity.size());
        if (quantity.size() > std::numeric_limits<std::uint32_t>::max())
            throw_invalid_argument(where, "the size of quantity", quantity.size(), "< 2^32");
        long double total{0};  // Σ C + Σ |q|·E, the door bound of core/money.hpp (max_book_amount)
        for (std::size_t i = 0; i < quantity.size(); ++i) {
            if (!(quantity[i] != 0) || !detail::is_finite(quantity[i]))
                throw_invalid_argument(where, detail::message("quantity[", i, "]"), quantity[i], "finite and != 0");
            // The checkers format their argument name eagerly: call them only on failure.
            if (!(entry_price[i] > 0) || !detail::is_finite(entry_price[i]))
                check_positive(where, detail::message("entry_price[", i, "]"), entry_price[i]);
            if (!(collateral[i] >= 0) || !detail::is_finite(collateral[i]))
                check_non_negative(where, detail::message("collateral[", i, "]"), collateral[i]);
            const long double notional = std::fabs(static_cast<long double>(quantity[i])) * static_cast<long double>(entry_price[i]);
            if (!(notional <= max_book_amount))
                check_book_amount(where, detail::message("the notional at entry |quantity[", i, "]| x entry_price[", i, "]"),
                                  static_cast<Real>(notional));
            total += static_cast<long double>(collateral[i]) + notional;
        }
        check_book_amount(where, "the total collateral plus notional at entry", static_cast<Real>(total));
    }

    void store(std::span<const Real> quantity, std::span<const Real> entry_price, std::span<const Real> collateral) {
        const std::size_t n = quantity.size();
        quantity_.assign(quantity.begin(), quantity.end());
        entry_price_.assign(entry_price.begin(), entry_price.end());
        collateral_cents_.resize(n);
        for (std::size_t i = 0; i < n; ++i) collateral_cents_[i] = to_cents(collateral[i]);
        build_index();
    }

    static void check_size(const char* where, const char* name, std::size_t got, std::size_t want) {
        if (got != want)
            throw_invalid_argument(where, detail::message("the size of ", name), got,
                                   detail::message("the size of quantity (", want, ")").c_str());
    }

    void build_index() {
        const std::size_t n = quantity_.size();
        std::size_t longs = 0;
        for (std::size_t i = 0; i < n; ++i) longs += quantity_[i] > 0 ? 1U : 0U;
        longs_.reserve(longs);
        shorts_.reserve(n - longs);
        total_long_ = 0;
        total_short_ = 0;
        liquidatable_long_ = 0;
        total_cents_ = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto id = static_cast<std::uint32_t>(i);
            const Real lp = liquidation_price(i);
            total_cents_ += collateral_cents_[i];
            if (quantity_[i] > 0) {
                longs_.push_back({lp, id});
                total_long_ += quantity_[i];
                if (lp > 0) liquidatable_long_ += quantity_[i];
            } else {
                shorts_.push_back({lp, id});
                total_short_ -= quantity_[i];
            }
        }
        std::sort(longs_.begin(), longs_.end(), [this](const auto& x, const auto& y) {
            return precedes(x.account, y.account, x.price, y.price, true);
        });
        std::sort(shorts_.begin(), shorts_.end(), [this](const auto& x, const auto& y) {
            return precedes(x.account, y.account, x.price, y.price, false);
        });
        // Store the accounts in index order (longs, then shorts), so that a cascade walking the
        // index reads every array sequentially instead of one cache miss per array per account.
        original_.resize(n);
        for (std::size_t k = 0; k < longs_.size(); ++k) original_[k] = longs_[k].account;
        for (std::size_t k = 0; k < shorts_.size(); ++k) original_[longs_.size() + k] = shorts_[k].account;
        permute(quantity_);
        permute(entry_price_);
        permute(maintenance_rate_);
        permute(collateral_cents_);
        for (std::size_t k = 0; k < longs_.size(); ++k) longs_[k].account = static_cast<std::uint32_t>(k);
        for (std::size_t k = 0; k < shorts_.size(); ++k) shorts_[k].account = static_cast<std::uint32_t>(longs_.size() + k);
    }

    template <class T>
    void permute(std::vector<T>& v) const {
        std::vector<T> out(v.size());
        for (std::size_t k = 0; k < v.size(); ++k) out[k] = v[original_[k]];
        v = std::move(out);
    }

    std::vector<Real> quantity_, entry_price_, maintenance_rate_;
    std::vector<std::int64_t> collateral_cents_;
    std::vector<book_index_entry<Real>> longs_, shorts_;
    std::vector<std::uint32_t> original_;  // input position of each stored account
    std::optional<tier_schedule<Real>> schedule_{};
    Real total_long_{0}, total_short_{0}, liquidatable_long_{0};
    std::int64_t total_cents_{0};
};

}  // namespace margincall
