#!/usr/bin/env bash
# Scaler benchmark: wake from zero (first request to first response through the activator),
# median and p99 of BENCH_ROUNDS wakes per platform and runtime, next to the same processor's
# plain start (spawn to first 200, no platform, no activator) run side by side; and the hot path
# once the function is up, with the scaler running and stopped. One command:
#   bash bench/scaler/run.sh   (BENCH_ROUNDS=10, BENCH_PLATFORMS=local,docker, BENCH_RUNTIMES=node,python,go)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"
if [ ! -f "$ROOT/packages/cli/dist/main.js" ]; then
  echo "bench/scaler: building the workspace" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm nx run-many -t build --output-style=static >&2)
fi
case ",${BENCH_PLATFORMS:-local,docker}," in *,docker,*) bash "$ROOT/scripts/services/docker.sh" start >&2 ;; esac
exec node "$HERE/run.mjs"
