import ComposioRSBindings
import Foundation

/// Every error composio-rs throws (besides errors your own callbacks throw,
/// which are rethrown unchanged).
public typealias ComposioError = ComposioRSBindings.ComposioError

extension ComposioError {
    /// The stable, language-neutral code (`NOT_FOUND`, `VALIDATION_ERROR`, ...).
    public var code: String {
        switch self {
        case let .Api(code, _, _, _, _): return code
        case let .Validation(code, _): return code
        case let .Webhook(code, _): return code
        case .Callback: return "CALLBACK_ERROR"
        case let .Other(code, _, _, _): return code
        case .SessionConfigConflict: return "SESSION_CONFIG_CONFLICT"
        }
    }

    /// The human-readable message.
    public var message: String {
        switch self {
        case let .Api(_, message, _, _, _): return message
        case let .Validation(_, message): return message
        case let .Webhook(_, message): return message
        case let .Callback(message, _): return message
        case let .Other(_, message, _, _): return message
        case let .SessionConfigConflict(message, _, _, _, _, _): return message
        }
    }

    /// The HTTP status, when the API answered.
    public var status: Int? {
        switch self {
        case let .Api(_, _, status, _, _): return Int(status)
        case let .Other(_, _, status, _): return status.map(Int.init)
        case let .SessionConfigConflict(_, status, _, _, _, _): return Int(status)
        default: return nil
        }
    }

    /// The request id, when a request was sent.
    public var requestId: String? {
        switch self {
        case let .Api(_, _, _, requestId, _): return requestId
        case let .Other(_, _, _, requestId): return requestId
        case let .SessionConfigConflict(_, _, requestId, _, _, _): return requestId
        default: return nil
        }
    }
}

/// Errors thrown by user callbacks, kept while the engine carries their id.
final class CallbackErrors: @unchecked Sendable {
    static let shared = CallbackErrors()
    private let lock = NSLock()
    private var next: UInt64 = 1
    private var errors: [UInt64: any Error] = [:]

    /// Keeps `error` and returns the `ComposioError` that carries its id.
    func wrap(_ error: any Error) -> ComposioError {
        if case .Callback = error as? ComposioError { return error as! ComposioError }
        lock.lock()
        let id = next
        next += 1
        errors[id] = error
        lock.unlock()
        return .Callback(message: String(describing: error), callbackId: id)
    }

    /// The original error for an id, removed from the table.
    func take(_ id: UInt64) -> (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return errors.removeValue(forKey: id)
    }
}

/// Runs an engine call; a callback error that names a kept Swift error is
/// replaced by that error.
func engine<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ComposioError {
        throw original(error)
    }
}

/// The synchronous form of ``engine(_:)``.
func engineSync<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ComposioError {
        throw original(error)
    }
}

private func original(_ error: ComposioError) -> any Error {
    if case let .Callback(_, id?) = error, let kept = CallbackErrors.shared.take(id) {
        return kept
    }
    return error
}

/// Parses engine JSON; a failure is an internal error.
func parseJSON(_ text: String) throws -> JSONValue {
    do {
        return try JSONValue(jsonString: text)
    } catch {
        throw ComposioError.Other(
            code: "INTERNAL_ERROR", message: "composio-rs returned invalid JSON: \(error)", status: nil,
            requestId: nil)
    }
}

/// Decodes engine JSON into `T`.
func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    do {
        return try JSONValue(jsonString: text).decode(T.self)
    } catch {
        throw ComposioError.Other(
            code: "DECODE_ERROR", message: "could not decode a composio-rs result: \(error)", status: nil,
            requestId: nil)
    }
}
