#!/usr/bin/env bash
# Mono (Debian's mono-mcs and mono-runtime): the C# compiler and runtime that
# @nucleon/runtime-dotnet's tests compile and run .NET functions with (no .NET SDK is reachable
# on the build machines).
#
#   scripts/services/mono.sh ensure|status
#
# `ensure` installs the two packages with apt-get when `mcs` or `mono` is missing (about 30 s)
# and is a no-op otherwise; `status` prints the versions, exit 1 when either is missing.
# Installing needs root.
set -euo pipefail

LOG_NAME=mono.sh
# log
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

present() { command -v mcs >/dev/null 2>&1 && command -v mono >/dev/null 2>&1; }

versions() {
  mcs --version
  mono --version | head -n 1
}

ensure() {
  if present; then
    return 0
  fi
  install_packages mono-mcs mono-runtime || exit 1
  present || { log "apt-get finished but mcs or mono is still missing"; exit 1; }
  versions >&2
}

case "${1:-}" in
  ensure) ensure ;;
  status) present || { log "mcs or mono is missing"; exit 1; }; versions ;;
  *) echo "usage: $0 ensure|status" >&2; exit 2 ;;
esac
