@_exported import ComposioRSSupport
import ComposioRSBindings
import Foundation

/// The LLM provider whose tool format ``Session/tools(provider:)`` and
/// ``Tools/get(userId:tools:toolkits:search:limit:provider:)`` produce
/// (the TypeScript SDK's format).
public typealias Provider = ComposioRSBindings.ProviderKind

/// The Composio client.
public final class Composio: Sendable {
    let ffi: FfiComposio

    /// A client. Values left `nil` come from the environment
    /// (`COMPOSIO_API_KEY`, `COMPOSIO_BASE_URL`,
    /// `COMPOSIO_TOOLKIT_VERSION_<TOOLKIT>`).
    public init(apiKey: String? = nil, baseURL: String? = nil, toolkitVersions: [String: String]? = nil) throws {
        ffi = try engineSync { try FfiComposio(apiKey: apiKey, baseUrl: baseURL, toolkitVersions: toolkitVersions) }
    }

    /// The base URL in use.
    public var baseURL: String { ffi.baseUrl() }

    /// Tools: get, execute, custom tools.
    public var tools: Tools { Tools(composio: self) }

    /// Toolkits: list, get, categories, authorize.
    public var toolkits: Toolkits { Toolkits(composio: self) }

    /// Auth configs: create, list, get, update, delete, enable, disable.
    public var authConfigs: AuthConfigs { AuthConfigs(composio: self) }

    /// Connected accounts: initiate, link, get, list, delete, refresh,
    /// enable, disable, waitForConnection.
    public var connectedAccounts: ConnectedAccounts { ConnectedAccounts(composio: self) }

    /// MCP servers: create, list, get, update, delete, generate.
    public var mcp: MCPServers { MCPServers(composio: self) }

    /// Triggers: types, instances, realtime subscribe, verifyWebhook.
    public var triggers: Triggers { Triggers(composio: self) }

    /// Webhook subscriptions (where signed trigger deliveries go).
    public var webhookSubscriptions: WebhookSubscriptions { WebhookSubscriptions(composio: self) }

    /// Creates a tool-router session for a user with a typed configuration.
    ///
    /// `customTools` and `customToolkits` are session custom tools
    /// (experimental): Swift code the session runs in-process when the
    /// model calls them (``Session/execute(toolSlug:arguments:)``, and the
    /// items of `COMPOSIO_MULTI_EXECUTE_TOOL`), announced to the API in the
    /// create request's `experimental` block. Their final slugs are
    /// `LOCAL_[TOOLKIT_]SLUG` (see ``Session/customTools(toolkit:)``); a
    /// tool's `toolkit` means "extends this toolkit".
    public func create(
        userId: String, config: SessionConfig = SessionConfig(), customTools: [CustomTool] = [],
        customToolkits: [SessionCustomToolkit] = []
    ) async throws -> Session {
        try await create(
            userId: userId, config: config.jsonValue, customTools: customTools, customToolkits: customToolkits)
    }

    /// Creates a tool-router session for a user. `config` is the session
    /// configuration as JSON, in the Python SDK's snake_case shape
    /// (`{"toolkits": ["github"], "manage_connections": ...}`).
    public func create(
        userId: String, config: JSONValue, customTools: [CustomTool] = [], customToolkits: [SessionCustomToolkit] = []
    ) async throws -> Session {
        let configText = config == .null ? nil : try config.jsonString()
        let tools = try customTools.map { try $0.localTool() }
        let toolkits = try customToolkits.map { try $0.localToolkit() }
        return Session(
            ffi: try await engine {
                try await ffi.createSession(
                    userId: userId, config: configText, customTools: tools, customToolkits: toolkits)
            })
    }

    /// Waits until a connected account is ACTIVE; returns the account.
    public func waitForConnection(id: String, timeout: TimeInterval = 60) async throws -> JSONValue {
        try parseJSON(try await engine { try await ffi.waitForConnection(id: id, timeoutSeconds: timeout) })
    }
}

/// The session's MCP endpoint.
public struct SessionMCP: Sendable, Equatable, Codable {
    /// Transport type (`http`).
    public var type: String
    /// The endpoint URL.
    public var url: String
    /// Headers an MCP client must send (carries the API key: never log).
    public var headers: [String: String]
}

/// A tool-router session.
public final class Session: Sendable {
    let ffi: FfiSession

    init(ffi: FfiSession) { self.ffi = ffi }

    /// The session id.
    public var sessionId: String { ffi.sessionId() }

    /// How an MCP client reaches the session.
    public var mcp: SessionMCP {
        get throws { try decodeJSON(SessionMCP.self, try ffi.mcp()) }
    }

    /// The session's tools in `provider`'s format (the TypeScript SDK's),
    /// after `modifiers` (schema and declarative ones).
    public func tools(provider: Provider = .openAi, modifiers: [Modifier] = []) async throws -> [JSONValue] {
        let mods = try modifiers.map { try $0.ffi() }
        return try parseJSON(try await engine { try await ffi.tools(provider: provider, modifiers: mods) })
            .arrayValue ?? []
    }

    /// The session's tools in the API's own (wire) shape.
    public func rawTools(modifiers: [Modifier] = []) async throws -> [JSONValue] {
        let mods = try modifiers.map { try $0.ffi() }
        return try parseJSON(try await engine { try await ffi.toolsRaw(modifiers: mods) }).arrayValue ?? []
    }

    /// Executes a meta tool (`COMPOSIO_SEARCH_TOOLS`,
    /// `COMPOSIO_MULTI_EXECUTE_TOOL`, ...) as agentic providers do.
    public func executeMeta(
        _ slug: String, arguments: JSONValue = [:], modifiers: [Modifier] = []
    ) async throws -> ToolExecuteResult {
        let args = try arguments.jsonString()
        let mods = try modifiers.map { try $0.ffi() }
        return try decodeJSON(
            ToolExecuteResult.self,
            try await engine { try await ffi.executeMeta(slug: slug, arguments: args, modifiers: mods) })
    }

    /// The session's toolkits with their connection state (one page).
    public func toolkits(
        _ toolkits: [String] = [], isConnected: Bool? = nil, search: String? = nil, limit: UInt32? = nil,
        cursor: String? = nil
    ) async throws -> Page {
        var p: JSONObject = ["toolkits": .array(toolkits.map(JSONValue.string))]
        if let isConnected { p["is_connected"] = .bool(isConnected) }
        if let search { p["search"] = .string(search) }
        if let limit { p["limit"] = .int(Int64(limit)) }
        if let cursor { p["cursor"] = .string(cursor) }
        let text = try JSONValue.object(p).jsonString()
        return try Page(try parseJSON(try await engine { try await ffi.toolkits(params: text) }))
    }

    /// Executes a tool in the session.
    public func execute(toolSlug: String, arguments: JSONValue? = nil) async throws -> SessionExecuteResult {
        let args = try arguments.map { try $0.jsonString() }
        return try decodeJSON(
            SessionExecuteResult.self,
            try await engine { try await ffi.execute(toolSlug: toolSlug, arguments: args) })
    }

    /// The user the session belongs to, if known.
    public var userId: String? { ffi.userId() }

    /// The session's custom tools in definition order; with `toolkit`, only
    /// those belonging to or extending it (case-insensitive).
    public func customTools(toolkit: String? = nil) throws -> [SessionCustomToolInfo] {
        try decodeJSON([SessionCustomToolInfo].self, try engineSync { try ffi.customTools(toolkit: toolkit) })
    }

    /// The session's custom toolkits with their tools.
    public func customToolkits() throws -> [SessionCustomToolkitInfo] {
        try decodeJSON([SessionCustomToolkitInfo].self, try engineSync { try ffi.customToolkits() })
    }

    /// Sends an HTTP request to a toolkit's API through the session's
    /// connected account (`endpoint` relative to the toolkit's base URL, or
    /// absolute). Returns `{status, data, headers, ...}`.
    public func proxyExecute(
        toolkit: String, endpoint: String, method: String, body: JSONValue? = nil, parameters: [ProxyParameter] = []
    ) async throws -> JSONValue {
        var p: JSONObject = [
            "toolkit": .string(toolkit), "endpoint": .string(endpoint), "method": .string(method),
            "parameters": .array(
                parameters.map { ["in": .string($0.location), "name": .string($0.name), "value": .string($0.value)] }),
        ]
        if let body { p["body"] = body }
        let text = try JSONValue.object(p).jsonString()
        return try parseJSON(try await engine { try await ffi.proxyExecute(params: text) })
    }

    /// Starts connecting the session's user to a toolkit.
    public func authorize(toolkit: String, callbackURL: String? = nil) async throws -> ConnectionRequest {
        ConnectionRequest(ffi: try await engine { try await ffi.authorize(toolkit: toolkit, callbackUrl: callbackURL) })
    }
}

/// The result of ``Session/execute(toolSlug:arguments:)``.
public struct SessionExecuteResult: Sendable, Equatable, Codable {
    /// The tool's data.
    public var data: JSONValue
    /// The tool's error, if it failed.
    public var error: String?
    /// The execution's log id.
    public var logId: String?

    enum CodingKeys: String, CodingKey {
        case data, error
        case logId = "log_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decodeIfPresent(JSONValue.self, forKey: .data) ?? .null
        error = try c.decodeIfPresent(String.self, forKey: .error)
        logId = try c.decodeIfPresent(String.self, forKey: .logId)
    }
}

/// A started connection: send the user to ``redirectURL``, then
/// ``waitForConnection(timeout:)``.
public final class ConnectionRequest: Sendable {
    let ffi: FfiConnectionRequest

    init(ffi: FfiConnectionRequest) { self.ffi = ffi }

    /// The connected account id.
    public var id: String { ffi.id() }
    /// The status when the request was made (usually `INITIATED`).
    public var status: String { ffi.status() }
    /// Where the user completes the connection.
    public var redirectURL: String? { ffi.redirectUrl() }

    /// Waits until the account is ACTIVE; returns the connected account.
    public func waitForConnection(timeout: TimeInterval = 60) async throws -> JSONValue {
        try parseJSON(try await engine { try await ffi.waitForConnection(timeoutSeconds: timeout) })
    }
}

extension Composio {
    /// The composio-rs engine version.
    public static var engineVersion: String { coreVersion() }
}
