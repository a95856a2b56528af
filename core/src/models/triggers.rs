//! Trigger events: the one normalised shape every webhook payload version
//! (V1, V2, V3) and every realtime event is turned into.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Webhook payload versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookVersion {
    /// Legacy V1 (`trigger_name`, `payload`, ...).
    V1,
    /// Legacy V2 (metadata mixed into `data`).
    V2,
    /// V3 (`type`, `metadata`, `data`), the default for new organisations.
    V3,
}

impl WebhookVersion {
    /// `"V1"`, `"V2"` or `"V3"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            WebhookVersion::V1 => "V1",
            WebhookVersion::V2 => "V2",
            WebhookVersion::V3 => "V3",
        }
    }
}

/// The connected account an event belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerEventConnectedAccount {
    /// Connected account id (`ca_…`).
    #[serde(default)]
    pub id: String,
    /// Legacy UUID (or the id again).
    #[serde(default)]
    pub uuid: String,
    /// Auth config id.
    #[serde(default)]
    pub auth_config_id: String,
    /// Legacy auth config UUID.
    #[serde(default)]
    pub auth_config_uuid: String,
    /// The user id.
    #[serde(default)]
    pub user_id: String,
    /// Account status.
    #[serde(default)]
    pub status: String,
}

/// Metadata of a trigger event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerEventMetadata {
    /// Trigger instance id (`ti_…`).
    #[serde(default)]
    pub id: String,
    /// Legacy UUID.
    #[serde(default)]
    pub uuid: String,
    /// Toolkit slug (upper-case).
    #[serde(default)]
    pub toolkit_slug: String,
    /// Trigger slug.
    #[serde(default)]
    pub trigger_slug: String,
    /// Opaque trigger data, when the source has it.
    #[serde(default)]
    pub trigger_data: Option<Value>,
    /// The trigger instance's configuration.
    #[serde(default)]
    pub trigger_config: Map<String, Value>,
    /// The connected account.
    #[serde(default)]
    pub connected_account: TriggerEventConnectedAccount,
}

/// A trigger event in the incoming-trigger shape of the official SDKs
/// (Python `TriggerEvent`, TypeScript `IncomingTriggerPayload`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerEvent {
    /// Trigger instance id (or event id for non-trigger events).
    #[serde(default)]
    pub id: String,
    /// Legacy UUID.
    #[serde(default)]
    pub uuid: String,
    /// The user id.
    #[serde(default)]
    pub user_id: String,
    /// Toolkit slug (upper-case).
    #[serde(default)]
    pub toolkit_slug: String,
    /// Trigger slug (or the event type for non-trigger events).
    #[serde(default)]
    pub trigger_slug: String,
    /// The event's data.
    #[serde(default)]
    pub payload: Value,
    /// The original payload, when the source keeps one.
    #[serde(default)]
    pub original_payload: Option<Value>,
    /// Metadata.
    #[serde(default)]
    pub metadata: TriggerEventMetadata,
}

impl TriggerEvent {
    /// The event in the official TypeScript SDK's `IncomingTriggerPayload`
    /// shape and key order (camelCase; note `authConfigUUID`; no
    /// `triggerData` unless present).
    pub fn to_ts_json(&self) -> Value {
        let ca = &self.metadata.connected_account;
        let mut metadata = Map::new();
        metadata.insert("id".into(), Value::String(self.metadata.id.clone()));
        metadata.insert("uuid".into(), Value::String(self.metadata.uuid.clone()));
        metadata.insert("toolkitSlug".into(), Value::String(self.metadata.toolkit_slug.clone()));
        metadata.insert("triggerSlug".into(), Value::String(self.metadata.trigger_slug.clone()));
        if let Some(d) = &self.metadata.trigger_data {
            metadata.insert("triggerData".into(), d.clone());
        }
        metadata.insert("triggerConfig".into(), Value::Object(self.metadata.trigger_config.clone()));
        metadata.insert(
            "connectedAccount".into(),
            serde_json::json!({
                "id": ca.id, "uuid": ca.uuid, "authConfigId": ca.auth_config_id,
                "authConfigUUID": ca.auth_config_uuid, "userId": ca.user_id, "status": ca.status,
            }),
        );
        let mut out = Map::new();
        out.insert("id".into(), Value::String(self.id.clone()));
        out.insert("uuid".into(), Value::String(self.uuid.clone()));
        out.insert("triggerSlug".into(), Value::String(self.trigger_slug.clone()));
        out.insert("toolkitSlug".into(), Value::String(self.toolkit_slug.clone()));
        out.insert("userId".into(), Value::String(self.user_id.clone()));
        out.insert("payload".into(), self.payload.clone());
        if let Some(o) = &self.original_payload {
            out.insert("originalPayload".into(), o.clone());
        }
        out.insert("metadata".into(), Value::Object(metadata));
        Value::Object(out)
    }
}
