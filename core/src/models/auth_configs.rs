//! Wire types of the `auth_configs` domain, and the [`AuthScheme`] names
//! shared with connected accounts.
//!
//! Credentials (OAuth client secrets, proxy auth keys, API keys) travel in
//! several of these objects; their `Debug` output shows only the keys, never
//! the values.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::connected_accounts::{ca_null_as_default, AccountsRedactedMap};
use crate::error::Error;

/// Every authentication scheme name Composio uses (auth configs'
/// `authScheme`, connected accounts' `state.authScheme`).
///
/// `as_str` gives the wire spelling (`OAUTH2`, `API_KEY`, ...); parsing with
/// [`FromStr`] accepts that spelling in any letter case and rejects unknown
/// names with [`Error::Validation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// `OAUTH2`.
    Oauth2,
    /// `OAUTH1`.
    Oauth1,
    /// `API_KEY`.
    ApiKey,
    /// `BASIC` (username and password).
    Basic,
    /// `BILLCOM_AUTH`.
    BillcomAuth,
    /// `BEARER_TOKEN`.
    BearerToken,
    /// `GOOGLE_SERVICE_ACCOUNT`.
    GoogleServiceAccount,
    /// `NO_AUTH`.
    NoAuth,
    /// `BASIC_WITH_JWT`.
    BasicWithJwt,
    /// `CALCOM_AUTH`.
    CalcomAuth,
    /// `SERVICE_ACCOUNT`.
    ServiceAccount,
    /// `SAML`.
    Saml,
    /// `DCR_OAUTH` (OAuth with dynamic client registration).
    DcrOauth,
    /// `S2S_OAUTH2` (server-to-server OAuth2).
    S2sOauth2,
    /// `COMPOSIO_LINK` (Python's `auth_scheme.composio_link` helper).
    ComposioLink,
}

impl AuthScheme {
    /// All schemes, in the order the wire contract lists them.
    pub const ALL: [AuthScheme; 15] = [
        AuthScheme::Oauth2,
        AuthScheme::Oauth1,
        AuthScheme::ApiKey,
        AuthScheme::Basic,
        AuthScheme::BillcomAuth,
        AuthScheme::BearerToken,
        AuthScheme::GoogleServiceAccount,
        AuthScheme::NoAuth,
        AuthScheme::BasicWithJwt,
        AuthScheme::CalcomAuth,
        AuthScheme::ServiceAccount,
        AuthScheme::Saml,
        AuthScheme::DcrOauth,
        AuthScheme::S2sOauth2,
        AuthScheme::ComposioLink,
    ];

    /// The wire spelling, e.g. `OAUTH2`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AuthScheme::Oauth2 => "OAUTH2",
            AuthScheme::Oauth1 => "OAUTH1",
            AuthScheme::ApiKey => "API_KEY",
            AuthScheme::Basic => "BASIC",
            AuthScheme::BillcomAuth => "BILLCOM_AUTH",
            AuthScheme::BearerToken => "BEARER_TOKEN",
            AuthScheme::GoogleServiceAccount => "GOOGLE_SERVICE_ACCOUNT",
            AuthScheme::NoAuth => "NO_AUTH",
            AuthScheme::BasicWithJwt => "BASIC_WITH_JWT",
            AuthScheme::CalcomAuth => "CALCOM_AUTH",
            AuthScheme::ServiceAccount => "SERVICE_ACCOUNT",
            AuthScheme::Saml => "SAML",
            AuthScheme::DcrOauth => "DCR_OAUTH",
            AuthScheme::S2sOauth2 => "S2S_OAUTH2",
            AuthScheme::ComposioLink => "COMPOSIO_LINK",
        }
    }
}

impl fmt::Display for AuthScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuthScheme {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        AuthScheme::ALL.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(trimmed)).ok_or_else(|| {
            let known: Vec<&str> = AuthScheme::ALL.iter().map(AuthScheme::as_str).collect();
            Error::validation(format!("unknown auth scheme {s:?}; expected one of {}", known.join(", ")))
        })
    }
}

impl Serialize for AuthScheme {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AuthScheme {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(|e: Error| serde::de::Error::custom(e.to_string()))
    }
}

/// Which tools an auth config exposes (`tool_access_config`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfigToolAccess {
    /// Tools that may be executed with accounts of this auth config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools_available_for_execution: Option<Vec<String>>,
    /// Tools whose scopes are requested when an account is connected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools_for_connected_account_creation: Option<Vec<String>>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A proxy in front of the toolkit's API (`proxy_config`).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfigProxy {
    /// The proxy URL.
    #[serde(default)]
    pub proxy_url: String,
    /// The key the proxy expects (a secret; never shown by `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_auth_key: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for AuthConfigProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfigProxy")
            .field("proxy_url", &self.proxy_url)
            .field("proxy_auth_key", &self.proxy_auth_key.as_ref().map(|_| "<redacted>"))
            .field("extra", &AccountsRedactedMap(&self.extra))
            .finish()
    }
}

impl AuthConfigProxy {
    /// A proxy config with a URL and an optional key.
    pub fn new(proxy_url: impl Into<String>, proxy_auth_key: Option<String>) -> Self {
        Self { proxy_url: proxy_url.into(), proxy_auth_key, extra: Map::new() }
    }
}

/// The body's `auth_config` object of `POST /auth_configs`, discriminated by
/// the wire key `type`.
///
/// Build one with [`AuthConfigCreate::composio_managed`] or
/// [`AuthConfigCreate::custom`] and the `with_*` setters, or write the
/// variant out. `extra` adds keys this SDK does not model (sent as given).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthConfigCreate {
    /// `use_composio_managed_auth`: Composio's own OAuth app / credentials.
    UseComposioManagedAuth {
        /// Display name of the auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Overrides such as `scopes` / `user_scopes` (string or list), plus
        /// any extra keys.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credentials: Option<Map<String, Value>>,
        /// Whether tool-router sessions may use this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is_enabled_for_tool_router: Option<bool>,
        /// Deprecated: restricts the tools usable with this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        restrict_to_following_tools: Option<Vec<String>>,
        /// Credentials shared by every account of this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared_credentials: Option<Map<String, Value>>,
        /// Which tools are available / requested at connection time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tool_access_config: Option<AuthConfigToolAccess>,
        /// Further keys, sent as given.
        #[serde(flatten)]
        extra: Map<String, Value>,
    },
    /// `use_custom_auth`: your own OAuth app or credentials.
    UseCustomAuth {
        /// The scheme (wire key `authScheme`, camelCase; `auth_scheme` is
        /// accepted when decoding).
        #[serde(rename = "authScheme", alias = "auth_scheme")]
        auth_scheme: AuthScheme,
        /// The credentials (OAuth2: `client_id`, `client_secret`,
        /// `oauth_redirect_uri`, `scopes`, ...). Sent even when empty.
        #[serde(default)]
        credentials: Map<String, Value>,
        /// Display name of the auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// A proxy in front of the toolkit's API.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proxy_config: Option<AuthConfigProxy>,
        /// Whether tool-router sessions may use this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is_enabled_for_tool_router: Option<bool>,
        /// Deprecated: restricts the tools usable with this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        restrict_to_following_tools: Option<Vec<String>>,
        /// Credentials shared by every account of this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared_credentials: Option<Map<String, Value>>,
        /// Which tools are available / requested at connection time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tool_access_config: Option<AuthConfigToolAccess>,
        /// Further keys, sent as given.
        #[serde(flatten)]
        extra: Map<String, Value>,
    },
}

impl Default for AuthConfigCreate {
    fn default() -> Self {
        Self::composio_managed()
    }
}

impl AuthConfigCreate {
    /// `{"type": "use_composio_managed_auth"}` with nothing else set (the TS
    /// SDK's default).
    pub fn composio_managed() -> Self {
        AuthConfigCreate::UseComposioManagedAuth {
            name: None,
            credentials: None,
            is_enabled_for_tool_router: None,
            restrict_to_following_tools: None,
            shared_credentials: None,
            tool_access_config: None,
            extra: Map::new(),
        }
    }

    /// `{"type": "use_custom_auth", "authScheme": .., "credentials": ..}`.
    pub fn custom(auth_scheme: AuthScheme, credentials: Map<String, Value>) -> Self {
        AuthConfigCreate::UseCustomAuth {
            auth_scheme,
            credentials,
            name: None,
            proxy_config: None,
            is_enabled_for_tool_router: None,
            restrict_to_following_tools: None,
            shared_credentials: None,
            tool_access_config: None,
            extra: Map::new(),
        }
    }

    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AuthConfigCreate::UseComposioManagedAuth { .. } => "use_composio_managed_auth",
            AuthConfigCreate::UseCustomAuth { .. } => "use_custom_auth",
        }
    }

    /// Sets the display name.
    pub fn with_name(mut self, value: impl Into<String>) -> Self {
        match &mut self {
            AuthConfigCreate::UseComposioManagedAuth { name, .. }
            | AuthConfigCreate::UseCustomAuth { name, .. } => *name = Some(value.into()),
        }
        self
    }

    /// Sets `is_enabled_for_tool_router`.
    pub fn with_enabled_for_tool_router(mut self, value: bool) -> Self {
        match &mut self {
            AuthConfigCreate::UseComposioManagedAuth { is_enabled_for_tool_router, .. }
            | AuthConfigCreate::UseCustomAuth { is_enabled_for_tool_router, .. } => {
                *is_enabled_for_tool_router = Some(value)
            }
        }
        self
    }

    /// Sets `tool_access_config`.
    pub fn with_tool_access_config(mut self, value: AuthConfigToolAccess) -> Self {
        match &mut self {
            AuthConfigCreate::UseComposioManagedAuth { tool_access_config, .. }
            | AuthConfigCreate::UseCustomAuth { tool_access_config, .. } => *tool_access_config = Some(value),
        }
        self
    }

    /// Sets `shared_credentials`.
    pub fn with_shared_credentials(mut self, value: Map<String, Value>) -> Self {
        match &mut self {
            AuthConfigCreate::UseComposioManagedAuth { shared_credentials, .. }
            | AuthConfigCreate::UseCustomAuth { shared_credentials, .. } => *shared_credentials = Some(value),
        }
        self
    }

    /// Adds a key this SDK does not model (sent as given).
    pub fn with_field(mut self, key: impl Into<String>, value: Value) -> Self {
        match &mut self {
            AuthConfigCreate::UseComposioManagedAuth { extra, .. }
            | AuthConfigCreate::UseCustomAuth { extra, .. } => {
                extra.insert(key.into(), value);
            }
        }
        self
    }
}

impl fmt::Debug for AuthConfigCreate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthConfigCreate::UseComposioManagedAuth {
                name,
                credentials,
                is_enabled_for_tool_router,
                restrict_to_following_tools,
                shared_credentials,
                tool_access_config,
                extra,
            } => f
                .debug_struct("UseComposioManagedAuth")
                .field("name", name)
                .field("credentials", &credentials.as_ref().map(AccountsRedactedMap))
                .field("is_enabled_for_tool_router", is_enabled_for_tool_router)
                .field("restrict_to_following_tools", restrict_to_following_tools)
                .field("shared_credentials", &shared_credentials.as_ref().map(AccountsRedactedMap))
                .field("tool_access_config", tool_access_config)
                .field("extra", &AccountsRedactedMap(extra))
                .finish(),
            AuthConfigCreate::UseCustomAuth {
                auth_scheme,
                credentials,
                name,
                proxy_config,
                is_enabled_for_tool_router,
                restrict_to_following_tools,
                shared_credentials,
                tool_access_config,
                extra,
            } => f
                .debug_struct("UseCustomAuth")
                .field("auth_scheme", auth_scheme)
                .field("credentials", &AccountsRedactedMap(credentials))
                .field("name", name)
                .field("proxy_config", proxy_config)
                .field("is_enabled_for_tool_router", is_enabled_for_tool_router)
                .field("restrict_to_following_tools", restrict_to_following_tools)
                .field("shared_credentials", &shared_credentials.as_ref().map(AccountsRedactedMap))
                .field("tool_access_config", tool_access_config)
                .field("extra", &AccountsRedactedMap(extra))
                .finish(),
        }
    }
}

/// The body of `PATCH /auth_configs/{id}`, discriminated by the wire key
/// `type` (`custom` or `default`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthConfigUpdate {
    /// `custom`: an auth config with your own credentials.
    Custom {
        /// New credentials.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        credentials: Option<Map<String, Value>>,
        /// Whether tool-router sessions may use this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is_enabled_for_tool_router: Option<bool>,
        /// A proxy in front of the toolkit's API.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proxy_config: Option<AuthConfigProxy>,
        /// Deprecated: restricts the tools usable with this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        restrict_to_following_tools: Option<Vec<String>>,
        /// Credentials shared by every account of this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared_credentials: Option<Map<String, Value>>,
        /// Which tools are available / requested at connection time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tool_access_config: Option<AuthConfigToolAccess>,
        /// New display name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Further keys, sent as given.
        #[serde(flatten)]
        extra: Map<String, Value>,
    },
    /// `default`: a Composio-managed auth config.
    Default {
        /// OAuth scopes: a string or a list of strings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scopes: Option<Value>,
        /// OAuth user scopes: a string or a list of strings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_scopes: Option<Value>,
        /// Whether tool-router sessions may use this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is_enabled_for_tool_router: Option<bool>,
        /// Deprecated: restricts the tools usable with this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        restrict_to_following_tools: Option<Vec<String>>,
        /// Credentials shared by every account of this auth config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared_credentials: Option<Map<String, Value>>,
        /// Which tools are available / requested at connection time.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tool_access_config: Option<AuthConfigToolAccess>,
        /// Further keys, sent as given.
        #[serde(flatten)]
        extra: Map<String, Value>,
    },
}

impl AuthConfigUpdate {
    /// An empty `{"type": "custom"}` update.
    pub fn custom() -> Self {
        AuthConfigUpdate::Custom {
            credentials: None,
            is_enabled_for_tool_router: None,
            proxy_config: None,
            restrict_to_following_tools: None,
            shared_credentials: None,
            tool_access_config: None,
            name: None,
            extra: Map::new(),
        }
    }

    /// An empty `{"type": "default"}` update.
    pub fn default_type() -> Self {
        AuthConfigUpdate::Default {
            scopes: None,
            user_scopes: None,
            is_enabled_for_tool_router: None,
            restrict_to_following_tools: None,
            shared_credentials: None,
            tool_access_config: None,
            extra: Map::new(),
        }
    }

    /// The wire `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AuthConfigUpdate::Custom { .. } => "custom",
            AuthConfigUpdate::Default { .. } => "default",
        }
    }
}

impl fmt::Debug for AuthConfigUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthConfigUpdate::Custom {
                credentials,
                is_enabled_for_tool_router,
                proxy_config,
                restrict_to_following_tools,
                shared_credentials,
                tool_access_config,
                name,
                extra,
            } => f
                .debug_struct("Custom")
                .field("credentials", &credentials.as_ref().map(AccountsRedactedMap))
                .field("is_enabled_for_tool_router", is_enabled_for_tool_router)
                .field("proxy_config", proxy_config)
                .field("restrict_to_following_tools", restrict_to_following_tools)
                .field("shared_credentials", &shared_credentials.as_ref().map(AccountsRedactedMap))
                .field("tool_access_config", tool_access_config)
                .field("name", name)
                .field("extra", &AccountsRedactedMap(extra))
                .finish(),
            AuthConfigUpdate::Default {
                scopes,
                user_scopes,
                is_enabled_for_tool_router,
                restrict_to_following_tools,
                shared_credentials,
                tool_access_config,
                extra,
            } => f
                .debug_struct("Default")
                .field("scopes", scopes)
                .field("user_scopes", user_scopes)
                .field("is_enabled_for_tool_router", is_enabled_for_tool_router)
                .field("restrict_to_following_tools", restrict_to_following_tools)
                .field("shared_credentials", &shared_credentials.as_ref().map(AccountsRedactedMap))
                .field("tool_access_config", tool_access_config)
                .field("extra", &AccountsRedactedMap(extra))
                .finish(),
        }
    }
}

/// The `auth_config` object of a create response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreatedAuthConfig {
    /// The new auth config id (`ac_…`).
    pub id: String,
    /// Its scheme, e.g. `OAUTH2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_scheme: Option<String>,
    /// Whether Composio manages the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_composio_managed: Option<bool>,
    /// Deprecated tool restriction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrict_to_following_tools: Option<Vec<String>>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The toolkit of an auth config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfigToolkit {
    /// Toolkit slug.
    #[serde(default)]
    pub slug: String,
    /// Logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Link to the toolkit's auth guide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_guide_url: Option<String>,
    /// Link to a hint about the auth fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_hint_url: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The response of `POST /auth_configs`:
/// `{"auth_config": {...}, "toolkit": {"slug"}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfigCreateResponse {
    /// The created auth config (what Python's `create` returns).
    pub auth_config: CreatedAuthConfig,
    /// The toolkit it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toolkit: Option<AuthConfigToolkit>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AuthConfigCreateResponse {
    /// The new auth config id.
    pub fn id(&self) -> &str {
        &self.auth_config.id
    }
}

/// An auth config (`GET /auth_configs/{id}` and list items).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfig {
    /// Id (`ac_…`).
    pub id: String,
    /// Legacy UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Display name.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub name: String,
    /// Wire `type`: `default` (Composio-managed) or `custom`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `ENABLED` or `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// How many connected accounts use it.
    #[serde(default, deserialize_with = "de_opt_count", skip_serializing_if = "Option::is_none")]
    pub no_of_connections: Option<u64>,
    /// The toolkit.
    #[serde(default, deserialize_with = "ca_null_as_default")]
    pub toolkit: AuthConfigToolkit,
    /// The scheme, e.g. `OAUTH2` (kept as a string so new schemes decode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_scheme: Option<String>,
    /// Whether Composio manages the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_composio_managed: Option<bool>,
    /// Whether tool-router sessions may use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_enabled_for_tool_router: Option<bool>,
    /// Its credentials (may hold secrets; `Debug` shows keys only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Map<String, Value>>,
    /// Shared credentials (may hold secrets; `Debug` shows keys only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_credentials: Option<Map<String, Value>>,
    /// Proxy settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_config: Option<AuthConfigProxy>,
    /// Which tools are available / requested at connection time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_access_config: Option<AuthConfigToolAccess>,
    /// Deprecated tool restriction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrict_to_following_tools: Option<Vec<String>>,
    /// Fields a connection needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_input_fields: Option<Vec<Value>>,
    /// Creation time (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Last update time (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_at: Option<String>,
    /// Legacy parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated_params: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AuthConfig {
    /// Whether the status is `DISABLED`.
    pub fn is_disabled(&self) -> bool {
        self.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("DISABLED"))
    }
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("id", &self.id)
            .field("uuid", &self.uuid)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("no_of_connections", &self.no_of_connections)
            .field("toolkit", &self.toolkit)
            .field("auth_scheme", &self.auth_scheme)
            .field("is_composio_managed", &self.is_composio_managed)
            .field("is_enabled_for_tool_router", &self.is_enabled_for_tool_router)
            .field("credentials", &self.credentials.as_ref().map(AccountsRedactedMap))
            .field("shared_credentials", &self.shared_credentials.as_ref().map(AccountsRedactedMap))
            .field("proxy_config", &self.proxy_config)
            .field("tool_access_config", &self.tool_access_config)
            .field("restrict_to_following_tools", &self.restrict_to_following_tools)
            .field("expected_input_fields", &self.expected_input_fields)
            .field("created_at", &self.created_at)
            .field("created_by", &self.created_by)
            .field("last_updated_at", &self.last_updated_at)
            .field("deprecated_params", &self.deprecated_params)
            .field("extra", &AccountsRedactedMap(&self.extra))
            .finish()
    }
}

/// Query of `GET /auth_configs`. `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthConfigListParams {
    /// Only auth configs of this toolkit.
    pub toolkit_slug: Option<String>,
    /// Only Composio-managed (`true`) or only custom (`false`) ones.
    pub is_composio_managed: Option<bool>,
    /// Include disabled auth configs.
    pub show_disabled: Option<bool>,
    /// Search by name.
    pub search: Option<String>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Accepts a JSON number (integer or integral float) or null as a count.
fn de_opt_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let v = Option::<Value>::deserialize(deserializer)?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                return Ok(Some(u));
            }
            match n.as_f64() {
                Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => Ok(Some(f as u64)),
                _ => Err(serde::de::Error::custom(format!("expected a non-negative count, got {n}"))),
            }
        }
        Some(other) => Err(serde::de::Error::custom(format!("expected a number, got {other}"))),
    }
}
