import ComposioRS
import Foundation
import XCTest

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with ``TimedOut`` after `seconds` (a guard against
/// hanging, not a timing assertion: every wait here is far longer than needed).
func within<T: Sendable>(
    _ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            throw TimedOut(what: what)
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}

/// JSON text without insignificant whitespace, object key order kept.
func minifiedJSON(_ text: String) -> String {
    var out = ""
    var inString = false
    var escaped = false
    for ch in text {
        if inString {
            out.append(ch)
            if escaped {
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "\"" {
                inString = false
            }
        } else if ch == "\"" {
            inString = true
            out.append(ch)
        } else if !ch.isWhitespace {
            out.append(ch)
        }
    }
    return out
}

/// Connects `userId` to the notes toolkit through the connect page.
func connectNotes(
    _ composio: Composio, userId: String, config: SessionConfig? = nil, apiKey: String = "swift-notes-key"
) async throws -> (Session, JSONValue) {
    let session = try await composio.create(
        userId: userId, config: config ?? SessionConfig(toolkits: .enable(["notes"])))
    let request = try await session.authorize(toolkit: "notes")
    let url = try XCTUnwrap(request.redirectURL)
    try curl(["-X", "POST", "--data-urlencode", "api_key=\(apiKey)", url])
    let account = try await request.waitForConnection(timeout: 30)
    return (session, account)
}

final class ProviderGoldenTests: XCTestCase {
    /// `Tools.format` (what `tools(provider:)` applies) gives exactly what
    /// @composio/core's `tools.get` returns, key order included.
    func testTypeScriptGoldensMatchExactly() throws {
        let dir = fixturesURL().appendingPathComponent("providers")
        let toolsText = try String(contentsOf: dir.appendingPathComponent("tools.json"), encoding: .utf8)
        let wire = try XCTUnwrap(JSONValue(jsonString: toolsText).arrayValue)
        let providers: [(String, Provider)] = [
            ("openai", .openAi),
            ("openai_responses", .openAiResponses(strict: false)),
            ("openai_responses_strict", .openAiResponses(strict: true)),
            ("anthropic", .anthropic(cacheTools: false)),
            ("anthropic_cache", .anthropic(cacheTools: true)),
            ("google", .google),
        ]
        let goldenDir = dir.appendingPathComponent("golden/ts")
        let files = try FileManager.default.contentsOfDirectory(atPath: goldenDir.path)
            .filter { $0.hasPrefix("tools_get.") }
        XCTAssertEqual(Set(files), Set(providers.map { "tools_get.\($0.0).json" }))
        for (name, provider) in providers {
            let golden = try String(
                contentsOf: goldenDir.appendingPathComponent("tools_get.\(name).json"), encoding: .utf8)
            let text = try Tools.formatText(toolsText, provider: provider)
            XCTAssertEqual(text, minifiedJSON(golden), name)
            XCTAssertEqual(try Tools.format(wire, provider: provider), try JSONValue(jsonString: golden).arrayValue, name)
        }
    }
}

final class ResourceTests: XCTestCase {
    func testToolkits() async throws {
        let composio = try LocalServer.shared().client()
        let page = try await composio.toolkits.list()
        let slugs = page.items.compactMap { $0["slug"]?.stringValue }
        XCTAssertTrue(slugs.contains("notes"), "\(slugs)")
        XCTAssertTrue(slugs.contains("text"), "\(slugs)")
        let searched = try await composio.toolkits.list(search: "notes")
        XCTAssertEqual(searched.items.first?["slug"], "notes")
        let notes = try await composio.toolkits.get("notes")
        XCTAssertEqual(notes["slug"], "notes")
        do {
            _ = try await composio.toolkits.get("no_such_toolkit")
            XCTFail("expected NOT_FOUND")
        } catch let e as ComposioError {
            XCTAssertEqual(e.status, 404)
        }
        do {
            _ = try await composio.toolkits.list(sortBy: "sideways")
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.contains("sort_by"), e.message)
        }
    }

    func testAuthConfigLifecycle() async throws {
        let composio = try LocalServer.shared().client()
        let created = try await composio.authConfigs.create(
            toolkit: "notes",
            options: ["type": "use_custom_auth", "authScheme": "API_KEY", "credentials": [:], "name": "Swift custom"])
        let id = try XCTUnwrap(created["auth_config"]?["id"]?.stringValue)
        XCTAssertTrue(id.hasPrefix("ac_"), id)

        let got = try await composio.authConfigs.get(id)
        XCTAssertEqual(got["id"]?.stringValue, id)
        XCTAssertEqual(got["toolkit"]?["slug"], "notes")
        let listed = try await composio.authConfigs.list(toolkit: "notes")
        XCTAssertTrue(listed.items.contains { $0["id"]?.stringValue == id })

        try await composio.authConfigs.update(id, ["type": "custom", "name": "Swift notes"])
        let v1 = try await composio.authConfigs.get(id)
        XCTAssertEqual(v1["name"], "Swift notes")

        try await composio.authConfigs.disable(id)
        let v2 = try await composio.authConfigs.get(id)
        XCTAssertEqual(v2["status"], "DISABLED")
        try await composio.authConfigs.enable(id)
        let v3 = try await composio.authConfigs.get(id)
        XCTAssertEqual(v3["status"], "ENABLED")

        try await composio.authConfigs.delete(id)
        do {
            _ = try await composio.authConfigs.get(id)
            XCTFail("expected NOT_FOUND after delete")
        } catch let e as ComposioError {
            XCTAssertEqual(e.status, 404)
        }
        do {
            _ = try await composio.authConfigs.update(id, ["type": "sideways"])
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }
    }

    func testConnectedAccountFlows() async throws {
        let composio = try LocalServer.shared().client()
        let createdAc = try await composio.authConfigs.create(toolkit: "notes")
        let ac = try XCTUnwrap(createdAc["auth_config"]?["id"]?.stringValue)
        let user = "swift-ca-\(UUID().uuidString.prefix(8))"

        // initiate with credentials: ACTIVE at once.
        let direct = try await composio.connectedAccounts.initiate(
            userId: user, authConfigId: ac, config: ["authScheme": "API_KEY", "val": ["api_key": "k-1"]])
        XCTAssertTrue(direct.id.hasPrefix("ca_"), direct.id)
        let active = try await direct.waitForConnection(timeout: 30)
        XCTAssertEqual(active["status"], "ACTIVE")

        // A second one needs allowMultiple.
        do {
            _ = try await composio.connectedAccounts.initiate(
                userId: user, authConfigId: ac, config: ["authScheme": "API_KEY", "val": ["api_key": "k-2"]])
            XCTFail("expected MULTIPLE_CONNECTED_ACCOUNTS")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "MULTIPLE_CONNECTED_ACCOUNTS")
        }

        // link: the hosted connect page, then waitForConnection.
        let linked = try await composio.connectedAccounts.link(userId: user, authConfigId: ac)
        let url = try XCTUnwrap(linked.redirectURL)
        try curl(["-X", "POST", "--data-urlencode", "api_key=k-3", url])
        let account = try await composio.connectedAccounts.waitForConnection(linked.id, timeout: 30)
        XCTAssertEqual(account["id"]?.stringValue, linked.id)
        XCTAssertEqual(account["status"], "ACTIVE")

        let page = try await composio.connectedAccounts.list(userIds: [user], toolkits: ["notes"])
        XCTAssertEqual(Set(page.items.compactMap { $0["id"]?.stringValue }), [direct.id, linked.id])

        try await composio.connectedAccounts.disable(linked.id)
        let v4 = try await composio.connectedAccounts.get(linked.id)
        XCTAssertEqual(v4["is_disabled"], true)
        try await composio.connectedAccounts.enable(linked.id)
        let v5 = try await composio.connectedAccounts.get(linked.id)
        XCTAssertEqual(v5["is_disabled"], false)

        let refreshed = try await composio.connectedAccounts.refresh(linked.id)
        XCTAssertEqual(refreshed["id"]?.stringValue, linked.id)

        try await composio.connectedAccounts.delete(direct.id)
        do {
            _ = try await composio.connectedAccounts.get(direct.id)
            XCTFail("expected NOT_FOUND after delete")
        } catch let e as ComposioError {
            XCTAssertEqual(e.status, 404)
        }
        let remaining = try await composio.connectedAccounts.list(userIds: [user])
        XCTAssertEqual(remaining.items.compactMap { $0["id"]?.stringValue }, [linked.id])

        // toolkits.authorize reuses the toolkit's newest auth config.
        let other = try await composio.toolkits.authorize(userId: "\(user)-2", toolkit: "notes")
        XCTAssertNotNil(other.redirectURL)
    }

    func testProxyAndMcpErrorsAreTyped() async throws {
        let composio = try LocalServer.shared().client()
        do {
            _ = try await composio.tools.proxy(endpoint: "", method: "GET")
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }
        do {
            _ = try await composio.mcp.generate(userId: " ", serverId: "srv")
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.contains("user_id"), e.message)
        }
    }
}

final class TriggerTests: XCTestCase {
    func testSubscribeReceivesEventFromCreatedNote() async throws {
        let composio = try LocalServer.shared().client()
        let user = "swift-trig-\(UUID().uuidString.prefix(8))"
        let (session, account) = try await connectNotes(composio, userId: user)

        let types = try await composio.triggers.listTypes(toolkits: ["notes"])
        XCTAssertTrue(types.items.contains { $0["slug"] == "NOTES_NOTE_CREATED" })
        let v6 = try await composio.triggers.getType("NOTES_NOTE_CREATED")
        XCTAssertEqual(v6["slug"], "NOTES_NOTE_CREATED")
        let v7 = try await composio.triggers.listEnum()
        XCTAssertTrue(v7.contains("NOTES_NOTE_CREATED"))

        let subscription = try await composio.triggers.subscribe(TriggerFilters(userId: [user]))
        XCTAssertTrue(subscription.isAlive)
        let triggerId = try await composio.triggers.create("NOTES_NOTE_CREATED", userId: user)
        XCTAssertFalse(triggerId.isEmpty)
        let active = try await composio.triggers.listActive(triggerIds: [triggerId])
        XCTAssertEqual(active.items.first?["connected_account_id"], account["id"])

        let note = try await session.execute(
            toolSlug: "NOTES_CREATE_NOTE", arguments: ["title": "Swift trigger", "content": "ping"])
        XCTAssertNil(note.error, note.error ?? "")

        let events = subscription.events
        let event = try await within(30, "the trigger event") { () -> TriggerEvent? in
            for await e in events { return e }
            return nil
        }
        let e = try XCTUnwrap(event, "the event stream ended without an event")
        XCTAssertEqual(e.triggerSlug, "NOTES_NOTE_CREATED")
        XCTAssertEqual(e.userId, user)
        XCTAssertEqual(e.metadata["id"]?.stringValue, triggerId)
        XCTAssertEqual(e.payload["title"], "Swift trigger")

        try await composio.triggers.disable(triggerId)
        let disabled = try await composio.triggers.listActive(triggerIds: [triggerId], showDisabled: true)
        XCTAssertNotNil(disabled.items.first?["disabled_at"]?.stringValue)
        try await composio.triggers.enable(triggerId)
        try await composio.triggers.delete(triggerId)
        let gone = try await composio.triggers.listActive(triggerIds: [triggerId], showDisabled: true)
        XCTAssertTrue(gone.items.isEmpty)

        subscription.stop()
        XCTAssertFalse(subscription.isAlive)
    }

    func testCallbackSubscription() async throws {
        let composio = try LocalServer.shared().client()
        let user = "swift-cb-\(UUID().uuidString.prefix(8))"
        let (session, _) = try await connectNotes(composio, userId: user)
        let (stream, continuation) = AsyncStream<TriggerEvent>.makeStream()
        let subscription = try await composio.triggers.subscribe(
            TriggerFilters(triggerSlug: ["notes_note_created"], userId: [user])
        ) { event in continuation.yield(event) }
        try await composio.triggers.create("NOTES_NOTE_CREATED", userId: user)
        _ = try await session.execute(toolSlug: "NOTES_CREATE_NOTE", arguments: ["title": "cb", "content": "x"])
        let got = try await within(30, "the handler") { () -> TriggerEvent? in
            for await e in stream { return e }
            return nil
        }
        XCTAssertEqual(got?.payload["title"], "cb")
        withExtendedLifetime(subscription) {}
    }

    func testReleasingTheHandleStopsTheSubscription() async throws {
        let composio = try LocalServer.shared().client()
        var subscription: TriggerSubscription? = try await composio.triggers.subscribe()
        let events = try XCTUnwrap(subscription).events
        weak var weakRef = subscription
        XCTAssertTrue(weakRef?.isAlive ?? false)
        subscription = nil
        XCTAssertNil(weakRef, "the handle should have been released")
        // deinit stopped it: the event stream finishes.
        let count = try await within(30, "the stream to finish") { () -> Int in
            var n = 0
            for await _ in events { n += 1 }
            return n
        }
        XCTAssertEqual(count, 0)
    }

    func testBadFiltersAreValidationErrors() async throws {
        let composio = try LocalServer.shared().client()
        do {
            _ = try await composio.triggers.subscribe(TriggerFilters(toolkit: [" "]))
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }
        do {
            _ = try await composio.triggers.create("NOTES_NOTE_CREATED")
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }
    }
}

final class ModifierAndConfigTests: XCTestCase {
    func testDeclarativeAndSchemaModifiers() async throws {
        let composio = try LocalServer.shared().client()
        let mods: [Modifier] = [
            .declarative(.renameParameter(from: "text", to: "body")),
            .declarative(.appendDescription("(via Swift)")),
            .declarative(.keepResultFields(["/words"])),
            .schema(tools: ["TEXT_WORD_COUNT"]) { info, schema in
                guard case var .object(o) = schema else { return schema }
                o["name"] = .string("Counted by \(info.toolkitSlug)")
                return .object(o)
            },
            // Filtered out: another tool.
            .declarative(.replaceDescription("never"), tools: ["TEXT_TRANSFORM_CASE"]),
        ]
        let raw = try await composio.tools.getRaw(tools: ["TEXT_WORD_COUNT"], modifiers: mods)
        let tool = try XCTUnwrap(raw.first)
        XCTAssertNotNil(tool["input_parameters"]?["properties"]?["body"])
        XCTAssertNil(tool["input_parameters"]?["properties"]?["text"])
        XCTAssertEqual(tool["input_parameters"]?["required"], ["body"])
        XCTAssertTrue(tool["description"]?.stringValue?.hasSuffix("(via Swift)") ?? false, "\(tool)")
        XCTAssertEqual(tool["name"], "Counted by text")

        let formatted = try await composio.tools.get(
            userId: "u", tools: ["TEXT_WORD_COUNT"], provider: .anthropic(cacheTools: false), modifiers: mods)
        XCTAssertNotNil(formatted.first?["input_schema"]?["properties"]?["body"])

        let r = try await composio.tools.execute(
            "TEXT_WORD_COUNT", arguments: ["body": "one two"], userId: "u", modifiers: mods)
        XCTAssertTrue(r.successful, r.error ?? "")
        XCTAssertEqual(r.data, ["words": 2])

        let fixed = try await composio.tools.execute(
            "TEXT_WORD_COUNT", arguments: [:], userId: "u",
            modifiers: [.declarative(.fixValue(name: "text", value: "a b c"))])
        XCTAssertEqual(fixed.data["words"], 3)

        do {
            _ = try await composio.tools.getRaw(
                tools: ["TEXT_WORD_COUNT"], modifiers: [.declarative(.hideParameter("x"), tools: [""])])
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }
    }

    func testSessionModifiersAndExecuteMeta() async throws {
        let composio = try LocalServer.shared().client()
        let session = try await composio.create(userId: "swift-meta", config: SessionConfig(toolkits: .enable(["text"])))
        let plain = try await session.rawTools()
        XCTAssertFalse(plain.isEmpty)
        let modified = try await session.tools(
            provider: .openAi, modifiers: [.declarative(.appendDescription("[swift]"))])
        XCTAssertEqual(modified.count, plain.count)
        for t in modified {
            XCTAssertTrue(t["function"]?["description"]?.stringValue?.hasSuffix("[swift]") ?? false, "\(t)")
        }
        let search = try await session.executeMeta(
            "COMPOSIO_SEARCH_TOOLS", arguments: ["queries": [["use_case": "count the words in a text"]]])
        XCTAssertTrue(search.successful, search.error ?? "")
    }

    func testTypedSessionConfigIsHonoured() async throws {
        let composio = try LocalServer.shared().client()
        // auth_configs: authorize uses the configured auth config.
        let pinnedAc = try await composio.authConfigs.create(
            toolkit: "notes", options: ["type": "use_composio_managed_auth", "name": "pinned"])
        let ac = try XCTUnwrap(pinnedAc["auth_config"]?["id"]?.stringValue)
        _ = try await composio.authConfigs.create(toolkit: "notes")  // newer; must not be picked
        let user = "swift-cfg-\(UUID().uuidString.prefix(8))"
        let config = SessionConfig(
            toolkits: .enable(["notes", "text"]),
            manageConnections: SessionConfig.ManageConnections(enable: true, callbackURL: "https://example.com/done"),
            authConfigs: ["notes": ac])
        let (session, account) = try await connectNotes(composio, userId: user, config: config)
        XCTAssertEqual(account["auth_config"]?["id"]?.stringValue, ac)

        // toolkits: only the enabled ones are listed.
        let toolkits = try await session.toolkits()
        XCTAssertEqual(Set(toolkits.items.compactMap { $0["slug"]?.stringValue }), ["notes", "text"])
        let connected = Set(try await session.toolkits(isConnected: true).items.compactMap { $0["slug"]?.stringValue })
        XCTAssertTrue(connected.contains("notes"), "\(connected)")
        XCTAssertTrue(connected.isSubset(of: ["notes", "text"]), "\(connected)")

        // connected_accounts: the session executes with the pinned account.
        let pinned = try await composio.create(
            userId: user, config: SessionConfig(toolkits: .enable(["notes"]), connectedAccounts: ["notes": account["id"]!.stringValue!]))
        let r = try await pinned.execute(toolSlug: "NOTES_LIST_NOTES", arguments: [:])
        XCTAssertNil(r.error, r.error ?? "")

        // An invalid combination is rejected by the engine, naming the field.
        do {
            _ = try await composio.create(
                userId: user, config: SessionConfig(tags: SessionConfig.Tags(enable: ["notATag"])))
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
            XCTAssertTrue(e.message.contains("notATag"), e.message)
        }
        XCTAssertEqual(
            SessionConfig(toolkits: .disable(["gmail"]), manageConnections: .init(enable: false)).jsonValue,
            ["toolkits": ["disable": ["gmail"]], "manage_connections": ["enable": false]])
    }
}
