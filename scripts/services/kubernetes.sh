#!/usr/bin/env bash
# A real single-node Kubernetes on 127.0.0.1 for local development and CI.
#
#   scripts/services/kubernetes.sh start|stop|status|build|reset|check|kubectl ARGS...
#
# etcd (Debian's etcd-server), kube-apiserver, kube-controller-manager, kube-scheduler and a
# kubelet on Debian's containerd + runc, plus the image registry pods pull from (Debian's
# docker-registry). Pods run on the host network and bind 127.0.0.1; the node's only network is
# a loopback CNI config. The Kubernetes binaries are built from the k8s.io/kubernetes Go module
# (`build`, ~30 min on 2 cores, once) and cached.
#
#   start    build (when not cached), certificates, configs, each component; waits for node Ready.
#            Idempotent: a component already running and answering is left alone.
#   stop     stops what start started, by pid (kubelet first), removes the pod containers,
#            unmounts what was mounted under the data dir. Keeps binaries, images, certificates,
#            etcd's data: the next start brings the same cluster back.
#   status   each component (pid, RSS) and the node; exit 0 only when everything runs, else 3.
#   build    the five binaries into $CACHE/kubernetes-v1.37.2/bin (a no-op when cached);
#            `build --cached` only says (exit 0 or 1) whether they are.
#   reset    stop, then delete the data dir (a fresh cluster on the next start).
#   check    smoke test: two hostNetwork pods (an image imported into containerd, an image
#            pulled from the registry) answer HTTP on 127.0.0.1; removes them again.
#   kubectl  runs the cached kubectl with the admin kubeconfig.
#
# Paths: binaries $CACHE/kubernetes-v1.37.2/bin, images $CACHE/kubernetes-images, state
# $NUCLEON_KUBE_DATA (default $CACHE/kubernetes-data) with the admin kubeconfig at
# $DATA/admin.kubeconfig, logs in $DATA/logs, pid files in $DATA/run. CACHE is
# ${NUCLEON_CACHE:-$HOME/.cache/nucleon}. docs/kubernetes.md ("The local cluster") has the rest.
#
# Environment (ports on 127.0.0.1):
#   NUCLEON_KUBE_DATA            state dir, default $CACHE/kubernetes-data
#   NUCLEON_KUBE_CONTAINERD_ROOT containerd's image and snapshot root, default $NUCLEON_KUBE_DATA/containerd
#                                (/var/lib/containerd/nucleon-kubernetes when that is on an overlay)
#   NUCLEON_KUBE_API_PORT        kube-apiserver, default 6443
#   NUCLEON_KUBE_ETCD_PORT       etcd clients, default 2379 (peers: NUCLEON_KUBE_ETCD_PEER_PORT, 2380)
#   NUCLEON_KUBE_REGISTRY_PORT   image registry, default 5000
#   NUCLEON_KUBE_CONTROLLER_MANAGER_PORT, NUCLEON_KUBE_SCHEDULER_PORT   health ports, 10257, 10259
#   NUCLEON_KUBE_NODE_NAME       node name, default the hostname when it resolves to loopback,
#                                else "localhost" (the API server reaches the kubelet by name)
#   NUCLEON_KUBE_WAIT            seconds to wait for each component, default 120
# The kubelet's ports (10250, health 10248) are fixed: one kubelet per machine, since it also
# uses paths outside its data dir. Needs root (containers, mounts, cgroups).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

KUBE_VERSION=v1.37.2
STAGING_VERSION=v0.37.2
CACHE="${NUCLEON_CACHE:-$HOME/.cache/nucleon}"
KUBE_HOME="$CACHE/kubernetes-$KUBE_VERSION"
BIN="$KUBE_HOME/bin"
IMAGES="$CACHE/kubernetes-images"
DATA="${NUCLEON_KUBE_DATA:-$CACHE/kubernetes-data}"
PKI="$DATA/pki"
CONF="$DATA/config"
RUN="$DATA/run"
LOGS="$DATA/logs"
ADMIN_KUBECONFIG="$DATA/admin.kubeconfig"
CONTAINERD_SOCK="$RUN/containerd/containerd.sock"
# containerd's overlayfs snapshotter cannot keep image layers on an overlay filesystem (the root
# of a container or of an overlay-mounted chroot, as on a fresh CI machine): there the layers go
# to /var/lib/containerd/nucleon-kubernetes (a path of Debian's containerd, unused by dockerd's
# own), elsewhere under the data dir. NUCLEON_KUBE_CONTAINERD_ROOT overrides both.
fs_type_of() { local dir="$1"; while [ ! -e "$dir" ]; do dir="$(dirname "$dir")"; done; stat -f -c %T "$dir"; }
if [ -n "${NUCLEON_KUBE_CONTAINERD_ROOT:-}" ]; then
  CONTAINERD_ROOT="$NUCLEON_KUBE_CONTAINERD_ROOT"
elif [ "$(fs_type_of "$DATA")" = overlayfs ]; then
  CONTAINERD_ROOT=/var/lib/containerd/nucleon-kubernetes
else
  CONTAINERD_ROOT="$DATA/containerd"
fi

API_PORT="${NUCLEON_KUBE_API_PORT:-6443}"
ETCD_PORT="${NUCLEON_KUBE_ETCD_PORT:-2379}"
ETCD_PEER_PORT="${NUCLEON_KUBE_ETCD_PEER_PORT:-2380}"
REGISTRY_PORT="${NUCLEON_KUBE_REGISTRY_PORT:-5000}"
REGISTRY="127.0.0.1:$REGISTRY_PORT"
KUBELET_PORT=10250
KUBELET_HEALTHZ_PORT=10248
CONTROLLER_MANAGER_PORT="${NUCLEON_KUBE_CONTROLLER_MANAGER_PORT:-10257}"
SCHEDULER_PORT="${NUCLEON_KUBE_SCHEDULER_PORT:-10259}"
WAIT="${NUCLEON_KUBE_WAIT:-120}"
# The first Service IP is the `kubernetes` Service's; nothing here routes to it (no kube-proxy).
SERVICE_CIDR=10.0.0.0/24
SERVICE_FIRST_IP=10.0.0.1

LOG_NAME=kubernetes.sh
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# log, port_open, recorded_pid, record_pid, wait_ready, stop_recorded_pid, remove_pidfile, install_packages
source "$HERE/lib.sh"
# build_binaries, binaries_cached
source "$HERE/kubernetes/build.sh"
# ensure_pki, write_kubeconfigs
source "$HERE/kubernetes/pki.sh"
# write_component_configs
source "$HERE/kubernetes/configs.sh"
# ensure_image_archives, import_images, push_registry_images, image names
source "$HERE/kubernetes/images.sh"
# run_check, ensure_check_images
source "$HERE/kubernetes/check.sh"
# save_sysctls, restore_sysctls, remove_pod_containers, unmount_data_mounts, remove_outside_paths
source "$HERE/kubernetes/host-state.sh"

# The API server reaches the kubelet (logs, exec) by node name, so the name must resolve to
# loopback: the node's InternalIP is eth0's address, which nothing here may send to.
node_name() {
  if [ -n "${NUCLEON_KUBE_NODE_NAME:-}" ]; then echo "$NUCLEON_KUBE_NODE_NAME"; return; fi
  local host addrs
  host="$(hostname)"
  addrs="$(getent ahostsv4 "$host" 2>/dev/null | awk '{print $1}' | sort -u)"
  if [ -n "$addrs" ] && ! grep -qv '^127\.' <<<"$addrs"; then
    echo "$host" | tr '[:upper:]' '[:lower:]'
  else
    echo localhost
  fi
}
NODE_NAME="$(node_name)"

kubectl_admin() { "$BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }
ctr_k8s() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }
# curl to loopback only, never through a proxy, bounded.
curl_local() { curl --noproxy '*' -sf -m 3 "$@"; }

# ---- each component: the pattern its command line must match (guards against a recycled pid)
# and the check that says it answers.
cmdline_of() {
  case "$1" in
    etcd) echo '(^|/)etcd --name nucleon ' ;;
    containerd) echo '(^|/)containerd --config ' ;;
    registry) echo '(^|/)docker-registry serve ' ;;
    kube-apiserver|kube-controller-manager|kube-scheduler|kubelet) echo "(^|/)$1 " ;;
  esac
}
answers() {
  case "$1" in
    etcd) [[ "$(curl_local "http://127.0.0.1:$ETCD_PORT/health")" == *'"health":"true"'* ]] ;;
    containerd) [ -S "$CONTAINERD_SOCK" ] && timeout 5 ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 ;;
    registry) curl_local -o /dev/null "http://$REGISTRY/v2/" ;;
    kube-apiserver) curl_local -o /dev/null --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
                      "https://127.0.0.1:$API_PORT/readyz" ;;
    kube-controller-manager) curl_local -o /dev/null -k "https://127.0.0.1:$CONTROLLER_MANAGER_PORT/healthz" ;;
    kube-scheduler) curl_local -o /dev/null -k "https://127.0.0.1:$SCHEDULER_PORT/healthz" ;;
    kubelet) curl_local -o /dev/null "http://127.0.0.1:$KUBELET_HEALTHZ_PORT/healthz" ;;
  esac
}
port_of() {
  case "$1" in
    etcd) echo "$ETCD_PORT" ;; containerd) echo "" ;; registry) echo "$REGISTRY_PORT" ;;
    kube-apiserver) echo "$API_PORT" ;; kube-controller-manager) echo "$CONTROLLER_MANAGER_PORT" ;;
    kube-scheduler) echo "$SCHEDULER_PORT" ;; kubelet) echo "$KUBELET_PORT" ;;
  esac
}
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd registry kubelet)

# lib.sh's pid helpers read PIDFILE: point them at one component.
use() { PIDFILE="$RUN/$1.pid"; LOGFILE="$LOGS/$1.log"; }
our_pid() { use "$1"; recorded_pid cmdline "$(cmdline_of "$1")"; }

# Per component: "yes" when this run started it, "running" when it ran already, "foreign" when
# someone else's process serves its port (the registry only); and when it was started.
declare -A LAUNCHED=() LAUNCHED_AT=()

# launch NAME CMD...: starts NAME detached unless the process this script recorded is alive.
launch() {
  local name="$1" port; shift
  LAUNCHED_AT[$name]=$SECONDS
  if our_pid "$name" >/dev/null; then LAUNCHED[$name]=running; return 0; fi
  remove_pidfile
  port="$(port_of "$name")"
  if [ -n "$port" ] && port_open "$port"; then
    # Only the registry may be someone else's: any registry on the port serves pods as well.
    if [ "$name" = registry ] && answers registry; then LAUNCHED[$name]=foreign; return 0; fi
    log "$name: 127.0.0.1:$port is in use by a process this script did not start"; exit 1
  fi
  mkdir -p "$RUN" "$LOGS"
  # Logs are appended across restarts; one past 20 MB moves aside (one old copy is kept).
  if [ "$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)" -gt $((20 * 1024 * 1024)) ]; then mv -f "$LOGFILE" "$LOGFILE.old"; fi
  echo "---- $(date -u +%FT%TZ) started by kubernetes.sh" >>"$LOGFILE"
  # 9>&-: the daemon must not inherit (and so hold forever) the data dir's lock.
  setsid "$@" >>"$LOGFILE" 2>&1 </dev/null 9>&- &
  record_pid $!
  LAUNCHED[$name]=yes
}

# ready NAME: waits until NAME (launched before) answers, with one progress line; on failure
# prints its log tail, stops it and exits.
ready() {
  local name="$1" rc=0 pid
  use "$name"
  case "${LAUNCHED[$name]}" in
    foreign) log "$name: something else already serves 127.0.0.1:$(port_of "$name"); using it"; return 0 ;;
    running) if answers "$name"; then log "$name: already running (pid $(cat "$PIDFILE"))"; return 0; fi
             log "$name: pid $(cat "$PIDFILE") is running but not answering yet; waiting" ;;
  esac
  pid="$(cat "$PIDFILE")"
  wait_ready "$WAIT" 0.2 "$pid" answers "$name" || rc=$?
  if [ $rc = 0 ]; then
    log "$name: ready, $((SECONDS - LAUNCHED_AT[$name]))s after launch (pid $pid, log $LOGFILE)"; return 0
  fi
  if [ $rc = 1 ]; then log "$name exited during startup; last lines of $LOGFILE:"
  else log "$name did not answer within ${WAIT}s; last lines of $LOGFILE:"; fi
  tail -n 30 "$LOGFILE" >&2 || true
  abandon_start
  log "the components already started keep running; \`$0 stop\` stops them"
  exit 1
}

# Before anything starts: every port a component that is not running yet needs is free (or,
# for the registry, served by a registry), so a conflict fails the start with nothing launched.
check_ports() {
  local name port
  for name in "${COMPONENTS[@]}"; do
    port="$(port_of "$name")"
    [ -n "$port" ] || continue
    our_pid "$name" >/dev/null && continue
    port_open "$port" || continue
    [ "$name" = registry ] && answers registry && continue
    log "$name: 127.0.0.1:$port is in use by a process this script did not start (data dir $DATA)"; exit 1
  done
  if ! our_pid etcd >/dev/null && port_open "$ETCD_PEER_PORT"; then
    log "etcd: 127.0.0.1:$ETCD_PEER_PORT (peers) is in use by a process this script did not start"; exit 1
  fi
  if ! our_pid kubelet >/dev/null && port_open "$KUBELET_HEALTHZ_PORT"; then
    log "kubelet: 127.0.0.1:$KUBELET_HEALTHZ_PORT (health) is in use by a process this script did not start"; exit 1
  fi
}

launch_etcd() {
  launch etcd etcd --name nucleon --data-dir "$DATA/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "nucleon=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
    --logger zap --log-level warn
}

launch_apiserver() {
  # --endpoint-reconciler-type=none: the `kubernetes` Service would otherwise get 127.0.0.1 as
  # its endpoint, which the API refuses. The API server reaches kubelets by name only (never
  # the InternalIP, eth0's address). --shutdown-watch-termination-grace-period: on SIGTERM it
  # ends open watches itself; without it, it waits for them up to its 60 s request timeout
  # (measured: 67 s with one `kubectl get --watch` open, 1.2 s with the flag).
  launch kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --secure-port="$API_PORT" --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=Hostname \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$PKI/service-account.pub" --service-account-signing-key-file="$PKI/service-account.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --allow-privileged=true --profiling=false --shutdown-watch-termination-grace-period=2s
}

launch_controller_manager() {
  launch kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$CONF/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$CONTROLLER_MANAGER_PORT" --leader-elect=false \
    --service-account-private-key-file="$PKI/service-account.key" --root-ca-file="$PKI/ca.crt" \
    --use-service-account-credentials=true \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --profiling=false
}

launch_scheduler() {
  launch kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$CONF/scheduler.kubeconfig" \
    --authentication-kubeconfig="$CONF/scheduler.kubeconfig" \
    --authorization-kubeconfig="$CONF/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false --profiling=false
}

launch_containerd() { launch containerd containerd --config "$CONF/containerd.toml"; }

launch_registry() { launch registry docker-registry serve "$CONF/registry.yml"; }

launch_kubelet() {
  our_pid kubelet >/dev/null || save_sysctls
  launch kubelet "$BIN/kubelet" --config="$CONF/kubelet.yaml" --kubeconfig="$CONF/kubelet.kubeconfig" \
    --root-dir="$DATA/kubelet" --cert-dir="$DATA/kubelet/pki" --hostname-override="$NODE_NAME" -v=1
}

# node_ready [SINCE]: the node's Ready condition is True (and, with SINCE, an ISO-8601 UTC time,
# was reported at or after SINCE: after a restart the node object still says Ready from before).
node_ready() {
  local ready
  ready="$(kubectl_admin get node "$NODE_NAME" \
    -o jsonpath='{range .status.conditions[?(@.type=="Ready")]}{.status} {.lastHeartbeatTime}{end}' 2>/dev/null)" || return 1
  [ "${ready%% *}" = True ] || return 1
  [ -z "${1:-}" ] || [[ ! "${ready#* }" < "$1" ]]
}

# Serialises start/stop/reset of one data dir (tests may call start at once).
lock_data() {
  mkdir -p "$DATA"
  exec 9>"$DATA/.lock"
  flock -w 600 9 || { log "another start/stop of $DATA has held its lock for 600s; giving up"; exit 1; }
}

cmd_start() {
  local t0=$SECONDS
  [ "$(id -u)" = 0 ] || { log "the cluster needs root (containers, mounts, cgroups)"; exit 1; }
  install_packages etcd-server containerd runc containernetworking-plugins docker-registry openssl \
    busybox-static curl || exit 1
  build_binaries
  lock_data
  ensure_pki
  write_kubeconfigs
  write_component_configs
  ensure_image_archives
  check_ports
  # containerd and the registry do not depend on the control plane: launch them first so they
  # come up while etcd and the API server start.
  launch_containerd
  launch_registry
  launch_etcd; ready etcd
  launch_apiserver; ready kube-apiserver
  launch_controller_manager
  launch_scheduler
  # The images are in containerd before the kubelet starts, so it never has to pull the pause image.
  ready containerd; import_images
  ready registry; push_registry_images
  ensure_check_images
  ready kube-controller-manager
  ready kube-scheduler
  local kubelet_launched_at rc=0
  kubelet_launched_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  launch_kubelet; ready kubelet
  [ "${LAUNCHED[kubelet]}" = yes ] || kubelet_launched_at=""
  if ! node_ready "$kubelet_launched_at"; then
    wait_ready "$WAIT" 0.5 "" node_ready "$kubelet_launched_at" || rc=$?
    if [ $rc != 0 ]; then
      log "node $NODE_NAME not Ready within ${WAIT}s:"
      kubectl_admin describe node "$NODE_NAME" 2>&1 | sed -n '/^Conditions:/,/^Addresses:/p' >&2 || true
      tail -n 30 "$LOGS/kubelet.log" >&2 || true
      exit 1
    fi
  fi
  log "node $NODE_NAME Ready; cluster up in $((SECONDS - t0))s (KUBECONFIG=$ADMIN_KUBECONFIG, registry $REGISTRY)"
}

stop_component() {
  local name="$1" pid
  use "$name"
  if pid="$(our_pid "$name")"; then
    local t0=$SECONDS
    if stop_recorded_pid "$pid" 30 "$name did not stop in 30s; sending SIGKILL"; then
      log "$name: stopped in $((SECONDS - t0))s (pid $pid)" ; fi
  else
    remove_pidfile
  fi
}

cmd_stop() {
  local t0=$SECONDS name
  lock_data
  # The kubelet first, so it does not restart the containers removed next.
  stop_component kubelet
  remove_pod_containers
  for name in registry kube-scheduler kube-controller-manager kube-apiserver containerd etcd; do
    stop_component "$name"
  done
  unmount_data_mounts
  # Those paths are the kubelet's whatever its data dir; its ports are fixed, so while one
  # listens (another data dir's), they are its and stay.
  if port_open "$KUBELET_PORT"; then log "a kubelet of another data dir runs: its paths outside $DATA stay"
  else remove_outside_paths; fi
  restore_sysctls
  log "stopped in $((SECONDS - t0))s (kept: binaries in $BIN, images, certificates and etcd data in $DATA)"
}

rss_mib() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

cmd_status() {
  local name pid running=0 total=0 rss port
  for name in "${COMPONENTS[@]}"; do
    port="$(port_of "$name")"
    if pid="$(our_pid "$name")"; then
      rss="$(rss_mib "$pid")"; total=$((total + rss))
      if answers "$name"; then
        printf '%-24s running   pid %-7s %5s MiB%s\n' "$name" "$pid" "$rss" "${port:+  127.0.0.1:$port}"
        running=$((running + 1))
      else
        printf '%-24s starting  pid %-7s %5s MiB  (not answering; log %s)\n' "$name" "$pid" "$rss" "$LOGS/$name.log"
      fi
    elif [ "$name" = registry ] && answers registry; then
      printf '%-24s running   (not started by this script)  %s\n' "$name" "$REGISTRY"; running=$((running + 1))
    else
      printf '%-24s stopped\n' "$name"
    fi
  done
  # Shims belong to the pods: count them with the cluster (they name our socket on their command line).
  local shims=0 shim_rss=0 p
  for p in /proc/[0-9]*; do
    [[ "$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" == *containerd-shim*" -address $CONTAINERD_SOCK"* ]] || continue
    shims=$((shims + 1)); shim_rss=$((shim_rss + $(rss_mib "${p#/proc/}")))
  done
  printf '%-24s %d running  %5s MiB\n' "containerd shims" "$shims" "$shim_rss"
  printf '%-24s %24s MiB\n' "total RSS" "$((total + shim_rss))"
  local ok=1
  [ "$running" = "${#COMPONENTS[@]}" ] || ok=0
  if [ $ok = 1 ] && node_ready; then
    echo "node $NODE_NAME: Ready (KUBECONFIG=$ADMIN_KUBECONFIG)"; return 0
  fi
  [ $ok = 1 ] && echo "node $NODE_NAME: not Ready" || echo "cluster: not running ($running of ${#COMPONENTS[@]} components)"
  return 3
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA" "$CONTAINERD_ROOT"
  log "removed $DATA (binaries in $BIN and images in $IMAGES kept)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  build) if [ "${2:-}" = --cached ]; then binaries_cached; else build_binaries; fi ;;
  reset) cmd_reset ;;
  check) run_check ;;
  kubectl) shift; kubectl_admin "$@" ;;
  *) echo "usage: $0 start|stop|status|build|reset|check|kubectl ARGS..." >&2; exit 2 ;;
esac
