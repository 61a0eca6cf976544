# 50-digit reference prices and deltas of a realistic equity options book, for
# tests/options/option_batch_accuracy.cpp (the batch pricer's accuracy statement in docs/options.md).
# Book: spot 100, strikes uniform in [50, 150], expiries uniform in [1 week, 2 years], volatilities
# uniform in [10 %, 120 %], rates uniform in [0, 5 %], carry b = r - q with dividend yield q uniform
# in [0, 3 %], calls and puts with equal probability; Python's Mersenne Twister with seed 20261130.
# Every input is a double printed with repr (exact round trip); mpmath converts doubles exactly.
# Generalized Black-Scholes-Merton (Haug 2007, section 1.1.6; delta section 2.1.1):
#   V = w (S e^((b-r)T) N(w d1) - K e^(-rT) N(w d2)),  Delta = w e^((b-r)T) N(w d1),
#   d1 = (ln(S/K) + (b + s^2/2) T) / (s sqrt T),  d2 = d1 - s sqrt T,  N(x) = erfc(-x / sqrt 2) / 2.
# At 50 significant digits the cancellation of the two terms (at most ~1e4 in this book) leaves
# more than 40 correct digits; values are printed to 17 significant digits.
# Run: python3 tests/reference/options_batch_mpmath.py > tests/reference/options_batch_mpmath.out
# Tools: Python 3.11.7, mpmath 1.3.0 (Debian 12 package python3-mpmath).
import random
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 50
COUNT = 20000


def cdf(x):
    return mpmath.erfc(-x / mpmath.sqrt(2)) / 2


def price_delta(w, S, K, T, r, b, v):
    S, K, T, r, b, v = (mpf(a) for a in (S, K, T, r, b, v))
    sd = v * mpmath.sqrt(T)
    d1 = (mpmath.log(S / K) + (b + v * v / 2) * T) / sd
    d2 = d1 - sd
    cf = mpmath.exp((b - r) * T)
    df = mpmath.exp(-r * T)
    price = w * (S * cf * cdf(w * d1) - K * df * cdf(w * d2))
    delta = w * cf * cdf(w * d1)
    return price, delta


def main():
    gen = random.Random(20261130)
    print(f"# python {sys.version.split()[0]} mpmath {mpmath.__version__} dps {mp.dps} seed 20261130")
    print("# type spot strike expiry rate carry volatility price delta")
    for _ in range(COUNT):
        w = 1 if gen.random() < 0.5 else -1
        S = 100.0
        K = 50.0 + 100.0 * gen.random()
        T = 7.0 / 365.0 + (2.0 - 7.0 / 365.0) * gen.random()
        r = 0.05 * gen.random()
        b = r - 0.03 * gen.random()
        v = 0.10 + 1.10 * gen.random()
        price, delta = price_delta(w, S, K, T, r, b, v)
        print(w, repr(S), repr(K), repr(T), repr(r), repr(b), repr(v),
              mpmath.nstr(price, 17, strip_zeros=False, min_fixed=1, max_fixed=0),
              mpmath.nstr(delta, 17, strip_zeros=False, min_fixed=1, max_fixed=0))


if __name__ == "__main__":
    main()
