# shellcheck shell=bash
# Shared helpers for the scripts in scripts/services/. Not executable on its own: each script
# sources it with
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# after setting the variables the helpers read:
#   LOG_NAME   prefix of log lines, e.g. "kafka.sh" (default: the script's file name)
#   PIDFILE    the file holding the pid the script itself recorded (pid-file helpers only)
#
# The helpers set no shell options and start nothing; every script keeps its own
# `set -euo pipefail`. `stop_recorded_pid` only ever signals the pid it is given, which callers
# take from their own pid file (never a process found by name).

# install_packages PKG...: installs missing Debian packages through scripts/debian-packages.sh,
# the one serialized installer (it waits for dpkg's lock instead of racing other scripts).
install_packages() { bash "$(dirname "${BASH_SOURCE[0]}")/../debian-packages.sh" "$@"; }

# abandon_start: a start that failed stops what it started (the pid in $PIDFILE, when alive),
# so a later run never "reuses" a half-started process that nobody recorded or will stop.
abandon_start() {
  local pid
  pid="$(recorded_pid)" || { remove_pidfile; return 0; }
  log "stopping the half-started pid $pid"
  stop_recorded_pid "$pid" 5 || true
}

# log MESSAGE...: one line on stderr, prefixed with "$LOG_NAME: ".
log() { echo "${LOG_NAME:-$(basename "$0")}: $*" >&2; }

# port_open PORT: succeeds when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# process_alive PID: succeeds while PID runs. A process that exited but is not reaped yet (a
# zombie: the daemons here are reparented to an init that may reap only every second or so)
# counts as gone, so stopping it does not wait for the reaper.
process_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# recorded_pid [comm|cmdline PATTERN]: prints the pid in $PIDFILE and succeeds when that process
# is alive. With comm|cmdline PATTERN the process's /proc/<pid>/comm (or its command line) must
# also match the grep -E PATTERN, which guards against a recycled pid.
recorded_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  [ -n "$pid" ] && process_alive "$pid" || return 1
  if [ $# -ge 2 ]; then
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/$1" | grep -qE -- "$2" || return 1
  fi
  echo "$pid"
}

# pid_alive [comm|cmdline PATTERN]: recorded_pid without the output.
pid_alive() { recorded_pid "$@" >/dev/null; }

# record_pid PID: writes PID to $PIDFILE.
record_pid() { echo "$1" >"$PIDFILE"; }

# remove_pidfile: forgets the recorded pid (no-op when there is none).
remove_pidfile() { rm -f "$PIDFILE"; }

# wait_ready SECONDS INTERVAL PID COMMAND...: runs COMMAND every INTERVAL seconds until it
# succeeds, for at most SECONDS (COMMAND is always tried at least once). Returns 0 when it
# succeeded, 1 as soon as PID (if not empty) is no longer alive, 2 when the time ran out.
# The caller prints its own messages.
wait_ready() {
  local deadline=$((SECONDS + $1)) interval="$2" pid="$3"; shift 3
  until "$@"; do
    if [ -n "$pid" ] && ! process_alive "$pid"; then return 1; fi
    [ $SECONDS -lt $deadline ] || return 2
    sleep "$interval"
  done
}

# stop_recorded_pid PID GRACE [KILL_MESSAGE]: sends SIGTERM to PID, waits up to GRACE seconds for
# it to exit, then sends SIGKILL (logging KILL_MESSAGE first when given), and removes $PIDFILE.
# Returns 0 when the process exited after SIGTERM, 1 when it had to be killed.
stop_recorded_pid() {
  local pid="$1" grace="$2" msg="${3:-}" rc=0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while process_alive "$pid"; do
    if [ $SECONDS -ge $deadline ]; then
      [ -z "$msg" ] || log "$msg"
      kill -KILL "$pid" 2>/dev/null || true
      rc=1
      local _; for _ in 1 2 3 4 5 6 7 8 9 10; do process_alive "$pid" || break; sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  remove_pidfile
  return $rc
}
