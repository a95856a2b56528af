#!/usr/bin/env bash
# Runs every test suite of the project and fails if any fails.
# Usage: scripts/test.sh
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
run() {
  local name="$1"; shift
  echo
  echo "==== ${name}: $*"
  if ! "$@"; then
    failed+=("$name")
  fi
}

run rustfmt cargo fmt --all --check
run clippy cargo clippy --workspace --all-targets --locked -- -D warnings
run rustdoc env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
run rust-tests cargo test --workspace --locked
run python scripts/test-python.sh
run node scripts/test-node.sh
run swift scripts/test-swift.sh
run swift-example bindings-swift/scripts/run-example-swift.sh
run browser tests/browser/run.sh
run compat tests/compat/run.sh

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
echo "all suites passed"
