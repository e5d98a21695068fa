#!/usr/bin/env bash
# Kubernetes platform benchmark on the local cluster: deploy to first response, change to
# roll-out, reconcile of many functions, each next to a baseline run side by side (plain
# Deployments applied with kubectl). One command: bash bench/kubernetes/run.sh
# (BENCH_ROUNDS=10, BENCH_FUNCTIONS=100, BENCH_RESYNC_S=20; see bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"
if [ ! -f "$ROOT/packages/cli/dist/main.js" ] || [ ! -f "$ROOT/packages/platform-kubernetes/dist/controller-main.js" ]; then
  echo "bench/kubernetes: building the workspace" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm nx run-many -t build --output-style=static >&2)
fi
# The cluster (with its registry) and the Docker engine that builds the image; both idempotent.
bash "$ROOT/scripts/services/kubernetes.sh" start >&2
bash "$ROOT/scripts/services/docker.sh" start >&2
exec node "$HERE/run.mjs"
