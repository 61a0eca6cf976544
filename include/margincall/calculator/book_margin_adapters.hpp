#pragma once
/// \file
/// Account-level margin models from the book models of stress/ (SPAN, portfolio margin,
/// risk-based ES / VaR margin, layered margin): adapters that turn an account's positions into
/// stress_books and answer the calculator's `margin_model` slot (account_margin_model).
///
/// From positions to books (docs/policies.md, "Account-level models"): a pool's non-flat
/// positions on symbol s become the linear legs {quantity, contract multiplier} of one
/// stress_book at spot marks[s] — a linear or quanto contract's PnL q·m·(X − E) moves exactly
/// as the leg's value q·m·X, so the book's scenario P&L is the position's. Hedge-mode long and
/// short legs of a symbol sit in one book (they net). Inverse contracts are not linear in the
/// price and are refused at compile time. The account holds no options, so the books hold none;
/// an options portfolio is margined with the book models on its own stress_book.
///
/// Pools: the cross pool's books are margined together; each isolated leg is its own pool with a
/// one-leg book. Across symbols: book_margin_account sums the per-symbol requirements (SPAN
/// without inter-commodity credits; Deribit portfolio margin sums its currencies);
/// risk_based_account_margin sums the per-symbol scenario losses day by day and takes ES / VaR
/// of the joint loss (filtered historical simulation over the portfolio, as CCPs do).

#include <margincall/calculator/account_margin_model.hpp>
#include <margincall/contracts/linear_contract.hpp>
#include <margincall/contracts/quanto_contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/stress/layered_margin.hpp>
#include <margincall/stress/risk_based_margin.hpp>
#include <margincall/stress/stress_book.hpp>

#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace margincall {

namespace detail {
template <class C>
struct is_book_linear_contract : std::false_type {};
template <class Real>
struct is_book_linear_contract<linear_contract<Real>> : std::true_type {};
template <class Real>
struct is_book_linear_contract<quanto_contract<Real>> : std::true_type {};
}  // namespace detail

/// A contract whose PnL is linear in the price, q·m·(X − E): a stress_book linear leg.
template <class C>
concept book_linear_contract = detail::is_book_linear_contract<C>::value;

namespace detail {

/// Calls `f(symbol, book)` for every symbol on which the positions selected by `in_pool` are
/// not all flat, with the stress_book of those positions at spot marks[symbol], in the order
/// the symbols first appear in the account.
template <class Account, class Real, class InPool, class F>
void for_each_pool_book(const Account& a, std::span<const Real> marks, InPool in_pool, F f) {
    const auto positions = a.positions();
    std::vector<bool> done(positions.size(), false);
    for (std::size_t i = 0; i < positions.size(); ++i) {
        if (done[i] || !in_pool(i) || positions[i].is_flat()) continue;
        const std::size_t s = positions[i].symbol();
        std::vector<linear_leg<Real>> legs;
        for (std::size_t j = i; j < positions.size(); ++j) {
            const auto& p = positions[j];
            if (done[j] || !in_pool(j) || p.is_flat() || p.symbol() != s) continue;
            done[j] = true;
            legs.push_back(linear_leg<Real>{p.quantity(), p.contract_spec().multiplier(), {}});
        }
        f(s, stress_book<Real>(marks[s], {}, std::move(legs)));
    }
}

/// Throws unless every position's symbol has a model (index < count).
template <class Account>
void check_symbol_models(const char* where, const Account& a, std::size_t count) {
    const auto positions = a.positions();
    for (std::size_t i = 0; i < positions.size(); ++i)
        if (positions[i].symbol() >= count)
            throw_invalid_argument(where, detail::message("the symbol of position ", i), positions[i].symbol(),
                                   detail::message("< ", count, " (the number of per-symbol models)").c_str());
}

/// Throws unless 0 ≤ MM ≤ IM, both finite.
template <class Real>
void check_book_margins(const char* where, std::size_t symbol, const Real& im, const Real& mm) {
    check_non_negative(where, detail::message("maintenance margin of symbol ", symbol), mm);
    check_non_negative(where, detail::message("initial margin of symbol ", symbol), im);
    if (im < mm)
        throw_invalid_argument(where, detail::message("initial margin of symbol ", symbol), im,
                               detail::message(">= maintenance margin (", mm, ")").c_str());
}

/// Fills the per-position pools and totals from the cross pool and the isolated pools.
template <class Account, class Real>
void finish_requirement(const Account& a, account_requirement<Real>& r) {
    const auto positions = a.positions();
    r.initial_margin = r.cross.initial_margin;
    r.maintenance_margin = r.cross.maintenance_margin;
    for (std::size_t i = 0; i < positions.size(); ++i) {
        if (positions[i].mode() == margin_mode::cross) {
            r.pools[i] = r.cross;
        } else {
            r.initial_margin += r.pools[i].initial_margin;
            r.maintenance_margin += r.pools[i].maintenance_margin;
        }
    }
}

}  // namespace detail

/// A book margin model per symbol (span_margin, portfolio_margin, risk_based_margin,
/// layered_margin over any of them, or a host's book_margin_model) as an account-level model.
/// Pool requirement = Σ over the pool's symbols of the symbol model on the symbol's book; the
/// liquidation level is MM, or MM·(1 − buffer) for a model with `liquidation_buffer()`
/// (layered_margin), so the layers reach the calculator's status as reduce_only.
/// \tparam Real a real_scalar
/// \tparam Model a book_margin_model
template <real_scalar Real, class Model>
    requires book_margin_model<Model, Real>
class book_margin_account {
public:
    /// \param per_symbol the model of symbol s at index s (SPAN parameters differ per commodity); not empty
    explicit book_margin_account(std::vector<Model> per_symbol) : models_(std::move(per_symbol)) {
        check_not_empty("book_margin_account", "per_symbol", std::span<const Model>(models_));
    }

    /// The account's requirement at `marks`.
    /// \throws invalid_argument on bad marks, a position whose symbol has no model, or a model
    ///         returning IM < MM, a negative or a non-finite figure
    template <class Contract, class PositionModel>
        requires book_linear_contract<Contract>
    [[nodiscard]] account_requirement<Real> requirement(const account<Contract, PositionModel, Real>& a,
                                                        std::span<const Real> marks) const {
        constexpr const char* where = "book_margin_account";
        detail::check_account_marks(where, a, marks);
        detail::check_symbol_models(where, a, models_.size());
        const auto positions = a.positions();
        account_requirement<Real> r;
        r.pools.resize(positions.size());
        const auto add = [this](pool_requirement<Real>& target) {
            return [this, pool = &target](std::size_t s, const stress_book<Real>& book) {
                const Model& m = models_[s];
                const Real im = static_cast<Real>(m.initial_margin(book));
                const Real mm = static_cast<Real>(m.maintenance_margin(book));
                detail::check_book_margins("book_margin_account", s, im, mm);
                Real level = mm;
                if constexpr (requires { m.liquidation_buffer(); })
                    level = mm * (Real(1) - static_cast<Real>(m.liquidation_buffer()));
                pool->initial_margin += im;
                pool->maintenance_margin += mm;
                pool->liquidation_level += level;
            };
        };
        detail::for_each_pool_book(a, marks, [&](std::size_t i) { return positions[i].mode() == margin_mode::cross; },
                                   add(r.cross));
        for (std::size_t i = 0; i < positions.size(); ++i)
            if (positions[i].mode() == margin_mode::isolated)
                detail::for_each_pool_book(a, marks, [i](std::size_t j) { return j == i; }, add(r.pools[i]));
        detail::finish_requirement(a, r);
        return r;
    }

    [[nodiscard]] const std::vector<Model>& models() const noexcept { return models_; }

private:
    std::vector<Model> models_;
};

/// Risk-based (ES / VaR) margin of a whole account, as a CCP margins a portfolio: every symbol
/// has its historical scenarios on the same dates; scenario t moves every symbol by its own
/// day-t return (risk_based_margin's filtered shock), the pool's loss in scenario t is the sum
/// over its symbols, and IM = max(0, ES_α or VaR_α of the joint loss), MM = fraction × IM,
/// liquidation level = MM. Diversification across symbols is kept (the tail of the sum, not
/// the sum of tails). Source: Eurex Clearing Prisma and LCH PAIRS (filtered historical
/// simulation over the portfolio's risk factors, ES over the MPOR); docs/portfolio-margin.md, §3.
/// \tparam Real a real_scalar
/// \tparam Estimator a tail_estimator (historical_simulation by default)
template <real_scalar Real = double, class Estimator = historical_simulation<Real>>
    requires tail_estimator<Estimator, Real>
class risk_based_account_margin {
public:
    /// \param per_symbol the scenarios of symbol s at index s, all of one length (one row of dates);
    ///        non-owning views, as in risk_based_margin: they must outlive the model
    risk_based_account_margin(std::vector<historical_scenarios<Real>> per_symbol, risk_based_parameters<Real> p = {},
                              Estimator estimator = Estimator{}) {
        constexpr const char* where = "risk_based_account_margin";
        check_not_empty(where, "per_symbol", std::span<const historical_scenarios<Real>>(per_symbol));
        models_.reserve(per_symbol.size());
        for (std::size_t s = 0; s < per_symbol.size(); ++s) {
            if (per_symbol[s].log_returns.size() != per_symbol[0].log_returns.size())
                throw_invalid_argument(where, detail::message("the size of log_returns of symbol ", s),
                                       per_symbol[s].log_returns.size(),
                                       detail::message(per_symbol[0].log_returns.size(), " (symbol 0's: one row of dates)").c_str());
            models_.emplace_back(per_symbol[s], p, estimator);
        }
    }

    /// The account's requirement at `marks`.
    /// \throws invalid_argument on bad marks or a position whose symbol has no scenarios
    template <class Contract, class PositionModel>
        requires book_linear_contract<Contract>
    [[nodiscard]] account_requirement<Real> requirement(const account<Contract, PositionModel, Real>& a,
                                                        std::span<const Real> marks) const {
        constexpr const char* where = "risk_based_account_margin";
        detail::check_account_marks(where, a, marks);
        detail::check_symbol_models(where, a, models_.size());
        const auto positions = a.positions();
        const std::size_t n = models_[0].scenario_count();
        account_requirement<Real> r;
        r.pools.resize(positions.size());
        std::vector<Real> joint(n, Real(0)), one(n);
        bool any = false;
        detail::for_each_pool_book(a, marks, [&](std::size_t i) { return positions[i].mode() == margin_mode::cross; },
                                   [&](std::size_t s, const stress_book<Real>& book) {
                                       models_[s].scenario_losses(book, std::span<Real>(one));
                                       for (std::size_t t = 0; t < n; ++t) joint[t] += one[t];
                                       any = true;
                                   });
        for (std::size_t t = 0; t < n; ++t) (void)detail::checked_scenario_loss(where, "the joint scenarios", t, joint[t]);
        if (any) r.cross = pool_of(models_[0].evaluate_losses(std::span<const Real>(joint)));
        for (std::size_t i = 0; i < positions.size(); ++i)
            if (positions[i].mode() == margin_mode::isolated)
                detail::for_each_pool_book(a, marks, [i](std::size_t j) { return j == i; },
                                           [&](std::size_t s, const stress_book<Real>& book) {
                                               r.pools[i] = pool_of(models_[s].evaluate(book));
                                           });
        detail::finish_requirement(a, r);
        return r;
    }

    /// The per-symbol models (each margins one symbol's book alone).
    [[nodiscard]] const std::vector<risk_based_margin<Real, Estimator>>& models() const noexcept { return models_; }

private:
    static pool_requirement<Real> pool_of(const risk_based_result<Real>& x) {
        return {x.initial_margin, x.maintenance_margin, x.maintenance_margin};
    }

    std::vector<risk_based_margin<Real, Estimator>> models_;
};

}  // namespace margincall
