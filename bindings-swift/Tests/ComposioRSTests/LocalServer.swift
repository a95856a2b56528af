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
    let pid: pid_t
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
    /// SIGTERM first (composio-local shuts down gracefully on it, waiting
    /// up to 10 s for each of its tasks), SIGKILL if it has not exited
    /// after 30 s.
    private static func stop() {
        guard case let .success(s)? = started else { return }
        let pid = s.pid
        var status: Int32 = 0
        kill(pid, SIGTERM)
        let began = Date()
        for _ in 0..<600 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || r == -1 {
                let log = (try? String(contentsOf: s.logURL, encoding: .utf8)) ?? ""
                let how = log.contains("shutting down") ? "gracefully (SIGTERM)" : "without its shutdown message"
                let secs = String(format: "%.1f", Date().timeIntervalSince(began))
                FileHandle.standardError.write(Data("composio-local stopped \(how) in \(secs) s\n".utf8))
                return
            }
            usleep(50_000)
        }
        let log = (try? String(contentsOf: s.logURL, encoding: .utf8)) ?? ""
        let blocked = ((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "")
            .split(separator: "\n").first { $0.hasPrefix("SigBlk") } ?? ""
        FileHandle.standardError.write(
            Data(
                ("composio-local did not stop on SIGTERM within 30 s (shutdown message: "
                    + "\(log.contains("shutting down")), \(blocked)); sending SIGKILL\n").utf8))
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
        pid = try spawnWithDefaultSignals(
            bin, ["serve", "--port", "0", "--data", dir.appendingPathComponent("data").path], output: log.path)
        logURL = log
        var url: String?
        var key: String?
        let deadline = Date().addingTimeInterval(60)
        while url == nil || key == nil {
            guard Date() < deadline, waitpid(pid, nil, WNOHANG) == 0 else {
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

/// Starts `path` with `args`, stdout and stderr appended to `output`, with
/// an empty signal mask and default signal handlers. Foundation's `Process`
/// passes on the spawning thread's mask, and XCTest's threads block SIGTERM
/// and SIGINT, so a child started that way could never be stopped gently.
func spawnWithDefaultSignals(_ path: String, _ args: [String], output: String) throws -> pid_t {
    #if os(Linux)
    var attr = posix_spawnattr_t()
    var actions = posix_spawn_file_actions_t()
    posix_spawnattr_init(&attr)
    posix_spawn_file_actions_init(&actions)
    defer {
        posix_spawnattr_destroy(&attr)
        posix_spawn_file_actions_destroy(&actions)
    }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, &attr, argv, environ)
    guard rc == 0 else {
        throw NSError(
            domain: "tests", code: Int(rc),
            userInfo: [NSLocalizedDescriptionKey: "could not start \(path): \(String(cString: strerror(rc)))"])
    }
    return pid
    #else
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    p.standardOutput = out
    p.standardError = out
    try p.run()
    return p.processIdentifier
    #endif
}
