#!/usr/bin/env bash
# Whole-process benchmark of telsim against the no-framework reference loop,
# plus the per-address memory cost. Builds nothing: point it at a build.
#
#   bench/run_bench.sh [BUILD_DIR] [--reference-only] [--strict]
#
#   BUILD_DIR         default build/release (relative to the current folder,
#                     else to the repository root)
#   --reference-only  run only the reference loop (when telsim is not built)
#   --strict          exit 1 when a target is missed (for CI)
#
# Environment: BENCH_ARRIVALS overrides the number of arrivals given to the
# reference loop (default: read back from telsim's results, else 20000000);
# BENCH_SEED (default 1) seeds the reference loop; BENCH_SCENARIO replaces
# scenarios/library/bench-erlang-loss.yaml.
#
# Timing and memory come from GNU time (`/usr/bin/time -f '%e %M'`: elapsed
# wall seconds and peak resident set size in KiB, from the kernel's rusage of
# the child). Bash's TIMEFORMAT gives no peak RSS, and polling /proc misses
# short peaks, so GNU time is required (Debian package `time`).
#
# Exit status: 0 done (targets reported, not enforced unless --strict);
# 1 a target missed under --strict; 2 bad usage or something missing; 3 a
# benchmarked program failed.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)

build_arg=build/release
reference_only=0
strict=0
for arg in "$@"; do
  case "$arg" in
    --reference-only) reference_only=1 ;;
    --strict) strict=1 ;;
    -h | --help)
      sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "run_bench.sh: unknown option '$arg' (see --help)" >&2
      exit 2
      ;;
    *) build_arg=$arg ;;
  esac
done

fail() {  # fail CODE MESSAGE...
  local code=$1
  shift
  echo "run_bench.sh: error: $*" >&2
  exit "$code"
}

# A relative build folder is looked for here first, then at the repository root.
if [[ -d "$build_arg" ]]; then
  build=$(cd -- "$build_arg" && pwd)
elif [[ "$build_arg" != /* && -d "$repo_root/$build_arg" ]]; then
  build=$(cd -- "$repo_root/$build_arg" && pwd)
else
  fail 2 "build folder '$build_arg' not found; configure and build first, e.g." \
    "cmake --preset release && cmake --build build/release"
fi

gnu_time=/usr/bin/time
if ! "$gnu_time" -f '%e' -o /dev/null true 2>/dev/null; then
  fail 2 "GNU time not found at $gnu_time (it measures peak RSS); install it: apt-get install time"
fi

reference="$build/bench/telsim-reference-loop"
telsim="$build/cli/telsim"
scenario="${BENCH_SCENARIO:-$repo_root/scenarios/library/bench-erlang-loss.yaml}"

[[ -x "$reference" ]] ||
  fail 2 "reference loop not found at $reference; build it: cmake --build '$build' --target telsim-reference-loop"
if [[ $reference_only == 0 ]]; then
  [[ -x "$telsim" ]] ||
    fail 2 "telsim not found at $telsim; build it (cmake --build '$build' --target telsim)" \
      "or pass --reference-only"
  [[ -f "$scenario" ]] || fail 2 "benchmark scenario not found: $scenario"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/telsim-bench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

# timed NAME COMMAND...: runs COMMAND under GNU time, its output to
# $tmp/NAME.out; sets wall_s, rss_kib and cpu_s (user + system seconds). A
# failing command stops the script.
timed() {
  local name=$1
  shift
  local status=0
  "$gnu_time" -f '%e %M %U %S' -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>&1 || status=$?
  if [[ $status != 0 ]]; then
    echo "run_bench.sh: error: '$*' failed with status $status; its last output:" >&2
    tail -n 20 "$tmp/$name.out" >&2
    exit 3
  fi
  # On failure GNU time prepends a "Command exited..." line: the figures are last.
  local user_s sys_s
  read -r wall_s rss_kib user_s sys_s < <(tail -n 1 "$tmp/$name.time")
  cpu_s=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.2f", u + s }')
}

# Numbers: awk, so the script needs no bc.
calc() { awk "BEGIN { printf \"$1\", ($2) }"; }

# ---- (a) telsim on the Erlang loss scenario --------------------------------------

arrivals=${BENCH_ARRIVALS:-}
arrivals_source="BENCH_ARRIVALS"
if [[ $reference_only == 0 ]]; then
  echo "running: telsim run $(basename "$scenario") (one replication, ~20M arrivals) ..." >&2
  timed telsim "$telsim" run "$scenario" --quiet --out "$tmp/erlang-loss.results.json"
  telsim_wall=$wall_s
  telsim_cpu=$cpu_s
  telsim_rss=$rss_kib
  if [[ -z "$arrivals" ]]; then
    # Arrivals = calls + caller_busy over every relation (means of one replication).
    arrivals=""
    if command -v jq >/dev/null; then
      arrivals=$(jq -r '[.traffic[]? | ((.calls.mean // 0) + (.caller_busy.mean // 0))] | add // empty
                        | floor' "$tmp/erlang-loss.results.json" 2>/dev/null || true)
    fi
    if [[ -n "$arrivals" && "$arrivals" != 0 ]]; then
      arrivals_source="telsim results (calls + caller_busy)"
    else
      arrivals=20000000
      arrivals_source="default (could not read telsim's results)"
    fi
  fi
  telsim_engine_eps=""
  if command -v jq >/dev/null; then
    telsim_engine_eps=$(jq -r '.engine.events_per_second // empty' \
      "$tmp/erlang-loss.results.json" 2>/dev/null || true)
  fi
fi
if [[ -z "$arrivals" ]]; then
  arrivals=20000000
  arrivals_source="default"
fi

# ---- (b) the reference loop with the same arrivals -----------------------------------

echo "running: telsim-reference-loop $arrivals ..." >&2
timed reference "$reference" "$arrivals" "${BENCH_SEED:-1}"
ref_wall=$wall_s
ref_cpu=$cpu_s
ref_rss=$rss_kib
ref_value() { awk -v k="$1:" '$1 == k { print $2 }' "$tmp/reference.out"; }
ref_blocking=$(ref_value blocked_fraction)
ref_erlang_b=$(ref_value erlang_b)
ref_events=$(ref_value events)

# ---- (c) memory per address -------------------------------------------------------------

# write_memory_scenario COUNT FILE: the same small network with COUNT addresses
# at A; short and lightly loaded, so that the population dominates the memory.
write_memory_scenario() {
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

small_count=1000
large_count=2000000
if [[ $reference_only == 0 ]]; then
  write_memory_scenario "$small_count" "$tmp/memory-small.yaml"
  write_memory_scenario "$large_count" "$tmp/memory-large.yaml"
  echo "running: telsim run on $small_count and $large_count addresses ..." >&2
  timed memory-small "$telsim" run "$tmp/memory-small.yaml" --quiet --out "$tmp/memory-small.json"
  small_rss=$rss_kib
  timed memory-large "$telsim" run "$tmp/memory-large.yaml" --quiet --out "$tmp/memory-large.json"
  large_rss=$rss_kib
fi

# ---- report -------------------------------------------------------------------------------

missed=0
verdict() { if [[ $1 == 1 ]]; then echo "met"; else echo "MISSED"; fi; }

echo
echo "telsim benchmark ($(uname -n), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "arrivals: $arrivals ($arrivals_source)"
echo
printf '%-24s %10s %14s %14s\n' "program" "wall s" "arrivals/s" "peak RSS MiB"
if [[ $reference_only == 0 ]]; then
  printf '%-24s %10s %14s %14s\n' "telsim run" "$telsim_wall" \
    "$(calc '%.0f' "$arrivals / ($telsim_wall > 0 ? $telsim_wall : 1e-9)")" \
    "$(calc '%.1f' "$telsim_rss / 1024")"
fi
printf '%-24s %10s %14s %14s\n' "reference loop" "$ref_wall" \
  "$(calc '%.0f' "$arrivals / ($ref_wall > 0 ? $ref_wall : 1e-9)")" \
  "$(calc '%.1f' "$ref_rss / 1024")"
echo
echo "reference loop: blocked fraction $ref_blocking (Erlang B $ref_erlang_b), $ref_events events"
if [[ $reference_only == 0 ]]; then
  [[ -n "$telsim_engine_eps" ]] &&
    echo "telsim engine: $(calc '%.0f' "$telsim_engine_eps") events/s (its own count, event loop only)"
  # Same arrivals, so the throughput ratio is the inverse ratio of wall times.
  ratio=$(calc '%.3f' "($telsim_wall > 0) ? $ref_wall / $telsim_wall : 0")
  ok=$(calc '%d' "$ratio >= 0.67")
  [[ $ok == 1 ]] || missed=1
  echo "ratio telsim/reference (arrivals/s): $ratio  (target >= 0.67: $(verdict "$ok"))"
  # CPU seconds (user + system) are not inflated by waiting for a core, so on
  # a busy machine this ratio is the steadier one (caches are still shared).
  cpu_ratio=$(calc '%.3f' "($telsim_cpu > 0) ? $ref_cpu / $telsim_cpu : 0")
  echo "ratio telsim/reference by CPU seconds: $cpu_ratio  (telsim $telsim_cpu s, reference $ref_cpu s)"
  bytes=$(calc '%.1f' "($large_rss - $small_rss) * 1024 / ($large_count - $small_count)")
  ok=$(calc '%d' "$bytes <= 32")
  [[ $ok == 1 ]] || missed=1
  echo "memory: peak RSS $(calc '%.1f' "$large_rss / 1024") MiB with $large_count addresses," \
    "$(calc '%.1f' "$small_rss / 1024") MiB with $small_count"
  echo "memory per address: $bytes bytes  (target <= 32: $(verdict "$ok"))"
else
  echo "(--reference-only: telsim not run; no ratio, no memory figure)"
fi

if [[ $strict == 1 && $missed == 1 ]]; then exit 1; fi
exit 0
