#!/usr/bin/env python3
"""Independent reference for tests/liquidation/liquidation_price.cpp.

Binance's USD(S)-M liquidation-price formula, typed from the FAQ's variable list
("How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93), in the text form

  LP = (WB - TMM1 + UPNL1 + cumB + cumL + cumS
        - Side1BOTH*Position1BOTH*EP1BOTH - Position1LONG*EP1LONG + Position1SHORT*EP1SHORT)
     / (Position1BOTH*MMR_B + Position1LONG*MMR_L + Position1SHORT*MMR_S
        - Side1BOTH*Position1BOTH - Position1LONG + Position1SHORT)

with the FAQ's instruction applied literally: start from the brackets of the current
position notional; if the notional *at LP* falls in another bracket, substitute that
bracket's MMR and cum and recompute, until the brackets no longer change.
The bracket table is Binance BTCUSDT as returned by GET /fapi/v1/leverageBracket
(notionalFloor, maintMarginRatio, cum; table in the notes, section 1.2).
The COIN-M cases use the same iteration on the inverse formula (derived from equity = MM
with inverse PnL; COIN-M FAQ https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46):
  LP = CM*(B*MMR_B + L*MMR_L + S*MMR_S + SideB*B + L - S)
     / (WB - TMM1 + UPNL1 + cumB + cumL + cumS + CM*(SideB*B/EPB + L/EPL - S/EPS))
This script shares no code with margincall. Run: python3 liquidation_binance.py
Tool: CPython 3 (any version >= 3.6; printed with repr, 17 significant digits).
"""

BTCUSDT = [  # (floor, MMR, cum) -- Binance BTCUSDT leverage brackets
    (0, 0.004, 0), (50_000, 0.005, 50), (250_000, 0.01, 1_300), (3_000_000, 0.025, 46_300),
    (20_000_000, 0.05, 546_300), (40_000_000, 0.1, 2_546_300), (100_000_000, 0.125, 5_046_300),
    (120_000_000, 0.15, 8_046_300), (200_000_000, 0.25, 28_046_300), (300_000_000, 0.5, 103_046_300),
]
# COIN-M style table in BTC (floors in BTC of notional), cum by the FAQ recursion:
# Binance's published BTCUSD levels 4-5: 2.5 % and 5 % with level-5 floor 50 BTC and cum 0.56 -> 1.81.
BTCUSD = [(0, 0.004, 0.0), (5, 0.005, 0.005), (10, 0.01, 0.055), (20, 0.025, 0.355), (50, 0.05, 1.605),
          (100, 0.1, 6.605), (200, 0.125, 11.605), (400, 0.15, 21.605)]


def bracket(table, notional):
    i = 0
    for k, (floor, _, _) in enumerate(table):
        if notional >= floor:
            i = k
    return i


def usdm(wb, tmm, upnl, both=(0, 0, 1), long=(0, 0), short=(0, 0), table=BTCUSDT):
    """both=(size, entry, side), long=(size, entry), short=(size, entry); sizes absolute."""
    (b, epb, sb), (l, epl), (s, eps) = both, long, short
    tb, tl, ts = bracket(table, b * epb), bracket(table, l * epl), bracket(table, s * eps)
    for _ in range(50):
        mb, cb = table[tb][1], table[tb][2]
        ml, cl = table[tl][1], table[tl][2]
        ms, cs = table[ts][1], table[ts][2]
        lp = ((wb - tmm + upnl + cb + cl + cs - sb * b * epb - l * epl + s * eps)
              / (b * mb + l * ml + s * ms - sb * b + -l + s))
        nb, nl, ns = bracket(table, b * lp), bracket(table, l * lp), bracket(table, s * lp)
        if (nb, nl, ns) == (tb, tl, ts):
            return lp, tb, tl, ts
        tb, tl, ts = nb, nl, ns
    raise RuntimeError("no tier-consistent LP")


def coinm(wb, tmm, upnl, cm, both=(0, 1, 1), long=(0, 1), short=(0, 1), table=BTCUSD):
    (b, epb, sb), (l, epl), (s, eps) = both, long, short
    tb, tl, ts = bracket(table, b * cm / epb), bracket(table, l * cm / epl), bracket(table, s * cm / eps)
    for _ in range(50):
        mb, cb = table[tb][1], table[tb][2]
        ml, cl = table[tl][1], table[tl][2]
        ms, cs = table[ts][1], table[ts][2]
        lp = (cm * (b * mb + l * ml + s * ms + sb * b + l - s)
              / (wb - tmm + upnl + cb + cl + cs + cm * (sb * b / epb + l / epl - s / eps)))
        nb, nl, ns = bracket(table, b * cm / lp), bracket(table, l * cm / lp), bracket(table, s * cm / lp)
        if (nb, nl, ns) == (tb, tl, ts):
            return lp, tb, tl, ts
        tb, tl, ts = nb, nl, ns
    raise RuntimeError("no tier-consistent LP")


cases = {
    # name: (result tuple)
    "usdm_cross_long": usdm(10_000, 500, -1_000, both=(20, 30_000, 1)),
    "usdm_cross_short": usdm(200_000, 1_000, 2_000, both=(50, 30_000, -1)),
    "usdm_isolated_long_tier_walk": usdm(40_000, 0, 0, both=(100, 30_000, 1)),
    "usdm_top_tier_long": usdm(150_000_000, 0, 0, both=(9_000, 40_000, 1)),
    "usdm_top_tier_short": usdm(200_000_000, 0, 0, both=(9_000, 40_000, -1)),
    "usdm_hedge_net_long": usdm(20_000, 0, 0, long=(10, 30_000), short=(4, 32_000)),
    "usdm_hedge_net_short": usdm(30_000, 300, 500, long=(3, 29_000), short=(9, 30_500)),
    "coinm_isolated_long": coinm(10.0, 0, 0, 100, both=(30_000, 40_000, 1)),
    "coinm_cross_short": coinm(20.0, 0.1, -0.2, 100, both=(60_000, 40_000, -1)),
    "coinm_hedge_net_long": coinm(15.0, 0, 0, 100, long=(50_000, 40_000), short=(20_000, 42_000)),
}
for name, (lp, tb, tl, ts) in cases.items():
    print(f"{name}: LP={lp!r} tierB={tb} tierL={tl} tierS={ts}")
