# shellcheck shell=bash
# Sourced by kubernetes.sh: the images the cluster itself needs, made locally (no registry out
# there is reachable): the pod sandbox ("pause") image, and for `check` a busybox httpd.
#
# Image names start with the local registry (127.0.0.1:<port>/nucleon/...), so a pull of one
# that is missing goes to loopback, never out. Archives are docker-archive tarballs (what `ctr
# images import` and `docker load` read), made from a root filesystem folder with tar.
#
# Reads: IMAGES (cache of built programs), DATA, REGISTRY, CONTAINERD_SOCK (kubernetes.sh).

PAUSE_IMAGE="$REGISTRY/nucleon/pause:1"
CHECK_IMPORTED_IMAGE="$REGISTRY/nucleon/check:imported"
CHECK_PULLED_IMAGE="$REGISTRY/nucleon/check:pulled"
# Images pushed to the registry are staged in their own containerd namespace: the CRI plugin's
# k8s.io namespace only ever gets what the pods run.
PUSH_NAMESPACE=nucleon-push
# The archives carry the image names, so the registry's port is in their file names.
ARCHIVES="$DATA/images/$REGISTRY_PORT"

# write_image_archive OUT REFERENCE ROOTFS ENTRYPOINT_JSON: a one-layer image of ROOTFS.
write_image_archive() {
  local out="$1" reference="$2" rootfs="$3" entrypoint="$4" work layer_digest config_digest
  work="$(mktemp -d)"
  # Sorted, owned by root, fixed times: the same files always give the same layer digest.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$work/layer.tar" .
  layer_digest="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  mv "$work/layer.tar" "$work/$layer_digest.tar"
  printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/bin"],"Entrypoint":%s,"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(go env GOARCH 2>/dev/null || echo amd64)" "$entrypoint" "$layer_digest" >"$work/config.json"
  config_digest="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$config_digest.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s.tar"]}]' "$config_digest" "$reference" "$layer_digest" \
    >"$work/manifest.json"
  tar -C "$work" -cf "$out.tmp" manifest.json "$config_digest.json" "$layer_digest.tar"
  mv -f "$out.tmp" "$out"
  rm -rf "$work"
}

# The sandbox process: holds the pod's namespaces, reaps the orphans it inherits, and exits on
# SIGTERM or SIGINT. A static Go program, built once.
build_pause_program() {
  [ -x "$IMAGES/pause" ] && return 0
  local src; src="$(mktemp -d)"
  cat >"$src/main.go" <<'GO'
// Command pause is a Kubernetes pod's sandbox process.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 16)
	signal.Notify(signals, syscall.SIGCHLD, syscall.SIGINT, syscall.SIGTERM)
	for received := range signals {
		if received != syscall.SIGCHLD {
			os.Exit(0)
		}
		// One SIGCHLD may stand for several exited children.
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
GO
  printf 'module nucleon.local/pause\n\ngo 1.22\n' >"$src/go.mod"
  mkdir -p "$IMAGES"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$IMAGES/pause.tmp" .) ||
    { log "building the pause program failed"; rm -rf "$src"; exit 1; }
  mv -f "$IMAGES/pause.tmp" "$IMAGES/pause"
  rm -rf "$src"
}

ensure_image_archives() {
  build_pause_program
  mkdir -p "$ARCHIVES"
  if [ ! -s "$ARCHIVES/pause.tar" ]; then
    local root; root="$(mktemp -d)"
    install -m 755 "$IMAGES/pause" "$root/pause"
    write_image_archive "$ARCHIVES/pause.tar" "$PAUSE_IMAGE" "$root" '["/pause"]'
    rm -rf "$root"
  fi
}

# make_httpd_archive OUT REFERENCE TEXT: busybox (static, Debian's busybox-static) serving TEXT
# as /www/index.html.
make_httpd_archive() {
  [ -s "$1" ] && return 0
  local root; root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/www" "$root/tmp"
  install -m 755 /bin/busybox "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  echo "$3" >"$root/www/index.html"
  write_image_archive "$1" "$2" "$root" '["/bin/busybox"]'
  rm -rf "$root"
}

# (grep reads a captured list: `ctr | grep -q` can fail under pipefail when grep stops early)
image_present() { grep -qxF "$2" <<<"$(ctr --address "$CONTAINERD_SOCK" --namespace "$1" images ls -q 2>/dev/null)"; }

# import_image NAMESPACE REFERENCE ARCHIVE: only when missing. Importing again an image the CRI
# plugin already tracks has confused containerd 1.6's CRI image cache (pods then failed with
# ErrImageNeverPull).
import_image() {
  image_present "$1" "$2" && return 0
  ctr --address "$CONTAINERD_SOCK" --namespace "$1" images import "$3" >/dev/null ||
    { log "ctr images import $3 failed"; exit 1; }
  log "imported $2 into containerd (namespace $1)"
}

import_images() { import_image k8s.io "$PAUSE_IMAGE" "$ARCHIVES/pause.tar"; }

# in_registry REPOSITORY TAG
in_registry() {
  curl_local -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/$1/manifests/$2"
}

# push_image REFERENCE ARCHIVE: into the local registry, unless it has it.
push_image() {
  local reference="$1" repository tag
  repository="${reference#"$REGISTRY"/}"; tag="${repository##*:}"; repository="${repository%:*}"
  in_registry "$repository" "$tag" && return 0
  import_image "$PUSH_NAMESPACE" "$reference" "$2"
  ctr --address "$CONTAINERD_SOCK" --namespace "$PUSH_NAMESPACE" images push --plain-http "$reference" >/dev/null 2>&1 ||
    { log "pushing $reference to the registry failed"; exit 1; }
  # Gone from containerd again, so a pod's pull of it really downloads it from the registry.
  ctr --address "$CONTAINERD_SOCK" --namespace "$PUSH_NAMESPACE" images rm --sync "$reference" >/dev/null 2>&1 || true
  log "pushed $reference to the registry"
}

# The pause image is in the registry too: were it ever removed from containerd, its pull works.
push_registry_images() {
  # Someone else's registry on the port: leave its content alone.
  [ "${LAUNCHED[registry]:-}" = foreign ] && return 0
  push_image "$PAUSE_IMAGE" "$ARCHIVES/pause.tar"
}
