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

/// Triggers: types, instances, realtime subscriptions and webhook
/// verification. Get it with ``Composio/triggers``.
public struct Triggers: Sendable {
    let composio: Composio

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

extension Triggers {
    /// Verifies a webhook delivery (same as the static
    /// ``Triggers/verifyWebhook(id:payload:signature:timestamp:secret:tolerance:now:)``).
    public func verifyWebhook(
        id: String, payload: String, signature: String, timestamp: String, secret: String,
        tolerance: Int64 = 300, now: Int64? = nil
    ) throws -> VerifiedWebhook {
        try Triggers.verifyWebhook(
            id: id, payload: payload, signature: signature, timestamp: timestamp, secret: secret,
            tolerance: tolerance, now: now)
    }

    /// Verifies a delivery from its HTTP headers (`webhook-id`,
    /// `webhook-signature`, `webhook-timestamp`; names compared
    /// case-insensitively) and raw body.
    public static func verifyWebhook(
        headers: [String: String], payload: String, secret: String, tolerance: Int64 = 300
    ) throws -> VerifiedWebhook {
        func header(_ name: String) throws -> String {
            if let v = headers.first(where: { $0.key.lowercased() == name })?.value { return v }
            throw ComposioError.Webhook(
                code: "WEBHOOK_SIGNATURE_VERIFICATION_FAILED", message: "missing \(name) header")
        }
        return try verifyWebhook(
            id: try header("webhook-id"), payload: payload, signature: try header("webhook-signature"),
            timestamp: try header("webhook-timestamp"), secret: secret, tolerance: tolerance)
    }

    /// One page of trigger types (optionally of some toolkits).
    public func listTypes(toolkits: [String] = [], limit: UInt32? = nil, cursor: String? = nil) async throws -> Page {
        try Page(
            try parseJSON(
                try await engine {
                    try await composio.ffi.triggersListTypes(toolkitSlugs: toolkits, limit: limit, cursor: cursor)
                }))
    }

    /// One trigger type (its config and payload schemas).
    public func getType(_ slug: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.triggersGetType(slug: slug) })
    }

    /// Every trigger slug.
    public func listEnum() async throws -> [String] {
        try await engine { try await composio.ffi.triggersListEnum() }
    }

    /// Creates (or updates: the API upserts) a trigger instance on the
    /// user's newest account of the toolkit, or on `connectedAccountId`.
    /// Returns the trigger id.
    @discardableResult
    public func create(
        _ slug: String, userId: String? = nil, connectedAccountId: String? = nil, triggerConfig: JSONValue? = nil
    ) async throws -> String {
        let config = try triggerConfig.map { try $0.jsonString() }
        let out = try parseJSON(
            try await engine {
                try await composio.ffi.triggersCreate(
                    slug: slug, userId: userId, connectedAccountId: connectedAccountId, triggerConfig: config)
            })
        return out["trigger_id"]?.stringValue ?? ""
    }

    /// Same as ``create(_:userId:connectedAccountId:triggerConfig:)`` (the API call is an upsert).
    @discardableResult
    public func upsert(
        _ slug: String, userId: String? = nil, connectedAccountId: String? = nil, triggerConfig: JSONValue? = nil
    ) async throws -> String {
        try await create(slug, userId: userId, connectedAccountId: connectedAccountId, triggerConfig: triggerConfig)
    }

    /// One page of active trigger instances.
    public func listActive(
        triggerIds: [String] = [], triggerNames: [String] = [], authConfigIds: [String] = [],
        connectedAccountIds: [String] = [], userIds: [String] = [], showDisabled: Bool? = nil,
        limit: UInt32? = nil, cursor: String? = nil
    ) async throws -> Page {
        let p = FfiTriggerListActiveParams(
            triggerIds: triggerIds, triggerNames: triggerNames, authConfigIds: authConfigIds,
            connectedAccountIds: connectedAccountIds, userIds: userIds, showDisabled: showDisabled, limit: limit,
            cursor: cursor)
        return try Page(try parseJSON(try await engine { try await composio.ffi.triggersListActive(params: p) }))
    }

    /// Enables a trigger instance.
    @discardableResult
    public func enable(_ triggerId: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.triggersSetEnabled(triggerId: triggerId, enabled: true) })
    }

    /// Disables a trigger instance.
    @discardableResult
    public func disable(_ triggerId: String) async throws -> JSONValue {
        try parseJSON(
            try await engine { try await composio.ffi.triggersSetEnabled(triggerId: triggerId, enabled: false) })
    }

    /// Deletes a trigger instance.
    @discardableResult
    public func delete(_ triggerId: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.triggersDelete(triggerId: triggerId) })
    }

    /// Subscribes to the project's trigger events over the realtime
    /// (Pusher) channel; returns once subscribed. Read events from
    /// ``TriggerSubscription/events``. The subscription stops on
    /// ``TriggerSubscription/stop()`` or when the handle is released.
    public func subscribe(
        _ filters: TriggerFilters = TriggerFilters(), connectTimeout: TimeInterval? = nil
    ) async throws -> TriggerSubscription {
        let f = filters.ffi
        let sub = try await engine {
            try await composio.ffi.triggersSubscribe(filters: f, connectTimeoutSeconds: connectTimeout)
        }
        return TriggerSubscription(ffi: sub, handler: nil)
    }

    /// Like ``subscribe(_:connectTimeout:)``, calling `handler` for each
    /// event (one at a time, in arrival order) instead of filling
    /// ``TriggerSubscription/events``.
    public func subscribe(
        _ filters: TriggerFilters = TriggerFilters(), connectTimeout: TimeInterval? = nil,
        handler: @escaping @Sendable (TriggerEvent) async -> Void
    ) async throws -> TriggerSubscription {
        let f = filters.ffi
        let sub = try await engine {
            try await composio.ffi.triggersSubscribe(filters: f, connectTimeoutSeconds: connectTimeout)
        }
        return TriggerSubscription(ffi: sub, handler: handler)
    }
}

/// Which realtime events a subscription delivers. Empty lists accept any
/// value; values compare case-insensitively.
public struct TriggerFilters: Sendable, Equatable {
    /// Trigger slugs (`NOTES_NOTE_CREATED`).
    public var triggerSlug: [String]
    /// Trigger instance ids (`ti_…`).
    public var triggerId: [String]
    /// Toolkit slugs.
    public var toolkit: [String]
    /// User ids.
    public var userId: [String]
    /// Auth config ids.
    public var authConfigId: [String]
    /// Connected account ids.
    public var connectedAccountId: [String]

    /// Filters (all empty: every event).
    public init(
        triggerSlug: [String] = [], triggerId: [String] = [], toolkit: [String] = [], userId: [String] = [],
        authConfigId: [String] = [], connectedAccountId: [String] = []
    ) {
        self.triggerSlug = triggerSlug
        self.triggerId = triggerId
        self.toolkit = toolkit
        self.userId = userId
        self.authConfigId = authConfigId
        self.connectedAccountId = connectedAccountId
    }

    var ffi: FfiSubscriptionFilters {
        FfiSubscriptionFilters(
            triggerSlug: triggerSlug, triggerId: triggerId, toolkit: toolkit, userId: userId,
            authConfigId: authConfigId, connectedAccountId: connectedAccountId)
    }
}

/// A trigger event in the TypeScript SDK's `IncomingTriggerPayload` shape.
public struct TriggerEvent: Sendable, Equatable {
    /// Event id.
    public var id: String
    /// Trigger slug (`NOTES_NOTE_CREATED`).
    public var triggerSlug: String
    /// Toolkit slug.
    public var toolkitSlug: String
    /// The user the trigger belongs to.
    public var userId: String
    /// The event's data.
    public var payload: JSONValue
    /// Metadata (`id` = trigger instance id, `connectedAccount`, ...).
    public var metadata: JSONValue
    /// The whole event as received.
    public var raw: JSONValue

    init(_ v: JSONValue) {
        id = v["id"]?.stringValue ?? ""
        triggerSlug = v["triggerSlug"]?.stringValue ?? ""
        toolkitSlug = v["toolkitSlug"]?.stringValue ?? ""
        userId = v["userId"]?.stringValue ?? ""
        payload = v["payload"] ?? .null
        metadata = v["metadata"] ?? .null
        raw = v
    }
}

/// A running realtime subscription. Events arrive on ``events`` (or the
/// handler given to `subscribe`) until ``stop()`` is called or the handle
/// is released; then ``events`` finishes.
public final class TriggerSubscription: Sendable {
    let ffi: FfiTriggerSubscription
    /// The events, in arrival order. Finishes when the subscription stops.
    /// Empty when a handler was given to `subscribe`.
    public let events: AsyncStream<TriggerEvent>

    init(ffi: FfiTriggerSubscription, handler: (@Sendable (TriggerEvent) async -> Void)?) {
        self.ffi = ffi
        let (stream, continuation) = AsyncStream<TriggerEvent>.makeStream(bufferingPolicy: .unbounded)
        events = stream
        // The pump holds the FFI object, never `self`, so releasing the
        // handle runs `deinit`, which stops the subscription and ends the pump.
        Task { [ffi] in
            while let text = await ffi.nextEvent() {
                guard let value = try? JSONValue(jsonString: text) else { continue }
                let event = TriggerEvent(value)
                if let handler { await handler(event) } else { continuation.yield(event) }
            }
            continuation.finish()
        }
    }

    deinit { ffi.stop() }

    /// Stops the subscription (idempotent); ``events`` then finishes.
    public func stop() { ffi.stop() }

    /// Whether the subscription is still running (connected or reconnecting).
    public var isAlive: Bool { ffi.isAlive() }
}

/// Webhook subscriptions: where Composio sends signed trigger deliveries.
public struct WebhookSubscriptions: Sendable {
    let composio: Composio

    /// Creates a subscription for `url` (events default to
    /// `composio.trigger.message`, payload version `V3`). The result holds
    /// `id` and the signing `secret` (keep it secret).
    public func create(
        url: String, events: [String] = ["composio.trigger.message"], version: String? = "V3"
    ) async throws -> JSONValue {
        try parseJSON(
            try await engine {
                try await composio.ffi.webhookSubscriptionsCreate(
                    webhookUrl: url, enabledEvents: events, version: version)
            })
    }

    /// Deletes a subscription.
    @discardableResult
    public func delete(_ id: String) async throws -> JSONValue {
        try parseJSON(try await engine { try await composio.ffi.webhookSubscriptionsDelete(id: id) })
    }
}
