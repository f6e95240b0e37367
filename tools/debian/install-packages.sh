#!/usr/bin/env bash
# Installs the Debian packages named that are not installed yet, when this runs as root or with passwordless sudo
# (bin/test and benchmarks/run call it). Otherwise it says so on stderr and installs nothing: the caller decides
# whether that is an error. An apt-get install that fails is one (exit status non-zero).
#
#   bash tools/debian/install-packages.sh CALLER PACKAGE...    # CALLER prefixes the messages, e.g. bin/test
set -euo pipefail
caller="$1"
shift
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
if { [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; } && command -v apt-get >/dev/null; then
  need=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "$caller: installing ${need[*]}" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
else
  echo "$caller: not root and no passwordless sudo: Debian packages ($*) are not installed here; what needs them will say so" >&2
fi
