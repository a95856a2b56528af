import ComposioRSBindings
import Foundation

/// A modifier that needs no callback: it runs inside the engine and
/// touches the schema, the arguments and the result consistently (a
/// renamed parameter is renamed back before execution). Parameter names
/// are top-level properties of the tool's `input_parameters`.
public enum DeclarativeModifier: Sendable, Equatable {
    /// Removes a parameter from the schema and drops it from arguments.
    case hideParameter(String)
    /// Shows parameter `from` under the name `to`.
    case renameParameter(from: String, to: String)
    /// Sets a default in the schema and fills it in when missing.
    case setDefault(name: String, value: JSONValue)
    /// Hides a parameter and always sends this value.
    case fixValue(name: String, value: JSONValue)
    /// Marks a parameter as required.
    case makeRequired(String)
    /// Replaces the tool's description.
    case replaceDescription(String)
    /// Appends text to the tool's description.
    case appendDescription(String)
    /// Replaces one parameter's description.
    case setParameterDescription(name: String, description: String)
    /// Keeps only these parts of a result's `data` (JSON pointers; `*`
    /// matches every element or key).
    case keepResultFields([String])

    /// The engine's JSON form (`{"type": "hide_parameter", "name": ...}`).
    public var jsonValue: JSONValue {
        switch self {
        case let .hideParameter(n): return ["type": "hide_parameter", "name": .string(n)]
        case let .renameParameter(from, to):
            return ["type": "rename_parameter", "from": .string(from), "to": .string(to)]
        case let .setDefault(n, v): return ["type": "set_default", "name": .string(n), "value": v]
        case let .fixValue(n, v): return ["type": "fix_value", "name": .string(n), "value": v]
        case let .makeRequired(n): return ["type": "make_required", "name": .string(n)]
        case let .replaceDescription(d): return ["type": "replace_description", "description": .string(d)]
        case let .appendDescription(t): return ["type": "append_description", "text": .string(t)]
        case let .setParameterDescription(n, d):
            return ["type": "set_parameter_description", "name": .string(n), "description": .string(d)]
        case let .keepResultFields(p):
            return ["type": "keep_result_fields", "pointers": .array(p.map(JSONValue.string))]
        }
    }
}

/// A modifier: Swift hooks around execution, a Swift schema hook, or a
/// declarative modifier, for every tool or only the listed tools/toolkits
/// (slugs compared case-insensitively). Modifiers apply in order.
///
/// `beforeExecute` receives and returns the execute parameters
/// (`{"arguments": {...}, "user_id": ..., ...}`); `afterExecute` the result;
/// `schema` a tool's wire schema (`{slug, description, input_parameters, ...}`).
/// An error thrown by a hook reaches the caller unchanged.
public struct Modifier: Sendable {
    enum Kind: Sendable {
        case execute(
            before: (@Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue)?,
            after: (@Sendable (ToolCallInfo, ToolExecuteResult) async throws -> ToolExecuteResult)?)
        case schema(@Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue)
        case declarative(DeclarativeModifier)
    }

    let kind: Kind
    /// Only these tool slugs (with ``toolkits``: either matches).
    public var tools: [String]
    /// Only these toolkit slugs.
    public var toolkits: [String]

    /// Execution hooks (either or both).
    public init(
        tools: [String] = [], toolkits: [String] = [],
        beforeExecute: (@Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue)? = nil,
        afterExecute: (@Sendable (ToolCallInfo, ToolExecuteResult) async throws -> ToolExecuteResult)? = nil
    ) {
        kind = .execute(before: beforeExecute, after: afterExecute)
        self.tools = tools
        self.toolkits = toolkits
    }

    init(kind: Kind, tools: [String], toolkits: [String]) {
        self.kind = kind
        self.tools = tools
        self.toolkits = toolkits
    }

    /// A schema hook: returns the tool's modified wire schema.
    public static func schema(
        tools: [String] = [], toolkits: [String] = [],
        _ modify: @escaping @Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue
    ) -> Modifier {
        Modifier(kind: .schema(modify), tools: tools, toolkits: toolkits)
    }

    /// A declarative modifier.
    public static func declarative(
        _ modifier: DeclarativeModifier, tools: [String] = [], toolkits: [String] = []
    ) -> Modifier {
        Modifier(kind: .declarative(modifier), tools: tools, toolkits: toolkits)
    }

    func ffi() throws -> FfiModifier {
        try engineSync {
            switch kind {
            case let .execute(before, after):
                return try FfiModifier.execute(
                    hooks: ExecuteAdapter(before: before, after: after), tools: tools, toolkits: toolkits)
            case let .schema(body):
                return try FfiModifier.schema(hook: SchemaAdapter(body), tools: tools, toolkits: toolkits)
            case let .declarative(d):
                return try FfiModifier.declarative(spec: try d.jsonValue.jsonString(), tools: tools, toolkits: toolkits)
            }
        }
    }
}

/// Swift execute hooks as seen by the engine.
final class ExecuteAdapter: FfiExecuteModifier {
    let before: (@Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue)?
    let after: (@Sendable (ToolCallInfo, ToolExecuteResult) async throws -> ToolExecuteResult)?

    init(
        before: (@Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue)?,
        after: (@Sendable (ToolCallInfo, ToolExecuteResult) async throws -> ToolExecuteResult)?
    ) {
        self.before = before
        self.after = after
    }

    func beforeExecute(tool: String, toolkit: String, params: String) async throws -> String {
        guard let before else { return params }
        do {
            let info = ToolCallInfo(toolSlug: tool, toolkitSlug: toolkit)
            return try await before(info, try JSONValue(jsonString: params)).jsonString()
        } catch {
            throw CallbackErrors.shared.wrap(error)
        }
    }

    func afterExecute(tool: String, toolkit: String, response: String) async throws -> String {
        guard let after else { return response }
        do {
            let info = ToolCallInfo(toolSlug: tool, toolkitSlug: toolkit)
            let result = try JSONValue(jsonString: response).decode(ToolExecuteResult.self)
            let out = try await after(info, result)
            return try out.jsonValue.jsonString()
        } catch {
            throw CallbackErrors.shared.wrap(error)
        }
    }
}

/// A Swift schema hook as seen by the engine.
final class SchemaAdapter: FfiSchemaModifier {
    let body: @Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue

    init(_ body: @escaping @Sendable (ToolCallInfo, JSONValue) async throws -> JSONValue) { self.body = body }

    func modifySchema(tool: String, toolkit: String, schema: String) async throws -> String {
        do {
            let info = ToolCallInfo(toolSlug: tool, toolkitSlug: toolkit)
            return try await body(info, try JSONValue(jsonString: schema)).jsonString()
        } catch {
            throw CallbackErrors.shared.wrap(error)
        }
    }
}
