//! Webhook verification (TypeScript SDK flavour), synchronous.

use composio_core::webhooks::{
    verify_webhook as verify, verify_webhook_at, VerifyWebhookParams, DEFAULT_TOLERANCE_SECS,
};
use composio_core::Flavor;
use serde_json::json;

use crate::error::FfiResult;
use crate::json;

/// Verifies a webhook delivery and returns
/// `{"version", "payload", "rawPayload"}` with `payload` in the TypeScript
/// SDK's `IncomingTriggerPayload` shape. `tolerance` defaults to 300 s;
/// `now` (Unix seconds) replaces the clock, for tests.
#[uniffi::export]
pub fn verify_webhook(
    id: String,
    payload: String,
    signature: String,
    timestamp: String,
    secret: String,
    tolerance: Option<i64>,
    now: Option<i64>,
) -> FfiResult<String> {
    let p = VerifyWebhookParams::new(&id, &payload, &signature, &timestamp, &secret)
        .with_tolerance(tolerance.unwrap_or(DEFAULT_TOLERANCE_SECS))
        .with_flavor(Flavor::TypeScript);
    let v = match now {
        Some(now) => verify_webhook_at(&p, now)?,
        None => verify(&p)?,
    };
    Ok(json::encode(
        &json!({ "version": v.version.as_str(), "payload": v.payload.to_ts_json(), "rawPayload": v.raw_payload }),
    )?)
}
