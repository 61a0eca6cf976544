#pragma once
/// \file
/// The assembly point: margin_call_calculator<Policies> evaluates an account at given marks
/// into one report (status, equity, IM, MM, margin ratio, call amount, liquidation and
/// bankruptcy prices per position, optional VaR / ES) and runs the automation policies
/// (alerts, top-up, reduction) with an event log. The margin_model slot is account-level
/// (account_margin_model): a per-position rate model is wrapped in position_rate_margin, and
/// SPAN, portfolio, risk-based and layered margin plug in through book_margin_adapters.hpp.
/// Every slot of the policy bag is checked
/// against its named concept, clause by clause, with a message naming the slot, the concept
/// and the missing member (docs/policies.md).

#include <margincall/automation/alert_levels.hpp>
#include <margincall/automation/auto_reduce.hpp>
#include <margincall/automation/event_log.hpp>
#include <margincall/automation/top_up.hpp>
#include <margincall/calculator/account_margin_model.hpp>
#include <margincall/calculator/default_policies.hpp>
#include <margincall/calculator/liquidation_solvers.hpp>
#include <margincall/calculator/model_liquidation.hpp>
#include <margincall/calculator/policy_concepts.hpp>
#include <margincall/contracts/contract.hpp>
#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/margin/account.hpp>
#include <margincall/margin/margin_status.hpp>
#include <margincall/margin/position.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/tiers/margin_rate_model.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace margincall {

/// One position in a report: its figures, its pool, and its liquidation / bankruptcy prices.
template <real_scalar Real = double>
struct position_report {
    position_figures<Real> figures{};
    margin_summary<Real> pool{};  ///< the pool the position belongs to (cross, or its isolated pool)
    leg_prices<Real> prices{};
};

/// An account evaluated by the calculator.
template <real_scalar Real = double>
struct margin_report {
    margin_status status = margin_status::healthy;  ///< the worst pool's status
    Real equity{};              ///< cross equity + Σ isolated pool equities
    Real initial_margin{};      ///< the margin model's total IM (rate models: Σ over all positions)
    Real maintenance_margin{};  ///< the margin model's total MM (rate models: Σ over all positions)
    Real margin_ratio{};        ///< the largest pool ratio MM / equity (of non-flat pools)
    Real call_amount{};         ///< cross call + Σ isolated calls
    margin_summary<Real> cross{};
    std::vector<position_report<Real>> positions;
    std::optional<tail_risk<Real>> risk;  ///< VaR / ES of the account's loss over the scenario horizon
};

/// What automation remembers between steps: the alert level and the spot balance top-ups draw on.
template <real_scalar Real = double>
struct automation_state {
    alert_level alert = alert_level::none;
    Real spot_balance{0};  ///< finite and ≥ 0
};

namespace detail {
/// The per-position model of the account: the rate model in the margin_model slot; with an
/// account-level model, Policies::position_model if the bag names one, else no_position_margin.
template <class Policies, class Real, bool RateModel>
struct position_model_of {
    using type = typename Policies::margin_model;
};
template <class Policies, class Real>
struct position_model_of<Policies, Real, false> {
    using type = no_position_margin<Real>;
};
template <class Policies, class Real>
    requires requires { typename Policies::position_model; }
struct position_model_of<Policies, Real, false> {
    using type = typename Policies::position_model;
};

template <bool Valid, class Contract, class Model, class Real>
struct account_of {
    struct invalid {};
    using type = invalid;  // a broken policy bag has no account type; the static_asserts say why
};
template <class Contract, class Model, class Real>
struct account_of<true, Contract, Model, Real> {
    using type = account<Contract, Model, Real>;
};
}  // namespace detail

/// A margin-call calculator assembled from a policy bag (see default_policies).
///
/// \tparam Policies a struct naming real_type, contract, margin_model, account_mode,
///         liquidation_solver, risk_measure, alert_policy, top_up_policy and reduction_policy
///         (and optionally position_model, the per-position rate model of an account margined
///         by an account-level model); inherit default_policies<Real> and override what differs.
/// Thread safety: `evaluate` and the other const members may run concurrently (each call's
/// state is the caller's: the account, the output spans, automation_state, event_log);
/// `set_risk_scenarios` needs exclusive access (no internal locking).
template <class Policies>
class margin_call_calculator {
public:
    using real_type = typename Policies::real_type;
    static_assert(real_scalar<real_type>,
                  "Policies::real_type is not a margincall::real_scalar (float, double, long double or a "
                  "Boost.Multiprecision float)");
    using Real = real_type;
    using contract_type = typename Policies::contract;
    using model_type = typename Policies::margin_model;
    using account_mode_type = typename Policies::account_mode;
    using solver_type = typename Policies::liquidation_solver;
    using risk_type = typename Policies::risk_measure;
    using alert_type = typename Policies::alert_policy;
    using top_up_type = typename Policies::top_up_policy;
    using reduction_type = typename Policies::reduction_policy;

    static_assert(margincall::contract<contract_type, Real>,
                  "Policies::contract is not a margincall::contract: it needs `Real pnl(Real quantity, Real entry, "
                  "Real price) const`, `Real notional(Real quantity, Real price) const`, `Real value(Real quantity, "
                  "Real price) const` and `margin_currency currency() const`");
    // The margin_model slot: a margin_rate_model (wrapped in position_rate_margin) or an
    // account_margin_model. A type with any rate-model member is held to the rate model's
    // clauses; any other type to the account-level model's.
    static constexpr bool is_rate_model = margin_rate_model<model_type, Real>;
    static constexpr bool looks_like_rate_model =
        has_maintenance_margin<model_type, Real> || has_initial_margin<model_type, Real> || has_max_leverage<model_type, Real>;
    using position_model_type = typename detail::position_model_of<Policies, Real, is_rate_model>::type;
    using margin_policy_type = std::conditional_t<is_rate_model, position_rate_margin, model_type>;

private:
    static constexpr bool positions_valid =
        margincall::contract<contract_type, Real> && margin_rate_model<position_model_type, Real>;
    using candidate_account = typename detail::account_of<positions_valid, contract_type, position_model_type, Real>::type;

public:
    static constexpr bool is_account_model =
        positions_valid && account_margin_model<margin_policy_type, candidate_account, Real>;

    static_assert(is_account_model || !looks_like_rate_model || has_maintenance_margin<model_type, Real>,
                  "Policies::margin_model is not a margincall::margin_rate_model: it lacks `Real "
                  "maintenance_margin(Real notional, Real quantity) const`");
    static_assert(is_account_model || !looks_like_rate_model || has_initial_margin<model_type, Real>,
                  "Policies::margin_model is not a margincall::margin_rate_model: it lacks `Real "
                  "initial_margin(Real notional, Real quantity, Real leverage) const`");
    static_assert(is_account_model || !looks_like_rate_model || has_max_leverage<model_type, Real>,
                  "Policies::margin_model is not a margincall::margin_rate_model: it lacks `Real "
                  "max_leverage(Real notional, Real quantity) const`");
    static_assert(is_account_model || looks_like_rate_model || !positions_valid,
                  "Policies::margin_model is not a margincall::account_margin_model: it lacks "
                  "`account_requirement<Real> requirement(const account_type&, std::span<const Real> marks) const` "
                  "(a per-position model instead needs maintenance_margin, initial_margin and max_leverage: "
                  "margincall::margin_rate_model)");
    static_assert(is_rate_model || margin_rate_model<position_model_type, Real>,
                  "Policies::position_model is not a margincall::margin_rate_model: it lacks `maintenance_margin`, "
                  "`initial_margin` or `max_leverage` (or leave it out: positions then carry no_position_margin)");
    static_assert(account_mode_policy<account_mode_type>,
                  "Policies::account_mode is not a margincall::account_mode_policy: it lacks `static constexpr "
                  "position_mode mode` (use one_way_mode or hedge_mode)");

    static constexpr bool account_valid = positions_valid && (is_rate_model || is_account_model);
    using account_type = typename detail::account_of<account_valid, contract_type, position_model_type, Real>::type;

    /// Whether the liquidation solver reads the margin model (has_model_leg_prices).
    static constexpr bool solver_reads_model =
        account_valid && has_model_leg_prices<solver_type, account_type, margin_policy_type, Real>;

    static_assert(!account_valid || !is_rate_model || solver_reads_model ||
                      margincall::liquidation_solver<solver_type, account_type, Real>,
                  "Policies::liquidation_solver is not a margincall::liquidation_solver for this account: it lacks "
                  "`leg_prices<Real> prices(const account_type&, std::size_t leg, std::span<const Real> marks) "
                  "const` (closed_form_liquidation needs margin_model = tier_schedule<Real>; otherwise use "
                  "generic_liquidation<Real>)");
    static_assert(!account_valid || is_rate_model || solver_reads_model,
                  "Policies::liquidation_solver is not a margincall::liquidation_solver for an account-level "
                  "margin_model: it lacks `leg_prices<Real> prices(const account_type&, const margin_model&, "
                  "std::size_t leg, std::span<const Real> marks) const` (use model_liquidation<Real>)");
    static_assert(margincall::risk_measure<risk_type, Real>,
                  "Policies::risk_measure is not a margincall::tail_estimator: it lacks `tail_risk<Real> "
                  "estimate(std::span<const Real> losses, Real alpha) const` (or use no_risk_measure)");
    static_assert(margincall::alert_policy<alert_type, Real>,
                  "Policies::alert_policy is not a margincall::alert_policy: it lacks `alert_level "
                  "next_level(alert_level current, Real ratio) const`");
    static_assert(margincall::top_up_policy<top_up_type, Real>,
                  "Policies::top_up_policy is not a margincall::top_up_policy: it lacks `Real "
                  "top_up_amount(const margin_summary<Real>& pool, Real spot_available) const`");
    static_assert(!account_valid || margincall::reduction_policy<reduction_type, account_type, Real>,
                  "Policies::reduction_policy is not a margincall::reduction_policy: it lacks "
                  "`reduction_plan<Real> plan(const account_type&, std::span<const Real> marks) const`");

    static constexpr bool has_risk = !std::is_same_v<risk_type, no_risk_measure>;

    /// The policy instances (policies may carry parameters: thresholds, bands, factors, an
    /// account-level model's scenarios). `margin` is position_rate_margin for a rate model (the
    /// rate models themselves are held by the positions), else the margin_model instance.
    struct settings {
        margin_policy_type margin{};
        solver_type liquidation{};
        risk_type risk{};
        alert_type alerts{};
        top_up_type top_up{};
        reduction_type reduction{};
    };

    margin_call_calculator() = default;
    explicit margin_call_calculator(settings s) : settings_(std::move(s)) {}

    [[nodiscard]] const settings& policies() const noexcept { return settings_; }

    /// The account's requirement (IM, MM and liquidation level per pool) from the margin model.
    [[nodiscard]] account_requirement<Real> requirement(const account_type& a, std::span<const Real> marks) const {
        return settings_.margin.requirement(a, marks);
    }

    /// An empty account in the policy bag's account mode.
    [[nodiscard]] account_type make_account(Real wallet_balance, status_thresholds<Real> thresholds = {}) const {
        return account_type(wallet_balance, account_mode_type::mode, thresholds);
    }

    /// Sets the scenarios of the risk measure: `returns` holds `scenarios` rows of `symbols`
    /// simple returns over the horizon (row-major); a scenario moves mark s to
    /// mark × (1 + r_s). The account's loss in a scenario is its uPnL now minus its uPnL at the
    /// moved marks (full revaluation); VaR / ES at `alpha` come from the risk policy.
    /// \throws invalid_argument for an empty or ragged matrix, a return ≤ −1 or not finite,
    ///         α ∉ (0, 1), or a calculator without a risk policy
    void set_risk_scenarios(std::span<const Real> returns, std::size_t symbols, Real alpha) {
        constexpr const char* where = "margin_call_calculator::set_risk_scenarios";
        if constexpr (!has_risk)
            throw_invalid_argument(where, "risk_measure", "no_risk_measure", "a tail_estimator to use scenarios");
        if (symbols == 0) throw_invalid_argument(where, "symbols", symbols, "> 0");
        check_not_empty(where, "returns", returns);
        if (returns.size() % symbols != 0)
            throw_invalid_argument(where, "the size of returns", returns.size(),
                                   detail::message("a multiple of symbols = ", symbols).c_str());
        for (std::size_t i = 0; i < returns.size(); ++i)
            if (!(returns[i] > Real(-1)) || !detail::is_finite(returns[i]))
                throw_invalid_argument(where, detail::message("returns[", i, "]"), returns[i], "finite and > -1");
        check_probability(where, "alpha", alpha);
        returns_.assign(returns.begin(), returns.end());
        symbols_ = symbols;
        alpha_ = alpha;
    }

    /// The account at `marks` (marks[s] is symbol s's mark, finite and > 0).
    /// \throws invalid_argument on bad marks, an account in another mode, or scenarios
    ///         that cover fewer symbols than the account uses
    [[nodiscard]] margin_report<Real> evaluate(const account_type& a, std::span<const Real> marks) const {
        constexpr const char* where = "margin_call_calculator::evaluate";
        if (a.mode() != account_mode_type::mode)
            throw_invalid_argument(where, "the account's mode", a.mode() == position_mode::hedge ? "hedge" : "one_way",
                                   account_mode_type::mode == position_mode::hedge ? "hedge (the policy's account_mode)"
                                                                                   : "one_way (the policy's account_mode)");
        const auto e = a.evaluate(marks);  // PnL, equity and per-position figures
        const account_requirement<Real> q = settings_.margin.requirement(a, marks);
        const auto positions = a.positions();
        if (q.pools.size() != positions.size())
            throw_invalid_argument(where, "the size of the margin model's pools", q.pools.size(),
                                   detail::message(positions.size(), " (one per position)").c_str());
        if constexpr (!is_rate_model) {  // a host's account-level model: 0 ≤ level ≤ MM ≤ IM per pool
            check_requirement(where, "the cross pool", q.cross);
            for (std::size_t i = 0; i < positions.size(); ++i)
                if (positions[i].mode() == margin_mode::isolated)
                    check_requirement(where, detail::message("the pool of position ", i), q.pools[i]);
        }
        // The pools' figures from the model's requirement: the rule set of margin_status.hpp.
        const auto pool = [&](const Real& equity, const pool_requirement<Real>& x) {
            return summarise_margin(equity, x.initial_margin, x.maintenance_margin, a.thresholds(), x.liquidation_level);
        };
        margin_report<Real> r;
        r.cross = pool(e.cross.equity, q.cross);
        r.status = r.cross.status;
        r.initial_margin = q.initial_margin;
        r.maintenance_margin = q.maintenance_margin;
        r.call_amount = r.cross.call_amount;
        r.equity = r.cross.equity;
        r.margin_ratio = r.cross.margin_ratio;
        r.positions.resize(positions.size());
        bool any_cross = false;
        for (std::size_t i = 0; i < positions.size(); ++i) {
            auto& pr = r.positions[i];
            pr.figures = e.positions[i];
            if constexpr (solver_reads_model)
                pr.prices = settings_.liquidation.prices(a, settings_.margin, i, marks);
            else
                pr.prices = settings_.liquidation.prices(a, i, marks);
            if (positions[i].mode() == margin_mode::isolated) {
                pr.pool = pool(e.pools[i].equity, q.pools[i]);
                r.call_amount += pr.pool.call_amount;
                r.status = std::max(r.status, pr.pool.status);
                r.equity += pr.pool.equity;
                if (!positions[i].is_flat()) r.margin_ratio = std::max(r.margin_ratio, pr.pool.margin_ratio);
            } else {
                pr.pool = r.cross;
                any_cross = true;
            }
        }
        check_summary_finite(where, "the cross pool", r.cross);
        for (std::size_t i = 0; i < positions.size(); ++i)
            if (positions[i].mode() == margin_mode::isolated)
                check_summary_finite(where, detail::message("the isolated pool of position ", i), r.positions[i].pool);
        for (const auto& [name, value] : {std::pair<const char*, Real>{"the account's total call amount", r.call_amount},
                                          std::pair<const char*, Real>{"the account's total equity", r.equity}})
            if (!detail::is_finite(value))
                throw_numeric_error(where, name, value, "finite (the pools' sum is beyond the working precision's range)");
        // Without cross positions the cross pool's ratio (0 MM) does not lower the maximum.
        if (!any_cross && !positions.empty()) {
            Real m{0};
            for (std::size_t i = 0; i < positions.size(); ++i)
                if (!positions[i].is_flat()) m = std::max(m, r.positions[i].pool.margin_ratio);
            r.margin_ratio = m;
        }
        if constexpr (has_risk) {
            if (!returns_.empty()) r.risk = account_risk(a, marks);
        }
        return r;
    }

    /// One automation step on `a`: evaluate; update the alert level on the margin ratio; top
    /// up the cross wallet from `state.spot_balance` as the top-up policy says; cut a position
    /// as the reduction policy says (executed at the mark); update the alert on the final
    /// ratio. Every decision goes to `log`. Returns the report after the actions.
    margin_report<Real> step(account_type& a, std::span<const Real> marks, automation_state<Real>& state,
                             event_log<Real>& log) const {
        constexpr const char* where = "margin_call_calculator::step";
        check_non_negative(where, "spot_balance", state.spot_balance);
        margin_report<Real> r = evaluate(a, marks);
        update_alert(state, r.margin_ratio, log, "margin ratio reached the level's threshold");

        const Real amount = static_cast<Real>(settings_.top_up.top_up_amount(r.cross, state.spot_balance));
        if (amount > 0) {
            const Real needed_all =
                static_cast<Real>(settings_.top_up.top_up_amount(r.cross, std::numeric_limits<Real>::infinity()));
            const Real before = r.cross.margin_ratio;
            a.deposit(amount);
            state.spot_balance -= amount;
            if (state.spot_balance < 0) state.spot_balance = Real(0);
            r = evaluate(a, marks);
            margin_event<Real> ev;
            ev.kind = needed_all > amount ? event_kind::top_up_short : event_kind::top_up;
            ev.from = ev.to = state.alert;
            ev.ratio_before = before;
            ev.ratio_after = r.cross.margin_ratio;
            ev.amount = amount;
            ev.reason = ev.kind == event_kind::top_up ? "cross ratio reached the top-up trigger; moved MM/target - equity"
                                                      : "cross ratio reached the top-up trigger; spot held less than needed";
            log.record(ev);
        }

        const reduction_plan<Real> plan = settings_.reduction.plan(a, marks);
        if (plan.status != reduction_status::not_needed && plan.cut.quantity != Real(0)) {
            (void)a.execute(plan.cut, marks);
            r = evaluate(a, marks);
            margin_event<Real> ev;
            ev.kind = plan.status == reduction_status::restored ? event_kind::reduction : event_kind::reduction_exhausted;
            ev.from = ev.to = state.alert;
            ev.ratio_before = plan.ratio_before;
            ev.ratio_after = plan.ratio_after;
            ev.amount = plan.cut.quantity;
            ev.leg = plan.leg;
            ev.reason = plan.status == reduction_status::restored
                            ? "pool ratio reached the reduction trigger; smallest cut restoring the target"
                            : "pool ratio reached the reduction trigger; closing the leg does not restore the target";
            log.record(ev);
        }
        update_alert(state, r.margin_ratio, log, "margin ratio after the actions");
        return r;
    }

private:
    static void check_requirement(const char* where, const std::string& pool, const pool_requirement<Real>& x) {
        check_non_negative(where, pool + "'s liquidation level", x.liquidation_level);
        check_finite(where, pool + "'s maintenance margin", x.maintenance_margin);
        check_finite(where, pool + "'s initial margin", x.initial_margin);
        if (!(x.liquidation_level <= x.maintenance_margin))
            throw_invalid_argument(where, pool + "'s liquidation level", x.liquidation_level,
                                   detail::message("<= its maintenance margin (", x.maintenance_margin, ")").c_str());
        if (!(x.maintenance_margin <= x.initial_margin))
            throw_invalid_argument(where, pool + "'s maintenance margin", x.maintenance_margin,
                                   detail::message("<= its initial margin (", x.initial_margin, ")").c_str());
    }

    void update_alert(automation_state<Real>& state, Real ratio, event_log<Real>& log, const char* why) const {
        const alert_level next = settings_.alerts.next_level(state.alert, ratio);
        if (next == state.alert) return;
        margin_event<Real> ev;
        ev.kind = next > state.alert ? event_kind::alert_raised : event_kind::alert_cleared;
        ev.from = state.alert;
        ev.to = next;
        ev.ratio_before = ev.ratio_after = ratio;
        ev.reason = next > state.alert ? why : "margin ratio cleared the level's hysteresis band";
        log.record(ev);
        state.alert = next;
    }

    tail_risk<Real> account_risk(const account_type& a, std::span<const Real> marks) const {
        constexpr const char* where = "margin_call_calculator::evaluate";
        const auto positions = a.positions();
        std::size_t needed = 0;
        for (const auto& p : positions) needed = std::max(needed, p.symbol() + 1);
        if (needed > symbols_)
            throw_invalid_argument(where, "the symbols of the risk scenarios", symbols_,
                                   detail::message(">= ", needed, " (the account's symbols)").c_str());
        Real pnl_now{0};
        for (const auto& p : positions) pnl_now += p.unrealised_pnl(marks[p.symbol()]);
        const std::size_t n = returns_.size() / symbols_;
        std::vector<Real> losses(n);
        for (std::size_t k = 0; k < n; ++k) {
            const Real* row = returns_.data() + k * symbols_;
            Real pnl{0};
            for (const auto& p : positions) pnl += p.unrealised_pnl(marks[p.symbol()] * (Real(1) + row[p.symbol()]));
            losses[k] = detail::checked_scenario_loss(where, "the risk scenarios", k, Real(pnl_now - pnl));
        }
        return settings_.risk.estimate(std::span<const Real>(losses), alpha_);
    }

    settings settings_{};
    std::vector<Real> returns_;
    std::size_t symbols_{0};
    Real alpha_{0};
};

}  // namespace margincall
