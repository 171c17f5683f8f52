#!/usr/bin/env bash
# How the cost of a run grows with the network: for national networks of 50,
# 200, 500 and 1,000 local exchanges written by `telsim generate`, the time
# to validate, the phases of `telsim run --timings` (load, build, simulate,
# collect, write), the peak resident memory and the size of the results file.
# Prints a Markdown table (the one in docs/performance.md). Builds nothing.
#
#   bench/scaling.sh [BUILD_DIR] [SIZES...]
#
#   BUILD_DIR  default build/release (relative to the current folder, else to
#              the repository root)
#   SIZES      local exchanges per network, default: 50 200 500 999
#
# Each network has a tandem per 25 local exchanges, 5,000 subscribers per
# local exchange, 30 partners each, one replication of 600 s after 120 s of
# warm-up; with 999 exchanges it is the network of docs/performance.md
# ("Large networks"). Peak memory is GNU time's maximum resident set size
# (Debian package `time`). Files go to a temporary folder, removed at the end.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)

build=${1:-build/release}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 200 500 999)
[ -d "$build" ] || build="$repo_root/$build"
telsim="$build/cli/telsim"
if [ ! -x "$telsim" ]; then
  echo "scaling.sh: no telsim at $telsim (build it first)" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "scaling.sh: needs GNU time (apt-get install time)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| exchanges (+ tandems) | relations | YAML | validate | load | build | simulate | collect + write | events | peak RSS | results |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  tandems=$(((n + 24) / 25))
  subscribers=$((n * 5000))
  yaml="$work/net-$n.yaml"
  "$telsim" generate --exchanges "$n" --tandems "$tandems" --subscribers "$subscribers" \
    --partners 30 --no-pilot --replications 1 --duration 600 --warmup 120 --out "$yaml" \
    > "$work/generate.txt"
  relations=$(grep -o '[0-9]* traffic relations' "$work/generate.txt" | cut -d' ' -f1)
  yaml_mb=$(awk -v b="$(stat -c %s "$yaml")" 'BEGIN { printf "%.1f MB", b / 1e6 }')

  /usr/bin/time -f '%e' -o "$work/validate.time" "$telsim" validate "$yaml" > /dev/null
  validate_s=$(cat "$work/validate.time")

  /usr/bin/time -f '%M' -o "$work/run.rss" \
    "$telsim" run "$yaml" --quiet --timings --out "$work/results.json" 2> "$work/timings.txt"
  timings=$(grep '^timings:' "$work/timings.txt")
  field() { sed -E "s/.* $1 ([0-9.]+) s.*/\\1/" <<< "$timings"; }
  collect_write=$(awk -v c="$(field collect)" -v w="$(field write)" 'BEGIN { printf "%.2f", c + w }')
  rss_mb=$(awk -v k="$(cat "$work/run.rss")" 'BEGIN { printf "%.0f MB", k * 1024 / 1e6 }')
  results_mb=$(awk -v b="$(stat -c %s "$work/results.json")" 'BEGIN { printf "%.0f MB", b / 1e6 }')
  events=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['engine']['events'])" \
    "$work/results.json")

  printf '| %s (+ %s) | %s | %s | %s s | %s s | %s s | %s s | %s s | %s | %s | %s |\n' \
    "$n" "$tandems" "$relations" "$yaml_mb" "$validate_s" "$(field load)" "$(field build)" \
    "$(field simulate)" "$collect_write" "$events" "$rss_mb" "$results_mb"
  rm -f "$work/results.json" "$yaml"
done
