# 90-digit reference values of the normalised Black function
#   b(x, s) = e^(x/2)*Phi(x/s + s/2) - e^(-x/2)*Phi(x/s - s/2)   (a call; P. Jaeckel, "Let's be rational", 2015)
# in its small-t region (t = s/2 < 0.21, h = x/s in [-10, 0]), where normalised_black.hpp sums a
# Taylor series, for tests/options/normalised_black.cpp: out-of-the-money calls (x <= 0).
# t is uniform on (0, 0.21) for two rows in three and log-uniform on
# (2.1e-4, 0.21) for the third; h uniform on [-10, 0]. Every input is a double (printed with repr,
# read back exactly); the value is computed from those exact doubles at 90 significant digits (the
# two legs cancel to about 1e-22 of each other at h = -10) and printed to 20 digits.
# Run: python3 tests/reference/options_normalised_black_small_t_mpmath.py > tests/reference/options_normalised_black_small_t_mpmath.out
# Tools: Python 3.11, mpmath 1.3.0 (Debian 12 package python3-mpmath).
import random

from mpmath import mp, mpf

mp.dps = 90

rng = random.Random(20261201)
print("# x s b(x, s)  (call, normalised Black function; see the script)")
for i in range(1500):
    t = 0.21 * rng.random() if i % 3 else 0.21 * 10.0 ** (-3.0 * rng.random())
    h = -10.0 * rng.random()
    s = 2.0 * t
    x = h * s
    X, S = mpf(x), mpf(s)
    b = mp.exp(X / 2) * mp.ncdf(X / S + S / 2) - mp.exp(-X / 2) * mp.ncdf(X / S - S / 2)
    print(repr(x), repr(s), mp.nstr(b, 20, min_fixed=1, max_fixed=0))
