#pragma once
/// \file
/// Volatility-filtered historical simulation (Hull & White 1998; the one-day case of the
/// filtered HS of Barone-Adesi, Giannopoulos & Vosper 1999): each historical loss is rescaled
/// from the volatility of its own day to today's forecast,
///   L*_t = L_t · σ_{T+1} / σ_t,
/// and VaR/ES are the historical estimates of the rescaled sample. σ_t is the conditional
/// volatility forecast for day t made at t − 1 (EWMA or GARCH: see volatility/), σ_{T+1} the
/// forecast for the day at risk. This header does not include volatility/: the series comes in
/// as a span, so any filter plugs in.
/// Source: J. Hull & A. White, "Incorporating volatility updating into the historical
/// simulation method for value-at-risk", Journal of Risk 1(1), 1998, 5–19, eq. (2);
/// G. Barone-Adesi, K. Giannopoulos & L. Vosper, "VaR without correlations for portfolios of
/// derivative securities", J. Futures Markets 19(5), 1999, 583–602.

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/risk/historical_simulation.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace margincall {

/// Writes L_t σ_now / σ_t into `out` (works the same for P&L) (same size as `losses`); throws for mismatched sizes,
/// non-finite losses or a volatility that is not finite and > 0.
template <real_scalar Real>
void rescale_losses(std::span<const Real> losses, std::span<const Real> sigmas, Real sigma_now, std::span<Real> out) {
    constexpr const char* where = "rescale_losses";
    check_not_empty<Real>(where, "losses", losses);
    check_all_finite<Real>(where, "losses", losses);
    if (sigmas.size() != losses.size())
        throw_invalid_argument(where, "the size of sigmas", sigmas.size(),
                               detail::message("equal to the size of losses (", losses.size(), ")").c_str());
    if (out.size() != losses.size())
        throw_invalid_argument(where, "the size of out", out.size(),
                               detail::message("equal to the size of losses (", losses.size(), ")").c_str());
    check_positive(where, "sigma_now", sigma_now);
    for (std::size_t t = 0; t < losses.size(); ++t) {
        if (!(sigmas[t] > Real(0)) || !detail::is_finite(sigmas[t]))
            throw_invalid_argument(where, detail::message("sigmas[", t, "]"), sigmas[t], "finite and > 0");
        out[t] = losses[t] * (sigma_now / sigmas[t]);
    }
}

/// Hull–White volatility-filtered historical simulation: holds the volatility series of the
/// sample (non-owning view) and today's forecast; a `tail_estimator` policy over losses of the
/// same length. VaR/ES use `historical_simulation` (any quantile type).
template <real_scalar Real = double>
class volatility_filtered {
public:
    /// \param sigmas σ_t for each day of the sample (must outlive the estimator)
    /// \param sigma_now σ_{T+1}, the forecast for the day at risk
    volatility_filtered(std::span<const Real> sigmas, Real sigma_now,
                        historical_simulation<Real> historical = historical_simulation<Real>{})
        : sigmas_{sigmas}, sigma_now_{sigma_now}, historical_{historical} {
        check_positive("volatility_filtered", "sigma_now", sigma_now);
    }

    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha) const {
        std::vector<Real> scaled(losses.size());
        historical_workspace<Real> ws;
        return estimate(losses, alpha, scaled, ws);
    }

    /// As above, with caller-owned memory: `scaled` of the sample's size, and a workspace.
    [[nodiscard]] tail_risk<Real> estimate(std::span<const Real> losses, Real alpha, std::span<Real> scaled,
                                           historical_workspace<Real>& ws) const {
        check_probability("volatility_filtered", "alpha", alpha);
        rescale_losses(losses, sigmas_, sigma_now_, scaled);
        // A positive rescaling commutes with loss = −P&L, so the historical sign setting still holds.
        return historical_.estimate(std::span<const Real>(scaled.data(), scaled.size()), alpha, ws);
    }

private:
    std::span<const Real> sigmas_;
    Real sigma_now_;
    historical_simulation<Real> historical_;
};

}  // namespace margincall
