#!/usr/bin/env bash
# `cpack -G DEB` (ctest install.deb): check_deb.sh BUILD_DIR WORK_DIR. The package holds
# the installed files under /usr and names the shared libraries it needs.
set -euo pipefail
build="$(cd "$1" && pwd)"
work="$2"
rm -rf "$work"
mkdir -p "$work"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" > "$work/cpack.log"
deb=$(ls "$work"/telsim_*.deb)
dpkg-deb -c "$deb" > "$work/contents.txt"
for f in ./usr/bin/telsim ./usr/bin/telsim-view ./usr/lib/telsim/plugins/redial-then-callback.so \
         ./usr/lib/cmake/telsim/telsimConfig.cmake ./usr/share/man/man5/telsim-scenario.5 \
         ./usr/share/telsim/scenarios/metro.yaml; do
  grep -q " $f\$" "$work/contents.txt" || { echo "check_deb: $f missing from $deb" >&2; exit 1; }
done
dpkg-deb -f "$deb" Depends | grep -q "libyaml-cpp" ||
  { echo "check_deb: Depends does not name libyaml-cpp: $(dpkg-deb -f "$deb" Depends)" >&2; exit 1; }
echo "deb ok: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB, $(wc -l < "$work/contents.txt") entries"
