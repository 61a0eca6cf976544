#pragma once
/// \file
/// The SPAN risk array of a large option book in double precision, vectorised: the book is held
/// as a structure of arrays and each scenario reprices every option in one pass of the batch
/// kernel of options/option_batch.hpp (SIMD normal CDF, within about 1e-13 of Boost.Math), instead
/// of one scalar Black–Scholes call per option. Same scenarios, same shocks and same losses as
/// span_risk_array over a stress_book (span_margin.hpp); the test checks the two agree.
///
/// Memory: the batch owns one copy of the book (8 arrays of n) and a workspace of 4 arrays of n;
/// no allocation happens per scenario or per option once it is built.

#include <margincall/core/checks.hpp>
#include <margincall/core/error.hpp>
#include <margincall/options/option_batch.hpp>
#include <margincall/options/option_type.hpp>
#include <margincall/stress/span_margin.hpp>
#include <margincall/stress/stress_book.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// A stress_book<double> laid out for the batch kernel.
class risk_array_batch {
public:
    explicit risk_array_batch(const stress_book<double>& book)
        : spot_{book.spot()}, minimum_volatility_{book.minimum_volatility()} {
        const auto& legs = book.options();
        const std::size_t n = legs.size();
        // push_back rather than resize: g++ 12 -O3 warns (-Wnull-dereference) inside vector's
        // default-append for an enum element type, a false positive.
        type_.reserve(n);
        strike_.reserve(n);
        expiry_.reserve(n);
        volatility_.reserve(n);
        weight_.reserve(n);
        for (const auto& o : legs) {
            type_.push_back(o.type);
            strike_.push_back(o.strike);
            expiry_.push_back(o.expiry);
            volatility_.push_back(o.volatility);
            weight_.push_back(o.quantity * o.multiplier);
        }
        rate_.assign(n, book.rate());
        carry_.assign(n, book.carry());
        for (const auto& l : book.linear()) linear_units_ += l.quantity * l.multiplier;
        shocked_spot_.resize(n);
        shocked_expiry_.resize(n);
        shocked_vol_.resize(n);
        price_.resize(n);
        delta_.resize(n);
        batch_ = {type_, shocked_spot_, strike_, shocked_expiry_, rate_, carry_, shocked_vol_};
        // Validate once (the kernel throws, naming the element) at today's market.
        static_cast<void>(value(0.0, 0.0));
    }
    risk_array_batch(const risk_array_batch&) = delete;  // batch_ views the members
    risk_array_batch& operator=(const risk_array_batch&) = delete;

    [[nodiscard]] std::size_t size() const noexcept { return type_.size(); }
    [[nodiscard]] double spot() const noexcept { return spot_; }

    /// Book value at S' = S + price_move, σ' = max(σ + vol_shift, floor) and T' = max(T − elapsed, 0):
    /// Σ q·m·V + Σ linear q·m·S'.
    [[nodiscard]] double value(double price_move, double vol_shift, double elapsed = 0.0) {
        const double s = spot_ + price_move;
        const std::size_t n = size();
        for (std::size_t i = 0; i < n; ++i) {
            shocked_spot_[i] = s;
            const double t = expiry_[i] - elapsed;
            shocked_expiry_[i] = t > 0.0 ? t : 0.0;
            const double v = volatility_[i] + vol_shift;
            shocked_vol_[i] = v > minimum_volatility_ ? v : minimum_volatility_;
        }
        black_scholes_price_delta(batch_, price_, delta_);
        double total = linear_units_ * s;
        for (std::size_t i = 0; i < n; ++i) total += weight_[i] * price_[i];
        return total;
    }

private:
    double spot_;
    double minimum_volatility_;
    double linear_units_ = 0.0;
    std::vector<option_type> type_;
    std::vector<double> strike_, expiry_, rate_, carry_, volatility_, weight_;
    std::vector<double> shocked_spot_, shocked_expiry_, shocked_vol_, price_, delta_;
    option_batch batch_{};
};

/// The SPAN risk array (losses positive) of the batch: as span_risk_array(stress_book, ...).
inline void span_risk_array(risk_array_batch& book, const span_parameters<double>& p,
                            std::span<const span_scenario<double>> scenarios, std::span<double> losses) {
    constexpr const char* where = "span_risk_array";
    check_span(where, p, scenarios);
    if (losses.size() != scenarios.size())
        throw_invalid_argument(where, "the size of losses", losses.size(),
                               detail::message("equal to the number of scenarios (", scenarios.size(), ")").c_str());
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        const double move = scenarios[i].price_fraction * p.price_scan_range;
        if (!(move > -book.spot()))
            throw_invalid_argument(where, detail::message("scenarios[", i, "] price move"), move,
                                   detail::message("> -spot (", book.spot(), ")").c_str());
    }
    const double today = book.value(0.0, 0.0);
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        const auto& s = scenarios[i];
        losses[i] = -(book.value(s.price_fraction * p.price_scan_range, s.vol_fraction * p.volatility_scan_range,
                                 p.look_ahead_time) -
                      today) *
                    s.covered_fraction;
    }
}

}  // namespace margincall
