"""margincall: margin-call dynamics for leveraged derivatives, from Python.

A thin binding of the header-only C++20 library (docs/python.md): tier schedules from venue
JSON, books from NumPy columns or CSV, batch re-marks, calculator reports, liquidation prices,
VaR/ES (historical, parametric, filtered, Monte Carlo), GARCH(1,1), backtests, Black-Scholes /
Black-76 in batch, SPAN and portfolio margin, and cascade Monte Carlo. Batch calls take NumPy float64 arrays without
copying them and return NumPy arrays. Invalid input raises ValueError with the library's
message ("where: argument is value, but must be condition").
"""

from ._margincall import (  # noqa: F401
    Book,
    Garch11,
    TierSchedule,
    black76_greeks,
    black_scholes_greeks,
    black_scholes_price_delta,
    christoffersen_test,
    filtered_var,
    fit_garch11,
    historical_var,
    implied_volatility,
    kupiec_test,
    liquidation_prices,
    load_binance_brackets,
    load_tier_schedule_json,
    monte_carlo_var,
    normal_tail_risk,
    normal_var,
    option_kind,
    parse_binance_brackets,
    parse_tier_schedule_json,
    portfolio_margin,
    span_requirement,
    traffic_light_zone,
)

#: Names of the values in Book.remark()["status"], by value.
MARGIN_STATUS = ("healthy", "warning", "margin_call", "reduce_only", "liquidation")
#: Names of the values in the status array of liquidation_prices(), by value.
LIQUIDATION_STATUS = ("found", "already_liquidated", "fully_collateralised", "unreachable", "out_of_range",
                      "invalid_input", "no_convergence")
CALL = 1
PUT = -1

__all__ = [
    "Book", "Garch11", "TierSchedule", "black76_greeks", "black_scholes_greeks", "black_scholes_price_delta",
    "christoffersen_test", "filtered_var", "fit_garch11", "historical_var", "implied_volatility", "kupiec_test",
    "liquidation_prices", "load_binance_brackets", "load_tier_schedule_json", "monte_carlo_var", "normal_tail_risk",
    "normal_var", "option_kind", "parse_binance_brackets", "parse_tier_schedule_json", "portfolio_margin", "span_requirement",
    "traffic_light_zone",
    "MARGIN_STATUS", "LIQUIDATION_STATUS", "CALL", "PUT",
]
