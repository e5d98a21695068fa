#!/usr/bin/env bash
# Docker engine (Debian's docker.io) for local development and CI.
#
#   scripts/services/docker.sh start|stop|status
#
# Starts `dockerd --bridge=none --iptables=false --ip6tables=false`: no bridge network and no
# firewall rules, so containers reach nothing unless run with host networking (which is what
# Nucleon's Docker platform and its tests use, on 127.0.0.1). Docker Hub is not reachable on
# these machines: base images are assembled locally (`nucleon images bootstrap`).
#
# Environment:
#   NUCLEON_DOCKER_WAIT   seconds to wait for the engine to answer, default 60
#
# The engine listens on the default socket, /var/run/docker.sock; its log goes to
# ${NUCLEON_CACHE:-$HOME/.cache/nucleon}/dockerd.log and its pid to dockerd.pid there.
# Idempotent: `start` is a no-op when an engine already answers on the socket (ours or one
# started otherwise); `stop` stops only the engine this script started (by its pid file).
# Needs root; installs docker.io with apt-get when dockerd is missing.
set -euo pipefail

CACHE="${NUCLEON_CACHE:-$HOME/.cache/nucleon}"
PIDFILE="$CACHE/dockerd.pid"
LOGFILE="$CACHE/dockerd.log"
WAIT="${NUCLEON_DOCKER_WAIT:-60}"
SOCKET=/var/run/docker.sock

LOG_NAME=docker.sh

# log, recorded_pid, record_pid, wait_ready, stop_recorded_pid, remove_pidfile
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engine_answers() { docker --host "unix://$SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

ensure_installed() {
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 && return 0
  install_packages docker.io || exit 1
}

cmd_start() {
  if engine_answers; then
    log "engine already answers on $SOCKET"
    return 0
  fi
  ensure_installed
  [ "$(id -u)" = 0 ] || { log "dockerd needs root"; exit 1; }
  mkdir -p "$CACHE"
  log "starting dockerd (--bridge=none, no iptables), log $LOGFILE"
  setsid dockerd --bridge=none --iptables=false --ip6tables=false --host "unix://$SOCKET" \
    >"$LOGFILE" 2>&1 < /dev/null &
  record_pid $!
  local rc=0
  wait_ready "$WAIT" 0.2 "$(cat "$PIDFILE")" engine_answers || rc=$?
  case $rc in
    1) log "dockerd exited; last log lines:"; tail -n 20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
    2) log "dockerd did not answer within ${WAIT}s; last log lines:"; tail -n 20 "$LOGFILE" >&2; abandon_start; exit 1 ;;
  esac
  log "engine ready ($(docker version --format '{{.Server.Version}}'), pid $(cat "$PIDFILE"))"
}

cmd_stop() {
  local pid
  if ! pid="$(recorded_pid)"; then
    log "not running (or not started by this script)"
    remove_pidfile
    return 0
  fi
  log "stopping dockerd pid $pid"
  if stop_recorded_pid "$pid" 30 "dockerd did not stop in 30s; sending SIGKILL"; then log "stopped"; fi
}

cmd_status() {
  if engine_answers; then
    echo "docker: running ($(docker version --format '{{.Server.Version}}'))"
    return 0
  fi
  echo "docker: not running"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
