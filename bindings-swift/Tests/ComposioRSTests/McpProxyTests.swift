import ComposioRS
import Foundation
import XCTest

/// A JSON-RPC call to an MCP endpoint (streamable HTTP, JSON answers) with
/// curl: a plain HTTP POST, no MCP client library.
func mcpCall(_ url: String, headers: [String: String], method: String, params: JSONValue = [:]) throws -> JSONValue {
    let body: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]
    var args = [
        "-X", "POST", "-H", "content-type: application/json", "-H", "accept: application/json, text/event-stream",
    ]
    for (k, v) in headers.sorted(by: { $0.key < $1.key }) { args += ["-H", "\(k): \(v)"] }
    args += ["--data-binary", try body.jsonString(), url]
    let text = try curl(args)
    // A JSON answer, or one SSE `data:` line when the server streams.
    if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("data:") }) {
        return try JSONValue(jsonString: String(line.dropFirst(5)))
    }
    return try JSONValue(jsonString: text)
}

final class McpServerTests: XCTestCase {
    func testServerLifecycleAndGeneratedURLServesTools() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        let name = "swift mcp \(UUID().uuidString.prefix(8))"

        let created = try await composio.mcp.create(
            name: name, toolkits: ["text"], allowedTools: ["TEXT_WORD_COUNT", "TEXT_FIND_REPLACE"])
        let id = try XCTUnwrap(created["id"]?.stringValue)
        XCTAssertEqual(created["name"]?.stringValue, name)
        XCTAssertEqual(created["toolkits"], ["text"])
        XCTAssertEqual(created["allowed_tools"], ["TEXT_WORD_COUNT", "TEXT_FIND_REPLACE"])
        let mcpURL = "\(server.baseURL)/v3/mcp/\(id)"
        XCTAssertEqual(created["mcp_url"]?.stringValue, mcpURL)

        let got = try await composio.mcp.get(id)
        XCTAssertEqual(got["id"]?.stringValue, id)
        XCTAssertEqual(got["allowed_tools"], created["allowed_tools"])

        let listed = try await composio.mcp.list(name: name)
        XCTAssertEqual(listed["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [id])
        let byToolkit = try await composio.mcp.list(toolkits: ["text"])
        XCTAssertTrue(
            byToolkit["items"]?.arrayValue?.contains { $0["id"]?.stringValue == id } ?? false, "\(byToolkit)")

        let renamed = "\(name) v2"
        let updated = try await composio.mcp.update(id, name: renamed, allowedTools: ["TEXT_WORD_COUNT"])
        XCTAssertEqual(updated["name"]?.stringValue, renamed)
        XCTAssertEqual(updated["allowed_tools"], ["TEXT_WORD_COUNT"])
        let afterUpdate = try await composio.mcp.get(id)
        XCTAssertEqual(afterUpdate["name"]?.stringValue, renamed)
        XCTAssertEqual(afterUpdate["toolkits"], ["text"], "fields not given keep their values")

        let user = "swift-mcp-user"
        let generated = try await composio.mcp.generate(userId: user, serverId: id)
        XCTAssertEqual(generated["id"]?.stringValue, id, "\(generated)")
        XCTAssertEqual(generated["user_id"]?.stringValue, user)
        XCTAssertEqual(generated["allowed_tools"], ["TEXT_WORD_COUNT"])
        let userURL = try XCTUnwrap(generated["url"]?.stringValue, "\(generated)")
        XCTAssertEqual(userURL, "\(mcpURL)?user_id=\(user)")

        // The generated URL is a working MCP endpoint: tools/list has the
        // server's allowed tools, tools/call runs one for the user.
        let list = try mcpCall(userURL, headers: [:], method: "tools/list")
        let names = list["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        XCTAssertEqual(names, ["TEXT_WORD_COUNT"], "\(list)")
        let call = try mcpCall(
            userURL, headers: [:], method: "tools/call",
            params: ["name": "TEXT_WORD_COUNT", "arguments": ["text": "one two three four"]])
        XCTAssertEqual(call["result"]?["isError"], false, "\(call)")
        XCTAssertEqual(call["result"]?["structuredContent"]?["data"]?["words"], 4, "\(call)")

        let deleted = try await composio.mcp.delete(id)
        XCTAssertEqual(deleted["id"]?.stringValue, id)
        XCTAssertEqual(deleted["deleted"], true)
        do {
            _ = try await composio.mcp.get(id)
            XCTFail("expected NOT_FOUND after delete")
        } catch let e as ComposioError {
            XCTAssertEqual(e.status, 404, e.message)
        }
    }

    func testInvalidServerInputsAreTyped() async throws {
        let composio = try LocalServer.shared().client()
        do {
            _ = try await composio.mcp.create(name: "no toolkits", toolkits: [])
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.contains("toolkit"), e.message)
        }
        do {
            _ = try await composio.mcp.get("11111111-2222-3333-4444-555555555555")
            XCTFail("expected NOT_FOUND")
        } catch let e as ComposioError {
            XCTAssertEqual(e.status, 404, e.message)
            XCTAssertNotNil(e.requestId)
        }
    }

    func testSessionMcpURLAndHeadersReachTheSession() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        let session = try await composio.create(
            userId: "swift-mcp-session", config: SessionConfig(toolkits: .enable(["text"])))
        let mcp = try session.mcp
        XCTAssertEqual(mcp.type, "http")
        XCTAssertEqual(mcp.url, "\(server.baseURL)/tool_router/\(session.sessionId)/mcp")
        XCTAssertEqual(mcp.headers, ["x-api-key": server.apiKey])

        let list = try mcpCall(mcp.url, headers: mcp.headers, method: "tools/list")
        let names = list["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let raw = try await session.rawTools().compactMap { $0["slug"]?.stringValue }
        XCTAssertEqual(names, raw, "MCP tools/list is the session's tools")
        XCTAssertTrue(names.contains("COMPOSIO_SEARCH_TOOLS"), "\(names)")

        let call = try mcpCall(
            mcp.url, headers: mcp.headers, method: "tools/call",
            params: [
                "name": "COMPOSIO_MULTI_EXECUTE_TOOL",
                "arguments": ["tools": [["tool_slug": "TEXT_WORD_COUNT", "arguments": ["text": "a b"]]]],
            ])
        XCTAssertEqual(
            call["result"]?["structuredContent"]?["data"]?["results"]?[0]?["response"]?["data"]?["words"], 2,
            "\(call)")

        // Without the session's headers the endpoint refuses.
        XCTAssertThrowsError(try mcpCall(mcp.url, headers: [:], method: "tools/list")) { error in
            XCTAssertTrue(error.localizedDescription.contains("x-api-key"), error.localizedDescription)
        }
    }
}

final class ProxyTests: XCTestCase {
    func testProxyReachesTheNotesAPIWithTheAccountsKey() async throws {
        let composio = try LocalServer.shared().client()
        let user = "swift-proxy-\(UUID().uuidString.prefix(8))"
        let (session, account) = try await connectNotes(composio, userId: user, apiKey: "key-\(user)")
        let accountId = try XCTUnwrap(account["id"]?.stringValue)

        let created = try await composio.tools.proxy(
            endpoint: "/notes", method: "POST", body: ["title": "via swift proxy", "content": "hello"],
            connectedAccountId: accountId)
        XCTAssertEqual(created["status"], 201, "\(created)")
        let noteId = try XCTUnwrap(created["data"]?["note"]?["id"]?.stringValue, "\(created)")

        // The note exists for the account's tools, too.
        let listed = try await session.execute(toolSlug: "NOTES_LIST_NOTES", arguments: [:])
        XCTAssertTrue(
            listed.data["notes"]?.arrayValue?.contains { $0["id"]?.stringValue == noteId } ?? false, "\(listed)")

        let got = try await composio.tools.proxy(
            endpoint: "notes/\(noteId)", method: "GET", connectedAccountId: accountId)
        XCTAssertEqual(got["status"], 200)
        XCTAssertEqual(got["data"]?["note"]?["title"], "via swift proxy", "\(got)")
        XCTAssertTrue(got["headers"]?["content-type"]?.stringValue?.contains("json") ?? false, "\(got)")

        // Query parameters are forwarded (NOTES_LIST_NOTES arguments).
        let searched = try await composio.tools.proxy(
            endpoint: "/notes", method: "GET", connectedAccountId: accountId,
            parameters: [.query("query", "swift proxy")])
        XCTAssertEqual(searched["data"]?["notes"]?[0]?["id"]?.stringValue, noteId, "\(searched)")

        // The session's proxy uses the same account.
        let viaSession = try await session.proxyExecute(toolkit: "notes", endpoint: "/notes/\(noteId)", method: "GET")
        XCTAssertEqual(viaSession["data"]?["note"]?["id"]?.stringValue, noteId, "\(viaSession)")

        let gone = try await composio.tools.proxy(
            endpoint: "/notes/\(noteId)", method: "DELETE", connectedAccountId: accountId)
        XCTAssertTrue([200, 204].contains(gone["status"]?.intValue ?? 0), "\(gone)")
        let missing = try await composio.tools.proxy(
            endpoint: "/notes/\(noteId)", method: "GET", connectedAccountId: accountId)
        XCTAssertEqual(missing["status"], 404, "upstream errors come back as a status: \(missing)")
    }

    func testProxyErrorsAreTyped() async throws {
        let composio = try LocalServer.shared().client()
        do {
            _ = try await composio.tools.proxy(endpoint: "/notes", method: "GET", connectedAccountId: "ca_missing")
            XCTFail("expected an API error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.status, 404, e.message)
        }
        do {
            _ = try await composio.tools.proxy(endpoint: "/notes", method: "TRACE", connectedAccountId: "ca_x")
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertTrue(e.message.contains("method"), e.message)
        }
    }
}
