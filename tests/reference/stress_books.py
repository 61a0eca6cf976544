# Independent reference values for tests/stress/*.cpp: Black-Scholes prices on SciPy's normal CDF
# (scipy.special.ndtr), the volatility-shock formula of docs/stress-testing.md re-implemented here,
# full revaluation of the test books, the Deribit-style portfolio-margin grid, and the filtered
# historical ES of a small book.
# Run: /usr/bin/python3 tests/reference/stress_books.py > tests/reference/stress_books.out
# Tools: Python 3.11.2, SciPy 1.10.1, NumPy 1.24.2 (Debian 12 packages python3-scipy, python3-numpy).
import math
import numpy
import scipy
from scipy.special import ndtr

S0 = 100000.0
YEAR = 365.0


def bs(kind, S, K, T, v, r=0.0, b=0.0):
    """Haug (2007) section 1.1.6, generalized Black-Scholes-Merton."""
    d1 = (math.log(S / K) + (b + 0.5 * v * v) * T) / (v * math.sqrt(T))
    d2 = d1 - v * math.sqrt(T)
    if kind == "call":
        return S * math.exp((b - r) * T) * ndtr(d1) - K * math.exp(-r * T) * ndtr(d2)
    return K * math.exp(-r * T) * ndtr(-d2) - S * math.exp((b - r) * T) * ndtr(-d1)


def shocked_vol(v, K, T, sh, floor=0.01):
    out = v * sh["mult"] + sh["par"] * (sh["tref"] / T) ** sh["pow"] + sh["skew"] * math.log(K / S0)
    return max(out, floor)


# books: options (kind, K, T, qty, vol), linear quantity
BOOKS = {
    "covered_call": ([("call", 110000.0, 30 / YEAR, -1.0, 0.60)], 1.0),
    "short_call": ([("call", 110000.0, 30 / YEAR, -1.0, 0.60)], 0.0),
    "short_straddle": ([("call", 100000.0, 30 / YEAR, -1.0, 0.55), ("put", 100000.0, 30 / YEAR, -1.0, 0.60)], 0.0),
    "covered_call_vault": ([("call", 110000.0, 7 / YEAR, -5.0, 0.50), ("call", 120000.0, 30 / YEAR, -5.0, 0.65)], 10.0),
}


def shock(move=0.0, mult=1.0, par=0.0, pw=0.0, skew=0.0, tref=30 / YEAR):
    return {"move": move, "mult": mult, "par": par, "pow": pw, "skew": skew, "tref": tref}


SCENARIOS = {
    "crash_30_vol_x2": shock(-0.30, 2.0),
    "short_squeeze_rally": shock(0.30, 1.5, skew=0.2),
    "front_end_vol_spike": shock(-0.10, 1.0, par=0.40, pw=0.5),
    "parallel_down_20": shock(0.05, 1.0, par=-0.20),
}


def value(book, sh):
    opts, lin = BOOKS[book]
    S = S0 * (1 + sh["move"])
    total = lin * S
    for kind, K, T, q, v in opts:
        total += q * bs(kind, S, K, T, shocked_vol(v, K, T, sh))
    return total


print("# python", ".".join(map(str, __import__("sys").version_info[:3])), "scipy", scipy.__version__, "numpy", numpy.__version__)
print("# stress P&L: book scenario pnl")
for book in BOOKS:
    for name, sh in SCENARIOS.items():
        print(book, name, repr(value(book, sh) - value(book, shock())))

# Deribit-style grid, default parameters (portfolio_margin.hpp): 9 moves x (up, same, down)
print("# portfolio margin grid: book MM IM worst_move worst_vol")
def pm(book, rng=0.16, b=4, up=0.5, down=0.25, sp=0.3, lp=0.13, mmf=0.8):
    opts, lin = BOOKS[book]
    today = value(book, shock())
    worst, wm, wv = -1e300, None, None
    for k in range(-b, b + 1):
        m = rng * k / b
        for vs in (1, 0, -1):
            S = S0 * (1 + m)
            tot = lin * S
            for kind, K, T, q, v in opts:
                pw = sp if T <= 30 / YEAR else lp
                shift = 0.0 if vs == 0 else (up if vs == 1 else -down) * ((30 / YEAR) / T) ** pw
                tot += q * bs(kind, S, K, T, max(v + shift, 0.01))
            loss = today - tot
            if loss > worst:
                worst, wm, wv = loss, m, vs
    mm = max(worst, 0.0)
    return mm, mm / mmf, wm, wv
for book in BOOKS:
    mm, im, wm, wv = pm(book)
    print(book, repr(mm), repr(im), wm, wv)

# SPAN risk array of the short straddle: PSR 10,000 USD, VSR 0.10, CME's 16 scenarios
print("# span risk array (losses) short_straddle PSR 10000 VSR 0.10")
third = 1.0 / 3.0
scen = [(0, 1, 1), (0, -1, 1), (third, 1, 1), (third, -1, 1), (-third, 1, 1), (-third, -1, 1),
        (2 * third, 1, 1), (2 * third, -1, 1), (-2 * third, 1, 1), (-2 * third, -1, 1),
        (1, 1, 1), (1, -1, 1), (-1, 1, 1), (-1, -1, 1), (2, 0, 0.35), (-2, 0, 0.35)]
arr = []
for f, g, c in scen:
    sh = shock(f * 10000.0 / S0, 1.0, par=g * 0.10)
    arr.append(-(value("short_straddle", sh) - value("short_straddle", shock())) * c)
print(" ".join(repr(x) for x in arr))
print("scan", repr(max(arr)))

# Filtered historical ES: a linear book of 2 BTC at S0, 10 daily log returns, sigmas, sigma_now,
# MPOR 2 days; the Acerbi-Tasche ES at alpha = 0.8 (n(1-alpha) = 2) is the mean of the 2 largest losses.
print("# risk-based: VaR ES (alpha 0.8, type 1) unfiltered, filtered")
r = [0.01, -0.04, 0.02, -0.01, 0.03, -0.06, 0.005, -0.02, 0.015, -0.03]
sig = [0.02, 0.03, 0.02, 0.02, 0.025, 0.04, 0.02, 0.02, 0.02, 0.03]
sig_now = 0.05
for filt in (False, True):
    losses = []
    for t in range(10):
        x = r[t] * (sig_now / sig[t] if filt else 1.0)
        losses.append(2.0 * S0 - 2.0 * S0 * math.exp(x * math.sqrt(2.0)))
    srt = sorted(losses, reverse=True)
    # type-1 VaR at 0.8 with n = 10: the ceil(8)-th order statistic = 8th smallest = 3rd largest
    print(repr(srt[2]), repr((srt[0] + srt[1]) / 2))

# Stress report (tests/stress/stress_test.cpp): accounts with cash, layered margin over the
# default portfolio-margin grid with a 30 % liquidation buffer; the vault's 10 BTC leg exits with
# half spread 0.0005 and impact 0.01 × (|q| f / 100)^0.5; options exit free.
print("# stress report: account scenario pnl exit_cost equity_after mm_after im_after layer (mm_before im_before first)")
def pm_book(opts, lin, S):
    def val(move, vs):
        s = S * (1 + move)
        tot = lin * s
        for kind, K, T, q, v in opts:
            pw = 0.3 if T <= 30 / YEAR else 0.13
            shift = 0.0 if vs == 0 else (0.5 if vs == 1 else -0.25) * ((30 / YEAR) / T) ** pw
            tot += q * bs(kind, s, K, T, max(v + shift, 0.01))
        return tot
    today = val(0, 0)
    worst = max(today - val(0.16 * k / 4, vs) for k in range(-4, 5) for vs in (1, 0, -1))
    mm = max(worst, 0.0)
    return mm, mm / 0.8

def layer(eq, im, mm, buf=0.3):
    if not eq >= mm * (1 - buf):
        return "liquidation"
    if eq < mm:
        return "maintenance_call"
    if eq < im:
        return "initial_call"
    return "none"

ACCOUNTS = {"covered_call_vault": 250000.0, "short_straddle": 38000.0, "short_call": 25000.0, "covered_call": -75000.0}
for acc, cash in ACCOUNTS.items():
    opts, lin = BOOKS[acc]
    today = value(acc, shock())
    mm0, im0 = pm_book(opts, lin, S0)
    print(acc, "before", repr(cash + today), repr(mm0), repr(im0), layer(cash + today, im0, mm0))
    for name, f in (("crash_30_vol_x2", 5.0), ("short_squeeze_rally", 2.0), ("front_end_vol_spike", 1.5), ("parallel_down_20", 1.0)):
        sh = dict(SCENARIOS[name])  # liquidity factors of the test scenarios
        pnl = value(acc, sh) - today
        S1 = S0 * (1 + sh["move"])
        exit_cost = abs(lin * S1) * (0.0005 * f + 0.01 * math.sqrt(abs(lin) * f / 100.0)) if lin else 0.0
        eq1 = cash + today + pnl - exit_cost
        opts1 = [(k, K, T, q, shocked_vol(v, K, T, sh)) for k, K, T, q, v in opts]
        mm1, im1 = pm_book(opts1, lin, S1)
        print(acc, name, repr(pnl), repr(exit_cost), repr(eq1), repr(mm1), repr(im1), layer(eq1, im1, mm1))

# Look-ahead (time decay): SPAN risk array of the short straddle revalued one day ahead
# (T - 1/365), PSR 10000, VSR 0.10; and the 1-day decay P&L of the short call at an unchanged market.
print("# span risk array one day ahead (losses) short_straddle")
arr1 = []
for f, g, c in scen:
    S = S0 * (1 + f * 10000.0 / S0)
    tot = 0.0
    for kind, K, T, q, v in BOOKS["short_straddle"][0]:
        tot += q * bs(kind, S, K, T - 1 / YEAR, v + g * 0.10)
    arr1.append(-(tot - value("short_straddle", shock())) * c)
print(" ".join(repr(x) for x in arr1))
print("time_risk", repr((arr1[0] + arr1[1]) / 2))
print("# one-day decay P&L of the short call")
print(repr(-(bs("call", S0, 110000.0, 29 / YEAR, 0.60) - bs("call", S0, 110000.0, 30 / YEAR, 0.60))))
