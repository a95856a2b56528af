import ComposioRSBindings
import Foundation

/// The result of a tool execution.
public struct ToolExecuteResult: Sendable, Equatable, Codable {
    /// The tool's data.
    public var data: JSONValue
    /// The tool's error, if it failed.
    public var error: String?
    /// Whether the tool succeeded.
    public var successful: Bool
    /// The execution's log id.
    public var logId: String?

    enum CodingKeys: String, CodingKey {
        case data, error, successful
        case logId = "log_id"
    }

    /// A result (for modifiers that replace one).
    public init(data: JSONValue, error: String? = nil, successful: Bool = true, logId: String? = nil) {
        self.data = data
        self.error = error
        self.successful = successful
        self.logId = logId
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decodeIfPresent(JSONValue.self, forKey: .data) ?? .null
        error = try c.decodeIfPresent(String.self, forKey: .error)
        successful = try c.decodeIfPresent(Bool.self, forKey: .successful) ?? (error == nil)
        logId = try c.decodeIfPresent(String.self, forKey: .logId)
    }
}

/// What a custom tool's code receives besides its arguments.
public struct CustomToolContext: Sendable, Equatable, Codable {
    /// The user the tool runs for.
    public var userId: String?
    /// The connected account of the tool's toolkit, if any.
    public var connectedAccount: JSONValue?
    /// The session the tool runs in, if any.
    public var sessionId: String?
}

/// A tool implemented in Swift and executed in-process.
public struct CustomTool: Sendable {
    /// Slug (letters, digits, `_`, `-`).
    public var slug: String
    /// Display name.
    public var name: String
    /// Description shown to models.
    public var description: String
    /// JSON Schema of the arguments (an object schema).
    public var inputParameters: JSONValue
    /// The toolkit the tool extends, if any.
    public var toolkit: String?
    /// The code: receives the validated arguments, returns the result's data.
    public var execute: @Sendable (JSONValue, CustomToolContext) async throws -> JSONValue

    /// A custom tool.
    public init(
        slug: String, name: String, description: String, inputParameters: JSONValue, toolkit: String? = nil,
        execute: @escaping @Sendable (JSONValue, CustomToolContext) async throws -> JSONValue
    ) {
        self.slug = slug
        self.name = name
        self.description = description
        self.inputParameters = inputParameters
        self.toolkit = toolkit
        self.execute = execute
    }
}

/// The tool a modifier is called for.
public struct ToolCallInfo: Sendable, Equatable {
    /// Tool slug.
    public var toolSlug: String
    /// Toolkit slug.
    public var toolkitSlug: String
}

/// Tools of a client.
public struct Tools: Sendable {
    let composio: Composio

    /// Tools by slug and/or toolkit/search, in `provider`'s format
    /// (like the TypeScript SDK's `tools.get`).
    public func get(
        userId: String, tools: [String] = [], toolkits: [String] = [], search: String? = nil,
        limit: UInt32? = nil, provider: Provider = .openAi, modifiers: [Modifier] = []
    ) async throws -> [JSONValue] {
        let wire = try await getRaw(
            tools: tools, toolkits: toolkits, search: search, limit: limit, modifiers: modifiers)
        return try Tools.format(wire, provider: provider)
    }

    /// Tools in the API's own (wire) shape, after `modifiers`.
    public func getRaw(
        tools: [String] = [], toolkits: [String] = [], search: String? = nil, limit: UInt32? = nil,
        modifiers: [Modifier] = []
    ) async throws -> [JSONValue] {
        let mods = try modifiers.map { try $0.ffi() }
        let text = try await engine {
            try await composio.ffi.getTools(
                tools: tools, toolkits: toolkits, search: search, limit: limit, modifiers: mods)
        }
        return try parseJSON(text).arrayValue ?? []
    }

    /// Formats wire tools for `provider` (the TypeScript SDK's format).
    public static func format(_ tools: [JSONValue], provider: Provider) throws -> [JSONValue] {
        try parseJSON(try formatText(try JSONValue.array(tools).jsonString(), provider: provider)).arrayValue ?? []
    }

    /// Formats wire tools given as JSON text; returns JSON text with every
    /// object's keys in the engine's order (as the official SDK emits them).
    public static func formatText(_ toolsJSON: String, provider: Provider) throws -> String {
        try engineSync { try formatTools(provider: provider, tools: toolsJSON) }
    }

    /// One tool's schema (wire shape).
    public func getTool(_ slug: String, version: String? = nil) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.getTool(slug: slug, version: version) })
    }

    /// Executes a tool.
    public func execute(
        _ slug: String, arguments: JSONValue = [:], userId: String? = nil, connectedAccountId: String? = nil,
        version: String? = nil, dangerouslySkipVersionCheck: Bool = false, modifiers: [Modifier] = []
    ) async throws -> ToolExecuteResult {
        var params: [String: JSONValue] = ["arguments": arguments]
        if let userId { params["user_id"] = .string(userId) }
        if let connectedAccountId { params["connected_account_id"] = .string(connectedAccountId) }
        if let version { params["version"] = .string(version) }
        if dangerouslySkipVersionCheck { params["dangerously_skip_version_check"] = true }
        let paramsText = try JSONValue.object(params).jsonString()
        let mods = try modifiers.map { try $0.ffi() }
        return try decodeJSON(
            ToolExecuteResult.self,
            try await engine { try await composio.ffi.execute(slug: slug, params: paramsText, modifiers: mods) })
    }

    /// Registers a custom tool; sessions and ``execute(_:arguments:userId:connectedAccountId:version:dangerouslySkipVersionCheck:modifiers:)``
    /// run it in-process.
    public func register(_ tool: CustomTool) throws {
        let schema = try tool.inputParameters.jsonString()
        try engineSync {
            try composio.ffi.registerCustomTool(
                slug: tool.slug, name: tool.name, description: tool.description, inputParameters: schema,
                toolkit: tool.toolkit, handler: ToolHandlerAdapter(tool.execute))
        }
    }

    /// Removes a custom tool; `true` when one was registered.
    @discardableResult
    public func remove(customTool slug: String) -> Bool {
        composio.ffi.removeCustomTool(slug: slug)
    }
}

/// A Swift custom tool as seen by the engine.
final class ToolHandlerAdapter: FfiToolHandler {
    let body: @Sendable (JSONValue, CustomToolContext) async throws -> JSONValue

    init(_ body: @escaping @Sendable (JSONValue, CustomToolContext) async throws -> JSONValue) { self.body = body }

    func execute(arguments: String, context: String) async throws -> String {
        do {
            let args = try JSONValue(jsonString: arguments)
            let ctx = try JSONDecoder().decode(CustomToolContext.self, from: Data(context.utf8))
            return try await body(args, ctx).jsonString()
        } catch {
            throw CallbackErrors.shared.wrap(error)
        }
    }
}
