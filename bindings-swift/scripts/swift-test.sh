#!/usr/bin/env bash
# Former name of test-swift.sh (scripts/test-swift.sh at the repository
# root still calls it); same arguments.
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/test-swift.sh" "$@"
