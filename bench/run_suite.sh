#!/usr/bin/env bash
# The whole benchmark suite in one run, against the reference loop, printed
# as one table (the one docs/performance.md keeps). Builds nothing.
#
#   bench/run_suite.sh [BUILD_DIR] [--quick]
#
#   BUILD_DIR  default build/release (relative to the current folder, else
#              to the repository root); needs telsim, telsim-reference-loop
#              and telsim-microbench (Google Benchmark)
#   --quick    smaller runs, for trying the script (not for the table)
#
# Sections:
#   1. Erlang loss model: bench/run_bench.sh (telsim and the reference loop
#      on the same ~20M arrivals; arrivals/s ratio; bytes per address at 2M)
#   2. policies-metro.yaml as written (every policy at once) and with every
#      relation set to one policy instance in turn (--set), 50 replications,
#      one thread:
#      events/s (the engine's own count over the process's wall time) and as
#      a fraction of the reference loop's events/s
#   3. hold model, 4-ary heap against ladder queue, at 10^3, 10^5, 10^6
#      pending events (telsim-microbench, exponential increments)
#   4. bytes per subscriber at 10^6 and 10^7 addresses: peak RSS (GNU time)
#      of a 100 s run with that many one-line addresses, minus a 1,000-address
#      run, over the difference in addresses
#   5. scenarios/library/national-busy-hour.yaml, if present: wall time,
#      peak RSS, events/s
#   6. sweep speed-up: `telsim sweep` of erlang-b.yaml over 8 circuit counts
#      with --threads 1, then --threads 2 (ratio of wall times)
#
# Exit status: 0 done (targets reported, not enforced); 2 bad usage or
# something missing; 3 a benchmarked program failed.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)

build_arg=build/release
quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h | --help)
      sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "run_suite.sh: unknown option '$arg' (see --help)" >&2
      exit 2
      ;;
    *) build_arg=$arg ;;
  esac
done

fail() {  # fail CODE MESSAGE...
  local code=$1
  shift
  echo "run_suite.sh: error: $*" >&2
  exit "$code"
}

if [[ -d "$build_arg" ]]; then
  build=$(cd -- "$build_arg" && pwd)
elif [[ "$build_arg" != /* && -d "$repo_root/$build_arg" ]]; then
  build=$(cd -- "$repo_root/$build_arg" && pwd)
else
  fail 2 "build folder '$build_arg' not found; configure and build first"
fi

gnu_time=/usr/bin/time
"$gnu_time" -f '%e' -o /dev/null true 2>/dev/null ||
  fail 2 "GNU time not found at $gnu_time (it measures peak RSS); install it: apt-get install time"
command -v jq >/dev/null || fail 2 "jq not found (it reads the results files); apt-get install jq"

telsim="$build/cli/telsim"
reference="$build/bench/telsim-reference-loop"
microbench="$build/bench/telsim-microbench"
for exe in "$telsim" "$reference" "$microbench"; do
  [[ -x "$exe" ]] || fail 2 "$exe not found; build it (cmake --build '$build' --target $(basename "$exe"))"
done
library="$repo_root/scenarios/library"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/telsim-suite.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

# timed NAME COMMAND...: runs COMMAND under GNU time; sets wall_s, rss_kib.
timed() {
  local name=$1
  shift
  local status=0
  "$gnu_time" -f '%e %M' -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>&1 || status=$?
  if [[ $status != 0 ]]; then
    echo "run_suite.sh: error: '$*' failed with status $status; its last output:" >&2
    tail -n 20 "$tmp/$name.out" >&2
    exit 3
  fi
  read -r wall_s rss_kib < <(tail -n 1 "$tmp/$name.time")
}
calc() { awk "BEGIN { printf \"$1\", ($2) }"; }
say() { echo "running: $*" >&2; }

rows=()  # "figure|value|target" lines of the final table
row() { rows+=("$1|$2|$3"); }
verdict() { if [[ $1 == 1 ]]; then echo "met"; else echo "MISSED"; fi; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 1. Erlang loss model -----------------------------------------------------------------
say "bench/run_bench.sh (Erlang loss, ~20M arrivals; memory at 2M addresses)"
bench_env=()
[[ $quick == 1 ]] && bench_env=(BENCH_SCENARIO="$tmp/erlang-quick.yaml")
if [[ $quick == 1 ]]; then
  sed 's/^duration: .*/duration: 22222.22/' "$library/bench-erlang-loss.yaml" >"$tmp/erlang-quick.yaml"
fi
env "${bench_env[@]}" "$script_dir/run_bench.sh" "$build" >"$tmp/run_bench.out" 2>"$tmp/run_bench.err" ||
  { cat "$tmp/run_bench.err" >&2; fail 3 "run_bench.sh failed"; }
cat "$tmp/run_bench.out" >&2
ratio=$(awk -F': ' '/^ratio telsim\/reference \(arrivals/ { split($2, a, " "); print a[1] }' "$tmp/run_bench.out")
cpu_ratio_line=$(awk -F': ' '/^ratio telsim\/reference by CPU/ { print $2 }' "$tmp/run_bench.out")
bytes_2m=$(awk -F': ' '/^memory per address/ { split($2, a, " "); print a[1] }' "$tmp/run_bench.out")
ref_wall=$(awk '$1 == "reference" && $2 == "loop" { print $3 }' "$tmp/run_bench.out")
ref_events=$(awk '/^reference loop: blocked/ { for (i = 1; i <= NF; ++i) if ($i == "events") print $(i - 1) }' \
  "$tmp/run_bench.out" | tr -d ',')
telsim_wall=$(awk '$1 == "telsim" && $2 == "run" { print $3 }' "$tmp/run_bench.out")
ref_eps=$(calc '%.0f' "$ref_events / $ref_wall")
row "Erlang loss: reference loop events/s (whole process)" "$ref_eps" ""
row "Erlang loss: telsim/reference arrivals/s" "$ratio (telsim ${telsim_wall} s, reference ${ref_wall} s)" \
  ">= 0.67: $(verdict "$(calc '%d' "$ratio >= 0.67")")"
cpu_ratio=${cpu_ratio_line%% *}
row "Erlang loss: telsim/reference by CPU seconds" "$cpu_ratio_line" \
  ">= 0.67: $(verdict "$(calc '%d' "$cpu_ratio >= 0.67")")"

# ---- 2. metro with every policy -------------------------------------------------------------
metro="$library/policies-metro.yaml"
relations=(a-to-b b-to-a a-to-cc b-to-cc office-to-b a-to-a b-to-b)
metro_reps=50
[[ $quick == 1 ]] && metro_reps=2
metro_run() {  # metro_run LABEL [--set ...]...
  local label=$1
  shift
  say "telsim run policies-metro.yaml ($label), $metro_reps replications, 1 thread"
  timed "metro-$label" "$telsim" run "$metro" --quiet --threads 1 --replications "$metro_reps" \
    --out "$tmp/metro-$label.json" "$@"
  local events
  events=$(jq -r '.engine.events' "$tmp/metro-$label.json")
  local eps
  eps=$(calc '%.0f' "$events / ($wall_s > 0 ? $wall_s : 1e-9)")
  row "metro, $label: events/s (whole process, 1 thread)" \
    "$eps ($(calc '%.3f' "$eps / $ref_eps") of reference; $events events, $wall_s s)" ""
}
metro_run "every policy (as written)"
for policy in none retry wait ccbs ccnr barge note; do
  sets=()
  for r in "${relations[@]}"; do sets+=(--set "traffic.$r.completion=$policy"); done
  metro_run "all $policy" "${sets[@]}"
done

# ---- 3. hold model ----------------------------------------------------------------------------
say "telsim-microbench: hold model, heap and ladder"
"$microbench" --benchmark_filter='BM_hold_replace_top<telsim::sim::(QuaternaryHeap|LadderQueue)>/(1000|100000|1000000)$' \
  --benchmark_min_time="$([[ $quick == 1 ]] && echo 0.05 || echo 0.5)" --benchmark_repetitions=3 \
  --benchmark_out="$tmp/hold.json" --benchmark_out_format=json >"$tmp/hold.out" 2>&1 ||
  { tail -n 20 "$tmp/hold.out" >&2; fail 3 "telsim-microbench failed"; }
hold_ns() {  # hold_ns SET N: median ns per hold operation
  jq -r --arg name "BM_hold_replace_top<telsim::sim::$1>/$2_median" \
    '.benchmarks[] | select(.name == $name) | .time_per_hold * 1e9' "$tmp/hold.json"
}
for n in 1000 100000 1000000; do
  heap=$(hold_ns QuaternaryHeap "$n")
  ladder=$(hold_ns LadderQueue "$n")
  speedup=$(calc '%.2f' "$heap / $ladder")
  target=""
  [[ $n != 1000 ]] && target=">= 1.5x: $(verdict "$(calc '%d' "$speedup >= 1.5")")"
  row "hold, $n pending: ns/op heap / ladder" \
    "$(calc '%.1f' "$heap") / $(calc '%.1f' "$ladder") (ladder ${speedup}x faster)" "$target"
done

# ---- 4. bytes per subscriber ------------------------------------------------------------------
write_memory_scenario() {  # COUNT FILE
  cat >"$2" <<EOF
telsim: 1
name: bench-memory-$1
seed: 1
replications: 1
duration: 100
exchanges:
  - name: A
  - name: B
subscribers:
  - {name: homes, exchange: A, count: $1, lines: 1}
  - {name: far, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 100}
routes:
  - {from: A, to: B, via: [[AB]]}
traffic:
  - from: homes
    to: far
    arrivals: {poisson: {rate: 1}}
    holding: {exponential: {mean: 100}}
EOF
}
write_memory_scenario 1000 "$tmp/mem-base.yaml"
say "telsim run on 1,000 addresses (baseline)"
timed mem-base "$telsim" run "$tmp/mem-base.yaml" --quiet --out "$tmp/mem-base.json"
base_rss=$rss_kib
counts=(1000000 10000000)
[[ $quick == 1 ]] && counts=(1000000)
for count in "${counts[@]}"; do
  write_memory_scenario "$count" "$tmp/mem-$count.yaml"
  say "telsim run on $count addresses"
  timed "mem-$count" "$telsim" run "$tmp/mem-$count.yaml" --quiet --out "$tmp/mem-$count.json"
  bytes=$(calc '%.1f' "($rss_kib - $base_rss) * 1024 / ($count - 1000)")
  row "bytes per subscriber at $count addresses" \
    "$bytes (peak RSS $(calc '%.1f' "$rss_kib / 1024") MiB, baseline $(calc '%.1f' "$base_rss / 1024") MiB)" \
    "<= 32: $(verdict "$(calc '%d' "$bytes <= 32")")"
done
row "bytes per address at 2000000 (run_bench.sh)" "$bytes_2m" ""

# ---- 5. the national busy hour -----------------------------------------------------------------
national="$library/national-busy-hour.yaml"
if [[ -f "$national" ]]; then
  say "telsim run national-busy-hour.yaml (as written)"
  timed national "$telsim" run "$national" --quiet --out "$tmp/national.json"
  events=$(jq -r '.engine.events' "$tmp/national.json")
  threads=$(jq -r '.run.threads' "$tmp/national.json")
  peak=$(jq -r '.engine.peak_pending_events' "$tmp/national.json")
  row "national-busy-hour: wall s ($threads threads)" "$wall_s ($events events, peak pending $peak)" \
    "< 60 s: $(verdict "$(calc '%d' "$wall_s < 60")")"
  row "national-busy-hour: peak RSS MiB" "$(calc '%.1f' "$rss_kib / 1024")" \
    "< 1024: $(verdict "$(calc '%d' "$rss_kib < 1048576")")"
else
  echo "skipped: national-busy-hour.yaml not found in scenarios/library (telsim generate makes it)" >&2
  row "national-busy-hour" "skipped: scenarios/library/national-busy-hour.yaml not present" ""
fi

# ---- 6. sweep speed-up ------------------------------------------------------------------------
sweep_vary="trunk_groups.AB.circuits=16:30:8"
sweep_reps=10
[[ $quick == 1 ]] && sweep_reps=2
# Its expect checks are dropped: they are meant for the scenario's own
# circuit count, and a failed check would make `sweep` exit 1.
sed -e "s/^replications: .*/replications: $sweep_reps/" -e '/^expect:/,$d' \
  "$library/erlang-b.yaml" >"$tmp/sweep.yaml"
for t in 1 2; do
  say "telsim sweep erlang-b.yaml --vary $sweep_vary --threads $t"
  timed "sweep-$t" "$telsim" sweep "$tmp/sweep.yaml" --vary "$sweep_vary" --out "$tmp/sweep-$t" --threads "$t"
  declare "sweep_wall_$t=$wall_s"
done
speedup=$(calc '%.2f' "$sweep_wall_1 / ($sweep_wall_2 > 0 ? $sweep_wall_2 : 1e-9)")
row "sweep speed-up 1 -> 2 threads (8 points x $sweep_reps replications)" \
  "$speedup ($sweep_wall_1 s -> $sweep_wall_2 s)" ">= 1.8: $(verdict "$(calc '%d' "$speedup >= 1.8")")"

# ---- the table ----------------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
model=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
echo
echo "telsim benchmark suite, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: ${model:-unknown CPU}, $(nproc) cores; load average before $load_before, after $load_after"
echo "build: $build$([[ $quick == 1 ]] && echo ' (--quick: not for the record)')"
echo
echo "| figure | value | target |"
echo "|---|---|---|"
for r in "${rows[@]}"; do
  IFS='|' read -r figure value target <<<"$r"
  echo "| $figure | $value | $target |"
done
