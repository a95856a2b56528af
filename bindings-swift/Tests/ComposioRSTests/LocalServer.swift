import ComposioRS
import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One composio-local process (COMPOSIO_LOCAL_BIN) shared by the whole test
/// run, stopped at exit.
final class LocalServer: @unchecked Sendable {
    let baseURL: String
    let apiKey: String
    let process: Process
    let logURL: URL

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
    /// SIGTERM first (composio-local shuts down gracefully on it), SIGKILL
    /// if it has not exited after 10 s.
    private static func stop() {
        guard case let .success(s)? = started else { return }
        let pid = s.process.processIdentifier
        var status: Int32 = 0
        kill(pid, SIGTERM)
        for _ in 0..<200 {
            let r = waitpid(pid, &status, WNOHANG)
            // -1: Foundation's Process already reaped it.
            if r == pid || (r == -1 && kill(pid, 0) != 0) {
                let log = (try? String(contentsOf: s.logURL, encoding: .utf8)) ?? ""
                let how = log.contains("shutting down") ? "gracefully (SIGTERM)" : "without its shutdown message"
                fputs("composio-local stopped \(how)\n", stderr)
                return
            }
            usleep(50_000)
        }
        fputs("composio-local did not stop on SIGTERM within 10 s; sending SIGKILL\n", stderr)
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    private init() throws {
        guard let bin = ProcessInfo.processInfo.environment["COMPOSIO_LOCAL_BIN"] else {
            throw NSError(domain: "tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "set COMPOSIO_LOCAL_BIN"])
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("composio-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["serve", "--port", "0", "--data", dir.appendingPathComponent("data").path]
        p.standardOutput = out
        p.standardError = out
        try p.run()
        process = p
        logURL = log
        var url: String?
        var key: String?
        let deadline = Date().addingTimeInterval(60)
        while url == nil || key == nil {
            guard Date() < deadline, p.isRunning else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw NSError(
                    domain: "tests", code: 2,
                    userInfo: [NSLocalizedDescriptionKey: "composio-local did not start: \(text)"])
            }
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                if line.hasPrefix("COMPOSIO_BASE_URL=") { url = String(line.dropFirst("COMPOSIO_BASE_URL=".count)) }
                if line.hasPrefix("COMPOSIO_API_KEY=") { key = String(line.dropFirst("COMPOSIO_API_KEY=".count)) }
            }
            if url == nil || key == nil { usleep(50_000) }
        }
        baseURL = url!
        apiKey = key!
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
