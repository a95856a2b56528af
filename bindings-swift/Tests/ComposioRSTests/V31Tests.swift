import ComposioRS
import Foundation
import XCTest

/// The v3.1 entry points against composio-local: session attach
/// (`use(sessionId:customTools:customToolkits:)`), webhook endpoints, saved
/// Session configs (and `sessionConfigId` at create), the raw client.
final class V31Tests: XCTestCase {
    static let schema: JSONValue = [
        "type": "object", "properties": ["a": ["type": "integer"], "b": ["type": "integer"]], "required": ["a"],
    ]

    func addTool(_ log: CallLog) -> CustomTool {
        CustomTool(slug: "add", name: "Add", description: "Adds two numbers", inputParameters: Self.schema) {
            args, ctx in
            log.add("add:\(ctx.sessionId ?? "-")")
            return ["sum": .int((args["a"]?.intValue ?? 0) + (args["b"]?.intValue ?? 0))]
        }
    }

    func expectError(
        _ body: () async throws -> Void, status: Int? = nil, containing needle: String, line: UInt = #line
    ) async {
        do {
            try await body()
            XCTFail("expected an error containing \(needle)", line: line)
        } catch let e as ComposioError {
            if let status { XCTAssertEqual(e.status, status, e.message, line: line) }
            XCTAssertTrue(e.message.contains(needle), "\(e.message) lacks \(needle)", line: line)
        } catch {
            XCTFail("unexpected error \(error)", line: line)
        }
    }

    func testUseAttachesCustomToolsToAnExistingSession() async throws {
        let composio = try LocalServer.shared().client()
        let created = try await composio.create(userId: "swift-v31", config: SessionConfig(toolkits: .enable(["notes"])))
        XCTAssertEqual(try created.customTools(), [])
        let log = CallLog()
        let kitTool = CustomTool(
            slug: "find_contact", name: "Find contact", description: "Finds a contact", inputParameters: Self.schema
        ) { args, _ in ["contact": .string("c\(args["a"]?.intValue ?? 0)")] }
        let kit = SessionCustomToolkit(slug: "crm", name: "CRM", description: "Contacts", tools: [kitTool])

        let session = try await composio.use(
            sessionId: created.sessionId, customTools: [addTool(log)], customToolkits: [kit])
        XCTAssertEqual(session.sessionId, created.sessionId)
        XCTAssertEqual(try session.customTools().map(\.slug), ["LOCAL_ADD", "LOCAL_CRM_FIND_CONTACT"])
        let r = try await session.execute(toolSlug: "LOCAL_ADD", arguments: ["a": 2, "b": 5])
        XCTAssertNil(r.error)
        XCTAssertEqual(r.data["sum"], 7)
        XCTAssertEqual(log.all, ["add:\(created.sessionId)"])
        let c = try await session.execute(toolSlug: "LOCAL_CRM_FIND_CONTACT", arguments: ["a": 3])
        XCTAssertEqual(c.data["contact"], "c3")

        // Stored on the session: a plain restore sees the echo but runs nothing locally.
        let plain = try await composio.use(sessionId: created.sessionId)
        XCTAssertEqual(try plain.customTools(), [])
        XCTAssertEqual(try plain.experimental["custom_tools"]?[0]?["slug"], "LOCAL_ADD")

        // Many tasks attaching and executing at once.
        let add = addTool(log)
        let sid = created.sessionId
        let sums = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let s = try await composio.use(sessionId: sid, customTools: [add])
                    let out = try await s.execute(toolSlug: "LOCAL_ADD", arguments: ["a": .int(Int64(i))])
                    return out.data["sum"]?.intValue ?? -1
                }
            }
            var all: [Int64] = []
            for try await v in group { all.append(v) }
            return all.sorted()
        }
        XCTAssertEqual(sums, (0..<8).map(Int64.init))

        await expectError({ _ = try await composio.use(sessionId: "trs_missing", customTools: [self.addTool(log)]) },
            status: 404, containing: "trs_missing")
    }

    func testPreloadFlagsOnDefinitionsAtCreateAndUse() async throws {
        let composio = try LocalServer.shared().client()
        func tool(_ slug: String, preload: Bool? = nil) -> CustomTool {
            CustomTool(
                slug: slug, name: slug, description: "Does \(slug)", inputParameters: ["type": "object"],
                preload: preload
            ) { _, _ in ["slug": .string(slug)] }
        }
        func localNames(_ session: Session) async throws -> [String] {
            try await session.tools().compactMap { $0["function"]?["name"]?.stringValue }.filter {
                $0.hasPrefix("LOCAL_")
            }
        }
        let kit = SessionCustomToolkit(
            slug: "crm", name: "CRM", description: "Records", tools: [tool("find"), tool("skip", preload: false)],
            preload: true)
        let created = try await composio.create(
            userId: "swift-preload", config: SessionConfig(toolkits: .enable(["notes"])),
            customTools: [tool("greet", preload: true), tool("quiet")], customToolkits: [kit])
        let names = try await localNames(created)
        XCTAssertEqual(names, ["LOCAL_GREET", "LOCAL_CRM_FIND"])
        let sent = try XCTUnwrap(created.experimental["custom_tools"]?.arrayValue)
        XCTAssertEqual(sent[0]["preload"], true)
        XCTAssertNil(sent[1]["preload"])

        // use(): each attached tool's own flag, as @composio/core 0.21.
        let attached = try await composio.use(
            sessionId: created.sessionId, customTools: [tool("late", preload: true), tool("other")])
        let attachedNames = try await localNames(attached)
        XCTAssertEqual(attachedNames, ["LOCAL_LATE"])
        let r = try await attached.execute(toolSlug: "LOCAL_OTHER", arguments: [:])
        XCTAssertEqual(r.data["slug"], "other")
    }

    func testWebhookEndpoints() async throws {
        let composio = try LocalServer.shared().client()
        let clientId = "swift-\(UUID().uuidString.prefix(8))"
        let endpoints = composio.webhooks.endpoints
        let ep = try await endpoints.create(toolkitSlug: "notes", clientId: clientId)
        XCTAssertTrue(ep.id.hasPrefix("we_"), ep.id)
        XCTAssertEqual(ep.toolkitSlug, "notes")
        XCTAssertEqual(ep.clientId, clientId)
        XCTAssertTrue(ep.webhookURL.hasSuffix("/webhook_ingress/\(ep.id)"), ep.webhookURL)
        XCTAssertNil(ep.data)
        let again = try await endpoints.create(toolkitSlug: "notes", clientId: clientId)
        XCTAssertEqual(again.id, ep.id)

        let listed = try await endpoints.list(toolkitSlug: "notes")
        let item = try XCTUnwrap(listed.items.first { $0.id == ep.id })
        XCTAssertEqual(item.toolkitSlug, "notes")
        XCTAssertEqual(item.clientId, clientId)
        let tasks = try await endpoints.list(toolkitSlug: "tasks")
        XCTAssertFalse(tasks.items.map(\.id).contains(ep.id))

        let replaced = try await endpoints.replace(ep.id, data: ["signing_secret": "whsec-0123456789abcdef"])
        XCTAssertEqual(replaced.data, ["signing_secret": "****cdef"])
        let updated = try await endpoints.update(ep.id, data: ["signing_secret": "another-long-secret-9999"])
        XCTAssertEqual(updated.data?["signing_secret"], "****9999")
        let got = try await endpoints.get(ep.id)
        XCTAssertEqual(got.data?["signing_secret"], "****9999")

        await expectError({ _ = try await endpoints.get("we_nope") }, status: 404, containing: "we_nope")
        await expectError({ _ = try await endpoints.replace(ep.id, data: [:]) }, status: 400, containing: "signing_secret")
        await expectError({ _ = try await endpoints.update(ep.id, data: ["colour": "x"]) }, containing: "colour")
        // The subscriptions half of the namespace works too.
        let subs = try await composio.getClient().get("/api/v3/webhook_subscriptions")
        XCTAssertNotNil(subs["items"]?.arrayValue)
    }

    func testSessionConfigsAndSessionConfigId() async throws {
        let composio = try LocalServer.shared().client()
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let policy: JSONValue = ["toolkits": ["enable": ["notes"]], "tools": ["notes": ["disable": ["NOTES_DELETE_NOTE"]]]]
        // composio-local's stand-in for the Dashboard, through the raw client.
        let raw = composio.getClient()
        let saved = try await raw.post("/api/v3.1/session_configs", body: ["name": .string("notes-\(tag)"), "config": policy])
        let id = try XCTUnwrap(saved["id"]?.stringValue)
        _ = try await raw.post(
            "/api/v3.1/session_configs", body: ["name": .string("old-\(tag)"), "config": policy, "archived": true])

        let page = try await composio.sessionConfigs.list(search: tag)
        XCTAssertEqual(page.items.map(\.name), ["notes-\(tag)"])
        XCTAssertNil(page.nextCursor)
        let archived = try await composio.sessionConfigs.list(search: tag, archived: true)
        XCTAssertEqual(archived.items.map(\.name), ["old-\(tag)"])
        XCTAssertEqual(archived.items.first?.archived, true)
        let first = try await composio.sessionConfigs.list(limit: 1)
        XCTAssertEqual(first.items.count, 1)
        let one = try await composio.sessionConfigs.get(id)
        XCTAssertEqual(one.config, policy)
        XCTAssertEqual(one.name, "notes-\(tag)")
        await expectError({ _ = try await composio.sessionConfigs.get("sc_nope") }, status: 404, containing: "sc_nope")
        await expectError({ _ = try await composio.sessionConfigs.list(limit: 0) }, containing: "limit")

        let session = try await composio.create(
            userId: "swift-sc", config: SessionConfig(manageConnections: .init(enable: false), sessionConfigId: id))
        XCTAssertEqual(try session.sourceSessionConfigId, id)
        // Merged into an explicit experimental block too.
        let withTZ = try await composio.create(
            userId: "swift-sc",
            config: SessionConfig(
                experimental: ["assistive_prompt_config": ["user_timezone": "UTC"]], sessionConfigId: id))
        XCTAssertEqual(try withTZ.sourceSessionConfigId, id)
        XCTAssertTrue(try withTZ.experimental["assistive_prompt"]?.stringValue?.contains("UTC") ?? false)
        await expectError(
            {
                _ = try await composio.create(
                    userId: "swift-sc", config: SessionConfig(toolkits: .enable(["tasks"]), sessionConfigId: id))
            }, status: 400, containing: "cannot be combined with `toolkits`")
        await expectError(
            { _ = try await composio.create(userId: "swift-sc", config: SessionConfig(sessionConfigId: "sc_missing")) },
            status: 404, containing: "sc_missing")
    }

    func testRawClient() async throws {
        let server = try LocalServer.shared()
        let composio = try server.client()
        let client = composio.getClient()
        XCTAssertEqual(client.baseURL, composio.baseURL)
        let page = try await client.get("toolkits", query: [("limit", "2")])
        let items = try XCTUnwrap(page["items"]?.arrayValue)
        XCTAssertTrue((1...2).contains(items.count), "\(items.count)")
        let notes = try await client.get("/api/v3/toolkits/notes")
        XCTAssertEqual(notes["slug"], "notes")
        let session = try await client.post("tool_router/session", body: ["user_id": "swift-raw"])
        let sid = try XCTUnwrap(session["session_id"]?.stringValue)
        let fetched = try await client.request("GET", "tool_router/session/\(sid)")
        XCTAssertEqual(fetched["session_id"]?.stringValue, sid)
        await expectError({ _ = try await client.get("/api/v3/toolkits/nosuchkit") }, status: 404, containing: "nosuchkit")
        await expectError({ _ = try await client.request("FETCH", "toolkits") }, containing: "FETCH")
    }
}
