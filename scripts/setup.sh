#!/usr/bin/env bash
# Everything a fresh clone needs before the demo or the tests, each step skipped when already done:
# Debian packages (the one step that runs apt-get), npm ci, native TensorFlow and FAISS, Prisma clients,
# TypeScript build, database migrations, the Next.js build, and with `--python` (tests, benchmarks) the Python
# reference libraries; the demo and `npm start` do not need them.
# Usage: npm run setup [-- --python]
set -euo pipefail
python=0; [ "${1:-}" = "--python" ] && python=1
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
step() { printf '\n== setup: %s\n' "$*" >&2; }

step "system packages"
bash scripts/bootstrap-system.sh

stamp=node_modules/.curator-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
step "native modules (the first run builds TensorFlow's binding and FAISS: several minutes)"
bash scripts/install-native.sh --strict

step "prisma clients"
if [ ! -f prisma/src/generated/sqlite/client.ts ] || [ prisma/schema.prisma -nt prisma/src/generated/sqlite/client.ts ]; then
  node scripts/db-generate.mjs
fi

step "typescript build"
npx tsc -b

step "database migrations"
node prisma/dist/migrate-cli.js deploy

if [ $python -eq 1 ]; then
  step "python reference libraries"
  bash scripts/python-env.sh test >/dev/null
fi

step "web build"
if [ ! -f web/.next/BUILD_ID ] || [ -n "$(find web -path web/node_modules -prune -o -path web/.next -prune -o -newer web/.next/BUILD_ID -type f -print -quit)" ]; then
  npm run build -w web
fi
