# Chebyshev coefficients of the fast normal CDF in include/margincall/options/normal_cdf.hpp.
# Run: python3 tests/reference/options_normal_cdf_chebyshev.py > tests/reference/options_normal_cdf_chebyshev.out
# Tool: Python 3.11.2, mpmath 1.2.1 (Debian 12 python3-mpmath), 50 significant digits.
#
# For y >= 0 the upper normal tail is written Q(y) = Phi(-y) = t * exp(-y^2/2 + P(t)) with
# t = c/(c+y), c = 3.5, so t runs over (0, 1] as y runs over [0, inf). P is smooth on [0, 1]
# (P(0) = -log(sqrt(2 pi) c), the Mills-ratio limit) and is expanded in Chebyshev polynomials
# of s = 2t - 1 = (c - y)/(c + y) (the construction of Numerical Recipes 3rd ed. section 6.2.2,
# "erfccheb", refitted here for the normal tail and a different c). The coefficients are the
# Chebyshev interpolant at 64 first-kind nodes; the series is cut where the sum of the absolute
# values of the dropped coefficients is below 1e-16.
import mpmath as mp

mp.mp.dps = 50
c = mp.mpf("3.5")
N = 64


def P(t):
    if t == 0:
        return -mp.log(mp.sqrt(2 * mp.pi) * c)
    y = c * (1 - t) / t
    return mp.log(mp.ncdf(-y) / t) + y * y / 2


nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / N) for k in range(N)]
values = [P((s + 1) / 2) for s in nodes]
coef = [mp.fsum(values[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / N) for k in range(N)) * 2 / N
        for j in range(N)]
coef[0] /= 2
n = N
while n > 1 and mp.fsum(abs(x) for x in coef[n - 1:]) < mp.mpf("1e-16"):
    n -= 1
print("# mpmath", mp.__version__, "c =", c, "terms =", n,
      "dropped tail sum =", mp.nstr(mp.fsum(abs(x) for x in coef[n:]), 3))
for j in range(n):
    print(mp.nstr(coef[j], 20, min_fixed=0, max_fixed=0))
