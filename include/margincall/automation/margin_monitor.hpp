#pragma once
/// \file
/// Tick-stream monitoring of a large book of single-symbol margin pools (isolated positions,
/// or cross accounts holding one symbol): on each mark-price tick only the pools whose status
/// can have changed are re-evaluated, found through an index of the prices at which each
/// pool's status changes; status transitions are emitted.

#include <margincall/contracts/contract.hpp>
#include <margincall/core/bracketed_solve.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/liquidation/bracket_liquidation.hpp>
#include <margincall/liquidation/closed_form_contract.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position_margin.hpp>
#include <margincall/tiers/tier_schedule.hpp>


#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// A status change of one pool on one tick.
template <real_scalar Real = double>
struct status_transition {
    std::size_t pool{};
    std::size_t symbol{};
    margin_status from = margin_status::healthy;
    margin_status to = margin_status::healthy;
    Real price{};  ///< the tick's mark
};

/// Monitors single-symbol pools of one contract type across symbols, each symbol with its
/// tier_schedule.
///
/// A pool is collateral C, a signed quantity q ≠ 0 and an entry E. At mark P:
/// equity(P) = C + pnl(q, E, P), MM(P) = schedule.maintenance_margin(notional(P), |q|) and the
/// status is classify_margin(equity, 0, MM, thresholds) — the rule every account uses.
///
/// Index. For a level θ ∈ {warning, call, 1} let g_θ(P) = equity(P) − MM(P)/θ; the ratio
/// MM/equity ≥ θ ⇔ g_θ ≤ 0 (equity > 0). For linear, quanto and inverse contracts
/// dg/dP = q·m·(1 − MMR/θ) (linear, per tier; inverse likewise in 1/P with the same sign),
/// so when every maintenance rate is below the warning ratio (checked) g_θ is strictly
/// monotone with the sign of q, and each level is crossed at exactly one price b_θ. A pool
/// in status s therefore keeps s while P stays between the boundaries of levels s and s+1.
/// Those two prices (by the per-bracket closed form for linear, quanto and inverse contracts,
/// else by bracketing and TOMS 748; then moved inward by a relative 10⁻⁹ so rounding
/// can only make the monitor look early, and verified against the exact rule) are kept in two
/// heaps per symbol: a max-heap of lower triggers and a min-heap of upper triggers. A tick at
/// P pops exactly the pools whose trigger it passed: O((k + 1) log n) for k touched pools.
/// Entries of re-evaluated pools go stale by a generation count and are compacted lazily.
/// Requires thresholds.call_below_initial == false (IM is not tracked).
///
/// Thread safety: `on_tick` and `full_remark` may run concurrently on different symbols (each
/// touches only its symbol's heaps, scratch and pools, whose status entries are distinct
/// objects); calls on the same symbol, and `add_pool`, `start`, `set_solve_budget`, need
/// external synchronisation against every other call. The const readers of a pool are safe
/// alongside ticks on other symbols' pools; `unconverged_boundaries()` sums every symbol's
/// count, so it needs all ticks stopped.
/// \tparam Contract linear_contract, quanto_contract or inverse_contract (one per symbol)
/// \tparam Real a real_scalar
template <class Contract, real_scalar Real = double>
    requires contract<Contract, Real>
class margin_monitor {
public:
    using transition = status_transition<Real>;

    /// \param contracts, schedules one per symbol (equal sizes, > 0)
    /// \param thresholds valid, call_below_initial false
    /// \throws invalid_argument otherwise, or when a schedule's maintenance rate is ≥ the warning ratio
    margin_monitor(std::vector<Contract> contracts, std::vector<tier_schedule<Real>> schedules,
                   status_thresholds<Real> thresholds = {})
        : contracts_(std::move(contracts)), schedules_(std::move(schedules)), thresholds_(thresholds) {
        constexpr const char* where = "margin_monitor";
        if (contracts_.empty()) throw_invalid_argument(where, "the number of contracts", contracts_.size(), "> 0");
        if (schedules_.size() != contracts_.size())
            throw_invalid_argument(where, "the number of schedules", schedules_.size(),
                                   detail::message(contracts_.size(), ", the number of contracts").c_str());
        check_status_thresholds(where, thresholds_);
        if (thresholds_.call_below_initial)
            throw_invalid_argument(where, "call_below_initial", true, "false (the monitor does not track IM)");
        for (std::size_t s = 0; s < schedules_.size(); ++s) {
            const Real top = schedules_[s].tiers().back().maintenance_rate;
            if (!(top < thresholds_.warning_ratio))
                throw_invalid_argument(where, detail::message("the top maintenance_rate of schedule ", s), top,
                                       detail::message("< ", thresholds_.warning_ratio,
                                                       ", the warning ratio (so status is monotone in price)")
                                           .c_str());
        }
        levels_[0] = thresholds_.warning_ratio;
        levels_[1] = thresholds_.call_ratio;
        levels_[2] = Real(1);
        books_.resize(contracts_.size());
        price_.assign(contracts_.size(), Real(0));
    }

    /// Adds a pool on `symbol`: quantity finite and ≠ 0, entry > 0, collateral ≥ 0 (finite).
    /// Pools added after start() are indexed at the symbol's current mark.
    std::size_t add_pool(std::size_t symbol, Real quantity, Real entry_price, Real collateral) {
        constexpr const char* where = "margin_monitor::add_pool";
        if (symbol >= contracts_.size())
            throw_invalid_argument(where, "symbol", symbol, detail::message("< ", contracts_.size()).c_str());
        check_finite(where, "quantity", quantity);
        if (quantity == Real(0)) throw_invalid_argument(where, "quantity", quantity, "non-zero");
        check_positive(where, "entry_price", entry_price);
        check_non_negative(where, "collateral", collateral);
        if (symbol_.size() >= std::numeric_limits<std::uint32_t>::max())
            throw_invalid_argument(where, "the number of pools", symbol_.size(), "< 2^32 - 1");
        const auto i = static_cast<std::uint32_t>(symbol_.size());
        symbol_.push_back(static_cast<std::uint32_t>(symbol));
        quantity_.push_back(quantity);
        entry_.push_back(entry_price);
        collateral_.push_back(collateral);
        status_.push_back(margin_status::healthy);
        generation_.push_back(0);
        books_[symbol].pools.push_back(i);
        if (started_) index(i);
        return i;
    }

    /// Sets every symbol's mark (marks.size() == symbols, finite, > 0), evaluates every pool
    /// and builds the index.
    void start(std::span<const Real> marks) {
        constexpr const char* where = "margin_monitor::start";
        if (marks.size() != contracts_.size())
            throw_invalid_argument(where, "the size of marks", marks.size(),
                                   detail::message(contracts_.size(), " (one per symbol)").c_str());
        for (std::size_t s = 0; s < marks.size(); ++s) check_positive(where, detail::message("marks[", s, "]"), marks[s]);
        price_.assign(marks.begin(), marks.end());
        for (auto& b : books_) {
            b.lower.clear();
            b.upper.clear();
        }
        started_ = true;
        for (std::uint32_t i = 0; i < symbol_.size(); ++i) index(i);
    }

    /// A new mark for `symbol`: re-evaluates the pools whose trigger the price passed, appends
    /// their status changes to `out`, and returns how many pools were re-evaluated.
    /// \throws invalid_argument for an unknown symbol, a price not finite and > 0, or before start()
    std::size_t on_tick(std::size_t symbol, Real price, std::vector<transition>& out) {
        constexpr const char* where = "margin_monitor::on_tick";
        if (!started_) throw_invalid_argument(where, "the monitor", "not started", "started (call start(marks) first)");
        if (symbol >= contracts_.size())
            throw_invalid_argument(where, "symbol", symbol, detail::message("< ", contracts_.size()).c_str());
        check_positive(where, "price", price);
        price_[symbol] = price;
        book& b = books_[symbol];
        std::vector<std::uint32_t>& touched = b.touched;  // per symbol: concurrent ticks on other symbols share nothing
        touched.clear();
        while (!b.lower.empty() && b.lower.front().price >= price) {
            std::pop_heap(b.lower.begin(), b.lower.end(), lower_order{});
            take(b, b.lower.back());
            b.lower.pop_back();
        }
        while (!b.upper.empty() && b.upper.front().price <= price) {
            std::pop_heap(b.upper.begin(), b.upper.end(), upper_order{});
            take(b, b.upper.back());
            b.upper.pop_back();
        }
        for (const std::uint32_t i : touched) {
            const margin_status before = status_[i];
            index(i);
            if (status_[i] != before) out.push_back(transition{i, symbol, before, status_[i], price});
        }
        compact(b);
        return touched.size();
    }

    /// The brute-force alternative: re-evaluates every pool of `symbol` at `price`; appends
    /// status changes to `out` (and rebuilds the symbol's index). Returns the pools evaluated.
    std::size_t full_remark(std::size_t symbol, Real price, std::vector<transition>& out) {
        constexpr const char* where = "margin_monitor::full_remark";
        if (!started_) throw_invalid_argument(where, "the monitor", "not started", "started (call start(marks) first)");
        if (symbol >= contracts_.size())
            throw_invalid_argument(where, "symbol", symbol, detail::message("< ", contracts_.size()).c_str());
        check_positive(where, "price", price);
        price_[symbol] = price;
        book& b = books_[symbol];
        for (const std::uint32_t i : b.pools) {
            const margin_status s = status_at(i, price);
            if (s != status_[i]) out.push_back(transition{i, symbol, status_[i], s, price});
            status_[i] = s;
        }
        return b.pools.size();
    }

    /// The rule: status of pool i at mark `price`.
    [[nodiscard]] margin_status status_at(std::size_t i, Real price) const noexcept {
        const Real equity = equity_at(i, price);
        return classify_margin(equity, Real(0), mm_at(i, price), thresholds_);
    }

    /// Pool i's equity at mark `price`: collateral + the contract's PnL from entry.
    [[nodiscard]] Real equity_at(std::size_t i, Real price) const noexcept {
        return collateral_[i] + static_cast<Real>(contracts_[symbol_[i]].pnl(quantity_[i], entry_[i], price));
    }
    /// Pool i's maintenance margin at mark `price`: the per-row kernel's MM (margin/position_margin.hpp).
    [[nodiscard]] Real mm_at(std::size_t i, Real price) const noexcept {
        return position_maintenance_margin(contracts_[symbol_[i]], unchecked_tiers<Real>{schedules_[symbol_[i]]}, quantity_[i], price);
    }

    [[nodiscard]] margin_status status(std::size_t pool) const noexcept { return status_[pool]; }
    [[nodiscard]] std::size_t pools() const noexcept { return symbol_.size(); }
    [[nodiscard]] std::size_t symbols() const noexcept { return contracts_.size(); }
    [[nodiscard]] Real mark(std::size_t symbol) const noexcept { return price_[symbol]; }
    /// Entries currently held by the symbol's two heaps (live and stale).
    [[nodiscard]] std::size_t index_size(std::size_t symbol) const noexcept {
        return books_[symbol].lower.size() + books_[symbol].upper.size();
    }

    /// Budget (evaluations of the surplus) of each boundary solve, ≥ 1; default 100. A solve
    /// that runs out sets the pool's trigger at its mark, so the pool is re-evaluated on its
    /// symbol's next tick: transitions stay exact, only the index does more work.
    void set_solve_budget(std::uintmax_t max_evaluations) {
        if (max_evaluations == 0)
            throw_invalid_argument("margin_monitor::set_solve_budget", "max_evaluations", max_evaluations, ">= 1");
        max_evaluations_ = max_evaluations;
    }
    /// Boundary solves so far whose budget ran out (no_convergence), each replaced by a trigger
    /// at the mark.
    [[nodiscard]] std::size_t unconverged_boundaries() const noexcept {
        std::size_t n = 0;
        for (const auto& b : books_) n += b.unconverged;
        return n;
    }

private:
    struct entry {
        Real price;
        std::uint32_t pool;
        std::uint32_t generation;
    };
    struct lower_order {  // max-heap on price
        bool operator()(const entry& a, const entry& b) const noexcept { return a.price < b.price; }
    };
    struct upper_order {  // min-heap on price
        bool operator()(const entry& a, const entry& b) const noexcept { return a.price > b.price; }
    };
    struct book {
        std::vector<std::uint32_t> pools;
        std::vector<entry> lower;  // touch when the mark falls to or below
        std::vector<entry> upper;  // touch when the mark rises to or above
        std::vector<std::uint32_t> touched;  // scratch of on_tick
        std::size_t unconverged{0};          // boundary solves that ran out of budget
    };

    // g_θ(P) = equity(P) − MM(P)/θ
    [[nodiscard]] Real surplus(std::size_t i, Real price, Real theta) const noexcept {
        return equity_at(i, price) - mm_at(i, price) / theta;
    }

    void take(book& b, const entry& e) {
        if (e.generation != generation_[e.pool]) return;  // stale
        ++generation_[e.pool];                            // its other entry goes stale too
        b.touched.push_back(e.pool);
    }

    // The root of g between a and b (g(a), g(b) of opposite signs) within the caller's budget;
    // `mark` when the budget runs out, which index() turns into a trigger at the mark (the pool
    // is touched on any move: never late, only early).
    template <class G>
    [[nodiscard]] Real crossing(std::size_t i, const G& g, Real a, Real b, Real ga, Real gb, Real mark) {
        const solve_result<Real> r =
            solve_bracketed(g, a, b, ga, gb, solve_budget<Real>{max_evaluations_, boost::math::tools::digits<Real>() - 3});
        if (r.found()) return r.root;
        ++books_[symbol_[i]].unconverged;  // the pool's own symbol: no counter shared across symbols
        return mark;
    }

    // The price where g_θ crosses 0, by the per-bracket closed form, for contracts that have one
    // (linear, quanto, inverse). In u = P (1/P inverse) equity is the line C + constant + slope·u
    // (liquidation/closed_form_contract.hpp, to_u) and, on one tier, MM/θ = (n·u·MMR − cum)/θ; so
    // g_θ is the line of bracket_liquidation_price with MMR/θ and cum/θ (add_bracket, bracket_root),
    // and its root is the one whose size falls in the tier whose line it is. g_θ is monotone
    // (class comment), so at most one tier's root does. Returns NaN when none does: no crossing,
    // or a root rounded across a floor; boundary() then solves by bracketing, as for other contracts.
    [[nodiscard]] Real closed_form_root(std::size_t i, Real theta) const noexcept {
        const std::size_t s = symbol_[i];
        const detail::u_leg<Real> l = detail::to_u(contracts_[s], position_leg<Real>{quantity_[i], entry_[i]});
        const tier_schedule<Real>& schedule = schedules_[s];
        const auto tiers = schedule.tiers();
        const bool by_notional = schedule.basis() == tier_basis::notional;
        const std::size_t first = by_notional ? 0 : schedule.tier_index(l.quantity);
        const std::size_t last = by_notional ? tiers.size() : first + 1;
        for (std::size_t t = first; t < last; ++t) {
            Real a = collateral_[i] + l.constant, b = l.slope;
            detail::add_bracket(a, b, l.n, Real(tiers[t].maintenance_rate / theta), Real(tiers[t].maintenance_amount / theta));
            const Real u = detail::bracket_root(a, b);
            if (!(u > 0) || !detail::is_finite(u)) continue;
            if (by_notional && schedule.tier_index(l.n * u) != t) continue;
            return detail::to_u_price<Contract>(u);
        }
        return std::numeric_limits<Real>::quiet_NaN();
    }

    // The closed-form root when the contract has one and it lies beyond `from` in direction
    // `up` (g_θ is monotone, so that is the boundary both searches below look for); else 0, and
    // the caller brackets and solves.
    [[nodiscard]] Real closed_form_boundary(std::size_t i, Real theta, Real from, bool up) const noexcept {
        if constexpr (closed_form_contract<Contract>) {
            const Real root = closed_form_root(i, theta);
            if (detail::is_finite(root) && root > 0 && (up ? root > from : root < from)) return root;
        }
        return Real(0);
    }

    // The price where g_θ crosses 0 going from `from` (g > 0 there) in direction `up`;
    // 0 (down) or +∞ (up) when it never does.
    [[nodiscard]] Real boundary(std::size_t i, Real from, Real theta, bool up) {
        const auto g = [&](const Real& p) { return surplus(i, p, theta); };
        const Real g0 = g(from);
        if (!(g0 > 0)) return from;
        if (const Real root = closed_form_boundary(i, theta, from, up); root > 0) return root;
        Real a = from, ga = g0;
        for (int k = 0; k < 60; ++k) {
            const Real b = up ? a * Real(2) : a / Real(2);
            const Real gb = g(b);
            if (!(gb > 0)) return crossing(i, g, a, b, ga, gb, from);
            a = b;
            ga = gb;
        }
        return up ? std::numeric_limits<Real>::infinity() : Real(0);
    }

    // Re-evaluates pool i at its symbol's mark and pushes its triggers.
    void index(std::uint32_t i) {
        const std::size_t s = symbol_[i];
        const Real p0 = price_[s];
        const margin_status st = status_at(i, p0);
        status_[i] = st;
        // Rungs 0–3 of levels_: healthy, warning, margin_call, liquidation (the monitor's rule has no reduce_only band).
        const unsigned level = st == margin_status::liquidation ? 3u : static_cast<unsigned>(st);
        const bool is_long = quantity_[i] > 0;  // g increasing in P for a long, decreasing for a short
        const Real eps = Real(1e-9);
        Real lower{0};
        Real upper = std::numeric_limits<Real>::infinity();
        // worse: level+1 (if any); better: back below level (if level > 0)
        if (level < 3) {
            const Real b = boundary(i, p0, levels_[level], !is_long);
            if (is_long)
                lower = b * (Real(1) + eps);
            else
                upper = b * (Real(1) - eps);
        }
        if (level > 0) {
            // g_{level} ≤ 0 at p0; the price where it becomes > 0 is where status improves.
            const Real b = improve_boundary(i, p0, levels_[level - 1], is_long);
            if (is_long)
                upper = b * (Real(1) - eps);
            else
                lower = b * (Real(1) + eps);
        }
        // Verify the triggers against the exact rule; a doubtful one touches on any move.
        if (lower > 0 && (lower >= p0 || status_at(i, lower) != st)) lower = p0;
        if (detail::is_finite(upper) && (upper <= p0 || status_at(i, upper) != st)) upper = p0;
        book& b = books_[s];
        const std::uint32_t gen = generation_[i];
        if (lower > 0) {
            b.lower.push_back(entry{lower, i, gen});
            std::push_heap(b.lower.begin(), b.lower.end(), lower_order{});
        }
        if (detail::is_finite(upper)) {
            b.upper.push_back(entry{upper, i, gen});
            std::push_heap(b.upper.begin(), b.upper.end(), upper_order{});
        }
    }

    // From p0 where g_θ ≤ 0, the price where g_θ turns > 0 moving toward better (up for a long).
    [[nodiscard]] Real improve_boundary(std::size_t i, Real p0, Real theta, bool up) {
        const auto g = [&](const Real& p) { return surplus(i, p, theta); };
        const Real g0 = g(p0);
        if (g0 > 0) return p0;
        if (const Real root = closed_form_boundary(i, theta, p0, up); root > 0) return root;
        Real a = p0, ga = g0;
        for (int k = 0; k < 60; ++k) {
            const Real b = up ? a * Real(2) : a / Real(2);
            const Real gb = g(b);
            if (gb > 0) return crossing(i, g, a, b, ga, gb, p0);
            a = b;
            ga = gb;
        }
        return up ? std::numeric_limits<Real>::infinity() : Real(0);
    }

    void compact(book& b) {
        const std::size_t live = 2 * b.pools.size() + 64;
        if (b.lower.size() + b.upper.size() <= 2 * live) return;
        const auto stale = [&](const entry& e) { return e.generation != generation_[e.pool]; };
        b.lower.erase(std::remove_if(b.lower.begin(), b.lower.end(), stale), b.lower.end());
        b.upper.erase(std::remove_if(b.upper.begin(), b.upper.end(), stale), b.upper.end());
        std::make_heap(b.lower.begin(), b.lower.end(), lower_order{});
        std::make_heap(b.upper.begin(), b.upper.end(), upper_order{});
    }

    std::vector<Contract> contracts_;
    std::vector<tier_schedule<Real>> schedules_;
    status_thresholds<Real> thresholds_;
    Real levels_[3]{};
    std::vector<book> books_;
    std::vector<Real> price_;
    bool started_ = false;
    std::vector<std::uint32_t> symbol_;
    std::vector<Real> quantity_;
    std::vector<Real> entry_;
    std::vector<Real> collateral_;
    std::vector<margin_status> status_;
    std::vector<std::uint32_t> generation_;
    std::uintmax_t max_evaluations_{100};  // TOMS 748 budget per boundary solve
};

}  // namespace margincall
