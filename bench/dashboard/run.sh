#!/usr/bin/env bash
# Dashboard benchmark: API latency with many functions, first page load. See run.mjs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$NUCLEON_ROOT"
[ -f packages/cli/dist/main.js ] && [ -f packages/dashboard/dist/ui/app.js ] || pnpm nx run cli:build --output-style=static >&2
bash scripts/debian-packages.sh chromium
node bench/dashboard/run.mjs
