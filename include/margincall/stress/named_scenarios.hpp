#pragma once
/// \file
/// Named historical-style stress scenarios shipped as data (a constexpr table, so the installed
/// package carries it). Each is a market_shock: spot move, volatility multiplier, parallel and
/// term-weighted volatility shift, skew, liquidity factor. The magnitudes are stylised on the
/// named episodes (rounded, not a replay of tick data); the episode notes cite the public record.
// Sources for the episodes: BTC fell from about 7,900 to about 4,900 USD on 12 March 2020
// (≈ −38 % peak to trough on the day; Deribit DVOL-equivalent implied volatility roughly doubled);
// BTC fell ≈ 50 % from 14 April to 19 May 2021 and ≈ 30 % intraday on 19 May 2021; after the
// FTX collapse (8–9 November 2022) BTC fell ≈ 25 % in two days; the 5 August 2024 yen carry
// unwind took ETH ≈ −20 % intraday. Figures: CoinMarketCap/CoinGecko daily OHLC, Deribit DVOL.

#include <margincall/core/real_scalar.hpp>
#include <margincall/stress/stress_book.hpp>

#include <array>
#include <string_view>

namespace margincall {

/// One named scenario as plain data (doubles, so the table is constexpr for every Real).
struct named_scenario {
    std::string_view name;
    double spot_move;         ///< relative
    double vol_multiplier;    ///< σ' = σ·m + ...
    double vol_parallel;      ///< absolute vol points
    double term_power;        ///< weighting (30 days / T)^power of the parallel shift
    double vol_skew;          ///< vol per unit ln(K/S)
    double liquidity_factor;  ///< ≥ 1
    std::string_view description;
};

/// The shipped table.
inline constexpr std::array<named_scenario, 8> named_scenarios{{
    {"crash_30_vol_x2", -0.30, 2.0, 0.0, 0.0, 0.0, 1.0, "spot -30 %, implied volatility doubled (issue #6)"},
    {"black_thursday_2020", -0.38, 2.0, 0.0, 0.0, -0.3, 5.0,
     "12 March 2020: BTC about -38 % in a day, implied vol about doubled, order books thinned"},
    {"may_2021_deleveraging", -0.30, 1.6, 0.0, 0.0, -0.2, 3.0,
     "19 May 2021: BTC about -30 % intraday, perpetual funding reset, wide spreads"},
    {"ftx_collapse_2022", -0.25, 1.5, 0.10, 0.5, -0.1, 3.0,
     "8-9 November 2022: BTC about -25 % in two days, short-dated vol spiked most"},
    {"carry_unwind_2024", -0.20, 1.8, 0.0, 0.0, -0.2, 2.0, "5 August 2024: ETH about -20 % intraday, front vol up"},
    {"short_squeeze_rally", 0.30, 1.5, 0.0, 0.0, 0.2, 2.0, "spot +30 % with call skew bid: hurts short calls"},
    {"vol_crush", 0.0, 0.5, 0.0, 0.0, 0.0, 1.0, "implied volatility halved at unchanged spot: hurts long vega"},
    {"front_end_vol_spike", -0.10, 1.0, 0.40, 0.5, 0.0, 1.5,
     "spot -10 %, +40 vol at 30 days decaying as (30 days / T)^0.5: term-structure inversion"},
}};

/// The market_shock of a named scenario.
template <real_scalar Real = double>
[[nodiscard]] constexpr market_shock<Real> to_market_shock(const named_scenario& s) noexcept {
    market_shock<Real> m;
    m.spot_move = static_cast<Real>(s.spot_move);
    m.vol_multiplier = static_cast<Real>(s.vol_multiplier);
    m.vol_parallel = static_cast<Real>(s.vol_parallel);
    m.term_power = static_cast<Real>(s.term_power);
    m.vol_skew = static_cast<Real>(s.vol_skew);
    m.liquidity_factor = static_cast<Real>(s.liquidity_factor);
    return m;
}

}  // namespace margincall
