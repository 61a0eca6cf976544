#!/usr/bin/env python3
"""Independent reference for tests/lending/*.cpp: the protocols' integer arithmetic replayed
with Python ints (no floating point), written from the contracts' source, not from margincall.

Sources (read, not copied):
  Aave v3.6   aave-dao/aave-v3-origin: LiquidationLogic.sol, GenericLogic.sol, PercentageMath.sol,
              WadRayMath.sol, MathUtils.sol
  Compound III compound-finance/comet: Comet.sol (isLiquidatable, absorbInternal, quoteCollateral)
  Morpho Blue morpho-org/morpho-blue: Morpho.sol (liquidate), ConstantsLib.sol, MathLib.sol
  Maker dss   makerdao/dss: dog.sol (bark), clip.sol (take), abaci.sol (price curves)

Run: python3 tests/reference/lending_reference.py > tests/reference/lending_reference.out
(Python 3.11.7; standard library only). Amounts are printed in token units with 18 significant
digits (exact decimal expansions of the integers), so the C++ tests compare at 1e-12 relative.
"""
from decimal import Decimal, getcontext

getcontext().prec = 60
WAD = 10**18
RAY = 10**27
PF = 10**4  # PERCENTAGE_FACTOR


def units(x, decimals):
    return Decimal(x) / Decimal(10**decimals)


def out(name, value):
    print(f"{name} {value:.18g}" if isinstance(value, Decimal) else f"{name} {value}")


# ---------------------------------------------------------------- Aave v3.6
def percent_mul_floor(v, p): return v * p // PF
def percent_mul_ceil(v, p): return -(-v * p // PF)
def percent_mul(v, p): return (v * p + PF // 2) // PF
def percent_div_floor(v, p): return v * PF // p
def percent_div_ceil(v, p): return -(-v * PF // p)
def mul_div_ceil(a, b, c): return -(-a * b // c)
def wad_div(a, b): return (a * WAD + b // 2) // b

MIN_BASE = 2000 * 10**8
MIN_LEFTOVER = MIN_BASE // 2


def aave_account_data(reserves, coll, debt, emode=None):
    total_c = total_d = avg_lt = 0
    for name, r in reserves.items():
        if coll.get(name, 0):
            v = coll[name] * r["price"] // 10**r["dec"]
            total_c += v
            lt = emode["lt"] if emode and name in emode["assets"] else r["lt"]
            avg_lt += v * lt
        if debt.get(name, 0):
            total_d += mul_div_ceil(debt[name], r["price"], 10**r["dec"])
    hf = wad_div(avg_lt, total_d) // PF
    return total_c, total_d, hf


def aave_liquidate(reserves, coll, debt, c_name, d_name, debt_to_cover, emode=None):
    total_c, total_d, hf = aave_account_data(reserves, coll, debt, emode)
    assert hf < WAD
    cr, dr = reserves[c_name], reserves[d_name]
    bonus = emode["bonus"] if emode and c_name in emode["assets"] else cr["bonus"]
    cu, du = 10**cr["dec"], 10**dr["dec"]
    owed, held = debt[d_name], coll[c_name]
    debt_base = mul_div_ceil(owed, dr["price"], du)
    coll_base = held * cr["price"] // cu
    max_debt = owed
    if coll_base >= MIN_BASE and debt_base >= MIN_BASE and hf > 95 * WAD // 100:
        half = percent_mul(total_d, 5000)
        if debt_base > half:
            max_debt = half * du // dr["price"]
    actual = min(debt_to_cover, max_debt)
    base_coll = dr["price"] * actual * cu // (cr["price"] * du)
    max_coll = percent_mul_floor(base_coll, bonus)
    if max_coll > held:
        amount = held
        needed = percent_div_ceil(cr["price"] * amount * du // (dr["price"] * cu), bonus)
    else:
        amount = max_coll
        needed = actual
    fee = 0
    if cr["fee"]:
        bonus_coll = amount - percent_div_floor(amount, bonus)
        fee = percent_mul_ceil(bonus_coll, cr["fee"])
        amount -= fee
    allowed = True
    if needed < owed and amount + fee < held:
        allowed = (mul_div_ceil(owed - needed, dr["price"], du) >= MIN_LEFTOVER and
                   (held - amount - fee) * cr["price"] // cu >= MIN_LEFTOVER)
    return hf, needed, amount, fee, allowed


def aave():
    weth = {"price": 2000 * 10**8, "dec": 18, "lt": 8250, "bonus": 10500, "fee": 1000}
    usdc = {"price": 1 * 10**8, "dec": 6, "lt": 7800, "bonus": 10450, "fee": 1000}
    reserves = {"WETH": weth, "USDC": usdc}
    cases = {
        "partial": ({"WETH": 10 * WAD}, {"USDC": 16800 * 10**6}, 2**255),
        "full": ({"WETH": 10 * WAD}, {"USDC": 18000 * 10**6}, 2**255),
        "dust": ({"WETH": 10 * WAD}, {"USDC": 18000 * 10**6}, 17500 * 10**6),
    }
    for name, (coll, debt, cover) in cases.items():
        hf, needed, amount, fee, allowed = aave_liquidate(reserves, coll, debt, "WETH", "USDC", cover)
        out(f"aave.{name}.hf", units(hf, 18))
        out(f"aave.{name}.repay", units(needed, 6))
        out(f"aave.{name}.seized", units(amount, 18))
        out(f"aave.{name}.fee", units(fee, 18))
        out(f"aave.{name}.allowed", int(allowed))
    # collateral cap: WETH at 1,700
    capped = dict(reserves)
    capped["WETH"] = dict(weth, price=1700 * 10**8)
    hf, needed, amount, fee, allowed = aave_liquidate(capped, {"WETH": 10 * WAD}, {"USDC": 16800 * 10**6}, "WETH", "USDC", 2**255)
    out("aave.capped.hf", units(hf, 18))
    out("aave.capped.repay", units(needed, 6))
    out("aave.capped.seized", units(amount, 18))
    out("aave.capped.fee", units(fee, 18))
    out("aave.capped.bad_debt", units(16800 * 10**6 - needed, 6))
    # e-mode: WETH collateral against wstETH-like debt (both 18 decimals), category LT 93 %, bonus 1 %
    steth = {"price": 1900 * 10**8, "dec": 18, "lt": 7950, "bonus": 10600, "fee": 1000}
    em = {"WETH": dict(weth), "STETH": steth}
    emode = {"lt": 9300, "bonus": 10100, "assets": {"WETH"}}
    coll, debt = {"WETH": 10 * WAD}, {"STETH": 98 * WAD // 10}
    hf, needed, amount, fee, allowed = aave_liquidate(em, coll, debt, "WETH", "STETH", 2**255, emode)
    out("aave.emode.hf", units(hf, 18))
    out("aave.emode.repay", units(needed, 18))
    out("aave.emode.seized", units(amount, 18))
    out("aave.emode.fee", units(fee, 18))


# ---------------------------------------------------------------- Compound III
FACTOR = 10**18


def comet():
    base_scale, weth_scale = 10**6, 10**18
    base_price = 1 * 10**8
    liquidate_cf, liquidation_factor, store_front = 90 * FACTOR // 100, 95 * FACTOR // 100, 50 * FACTOR // 100
    for name, weth_price, debt in (("surplus", 1850, 17000), ("shortfall", 1700, 17000)):
        p = weth_price * 10**8
        principal = -debt * base_scale
        liquidity = principal * base_price // base_scale  # signedMulPrice (exact here)
        value = 10 * WAD * p // weth_scale
        liquidity += value * liquidate_cf // FACTOR
        out(f"comet.{name}.liquidatable", int(liquidity < 0))
        delta_value = value * liquidation_factor // FACTOR
        delta_balance = delta_value * base_scale // base_price
        new_balance = principal + delta_balance
        out(f"comet.{name}.credited", units(delta_balance, 6))
        out(f"comet.{name}.new_balance", units(max(new_balance, 0), 6))
        out(f"comet.{name}.shortfall", units(max(-new_balance, 0), 6))
    # quoteCollateral(WETH, 1,000 USDC) at 1,700
    p = 1700 * 10**8
    discount = store_front * (FACTOR - liquidation_factor) // FACTOR
    discounted = p * (FACTOR - discount) // FACTOR
    q = base_price * (1000 * base_scale) * weth_scale // discounted // base_scale
    out("comet.quote_collateral", units(q, 18))


# ---------------------------------------------------------------- Morpho Blue
def w_mul_down(x, y): return x * y // WAD
def w_div_down(x, y): return x * WAD // y


def morpho():
    cursor, max_lif = 3 * WAD // 10, 115 * WAD // 100
    for lltv_pct in (385, 625, 860, 945):
        lltv = lltv_pct * WAD // 1000
        lif = min(max_lif, w_div_down(WAD, WAD - w_mul_down(cursor, WAD - lltv)))
        out(f"morpho.lif.{lltv_pct}", units(lif, 18))
    lltv = 860 * WAD // 1000
    lif = min(max_lif, w_div_down(WAD, WAD - w_mul_down(cursor, WAD - lltv)))
    oracle_scale = 10**36
    price = 2000 * 10**6 * oracle_scale // 10**18  # 1 WETH (18 dec) in USDC (6 dec), 1e36 scale
    collateral, borrowed = 1 * WAD, 1750 * 10**6
    max_borrow = w_mul_down(collateral * price // oracle_scale, lltv)
    out("morpho.liquidatable", int(max_borrow < borrowed))
    repaid = 1000 * 10**6  # shares = assets (no interest accrued, virtual shares ignored)
    seized = w_mul_down(repaid, lif) * oracle_scale // price
    out("morpho.seized", units(seized, 18))


# ---------------------------------------------------------------- Maker dss
def rmul(x, y): return x * y // RAY


def rpow(x, n, b):
    z = b
    for _ in range(n):
        z = z * x // b
    return z


def maker():
    ink, debt = 10 * WAD, 14000 * 10**45  # RAD
    chop = 113 * WAD // 100
    room = 10000 * 10**45
    rate = RAY
    art = debt // rate
    dart = min(art, room * WAD // rate // chop)
    dink = ink * dart // art
    tab = dart * rate * chop // WAD
    out("maker.partial.lot", units(dink, 18))
    out("maker.partial.debt", units(dart * rate, 45))
    out("maker.partial.tab", units(tab, 45))
    top = rmul(2000 * RAY, 12 * RAY // 10)
    out("maker.top", units(top, 27))
    cut = 99 * RAY // 100
    out("maker.stairstep.900", units(rmul(top, rpow(cut, 900 // 90, RAY)), 27))
    tau = 3600
    out("maker.linear.1800", units(rmul(top, (tau - 1800) * RAY // tau), 27))
    # take(amt = 3 ETH, max = price) from the full auction (tab = 15,820 DAI, lot = 10 ETH) at age 900
    price = rmul(top, rpow(cut, 900 // 90, RAY))
    full_tab = art * rate * chop // WAD
    slice_ = 3 * WAD
    owe = slice_ * price
    out("maker.take.owe", units(owe, 45))
    out("maker.take.tab_left", units(full_tab - owe, 45))


if __name__ == "__main__":
    aave()
    comet()
    morpho()
    maker()
