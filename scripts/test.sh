#!/usr/bin/env bash
# Installs what the tests need (Node 24, pnpm, dependencies), builds, type-checks, and runs
# every test: unit and integration (real processes, real HTTP). Ends with `N passed, N failed`.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NUCLEON_ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "installing dependencies"
pnpm install --frozen-lockfile || exit 1
step "building and type-checking every package"
pnpm nx run-many -t build lint --output-style=static || exit 1
# The stream triggers' integration tests need the real brokers, and the builder and the
# Docker platform a real engine (idempotent; all start at once and are stopped at the end,
# also when a step fails; images stay, so later runs reuse their layers).
stop_services() {
  bash scripts/services/rabbitmq.sh stop || true
  bash scripts/services/kafka.sh stop || true
  bash scripts/services/docker.sh stop || true
}
trap stop_services EXIT
step "starting RabbitMQ, Kafka and the Docker engine"
bash scripts/services/rabbitmq.sh start & rabbit_pid=$!
bash scripts/services/kafka.sh start & kafka_pid=$!
bash scripts/services/docker.sh start & docker_pid=$!
wait "$rabbit_pid" || exit 1
wait "$kafka_pid" || exit 1
wait "$docker_pid" || exit 1

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
