#!/usr/bin/env bash
# Builds ComposioRSFFI.xcframework (iOS device, iOS simulator arm64+x86_64,
# macOS arm64) from the Rust static library, generates the Swift sources,
# zips the framework and prints its SwiftPM checksum. macOS with Xcode only.
#
# Output: bindings-swift/build/ComposioRSFFI.xcframework(.zip). To publish,
# upload the zip and switch Package.swift to the url + checksum binary
# target (see the header of Package.swift).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

if [[ "$(uname -s)" != Darwin ]] || ! command -v xcodebuild >/dev/null 2>&1; then
  echo "build-xcframework.sh: needs macOS with Xcode (xcodebuild, lipo); this is $(uname -s)." >&2
  exit 1
fi

TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin)
rustup target add "${TARGETS[@]}"
cd "$REPO"
for t in "${TARGETS[@]}"; do
  cargo build -p composio-swift --release --target "$t"
done

# Swift sources and header (library mode, from the host build).
"$HERE/scripts/generate.sh" --release >/dev/null

OUT="$HERE/build"
rm -rf "$OUT"
mkdir -p "$OUT/headers/ComposioRSFFI" "$OUT/ios-sim"
cp "$HERE/Sources/ComposioRSFFI/ComposioRSFFI.h" "$OUT/headers/ComposioRSFFI/"
# Unique module name in a named subfolder: no modulemap collisions with
# other uniffi frameworks in the same app.
cat > "$OUT/headers/ComposioRSFFI/module.modulemap" <<'MAP'
module ComposioRSFFI {
    header "ComposioRSFFI.h"
    export *
}
MAP
lipo -create \
  "$REPO/target/aarch64-apple-ios-sim/release/libcomposio_swift.a" \
  "$REPO/target/x86_64-apple-ios/release/libcomposio_swift.a" \
  -output "$OUT/ios-sim/libcomposio_swift.a"

xcodebuild -create-xcframework \
  -library "$REPO/target/aarch64-apple-ios/release/libcomposio_swift.a" -headers "$OUT/headers" \
  -library "$OUT/ios-sim/libcomposio_swift.a" -headers "$OUT/headers" \
  -library "$REPO/target/aarch64-apple-darwin/release/libcomposio_swift.a" -headers "$OUT/headers" \
  -output "$OUT/ComposioRSFFI.xcframework"

(cd "$OUT" && zip -qry ComposioRSFFI.xcframework.zip ComposioRSFFI.xcframework)
echo "xcframework: $OUT/ComposioRSFFI.xcframework.zip"
echo "checksum:    $(swift package compute-checksum "$OUT/ComposioRSFFI.xcframework.zip")"
