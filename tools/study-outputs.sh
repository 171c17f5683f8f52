#!/usr/bin/env bash
# Runs the bundled studies (sweep, compare, dimension, analytic network, generate)
# with one telsim binary and keeps every output in OUTDIR, provenance taken out
# (start time, wall seconds, commit, command line), so that two binaries can be
# compared byte for byte:
#   tools/study-outputs.sh OLD/telsim /tmp/before
#   tools/study-outputs.sh build/release/cli/telsim /tmp/after
#   diff -r /tmp/before /tmp/after
# Used when the studies moved from the command line into studies/ (docs/design-decisions.md).
set -uo pipefail
bin="$(realpath "$1")"
out="$2"
lib="$(cd "$(dirname "$0")/../scenarios/library" && pwd)"
rm -rf "$out"
mkdir -p "$out"
cd "$out"

normalise() {  # FILE...: provenance lines out, every other byte kept
  sed -E -i 's/^( *"(started_at|commit|command_line|wall_seconds|events_per_second)": ).*[^,](,?)$/\1-\3/' "$@"
}
scrub_text() { sed -E 's/\([0-9]+\.[0-9] s\)/(- s)/; s/time="[0-9.]+"/time="-"/g' "$@"; }

quick="--set duration=36000"
# telsim ARGS... >FILE: the exit code is kept as the file's last line.
telsim() { "$bin" "$@"; echo "exit $?"; }
telsim sweep "$lib/erlang-b.yaml" $quick --vary trunk_groups.AB.circuits=16:24:5 --out sweep-ab \
  --junit sweep-ab.xml --threads 2 >sweep-ab.stdout
telsim sweep "$lib/erlang-b.yaml" --set duration=7200 --set replications=4 \
  --vary trunk_groups.AB.circuits=18,20 --vary 'traffic.callers-to-callees.arrivals.poisson.rate=0.12,0.13' \
  --out sweep-2d >sweep-2d.stdout
normalise sweep-ab/points/*.json sweep-2d/points/*.json
for d in sweep-ab sweep-2d; do
  sqlite3 "$d/results.sqlite" .dump >"$d/results.sql"
  rm "$d/results.sqlite"
done
scrub_text -i sweep-ab.stdout sweep-2d.stdout sweep-ab.xml

telsim compare "$lib/policy-comparison.yaml" --set replications=4 \
  --vary traffic.homes-to-cc.completion=none,camp,cb --out compare.json >compare.stdout
normalise compare.json

telsim dimension "$lib/erlang-b.yaml" $quick --trunk-group AB --target 'call_blocking<=0.01' \
  >dimension-ab.stdout
telsim dimension "$lib/engset.yaml" --trunk-group AB --target 'call_blocking<=0.01' \
  >dimension-engset.stdout

for s in metro policies-metro erlang-b national-busy-hour; do
  telsim analytic network "$lib/$s.yaml" >"analytic-$s.stdout"
done

telsim generate --exchanges 12 --tandems 2 --subscribers 20000 --pilot-passes 2 \
  --pilot-duration 600 --out generated.yaml >generate.stdout
echo "outputs in $out"
