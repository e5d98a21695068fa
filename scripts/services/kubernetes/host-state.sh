# shellcheck shell=bash
# Sourced by kubernetes.sh: what the cluster changes on the host outside its own processes, and
# how `stop` undoes it: kernel parameters the kubelet sets, pod containers, mounts under the
# data dir, and the paths the kubelet and containerd hard-code outside it.
#
# Reads: RUN, DATA, CONTAINERD_SOCK (kubernetes.sh); answers, ctr_k8s, log.

# The kubelet sets these kernel parameters as it starts (vm.overcommit_memory=1,
# kernel.panic=10, kernel.panic_on_oops=1, ...); protectKernelDefaults would make it refuse to
# start instead. `stop` puts back the values from before the first kubelet start.
KUBELET_SYSCTLS=(vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops
  kernel/keys/root_maxkeys kernel/keys/root_maxbytes)
SYSCTLS_BEFORE="$RUN/sysctls-before-kubelet"
save_sysctls() {
  [ -s "$SYSCTLS_BEFORE" ] && return 0
  local key
  for key in "${KUBELET_SYSCTLS[@]}"; do echo "$key $(cat "/proc/sys/$key")"; done >"$SYSCTLS_BEFORE"
}
restore_sysctls() {
  [ -s "$SYSCTLS_BEFORE" ] || return 0
  local key value changed=()
  while read -r key value; do
    [ "$(cat "/proc/sys/$key")" = "$value" ] && continue
    echo "$value" >"/proc/sys/$key" 2>/dev/null && changed+=("${key//\//.}=$value")
  done <"$SYSCTLS_BEFORE"
  rm -f "$SYSCTLS_BEFORE"
  [ ${#changed[@]} = 0 ] || log "restored the kernel parameters the kubelet had set: ${changed[*]}"
}

# Kills and removes every container and pod sandbox in this containerd's CRI namespace, so no
# pod outlives `stop` (their shims exit with them).
remove_pod_containers() {
  answers containerd || return 0
  local ids id n=0
  ids="$(ctr_k8s tasks ls -q 2>/dev/null || true)"
  for id in $ids; do ctr_k8s tasks kill --signal SIGKILL "$id" >/dev/null 2>&1 || true; n=$((n + 1)); done
  for id in $ids; do
    local _; for _ in $(seq 50); do grep -qxF "$id" <<<"$(ctr_k8s tasks ls -q 2>/dev/null)" || break
      ctr_k8s tasks delete --force "$id" >/dev/null 2>&1 || sleep 0.1; done
  done
  for id in $(ctr_k8s containers ls -q 2>/dev/null || true); do ctr_k8s containers delete "$id" >/dev/null 2>&1 || true; done
  [ $n = 0 ] || log "removed $n pod containers"
}

# Mounts the kubelet and containerd made under the data dir (the kubelet's root-dir bind mount,
# pod volumes, sandbox /dev/shm, container rootfs), deepest first.
unmount_data_mounts() {
  local m n=0
  while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
    n=$((n + 1))
  done < <(awk -v prefix="$DATA/" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r)
  [ $n = 0 ] || log "unmounted $n mounts under $DATA"
}

# What the kubelet and containerd create outside the data dir, whatever their configuration:
# /var/log/containers symlinks, the device-plugin socket, the CNI result cache, empty pod cgroups.
# Only what points into our data dir, or is empty, is removed.
remove_outside_paths() {
  find /var/log/containers -maxdepth 1 -type l -lname "$DATA/*" -delete 2>/dev/null || true
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  rmdir /var/log/containers /var/lib/kubelet/device-plugins /var/lib/kubelet \
    /var/lib/cni/results /var/lib/cni 2>/dev/null || true
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    if [ -d "$d" ]; then find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
}
