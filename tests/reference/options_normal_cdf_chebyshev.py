# Chebyshev coefficients of the fast normal CDF in include/margincall/options/normal_cdf.hpp.
# Run: python3 tests/reference/options_normal_cdf_chebyshev.py > tests/reference/options_normal_cdf_chebyshev.out
# Tool: Python 3.11.2, mpmath 1.2.1 (Debian 12 python3-mpmath), 50 significant digits (the power
# basis block: Python 3.11.7, mpmath 1.3.0; the Chebyshev block is unchanged under 1.3.0).
#
# For y >= 0 the upper normal tail is written Q(y) = Phi(-y) = t * exp(-y^2/2 + P(t)) with
# t = c/(c+y), c = 3.5, so t runs over (0, 1] as y runs over [0, inf). P is smooth on [0, 1]
# (P(0) = -log(sqrt(2 pi) c), the Mills-ratio limit) and is expanded in Chebyshev polynomials
# of s = 2t - 1 = (c - y)/(c + y) (the construction of Numerical Recipes 3rd ed. section 6.2.2,
# "erfccheb", refitted here for the normal tail and a different c). The coefficients are the
# Chebyshev interpolant at 64 first-kind nodes; the series is cut where the sum of the absolute
# values of the dropped coefficients is below 1e-16.
#
# Second block: the same polynomial in the power basis, P = sum_j m_j s^j, for evaluation by
# Horner's rule (one FMA per degree; Clenshaw costs two dependent operations per degree). The
# conversion is exact at 50 digits (T_k expanded by T_{k+1} = 2s T_k - T_{k-1}); the basis is
# well conditioned on [-1, 1] here (sum |m_j| = 2.5 against |P| >= 0.8), so Horner's rounding
# error stays within a few units of 2^-53.
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

T = [[mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]]
for k in range(2, n):
    up = [mp.mpf(0)] + [2 * x for x in T[k - 1]]
    down = T[k - 2] + [mp.mpf(0)] * (len(up) - len(T[k - 2]))
    T.append([a - b for a, b in zip(up, down)])
power = [mp.fsum(coef[k] * T[k][j] for k in range(j, n) if j < len(T[k])) for j in range(n)]
print("# power basis in s, degree", n - 1, "sum |m_j| =", mp.nstr(mp.fsum(abs(x) for x in power), 3))
for j in range(n):
    print(mp.nstr(power[j], 20, min_fixed=0, max_fixed=0))
