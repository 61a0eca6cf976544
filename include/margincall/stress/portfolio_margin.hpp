#pragma once
/// \file
/// Portfolio margin as crypto option venues run it (Deribit's design): per currency, a grid of
/// evenly spaced underlying moves (including 0) within ±price_range, each with volatility up,
/// unchanged and down; the worst loss over the grid is the maintenance margin, and initial margin
/// is maintenance / mm_factor. Optional extended moves (large crashes and rallies) are applied
/// with volatility up and only a fraction of their loss counted.
///
/// The volatility shock decays with expiry: shift(T) = range × (30 days / T)^power, with one
/// power for expiries up to 30 days and another beyond (Deribit's short_term_vega_power /
/// long_term_vega_power), applied as an absolute shift of implied volatility.
// Source: Deribit, "Portfolio Margin" (support.deribit.com/hc/en-us/articles/25944756247837) and
// the parameters of its private/pme/simulate API (price_range 0.16, buckets_count 4,
// volatility_range_up 0.5, volatility_range_down 0.25, short_term_vega_power 0.3,
// long_term_vega_power 0.13, mm_factor 0.8); the earlier Deribit page
// (deribit.com/pages/docs/portfoliomargin): ±10 % price, IV change (30/days)^0.30 × 38 %.
// Deribit does not publish whether the vol shock is absolute or relative; margincall applies it
// as absolute volatility points (docs/portfolio-margin.md).

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/stress/stress_book.hpp>

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// Grid parameters of one currency.
template <real_scalar Real = double>
struct portfolio_margin_parameters {
    Real price_range = Real(0.16);             ///< largest relative move of the grid, in (0, 1)
    std::size_t buckets_per_side = 4;           ///< moves k/b × range, k = −b … b; ≥ 1
    Real volatility_range_up = Real(0.5);      ///< vol-up shift at 30 days (absolute), ≥ 0
    Real volatility_range_down = Real(0.25);   ///< vol-down shift at 30 days (absolute), ≥ 0
    Real short_term_vega_power = Real(0.3);    ///< power for T ≤ 30 days, ≥ 0
    Real long_term_vega_power = Real(0.13);    ///< power for T > 30 days, ≥ 0
    Real mm_factor = Real(0.8);                ///< MM = mm_factor × IM, in (0, 1]
    std::vector<Real> extended_moves{};        ///< extra relative moves, each > −1, with vol up
    Real extended_fraction = Real(1);          ///< fraction of an extended move's loss counted, in (0, 1]
};

template <real_scalar Real>
void check_portfolio_margin_parameters(const char* where, const portfolio_margin_parameters<Real>& p) {
    if (!(p.price_range > Real(0) && p.price_range < Real(1)))
        throw_invalid_argument(where, "price_range", p.price_range, "in (0, 1)");
    if (p.buckets_per_side < 1) throw_invalid_argument(where, "buckets_per_side", p.buckets_per_side, ">= 1");
    check_non_negative(where, "volatility_range_up", p.volatility_range_up);
    check_non_negative(where, "volatility_range_down", p.volatility_range_down);
    check_non_negative(where, "short_term_vega_power", p.short_term_vega_power);
    check_non_negative(where, "long_term_vega_power", p.long_term_vega_power);
    if (!(p.mm_factor > Real(0) && p.mm_factor <= Real(1))) throw_invalid_argument(where, "mm_factor", p.mm_factor, "in (0, 1]");
    for (std::size_t i = 0; i < p.extended_moves.size(); ++i)
        if (!(p.extended_moves[i] > Real(-1)) || !detail::is_finite(p.extended_moves[i]))
            throw_invalid_argument(where, detail::message("extended_moves[", i, "]"), p.extended_moves[i], "finite and > -1");
    if (!(p.extended_fraction > Real(0) && p.extended_fraction <= Real(1)))
        throw_invalid_argument(where, "extended_fraction", p.extended_fraction, "in (0, 1]");
}

/// Volatility direction of a grid scenario.
enum class vol_scenario : signed char { down = -1, unchanged = 0, up = 1 };

/// One grid point and its loss.
template <real_scalar Real = double>
struct portfolio_margin_scenario {
    Real spot_move{};
    vol_scenario vol = vol_scenario::unchanged;
    Real covered_fraction = Real(1);
    Real loss{};  ///< −P&L × covered fraction
};

/// Result: the grid with losses, the worst point, MM and IM.
template <real_scalar Real = double>
struct portfolio_margin_result {
    std::vector<portfolio_margin_scenario<Real>> grid;
    std::size_t worst{};          ///< index into grid of the largest loss
    Real maintenance_margin{};    ///< max(0, largest loss)
    Real initial_margin{};        ///< maintenance / mm_factor
};

/// Deribit-style portfolio margin of one currency's book (full revaluation on every grid point).
template <real_scalar Real = double>
class portfolio_margin {
public:
    explicit portfolio_margin(portfolio_margin_parameters<Real> p = {}) : p_{std::move(p)} {
        check_portfolio_margin_parameters("portfolio_margin", p_);
    }

    /// The vol shift of an option with expiry T (years) in direction d:
    ///   ±range_d × (30/365 / T)^power, power = short-term for T ≤ 30 days, long-term beyond.
    [[nodiscard]] Real vol_shift(Real expiry, vol_scenario d) const {
        using std::pow;
        if (d == vol_scenario::unchanged) return Real(0);
        const Real month = Real(30) / Real(365);
        const Real power = expiry <= month ? p_.short_term_vega_power : p_.long_term_vega_power;
        const Real range = d == vol_scenario::up ? p_.volatility_range_up : -p_.volatility_range_down;
        return range * pow(month / expiry, power);
    }

    /// The grid, its losses and the margins. Grid order: moves from −range to +range, each with
    /// vol up, unchanged, down; then the extended moves (vol up). Throws margincall::numeric_error
    /// when a grid revaluation is not finite (the book overflows): never a margin of 0 for that.
    [[nodiscard]] portfolio_margin_result<Real> evaluate(const stress_book<Real>& book) const {
        portfolio_margin_result<Real> r;
        const std::size_t b = p_.buckets_per_side;
        const Real today = book.value();
        const auto add = [&](Real move, vol_scenario v, Real fraction) {
            const Real loss = detail::checked_scenario_loss("portfolio_margin", "the grid", r.grid.size(),
                                                            Real(-(value_at(book, move, v) - today) * fraction));
            r.grid.push_back({move, v, fraction, loss});
        };
        for (std::size_t k = 0; k <= 2 * b; ++k) {
            const Real move = p_.price_range * (static_cast<Real>(k) - static_cast<Real>(b)) / static_cast<Real>(b);
            add(move, vol_scenario::up, Real(1));
            add(move, vol_scenario::unchanged, Real(1));
            add(move, vol_scenario::down, Real(1));
        }
        for (const Real& m : p_.extended_moves) add(m, vol_scenario::up, p_.extended_fraction);
        Real worst(0);
        for (std::size_t i = 0; i < r.grid.size(); ++i)
            if (r.grid[i].loss > r.grid[r.worst].loss) r.worst = i;
        worst = r.grid[r.worst].loss;
        r.maintenance_margin = worst > Real(0) ? worst : Real(0);
        r.initial_margin = r.maintenance_margin / p_.mm_factor;
        // MM / mm_factor can overflow where MM is finite (fuzzer: a short of 8.8e304 options).
        if (!detail::is_finite(r.initial_margin))
            throw_numeric_error("portfolio_margin", "the initial margin (maintenance margin / mm_factor)", r.initial_margin,
                                "finite (the book's worst loss is near the largest double)");
        return r;
    }

    [[nodiscard]] Real maintenance_margin(const stress_book<Real>& book) const { return evaluate(book).maintenance_margin; }
    [[nodiscard]] Real initial_margin(const stress_book<Real>& book) const { return evaluate(book).initial_margin; }
    [[nodiscard]] const portfolio_margin_parameters<Real>& parameters() const noexcept { return p_; }

private:
    // Value at one grid point: the vol shift depends on each leg's expiry, so it is applied per leg.
    [[nodiscard]] Real value_at(const stress_book<Real>& book, Real move, vol_scenario v) const {
        const Real s = book.spot() * (Real(1) + move);
        Real total(0);
        for (const auto& o : book.options()) {
            Real vol = o.volatility + vol_shift(o.expiry, v);
            vol = vol > book.minimum_volatility() ? vol : book.minimum_volatility();
            total += book.option_value(o, s, vol);
        }
        for (const auto& l : book.linear()) total += l.quantity * l.multiplier * s;
        return total;
    }

    portfolio_margin_parameters<Real> p_;
};

}  // namespace margincall
