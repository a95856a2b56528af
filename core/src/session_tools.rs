//! Session custom tools and toolkits (wire contract §11.3): local tools that
//! live in one tool-router session.
//!
//! They are defined with [`CustomTool`] (its `toolkit` means
//! `extends_toolkit`) and [`SessionCustomToolkit`], given to
//! [`SessionConfig`](crate::models::SessionConfig) (`custom_tools`,
//! `custom_toolkits`), announced to the API in the create body's
//! `experimental` block, and run in-process by
//! [`Session::execute`](crate::sessions::Session::execute),
//! [`Session::execute_meta`](crate::sessions::Session::execute_meta)
//! (including the items of a `COMPOSIO_MULTI_EXECUTE_TOOL` call) and
//! [`CustomToolContext::execute`](crate::custom_tools::CustomToolContext::execute).
//!
//! # Slugs
//!
//! A slug matches `^[A-Za-z0-9_-]+$` and must not start with `LOCAL_` or
//! `COMPOSIO_` (any case). The final slug the model sees is
//! `LOCAL_` + `<TOOLKIT>_` (for tools of a toolkit or extending one) +
//! `SLUG`, upper-cased, at most [`MAX_LOCAL_SLUG_LEN`] characters. Slugs
//! must be unique across all tools and toolkits of a session. Every
//! violation is an [`Error::Validation`] naming the slug.
//!
//! The create response echoes the final slug and `original_slug` of each
//! tool; a session looks its local tools up by either (case-insensitive).
//! When the response lacks them the final slugs are derived locally by the
//! rule above.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::custom_tools::CustomTool;
use crate::error::{Error, Result};
use crate::models::ToolExecuteResponse;

/// Prefix of every session custom tool's final slug.
pub const LOCAL_PREFIX: &str = "LOCAL_";

/// Maximum length of a final (`LOCAL_…`) slug.
pub const MAX_LOCAL_SLUG_LEN: usize = 60;

/// The meta tool whose calls are split between local and remote tools.
pub const MULTI_EXECUTE_TOOL: &str = "COMPOSIO_MULTI_EXECUTE_TOOL";

/// The description prefix of a preloaded session custom tool in
/// [`Session::tools`](crate::sessions::Session::tools), as `@composio/core`
/// 0.21 and `composio` 0.30 write it.
pub const DIRECT_CUSTOM_TOOL_DESCRIPTION_PREFIX: &str =
    "[Direct tool - call directly, no search needed beforehand.]";

/// The `preload` booleans of session custom tools and toolkits
/// (`@composio/core` 0.21 `createCustomTool({preload})` /
/// `createCustomToolkit({preload})`, `composio` 0.30
/// `@experimental.tool(preload=)` / `Toolkit(preload=)`).
///
/// A preloaded custom tool is listed by
/// [`Session::tools`](crate::sessions::Session::tools) (it is otherwise
/// search-only). A tool's own flag wins over its toolkit's, which wins over
/// the session default (`true` when the session's `preload.tools` is
/// `"all"`). Keys are matched case-insensitively against the tools' slugs as
/// defined (unique within a session) and the custom toolkits' slugs; a key
/// that names no tool or toolkit of the session is an
/// [`Error::Validation`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomToolPreload {
    /// Flags by custom tool slug (standalone tools and toolkit tools).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tools: BTreeMap<String, bool>,
    /// Flags by custom toolkit slug (inherited by its tools).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub toolkits: BTreeMap<String, bool>,
}

impl CustomToolPreload {
    /// Whether no flag is set.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty() && self.toolkits.is_empty()
    }

    fn tool(&self, slug: &str) -> Option<bool> {
        self.tools.iter().find(|(k, _)| k.eq_ignore_ascii_case(slug)).map(|(_, v)| *v)
    }

    fn toolkit(&self, slug: &str) -> Option<bool> {
        self.toolkits.iter().find(|(k, _)| k.eq_ignore_ascii_case(slug)).map(|(_, v)| *v)
    }

    /// Every key must name a tool or toolkit of the session.
    fn check(&self, tools: &[CustomTool], toolkits: &[SessionCustomToolkit]) -> Result<()> {
        for key in self.tools.keys() {
            let known = tools
                .iter()
                .chain(toolkits.iter().flat_map(|tk| tk.tools.iter()))
                .any(|t| t.slug.eq_ignore_ascii_case(key));
            if !known {
                return Err(Error::validation(format!(
                    "custom tool preload names {key:?}, which is not a custom tool of this session"
                )));
            }
        }
        for key in self.toolkits.keys() {
            if !toolkits.iter().any(|tk| tk.slug.eq_ignore_ascii_case(key)) {
                return Err(Error::validation(format!(
                    "custom toolkit preload names {key:?}, which is not a custom toolkit of this session"
                )));
            }
        }
        Ok(())
    }

    /// These flags plus the definitions' own ([`CustomTool::preload`],
    /// [`SessionCustomToolkit::preload`]), checked: every key must name a
    /// tool or toolkit of the session, and a flag given both ways must agree.
    pub fn with_definitions(&self, tools: &[CustomTool], toolkits: &[SessionCustomToolkit]) -> Result<Self> {
        fn put(map: &mut BTreeMap<String, bool>, what: &str, slug: &str, flag: bool) -> Result<()> {
            match map.iter().find(|(k, _)| k.eq_ignore_ascii_case(slug)).map(|(_, v)| *v) {
                Some(v) if v != flag => Err(Error::validation(format!(
                    "custom {what} {slug:?} has preload={flag} on its definition but preload={v} in the \
                     session's custom tool preload flags; set it once"
                ))),
                Some(_) => Ok(()),
                None => {
                    map.insert(slug.to_owned(), flag);
                    Ok(())
                }
            }
        }
        let mut out = self.clone();
        for t in tools.iter().chain(toolkits.iter().flat_map(|tk| tk.tools.iter())) {
            if let Some(p) = t.preload {
                put(&mut out.tools, "tool", &t.slug, p)?;
            }
        }
        for tk in toolkits {
            if let Some(p) = tk.preload {
                put(&mut out.toolkits, "toolkit", &tk.slug, p)?;
            }
        }
        out.check(tools, toolkits)?;
        Ok(out)
    }

    /// The effective flag of a tool (own, else toolkit's, else the default).
    fn effective(&self, tool: &str, toolkit: Option<&str>, default_preload: bool) -> bool {
        self.tool(tool).or_else(|| toolkit.and_then(|tk| self.toolkit(tk))).unwrap_or(default_preload)
    }
}

/// The `preload` value sent for one definition: an explicit flag is sent
/// when it is `true` or overrides an inherited/default `true`; with no flag,
/// an inherited or default `true` is sent. `None` omits the key (as the
/// official SDKs do).
fn serialized_preload(own: Option<bool>, inherited: Option<bool>, default_preload: bool) -> Option<bool> {
    let inherited_or_default = inherited.unwrap_or(default_preload);
    match (own, inherited) {
        (Some(p), _) => (p || inherited_or_default).then_some(p),
        (None, Some(i)) => (i || default_preload).then_some(i),
        (None, None) => default_preload.then_some(true),
    }
}

/// A toolkit of session custom tools (wire `experimental.custom_toolkits[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionCustomToolkit {
    /// Toolkit slug (same rules as tool slugs).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The toolkit's tools; their `toolkit` field must be unset or equal to
    /// this toolkit's slug.
    pub tools: Vec<CustomTool>,
    /// Default `preload` of its tools without their own flag (`None`: the
    /// session default; see [`CustomToolPreload`]).
    pub preload: Option<bool>,
}

impl SessionCustomToolkit {
    /// An empty toolkit.
    pub fn new(slug: impl Into<String>, name: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            slug: slug.into(),
            name: name.into(),
            description: description.into(),
            tools: Vec::new(),
            preload: None,
        }
    }

    /// Sets the toolkit's `preload` flag (inherited by its tools without
    /// their own).
    pub fn with_preload(mut self, preload: bool) -> Self {
        self.preload = Some(preload);
        self
    }

    /// Adds a tool.
    pub fn with_tool(mut self, tool: CustomTool) -> Self {
        self.tools.push(tool);
        self
    }
}

/// A session custom tool as [`Session::custom_tools`](crate::sessions::Session::custom_tools)
/// lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionCustomToolInfo {
    /// The final slug (`LOCAL_…`).
    pub slug: String,
    /// The slug it was defined with.
    pub original_slug: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The toolkit it belongs to or extends, as defined.
    pub toolkit: Option<String>,
    /// JSON Schema of the arguments.
    pub input_schema: Value,
    /// JSON Schema of the result, when one was given.
    pub output_schema: Option<Value>,
}

/// A session custom toolkit as
/// [`Session::custom_toolkits`](crate::sessions::Session::custom_toolkits)
/// lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionCustomToolkitInfo {
    /// Toolkit slug, as defined.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Its tools (final slugs).
    pub tools: Vec<SessionCustomToolInfo>,
}

/// The final slug of a session custom tool: `LOCAL_` + `<TOOLKIT>_` (when
/// given) + `SLUG`, upper-cased. Does not check the rules (see
/// [`validate_session_custom_tools`]).
pub fn local_tool_slug(slug: &str, toolkit: Option<&str>) -> String {
    let mut out = String::from(LOCAL_PREFIX);
    if let Some(t) = toolkit {
        out.push_str(t);
        out.push('_');
    }
    out.push_str(slug);
    out.to_uppercase()
}

fn check_slug_text(what: &str, slug: &str) -> Result<()> {
    if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(Error::validation(format!(
            "{what} slug {slug:?} is invalid: it must match ^[A-Za-z0-9_-]+$"
        )));
    }
    let upper = slug.to_ascii_uppercase();
    for prefix in [LOCAL_PREFIX, "COMPOSIO_"] {
        if upper.starts_with(prefix) {
            return Err(Error::validation(format!(
                "{what} slug {slug:?} must not start with {prefix} (reserved)"
            )));
        }
    }
    Ok(())
}

/// The toolkit a tool extends (its `toolkit`), ignoring an empty value.
fn extends(tool: &CustomTool) -> Option<&str> {
    tool.toolkit.as_deref().filter(|t| !t.is_empty())
}

/// One tool with the toolkit that prefixes its final slug and whether that
/// toolkit is a session toolkit (`true`) or an extended one.
struct Flat<'a> {
    tool: &'a CustomTool,
    toolkit: Option<&'a str>,
    in_toolkit: bool,
}

fn flatten<'a>(tools: &'a [CustomTool], toolkits: &'a [SessionCustomToolkit]) -> Vec<Flat<'a>> {
    let mut out: Vec<Flat<'a>> =
        tools.iter().map(|t| Flat { tool: t, toolkit: extends(t), in_toolkit: false }).collect();
    for tk in toolkits {
        for t in &tk.tools {
            out.push(Flat { tool: t, toolkit: Some(tk.slug.as_str()), in_toolkit: true });
        }
    }
    out
}

/// Checks every slug rule of §11.3 (characters, reserved prefixes, final
/// length, uniqueness across tools and toolkits) and each tool's own
/// definition ([`CustomTool::validate`]).
pub fn validate_session_custom_tools(tools: &[CustomTool], toolkits: &[SessionCustomToolkit]) -> Result<()> {
    let mut toolkit_slugs: HashSet<String> = HashSet::new();
    for tk in toolkits {
        check_slug_text("custom toolkit", &tk.slug)?;
        if !toolkit_slugs.insert(tk.slug.to_uppercase()) {
            return Err(Error::validation(format!("duplicate custom toolkit slug {:?}", tk.slug)));
        }
        if tk.name.trim().is_empty() {
            return Err(Error::validation(format!("custom toolkit {:?} needs a name", tk.slug)));
        }
        if tk.description.trim().is_empty() {
            return Err(Error::validation(format!("custom toolkit {:?} needs a description", tk.slug)));
        }
        if tk.tools.is_empty() {
            return Err(Error::validation(format!("custom toolkit {:?} has no tools", tk.slug)));
        }
        for t in &tk.tools {
            if let Some(other) = extends(t).filter(|o| !o.eq_ignore_ascii_case(&tk.slug)) {
                return Err(Error::validation(format!(
                    "custom tool {:?} is in toolkit {:?} but names toolkit {other:?}",
                    t.slug, tk.slug
                )));
            }
        }
    }
    let mut originals: HashSet<String> = HashSet::new();
    let mut finals: HashSet<String> = HashSet::new();
    for f in flatten(tools, toolkits) {
        check_slug_text("custom tool", &f.tool.slug)?;
        if let (Some(t), false) = (f.toolkit, f.in_toolkit) {
            if !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(Error::validation(format!(
                    "custom tool {:?}: extends_toolkit {t:?} must match ^[A-Za-z0-9_-]+$",
                    f.tool.slug
                )));
            }
        }
        f.tool.validate()?;
        let final_slug = local_tool_slug(&f.tool.slug, f.toolkit);
        if final_slug.len() > MAX_LOCAL_SLUG_LEN {
            return Err(Error::validation(format!(
                "custom tool slug {:?} is too long: its final slug {final_slug} has {} characters (max {MAX_LOCAL_SLUG_LEN})",
                f.tool.slug,
                final_slug.len()
            )));
        }
        if !originals.insert(f.tool.slug.to_uppercase()) {
            return Err(Error::validation(format!("duplicate custom tool slug {:?}", f.tool.slug)));
        }
        if !finals.insert(final_slug.clone()) {
            return Err(Error::validation(format!(
                "custom tool slug {:?} collides with another tool's final slug {final_slug}",
                f.tool.slug
            )));
        }
    }
    Ok(())
}

/// The output schema to announce: `None` for the default empty schema.
fn output_schema(tool: &CustomTool) -> Option<Value> {
    let v = &tool.output_parameters;
    let empty = v.is_null()
        || v.as_object().is_some_and(|o| o.is_empty())
        || *v == crate::models::empty_object_schema();
    (!empty).then(|| v.clone())
}

fn tool_wire(tool: &CustomTool, extends_toolkit: Option<&str>, preload: Option<bool>) -> Value {
    let mut m = Map::new();
    m.insert("slug".into(), Value::String(tool.slug.clone()));
    m.insert("name".into(), Value::String(tool.name.clone()));
    m.insert("description".into(), Value::String(tool.description.clone()));
    m.insert("input_schema".into(), tool.input_parameters.clone());
    if let Some(o) = output_schema(tool) {
        m.insert("output_schema".into(), o);
    }
    if let Some(t) = extends_toolkit {
        m.insert("extends_toolkit".into(), Value::String(t.to_string()));
    }
    if let Some(p) = preload {
        m.insert("preload".into(), Value::Bool(p));
    }
    Value::Object(m)
}

/// Validates the definitions and builds the wire lists
/// `(experimental.custom_tools, experimental.custom_toolkits)` with the
/// definitions' own preload flags and no session default.
pub fn experimental_wire(
    tools: &[CustomTool],
    toolkits: &[SessionCustomToolkit],
) -> Result<(Vec<Value>, Vec<Value>)> {
    experimental_wire_with_preload(tools, toolkits, &CustomToolPreload::default(), false)
}

/// Validates the definitions and the preload flags and builds the wire
/// lists `(experimental.custom_tools, experimental.custom_toolkits)`, each
/// tool and toolkit with the `preload` boolean the official SDKs send for
/// it (`default_preload` is `true` when the session's `preload.tools` is
/// `"all"`).
pub fn experimental_wire_with_preload(
    tools: &[CustomTool],
    toolkits: &[SessionCustomToolkit],
    preload: &CustomToolPreload,
    default_preload: bool,
) -> Result<(Vec<Value>, Vec<Value>)> {
    validate_session_custom_tools(tools, toolkits)?;
    let preload = &preload.with_definitions(tools, toolkits)?;
    let tools_wire = tools
        .iter()
        .map(|t| tool_wire(t, extends(t), serialized_preload(preload.tool(&t.slug), None, default_preload)))
        .collect();
    let toolkits_wire = toolkits
        .iter()
        .map(|tk| {
            let tk_flag = preload.toolkit(&tk.slug);
            let mut m = Map::new();
            m.insert("slug".into(), Value::String(tk.slug.clone()));
            m.insert("name".into(), Value::String(tk.name.clone()));
            m.insert("description".into(), Value::String(tk.description.clone()));
            m.insert(
                "tools".into(),
                Value::Array(
                    tk.tools
                        .iter()
                        .map(|t| {
                            tool_wire(
                                t,
                                None,
                                serialized_preload(preload.tool(&t.slug), tk_flag, default_preload),
                            )
                        })
                        .collect(),
                ),
            );
            if let Some(p) = serialized_preload(tk_flag, None, default_preload) {
                m.insert("preload".into(), Value::Bool(p));
            }
            Value::Object(m)
        })
        .collect();
    Ok((tools_wire, toolkits_wire))
}

/// One local tool of a session.
#[derive(Debug, Clone)]
pub(crate) struct LocalTool {
    pub(crate) info: SessionCustomToolInfo,
    pub(crate) tool: Arc<CustomTool>,
}

/// The local tools of one session, by final and original slug.
#[derive(Debug, Default)]
pub(crate) struct LocalTools {
    tools: Vec<LocalTool>,
    by_slug: HashMap<String, usize>,
    toolkits: Vec<(String, String, String, Vec<usize>)>,
    /// Indexes of the preloaded tools, in definition order.
    preloaded: Vec<usize>,
}

/// `(toolkit context upper-cased or "", original slug upper-cased)` → final
/// slug, from the create response's `experimental` block.
fn response_slugs(experimental: Option<&Value>) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    let Some(exp) = experimental else { return out };
    let mut add = |context: &str, entry: &Value| {
        let slug = entry.get("slug").and_then(Value::as_str);
        let original = entry.get("original_slug").and_then(Value::as_str);
        if let (Some(s), Some(o)) = (slug, original) {
            if !s.is_empty() {
                out.insert((context.to_uppercase(), o.to_uppercase()), s.to_uppercase());
            }
        }
    };
    for e in exp.get("custom_tools").and_then(Value::as_array).into_iter().flatten() {
        add("", e);
    }
    for tk in exp.get("custom_toolkits").and_then(Value::as_array).into_iter().flatten() {
        let context =
            tk.get("original_slug").or_else(|| tk.get("slug")).and_then(Value::as_str).unwrap_or_default();
        for e in tk.get("tools").and_then(Value::as_array).into_iter().flatten() {
            add(context, e);
        }
    }
    out
}

impl LocalTools {
    /// Builds the map from the definitions sent and the create response's
    /// `experimental` block (final slugs derived locally where the response
    /// has none).
    pub(crate) fn build(
        tools: &[CustomTool],
        toolkits: &[SessionCustomToolkit],
        experimental: Option<&Value>,
    ) -> Self {
        let from_response = response_slugs(experimental);
        let mut out = Self::default();
        let push = |out: &mut Self, tool: &CustomTool, toolkit: Option<&str>, context: &str| -> usize {
            let key = (context.to_uppercase(), tool.slug.to_uppercase());
            let final_slug =
                from_response.get(&key).cloned().unwrap_or_else(|| local_tool_slug(&tool.slug, toolkit));
            let idx = out.tools.len();
            out.by_slug.entry(final_slug.to_uppercase()).or_insert(idx);
            out.by_slug.entry(tool.slug.to_uppercase()).or_insert(idx);
            out.tools.push(LocalTool {
                info: SessionCustomToolInfo {
                    slug: final_slug,
                    original_slug: tool.slug.clone(),
                    name: tool.name.clone(),
                    description: tool.description.clone(),
                    toolkit: toolkit.map(str::to_string),
                    input_schema: tool.input_parameters.clone(),
                    output_schema: output_schema(tool),
                },
                tool: Arc::new(tool.clone()),
            });
            idx
        };
        for t in tools {
            push(&mut out, t, extends(t), "");
        }
        for tk in toolkits {
            let idxs = tk.tools.iter().map(|t| push(&mut out, t, Some(&tk.slug), &tk.slug)).collect();
            out.toolkits.push((tk.slug.clone(), tk.name.clone(), tk.description.clone(), idxs));
        }
        out
    }

    /// Marks the tools whose effective preload flag is `true` (see
    /// [`CustomToolPreload`]).
    pub(crate) fn with_preload(mut self, preload: &CustomToolPreload, default_preload: bool) -> Self {
        let toolkit_of = |idx: usize| {
            self.toolkits.iter().find(|(_, _, _, idxs)| idxs.contains(&idx)).map(|(slug, ..)| slug.clone())
        };
        self.preloaded = (0..self.tools.len())
            .filter(|&i| {
                let tk = toolkit_of(i);
                self.tools
                    .get(i)
                    .is_some_and(|t| preload.effective(&t.info.original_slug, tk.as_deref(), default_preload))
            })
            .collect();
        self
    }

    /// The preloaded tools as [`Session::tools`](crate::sessions::Session::tools)
    /// lists them: final slug, description prefixed with
    /// [`DIRECT_CUSTOM_TOOL_DESCRIPTION_PREFIX`], toolkit = the tool's
    /// toolkit (`custom` when none) with the custom toolkit's name.
    pub(crate) fn preloaded_tools(&self) -> Vec<crate::models::Tool> {
        self.preloaded
            .iter()
            .filter_map(|i| self.tools.get(*i))
            .map(|t| {
                let toolkit_slug = t.info.toolkit.clone().unwrap_or_else(|| "custom".to_string());
                let toolkit_name = self
                    .toolkits
                    .iter()
                    .find(|(slug, ..)| slug.eq_ignore_ascii_case(&toolkit_slug))
                    .map(|(_, name, ..)| name.clone())
                    .or_else(|| t.info.toolkit.clone())
                    .unwrap_or_else(|| "Custom".to_string());
                crate::models::Tool {
                    slug: t.info.slug.clone(),
                    name: t.info.name.clone(),
                    description: format!("{DIRECT_CUSTOM_TOOL_DESCRIPTION_PREFIX}\n{}", t.info.description),
                    input_parameters: t.info.input_schema.clone(),
                    output_parameters: t
                        .info
                        .output_schema
                        .clone()
                        .unwrap_or_else(crate::models::empty_object_schema),
                    toolkit: crate::models::ToolToolkitRef {
                        slug: toolkit_slug,
                        name: Some(toolkit_name),
                        ..Default::default()
                    },
                    ..Default::default()
                }
            })
            .collect()
    }

    /// The tool with this final or original slug (case-insensitive).
    pub(crate) fn get(&self, slug: &str) -> Option<&LocalTool> {
        self.by_slug.get(&slug.to_uppercase()).and_then(|i| self.tools.get(*i))
    }

    /// Every tool, in definition order, optionally only those of one toolkit
    /// (case-insensitive).
    pub(crate) fn infos(&self, toolkit: Option<&str>) -> Vec<SessionCustomToolInfo> {
        self.tools
            .iter()
            .filter(|t| match toolkit {
                None => true,
                Some(want) => t.info.toolkit.as_deref().is_some_and(|tk| tk.eq_ignore_ascii_case(want)),
            })
            .map(|t| t.info.clone())
            .collect()
    }

    /// Every session toolkit with its tools.
    pub(crate) fn toolkit_infos(&self) -> Vec<SessionCustomToolkitInfo> {
        self.toolkits
            .iter()
            .map(|(slug, name, description, idxs)| SessionCustomToolkitInfo {
                slug: slug.clone(),
                name: name.clone(),
                description: description.clone(),
                tools: idxs.iter().filter_map(|i| self.tools.get(*i)).map(|t| t.info.clone()).collect(),
            })
            .collect()
    }
}

/// The outcome of one local tool run inside a multi-execute call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LocalOutcome {
    /// The `tool_slug` the item named.
    pub(crate) tool_slug: String,
    /// The tool's data (`{}` on failure).
    pub(crate) data: Value,
    /// The failure, if any.
    pub(crate) error: Option<String>,
}

fn entry_failed(entry: &Value) -> bool {
    let err = entry.get("error").is_some_and(|e| !e.is_null() && e.as_str() != Some(""));
    let unsuccessful =
        entry.get("response").and_then(|r| r.get("successful")).and_then(Value::as_bool) == Some(false);
    err || unsuccessful
}

fn local_entry(o: &LocalOutcome) -> Value {
    let mut response = Map::new();
    response.insert("successful".into(), Value::Bool(o.error.is_none()));
    response.insert("data".into(), o.data.clone());
    if let Some(e) = &o.error {
        response.insert("error".into(), Value::String(e.clone()));
    }
    let mut entry = Map::new();
    entry.insert("response".into(), Value::Object(response));
    entry.insert("tool_slug".into(), Value::String(o.tool_slug.clone()));
    if let Some(e) = &o.error {
        entry.insert("error".into(), Value::String(e.clone()));
    }
    Value::Object(entry)
}

/// Merges the remote part of a split `COMPOSIO_MULTI_EXECUTE_TOOL` call (if
/// any items went remote) with the local outcomes (§11.3):
/// `data.results = [...remote, ...local]` re-indexed by position, counts
/// recomputed when the remote data had them, `error` = the remote error if
/// no item failed, else `"<failed> out of <total> tools failed"`.
pub(crate) fn merge_multi_execute(
    remote: Option<ToolExecuteResponse>,
    local: &[LocalOutcome],
) -> ToolExecuteResponse {
    let (mut data, remote_error, log_id, session_info, extra) = match remote {
        Some(r) => {
            let data = match r.data {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            (data, r.error, r.log_id, r.session_info, r.extra)
        }
        None => (Map::new(), None, Some(String::new()), None, Map::new()),
    };
    let remote_results: Vec<Value> =
        data.get("results").and_then(Value::as_array).cloned().unwrap_or_default();
    let remote_failed_counted = remote_results.iter().filter(|e| entry_failed(e)).count() as u64;
    let remote_total = remote_results.len() as u64;
    let local_failed = local.iter().filter(|o| o.error.is_some()).count() as u64;
    let local_ok = local.len() as u64 - local_failed;

    let mut results = remote_results;
    results.extend(local.iter().map(local_entry));
    for (i, r) in results.iter_mut().enumerate() {
        if let Some(o) = r.as_object_mut() {
            o.insert("index".into(), Value::from(i as u64));
        }
    }
    let total = results.len() as u64;
    let count = |data: &Map<String, Value>, key: &str| data.get(key).and_then(Value::as_u64);
    let remote_failed = count(&data, "error_count").unwrap_or(remote_failed_counted);
    if data.contains_key("total_count") {
        let t = count(&data, "total_count").unwrap_or(remote_total) + local.len() as u64;
        data.insert("total_count".into(), Value::from(t));
    }
    if data.contains_key("success_count") {
        let s = count(&data, "success_count").unwrap_or(remote_total - remote_failed_counted) + local_ok;
        data.insert("success_count".into(), Value::from(s));
    }
    if data.contains_key("error_count") {
        data.insert("error_count".into(), Value::from(remote_failed + local_failed));
    }
    match data.get_mut("results") {
        Some(slot) => *slot = Value::Array(results),
        None => {
            data.insert("results".into(), Value::Array(results));
        }
    }
    let failed = remote_failed + local_failed;
    let error =
        if failed == 0 { remote_error } else { Some(format!("{failed} out of {total} tools failed")) };
    ToolExecuteResponse {
        data: Value::Object(data),
        successful: error.is_none(),
        error,
        log_id,
        session_info,
        extra,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn final_slugs() {
        assert_eq!(local_tool_slug("get_x", None), "LOCAL_GET_X");
        assert_eq!(local_tool_slug("get-x", Some("crm")), "LOCAL_CRM_GET-X");
    }

    #[test]
    fn merge_without_remote_counts() {
        let remote = ToolExecuteResponse {
            data: json!({"results": [{"index": 0, "tool_slug": "A", "response": {"successful": true}}]}),
            ..ToolExecuteResponse::default()
        };
        let local = [LocalOutcome { tool_slug: "L".into(), data: json!(1), error: Some("bad".into()) }];
        let m = merge_multi_execute(Some(remote), &local);
        assert_eq!(m.error.as_deref(), Some("1 out of 2 tools failed"));
        assert!(!m.successful);
        assert_eq!(m.data["results"][1]["index"], 1);
        assert!(m.data.get("total_count").is_none());
    }
}
