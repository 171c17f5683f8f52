#!/usr/bin/env bash
# The memory estimate of `telsim validate` (limits.max_memory, SPEC §4)
# against the measured peak resident set size of `telsim run`, per scenario.
# Builds nothing: point it at a build.
#
#   bench/memory_estimate.sh [BUILD_DIR] [SCENARIO.yaml...]
#
#   BUILD_DIR  default build/release (relative to the current folder, else to
#              the repository root)
#   SCENARIO   default: the bundled busy-hour, metro, policies-metro and
#              national-busy-hour
#
# Each run uses as many threads as `validate` assumes (all cores), so the two
# figures describe the same run. Peak RSS comes from GNU time
# (`/usr/bin/time -f %M`, KiB, the kernel's rusage of the child). The target
# is a ratio estimate / RSS between 0.5 and 2.
#
# Exit status: 0 done; 1 a ratio outside [0.5, 2]; 2 something missing; 3 a
# run failed.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)

build=build/release
if [[ $# -gt 0 && -d $1 ]]; then build=$1; shift; fi
[[ -d $build ]] || build="$repo_root/$build"
[[ -d $build ]] || { echo "memory_estimate.sh: no build folder $build" >&2; exit 2; }
telsim="$(cd -- "$build" && pwd)/cli/telsim"
[[ -x $telsim ]] || { echo "memory_estimate.sh: no telsim at $telsim" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "memory_estimate.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

scenarios=("$@")
if [[ ${#scenarios[@]} -eq 0 ]]; then
  for s in busy-hour metro policies-metro national-busy-hour; do
    scenarios+=("$repo_root/scenarios/library/$s.yaml")
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
threads=$(nproc)
status=0
printf '%-22s %14s %14s %7s\n' scenario estimate peak_rss ratio
for s in "${scenarios[@]}"; do
  est=$("$telsim" validate "$s" | sed -n 's/^estimated peak memory: about \([0-9.]*\) \([kMGT]*B\|bytes\).*/\1 \2/p')
  read -r value unit <<<"$est"
  case $unit in
    bytes) mult=1 ;; kB) mult=1e3 ;; MB) mult=1e6 ;; GB) mult=1e9 ;; TB) mult=1e12 ;;
    *) echo "memory_estimate.sh: cannot read the estimate for $s" >&2; exit 3 ;;
  esac
  if ! rss_kib=$(cd "$work" && /usr/bin/time -f '%M' "$telsim" run "$s" --threads "$threads" \
                   --quiet --out r.json 2>&1 >/dev/null | tail -n 1); then
    echo "memory_estimate.sh: $s failed" >&2; exit 3
  fi
  read -r ratio ok < <(awk -v v="$value" -v m="$mult" -v r="$rss_kib" \
    'BEGIN { x = v * m / (r * 1024); printf "%.2f %d\n", x, (x >= 0.5 && x <= 2) }')
  printf '%-22s %11s %s %11.1f MB %7s\n' "$(basename "$s" .yaml)" "$value" "$unit" \
    "$(awk -v r="$rss_kib" 'BEGIN { print r * 1024 / 1e6 }')" "$ratio"
  [[ $ok == 1 ]] || status=1
done
exit $status
