#!/usr/bin/env bash
# RabbitMQ benchmark: Nucleon rabbit-mq trigger (no-op Node handler) vs a plain amqplib consumer.
# One command: bash bench/rabbitmq/run.sh   (BENCH_QUICK=1: small smoke run; BENCH_ROUNDS=<n>;
# BENCH_MESSAGES=<n>; BENCH_PROFILE=1: CPU profile of the processor; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ ! -d "$HERE/node_modules/amqplib" ]; then
  echo "bench/rabbitmq: installing bench dependencies (npm ci)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

if [ ! -f "$ROOT/packages/processor/dist/main.js" ] || [ ! -f "$ROOT/packages/trigger-rabbitmq/dist/index.js" ]; then
  echo "bench/rabbitmq: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi

# The broker: started if it is not running, and then stopped again at the end (only if we started it).
started_broker=0
if [ -z "${BENCH_AMQP_URL:-}" ] && ! bash "$ROOT/scripts/services/rabbitmq.sh" status >/dev/null 2>&1; then
  bash "$ROOT/scripts/services/rabbitmq.sh" start
  started_broker=1
fi
rc=0
node "$HERE/run.mjs" || rc=$?
if [ "$started_broker" = 1 ] && [ "${BENCH_KEEP_BROKER:-0}" != 1 ]; then
  bash "$ROOT/scripts/services/rabbitmq.sh" stop || true
fi
exit "$rc"
