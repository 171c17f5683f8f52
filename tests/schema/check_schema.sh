#!/usr/bin/env bash
# `telsim schema` against the scenarios (ctest schema.*):
#   check_schema.sh TELSIM SOURCE_DIR WORK_DIR
# Every bundled scenario and its resolved form (`validate --resolved`, what `run` records)
# satisfies the schema; every file in tests/schema/invalid/ fails both the schema and
# `telsim validate` (exit 2): the schema is never looser than the loader on those.
set -euo pipefail
telsim="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work/resolved"
"$telsim" schema > "$work/schema.json"
valid=("$src"/scenarios/library/*.yaml "$src"/scenarios/library/validation/*.yaml)
for f in "${valid[@]}"; do
  "$telsim" validate --resolved "$f" > "$work/resolved/$(basename "$f" .yaml).json"
done
for f in "$src"/tests/schema/invalid/*.yaml; do
  status=0
  "$telsim" validate "$f" > /dev/null 2>&1 || status=$?
  if [ "$status" -ne 2 ]; then
    echo "$f: telsim validate exited $status, expected 2"
    exit 1
  fi
done
/usr/bin/env python3 "$src/tests/schema/check_scenarios.py" "$work/schema.json" \
  --valid "${valid[@]}" "$work"/resolved/*.json \
  --invalid "$src"/tests/schema/invalid/*.yaml
