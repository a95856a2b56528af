//! Delivery bodies (wire contract §8.4): the V3 envelope, and the legacy V2 / V1 shapes of
//! trigger messages for subscriptions that ask for them.

use serde_json::{json, Map, Value};

use super::subscriptions::{CONNECTION_EXPIRED, TRIGGER_MESSAGE};
use crate::triggers::instances::InstanceRow;

/// One event in every payload version it has.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPayloads {
    /// The message id (`msg_…` / `evt_…`): the V3 `id` and the `webhook-id` header.
    pub id: String,
    /// The event type.
    pub event_type: &'static str,
    /// The V3 body.
    pub v3: Value,
    /// The V2 body (trigger messages only).
    pub v2: Option<Value>,
    /// The V1 body (trigger messages only).
    pub v1: Option<Value>,
}

impl EventPayloads {
    /// The body for a subscription of `version`, if the event exists in that version.
    pub fn for_version(&self, version: &str) -> Option<&Value> {
        match version {
            "V3" => Some(&self.v3),
            "V2" => self.v2.as_ref(),
            "V1" => self.v1.as_ref(),
            _ => None,
        }
    }
}

/// A fired trigger: instance `instance` of `slug` produced event data `data`.
pub fn trigger_message(instance: &InstanceRow, data: &Value) -> EventPayloads {
    let id = crate::ids::new_id("msg");
    let log_id = crate::ids::new_id("log");
    let timestamp = crate::ids::now_iso();
    let slug = instance.trigger_slug.as_str();
    let v3 = json!({
        "id": id,
        "type": TRIGGER_MESSAGE,
        "timestamp": timestamp,
        "metadata": {
            "log_id": log_id,
            "trigger_slug": slug,
            "trigger_id": instance.id,
            "connected_account_id": instance.connected_account_id,
            "auth_config_id": instance.auth_config_id,
            "user_id": instance.user_id,
        },
        "data": data,
    });
    let mut v2_data = Map::new();
    v2_data.insert("connection_id".into(), json!(instance.connected_account_uuid));
    v2_data.insert("connection_nano_id".into(), json!(instance.connected_account_id));
    v2_data.insert("trigger_nano_id".into(), json!(instance.id));
    v2_data.insert("trigger_id".into(), json!(instance.uuid));
    v2_data.insert("user_id".into(), json!(instance.user_id));
    if let Value::Object(fields) = data {
        for (k, v) in fields {
            v2_data.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let v2 = json!({"type": slug.to_lowercase(), "timestamp": timestamp, "log_id": log_id, "data": v2_data});
    let v1 = json!({
        "trigger_name": slug.to_lowercase(),
        "trigger_id": instance.id,
        "connection_id": instance.connected_account_id,
        "payload": data,
        "log_id": log_id,
    });
    EventPayloads { id, event_type: TRIGGER_MESSAGE, v3, v2: Some(v2), v1: Some(v1) }
}

/// `composio.connected_account.expired` (V3 only): `account` is the account as
/// `GET /connected_accounts/{id}` returns it.
pub fn connection_expired(account: Value, project_id: &str, org_id: &str) -> EventPayloads {
    let id = crate::ids::new_id("evt");
    let v3 = json!({
        "id": id,
        "type": CONNECTION_EXPIRED,
        "timestamp": crate::ids::now_iso(),
        "metadata": {"project_id": project_id, "org_id": org_id},
        "data": account,
    });
    EventPayloads { id, event_type: CONNECTION_EXPIRED, v3, v2: None, v1: None }
}
