#!/usr/bin/env bash
# kinesalite (in-memory Kinesis, npm package `kinesalite`) on 127.0.0.1 for local development and CI.
#
#   scripts/services/kinesalite.sh start|stop|status
#
# Kinesis API on http://127.0.0.1:${NUCLEON_KINESIS_PORT:-4567} (plain HTTP/1.1; any region and
# any credentials are accepted). Streams live in memory: a restart of kinesalite forgets them.
# Clients: with current @aws-sdk/client-kinesis pass `requestHandler: new NodeHttpHandler()`
# (from @smithy/node-http-handler); the default HTTP/2 handler fails against kinesalite.
#
# The binary comes from the workspace install (devDependency of packages/trigger-kinesis);
# when it is missing, run `pnpm install` at the repository root. Its optional leveldown build
# is not needed: without --path kinesalite keeps everything in memory.
#
# Environment:
#   NUCLEON_KINESIS_PORT   port, default 4567
#   NUCLEON_CACHE          cache folder, default ~/.cache/nucleon; pid and log files are in
#                          $NUCLEON_CACHE/kinesalite-<port>/ (kinesalite.pid, kinesalite.log)
#   NUCLEON_KINESIS_WAIT   seconds to wait for startup, default 30
#
# Idempotent: `start` is a no-op when our kinesalite is running, or when something already
# accepts connections on the port (reused, never stopped). `stop` ends only the process whose
# pid this script recorded.
set -euo pipefail

PORT="${NUCLEON_KINESIS_PORT:-4567}"
WAIT="${NUCLEON_KINESIS_WAIT:-30}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$ROOT/packages/trigger-kinesis/node_modules/.bin/kinesalite"
STATE="${NUCLEON_CACHE:-$HOME/.cache/nucleon}/kinesalite-$PORT"
PIDFILE="$STATE/kinesalite.pid"
LOGFILE="$STATE/kinesalite.log"

LOG_NAME=kinesalite.sh

# log, port_open, recorded_pid, record_pid, wait_ready, stop_recorded_pid, remove_pidfile
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The pid must still be a kinesalite (not a recycled pid).
our_pid() { recorded_pid cmdline kinesalite; }

cmd_status() {
  local pid
  if pid="$(our_pid)"; then echo "kinesalite: running (pid $pid, http://127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then echo "kinesalite: something else accepts connections on 127.0.0.1:$PORT"; return 0; fi
  echo "kinesalite: not running"; return 3
}

cmd_start() {
  if pid="$(our_pid)"; then log "already running (pid $pid on 127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then log "127.0.0.1:$PORT already accepts connections; reusing it"; return 0; fi
  [ -x "$BIN" ] || { log "kinesalite is not installed at $BIN; run: pnpm install (at $ROOT)"; exit 1; }
  command -v node >/dev/null 2>&1 || { log "node is not on PATH; run: source scripts/env.sh"; exit 1; }
  mkdir -p "$STATE"
  log "starting kinesalite on 127.0.0.1:$PORT (log $LOGFILE)"
  # kinesalite's CLI has no --host; the server module takes one, so start it through node.
  setsid node -e '
    const server = require(process.argv[1])({ createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 1000 });
    server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("kinesalite listening on 127.0.0.1:" + process.argv[2]));
  ' "$(readlink -f "$ROOT/packages/trigger-kinesis/node_modules/kinesalite")" "$PORT" \
    </dev/null >>"$LOGFILE" 2>&1 &
  record_pid $!
  local rc=0
  wait_ready "$WAIT" 0.1 "$(cat "$PIDFILE")" port_open "$PORT" || rc=$?
  case $rc in
    1) log "kinesalite exited; log:"; tail -20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
    2) log "not listening after ${WAIT}s; log:"; tail -20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
  esac
  log "running (pid $(cat "$PIDFILE"))"
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then remove_pidfile; log "not running (nothing started by this script)"; return 0; fi
  stop_recorded_pid "$pid" 5 || true
  log "stopped (pid $pid)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
