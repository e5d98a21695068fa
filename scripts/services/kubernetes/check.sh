# shellcheck shell=bash
# Sourced by kubernetes.sh: `check`, a smoke test of a running cluster. In a namespace of its
# own it runs two pods on the host network, busybox httpd on 127.0.0.1:<free port>: one from an
# image imported into containerd (imagePullPolicy Never), one from an image the kubelet pulls
# from the local registry (Always). Both must answer HTTP with their own page; the namespace
# is deleted at the end. Prints how long each took.
#
# Reads: DATA, REGISTRY, CHECK_IMPORTED_IMAGE, CHECK_PULLED_IMAGE (kubernetes.sh, images.sh).

now_ms() { date +%s%3N; }

# A port nothing listens on, outside the ranges the cluster's functions use (30000-32767).
free_port() {
  local port _
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 9000))
    port_open "$port" || { echo "$port"; return 0; }
  done
  return 1
}

# check_pod NAME IMAGE PULL_POLICY PORT
check_pod() {
  cat <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $1
spec:
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: $2
    imagePullPolicy: $3
    args: [httpd, -f, -p, "127.0.0.1:$4", -h, /www]
    ports:
    - containerPort: $4
      hostPort: $4
    readinessProbe:
      httpGet: {host: 127.0.0.1, port: $4, path: /}
      periodSeconds: 1
YAML
}

# await_page URL TEXT SECONDS: until URL serves TEXT.
await_page() {
  local deadline=$((SECONDS + $3))
  until [ "$(curl_local "$1" 2>/dev/null)" = "$2" ]; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

CHECK_IMPORTED_TEXT="nucleon check: image imported into containerd"
CHECK_PULLED_TEXT="nucleon check: image pulled from $REGISTRY"

# The two busybox httpd images, one imported, one in the registry only. `start` makes them too:
# tests may use them as an image that runs.
ensure_check_images() {
  make_httpd_archive "$ARCHIVES/check-imported.tar" "$CHECK_IMPORTED_IMAGE" "$CHECK_IMPORTED_TEXT"
  make_httpd_archive "$ARCHIVES/check-pulled.tar" "$CHECK_PULLED_IMAGE" "$CHECK_PULLED_TEXT"
  import_image k8s.io "$CHECK_IMPORTED_IMAGE" "$ARCHIVES/check-imported.tar"
  [ "${LAUNCHED[registry]:-}" = foreign ] || push_image "$CHECK_PULLED_IMAGE" "$ARCHIVES/check-pulled.tar"
}

run_check() {
  node_ready || { log "check: node $NODE_NAME is not Ready (run: $0 start)"; exit 1; }
  local imported_text="$CHECK_IMPORTED_TEXT" pulled_text="$CHECK_PULLED_TEXT"
  ensure_check_images

  CHECK_NAMESPACE="nucleon-check-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  trap 'kubectl_admin delete namespace "$CHECK_NAMESPACE" --wait=false >/dev/null 2>&1 || true' EXIT
  kubectl_admin create namespace "$CHECK_NAMESPACE" >/dev/null
  # Pods are refused until the namespace's default service account exists.
  wait_ready 30 0.2 "" kubectl_admin -n "$CHECK_NAMESPACE" get serviceaccount default >/dev/null 2>&1 ||
    { log "check: no default service account in $CHECK_NAMESPACE after 30s"; exit 1; }

  local name image policy text port t0 failed=0
  for name in imported pulled; do
    if [ $name = imported ]; then image="$CHECK_IMPORTED_IMAGE"; policy=Never; text="$imported_text"
    else image="$CHECK_PULLED_IMAGE"; policy=Always; text="$pulled_text"; fi
    port="$(free_port)" || { log "check: found no free port"; exit 1; }
    t0="$(now_ms)"
    check_pod "$name" "$image" "$policy" "$port" | kubectl_admin -n "$CHECK_NAMESPACE" apply -f - >/dev/null
    if await_page "http://127.0.0.1:$port/" "$text" 120; then
      log "check: pod $name ($image, $policy) answered on 127.0.0.1:$port $(( $(now_ms) - t0 )) ms after it was created"
    else
      log "check: pod $name did not answer on 127.0.0.1:$port within 120s:"
      kubectl_admin -n "$CHECK_NAMESPACE" describe pod "$name" 2>&1 | tail -n 20 >&2
      failed=1
    fi
  done
  t0="$(now_ms)"
  kubectl_admin delete namespace "$CHECK_NAMESPACE" --timeout=90s >/dev/null
  trap - EXIT
  log "check: namespace $CHECK_NAMESPACE deleted in $(( $(now_ms) - t0 )) ms"
  [ $failed = 0 ] || exit 1
  log "check: passed"
}
