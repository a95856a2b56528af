//! Triggers (types, instances), webhook subscriptions and realtime
//! subscriptions.

use std::sync::Arc;

use composio_core::models::{TriggerEvent, WebhookVersion};
use composio_core::triggers::{
    RealtimeOptions, TriggerCreateParams, TriggerListActiveParams, TriggerSubscription,
    TriggerSubscriptionFilters, TriggerTypeListParams,
};
use composio_core::Error as CoreError;
use serde_json::Value;
use tokio::sync::{mpsc, Mutex};

use crate::client::{seconds, FfiComposio};
use crate::error::FfiResult;
use crate::json;

/// Filters of `triggers.listActive`.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct FfiTriggerListActiveParams {
    /// Only these trigger instance ids.
    pub trigger_ids: Vec<String>,
    /// Only these trigger slugs.
    pub trigger_names: Vec<String>,
    /// Only these auth configs.
    pub auth_config_ids: Vec<String>,
    /// Only these connected accounts.
    pub connected_account_ids: Vec<String>,
    /// Only these users.
    pub user_ids: Vec<String>,
    /// Include disabled instances.
    pub show_disabled: Option<bool>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page.
    pub cursor: Option<String>,
}

/// Which realtime events a subscription delivers (empty = any;
/// case-insensitive).
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct FfiSubscriptionFilters {
    /// Trigger slugs.
    pub trigger_slug: Vec<String>,
    /// Trigger instance ids.
    pub trigger_id: Vec<String>,
    /// Toolkit slugs.
    pub toolkit: Vec<String>,
    /// User ids.
    pub user_id: Vec<String>,
    /// Auth config ids.
    pub auth_config_id: Vec<String>,
    /// Connected account ids.
    pub connected_account_id: Vec<String>,
}

fn version(v: Option<String>) -> Result<Option<WebhookVersion>, CoreError> {
    match v.as_deref() {
        None => Ok(None),
        Some("V1") => Ok(Some(WebhookVersion::V1)),
        Some("V2") => Ok(Some(WebhookVersion::V2)),
        Some("V3") => Ok(Some(WebhookVersion::V3)),
        Some(other) => Err(CoreError::validation(format!("version must be V1, V2 or V3, got {other:?}"))),
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiComposio {
    /// One page of trigger types.
    pub async fn triggers_list_types(
        &self,
        toolkit_slugs: Vec<String>,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> FfiResult<String> {
        let params = TriggerTypeListParams { cursor, limit, toolkit_slugs };
        Ok(json::encode(&self.client.triggers().list_types(params).await?)?)
    }

    /// One trigger type.
    pub async fn triggers_get_type(&self, slug: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.triggers().get_type(&slug).await?)?)
    }

    /// Every trigger slug.
    pub async fn triggers_list_enum(&self) -> FfiResult<Vec<String>> {
        Ok(self.client.triggers().list_enum().await?)
    }

    /// Creates (or updates) a trigger instance for a user's newest account
    /// of the toolkit, or for a connected account; `trigger_config` is a
    /// JSON object. Returns `{trigger_id, ...}`.
    pub async fn triggers_create(
        &self,
        slug: String,
        user_id: Option<String>,
        connected_account_id: Option<String>,
        trigger_config: Option<String>,
    ) -> FfiResult<String> {
        let trigger_config = match trigger_config {
            None => None,
            Some(s) => Some(json::object("triggerConfig", Some(&s))?),
        };
        let params = TriggerCreateParams { user_id, connected_account_id, trigger_config };
        Ok(json::encode(&self.client.triggers().create(&slug, params).await?)?)
    }

    /// One page of active trigger instances.
    pub async fn triggers_list_active(&self, params: FfiTriggerListActiveParams) -> FfiResult<String> {
        let p = TriggerListActiveParams {
            trigger_ids: params.trigger_ids,
            trigger_names: params.trigger_names,
            auth_config_ids: params.auth_config_ids,
            connected_account_ids: params.connected_account_ids,
            user_ids: params.user_ids,
            show_disabled: params.show_disabled,
            limit: params.limit,
            cursor: params.cursor,
        };
        Ok(json::encode(&self.client.triggers().list_active(p).await?)?)
    }

    /// Enables (`true`) or disables (`false`) a trigger instance.
    pub async fn triggers_set_enabled(&self, trigger_id: String, enabled: bool) -> FfiResult<String> {
        let t = self.client.triggers();
        let out = if enabled { t.enable(&trigger_id).await? } else { t.disable(&trigger_id).await? };
        Ok(json::encode(&out)?)
    }

    /// Deletes a trigger instance.
    pub async fn triggers_delete(&self, trigger_id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.triggers().delete(&trigger_id).await?)?)
    }

    /// Subscribes to the project's realtime trigger events; returns once the
    /// channel subscription succeeded. `connect_timeout_seconds` bounds
    /// that (default 15 s).
    pub async fn triggers_subscribe(
        &self,
        filters: FfiSubscriptionFilters,
        connect_timeout_seconds: Option<f64>,
    ) -> FfiResult<Arc<FfiTriggerSubscription>> {
        let f = TriggerSubscriptionFilters {
            trigger_slug: filters.trigger_slug,
            trigger_id: filters.trigger_id,
            toolkit: filters.toolkit,
            user_id: filters.user_id,
            auth_config_id: filters.auth_config_id,
            connected_account_id: filters.connected_account_id,
            ..TriggerSubscriptionFilters::default()
        };
        let mut options = RealtimeOptions::default();
        if let Some(s) = connect_timeout_seconds {
            options.connect_timeout = seconds("connectTimeout", s)?;
        }
        let (sub, rx) = self.client.triggers().subscribe_channel_with_options(f, options).await?;
        Ok(Arc::new(FfiTriggerSubscription { sub, rx: Mutex::new(rx) }))
    }

    /// Creates a webhook subscription (`version` `V1`/`V2`/`V3`); the
    /// returned JSON includes the signing `secret`.
    pub async fn webhook_subscriptions_create(
        &self,
        webhook_url: String,
        enabled_events: Vec<String>,
        version: Option<String>,
    ) -> FfiResult<String> {
        let v = self::version(version)?;
        let sub = self.client.webhook_subscriptions().create(&webhook_url, enabled_events, v).await?;
        let mut out = serde_json::to_value(&sub)
            .map_err(|e| CoreError::internal(format!("could not serialise a result: {e}")))?;
        if let (Some(secret), Value::Object(m)) = (&sub.secret, &mut out) {
            m.insert("secret".into(), Value::String(secret.expose().to_owned()));
        }
        Ok(json::encode(&out)?)
    }

    /// Deletes a webhook subscription.
    pub async fn webhook_subscriptions_delete(&self, id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.webhook_subscriptions().delete(&id).await?)?)
    }
}

/// A running realtime subscription. Events are pulled with
/// [`FfiTriggerSubscription::next_event`]; [`FfiTriggerSubscription::stop`]
/// (or dropping the object) closes the socket.
#[derive(uniffi::Object)]
pub struct FfiTriggerSubscription {
    sub: TriggerSubscription,
    rx: Mutex<mpsc::Receiver<TriggerEvent>>,
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiTriggerSubscription {
    /// The next event (TS SDK `IncomingTriggerPayload` JSON), or `None`
    /// once the subscription has stopped.
    pub async fn next_event(&self) -> Option<String> {
        let mut rx = self.rx.lock().await;
        loop {
            if !self.sub.is_alive() {
                return None;
            }
            tokio::select! {
                ev = rx.recv() => {
                    // An event that cannot be serialised (impossible for
                    // values parsed from JSON) is skipped.
                    if let Ok(s) = json::encode(&ev?.to_ts_json()) {
                        return Some(s);
                    }
                }
                () = self.sub.wait() => return None,
            }
        }
    }

    /// Stops the subscription (idempotent).
    pub fn stop(&self) {
        self.sub.stop();
    }

    /// Whether the subscription is still running.
    pub fn is_alive(&self) -> bool {
        self.sub.is_alive()
    }
}
