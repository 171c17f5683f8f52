#!/usr/bin/env bash
# The whole test suite, as CI runs it (2 cores, a 25-minute budget):
#   1. the ci-release preset: a Release build of everything with the suites that
#      need speed or run only there: statistical validation, the GUI, end to end
#      and generate (some of whose tests skip themselves under sanitizers);
#   2. the asan preset (ASan + UBSan) building the core and every other suite,
#      running all but the statistical tests (they need speed, not sanitizers,
#      and ran in step 1).
# Every unit test thus runs once, under the sanitizers; `cmake --preset release`
# builds and runs every suite in Release for development.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TELSIM_JOBS:-$(nproc)}"

echo "== release build (statistical, GUI, end to end)"
cmake --preset ci-release >/dev/null
cmake --build --preset ci-release -j "$jobs"
echo "== release tests"
ctest --preset ci-release -j "$jobs"

echo "== asan + ubsan build"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
echo "== asan + ubsan tests (unit, end to end)"
ctest --preset asan -j "$jobs" -LE statistical
