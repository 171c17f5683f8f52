#!/usr/bin/env bash
# Installs what telsim needs to build and test on Debian 12, and nothing that
# is already there (safe to run again). Needs root or sudo for apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config
  libeigen3-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev libsqlite3-dev
  time valgrind clang-format
  libopenmpi-dev openmpi-bin
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev fonts-dejavu-core
  xvfb xauth
  clang libclang-rt-14-dev
  python3 python3-jsonschema python3-yaml
  dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: every package is already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
