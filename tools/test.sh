#!/usr/bin/env bash
# The whole test suite, as CI runs it:
#   1. Release build of everything, every test (unit, statistical, end to end);
#   2. the asan preset (ASan + UBSan) building the core, running the unit and
#      end-to-end tests (statistical tests are skipped there: they need speed,
#      not sanitizers, and already ran in step 1).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TELSIM_JOBS:-$(nproc)}"

echo "== release build"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
echo "== release tests"
ctest --preset release -j "$jobs"

echo "== asan + ubsan build"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
echo "== asan + ubsan tests (unit, end to end)"
ctest --preset asan -j "$jobs" -LE statistical
