#!/usr/bin/python3
"""Reference values for the risk figures of issue #15 (tests/core/distributions.cpp,
tests/risk/edgeworth_modified_es.cpp, tests/risk/backtest_*.cpp, tests/risk/parametric_portfolio.cpp,
tests/risk/weighted_distribution.cpp, tests/risk/peaks_over_threshold.cpp).

Run:  python3 tests/reference/risk_figures.py > tests/reference/risk_figures.out
(Debian 12: python3 3.11.2, python3-scipy 1.10.1, python3-numpy 1.24.2, python3-mpmath 1.2.1; the
versions are printed in the first line of the output.)

Every figure is computed here by a route independent of the C++ code: SciPy's distributions,
numerical integration (scipy.integrate.quad, mpmath.quad) of densities or quantile functions,
finite differences, exact rationals (fractions) -- never the library's closed forms transcribed.
"""
import sys
from fractions import Fraction

import mpmath
import numpy as np
import scipy
from scipy import integrate, stats

mpmath.mp.dps = 40
print(f"# python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {np.__version__}, mpmath {mpmath.__version__}")


def g(x):
    return f"{float(x):.17g}"


# --- 1. distributions: R names qnorm/pnorm/qt/pt/qchisq/pchisq ---------------------------------
print("# distributions: x, Phi(x), 1-Phi(x)  (mpmath, 40 digits)")
for x in [-38.0, -20.0, -5.0, -1.0, 0.0, 0.5, 3.0, 9.0]:
    phi = mpmath.ncdf(x)
    print(f"normal_cdf {g(x)} {g(phi)} {g(1 - phi)}")
print("# p, Phi^-1(p)  (mpmath findroot on ncdf)")
for p in ["1e-300", "1e-10", "0.01", "0.5", "0.975", "0.99"]:
    pm = mpmath.mpf(float(p))  # the double nearest p, as the C++ test passes it
    x = mpmath.findroot(lambda t: mpmath.ncdf(t) - pm, float(stats.norm.ppf(float(p))))
    print(f"normal_quantile {p} {g(x)}")
print("# q, x with P(Z > x) = q")
for q in ["1e-300", "1e-20"]:
    qm = mpmath.mpf(float(q))
    x = mpmath.findroot(lambda t: mpmath.ncdf(-t) - qm, float(stats.norm.isf(float(q))))
    print(f"normal_upper_quantile {q} {g(x)}")
print("# Student-t: nu, x, cdf; nu, p, quantile (mpmath, 40 digits: the regularized incomplete beta)")


def t_cdf_mp(x, nu):
    x, nu = mpmath.mpf(x), mpmath.mpf(nu)
    tail = mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + x * x), regularized=True) / 2
    return 1 - tail if x > 0 else tail


for nu, x in [(3.0, -2.5), (5.0, 1.0), (30.0, 2.0)]:
    print(f"t_cdf {g(nu)} {g(x)} {g(t_cdf_mp(x, nu))}")
for nu, p in [(3.0, "0.99"), (4.5, "0.01"), (10.0, "0.975")]:
    # the quantile of the double nearest p, as the C++ test passes it
    pm = mpmath.mpf(float(p))
    x = mpmath.findroot(lambda t: t_cdf_mp(t, nu) - pm, float(stats.t.ppf(float(p), nu)))
    print(f"t_quantile {g(nu)} {p} {g(x)}")
print("# chi-square: critical values qchisq(level, df) for df 1..10 and levels 0.90 0.95 0.99 0.999 (mpmath, 40 digits)")


def chi2_cdf_mp(x, k):
    return mpmath.gammainc(mpmath.mpf(k) / 2, 0, mpmath.mpf(x) / 2, regularized=True)


def chi2_sf_mp(x, k):
    return mpmath.gammainc(mpmath.mpf(k) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True)


def chi2_quantile_mp(level, k):
    lv = mpmath.mpf(level)  # the double nearest the level, as the C++ test passes it
    return mpmath.findroot(lambda t: chi2_cdf_mp(t, k) - lv, float(stats.chi2.ppf(level, k)))


def chi2_isf_mp(s_, k):
    sv = mpmath.mpf(s_)
    return mpmath.findroot(lambda t: chi2_sf_mp(t, k) - sv, float(stats.chi2.isf(s_, k)))


for df in range(1, 11):
    print("chi2_critical", df, " ".join(g(chi2_quantile_mp(level, df)) for level in [0.90, 0.95, 0.99, 0.999]))
print("# chi-square: df, x, cdf, upper tail, x with upper tail 1e-12 (mpmath)")
for df, x in [(1.0, 3.841458820694124), (2.0, 0.5), (7.5, 30.0)]:
    print(f"chi2_cdf {g(df)} {g(x)} {g(chi2_cdf_mp(x, df))} {g(chi2_sf_mp(x, df))} {g(chi2_isf_mp(1e-12, df))}")
print("# chi-square upper quantiles at significance s = 1 - level (the doubles 0.1, 0.05, 0.01, 0.001), df 1 and 10")
for df in [1, 10]:
    print("chi2_upper", df, " ".join(g(chi2_isf_mp(s_, df)) for s_ in [0.1, 0.05, 0.01, 0.001]))

# --- 2. Boudt-Peterson-Croux modified ES, PerformanceAnalytics ES(method="modified") --------
# Return terms, as PerformanceAnalytics: a = 1 - alpha, z = qnorm(a), S_r, K of returns,
# m2 population variance. h = Cornish-Fisher quantile; the Edgeworth density
# f(x) = phi(x) [1 + S He3/6 + K He4/24 + S^2 He6/72] integrated numerically:
# E = -(1/a) int_{-inf}^h x f(x) dx, mES = -mu - sqrt(m2) * min(-E, h) (operES.CornishFisher).
print("# modified ES (loss terms): mean_L, sd, S_L, K, alpha, VaR, ES, capped(0/1), E_closed_rel_diff")


def he(n, x):
    return [1, x, x * x - 1, x**3 - 3 * x, x**4 - 6 * x * x + 3, x**5 - 10 * x**3 + 15 * x,
            x**6 - 15 * x**4 + 45 * x * x - 15][n]


def modified_es_loss(mean_l, sd, skew_l, k, alpha):
    a = 1 - alpha
    s = -skew_l
    mu_r = -mean_l
    z = stats.norm.ppf(a)
    h = z + (z * z - 1) * s / 6 + (z**3 - 3 * z) * k / 24 - (2 * z**3 - 5 * z) * s * s / 36
    dens = lambda x: stats.norm.pdf(x) * (1 + s * he(3, x) / 6 + k * he(4, x) / 24 + s * s * he(6, x) / 72)
    integral = integrate.quad(lambda x: x * dens(x), -np.inf, h, epsabs=0, epsrel=1e-13, limit=200)[0]
    e = -integral / a
    # PerformanceAnalytics' closed form of the same E, checked against the integral.
    e_closed = stats.norm.pdf(h) * (1 + h**3 * s / 6 + (h**6 - 9 * h**4 + 9 * h * h + 3) * s * s / 72 +
                                    (h**4 - 2 * h * h - 1) * k / 24) / a
    var = -mu_r - sd * h
    es = -mu_r - sd * min(-e, h)
    return var, es, int(-e > h), abs(e_closed - e) / abs(e)


for case in [(0.001, 0.02, 0.5, 3.0, 0.99), (0.0, 1.0, 0.0, 0.0, 0.95), (-0.002, 0.015, -0.8, 2.0, 0.95),
             (0.0005, 0.03, 1.2, 6.0, 0.975), (0.0, 1.0, -1.5, 0.5, 0.99)]:
    var, es, capped, rel = modified_es_loss(*case)
    assert rel < 1e-10, rel
    print("modified_es", " ".join(g(c) for c in case), g(var), g(es), capped, f"{rel:.1e}")

# A sample: returns r_i = sin-based deterministic series; PerformanceAnalytics ES(R = r, p = 0.95).
r = np.array([0.03 * np.sin(1.7 * i) + 0.012 * np.sin(0.31 * i * i) - 0.002 for i in range(1, 201)])
mu = r.mean()
m2 = np.mean((r - mu) ** 2)
skew = np.mean((r - mu) ** 3) / m2**1.5
kurt = np.mean((r - mu) ** 4) / m2**2 - 3
for alpha in [0.95, 0.99]:
    var, es, capped, rel = modified_es_loss(-mu, np.sqrt(m2), -skew, kurt, alpha)
    assert rel < 1e-10
    print(f"modified_es_sample {g(alpha)} {g(var)} {g(es)} {capped}")

# --- 3. Christoffersen transition probabilities (exact rationals) -----------------------------
hits = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0]
n = [[0, 0], [0, 0]]
for t in range(1, len(hits)):
    n[hits[t - 1]][hits[t]] += 1
pi01 = Fraction(n[0][1], n[0][0] + n[0][1])
pi11 = Fraction(n[1][1], n[1][0] + n[1][1])
pi = Fraction(n[0][1] + n[1][1], len(hits) - 1)
print("# christoffersen: hits, n00 n01 n10 n11, pi01, pi11, pi")
print("christoffersen", "".join(map(str, hits)), n[0][0], n[0][1], n[1][0], n[1][1], g(pi01), g(pi11), g(pi))

# --- 4. Basel traffic light for any T and coverage --------------------------------------------
# Zones: first x with binom.cdf(x, T, p) >= 0.95 (yellow) and >= 0.9999 (red).
# Plus factor (yellow): raw = 3 (qnorm(alpha) / qnorm(1 - x/T) - 1), rounded to 2 decimals, then
# down to the 0.05 grid, capped at 1; 0 green, 1 red (the rule that reproduces BCBS Table 2).
print("# basel: T, alpha, yellow_begin, red_begin, then x:plus for each yellow x")
for T, alpha in [(250, 0.99), (500, 0.99), (250, 0.975), (1000, 0.999), (100, 0.95)]:
    p = 1 - alpha
    cdf = lambda x: stats.binom.cdf(x, T, p)
    yb = next(x for x in range(T + 2) if x > T or cdf(x) >= 0.95)
    rb = next(x for x in range(T + 2) if x > T or cdf(x) >= 0.9999)
    plus = []
    for x in range(yb, rb):
        raw = 3 * (stats.norm.ppf(alpha) / stats.norm.ppf(1 - x / T) - 1) if x / T < 0.5 else 99
        hundredths = int(np.floor(round(100 * raw) / 5)) * 5
        plus.append(f"{x}:{min(max(hundredths, 0), 100) / 100:.2f}")
    print("basel", T, g(alpha), yb, rb, " ".join(plus))

# --- 5. Parametric portfolio (Gaussian and Student-t with covariance matched) ----------------
mean = np.array([0.0004, -0.0002, 0.0010])
vol = np.array([0.012, 0.025, 0.040])
corr = np.array([[1.0, 0.3, -0.2], [0.3, 1.0, 0.5], [-0.2, 0.5, 1.0]])
cov = np.outer(vol, vol) * corr
w = np.array([1_000_000.0, -400_000.0, 250_000.0])
alpha, horizon = 0.99, 10.0


def loss_quantile_unit(model, u):
    """Quantile at u of the zero-mean, unit-variance loss."""
    if model == "gaussian":
        return stats.norm.ppf(u)
    nu = model
    return stats.t.ppf(u, nu) * np.sqrt((nu - 2) / nu)


def unit_var_es(model):
    q = loss_quantile_unit(model, alpha)
    # ES = (1/(1-alpha)) int_q^inf x f(x) dx, by quadrature of the density of the unit-variance loss
    if model == "gaussian":
        pdf = stats.norm.pdf
    else:
        s = np.sqrt((model - 2) / model)
        pdf = lambda x: stats.t.pdf(x / s, model) / s
    es = integrate.quad(lambda x: x * pdf(x), q, np.inf, epsabs=0, epsrel=1e-13, limit=400)[0] / (1 - alpha)
    return q, es


def total(model, ww):
    q, es = unit_var_es(model)
    sd = np.sqrt(horizon * ww @ cov @ ww)
    c = -horizon * ww @ mean
    return c + q * sd, c + es * sd


print("# parametric portfolio: mean", list(mean), "vol", list(vol), "corr", corr.tolist(), "w", list(w),
      "alpha", alpha, "horizon", horizon)
for model in ["gaussian", 5.0]:
    name = "gaussian" if model == "gaussian" else f"student_t_{model:g}"
    q, es = unit_var_es(model)
    tv, te = total(model, w)
    print(f"portfolio {name} sigma_p {g(np.sqrt(horizon * w @ cov @ w))} var {g(tv)} es {g(te)}")
    sa = []
    for i in range(3):
        e = np.zeros(3)
        e[i] = w[i]
        sa.append(total(model, e))
    print(f"portfolio {name} standalone_var", " ".join(g(s[0]) for s in sa))
    print(f"portfolio {name} standalone_es", " ".join(g(s[1]) for s in sa))
    print(f"portfolio {name} diversification", g(sum(s[0] for s in sa) - tv), g(sum(s[1] for s in sa) - te))
    # marginals by central finite differences in 40-digit mpmath (step 1e-8), not the analytic gradient
    def total_mp(ww):
        sd = mpmath.sqrt(horizon * sum(ww[i] * mpmath.mpf(cov[i, j]) * ww[j] for i in range(3) for j in range(3)))
        c = -horizon * sum(ww[i] * mpmath.mpf(mean[i]) for i in range(3))
        return c + mpmath.mpf(q) * sd, c + mpmath.mpf(es) * sd

    mv, me = [], []
    step = mpmath.mpf("1e-8")
    for i in range(3):
        up = [mpmath.mpf(x) + (step if j == i else 0) for j, x in enumerate(w)]
        dn = [mpmath.mpf(x) - (step if j == i else 0) for j, x in enumerate(w)]
        tu, td = total_mp(up), total_mp(dn)
        mv.append((tu[0] - td[0]) / (2 * step))
        me.append((tu[1] - td[1]) / (2 * step))
    print(f"portfolio {name} marginal_var", " ".join(g(x) for x in mv))
    print(f"portfolio {name} marginal_es", " ".join(g(x) for x in me))
    inc = []
    for i in range(3):
        rest = w.copy()
        rest[i] = 0
        rv, re = total(model, rest)
        inc.append((tv - rv, te - re))
    print(f"portfolio {name} incremental_var", " ".join(g(x[0]) for x in inc))
    print(f"portfolio {name} incremental_es", " ".join(g(x[1]) for x in inc))
    trade = np.array([0.0, 200_000.0, -50_000.0])
    av, ae = total(model, w + trade)
    print(f"portfolio {name} trade {list(trade)} incremental {g(av - tv)} {g(ae - te)}")

# --- 6. Weighted discrete distribution (exact rationals) --------------------------------------
losses = [Fraction(v) for v in ["3", "-1", "7.5", "2", "7.5", "-4", "10", "0.5"]]
weights = [Fraction(v) for v in ["1", "2", "0.5", "3", "1", "2", "0.25", "1.25"]]
tw = sum(weights)
probs = [x / tw for x in weights]
print("# weighted: losses", [str(v) for v in losses], "weights", [str(v) for v in weights])
for alpha_s in ["0.5", "0.8", "0.9", "0.95", "0.99", "0.75"]:
    a = Fraction(alpha_s)
    # F^{-1}(u) is a step function: ascending losses, each on (F(prev), F(x)]; integrate over [a, 1].
    pairs = sorted(zip(losses, probs))
    merged = []
    for x, pr in pairs:
        if merged and merged[-1][0] == x:
            merged[-1][1] += pr
        else:
            merged.append([x, pr])
    lo = Fraction(0)
    integral = Fraction(0)
    var = None
    for x, pr in merged:
        hi = lo + pr
        overlap = max(Fraction(0), min(hi, Fraction(1)) - max(lo, a))
        integral += overlap * x
        if var is None and hi >= a:
            var = x
        lo = hi
    print(f"weighted {alpha_s} {g(var)} {g(integral / (1 - a))}")

# --- 7. POT from given GPD parameters: scipy genpareto, ES by quadrature of the quantile ------
print("# gpd: threshold, xi, sigma, zeta, alpha, VaR, ES")
for u, xi, sigma, zeta, a in [(0.02, 0.25, 0.01, 0.08, 0.99), (0.02, 0.0, 0.01, 0.08, 0.995),
                              (1.5, -0.2, 0.7, 0.1, 0.999), (100.0, 0.6, 35.0, 0.02, 0.99)]:
    qf = lambda v: u + stats.genpareto.ppf(1 - (1 - v) / zeta, xi, scale=sigma)
    var = qf(a)
    es = integrate.quad(qf, a, 1, epsabs=0, epsrel=1e-12, limit=400)[0] / (1 - a)
    print(f"gpd {g(u)} {g(xi)} {g(sigma)} {g(zeta)} {g(a)} {g(var)} {g(es)}")
