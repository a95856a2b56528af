import ComposioRSBindings
import Foundation

/// One page of a list endpoint.
public struct Page: Sendable, Equatable {
    /// The items, in the API's wire shape.
    public var items: [JSONValue]
    /// Pass as `cursor` to get the next page; `nil` on the last one.
    public var nextCursor: String?
    /// Total number of pages, when the API says.
    public var totalPages: Int64?
    /// The whole response.
    public var raw: JSONValue

    init(_ v: JSONValue) throws {
        guard let items = v["items"]?.arrayValue else {
            throw ComposioError.Other(
                code: "DECODE_ERROR", message: "a list response has no items array", status: nil, requestId: nil)
        }
        self.items = items
        nextCursor = v["next_cursor"]?.stringValue
        totalPages = v["total_pages"]?.intValue
        raw = v
    }
}

/// Toolkits. Get it with ``Composio/toolkits``.
public struct Toolkits: Sendable {
    let composio: Composio

    /// One page of toolkits. `managedBy`: `composio`, `all` or `project`;
    /// `sortBy`: `usage` or `alphabetically`.
    public func list(
        category: String? = nil, managedBy: String? = nil, sortBy: String? = nil, search: String? = nil,
        includeDeprecated: Bool? = nil, limit: UInt32? = nil, cursor: String? = nil
    ) async throws -> Page {
        let p = FfiToolkitListParams(
            category: category, managedBy: managedBy, sortBy: sortBy, search: search,
            includeDeprecated: includeDeprecated, limit: limit, cursor: cursor)
        return try Page(try parseJSON(try await engine { try await composio.ffi.toolkitsList(params: p) }))
    }

    /// One toolkit with its auth details.
    public func get(_ slug: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.toolkitsGet(slug: slug) })
    }

    /// Every toolkit category.
    public func categories() async throws -> [JSONValue] {
        try parseJSON(try await engine { try await composio.ffi.toolkitsCategories() }).arrayValue ?? []
    }

    /// Connects `userId` to `toolkit` with its newest auth config (or a new
    /// Composio-managed one).
    public func authorize(userId: String, toolkit: String) async throws -> ConnectionRequest {
        ConnectionRequest(
            ffi: try await engine { try await composio.ffi.toolkitsAuthorize(userId: userId, toolkit: toolkit) })
    }
}

/// Auth configs. Get it with ``Composio/authConfigs``.
public struct AuthConfigs: Sendable {
    let composio: Composio

    /// Creates an auth config for `toolkit`. `options` is the TypeScript
    /// SDK's shape: `["type": "use_composio_managed_auth"]` (the default) or
    /// `["type": "use_custom_auth", "authScheme": "API_KEY", "credentials": [...]]`.
    /// Returns `{"auth_config": {"id", ...}, "toolkit": {...}}`.
    public func create(
        toolkit: String, options: JSONValue = ["type": "use_composio_managed_auth"]
    ) async throws -> JSONValue {
        let text = try options.jsonString()
        return try parseJSON(
            try await engine { try await composio.ffi.authConfigsCreate(toolkit: toolkit, options: text) })
    }

    /// One page of auth configs.
    public func list(
        toolkit: String? = nil, isComposioManaged: Bool? = nil, showDisabled: Bool? = nil, search: String? = nil,
        limit: UInt32? = nil, cursor: String? = nil
    ) async throws -> Page {
        let p = FfiAuthConfigListParams(
            toolkitSlug: toolkit, isComposioManaged: isComposioManaged, showDisabled: showDisabled, search: search,
            limit: limit, cursor: cursor)
        return try Page(try parseJSON(try await engine { try await composio.ffi.authConfigsList(params: p) }))
    }

    /// One auth config.
    public func get(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.authConfigsGet(id: id) })
    }

    /// Updates an auth config: `["type": "custom", "credentials": ..., "name": ...]`
    /// or `["type": "default", "scopes": ...]`.
    @discardableResult
    public func update(_ id: String, _ update: JSONValue) async throws -> JSONValue {
        let text = try update.jsonString()
        return try parseJSON(try await engine { try await composio.ffi.authConfigsUpdate(id: id, update: text) })
    }

    /// Deletes an auth config.
    @discardableResult
    public func delete(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.authConfigsDelete(id: id) })
    }

    /// Enables an auth config.
    @discardableResult
    public func enable(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.authConfigsSetEnabled(id: id, enabled: true) })
    }

    /// Disables an auth config.
    @discardableResult
    public func disable(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.authConfigsSetEnabled(id: id, enabled: false) })
    }
}

/// Connected accounts. Get it with ``Composio/connectedAccounts``.
public struct ConnectedAccounts: Sendable {
    let composio: Composio

    /// Starts a connection of `userId` with an auth config. `config` is the
    /// connection state for credential schemes
    /// (`["authScheme": "API_KEY", "val": ["api_key": "..."]]`).
    /// Fails with `MULTIPLE_CONNECTED_ACCOUNTS` when the user already has an
    /// ACTIVE account there, unless `allowMultiple`.
    public func initiate(
        userId: String, authConfigId: String, callbackURL: String? = nil, allowMultiple: Bool = false,
        config: JSONValue? = nil, alias: String? = nil
    ) async throws -> ConnectionRequest {
        let opts = FfiInitiateOptions(
            callbackUrl: callbackURL, allowMultiple: allowMultiple, config: try config.map { try $0.jsonString() },
            alias: alias)
        return ConnectionRequest(
            ffi: try await engine {
                try await composio.ffi.connectedAccountsInitiate(
                    userId: userId, authConfigId: authConfigId, options: opts)
            })
    }

    /// Creates a Connect Link (hosted connect page) for `userId`;
    /// `connectionData` pre-fills the page.
    public func link(
        userId: String, authConfigId: String, callbackURL: String? = nil, alias: String? = nil,
        connectionData: JSONValue? = nil
    ) async throws -> ConnectionRequest {
        let data = try connectionData.map { try $0.jsonString() }
        return ConnectionRequest(
            ffi: try await engine {
                try await composio.ffi.connectedAccountsLink(
                    userId: userId, authConfigId: authConfigId, callbackUrl: callbackURL, alias: alias,
                    connectionData: data)
            })
    }

    /// One connected account.
    public func get(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.connectedAccountsGet(id: id) })
    }

    /// One page of connected accounts.
    public func list(
        userIds: [String] = [], toolkits: [String] = [], authConfigIds: [String] = [],
        connectedAccountIds: [String] = [], statuses: [String] = [], orderBy: String? = nil,
        orderDirection: String? = nil, limit: UInt32? = nil, cursor: String? = nil
    ) async throws -> Page {
        let p = FfiConnectedAccountListParams(
            userIds: userIds, toolkitSlugs: toolkits, authConfigIds: authConfigIds,
            connectedAccountIds: connectedAccountIds, statuses: statuses, orderBy: orderBy,
            orderDirection: orderDirection, limit: limit, cursor: cursor)
        return try Page(try parseJSON(try await engine { try await composio.ffi.connectedAccountsList(params: p) }))
    }

    /// Deletes a connected account.
    @discardableResult
    public func delete(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.connectedAccountsDelete(id: id) })
    }

    /// Enables a connected account.
    @discardableResult
    public func enable(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.connectedAccountsSetEnabled(id: id, enabled: true) })
    }

    /// Disables a connected account.
    @discardableResult
    public func disable(_ id: String) async throws -> JSONValue {
        try parseJSON(
            try await engine { try await composio.ffi.connectedAccountsSetEnabled(id: id, enabled: false) })
    }

    /// Refreshes an account's credentials (`{id, status, redirect_url}`).
    @discardableResult
    public func refresh(
        _ id: String, redirectURL: String? = nil, validateCredentials: Bool? = nil
    ) async throws -> JSONValue {
        try parseJSON(
            try await engine {
                try await composio.ffi.connectedAccountsRefresh(
                    id: id, redirectUrl: redirectURL, validateCredentials: validateCredentials)
            })
    }

    /// Waits until an account is ACTIVE; returns it.
    public func waitForConnection(_ id: String, timeout: TimeInterval = 60) async throws -> JSONValue {
        try await composio.waitForConnection(id: id, timeout: timeout)
    }
}

/// MCP servers. Get it with ``Composio/mcp``.
public struct MCPServers: Sendable {
    let composio: Composio

    /// Creates a server. `toolkits` items are slugs or
    /// `["toolkit": "github", "auth_config_id": "ac_…"]`.
    public func create(
        name: String, toolkits: [JSONValue], manuallyManageConnections: Bool = false, allowedTools: [String]? = nil
    ) async throws -> JSONValue {
        var p: JSONObject = [
            "toolkits": .array(toolkits), "manually_manage_connections": .bool(manuallyManageConnections),
        ]
        if let allowedTools { p["allowed_tools"] = .array(allowedTools.map(JSONValue.string)) }
        let text = try JSONValue.object(p).jsonString()
        return try parseJSON(try await engine { try await composio.ffi.mcpCreate(name: name, params: text) })
    }

    /// Lists servers (`{items, current_page, total_pages}`).
    public func list(
        page: UInt32? = nil, limit: UInt32? = nil, toolkits: [String] = [], authConfigIds: [String] = [],
        name: String? = nil
    ) async throws -> JSONValue {
        var p: JSONObject = [
            "toolkits": .array(toolkits.map(JSONValue.string)),
            "auth_config_ids": .array(authConfigIds.map(JSONValue.string)),
        ]
        if let page { p["page_no"] = .int(Int64(page)) }
        if let limit { p["limit"] = .int(Int64(limit)) }
        if let name { p["name"] = .string(name) }
        let text = try JSONValue.object(p).jsonString()
        return try parseJSON(try await engine { try await composio.ffi.mcpList(params: text) })
    }

    /// One server.
    public func get(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.mcpGet(serverId: id) })
    }

    /// Updates a server (only the given fields change).
    public func update(
        _ id: String, name: String? = nil, toolkits: [JSONValue]? = nil, manuallyManageConnections: Bool? = nil,
        allowedTools: [String]? = nil
    ) async throws -> JSONValue {
        var p: JSONObject = [:]
        if let name { p["name"] = .string(name) }
        if let toolkits { p["toolkits"] = .array(toolkits) }
        if let manuallyManageConnections { p["manually_manage_connections"] = .bool(manuallyManageConnections) }
        if let allowedTools { p["allowed_tools"] = .array(allowedTools.map(JSONValue.string)) }
        let text = try JSONValue.object(p).jsonString()
        return try parseJSON(try await engine { try await composio.ffi.mcpUpdate(serverId: id, params: text) })
    }

    /// Deletes a server.
    @discardableResult
    public func delete(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.mcpDelete(serverId: id) })
    }

    /// The server's URL for one user.
    public func generate(
        userId: String, serverId: String, manuallyManageConnections: Bool? = nil
    ) async throws -> JSONValue {
        try parseJSON(
            try await engine {
                try await composio.ffi.mcpGenerate(
                    userId: userId, serverId: serverId, manuallyManageConnections: manuallyManageConnections)
            })
    }
}

/// A header or query parameter of a proxied request.
public struct ProxyParameter: Sendable, Equatable {
    /// `header` or `query`.
    public var location: String
    /// Name.
    public var name: String
    /// Value.
    public var value: String

    /// A header.
    public static func header(_ name: String, _ value: String) -> ProxyParameter {
        ProxyParameter(location: "header", name: name, value: value)
    }

    /// A query parameter.
    public static func query(_ name: String, _ value: String) -> ProxyParameter {
        ProxyParameter(location: "query", name: name, value: value)
    }
}

extension Tools {
    /// Calls a toolkit's own API with a connected account's credentials
    /// (`endpoint` relative to the toolkit's base URL, or absolute).
    /// Returns `{data, status, headers, ...}`.
    public func proxy(
        endpoint: String, method: String, body: JSONValue? = nil, connectedAccountId: String? = nil,
        parameters: [ProxyParameter] = []
    ) async throws -> JSONValue {
        var p: JSONObject = [
            "endpoint": .string(endpoint), "method": .string(method),
            "parameters": .array(
                parameters.map { ["in": .string($0.location), "name": .string($0.name), "value": .string($0.value)] }),
        ]
        if let body { p["body"] = body }
        if let connectedAccountId { p["connected_account_id"] = .string(connectedAccountId) }
        let text = try JSONValue.object(p).jsonString()
        return try parseJSON(try await engine { try await composio.ffi.toolsProxy(params: text) })
    }
}
