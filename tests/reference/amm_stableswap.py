#!/usr/bin/env python3
"""Independent reference for the StableSwap checks in tests/cascade/amm_impact.cpp: Curve's
get_D / get_y / get_dy Newton iterations replayed with Python ints (18-decimal fixed point,
the stopping rule |x_k - x_(k-1)| <= 1 wei, at most 255 iterations), as written in
curvefi/curve-contract contracts/pools/3pool/StableSwap3Pool.vy, for n = 2 coins of equal
precision (rates 1). Not derived from margincall.

Run: python3 tests/reference/amm_stableswap.py > tests/reference/amm_stableswap.out
(Python 3.11.7; standard library only).
"""
from decimal import Decimal, getcontext

getcontext().prec = 60
N = 2
E18 = 10**18
FEE_DENOMINATOR = 10**10


def get_D(xp, amp):
    S = sum(xp)
    D, Ann = S, amp * N
    for i in range(255):
        D_P = D
        for x in xp:
            D_P = D_P * D // (x * N)
        Dprev = D
        D = (Ann * S + D_P * N) * D // ((Ann - 1) * D + (N + 1) * D_P)
        if abs(D - Dprev) <= 1:
            return D, i + 1
    raise RuntimeError("get_D did not converge")


def get_y(x, D, amp):
    Ann = amp * N
    c = D * D // (x * N)
    c = c * D // (Ann * N)
    b = x + D // Ann
    y = D
    for i in range(255):
        y_prev = y
        y = (y * y + c) // (2 * y + b - D)
        if abs(y - y_prev) <= 1:
            return y, i + 1
    raise RuntimeError("get_y did not converge")


def get_dy(xp, amp, dx, fee):
    D, _ = get_D(xp, amp)
    y, _ = get_y(xp[0] + dx, D, amp)
    dy = xp[1] - y - 1
    return dy - fee * dy // FEE_DENOMINATOR


def show(name, v):
    print(f"{name} {Decimal(v) / E18:.18g}")


for label, (x, y, amp) in {"balanced": (1_000_000, 1_000_000, 100),
                           "skewed": (1_500_000, 500_000, 100),
                           "low_amp": (1_200_000, 800_000, 5)}.items():
    xp = [x * E18, y * E18]
    D, it = get_D(xp, amp)
    show(f"{label}.D", D)
    y_after, _ = get_y(xp[0] + 10_000 * E18, D, amp)  # 10,000 base sold into the pool
    show(f"{label}.y_after_sale", y_after)
    show(f"{label}.dy_sale_fee4bp", get_dy(xp, amp, 10_000 * E18, 4_000_000))
    dx = 10**12  # 1e-6 base: (y - y(x + dx))/dx is the spot price to ~1e-12 (curvature and 1 wei)
    y_spot, _ = get_y(xp[0] + dx, D, amp)
    print(f"{label}.spot {Decimal(xp[1] - y_spot) / Decimal(dx):.15g}")
