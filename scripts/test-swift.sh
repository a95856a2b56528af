#!/usr/bin/env bash
# Runs the Swift package's whole build and XCTest suite (see
# bindings-swift/scripts/test-swift.sh); exits non-zero on failure.
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bindings-swift/scripts/test-swift.sh" "$@"
