#!/usr/bin/env bash
# Builds and tests the ComposioRS Swift package; CI entry point.
#
# 1. builds composio-local, the Rust static library and the pinned
#    uniffi-bindgen on the host, and generates the Swift sources;
# 2. runs `swift build --build-tests` and `swift test` with `swift` from
#    PATH, or, when there is none (Debian 12), inside a Debian trixie root
#    that has Swift 6.0.3 (made once by ensure-swift-root.sh — which
#    installs debootstrap with apt-get if needed — then reused). The
#    repository is bind-mounted into the root at the same path; /proc and
#    /dev are mounted for the run and unmounted on exit.
#
# Non-interactive and idempotent; prints `swift test`'s summary line and
# exits non-zero (naming the failed step) on any failure.
#
# Environment: COMPOSIO_SWIFT_ROOT (trixie root, default
# /var/tmp/composio-swift-trixie), COMPOSIO_SWIFT_IN_ROOT=1 to use the root
# even when swift is on PATH. Extra arguments go to `swift test`
# (e.g. `--filter TriggerTests`).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
START=$(date +%s)

step() { echo "== test-swift: $*" >&2; }
fail() {
  echo "test-swift: FAILED: $*" >&2
  exit 1
}

cd "$REPO"
step "cargo build -p composio-local"
cargo build -p composio-local >&2 || fail "building composio-local (cargo build -p composio-local)"
LOCAL_BIN="$REPO/target/debug/composio-local"
step "building the Rust library and generating the Swift sources"
LIBDIR="$("$HERE/scripts/generate.sh")" || fail "building composio-swift / generating bindings (scripts/generate.sh)"

LOG="$HERE/.build/test-swift.log"
mkdir -p "$HERE/.build"

# The commands run by swift (on the host or in the root). $1: extra args for
# `swift test`, already quoted.
swift_commands() {
  cat <<EOF
set -uo pipefail
cd $(printf '%q' "$HERE")
echo '== test-swift: swift build --build-tests' >&2
swift build --build-tests -Xlinker -L$(printf '%q' "$LIBDIR") 2>&1 | tee .build/swift-build.log >&2
rc=\${PIPESTATUS[0]}
if [ "\$rc" != 0 ]; then echo 'test-swift: FAILED: swift build (errors above)' >&2; exit 10; fi
if grep -E ': warning:' .build/swift-build.log >&2; then
  echo 'test-swift: FAILED: swift build produced the warnings above (the package must build warning-free)' >&2
  exit 11
fi
echo '== test-swift: swift test' >&2
COMPOSIO_LOCAL_BIN=$(printf '%q' "$LOCAL_BIN") COMPOSIO_FIXTURES=$(printf '%q' "$REPO/tests/fixtures") \\
  swift test --skip-build -Xlinker -L$(printf '%q' "$LIBDIR") $1 2>&1
EOF
}

EXTRA=""
for a in "$@"; do EXTRA+=" $(printf '%q' "$a")"; done

# shellcheck source=swift-env.sh
source "$HERE/scripts/swift-env.sh"
set +e
run_swift_commands "$(swift_commands "$EXTRA")" | tee "$LOG"
RC=${PIPESTATUS[0]}
set -e

ELAPSED=$(($(date +%s) - START))
SUMMARY="$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$LOG" | tail -1 || true)"
echo
if [[ -n "$SUMMARY" ]]; then
  echo "test-swift: swift test: $(echo "$SUMMARY" | sed -E 's/^[[:space:]]*//')"
fi
if grep -q "composio-local stopped gracefully" "$LOG"; then
  echo "test-swift: composio-local stopped gracefully (SIGTERM)"
fi
case "$RC" in
  0) echo "test-swift: OK in ${ELAPSED}s" ;;
  10) fail "swift build (see .build/swift-build.log) after ${ELAPSED}s" ;;
  *) fail "swift test exited with $RC after ${ELAPSED}s${SUMMARY:+ — $SUMMARY}" ;;
esac
