# Reference for tests/calculator/calculator.cpp, "risk policy": normal VaR / ES of the losses of
# a 2-unit linear long at mark 100 under five horizon returns, with Python's statistics module
# (independent of margincall and Boost). Run: python3 tests/reference/calculator_risk.py
# Python 3.11.7 printed: see calculator_risk.out
from statistics import NormalDist, stdev, mean

returns = [-0.02, -0.01, 0.0, 0.01, 0.03]
losses = [-(2 * 100 * r) for r in returns]  # loss = uPnL now - uPnL at mark * (1 + r)
m, s = mean(losses), stdev(losses)          # stdev: divisor n - 1
z = NormalDist().inv_cdf(0.95)
print(repr(m), repr(s), repr(m + s * z), repr(m + s * NormalDist().pdf(z) / 0.05))
