import ComposioRS
import ComposioRSLocal
import Foundation
import XCTest

/// One composio-local process (COMPOSIO_LOCAL_BIN) shared by the whole test
/// run, stopped at exit.
final class LocalServer: Sendable {
    let process: LocalComposio
    var baseURL: String { process.baseURL }
    var apiKey: String { process.apiKey }

    nonisolated(unsafe) private static var started: Result<LocalServer, any Error>?
    private static let lock = NSLock()

    static func shared() throws -> LocalServer {
        lock.lock()
        defer { lock.unlock() }
        if started == nil {
            started = Result { try LocalServer() }
            atexit { LocalServer.stop() }
        }
        return try started!.get()
    }

    /// Runs at exit: plain signals only (Foundation's Process machinery
    /// may already be torn down, and waiting on it there deadlocks).
    /// SIGTERM first (composio-local shuts down gracefully on it, waiting
    /// up to 10 s for each of its tasks), SIGKILL if it has not exited
    /// after 30 s.
    private static func stop() {
        guard case let .success(s)? = started else { return }
        let message: String
        switch s.process.stop(timeout: 30) {
        case let .gracefully(secs):
            message = "composio-local stopped gracefully (SIGTERM) in \(String(format: "%.1f", secs)) s"
        case let .withoutShutdownMessage(secs):
            message = "composio-local stopped without its shutdown message in \(String(format: "%.1f", secs)) s"
        case .killed:
            message = "composio-local did not stop on SIGTERM within 30 s; sent SIGKILL"
        }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    private init() throws {
        guard let bin = ProcessInfo.processInfo.environment["COMPOSIO_LOCAL_BIN"] else {
            throw NSError(domain: "tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "set COMPOSIO_LOCAL_BIN"])
        }
        process = try LocalComposio(binary: bin)
    }

    /// A client of this server with the `text` toolkit pinned.
    func client() throws -> Composio {
        try Composio(apiKey: apiKey, baseURL: baseURL, toolkitVersions: ["text": "20251201_00"])
    }
}

/// Runs curl (the connect page is plain HTML over HTTP) and returns its output.
@discardableResult
func curl(_ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["curl", "-sS", "--fail-with-body"] + args
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard p.terminationStatus == 0 else {
        throw NSError(domain: "curl", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: text])
    }
    return text
}

/// The shared fixtures folder (`tests/fixtures`).
func fixturesURL() -> URL {
    if let dir = ProcessInfo.processInfo.environment["COMPOSIO_FIXTURES"] {
        return URL(fileURLWithPath: dir)
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../tests/fixtures")
        .standardized
}

func loadFixture(_ path: String) throws -> JSONValue {
    try JSONValue(jsonData: Data(contentsOf: fixturesURL().appendingPathComponent(path)))
}
