#!/usr/bin/env bash
# The Python reference libraries (tests' reference values, benchmarks' anchors) in .venv, from the machine's
# local wheel index. Usage: scripts/python-env.sh GROUP...  (groups: test, bench — see scripts/python/*.txt).
# Prints the venv's python path last. Checks first, so a second run costs a second.
set -euo pipefail
# Only the local wheel index answers here: one quick try at the default index instead of pip's five slow retries.
export PIP_RETRIES=${PIP_RETRIES:-0} PIP_TIMEOUT=${PIP_TIMEOUT:-5}
cd "$(dirname "$0")/.."
VENV=.venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >&2
for group in "${@:-test}"; do
  req="scripts/python/$group.txt"
  stamp="$VENV/.installed-$group"
  if [ ! -f "$stamp" ] || [ "$req" -nt "$stamp" ]; then
    echo "python-env: installing $req" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
    touch "$stamp"
  fi
done
echo "$PWD/$VENV/bin/python"
