import ComposioRS
import Foundation
import XCTest

struct ToolRefused: Error, Equatable {
    let reason: String
}

/// Counts calls across tasks.
final class CallLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []
    func add(_ s: String) {
        lock.lock()
        entries.append(s)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}

final class SessionCustomToolTests: XCTestCase {
    static let textSchema: JSONValue = [
        "type": "object", "properties": ["text": ["type": "string", "description": "Input text"]],
        "required": ["text"],
    ]

    func makeTools(_ log: CallLog) -> ([CustomTool], [SessionCustomToolkit]) {
        let shout = CustomTool(
            slug: "shout", name: "Shout", description: "Upper-cases a text", inputParameters: Self.textSchema,
            outputParameters: ["type": "object", "properties": ["shouted": ["type": "string"]]]
        ) { args, ctx in
            log.add("shout:\(ctx.userId ?? "-"):\(ctx.sessionId ?? "-")")
            return ["shouted": .string((args["text"]?.stringValue ?? "").uppercased())]
        }
        // Runs a Composio tool of the session from Swift code.
        let countViaSession = CustomTool(
            slug: "count_via_session", name: "Count words", description: "Counts words through the session",
            inputParameters: Self.textSchema
        ) { args, ctx in
            let result = try await ctx.execute("TEXT_WORD_COUNT", arguments: ["text": args["text"] ?? ""])
            return ["words": result.data["words"] ?? .null, "via": .string(ctx.session?.sessionId ?? "none")]
        }
        let refuse = CustomTool(
            slug: "refuse", name: "Refuse", description: "Always fails", inputParameters: Self.textSchema
        ) { args, _ in
            throw ToolRefused(reason: args["text"]?.stringValue ?? "")
        }
        let echo = CustomTool(
            slug: "echo", name: "Echo", description: "Echoes the arguments in order",
            inputParameters: ["type": "object", "properties": ["z": ["type": "string"], "a": ["type": "string"]]]
        ) { args, _ in
            args
        }
        let kit = SessionCustomToolkit(slug: "helpers", name: "Helpers", description: "Swift helpers", tools: [echo])
        return ([shout, countViaSession, refuse], [kit])
    }

    func testSessionCustomToolsRunAsSwiftClosures() async throws {
        let composio = try LocalServer.shared().client()
        let log = CallLog()
        let (tools, kits) = makeTools(log)
        let user = "swift-local-\(UUID().uuidString.prefix(8))"
        let session = try await composio.create(
            userId: user, config: SessionConfig(toolkits: .enable(["text"])), customTools: tools, customToolkits: kits)
        XCTAssertEqual(session.userId, user)

        let infos = try session.customTools()
        XCTAssertEqual(
            infos.map(\.slug), ["LOCAL_SHOUT", "LOCAL_COUNT_VIA_SESSION", "LOCAL_REFUSE", "LOCAL_HELPERS_ECHO"])
        XCTAssertEqual(infos[0].originalSlug, "shout")
        XCTAssertEqual(infos[0].inputSchema, Self.textSchema)
        XCTAssertEqual(infos[0].outputSchema?["properties"]?["shouted"]?["type"], "string")
        XCTAssertEqual(try session.customTools(toolkit: "HELPERS").map(\.slug), ["LOCAL_HELPERS_ECHO"])
        let toolkits = try session.customToolkits()
        XCTAssertEqual(toolkits.map(\.slug), ["helpers"])
        XCTAssertEqual(toolkits.first?.tools.map(\.slug), ["LOCAL_HELPERS_ECHO"])

        // session.execute runs the closure in-process, by final or original slug.
        let shouted = try await session.execute(toolSlug: "LOCAL_SHOUT", arguments: ["text": "hello swift"])
        XCTAssertEqual(shouted.data, ["shouted": "HELLO SWIFT"])
        XCTAssertNil(shouted.error)
        let again = try await session.execute(toolSlug: "shout", arguments: ["text": "again"])
        XCTAssertEqual(again.data["shouted"], "AGAIN")
        XCTAssertEqual(log.all, ["shout:\(user):\(session.sessionId)", "shout:\(user):\(session.sessionId)"])

        // ctx.execute reaches the session's remote tools.
        let counted = try await session.execute(
            toolSlug: "LOCAL_COUNT_VIA_SESSION", arguments: ["text": "one two three"])
        XCTAssertEqual(counted.data["words"], 3, "\(counted)")
        XCTAssertEqual(counted.data["via"]?.stringValue, session.sessionId)

        // Arguments are checked against the schema before the closure runs.
        let invalid = try await session.execute(toolSlug: "LOCAL_SHOUT", arguments: ["wrong": 1])
        XCTAssertNotNil(invalid.error, "\(invalid)")
        XCTAssertEqual(log.all.count, 2, "the closure did not run for invalid arguments")

        // A Swift error thrown by the closure reaches the caller unchanged.
        do {
            _ = try await session.execute(toolSlug: "LOCAL_REFUSE", arguments: ["text": "no way"])
            XCTFail("expected the tool's error")
        } catch let e as ToolRefused {
            XCTAssertEqual(e, ToolRefused(reason: "no way"))
        }

        // Arguments keep their key order through the engine and back.
        let echoed = try await session.execute(toolSlug: "LOCAL_HELPERS_ECHO", arguments: ["z": "1", "a": "2"])
        XCTAssertEqual(echoed.data.objectValue?.keys, ["z", "a"])

        // COMPOSIO_MULTI_EXECUTE_TOOL splits local and remote items.
        let multi = try await session.executeMeta(
            "COMPOSIO_MULTI_EXECUTE_TOOL",
            arguments: [
                "tools": [
                    ["tool_slug": "TEXT_WORD_COUNT", "arguments": ["text": "a b c d"]],
                    ["tool_slug": "LOCAL_SHOUT", "arguments": ["text": "multi"]],
                ]
            ])
        let results = try XCTUnwrap(multi.data["results"]?.arrayValue, "\(multi)")
        XCTAssertEqual(results.count, 2, "\(multi)")
        XCTAssertEqual(results[0]["response"]?["data"]?["words"], 4, "\(multi)")
        XCTAssertEqual(results[1]["tool_slug"], "LOCAL_SHOUT")
        XCTAssertEqual(results[1]["response"]?["data"]?["shouted"], "MULTI", "\(multi)")
    }

    func testToolExtendingAToolkitUsesTheSessionsConnectionThroughProxy() async throws {
        let composio = try LocalServer.shared().client()
        let user = "swift-local-proxy-\(UUID().uuidString.prefix(8))"
        let latestNote = CustomTool(
            slug: "latest_note", name: "Latest note", description: "Title of the newest note",
            inputParameters: ["type": "object", "properties": [:]], toolkit: "notes"
        ) { _, ctx in
            let listed = try await ctx.proxyExecute(toolkit: "notes", endpoint: "/notes", method: "GET")
            return ["status": listed["status"] ?? .null, "title": listed["data"]?["notes"]?[0]?["title"] ?? .null]
        }
        let (session, _) = try await connectNotes(
            composio, userId: user, config: SessionConfig(toolkits: .enable(["notes"])), apiKey: "key-\(user)")
        _ = try await session.execute(toolSlug: "NOTES_CREATE_NOTE", arguments: ["title": "first", "content": "x"])
        // A new session of the same user with the Swift tool; the connection is the user's.
        let withTool = try await composio.create(
            userId: user, config: SessionConfig(toolkits: .enable(["notes"])), customTools: [latestNote])
        XCTAssertEqual(try withTool.customTools().map(\.slug), ["LOCAL_NOTES_LATEST_NOTE"])
        let result = try await withTool.execute(toolSlug: "LOCAL_NOTES_LATEST_NOTE", arguments: [:])
        XCTAssertNil(result.error, "\(result)")
        XCTAssertEqual(result.data["status"], 200, "\(result)")
        XCTAssertEqual(result.data["title"], "first", "\(result)")
    }

    func testInvalidSessionCustomToolsAreValidationErrors() async throws {
        let composio = try LocalServer.shared().client()
        let bad = CustomTool(
            slug: "COMPOSIO_sneaky", name: "Bad", description: "Reserved prefix", inputParameters: Self.textSchema
        ) { _, _ in .null }
        do {
            _ = try await composio.create(userId: "swift-bad-tools", customTools: [bad])
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.contains("COMPOSIO_sneaky"), e.message)
        }
        let one = CustomTool(slug: "dup", name: "A", description: "A", inputParameters: Self.textSchema) { _, _ in .null }
        do {
            _ = try await composio.create(userId: "swift-bad-tools", customTools: [one, one])
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.lowercased().contains("dup"), e.message)
        }
        let notSchema = CustomTool(slug: "ok", name: "A", description: "A", inputParameters: "text") { _, _ in .null }
        do {
            _ = try await composio.create(userId: "swift-bad-tools", customTools: [notSchema])
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }
    }

    func testContextExecuteOutsideASessionIsAValidationError() async throws {
        let ctx = CustomToolContext(userId: "u")
        do {
            _ = try await ctx.execute("TEXT_WORD_COUNT")
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.contains("ctx.execute"), e.message)
        }
    }
}
