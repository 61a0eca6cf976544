#pragma once
/// \file
/// A book of European options and linear contracts (perpetuals, futures, spot) on one underlying,
/// and the market shocks that every scenario, portfolio and stress model of stress/ applies to it:
/// a spot move, a volatility shock (level, parallel term-weighted shift, skew-weighted shift) and a
/// liquidity shock (exit cost growing with size over available volume).
///
/// Revaluation is full (not delta-gamma): each option is repriced with the generalized
/// Black–Scholes–Merton formula of options/black_scholes.hpp at the shocked spot and volatility.
/// With carry b = 0 and rate r = 0 this is Black-76 on a forward with no discounting, the way
/// crypto option venues quote (docs/stress-testing.md).
///
/// \tparam Real a real_scalar (float, double, long double, Boost.Multiprecision)

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/options/black_scholes.hpp>
#include <margincall/options/greeks.hpp>
#include <margincall/options/option_type.hpp>
#include <margincall/risk/tail_estimator.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace margincall {

/// Cost of leaving a leg: a fraction of the leg's gross value
///   cost = |value| × (half_spread + impact × (|q| / available_volume)^exponent),
/// the square-root law of market impact at exponent 1/2.
// Source: R. Almgren, C. Thum, E. Hauptmann & H. Li, "Direct estimation of equity market impact",
// Risk 18(7), 2005 (impact ∝ (size / volume)^β, β ≈ 0.6); B. Tóth et al., "Anomalous price impact and
// the critical nature of liquidity in financial markets", Phys. Rev. X 1, 021006 (2011) (β = 1/2).
template <real_scalar Real = double>
struct leg_liquidity {
    Real half_spread = Real(0);       ///< fraction of value paid to cross half the bid-ask spread
    Real impact = Real(0);            ///< impact coefficient (fraction of value at size = volume)
    Real available_volume = Real(1);  ///< volume the market absorbs over the exit (same unit as quantity)
    Real exponent = Real(0.5);        ///< β in (size / volume)^β
};

/// One European option position. Quantity signed (+ long, − short), in contracts of `multiplier` units.
template <real_scalar Real = double>
struct option_leg {
    option_type type = option_type::call;
    Real strike{};
    Real expiry{};      ///< years, > 0
    Real quantity{};    ///< signed contracts
    Real volatility{};  ///< implied volatility of the leg today, annualised, > 0
    Real multiplier = Real(1);
    leg_liquidity<Real> liquidity{};
};

/// One linear position (perpetual, future or spot): value q × multiplier × S.
template <real_scalar Real = double>
struct linear_leg {
    Real quantity{};  ///< signed contracts
    Real multiplier = Real(1);
    leg_liquidity<Real> liquidity{};
};

/// A market scenario applied to a book. The shocked implied volatility of an option with strike K
/// and expiry T is
///   σ' = max(σ·vol_multiplier + vol_parallel·(term_reference / T)^term_power + vol_skew·ln(K / S), floor)
/// where S is today's spot and floor is the book's minimum volatility: a parallel shift when
/// term_power = 0, a shift concentrated on the short end when term_power > 0 (the Deribit and
/// Dederi "(30 / days)^power" weighting, docs/portfolio-margin.md), and a skew-weighted shift
/// when vol_skew ≠ 0 (puts, K < S, get vol_skew·ln(K/S) < 0 added: a negative vol_skew raises puts).
/// The liquidity factor multiplies every leg's half spread and divides its available volume.
template <real_scalar Real = double>
struct market_shock {
    Real spot_move = Real(0);                ///< relative: S' = S·(1 + spot_move), > −1
    Real vol_multiplier = Real(1);           ///< ≥ 0
    Real vol_parallel = Real(0);             ///< absolute volatility points (0.1 = +10 vol)
    Real term_reference = Real(30) / 365;    ///< years, > 0
    Real term_power = Real(0);               ///< ≥ 0
    Real vol_skew = Real(0);                 ///< volatility per unit of ln(K / S)
    Real liquidity_factor = Real(1);         ///< ≥ 1 stresses liquidity; 1 is today's
    Real time_elapsed = Real(0);             ///< years the scenario looks ahead (SPAN: next trading day), ≥ 0;
                                             ///< an option whose expiry it reaches is worth its intrinsic value
};

/// Throws margincall::invalid_argument unless the shock is well formed.
template <real_scalar Real>
void check_market_shock(const char* where, const market_shock<Real>& s) {
    check_finite(where, "spot_move", s.spot_move);
    if (!(s.spot_move > Real(-1))) throw_invalid_argument(where, "spot_move", s.spot_move, "> -1");
    check_non_negative(where, "vol_multiplier", s.vol_multiplier);
    check_finite(where, "vol_parallel", s.vol_parallel);
    check_positive(where, "term_reference", s.term_reference);
    check_non_negative(where, "term_power", s.term_power);
    check_finite(where, "vol_skew", s.vol_skew);
    if (!(s.liquidity_factor >= Real(1)) || !detail::is_finite(s.liquidity_factor))
        throw_invalid_argument(where, "liquidity_factor", s.liquidity_factor, "finite and >= 1");
    check_non_negative(where, "time_elapsed", s.time_elapsed);
}

/// Options and linear legs on one underlying at spot S, rate r, carry b. Validated at construction.
template <real_scalar Real = double>
class stress_book {
public:
    /// \param minimum_volatility the floor of a shocked implied volatility (> 0): a downward shock
    ///        larger than the volatility itself cannot make it zero or negative.
    stress_book(Real spot, std::vector<option_leg<Real>> options, std::vector<linear_leg<Real>> linear = {},
                Real rate = Real(0), Real carry = Real(0), Real minimum_volatility = Real(0.01))
        : spot_{spot}, rate_{rate}, carry_{carry}, minimum_volatility_{minimum_volatility},
          options_{std::move(options)}, linear_{std::move(linear)} {
        constexpr const char* where = "stress_book";
        check_positive(where, "spot", spot_);
        check_finite(where, "rate", rate_);
        check_finite(where, "carry", carry_);
        check_positive(where, "minimum_volatility", minimum_volatility_);
        for (std::size_t i = 0; i < options_.size(); ++i) {
            const auto& o = options_[i];
            const auto name = [&](const char* field) { return detail::message("options[", i, "].", field); };
            if (o.type != option_type::call && o.type != option_type::put)
                throw_invalid_argument(where, name("type"), static_cast<int>(o.type), "call (1) or put (-1)");
            check_positive(where, name("strike"), o.strike);
            check_positive(where, name("expiry"), o.expiry);
            check_finite(where, name("quantity"), o.quantity);
            check_positive(where, name("volatility"), o.volatility);
            check_positive(where, name("multiplier"), o.multiplier);
            check_liquidity(where, detail::message("options[", i, "].liquidity"), o.liquidity);
        }
        for (std::size_t i = 0; i < linear_.size(); ++i) {
            const auto& l = linear_[i];
            check_finite(where, detail::message("linear[", i, "].quantity"), l.quantity);
            check_positive(where, detail::message("linear[", i, "].multiplier"), l.multiplier);
            check_liquidity(where, detail::message("linear[", i, "].liquidity"), l.liquidity);
        }
    }

    [[nodiscard]] Real spot() const noexcept { return spot_; }
    [[nodiscard]] Real rate() const noexcept { return rate_; }
    [[nodiscard]] Real carry() const noexcept { return carry_; }
    [[nodiscard]] Real minimum_volatility() const noexcept { return minimum_volatility_; }
    [[nodiscard]] const std::vector<option_leg<Real>>& options() const noexcept { return options_; }
    [[nodiscard]] const std::vector<linear_leg<Real>>& linear() const noexcept { return linear_; }

    /// σ' of option leg i under the shock (formula of market_shock).
    [[nodiscard]] Real shocked_volatility(const option_leg<Real>& o, const market_shock<Real>& s) const {
        using std::log;
        using std::pow;
        Real v = o.volatility * s.vol_multiplier;
        if (s.vol_parallel != Real(0)) v += s.vol_parallel * (s.term_power == Real(0) ? Real(1) : pow(s.term_reference / o.expiry, s.term_power));
        if (s.vol_skew != Real(0)) v += s.vol_skew * log(o.strike / spot_);
        return v > minimum_volatility_ ? v : minimum_volatility_;
    }

    /// Model value of the option leg i (one contract × multiplier × quantity) at spot S', vol σ' and
    /// remaining expiry max(T − elapsed, 0) (at 0: intrinsic value).
    [[nodiscard]] Real option_value(const option_leg<Real>& o, Real shocked_spot, Real shocked_vol, Real elapsed = Real(0)) const {
        const Real t = o.expiry - elapsed > Real(0) ? o.expiry - elapsed : Real(0);
        const option_inputs<Real> in{shocked_spot, o.strike, t, rate_, carry_, shocked_vol};
        return o.quantity * o.multiplier * black_scholes_price(o.type, in);
    }

    /// Mark value of the book under the shock: Σ options q·m·V(S', σ') + Σ linear q·m·S'.
    /// The shock must have passed check_market_shock (the stress models check it once).
    [[nodiscard]] Real value(const market_shock<Real>& s = {}) const {
        const Real shocked_spot = spot_ * (Real(1) + s.spot_move);
        Real total(0);
        for (const auto& o : options_) total += option_value(o, shocked_spot, shocked_volatility(o, s), s.time_elapsed);
        for (const auto& l : linear_) total += l.quantity * l.multiplier * shocked_spot;
        return total;
    }

    /// P&L of the shock: value(shock) − value(today).
    [[nodiscard]] Real pnl(const market_shock<Real>& s) const { return value(s) - value(); }

    /// Cost of exiting every leg under the shock: Σ |value of leg| × (h·f + k·(|q|·f / V)^β), with
    /// f the liquidity factor (spread widens by f, the available volume shrinks by f).
    [[nodiscard]] Real exit_cost(const market_shock<Real>& s = {}) const {
        using std::abs;
        const Real shocked_spot = spot_ * (Real(1) + s.spot_move);
        Real total(0);
        for (const auto& o : options_)
            total += abs(option_value(o, shocked_spot, shocked_volatility(o, s), s.time_elapsed)) *
                     cost_rate(o.quantity, o.liquidity, s.liquidity_factor);
        for (const auto& l : linear_)
            total += abs(l.quantity * l.multiplier * shocked_spot) * cost_rate(l.quantity, l.liquidity, s.liquidity_factor);
        return total;
    }

    /// Net delta of the book today (∂value/∂S, Haug's closed-form option delta plus q·m per linear leg).
    [[nodiscard]] Real delta() const {
        Real d(0);
        for (const auto& o : options_) {
            const option_inputs<Real> in{spot_, o.strike, o.expiry, rate_, carry_, o.volatility};
            d += o.quantity * o.multiplier * black_scholes_greeks(o.type, in).delta;
        }
        for (const auto& l : linear_) d += l.quantity * l.multiplier;
        return d;
    }

    /// Number of short option contracts (Σ −q over legs with q < 0): the SPAN short option minimum's base.
    [[nodiscard]] Real short_option_contracts() const noexcept {
        Real n(0);
        for (const auto& o : options_)
            if (o.quantity < Real(0)) n -= o.quantity;
        return n;
    }

    /// The book as it stands after the shock: spot S', each option's volatility σ' and expiry
    /// T − elapsed. Used to recompute margin after a stress scenario. Throws if the shock's
    /// elapsed time reaches an option's expiry (the leg would have expired: settle it first).
    [[nodiscard]] stress_book shocked(const market_shock<Real>& s) const {
        constexpr const char* where = "stress_book::shocked";
        check_market_shock(where, s);
        std::vector<option_leg<Real>> legs = options_;
        for (std::size_t i = 0; i < legs.size(); ++i) {
            auto& o = legs[i];
            o.volatility = shocked_volatility(o, s);
            o.expiry -= s.time_elapsed;
            if (!(o.expiry > Real(0)))
                throw_invalid_argument(where, detail::message("options[", i, "].expiry after time_elapsed"), o.expiry, "> 0");
        }
        return stress_book(spot_ * (Real(1) + s.spot_move), std::move(legs), linear_, rate_, carry_, minimum_volatility_);
    }

private:
    static void check_liquidity(const char* where, const std::string& name, const leg_liquidity<Real>& q) {
        check_non_negative(where, name + ".half_spread", q.half_spread);
        check_non_negative(where, name + ".impact", q.impact);
        check_positive(where, name + ".available_volume", q.available_volume);
        check_positive(where, name + ".exponent", q.exponent);
    }
    [[nodiscard]] static Real cost_rate(Real quantity, const leg_liquidity<Real>& q, Real factor) {
        using std::abs;
        using std::pow;
        Real rate = q.half_spread * factor;
        if (q.impact != Real(0)) rate += q.impact * pow(abs(quantity) * factor / q.available_volume, q.exponent);
        return rate;
    }

    Real spot_;
    Real rate_;
    Real carry_;
    Real minimum_volatility_;
    std::vector<option_leg<Real>> options_;
    std::vector<linear_leg<Real>> linear_;
};

}  // namespace margincall
