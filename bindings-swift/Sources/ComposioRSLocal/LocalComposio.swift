// A composio-local process for tests, examples and development on a
// desktop OS (Linux, macOS). Not for apps: iOS cannot start processes.
#if os(Linux) || os(macOS)
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a composio-local process could not be started.
public struct LocalComposioError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
}

/// A running `composio-local serve --port 0` (an offline,
/// Composio-compatible backend): its URL and API key are read from what it
/// prints. Stop it with ``stop(timeout:)``.
public final class LocalComposio: Sendable {
    /// The API base URL (`COMPOSIO_BASE_URL`).
    public let baseURL: String
    /// The API key (`COMPOSIO_API_KEY`).
    public let apiKey: String
    /// The process id.
    public let pid: pid_t
    /// Where the process's output goes.
    public let logPath: String

    /// Starts `binary` (a path, or a name searched on PATH) with its data
    /// in `dataDirectory` (default: a new temporary folder) and waits up to
    /// `startupTimeout` seconds for it to print its URL and key.
    public init(binary: String, dataDirectory: String? = nil, startupTimeout: TimeInterval = 60) throws {
        let dir: String
        if let dataDirectory {
            dir = dataDirectory
        } else {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("composio-local-\(UUID().uuidString)")
                .path
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = (dir as NSString).appendingPathComponent("composio-local.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let pid = try spawnWithDefaultSignals(
            binary, ["serve", "--port", "0", "--data", (dir as NSString).appendingPathComponent("data")], output: log)
        var url: String?
        var key: String?
        let deadline = Date().addingTimeInterval(startupTimeout)
        while url == nil || key == nil {
            guard Date() < deadline, waitpid(pid, nil, WNOHANG) == 0 else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                kill(pid, SIGKILL)
                throw LocalComposioError(description: "composio-local did not start (log \(log)): \(text)")
            }
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                if line.hasPrefix("COMPOSIO_BASE_URL=") { url = String(line.dropFirst("COMPOSIO_BASE_URL=".count)) }
                if line.hasPrefix("COMPOSIO_API_KEY=") { key = String(line.dropFirst("COMPOSIO_API_KEY=".count)) }
            }
            if url == nil || key == nil { usleep(50_000) }
        }
        self.pid = pid
        self.logPath = log
        self.baseURL = url ?? ""
        self.apiKey = key ?? ""
    }

    /// How ``stop(timeout:)`` ended the process.
    public enum Stopped: Sendable, Equatable {
        /// It exited after SIGTERM and logged its shutdown.
        case gracefully(seconds: Double)
        /// It exited after SIGTERM without logging its shutdown.
        case withoutShutdownMessage(seconds: Double)
        /// It was still running after `timeout` and got SIGKILL.
        case killed
    }

    /// SIGTERM (composio-local shuts down gracefully on it); SIGKILL when it
    /// is still running after `timeout` seconds. Uses plain signals and
    /// `waitpid` only, so it is safe from an `atexit` handler.
    @discardableResult
    public func stop(timeout: TimeInterval = 30) -> Stopped {
        var status: Int32 = 0
        kill(pid, SIGTERM)
        let began = Date()
        while Date().timeIntervalSince(began) < timeout {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || r == -1 {
                let secs = Date().timeIntervalSince(began)
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                return log.contains("shutting down") ? .gracefully(seconds: secs) : .withoutShutdownMessage(seconds: secs)
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return .killed
    }
}

/// Starts `program` (a path, or a name searched on PATH) with `args`,
/// stdout and stderr appended to the file `output`, with an empty signal
/// mask and default signal handlers: a child inherits the spawning thread's
/// mask, and XCTest's and Swift concurrency's threads may block SIGTERM and
/// SIGINT, so a child started with `Process` could never be stopped gently.
public func spawnWithDefaultSignals(_ program: String, _ args: [String], output: String) throws -> pid_t {
    #if os(Linux)
        var attr = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
    #else
        var attr: posix_spawnattr_t?
        var actions: posix_spawn_file_actions_t?
    #endif
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
    let argv = ([program] + args).map { strdup($0) } + [nil]
    let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, program, &actions, &attr, argv, envp)
    guard rc == 0 else {
        throw LocalComposioError(description: "could not start \(program): \(String(cString: strerror(rc)))")
    }
    return pid
}
#endif
