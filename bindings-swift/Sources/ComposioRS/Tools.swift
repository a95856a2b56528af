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

    /// The engine's JSON form (`{data, error, successful, log_id}`).
    public var jsonValue: JSONValue {
        [
            "data": data, "error": error.map(JSONValue.string) ?? .null, "successful": .bool(successful),
            "log_id": logId.map(JSONValue.string) ?? .null,
        ]
    }
}

/// What a custom tool's code receives besides its arguments.
///
/// Equality compares ``userId``, ``connectedAccount`` and ``sessionId``;
/// `Codable` covers the same three fields.
public struct CustomToolContext: Sendable, Equatable, Codable {
    /// The user the tool runs for.
    public var userId: String?
    /// The connected account of the tool's toolkit, if any.
    public var connectedAccount: JSONValue?
    /// The session the tool runs in, if any.
    public var sessionId: String?
    /// The tool-router session the tool runs in (session custom tools, and
    /// registered tools executed through a session); `nil` otherwise.
    public var session: Session?

    enum CodingKeys: String, CodingKey {
        case userId, connectedAccount, sessionId
    }

    /// A context (for calling a tool's code directly, e.g. in tests).
    public init(
        userId: String? = nil, connectedAccount: JSONValue? = nil, sessionId: String? = nil, session: Session? = nil
    ) {
        self.userId = userId
        self.connectedAccount = connectedAccount
        self.sessionId = sessionId ?? session?.sessionId
        self.session = session
    }

    public static func == (lhs: CustomToolContext, rhs: CustomToolContext) -> Bool {
        lhs.userId == rhs.userId && lhs.connectedAccount == rhs.connectedAccount && lhs.sessionId == rhs.sessionId
    }

    /// Runs another tool of the session (a session custom tool in-process,
    /// anything else through the API), exactly like ``Session/execute(toolSlug:arguments:)``.
    /// Throws a `VALIDATION_ERROR` outside a session.
    public func execute(_ toolSlug: String, arguments: JSONValue = [:]) async throws -> SessionExecuteResult {
        try await requireSession("ctx.execute").execute(toolSlug: toolSlug, arguments: arguments)
    }

    /// A request to a toolkit's API through the session's connected
    /// account (``Session/proxyExecute(toolkit:endpoint:method:body:parameters:)``).
    /// Throws a `VALIDATION_ERROR` outside a session.
    public func proxyExecute(
        toolkit: String, endpoint: String, method: String, body: JSONValue? = nil, parameters: [ProxyParameter] = []
    ) async throws -> JSONValue {
        try await requireSession("ctx.proxyExecute").proxyExecute(
            toolkit: toolkit, endpoint: endpoint, method: method, body: body, parameters: parameters)
    }

    private func requireSession(_ what: String) throws -> Session {
        guard let session else {
            throw ComposioError.Validation(
                code: "VALIDATION_ERROR",
                message: "\(what) is only available to custom tools executed through a tool-router session")
        }
        return session
    }
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
    /// The toolkit the tool extends (its connected account is passed to
    /// the code), if any. For a session custom tool this is the wire
    /// `extends_toolkit`.
    public var toolkit: String?
    /// JSON Schema of the result (session custom tools announce it), if any.
    public var outputParameters: JSONValue?
    /// The code: receives the validated arguments, returns the result's data.
    public var execute: @Sendable (JSONValue, CustomToolContext) async throws -> JSONValue
    /// As a session custom tool: whether ``Session/tools(modifiers:)`` lists
    /// it (`nil`: its toolkit's flag, else `true` when the session's
    /// `preload` is `{"tools": "all"}`), as `preload` on `@composio/core`'s
    /// `experimental_createTool`.
    public var preload: Bool?

    /// A custom tool.
    public init(
        slug: String, name: String, description: String, inputParameters: JSONValue, toolkit: String? = nil,
        outputParameters: JSONValue? = nil, preload: Bool? = nil,
        execute: @escaping @Sendable (JSONValue, CustomToolContext) async throws -> JSONValue
    ) {
        self.preload = preload
        self.slug = slug
        self.name = name
        self.description = description
        self.inputParameters = inputParameters
        self.toolkit = toolkit
        self.outputParameters = outputParameters
        self.execute = execute
    }

    /// The engine object of a session custom tool.
    func localTool() throws -> FfiLocalTool {
        let input = try inputParameters.jsonString()
        let output = try outputParameters.map { try $0.jsonString() }
        return try engineSync {
            try FfiLocalTool(
                slug: slug, name: name, description: description, inputParameters: input, outputParameters: output,
                extendsToolkit: toolkit, preload: preload, handler: ToolHandlerAdapter(execute))
        }
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
        var params: JSONObject = ["arguments": arguments]
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

    func execute(arguments: String, context: String, session: FfiSession?) async throws -> String {
        do {
            let args = try JSONValue(jsonString: arguments)
            var ctx = try JSONValue(jsonString: context).decode(CustomToolContext.self)
            ctx.session = session.map(Session.init(ffi:))
            return try await body(args, ctx).jsonString()
        } catch {
            throw CallbackErrors.shared.wrap(error)
        }
    }
}

/// A toolkit of session custom tools (given to
/// ``Composio/create(userId:config:customTools:customToolkits:)``).
public struct SessionCustomToolkit: Sendable {
    /// Toolkit slug (letters, digits, `_`, `-`).
    public var slug: String
    /// Display name.
    public var name: String
    /// Description.
    public var description: String
    /// Its tools (their `toolkit` must be `nil` or this toolkit's slug).
    public var tools: [CustomTool]
    /// The `preload` flag its tools inherit when they set none.
    public var preload: Bool?

    /// A toolkit of session custom tools.
    public init(slug: String, name: String, description: String, tools: [CustomTool], preload: Bool? = nil) {
        self.preload = preload
        self.slug = slug
        self.name = name
        self.description = description
        self.tools = tools
    }

    func localToolkit() throws -> FfiLocalToolkit {
        FfiLocalToolkit(
            slug: slug, name: name, description: description, tools: try tools.map { try $0.localTool() },
            preload: preload)
    }
}

/// A session custom tool as ``Session/customTools(toolkit:)`` lists it.
public struct SessionCustomToolInfo: Sendable, Equatable, Codable {
    /// The final slug the model sees (`LOCAL_…`).
    public var slug: String
    /// The slug it was defined with.
    public var originalSlug: String
    /// Display name.
    public var name: String
    /// Description.
    public var description: String
    /// The toolkit it belongs to or extends, as defined.
    public var toolkit: String?
    /// JSON Schema of the arguments.
    public var inputSchema: JSONValue
    /// JSON Schema of the result, when one was given.
    public var outputSchema: JSONValue?

    enum CodingKeys: String, CodingKey {
        case slug, name, description, toolkit
        case originalSlug = "original_slug"
        case inputSchema = "input_schema"
        case outputSchema = "output_schema"
    }
}

/// A session custom toolkit as ``Session/customToolkits()`` lists it.
public struct SessionCustomToolkitInfo: Sendable, Equatable, Codable {
    /// Toolkit slug, as defined.
    public var slug: String
    /// Display name.
    public var name: String
    /// Description.
    public var description: String
    /// Its tools (final slugs).
    public var tools: [SessionCustomToolInfo]
}
