#!/usr/bin/env bash
# Builds ComposioRSFFI.xcframework for iOS apps: static libraries for
# aarch64-apple-ios (devices), aarch64-apple-ios-sim + x86_64-apple-ios
# (simulators, merged into one fat library with lipo) and
# aarch64-apple-darwin (macOS), the uniffi header + module map, and the
# generated Swift sources in Sources/ComposioRSBindings. Zips the framework
# and prints its SwiftPM checksum.
#
# macOS with Xcode only (xcodebuild -create-xcframework, lipo, the Apple
# SDKs). Elsewhere it stops at once with exit status 2.
#
# Output: bindings-swift/build/ComposioRSFFI.xcframework and
# bindings-swift/build/ComposioRSFFI.xcframework.zip. To publish, upload the
# zip and switch Package.swift to the url + checksum binary target (see the
# header of Package.swift).
#
# Environment: IPHONEOS_DEPLOYMENT_TARGET (default 15.0) and
# MACOSX_DEPLOYMENT_TARGET (default 12.0), matching Package.swift's
# `platforms`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"

fail() {
  echo "build-xcframework.sh: $*" >&2
  exit 2
}

if [[ "$(uname -s)" != Darwin ]]; then
  fail "needs macOS with Xcode (xcodebuild, lipo and the iOS SDKs); this is $(uname -s). \
On Linux, use scripts/test-swift.sh to build and test the package."
fi
# `xcodebuild` also exists as a stub with only the Command Line Tools, which
# cannot create XCFrameworks or build for iOS.
if ! xcodebuild -version >/dev/null 2>&1; then
  fail "needs Xcode (not only the Command Line Tools): install Xcode and run \
'sudo xcode-select -s /Applications/Xcode.app/Contents/Developer'."
fi
for tool in lipo zip swift cargo rustup; do
  command -v "$tool" >/dev/null 2>&1 || fail "needs $tool on PATH"
done

export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-15.0}"
export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-12.0}"

TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin)
rustup target add "${TARGETS[@]}"
cd "$REPO"
for t in "${TARGETS[@]}"; do
  echo "== build-xcframework: cargo build --release --target $t" >&2
  cargo build -p composio-swift --release --target "$t"
done

# Swift sources and header (library mode, from the host's release build;
# the FFI contract is the same for every target).
echo "== build-xcframework: generating the Swift sources" >&2
"$HERE/scripts/generate.sh" --release >/dev/null

OUT="$HERE/build"
rm -rf "$OUT"
mkdir -p "$OUT/headers/ComposioRSFFI" "$OUT/ios-sim"
cp "$HERE/Sources/ComposioRSFFI/ComposioRSFFI.h" "$OUT/headers/ComposioRSFFI/"
# The module map sits in a folder named after the (unique) module, so it
# cannot collide with another XCFramework's module.modulemap in the same app.
cat >"$OUT/headers/ComposioRSFFI/module.modulemap" <<'MAP'
module ComposioRSFFI {
    header "ComposioRSFFI.h"
    export *
}
MAP

lib() { echo "$REPO/target/$1/release/libcomposio_swift.a"; }
for t in "${TARGETS[@]}"; do
  [[ -f "$(lib "$t")" ]] || fail "missing $(lib "$t") after cargo build"
done
# One library per platform variant: both simulator architectures in one file.
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$OUT/ios-sim/libcomposio_swift.a"

echo "== build-xcframework: xcodebuild -create-xcframework" >&2
xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$OUT/headers" \
  -library "$OUT/ios-sim/libcomposio_swift.a" -headers "$OUT/headers" \
  -library "$(lib aarch64-apple-darwin)" -headers "$OUT/headers" \
  -output "$OUT/ComposioRSFFI.xcframework"

# SwiftPM wants the framework at the zip's top level; -y keeps symlinks.
(cd "$OUT" && zip -qry ComposioRSFFI.xcframework.zip ComposioRSFFI.xcframework)
# compute-checksum needs a package folder as its working directory.
CHECKSUM="$(cd "$HERE" && swift package compute-checksum "$OUT/ComposioRSFFI.xcframework.zip")"
echo "xcframework: $OUT/ComposioRSFFI.xcframework"
echo "zip:         $OUT/ComposioRSFFI.xcframework.zip"
echo "checksum:    $CHECKSUM"
