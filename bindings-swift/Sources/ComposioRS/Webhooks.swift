import ComposioRSBindings
import Foundation

/// A verified webhook delivery.
public struct VerifiedWebhook: Sendable, Equatable {
    /// The detected payload version (`V1`, `V2`, `V3`).
    public var version: String
    /// The event in the TypeScript SDK's `IncomingTriggerPayload` shape.
    public var payload: JSONValue
    /// The body as parsed JSON.
    public var rawPayload: JSONValue
}

/// Triggers.
public enum Triggers {
    /// Verifies a webhook delivery (signature, timestamp tolerance, payload)
    /// the way the official TypeScript SDK does. `now` (Unix seconds)
    /// replaces the clock, for tests.
    public static func verifyWebhook(
        id: String, payload: String, signature: String, timestamp: String, secret: String,
        tolerance: Int64 = 300, now: Int64? = nil
    ) throws -> VerifiedWebhook {
        let text = try ComposioRSBindings.verifyWebhook(
            id: id, payload: payload, signature: signature, timestamp: timestamp, secret: secret,
            tolerance: tolerance, now: now)
        let v = try parseJSON(text)
        return VerifiedWebhook(
            version: v["version"]?.stringValue ?? "", payload: v["payload"] ?? .null,
            rawPayload: v["rawPayload"] ?? .null)
    }
}

extension Composio {
    /// Triggers (``Triggers/verifyWebhook(id:payload:signature:timestamp:secret:tolerance:now:)``).
    public var triggers: Triggers.Type { Triggers.self }
}
