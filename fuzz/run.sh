#!/usr/bin/env bash
# Runs fuzz targets built by fuzz/build.sh, each for SECONDS, and prints one line per target:
# executions, time, executions/s, corpus size and findings.
#
#   fuzz/run.sh [-j JOBS] SECONDS [NAME...]     (no NAME: every target in build-fuzz/fuzz)
#
# Each target starts from its committed seeds (fuzz/corpus/NAME, read only) plus what earlier
# runs found (build-fuzz/fuzz-work/NAME, where new inputs go). A crash, leak, timeout (10 s for
# one input) or out-of-memory (2 GB) is written to build-fuzz/fuzz-findings/NAME/ and counted;
# the exit code is the number of targets with findings. Logs: build-fuzz/fuzz-logs/NAME.log.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=1
if [ "${1:-}" = "-j" ]; then jobs=$2; shift 2; fi
seconds=${1:?usage: fuzz/run.sh [-j JOBS] SECONDS [NAME...]}
shift
bin=build-fuzz/fuzz
if [ $# -eq 0 ]; then
  set -- $(find "$bin" -maxdepth 1 -type f -executable -printf '%f\n' | sort)
fi
[ $# -gt 0 ] || { echo "no fuzz targets in $bin: run fuzz/build.sh first" >&2; exit 2; }

run_one() {
  local name=$1 work=build-fuzz/fuzz-work/$1 found=build-fuzz/fuzz-findings/$1/
  local log=build-fuzz/fuzz-logs/$1.log
  mkdir -p "$work" "$found" build-fuzz/fuzz-logs
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$found" \
    "$work" "fuzz/corpus/$name" >"$log" 2>&1 || true
  local runs secs findings corpus
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  findings=$(find "$found" -type f | wc -l)
  corpus=$(find "$work" "fuzz/corpus/$name" -type f | wc -l)
  printf '%-20s %12s execs %6s s %9s/s  corpus %6s  findings %s\n' "$name" "${runs:-?}" \
    "${secs:-?}" "$([ -n "${secs:-}" ] && [ "${secs}" -gt 0 ] && echo $((runs / secs)) || echo ?)" \
    "$corpus" "$findings"
  [ "$findings" -eq 0 ]
}

failed=0
pids=()
for name in "$@"; do
  run_one "$name" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=$((failed + 1))
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
exit "$failed"
