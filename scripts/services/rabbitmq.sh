#!/usr/bin/env bash
# RabbitMQ (Debian's rabbitmq-server) on 127.0.0.1 for local development and CI.
#
#   scripts/services/rabbitmq.sh start|stop|status|ctl <rabbitmqctl args...>
#
# AMQP on 127.0.0.1:${NUCLEON_RABBITMQ_PORT:-5672}, user guest/guest, vhost "/".
# Everything binds to loopback only: the AMQP listener (RABBITMQ_NODE_IP_ADDRESS), epmd
# (ERL_EPMD_ADDRESS) and the Erlang distribution port (inet_dist_use_interface, port
# RABBITMQ_DIST_PORT = AMQP port + 20000, i.e. 25672). No management plugin is enabled.
#
# Environment:
#   NUCLEON_RABBITMQ_PORT      AMQP port, default 5672
#   NUCLEON_RABBITMQ_NODENAME  Erlang node name, default rabbit@localhost (avoids depending on
#                              the machine's hostname resolving). Use `rabbitmq.sh ctl ...`
#                              (or export RABBITMQ_NODENAME) to run rabbitmqctl against it.
#   NUCLEON_RABBITMQ_WAIT      seconds to wait for startup, default 60
#
# Data: Debian's defaults, /var/lib/rabbitmq/mnesia (queues, users) and /var/log/rabbitmq.
# Idempotent: `start` is a no-op when the node is already up, or when something already
# accepts AMQP connections on the port. Needs root (or the rabbitmq user) as the Debian
# wrapper scripts require; installs the package with apt-get when it is missing.
set -euo pipefail

PORT="${NUCLEON_RABBITMQ_PORT:-5672}"
WAIT="${NUCLEON_RABBITMQ_WAIT:-60}"
export RABBITMQ_NODENAME="${NUCLEON_RABBITMQ_NODENAME:-rabbit@localhost}"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$PORT"
export RABBITMQ_DIST_PORT="$((PORT + 20000))"
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
# The CLI tools start a short-lived hidden Erlang node too; keep its listener on loopback.
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

LOG_NAME=rabbitmq.sh
# log, port_open, wait_ready (the node has no pid file of ours: rabbitmqctl stops it by name)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_installed() {
  command -v rabbitmq-server >/dev/null 2>&1 && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && return 0
  install_packages rabbitmq-server || exit 1
  # Package postinst may have tried to start a default node through init; we start our own.
  log "installed $(dpkg-query -W -f='${Version}' rabbitmq-server)"
}

ctl() { rabbitmqctl "$@"; }
node_up() { timeout 20 rabbitmqctl -q ping >/dev/null 2>&1; }
node_started() { timeout 30 rabbitmqctl -q await_startup --timeout 20 >/dev/null 2>&1; }

cmd_status() {
  if command -v rabbitmqctl >/dev/null 2>&1 && node_up; then
    echo "rabbitmq: running ($RABBITMQ_NODENAME, amqp://guest:guest@127.0.0.1:$PORT)"; return 0
  elif port_open "$PORT"; then
    echo "rabbitmq: something accepts connections on 127.0.0.1:$PORT (not node $RABBITMQ_NODENAME)"; return 0
  fi
  echo "rabbitmq: not running"; return 3
}

cmd_start() {
  local t0=$SECONDS
  ensure_installed
  if node_up; then log "already running ($RABBITMQ_NODENAME on 127.0.0.1:$PORT)"; return 0; fi
  if port_open "$PORT"; then log "127.0.0.1:$PORT already accepts connections (another broker); reusing it"; return 0; fi
  log "starting $RABBITMQ_NODENAME on 127.0.0.1:$PORT (logs /var/log/rabbitmq)"
  rabbitmq-server -detached
  local deadline=$((SECONDS + WAIT))
  # await_startup fails fast while the node is not yet registered with epmd: retry until deadline.
  wait_ready "$WAIT" 0.5 "" node_started \
    || { log "not started after ${WAIT}s; see /var/log/rabbitmq/"; ls -t /var/log/rabbitmq/*.log 2>/dev/null | head -1 | xargs -r tail -20 >&2; cmd_stop; exit 1; }
  wait_ready "$((deadline - SECONDS))" 0.2 "" port_open "$PORT" \
    || { log "node up but port $PORT closed after ${WAIT}s"; cmd_stop; exit 1; }
  log "ready: amqp://guest:guest@127.0.0.1:$PORT ($((SECONDS - t0))s)"
}

cmd_stop() {
  if ! command -v rabbitmqctl >/dev/null 2>&1 || ! node_up; then log "not running"; return 0; fi
  log "stopping $RABBITMQ_NODENAME"
  timeout 60 rabbitmqctl -q stop >/dev/null
  # The Erlang port mapper the broker started outlives it; with no node left it can go too.
  command -v epmd >/dev/null 2>&1 && epmd -kill >/dev/null 2>&1 || true
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  ctl) shift; ctl "$@" ;;
  *) echo "usage: $0 start|stop|status|restart|ctl <rabbitmqctl args...>" >&2; exit 2 ;;
esac
