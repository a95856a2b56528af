//! Tool-router session configuration: parsing the create request (wire contract §2.1), the
//! normalised form that is stored and echoed (with the response's renamed keys), and the rules
//! that decide which tools a session may run.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::extract::{
    optional_bool, optional_object, optional_str, optional_str_list, reject_unknown, required_str, type_name,
};
use crate::toolkits::{self, meta, ToolDef, Toolkit};

/// The MCP annotation tags sessions can filter on.
pub const TAG_VALUES: &[&str] = &["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"];

/// `toolkits` as echoed: `{"enabled": [...]}` or `{"disabled": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToolkitFilter {
    /// Only these toolkits.
    #[serde(rename = "enabled")]
    Enabled(Vec<String>),
    /// Every toolkit except these.
    #[serde(rename = "disabled")]
    Disabled(Vec<String>),
}

/// `tags` as echoed: `{"enabled": [...], "disabled": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagFilter {
    /// A tool must carry at least one of these (when non-empty).
    pub enabled: Vec<String>,
    /// A tool must carry none of these.
    pub disabled: Vec<String>,
}

/// `tools.<toolkit>` as echoed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolFilter {
    /// Only these tools of the toolkit (beats tag filtering).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enabled: Option<Vec<String>>,
    /// Not these tools.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disabled: Option<Vec<String>>,
    /// Toolkit-level tag filter (overrides the global one).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tags: Option<TagFilter>,
}

/// `manage_connections` as echoed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManageConnections {
    /// Whether `COMPOSIO_MANAGE_CONNECTIONS` is offered.
    pub enabled: bool,
    /// Where connect links return to.
    pub callback_url: Option<String>,
    /// Whether `COMPOSIO_WAIT_FOR_CONNECTIONS` was requested.
    pub enable_wait_for_connections: Option<bool>,
    /// Whether connection removal was requested.
    pub enable_connection_removal: Option<bool>,
}

impl Default for ManageConnections {
    fn default() -> Self {
        Self {
            enabled: true,
            callback_url: None,
            enable_wait_for_connections: None,
            enable_connection_removal: None,
        }
    }
}

/// `workbench` as echoed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workbench {
    /// Whether the workbench meta tools are wanted (composio-local has none).
    pub enable: bool,
    /// Proxy execution inside the workbench.
    pub proxy_execution_enabled: Option<bool>,
    /// Offload threshold in characters.
    pub auto_offload_threshold: Option<u64>,
}

/// `multi_account` as echoed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultiAccount {
    /// Whether several accounts per toolkit are allowed.
    pub enable: Option<bool>,
    /// 2–10.
    pub max_accounts_per_toolkit: Option<u8>,
    /// Whether the caller must pick an account explicitly.
    pub require_explicit_selection: Option<bool>,
}

/// A session's normalised configuration; serialises to the response's `config` object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionConfig {
    /// The session's user.
    pub user_id: String,
    /// Toolkit enable/disable list.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub toolkits: Option<ToolkitFilter>,
    /// Per-toolkit tool filters, in request order.
    #[serde(skip_serializing_if = "Map::is_empty", default)]
    pub tools: Map<String, Value>,
    /// Global tag filter.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tags: Option<TagFilter>,
    /// Connection management.
    #[serde(default)]
    pub manage_connections: ManageConnections,
    /// Toolkit → auth config id.
    #[serde(skip_serializing_if = "Map::is_empty", default)]
    pub auth_configs: Map<String, Value>,
    /// Toolkit → connected account id.
    #[serde(skip_serializing_if = "Map::is_empty", default)]
    pub connected_accounts: Map<String, Value>,
    /// Workbench settings.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub workbench: Option<Workbench>,
    /// Multi-account settings.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub multi_account: Option<MultiAccount>,
    /// `preload` as stored and echoed: `{"tools": [slugs]}` (canonical slugs, deduplicated) or
    /// `{"tools": "all"}`; absent when not given (the response then shows `{"tools": []}`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub preload: Option<Value>,
    /// Echo of `experimental`: `assistive_prompt_config.user_timezone` and the checked session custom
    /// tools/toolkits with their final slugs (see [`crate::custom_tools`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub experimental: Option<Value>,
}

/// The fields `POST /tool_router/session` understands.
pub const CREATE_FIELDS: &[&str] = &[
    "user_id",
    "toolkits",
    "tools",
    "tags",
    "manage_connections",
    "auth_configs",
    "connected_accounts",
    "workbench",
    "multi_account",
    "experimental",
    "preload",
];

/// The most app tools a session preloads: `preload.tools = "all"` is cut to the first this many
/// allowed tools (registry order) and a longer explicit list is refused, like the hosted API,
/// which "validates and caps the final tool set".
pub const MAX_PRELOADED_TOOLS: usize = 50;

/// The `enable` and `disable` halves of a filter object (an array means `enable`).
type EnableDisable = (Option<Vec<String>>, Option<Vec<String>>);

fn str_list_or_enable(body: &Map<String, Value>, field: &str) -> Result<Option<EnableDisable>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(_)) => Ok(Some((optional_str_list(body, field)?, None))),
        Some(Value::Object(obj)) => {
            reject_unknown(obj, &["enable", "disable"], &format!("{field}."))?;
            let enable = optional_str_list(obj, "enable").map_err(|e| prefix(e, field))?;
            let disable = optional_str_list(obj, "disable").map_err(|e| prefix(e, field))?;
            Ok(Some((enable, disable)))
        }
        Some(other) => Err(ApiError::bad_request(format!(
            "field `{field}` must be an object with `enable` or `disable`, or an array, got {}",
            type_name(other)
        ))),
    }
}

fn prefix(mut e: ApiError, field: &str) -> ApiError {
    e.message = e.message.replacen("field `", &format!("field `{field}."), 1);
    e
}

fn known_toolkit(slug: &str, field: &str) -> Result<&'static Toolkit, ApiError> {
    toolkits::listed().find(|t| t.slug.eq_ignore_ascii_case(slug)).ok_or_else(|| {
        let available = toolkits::listed().map(|t| t.slug).collect::<Vec<_>>().join(", ");
        ApiError::bad_request(format!("{field}: unknown toolkit `{slug}`"))
            .fix(format!("Toolkits available in composio-local: {available}."))
    })
}

fn parse_tags(value: Option<EnableDisable>, field: &str) -> Result<Option<TagFilter>, ApiError> {
    let Some((enable, disable)) = value else { return Ok(None) };
    let filter = TagFilter { enabled: enable.unwrap_or_default(), disabled: disable.unwrap_or_default() };
    for tag in filter.enabled.iter().chain(&filter.disabled) {
        if !TAG_VALUES.contains(&tag.as_str()) {
            return Err(ApiError::bad_request(format!(
                "{field}: unknown tag `{tag}`; allowed tags: {}",
                TAG_VALUES.join(", ")
            )));
        }
    }
    Ok(Some(filter))
}

fn string_map(body: &Map<String, Value>, field: &str) -> Result<Map<String, Value>, ApiError> {
    let Some(obj) = optional_object(body, field)? else { return Ok(Map::new()) };
    let mut out = Map::new();
    for (toolkit, id) in obj {
        let tk = known_toolkit(toolkit, field)?;
        match id {
            Value::String(s) if !s.is_empty() => {
                out.insert(tk.slug.to_owned(), Value::String(s.clone()));
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "field `{field}.{toolkit}` must be a non-empty string id, got {}",
                    type_name(other)
                )))
            }
        }
    }
    Ok(out)
}

impl SessionConfig {
    /// Parse and validate a create-session body.
    pub fn from_request(body: &Map<String, Value>) -> Result<SessionConfig, ApiError> {
        for key in body.keys().filter(|k| !CREATE_FIELDS.contains(&k.as_str())) {
            tracing::warn!(field = %key, "ignoring unknown field in session create request");
        }
        let user_id = required_str(body, "user_id")?;

        let toolkits = match str_list_or_enable(body, "toolkits")? {
            None => None,
            Some((Some(_), Some(_))) => {
                return Err(ApiError::bad_request(
                    "field `toolkits`: `enable` and `disable` are mutually exclusive",
                ))
            }
            Some((None, None)) => {
                return Err(ApiError::bad_request("field `toolkits` must contain `enable` or `disable`"))
            }
            Some((enable, disable)) => {
                let (list, is_enable) = match (enable, disable) {
                    (Some(l), _) => (l, true),
                    (None, Some(l)) => (l, false),
                    (None, None) => (Vec::new(), true),
                };
                let field = if is_enable { "toolkits.enable" } else { "toolkits.disable" };
                let mut slugs: Vec<String> = Vec::new();
                for slug in &list {
                    let tk = known_toolkit(slug, field)?;
                    if !slugs.iter().any(|s| s == tk.slug) {
                        slugs.push(tk.slug.to_owned());
                    }
                }
                Some(if is_enable { ToolkitFilter::Enabled(slugs) } else { ToolkitFilter::Disabled(slugs) })
            }
        };

        let mut tools = Map::new();
        if let Some(obj) = optional_object(body, "tools")? {
            for (toolkit, filter) in obj {
                let field = format!("tools.{toolkit}");
                let tk = known_toolkit(toolkit, &format!("field `{field}`"))?;
                let mut wrapper = Map::new();
                wrapper.insert("f".into(), filter.clone());
                let parsed = match filter {
                    Value::Array(_) => ToolFilter { enabled: optional_str_list(&wrapper, "f").map_err(|e| rename(e, &field))?, ..Default::default() },
                    Value::Object(f) => {
                        reject_unknown(f, &["enable", "disable", "tags"], &format!("{field}."))?;
                        let enabled = optional_str_list(f, "enable").map_err(|e| prefix(e, &field))?;
                        let disabled = optional_str_list(f, "disable").map_err(|e| prefix(e, &field))?;
                        if enabled.is_some() && disabled.is_some() {
                            return Err(ApiError::bad_request(format!(
                                "field `{field}`: `enable` and `disable` are mutually exclusive"
                            )));
                        }
                        let tags = parse_tags(str_list_or_enable(f, "tags").map_err(|e| prefix(e, &field))?, &format!("field `{field}.tags`"))?;
                        ToolFilter { enabled, disabled, tags }
                    }
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "field `{field}` must be an object with `enable`, `disable` or `tags`, or an array, got {}",
                            type_name(other)
                        )))
                    }
                };
                let normalise =
                    |list: Option<Vec<String>>, which: &str| -> Result<Option<Vec<String>>, ApiError> {
                        list.map(|l| {
                            l.iter()
                                .map(|slug| {
                                    tk.tools
                                        .iter()
                                        .find(|t| t.slug.eq_ignore_ascii_case(slug))
                                        .map(|t| t.slug.to_owned())
                                        .ok_or_else(|| {
                                            ApiError::bad_request(format!(
                                                "field `{field}.{which}`: toolkit `{}` has no tool `{slug}`",
                                                tk.slug
                                            ))
                                        })
                                })
                                .collect()
                        })
                        .transpose()
                    };
                let parsed = ToolFilter {
                    enabled: normalise(parsed.enabled, "enable")?,
                    disabled: normalise(parsed.disabled, "disable")?,
                    tags: parsed.tags,
                };
                let value = serde_json::to_value(&parsed).map_err(ApiError::internal)?;
                tools.insert(tk.slug.to_owned(), value);
            }
        }

        let tags = parse_tags(str_list_or_enable(body, "tags")?, "field `tags`")?;

        let manage_connections = match body.get("manage_connections") {
            None | Some(Value::Null) => ManageConnections::default(),
            Some(Value::Bool(b)) => ManageConnections { enabled: *b, ..Default::default() },
            Some(Value::Object(m)) => {
                reject_unknown(
                    m,
                    &["enable", "callback_url", "enable_wait_for_connections", "enable_connection_removal"],
                    "manage_connections.",
                )?;
                let f = "manage_connections";
                ManageConnections {
                    enabled: optional_bool(m, "enable").map_err(|e| prefix(e, f))?.unwrap_or(true),
                    callback_url: optional_str(m, "callback_url").map_err(|e| prefix(e, f))?,
                    enable_wait_for_connections: optional_bool(m, "enable_wait_for_connections")
                        .map_err(|e| prefix(e, f))?,
                    enable_connection_removal: optional_bool(m, "enable_connection_removal")
                        .map_err(|e| prefix(e, f))?,
                }
            }
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "field `manage_connections` must be an object or a boolean, got {}",
                    type_name(other)
                )))
            }
        };

        let workbench = match optional_object(body, "workbench")? {
            None => None,
            Some(w) => {
                reject_unknown(
                    w,
                    &["enable", "enable_proxy_execution", "auto_offload_threshold"],
                    "workbench.",
                )?;
                let threshold = match w.get("auto_offload_threshold") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.as_f64().filter(|n| *n >= 0.0).map(|n| n as u64).ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "field `workbench.auto_offload_threshold` must be a non-negative number, got {v}"
                        ))
                    })?),
                };
                Some(Workbench {
                    enable: optional_bool(w, "enable").map_err(|e| prefix(e, "workbench"))?.unwrap_or(true),
                    proxy_execution_enabled: optional_bool(w, "enable_proxy_execution")
                        .map_err(|e| prefix(e, "workbench"))?,
                    auto_offload_threshold: threshold,
                })
            }
        };

        let multi_account = match optional_object(body, "multi_account")? {
            None => None,
            Some(m) => {
                reject_unknown(
                    m,
                    &["enable", "max_accounts_per_toolkit", "require_explicit_selection"],
                    "multi_account.",
                )?;
                let max = match m.get("max_accounts_per_toolkit") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.as_u64().filter(|n| (2..=10).contains(n)).map(|n| n as u8).ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "field `multi_account.max_accounts_per_toolkit` must be an integer from 2 to 10, got {v}"
                        ))
                    })?),
                };
                Some(MultiAccount {
                    enable: optional_bool(m, "enable").map_err(|e| prefix(e, "multi_account"))?,
                    max_accounts_per_toolkit: max,
                    require_explicit_selection: optional_bool(m, "require_explicit_selection")
                        .map_err(|e| prefix(e, "multi_account"))?,
                })
            }
        };

        let mut user_timezone = None;
        let (mut custom_tools, mut custom_toolkits) = (Vec::new(), Vec::new());
        if let Some(exp) = optional_object(body, "experimental")? {
            reject_unknown(
                exp,
                &["assistive_prompt_config", "custom_tools", "custom_toolkits", "session_config_id"],
                "experimental.",
            )?;
            (custom_tools, custom_toolkits) = crate::custom_tools::parse(exp)?;
            if let Some(cfg) =
                optional_object(exp, "assistive_prompt_config").map_err(|e| prefix(e, "experimental"))?
            {
                reject_unknown(cfg, &["user_timezone"], "experimental.assistive_prompt_config.")?;
                user_timezone = optional_str(cfg, "user_timezone")
                    .map_err(|e| prefix(e, "experimental.assistive_prompt_config"))?;
            }
        }

        let mut experimental = Map::new();
        if let Some(tz) = user_timezone {
            experimental.insert("assistive_prompt_config".into(), serde_json::json!({"user_timezone": tz}));
        }
        if !custom_tools.is_empty() || !custom_toolkits.is_empty() {
            experimental.insert("custom_tools".into(), Value::Array(custom_tools));
            experimental.insert("custom_toolkits".into(), Value::Array(custom_toolkits));
        }
        let experimental = (!experimental.is_empty()).then_some(Value::Object(experimental));
        let mut config = SessionConfig {
            user_id,
            toolkits,
            tools,
            tags,
            manage_connections,
            auth_configs: string_map(body, "auth_configs")?,
            connected_accounts: string_map(body, "connected_accounts")?,
            workbench,
            multi_account,
            experimental,
            preload: None,
        };
        config.preload = config.parse_preload(body)?;
        Ok(config)
    }

    /// Whether the session has a positive filter (`toolkits.enable`, a tool `enable` list, or
    /// an enabled tag), which `preload.tools = "all"` needs.
    fn has_positive_filter(&self) -> bool {
        matches!(&self.toolkits, Some(ToolkitFilter::Enabled(l)) if !l.is_empty())
            || self.tags.as_ref().is_some_and(|t| !t.enabled.is_empty())
            || self.tools.values().any(|v| {
                serde_json::from_value::<ToolFilter>(v.clone()).is_ok_and(|f| {
                    f.enabled.is_some() || f.tags.as_ref().is_some_and(|t| !t.enabled.is_empty())
                })
            })
    }

    /// Parse and check `preload` against the session's filters.
    pub(crate) fn parse_preload(&self, body: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
        let Some(p) = optional_object(body, "preload")? else { return Ok(None) };
        reject_unknown(p, &["tools"], "preload.")?;
        let tools = match p.get("tools") {
            None | Some(Value::Null) => return Ok(Some(json!({"tools": []}))),
            Some(Value::String(s)) if s == "all" => {
                if !self.has_positive_filter() {
                    return Err(ApiError::bad_request(
                        "field `preload.tools`: \"all\" requires a positive filter (`toolkits`, `tools` or `tags`)",
                    )
                    .fix("Enable toolkits, tools or tags for the session, or list the tools to preload."));
                }
                return Ok(Some(json!({"tools": "all"})));
            }
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "field `preload.tools` must be an array of tool slugs or \"all\", got {}",
                    if other.is_string() { format!("{other}") } else { type_name(other).to_owned() }
                )))
            }
        };
        if tools.len() > MAX_PRELOADED_TOOLS {
            return Err(ApiError::bad_request(format!(
                "field `preload.tools` lists {} tools; at most {MAX_PRELOADED_TOOLS} can be preloaded",
                tools.len()
            )));
        }
        let mut slugs: Vec<String> = Vec::new();
        for (i, item) in tools.iter().enumerate() {
            let field = format!("preload.tools[{i}]");
            let Some(slug) = item.as_str() else {
                return Err(ApiError::bad_request(format!(
                    "field `{field}` must be a tool slug (string), got {}",
                    type_name(item)
                )));
            };
            if slug.to_ascii_uppercase().starts_with("LOCAL_") {
                return Err(ApiError::bad_request(format!(
                    "field `{field}`: `{slug}` is a session custom tool; custom tools are preloaded with their own `preload` flag"
                )));
            }
            let (tk, tool) = toolkits::find_tool(slug)
                .filter(|(tk, _)| tk.listed)
                .ok_or_else(|| ApiError::bad_request(format!("field `{field}`: unknown tool `{slug}`")))?;
            self.check_tool(tk, tool)
                .map_err(|why| ApiError::bad_request(format!("field `{field}` (`{slug}`): {why}")))?;
            if !slugs.iter().any(|s| s == tool.slug) {
                slugs.push(tool.slug.to_owned());
            }
        }
        Ok(Some(json!({"tools": slugs})))
    }

    /// The app tools this session preloads (listed after the meta tools by the session's tool
    /// list and MCP `tools/list`): the `preload.tools` list, or every tool the filters allow
    /// (at most [`MAX_PRELOADED_TOOLS`]) for `"all"`.
    pub fn preloaded_tools(&self) -> Vec<(&'static Toolkit, &'static ToolDef)> {
        match self.preload.as_ref().and_then(|p| p.get("tools")) {
            Some(Value::String(s)) if s == "all" => toolkits::regular_tools()
                .filter(|(tk, t)| self.check_tool(tk, t).is_ok())
                .take(MAX_PRELOADED_TOOLS)
                .collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(toolkits::find_tool)
                .filter(|(tk, t)| self.check_tool(tk, t).is_ok())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The session's custom tools and toolkits (final slugs), as echoed in the create response.
    pub fn custom_tools(&self) -> (Value, Value) {
        let get = |k: &str| self.experimental.as_ref().and_then(|e| e.get(k)).cloned().unwrap_or(json!([]));
        (get("custom_tools"), get("custom_toolkits"))
    }

    /// The user's time zone from `experimental.assistive_prompt_config`, if given.
    pub fn user_timezone(&self) -> Option<&str> {
        self.experimental.as_ref()?.get("assistive_prompt_config")?.get("user_timezone")?.as_str()
    }

    /// The meta tools this session offers, in order.
    pub fn router_tools(&self) -> Vec<&'static str> {
        let mut out = vec![meta::SEARCH_TOOLS, meta::GET_TOOL_SCHEMAS, meta::MULTI_EXECUTE_TOOL];
        if self.manage_connections.enabled {
            out.push(meta::MANAGE_CONNECTIONS);
        }
        out
    }

    /// Whether the session's toolkit filter lets `tk` through; the error names the rule.
    pub fn check_toolkit(&self, tk: &Toolkit) -> Result<(), String> {
        match &self.toolkits {
            Some(ToolkitFilter::Enabled(list)) if !list.iter().any(|s| s == tk.slug) => Err(format!(
                "Toolkit `{}` is not enabled in this session (its `toolkits.enable` list is [{}])",
                tk.slug,
                list.join(", ")
            )),
            Some(ToolkitFilter::Disabled(list)) if list.iter().any(|s| s == tk.slug) => {
                Err(format!("Toolkit `{}` is disabled in this session (`toolkits.disable`)", tk.slug))
            }
            _ => Ok(()),
        }
    }

    /// Whether the session may run `tool` of `tk`; the error names the rule that forbids it.
    pub fn check_tool(&self, tk: &Toolkit, tool: &ToolDef) -> Result<(), String> {
        if tk.slug == "composio" {
            return self.check_meta(tool.slug);
        }
        self.check_toolkit(tk)?;
        let filter: Option<ToolFilter> =
            self.tools.get(tk.slug).and_then(|v| serde_json::from_value(v.clone()).ok());
        if let Some(f) = &filter {
            if let Some(enabled) = &f.enabled {
                return if enabled.iter().any(|s| s == tool.slug) {
                    Ok(())
                } else {
                    Err(format!(
                        "Tool `{}` is not enabled in this session (`tools.{}.enable`)",
                        tool.slug, tk.slug
                    ))
                };
            }
            if f.disabled.as_ref().is_some_and(|d| d.iter().any(|s| s == tool.slug)) {
                return Err(format!(
                    "Tool `{}` is disabled in this session (`tools.{}.disable`)",
                    tool.slug, tk.slug
                ));
            }
        }
        let (tags, origin) = match filter.as_ref().and_then(|f| f.tags.as_ref()) {
            Some(t) => (Some(t), format!("tools.{}.tags", tk.slug)),
            None => (self.tags.as_ref(), "tags".to_owned()),
        };
        if let Some(tags) = tags {
            if let Some(bad) = tool.tags.iter().find(|t| tags.disabled.iter().any(|d| d == *t)) {
                return Err(format!(
                    "Tool `{}` has tag `{bad}`, which is disabled in this session (`{origin}`)",
                    tool.slug
                ));
            }
            if !tags.enabled.is_empty() && !tool.tags.iter().any(|t| tags.enabled.iter().any(|e| e == t)) {
                return Err(format!(
                    "Tool `{}` has none of the tags enabled in this session ({}; `{origin}`)",
                    tool.slug,
                    tags.enabled.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Whether a meta tool is offered by this session.
    pub fn check_meta(&self, slug: &str) -> Result<(), String> {
        if slug == meta::MANAGE_CONNECTIONS && !self.manage_connections.enabled {
            return Err(format!("{slug} is disabled in this session (`manage_connections.enable` is false)"));
        }
        Ok(())
    }

    /// A configuration that allows everything (used for meta tools run outside a session).
    pub fn unrestricted(user_id: Option<String>) -> SessionConfig {
        SessionConfig {
            user_id: user_id.unwrap_or_default(),
            toolkits: None,
            tools: Map::new(),
            tags: None,
            manage_connections: ManageConnections::default(),
            auth_configs: Map::new(),
            connected_accounts: Map::new(),
            workbench: None,
            multi_account: None,
            experimental: None,
            preload: None,
        }
    }
}

fn rename(mut e: ApiError, field: &str) -> ApiError {
    e.message = e.message.replace("`f", &format!("`{field}"));
    e
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(v: Value) -> Result<SessionConfig, ApiError> {
        SessionConfig::from_request(v.as_object().unwrap())
    }

    #[test]
    fn preload_is_checked_and_normalised() {
        let msg = |v: Value| parse(v).unwrap_err().message;
        let m = msg(json!({"user_id": "u", "preload": {"tools": "all"}}));
        assert!(m.contains("preload.tools") && m.contains("positive filter"), "{m}");
        // A disable-only filter is not positive.
        let m = msg(json!({"user_id": "u", "toolkits": {"disable": ["notes"]}, "preload": {"tools": "all"}}));
        assert!(m.contains("positive filter"), "{m}");
        assert!(msg(json!({"user_id": "u", "preload": {"tools": "some"}})).contains("\"all\""));
        assert!(msg(json!({"user_id": "u", "preload": {"tols": []}})).contains("preload.tols"));
        assert!(msg(json!({"user_id": "u", "preload": {"tools": [1]}})).contains("preload.tools[0]"));
        assert!(msg(json!({"user_id": "u", "preload": {"tools": ["LOCAL_X"]}})).contains("custom tool"));
        let many: Vec<String> = (0..=MAX_PRELOADED_TOOLS).map(|i| format!("T{i}")).collect();
        assert!(msg(json!({"user_id": "u", "preload": {"tools": many}})).contains("at most"));

        let tags =
            parse(json!({"user_id": "u", "tags": ["readOnlyHint"], "preload": {"tools": "all"}})).unwrap();
        let pre = tags.preloaded_tools();
        assert!(!pre.is_empty() && pre.iter().all(|(_, t)| t.tags.contains(&"readOnlyHint")));
        let list =
            parse(json!({"user_id": "u", "preload": {"tools": ["text_word_count", "TEXT_WORD_COUNT"]}}))
                .unwrap();
        assert_eq!(list.preload, Some(json!({"tools": ["TEXT_WORD_COUNT"]})));
        assert_eq!(list.preloaded_tools().len(), 1);
        let empty = parse(json!({"user_id": "u", "preload": {}})).unwrap();
        assert_eq!(empty.preload, Some(json!({"tools": []})));
        assert!(empty.preloaded_tools().is_empty());
    }

    #[test]
    fn echo_shape() {
        let c = parse(json!({"user_id":"u1","toolkits":["TEXT"],"tags":{"enable":["readOnlyHint"]},
            "tools":{"text":{"disable":["text_find_replace"]}},
            "manage_connections":{"enable":true,"callback_url":"https://app/cb"},
            "workbench":{"enable":false,"enable_proxy_execution":true}}))
        .unwrap();
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["toolkits"], json!({"enabled":["text"]}));
        assert_eq!(v["tags"], json!({"enabled":["readOnlyHint"],"disabled":[]}));
        assert_eq!(v["tools"], json!({"text":{"disabled":["TEXT_FIND_REPLACE"]}}));
        assert_eq!(v["manage_connections"]["enabled"], true);
        assert_eq!(
            v["workbench"],
            json!({"enable":false,"proxy_execution_enabled":true,"auto_offload_threshold":null})
        );
        let back: SessionConfig = serde_json::from_value(v).unwrap();
        assert_eq!(back.toolkits, c.toolkits);
    }

    #[test]
    fn errors_name_fields() {
        let msg = |v: Value| parse(v).unwrap_err().message;
        assert_eq!(msg(json!({})), "missing required field `user_id`");
        assert!(
            msg(json!({"user_id":"u","toolkits":{"enable":["github"]}})).contains("unknown toolkit `github`")
        );
        assert!(msg(json!({"user_id":"u","toolkits":{"enable":["text"],"disable":["text"]}}))
            .contains("mutually exclusive"));
        assert!(msg(json!({"user_id":"u","toolkits":{"enabled":["text"]}})).contains("`toolkits.enabled`"));
        assert!(msg(json!({"user_id":"u","tags":["fastHint"]})).contains("unknown tag `fastHint`"));
        assert!(msg(json!({"user_id":"u","tools":{"text":["NOPE"]}})).contains("has no tool `NOPE`"));
        assert!(
            msg(json!({"user_id":"u","tools":{"text":{"enable":[1]}}})).contains("`tools.text.enable[0]`")
        );
        assert!(
            msg(json!({"user_id":"u","multi_account":{"max_accounts_per_toolkit":11}})).contains("2 to 10")
        );
    }

    #[test]
    fn rules() {
        let (tk, wc) = toolkits::find_tool("TEXT_WORD_COUNT").unwrap();
        let (_, fr) = toolkits::find_tool("TEXT_FIND_REPLACE").unwrap();
        let c = parse(json!({"user_id":"u","toolkits":{"disable":["text"]}})).unwrap();
        assert!(c.check_tool(tk, wc).unwrap_err().contains("disabled"));
        let c = parse(json!({"user_id":"u","tags":["readOnlyHint"]})).unwrap();
        assert!(c.check_tool(tk, wc).is_ok());
        assert!(c.check_tool(tk, fr).unwrap_err().contains("none of the tags"));
        let c = parse(json!({"user_id":"u","tags":["readOnlyHint"],"tools":{"text":["TEXT_FIND_REPLACE"]}}))
            .unwrap();
        assert!(c.check_tool(tk, fr).is_ok(), "toolkit enable list beats tags");
        assert!(c.check_tool(tk, wc).is_err());
    }
}
