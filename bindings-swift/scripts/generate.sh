#!/usr/bin/env bash
# Builds the Rust library (debug) and generates the Swift bindings into the
# package with the workspace's pinned uniffi-bindgen (library mode).
# Usage: generate.sh [cargo build args...]   (e.g. --release)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"

cargo build -p composio-swift -p uniffi-bindgen "$@" >&2
PROFILE=debug
for a in "$@"; do [[ "$a" == --release ]] && PROFILE=release; done
LIBDIR="$REPO/target/$PROFILE"
case "$(uname -s)" in
  Darwin) CDYLIB="$LIBDIR/libcomposio_swift.dylib" ;;
  *) CDYLIB="$LIBDIR/libcomposio_swift.so" ;;
esac

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$LIBDIR/uniffi-bindgen" generate --library "$CDYLIB" --language swift \
  --no-format --out-dir "$OUT" >&2
# Unchanged files are left alone so swift build stays incremental.
put() { cmp -s "$1" "$2" || install -m 644 "$1" "$2"; }
put "$OUT/ComposioRSBindings.swift" "$HERE/Sources/ComposioRSBindings/ComposioRSBindings.swift"
put "$OUT/ComposioRSFFI.h" "$HERE/Sources/ComposioRSFFI/ComposioRSFFI.h"
# Only the static library, so the linker cannot pick the shared one.
STAGE="$REPO/target/swift-lib/$PROFILE"
mkdir -p "$STAGE"
# SwiftPM does not track a library found through -L: when it changed,
# touch the generated source so the test binary is relinked.
if ! cmp -s "$LIBDIR/libcomposio_swift.a" "$STAGE/libcomposio_swift.a"; then
  install -m 644 "$LIBDIR/libcomposio_swift.a" "$STAGE/libcomposio_swift.a"
  touch "$HERE/Sources/ComposioRSBindings/ComposioRSBindings.swift"
fi
echo "$STAGE"
