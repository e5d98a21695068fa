#!/usr/bin/env bash
# NATS server (Debian's nats-server) with JetStream on 127.0.0.1 for local development and CI.
#
#   scripts/services/nats.sh start|stop|status|restart
#
# Clients: nats://127.0.0.1:${NUCLEON_NATS_PORT:-4222}, no authentication. JetStream is enabled
# (-js) with its store under $DATA/jetstream, so streams, durable consumers and their acks survive
# a `restart`. Only the client listener is opened, on loopback: no monitoring port unless
# NUCLEON_NATS_HTTP_PORT is set (then on 127.0.0.1 too), no cluster, gateway or leafnode ports.
#
# Environment:
#   NUCLEON_NATS_PORT       client port, default 4222
#   NUCLEON_NATS_HTTP_PORT  monitoring port on 127.0.0.1, default none (off)
#   NUCLEON_NATS_DATA       data dir (JetStream store, nats.pid, nats.log);
#                           default ${NUCLEON_CACHE:-$HOME/.cache/nucleon}/nats-data-$PORT
#   NUCLEON_NATS_WAIT       seconds to wait for the server to accept connections, default 20
#
# Idempotent and safe to run concurrently (flock on $DATA/.lock): `start` is a no-op when the
# server this script started is running, or when something already accepts connections on the
# port (reused, never stopped by us). `stop` only
# stops the server whose pid this script recorded in $DATA/nats.pid (SIGTERM, then SIGKILL after
# 15 s); it is a no-op otherwise. Installs the package with apt-get (as root) when it is missing.
set -euo pipefail

PORT="${NUCLEON_NATS_PORT:-4222}"
HTTP_PORT="${NUCLEON_NATS_HTTP_PORT:-}"
CACHE="${NUCLEON_CACHE:-$HOME/.cache/nucleon}"
DATA="${NUCLEON_NATS_DATA:-$CACHE/nats-data-$PORT}"
PIDFILE="$DATA/nats.pid"
LOGFILE="$DATA/nats.log"
WAIT="${NUCLEON_NATS_WAIT:-20}"

LOG_NAME=nats.sh

# log, port_open, recorded_pid, record_pid, wait_ready, stop_recorded_pid, remove_pidfile
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Guard against a recycled pid: it must still be a nats-server.
our_pid() { recorded_pid comm '^nats-server$'; }

ensure_installed() {
  command -v nats-server >/dev/null 2>&1 && return 0
  install_packages nats-server || exit 1
  log "installed $(nats-server --version)"
}

cmd_status() {
  local pid
  if pid="$(our_pid)"; then echo "nats: running (pid $pid, nats://127.0.0.1:$PORT, JetStream store $DATA/jetstream)"; return 0; fi
  if port_open "$PORT"; then echo "nats: something accepts connections on 127.0.0.1:$PORT (not started by this script)"; return 0; fi
  echo "nats: not running"; return 3
}

# Serialises start/stop of one data dir: test files starting the server at once start one.
lock() {
  mkdir -p "$DATA"
  exec 9>"$DATA/.lock"
  command -v flock >/dev/null 2>&1 && flock -w 60 9 || true
}

cmd_start() {
  local pid
  lock
  if pid="$(our_pid)"; then log "already running (pid $pid on 127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then log "127.0.0.1:$PORT already accepts connections (another server); reusing it"; return 0; fi
  ensure_installed
  mkdir -p "$DATA/jetstream"
  local args=(-a 127.0.0.1 -p "$PORT" -js -sd "$DATA/jetstream" -P "$PIDFILE" -l "$LOGFILE" -n "nucleon-$PORT")
  [ -n "$HTTP_PORT" ] && args+=(--http_port "$HTTP_PORT")
  # The monitoring listener binds to the client address (-a), so it stays on loopback too.
  log "starting nats-server on 127.0.0.1:$PORT (JetStream store $DATA/jetstream, log $LOGFILE)"
  setsid nats-server "${args[@]}" </dev/null >>"$LOGFILE" 2>&1 9>&- &
  local child=$!
  record_pid "$child"
  local rc=0
  wait_ready "$WAIT" 0.1 "$child" port_open "$PORT" || rc=$?
  case $rc in
    1) log "nats-server exited; see $LOGFILE"; tail -20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
    2) log "not accepting connections after ${WAIT}s; see $LOGFILE"; tail -20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
  esac
  # JetStream recovers its streams before it answers; the port opens after that.
  log "ready: nats://127.0.0.1:$PORT (pid $child)"
}

cmd_stop() {
  local pid
  lock
  if ! pid="$(our_pid)"; then log "not running (nothing started by this script)"; remove_pidfile; return 0; fi
  log "stopping nats-server (pid $pid)"
  stop_recorded_pid "$pid" 15 "still running after 15s; SIGKILL" || true
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
