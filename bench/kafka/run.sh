#!/usr/bin/env bash
# Kafka benchmark: Nucleon kafka-cluster trigger (no-op Node handler) vs a plain kafkajs eachBatch consumer.
# One command: bash bench/kafka/run.sh   (BENCH_QUICK=1: small smoke run; BENCH_ROUNDS=<n>;
# BENCH_RECORDS=<n>; BENCH_WORKERS=1,4; BENCH_PROFILE=1: CPU profiles; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ ! -d "$HERE/node_modules/kafkajs" ]; then
  echo "bench/kafka: installing bench dependencies (npm ci)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

if [ ! -f "$ROOT/packages/processor/dist/main.js" ] || [ ! -f "$ROOT/packages/trigger-kafka/dist/index.js" ]; then
  echo "bench/kafka: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi

# The broker: started if it is not running, and then stopped again at the end (only if we started it).
started_broker=0
if [ -z "${BENCH_BROKERS:-}" ] && ! bash "$ROOT/scripts/services/kafka.sh" status >/dev/null 2>&1; then
  bash "$ROOT/scripts/services/kafka.sh" start >&2
  started_broker=1
fi
export KAFKAJS_NO_PARTITIONER_WARNING=1
if [ -z "${BENCH_BROKERS:-}" ] && [ -z "${BENCH_BROKER_PID:-}" ]; then
  # "kafka: running (pid N, ...)": the broker's CPU is reported apart from other noise
  BENCH_BROKER_PID="$(bash "$ROOT/scripts/services/kafka.sh" status 2>/dev/null | sed -n 's/.*(pid \([0-9]*\).*/\1/p' | head -1)"
  export BENCH_BROKER_PID
fi
rc=0
node "$HERE/run.mjs" || rc=$?
if [ "$started_broker" = 1 ] && [ "${BENCH_KEEP_BROKER:-0}" != 1 ]; then
  bash "$ROOT/scripts/services/kafka.sh" stop >&2 || true
fi
exit "$rc"
