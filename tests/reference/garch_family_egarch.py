"""Reference EGARCH(1,1) fits for tests/volatility/garch_family_fit.cpp (fGarch has no EGARCH and
rugarch is not packaged for Debian 12, so this is an independent maximum-likelihood fit with SciPy).

Run from the repository root:
    /usr/bin/python3 tests/reference/garch_family_egarch.py > tests/reference/garch_family_egarch.out

Series: tests/reference/garch_dem2gbp.csv (fGarch's dem2gbp, see garch_family_fgarch.R).
Model (D. B. Nelson, "Conditional heteroskedasticity in asset returns: a new approach",
Econometrica 59 (1991) 347-370, in rugarch's parameterisation):
    e_t = x_t - mu,  z_t = e_t / sigma_t,
    ln sigma2_t = omega + alpha z_{t-1} + gamma (|z_{t-1}| - E|z|) + beta ln sigma2_{t-1},
    ln sigma2_1 = omega + beta ln(mean(e^2))  (one step of the recursion from the sample's mean
    square with the innovation term at its mean 0: the analogue of fGarch's "mci" start).
E|z| = sqrt(2/pi) (normal), 2 sqrt(nu - 2) Gamma((nu+1)/2) / (sqrt(pi) (nu - 1) Gamma(nu/2)) (standardised t),
both computed here by numerical integration (scipy.integrate.quad), not from the closed forms.
Likelihood: scipy.stats.norm / scipy.stats.t (rescaled to unit variance) log densities.
Optimiser: scipy.optimize.minimize, Nelder-Mead then BFGS polish; standard errors: inverse of the
central-difference Hessian of -ln L (four-point formula, as fGarch's hessian = "rcd", steps
1e-4 x max(|parameter|, floor), floor = sd(x) for mu and 0.01 for the others, so that the step of
an estimate near 0, such as mu, stays above the rounding noise of ln L).
Forecast: E_T[sigma2_{T+h}] = exp(omega sum_{j<h-1} beta^j + beta^{h-1} ln sigma2_{T+1})
          prod_{j<h-1} E[exp(beta^j g(z))],  g(z) = alpha z + gamma (|z| - E|z|), by quad (normal only:
the expectation is infinite for Student-t z).
"""
import math
import sys

import numpy as np
import scipy
from scipy import integrate, optimize, stats

x = np.loadtxt("tests/reference/garch_dem2gbp.csv", skiprows=1)
n = len(x)


def std_t(nu):
    return stats.t(df=nu, scale=math.sqrt((nu - 2) / nu))


def abs_mean(nu):
    if nu is None:
        return integrate.quad(lambda z: abs(z) * stats.norm.pdf(z), -np.inf, np.inf)[0]
    d = std_t(nu)
    return 2 * integrate.quad(lambda z: z * d.pdf(z), 0, np.inf)[0]


def filt(p, student):
    mu, omega, alpha, gamma, beta = p[:5]
    nu = p[5] if student else None
    e = x - mu
    ez = abs_mean(nu)
    ls = np.empty(n)
    lv = omega + beta * math.log(np.mean(e * e))
    for t in range(n):
        ls[t] = lv
        z = e[t] / math.exp(0.5 * lv)
        lv = omega + alpha * z + gamma * (abs(z) - ez) + beta * lv
    return e, ls, lv


def loglik(p, student):
    if abs(p[4]) >= 1 or (student and p[5] <= 2.01):
        return -1e10
    e, ls, _ = filt(p, student)
    s = np.exp(0.5 * ls)
    if student:
        return float(np.sum(std_t(p[5]).logpdf(e / s) - np.log(s)))
    return float(np.sum(stats.norm.logpdf(e / s) - np.log(s)))


def hessian(f, p):
    k = len(p)
    floor = np.array([np.std(x)] + [0.01] * (k - 1))
    h = 1e-4 * np.maximum(np.abs(p), floor)
    H = np.empty((k, k))
    f0 = f(p)
    for i in range(k):
        for j in range(i, k):
            if i == j:
                a = p.copy(); a[i] += h[i]
                b = p.copy(); b[i] -= h[i]
                H[i, i] = (f(a) - 2 * f0 + f(b)) / h[i] ** 2
            else:
                pp = p.copy(); pp[i] += h[i]; pp[j] += h[j]
                pm = p.copy(); pm[i] += h[i]; pm[j] -= h[j]
                mp = p.copy(); mp[i] -= h[i]; mp[j] += h[j]
                mm = p.copy(); mm[i] -= h[i]; mm[j] -= h[j]
                H[i, j] = H[j, i] = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * h[i] * h[j])
    return H


print("python", sys.version.split()[0], "numpy", np.__version__, "scipy", scipy.__version__)
print("n =", n)
for student in (False, True):
    names = ["mu", "omega", "alpha", "gamma", "beta"] + (["shape"] if student else [])
    start = np.array([0.0, -0.1, 0.0, 0.2, 0.9] + ([5.0] if student else []))
    f = lambda p: -loglik(p, student)
    r = optimize.minimize(f, start, method="Nelder-Mead",
                          options={"maxiter": 40000, "maxfev": 40000, "xatol": 1e-10, "fatol": 1e-12})
    r = optimize.minimize(f, r.x, method="BFGS", options={"gtol": 1e-8})
    r = optimize.minimize(f, r.x, method="Nelder-Mead",
                          options={"maxiter": 40000, "maxfev": 40000, "xatol": 1e-12, "fatol": 1e-13})
    p = r.x
    se = np.sqrt(np.diag(np.linalg.inv(hessian(f, p))))
    print("\n[egarch-%s]" % ("std" if student else "norm"))
    for nm, v, s in zip(names, p, se):
        print("%s = %.10g  se = %.10g" % (nm, v, s))
    print("loglik = %.10g" % -f(p))
    _, ls, lv = filt(p, student)
    print("sigma[1:2] = %.10g %.10g  sigma[n] = %.10g  next_variance = %.10g" %
          (math.exp(0.5 * ls[0]), math.exp(0.5 * ls[1]), math.exp(0.5 * ls[-1]), math.exp(lv)))
    if not student:
        mu, omega, alpha, gamma, beta = p
        ez = abs_mean(None)
        def m(c):
            # |z| > 40 carries less than 1e-300 of the normal mass.
            g = lambda z: math.exp(c * (alpha * z + gamma * (abs(z) - ez)) - 0.5 * z * z) / math.sqrt(2 * math.pi)
            return sum(integrate.quad(g, a, b, epsabs=0, epsrel=1e-13, limit=200)[0] for a, b in ((-40, 0), (0, 40)))
        fc = []
        for h in range(1, 6):
            logpart = omega * sum(beta ** j for j in range(h - 1)) + beta ** (h - 1) * lv
            fc.append(math.exp(logpart) * math.prod(m(beta ** j) for j in range(h - 1)))
        print("forecast variance:", " ".join("%.12g" % v for v in fc))

# Log-likelihood at fixed parameters (filter check, no optimiser).
for student, p in ((False, [-0.01, -0.1, -0.02, 0.25, 0.95]), (True, [-0.01, -0.1, -0.02, 0.25, 0.95, 5.0])):
    _, ls, lv = filt(np.array(p), student)
    print("\n[fixed egarch-%s%s]\nloglik = %.15g next_variance = %.15g" %
          ("std" if student else "norm", tuple(p), loglik(np.array(p), student), math.exp(lv)))
