#!/usr/bin/env bash
# Builds and runs the kernel benchmarks (Google Benchmark) with repetitions and prints the
# minimum and the median of each. A measurement tool, never a test. See bench/README.md.
#
#   bench/run_kernels.sh [--reps N] [--build-dir DIR] [--out DIR] [--filter REGEX]
#
# Defaults: 10 repetitions, build dir ./build (what quickstart.sh/scripts/build.sh make),
# results JSON in bench/results/. Build type RelWithDebInfo, like scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

reps=10
build_dir=build
out=bench/results
filter=.
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --filter) filter="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "run_kernels.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

benches=(bench/kernels/bench_motion_stages bench/kernels/bench_motion_warp bench/path/bench_path)

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build_dir" --target "${benches[@]##*/}"

mkdir -p "$out"
stamp=$(date +%Y%m%d-%H%M%S)
files=()
for b in "${benches[@]}"; do
  json="$out/kernels-${b##*/}-$stamp.json"
  echo "# running ${b##*/} ($reps repetitions)" >&2
  # Every repetition is kept in the JSON; the summary below computes min and median from them.
  "$build_dir/$b" --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
    --benchmark_display_aggregates_only=true --benchmark_out="$json" \
    --benchmark_out_format=json >/dev/null
  files+=("$json")
done

echo "$(date -Iseconds), $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), $reps repetitions"
/usr/bin/python3 - "${files[@]}" <<'EOF'
import json, statistics, sys
print()
print("| benchmark | wall min | wall median | CPU min | CPU median | unit | counters |")
print("|---|---|---|---|---|---|---|")
lof = None
for path in sys.argv[1:]:
    runs = [b for b in json.load(open(path))["benchmarks"] if b.get("run_type") == "iteration"]
    by_name = {}
    for b in runs:
        by_name.setdefault(b["run_name"], []).append(b)
    for name, reps in by_name.items():
        real = [b["real_time"] for b in reps]
        cpu = [b["cpu_time"] for b in reps]
        unit = reps[0]["time_unit"]
        skip = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads",
                "iterations", "real_time", "cpu_time", "time_unit", "family_index",
                "per_family_instance_index", "items_per_second", "aggregate_name", "aggregate_unit"}
        counters = ", ".join(f"{k} {statistics.median(b[k] for b in reps):.4g}"
                             for k in reps[0] if k not in skip)
        print(f"| {name.replace('/process_time/real_time', '')} | {min(real):.3f} "
              f"| {statistics.median(real):.3f} | {min(cpu):.3f} | {statistics.median(cpu):.3f} "
              f"| {unit} | {counters} |")
        if name.startswith("BM_LocalOutlierFactor/20"):
            scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
            lof = (statistics.median(real) * scale, statistics.median(cpu) * scale)
print("\nCPU is the whole process's (OpenCV's worker threads included); on a shared machine it")
print("is the steadier number, wall time includes waiting for a core.")
if lof is not None:
    print(f"\nLOF on 108,000 rows (k = 20): median wall {lof[0]:.3f} s, CPU {lof[1]:.3f} s "
          f"(target < 1 s: {'met' if lof[0] < 1 else 'NOT met'} on wall, "
          f"{'met' if lof[1] < 1 else 'NOT met'} on CPU)")
EOF
