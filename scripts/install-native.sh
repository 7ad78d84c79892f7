#!/usr/bin/env bash
# npm postinstall: the native pieces npm cannot fetch offline (see README "Offline native dependencies").
# Each step checks what is already built first, so a second run costs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap-system.sh
for step in scripts/native/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
