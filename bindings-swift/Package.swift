// swift-tools-version:6.0
//
// ComposioRS: the Swift package of composio-rs (Rust engine via uniffi).
//
// DEVELOPMENT MANIFEST (this file as committed):
//   `ComposioRSFFI` is a system-library target: Sources/ComposioRSFFI holds
//   the module map and the uniffi-generated header, and links
//   libcomposio_swift.a built by `cargo build -p composio-swift`. The
//   library's folder is passed on the command line, never in this manifest:
//       swift build -Xlinker -L<repo>/target/debug
//   `bindings-swift/scripts/swift-test.sh` does all of this (and on Linux
//   without Swift, runs it in a Debian trixie root).
//
// RELEASE SWITCH (no unsafe flags, so the package can be a pinned
// dependency): `scripts/build-xcframework.sh` produces
// ComposioRSFFI.xcframework(.zip) and prints its checksum. Replace the
// `ffiTarget` below with
//       .binaryTarget(
//           name: "ComposioRSFFI",
//           url: "https://github.com/composio-rs/composio-rs/releases/download/<tag>/ComposioRSFFI.xcframework.zip",
//           checksum: "<swift package compute-checksum output>")
// (or `.binaryTarget(name: "ComposioRSFFI", path: "ComposioRSFFI.xcframework")`
// for a local XCFramework) and drop the Linux linker settings.
import PackageDescription

let ffiTarget: Target = .systemLibrary(name: "ComposioRSFFI", path: "Sources/ComposioRSFFI")

// Native libraries the Rust static library needs on Linux
// (`cargo rustc -- --print native-static-libs`).
let rustSystemLibraries: [LinkerSetting] = ["gcc_s", "util", "rt", "pthread", "m", "dl"].map {
    .linkedLibrary($0, .when(platforms: [.linux]))
}

let package = Package(
    name: "ComposioRS",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "ComposioRS", targets: ["ComposioRS"]),
        // Starts a composio-local process (tests, examples; Linux/macOS only).
        .library(name: "ComposioRSLocal", targets: ["ComposioRSLocal"]),
    ],
    targets: [
        ffiTarget,
        // uniffi-generated Swift (bindings-swift/scripts/generate.sh); Swift 5
        // language mode because uniffi's output is not Swift 6 clean.
        .target(
            name: "ComposioRSBindings",
            dependencies: ["ComposioRSFFI"],
            swiftSettings: [.swiftLanguageMode(.v5)],
            linkerSettings: rustSystemLibraries
        ),
        // Hand-written Swift-only helpers (JSONValue).
        .target(name: "ComposioRSSupport"),
        // The public, idiomatic API.
        .target(name: "ComposioRS", dependencies: ["ComposioRSBindings", "ComposioRSSupport"]),
        // A composio-local process for tests and examples (no dependency on
        // the engine; empty on iOS).
        .target(name: "ComposioRSLocal"),
        .testTarget(name: "ComposioRSTests", dependencies: ["ComposioRS", "ComposioRSLocal"]),
    ],
    swiftLanguageModes: [.v6]
)
