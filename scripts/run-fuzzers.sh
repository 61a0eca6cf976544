#!/usr/bin/env bash
# Builds every libFuzzer target fuzz/fuzz_*.cpp with clang (-fsanitize=fuzzer,address,undefined)
# and runs each for a bounded time: the io/ loaders' on the seed corpus in tests/io/corpus, the
# numerical ones (fuzz_numeric) on fuzz/corpus/<name>.
# Usage: scripts/run-fuzzers.sh [seconds per fuzzer, default 30] [build dir, default build/fuzz]
set -euo pipefail
seconds="${1:-30}"
build="${2:-build/fuzz}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
      -DMARGINCALL_BUILD_TESTS=OFF -DMARGINCALL_BUILD_EXAMPLES=OFF >/dev/null
fuzzers=()
for source in fuzz/fuzz_*.cpp; do fuzzers+=("$(basename "$source" .cpp)"); done
if ! grep -q "MARGINCALL_HAS_LIBFUZZER:INTERNAL=1" "$build/CMakeCache.txt"; then
  echo "run-fuzzers: clang's libFuzzer runtime is missing (Debian: libclang-rt-14-dev)" >&2
  exit 1
fi
cmake --build "$build" --target "${fuzzers[@]}"
status=0
for f in "${fuzzers[@]}"; do
  work="$build/corpus/$f"
  mkdir -p "$work"
  if [ -d "fuzz/corpus/$f" ]; then
    cp "fuzz/corpus/$f"/* "$work/"
  else
    cp tests/io/corpus/* "$work/"
  fi
  echo "== $f: ${seconds}s"
  if ! "$build/$f" "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$build/$f-" -print_final_stats=1 2>"$build/$f.log"; then
    echo "run-fuzzers: $f failed; see $build/$f.log and the artifact $build/$f-*" >&2
    tail -40 "$build/$f.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$f.log" | tail -2
  fi
done
exit $status
