#!/usr/bin/env bash
# HTTP benchmark: Nucleon vs node:http, fastify, functions-framework, faas-js-runtime.
# One command: bash bench/http/run.sh   (BENCH_QUICK=1: 2 s smoke run; BENCH_DURATION=<s>;
# BENCH_PROFILE=1: CPU profile breakdown; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench/http: installing wrk" >&2
  bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/debian-packages.sh" wrk
fi

if [ ! -d "$HERE/node_modules/fastify" ] || [ ! -d "$HERE/node_modules/faas-js-runtime" ] \
  || [ ! -d "$HERE/node_modules/@google-cloud/functions-framework" ] \
  || [ ! -e "$HERE/node_modules/nucleon-bench-trigger-fastify" ]; then
  echo "bench/http: installing bench dependencies (npm ci)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# The Nucleon rows need the built processor; skipped when BENCH_SERVERS leaves them out.
if [ ! -f "$ROOT/packages/processor/dist/main.js" ] && { [ -z "${BENCH_SERVERS:-}" ] || [[ ",$BENCH_SERVERS," == *",nucleon,"* || ",$BENCH_SERVERS," == *",nucleon-fastify,"* ]]; }; then
  echo "bench/http: building the workspace (pnpm -r build)" >&2
  if ! (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2); then
    echo "bench/http: WARNING: workspace build failed; the Nucleon row will be skipped" >&2
  fi
fi

exec node "$HERE/run.mjs"
