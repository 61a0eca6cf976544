"""Cascade Monte Carlo on a book's isolated accounts (cascade/cascade_monte_carlo.hpp).

With no price impact a run is one instant shock to P, every account with negative equity is
closed at P, and the bad debt is sum(max(0, -(c_i + q_i (P - e_i)))): a closed form checked run by
run. The tail figures are the risk layer's historical estimator on the samples (as in
tests/cascade/cascade_monte_carlo.cpp).
"""

import numpy as np
import pytest

import margincall as mc


def flat(mmr=0.01, max_leverage=50.0):
    return mc.TierSchedule([0.0], [np.inf], [max_leverage], [mmr])


def isolated_book(n=500, seed=3):
    rng = np.random.default_rng(seed)
    size = 0.1 + 5.0 * rng.random(n)
    q = np.where(rng.random(n) < 0.7, size, -size)
    e = np.full(n, 100.0)
    lev = 2.0 + 40.0 * rng.random(n)
    c = np.round(size * 100.0 / lev * 100.0) / 100.0
    book = mc.Book(["BTC"], {"BTC": flat()}, wallet_balance=np.zeros(n), account=np.arange(n),
                   symbol=np.zeros(n, dtype=np.int64), quantity=q, entry_price=e, leverage=lev,
                   isolated=np.ones(n, dtype=np.int8), isolated_margin=c)
    return book, q, e, c


def test_bad_debt_is_the_closed_form_without_impact():
    book, q, e, c = isolated_book()
    d = book.cascade_monte_carlo(0, 100.0, 0.05, runs=300, alpha=0.95, seed=2024)
    assert d["accounts"] == 500 and d["unconverged_runs"] == 0
    assert d["bad_debt"].shape == (300,) and d["bad_debt"].dtype == np.float64
    # The drawdown is (start - lowest mark) / start, so a drop's shocked price is start (1 - drawdown).
    drops = d["drawdown"] > 0
    assert drops.sum() > 100
    for run in np.flatnonzero(drops):
        p = 100.0 * (1.0 - d["drawdown"][run])
        deficit = np.maximum(0.0, -(c + q * (p - e)))[q > 0]
        # The venue's ledgers count cents: at most one cent of rounding per account in deficit.
        assert d["bad_debt"][run] == pytest.approx(deficit.sum(), abs=0.01 * max(1, np.count_nonzero(deficit))), run
    assert d["bad_debt"].max() > 0


def test_tail_figures_are_historical_simulation_of_the_samples_and_reproducible():
    book, *_ = isolated_book()
    d = book.cascade_monte_carlo(0, 100.0, 0.04, runs=200, alpha=0.95, impact_lambda=0.002, seed=5)
    var, es = mc.historical_var(d["bad_debt"], 0.95)
    assert d["bad_debt_risk"] == {"value_at_risk": var, "expected_shortfall": es}
    assert d["liquidated_risk"]["expected_shortfall"] >= d["liquidated_risk"]["value_at_risk"]
    again = book.cascade_monte_carlo(0, 100.0, 0.04, runs=200, alpha=0.95, impact_lambda=0.002, seed=5)
    np.testing.assert_array_equal(again["bad_debt"], d["bad_debt"])


def test_fully_collateralised_longs_never_leave_bad_debt():
    # 1x longs: equity c + q (P - e) = q P >= 0 at every price, so no bad debt whatever the shock.
    n = 50
    q = np.ones(n)
    book = mc.Book(["BTC"], {"BTC": flat()}, np.zeros(n), np.arange(n), np.zeros(n, dtype=np.int64), q,
                   np.full(n, 100.0), np.ones(n), isolated=np.ones(n, dtype=np.int8), isolated_margin=np.full(n, 100.0))
    d = book.cascade_monte_carlo(0, 100.0, 0.2, runs=100, alpha=0.9, max_drop=0.9, seed=1)
    assert np.all(d["bad_debt"] == 0.0)


def test_cascade_errors():
    book, *_ = isolated_book(10)
    with pytest.raises(ValueError) as e:
        book.cascade_monte_carlo(0, 100.0, 0.04, runs=0)
    assert str(e.value) == "cascade_monte_carlo: runs is 0, but must be >= 1"
    with pytest.raises(ValueError, match="symbol is 3, but must be < 1, the number of symbols"):
        book.cascade_monte_carlo(3, 100.0, 0.04)
    with pytest.raises(ValueError, match="shock_sd is -1"):
        book.cascade_monte_carlo(0, 100.0, -1.0)
