#pragma once
/// \file
/// Cross-margin accounts spanning several linear (USDⓈ-margined) assets, stored as structure of
/// arrays, with a "distance" index that lets a cascade check only the accounts a move can reach.
///
/// Account a: one wallet W_a (integer cents) backing legs (asset i, signed quantity q_i, entry
/// E_i, maintenance rate m_i). At marks P:
///
///   equity(P) = W_a + Σ_i q_i·(P_i − E_i),   MM(P) = Σ_i m_i·|q_i|·P_i,
///
/// liquidated (every leg closed) when equity < MM. Sources: Binance FAQ "How to Calculate
/// Liquidation Price of USDⓈ-M Futures Contracts"
/// (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93): in cross mode
/// WB is the cross wallet balance, and the other contracts enter through their unrealised PnL
/// (UPNL1) and maintenance margin (TMM1), i.e. liquidation when WB + Σ UPNL < Σ MM; Bybit
/// "Cross Margin" (https://blog.bybit.com/news/announcement/new-features-announcements/cross-margin/):
/// "When the equity is lower than the maintenance margin, the position will be liquidated",
/// the whole balance backing it; Bybit "UTA Trading Rules"
/// (https://www.bybit.com/en/help-center/article/UTA-Trading-Rules): in cross margin the
/// account's MMR is assessed over all positions, liquidation at MMR = 100 %.
///
/// There is no single liquidation price, so the index is by a distance. With reference marks
/// P⁰ (one per asset), the slack S = equity(P⁰) − MM(P⁰) and relative moves
/// μ_i = (P_i − P⁰_i)/P⁰_i,
///
///   S(P) − S(P⁰) = Σ_i (q_i − m_i·|q_i|)·(P_i − P⁰_i),  so  |S(P) − S(P⁰)| ≤ Σ_i w_i·|μ_i|
///   with w_i = |q_i|·P⁰_i·(1 + m_i);  and Σ_i w_i·|μ_i| ≤ max_{i ∈ G} |μ_i| · Σ_i w_i,
///
/// G the set of assets the account holds. The account can be liquidated (S(P) < 0) only once
/// max_{i∈G} |μ_i| > key = S(P⁰)/Σ_i w_i (docs/cascades.md §11 has the proof). Accounts are
/// grouped by G (the set of assets held, a bit mask) and sorted by key within each group: a
/// step reads, in each group, the prefix with key ≤ max_{i∈G} |μ_i|, whatever the book's size.
/// The key is lowered by 10⁻⁹ (it is a dimensionless ratio of order 1/leverage) so that
/// rounding in S can never hide a liquidation the exact check would see.
///
/// Order independence: accounts are stored by (group, key, wallet, legs), legs by (asset,
/// quantity, entry, rate), so a shuffled input is stored identically.
/// \tparam Real float, double or long double
/// \test tests/cascade/cross_margin_book.cpp

#include <margincall/cascade/liquidation_book.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/money.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

namespace margincall {

/// The legs of cross-margin accounts, one entry per leg (any order): account, asset,
/// quantity, entry price, maintenance rate.
template <std::floating_point Real = double>
struct cross_legs {
    std::span<const std::uint32_t> account;
    std::span<const std::uint32_t> asset;
    std::span<const Real> quantity;
    std::span<const Real> entry_price;
    std::span<const Real> maintenance_rate;
};

/// Cross-margin accounts over K assets, grouped by the set of assets held and sorted by
/// distance to liquidation.
/// \tparam Real float, double or long double
/// Thread safety: immutable once built (every member is const); any number of simulators
/// and threads may read one book at once.
template <std::floating_point Real = double>
class cross_margin_book {
public:
    /// One group: the accounts holding exactly the assets in `mask`, stored at [begin, end), key ascending.
    struct group {
        std::uint64_t mask;
        std::size_t begin;
        std::size_t end;
    };

    static constexpr std::size_t max_assets = 64;

    /// \param reference_price P⁰ of each asset (K = its size, 1 ≤ K ≤ 64), finite and > 0
    /// \param wallet each account's wallet balance in quote currency, finite and ≥ 0
    /// \param legs every leg: account < wallet.size(), asset < K, quantity finite and ≠ 0,
    ///        entry price finite and > 0, maintenance rate in [0, 1); every account ≥ 1 leg
    /// \throws margincall::invalid_argument naming the array and the first bad index
    cross_margin_book(std::span<const Real> reference_price, std::span<const Real> wallet, const cross_legs<Real>& legs) {
        build(reference_price, wallet, legs);
    }

    /// Tiered maintenance margin: every leg's MM comes from its asset's brackets,
    /// MM_i = |q_i|·P_i·MMR_t − cum_t in the tier t of its notional (or |q_i| for quantity
    /// brackets), through the per-row kernel (margin/position_margin.hpp); `legs.maintenance_rate`
    /// must then be empty. The index's weights use each asset's top rate, the largest slope of
    /// MM in the price (docs/cascades.md §11.3). Other parameters and throws as above.
    /// \param schedules one per asset (the size of reference_price)
    cross_margin_book(std::span<const Real> reference_price, std::span<const Real> wallet, const cross_legs<Real>& legs,
                      std::vector<tier_schedule<Real>> schedules)
        : schedules_(std::move(schedules)) {
        constexpr const char* where = "cross_margin_book";
        if (schedules_.size() != reference_price.size())
            throw_invalid_argument(where, "the number of schedules", schedules_.size(),
                                   detail::message(reference_price.size(), ", the number of assets").c_str());
        if (!legs.maintenance_rate.empty())
            throw_invalid_argument(where, "the size of legs.maintenance_rate", legs.maintenance_rate.size(),
                                   "0 when the book is tiered (the schedules give every leg's MM)");
        build(reference_price, wallet, legs);
    }

    /// The brackets of a tiered book, one per asset; empty for flat rates.
    [[nodiscard]] std::span<const tier_schedule<Real>> schedules() const noexcept { return schedules_; }

private:
    void build(std::span<const Real> reference_price, std::span<const Real> wallet, const cross_legs<Real>& legs) {
        constexpr const char* where = "cross_margin_book";
        const bool tiered = !schedules_.empty();
        // A leg's flat rate (0 under tiers, where the schedule gives its MM).
        const auto rate_of = [&](std::size_t j) { return tiered ? Real(0) : legs.maintenance_rate[j]; };
        check_not_empty<Real>(where, "reference_price", reference_price);
        if (reference_price.size() > max_assets)
            throw_invalid_argument(where, "the size of reference_price", reference_price.size(), "<= 64");
        for (std::size_t k = 0; k < reference_price.size(); ++k)
            check_positive(where, detail::message("reference_price[", k, "]"), reference_price[k]);
        check_not_empty<Real>(where, "wallet", wallet);
        if (wallet.size() >= std::numeric_limits<std::uint32_t>::max() ||
            legs.account.size() >= std::numeric_limits<std::uint32_t>::max())
            throw_invalid_argument(where, "the size of wallet or legs", std::max(wallet.size(), legs.account.size()), "< 2^32 - 1");
        const std::size_t n = wallet.size();
        const std::size_t n_legs = legs.account.size();
        check_size(where, "legs.asset", legs.asset.size(), n_legs);
        check_size(where, "legs.quantity", legs.quantity.size(), n_legs);
        check_size(where, "legs.entry_price", legs.entry_price.size(), n_legs);
        if (!tiered) check_size(where, "legs.maintenance_rate", legs.maintenance_rate.size(), n_legs);
        const std::size_t k_assets = reference_price.size();
        long double total{0};  // Σ W + Σ |q|·E, the door bound of core/money.hpp (max_book_amount)
        for (std::size_t a = 0; a < n; ++a) {
            // The checkers format their argument name eagerly: call them only on failure.
            if (!(wallet[a] >= 0) || !detail::is_finite(wallet[a]))
                check_non_negative(where, detail::message("wallet[", a, "]"), wallet[a]);
            total += static_cast<long double>(wallet[a]);
        }
        std::vector<std::uint32_t> count(n + 1, 0);
        for (std::size_t j = 0; j < n_legs; ++j) {
            if (!(legs.account[j] < n))
                throw_invalid_argument(where, detail::message("legs.account[", j, "]"), legs.account[j],
                                       detail::message("< ", n, " (the number of accounts)").c_str());
            if (!(legs.asset[j] < k_assets))
                throw_invalid_argument(where, detail::message("legs.asset[", j, "]"), legs.asset[j],
                                       detail::message("< ", k_assets, " (the number of assets)").c_str());
            if (!(legs.quantity[j] != 0) || !detail::is_finite(legs.quantity[j]))
                throw_invalid_argument(where, detail::message("legs.quantity[", j, "]"), legs.quantity[j], "finite and != 0");
            if (!(legs.entry_price[j] > 0) || !detail::is_finite(legs.entry_price[j]))
                check_positive(where, detail::message("legs.entry_price[", j, "]"), legs.entry_price[j]);
            const long double notional =
                std::fabs(static_cast<long double>(legs.quantity[j])) * static_cast<long double>(legs.entry_price[j]);
            if (!(notional <= max_book_amount))
                check_book_amount(where,
                                  detail::message("the notional at entry |legs.quantity[", j, "]| x legs.entry_price[", j, "]"),
                                  static_cast<Real>(notional));
            total += notional;
            if (!tiered && !(legs.maintenance_rate[j] >= 0 && legs.maintenance_rate[j] < 1))
                throw_invalid_argument(where, detail::message("legs.maintenance_rate[", j, "]"), legs.maintenance_rate[j],
                                       "in [0, 1)");
            ++count[legs.account[j] + 1];
        }
        for (std::size_t a = 0; a < n; ++a)
            if (count[a + 1] == 0) throw_invalid_argument(where, detail::message("the number of legs of account ", a), 0, ">= 1");
        check_book_amount(where, "the total wallet plus notional at entry", static_cast<Real>(total));
        reference_.assign(reference_price.begin(), reference_price.end());
        // Input legs grouped by account (CSR), each account's legs in canonical order.
        for (std::size_t a = 0; a < n; ++a) count[a + 1] += count[a];
        std::vector<std::uint32_t> by_account(n_legs);
        {
            std::vector<std::uint32_t> next(count.begin(), count.end() - 1);
            for (std::size_t j = 0; j < n_legs; ++j) by_account[next[legs.account[j]]++] = static_cast<std::uint32_t>(j);
        }
        auto leg_less = [&](std::uint32_t x, std::uint32_t y) {
            if (legs.asset[x] != legs.asset[y]) return legs.asset[x] < legs.asset[y];
            if (legs.quantity[x] != legs.quantity[y]) return legs.quantity[x] < legs.quantity[y];
            if (legs.entry_price[x] != legs.entry_price[y]) return legs.entry_price[x] < legs.entry_price[y];
            return rate_of(x) < rate_of(y);
        };
        for (std::size_t a = 0; a < n; ++a) std::sort(by_account.begin() + count[a], by_account.begin() + count[a + 1], leg_less);
        // Keys and masks.
        std::vector<Real> key(n);
        std::vector<std::uint64_t> mask(n, 0);
        std::vector<std::int64_t> cents(n);
        for (std::size_t a = 0; a < n; ++a) {
            cents[a] = to_cents(wallet[a]);
            Real slack = from_cents<Real>(cents[a]);
            Real weight{0};
            for (std::size_t r = count[a]; r < count[a + 1]; ++r) {
                const auto j = by_account[r];
                const Real p0 = reference_[legs.asset[j]];
                const Real q = legs.quantity[j];
                const Real q_abs = q < 0 ? -q : q;
                slack += q * (p0 - legs.entry_price[j]) - leg_maintenance_margin(legs.asset[j], rate_of(j), q, p0);
                weight += q_abs * p0 * (Real(1) + leg_slope(legs.asset[j], rate_of(j)));
                mask[a] |= std::uint64_t{1} << legs.asset[j];
            }
            key[a] = slack / weight - key_margin();
        }
        // Accounts by (group, key, wallet, legs).
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), std::uint32_t{0});
        std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
            if (mask[x] != mask[y]) return mask[x] < mask[y];
            if (key[x] != key[y]) return key[x] < key[y];
            if (cents[x] != cents[y]) return cents[x] < cents[y];
            const std::size_t nx = count[x + 1] - count[x], ny = count[y + 1] - count[y];
            if (nx != ny) return nx < ny;
            for (std::size_t r = 0; r < nx; ++r) {
                const auto lx = by_account[count[x] + r], ly = by_account[count[y] + r];
                if (leg_less(lx, ly)) return true;
                if (leg_less(ly, lx)) return false;
            }
            return false;
        });
        original_ = order;
        wallet_cents_.resize(n);
        key_.resize(n);
        leg_begin_.resize(n + 1);
        leg_begin_[0] = 0;
        asset_.reserve(n_legs);
        quantity_.reserve(n_legs);
        entry_price_.reserve(n_legs);
        maintenance_rate_.reserve(n_legs);
        long_quantity_.assign(k_assets, Real(0));
        short_quantity_.assign(k_assets, Real(0));
        for (std::size_t s = 0; s < n; ++s) {
            const auto a = order[s];
            wallet_cents_[s] = cents[a];
            key_[s] = key[a];
            total_cents_ += cents[a];
            for (std::size_t r = count[a]; r < count[a + 1]; ++r) {
                const auto j = by_account[r];
                asset_.push_back(legs.asset[j]);
                quantity_.push_back(legs.quantity[j]);
                entry_price_.push_back(legs.entry_price[j]);
                maintenance_rate_.push_back(rate_of(j));
                if (legs.quantity[j] > 0) long_quantity_[legs.asset[j]] += legs.quantity[j];
                else short_quantity_[legs.asset[j]] -= legs.quantity[j];
            }
            leg_begin_[s + 1] = asset_.size();
            if (s == 0 || mask[a] != groups_.back().mask) groups_.push_back({mask[a], s, s + 1});
            else groups_.back().end = s + 1;
        }
    }

public:
    /// What the key is lowered by against rounding.
    [[nodiscard]] static constexpr Real key_margin() noexcept { return static_cast<Real>(1e-9); }

    [[nodiscard]] std::size_t size() const noexcept { return wallet_cents_.size(); }
    [[nodiscard]] std::size_t assets() const noexcept { return reference_.size(); }
    [[nodiscard]] std::span<const Real> reference_prices() const noexcept { return reference_; }
    /// Stored account s was account original_index(s) of the input.
    [[nodiscard]] std::size_t original_index(std::size_t s) const noexcept { return original_[s]; }
    [[nodiscard]] std::int64_t wallet_cents(std::size_t s) const noexcept { return wallet_cents_[s]; }
    [[nodiscard]] std::int64_t total_wallet_cents() const noexcept { return total_cents_; }
    /// S/Σw − 10⁻⁹: account s cannot be liquidated while max |μ_i| over its assets ≤ key(s).
    [[nodiscard]] Real key(std::size_t s) const noexcept { return key_[s]; }
    /// Legs of account s are [leg_begin(s), leg_end(s)).
    [[nodiscard]] std::size_t leg_begin(std::size_t s) const noexcept { return leg_begin_[s]; }
    [[nodiscard]] std::size_t leg_end(std::size_t s) const noexcept { return leg_begin_[s + 1]; }
    [[nodiscard]] std::uint32_t leg_asset(std::size_t j) const noexcept { return asset_[j]; }
    [[nodiscard]] Real leg_quantity(std::size_t j) const noexcept { return quantity_[j]; }
    [[nodiscard]] Real leg_entry_price(std::size_t j) const noexcept { return entry_price_[j]; }
    [[nodiscard]] Real leg_maintenance_rate(std::size_t j) const noexcept { return maintenance_rate_[j]; }
    [[nodiscard]] std::span<const group> groups() const noexcept { return groups_; }
    /// Σ q of the long (short, as |q|) legs on asset k.
    [[nodiscard]] Real long_quantity(std::size_t k) const noexcept { return long_quantity_[k]; }
    [[nodiscard]] Real short_quantity(std::size_t k) const noexcept { return short_quantity_[k]; }

    /// equity − MM of account s at marks `price` (one per asset): liquidated when < 0.
    [[nodiscard]] Real surplus(std::size_t s, std::span<const Real> price) const noexcept {
        return surplus(s, price, wallet_cents_[s], quantity_);
    }

    /// equity − MM of account s at marks `price` with cash `cash_cents` and leg quantities
    /// `quantity` (indexed like the book's legs; [leg_begin(s), leg_end(s)) is read): an account
    /// a cascade has partially closed (docs/cascades.md rule C11). A leg at 0 counts nothing.
    [[nodiscard]] Real surplus(std::size_t s, std::span<const Real> price, std::int64_t cash_cents,
                               std::span<const Real> quantity) const noexcept {
        Real equity = from_cents<Real>(cash_cents);
        Real mm{0};
        for (std::size_t j = leg_begin_[s]; j < leg_begin_[s + 1]; ++j) {
            const Real p = price[asset_[j]];
            const Real q = quantity[j];
            equity += q * (p - entry_price_[j]);
            mm += leg_maintenance_margin(asset_[j], maintenance_rate_[j], q, p);
        }
        return equity - mm;
    }

    /// The maintenance margin of leg j at quantity q and mark p: m_j·|q|·p, or its asset's
    /// brackets through the per-row kernel (the same expression as surplus).
    [[nodiscard]] Real leg_margin(std::size_t j, Real q, Real p) const noexcept {
        return leg_maintenance_margin(asset_[j], maintenance_rate_[j], q, p);
    }
    /// Every leg's quantity in stored order (leg j at index j).
    [[nodiscard]] std::span<const Real> leg_quantities() const noexcept { return quantity_; }

private:
    // MM of a leg at price p: the flat rate's m·|q|·P, or the asset's brackets through the kernel.
    [[nodiscard]] Real leg_maintenance_margin(std::size_t asset, Real rate, Real q, Real p) const noexcept {
        if (!schedules_.empty()) return position_maintenance_margin(linear_contract<Real>{}, unchecked_tiers<Real>{schedules_[asset]}, q, p);
        return rate * (q < 0 ? -q : q) * p;
    }
    // The largest slope of a leg's MM in its notional: the flat rate, or the top tier's rate
    // (MMR is non-decreasing across tiers, and MM is continuous, so MM is Lipschitz with it).
    [[nodiscard]] Real leg_slope(std::size_t asset, Real rate) const noexcept {
        if (schedules_.empty()) return rate;
        Real top{0};
        for (const auto& t : schedules_[asset].tiers()) top = std::max(top, t.maintenance_rate);
        return top;
    }

    static void check_size(const char* where, const char* name, std::size_t got, std::size_t want) {
        if (got != want)
            throw_invalid_argument(where, detail::message("the size of ", name), got,
                                   detail::message("the size of legs.account (", want, ")").c_str());
    }

    std::vector<tier_schedule<Real>> schedules_;
    std::vector<Real> reference_;
    std::vector<std::int64_t> wallet_cents_;
    std::vector<Real> key_;
    std::vector<std::size_t> leg_begin_;
    std::vector<std::uint32_t> asset_;
    std::vector<Real> quantity_, entry_price_, maintenance_rate_;
    std::vector<std::uint32_t> original_;
    std::vector<group> groups_;
    std::vector<Real> long_quantity_, short_quantity_;
    std::int64_t total_cents_{0};
};

}  // namespace margincall
