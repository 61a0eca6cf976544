#pragma once
/// \file
/// A margin account: a cross wallet and positions (cross or isolated legs, one-way or hedge
/// mode). Evaluation at mark prices (unrealised PnL, equity, IM, MM, margin ratio, status,
/// call amount, available balance), order preview and execution through the same code, and
/// the largest order the balance and the tiers allow.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/core/side.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// One-way: one signed `both` leg per symbol. Hedge: a `long_leg` and a `short_leg` per symbol.
enum class position_mode : unsigned char { one_way, hedge };

/// A hypothetical or real order on one leg: `quantity` signed (+ buy, − sell), filled at `price`.
template <real_scalar Real = double>
struct order {
    std::size_t symbol{};
    position_side side = position_side::both;
    Real quantity{};
    Real price{};
};

/// Whether an order may execute. Orders that only reduce a leg are always accepted.
enum class order_check : unsigned char {
    accepted,
    leverage_above_tier,  ///< the leg's leverage exceeds the model's maximum at the resulting size
    insufficient_margin,  ///< after the order the cross pool's equity would be below its IM
    beyond_model_range    ///< the model refuses to price the resulting leg (e.g. beyond the last tier's cap)
};

/// Name of an order check ("accepted", "leverage_above_tier", "insufficient_margin").
[[nodiscard]] constexpr const char* to_string(order_check c) noexcept {
    switch (c) {
        case order_check::accepted: return "accepted";
        case order_check::leverage_above_tier: return "leverage_above_tier";
        case order_check::insufficient_margin: return "insufficient_margin";
        case order_check::beyond_model_range: return "beyond_model_range";
    }
    return "unknown";
}

/// An account evaluated at a set of marks.
template <real_scalar Real = double>
struct account_evaluation {
    margin_summary<Real> cross;                     ///< wallet + cross positions
    std::vector<position_figures<Real>> positions;  ///< per position, in the account's order
    std::vector<margin_summary<Real>> pools;        ///< per position: its isolated pool, or a copy of `cross`
    Real unrealised_pnl{};                          ///< Σ over all positions
    Real initial_margin{};                          ///< Σ over all positions
    Real maintenance_margin{};                      ///< Σ over all positions
    Real call_amount{};                             ///< cross call + Σ isolated calls
    margin_status worst_status = margin_status::healthy;  ///< the worst pool's status
};

/// The account as an order would leave it.
template <real_scalar Real = double>
struct order_preview {
    order_check check = order_check::accepted;
    std::size_t leg{};           ///< index of the position the order fills
    Real realised_pnl{};         ///< PnL realised by the reducing part, credited to the wallet
    Real isolated_transfer{};    ///< wallet → isolated margin moved to bring an isolated leg to its IM
    Real wallet_balance{};       ///< cross wallet after the order
    Real quantity{};             ///< the leg's quantity after the order
    Real entry_price{};          ///< the leg's (averaged) entry after the order
    Real isolated_margin{};      ///< the leg's isolated margin after the order
    account_evaluation<Real> after;  ///< the whole account evaluated at the marks after the order
};

/// A margin account: cross wallet balance, positions, position mode and status thresholds.
///
/// All figures come from evaluate(); preview() applies an order to a copy of the account and
/// evaluates the copy; execute() runs preview() and, when accepted, keeps the copy. So a
/// preview and the live account after execution cannot disagree.
///
/// Cross pool: equity = wallet + Σ uPnL of cross positions; IM, MM = Σ over cross positions.
/// Isolated pool: equity = isolated margin + its uPnL; IM, MM its own. Tiers are chosen per
/// leg (Binance): in hedge mode the long and the short leg each select their own tier.
/// \tparam Contract a margincall::contract shared by all positions (one margin currency)
/// \tparam Model a margincall::margin_rate_model
/// \tparam Real a real_scalar
/// Thread safety: const members may run concurrently from any number of threads; a non-const member needs exclusive access (no internal locking) (`add_position`, `deposit`, ...). It refers to its models, which
/// must outlive it and not change while it is read.
template <class Contract, class Model, real_scalar Real = double>
    requires contract<Contract, Real> && margin_rate_model<Model, Real>
class account {
public:
    using position_type = position<Contract, Model, Real>;
    using evaluation_type = account_evaluation<Real>;

    /// \param wallet_balance cross wallet balance, finite and ≥ 0
    /// \param mode one-way or hedge
    /// \param thresholds status levels, 0 < warning_ratio ≤ call_ratio ≤ 1
    explicit account(Real wallet_balance, position_mode mode = position_mode::one_way,
                     status_thresholds<Real> thresholds = {})
        : wallet_balance_(wallet_balance), mode_(mode), thresholds_(thresholds) {
        check_non_negative("account", "wallet_balance", wallet_balance_);
        check_status_thresholds("account", thresholds_);
    }

    /// Adds a leg and returns its index. One-way accounts take `both` legs, hedge-mode
    /// accounts `long_leg` / `short_leg` legs; at most one leg per (symbol, side).
    std::size_t add_position(position_type p) {
        constexpr const char* where = "account::add_position";
        if (mode_ == position_mode::one_way && p.side() != position_side::both)
            throw_invalid_argument(where, "side", to_string(p.side()), "both in a one-way account");
        if (mode_ == position_mode::hedge && p.side() == position_side::both)
            throw_invalid_argument(where, "side", to_string(p.side()), "long or short in a hedge-mode account");
        if (find_leg(p.symbol(), p.side()) != npos)
            throw_invalid_argument(where, "symbol", p.symbol(),
                                   detail::message("a symbol without a ", to_string(p.side()), " leg").c_str());
        positions_.push_back(std::move(p));
        return positions_.size() - 1;
    }

    /// Adds `amount` (finite, > 0) to the cross wallet.
    void deposit(Real amount) {
        check_positive("account::deposit", "amount", amount);
        wallet_balance_ += amount;
    }

    [[nodiscard]] Real wallet_balance() const noexcept { return wallet_balance_; }
    [[nodiscard]] position_mode mode() const noexcept { return mode_; }
    [[nodiscard]] const status_thresholds<Real>& thresholds() const noexcept { return thresholds_; }
    [[nodiscard]] std::span<const position_type> positions() const noexcept { return positions_; }

    /// Index of the leg (symbol, side), or npos.
    [[nodiscard]] std::size_t find_leg(std::size_t symbol, position_side side) const noexcept {
        for (std::size_t i = 0; i < positions_.size(); ++i)
            if (positions_[i].symbol() == symbol && positions_[i].side() == side) return i;
        return npos;
    }
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    /// Evaluates the account at `marks` (marks[s] is symbol s's mark price, finite and > 0)
    /// into caller-owned spans of one element per position; returns the cross pool.
    margin_summary<Real> evaluate(std::span<const Real> marks, std::span<position_figures<Real>> figures,
                                  std::span<margin_summary<Real>> pools) const {
        check_marks("account::evaluate", marks);
        if (figures.size() != positions_.size())
            throw_invalid_argument("account::evaluate", "the size of figures", figures.size(),
                                   detail::message(positions_.size(), " (one per position)").c_str());
        if (pools.size() != positions_.size())
            throw_invalid_argument("account::evaluate", "the size of pools", pools.size(),
                                   detail::message(positions_.size(), " (one per position)").c_str());
        Real equity = wallet_balance_, im{0}, mm{0};
        for (std::size_t i = 0; i < positions_.size(); ++i) {
            const auto& p = positions_[i];
            figures[i] = p.figures(marks[p.symbol()]);
            if (p.mode() == margin_mode::isolated) {
                pools[i] = summarise_margin(p.isolated_margin() + figures[i].unrealised_pnl, figures[i].initial_margin,
                                            figures[i].maintenance_margin, thresholds_);
            } else {
                equity += figures[i].unrealised_pnl;
                im += figures[i].initial_margin;
                mm += figures[i].maintenance_margin;
            }
        }
        const auto cross = summarise_margin(equity, im, mm, thresholds_);
        check_summary_finite("account::evaluate", "the cross pool", cross);
        for (std::size_t i = 0; i < positions_.size(); ++i) {
            if (positions_[i].mode() == margin_mode::cross)
                pools[i] = cross;
            else
                check_summary_finite("account::evaluate", detail::message("the isolated pool of position ", i), pools[i]);
        }
        return cross;
    }

    /// Evaluates the account at `marks` (marks[s] is symbol s's mark price, finite and > 0).
    [[nodiscard]] evaluation_type evaluate(std::span<const Real> marks) const {
        evaluation_type e;
        e.positions.resize(positions_.size());
        e.pools.resize(positions_.size());
        e.cross = evaluate(marks, e.positions, e.pools);
        e.call_amount = e.cross.call_amount;
        e.worst_status = e.cross.status;
        for (std::size_t i = 0; i < positions_.size(); ++i) {
            e.unrealised_pnl += e.positions[i].unrealised_pnl;
            e.initial_margin += e.positions[i].initial_margin;
            e.maintenance_margin += e.positions[i].maintenance_margin;
            if (positions_[i].mode() == margin_mode::isolated) {
                e.call_amount += e.pools[i].call_amount;
                e.worst_status = std::max(e.worst_status, e.pools[i].status);
            }
        }
        return e;
    }

    /// The account as `o` would leave it, evaluated at `marks`; this account is unchanged.
    /// Rules (docs/margin.md, "Orders"): growing a leg averages its entry (averaged_entry);
    /// reducing realises PnL of the closed part at o.price into the wallet and, for an
    /// isolated leg, releases the closed fraction of its margin to the wallet; crossing zero
    /// closes the leg and opens the rest at o.price. An order that adds exposure is accepted
    /// when the leg's leverage ≤ model max leverage at the resulting size (at the mark) and,
    /// after it, the cross pool's equity ≥ its IM; an isolated leg that adds exposure is
    /// topped up from the wallet to its IM first. Reducing orders are always accepted. When the
    /// model refuses to price the resulting leg (beyond_model_range), the preview shows the
    /// account unchanged.
    [[nodiscard]] order_preview<Real> preview(const order<Real>& o, std::span<const Real> marks) const {
        account copy = *this;
        order_preview<Real> r = copy.apply(o, marks, "account::preview");
        r.after = copy.evaluate(marks);
        return r;
    }

    /// Executes `o` if preview(o, marks) accepts it (the account then stands exactly as the
    /// preview showed); returns the preview either way.
    order_preview<Real> execute(const order<Real>& o, std::span<const Real> marks) {
        account copy = *this;
        order_preview<Real> r = copy.apply(o, marks, "account::execute");
        r.after = copy.evaluate(marks);
        if (r.check == order_check::accepted) *this = std::move(copy);
        return r;
    }

    /// The largest quantity (≥ 0, contracts) that an order on leg (symbol, side) in
    /// direction `direction` (long_side = buy, short_side = sell) filled at `price` may have
    /// and still be accepted by preview(). Acceptance is monotone in size (IM is increasing
    /// in size, max leverage non-increasing), so the boundary of the accept/reject indicator
    /// is bracketed by doubling and located with the budgeted TOMS 748 solve
    /// (core/bracketed_solve.hpp) to a relative 1e-12, and the accepted end is returned (also
    /// when the budget runs out: it is always accepted, only possibly smaller than the largest).
    /// Reducing a hedge leg is bounded by its size. Returns +∞ when nothing bounds the order
    /// (a model with zero margin).
    [[nodiscard]] Real max_order_quantity(std::size_t symbol, position_side leg_side, side direction, Real price,
                                          std::span<const Real> marks) const {
        return solve_max_order_quantity(symbol, leg_side, direction, price, marks).root;
    }

    /// As max_order_quantity, within a budget of `max_evaluations` previews of the boundary
    /// solve, with its status: `root` is the accepted end of the final bracket [lower, upper]
    /// (not its midpoint); `no_convergence` when the budget ran out before the bracket narrowed
    /// to 1e-12 relative. Direct answers (a hedge leg's size, +∞) are `found` with no evaluation.
    [[nodiscard]] solve_result<Real> solve_max_order_quantity(std::size_t symbol, position_side leg_side,
                                                              side direction, Real price, std::span<const Real> marks,
                                                              std::uintmax_t max_evaluations = 200) const {
        constexpr const char* where = "account::max_order_quantity";
        check_marks(where, marks);
        check_positive(where, "price", price);
        const std::size_t leg = find_leg(symbol, leg_side);
        if (leg == npos)
            throw_invalid_argument(where, "symbol", symbol,
                                   detail::message("a symbol with a ", to_string(leg_side), " leg").c_str());
        if (max_evaluations == 0) throw_invalid_argument(where, "max_evaluations", max_evaluations, ">= 1");
        const auto direct = [](Real q) {
            solve_result<Real> r;
            r.root = r.lower = r.upper = q;
            r.status = solve_status::found;
            return r;
        };
        const Real s = direction == side::long_side ? Real(1) : Real(-1);
        const Real q0 = positions_[leg].quantity();
        // A hedge leg cannot be reduced past zero: the other leg takes the other side.
        if ((leg_side == position_side::long_leg && s < 0) || (leg_side == position_side::short_leg && s > 0))
            return direct(q0 < 0 ? -q0 : q0);
        // A trial size the caller never chose that cannot be represented (at a price near 1e308
        // the averaged entry of the grown leg overflows) is a size the account cannot take: not
        // accepted, rather than an error about an entry_price the caller never passed (issue #14,
        // class 6). The caller's own arguments were checked above.
        const auto accepted = [&](const Real& dq) {
            account copy = *this;
            try {
                return copy.apply(order<Real>{symbol, leg_side, s * dq, price}, marks, where).check ==
                       order_check::accepted;
            } catch (const invalid_argument&) {
                return false;
            }
        };
        Real lo{0};
        Real hi = std::max(Real(1), Real(2) * (q0 < 0 ? -q0 : q0));
        for (int i = 0; accepted(hi); ++i) {
            if (i == 2000 || !detail::is_finite(hi)) return direct(std::numeric_limits<Real>::infinity());
            lo = hi;
            hi *= 2;
        }
        const auto indicator = [&](const Real& dq) { return accepted(dq) ? Real(1) : Real(-1); };
        const Real width = hi * Real(1e-12);
        const auto tolerance = [&](const Real& a, const Real& b) { return b - a <= width; };
        // f(lo) = +1 (accepted), f(hi) = −1: the solve keeps f(lower) = +1, so lower is accepted.
        solve_result<Real> r = solve_bracketed(indicator, lo, hi, Real(1), Real(-1), max_evaluations, tolerance);
        r.root = r.lower;
        return r;
    }

private:
    void check_marks(const char* where, std::span<const Real> marks) const {
        std::size_t needed = 0;
        for (const auto& p : positions_) needed = std::max(needed, p.symbol() + 1);
        if (marks.size() < needed)
            throw_invalid_argument(where, "the size of marks", marks.size(),
                                   detail::message(">= ", needed, " (one mark per symbol)").c_str());
        for (const auto& p : positions_) check_positive(where, detail::message("marks[", p.symbol(), "]"), marks[p.symbol()]);
    }

    // Applies `o` to this account (the copy a preview or an execution works on).
    order_preview<Real> apply(const order<Real>& o, std::span<const Real> marks, const char* where) {
        check_marks(where, marks);
        check_finite(where, "order quantity", o.quantity);
        check_positive(where, "order price", o.price);
        const std::size_t leg = find_leg(o.symbol, o.side);
        if (leg == npos)
            throw_invalid_argument(where, "order symbol", o.symbol,
                                   detail::message("a symbol with a ", to_string(o.side), " leg").c_str());
        position_type& p = positions_[leg];
        const Contract& c = p.contract_spec();
        const Real q0 = p.quantity(), e0 = p.entry_price(), m0 = p.isolated_margin();
        const Real dq = o.quantity, price = o.price;
        const Real q1 = q0 + dq;
        if (o.side == position_side::long_leg && q1 < 0)
            throw_invalid_argument(where, "order quantity", dq, detail::message(">= ", -q0, " (the long leg holds ", q0, ")").c_str());
        if (o.side == position_side::short_leg && q1 > 0)
            throw_invalid_argument(where, "order quantity", dq, detail::message("<= ", -q0, " (the short leg holds ", q0, ")").c_str());

        order_preview<Real> r;
        r.leg = leg;
        Real e1 = e0, kept_margin = m0;
        const auto abs = [](const Real& x) { return x < 0 ? -x : x; };
        if (dq == Real(0)) {
            // nothing to do
        } else if (q0 == Real(0) || (q0 > 0) == (dq > 0)) {
            e1 = q0 == Real(0) ? price : averaged_entry(c, q0, e0, dq, price);  // grow
        } else if (abs(dq) <= abs(q0)) {                                        // reduce
            r.realised_pnl = c.pnl(-dq, e0, price);
            kept_margin = q1 == Real(0) ? Real(0) : m0 * (abs(q1) / abs(q0));
            if (q1 == Real(0)) e1 = Real(0);
        } else {  // flip: close all, open the rest at the order price
            r.realised_pnl = c.pnl(q0, e0, price);
            kept_margin = Real(0);
            e1 = price;
        }
        wallet_balance_ += r.realised_pnl + (m0 - kept_margin);
        p.set_state(q1, e1, kept_margin);

        const bool adds_exposure = abs(q1) > abs(q0) || (q0 * q1 < 0);
        if (adds_exposure) {
            const Real mark = marks[p.symbol()];
            if (p.leverage() > static_cast<Real>(p.model().max_leverage(p.notional(mark), abs(q1))))
                r.check = order_check::leverage_above_tier;
            // The model's size limit (tier_schedule, arithmetic_tiers: the last cap), or a model
            // that refuses to price the size: reject, and keep the copy evaluable.
            const auto reject = [&] {
                r.check = order_check::beyond_model_range;
                p.set_state(q0, e0, m0);
                wallet_balance_ -= r.realised_pnl + (m0 - kept_margin);
                r.realised_pnl = Real(0);
                return finish(r, p);
            };
            if constexpr (requires(const Model& m, const Real& x) {
                              { m.within_size_limit(x, x) } -> std::convertible_to<bool>;
                          }) {
                if (!p.model().within_size_limit(p.notional(mark), abs(q1))) return reject();
            }
            Real im{0};
            try {
                im = p.initial_margin(mark);
            } catch (const invalid_argument&) {
                return reject();
            }
            if (p.mode() == margin_mode::isolated) {
                const Real iso_equity = kept_margin + p.unrealised_pnl(mark);
                r.isolated_transfer = call_amount(im, iso_equity);  // max(0, IM − equity)
                wallet_balance_ -= r.isolated_transfer;
                p.set_state(q1, e1, kept_margin + r.isolated_transfer);
            }
            if (r.check == order_check::accepted) {
                Real equity = wallet_balance_, cross_im{0};
                for (const auto& x : positions_) {
                    if (x.mode() != margin_mode::cross) continue;
                    const Real m = marks[x.symbol()];
                    equity += x.unrealised_pnl(m);
                    cross_im += x.initial_margin(m);
                }
                if (equity < cross_im) r.check = order_check::insufficient_margin;
            }
        }
        return finish(r, p);
    }

    order_preview<Real> finish(order_preview<Real>& r, const position_type& p) const {
        r.wallet_balance = wallet_balance_;
        r.quantity = p.quantity();
        r.entry_price = p.entry_price();
        r.isolated_margin = p.isolated_margin();
        return r;
    }

    Real wallet_balance_;
    position_mode mode_;
    status_thresholds<Real> thresholds_;
    std::vector<position_type> positions_;
};

}  // namespace margincall
