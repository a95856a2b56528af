//! Webhook verification, signing, and payload version detection.
//! PLACEHOLDER: replaced by the webhooks change; only the signature below is fixed.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::models::{TriggerEvent, WebhookVersion};

/// Detects the version of a parsed webhook body (V3, then V2, then V1) and
/// normalises it to a [`TriggerEvent`].
pub fn parse_payload(value: &Value) -> Result<(WebhookVersion, TriggerEvent)> {
    let _ = value;
    Err(Error::WebhookPayload { message: "placeholder".into() })
}
