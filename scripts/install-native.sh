#!/usr/bin/env bash
# The native pieces npm cannot fetch offline (see README "Offline native dependencies"): native TensorFlow for
# tfjs-node and faiss-node with our extension. Each step checks what is already built first, so a second run costs
# seconds.
#   npm postinstall:   bash scripts/install-native.sh          builds what it can, never runs apt-get or sudo, and
#                                                              says what is missing; npm install still succeeds
#   npm run setup:     bash scripts/install-native.sh --strict after the system packages: a failed step is an error
set -euo pipefail
cd "$(dirname "$0")/.."
strict=0; [ "${1:-}" = "--strict" ] && strict=1
if [ $strict -eq 0 ] && missing=$(bash scripts/bootstrap-system.sh --check); then missing=""; fi
failed=()
for step in scripts/native/*.sh; do
  [ -e "$step" ] || continue
  if ! bash "$step"; then
    [ $strict -eq 1 ] && exit 1
    failed+=("$(basename "$step" .sh)")
  fi
done
if [ $strict -eq 0 ] && { [ -n "${missing:-}" ] || [ ${#failed[@]} -gt 0 ]; }; then
  {
    echo
    echo "postinstall: the npm packages are installed, but not everything native is built:"
    [ -n "${missing:-}" ] && echo "  missing system packages: ${missing}"
    [ ${#failed[@]} -gt 0 ] && echo "  native steps that could not run: ${failed[*]} (scripts/native/)"
    echo "  run \`npm run setup\` (installs the system packages with apt-get, asking for sudo, then builds the rest)."
    echo
  } >&2
fi
exit 0
