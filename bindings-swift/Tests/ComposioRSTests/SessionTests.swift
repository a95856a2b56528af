import ComposioRS
import Foundation
import XCTest

enum TestError: Error, Equatable {
    case boom(String)
}

final class SessionTests: XCTestCase {
    func testCreateToolsExecute() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        let session = try await composio.create(userId: "swift-user-1", config: ["toolkits": ["text"]])
        XCTAssertFalse(session.sessionId.isEmpty)
        let mcp = try session.mcp
        XCTAssertFalse(mcp.url.isEmpty)
        XCTAssertEqual(mcp.headers["x-api-key"], server.apiKey)

        let tools = try await session.tools(provider: .openAi)
        XCTAssertFalse(tools.isEmpty)
        for t in tools {
            XCTAssertEqual(t["type"], "function")
            XCTAssertNotNil(t["function"]?["name"]?.stringValue)
        }
        let anthropic = try await session.tools(provider: .anthropic(cacheTools: false))
        XCTAssertEqual(anthropic.count, tools.count)
        XCTAssertNotNil(anthropic.first?["input_schema"])

        let result = try await session.execute(toolSlug: "TEXT_WORD_COUNT", arguments: ["text": "one two three"])
        XCTAssertNil(result.error)
        XCTAssertEqual(result.data["words"], 3)

        let restored = try await composio.use(sessionId: session.sessionId)
        XCTAssertEqual(restored.sessionId, session.sessionId)
    }

    func testAuthorizeConnectPageAndExecute() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        let session = try await composio.create(userId: "swift-user-notes", config: ["toolkits": ["notes"]])
        let request = try await session.authorize(toolkit: "notes")
        XCTAssertTrue(request.id.hasPrefix("ca_"), request.id)
        let url = try XCTUnwrap(request.redirectURL)
        let page = try curl([url])
        XCTAssertTrue(page.contains("api_key"), page)
        try curl(["-X", "POST", "--data-urlencode", "api_key=swift-secret-key", url])

        let account = try await request.waitForConnection(timeout: 30)
        XCTAssertEqual(account["status"], "ACTIVE")
        XCTAssertEqual(account["id"]?.stringValue, request.id)

        let created = try await session.execute(
            toolSlug: "NOTES_CREATE_NOTE", arguments: ["title": "From Swift", "content": "Hello"])
        XCTAssertNil(created.error, created.error ?? "")
        XCTAssertEqual(created.data["note"]?["title"], "From Swift")
    }

    func testApiErrorIsTyped() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        do {
            _ = try await composio.use(sessionId: "trs_does_not_exist")
            XCTFail("expected an error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "NOT_FOUND")
            XCTAssertEqual(e.status, 404)
            XCTAssertNotNil(e.requestId)
            XCTAssertFalse(e.message.isEmpty)
        }
        do {
            _ = try Composio(apiKey: "k", baseURL: "not a url")
            XCTFail("expected an error")
        } catch let e as ComposioError {
            guard case .Validation = e else { return XCTFail("\(e)") }
            XCTAssertEqual(e.code, "INVALID_CONFIG")
        }
    }
}

final class ToolsTests: XCTestCase {
    func testGetFormatsForProvider() async throws {
        let composio = try LocalServer.shared().client()
        let tools = try await composio.tools.get(userId: "u", tools: ["TEXT_WORD_COUNT"], provider: .openAi)
        XCTAssertEqual(tools.count, 1)
        XCTAssertEqual(tools[0]["function"]?["name"], "TEXT_WORD_COUNT")
        let raw = try await composio.tools.getTool("TEXT_WORD_COUNT")
        XCTAssertEqual(raw["slug"], "TEXT_WORD_COUNT")
        XCTAssertEqual(raw["input_parameters"]?["required"], ["text"])
    }

    func testExecuteAndVersionCheck() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        let r = try await composio.tools.execute("TEXT_WORD_COUNT", arguments: ["text": "a b"], userId: "u")
        XCTAssertTrue(r.successful)
        XCTAssertEqual(r.data["words"], 2)

        let unpinned = try Composio(apiKey: server.apiKey, baseURL: server.baseURL)
        do {
            _ = try await unpinned.tools.execute("TEXT_WORD_COUNT", arguments: ["text": "a"], userId: "u")
            XCTFail("expected TOOL_VERSION_REQUIRED")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "TOOL_VERSION_REQUIRED")
        }
    }

    func testSwiftCustomTool() async throws {
        let composio = try LocalServer.shared().client()
        try composio.tools.register(
            CustomTool(
                slug: "SWIFT_REVERSE", name: "Reverse", description: "Reverses text",
                inputParameters: [
                    "type": "object", "properties": ["text": ["type": "string"]], "required": ["text"],
                ]
            ) { args, ctx in
                let text = args["text"]?.stringValue ?? ""
                if text == "fail" { throw TestError.boom("custom tool") }
                return ["reversed": .string(String(text.reversed())), "user": .string(ctx.userId ?? "")]
            })
        let r = try await composio.tools.execute("SWIFT_REVERSE", arguments: ["text": "abc"], userId: "u-7")
        XCTAssertTrue(r.successful, r.error ?? "")
        XCTAssertEqual(r.data["reversed"], "cba")
        XCTAssertEqual(r.data["user"], "u-7")

        // The Swift error thrown inside the tool reaches the caller unchanged.
        do {
            _ = try await composio.tools.execute("SWIFT_REVERSE", arguments: ["text": "fail"], userId: "u")
            XCTFail("expected the tool's error")
        } catch let e as TestError {
            XCTAssertEqual(e, .boom("custom tool"))
        }

        // Sessions run client-registered custom tools in-process too.
        let session = try await composio.create(userId: "u-8", config: ["toolkits": ["text"]])
        let s = try await session.execute(toolSlug: "SWIFT_REVERSE", arguments: ["text": "xy"])
        XCTAssertEqual(s.data["reversed"], "yx")
        XCTAssertTrue(composio.tools.remove(customTool: "SWIFT_REVERSE"))
    }

    func testSwiftModifier() async throws {
        let composio = try LocalServer.shared().client()
        let modifier = Modifier(
            beforeExecute: { info, params in
                XCTAssertEqual(info.toolSlug, "TEXT_WORD_COUNT")
                guard case var .object(p) = params else { return params }
                p["arguments"] = ["text": "one two three four"]
                return .object(p)
            },
            afterExecute: { info, result in
                var r = result
                if case var .object(d) = r.data {
                    d["modifiedBy"] = .string("swift:\(info.toolkitSlug)")
                    r.data = .object(d)
                }
                return r
            })
        let r = try await composio.tools.execute(
            "TEXT_WORD_COUNT", arguments: ["text": "x"], userId: "u", modifiers: [modifier])
        XCTAssertEqual(r.data["words"], 4)
        XCTAssertEqual(r.data["modifiedBy"], "swift:text")

        let failing = Modifier(beforeExecute: { _, _ in throw TestError.boom("modifier") })
        do {
            _ = try await composio.tools.execute(
                "TEXT_WORD_COUNT", arguments: ["text": "x"], userId: "u", modifiers: [failing])
            XCTFail("expected the modifier's error")
        } catch let e as TestError {
            XCTAssertEqual(e, .boom("modifier"))
        }
    }

    func testConcurrentExecutes() async throws {
        let composio = try LocalServer.shared().client()
        let counts = try await withThrowingTaskGroup(of: (Int, Int64?).self) { group in
            for i in 1...50 {
                group.addTask {
                    let text = Array(repeating: "w", count: i).joined(separator: " ")
                    let r = try await composio.tools.execute(
                        "TEXT_WORD_COUNT", arguments: ["text": .string(text)], userId: "u-\(i)")
                    return (i, r.data["words"]?.intValue)
                }
            }
            var out: [Int: Int64?] = [:]
            for try await (i, words) in group { out[i] = words }
            return out
        }
        XCTAssertEqual(counts.count, 50)
        for (i, words) in counts { XCTAssertEqual(words, Int64(i)) }
    }
}
