import ComposioRS
import XCTest

final class JSONValueTests: XCTestCase {
    struct Point: Codable, Equatable { var x: Int; var y: Double; var label: String? }

    func testRoundTripAndTypedDecoding() throws {
        let v = try JSONValue(jsonString: #"{"x": 3, "y": 1.5, "label": "p", "tags": [true, null]}"#)
        XCTAssertEqual(v["x"], 3)
        XCTAssertEqual(v["y"]?.doubleValue, 1.5)
        XCTAssertEqual(v["tags"]?[0], true)
        XCTAssertEqual(v["tags"]?[1], .null)
        XCTAssertEqual(try v.decode(Point.self), Point(x: 3, y: 1.5, label: "p"))
        XCTAssertEqual(try JSONValue(jsonString: v.jsonString()), v)
        XCTAssertEqual(try JSONValue(encoding: Point(x: 1, y: 2, label: nil)), ["x": 1, "y": 2.0])
        XCTAssertEqual(JSONValue.int(2), JSONValue.double(2.0))
    }

    func testEngineVersion() {
        XCTAssertFalse(Composio.engineVersion.isEmpty)
    }
}
