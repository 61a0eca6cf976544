#pragma once
/// \file
/// The host's book: accounts, their margin pools (cross / isolated), positions and
/// collateral, in columns, with one contract and one margin-rate model per symbol. A host
/// builds it once from rows (code, or the io/ loaders), checked whole at the door; the
/// calculator, the batch re-mark, the tick monitor and the cascade builders read it, and
/// every figure they print comes from the one per-row kernel (margin/position_margin.hpp).
/// docs/architecture.md draws the picture; docs/margin.md, "The book", has the rules.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/bracket_table.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/margin/position_book.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/margin/remark.hpp>
#include <margincall/tiers/margin_rate_model.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace margincall {

/// One account as a host gives it to the book.
template <real_scalar Real = double>
struct account_row {
    Real wallet_balance{};                         ///< cross wallet, finite and ≥ 0
    position_mode mode = position_mode::one_way;   ///< one-way (`both` legs) or hedge (long / short legs)
};

/// One position as a host gives it to the book (designated initializers name every field).
template <real_scalar Real = double>
struct position_row {
    std::size_t account{};                     ///< index of its account in the book
    std::size_t symbol{};                      ///< index of its contract, model and mark
    margin_mode mode = margin_mode::cross;     ///< cross: shares the wallet; isolated: its own pool
    position_side side = position_side::both;  ///< `both` in one-way accounts, long / short in hedge mode
    Real quantity{};                           ///< signed (+ long, − short), finite
    Real entry_price{};                        ///< finite and > 0 (≥ 0 when flat)
    Real leverage{1};                          ///< chosen leverage, finite and > 0
    Real isolated_margin{};                    ///< collateral of an isolated leg, finite and ≥ 0; 0 in cross
};

/// A batch of rows: accounts and the positions that refer to them (what the io/ loaders give).
template <real_scalar Real = double>
struct book_rows {
    std::vector<account_row<Real>> accounts;
    std::vector<position_row<Real>> positions;
};

/// The host's book of accounts.
///
/// Pools are what a margin status belongs to: an account's cross pool (its wallet and all its
/// cross legs; present when it has a cross leg) and one pool per isolated leg. Pools of one
/// account are consecutive, its cross pool first; positions are stored pool by pool (the
/// position_book columns the batch re-mark streams), each pool's legs in the order given.
/// Account indices never change; pool and position indices are those of the current
/// storage (append() may renumber them).
///
/// Rows are checked once, at the door: a bad row refuses the whole batch, the message names
/// the first bad row and field ("book: positions[17].leverage is 0, but must be > 0"), and the
/// book is left as it was.
/// \tparam Contract a margincall::contract (any_contract for books mixing linear, inverse, quanto)
/// \tparam Model a margincall::margin_rate_model (tier_schedule, bracket_table, a host's own)
/// \tparam Real a real_scalar
/// Thread safety: the readers (columns, make_account, the re-mark, the cascade and monitor
/// builders) are const and may run concurrently; `append` and `set_wallet_balance` need
/// exclusive access (no internal locking).
template <class Contract, class Model, real_scalar Real = double>
    requires contract<Contract, Real> && margin_rate_model<Model, Real>
class book {
public:
    using contract_type = Contract;
    using model_type = Model;
    using real_type = Real;
    using account_type = account<Contract, Model, Real>;

    /// \param contracts, models one per symbol (equal sizes, > 0); the book owns them
    /// \param thresholds the status rule set of every pool (valid)
    book(std::vector<Contract> contracts, std::vector<Model> models, status_thresholds<Real> thresholds = {})
        : contracts_(std::move(contracts)), models_(std::move(models)), thresholds_(thresholds) {
        constexpr const char* where = "book";
        if (contracts_.empty()) throw_invalid_argument(where, "the number of contracts", contracts_.size(), "> 0");
        if (models_.size() != contracts_.size())
            throw_invalid_argument(where, "the number of models", models_.size(),
                                   detail::message(contracts_.size(), ", the number of contracts").c_str());
        check_status_thresholds(where, thresholds_);
        if constexpr (std::is_same_v<Model, tier_schedule<Real>>) {
            // The batch re-mark needs noexcept models: compile each schedule to a bracket table.
            for (const auto& m : models_)
                if (m.tiers().size() > batch_table::capacity) return;  // remark() then says why
            batch_models_.reserve(models_.size());
            for (const auto& m : models_) batch_models_.emplace_back(m);
        }
    }

    /// Builds a book and adds `accounts` with their `positions` (append()).
    book(std::vector<Contract> contracts, std::vector<Model> models, std::span<const account_row<Real>> accounts,
         std::span<const position_row<Real>> positions, status_thresholds<Real> thresholds = {})
        : book(std::move(contracts), std::move(models), thresholds) {
        append(accounts, positions);
    }

    /// Builds a book from a batch of rows (append()).
    book(std::vector<Contract> contracts, std::vector<Model> models, const book_rows<Real>& rows,
         status_thresholds<Real> thresholds = {})
        : book(std::move(contracts), std::move(models), rows.accounts, rows.positions, thresholds) {}

    /// Adds accounts (numbered after the existing ones) and positions (on any account, old or
    /// new). All rows are checked first; on a bad row nothing changes.
    /// \throws invalid_argument naming the first bad row and field
    void append(std::span<const account_row<Real>> accounts, std::span<const position_row<Real>> positions) {
        constexpr const char* where = "book";
        const std::size_t old_accounts = wallet_.size();
        const std::size_t total_accounts = old_accounts + accounts.size();
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            const Real w = accounts[i].wallet_balance;
            if (!(w >= 0) || !detail::is_finite(w))
                throw_invalid_argument(where, detail::message("accounts[", i, "].wallet_balance"), w, "finite and >= 0");
            const position_mode m = accounts[i].mode;
            if (m != position_mode::one_way && m != position_mode::hedge)
                throw_invalid_argument(where, detail::message("accounts[", i, "].mode"), static_cast<int>(m),
                                       "one_way (0) or hedge (1)");
        }
        if (total_accounts >= std::numeric_limits<std::uint32_t>::max())
            throw_invalid_argument(where, "the number of accounts", total_accounts, "< 2^32 - 1");
        const auto mode_of = [&](std::size_t a) {
            return a < old_accounts ? account_mode_[a] : accounts[a - old_accounts].mode;
        };
        // The first bad row is named, whichever check it fails: the rows are checked one by one
        // up to the first that fails on its own, and the legs before it against each other and
        // the stored ones (a row that repeats a leg or mixes cross currencies is bad too).
        std::size_t first_bad = positions.size();
        std::exception_ptr row_error;
        for (std::size_t i = 0; i < positions.size(); ++i) {
            try {
                check_row(positions[i], i, total_accounts, mode_of);
            } catch (const invalid_argument&) {
                first_bad = i;
                row_error = std::current_exception();
                break;
            }
        }
        // Every row: the stored ones (as rows), then the new ones.
        std::vector<position_row<Real>> rows = this->rows();
        const std::size_t old_rows = rows.size();
        rows.insert(rows.end(), positions.begin(), positions.begin() + static_cast<std::ptrdiff_t>(first_bad));
        check_legs_unique(rows, old_rows);
        if (row_error) std::rethrow_exception(row_error);
        rows.insert(rows.end(), positions.begin() + static_cast<std::ptrdiff_t>(first_bad), positions.end());

        std::vector<Real> wallet = wallet_;
        std::vector<position_mode> mode = account_mode_;
        for (const auto& a : accounts) {
            wallet.push_back(a.wallet_balance);
            mode.push_back(a.mode);
        }
        book next(*this, std::move(wallet), std::move(mode));
        next.store(rows);
        swap_columns(next);
    }

    // --- sizes and instruments ---
    [[nodiscard]] std::size_t accounts() const noexcept { return wallet_.size(); }
    [[nodiscard]] std::size_t pools() const noexcept { return columns_.pools(); }
    [[nodiscard]] std::size_t positions() const noexcept { return columns_.positions(); }
    [[nodiscard]] std::size_t symbols() const noexcept { return contracts_.size(); }
    [[nodiscard]] std::span<const Contract> contracts() const noexcept { return contracts_; }
    [[nodiscard]] std::span<const Model> models() const noexcept { return models_; }
    [[nodiscard]] const status_thresholds<Real>& thresholds() const noexcept { return thresholds_; }

    // --- columns ---
    /// The pool and position columns (collateral per pool, CSR pool offsets, symbol, quantity,
    /// entry, leverage per position): what the batch re-mark streams.
    [[nodiscard]] const position_book<Real>& columns() const noexcept { return columns_; }
    [[nodiscard]] Real wallet_balance(std::size_t a) const { return wallet_.at(a); }
    [[nodiscard]] position_mode account_mode(std::size_t a) const { return account_mode_.at(a); }
    /// The pools of account `a`: [first, last) (its cross pool first, when it has one).
    [[nodiscard]] std::pair<std::size_t, std::size_t> account_pools(std::size_t a) const {
        return {account_pool_begin_.at(a), account_pool_begin_.at(a + 1)};
    }
    [[nodiscard]] std::size_t pool_account(std::size_t k) const { return pool_account_.at(k); }
    [[nodiscard]] margin_mode pool_mode(std::size_t k) const { return pool_mode_.at(k); }
    /// The positions of pool `k`: [first, last).
    [[nodiscard]] std::pair<std::size_t, std::size_t> pool_positions(std::size_t k) const {
        (void)pool_mode_.at(k);
        return {columns_.pool_begin()[k], columns_.pool_begin()[k + 1]};
    }
    [[nodiscard]] std::size_t position_pool(std::size_t j) const { return position_pool_.at(j); }
    /// The number of open (non-flat) legs of pool `k`.
    [[nodiscard]] std::size_t open_legs(std::size_t k) const {
        const auto [first, last] = pool_positions(k);
        std::size_t n = 0;
        for (std::size_t j = first; j < last; ++j) n += static_cast<std::size_t>(columns_.quantity()[j] != Real(0));
        return n;
    }
    /// The position of pool `k`'s only open leg, or npos when it has none or several: the pools
    /// a single-symbol reader (tick monitor, isolated cascade book) can take whole.
    [[nodiscard]] std::size_t sole_open_leg(std::size_t k) const {
        const auto [first, last] = pool_positions(k);
        std::size_t found = npos;
        for (std::size_t j = first; j < last; ++j) {
            if (columns_.quantity()[j] == Real(0)) continue;
            if (found != npos) return npos;
            found = j;
        }
        return found;
    }
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    /// Position `j` as a row (its account, symbol, mode, side, quantity, entry, leverage, margin).
    [[nodiscard]] position_row<Real> position(std::size_t j) const {
        const std::size_t k = position_pool_.at(j);
        return {pool_account_[k],
                columns_.symbol()[j],
                pool_mode_[k],
                position_side_[j],
                columns_.quantity()[j],
                columns_.entry_price()[j],
                columns_.leverage()[j],
                pool_mode_[k] == margin_mode::isolated ? columns_.collateral()[k] : Real(0)};
    }
    /// Every position as a row, in storage order.
    [[nodiscard]] std::vector<position_row<Real>> rows() const {
        std::vector<position_row<Real>> r;
        r.reserve(positions());
        for (std::size_t j = 0; j < positions(); ++j) r.push_back(position(j));
        return r;
    }

    // --- readers ---
    /// Account `a` as a margincall::account (what the calculator, previews and automation
    /// take): its wallet, mode, the book's thresholds, and its legs in storage order (cross
    /// legs first, so the cross sums run in the same order as the re-mark's). Its positions
    /// refer to this book's models: use it while the book lives.
    [[nodiscard]] account_type make_account(std::size_t a) const& {
        account_type acc(wallet_.at(a), account_mode_[a], thresholds_);
        for (std::size_t k = account_pool_begin_[a]; k < account_pool_begin_[a + 1]; ++k) {
            for (std::size_t j = columns_.pool_begin()[k]; j < columns_.pool_begin()[k + 1]; ++j) {
                const std::size_t s = columns_.symbol()[j];
                (void)acc.add_position(typename account_type::position_type(
                    models_[s], {.symbol = s,
                                 .contract = contracts_[s],
                                 .leverage = columns_.leverage()[j],
                                 .mode = pool_mode_[k],
                                 .side = position_side_[j],
                                 .quantity = columns_.quantity()[j],
                                 .entry_price = columns_.entry_price()[j],
                                 .isolated_margin =
                                     pool_mode_[k] == margin_mode::isolated ? columns_.collateral()[k] : Real(0)}));
            }
        }
        return acc;
    }
    /// Not on a temporary book: the account's positions point at the book's models, which
    /// die with it at the end of the statement (tests/compile_fail/book_temporary_make_account.cpp).
    account_type make_account(std::size_t a) const&& = delete;

    /// The models the batch re-mark uses: the book's own when they are noexcept
    /// (batch_margin_model), else the bracket tables compiled from its tier schedules.
    [[nodiscard]] decltype(auto) batch_models() const {
        if constexpr (batch_margin_model<Model, Real>) {
            return std::span<const Model>(models_);
        } else if constexpr (std::is_same_v<Model, tier_schedule<Real>>) {
            if (batch_models_.size() != models_.size()) {
                for (std::size_t s = 0; s < models_.size(); ++s)
                    if (models_[s].tiers().size() > batch_table::capacity)
                        throw_invalid_argument("book::batch_models", detail::message("the number of tiers of models[", s, "]"),
                                               models_[s].tiers().size(),
                                               detail::message("<= ", batch_table::capacity,
                                                               " for the batch re-mark (bracket_table)")
                                                   .c_str());
            }
            return std::span<const batch_table>(batch_models_);
        } else {
            static_assert(batch_margin_model<Model, Real>,
                          "book::batch_models: the model's margin members are not noexcept (batch_margin_model); "
                          "use bracket_table or tier_schedule");
        }
    }

    // --- updates between ticks ---
    /// Sets account `a`'s wallet (finite, ≥ 0), and its cross pool's collateral with it.
    void set_wallet_balance(std::size_t a, Real wallet) {
        check_non_negative("book::set_wallet_balance", "wallet", wallet);
        wallet_.at(a) = wallet;
        const std::size_t k = account_pool_begin_[a];
        if (k < account_pool_begin_[a + 1] && pool_mode_[k] == margin_mode::cross) columns_.collateral_mutable()[k] = wallet;
    }

private:
    using batch_table = bracket_table<Real, 16>;

    // A copy of `other`'s instruments with new account columns and no positions yet.
    book(const book& other, std::vector<Real> wallet, std::vector<position_mode> mode)
        : contracts_(other.contracts_),
          models_(other.models_),
          batch_models_(other.batch_models_),
          thresholds_(other.thresholds_),
          wallet_(std::move(wallet)),
          account_mode_(std::move(mode)) {}

    template <class ModeOf>
    void check_row(const position_row<Real>& r, std::size_t i, std::size_t accounts, const ModeOf& mode_of) const {
        constexpr const char* where = "book";
        const auto fail = [&](const char* field, const auto& value, const char* condition) {
            throw_invalid_argument(where, detail::message("positions[", i, "].", field), value, condition);
        };
        if (r.account >= accounts)
            fail("account", r.account, detail::message("< ", accounts, ", the number of accounts").c_str());
        if (r.symbol >= symbols()) fail("symbol", r.symbol, detail::message("< ", symbols(), ", the number of symbols").c_str());
        if (r.mode != margin_mode::cross && r.mode != margin_mode::isolated)
            fail("mode", static_cast<int>(r.mode), "cross (0) or isolated (1)");
        if (r.side != position_side::both && r.side != position_side::long_leg && r.side != position_side::short_leg)
            fail("side", static_cast<int>(r.side), "both (0), long_leg (1) or short_leg (2)");
        const position_mode m = mode_of(r.account);
        if (m == position_mode::one_way && r.side != position_side::both)
            fail("side", to_string(r.side), "both (its account is one-way)");
        if (m == position_mode::hedge && r.side == position_side::both)
            fail("side", to_string(r.side), "long or short (its account is in hedge mode)");
        if (!detail::is_finite(r.quantity)) fail("quantity", r.quantity, "finite");
        if (r.side == position_side::long_leg && r.quantity < 0) fail("quantity", r.quantity, ">= 0 (a long leg)");
        if (r.side == position_side::short_leg && r.quantity > 0) fail("quantity", r.quantity, "<= 0 (a short leg)");
        if (r.quantity != Real(0)) {
            if (!(r.entry_price > 0) || !detail::is_finite(r.entry_price)) fail("entry_price", r.entry_price, "finite and > 0");
        } else if (!(r.entry_price >= 0) || !detail::is_finite(r.entry_price)) {
            fail("entry_price", r.entry_price, "finite and >= 0 (a flat leg)");
        }
        if (!(r.leverage > 0) || !detail::is_finite(r.leverage)) fail("leverage", r.leverage, "finite and > 0");
        if (r.quantity != Real(0)) {
            // Sizes whose notional or IM overflow at entry would re-mark to ±∞ equity or IM
            // (issue #14): refused here, once, so the batch passes need no per-row check.
            const Real notional = static_cast<Real>(contracts()[r.symbol].notional(r.quantity, r.entry_price));
            if (!detail::is_finite(notional))
                fail("quantity", r.quantity,
                     detail::message("such that the notional at entry_price (", r.entry_price, ") is finite").c_str());
            if (!detail::is_finite(Real(notional / r.leverage)))
                fail("leverage", r.leverage,
                     detail::message("such that notional / leverage is finite (notional ", notional, ")").c_str());
        }
        if (!(r.isolated_margin >= 0) || !detail::is_finite(r.isolated_margin))
            fail("isolated_margin", r.isolated_margin, "finite and >= 0");
        if (r.mode == margin_mode::cross && r.isolated_margin != Real(0))
            fail("isolated_margin", r.isolated_margin, "0 (a cross leg)");
        if (r.quantity != Real(0)) {
            // The symbol's model has the last word on the leverage (tier_schedule: ≥ 1): the
            // kernel every reader runs (position_margin) is run once here, at the entry price, so
            // a row the calculator would refuse never enters, and the batch re-mark (whose
            // bracket tables never throw) cannot print an IM for it. For a tier_schedule, which
            // refuses a leverage below 1, one check is enough: the kernel charges IM at
            // min(leverage, the tier's max ≥ 1), so a leverage accepted at entry is accepted at any mark.
            try {
                (void)position_margin(contracts_[r.symbol], models_[r.symbol], r.quantity, r.entry_price, r.leverage,
                                      r.entry_price);
            } catch (const invalid_argument& e) {
                fail("leverage", r.leverage,
                     detail::message("accepted by models[", r.symbol, "] at the entry size (", e.what(), ")").c_str());
            }
        }
    }

    // At most one leg per (account, symbol, side), as account::add_position; the cross legs of
    // an account share one margin currency (one wallet backs them: the currency of its first
    // cross leg, stored or new). A bad row is one that repeats an earlier leg or whose currency
    // differs from its account's first cross leg; the lowest-numbered bad row is named.
    void check_legs_unique(const std::vector<position_row<Real>>& rows, std::size_t old_rows) const {
        std::vector<std::size_t> order(rows.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        const auto key = [&](std::size_t i) { return std::tuple(rows[i].account, rows[i].symbol, rows[i].side, i); };
        std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return key(x) < key(y); });
        constexpr std::size_t none = static_cast<std::size_t>(-1);
        std::size_t repeat = none;  // lowest row repeating an earlier leg (the order is by row within a leg)
        for (std::size_t n = 1; n < order.size(); ++n) {
            const auto& a = rows[order[n - 1]];
            const auto& b = rows[order[n]];
            if (a.account == b.account && a.symbol == b.symbol && a.side == b.side) repeat = std::min(repeat, order[n]);
        }
        // Cross legs of one account: the currency of its lowest-numbered cross leg.
        std::size_t mixed = none, mixed_first = none;  // lowest row in another currency, and its account's first cross leg
        for (std::size_t n = 0, first = none; n < order.size(); ++n) {
            if (n == 0 || rows[order[n]].account != rows[order[n - 1]].account) {
                first = none;  // the account's lowest-numbered cross leg
                for (std::size_t m = n; m < order.size() && rows[order[m]].account == rows[order[n]].account; ++m)
                    if (rows[order[m]].mode == margin_mode::cross) first = std::min(first, order[m]);
            }
            const auto& r = rows[order[n]];
            if (r.mode != margin_mode::cross || order[n] == first) continue;
            if (contracts_[rows[first].symbol].currency() != contracts_[r.symbol].currency() && order[n] < mixed) {
                mixed = order[n];
                mixed_first = first;
            }
        }
        if (repeat == none && mixed == none) return;
        const std::size_t bad = std::min(repeat, mixed);
        const auto& r = rows[bad];
        const std::string field = detail::message("positions[", bad - old_rows, "].symbol");  // the new rows' numbering
        if (bad == repeat)
            throw_invalid_argument("book", field, r.symbol,
                                   detail::message("a symbol without a ", to_string(r.side), " leg in account ", r.account)
                                       .c_str());
        throw_invalid_argument("book", field, r.symbol,
                               detail::message("a contract margined in the currency of the account's other cross legs "
                                               "(symbol ",
                                               rows[mixed_first].symbol, "), or an isolated leg")
                                   .c_str());
    }

    // Lays out validated rows: account by account, its cross pool then one pool per isolated leg.
    void store(const std::vector<position_row<Real>>& rows) {
        const std::size_t n_accounts = wallet_.size();
        std::vector<std::size_t> begin(n_accounts + 1, 0);  // rows grouped by account (stable)
        for (const auto& r : rows) ++begin[r.account + 1];
        std::partial_sum(begin.begin(), begin.end(), begin.begin());
        std::vector<std::size_t> by_account(rows.size());
        {
            std::vector<std::size_t> next(begin.begin(), begin.end() - 1);
            for (std::size_t i = 0; i < rows.size(); ++i) by_account[next[rows[i].account]++] = i;
        }
        columns_ = position_book<Real>{};
        columns_.reserve(rows.size() + n_accounts, rows.size());
        account_pool_begin_.assign(1, 0);
        account_pool_begin_.reserve(n_accounts + 1);
        const auto open_pool = [&](std::size_t a, margin_mode m, Real collateral) {
            columns_.add_pool(collateral);
            pool_account_.push_back(static_cast<std::uint32_t>(a));
            pool_mode_.push_back(m);
        };
        const auto add = [&](const position_row<Real>& r) {
            columns_.add_position(static_cast<std::uint32_t>(r.symbol), r.quantity, r.entry_price, r.leverage);
            position_side_.push_back(r.side);
            position_pool_.push_back(static_cast<std::uint32_t>(columns_.pools() - 1));
        };
        for (std::size_t a = 0; a < n_accounts; ++a) {
            bool cross_open = false;
            for (std::size_t n = begin[a]; n < begin[a + 1]; ++n) {
                const auto& r = rows[by_account[n]];
                if (r.mode != margin_mode::cross) continue;
                if (!cross_open) open_pool(a, margin_mode::cross, wallet_[a]);
                cross_open = true;
                add(r);
            }
            for (std::size_t n = begin[a]; n < begin[a + 1]; ++n) {
                const auto& r = rows[by_account[n]];
                if (r.mode != margin_mode::isolated) continue;
                open_pool(a, margin_mode::isolated, r.isolated_margin);
                add(r);
            }
            account_pool_begin_.push_back(static_cast<std::uint32_t>(columns_.pools()));
        }
    }

    void swap_columns(book& other) noexcept {
        using std::swap;
        swap(wallet_, other.wallet_);
        swap(account_mode_, other.account_mode_);
        swap(account_pool_begin_, other.account_pool_begin_);
        swap(pool_account_, other.pool_account_);
        swap(pool_mode_, other.pool_mode_);
        swap(position_side_, other.position_side_);
        swap(position_pool_, other.position_pool_);
        swap(columns_, other.columns_);
    }

    std::vector<Contract> contracts_;
    std::vector<Model> models_;
    std::vector<batch_table> batch_models_;  // compiled tier schedules (tier_schedule books only)
    status_thresholds<Real> thresholds_;
    // accounts
    std::vector<Real> wallet_;
    std::vector<position_mode> account_mode_;
    std::vector<std::uint32_t> account_pool_begin_{0};
    // pools (collateral and CSR offsets live in columns_)
    std::vector<std::uint32_t> pool_account_;
    std::vector<margin_mode> pool_mode_;
    // positions (symbol, quantity, entry, leverage live in columns_)
    std::vector<position_side> position_side_;
    std::vector<std::uint32_t> position_pool_;
    position_book<Real> columns_;
};

/// Re-marks every pool of the book at `marks` (one per symbol, finite and > 0) with the
/// book's thresholds: remark() over its columns, contracts and (batch) models.
/// Throws margincall::numeric_error when a book total (equity, IM, MM, call amounts) is not
/// finite: a mark times a quantity overflowed somewhere (the rows were finite at entry; issue #14),
/// or IM − equity did. The check reads the totals once, after the pass, so the batch kernels stay
/// as they are; the per-pool outputs are then not usable.
template <class Contract, class Model, real_scalar Real>
remark_totals<Real> remark(const book<Contract, Model, Real>& b, std::span<const Real> marks,
                           const remark_output<Real>& out = {}) {
    const remark_totals<Real> totals = remark(b.columns(), b.contracts(), b.batch_models(), marks, b.thresholds(), out);
    if (!detail::is_finite(totals.equity) || !detail::is_finite(totals.initial_margin) ||
        !detail::is_finite(totals.maintenance_margin))
        throw_numeric_error("remark", "the book's total equity, IM or MM",
                            detail::message(totals.equity, ", ", totals.initial_margin, ", ", totals.maintenance_margin),
                            "finite (a mark times a quantity overflows)");
    // IM − equity can overflow where both are finite (fuzzer: equity −1.75e308, IM 8.7e306).
    if (!detail::is_finite(totals.call_amount) || !detail::is_finite(totals.called_amount))
        throw_numeric_error("remark", "the book's total call amount", totals.call_amount,
                            "finite (IM minus equity overflows: a mark times a quantity near the largest double)");
    return totals;
}

}  // namespace margincall
