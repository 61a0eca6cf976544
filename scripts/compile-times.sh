#!/usr/bin/env bash
# Compile time of each example and of each module header (a translation unit that includes only
# <margincall/<layer>.hpp>), one at a time, with the release preset's flags; prints a Markdown
# table (the one in docs/performance.md). Usage: scripts/compile-times.sh [compiler] (default g++).
# Wall-clock seconds: run it on an otherwise idle machine for figures to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
cxx=${1:-g++}
flags=(-std=gnu++20 -O3 -DNDEBUG -march=native -Iinclude -isystem /usr/include/eigen3 -c -o /dev/null)
# The mpi/ layer and the mpi_* examples compile with MPI's flags and margincall::mpi's definition.
mpi_flags=()
if command -v mpicxx > /dev/null; then
  read -ra mpi_flags <<< "$(mpicxx --showme:compile) -DMARGINCALL_HAS_MPI=1"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() {  # seconds <source> [flags]: wall time of one compile, or "fails" (and the compiler's output)
  local start end source=$1
  shift
  start=$(date +%s.%N)
  if ! "$cxx" "${flags[@]}" "$@" "$source" 2> "$work/err"; then
    cat "$work/err" >&2
    echo fails
    return
  fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}
echo "| what | compile time (s, $("$cxx" --version | head -1), -O3) |"
echo "| --- | --- |"
status=0
for header in include/margincall/*.hpp; do
  name=${header#include/}
  printf '#include <%s>\n' "$name" > "$work/unit.cpp"
  if [ "$name" = margincall/mpi.hpp ]; then
    [ ${#mpi_flags[@]} -gt 0 ] || { echo "| \`<$name>\` | skipped (no MPI) |"; continue; }
    t=$(seconds "$work/unit.cpp" "${mpi_flags[@]}")
  else
    t=$(seconds "$work/unit.cpp")
  fi
  [ "$t" = fails ] && status=1
  echo "| \`<$name>\` | $t |"
done
for example in examples/*.cpp; do
  case $(basename "$example") in
    mpi_*)
      [ ${#mpi_flags[@]} -gt 0 ] || { echo "| example \`$(basename "$example" .cpp)\` | skipped (no MPI) |"; continue; }
      t=$(seconds "$example" "${mpi_flags[@]}") ;;
    parallel_*)  # the oneTBB examples (margincall::parallel defines MARGINCALL_HAS_TBB)
      if ! echo '#include <oneapi/tbb/task_arena.h>' | "$cxx" -std=gnu++20 -E -x c++ - > /dev/null 2>&1; then
        echo "| example \`$(basename "$example" .cpp)\` | skipped (no oneTBB) |"; continue
      fi
      t=$(seconds "$example" -DMARGINCALL_HAS_TBB=1) ;;
    *) t=$(seconds "$example") ;;
  esac
  [ "$t" = fails ] && status=1
  echo "| example \`$(basename "$example" .cpp)\` | $t |"
done
exit $status
