#!/usr/bin/env bash
# Mosquitto (Debian's mosquitto, MQTT 3.1.1 and 5) on 127.0.0.1 for local development and CI.
#
#   scripts/services/mosquitto.sh start|stop|status|restart
#
# MQTT on 127.0.0.1:${NUCLEON_MQTT_PORT:-1883} (loopback only), anonymous clients allowed.
# Persistence is on, so QoS 1/2 sessions (cleanSession false) and their queued messages survive
# a broker restart (`restart`, or stop + start: mosquitto writes its database on a clean stop
# and every `autosave_interval` seconds, here 5; a hard crash can lose the last seconds).
# Offline clients may queue up to 1,000,000 QoS 1/2 messages (mosquitto's default is 1,000).
# TCP_NODELAY is set (mosquitto defaults to Nagle), so acknowledgements are not held back 40 ms.
#
# Environment:
#   NUCLEON_MQTT_PORT   listener port, default 1883
#   NUCLEON_CACHE       cache root, default $HOME/.cache/nucleon; the broker's config, database,
#                       pid file and log live in $NUCLEON_CACHE/mosquitto-<port>/
#   NUCLEON_MQTT_WAIT   seconds to wait for startup, default 20
#
# Idempotent: `start` is a no-op when our broker runs, or when something already accepts
# connections on the port (reused, never stopped by us). `stop` stops only the broker this
# script started (the pid in its pid file). Installs the package with apt-get (as root) when
# mosquitto is missing.
set -euo pipefail

PORT="${NUCLEON_MQTT_PORT:-1883}"
WAIT="${NUCLEON_MQTT_WAIT:-20}"
DIR="${NUCLEON_CACHE:-$HOME/.cache/nucleon}/mosquitto-$PORT"
CONF="$DIR/mosquitto.conf"
PIDFILE="$DIR/mosquitto.pid"
LOGFILE="$DIR/mosquitto.log"

LOG_NAME=mosquitto.sh

# log, port_open, recorded_pid, wait_ready, stop_recorded_pid, remove_pidfile
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# mosquitto writes $PIDFILE itself (pid_file in the config); it must still be a mosquitto.
our_pid() { recorded_pid comm mosquitto; }

ensure_installed() {
  command -v mosquitto >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/mosquitto ] && { PATH="$PATH:/usr/sbin"; return 0; }
  install_packages mosquitto || exit 1
  PATH="$PATH:/usr/sbin"
  log "installed $(dpkg-query -W -f='${Version}' mosquitto)"
}

write_config() {
  mkdir -p "$DIR"
  cat >"$CONF" <<CONF
# Written by scripts/services/mosquitto.sh; rewritten on every start.
pid_file $PIDFILE
user $(id -un)
persistence true
persistence_location $DIR/
autosave_interval 5
log_dest file $LOGFILE
log_type error
log_type warning
log_type notice
max_queued_messages 1000000
set_tcp_nodelay true
listener $PORT 127.0.0.1
allow_anonymous true
CONF
}

cmd_status() {
  local pid
  if pid="$(our_pid)"; then echo "mosquitto: running (pid $pid, mqtt://127.0.0.1:$PORT, data $DIR)"; return 0; fi
  if port_open "$PORT"; then echo "mosquitto: something else accepts connections on 127.0.0.1:$PORT"; return 0; fi
  echo "mosquitto: not running"; return 3
}

ready() { port_open "$PORT" && our_pid >/dev/null; }

cmd_start() {
  local pid
  if pid="$(our_pid)"; then log "already running (pid $pid on 127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then log "127.0.0.1:$PORT already accepts connections (another broker); reusing it"; return 0; fi
  ensure_installed
  write_config
  remove_pidfile
  log "starting on 127.0.0.1:$PORT (data and log in $DIR)"
  mosquitto -c "$CONF" -d
  wait_ready "$WAIT" 0.1 "" ready \
    || { log "not started after ${WAIT}s; see $LOGFILE"; tail -20 "$LOGFILE" >&2 || true; cmd_stop; exit 1; }
  log "ready: mqtt://127.0.0.1:$PORT (pid $(our_pid))"
}

cmd_stop() {
  local pid
  if ! pid="$(our_pid)"; then log "not running (nothing started by this script on port $PORT)"; return 0; fi
  log "stopping pid $pid"
  stop_recorded_pid "$pid" 15 "pid $pid still alive after 15s; sending SIGKILL" || true
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
