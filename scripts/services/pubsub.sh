#!/usr/bin/env bash
# Google Pub/Sub fake (pstest, Google's in-memory fake from the Go module
# cloud.google.com/go/pubsub/v2) on 127.0.0.1 for local development and CI.
#
#   scripts/services/pubsub.sh start|stop|status|restart
#
# The server is the tiny Go main in scripts/services/pubsub-fake/ (pins pubsub/v2 v2.9.0),
# built with the preinstalled Go (modules from the Go module proxy) into
#   ${NUCLEON_CACHE:-$HOME/.cache/nucleon}/pubsub-fake-<hash of its sources>/pubsub-fake
# and reused while the sources are unchanged. It runs detached (setsid) with its pid and log
# in $NUCLEON_PUBSUB_DATA. Clients reach it with PUBSUB_EMULATOR_HOST=127.0.0.1:$PORT (no
# credentials; any project id works). State lives in memory: a restart empties it.
#
# pstest, as used here: topics, subscriptions, StreamingPull, ack, modifyAckDeadline (0 = nack,
# immediate redelivery), ack deadlines from 1 s (the real service needs 10-600 s), ordering
# keys, server-side dead-letter policies. It applies no server-side flow control (clients do).
#
# Environment:
#   NUCLEON_PUBSUB_PORT   port, default 8085
#   NUCLEON_PUBSUB_DATA   pid + log folder, default $cache/pubsub-data-$PORT
#   NUCLEON_PUBSUB_WAIT   seconds to wait for the port, default 30
#   GO                    go binary, default go on PATH (or /usr/local/go/bin/go)
#
# Idempotent: `start` is a no-op when our server runs, or when something already accepts
# connections on the port (reused, never stopped by us); `stop` stops only the process whose
# pid this script recorded, and is a no-op when none runs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/pubsub-fake"
CACHE="${NUCLEON_CACHE:-$HOME/.cache/nucleon}"
PORT="${NUCLEON_PUBSUB_PORT:-8085}"
DATA="${NUCLEON_PUBSUB_DATA:-$CACHE/pubsub-data-$PORT}"
PIDFILE="$DATA/pubsub-fake.pid"
LOGFILE="$DATA/pubsub-fake.log"
WAIT="${NUCLEON_PUBSUB_WAIT:-30}"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"

LOG_NAME=pubsub.sh

# log, port_open, pid_alive, record_pid, wait_ready, stop_recorded_pid, remove_pidfile
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Builds the fake once per source version; prints the binary's path.
ensure_binary() {
  local hash dir bin
  hash="$(cat "$SRC/main.go" "$SRC/go.mod" "$SRC/go.sum" | sha256sum | cut -c1-12)"
  dir="$CACHE/pubsub-fake-$hash"
  bin="$dir/pubsub-fake"
  if [ ! -x "$bin" ]; then
    [ -x "$GO" ] || { log "Go is required to build the Pub/Sub fake (set GO=/path/to/go)"; exit 1; }
    log "building the Pub/Sub fake (pstest) into $dir (first run only, ~30-90s)..."
    mkdir -p "$dir"
    local t0=$SECONDS
    (cd "$SRC" && GOFLAGS=-mod=mod "$GO" build -trimpath -o "$bin.tmp" .) >&2 \
      || { log "go build failed"; rm -f "$bin.tmp"; rmdir "$dir" 2>/dev/null || true; exit 1; }
    mv "$bin.tmp" "$bin"
    log "built in $((SECONDS - t0))s"
  fi
  echo "$bin"
}

cmd_status() {
  if pid_alive; then echo "pubsub: running (pid $(cat "$PIDFILE"), PUBSUB_EMULATOR_HOST=127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then echo "pubsub: something accepts connections on 127.0.0.1:$PORT (not started by this script)"; return 0; fi
  echo "pubsub: not running"; return 3
}

cmd_start() {
  if pid_alive; then log "already running (pid $(cat "$PIDFILE"), 127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then log "127.0.0.1:$PORT already accepts connections; reusing it"; return 0; fi
  local bin; bin="$(ensure_binary)"
  mkdir -p "$DATA"
  log "starting pstest on 127.0.0.1:$PORT (log $LOGFILE)"
  NUCLEON_PUBSUB_PORT="$PORT" setsid "$bin" >"$LOGFILE" 2>&1 </dev/null &
  record_pid $!
  local rc=0
  wait_ready "$WAIT" 0.1 "$(cat "$PIDFILE")" port_open "$PORT" || rc=$?
  case $rc in
    1) log "the fake exited; its log:"; tail -20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
    2) log "port $PORT not open after ${WAIT}s"; abandon_start; exit 1 ;;
  esac
  log "ready: PUBSUB_EMULATOR_HOST=127.0.0.1:$PORT"
}

cmd_stop() {
  if ! pid_alive; then remove_pidfile; log "not running (nothing started by this script)"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  log "stopping pid $pid"
  stop_recorded_pid "$pid" 5 || true
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
