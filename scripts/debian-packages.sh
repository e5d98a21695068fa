#!/usr/bin/env bash
# Installs the Debian packages the tests, the demo and the benchmarks need, in one serialized
# `apt-get install` (dpkg allows one at a time: parallel installs fail with "Could not get lock").
#
#   scripts/debian-packages.sh            every package below that is missing
#   scripts/debian-packages.sh PKG...     only these (a service script asking for its own)
#
# Fast when nothing is missing (one dpkg-query). `apt-get update` runs only when an install
# fails (a fresh machine's package lists are empty or stale). Waits up to
# $NUCLEON_APT_LOCK_WAIT seconds (default 600) for a dpkg lock held by someone else, and
# serializes its own callers with flock, so service scripts started in parallel never race.
# Needs root when something is missing; says what to run otherwise.
set -euo pipefail

# What each package is for, so the list stays honest:
#   docker.io              the image builder's and the Docker platform's tests
#   rabbitmq-server        trigger-rabbitmq
#   nats-server            trigger-nats
#   mosquitto              trigger-mqtt
#   mono-mcs mono-runtime  runtime-dotnet (C# compiled with mcs)
#   python3-pip            pip for spec.build.commands (`pip install x`) on the local platform
#   wrk                    bench/http and bench/runtimes
#   etcd-server containerd runc containernetworking-plugins docker-registry
#                          the local Kubernetes cluster (scripts/services/kubernetes.sh): its
#                          store, container runtime, CNI loopback plugin and image registry
#   openssl curl           the cluster's certificates and its health checks
#   busybox-static         the cluster's `check` image (a static busybox httpd)
#   chromium               the dashboard's browser tests and bench/dashboard (headless, playwright-core)
ALL_PACKAGES=(docker.io rabbitmq-server nats-server mosquitto mono-mcs mono-runtime python3-pip wrk
  etcd-server containerd runc containernetworking-plugins docker-registry openssl curl busybox-static chromium)
LOCK_WAIT="${NUCLEON_APT_LOCK_WAIT:-600}"
LOG="${TMPDIR:-/tmp}/nucleon-apt.log"

log() { echo "debian-packages.sh: $*" >&2; }

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

missing_of() {
  local pkg
  for pkg in "$@"; do installed "$pkg" || echo "$pkg"; done
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${ALL_PACKAGES[@]}")
mapfile -t missing < <(missing_of "${wanted[@]}")
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" != 0 ]; then
  log "missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}"
  exit 1
fi

# One installer at a time among our own callers; dpkg's lock covers everyone else.
exec 8>/var/lock/nucleon-debian-packages.lock
flock -w "$LOCK_WAIT" 8 || { log "waited ${LOCK_WAIT}s for another install of ours; giving up"; exit 1; }
# A caller that waited may find its packages installed by the one before it.
mapfile -t missing < <(missing_of "${missing[@]}")
[ ${#missing[@]} -gt 0 ] || exit 0

export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -y -q -o "DPkg::Lock::Timeout=$LOCK_WAIT")
log "installing ${missing[*]} (one apt-get install; log $LOG)"
start=$SECONDS
if ! "${apt[@]}" install "${missing[@]}" >"$LOG" 2>&1; then
  log "install failed; running apt-get update and retrying"
  "${apt[@]}" update >>"$LOG" 2>&1 || true
  if ! "${apt[@]}" install "${missing[@]}" >>"$LOG" 2>&1; then
    log "apt-get install failed; last lines of $LOG:"
    tail -n 20 "$LOG" >&2
    exit 1
  fi
fi
log "installed ${missing[*]} in $((SECONDS - start))s"
