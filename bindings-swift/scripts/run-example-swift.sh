#!/usr/bin/env bash
# Builds and runs the Swift quickstart (examples/swift) against a
# composio-local it starts: builds composio-local and the Rust library on
# the host, generates the bindings, then `swift run quickstart` with swift
# from PATH or in the Debian trixie root (see swift-env.sh). Exits non-zero
# on failure.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
EXAMPLE="$REPO/examples/swift"
fail() {
  echo "run-example-swift: FAILED: $*" >&2
  exit 1
}

cd "$REPO"
cargo build -p composio-local >&2 || fail "building composio-local"
LIBDIR="$("$HERE/scripts/generate.sh")" || fail "building composio-swift / generating bindings"
# shellcheck source=swift-env.sh
source "$HERE/scripts/swift-env.sh"
set +e
run_swift_commands "set -euo pipefail
  cd $(printf '%q' "$EXAMPLE")
  swift build -Xlinker -L$(printf '%q' "$LIBDIR") >&2
  COMPOSIO_LOCAL_BIN=$(printf '%q' "$REPO/target/debug/composio-local") \
    swift run --skip-build -Xlinker -L$(printf '%q' "$LIBDIR") quickstart"
RC=$?
set -e
[[ $RC == 0 ]] || fail "the quickstart exited with $RC"
echo "run-example-swift: OK"
