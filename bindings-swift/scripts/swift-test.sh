#!/usr/bin/env bash
# Builds and tests the ComposioRS Swift package.
#
# 1. builds composio-local, the Rust static library and the pinned
#    uniffi-bindgen on the host, and generates the Swift sources;
# 2. runs `swift build` and `swift test` with `swift` from PATH, or, when
#    there is none (Debian 12), inside a Debian trixie root that has Swift
#    6.0.3 (made once by ensure-swift-root.sh, then reused). The repository
#    is bind-mounted into the root at the same path; /proc and /dev are
#    mounted for the duration and unmounted on exit.
#
# Environment: COMPOSIO_SWIFT_ROOT (trixie root, default
# /var/tmp/composio-swift-trixie), COMPOSIO_SWIFT_IN_ROOT=1 to force the
# root even when swift is on PATH. Extra arguments go to `swift test`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

cd "$REPO"
cargo build -p composio-local >&2
LOCAL_BIN="$REPO/target/debug/composio-local"
LIBDIR="$("$HERE/scripts/generate.sh")"

SWIFT_ARGS=(-Xlinker -L"$LIBDIR")
run_swift() {
  cd "$HERE"
  echo "== swift build" >&2
  swift build --build-tests "${SWIFT_ARGS[@]}" 2>&1 | tee "$HERE/.build-log.txt" >&2
  if grep -E "warning:" "$HERE/.build-log.txt" | grep -v "^warning: 'spi'" >&2; then
    echo "swift build produced warnings (above)" >&2
  fi
  echo "== swift test" >&2
  COMPOSIO_LOCAL_BIN="$LOCAL_BIN" COMPOSIO_FIXTURES="$REPO/tests/fixtures" \
    swift test --skip-build "${SWIFT_ARGS[@]}" "$@"
}

if command -v swift >/dev/null 2>&1 && [[ "${COMPOSIO_SWIFT_IN_ROOT:-0}" != 1 ]]; then
  run_swift "$@"
  exit $?
fi

ROOT="$("$HERE/scripts/ensure-swift-root.sh")"
MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM
mount_in() { # mount_in <args...> <target>
  local target="${*: -1}"
  mkdir -p "$target"
  if ! mountpoint -q "$target"; then
    mount "$@"
    MOUNTS+=("$target")
  fi
}
mount_in -t proc proc "$ROOT/proc"
mount_in --bind /dev "$ROOT/dev"
mount_in --bind "$REPO" "$ROOT$REPO"

ARGS=""
for a in "$@"; do ARGS+=" $(printf '%q' "$a")"; done
chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  /bin/bash -c "set -euo pipefail
    cd $(printf '%q' "$HERE")
    swift build --build-tests -Xlinker -L$(printf '%q' "$LIBDIR") 2>&1 | tee .build-log.txt
    if grep -E 'warning:' .build-log.txt; then echo 'swift build produced warnings (above)'; fi
    COMPOSIO_LOCAL_BIN=$(printf '%q' "$LOCAL_BIN") COMPOSIO_FIXTURES=$(printf '%q' "$REPO/tests/fixtures") \
      swift test --skip-build -Xlinker -L$(printf '%q' "$LIBDIR") $ARGS"
