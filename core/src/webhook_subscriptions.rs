//! The webhook subscriptions API: the project-level target that Composio
//! delivers signed trigger events (and other platform events) to.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//! use composio_core::webhook_subscriptions::WebhookSubscriptionSetParams;
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! let sub = composio
//!     .webhook_subscriptions()
//!     .set("https://example.com/webhooks/composio", WebhookSubscriptionSetParams::default())
//!     .await?;
//! if let Some(secret) = &sub.secret {
//!     // Store it: verify deliveries with it. Never log it.
//!     let _ = secret.expose();
//! }
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::Secret;
use crate::error::{Error, Result};
use crate::models::{Page, WebhookVersion};
use crate::transport::ApiRequest;
use crate::Composio;

/// The event type of fired triggers.
pub const TRIGGER_MESSAGE_EVENT: &str = "composio.trigger.message";
/// The event type of expired connected accounts (V3 payloads only).
pub const CONNECTION_EXPIRED_EVENT: &str = "composio.connected_account.expired";

/// Serde helpers that read and write a [`Secret`] as a plain string.
mod secret_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::config::Secret;

    pub(super) fn serialize<S: Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(secret) => s.serialize_some(secret.expose()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }

    pub(super) mod required {
        use serde::{Deserialize, Deserializer, Serializer};

        use crate::config::Secret;

        pub(in super::super) fn serialize<S: Serializer>(value: &Secret, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(value.expose())
        }

        pub(in super::super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
            Ok(Secret::new(String::deserialize(d)?))
        }
    }
}

/// A webhook subscription.
///
/// `Debug` never shows the signing secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookSubscription {
    /// Subscription id.
    pub id: String,
    /// Where deliveries are sent.
    #[serde(default)]
    pub webhook_url: String,
    /// Payload version (`V1`, `V2` or `V3`); see
    /// [`WebhookSubscription::webhook_version`].
    #[serde(default)]
    pub version: String,
    /// Event types delivered (for example `composio.trigger.message`).
    #[serde(default)]
    pub enabled_events: Vec<String>,
    /// The signing secret. The API returns it on create and rotate (other
    /// responses may omit or mask it). Read it with [`Secret::expose`].
    #[serde(default, with = "secret_serde", skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
    /// Creation time (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update time (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl WebhookSubscription {
    /// The payload version, when it is one this SDK knows.
    pub fn webhook_version(&self) -> Option<WebhookVersion> {
        match self.version.to_ascii_uppercase().as_str() {
            "V1" => Some(WebhookVersion::V1),
            "V2" => Some(WebhookVersion::V2),
            "V3" => Some(WebhookVersion::V3),
            _ => None,
        }
    }
}

/// Changes of [`WebhookSubscriptions::update`]; `None` = unchanged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookSubscriptionUpdateParams {
    /// New delivery URL.
    pub webhook_url: Option<String>,
    /// New set of event types.
    pub enabled_events: Option<Vec<String>>,
    /// New payload version.
    pub version: Option<WebhookVersion>,
}

/// Arguments of [`WebhookSubscriptions::set`]; `None` takes the defaults
/// `["composio.trigger.message"]` and `V3`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookSubscriptionSetParams {
    /// Event types (default `["composio.trigger.message"]`).
    pub enabled_events: Option<Vec<String>>,
    /// Payload version (default `V3`).
    pub version: Option<WebhookVersion>,
}

/// Response of [`WebhookSubscriptions::delete`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookSubscriptionDeleteResponse {
    /// Whether the subscription was deleted.
    #[serde(default)]
    pub success: bool,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Response of [`WebhookSubscriptions::rotate_secret`]. `Debug` never shows
/// the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookSecretRotation {
    /// Subscription id.
    #[serde(default)]
    pub id: String,
    /// The new signing secret.
    #[serde(with = "secret_serde::required")]
    pub secret: Secret,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One deliverable event type (`GET /webhook_subscriptions/event_types`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookEventTypeInfo {
    /// Event type, for example `composio.trigger.message`.
    #[serde(default)]
    pub event_type: String,
    /// What the event means.
    #[serde(default)]
    pub description: String,
    /// Payload versions that carry this event (`["V1", "V2", "V3"]`).
    #[serde(default)]
    pub supported_versions: Vec<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct EventTypeList {
    #[serde(default)]
    items: Vec<WebhookEventTypeInfo>,
}

/// The webhook subscriptions API (`/webhook_subscriptions`).
#[derive(Debug, Clone)]
pub struct WebhookSubscriptions {
    client: Composio,
}

impl Composio {
    /// The webhook subscriptions API.
    pub fn webhook_subscriptions(&self) -> WebhookSubscriptions {
        WebhookSubscriptions { client: self.clone() }
    }
}

fn require_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::validation("webhook subscription id must not be empty"));
    }
    Ok(())
}

fn check_url(url: &str) -> Result<()> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|e| Error::validation(format!("webhook_url {url:?} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::validation(format!(
            "webhook_url must be an http(s) URL, got scheme {}",
            parsed.scheme()
        )));
    }
    Ok(())
}

fn check_events(events: &[String]) -> Result<()> {
    if events.is_empty() {
        return Err(Error::validation("enabled_events must name at least one event type"));
    }
    if events.iter().any(|e| e.trim().is_empty()) {
        return Err(Error::validation("enabled_events must not contain empty strings"));
    }
    Ok(())
}

impl WebhookSubscriptions {
    /// Creates a subscription (`POST /webhook_subscriptions`). The response
    /// carries the signing secret. `version: None` lets the server choose.
    pub async fn create(
        &self,
        webhook_url: &str,
        enabled_events: Vec<String>,
        version: Option<WebhookVersion>,
    ) -> Result<WebhookSubscription> {
        check_url(webhook_url)?;
        check_events(&enabled_events)?;
        let mut body = Map::new();
        body.insert("webhook_url".into(), Value::String(webhook_url.to_owned()));
        body.insert("enabled_events".into(), Value::from(enabled_events));
        if let Some(v) = version {
            body.insert("version".into(), Value::String(v.as_str().into()));
        }
        let req = ApiRequest::post(["webhook_subscriptions"]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Lists subscriptions (`GET /webhook_subscriptions`).
    pub async fn list(
        &self,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<Page<WebhookSubscription>> {
        if limit == Some(0) {
            return Err(Error::validation("limit must be at least 1"));
        }
        let req =
            ApiRequest::get(["webhook_subscriptions"]).query_opt("limit", limit).query_opt("cursor", cursor);
        self.client.transport().json(&req).await
    }

    /// One subscription (`GET /webhook_subscriptions/{id}`).
    pub async fn get(&self, id: &str) -> Result<WebhookSubscription> {
        require_id(id)?;
        self.client.transport().json(&ApiRequest::get(["webhook_subscriptions", id])).await
    }

    /// Changes a subscription (`PATCH /webhook_subscriptions/{id}`); only
    /// the given fields are sent.
    pub async fn update(
        &self,
        id: &str,
        params: WebhookSubscriptionUpdateParams,
    ) -> Result<WebhookSubscription> {
        require_id(id)?;
        let mut body = Map::new();
        if let Some(url) = params.webhook_url {
            check_url(&url)?;
            body.insert("webhook_url".into(), Value::String(url));
        }
        if let Some(events) = params.enabled_events {
            check_events(&events)?;
            body.insert("enabled_events".into(), Value::from(events));
        }
        if let Some(v) = params.version {
            body.insert("version".into(), Value::String(v.as_str().into()));
        }
        if body.is_empty() {
            return Err(Error::validation(
                "update needs at least one of webhook_url, enabled_events or version",
            ));
        }
        let req = ApiRequest::patch(["webhook_subscriptions", id]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Deletes a subscription (`DELETE /webhook_subscriptions/{id}`).
    pub async fn delete(&self, id: &str) -> Result<WebhookSubscriptionDeleteResponse> {
        require_id(id)?;
        self.client.transport().json(&ApiRequest::delete(["webhook_subscriptions", id])).await
    }

    /// Issues a new signing secret
    /// (`POST /webhook_subscriptions/{id}/rotate_secret`).
    pub async fn rotate_secret(&self, id: &str) -> Result<WebhookSecretRotation> {
        require_id(id)?;
        let req = ApiRequest::post(["webhook_subscriptions", id, "rotate_secret"]);
        self.client.transport().json(&req).await
    }

    /// The event types a subscription can enable
    /// (`GET /webhook_subscriptions/event_types`).
    pub async fn list_event_types(&self) -> Result<Vec<WebhookEventTypeInfo>> {
        let req = ApiRequest::get(["webhook_subscriptions", "event_types"]);
        let list: EventTypeList = self.client.transport().json(&req).await?;
        Ok(list.items)
    }

    /// Makes the project's subscription deliver to `webhook_url`, like the
    /// newest official SDKs' `webhooks.subscriptions.set`: lists with
    /// `limit=1`, then updates the first subscription or creates one.
    /// Defaults: `enabled_events = ["composio.trigger.message"]`,
    /// `version = V3`. Only a created subscription is sure to carry the
    /// secret; call [`WebhookSubscriptions::rotate_secret`] for a new one.
    pub async fn set(
        &self,
        webhook_url: &str,
        params: WebhookSubscriptionSetParams,
    ) -> Result<WebhookSubscription> {
        check_url(webhook_url)?;
        let events = params.enabled_events.unwrap_or_else(|| vec![TRIGGER_MESSAGE_EVENT.to_owned()]);
        check_events(&events)?;
        let version = params.version.unwrap_or(WebhookVersion::V3);
        let existing = self.list(Some(1), None).await?;
        match existing.items.into_iter().next() {
            Some(first) => {
                self.update(
                    &first.id,
                    WebhookSubscriptionUpdateParams {
                        webhook_url: Some(webhook_url.to_owned()),
                        enabled_events: Some(events),
                        version: Some(version),
                    },
                )
                .await
            }
            None => self.create(webhook_url, events, Some(version)).await,
        }
    }
}
