"""CI's package-consumer check (.ci/run): an outside script imports the installed module.

Usage: PYTHONPATH=PREFIX/lib/python3/dist-packages python3 installed_check.py PREFIX BRACKETS_JSON
"""

import pathlib
import sys

import numpy as np

import margincall as mc

prefix, brackets = pathlib.Path(sys.argv[1]).resolve(), sys.argv[2]
where = pathlib.Path(mc.__file__).resolve()
assert where.is_relative_to(prefix), f"imported {where}, not the installed package under {prefix}"
assert (where.parent / "_margincall.pyi").is_file() and (where.parent / "py.typed").is_file()
btc = mc.load_binance_brackets(brackets)["BTCUSDT"]
# Binance FAQ: level 3 cum = 250,000 x (1 % - 0.5 %) + 50 = 1,300.
assert btc.maintenance_amount(np.array([500000.0]))[0] == 1300.0
print(f"installed margincall module imported from {where.parent}")
