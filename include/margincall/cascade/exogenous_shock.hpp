#pragma once
/// \file
/// The exogenous price move a cascade starts from: the reference price S_t of each step, before
/// any forced selling. An instant move (one step), a given path, a replay of a historical
/// series, or a path simulated from a GARCH(1,1) model of the volatility layer.
///
/// GARCH path: r_t = σ_t·z_t, σ²_{t+1} = ω + α·r_t² + β·σ_t², S_t = S_{t−1}·exp(r_t), z_t standard
/// normal or standardised Student-t (t_ν·√((ν − 2)/ν)), drawn from the caller's generator.
/// Source: Bollerslev (1986) via volatility/garch11.hpp.
/// \tparam Real float, double or long double
/// \test tests/cascade/exogenous_shock.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/volatility/garch11.hpp>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace margincall {

/// The reference price before impact: a start price and one price per step.
template <std::floating_point Real = double>
class exogenous_shock {
public:
    /// One step, a relative move (rule C9 of docs/cascades.md): S_1 = S_0·(1 + relative_move),
    /// e.g. −0.1 for a 10 % fall.
    /// \throws invalid_argument unless S_0 > 0 and relative_move > −1, finite
    [[nodiscard]] static exogenous_shock instant_relative(Real start_price, Real relative_move) {
        constexpr const char* where = "exogenous_shock::instant_relative";
        check_positive(where, "start_price", start_price);
        if (!(relative_move > Real(-1)) || !detail::is_finite(relative_move))
            throw_invalid_argument(where, "relative_move", relative_move, "finite and > -1");
        return exogenous_shock(start_price, std::vector<Real>{start_price * (Real(1) + relative_move)});
    }
    /// One step, an absolute move in price units (rule C9): S_1 = S_0 + absolute_move.
    /// \throws invalid_argument unless S_0 > 0 and S_0 + absolute_move > 0, both finite
    [[nodiscard]] static exogenous_shock instant_absolute(Real start_price, Real absolute_move) {
        constexpr const char* where = "exogenous_shock::instant_absolute";
        check_positive(where, "start_price", start_price);
        const Real moved = start_price + absolute_move;
        if (!detail::is_finite(absolute_move) || !(moved > 0) || !detail::is_finite(moved))
            throw_invalid_argument(where, "absolute_move", absolute_move,
                                   detail::message("finite and > -start_price (", start_price, ")").c_str());
        return exogenous_shock(start_price, std::vector<Real>{moved});
    }
    /// Step t has reference price prices[t − 1]. \throws invalid_argument unless all > 0, finite, non-empty
    [[nodiscard]] static exogenous_shock path(Real start_price, std::span<const Real> prices) {
        constexpr const char* where = "exogenous_shock::path";
        check_positive(where, "start_price", start_price);
        check_prices(where, prices);
        return exogenous_shock(start_price, std::vector<Real>(prices.begin(), prices.end()));
    }
    /// A historical series: series[0] is the start, each later value one step.
    /// \throws invalid_argument unless at least two values, all > 0 and finite
    [[nodiscard]] static exogenous_shock replay(std::span<const Real> series) {
        constexpr const char* where = "exogenous_shock::replay";
        if (series.size() < 2) throw_invalid_argument(where, "the size of series", series.size(), ">= 2");
        check_prices(where, series);
        return exogenous_shock(series[0], std::vector<Real>(series.begin() + 1, series.end()));
    }
    /// A path of `steps` steps from a GARCH(1,1) started at variance σ²_1, drawn from `generator`.
    template <std::uniform_random_bit_generator Generator>
    [[nodiscard]] static exogenous_shock garch(const garch11<Real>& model, Real start_price, Real first_variance,
                                               std::size_t steps, Generator& generator) {
        constexpr const char* where = "exogenous_shock::garch";
        check_positive(where, "start_price", start_price);
        check_positive(where, "first_variance", first_variance);
        if (steps == 0) throw_invalid_argument(where, "steps", steps, ">= 1");
        std::vector<Real> prices(steps);
        std::normal_distribution<Real> normal;
        std::student_t_distribution<Real> student(model.innovation() == garch_innovation::student_t ? model.shape()
                                                                                                  : Real(3));
        const Real t_scale = model.innovation() == garch_innovation::student_t
                                 ? std::sqrt((model.shape() - Real(2)) / model.shape())
                                 : Real(1);
        Real variance = first_variance;
        Real price = start_price;
        for (std::size_t t = 0; t < steps; ++t) {
            const Real z = model.innovation() == garch_innovation::student_t ? student(generator) * t_scale
                                                                              : normal(generator);
            const Real r = std::sqrt(variance) * z;
            price *= std::exp(r);
            prices[t] = price;
            variance = model.next_variance(variance, r);
        }
        return exogenous_shock(start_price, std::move(prices));
    }

    [[nodiscard]] Real start_price() const noexcept { return start_; }
    [[nodiscard]] std::span<const Real> reference_prices() const noexcept { return prices_; }
    [[nodiscard]] std::size_t steps() const noexcept { return prices_.size(); }
    /// The lowest reference price of the path (the start included).
    [[nodiscard]] Real lowest_price() const noexcept {
        Real low = start_;
        for (const Real p : prices_) low = p < low ? p : low;
        return low;
    }

private:
    exogenous_shock(Real start, std::vector<Real> prices) : start_{start}, prices_{std::move(prices)} {}
    static void check_prices(const char* where, std::span<const Real> prices) {
        check_not_empty<Real>(where, "prices", prices);
        for (std::size_t i = 0; i < prices.size(); ++i) check_positive(where, detail::message("prices[", i, "]"), prices[i]);
    }
    Real start_;
    std::vector<Real> prices_;
};

}  // namespace margincall
