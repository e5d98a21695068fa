#!/usr/bin/env bash
# Cron benchmark: firing jitter (actual handler start minus scheduled time) of the Nucleon cron
# trigger against a plain Node fixed-rate setTimeout loop, same machine, same run. No service.
# One command: bash bench/cron/run.sh   (BENCH_QUICK=1: small smoke run; BENCH_TICKS=<n>;
# BENCH_INTERVAL_MS=<ms>; BENCH_ROUNDS=<n>; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ ! -f "$ROOT/packages/processor/dist/main.js" ] || [ ! -f "$ROOT/packages/trigger-cron/dist/index.js" ]; then
  echo "bench/cron: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi
exec node "$HERE/run.mjs"
