"""Black-Scholes / Black-76 in batch against tests/reference/options_scipy.out (SciPy closed forms,
Haug's and Hull's worked examples), as tests/options/ use it."""

import numpy as np
import pytest

import margincall as mc


def table(reference_dir):
    # First section: name kind S K T r b sigma price delta gamma vega theta rho carry_rho.
    rows = [line.split() for line in (reference_dir / "options_scipy.out").read_text().splitlines()
            if line and not line.startswith("#") and len(line.split()) == 15]
    names = [r[0] for r in rows]
    kind = np.array([mc.CALL if r[1] == "call" else mc.PUT for r in rows], dtype=np.int8)
    x = np.array([[float(v) for v in r[2:]] for r in rows])
    return names, kind, x


def columns(x):
    # S K T r b sigma | price delta gamma vega theta rho carry_rho
    return x[:, 0], x[:, 1], x[:, 2], x[:, 3], x[:, 4], x[:, 5]


def test_price_and_delta_batch_matches_scipy(reference_dir):
    names, kind, x = table(reference_dir)
    assert len(names) >= 18
    price, delta = mc.black_scholes_price_delta(kind, *columns(x))
    # The vectorised kernel (fast exp/log, normal_cdf_fast) agrees to ~1e-13 relative where the price
    # is not a small difference of large terms (docs/options.md); the deep OTM row is an absolute check.
    np.testing.assert_allclose(price, x[:, 6], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(delta, x[:, 7], rtol=1e-9, atol=1e-11)


def test_greeks_batch_matches_scipy(reference_dir):
    _, kind, x = table(reference_dir)
    g = mc.black_scholes_greeks(kind, *columns(x))
    # The SciPy script's rho is at fixed carry (rho_fixed_carry); rho is Hull's and QuantLib's, at fixed q.
    for i, key in enumerate(("price", "delta", "gamma", "vega", "theta", "rho_fixed_carry", "carry_rho")):
        np.testing.assert_allclose(g[key], x[:, 6 + i], rtol=1e-9, atol=1e-12, err_msg=key)
    np.testing.assert_allclose(g["rho"], x[:, 11] + x[:, 12], rtol=1e-9, atol=1e-12)


def test_black76_is_black_scholes_with_zero_carry(reference_dir):
    names, kind, x = table(reference_dir)
    rows = [i for i, n in enumerate(names) if n.startswith("haug_black76")]
    assert len(rows) == 2
    S, K, T, r, _, sigma = (c[rows] for c in columns(x))
    g = mc.black76_greeks(kind[rows], S, K, T, r, sigma)
    # Haug (2007) 1.1.2: F = K = 19, T = 0.75, r = 10 %, sigma = 28 %: call = put = 1.7011.
    np.testing.assert_allclose(g["price"], x[rows, 6], rtol=1e-12)
    np.testing.assert_allclose(g["delta"], x[rows, 7], rtol=1e-12)


def test_implied_volatility_recovers_sigma(reference_dir):
    names, kind, x = table(reference_dir)
    keep = [i for i, n in enumerate(names) if not n.startswith("deep_otm")]
    S, K, T, r, b, sigma = (c[keep] for c in columns(x))
    vol = mc.implied_volatility(kind[keep], S, K, T, r, b, x[keep, 6])
    np.testing.assert_allclose(vol, sigma, rtol=1e-8)


def test_implied_volatility_matches_scipy(reference_dir):
    # Second section: name kind S K T r b price sigma (SciPy's root of the closed form).
    rows = [line.split() for line in (reference_dir / "options_scipy.out").read_text().splitlines()
            if line.startswith("iv_")]
    assert len(rows) == 5
    kind = np.array([mc.CALL if r[1] == "call" else mc.PUT for r in rows], dtype=np.int8)
    x = np.array([[float(v) for v in r[2:]] for r in rows])
    vol = mc.implied_volatility(kind, x[:, 0], x[:, 1], x[:, 2], x[:, 3], x[:, 4], x[:, 5])
    np.testing.assert_allclose(vol, x[:, 6], rtol=1e-9)
    with pytest.raises(ValueError, match="implied_volatility"):
        mc.implied_volatility([1], [100.0], [100.0], [1.0], [0.0], [0.0], [150.0])


def test_bad_batches_name_the_element():
    ones = np.ones(3)
    with pytest.raises(ValueError) as e:
        mc.black_scholes_price_delta([1, 1, 1], ones, np.array([1.0, -1.0, 1.0]), ones, ones * 0, ones * 0, ones)
    assert str(e.value) == "black_scholes_price_delta: strike[1] is -1, but must be finite and > 0"
    with pytest.raises(ValueError) as e:
        mc.black_scholes_price_delta([1, 1], ones, ones, ones, ones, ones, ones)
    assert "the size of kind is 2, but must be 3 (the size of spot)" in str(e.value)
    with pytest.raises(ValueError, match=r"type\[0\] is 0, but must be call \(1\) or put \(-1\)"):
        mc.black_scholes_price_delta([0, 1, 1], ones, ones, ones, ones * 0, ones * 0, ones)
    assert mc.option_kind("put") == -1


def test_price_delta_into_caller_owned_arrays(reference_dir):
    _, kind, x = table(reference_dir)
    n = len(kind)
    price, delta = np.full(n, np.nan), np.full(n, np.nan)
    p, d = mc.black_scholes_price_delta(kind, *columns(x), price_out=price, delta_out=delta)
    assert p is price and d is delta  # written in place, no copy
    fresh = mc.black_scholes_price_delta(kind, *columns(x))
    np.testing.assert_array_equal(price, fresh[0])
    np.testing.assert_array_equal(delta, fresh[1])
    S = np.array(x[:, 0])
    with pytest.raises(ValueError, match="an output array is overlapping an input, but must be a separate array"):
        mc.black_scholes_price_delta(kind, S, x[:, 1], x[:, 2], x[:, 3], x[:, 4], x[:, 5], price_out=S, delta_out=delta)
    with pytest.raises(ValueError, match="delta_out is overlapping price_out"):
        mc.black_scholes_price_delta(kind, *columns(x), price_out=price, delta_out=price)
    with pytest.raises(ValueError, match=r"the size of price is 3, but must be \d+ \(the size of spot\)"):
        mc.black_scholes_price_delta(kind, *columns(x), price_out=np.empty(3), delta_out=delta)
    with pytest.raises(TypeError):  # float32 would need a copy: refused rather than written to a temporary
        mc.black_scholes_price_delta(kind, *columns(x), price_out=np.empty(n, dtype=np.float32), delta_out=delta)
    frozen = np.empty(n)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="not writeable"):
        mc.black_scholes_price_delta(kind, *columns(x), price_out=frozen, delta_out=delta)


def test_span_short_straddle_matches_scipy(reference_dir):
    # tests/reference/stress_books.out via tests/stress/span_margin.cpp: short straddle at 100,000
    # (call vol 55 %, put vol 60 %, 30 days), PSR 10,000, VSR 10 vol points.
    expected = [2278.2682647307956, -2280.9615643451543, 2759.2433575812684, -1781.2316973388006, 2252.926460225688,
                -2132.434400182341, 3667.9764023790412, -681.5150270881204, 2699.435882780039, -1323.3958001870233,
                4968.199500638286, 944.782688584568, 3619.5929396633146, 116.44157635465672, 3260.097487954951,
                2822.347547899955]
    r = mc.span_requirement(100000.0, [mc.CALL, mc.PUT], [100000.0, 100000.0], [30 / 365.0, 30 / 365.0], [-1.0, -1.0],
                            [0.55, 0.60], 10000.0, 0.10)
    np.testing.assert_allclose(r["risk_array"], expected, rtol=1e-9)
    assert r["scanning_risk"] == pytest.approx(4968.199500638286, rel=1e-9)
    assert r["requirement"] == pytest.approx(4968.199500638286, rel=1e-9)
    assert r["time_risk"] == pytest.approx((2278.2682647307956 - 2280.9615643451543) / 2, rel=1e-6)


def test_span_futures_row_is_mcmillans():
    # McMillan: one S&P 500 future (500 USD per point) at 400, PSR 20 points: losses are -(f x 10,000),
    # scenario 15 (2 ranges up, 35 % covered) exactly -7,000; the short option minimum floors the requirement.
    r = mc.span_requirement(400.0, [], [], [], [], [], 20.0, 0.0, linear_quantity=[1.0], linear_multiplier=[500.0],
                            short_option_minimum=100.0)
    assert r["risk_array"][14] == pytest.approx(-7000.0, abs=1e-9)
    assert r["risk_array"][2] == pytest.approx(-10000.0 / 3, rel=1e-12)
    assert r["scanning_risk"] == pytest.approx(10000.0, rel=1e-12)
    with pytest.raises(ValueError) as e:
        mc.span_requirement(400.0, [], [], [], [], [], -1.0, 0.0)
    assert str(e.value) == "span_risk_array: price_scan_range is -1, but must be finite and > 0"


def test_portfolio_margin_matches_scipy_full_revaluation():
    # tests/reference/stress_books.out, "# portfolio margin grid" (SciPy 1.10.1), as tests/stress/portfolio_margin.cpp:
    # short straddle MM 16,295.05, IM = MM / 0.8, worst point +16 % with vol up; covered call (long 1 linear) -16 %.
    r = mc.portfolio_margin(100000.0, [mc.CALL, mc.PUT], [100000.0, 100000.0], [30 / 365.0, 30 / 365.0], [-1.0, -1.0],
                            [0.55, 0.60])
    assert r["maintenance_margin"] == pytest.approx(16295.046500357435, rel=1e-10)
    assert r["initial_margin"] == pytest.approx(20368.808125446794, rel=1e-10)
    assert r["spot_move"][r["worst"]] == pytest.approx(0.16, abs=1e-12) and r["vol"][r["worst"]] == 1
    assert r["loss"].shape == (27,)
    c = mc.portfolio_margin(100000.0, [mc.CALL], [110000.0], [30 / 365.0], [-1.0], [0.60], linear_quantity=[1.0])
    assert c["maintenance_margin"] == pytest.approx(16008.335172487961, rel=1e-10)
    assert c["spot_move"][c["worst"]] == pytest.approx(-0.16, abs=1e-12)
    with pytest.raises(ValueError, match="portfolio_margin: mm_factor is 0"):
        mc.portfolio_margin(100000.0, [mc.CALL], [110000.0], [0.1], [-1.0], [0.6], mm_factor=0.0)
