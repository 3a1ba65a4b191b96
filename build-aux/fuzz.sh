#!/bin/sh
# fuzz.sh: build Ferry's libFuzzer targets with clang in _build-fuzz and run
# each for a while, printing how many inputs each one tried.
#
#   build-aux/fuzz.sh [SECONDS] [TARGET...]     (default 60 s, every target)
#   build-aux/fuzz.sh --runs N [TARGET...]      (N executions each, no time limit)
#
# FUZZ_BUILD names another build directory (default _build-fuzz), so a long
# run can go on in the background while another one runs for CI.
#
# New interesting inputs collect in _build-fuzz/fuzz-corpus/TARGET (the seeds
# in tests/fuzz/corpus/TARGET are only read); a crash leaves its input in
# _build-fuzz/fuzz-artifacts/ and makes the script exit non-zero. Reproduce
# one with: _build-fuzz/tests/fuzz/TARGET _build-fuzz/fuzz-artifacts/FILE
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

cd "$(dirname "$0")/.."
limit="-max_total_time=60"
if [ "${1:-}" = "--runs" ]; then
  limit="-runs=${2:?--runs needs a number}"
  shift 2
elif [ $# -gt 0 ]; then
  limit="-max_total_time=$1"
  shift
fi
build=${FUZZ_BUILD:-_build-fuzz}

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzing=true -Dgui=disabled -Dbuildtype=debugoptimized >/dev/null
fi

if [ $# -gt 0 ]; then
  targets="$*"
else
  # fuzz-replay.c is the plain main() the unit suite uses, not a target.
  targets=$(cd tests/fuzz && ls fuzz-*.c | grep -v '^fuzz-replay\.c$' | sed 's/\.c$//')
fi

# Only the fuzz targets: the rest of the tree needs no clang build.
for t in $targets; do
  [ -f "tests/fuzz/$t.c" ] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
  if ninja -C "$build" -t targets all 2>/dev/null | grep -q "^tests/fuzz/$t:"; then
    built="${built:-} tests/fuzz/$t"
  else
    echo "fuzz.sh: $t is not configured here (missing sources?), skipped" >&2
  fi
done
ninja -C "$build" ${built:-} >/dev/null

mkdir -p "$build/fuzz-artifacts"
status=0
printf '%-20s %12s %10s %8s  %s\n' target executions exec/s corpus result
for path in ${built:-}; do
  t=${path#tests/fuzz/}
  corpus="$build/fuzz-corpus/$t"
  log="$build/fuzz-artifacts/$t.log"
  mkdir -p "$corpus"
  result=ok
  if ! "$build/$path" "$limit" -print_final_stats=1 \
       -artifact_prefix="$build/fuzz-artifacts/$t-" -timeout=10 -rss_limit_mb=2048 \
       "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    result="CRASH (see $log)"
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  units=$(ls "$corpus" | wc -l)
  printf '%-20s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$units" "$result"
done
exit $status
