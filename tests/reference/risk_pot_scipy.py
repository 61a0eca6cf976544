# Second reference for tests/risk/peaks_over_threshold.cpp: SciPy's generic MLE of the GPD.
# Run: /usr/bin/python3 tests/reference/risk_pot_scipy.py > tests/reference/risk_pot_scipy.out
# (Debian python3-scipy; run from the repository root or tests/reference.)
import os
import numpy as np
import scipy
from scipy import optimize, stats

here = os.path.dirname(os.path.abspath(__file__))
x = np.loadtxt(os.path.join(here, "risk_pot_sample.txt"))
print("scipy", scipy.__version__, "numpy", np.__version__)
print("# threshold, Nu, xi, sigma, loglik")
for u in (1.5, 2.0, 2.5):
    y = x[x > u] - u
    xi, loc, sigma = stats.genpareto.fit(y, floc=0, method="MLE",
                                          optimizer=lambda f, x0, args=(), disp=0: optimize.fmin(
                                              f, x0, args=args, disp=disp, xtol=1e-12, ftol=1e-14, maxiter=100000))
    ll = np.sum(stats.genpareto.logpdf(y, xi, loc=0, scale=sigma))
    print("{%s, %d, %.17g, %.17g, %.17g}," % (u, y.size, xi, sigma, ll))
