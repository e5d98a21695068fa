#!/usr/bin/env bash
# The main job on a fresh machine: install what is needed (Node 24, pnpm, dependencies),
# build, deploy the example function on the embedded local platform, invoke it and print
# the response. Re-running replaces the deployed function.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NUCLEON_ROOT"

echo "==> installing dependencies" >&2
pnpm install --frozen-lockfile >&2
echo "==> building" >&2
pnpm nx run-many -t build --output-style=static >&2

nucleon() { bash scripts/nucleon "$@"; }
echo "==> nucleon deploy examples/hello-node" >&2
nucleon deploy examples/hello-node
echo "==> nucleon invoke hello-node" >&2
nucleon invoke hello-node -m POST -H 'content-type: application/json' -b '{"name":"Nucleon"}'
echo
echo "==> done. Next: bash scripts/nucleon get; bash scripts/nucleon logs hello-node; bash scripts/nucleon delete hello-node" >&2
