//! Session update, config history and delete (v3.1: `PATCH`/`DELETE
//! tool_router/session/{id}`, `GET …/config_history`), as the newest official
//! SDKs (`composio` 0.30, `@composio/core` 0.21) wrap them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Session, SessionResponse};
use crate::error::{Error, Result};
use crate::transport::ApiRequest;
use crate::Composio;

/// The fields a session update may name (wire spelling, plus `sandbox`, the
/// official SDKs' preferred alias of `workbench`).
pub const UPDATE_FIELDS: &[&str] = &[
    "toolkits",
    "tools",
    "tags",
    "instant",
    "premium_usage",
    "auth_configs",
    "connected_accounts",
    "manage_connections",
    "sandbox",
    "workbench",
    "multi_account",
    "proxy_execute",
    "hooks",
    "preload",
    "search",
    "execute",
    "experimental",
];

/// The result of [`Session::update`].
#[derive(Debug, Clone)]
pub struct SessionConfigUpdate {
    /// The new config version.
    pub config_version: i64,
    /// The whole PATCH response.
    pub response: SessionResponse,
}

impl SessionConfigUpdate {
    /// The updated configuration (the server's echo).
    pub fn config(&self) -> &Value {
        &self.response.config
    }

    /// The updated configuration, without the rest of the response.
    pub fn into_config(self) -> Value {
        self.response.config
    }
}

/// One page of [`Session::config_history`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionConfigHistory {
    /// Config versions, newest first: `{version, is_current, config, created_at}`.
    pub items: Vec<Value>,
    /// Cursor of the next page, if any.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Other pagination fields (`total_items`, `total_pages`, `current_page`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The response of a session delete.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SessionDeleteResponse {
    /// The deleted session.
    pub session_id: String,
    /// Always `true`.
    pub deleted: bool,
}

/// Checks a patch and builds the wire body: the patch keeps explicit `null`
/// (remove the stored override) apart from an omitted key.
/// `expected_config_version` may be in the map (`null` / `false` = none).
pub fn patch_body(patch: &Map<String, Value>) -> Result<(Map<String, Value>, Option<i64>)> {
    let mut body = Map::new();
    let mut expected = None;
    for (key, value) in patch {
        if key == "expected_config_version" {
            expected = match value {
                Value::Null | Value::Bool(false) => None,
                Value::Number(n) if n.as_i64().is_some_and(|v| v >= 1) => n.as_i64(),
                other => {
                    return Err(Error::validation(format!(
                        "expected_config_version must be a positive integer, or false to send no precondition; got {other}"
                    )))
                }
            };
            continue;
        }
        if !UPDATE_FIELDS.contains(&key.as_str()) {
            return Err(Error::validation(format!(
                "unknown session update field `{key}`; updatable fields: {}",
                UPDATE_FIELDS.join(", ")
            )));
        }
        body.insert(key.clone(), value.clone());
    }
    if body.contains_key("sandbox") && body.contains_key("workbench") {
        return Err(Error::validation(
            "pass either `sandbox` or `workbench`, not both (`workbench` is an alias of `sandbox`)",
        ));
    }
    if let Some(v) = body.remove("sandbox") {
        body.insert("workbench".into(), v);
    }
    for key in ["instant", "premium_usage"] {
        if body.get(key).is_some_and(Value::is_null) {
            return Err(Error::validation(format!(
                "`{key}` does not accept null; pass false to disable it, or omit it to keep the stored policy"
            )));
        }
    }
    if session_config_id(&body).is_some() {
        if body.contains_key("hooks") {
            return Err(Error::validation(
                "`hooks` cannot be combined with `experimental.session_config_id`; apply hooks in a separate update",
            ));
        }
        let inline: Vec<&str> =
            ["toolkits", "tools", "tags"].into_iter().filter(|k| body.contains_key(*k)).collect();
        if !inline.is_empty() {
            return Err(Error::validation(format!(
                "`experimental.session_config_id` cannot be combined with {}: a saved Session config sets the session's toolkit, tool and tag access",
                inline.join(", ")
            )));
        }
    }
    normalise_shorthands(&mut body);
    if let Some(n) = expected {
        body.insert("expected_config_version".into(), Value::from(n));
    }
    Ok((body, expected))
}

/// Spells shorthand forms the way the API stores them: an allowlist array
/// (`toolkits`, `tags`, a `tools` entry) becomes `{"enable": [...]}`, a
/// boolean `manage_connections` / `proxy_execute` becomes `{"enable": b}`, and
/// a single `connected_accounts` id becomes a one-element list.
fn normalise_shorthands(body: &mut Map<String, Value>) {
    fn enable(v: &mut Value) {
        if v.is_array() || v.is_boolean() {
            *v = serde_json::json!({ "enable": v.take() });
        }
    }
    for key in ["toolkits", "tags", "manage_connections", "proxy_execute"] {
        if let Some(v) = body.get_mut(key) {
            enable(v);
        }
    }
    if let Some(Value::Object(tools)) = body.get_mut("tools") {
        for v in tools.values_mut().filter(|v| v.is_array()) {
            enable(v);
        }
    }
    if let Some(Value::Object(accounts)) = body.get_mut("connected_accounts") {
        for v in accounts.values_mut().filter(|v| v.is_string()) {
            *v = Value::Array(vec![v.take()]);
        }
    }
}

/// The saved Session config (`experimental.session_config_id`) a patch body applies.
fn session_config_id(body: &Map<String, Value>) -> Option<&str> {
    body.get("experimental").and_then(|e| e.get("session_config_id")).and_then(Value::as_str)
}

impl Session {
    /// Partially updates the session configuration: only the keys of `patch`
    /// change; a key set to `null` removes the stored override; maps given
    /// replace the stored ones. `expected_config_version` in the patch (a
    /// positive integer; `null` or `false` for none) makes the update
    /// conditional: a stale one is [`Error::SessionConfigConflict`] (HTTP
    /// 409) and leaves this session unchanged. Never retried. On success
    /// [`Session::config`], [`Session::config_version`],
    /// [`Session::experimental`] and [`Session::tool_router_tools`] of this
    /// session and its clones are refreshed.
    pub async fn update(&self, patch: &Map<String, Value>) -> Result<SessionConfigUpdate> {
        let (body, expected) = patch_body(patch)?;
        let config_id = session_config_id(&body).map(str::to_owned);
        let req = ApiRequest::patch(["tool_router", "session", self.session_id.as_str()])
            .json_value(Value::Object(body))
            .at_most_once();
        let resp: SessionResponse = match self.client.transport().json(&req).await {
            Ok(r) => r,
            Err(Error::Api(api)) if api.status == 409 => {
                let message = match (&config_id, expected) {
                    (Some(sc), _) => format!(
                        "Session {} or Session config {sc} changed while the config was being applied; re-fetch the session and retry the update",
                        self.session_id
                    ),
                    (None, Some(v)) => format!(
                        "Session {} configuration is no longer at version {v}; re-fetch the session and retry the update",
                        self.session_id
                    ),
                    (None, None) => format!(
                        "Session {} configuration changed while this update was in flight; re-fetch the session and retry the update",
                        self.session_id
                    ),
                };
                return Err(Error::SessionConfigConflict {
                    message,
                    session_id: self.session_id.clone(),
                    expected_config_version: expected,
                    session_config_id: config_id,
                    api,
                });
            }
            Err(e) => return Err(e),
        };
        let config_version = resp
            .extra
            .get("config_version")
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::decode("session update response has no integer `config_version`"))?;
        let update = SessionConfigUpdate { config_version, response: resp };
        self.observe(&update);
        Ok(update)
    }

    /// The session's config history, newest first (`GET …/config_history`,
    /// `limit` 1..=100, `cursor`).
    pub async fn config_history(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<SessionConfigHistory> {
        if let Some(l) = limit {
            if !(1..=100).contains(&l) {
                return Err(Error::validation(format!("limit must be between 1 and 100, got {l}")));
            }
        }
        let req = ApiRequest::get(self.path("config_history"))
            .query_opt("limit", limit)
            .query_opt("cursor", cursor);
        self.client.transport().json(&req).await
    }

    /// Deletes the session (`DELETE tool_router/session/{id}`).
    pub async fn delete(&self) -> Result<SessionDeleteResponse> {
        self.client.delete_session(&self.session_id).await
    }
}

impl Composio {
    /// Deletes a session by id (`DELETE tool_router/session/{id}`); the
    /// response must be `{session_id, deleted: true}`.
    pub async fn delete_session(&self, session_id: &str) -> Result<SessionDeleteResponse> {
        if session_id.trim().is_empty() {
            return Err(Error::validation("session_id must not be empty"));
        }
        let req = ApiRequest::delete(["tool_router", "session", session_id]);
        let resp: Value = self.transport().json(&req).await?;
        match serde_json::from_value::<SessionDeleteResponse>(resp) {
            Ok(r) if r.deleted => Ok(r),
            _ => Err(Error::decode("invalid tool router session delete response")),
        }
    }
}
