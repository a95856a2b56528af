import ComposioRSBindings
import Foundation

// The v3.1 entry points of `@composio/core` 0.21 in Swift style:
// `composio.use(sessionId:customTools:customToolkits:)` (attach),
// `composio.webhooks.endpoints`, `composio.sessionConfigs` and
// `composio.getClient()`.

extension Composio {
    /// Restores a session by id. With `customTools` / `customToolkits`
    /// (`composio.use(id, {customTools, customToolkits})` of
    /// `@composio/core` 0.21), first attaches them to the session
    /// (`POST …/attach`): the session then runs them in this process, under
    /// the final slugs the API reports (see ``Session/customTools(toolkit:)``).
    /// Attaching replaces the session's earlier custom tools.
    public func use(
        sessionId: String, customTools: [CustomTool] = [], customToolkits: [SessionCustomToolkit] = []
    ) async throws -> Session {
        if customTools.isEmpty && customToolkits.isEmpty {
            return Session(ffi: try await engine { try await ffi.useSession(sessionId: sessionId) })
        }
        let tools = try customTools.map { try $0.localTool() }
        let toolkits = try customToolkits.map { try $0.localToolkit() }
        return Session(
            ffi: try await engine {
                try await ffi.attachSession(sessionId: sessionId, customTools: tools, customToolkits: toolkits)
            })
    }

    /// Webhooks: inbound ``WebhookEndpoints`` and the project's
    /// ``WebhookSubscriptions`` (`composio.webhooks` of `@composio/core`).
    public var webhooks: Webhooks { Webhooks(composio: self) }

    /// Saved Session configs (`composio.sessionConfigs`).
    public var sessionConfigs: SessionConfigs { SessionConfigs(composio: self) }

    /// Raw API calls through this client (`composio.getClient()`).
    public func getClient() -> ComposioClient { ComposioClient(composio: self) }
}

extension Session {
    /// The API's `experimental` block for the session (assistive prompt,
    /// custom tool echoes, `source_session_config`), or `.null`.
    public var experimental: JSONValue {
        get throws { try parseJSON(try engineSync { try ffi.experimental() }) }
    }

    /// The saved Session config the session was created from
    /// (`experimental.sourceSessionConfig.id`), if any.
    public var sourceSessionConfigId: String? {
        get throws { try experimental["source_session_config"]?["id"]?.stringValue }
    }
}

/// `composio.webhooks`.
public struct Webhooks: Sendable {
    let composio: Composio

    /// Inbound webhook endpoints (per toolkit + OAuth app).
    public var endpoints: WebhookEndpoints { WebhookEndpoints(composio: composio) }

    /// The project's webhook subscriptions (same as
    /// ``Composio/webhookSubscriptions``).
    public var subscriptions: WebhookSubscriptions { WebhookSubscriptions(composio: composio) }
}

/// A webhook endpoint as ``WebhookEndpoints/list(toolkitSlug:)`` returns it.
public struct WebhookEndpointListItem: Sendable, Equatable, Codable {
    /// Endpoint nano id (`we_…`).
    public var id: String
    /// The toolkit it receives events for.
    public var toolkitSlug: String
    /// The OAuth app's client id.
    public var clientId: String?

    enum CodingKeys: String, CodingKey {
        case id
        case toolkitSlug = "toolkit_slug"
        case clientId = "client_id"
    }
}

/// The answer of ``WebhookEndpoints/list(toolkitSlug:)``.
public struct WebhookEndpointList: Sendable, Equatable {
    /// The endpoints.
    public var items: [WebhookEndpointListItem]
}

/// A webhook endpoint: the inbound URL for one toolkit + OAuth app pair.
public struct WebhookEndpoint: Sendable, Equatable, Codable {
    /// Endpoint nano id (`we_…`).
    public var id: String
    /// The toolkit it receives events for.
    public var toolkitSlug: String
    /// The OAuth app's client id.
    public var clientId: String?
    /// The inbound URL to register with the third-party provider.
    public var webhookURL: String
    /// Configured setup fields, secret values masked; `nil` until configured.
    public var data: [String: String]?
    /// Creation time (ISO-8601).
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, data
        case toolkitSlug = "toolkit_slug"
        case clientId = "client_id"
        case webhookURL = "webhook_url"
        case createdAt = "created_at"
    }
}

/// `composio.webhooks.endpoints`: inbound webhook endpoints, one per
/// toolkit + OAuth app pair, which you register with the provider so it can
/// push events to Composio.
public struct WebhookEndpoints: Sendable {
    let composio: Composio

    /// The endpoints, only those of `toolkitSlug` when given.
    public func list(toolkitSlug: String? = nil) async throws -> WebhookEndpointList {
        let text = try await engine { try await composio.ffi.webhookEndpointsList(toolkitSlug: toolkitSlug) }
        return WebhookEndpointList(items: try decodeJSON([WebhookEndpointListItem].self, text))
    }

    /// One endpoint by nano id (`we_…`).
    public func get(_ nanoId: String) async throws -> WebhookEndpoint {
        try decodeJSON(
            WebhookEndpoint.self, try await engine { try await composio.ffi.webhookEndpointsGet(nanoId: nanoId) })
    }

    /// Creates the endpoint of a toolkit + OAuth app pair (or returns the
    /// existing one).
    public func create(toolkitSlug: String, clientId: String) async throws -> WebhookEndpoint {
        try decodeJSON(
            WebhookEndpoint.self,
            try await engine {
                try await composio.ffi.webhookEndpointsCreate(toolkitSlug: toolkitSlug, clientId: clientId)
            })
    }

    /// Sets every required setup field (the initial configuration).
    public func replace(_ nanoId: String, data: [String: String]) async throws -> WebhookEndpoint {
        try await setData(nanoId, data, merge: false)
    }

    /// Merges setup fields; omitted fields are kept.
    public func update(_ nanoId: String, data: [String: String]) async throws -> WebhookEndpoint {
        try await setData(nanoId, data, merge: true)
    }

    private func setData(_ nanoId: String, _ data: [String: String], merge: Bool) async throws -> WebhookEndpoint {
        try decodeJSON(
            WebhookEndpoint.self,
            try await engine {
                try await composio.ffi.webhookEndpointsSetData(nanoId: nanoId, data: data, merge: merge)
            })
    }
}

/// A saved Session config as ``SessionConfigs/list(search:archived:limit:cursor:)``
/// returns it.
public struct SessionConfigSummary: Sendable, Equatable, Codable {
    /// `sc_…` id.
    public var id: String
    /// Project-unique name.
    public var name: String
    /// Whether it is archived.
    public var archived: Bool
    /// Creation time (ISO-8601).
    public var createdAt: String
    /// Last update time (ISO-8601).
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, archived
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One page of saved Session configs.
public struct SessionConfigPage: Sendable, Equatable, Codable {
    /// The configs of this page.
    public var items: [SessionConfigSummary]
    /// Pass as `cursor` for the next page; `nil` on the last one.
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}

/// A saved Session config with its description and access policy.
public struct SavedSessionConfig: Sendable, Equatable, Codable {
    /// `sc_…` id.
    public var id: String
    /// Project-unique name.
    public var name: String
    /// Description, if any.
    public var description: String?
    /// Whether it is archived.
    public var archived: Bool
    /// The access policy (`toolkits`, `tools`, `tags`), exactly as stored.
    public var config: JSONValue
    /// Creation time (ISO-8601).
    public var createdAt: String
    /// Last update time (ISO-8601).
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, description, archived, config
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// `composio.sessionConfigs`: the project's saved Session configs (`sc_…`),
/// named access policies made in the Dashboard. Apply one at session create
/// with ``SessionConfig/sessionConfigId``.
public struct SessionConfigs: Sendable {
    let composio: Composio

    /// One page of configs (active ones unless `archived` is `true`).
    public func list(
        search: String? = nil, archived: Bool? = nil, limit: UInt32? = nil, cursor: String? = nil
    ) async throws -> SessionConfigPage {
        if let limit, limit < 1 {
            throw ComposioError.Validation(code: "VALIDATION_ERROR", message: "limit must be a positive integer, got 0")
        }
        return try decodeJSON(
            SessionConfigPage.self,
            try await engine {
                try await composio.ffi.sessionConfigsList(search: search, archived: archived, limit: limit, cursor: cursor)
            })
    }

    /// One config with its policy.
    public func get(_ id: String) async throws -> SavedSessionConfig {
        try decodeJSON(SavedSessionConfig.self, try await engine { try await composio.ffi.sessionConfigsGet(id: id) })
    }
}

/// What ``Composio/getClient()`` returns: raw calls to the Composio API with
/// the client's base URL, API key, retries and typed ``ComposioError``s.
/// A path starting with `/` is taken from the base URL (`/api/v3.1/toolkits`);
/// otherwise it is under the API prefix (`toolkits`). `query` values are
/// sent in order; each method returns the JSON answer.
public struct ComposioClient: Sendable {
    let composio: Composio

    /// The base URL in use.
    public var baseURL: String { composio.baseURL }

    /// `GET path`.
    public func get(_ path: String, query: [(String, String)] = []) async throws -> JSONValue {
        try await request("GET", path, query: query)
    }

    /// `POST path`.
    public func post(_ path: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> JSONValue {
        try await request("POST", path, query: query, body: body)
    }

    /// `PUT path`.
    public func put(_ path: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> JSONValue {
        try await request("PUT", path, query: query, body: body)
    }

    /// `PATCH path`.
    public func patch(_ path: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> JSONValue {
        try await request("PATCH", path, query: query, body: body)
    }

    /// `DELETE path`.
    public func delete(_ path: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws
        -> JSONValue
    {
        try await request("DELETE", path, query: query, body: body)
    }

    /// Any method.
    public func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil
    ) async throws -> JSONValue {
        let pairs = query.map { FfiQueryPair(key: $0.0, value: $0.1) }
        let text = try body.map { try $0.jsonString() }
        return try parseJSON(
            try await engine {
                try await composio.ffi.rawRequest(method: method, path: path, query: pairs, body: text)
            })
    }
}
