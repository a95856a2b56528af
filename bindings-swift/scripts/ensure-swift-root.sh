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

if [[ -x "$ROOT/usr/bin/swift" && -f "$ROOT/.composio-swift-ready" ]]; then
  echo "$ROOT"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  echo "ensure-swift-root: making a trixie root needs root (debootstrap/chroot)" >&2
  exit 2
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "ensure-swift-root: installing debootstrap" >&2
  apt-get install -y debootstrap >&2 || { apt-get update >&2 && apt-get install -y debootstrap >&2; }
fi

echo "ensure-swift-root: debootstrap trixie into $ROOT (about a minute, ~3 GB)" >&2
rm -rf "$ROOT"
mkdir -p "$(dirname "$ROOT")"
debootstrap --variant=minbase \
  --include=swiftlang,libswiftlang,libc6-dev,libstdc++-14-dev,curl,ca-certificates \
  trixie "$ROOT" "$MIRROR" >&2
touch "$ROOT/.composio-swift-ready"
echo "$ROOT"
