import ComposioRSBindings
import Foundation

extension Session {
    /// The session configuration as the API last echoed it (wire spelling,
    /// e.g. `config["toolkits"]`); refreshed by ``update(_:)``.
    public var config: JSONValue {
        get throws { try parseJSON(try engineSync { try ffi.config() }) }
    }

    /// The config version this object last observed; pass it as
    /// `expected_config_version` to make an update conditional.
    public var configVersion: Int { Int(ffi.configVersion()) }

    /// Partially updates the session configuration. `patch` is a JSON object
    /// in the API's spelling (`toolkits`, `tools`, `tags`, `auth_configs`,
    /// `connected_accounts`, `manage_connections`, `sandbox`/`workbench`,
    /// `multi_account`, `proxy_execute`, `preload`, `search`, `execute`,
    /// `experimental`, ...): only the keys given change, `null` removes a
    /// stored override, maps given replace the stored ones.
    /// `expected_config_version` (a positive integer) makes the update
    /// conditional: a stale one throws ``ComposioError/SessionConfigConflict``
    /// and this object is left unchanged. Returns the updated config.
    @discardableResult
    public func update(_ patch: JSONValue) async throws -> JSONValue {
        let text = try patch.jsonString()
        return try parseJSON(try await engine { try await ffi.update(patch: text) })
    }

    /// One page of the session's config history, newest first (`limit`
    /// 1...100; pass the previous page's ``SessionConfigHistory/nextCursor``
    /// as `cursor`).
    public func listConfigHistory(cursor: String? = nil, limit: Int? = nil) async throws -> SessionConfigHistory {
        let l = try limit.map { n -> UInt32 in
            guard let v = UInt32(exactly: n) else {
                throw ComposioError.Validation(
                    code: "VALIDATION_ERROR", message: "limit must be between 1 and 100, got \(n)")
            }
            return v
        }
        return try decodeJSON(
            SessionConfigHistory.self, try await engine { try await ffi.configHistory(cursor: cursor, limit: l) })
    }

    /// Deletes the session. A deleted session can no longer be used; a
    /// second delete throws a `NOT_FOUND` error.
    @discardableResult
    public func delete() async throws -> SessionDeleted {
        try decodeJSON(SessionDeleted.self, try await engine { try await ffi.delete() })
    }
}

extension Composio {
    /// Deletes a session by id.
    @discardableResult
    public func deleteSession(sessionId: String) async throws -> SessionDeleted {
        try decodeJSON(SessionDeleted.self, try await engine { try await ffi.deleteSession(sessionId: sessionId) })
    }
}

/// The answer to a session delete.
public struct SessionDeleted: Sendable, Equatable, Codable {
    /// The deleted session.
    public var sessionId: String
    /// Always `true`.
    public var deleted: Bool

    /// A delete answer (for comparisons).
    public init(sessionId: String, deleted: Bool) {
        self.sessionId = sessionId
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case sessionId = "session_id"
        case deleted
    }
}

/// One stored version of a session's configuration.
public struct SessionConfigVersion: Sendable, Equatable, Codable {
    /// The version number.
    public var version: Int
    /// Whether this is the live configuration.
    public var isCurrent: Bool
    /// The configuration of this version (wire spelling).
    public var config: JSONValue
    /// When this version was written (ISO 8601).
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case version, config
        case isCurrent = "is_current"
        case createdAt = "created_at"
    }
}

/// A page of ``Session/listConfigHistory(cursor:limit:)``.
public struct SessionConfigHistory: Sendable, Equatable, Codable {
    /// The versions on this page, newest first.
    public var items: [SessionConfigVersion]
    /// The cursor of the next page, `nil` on the last one.
    public var nextCursor: String?
    /// How many versions the session has.
    public var totalItems: Int?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
        case totalItems = "total_items"
    }
}
