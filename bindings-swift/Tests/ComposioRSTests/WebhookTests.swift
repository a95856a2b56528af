import ComposioRS
import XCTest

final class WebhookTests: XCTestCase {
    /// Every shared vector gives what @composio/core (TypeScript) gives.
    func testVectorsMatchTypeScriptSDK() throws {
        let vectors = try XCTUnwrap(loadFixture("webhooks.json")["vectors"]?.arrayValue)
        let expected = try XCTUnwrap(loadFixture("webhooks_ts_expected.json")["expected"])
        XCTAssertEqual(vectors.count, 43)
        var checked = 0
        for v in vectors {
            let name = try XCTUnwrap(v["name"]?.stringValue)
            let want = try XCTUnwrap(expected[name], name)
            do {
                let got = try Triggers.verifyWebhook(
                    id: v["id"]?.stringValue ?? "", payload: v["payload"]?.stringValue ?? "",
                    signature: v["signature"]?.stringValue ?? "", timestamp: v["timestamp"]?.stringValue ?? "",
                    secret: v["secret"]?.stringValue ?? "", tolerance: v["tolerance"]?.intValue ?? 300,
                    now: v["now"]?.intValue)
                XCTAssertEqual(want["ok"], true, "\(name): verified but the TS SDK rejects it")
                XCTAssertEqual(got.version, want["version"]?.stringValue, name)
                XCTAssertEqual(got.payload, want["payload"], name)
                XCTAssertEqual(got.rawPayload, try JSONValue(jsonString: v["payload"]?.stringValue ?? ""), name)
            } catch let e as ComposioError {
                XCTAssertEqual(want["ok"], false, "\(name): rejected (\(e.message)) but the TS SDK accepts it")
                XCTAssertEqual(e.code, want["error_code"]?.stringValue, name)
                guard case .Webhook = e else { return XCTFail("\(name): not a webhook error: \(e)") }
            }
            checked += 1
        }
        XCTAssertEqual(checked, 43)
    }
}
