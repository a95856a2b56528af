import Foundation

/// The configuration of ``Composio/create(userId:config:)``, mirroring the
/// official SDKs' session options. Every field is optional; `nil` means the
/// API's default. When a tool runs, ``connectedAccounts`` wins over
/// ``authConfigs``, which wins over Composio-managed auth.
public struct SessionConfig: Sendable, Equatable {
    /// Which toolkits the session offers.
    public enum Toolkits: Sendable, Equatable {
        /// Only these toolkits.
        case enable([String])
        /// Every toolkit except these.
        case disable([String])
    }

    /// A tag filter (`readOnlyHint`, `destructiveHint`, `idempotentHint`,
    /// `openWorldHint`).
    public struct Tags: Sendable, Equatable {
        /// Only tools with one of these tags.
        public var enable: [String]?
        /// No tools with one of these tags.
        public var disable: [String]?

        /// A tag filter.
        public init(enable: [String]? = nil, disable: [String]? = nil) {
            self.enable = enable
            self.disable = disable
        }

        var jsonValue: JSONValue {
            var o: JSONObject = [:]
            if let enable { o["enable"] = .array(enable.map(JSONValue.string)) }
            if let disable { o["disable"] = .array(disable.map(JSONValue.string)) }
            return .object(o)
        }
    }

    /// The tools of one toolkit.
    public enum Tools: Sendable, Equatable {
        /// Only these tools.
        case enable([String])
        /// Every tool except these.
        case disable([String])
        /// Tools by tag.
        case tags(Tags)

        var jsonValue: JSONValue {
            switch self {
            case let .enable(l): return ["enable": .array(l.map(JSONValue.string))]
            case let .disable(l): return ["disable": .array(l.map(JSONValue.string))]
            case let .tags(t): return ["tags": t.jsonValue]
            }
        }
    }

    /// Connection management (the session's `COMPOSIO_MANAGE_CONNECTIONS` tool).
    public struct ManageConnections: Sendable, Equatable {
        /// On (default) or off.
        public var enable: Bool
        /// Where users land after connecting.
        public var callbackURL: String?
        /// Let the agent wait for connections.
        public var waitForConnections: Bool?
        /// Let the agent remove connections.
        public var enableConnectionRemoval: Bool?

        /// Connection management settings.
        public init(
            enable: Bool = true, callbackURL: String? = nil, waitForConnections: Bool? = nil,
            enableConnectionRemoval: Bool? = nil
        ) {
            self.enable = enable
            self.callbackURL = callbackURL
            self.waitForConnections = waitForConnections
            self.enableConnectionRemoval = enableConnectionRemoval
        }
    }

    /// Remote workbench settings.
    public struct Workbench: Sendable, Equatable {
        /// On or off.
        public var enable: Bool?
        /// Allow proxy execution from the workbench.
        public var enableProxyExecution: Bool?
        /// Results larger than this many bytes are offloaded.
        public var autoOffloadThreshold: UInt64?

        /// Workbench settings.
        public init(enable: Bool? = nil, enableProxyExecution: Bool? = nil, autoOffloadThreshold: UInt64? = nil) {
            self.enable = enable
            self.enableProxyExecution = enableProxyExecution
            self.autoOffloadThreshold = autoOffloadThreshold
        }
    }

    /// Several connected accounts per toolkit.
    public struct MultiAccount: Sendable, Equatable {
        /// On or off.
        public var enable: Bool?
        /// At most this many accounts per toolkit.
        public var maxAccountsPerToolkit: UInt32?
        /// The agent must name the account to use.
        public var requireExplicitSelection: Bool?

        /// Multi-account settings.
        public init(enable: Bool? = nil, maxAccountsPerToolkit: UInt32? = nil, requireExplicitSelection: Bool? = nil) {
            self.enable = enable
            self.maxAccountsPerToolkit = maxAccountsPerToolkit
            self.requireExplicitSelection = requireExplicitSelection
        }
    }

    /// Toolkits to enable or disable.
    public var toolkits: Toolkits?
    /// Per-toolkit tool filters, keyed by toolkit slug.
    public var tools: [String: Tools]?
    /// Global tag filter.
    public var tags: Tags?
    /// Connection management (default: on).
    public var manageConnections: ManageConnections?
    /// Auth config (`ac_…`) per toolkit slug.
    public var authConfigs: [String: String]?
    /// Connected account (`ca_…`) per toolkit slug.
    public var connectedAccounts: [String: String]?
    /// Workbench settings.
    public var workbench: Workbench?
    /// Multi-account settings.
    public var multiAccount: MultiAccount?
    /// Experimental settings, sent as given (a JSON object).
    public var experimental: JSONValue?
    /// A saved Session config (`sc_…`, see ``Composio/sessionConfigs``) to
    /// apply at creation (`experimental.sessionConfigId` of `@composio/core`
    /// 0.21, sent as `experimental.session_config_id`). It sets the access
    /// policy, so it cannot be combined with `toolkits`, `tools`, `tags` or
    /// session custom tools (the API says which).
    public var sessionConfigId: String?

    /// A session configuration.
    public init(
        toolkits: Toolkits? = nil, tools: [String: Tools]? = nil, tags: Tags? = nil,
        manageConnections: ManageConnections? = nil, authConfigs: [String: String]? = nil,
        connectedAccounts: [String: String]? = nil, workbench: Workbench? = nil, multiAccount: MultiAccount? = nil,
        experimental: JSONValue? = nil, sessionConfigId: String? = nil
    ) {
        self.toolkits = toolkits
        self.tools = tools
        self.tags = tags
        self.manageConnections = manageConnections
        self.authConfigs = authConfigs
        self.connectedAccounts = connectedAccounts
        self.workbench = workbench
        self.multiAccount = multiAccount
        self.experimental = experimental
        self.sessionConfigId = sessionConfigId
    }

    /// The engine's JSON form (the Python SDK's snake_case keys).
    public var jsonValue: JSONValue {
        var o: JSONObject = [:]
        switch toolkits {
        case let .enable(l)?: o["toolkits"] = ["enable": .array(l.map(JSONValue.string))]
        case let .disable(l)?: o["toolkits"] = ["disable": .array(l.map(JSONValue.string))]
        case nil: break
        }
        if let tools { o["tools"] = .object(JSONObject(tools.mapValues(\.jsonValue))) }
        if let tags { o["tags"] = tags.jsonValue }
        if let m = manageConnections {
            var c: JSONObject = ["enable": .bool(m.enable)]
            if let u = m.callbackURL { c["callback_url"] = .string(u) }
            if let w = m.waitForConnections { c["wait_for_connections"] = .bool(w) }
            if let r = m.enableConnectionRemoval { c["enable_connection_removal"] = .bool(r) }
            o["manage_connections"] = .object(c)
        }
        if let authConfigs { o["auth_configs"] = .object(JSONObject(authConfigs.mapValues(JSONValue.string))) }
        if let connectedAccounts { o["connected_accounts"] = .object(JSONObject(connectedAccounts.mapValues(JSONValue.string))) }
        if let w = workbench {
            var c: JSONObject = [:]
            if let e = w.enable { c["enable"] = .bool(e) }
            if let p = w.enableProxyExecution { c["enable_proxy_execution"] = .bool(p) }
            if let t = w.autoOffloadThreshold { c["auto_offload_threshold"] = .int(Int64(clamping: t)) }
            o["workbench"] = .object(c)
        }
        if let m = multiAccount {
            var c: JSONObject = [:]
            if let e = m.enable { c["enable"] = .bool(e) }
            if let n = m.maxAccountsPerToolkit { c["max_accounts_per_toolkit"] = .int(Int64(n)) }
            if let r = m.requireExplicitSelection { c["require_explicit_selection"] = .bool(r) }
            o["multi_account"] = .object(c)
        }
        if let experimental { o["experimental"] = experimental }
        if let sessionConfigId {
            switch experimental {
            case nil, .null?: o["experimental"] = ["session_config_id": .string(sessionConfigId)]
            case var .object(e)?:
                e["session_config_id"] = .string(sessionConfigId)
                o["experimental"] = .object(e)
            // Not an object: sent as given, and the engine names the problem.
            default: break
            }
        }
        return .object(o)
    }
}
