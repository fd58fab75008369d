#!/usr/bin/env bash
# Installs the system packages lstmc needs to build and test (Debian; run as root
# or with sudo available). Idempotent: installs only the missing ones.
# gcc-arm-none-eabi, its newlib and qemu-system-arm build and run generated C
# for `verify --target c-cortex-m4` / `c-cortex-m3` (and its tests).
set -euo pipefail
packages=(libhdf5-dev libprotobuf-c-dev pkg-config gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
