#!/usr/bin/env bash
# Installs the independent tools the scripts in tests/reference/ were run with (R with fGarch,
# Python with mpmath and SciPy, QuantLib). Neither the build nor CI needs them: the reference
# outputs are stored beside each script; this is for re-running a script to check a fixture.
set -euo pipefail
packages=(r-base-core r-cran-fgarch python3-mpmath python3-scipy python3-numpy libquantlib0-dev g++)
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "install-reference-tools: all of ${packages[*]} are installed"
