#!/usr/bin/env bash
# MQTT benchmark: Nucleon mqtt trigger (no-op Node handler, QoS 1) vs a plain mqtt.js subscriber.
# One command: bash bench/mqtt/run.sh   (BENCH_QUICK=1: small smoke run; BENCH_ROUNDS=<n>;
# BENCH_MESSAGES=<n>; BENCH_ROWS=<names>; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if [ ! -f "$ROOT/packages/processor/dist/main.js" ] || [ ! -f "$ROOT/packages/trigger-mqtt/dist/index.js" ]; then
  echo "bench/mqtt: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi

# The broker: started if it is not running, and then stopped again at the end (only if we started it).
started_broker=0
if [ -z "${BENCH_MQTT_URL:-}" ] && ! bash "$ROOT/scripts/services/mosquitto.sh" status >/dev/null 2>&1; then
  bash "$ROOT/scripts/services/mosquitto.sh" start
  started_broker=1
fi
rc=0
node "$HERE/run.mjs" || rc=$?
if [ "$started_broker" = 1 ] && [ "${BENCH_KEEP_BROKER:-0}" != 1 ]; then
  bash "$ROOT/scripts/services/mosquitto.sh" stop || true
fi
exit "$rc"
