#!/usr/bin/env bash
# Regenerates include/margincall/margincall.hpp from the headers present, layer by layer.
# io/ is left out: it is the optional part that needs nlohmann-json (include it yourself).
set -euo pipefail
cd "$(dirname "$0")/.."
out=include/margincall/margincall.hpp
{
  echo '#pragma once'
  echo '/// \file'
  echo '/// Umbrella header: the whole library but the optional io/ loaders (which need'
  echo '/// nlohmann-json). Include single components for faster builds.'
  for layer in core contracts tiers margin liquidation options volatility risk stress cascade lending automation calculator; do
    headers=$(cd include && ls margincall/$layer/*.hpp 2>/dev/null | sort || true)
    [ -n "$headers" ] || continue
    echo
    echo "// $layer"
    for h in $headers; do echo "#include <$h>"; done
  done
  if [ -f include/margincall/calculator.hpp ]; then echo; echo '#include <margincall/calculator.hpp>'; fi
} > "$out"
echo "wrote $out"
