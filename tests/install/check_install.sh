#!/usr/bin/env bash
# The install and the plug-in SDK from outside the build (ctest install.*):
#   check_install.sh BUILD_DIR SOURCE_DIR
# Installs BUILD_DIR into WORK_DIR/prefix, builds the example plug-in project
# (examples/policy-plugin) against that prefix alone, and runs the installed telsim from
# an empty folder: it finds its scenario library and its own plug-ins, the plug-in built
# outside loads, and nothing names the build tree. The prefix is a fresh folder outside
# the build tree (a telsim inside its build tree searches the build's plug-ins instead).
set -euo pipefail
build="$(cd "$1" && pwd)"
src="$(cd "$2" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/telsim-install-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/run"
prefix="$work/prefix"

fail() { echo "check_install: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for f in bin/telsim bin/telsim-view lib/telsim/plugins/redial-then-callback.so \
         lib/telsim/libtelsim_sim_pic.a include/telsim/models/plugin_api.hpp \
         lib/cmake/telsim/telsimConfig.cmake share/man/man1/telsim.1 \
         share/man/man1/telsim-view.1 share/man/man5/telsim-scenario.5 \
         share/telsim/scenarios/erlang-b.yaml share/telsim/scenarios/validation/engset-30-10.yaml; do
  [ -s "$prefix/$f" ] || fail "not installed: $f"
done
grep -q '^\.TH TELSIM-SCENARIO 5' "$prefix/share/man/man5/telsim-scenario.5" ||
  fail "telsim-scenario.5 is not a man page"

# The example plug-in, configured with nothing but the installed prefix.
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
cmake -S "$src/examples/policy-plugin" -B "$work/plugin-build" "${generator[@]}" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" > "$work/plugin-configure.log"
cmake --build "$work/plugin-build" > "$work/plugin-build.log"
[ -f "$work/plugin-build/redial-then-callback.so" ] || fail "the example plug-in was not built"

cd "$work/run"
telsim="$prefix/bin/telsim"
"$telsim" --version | grep -q '^telsim [0-9]' || fail "--version"

# Its own plug-ins, and never the build tree's.
"$telsim" policies > policies.txt
grep -q "($prefix/lib/telsim/plugins/redial-then-callback.so)" policies.txt ||
  fail "the installed plug-in folder is not searched: $(head -c 2000 policies.txt)"
if grep -q "$build" policies.txt; then fail "the installed telsim reads the build tree"; fi

# The plug-in built outside, found first on TELSIM_PLUGIN_PATH, runs the library's
# scenario that names it (found by its bare name in the installed scenario library).
TELSIM_PLUGIN_PATH="$work/plugin-build" "$telsim" policies > policies-env.txt
grep -q "($work/plugin-build/redial-then-callback.so)" policies-env.txt ||
  fail "TELSIM_PLUGIN_PATH's plug-in is not the one found first"
TELSIM_PLUGIN_PATH="$work/plugin-build" "$telsim" run redial-then-callback.yaml \
  --replications 2 --quiet --out with-plugin.json
grep -q '"type": "redial_then_callback"' with-plugin.json ||
  fail "the plug-in's policy is not in the results"
# The same by path, as a user passes a plug-in they built.
"$telsim" validate "$prefix/share/telsim/scenarios/redial-then-callback.yaml" > /dev/null
python3 "$src/tests/install/check_links.py" "$prefix/share/doc/telsim" --outside tests tools bench fuzz \
  > "$work/links.txt" || { cat "$work/links.txt" >&2; fail "broken links in the installed documentation"; }
echo "install ok: $(du -sk "$prefix" | cut -f1) KiB in $prefix"
