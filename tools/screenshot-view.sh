#!/usr/bin/env bash
# Starts telsim-view in a real X window on a virtual screen (Xvfb), lets it capture
# itself from that screen (--screenshot: QScreen::grabWindow), and keeps the picture as
# docs/images/telsim-view.png for the README.
#
#   tools/screenshot-view.sh [RESULTS.json|SWEEP_DIR|compare.json [CHART [OUT.png]]]
#
# Defaults: the bundled Erlang B sweep, its blocking chart (simulated blocking with CI
# error bars and the Erlang B curve), docs/images/telsim-view.png. The README's picture is
# the network map of the metro scenario at its own 10 replications:
#   telsim run scenarios/library/metro.yaml --out /tmp/shot/metro.results.json --quiet
#   tools/screenshot-view.sh /tmp/shot/metro.results.json map
# The viewer is taken from $TELSIM_VIEW, else build/release, else any build/*/gui/telsim-view.
# Needs xvfb and xauth (tools/setup-debian.sh installs them).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
input=${1:-$root/tests/gui/data/sweep-erlang-b}
chart=${2:-blocking}
out=${3:-$root/docs/images/telsim-view.png}

viewer=${TELSIM_VIEW:-}
if [ -z "$viewer" ]; then
  for candidate in "$root/build/release/gui/telsim-view" "$root"/build/*/gui/telsim-view; do
    if [ -x "$candidate" ]; then viewer=$candidate; break; fi
  done
fi
if [ -z "$viewer" ] || [ ! -x "$viewer" ]; then
  echo "screenshot-view: no telsim-view built (cmake --build --preset release), or set TELSIM_VIEW" >&2
  exit 2
fi
if ! command -v xvfb-run > /dev/null; then
  echo "screenshot-view: xvfb-run is missing (tools/setup-debian.sh installs xvfb)" >&2
  exit 2
fi

mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
viewer="$(cd "$(dirname "$viewer")" && pwd)/$(basename "$viewer")"
# The file is opened from its own folder by its bare name: the title and status bar show
# "metro.results.json", not a path of the machine that took the picture.
cd "$(dirname "$input")"
# A real X server, not the offscreen platform: the picture is what a user's screen shows.
env -u QT_QPA_PLATFORM QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  "$viewer" "$(basename "$input")" --chart "$chart" --size 1280x800 --screenshot "$out"
echo "screenshot-view: wrote $out"
