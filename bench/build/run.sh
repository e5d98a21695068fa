#!/usr/bin/env bash
# Image build benchmark: `nucleon build` first (cold) build vs rebuilds, and docker deploy to ready,
# for a Node and a Python function. One command: bash bench/build/run.sh
# (BENCH_ROUNDS=<n>, default 3; BENCH_QUICK=1: one round; more in bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

# The CLI (and every package the builder bundles into the processor image) must be built.
if [ ! -f "$ROOT/packages/cli/dist/main.js" ] || [ ! -f "$ROOT/packages/processor/dist/main.js" ] \
  || [ ! -f "$ROOT/packages/runtime-python/dist/index.js" ]; then
  echo "bench/build: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi

# The Docker engine (idempotent: leaves a running one alone).
bash "$ROOT/scripts/services/docker.sh" start >&2

exec node "$HERE/run.mjs"
