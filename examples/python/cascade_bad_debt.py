#!/usr/bin/env python3
"""Bad debt of a liquidation cascade, from Python.

Loads Binance's BTCUSDT leverage brackets (venue JSON) and an account book (CSV; written first
from a seeded random population of isolated BTCUSDT positions, so the example is self-contained),
runs a Monte Carlo of instant price shocks through the liquidation cascade of the book's isolated
accounts, and plots the distribution of the venue's bad debt with its VaR and ES.

    PYTHONPATH=build/dev/python python3 examples/python/cascade_bad_debt.py --out cascade-out

writes book.csv, bad_debt.csv and bad_debt.png into --out. docs/python.md.
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import margincall as mc  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]


def write_book(path: pathlib.Path, accounts: int, seed: int) -> None:
    """A book of isolated one-way BTCUSDT positions opened at 30,000 with leverage 2x-50x."""
    rng = np.random.default_rng(seed)
    size = np.round(0.01 + 2.0 * rng.random(accounts), 3)
    side = np.where(rng.random(accounts) < 0.65, 1.0, -1.0)  # a long-heavy book
    leverage = np.round(2.0 + 48.0 * rng.random(accounts) ** 2, 1)
    margin = np.round(size * 30000.0 / leverage, 2)
    with path.open("w") as f:
        f.write("account,wallet_balance,symbol,side,quantity,entry_price,leverage,margin_mode,isolated_margin\n")
        for i in range(accounts):
            f.write(f"acct{i},0,BTCUSDT,both,{side[i] * size[i]:.3f},30000,{leverage[i]:.1f},isolated,{margin[i]:.2f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("cascade-bad-debt"))
    parser.add_argument("--brackets", type=pathlib.Path, default=REPO / "tests" / "io" / "corpus" / "binance_usdm.json")
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    schedules = mc.load_binance_brackets(str(args.brackets))
    write_book(args.out / "book.csv", args.accounts, args.seed)
    book = mc.Book.from_csv(str(args.out / "book.csv"), {"BTCUSDT": schedules["BTCUSDT"]})

    # Shocks: relative moves N(0, 3 %) floored at -50 %; each liquidated BTC moves the price by 0.5 USDT.
    alpha = 0.99
    d = book.cascade_monte_carlo(0, 30000.0, 0.03, runs=args.runs, alpha=alpha, impact_lambda=0.5,
                                 insurance_fund=0.0, fee_rate=0.005, seed=args.seed)
    bad_debt = d["bad_debt"]
    var, es = d["bad_debt_risk"]["value_at_risk"], d["bad_debt_risk"]["expected_shortfall"]
    np.savetxt(args.out / "bad_debt.csv", np.column_stack([bad_debt, d["liquidated_notional"], d["drawdown"]]),
               delimiter=",", header="bad_debt,liquidated_notional,drawdown", comments="", fmt="%.10g")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    positive = bad_debt[bad_debt > 0]
    ax.hist(positive, bins=60, color="#4a7ab5")
    ax.axvline(var, color="#d9822b", label=f"VaR {alpha:.0%} = {var:,.0f} USDT")
    ax.axvline(es, color="#b53d3d", linestyle="--", label=f"ES {alpha:.0%} = {es:,.0f} USDT")
    ax.set_xlabel("bad debt per run (USDT)")
    ax.set_ylabel("runs")
    ax.set_title(f"Cascade bad debt: {book.positions} isolated BTCUSDT accounts, {args.runs} shocks "
                 f"({len(positive)} with bad debt)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out / "bad_debt.png", dpi=110)
    print(f"accounts {d['accounts']}, runs {args.runs}, runs with bad debt {len(positive)}, "
          f"VaR {var:.2f}, ES {es:.2f}, unconverged {d['unconverged_runs']}")


if __name__ == "__main__":
    main()
