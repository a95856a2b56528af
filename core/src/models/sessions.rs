//! Wire types of tool-router sessions (`/tool_router/session…`): the create
//! configuration with the official SDKs' conveniences, and every response.
//!
//! [`SessionConfig`] is the *input* shape users write (snake_case, like the
//! Python SDK; bare lists accepted where the SDKs accept them). It is turned
//! into the wire body by [`SessionConfig::to_request_body`], which validates
//! it first; the wire body never contains a key the SDKs would not send.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::custom_tools::CustomTool;
use crate::error::{Error, Result};
use crate::session_tools::{CustomToolPreload, SessionCustomToolkit, LOCAL_PREFIX};

/// The tag values session tag filters accept (MCP tool annotation hints).
pub const SESSION_TAGS: [&str; 4] = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"];

/// An `{enable}` / `{disable}` pair of slug lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionEnableDisable {
    /// Slugs to enable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<Vec<String>>,
    /// Slugs to disable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<Vec<String>>,
}

/// Which toolkits a session may use: a bare list (= enable) or exactly one
/// of `{enable}` / `{disable}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SessionToolkitSelection {
    /// Enable only these toolkits.
    List(Vec<String>),
    /// `{"enable": [...]}` or `{"disable": [...]}` (not both).
    Filter(SessionEnableDisable),
}

impl SessionToolkitSelection {
    /// Enable only these toolkits.
    pub fn enable<I: IntoIterator<Item = S>, S: Into<String>>(slugs: I) -> Self {
        Self::Filter(SessionEnableDisable {
            enable: Some(slugs.into_iter().map(Into::into).collect()),
            disable: None,
        })
    }

    /// Enable every toolkit except these.
    pub fn disable<I: IntoIterator<Item = S>, S: Into<String>>(slugs: I) -> Self {
        Self::Filter(SessionEnableDisable {
            enable: None,
            disable: Some(slugs.into_iter().map(Into::into).collect()),
        })
    }

    fn to_wire(&self) -> Result<Value> {
        match self {
            Self::List(list) => Ok(serde_json::json!({ "enable": list })),
            Self::Filter(SessionEnableDisable { enable: Some(e), disable: None }) => {
                Ok(serde_json::json!({ "enable": e }))
            }
            Self::Filter(SessionEnableDisable { enable: None, disable: Some(d) }) => {
                Ok(serde_json::json!({ "disable": d }))
            }
            Self::Filter(SessionEnableDisable { enable: Some(_), disable: Some(_) }) => {
                Err(Error::validation("toolkits: give either `enable` or `disable`, not both"))
            }
            Self::Filter(SessionEnableDisable { enable: None, disable: None }) => {
                Err(Error::validation("toolkits: the object form needs an `enable` or a `disable` list"))
            }
        }
    }
}

/// A tag filter: a bare list (= enable) or `{enable?, disable?}`. Tag values
/// must be one of [`SESSION_TAGS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SessionTagSelection {
    /// Tools must carry at least one of these tags.
    List(Vec<String>),
    /// Tools must carry one of `enable` and none of `disable`.
    Filter(SessionEnableDisable),
}

impl SessionTagSelection {
    /// `{enable?, disable?}` on the wire (a bare list becomes `enable`).
    /// `None` when neither half is given.
    fn to_wire(&self, what: &str) -> Result<Option<Value>> {
        let (enable, disable) = match self {
            Self::List(l) => (Some(l), None),
            Self::Filter(f) => (f.enable.as_ref(), f.disable.as_ref()),
        };
        let mut out = Map::new();
        for (key, list) in [("enable", enable), ("disable", disable)] {
            let Some(list) = list else { continue };
            if let Some(bad) = list.iter().find(|t| !SESSION_TAGS.contains(&t.as_str())) {
                return Err(Error::validation(format!(
                    "{what}: unknown tag {bad:?}; expected one of {}",
                    SESSION_TAGS.join(", ")
                )));
            }
            out.insert(key.into(), serde_json::json!(list));
        }
        Ok((!out.is_empty()).then_some(Value::Object(out)))
    }
}

/// The object form of a per-toolkit tool filter; exactly one key may be set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionToolFilter {
    /// Only these tools of the toolkit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<Vec<String>>,
    /// Every tool of the toolkit except these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<Vec<String>>,
    /// Tag filter for this toolkit (overrides the global `tags`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<SessionTagSelection>,
}

/// The tools of one toolkit a session may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SessionToolSelection {
    /// Enable only these tools.
    List(Vec<String>),
    /// Exactly one of `{enable}`, `{disable}`, `{tags}`.
    Filter(SessionToolFilter),
}

impl SessionToolSelection {
    /// Enable only these tools.
    pub fn enable<I: IntoIterator<Item = S>, S: Into<String>>(slugs: I) -> Self {
        Self::Filter(SessionToolFilter {
            enable: Some(slugs.into_iter().map(Into::into).collect()),
            ..SessionToolFilter::default()
        })
    }

    /// Enable every tool except these.
    pub fn disable<I: IntoIterator<Item = S>, S: Into<String>>(slugs: I) -> Self {
        Self::Filter(SessionToolFilter {
            disable: Some(slugs.into_iter().map(Into::into).collect()),
            ..SessionToolFilter::default()
        })
    }

    /// Filter this toolkit's tools by tags.
    pub fn tags(tags: SessionTagSelection) -> Self {
        Self::Filter(SessionToolFilter { tags: Some(tags), ..SessionToolFilter::default() })
    }

    fn to_wire(&self, toolkit: &str) -> Result<Value> {
        let f = match self {
            Self::List(list) => return Ok(serde_json::json!({ "enable": list })),
            Self::Filter(f) => f,
        };
        let given: Vec<&str> =
            [("enable", f.enable.is_some()), ("disable", f.disable.is_some()), ("tags", f.tags.is_some())]
                .into_iter()
                .filter_map(|(k, set)| set.then_some(k))
                .collect();
        if given.len() != 1 {
            return Err(Error::validation(if given.is_empty() {
                format!("tools.{toolkit}: give one of `enable`, `disable` or `tags`")
            } else {
                format!(
                    "tools.{toolkit}: only one of `enable`, `disable` or `tags` can be specified, but found: {}",
                    given.join(", ")
                )
            }));
        }
        if let Some(e) = &f.enable {
            return Ok(serde_json::json!({ "enable": e }));
        }
        if let Some(d) = &f.disable {
            return Ok(serde_json::json!({ "disable": d }));
        }
        let what = format!("tools.{toolkit}.tags");
        match f.tags.as_ref().map(|t| t.to_wire(&what)).transpose()?.flatten() {
            Some(tags) => Ok(serde_json::json!({ "tags": tags })),
            None => Err(Error::validation(format!("{what}: give an `enable` or a `disable` list"))),
        }
    }
}

macro_rules! list_conversions {
    ($ty:ident) => {
        impl<S: Into<String>> From<Vec<S>> for $ty {
            fn from(v: Vec<S>) -> Self {
                Self::List(v.into_iter().map(Into::into).collect())
            }
        }

        impl<S: Into<String>, const N: usize> From<[S; N]> for $ty {
            fn from(v: [S; N]) -> Self {
                Self::List(v.into_iter().map(Into::into).collect())
            }
        }

        impl<S: Into<String>> FromIterator<S> for $ty {
            fn from_iter<T: IntoIterator<Item = S>>(iter: T) -> Self {
                Self::List(iter.into_iter().map(Into::into).collect())
            }
        }
    };
}

list_conversions!(SessionToolkitSelection);
list_conversions!(SessionTagSelection);
list_conversions!(SessionToolSelection);

/// The object form of `manage_connections`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManageConnectionsConfig {
    /// Whether the session offers the connection-management meta tools
    /// (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    /// Where the user is sent after finishing a connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Adds the `COMPOSIO_WAIT_FOR_CONNECTIONS` meta tool (wire
    /// `enable_wait_for_connections`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_for_connections: Option<bool>,
    /// Lets the agent remove connections (wire `enable_connection_removal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_connection_removal: Option<bool>,
}

/// `manage_connections`: a flag or the full object. Always sent; the
/// default is `{"enable": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ManageConnections {
    /// `{"enable": b}`.
    Enabled(bool),
    /// The full configuration.
    Config(ManageConnectionsConfig),
}

impl From<bool> for ManageConnections {
    fn from(b: bool) -> Self {
        Self::Enabled(b)
    }
}

impl From<ManageConnectionsConfig> for ManageConnections {
    fn from(c: ManageConnectionsConfig) -> Self {
        Self::Config(c)
    }
}

impl ManageConnections {
    fn to_wire(&self) -> Value {
        match self {
            Self::Enabled(b) => serde_json::json!({ "enable": b }),
            Self::Config(c) => {
                let mut m = Map::new();
                m.insert("enable".into(), Value::Bool(c.enable.unwrap_or(true)));
                if let Some(u) = &c.callback_url {
                    m.insert("callback_url".into(), Value::String(u.clone()));
                }
                if let Some(w) = c.wait_for_connections {
                    m.insert("enable_wait_for_connections".into(), Value::Bool(w));
                }
                if let Some(r) = c.enable_connection_removal {
                    m.insert("enable_connection_removal".into(), Value::Bool(r));
                }
                Value::Object(m)
            }
        }
    }
}

/// The remote workbench (sandbox) of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkbenchConfig {
    /// Whether the workbench meta tools exist (default `true` whenever a
    /// workbench object is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    /// Whether workbench code may make proxy calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_proxy_execution: Option<bool>,
    /// Results longer than this many characters move into the workbench.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_offload_threshold: Option<u64>,
}

/// Several connected accounts per toolkit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiAccountConfig {
    /// Whether multi-account mode is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    /// At most this many accounts per toolkit (2–10; server default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_accounts_per_toolkit: Option<u32>,
    /// Whether the agent must pick an account explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_explicit_selection: Option<bool>,
}

/// The tools of a session's `preload`: a list of Composio tool slugs, or
/// every app tool the session's filters allow (`"all"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionPreloadTools {
    /// Every app tool allowed by the session's filters (wire `"all"`); needs
    /// a positive filter (`toolkits`, `tools` or `tags`), which the API
    /// checks.
    All,
    /// These Composio tool slugs (not session custom tools: those use
    /// their own preload flag, see [`CustomToolPreload`]).
    List(Vec<String>),
}

impl Serialize for SessionPreloadTools {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::All => s.serialize_str("all"),
            Self::List(l) => l.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for SessionPreloadTools {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) if s == "all" => Ok(Self::All),
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(serde::de::Error::custom(format!(
                        "preload.tools must list tool slugs (strings), got {other}"
                    ))),
                })
                .collect::<std::result::Result<Vec<_>, _>>()
                .map(Self::List),
            other => Err(serde::de::Error::custom(format!(
                "preload.tools must be a list of Composio tool slugs or \"all\", got {other}"
            ))),
        }
    }
}

/// A session's `preload` (`@composio/core` 0.21 / `composio` 0.30): tools
/// exposed directly in [`Session::tools`](crate::sessions::Session::tools)
/// and the session's MCP tool list, without a search first. The API
/// validates and caps the final tool set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionPreload {
    /// The tools to preload (`None` sends `{}`, which preloads nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<SessionPreloadTools>,
}

impl SessionPreload {
    /// Preloads these Composio tool slugs.
    pub fn tools<I: IntoIterator<Item = S>, S: Into<String>>(slugs: I) -> Self {
        Self { tools: Some(SessionPreloadTools::List(slugs.into_iter().map(Into::into).collect())) }
    }

    /// Preloads every app tool the session's filters allow (`"all"`).
    pub fn all() -> Self {
        Self { tools: Some(SessionPreloadTools::All) }
    }

    /// Whether this is `{tools: "all"}` (then session custom tools default
    /// to preloaded).
    pub fn is_all(&self) -> bool {
        self.tools == Some(SessionPreloadTools::All)
    }

    /// Checks the slugs: none empty, and none a session custom tool (a
    /// `LOCAL_` slug or the slug of one of `custom`), as the official SDKs
    /// reject them.
    fn check(&self, custom: &[&CustomTool]) -> Result<()> {
        let Some(SessionPreloadTools::List(slugs)) = &self.tools else { return Ok(()) };
        if let Some(i) = slugs.iter().position(|s| s.trim().is_empty()) {
            return Err(Error::validation(format!("preload.tools[{i}] must not be empty")));
        }
        let bad: Vec<&str> = slugs
            .iter()
            .filter(|s| {
                let up = s.to_uppercase();
                up.starts_with(LOCAL_PREFIX)
                    || custom.iter().any(|t| {
                        t.slug.eq_ignore_ascii_case(s)
                            || crate::session_tools::local_tool_slug(&t.slug, t.toolkit.as_deref()) == up
                    })
            })
            .map(String::as_str)
            .collect();
        if !bad.is_empty() {
            return Err(Error::validation(format!(
                "Custom tool slugs are not supported in preload.tools: {}. Set preload on the custom tool \
                 or custom toolkit definition instead",
                bad.join(", ")
            )));
        }
        Ok(())
    }
}

/// Everything a session can be created with (`POST /tool_router/session`),
/// in the official SDKs' input shapes. See the docs' "Configuring sessions":
/// when a tool runs, `connected_accounts` wins over `auth_configs`, which
/// wins over earlier auth configs and Composio-managed auth.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    /// Toolkits to enable (bare list) or `{enable}` / `{disable}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toolkits: Option<SessionToolkitSelection>,
    /// Per-toolkit tool filters, keyed by toolkit slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<BTreeMap<String, SessionToolSelection>>,
    /// Global tag filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<SessionTagSelection>,
    /// Connection management (default `{"enable": true}`; always sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_connections: Option<ManageConnections>,
    /// Auth config to use per toolkit slug (`ac_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_configs: Option<BTreeMap<String, String>>,
    /// Connected account to use per toolkit slug (`ca_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_accounts: Option<BTreeMap<String, String>>,
    /// Remote workbench settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workbench: Option<WorkbenchConfig>,
    /// Multi-account settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_account: Option<MultiAccountConfig>,
    /// Experimental settings, sent as given (`assistive_prompt_config`,
    /// ...; must be a JSON object). The wire lists built from
    /// [`SessionConfig::custom_tools`] and [`SessionConfig::custom_toolkits`]
    /// are merged into it; giving the same key both ways is an
    /// [`Error::Validation`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<Value>,
    /// Tools to preload into the session's tool list and MCP tool list
    /// (sent as `preload`; see [`SessionPreload`]). With `"all"`, session
    /// custom tools default to preloaded too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preload: Option<SessionPreload>,
    /// The `preload` flags of the session custom tools and toolkits (sent
    /// on each definition in `experimental`; see [`CustomToolPreload`]).
    #[serde(default, skip_serializing_if = "CustomToolPreload::is_empty")]
    pub custom_tool_preload: CustomToolPreload,
    /// Session custom tools (wire contract §11.3): run in-process by the
    /// created session, announced to the API as
    /// `experimental.custom_tools`. A tool's `toolkit` is sent as
    /// `extends_toolkit`. Not serialised with the configuration.
    #[serde(skip)]
    pub custom_tools: Vec<CustomTool>,
    /// Session custom toolkits, announced as `experimental.custom_toolkits`.
    /// Not serialised with the configuration.
    #[serde(skip)]
    pub custom_toolkits: Vec<SessionCustomToolkit>,
}

impl SessionConfig {
    /// An empty configuration (every toolkit, connection management on).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the toolkits (a list, or [`SessionToolkitSelection::enable`] /
    /// [`SessionToolkitSelection::disable`]).
    pub fn toolkits(mut self, toolkits: impl Into<SessionToolkitSelection>) -> Self {
        self.toolkits = Some(toolkits.into());
        self
    }

    /// Sets the tool filter of one toolkit.
    pub fn tools(mut self, toolkit: impl Into<String>, tools: impl Into<SessionToolSelection>) -> Self {
        self.tools.get_or_insert_with(BTreeMap::new).insert(toolkit.into(), tools.into());
        self
    }

    /// Sets the global tag filter.
    pub fn tags(mut self, tags: impl Into<SessionTagSelection>) -> Self {
        self.tags = Some(tags.into());
        self
    }

    /// Sets connection management (`true`/`false` or a
    /// [`ManageConnectionsConfig`]).
    pub fn manage_connections(mut self, m: impl Into<ManageConnections>) -> Self {
        self.manage_connections = Some(m.into());
        self
    }

    /// Uses this auth config for a toolkit.
    pub fn auth_config(mut self, toolkit: impl Into<String>, auth_config_id: impl Into<String>) -> Self {
        self.auth_configs.get_or_insert_with(BTreeMap::new).insert(toolkit.into(), auth_config_id.into());
        self
    }

    /// Uses this connected account for a toolkit.
    pub fn connected_account(
        mut self,
        toolkit: impl Into<String>,
        connected_account_id: impl Into<String>,
    ) -> Self {
        self.connected_accounts
            .get_or_insert_with(BTreeMap::new)
            .insert(toolkit.into(), connected_account_id.into());
        self
    }

    /// Sets the workbench settings.
    pub fn workbench(mut self, w: WorkbenchConfig) -> Self {
        self.workbench = Some(w);
        self
    }

    /// Sets the multi-account settings.
    pub fn multi_account(mut self, m: MultiAccountConfig) -> Self {
        self.multi_account = Some(m);
        self
    }

    /// Sets the experimental settings (a JSON object, sent as given).
    pub fn experimental(mut self, e: Value) -> Self {
        self.experimental = Some(e);
        self
    }

    /// Sets the session's `preload` ([`SessionPreload::tools`] or
    /// [`SessionPreload::all`]).
    pub fn preload(mut self, preload: SessionPreload) -> Self {
        self.preload = Some(preload);
        self
    }

    /// Sets the `preload` flag of the session custom tool with this slug
    /// (as defined).
    pub fn preload_custom_tool(mut self, slug: impl Into<String>, preload: bool) -> Self {
        self.custom_tool_preload.tools.insert(slug.into(), preload);
        self
    }

    /// Sets the `preload` flag of the session custom toolkit with this
    /// slug (inherited by its tools without their own flag).
    pub fn preload_custom_toolkit(mut self, slug: impl Into<String>, preload: bool) -> Self {
        self.custom_tool_preload.toolkits.insert(slug.into(), preload);
        self
    }

    /// Whether session custom tools default to preloaded (`preload.tools`
    /// is `"all"`).
    pub fn preloads_all(&self) -> bool {
        self.preload.as_ref().is_some_and(SessionPreload::is_all)
    }

    /// Adds a session custom tool (see [`crate::session_tools`]).
    pub fn custom_tool(mut self, tool: CustomTool) -> Self {
        self.custom_tools.push(tool);
        self
    }

    /// Adds a session custom toolkit (see [`crate::session_tools`]).
    pub fn custom_toolkit(mut self, toolkit: SessionCustomToolkit) -> Self {
        self.custom_toolkits.push(toolkit);
        self
    }

    /// Validates the configuration and builds the exact request body the
    /// official SDKs send for it.
    pub fn to_request_body(&self, user_id: &str) -> Result<Value> {
        if user_id.trim().is_empty() {
            return Err(Error::validation("user_id must not be empty"));
        }
        let mut body = Map::new();
        body.insert("user_id".into(), Value::String(user_id.to_string()));
        if let Some(t) = &self.toolkits {
            body.insert("toolkits".into(), t.to_wire()?);
        }
        if let Some(tools) = &self.tools {
            let mut m = Map::new();
            for (toolkit, sel) in tools {
                if toolkit.is_empty() {
                    return Err(Error::validation("tools: toolkit slugs must not be empty"));
                }
                m.insert(toolkit.clone(), sel.to_wire(toolkit)?);
            }
            // Python omits an empty map.
            if !m.is_empty() {
                body.insert("tools".into(), Value::Object(m));
            }
        }
        if let Some(tags) = &self.tags {
            if let Some(v) = tags.to_wire("tags")? {
                body.insert("tags".into(), v);
            }
        }
        let manage = self.manage_connections.as_ref().map(ManageConnections::to_wire);
        body.insert(
            "manage_connections".into(),
            manage.unwrap_or_else(|| serde_json::json!({"enable": true})),
        );
        if let Some(a) = &self.auth_configs {
            body.insert("auth_configs".into(), serde_json::json!(a));
        }
        if let Some(c) = &self.connected_accounts {
            body.insert("connected_accounts".into(), serde_json::json!(c));
        }
        if let Some(w) = &self.workbench {
            let mut m = Map::new();
            m.insert("enable".into(), Value::Bool(w.enable.unwrap_or(true)));
            if let Some(p) = w.enable_proxy_execution {
                m.insert("enable_proxy_execution".into(), Value::Bool(p));
            }
            if let Some(t) = w.auto_offload_threshold {
                m.insert("auto_offload_threshold".into(), Value::from(t));
            }
            body.insert("workbench".into(), Value::Object(m));
        }
        if let Some(ma) = &self.multi_account {
            if let Some(n) = ma.max_accounts_per_toolkit {
                if !(2..=10).contains(&n) {
                    return Err(Error::validation(format!(
                        "multi_account.max_accounts_per_toolkit must be between 2 and 10, got {n}"
                    )));
                }
            }
            // TS drops the object when nothing in it is set.
            if ma.enable.is_some()
                || ma.max_accounts_per_toolkit.is_some()
                || ma.require_explicit_selection.is_some()
            {
                body.insert(
                    "multi_account".into(),
                    serde_json::to_value(ma).map_err(|e| Error::internal(e.to_string()))?,
                );
            }
        }
        let mut experimental = match &self.experimental {
            Some(Value::Object(m)) => Some(m.clone()),
            Some(_) => return Err(Error::validation("experimental must be a JSON object")),
            None => None,
        };
        if let Some(p) = &self.preload {
            let custom: Vec<&CustomTool> = self
                .custom_tools
                .iter()
                .chain(self.custom_toolkits.iter().flat_map(|tk| tk.tools.iter()))
                .collect();
            p.check(&custom)?;
            body.insert(
                "preload".into(),
                serde_json::to_value(p).map_err(|e| Error::internal(e.to_string()))?,
            );
        }
        if !self.custom_tool_preload.is_empty()
            && self.custom_tools.is_empty()
            && self.custom_toolkits.is_empty()
        {
            return Err(Error::validation(
                "custom tool preload flags are set but the session has no custom tools or toolkits",
            ));
        }
        if !self.custom_tools.is_empty() || !self.custom_toolkits.is_empty() {
            let (tools, toolkits) = crate::session_tools::experimental_wire_with_preload(
                &self.custom_tools,
                &self.custom_toolkits,
                &self.custom_tool_preload,
                self.preloads_all(),
            )?;
            let exp = experimental.get_or_insert_with(Map::new);
            for (key, list) in [("custom_tools", tools), ("custom_toolkits", toolkits)] {
                if list.is_empty() {
                    continue;
                }
                if exp.contains_key(key) {
                    return Err(Error::validation(format!(
                        "experimental.{key} is given both as JSON and as session custom tool definitions; use one"
                    )));
                }
                exp.insert(key.into(), Value::Array(list));
            }
        }
        if let Some(e) = experimental {
            body.insert("experimental".into(), Value::Object(e));
        }
        Ok(Value::Object(body))
    }
}

/// The `mcp` object of a session response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionMcpWire {
    /// `http` (or `sse`).
    #[serde(rename = "type", default)]
    pub r#type: String,
    /// The MCP endpoint.
    #[serde(default)]
    pub url: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A session as the API returns it (create and retrieve share the shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionResponse {
    /// Session id (`trs_…`).
    pub session_id: String,
    /// The session's MCP endpoint.
    #[serde(default)]
    pub mcp: SessionMcpWire,
    /// Meta-tool slugs available in the session.
    #[serde(default)]
    pub tool_router_tools: Vec<String>,
    /// The server's echo of the configuration (its own key names, e.g.
    /// `toolkits.enabled`).
    #[serde(default)]
    pub config: Value,
    /// Experimental data (`assistive_prompt`, `custom_tools`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `POST …/execute` (`{data, error, log_id}`; no `successful`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionExecuteResponse {
    /// The tool's output.
    #[serde(default)]
    pub data: Value,
    /// The tool's error, if it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// The execution log id.
    #[serde(default)]
    pub log_id: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `POST …/link`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionLinkResponse {
    /// The connected account being created (`ca_…`).
    pub connected_account_id: String,
    /// The link token.
    #[serde(default)]
    pub link_token: Option<String>,
    /// Where the user completes the connection.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What `Session::authorize` sends besides the toolkit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeOptions {
    /// Where the user is sent afterwards (an empty string is not sent).
    #[serde(default)]
    pub callback_url: Option<String>,
    /// A label for the new connected account.
    #[serde(default)]
    pub alias: Option<String>,
}

/// Query of `GET …/toolkits`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionToolkitsParams {
    /// Only these toolkits (overrides the session's configuration).
    #[serde(default)]
    pub toolkits: Vec<String>,
    /// Cursor from a previous page's `next_cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Page size (max 1000; server default 20).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Only connected (`true`) or unconnected (`false`) toolkits.
    #[serde(default)]
    pub is_connected: Option<bool>,
    /// Free-text search.
    #[serde(default)]
    pub search: Option<String>,
}

/// `meta` of a session toolkit item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionToolkitMeta {
    /// Logo URL.
    #[serde(default)]
    pub logo: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The auth config of a session toolkit's connected account (wire).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionToolkitAuthConfigWire {
    /// Auth config id (`ac_…`).
    #[serde(default)]
    pub id: String,
    /// Auth scheme (`OAUTH2`, ...).
    #[serde(default)]
    pub auth_scheme: String,
    /// Whether Composio manages the auth config.
    #[serde(default)]
    pub is_composio_managed: bool,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The connected account of a session toolkit item (wire).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionToolkitAccountWire {
    /// Connected account id (`ca_…`).
    #[serde(default)]
    pub id: String,
    /// Status (`ACTIVE`, `INITIATED`, ...).
    #[serde(default)]
    pub status: String,
    /// Owner.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Its auth config.
    #[serde(default)]
    pub auth_config: Option<SessionToolkitAuthConfigWire>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One item of `GET …/toolkits` as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionToolkitItem {
    /// Toolkit slug.
    pub slug: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Whether the toolkit is enabled in the session.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Whether the toolkit needs no authentication.
    #[serde(default)]
    pub is_no_auth: bool,
    /// Auth schemes Composio manages for it.
    #[serde(default)]
    pub composio_managed_auth_schemes: Vec<String>,
    /// Logo and description.
    #[serde(default)]
    pub meta: SessionToolkitMeta,
    /// The user's connected account, if any.
    #[serde(default)]
    pub connected_account: Option<SessionToolkitAccountWire>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The auth config of a toolkit connection (SDK shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionToolkitAuthConfig {
    /// Auth config id.
    pub id: String,
    /// Auth scheme (wire `auth_scheme`).
    pub mode: String,
    /// Whether Composio manages it.
    pub is_composio_managed: bool,
}

/// The connected account of a toolkit connection (SDK shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionToolkitConnectedAccount {
    /// Connected account id.
    pub id: String,
    /// Its status.
    pub status: String,
}

/// A toolkit's connection state (SDK shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionToolkitConnection {
    /// Whether the connected account is `ACTIVE`.
    pub is_active: bool,
    /// The auth config, when there is a connected account.
    pub auth_config: Option<SessionToolkitAuthConfig>,
    /// The connected account, if any.
    pub connected_account: Option<SessionToolkitConnectedAccount>,
}

/// A toolkit with its connection status, as the official SDKs present it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionToolkit {
    /// Toolkit slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Logo URL (`meta.logo`).
    pub logo: Option<String>,
    /// Whether the toolkit needs no authentication.
    pub is_no_auth: bool,
    /// Connection state; `None` for no-auth toolkits.
    pub connection: Option<SessionToolkitConnection>,
    /// The item as the API sent it.
    pub raw: SessionToolkitItem,
}

impl From<SessionToolkitItem> for SessionToolkit {
    fn from(item: SessionToolkitItem) -> Self {
        let connection = (!item.is_no_auth).then(|| {
            let account = item.connected_account.as_ref();
            SessionToolkitConnection {
                is_active: account.is_some_and(|a| a.status == "ACTIVE"),
                auth_config: account.and_then(|a| a.auth_config.as_ref()).map(|c| SessionToolkitAuthConfig {
                    id: c.id.clone(),
                    mode: c.auth_scheme.clone(),
                    is_composio_managed: c.is_composio_managed,
                }),
                connected_account: account
                    .map(|a| SessionToolkitConnectedAccount { id: a.id.clone(), status: a.status.clone() }),
            }
        });
        Self {
            slug: item.slug.clone(),
            name: item.name.clone(),
            logo: item.meta.logo.clone(),
            is_no_auth: item.is_no_auth,
            connection,
            raw: item,
        }
    }
}

/// What `Session::search` looks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSearchParams {
    /// The use case, in natural language.
    pub query: String,
    /// The model to plan for.
    #[serde(default)]
    pub model: Option<String>,
    /// Restrict to these toolkits (sent as `toolkits`, like the TS SDK).
    #[serde(default)]
    pub toolkits: Vec<String>,
}

impl SessionSearchParams {
    /// A search for this use case.
    pub fn new(query: impl Into<String>) -> Self {
        Self { query: query.into(), ..Self::default() }
    }
}

/// One result of a session search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionSearchResult {
    /// Position of the query this answers.
    #[serde(default)]
    pub index: Option<i64>,
    /// The use case searched.
    #[serde(default)]
    pub use_case: Option<String>,
    /// Best matching tools.
    #[serde(default)]
    pub primary_tool_slugs: Vec<String>,
    /// Other relevant tools.
    #[serde(default)]
    pub related_tool_slugs: Vec<String>,
    /// Toolkits involved.
    #[serde(default)]
    pub toolkits: Vec<Value>,
    /// Error for this query, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Fields this SDK does not know (`difficulty`, `execution_guidance`,
    /// `known_pitfalls`, `recommended_plan_steps`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool schema returned by a session search. `hasFullSchema` and
/// `schemaRef` are camelCase on the wire and stay so when re-serialised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionSearchToolSchema {
    /// Tool slug.
    #[serde(default)]
    pub tool_slug: String,
    /// Toolkit slug.
    #[serde(default)]
    pub toolkit: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Input JSON Schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_schema: Option<Value>,
    /// Output JSON Schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Value>,
    /// Whether the schema is complete (wire `hasFullSchema`).
    #[serde(rename = "hasFullSchema", default, skip_serializing_if = "Option::is_none")]
    pub has_full_schema: Option<bool>,
    /// How to fetch the full schema (wire `schemaRef`).
    #[serde(rename = "schemaRef", default, skip_serializing_if = "Option::is_none")]
    pub schema_ref: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `POST …/search`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionSearchResponse {
    /// Whether the search succeeded.
    #[serde(default)]
    pub success: bool,
    /// Error, if it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// One result per query.
    #[serde(default)]
    pub results: Vec<SessionSearchResult>,
    /// Schemas of the tools found, by slug.
    #[serde(default)]
    pub tool_schemas: BTreeMap<String, SessionSearchToolSchema>,
    /// Connection status of the toolkits involved.
    #[serde(default)]
    pub toolkit_connection_statuses: Vec<Value>,
    /// What the agent should do next.
    #[serde(default)]
    pub next_steps_guidance: Vec<String>,
    /// Session info (`{id, generate_id, instructions}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Value>,
    /// Time info (`{current_time_utc, ...}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_info: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a proxy parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionProxyParameterLocation {
    /// An HTTP header.
    Header,
    /// A query parameter.
    Query,
}

/// One header or query parameter of a session proxy call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionProxyParameter {
    /// Parameter name.
    pub name: String,
    /// Header or query (SDK input key `in`; also accepted as `type`).
    #[serde(rename = "in", alias = "type")]
    pub location: SessionProxyParameterLocation,
    /// Value; non-strings are sent as their JSON text.
    pub value: Value,
}

impl SessionProxyParameter {
    /// A header parameter.
    pub fn header(name: impl Into<String>, value: impl Into<Value>) -> Self {
        Self { name: name.into(), location: SessionProxyParameterLocation::Header, value: value.into() }
    }

    /// A query parameter.
    pub fn query(name: impl Into<String>, value: impl Into<Value>) -> Self {
        Self { name: name.into(), location: SessionProxyParameterLocation::Query, value: value.into() }
    }
}

/// A request made through the session's connected account
/// (`POST …/proxy_execute`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionProxyParams {
    /// The toolkit whose account signs the request (wire `toolkit_slug`).
    pub toolkit: String,
    /// Path relative to the toolkit's base URL, or an absolute URL.
    pub endpoint: String,
    /// `GET`, `POST`, `PUT`, `DELETE` or `PATCH` (case-insensitive).
    pub method: String,
    /// JSON body.
    #[serde(default)]
    pub body: Option<Value>,
    /// Headers and query parameters.
    #[serde(default)]
    pub parameters: Vec<SessionProxyParameter>,
    /// Binary body descriptor (`binary_body`), sent as given.
    #[serde(default)]
    pub binary_body: Option<Value>,
    /// Explicit connection data (`custom_connection_data`, camelCase keys),
    /// sent as given.
    #[serde(default)]
    pub custom_connection_data: Option<Value>,
}

/// A binary response body stored by Composio.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionProxyBinaryData {
    /// MIME type.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
    /// Download URL.
    #[serde(default)]
    pub url: Option<String>,
    /// When the URL expires.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of a session proxy call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionProxyResponse {
    /// The upstream HTTP status.
    #[serde(default)]
    pub status: u16,
    /// The upstream body (JSON or text).
    #[serde(default)]
    pub data: Option<Value>,
    /// The upstream headers.
    #[serde(default)]
    pub headers: Option<Map<String, Value>>,
    /// A binary body, stored and linked instead of inlined.
    #[serde(default)]
    pub binary_data: Option<SessionProxyBinaryData>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
