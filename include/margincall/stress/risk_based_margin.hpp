#pragma once
/// \file
/// Risk-based margin as central counterparties run it: initial margin = ES (or VaR) at confidence
/// α of the portfolio's loss over a margin period of risk (MPOR) of h days, from filtered
/// historical scenarios. Scenario t moves the spot by its historical log return rescaled to
/// today's volatility and to the MPOR,
///   S'_t = S · exp(r_t · (σ_now / σ_t) · √h),
/// optionally moves implied volatility by the historical relative change of the same day,
///   σ'_t = σ · (1 + Δv_t),
/// and the book is fully revalued; the losses go to any tail_estimator of risk/ (historical
/// simulation by default, type-1 quantile). Maintenance margin = IM × maintenance_fraction.
///
// Source: Hull & White (1998) volatility filtering (risk/volatility_filtered.hpp); √h scaling of
// one-day returns as in risk/horizon_scaling.hpp (Basel / BCBS-IOSCO margin for non-centrally
// cleared derivatives, 2015, §3.1: 10-day MPOR, 99 % one-tailed); Eurex Clearing "Eurex Clearing
// Prisma" methodology (filtered historical simulation, ES over the MPOR); LCH SwapClear PAIRS
// (FHS ES). The √h scaling of a one-day return is an assumption (i.i.d. returns), stated in docs.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>
#include <margincall/stress/stress_book.hpp>

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// Which tail figure sets the initial margin.
enum class tail_measure : unsigned char { value_at_risk, expected_shortfall };

/// Configuration of a risk-based margin model.
template <real_scalar Real = double>
struct risk_based_parameters {
    Real confidence = Real(0.99);                 ///< α in (0, 1)
    Real mpor_days = Real(2);                     ///< margin period of risk h, > 0 (days)
    tail_measure measure = tail_measure::expected_shortfall;
    Real maintenance_fraction = Real(1);          ///< MM = fraction × IM, in (0, 1]
};

/// The historical scenario set: daily log returns of the underlying, optional relative changes
/// of implied volatility (same length), optional daily volatility σ_t of each day with today's
/// σ_now (filtering). Non-owning views: they must outlive the model.
template <real_scalar Real = double>
struct historical_scenarios {
    std::span<const Real> log_returns;
    std::span<const Real> vol_changes{};  ///< empty: implied volatility unchanged
    std::span<const Real> sigmas{};       ///< empty: no filtering
    Real sigma_now = Real(0);             ///< used only with sigmas
};

template <real_scalar Real>
void check_historical_scenarios(const char* where, const historical_scenarios<Real>& h) {
    check_not_empty(where, "log_returns", h.log_returns);
    check_all_finite(where, "log_returns", h.log_returns);
    if (!h.vol_changes.empty()) {
        if (h.vol_changes.size() != h.log_returns.size())
            throw_invalid_argument(where, "the size of vol_changes", h.vol_changes.size(),
                                   detail::message("0 or the size of log_returns (", h.log_returns.size(), ")").c_str());
        for (std::size_t t = 0; t < h.vol_changes.size(); ++t)
            if (!(h.vol_changes[t] > Real(-1)) || !detail::is_finite(h.vol_changes[t]))
                throw_invalid_argument(where, detail::message("vol_changes[", t, "]"), h.vol_changes[t], "finite and > -1");
    }
    if (!h.sigmas.empty()) {
        if (h.sigmas.size() != h.log_returns.size())
            throw_invalid_argument(where, "the size of sigmas", h.sigmas.size(),
                                   detail::message("0 or the size of log_returns (", h.log_returns.size(), ")").c_str());
        for (std::size_t t = 0; t < h.sigmas.size(); ++t) check_positive(where, detail::message("sigmas[", t, "]"), h.sigmas[t]);
        check_positive(where, "sigma_now", h.sigma_now);
    }
}

/// Result of one evaluation.
template <real_scalar Real = double>
struct risk_based_result {
    tail_risk<Real> tail{};       ///< VaR and ES of the scenario losses
    Real initial_margin{};        ///< max(0, the chosen measure)
    Real maintenance_margin{};    ///< fraction × IM
};

/// Filtered-historical-simulation margin over a book, with any tail_estimator policy.
/// \tparam Estimator a margincall::tail_estimator (historical_simulation, age_weighted, ...)
template <real_scalar Real = double, class Estimator = historical_simulation<Real>>
    requires tail_estimator<Estimator, Real>
class risk_based_margin {
public:
    risk_based_margin(historical_scenarios<Real> history, risk_based_parameters<Real> p = {}, Estimator estimator = Estimator{})
        : history_{history}, p_{p}, estimator_{estimator} {
        constexpr const char* where = "risk_based_margin";
        check_historical_scenarios(where, history_);
        check_probability(where, "confidence", p_.confidence);
        check_positive(where, "mpor_days", p_.mpor_days);
        if (!(p_.maintenance_fraction > Real(0) && p_.maintenance_fraction <= Real(1)))
            throw_invalid_argument(where, "maintenance_fraction", p_.maintenance_fraction, "in (0, 1]");
    }

    /// The market shock of historical day t (formula in the file comment).
    [[nodiscard]] market_shock<Real> shock(std::size_t t) const {
        using std::exp;
        using std::sqrt;
        Real r = history_.log_returns[t];
        if (!history_.sigmas.empty()) r *= history_.sigma_now / history_.sigmas[t];
        market_shock<Real> m;
        m.spot_move = exp(r * sqrt(p_.mpor_days)) - Real(1);
        if (!history_.vol_changes.empty()) m.vol_multiplier = Real(1) + history_.vol_changes[t];
        return m;
    }

    /// Fills `losses` with the book's loss in every historical scenario (size = number of days).
    /// Throws margincall::numeric_error when a revaluation is not finite (the book overflows).
    void scenario_losses(const stress_book<Real>& book, std::span<Real> losses) const {
        if (losses.size() != history_.log_returns.size())
            throw_invalid_argument("risk_based_margin::scenario_losses", "the size of losses", losses.size(),
                                   detail::message("equal to the number of scenarios (", history_.log_returns.size(), ")").c_str());
        const Real today = book.value();
        for (std::size_t t = 0; t < losses.size(); ++t)
            losses[t] = detail::checked_scenario_loss("risk_based_margin", "the historical scenarios", t,
                                                      Real(today - book.value(shock(t))));
    }

    [[nodiscard]] risk_based_result<Real> evaluate(const stress_book<Real>& book) const {
        std::vector<Real> losses(history_.log_returns.size());
        scenario_losses(book, std::span<Real>(losses));
        return evaluate_losses(std::span<const Real>(losses));
    }

    /// The margins from scenario losses already computed (one per historical day): the tail
    /// estimator at α, IM = max(0, ES or VaR), MM = fraction × IM. An account over several
    /// underlyings sums each underlying's scenario_losses day by day and calls this once
    /// (risk_based_account_margin), so the tail is that of the joint loss.
    [[nodiscard]] risk_based_result<Real> evaluate_losses(std::span<const Real> losses) const {
        if (losses.size() != history_.log_returns.size())
            throw_invalid_argument("risk_based_margin::evaluate_losses", "the size of losses", losses.size(),
                                   detail::message("equal to the number of scenarios (", history_.log_returns.size(), ")").c_str());
        risk_based_result<Real> r;
        r.tail = estimator_.estimate(losses, p_.confidence);
        const Real m = p_.measure == tail_measure::expected_shortfall ? r.tail.expected_shortfall : r.tail.value_at_risk;
        r.initial_margin = m > Real(0) ? m : Real(0);
        r.maintenance_margin = p_.maintenance_fraction * r.initial_margin;
        return r;
    }

    [[nodiscard]] Real initial_margin(const stress_book<Real>& book) const { return evaluate(book).initial_margin; }
    [[nodiscard]] Real maintenance_margin(const stress_book<Real>& book) const { return evaluate(book).maintenance_margin; }
    /// Number of historical scenarios (days).
    [[nodiscard]] std::size_t scenario_count() const noexcept { return history_.log_returns.size(); }
    [[nodiscard]] const risk_based_parameters<Real>& parameters() const noexcept { return p_; }

private:
    historical_scenarios<Real> history_;
    risk_based_parameters<Real> p_;
    Estimator estimator_;
};

}  // namespace margincall
