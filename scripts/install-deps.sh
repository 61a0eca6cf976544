#!/usr/bin/env bash
# Installs the Debian 12 packages margincall needs to build its tests, examples and
# benchmarks, and nothing else. Uses sudo when not run as root.
set -euo pipefail
# nlohmann-json3-dev: the optional io/ loaders; libclang-rt-14-dev: clang's sanitizer/fuzzer runtime.
# gnuplot-nox: the examples draw their charts; python3: extracts the docs snippets CTest compiles.
packages=(cmake ninja-build g++ clang libclang-rt-14-dev libeigen3-dev libboost-math-dev catch2 libbenchmark-dev
          nlohmann-json3-dev gnuplot-nox python3)
# The Python module (python/), its tests (pytest) and its example (matplotlib).
packages+=(python3-dev python3-numpy python3-pybind11 python3-pytest python3-matplotlib)
# Scale-out: oneTBB (the parallel executor), Random123 (Philox streams), Open MPI (margincall::mpi).
packages+=(libtbb-dev librandom123-dev libopenmpi-dev openmpi-bin)
# Vector math for batch option pricing (SLEEF, Highway, xsimd) and QuantLib (the pricing peer benchmark).
packages+=(libsleef-dev libhwy-dev libxsimd-dev libquantlib0-dev)
# --reference-tools: also the independent tools the scripts in tests/reference/ were run with (R
# with fGarch, Python with mpmath and SciPy). Neither the build nor CI needs them: each script's
# output is stored beside it; they are for re-running a script to check its fixture.
if [ "${1:-}" = --reference-tools ]; then
  packages+=(r-base-core r-cran-fgarch python3-mpmath python3-scipy)
elif [ $# -gt 0 ]; then
  echo "usage: scripts/install-deps.sh [--reference-tools]" >&2
  exit 2
fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all of ${packages[*]} are installed"
