import ComposioRS
import Foundation
import XCTest

final class SessionUpdateTests: XCTestCase {
    func testUpdateRefreshesConfigAndVersion() async throws {
        let composio = try LocalServer.shared().client()
        let session = try await composio.create(
            userId: "swift-upd-1", config: ["toolkits": ["notes"], "auth_configs": ["notes": "ac_1"]])
        XCTAssertEqual(session.configVersion, 1)
        let config = try await session.update(["auth_configs": ["tasks": "ac_2"], "manage_connections": false])
        XCTAssertEqual(config["auth_configs"], ["tasks": "ac_2"])
        XCTAssertEqual(config["toolkits"], ["enabled": ["notes"]])
        XCTAssertEqual(config["manage_connections"]?["enabled"], false)
        XCTAssertEqual(session.configVersion, 2)
        XCTAssertEqual(try session.config["auth_configs"], ["tasks": "ac_2"])

        try await session.update(["toolkits": .null, "expected_config_version": 2])
        XCTAssertEqual(session.configVersion, 3)
        XCTAssertNil(try session.config["toolkits"])
        let restored = try await composio.use(sessionId: session.sessionId)
        XCTAssertEqual(restored.configVersion, 3)
    }

    func testStalePreconditionIsSessionConfigConflict() async throws {
        let composio = try LocalServer.shared().client()
        let session = try await composio.create(userId: "swift-upd-2", config: .object([:]))
        try await session.update(["tags": ["readOnlyHint"]])
        do {
            try await session.update(["tags": .null, "expected_config_version": 1])
            XCTFail("expected a conflict")
        } catch let e as ComposioError {
            guard case let .SessionConfigConflict(message, status, requestId, sessionId, expected, configId) = e else {
                return XCTFail("\(e)")
            }
            XCTAssertEqual(e.code, "SESSION_CONFIG_CONFLICT")
            XCTAssertEqual(status, 409)
            XCTAssertEqual(e.status, 409)
            XCTAssertNotNil(requestId)
            XCTAssertEqual(sessionId, session.sessionId)
            XCTAssertEqual(expected, 1)
            XCTAssertNil(configId)
            XCTAssertTrue(message.contains("no longer at version 1"), message)
        }
        XCTAssertEqual(session.configVersion, 2)
        for bad: JSONValue in [["nope": 1], ["expected_config_version": 0], ["sandbox": [:], "workbench": [:]], "x"] {
            do {
                try await session.update(bad)
                XCTFail("expected a validation error for \(bad)")
            } catch let e as ComposioError {
                XCTAssertEqual(e.code, "VALIDATION_ERROR", "\(bad): \(e)")
            }
        }
    }

    func testHistoryAndDelete() async throws {
        let composio = try LocalServer.shared().client()
        let session = try await composio.create(userId: "swift-upd-3", config: ["toolkits": ["notes"]])
        try await session.update(["toolkits": ["tasks"]])
        try await session.update(["search": ["enable": false]])
        let page = try await session.listConfigHistory(limit: 2)
        XCTAssertEqual(page.items.map(\.version), [3, 2])
        XCTAssertEqual(page.items.map(\.isCurrent), [true, false])
        XCTAssertEqual(page.items[1].config["toolkits"], ["enabled": ["tasks"]])
        XCTAssertEqual(page.totalItems, 3)
        let cursor = try XCTUnwrap(page.nextCursor)
        let rest = try await session.listConfigHistory(cursor: cursor, limit: 2)
        XCTAssertEqual(rest.items.map(\.version), [1])
        XCTAssertNil(rest.nextCursor)
        do {
            _ = try await session.listConfigHistory(limit: -1)
            XCTFail("expected a validation error")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "VALIDATION_ERROR")
        }

        let deleted = try await session.delete()
        XCTAssertEqual(deleted, SessionDeleted(sessionId: session.sessionId, deleted: true))
        do {
            try await session.delete()
            XCTFail("expected NOT_FOUND")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "NOT_FOUND")
            XCTAssertEqual(e.status, 404)
        }
        let other = try await composio.create(userId: "swift-upd-4", config: .object([:]))
        try await composio.deleteSession(sessionId: other.sessionId)
        do {
            _ = try await composio.use(sessionId: other.sessionId)
            XCTFail("expected NOT_FOUND")
        } catch let e as ComposioError {
            XCTAssertEqual(e.code, "NOT_FOUND")
        }
    }
}
