// swift-tools-version:6.0
//
// The composio-rs quickstart as a Swift command-line program. Runs against
// a composio-local it starts (COMPOSIO_LOCAL_BIN or `composio-local` on
// PATH) unless COMPOSIO_API_KEY and COMPOSIO_BASE_URL are set.
//
// Build and run from the repository root:
//     bindings-swift/scripts/run-example-swift.sh
// (builds the Rust library, generates the bindings and runs
// `swift run -Xlinker -L<lib dir> quickstart`, in the Swift trixie root on
// Debian 12).
import PackageDescription

let package = Package(
    name: "ComposioQuickstart",
    platforms: [.macOS(.v12)],
    dependencies: [.package(name: "ComposioRS", path: "../../bindings-swift")],
    targets: [
        .executableTarget(
            name: "quickstart",
            dependencies: [
                .product(name: "ComposioRS", package: "ComposioRS"),
                // Starts composio-local (the same helper the package's tests use).
                .product(name: "ComposioRSLocal", package: "ComposioRS"),
            ],
            path: "Sources/Quickstart"
        )
    ],
    swiftLanguageModes: [.v6]
)
