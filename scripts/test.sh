#!/usr/bin/env bash
# Installs what the tests need (Node 24, pnpm, dependencies), builds, type-checks, and runs
# every test: unit and integration (real processes, real HTTP). Ends with `N passed, N failed`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NUCLEON_ROOT"

step() { printf '\n==> %s\n' "$*"; }

# The Kubernetes binaries take ~30 min to build on 2 cores, once per machine (cached after):
# the build starts first, in the background (its own process group, so an early exit stops
# it), to overlap with installing and building; kubernetes.sh start waits for it.
kube_build=""
if ! bash scripts/services/kubernetes.sh build --cached; then
  step "building the Kubernetes binaries in the background (~30 min on 2 cores, once)"
  setsid bash scripts/services/kubernetes.sh build & kube_build=$!
fi
stop_kube_build() { [ -z "$kube_build" ] || kill -- "-$kube_build" 2>/dev/null || true; }
trap stop_kube_build EXIT

step "installing dependencies"
pnpm install --frozen-lockfile || exit 1
step "building and type-checking every package"
pnpm nx run-many -t build lint --output-style=static || exit 1
# Integration tests talk to real services: the brokers of the stream triggers, a Docker
# engine for the image builder and the Docker platform, and a single-node Kubernetes cluster
# (with the image registry its pods pull from) for the Kubernetes platform. Every script is
# idempotent; all start at once and the ones this run started are stopped at the end, also
# when a step fails (one already running, say a cluster a developer uses, is left running;
# images stay, so later runs reuse their layers). Kubernetes starts first: on a fresh machine
# its start includes building its binaries (~30 min on 2 cores, once; cached afterwards).
SERVICES=(kubernetes rabbitmq kafka docker kinesalite pubsub nats mosquitto)
started_here=()
stop_services() {
  stop_kube_build
  for service in "${started_here[@]}"; do bash "scripts/services/$service.sh" stop || true; done
}
trap stop_services EXIT
# Every Debian package first, in one apt-get install (dpkg allows one at a time): the service
# scripts then find theirs installed and start in parallel without racing for the lock.
step "installing missing Debian packages"
bash scripts/debian-packages.sh || exit 1
step "starting services: ${SERVICES[*]}"
pids=()
for service in "${SERVICES[@]}"; do
  bash "scripts/services/$service.sh" status >/dev/null 2>&1 || started_here+=("$service")
  bash "scripts/services/$service.sh" start & pids+=($!)
done
# The .NET runtime's tests compile C# with Debian's Mono.
bash scripts/services/mono.sh ensure & pids+=($!)
# Wait for every start, failed or not, before giving up: stopping services while one is still
# starting would leave that one running with nobody to stop it.
started=0
for pid in "${pids[@]}"; do wait "$pid" || started=1; done
[ $started -eq 0 ] || { echo "test.sh: a service failed to start (see above)" >&2; exit 1; }

results="$(mktemp -d)"
step "running unit and integration tests"
pnpm vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json"
vitest_status=$?
step "running the example plugin's and the benchmarks' own tests"
node_logs=()
for dir in examples/trigger-ticker bench/http bench/kafka; do
  [ -d "$dir" ] || continue
  log="$results/$(echo "$dir" | tr / -).log"
  (cd "$dir" && node --test) > "$log" 2>&1
  node_status=$?
  cat "$log" | tail -n 12
  [ $node_status -eq 0 ] || vitest_status=1
  node_logs+=("$log")
done

stop_services
trap - EXIT
# Last, so CI's reader finds the counts on the closing line.
node scripts/summarize-tests.mjs "$results/vitest.json" "${node_logs[@]}"
exit $vitest_status
