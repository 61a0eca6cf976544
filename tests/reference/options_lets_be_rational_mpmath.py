# Reference normalised Black prices for tests/options/lets_be_rational.cpp: for each log-moneyness
# x <= 0 and total volatility s (both doubles, printed with repr and read back exactly) the
# out-of-the-money normalised call b(x, s) = e^(x/2) Phi(x/s + s/2) - e^(-x/2) Phi(x/s - s/2)
# (P. Jaeckel, "Let's be rational", Wilmott 2015) at 400 significant digits (the two terms cancel
# to 1e-160 relative at x = -1e-300, s = 1e-160; more than 60 digits survive), printed to 20, and the
# relative condition number kappa = b / (s * db/ds) of s as a function of b, db/ds =
# exp(-(x^2/s^2 + s^2/4)/2)/sqrt(2 pi). The test inverts the double nearest to b and checks s
# within a multiple of eps * (1 + kappa). Rows whose b is below the smallest normal double, or within
# 1e-15 of its supremum e^(x/2), are left out.
# Run: python3 tests/reference/options_lets_be_rational_mpmath.py > tests/reference/options_lets_be_rational_mpmath.out
# Tools: Python 3.11, mpmath 1.3.0 (Debian 12 package python3-mpmath).
import mpmath
from mpmath import mp, mpf

mp.dps = 400


def b(x, s):
    x, s = mpf(x), mpf(s)
    return mp.exp(x / 2) * mp.ncdf(x / s + s / 2) - mp.exp(-x / 2) * mp.ncdf(x / s - s / 2)


def vega(x, s):
    x, s = mpf(x), mpf(s)
    return mp.exp(-(x * x / (s * s) + s * s / 4) / 2) / mp.sqrt(2 * mp.pi)


print("# x s b kappa  (mpmath %s, %d digits)" % (mpmath.__version__, mp.dps))
for x in [0.0, -1e-300, -1e-200, -1e-20, -1e-8, -1e-3, -0.05, -0.3, -1.0, -2.5, -7.0, -10.0, -30.0, -500.0]:
    for s in [1e-160, 1e-101, 1e-12, 1e-4, 1e-3, 0.01, 0.05, 0.2, 0.7, 1.5, 3.0, 5.0, 10.0, 35.0, 39.81]:
        if abs(x / s) > 1e4:  # b < e^(-h^2/2) with |h| > 1e4: far below the smallest double
            continue
        value = b(x, s)
        if value < mpf("2.2250738585072014e-308") or value >= mp.exp(mpf(x) / 2) * (1 - mpf("1e-15")):
            continue
        kappa = value / (mpf(s) * vega(x, s))
        print(repr(x), repr(s), mp.nstr(value, 20), mp.nstr(kappa, 6))
