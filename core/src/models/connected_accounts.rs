//! Wire types of the `connected_accounts` domain, and the auth-scheme
//! helpers that build a connection's `state` ([`ConnectionState`]).
//!
//! Connected accounts carry OAuth tokens and API keys in `state.val` (and in
//! the legacy `data` / `params` copies); every `Debug` here prints those
//! maps' keys only, never their values (except `val.status`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::auth_configs::AuthScheme;

/// Status of a connection that has credentials and can run tools.
pub(crate) const CA_STATUS_ACTIVE: &str = "ACTIVE";
/// Status of a connection that still needs configuration.
pub(crate) const CA_STATUS_INITIALIZING: &str = "INITIALIZING";
/// Status of a connection waiting for the user (redirect pending).
pub(crate) const CA_STATUS_INITIATED: &str = "INITIATED";
/// Terminal status: the connection failed.
pub(crate) const CA_STATUS_FAILED: &str = "FAILED";
/// Terminal status: the connection's credentials expired.
pub(crate) const CA_STATUS_EXPIRED: &str = "EXPIRED";

/// Decodes `null` as the type's default (the API sometimes sends `null` for
/// fields this SDK treats as always present).
pub(crate) fn ca_null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `Debug` for a map that may hold secrets: keys are shown, values are
/// replaced by `<redacted>`, except `status`, which is never secret.
pub(crate) struct AccountsRedactedMap<'a>(pub(crate) &'a Map<String, Value>);

impl fmt::Debug for AccountsRedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.0 {
            match (k.as_str(), v) {
                ("status", Value::String(s)) => m.entry(k, s),
                _ => m.entry(k, &format_args!("<redacted>")),
            };
        }
        m.finish()
    }
}

/// A connection's state: `{"authScheme": "<SCHEME>", "val": {"status": ..,
/// ...credentials}}`.
///
/// Sent as `connection.state` by `initiate` / `update`, and read back as a
/// connected account's `state` (and an initiate response's
/// `connectionData`). The wire key is camelCase `authScheme`; `auth_scheme`
/// (Python's spelling) is accepted when decoding.
///
/// The constructors mirror the official auth-scheme helpers (§6.5): they
/// set `val.status` to the helper's default — for OAuth2 `ACTIVE` when an
/// `access_token` is present, for OAuth1 `ACTIVE` when both `oauth_token`
/// and `oauth_token_secret` are present, otherwise `INITIALIZING` (Python's
/// rule); `INITIALIZING` for `composio_link`; `ACTIVE` for every other
/// scheme — and a `status` the caller put in `val` wins. A key counts as
/// present when its value is neither `null` nor an empty string.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionState {
    /// The scheme name, e.g. `OAUTH2` (a string so new schemes decode).
    #[serde(rename = "authScheme", alias = "auth_scheme")]
    pub auth_scheme: String,
    /// `status` plus the scheme's fields (tokens, keys, `redirectUrl`, ...).
    #[serde(default)]
    pub val: Map<String, Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for ConnectionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionState")
            .field("auth_scheme", &self.auth_scheme)
            .field("val", &AccountsRedactedMap(&self.val))
            .field("extra", &AccountsRedactedMap(&self.extra))
            .finish()
    }
}

fn present(val: &Map<String, Value>, key: &str) -> bool {
    match val.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

impl ConnectionState {
    /// A state with this scheme and `val` exactly as given (no default
    /// status is added).
    pub fn new(auth_scheme: AuthScheme, val: Map<String, Value>) -> Self {
        Self { auth_scheme: auth_scheme.as_str().to_string(), val, extra: Map::new() }
    }

    /// A state with `val.status = default_status` unless `val` has its own
    /// `status`. `status` comes first in the object.
    fn with_default_status(auth_scheme: AuthScheme, default_status: &str, val: Map<String, Value>) -> Self {
        let mut out = Map::new();
        out.insert("status".to_string(), Value::String(default_status.to_string()));
        out.extend(val);
        Self::new(auth_scheme, out)
    }

    /// `OAUTH2`: `ACTIVE` if `access_token` is present, else
    /// `INITIALIZING` (Python's rule; TS always uses `INITIALIZING`).
    pub fn oauth2(val: Map<String, Value>) -> Self {
        let status = if present(&val, "access_token") { CA_STATUS_ACTIVE } else { CA_STATUS_INITIALIZING };
        Self::with_default_status(AuthScheme::Oauth2, status, val)
    }

    /// `OAUTH1`: `ACTIVE` if both `oauth_token` and `oauth_token_secret`
    /// are present, else `INITIALIZING`.
    pub fn oauth1(val: Map<String, Value>) -> Self {
        let status = if present(&val, "oauth_token") && present(&val, "oauth_token_secret") {
            CA_STATUS_ACTIVE
        } else {
            CA_STATUS_INITIALIZING
        };
        Self::with_default_status(AuthScheme::Oauth1, status, val)
    }

    /// `COMPOSIO_LINK` (Python only), `INITIALIZING`.
    pub fn composio_link(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::ComposioLink, CA_STATUS_INITIALIZING, val)
    }

    /// `API_KEY` (`api_key`, `generic_api_key`, ...), `ACTIVE`.
    pub fn api_key(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::ApiKey, CA_STATUS_ACTIVE, val)
    }

    /// `BASIC` (`username`, `password`), `ACTIVE`.
    pub fn basic(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::Basic, CA_STATUS_ACTIVE, val)
    }

    /// `BEARER_TOKEN` (`token`), `ACTIVE`.
    pub fn bearer_token(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::BearerToken, CA_STATUS_ACTIVE, val)
    }

    /// `GOOGLE_SERVICE_ACCOUNT` (`credentials_json`), `ACTIVE`.
    pub fn google_service_account(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::GoogleServiceAccount, CA_STATUS_ACTIVE, val)
    }

    /// `NO_AUTH`, `ACTIVE`.
    pub fn no_auth(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::NoAuth, CA_STATUS_ACTIVE, val)
    }

    /// `CALCOM_AUTH`, `ACTIVE`.
    pub fn calcom_auth(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::CalcomAuth, CA_STATUS_ACTIVE, val)
    }

    /// `BILLCOM_AUTH` (`sessionId`, `devKey`, ...), `ACTIVE`.
    pub fn billcom_auth(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::BillcomAuth, CA_STATUS_ACTIVE, val)
    }

    /// `BASIC_WITH_JWT` (`username`, `password`), `ACTIVE`.
    pub fn basic_with_jwt(val: Map<String, Value>) -> Self {
        Self::with_default_status(AuthScheme::BasicWithJwt, CA_STATUS_ACTIVE, val)
    }

    /// `val.status`, if it is a string.
    pub fn status(&self) -> Option<&str> {
        self.val.get("status").and_then(Value::as_str)
    }

    /// The scheme as an [`AuthScheme`] ([`crate::Error::Validation`] for an
    /// unknown name).
    pub fn scheme(&self) -> crate::Result<AuthScheme> {
        self.auth_scheme.parse()
    }
}

/// The toolkit of a connected account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedAccountToolkit {
    /// Toolkit slug.
    #[serde(default)]
    pub slug: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The auth config of a connected account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedAccountAuthConfig {
    /// Auth config id (`ac_…`).
    #[serde(default)]
    pub id: String,
    /// Its scheme, e.g. `OAUTH2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_scheme: Option<String>,
    /// Whether Composio manages the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_composio_managed: Option<bool>,
    /// Whether the auth config is disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_disabled: Option<bool>,
    /// Fields this SDK does not know (`deprecated.uuid`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A connected account (`GET /connected_accounts/{id}` and list items).
///
/// `Debug` never prints the values inside `state.val`, `data` or `params`
/// (tokens live there).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedAccount {
    /// Id (`ca_…`).
    pub id: String,
    /// The user the account belongs to.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub user_id: String,
    /// `INITIALIZING`, `INITIATED`, `ACTIVE`, `FAILED`, `EXPIRED` or
    /// `INACTIVE`.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub status: String,
    /// Why the account has its status (failures, expiry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// Whether the account is disabled.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub is_disabled: bool,
    /// A label for the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Creation time (ISO-8601).
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub created_at: String,
    /// Last update time (ISO-8601).
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub updated_at: String,
    /// The toolkit.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub toolkit: ConnectedAccountToolkit,
    /// The auth config.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub auth_config: ConnectedAccountAuthConfig,
    /// The connection state (scheme and credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ConnectionState>,
    /// Legacy copy of the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
    /// Legacy connection parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
    /// Endpoint used to test the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_request_endpoint: Option<String>,
    /// Fields this SDK does not know (`word_id`, `deprecated`, ...), kept as
    /// sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ConnectedAccount {
    /// Whether the status is `ACTIVE`.
    pub fn is_active(&self) -> bool {
        self.status == CA_STATUS_ACTIVE
    }

    /// The auth scheme, from `state.authScheme` or else
    /// `auth_config.auth_scheme`.
    pub fn auth_scheme(&self) -> Option<&str> {
        self.state.as_ref().map(|s| s.auth_scheme.as_str()).or(self.auth_config.auth_scheme.as_deref())
    }
}

impl fmt::Debug for ConnectedAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectedAccount")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("status", &self.status)
            .field("status_reason", &self.status_reason)
            .field("is_disabled", &self.is_disabled)
            .field("alias", &self.alias)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("toolkit", &self.toolkit)
            .field("auth_config", &self.auth_config)
            .field("state", &self.state)
            .field("data", &self.data.as_ref().map(AccountsRedactedMap))
            .field("params", &self.params.as_ref().map(AccountsRedactedMap))
            .field("test_request_endpoint", &self.test_request_endpoint)
            .field("extra", &AccountsRedactedMap(&self.extra))
            .finish()
    }
}

/// The response of `POST /connected_accounts` (initiate).
///
/// Note the camelCase `connectionData` and `connectionData.val.redirectUrl`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InitiateResponse {
    /// The new connected account id (`ca_…`).
    pub id: String,
    /// Top-level status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Top-level redirect URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Deprecated twin of `redirect_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// The connection's state (wire key `connectionData`).
    #[serde(rename = "connectionData", default, skip_serializing_if = "Option::is_none")]
    pub connection_data: Option<ConnectionState>,
    /// Legacy ids (`uuid`, `authConfigUuid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InitiateResponse {
    /// The status the SDKs report: `connectionData.val.status`, else the
    /// top-level `status`, else `INITIATED`.
    pub fn effective_status(&self) -> String {
        self.connection_data
            .as_ref()
            .and_then(ConnectionState::status)
            .or(self.status.as_deref())
            .unwrap_or(CA_STATUS_INITIATED)
            .to_string()
    }

    /// The redirect URL: `connectionData.val.redirectUrl` (what the SDKs
    /// read), else the top-level `redirect_url`, else the deprecated
    /// `redirect_uri`. Empty strings count as absent.
    pub fn effective_redirect_url(&self) -> Option<String> {
        let nested =
            self.connection_data.as_ref().and_then(|c| c.val.get("redirectUrl")).and_then(Value::as_str);
        [nested, self.redirect_url.as_deref(), self.redirect_uri.as_deref()]
            .into_iter()
            .flatten()
            .find(|s| !s.is_empty())
            .map(str::to_owned)
    }
}

/// The response of `POST /connected_accounts/link`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkResponse {
    /// The connected account id (`ca_…`).
    pub connected_account_id: String,
    /// The hosted Connect Link page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// The link token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_token: Option<String>,
    /// When the link expires (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The response of `POST /connected_accounts/{id}/refresh`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RefreshResponse {
    /// The connected account id.
    #[serde(default)]
    pub id: String,
    /// Its status after the refresh.
    #[serde(default)]
    pub status: String,
    /// Where the user re-authorises, when needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{"success": bool}`, the response of delete / enable / disable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectedAccountSuccess {
    /// Whether the API reports success.
    #[serde(default)]
    pub success: bool,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Options of `initiate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InitiateOptions {
    /// Where the user lands after finishing the connection.
    pub callback_url: Option<String>,
    /// Create another account even if the user already has an ACTIVE one
    /// for this auth config (default `false`: that is an error).
    pub allow_multiple: bool,
    /// The connection's state (credentials), e.g.
    /// `ConnectionState::api_key(..)`; sent as `connection.state`.
    pub config: Option<ConnectionState>,
    /// A label for the account.
    pub alias: Option<String>,
}

/// Options of `link`.
#[derive(Clone, Default, PartialEq)]
pub struct LinkOptions {
    /// Where the user lands after finishing the connection.
    pub callback_url: Option<String>,
    /// A label for the account.
    pub alias: Option<String>,
    /// Values to pre-fill on the Connect Link page.
    pub connection_data: Option<Map<String, Value>>,
}

impl fmt::Debug for LinkOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkOptions")
            .field("callback_url", &self.callback_url)
            .field("alias", &self.alias)
            .field("connection_data", &self.connection_data.as_ref().map(AccountsRedactedMap))
            .finish()
    }
}

/// Options of `refresh`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefreshOptions {
    /// Where the user lands after re-authorising (sent as the query
    /// parameter and in the body).
    pub redirect_url: Option<String>,
    /// Check the credentials while refreshing (experimental).
    pub validate_credentials: Option<bool>,
}

/// Query of `GET /connected_accounts`. Lists are sent comma-joined; empty
/// lists and `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectedAccountListParams {
    /// Only these users.
    pub user_ids: Vec<String>,
    /// Only these toolkits.
    pub toolkit_slugs: Vec<String>,
    /// Only these auth configs.
    pub auth_config_ids: Vec<String>,
    /// Only these accounts.
    pub connected_account_ids: Vec<String>,
    /// Only these statuses (`ACTIVE`, `FAILED`, ...).
    pub statuses: Vec<String>,
    /// `created_at` (API default) or `updated_at`.
    pub order_by: Option<String>,
    /// `desc` (API default) or `asc`.
    pub order_direction: Option<String>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}
