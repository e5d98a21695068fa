#!/usr/bin/env bash
# NATS benchmark: Nucleon nats trigger (JetStream durable consumer, no-op Node handler) vs a plain
# `nats` JetStream consumer on the same server and stream config, in the same run.
# One command: bash bench/nats/run.sh   (BENCH_QUICK=1: small smoke run; BENCH_ROUNDS=<n>;
# BENCH_MESSAGES=<n>; BENCH_ROWS=<names>; BENCH_NATS_URL=<url> to use a running server)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ ! -f "$ROOT/packages/processor/dist/main.js" ] || [ ! -f "$ROOT/packages/trigger-nats/dist/index.js" ]; then
  echo "bench/nats: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi

# The server: started if it is not running, and stopped again at the end (only if we started it).
started=0
if [ -z "${BENCH_NATS_URL:-}" ] && ! bash "$ROOT/scripts/services/nats.sh" status >/dev/null 2>&1; then
  bash "$ROOT/scripts/services/nats.sh" start
  started=1
fi
rc=0
node "$HERE/run.mjs" || rc=$?
if [ "$started" = 1 ] && [ "${BENCH_KEEP_SERVER:-0}" != 1 ]; then
  bash "$ROOT/scripts/services/nats.sh" stop || true
fi
exit "$rc"
