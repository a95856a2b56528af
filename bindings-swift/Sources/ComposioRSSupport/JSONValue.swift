import Foundation

/// A JSON value: tool schemas, arguments, results and payloads.
///
/// `Codable`, `Equatable`, `Hashable` and `Sendable`. Integers that fit
/// `Int64` are kept exactly (`.int`); other numbers are `.double`, and an
/// `.int` equals a `.double` of the same value.
///
/// Objects are ``JSONObject``s, which keep their members in order: a value
/// parsed with ``init(jsonString:)`` / ``init(jsonData:)`` and written back
/// with ``jsonString()`` has its keys in the original order, as the engine
/// (serde_json with `preserve_order`) does. Equality of objects ignores
/// member order (see ``JSONObject``).
///
/// Use ``decode(_:)`` to turn a value into your own `Decodable` type and
/// ``init(encoding:)`` for the reverse.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

// MARK: - JSONObject

/// The members of a JSON object, in order.
///
/// Reads like a dictionary (`object["key"]`, `keys`, `values`, iteration
/// yields `(key, value)` pairs in order); assigning to a new key appends it,
/// assigning to an existing key replaces its value in place, and assigning
/// `nil` removes the member.
///
/// **Equality** ignores member order: two objects are equal when they have
/// the same keys with equal values (like serde_json's `Map` with
/// `preserve_order`, and like JSON itself, where member order carries no
/// meaning). Use ``orderedEquals(_:)`` when the order matters too. Hashing
/// is consistent with `==` (order-independent).
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// A member: its key and value.
    public typealias Element = (key: String, value: JSONValue)

    /// The keys, in order.
    public private(set) var keys: [String]
    private var storage: [String: JSONValue]

    /// An empty object.
    public init() {
        keys = []
        storage = [:]
    }

    /// An object with `members` in the given order; a repeated key keeps its
    /// first position and its last value (as serde_json does when parsing).
    public init<S: Sequence>(_ members: S) where S.Element == (String, JSONValue) {
        self.init()
        for (k, v) in members { self[k] = v }
    }

    /// An object with a dictionary's members, keys sorted (a dictionary has
    /// no order of its own).
    public init(_ dictionary: [String: JSONValue]) {
        self.init(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// An object from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// The value of `key` (`nil` when absent); setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Removes `key` and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = storage[key]
        self[key] = nil
        return old
    }

    /// The values, in key order.
    public var values: [JSONValue] { keys.map { storage[$0]! } }

    /// The members as a dictionary (order dropped).
    public var dictionary: [String: JSONValue] { storage }

    /// Whether `other` has the same members in the same order (values
    /// compared with `==`, nested objects with ``orderedEquals(_:)`` too).
    public func orderedEquals(_ other: JSONObject) -> Bool {
        guard keys == other.keys else { return false }
        return keys.allSatisfy { k in storage[k]!.orderedEquals(other.storage[k]!) }
    }

    // Collection
    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }
    public subscript(position: Int) -> Element {
        let k = keys[position]
        return (k, storage[k]!)
    }

    // Equality and hashing: order-independent.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
        var combined = 0
        for (k, v) in storage {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            combined ^= h.finalize()
        }
        hasher.combine(combined)
    }
}

extension JSONObject: Codable {
    public init(from decoder: Decoder) throws {
        if let reader = decoder as? JSONValueReader, case let .object(o) = reader.value {
            self = o
            return
        }
        let c = try decoder.container(keyedBy: AnyKey.self)
        self.init()
        // A foreign decoder (e.g. JSONDecoder) does not report member order.
        for key in c.allKeys { self[key.stringValue] = try c.decode(JSONValue.self, forKey: key) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for (k, v) in self { try c.encode(v, forKey: AnyKey(k)) }
    }
}

extension JSONObject: CustomStringConvertible {
    public var description: String { JSONValue.object(self).description }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

// MARK: - Equality

extension JSONValue {
    /// Equality: numbers by value (`.int(2) == .double(2)`), objects
    /// regardless of member order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    /// Like `==`, but objects (at any depth) must also have their members
    /// in the same order.
    public func orderedEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.orderedEquals($1) }
        case let (.object(a), .object(b)): return a.orderedEquals(b)
        default: return self == other
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(b): hasher.combine(b)
        case let .int(i): hasher.combine(Double(i))
        case let .double(d): hasher.combine(d)
        case let .string(s): hasher.combine(s)
        case let .array(a): hasher.combine(a)
        case let .object(o): hasher.combine(o)
        }
    }
}

// MARK: - Codable

extension JSONValue: Codable {
    /// Decodes any JSON value. Through ``JSONValueReader`` (what
    /// ``decode(_:)`` and the engine results use) object member order is
    /// kept; a `JSONDecoder` does not report it, so objects decoded by one
    /// get its key order (use ``init(jsonString:)`` for exact order).
    public init(from decoder: Decoder) throws {
        if let reader = decoder as? JSONValueReader {
            self = reader.value
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? c.decode(JSONObject.self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .object(o): try o.encode(to: encoder)
        default:
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case let .bool(b): try c.encode(b)
            case let .int(i): try c.encode(i)
            case let .double(d): try c.encode(d)
            case let .string(s): try c.encode(s)
            case let .array(a): try c.encode(a)
            case .object: break
            }
        }
    }
}

// MARK: - JSON text and typed helpers

extension JSONValue {
    /// Parses JSON text (RFC 8259); object members keep their order.
    public init(jsonString: String) throws {
        var text = jsonString
        self = try text.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes)
            return try parser.parseDocument()
        }
    }

    /// Parses JSON data (UTF-8); object members keep their order.
    public init(jsonData: Data) throws {
        self = try jsonData.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            return try parser.parseDocument()
        }
    }

    /// The value of an `Encodable` (members in the order `encoder` writes them).
    public init<T: Encodable>(encoding value: T, encoder: JSONEncoder = JSONEncoder()) throws {
        self = try JSONValue(jsonData: encoder.encode(value))
    }

    /// Compact JSON text, object members in order (serde_json's compact
    /// form: no whitespace, `/` and non-ASCII unescaped; non-finite numbers
    /// are written as `null`).
    public func jsonString() throws -> String {
        var out = ""
        JSONWriter.write(self, to: &out)
        return out
    }

    /// Decodes this value as `T`, reading it directly (no text round-trip;
    /// `JSONValue` members of `T` keep their object order). Key names are
    /// used as written (no key strategy).
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: JSONValueReader(value: self, codingPath: []))
    }

    /// Decodes this value as `T` with a `JSONDecoder` (for its key and
    /// date strategies), through JSON text.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder) throws -> T {
        try decoder.decode(T.self, from: Data(jsonString().utf8))
    }

    /// The member `key` of an object (`nil` otherwise).
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// The element `index` of an array (`nil` when out of range or not an array).
    public subscript(index: Int) -> JSONValue? {
        if case let .array(a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    /// The boolean, if this is one.
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    /// The integer, if this is an integral number.
    public var intValue: Int64? {
        switch self {
        case let .int(i): return i
        case let .double(d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
    /// The number, if this is one.
    public var doubleValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    /// The members in order, if this is an object.
    public var objectValue: JSONObject? { if case let .object(o) = self { return o }; return nil }
    /// The members as a dictionary (order dropped), if this is an object.
    public var dictionaryValue: [String: JSONValue]? { objectValue?.dictionary }
    /// Whether this is `null`.
    public var isNull: Bool { self == .null }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { (try? jsonString()) ?? "<invalid JSON>" }
}

// MARK: - Parser

/// A JSON syntax error: what was wrong and at which byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// Byte offset in the input.
    public var offset: Int
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func fail(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: i) }

    mutating func parseDocument() throws -> JSONValue {
        // A UTF-8 byte order mark is not JSON; reject like serde_json.
        skipWhitespace()
        let v = try parseValue()
        skipWhitespace()
        guard i == bytes.count else { throw fail("trailing characters") }
        return v
    }

    mutating func skipWhitespace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    mutating func expect(_ word: String, _ value: JSONValue) throws -> JSONValue {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw fail("expected \(word)") }
            i += 1
        }
        return value
    }

    mutating func parseValue() throws -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "["):
            depth += 1
            guard depth <= JSONParser.maxDepth else { throw fail("nested deeper than \(JSONParser.maxDepth)") }
            i += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                depth -= 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue())
                skipWhitespace()
                guard i < bytes.count else { throw fail("unterminated array") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                } else if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    depth -= 1
                    return .array(items)
                } else {
                    throw fail("expected , or ] in an array")
                }
            }
        case UInt8(ascii: "{"):
            depth += 1
            guard depth <= JSONParser.maxDepth else { throw fail("nested deeper than \(JSONParser.maxDepth)") }
            i += 1
            var object = JSONObject()
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                depth -= 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try parseString()
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
                i += 1
                skipWhitespace()
                object[key] = try parseValue()
                skipWhitespace()
                guard i < bytes.count else { throw fail("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                } else if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    depth -= 1
                    return .object(object)
                } else {
                    throw fail("expected , or } in an object")
                }
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = i
        var integral = true
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1 }
            return p.i - s
        }
        let intStart = i
        let n = digits(&self)
        guard n > 0 else { throw fail("expected a digit") }
        guard !(n > 1 && bytes[intStart] == UInt8(ascii: "0")) else { throw fail("leading zero in a number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard digits(&self) > 0 else { throw fail("expected a digit after .") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("expected a digit in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if integral, let v = Int64(text) { return .int(v) }
        guard let d = Double(text) else { throw fail("number out of range") }
        return .double(d)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw fail("bad hex digit in a \\u escape")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    mutating func parseString() throws -> String {
        i += 1  // opening quote
        var out = [UInt8]()
        var runStart = i
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<i])
                i += 1
                break
            } else if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[runStart..<i])
                i += 1
                guard i < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                        else { throw fail("lone leading surrogate in a \\u escape") }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw fail("lone trailing surrogate in a \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: String(Character(u)).utf8)
                default: throw fail("invalid escape")
                }
                runStart = i
            } else if b < 0x20 {
                throw fail("control character in a string")
            } else {
                i += 1
            }
        }
        guard let s = String(bytes: out, encoding: .utf8) else { throw fail("invalid UTF-8 in a string") }
        return s
    }
}

// MARK: - Writer

enum JSONWriter {
    static func write(_ v: JSONValue, to out: inout String) {
        switch v {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += number(d)
        case let .string(s): string(s, to: &out)
        case let .array(a):
            out += "["
            for (n, e) in a.enumerated() {
                if n > 0 { out += "," }
                write(e, to: &out)
            }
            out += "]"
        case let .object(o):
            out += "{"
            for (n, (k, e)) in o.enumerated() {
                if n > 0 { out += "," }
                string(k, to: &out)
                out += ":"
                write(e, to: &out)
            }
            out += "}"
        }
    }

    /// Shortest round-trip form; integral values keep a `.0` as serde_json
    /// writes them, exponents without `+` or leading zeros.
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        var s = "\(d)"
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = s[..<e]
            var exp = s[s.index(after: e)...]
            var sign = ""
            if exp.first == "+" || exp.first == "-" {
                if exp.first == "-" { sign = "-" }
                exp = exp.dropFirst()
            }
            while exp.count > 1, exp.first == "0" { exp = exp.dropFirst() }
            s = "\(mantissa)e\(sign)\(exp)"
        }
        return s
    }

    static func string(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
