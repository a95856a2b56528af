//! Connected accounts: initiate, link, get, list, delete, enable/disable,
//! refresh, update, and [`ConnectionRequest::wait_for_connection`].
//!
//! ```no_run
//! # async fn run(composio: composio_core::Composio) -> composio_core::Result<()> {
//! use std::time::Duration;
//! use composio_core::models::InitiateOptions;
//!
//! let request = composio
//!     .connected_accounts()
//!     .initiate("user-1", "ac_123", InitiateOptions::default())
//!     .await?;
//! println!("open {:?}", request.redirect_url);
//! let account = request.wait_for_connection(Duration::from_secs(60)).await?;
//! # let _ = account; Ok(()) }
//! ```

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::auth_configs::require_non_empty;
use crate::error::{Error, Result};
use crate::models::{
    AuthConfig, AuthConfigCreate, AuthConfigListParams, AuthConfigToolAccess, ConnectedAccount,
    ConnectedAccountListParams, ConnectedAccountSuccess, ConnectionState, InitiateOptions, InitiateResponse,
    LinkOptions, LinkResponse, Page, RefreshOptions, RefreshResponse,
};
use crate::models::{CA_STATUS_ACTIVE, CA_STATUS_EXPIRED, CA_STATUS_FAILED, CA_STATUS_INITIATED};
use crate::transport::ApiRequest;
use crate::Composio;

/// How long `wait_for_connection` waits when the caller has no opinion
/// (the official SDKs' default: 60 s).
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(60);

/// How often `wait_for_connection` polls (the official SDKs' 1 s).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// A connection that was started (by `initiate`, `link` or a session's
/// `authorize`) and may still need the user to finish it at
/// [`ConnectionRequest::redirect_url`].
#[derive(Clone)]
pub struct ConnectionRequest {
    /// The connected account id (`ca_…`).
    pub id: String,
    /// Status when the request was made (usually `INITIATED`).
    pub status: String,
    /// Where the user completes the connection, if anywhere.
    pub redirect_url: Option<String>,
    pub(crate) client: Composio,
}

impl std::fmt::Debug for ConnectionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionRequest")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

impl ConnectionRequest {
    /// A connection request bound to a client.
    pub fn new(
        client: &Composio,
        id: impl Into<String>,
        status: impl Into<String>,
        redirect_url: Option<String>,
    ) -> Self {
        Self { id: id.into(), status: status.into(), redirect_url, client: client.clone() }
    }

    /// Waits until the connection is `ACTIVE`, polling
    /// `GET /connected_accounts/{id}` every [`DEFAULT_POLL_INTERVAL`] (1 s).
    ///
    /// See [`ConnectionRequest::wait_for_connection_with`] for the rules.
    pub async fn wait_for_connection(&self, timeout: Duration) -> Result<ConnectedAccount> {
        wait_for_active(&self.client, &self.id, timeout, DEFAULT_POLL_INTERVAL).await
    }

    /// Waits until the connection is `ACTIVE`, polling every
    /// `poll_interval`.
    ///
    /// * One `GET /connected_accounts/{id}` at once, then one after each
    ///   sleep of `min(poll_interval, time left)`.
    /// * `ACTIVE` → the account.
    /// * `FAILED` or `EXPIRED` → [`Error::ConnectionFailed`] with the API's
    ///   `status_reason`, at once. This is the TypeScript SDK's behaviour;
    ///   Python keeps polling through terminal statuses until the timeout,
    ///   which only delays the same answer.
    /// * Time up → [`Error::ConnectionTimeout`] with the last status seen.
    ///   The total never exceeds `timeout` by more than one request.
    /// * An API error (404 `NOT_FOUND`, ...) is returned as it is.
    ///
    /// A zero `poll_interval` is rejected ([`Error::Validation`]).
    pub async fn wait_for_connection_with(
        &self,
        timeout: Duration,
        poll_interval: Duration,
    ) -> Result<ConnectedAccount> {
        wait_for_active(&self.client, &self.id, timeout, poll_interval).await
    }
}

/// The polling loop behind every `wait_for_connection`.
async fn wait_for_active(
    client: &Composio,
    id: &str,
    timeout: Duration,
    poll_interval: Duration,
) -> Result<ConnectedAccount> {
    require_non_empty("connected account id", id)?;
    if poll_interval.is_zero() {
        return Err(Error::validation("poll_interval must be greater than zero"));
    }
    let started = Instant::now();
    let accounts = client.connected_accounts();
    loop {
        let account = accounts.get(id).await?;
        match account.status.as_str() {
            CA_STATUS_ACTIVE => return Ok(account),
            CA_STATUS_FAILED | CA_STATUS_EXPIRED => {
                return Err(Error::ConnectionFailed {
                    id: id.to_string(),
                    status: account.status,
                    reason: account.status_reason,
                })
            }
            _ => {}
        }
        let elapsed = started.elapsed();
        if elapsed >= timeout {
            return Err(Error::ConnectionTimeout {
                id: id.to_string(),
                timeout,
                last_status: account.status,
            });
        }
        let wait = poll_interval.min(timeout - elapsed);
        tracing::debug!(id, status = %account.status, wait_ms = wait.as_millis() as u64, "waiting for connection");
        tokio::time::sleep(wait).await;
    }
}

impl Composio {
    /// Connected-account operations.
    pub fn connected_accounts(&self) -> ConnectedAccounts {
        ConnectedAccounts { client: self.clone() }
    }
}

/// Connected-account operations (`/connected_accounts`), from
/// [`Composio::connected_accounts`].
#[derive(Debug, Clone)]
pub struct ConnectedAccounts {
    client: Composio,
}

/// Checks the items of a comma-joined query list: none empty, none with a
/// comma (which would split it).
fn check_list(name: &str, items: &[String]) -> Result<()> {
    for item in items {
        if item.trim().is_empty() {
            return Err(Error::validation(format!("{name} must not contain empty values")));
        }
        if item.contains(',') {
            return Err(Error::validation(format!(
                "{name} values must not contain ',' (the list is sent comma-separated): {item:?}"
            )));
        }
    }
    Ok(())
}

/// Checks a connection state's scheme name.
fn check_state(what: &str, state: &ConnectionState) -> Result<()> {
    state.scheme().map_err(|e| match e {
        Error::Validation { message } => Error::validation(format!("{what}: {message}")),
        other => other,
    })?;
    Ok(())
}

impl ConnectedAccounts {
    /// Starts a connection for `user_id` with an auth config.
    ///
    /// 1. `GET /connected_accounts?auth_config_ids=..&statuses=ACTIVE&user_ids=..`;
    ///    if the user already has an ACTIVE account for this auth config and
    ///    `allow_multiple` is false → [`Error::MultipleConnectedAccounts`]
    ///    (even for exactly one). With `allow_multiple`, a warning is logged.
    /// 2. `POST /connected_accounts {"auth_config": {"id"}, "connection":
    ///    {"user_id", "callback_url"?, "alias"?, "state"?}}`.
    /// 3. A [`ConnectionRequest`] whose status is `connectionData.val.status`
    ///    and whose redirect URL is `connectionData.val.redirectUrl`, falling
    ///    back to the top-level `redirect_url`.
    pub async fn initiate(
        &self,
        user_id: &str,
        auth_config_id: &str,
        options: InitiateOptions,
    ) -> Result<ConnectionRequest> {
        require_non_empty("user_id", user_id)?;
        require_non_empty("auth_config_id", auth_config_id)?;
        if let Some(url) = &options.callback_url {
            require_non_empty("callback_url", url)?;
        }
        if let Some(state) = &options.config {
            check_state("config", state)?;
        }

        let pre = ApiRequest::get(["connected_accounts"])
            .query("auth_config_ids", auth_config_id)
            .query("statuses", CA_STATUS_ACTIVE)
            .query("user_ids", user_id);
        let existing: Page<ConnectedAccount> = self.client.transport().json(&pre).await?;
        if !existing.items.is_empty() {
            let total = existing.total_items.filter(|t| t.is_finite() && *t >= 0.0).map(|t| t as usize);
            let count = total.unwrap_or(0).max(existing.items.len());
            if !options.allow_multiple {
                return Err(Error::MultipleConnectedAccounts {
                    user_id: user_id.to_string(),
                    auth_config_id: auth_config_id.to_string(),
                    count,
                });
            }
            tracing::warn!(
                user_id,
                auth_config_id,
                count,
                "user already has active connected accounts for this auth config; creating another"
            );
        }

        let mut connection = Map::new();
        connection.insert("user_id".into(), Value::String(user_id.to_string()));
        if let Some(url) = options.callback_url {
            connection.insert("callback_url".into(), Value::String(url));
        }
        if let Some(alias) = options.alias {
            connection.insert("alias".into(), Value::String(alias));
        }
        if let Some(state) = options.config {
            let state = serde_json::to_value(state)
                .map_err(|e| Error::validation(format!("config is not serialisable: {e}")))?;
            connection.insert("state".into(), state);
        }
        let body = json!({ "auth_config": { "id": auth_config_id }, "connection": connection });
        let req = ApiRequest::post(["connected_accounts"]).json_value(body);
        let resp: InitiateResponse = self.client.transport().json(&req).await?;
        require_response_id(&resp.id, "initiate")?;
        Ok(ConnectionRequest::new(
            &self.client,
            resp.id.clone(),
            resp.effective_status(),
            resp.effective_redirect_url(),
        ))
    }

    /// Creates a hosted Connect Link (`POST /connected_accounts/link`, no
    /// pre-check). The request's status is `INITIATED` and its redirect URL
    /// is the link page.
    pub async fn link(
        &self,
        user_id: &str,
        auth_config_id: &str,
        options: LinkOptions,
    ) -> Result<ConnectionRequest> {
        let resp = self.link_raw(user_id, auth_config_id, options).await?;
        Ok(ConnectionRequest::new(
            &self.client,
            resp.connected_account_id,
            CA_STATUS_INITIATED,
            resp.redirect_url,
        ))
    }

    /// [`ConnectedAccounts::link`], returning the whole response (with
    /// `link_token` and `expires_at`).
    pub async fn link_raw(
        &self,
        user_id: &str,
        auth_config_id: &str,
        options: LinkOptions,
    ) -> Result<LinkResponse> {
        require_non_empty("user_id", user_id)?;
        require_non_empty("auth_config_id", auth_config_id)?;
        if let Some(url) = &options.callback_url {
            require_non_empty("callback_url", url)?;
        }
        let mut body = Map::new();
        body.insert("auth_config_id".into(), Value::String(auth_config_id.to_string()));
        body.insert("user_id".into(), Value::String(user_id.to_string()));
        if let Some(url) = options.callback_url {
            body.insert("callback_url".into(), Value::String(url));
        }
        if let Some(alias) = options.alias {
            body.insert("alias".into(), Value::String(alias));
        }
        if let Some(data) = options.connection_data {
            body.insert("connection_data".into(), Value::Object(data));
        }
        let req = ApiRequest::post(["connected_accounts", "link"]).json_value(Value::Object(body));
        let resp: LinkResponse = self.client.transport().json(&req).await?;
        require_response_id(&resp.connected_account_id, "link")?;
        Ok(resp)
    }

    /// Fetches one connected account (`GET /connected_accounts/{id}`).
    pub async fn get(&self, id: &str) -> Result<ConnectedAccount> {
        require_non_empty("connected account id", id)?;
        self.client.transport().json(&ApiRequest::get(["connected_accounts", id])).await
    }

    /// Lists connected accounts (`GET /connected_accounts`); one page,
    /// follow `next_cursor` with `cursor`.
    pub async fn list(&self, params: &ConnectedAccountListParams) -> Result<Page<ConnectedAccount>> {
        check_list("user_ids", &params.user_ids)?;
        check_list("toolkit_slugs", &params.toolkit_slugs)?;
        check_list("auth_config_ids", &params.auth_config_ids)?;
        check_list("connected_account_ids", &params.connected_account_ids)?;
        check_list("statuses", &params.statuses)?;
        if let Some(o) = &params.order_by {
            if o != "created_at" && o != "updated_at" {
                return Err(Error::validation(format!(
                    "order_by must be \"created_at\" or \"updated_at\", got {o:?}"
                )));
            }
        }
        if let Some(d) = &params.order_direction {
            if d != "asc" && d != "desc" {
                return Err(Error::validation(format!(
                    "order_direction must be \"asc\" or \"desc\", got {d:?}"
                )));
            }
        }
        if params.limit == Some(0) {
            return Err(Error::validation("limit must be at least 1"));
        }
        let req = ApiRequest::get(["connected_accounts"])
            .query_list("user_ids", &params.user_ids)
            .query_list("toolkit_slugs", &params.toolkit_slugs)
            .query_list("auth_config_ids", &params.auth_config_ids)
            .query_list("connected_account_ids", &params.connected_account_ids)
            .query_list("statuses", &params.statuses)
            .query_opt("order_by", params.order_by.as_deref())
            .query_opt("order_direction", params.order_direction.as_deref())
            .query_opt("limit", params.limit)
            .query_opt("cursor", params.cursor.as_deref());
        self.client.transport().json(&req).await
    }

    /// Deletes a connected account (`DELETE /connected_accounts/{id}`).
    pub async fn delete(&self, id: &str) -> Result<ConnectedAccountSuccess> {
        require_non_empty("connected account id", id)?;
        self.client.transport().json(&ApiRequest::delete(["connected_accounts", id])).await
    }

    /// Enables or disables an account
    /// (`PATCH /connected_accounts/{id}/status {"enabled": ..}`).
    pub async fn update_status(&self, id: &str, enabled: bool) -> Result<ConnectedAccountSuccess> {
        require_non_empty("connected account id", id)?;
        let req =
            ApiRequest::patch(["connected_accounts", id, "status"]).json_value(json!({ "enabled": enabled }));
        self.client.transport().json(&req).await
    }

    /// Enables an account (`{"enabled": true}`).
    pub async fn enable(&self, id: &str) -> Result<ConnectedAccountSuccess> {
        self.update_status(id, true).await
    }

    /// Disables an account (`{"enabled": false}`).
    pub async fn disable(&self, id: &str) -> Result<ConnectedAccountSuccess> {
        self.update_status(id, false).await
    }

    /// Refreshes / re-initiates an account
    /// (`POST /connected_accounts/{id}/refresh`).
    ///
    /// `redirect_url` goes both in the query (what the TS SDK sends) and in
    /// the body (Python's `body_redirect_url`), so either reading works;
    /// `validate_credentials` goes in the body. The body is `{}` when both
    /// are unset.
    pub async fn refresh(&self, id: &str, options: RefreshOptions) -> Result<RefreshResponse> {
        require_non_empty("connected account id", id)?;
        if let Some(url) = &options.redirect_url {
            require_non_empty("redirect_url", url)?;
        }
        let mut body = Map::new();
        if let Some(url) = &options.redirect_url {
            body.insert("redirect_url".into(), Value::String(url.clone()));
        }
        if let Some(v) = options.validate_credentials {
            body.insert("validate_credentials".into(), Value::Bool(v));
        }
        let req = ApiRequest::post(["connected_accounts", id, "refresh"])
            .query_opt("redirect_url", options.redirect_url.as_deref())
            .json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Updates an account's alias and/or credentials
    /// (`PATCH /connected_accounts/{id} {"alias"?, "connection"?: {"state"}}`).
    ///
    /// At least one of the two must be given ([`Error::Validation`]
    /// otherwise).
    pub async fn update(
        &self,
        id: &str,
        alias: Option<String>,
        state: Option<ConnectionState>,
    ) -> Result<ConnectedAccount> {
        require_non_empty("connected account id", id)?;
        if alias.is_none() && state.is_none() {
            return Err(Error::validation("update needs an alias or a connection state"));
        }
        let mut body = Map::new();
        if let Some(alias) = alias {
            body.insert("alias".into(), Value::String(alias));
        }
        if let Some(state) = state {
            check_state("state", &state)?;
            let state = serde_json::to_value(state)
                .map_err(|e| Error::validation(format!("state is not serialisable: {e}")))?;
            body.insert("connection".into(), json!({ "state": state }));
        }
        let req = ApiRequest::patch(["connected_accounts", id]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Waits for an account to become `ACTIVE`, polling every second (see
    /// [`ConnectionRequest::wait_for_connection_with`]).
    ///
    /// Python first builds a `ConnectionRequest` with one extra GET; here
    /// the first poll is that read.
    pub async fn wait_for_connection(&self, id: &str, timeout: Duration) -> Result<ConnectedAccount> {
        wait_for_active(&self.client, id, timeout, DEFAULT_POLL_INTERVAL).await
    }

    /// [`ConnectedAccounts::wait_for_connection`] with a chosen poll
    /// interval.
    pub async fn wait_for_connection_with(
        &self,
        id: &str,
        timeout: Duration,
        poll_interval: Duration,
    ) -> Result<ConnectedAccount> {
        wait_for_active(&self.client, id, timeout, poll_interval).await
    }

    /// Connects `user_id` to a toolkit the simple way (the official
    /// `toolkits.authorize` helper):
    ///
    /// 1. `GET /auth_configs?toolkit_slug=<toolkit>` and take the **newest**
    ///    auth config by `created_at` (Python's choice; TS takes the first);
    /// 2. if there is none, create a Composio-managed one
    ///    (`{"type": "use_composio_managed_auth", "tool_access_config":
    ///    {"tools_for_connected_account_creation": []}}`, Python's body);
    /// 3. [`ConnectedAccounts::initiate`] with default options.
    ///
    /// `allow_multiple` is **false**, as in Python (TS passes true): when
    /// the user already has an ACTIVE account for that auth config this
    /// returns [`Error::MultipleConnectedAccounts`] instead of silently
    /// creating a duplicate connection. That is the safer default for a
    /// one-call helper; callers who do want a second account call
    /// `initiate` with `allow_multiple: true`.
    pub async fn authorize_toolkit(&self, user_id: &str, toolkit: &str) -> Result<ConnectionRequest> {
        require_non_empty("user_id", user_id)?;
        require_non_empty("toolkit", toolkit)?;
        let configs = self
            .client
            .auth_configs()
            .list(&AuthConfigListParams { toolkit_slug: Some(toolkit.to_string()), ..Default::default() })
            .await?;
        let auth_config_id = match newest_auth_config(&configs.items) {
            Some(c) => c.id.clone(),
            None => {
                let create =
                    AuthConfigCreate::composio_managed().with_tool_access_config(AuthConfigToolAccess {
                        tools_for_connected_account_creation: Some(Vec::new()),
                        ..Default::default()
                    });
                let created = self.client.auth_configs().create(toolkit, create).await?;
                require_response_id(created.id(), "auth config create")?;
                created.auth_config.id
            }
        };
        self.initiate(user_id, &auth_config_id, InitiateOptions::default()).await
    }
}

/// Fails with a decode error when a response lacks the id the caller needs.
fn require_response_id(id: &str, what: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::decode(format!("the {what} response has no connected account id")));
    }
    Ok(())
}

/// The auth config with the latest `created_at` (first one wins a tie;
/// configs without a parseable time rank last; the first item when none has
/// one).
fn newest_auth_config(items: &[AuthConfig]) -> Option<&AuthConfig> {
    let mut best: Option<(&AuthConfig, Option<(i64, u32)>)> = None;
    for item in items {
        let key = item.created_at.as_deref().and_then(timestamp_key);
        match &best {
            Some((_, best_key)) if key <= *best_key => {}
            _ => best = Some((item, key)),
        }
    }
    best.map(|(c, _)| c)
}

/// Parses an ISO-8601 / RFC 3339 timestamp (`2026-01-01T00:00:00.123Z`,
/// `+02:00` offsets, no offset = UTC) into (Unix seconds, nanoseconds).
fn timestamp_key(ts: &str) -> Option<(i64, u32)> {
    let ts = ts.trim();
    let (date, rest) = ts.split_at_checked(10)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Split the offset off the time.
    let (time, offset_secs) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0)
    } else if let Some(pos) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = off[1..].replace(':', "");
        if off.len() != 4 || !off.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let h: i64 = off[..2].parse().ok()?;
        let m: i64 = off[2..].parse().ok()?;
        (t, sign * (h * 3600 + m * 60))
    } else {
        (rest, 0)
    };
    let (hms, frac) = match time.split_once('.') {
        Some((a, b)) => (a, b),
        None => (time, ""),
    };
    let mut t = hms.split(':');
    let h: i64 = t.next()?.parse().ok()?;
    let mi: i64 = t.next()?.parse().ok()?;
    let s: i64 = match t.next() {
        Some(v) => v.parse().ok()?,
        None => 0,
    };
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = frac.chars().take(9).collect();
    let nanos: u32 = if digits.is_empty() { 0 } else { format!("{digits:0<9}").parse().ok()? };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60 + s - offset_secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_order_across_formats() {
        assert_eq!(timestamp_key("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(timestamp_key("1970-01-02T00:00:00.5Z"), Some((86_400, 500_000_000)));
        assert_eq!(timestamp_key("2026-01-01T02:00:00+02:00"), timestamp_key("2026-01-01T00:00:00Z"));
        assert!(timestamp_key("2026-01-01T00:00:00.5Z") > timestamp_key("2026-01-01T00:00:00Z"));
        assert!(timestamp_key("2026-03-01T00:00:00Z") > timestamp_key("2026-02-28T23:59:59.999Z"));
        assert_eq!(timestamp_key("not a date"), None);
        assert_eq!(timestamp_key("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn newest_auth_config_prefers_latest_then_first() {
        let mk = |id: &str, at: Option<&str>| AuthConfig {
            id: id.into(),
            created_at: at.map(str::to_owned),
            ..Default::default()
        };
        let items = vec![
            mk("a", Some("2026-01-01T00:00:00Z")),
            mk("b", Some("2026-01-01T00:00:00.5Z")),
            mk("c", None),
            mk("d", Some("2026-01-01T00:00:00.500Z")),
        ];
        assert_eq!(newest_auth_config(&items).map(|c| c.id.as_str()), Some("b"));
        assert_eq!(newest_auth_config(&[mk("x", None), mk("y", None)]).map(|c| c.id.as_str()), Some("x"));
        assert!(newest_auth_config(&[]).is_none());
    }
}
