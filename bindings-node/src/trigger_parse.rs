//! `composio.triggers.parse(request)` without `verifySecret` (`@composio/core`
//! 0.21): the webhook body parsed and normalised with the TypeScript SDK's
//! rules, no signature check. (With `verifySecret` the TypeScript layer
//! calls `verifyWebhook`.)

use napi_derive::napi;
use serde_json::{json, Value};

use crate::error::guard_sync;

/// Parses a webhook body: `{version, payload, rawPayload}`, `payload` in the
/// `IncomingTriggerPayload` shape. A body that is not JSON, or not a known
/// webhook shape, is a `ComposioWebhookPayloadError`.
#[napi(catch_unwind)]
pub fn parse_webhook_payload(body: String) -> napi::Result<Value> {
    guard_sync(|| {
        let raw: Value = serde_json::from_str(&body).map_err(|e| composio_core::Error::WebhookPayload {
            message: format!("Failed to parse webhook payload as JSON: {e}"),
        })?;
        let (version, event) =
            composio_core::webhooks::parse_payload_as(&raw, composio_core::Flavor::TypeScript)?;
        Ok(json!({ "version": version.as_str(), "payload": event.to_ts_json(), "rawPayload": raw }))
    })
}
