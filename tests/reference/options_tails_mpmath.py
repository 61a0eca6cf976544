# 50-digit reference prices of European options under the generalized Black-Scholes-Merton model
# (Haug 2007, section 1.1.6) for tests/options/black_scholes_tails.cpp: deep out-of-the-money calls
# and puts with prices from about 1e-20 down to about 1e-300, deep in-the-money options, tiny and
# huge total volatility sigma*sqrt(T). Every input is a double (printed with repr, read back
# exactly) and the price is computed from those exact doubles with mpmath at 120 significant digits
# (more than 50 survive the cancellation of the two legs), then printed to 20 digits.
# Run: python3 tests/reference/options_tails_mpmath.py > tests/reference/options_tails_mpmath.out
# Tools: Python 3.11, mpmath 1.3.0 (Debian 12 package python3-mpmath).
import random

import mpmath
from mpmath import mp, mpf

mp.dps = 120


def price(kind, S, K, T, r, b, v):
    S, K, T, r, b, v = (mpf(x) for x in (S, K, T, r, b, v))
    sd = v * mp.sqrt(T)
    d1 = (mp.log(S / K) + b * T) / sd + sd / 2
    d2 = d1 - sd
    F = S * mp.exp(b * T)
    D = mp.exp(-r * T)
    if kind == "call":
        return D * (F * mp.ncdf(d1) - K * mp.ncdf(d2))
    return D * (K * mp.ncdf(-d2) - F * mp.ncdf(-d1))


rng = random.Random(20261130)
rows = []
# Deep out of the money: strike K = S*exp(m) with the volatility chosen so that the price lands
# near a target 10^-e (solved in mpmath, then rounded to a double); calls above, puts below spot.
for e in [20, 40, 60, 80, 100, 150, 200, 250, 280, 300]:
    for m in [0.05, 0.3, 1.0, 3.0]:
        for kind in ["call", "put"]:
            S = 100.0
            K = S * float(mp.exp(m if kind == "call" else -m))
            T = rng.choice([1.0 / 52, 0.25, 1.0, 2.0])
            r, b = rng.choice([(0.0, 0.0), (0.03, 0.01), (0.05, 0.05)])
            target = mpf(10) ** (-e) * (S if kind == "call" else K)
            f = lambda v: mp.log(price(kind, S, K, T, r, b, v)) - mp.log(target)
            try:
                v = float(mp.findroot(f, (mpf("1e-4"), mpf(2)), solver="anderson"))
            except Exception:
                continue
            if not v > 0:
                continue
            p = price(kind, S, K, T, r, b, v)
            if p > mpf("2.2250738585072014e-308"):
                rows.append((kind, S, K, T, r, b, v, p))
# Random out-of-the-money and near-the-money options over wide ranges of moneyness and total
# volatility (tiny to huge sigma*sqrt(T)), both types, with rates and carries.
for _ in range(300):
    kind = rng.choice(["call", "put"])
    S = 100.0
    K = S * float(mp.exp(rng.uniform(-4, 4)))
    T = rng.choice([1.0 / 365, 1.0 / 52, 0.25, 1.0, 5.0])
    v = 10 ** rng.uniform(-3.5, 1.3)
    r = rng.choice([0.0, 0.02, 0.05, -0.01])
    b = rng.choice([0.0, r, r - 0.03])
    p = price(kind, S, K, T, r, b, v)
    if p > mpf("2.2250738585072014e-308"):
        rows.append((kind, S, K, T, r, b, v, p))
# Deep in the money (time value far below the price) and huge total volatility.
for kind, K in [("call", 50.0), ("put", 150.0), ("call", 1.0), ("put", 1e4)]:
    for v in [0.1, 0.5, 2.0, 8.0, 30.0]:
        for T in [1.0 / 52, 1.0, 10.0]:
            rows.append((kind, 100.0, K, T, 0.03, 0.01, v, price(kind, 100.0, K, T, 0.03, 0.01, v)))
print("# type spot strike expiry rate carry volatility price  (mpmath %s, %d digits)" % (mpmath.__version__, mp.dps))
for kind, S, K, T, r, b, v, p in rows:
    print(kind, repr(S), repr(K), repr(T), repr(r), repr(b), repr(v), mpmath.nstr(p, 20, min_fixed=1, max_fixed=0))
