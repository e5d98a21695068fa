#!/usr/bin/env bash
# Runtime benchmark: Python / Go / .NET / shell through the processor vs minimal same-language loops.
# One command: bash bench/runtimes/run.sh   (BENCH_QUICK=1: 2 s smoke run; see bench/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=../../scripts/env.sh
source "$ROOT/scripts/env.sh"

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench/runtimes: installing wrk" >&2
  bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/debian-packages.sh" wrk
fi
if [ ! -f "$ROOT/packages/processor/dist/main.js" ]; then
  echo "bench/runtimes: building the workspace (pnpm -r build)" >&2
  (cd "$ROOT" && { [ -d node_modules ] || pnpm install --frozen-lockfile >&2; } && pnpm -r build >&2)
fi
if [ ! -e "$HERE/node_modules/nucleon-bench-runtime-ceiling" ]; then
  echo "bench/runtimes: installing bench dependencies (npm ci)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# The Go ceiling, built once (stdlib only, no network).
if [ ! -x "$HERE/.build/go_loop" ] || [ "$HERE/ceilings/go_loop/main.go" -nt "$HERE/.build/go_loop" ]; then
  echo "bench/runtimes: building ceilings/go_loop" >&2
  (cd "$HERE/ceilings/go_loop" && GOTOOLCHAIN=local GOFLAGS= go build -o "$HERE/.build/go_loop" .) >&2
fi
# The C# ceiling, built once with Mono's mcs (installed by scripts/services/mono.sh when missing).
bash "$ROOT/scripts/services/mono.sh" ensure >&2
if [ ! -f "$HERE/.build/cs_loop.exe" ] || [ "$HERE/ceilings/cs_loop.cs" -nt "$HERE/.build/cs_loop.exe" ]; then
  echo "bench/runtimes: building ceilings/cs_loop.cs" >&2
  mkdir -p "$HERE/.build" && mcs -nologo -optimize+ -out:"$HERE/.build/cs_loop.exe" "$HERE/ceilings/cs_loop.cs" >&2
fi
exec node "$HERE/run.mjs"
