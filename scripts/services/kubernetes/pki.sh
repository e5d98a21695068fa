# shellcheck shell=bash
# Sourced by kubernetes.sh: the cluster's certificates (openssl) and kubeconfigs.
#
# One CA signs everything; keys are ECDSA P-256 (fast to make, accepted by every component and
# by Node's TLS). Made once and kept: a later start reuses them, so kubeconfigs handed out stay
# valid. The kubelet's client certificate names the node (system:node:<name>, for the Node
# authorizer): it is made again when the node name changes.
#
# Reads: PKI, CONF, DATA, ADMIN_KUBECONFIG, API_PORT, NODE_NAME, SERVICE_FIRST_IP.

CERT_DAYS=3650

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# issue NAME SUBJECT EXTENSIONS: a key and a certificate signed by the CA, unless both exist.
issue() {
  local name="$1" subject="$2" extensions="$3"
  [ -s "$PKI/$name.crt" ] && [ -s "$PKI/$name.key" ] && return 0
  new_key "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days "$CERT_DAYS" -extfile <(printf '%s\n' "$extensions") -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr"
  ISSUED+=("$name")
}

client_extensions() {
  printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' 'extendedKeyUsage=clientAuth'
}

ensure_pki() {
  ISSUED=()
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  if [ ! -s "$PKI/ca.crt" ] || [ ! -s "$PKI/ca.key" ]; then
    new_key "$PKI/ca.key"
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=nucleon-local-kubernetes-ca" -days "$CERT_DAYS" \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
      -out "$PKI/ca.crt" 2>/dev/null
    ISSUED+=(ca)
  fi
  # Service-account tokens are signed with this pair (the API server verifies, the
  # controller-manager signs the tokens of its controllers).
  if [ ! -s "$PKI/service-account.key" ]; then
    new_key "$PKI/service-account.key"
    openssl pkey -in "$PKI/service-account.key" -pubout -out "$PKI/service-account.pub" 2>/dev/null
    ISSUED+=(service-account)
  fi
  # Every name a client may use for the API server: loopback, and the in-cluster names.
  issue apiserver "/CN=kube-apiserver" "$(printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' \
    "subjectAltName=IP:127.0.0.1,IP:$SERVICE_FIRST_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local")"
  # system:masters: the admin (tests, the CLI) and the API server calling kubelets (logs, exec).
  issue admin "/O=system:masters/CN=nucleon-admin" "$(client_extensions)"
  issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$(client_extensions)"
  issue controller-manager "/CN=system:kube-controller-manager" "$(client_extensions)"
  issue scheduler "/CN=system:kube-scheduler" "$(client_extensions)"
  if [ -s "$PKI/kubelet.crt" ] && ! openssl x509 -in "$PKI/kubelet.crt" -noout -subject 2>/dev/null |
       grep -q "CN *= *system:node:$NODE_NAME\$"; then
    rm -f "$PKI/kubelet.crt" "$PKI/kubelet.key"
  fi
  issue kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "$(client_extensions)"
  chmod 600 "$PKI"/*.key
  if [ ${#ISSUED[@]} -gt 0 ]; then log "certificates: made ${ISSUED[*]} in $PKI"; else log "certificates: reused from $PKI"; fi
}

# kubeconfig USER: a kubeconfig for USER's certificate, credentials embedded so it can be copied.
kubeconfig() {
  local user="$1"
  cat <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: nucleon-local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$user.crt")
    client-key-data: $(base64 -w0 <"$PKI/$user.key")
contexts:
- name: nucleon-local
  context:
    cluster: nucleon-local
    user: $user
current-context: nucleon-local
KUBECONFIG
}

# write_file PATH MODE: stdin to PATH (atomically: a reader never sees half a file).
write_file() { local tmp="$1.tmp.$$"; cat >"$tmp"; chmod "$2" "$tmp"; mv -f "$tmp" "$1"; }

write_kubeconfigs() {
  mkdir -p "$CONF"
  local user
  for user in controller-manager scheduler kubelet; do kubeconfig "$user" | write_file "$CONF/$user.kubeconfig" 600; done
  kubeconfig admin | write_file "$ADMIN_KUBECONFIG" 600
}
