# Independent reference values for tests/options/*.cpp: the textbook formulas re-implemented in
# Python on SciPy's normal distribution (scipy.special.ndtr), implied volatilities with
# scipy.optimize.brentq at xtol = 1e-15.
# Run: python3 tests/reference/options_scipy.py > tests/reference/options_scipy.out
# Tools: Python 3.11.2, SciPy 1.10.1, NumPy 1.24.2 (Debian 12 packages python3-scipy, python3-numpy).
import math
import numpy
import scipy
from scipy.optimize import brentq
from scipy.special import ndtr

N = ndtr


def npdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def gbsm(kind, S, K, T, r, b, v):
    """Haug (2007) eq. of section 1.1.6 and the greeks of section 2.1 (theta = -dV/dT)."""
    d1 = (math.log(S / K) + (b + v * v / 2) * T) / (v * math.sqrt(T))
    d2 = d1 - v * math.sqrt(T)
    cf = math.exp((b - r) * T)
    df = math.exp(-r * T)
    if kind == "call":
        price = S * cf * N(d1) - K * df * N(d2)
        delta = cf * N(d1)
        theta = -S * cf * npdf(d1) * v / (2 * math.sqrt(T)) - (b - r) * S * cf * N(d1) - r * K * df * N(d2)
        carry_rho = T * S * cf * N(d1)
    else:
        price = K * df * N(-d2) - S * cf * N(-d1)
        delta = -cf * N(-d1)
        theta = -S * cf * npdf(d1) * v / (2 * math.sqrt(T)) + (b - r) * S * cf * N(-d1) + r * K * df * N(-d2)
        carry_rho = -T * S * cf * N(-d1)
    gamma = cf * npdf(d1) / (S * v * math.sqrt(T))
    vega = S * cf * npdf(d1) * math.sqrt(T)
    rho = -T * price
    return dict(price=price, delta=delta, gamma=gamma, vega=vega, theta=theta, rho=rho, carry_rho=carry_rho)


print("# python", ".".join(map(str, __import__("sys").version_info[:3])), "scipy", scipy.__version__,
      "numpy", numpy.__version__)
cases = [
    # name, kind, S, K, T, r, b, sigma
    ("hull_42_40_call", "call", 42.0, 40.0, 0.5, 0.10, 0.10, 0.20),
    ("hull_42_40_put", "put", 42.0, 40.0, 0.5, 0.10, 0.10, 0.20),
    ("hull_49_50_call", "call", 49.0, 50.0, 20.0 / 52.0, 0.05, 0.05, 0.20),
    ("haug_bs_60_65_call", "call", 60.0, 65.0, 0.25, 0.08, 0.08, 0.30),
    ("haug_merton_put", "put", 100.0, 95.0, 0.5, 0.10, 0.10 - 0.05, 0.20),
    ("haug_black76_call", "call", 19.0, 19.0, 0.75, 0.10, 0.0, 0.28),
    ("haug_black76_put", "put", 19.0, 19.0, 0.75, 0.10, 0.0, 0.28),
    ("haug_gk_call", "call", 1.56, 1.60, 0.5, 0.06, 0.06 - 0.08, 0.12),
    ("haug_delta_fut_call", "call", 105.0, 100.0, 0.5, 0.10, 0.0, 0.36),
    ("haug_delta_fut_put", "put", 105.0, 100.0, 0.5, 0.10, 0.0, 0.36),
    ("haug_gamma", "call", 55.0, 60.0, 0.75, 0.10, 0.10, 0.30),
    ("haug_vega", "call", 55.0, 60.0, 0.75, 0.105, 0.0695, 0.30),
    ("haug_theta_put", "put", 430.0, 405.0, 0.0833, 0.07, 0.02, 0.20),
    ("haug_rho_call", "call", 72.0, 75.0, 1.0, 0.09, 0.09, 0.19),
    ("deep_otm_call", "call", 100.0, 300.0, 0.25, 0.03, 0.01, 0.5),
    ("deep_itm_put", "put", 100.0, 300.0, 0.25, 0.03, 0.01, 0.5),
    ("short_expiry_call", "call", 50000.0, 52000.0, 1.0 / 365.0, 0.0, 0.0, 0.6),
    ("long_expiry_put", "put", 50000.0, 40000.0, 3.0, 0.05, 0.02, 0.9),
]
print("# name kind S K T r b sigma price delta gamma vega theta rho carry_rho")
for name, kind, S, K, T, r, b, v in cases:
    g = gbsm(kind, S, K, T, r, b, v)
    print(name, kind, *[repr(x) for x in (S, K, T, r, b, v)],
          *[repr(g[k]) for k in ("price", "delta", "gamma", "vega", "theta", "rho", "carry_rho")])

# Implied volatility of given prices, by brentq on the scipy price over [1e-6, 10].
print("# implied: name kind S K T r b price sigma")
iv_cases = [
    ("iv_hull_call", "call", 42.0, 40.0, 0.5, 0.10, 0.10, 4.76),
    ("iv_hull_put", "put", 42.0, 40.0, 0.5, 0.10, 0.10, 0.81),
    ("iv_btc_otm_call", "call", 60000.0, 80000.0, 30.0 / 365.0, 0.0, 0.0, 350.0),
    ("iv_btc_itm_put", "put", 60000.0, 80000.0, 30.0 / 365.0, 0.0, 0.0, 20500.0),
    ("iv_fut_put", "put", 19.0, 17.0, 0.75, 0.10, 0.0, 0.72),
]
for name, kind, S, K, T, r, b, price in iv_cases:
    sigma = brentq(lambda s: gbsm(kind, S, K, T, r, b, s)["price"] - price, 1e-6, 10.0, xtol=1e-15, rtol=8.9e-16,
                   maxiter=500)
    print(name, kind, *[repr(x) for x in (S, K, T, r, b, price, sigma)])
