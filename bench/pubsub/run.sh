#!/usr/bin/env bash
# Pub/Sub benchmark: Nucleon pubsub trigger (no-op Node handler) vs a plain @google-cloud/pubsub
# subscriber, on the same pstest fake, same run.
# One command: bash bench/pubsub/run.sh   (BENCH_QUICK=1: small smoke run; BENCH_ROUNDS=<n>;
# BENCH_MESSAGES=<n>; BENCH_ROWS=<names>; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ ! -f "$ROOT/packages/processor/dist/main.js" ] || [ ! -f "$ROOT/packages/trigger-pubsub/dist/index.js" ]; then
  echo "bench/pubsub: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi

# The fake: started if it is not running, and stopped again at the end (only if we started it).
started=0
if ! bash "$ROOT/scripts/services/pubsub.sh" status >/dev/null 2>&1; then
  bash "$ROOT/scripts/services/pubsub.sh" start
  started=1
fi
rc=0
node "$HERE/run.mjs" || rc=$?
if [ "$started" = 1 ] && [ "${BENCH_KEEP_FAKE:-0}" != 1 ]; then
  bash "$ROOT/scripts/services/pubsub.sh" stop || true
fi
exit "$rc"
