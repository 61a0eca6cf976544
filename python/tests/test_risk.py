"""VaR/ES, GARCH(1,1) and backtests against the reference outputs the C++ tests use:
R 4.2.2 (tests/reference/risk_historical.R, risk_parametric.R, backtest_reference.R) and
fGarch 4022.89 (tests/reference/garch_fgarch.R) on tests/reference/garch_series.csv.
"""

import math
import re

import numpy as np
import pytest

import margincall as mc


def samples():
    # The samples of tests/reference/risk_historical.R, built with the same integer arithmetic.
    i = np.arange(250, dtype=np.int64)
    small = ((i * 37) % 251 - 100).astype(np.float64) ** 3 / 1e4
    i = np.arange(1000, dtype=np.int64)
    ties = ((i * 7919) % 1009 % 50).astype(np.float64) / 4
    i = np.arange(100003, dtype=np.int64)
    heavy = ((i * 7919) % 100003 - 40001).astype(np.float64) ** 3 / 1e9
    return {"small": small, "ties": ties, "heavy": heavy}


def historical_rows(reference_dir):
    rows = []
    for line in (reference_dir / "risk_historical.out").read_text().splitlines():
        m = re.match(r'\{"(\w+)", (-?1), ([^,]+), ([^,]+), ([^,]+), ([^,]+), ([^,]+)\},', line)
        if m:
            rows.append((m[1], int(m[2]), *map(float, m.groups()[2:])))
    return rows


def test_historical_var_and_es_match_r(reference_dir):
    rows = historical_rows(reference_dir)
    assert len(rows) == 36
    data = samples()
    for name, sign, alpha, q1, q6, q7, es in rows:
        losses = sign * data[name]
        for qtype, expected in ((1, q1), (6, q6), (7, q7)):
            var, shortfall = mc.historical_var(losses, alpha, qtype)
            assert var == pytest.approx(expected, rel=1e-12, abs=1e-12), (name, sign, alpha, qtype)
            assert shortfall == pytest.approx(es, rel=1e-12, abs=1e-12), (name, sign, alpha)


def test_normal_tail_risk_matches_r(reference_dir):
    lines = (reference_dir / "risk_parametric.out").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# normal"))
    count = 0
    for line in lines[start + 1:]:
        if not line.startswith("{"):
            break
        mu, sd, alpha, var, es, _ = (float(x) for x in line.strip("{},").split(","))
        assert mc.normal_tail_risk(mu, sd, alpha) == pytest.approx((var, es), rel=1e-13)
        count += 1
    assert count == 3


def test_normal_var_of_a_sample_uses_its_mean_and_sd():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # mean 3, sample sd sqrt(2.5)
    assert mc.normal_var(x, 0.99) == pytest.approx(mc.normal_tail_risk(3.0, math.sqrt(2.5), 0.99), rel=1e-14)


def test_filtered_var_rescales_by_the_volatility_ratio():
    losses = samples()["small"]
    plain = mc.historical_var(losses, 0.99)
    # sigma_now / sigma_t = 2 on every day: every loss doubles, so VaR and ES double.
    assert mc.filtered_var(losses, np.full(losses.size, 0.01), 0.02, 0.99) == pytest.approx(
        (2 * plain[0], 2 * plain[1]), rel=1e-15)
    with pytest.raises(ValueError, match="sigmas"):
        mc.filtered_var(losses, np.ones(3), 0.02, 0.99)


def test_monte_carlo_var_converges_to_the_normal_closed_form(reference_dir):
    # One factor X ~ N(-0.001, 0.02^2), position 1: loss = -X ~ N(0.001, 0.02^2), the first rows of
    # risk_parametric.out (R: VaR_0.99 = 0.0475269..., ES_0.99 = 0.0543042...). 400,000 antithetic
    # scenarios: standard error of VaR about 0.4 % here.
    var, es = mc.monte_carlo_var([1.0], [-0.001], [[0.0004]], 0.99, scenarios=400000, seed=7)
    assert var == pytest.approx(0.047526957480816819, rel=0.02)
    assert es == pytest.approx(0.05430428440691612, rel=0.02)
    with pytest.raises(ValueError, match="the shape of covariance"):
        mc.monte_carlo_var([1.0], [0.0], [[1.0, 0.0]], 0.99)


def garch_series(reference_dir):
    lines = (reference_dir / "garch_series.csv").read_text().split()
    return np.array([float(x) for x in lines[1:]])


def test_garch_fit_matches_fgarch(reference_dir):
    r = garch_series(reference_dir)
    assert r.size == 2000
    fit = mc.fit_garch11(r)
    g = fit["model"]
    # garch_fgarch.out [norm]: omega 1.793510149e-06, alpha1 0.09907293892, beta1 0.8791701336, loglik 6848.734092.
    assert g.omega == pytest.approx(1.793510149e-06, rel=1e-4)
    assert g.alpha == pytest.approx(0.09907293892, rel=1e-5)
    assert g.beta == pytest.approx(0.8791701336, rel=1e-5)
    assert fit["log_likelihood"] == pytest.approx(6848.734092, rel=1e-9)
    assert fit["converged"]
    se = fit["standard_errors"]
    assert se[1] == pytest.approx(0.01384654009, rel=2e-3)
    t = mc.fit_garch11(r, "student_t")["model"]
    assert t.shape == pytest.approx(7.236158465, rel=1e-5)
    with pytest.raises(ValueError, match='innovation is "laplace"'):
        mc.fit_garch11(r, "laplace")


def test_garch_filter_and_forecast(reference_dir):
    r = garch_series(reference_dir)
    g = mc.Garch11(1.793510149e-06, 0.09907293892, 0.8791701336)
    v, nxt = g.filter(r)
    # fGarch's conditional variances sigma2[1:3] and sigma2[n] (garch_fgarch.out).
    np.testing.assert_allclose(v[:3], [7.719347933e-05, 6.988193767e-05, 6.488171336e-05], rtol=1e-7)
    assert v[-1] == pytest.approx(0.0001934179573, rel=1e-6)
    # Forecast by hand: E[s2_T+h] = s2_bar + (a + b)^(h - 1) (s2_T+1 - s2_bar).
    bar = g.omega / (1 - g.alpha - g.beta)
    assert g.forecast_variance(nxt, 10) == pytest.approx(bar + (g.alpha + g.beta) ** 9 * (nxt - bar), rel=1e-13)
    with pytest.raises(ValueError, match="garch11::filter: the size of returns is 0, but must be > 0"):
        g.filter(np.array([]))


def backtest_reference(reference_dir):
    return (reference_dir / "backtest_reference.out").read_text()


def test_kupiec_matches_r(reference_dir):
    rows = re.findall(r"T=(\d+) x=(\d+) alpha=([\d.]+) LR=([\d.e+-]+) p=([\d.e+-]+)", backtest_reference(reference_dir))
    assert len(rows) == 8
    for t, x, alpha, lr, p in rows:
        k = mc.kupiec_test(int(t), int(x), float(alpha))
        assert k["statistic"] == pytest.approx(float(lr), rel=1e-12)
        assert k["p_value"] == pytest.approx(float(p), rel=1e-9)
    with pytest.raises(ValueError) as e:
        mc.kupiec_test(10, 11, 0.99)
    assert str(e.value) == "kupiec_test: exceptions is 11, but must be <= observations (10)"


def test_christoffersen_matches_r(reference_dir):
    m = re.search(r"A: T=250, exceptions at ([\d ]+) \(clustered\).*LR_ind=([\d.e+-]+) p_ind=([\d.e+-]+) "
                  r"LR_cc=([\d.e+-]+)", backtest_reference(reference_dir))
    hits = np.zeros(250, dtype=bool)
    hits[[int(d) - 1 for d in m[1].split()]] = True
    c = mc.christoffersen_test(hits, 0.99)
    assert c["independence"]["statistic"] == pytest.approx(float(m[2]), rel=1e-12)
    assert c["independence"]["p_value"] == pytest.approx(float(m[3]), rel=1e-9)
    assert c["conditional_coverage"]["statistic"] == pytest.approx(float(m[4]), rel=1e-12)
    assert c["exceptions"] == 7


def test_basel_traffic_light_zones():
    # Basel Committee (1996) supervisory framework for backtesting: 250 days at 99 %: green 0-4,
    # yellow 5-9, red 10 or more.
    assert [mc.traffic_light_zone(x) for x in (4, 5, 9, 10)] == ["green", "yellow", "yellow", "red"]
