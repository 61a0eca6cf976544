# Reference values for tests/parallel/philox.cpp, computed outside the library with mpmath at
# 50 digits. Run: /usr/bin/python3 tests/reference/parallel_philox.py > tests/reference/parallel_philox.out
# Inputs: the first two 64-bit draws of philox_streams{0}.stream_for(0), which by the stream
# layout (key = seed, counter = (block, path), low word first) are the words of Random123's
# known-answer vector "philox4x32 10 00000000 x6 -> 6627e8d5 e169c58d bc57ac4c 9b00dbd8".
import sys
from fractions import Fraction
import mpmath
from mpmath import mp, mpf

mp.dps = 50
draws = [0xe169c58d6627e8d5, 0x9b00dbd8bc57ac4c]
print(f"# python {sys.version.split()[0]}, mpmath {mpmath.__version__}, mp.dps = {mp.dps}")
for d in draws:
    k = d >> 12
    u = Fraction(2 * k + 1, 2 ** 53)  # (k + 1/2) 2^-52, exact in a double
    uf = float(u)
    assert Fraction(uf) == u
    um = mpf(u.numerator) / u.denominator
    normal = mp.sqrt(2) * mp.erfinv(2 * um - 1)  # Phi^-1(u)
    # chi-squared, 3 degrees of freedom: x with P(3/2, x/2) = u (regularized lower gamma)
    chi2 = mp.findroot(lambda x: mp.gammainc(mpf(3) / 2, 0, x / 2, regularized=True) - um, 3)
    print(f"draw {d:#018x} uniform {uf.hex()} = {uf!r} normal {mp.nstr(normal, 20)} chi2_nu3 {mp.nstr(chi2, 20)}")
