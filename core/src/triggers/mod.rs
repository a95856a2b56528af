//! Triggers: trigger types, trigger instances (create / list / enable /
//! disable / delete) and the realtime subscription to trigger events
//! ([`Triggers::subscribe`], see [`realtime`]).
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//! use composio_core::triggers::{TriggerCreateParams, TriggerSubscriptionFilters};
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! let created = composio
//!     .triggers()
//!     .create("GITHUB_COMMIT_EVENT", TriggerCreateParams::for_user("user-1"))
//!     .await?;
//! println!("trigger {}", created.trigger_id);
//!
//! let sub = composio
//!     .triggers()
//!     .subscribe(TriggerSubscriptionFilters::default().toolkit("github"), |event| {
//!         println!("{} fired for {}", event.trigger_slug, event.user_id);
//!     })
//!     .await?;
//! sub.wait().await;
//! # Ok(()) }
//! ```

pub mod realtime;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::models::Page;
use crate::transport::ApiRequest;
use crate::Composio;

pub use realtime::{
    RealtimeCredentials, RealtimeError, RealtimeItem, RealtimeOptions, TriggerSubscription,
    TriggerSubscriptionFilters,
};

/// The toolkit a trigger type belongs to (same shape as a tool's).
pub type TriggerTypeToolkit = crate::models::ToolToolkitRef;

/// A trigger type (`GET /triggers_types/{slug}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerType {
    /// Trigger slug, for example `GITHUB_COMMIT_EVENT`.
    pub slug: String,
    /// Human-readable name.
    #[serde(default)]
    pub name: String,
    /// What the trigger does.
    #[serde(default)]
    pub description: String,
    /// Set-up instructions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// `webhook` or `poll`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub trigger_type: Option<String>,
    /// Version of the trigger type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The toolkit the trigger belongs to.
    #[serde(default)]
    pub toolkit: TriggerTypeToolkit,
    /// JSON Schema of the `trigger_config` a trigger instance takes.
    #[serde(default)]
    pub config: Value,
    /// JSON Schema of the event data the trigger delivers.
    #[serde(default)]
    pub payload: Value,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Query of [`Triggers::list_types`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriggerTypeListParams {
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size.
    pub limit: Option<u32>,
    /// Only trigger types of these toolkits (sent as one comma-joined
    /// `toolkit_slugs` parameter).
    pub toolkit_slugs: Vec<String>,
}

/// Arguments of [`Triggers::create`]: give a `connected_account_id`, or a
/// `user_id` whose newest connected account for the trigger's toolkit is
/// used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriggerCreateParams {
    /// The user whose newest connected account (for the trigger's toolkit)
    /// is used when `connected_account_id` is not given.
    pub user_id: Option<String>,
    /// The connected account (`ca_…`) the trigger listens on.
    pub connected_account_id: Option<String>,
    /// The trigger instance's configuration (see [`TriggerType::config`]).
    pub trigger_config: Option<Map<String, Value>>,
}

impl TriggerCreateParams {
    /// Parameters using the newest connected account of `user_id`.
    pub fn for_user(user_id: impl Into<String>) -> Self {
        Self { user_id: Some(user_id.into()), ..Self::default() }
    }

    /// Parameters using this connected account.
    pub fn for_connected_account(connected_account_id: impl Into<String>) -> Self {
        Self { connected_account_id: Some(connected_account_id.into()), ..Self::default() }
    }

    /// Sets the trigger configuration.
    pub fn with_trigger_config(mut self, config: Map<String, Value>) -> Self {
        self.trigger_config = Some(config);
        self
    }
}

/// Response of [`Triggers::create`] (`POST /trigger_instances/{slug}/upsert`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerCreateResponse {
    /// The trigger instance id (`ti_…`).
    pub trigger_id: String,
    /// Legacy fields (`{"uuid"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Query of [`Triggers::list_active`]. List filters are sent comma-joined;
/// empty lists and `None` are omitted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriggerListActiveParams {
    /// Only these trigger instance ids.
    pub trigger_ids: Vec<String>,
    /// Only these trigger slugs (case-insensitive on the server).
    pub trigger_names: Vec<String>,
    /// Only instances on these auth configs.
    pub auth_config_ids: Vec<String>,
    /// Only instances on these connected accounts.
    pub connected_account_ids: Vec<String>,
    /// Only instances of these users.
    pub user_ids: Vec<String>,
    /// Include disabled instances.
    pub show_disabled: Option<bool>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A trigger instance (an item of `GET /trigger_instances/active`).
///
/// The API also sends camelCase twins of several fields
/// (`connectedAccountId`, `triggerName`, `triggerConfig`, `disabledAt`,
/// `updatedAt`); they stay in [`TriggerInstance::extra`] and fill the
/// snake_case fields when those are missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerInstance {
    /// Trigger instance id (`ti_…`).
    pub id: String,
    /// Legacy UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// The user the instance belongs to.
    #[serde(default)]
    pub user_id: String,
    /// The connected account (`ca_…`).
    #[serde(default)]
    pub connected_account_id: String,
    /// Legacy UUID of the connected account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_account_uuid: Option<String>,
    /// The trigger slug.
    #[serde(default)]
    pub trigger_name: String,
    /// The instance's configuration.
    #[serde(default)]
    pub trigger_config: Map<String, Value>,
    /// Opaque trigger data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_data: Option<Value>,
    /// The instance's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
    /// Version of the trigger type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the instance was disabled (`None` when enabled).
    #[serde(default)]
    pub disabled_at: Option<String>,
    /// When the instance was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Legacy fields (`{"createdAt"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Value>,
    /// Fields this SDK does not know (including the camelCase twins), kept
    /// as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TriggerInstance {
    /// Whether the instance is enabled (`disabled_at` is empty).
    pub fn is_enabled(&self) -> bool {
        self.disabled_at.as_deref().is_none_or(str::is_empty)
    }

    fn fill_from_camel_twins(&mut self) {
        let twin_str = |extra: &Map<String, Value>, key: &str| {
            extra.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
        };
        if self.connected_account_id.is_empty() {
            if let Some(v) = twin_str(&self.extra, "connectedAccountId") {
                self.connected_account_id = v;
            }
        }
        if self.trigger_name.is_empty() {
            if let Some(v) = twin_str(&self.extra, "triggerName") {
                self.trigger_name = v;
            }
        }
        if self.trigger_config.is_empty() {
            if let Some(Value::Object(m)) = self.extra.get("triggerConfig") {
                self.trigger_config = m.clone();
            }
        }
        if self.disabled_at.is_none() {
            self.disabled_at = twin_str(&self.extra, "disabledAt");
        }
        if self.updated_at.is_none() {
            self.updated_at = twin_str(&self.extra, "updatedAt");
        }
    }
}

/// Response of [`Triggers::enable`] / [`Triggers::disable`]
/// (`{"status": "success"}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerStatusResponse {
    /// `success`.
    #[serde(default)]
    pub status: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Response of [`Triggers::delete`] (`{"trigger_id"}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerDeleteResponse {
    /// The deleted trigger instance id.
    #[serde(default)]
    pub trigger_id: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A connected account as far as [`Triggers::create`] needs it.
#[derive(Debug, Clone, Default, Deserialize)]
struct AccountRef {
    #[serde(default)]
    id: String,
    #[serde(default)]
    created_at: Option<String>,
}

/// Trigger types, trigger instances and realtime trigger events.
#[derive(Debug, Clone)]
pub struct Triggers {
    pub(crate) client: Composio,
}

impl Composio {
    /// Trigger types, trigger instances and realtime trigger events.
    pub fn triggers(&self) -> Triggers {
        Triggers { client: self.clone() }
    }
}

pub(crate) fn require_non_empty(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(format!("{what} must not be empty")));
    }
    Ok(())
}

fn require_items(what: &str, values: &[String]) -> Result<()> {
    if values.iter().any(|v| v.trim().is_empty()) {
        return Err(Error::validation(format!("{what} must not contain empty strings")));
    }
    Ok(())
}

impl Triggers {
    /// Lists trigger types (`GET /triggers_types`), sending the client's
    /// `toolkit_versions`.
    pub async fn list_types(&self, params: TriggerTypeListParams) -> Result<Page<TriggerType>> {
        require_items("toolkit_slugs", &params.toolkit_slugs)?;
        if params.limit == Some(0) {
            return Err(Error::validation("limit must be at least 1"));
        }
        let req = ApiRequest::get(["triggers_types"])
            .query_list("toolkit_slugs", &params.toolkit_slugs)
            .query_opt("cursor", params.cursor)
            .query_opt("limit", params.limit)
            .query_pairs(self.client.config().toolkit_versions.query_pairs());
        self.client.transport().json(&req).await
    }

    /// One trigger type (`GET /triggers_types/{slug}`), at the client's
    /// toolkit version.
    pub async fn get_type(&self, slug: &str) -> Result<TriggerType> {
        require_non_empty("trigger slug", slug)?;
        let req = ApiRequest::get(["triggers_types", slug])
            .query_pairs(self.client.config().toolkit_versions.query_pairs());
        self.client.transport().json(&req).await
    }

    /// Every trigger slug (`GET /triggers_types/list/enum`).
    pub async fn list_enum(&self) -> Result<Vec<String>> {
        let req = ApiRequest::get(["triggers_types", "list", "enum"]);
        let value: Value = self.client.transport().json(&req).await?;
        // The API documents an array of strings; tolerate the array arriving
        // as a JSON-encoded string, as its description suggests.
        let value = match value {
            Value::String(s) => serde_json::from_str(&s)
                .map_err(|e| Error::decode(format!("trigger enum list is not a JSON array: {e}")))?,
            other => other,
        };
        serde_json::from_value(value)
            .map_err(|e| Error::decode(format!("trigger enum list is not an array of strings: {e}")))
    }

    /// Creates (upserts) a trigger instance
    /// (`POST /trigger_instances/{slug}/upsert`) and returns its id.
    ///
    /// With a `user_id` and no `connected_account_id`, the trigger type is
    /// fetched for its toolkit and the user's newest connected account of
    /// that toolkit (by `created_at`) is used; none →
    /// [`Error::ConnectedAccountNotFound`]. Neither given →
    /// [`Error::Validation`].
    pub async fn create(&self, slug: &str, params: TriggerCreateParams) -> Result<TriggerCreateResponse> {
        require_non_empty("trigger slug", slug)?;
        if let Some(id) = &params.connected_account_id {
            require_non_empty("connected_account_id", id)?;
        }
        if let Some(user) = &params.user_id {
            require_non_empty("user_id", user)?;
        }
        let connected_account_id = match (params.connected_account_id, params.user_id) {
            (Some(id), _) => id,
            (None, Some(user_id)) => self.newest_account_for(slug, &user_id).await?,
            (None, None) => {
                return Err(Error::validation(
                    "either user_id or connected_account_id must be provided to create a trigger",
                ))
            }
        };
        let mut body = Map::new();
        body.insert("connected_account_id".into(), Value::String(connected_account_id));
        if let Some(config) = params.trigger_config {
            body.insert("trigger_config".into(), Value::Object(config));
        }
        body.insert("toolkit_versions".into(), self.client.config().toolkit_versions.to_json());
        let req = ApiRequest::post(["trigger_instances", slug, "upsert"]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    async fn newest_account_for(&self, slug: &str, user_id: &str) -> Result<String> {
        let trigger_type = self.get_type(slug).await?;
        let toolkit = trigger_type.toolkit.slug;
        if toolkit.is_empty() {
            return Err(Error::decode(format!("trigger type {slug} names no toolkit")));
        }
        let req = ApiRequest::get(["connected_accounts"])
            .query("toolkit_slugs", toolkit.clone())
            .query("user_ids", user_id);
        let page: Page<AccountRef> = self.client.transport().json(&req).await?;
        // Newest first by `created_at` (ISO-8601 strings compare in time
        // order), as the Python SDK sorts them.
        page.items
            .into_iter()
            .filter(|a| !a.id.is_empty())
            .max_by(|a, b| a.created_at.cmp(&b.created_at))
            .map(|a| a.id)
            .ok_or(Error::ConnectedAccountNotFound { user_id: user_id.to_owned(), toolkit })
    }

    /// Lists trigger instances (`GET /trigger_instances/active`).
    pub async fn list_active(&self, params: TriggerListActiveParams) -> Result<Page<TriggerInstance>> {
        require_items("trigger_ids", &params.trigger_ids)?;
        require_items("trigger_names", &params.trigger_names)?;
        require_items("auth_config_ids", &params.auth_config_ids)?;
        require_items("connected_account_ids", &params.connected_account_ids)?;
        require_items("user_ids", &params.user_ids)?;
        if params.limit == Some(0) {
            return Err(Error::validation("limit must be at least 1"));
        }
        let req = ApiRequest::get(["trigger_instances", "active"])
            .query_list("trigger_ids", &params.trigger_ids)
            .query_list("trigger_names", &params.trigger_names)
            .query_list("auth_config_ids", &params.auth_config_ids)
            .query_list("connected_account_ids", &params.connected_account_ids)
            .query_list("user_ids", &params.user_ids)
            .query_opt("show_disabled", params.show_disabled)
            .query_opt("limit", params.limit)
            .query_opt("cursor", params.cursor);
        let mut page: Page<TriggerInstance> = self.client.transport().json(&req).await?;
        page.items.iter_mut().for_each(TriggerInstance::fill_from_camel_twins);
        Ok(page)
    }

    /// Enables a trigger instance (`PATCH /trigger_instances/manage/{id}`
    /// `{"status": "enable"}`).
    pub async fn enable(&self, trigger_id: &str) -> Result<TriggerStatusResponse> {
        self.set_status(trigger_id, "enable").await
    }

    /// Disables a trigger instance (`PATCH /trigger_instances/manage/{id}`
    /// `{"status": "disable"}`).
    pub async fn disable(&self, trigger_id: &str) -> Result<TriggerStatusResponse> {
        self.set_status(trigger_id, "disable").await
    }

    async fn set_status(&self, trigger_id: &str, status: &str) -> Result<TriggerStatusResponse> {
        require_non_empty("trigger id", trigger_id)?;
        let req = ApiRequest::patch(["trigger_instances", "manage", trigger_id])
            .json_value(serde_json::json!({ "status": status }));
        self.client.transport().json(&req).await
    }

    /// Deletes a trigger instance (`DELETE /trigger_instances/manage/{id}`).
    pub async fn delete(&self, trigger_id: &str) -> Result<TriggerDeleteResponse> {
        require_non_empty("trigger id", trigger_id)?;
        let req = ApiRequest::delete(["trigger_instances", "manage", trigger_id]);
        self.client.transport().json(&req).await
    }
}
