#!/usr/bin/env python3
"""Overhead of the Python binding on a batch call: black_scholes_price_delta on 10^6 options.

The C++ figure is the same library call timed inside C++ (steady_clock around
margincall::black_scholes_price_delta on preallocated outputs, via the bound helper
_time_black_scholes_price_delta); the Python figures time the bound call from Python
(time.perf_counter), once writing into caller-owned arrays (price_out / delta_out) and once
returning fresh arrays. Each figure is the best of --repeats runs. Build the module in the release
preset first (cmake --build --preset release --target margincall_python), then:

    PYTHONPATH=build/release/python python3 python/benchmarks/overhead.py

docs/python.md quotes the result.
"""

import argparse
import time

import numpy as np

import margincall as mc
from margincall import _margincall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    n = args.size
    rng = np.random.default_rng(1)
    kind = np.where(rng.random(n) < 0.5, 1, -1).astype(np.int8)
    spot = 80.0 + 40.0 * rng.random(n)
    strike = 80.0 + 40.0 * rng.random(n)
    expiry = 0.05 + 2.0 * rng.random(n)
    rate = 0.05 * rng.random(n)
    carry = rate - 0.02 * rng.random(n)
    vol = 0.1 + 0.6 * rng.random(n)
    columns = (kind, spot, strike, expiry, rate, carry, vol)

    price, delta = np.empty(n), np.empty(n)

    # Alternate the three measurements call by call, so that the load of a shared machine falls on
    # them alike, and keep the best of each.
    cpp = py_out = py_fresh = float("inf")
    for _ in range(3 * args.repeats):
        cpp = min(cpp, _margincall._time_black_scholes_price_delta(*columns, 1))
        t0 = time.perf_counter()
        mc.black_scholes_price_delta(*columns, price_out=price, delta_out=delta)
        py_out = min(py_out, time.perf_counter() - t0)
        t0 = time.perf_counter()
        mc.black_scholes_price_delta(*columns)
        py_fresh = min(py_fresh, time.perf_counter() - t0)
    # The binding's fixed cost per call, measured on a one-option batch (load-independent, unlike
    # the difference of two 10^6 timings on a busy machine).
    one = tuple(c[:1].copy() for c in columns)
    p1, d1 = np.empty(1), np.empty(1)
    cpp_one = _margincall._time_black_scholes_price_delta(*one, 20000)
    py_one = float("inf")
    for _ in range(20):
        t0 = time.perf_counter()
        for _ in range(1000):
            mc.black_scholes_price_delta(*one, price_out=p1, delta_out=d1)
        py_one = min(py_one, (time.perf_counter() - t0) / 1000)
    fixed = py_one - cpp_one
    print(f"options: {n}, best of {3 * args.repeats} runs each")
    print(f"binding cost per call (1-option batch): {fixed * 1e6:.2f} us  -> ratio (C++ + cost) / C++ = "
          f"{(cpp + fixed) / cpp:.5f}")
    print(f"C++ call (timed in C++):              {cpp * 1e3:8.3f} ms")
    print(f"Python call, caller-owned outputs:    {py_out * 1e3:8.3f} ms   ratio {py_out / cpp:.3f}")
    print(f"Python call, fresh output arrays:     {py_fresh * 1e3:8.3f} ms   ratio {py_fresh / cpp:.3f}")


if __name__ == "__main__":
    main()
