#!/usr/bin/env bash
# Debian packages the pipeline runs on. Checks first, so a second run costs well under a second.
# `--check` installs nothing: it lists what is missing (exit 1), for npm's postinstall, which must not run apt-get.
set -euo pipefail
PACKAGES=(ffmpeg sox libsox-fmt-base libchromaprint-tools libfaiss-dev libopenblas-dev patchelf postgresql chromium fonts-dejavu-core)
missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  missing=("${PACKAGES[@]}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = "--check" ]; then
  echo "${missing[*]}"
  exit 1
fi
command -v apt-get >/dev/null || { echo "bootstrap: not a Debian system (no apt-get): install ${missing[*]} (or their equivalents) yourself" >&2; exit 1; }
echo "bootstrap: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
