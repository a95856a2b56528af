import ComposioRS
import Foundation
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
        XCTAssertEqual(try v.decode(Point.self, decoder: JSONDecoder()), Point(x: 3, y: 1.5, label: "p"))
        XCTAssertEqual(try JSONValue(jsonString: v.jsonString()), v)
        XCTAssertEqual(try JSONValue(encoding: Point(x: 1, y: 2, label: nil)), ["x": 1, "y": 2.0])
        XCTAssertEqual(JSONValue.int(2), JSONValue.double(2.0))
    }

    func testObjectsKeepKeyOrderExactly() throws {
        let text = #"{"zeta":1,"alpha":{"b":[1,{"y":null,"x":true}],"a":"é\n\"q\"/"},"mid":-2.5e-7,"big":18446744073709551615}"#
        let v = try JSONValue(jsonString: text)
        XCTAssertEqual(v.objectValue?.keys, ["zeta", "alpha", "mid", "big"])
        XCTAssertEqual(v["alpha"]?.objectValue?.keys, ["b", "a"])
        XCTAssertEqual(v["alpha"]?["a"], "é\n\"q\"/")
        XCTAssertEqual(v["mid"]?.doubleValue, -2.5e-7)
        XCTAssertEqual(try v.jsonString(), text.replacingOccurrences(of: "18446744073709551615", with: "1.8446744073709552e19"))

        // Literals keep their order; a new key appends, an existing key stays put.
        var o: JSONObject = ["c": 1, "a": 2]
        o["b"] = 3
        o["c"] = 4
        XCTAssertEqual(o.keys, ["c", "a", "b"])
        XCTAssertEqual(try JSONValue.object(o).jsonString(), #"{"c":4,"a":2,"b":3}"#)
        o["a"] = nil
        XCTAssertEqual(o.map(\.key), ["c", "b"])
        XCTAssertEqual(o.values, [4, 3])

        // Equality ignores member order (as serde_json's Map does); orderedEquals does not.
        let reversed = try JSONValue(jsonString: #"{"b":3,"c":4}"#)
        XCTAssertEqual(JSONValue.object(o), reversed)
        XCTAssertEqual(JSONValue.object(o).hashValue, reversed.hashValue)
        XCTAssertFalse(JSONValue.object(o).orderedEquals(reversed))
        XCTAssertTrue(JSONValue.object(o).orderedEquals(try JSONValue(jsonString: #"{"c":4,"b":3}"#)))

        // A repeated key keeps its first position and its last value (serde_json's rule).
        XCTAssertEqual(try JSONValue(jsonString: #"{"a":1,"b":2,"a":3}"#).jsonString(), #"{"a":3,"b":2}"#)

        // Typed decoding hands JSONValue members over with their order.
        struct Envelope: Decodable { var data: JSONValue }
        let env = try JSONValue(jsonString: #"{"data":{"z":1,"y":2,"x":3}}"#).decode(Envelope.self)
        XCTAssertEqual(env.data.objectValue?.keys, ["z", "y", "x"])
    }

    func testEngineOutputKeepsKeyOrder() throws {
        // Formatting goes through the engine (serde_json, preserve_order) and back.
        let tool: JSONValue = [
            "slug": "ORDER_TEST", "name": "Order", "description": "d",
            "input_parameters": [
                "type": "object", "properties": ["zz": ["type": "string"], "aa": ["type": "integer"]],
                "required": ["zz"],
            ],
            "toolkit": ["slug": "order", "name": "Order"],
        ]
        let formatted = try Tools.format([tool], provider: .openAi)
        let params = try XCTUnwrap(formatted.first?["function"]?["parameters"])
        XCTAssertEqual(params["properties"]?.objectValue?.keys, ["zz", "aa"])
        XCTAssertEqual(
            try JSONValue.array(formatted).jsonString(),
            try Tools.formatText(JSONValue.array([tool]).jsonString(), provider: .openAi))
    }

    func testInvalidJSONIsRejectedWithAPosition() {
        for bad in ["", "{", #"{"a" 1}"#, "[1,]", "01", "1.", #""\x""#, "nul", "[1] 2", #""\ud800""#] {
            XCTAssertThrowsError(try JSONValue(jsonString: bad), bad) { error in
                XCTAssertTrue(error is JSONParseError, "\(bad): \(error)")
            }
        }
        XCTAssertEqual(try JSONValue(jsonString: #""\ud83d\ude00""#), "😀")
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        XCTAssertThrowsError(try JSONValue(jsonString: deep))
    }

    func testEngineVersion() {
        XCTAssertFalse(Composio.engineVersion.isEmpty)
    }
}
