#!/usr/bin/env bash
# Make (or reuse) a Debian 13 "trixie" root that has the Swift 6.0.3 toolchain.
#
# Debian 12 has no Swift package; trixie packages `swiftlang`. The root lives
# outside the repository (default /var/tmp/composio-swift-trixie, override with
# COMPOSIO_SWIFT_ROOT) and is reused when it already holds `usr/bin/swift`.
# Needs root (debootstrap, chroot). Prints the root's path on stdout.
set -euo pipefail

ROOT="${COMPOSIO_SWIFT_ROOT:-/var/tmp/composio-swift-trixie}"
MIRROR="${COMPOSIO_SWIFT_MIRROR:-http://deb.debian.org/debian}"

# usr/bin/swift is an absolute symlink, so ask inside the root.
if [[ -f "$ROOT/.composio-swift-ready" ]] && chroot "$ROOT" /usr/bin/test -x /usr/bin/swift 2>/dev/null; then
  echo "$ROOT"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  echo "ensure-swift-root: making a trixie root needs root (debootstrap/chroot)" >&2
  exit 2
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "ensure-swift-root: installing debootstrap" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q debootstrap >&2 || { apt-get update -q >&2 && apt-get install -y -q debootstrap >&2; } \
    || { echo "ensure-swift-root: could not install debootstrap with apt-get" >&2; exit 4; }
fi

echo "ensure-swift-root: debootstrap trixie into $ROOT (about a minute, ~3 GB)" >&2
# Never delete a root that still has something mounted in it (a bind
# mount of /dev or of the repository would be deleted through).
if [[ -e "$ROOT" ]]; then
  if awk -v r="$ROOT/" 'index($2"/", r) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
    echo "ensure-swift-root: $ROOT has mounts inside it; unmount them first" >&2
    exit 3
  fi
fi
NEW="$ROOT.new.$$"
mkdir -p "$(dirname "$ROOT")"
debootstrap --variant=minbase \
  --include=swiftlang,libswiftlang,libc6-dev,libstdc++-14-dev,curl,ca-certificates \
  trixie "$NEW" "$MIRROR" >&2 \
  || { echo "ensure-swift-root: debootstrap of trixie from $MIRROR failed (network? disk space?)" >&2; rm -rf --one-file-system "$NEW"; exit 5; }
touch "$NEW/.composio-swift-ready"
rm -rf --one-file-system "$ROOT"
mv "$NEW" "$ROOT"
echo "$ROOT"
