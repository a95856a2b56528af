//! Modifiers: change tool schemas before a model sees them, arguments before
//! a tool runs, and results after it ran.
//!
//! Two kinds share one pipeline, applied in registration order:
//! * **callback** modifiers implement [`SchemaModifier`], [`BeforeExecute`] or
//!   [`AfterExecute`] (bindings implement them over Python, JavaScript and
//!   Swift callables; Rust closures work directly);
//! * **declarative** modifiers ([`DeclarativeModifier`]) need no callback and
//!   touch all three stages consistently (renaming a parameter renames it in
//!   the schema and maps it back before execution).
//!
//! A list may also carry the **file-upload hook** ([`BeforeFileUpload`],
//! [`Modifiers::with_before_file_upload`]), which the execute pipeline runs
//! in its own upload stage, before the before-execute stage (see
//! [`Modifiers`] for the whole order).
//!
//! Each modifier has a [`ModifierFilter`]: no filter applies to every tool;
//! otherwise it applies when the tool slug or the toolkit slug is listed
//! (compared case-insensitively).
//!
//! ```
//! use composio_core::modifiers::{DeclarativeModifier, Modifier, Modifiers};
//! use composio_core::models::Tool;
//!
//! # tokio_test_block(async {
//! let mut modifiers = Modifiers::new();
//! modifiers.push(Modifier::declarative(DeclarativeModifier::HideParameter { name: "debug".into() }));
//! let tool: Tool = serde_json::from_value(serde_json::json!({
//!     "slug": "X_RUN", "toolkit": {"slug": "x"},
//!     "input_parameters": {"type": "object", "properties": {"q": {"type": "string"}, "debug": {"type": "boolean"}}}
//! })).unwrap();
//! let tool = modifiers.apply_schema(tool).await.unwrap();
//! assert!(tool.input_parameters["properties"].get("debug").is_none());
//! # });
//! # fn tokio_test_block<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::files::{self, BeforeFileUpload};
use crate::models::{Tool, ToolExecuteParams, ToolExecuteResponse};
use crate::providers::Flavor;
use crate::Composio;

/// Changes a tool's schema (description, parameters, ...).
#[async_trait]
pub trait SchemaModifier: Send + Sync {
    /// Returns the modified tool.
    async fn modify_schema(&self, tool: &str, toolkit: &str, schema: Tool) -> Result<Tool>;
}

/// Changes execution parameters before a tool runs.
#[async_trait]
pub trait BeforeExecute: Send + Sync {
    /// Returns the parameters to execute with.
    async fn before_execute(
        &self,
        tool: &str,
        toolkit: &str,
        params: ToolExecuteParams,
    ) -> Result<ToolExecuteParams>;
}

/// Changes a tool's result after it ran.
#[async_trait]
pub trait AfterExecute: Send + Sync {
    /// Returns the result to hand back.
    async fn after_execute(
        &self,
        tool: &str,
        toolkit: &str,
        response: ToolExecuteResponse,
    ) -> Result<ToolExecuteResponse>;
}

#[async_trait]
impl<F> SchemaModifier for F
where
    F: Fn(&str, &str, Tool) -> Result<Tool> + Send + Sync,
{
    async fn modify_schema(&self, tool: &str, toolkit: &str, schema: Tool) -> Result<Tool> {
        self(tool, toolkit, schema)
    }
}

/// Wraps a closure as a [`BeforeExecute`] modifier.
pub struct BeforeFn<F>(pub F);
/// Wraps a closure as an [`AfterExecute`] modifier.
pub struct AfterFn<F>(pub F);

#[async_trait]
impl<F> BeforeExecute for BeforeFn<F>
where
    F: Fn(&str, &str, ToolExecuteParams) -> Result<ToolExecuteParams> + Send + Sync,
{
    async fn before_execute(
        &self,
        tool: &str,
        toolkit: &str,
        params: ToolExecuteParams,
    ) -> Result<ToolExecuteParams> {
        (self.0)(tool, toolkit, params)
    }
}

#[async_trait]
impl<F> AfterExecute for AfterFn<F>
where
    F: Fn(&str, &str, ToolExecuteResponse) -> Result<ToolExecuteResponse> + Send + Sync,
{
    async fn after_execute(
        &self,
        tool: &str,
        toolkit: &str,
        response: ToolExecuteResponse,
    ) -> Result<ToolExecuteResponse> {
        (self.0)(tool, toolkit, response)
    }
}

/// Which tools a modifier applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifierFilter {
    /// Tool slugs (e.g. `GITHUB_STAR_REPO`).
    #[serde(default)]
    pub tools: Vec<String>,
    /// Toolkit slugs (e.g. `github`; meta tools are in `composio`).
    #[serde(default)]
    pub toolkits: Vec<String>,
}

impl ModifierFilter {
    /// Whether a tool of this toolkit passes the filter.
    pub fn matches(&self, tool: &str, toolkit: &str) -> bool {
        (self.tools.is_empty() && self.toolkits.is_empty())
            || self.tools.iter().any(|t| t.eq_ignore_ascii_case(tool))
            || self.toolkits.iter().any(|t| t.eq_ignore_ascii_case(toolkit))
    }
}

/// A modifier that needs no callback: it runs at Rust speed in every
/// language. Parameter names refer to top-level properties of the tool's
/// `input_parameters`; a tool without the named parameter is left alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeclarativeModifier {
    /// Removes a parameter from the schema and drops it from arguments.
    HideParameter {
        /// Parameter name.
        name: String,
    },
    /// Shows a parameter under another name; arguments given under the new
    /// name are sent under the original one.
    RenameParameter {
        /// The tool's own name for the parameter.
        from: String,
        /// The name models see.
        to: String,
    },
    /// Sets a default in the schema and fills it in when the argument is
    /// missing.
    SetDefault {
        /// Parameter name.
        name: String,
        /// Default value.
        value: Value,
    },
    /// Hides a parameter and always sends this value for it.
    FixValue {
        /// Parameter name.
        name: String,
        /// The value sent.
        value: Value,
    },
    /// Marks a parameter as required in the schema.
    MakeRequired {
        /// Parameter name.
        name: String,
    },
    /// Replaces the tool's description.
    ReplaceDescription {
        /// The new description.
        description: String,
    },
    /// Appends text to the tool's description (separated by a space).
    AppendDescription {
        /// The text to append.
        text: String,
    },
    /// Replaces one parameter's description.
    SetParameterDescription {
        /// Parameter name.
        name: String,
        /// The new description.
        description: String,
    },
    /// Keeps only these parts of a result's `data`, given as JSON pointers
    /// (`/items/*/name`; `*` matches every array element or object key).
    KeepResultFields {
        /// JSON pointers into `data`.
        pointers: Vec<String>,
    },
}

/// What a modifier does.
#[derive(Clone)]
pub enum ModifierKind {
    /// Changes schemas.
    Schema(Arc<dyn SchemaModifier>),
    /// Changes parameters before execution.
    BeforeExecute(Arc<dyn BeforeExecute>),
    /// Changes results after execution.
    AfterExecute(Arc<dyn AfterExecute>),
    /// A declarative modifier (all stages).
    Declarative(DeclarativeModifier),
}

impl std::fmt::Debug for ModifierKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModifierKind::Schema(_) => f.write_str("Schema(<callback>)"),
            ModifierKind::BeforeExecute(_) => f.write_str("BeforeExecute(<callback>)"),
            ModifierKind::AfterExecute(_) => f.write_str("AfterExecute(<callback>)"),
            ModifierKind::Declarative(d) => f.debug_tuple("Declarative").field(d).finish(),
        }
    }
}

/// One modifier: what it does and which tools it applies to.
#[derive(Debug, Clone)]
pub struct Modifier {
    /// Which tools it applies to.
    pub filter: ModifierFilter,
    /// What it does.
    pub kind: ModifierKind,
}

impl Modifier {
    /// A schema modifier for every tool.
    pub fn schema(f: impl SchemaModifier + 'static) -> Self {
        Self { filter: ModifierFilter::default(), kind: ModifierKind::Schema(Arc::new(f)) }
    }

    /// A before-execute modifier for every tool.
    pub fn before_execute(f: impl BeforeExecute + 'static) -> Self {
        Self { filter: ModifierFilter::default(), kind: ModifierKind::BeforeExecute(Arc::new(f)) }
    }

    /// An after-execute modifier for every tool.
    pub fn after_execute(f: impl AfterExecute + 'static) -> Self {
        Self { filter: ModifierFilter::default(), kind: ModifierKind::AfterExecute(Arc::new(f)) }
    }

    /// A declarative modifier for every tool.
    pub fn declarative(d: DeclarativeModifier) -> Self {
        Self { filter: ModifierFilter::default(), kind: ModifierKind::Declarative(d) }
    }

    /// Restricts the modifier to these tool slugs.
    pub fn for_tools<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tools: I) -> Self {
        self.filter.tools.extend(tools.into_iter().map(Into::into));
        self
    }

    /// Restricts the modifier to these toolkit slugs.
    pub fn for_toolkits<I: IntoIterator<Item = S>, S: Into<String>>(mut self, toolkits: I) -> Self {
        self.filter.toolkits.extend(toolkits.into_iter().map(Into::into));
        self
    }
}

/// An ordered list of modifiers, plus the optional file-upload hook and
/// automatic-file-handling override that [`crate::tools::Tools::execute`],
/// [`crate::providers::handle_tool_calls`]' client executor and the session
/// execute paths apply in their own upload stage.
///
/// The execute pipeline (both official SDKs use this order):
/// resolve schema → schema stage (once, only when files or filters need it)
/// → **upload file arguments**, each path first through the
/// [`BeforeFileUpload`] hook → before-execute stage → execute → download
/// file results → after-execute stage. Uploads and downloads happen only
/// with automatic file handling on
/// ([`crate::ComposioConfig::auto_upload_download_files`], or
/// [`Modifiers::with_auto_files`]); the hook is never called otherwise.
#[derive(Clone, Default)]
pub struct Modifiers {
    list: Vec<Modifier>,
    file_upload: Option<Arc<dyn BeforeFileUpload>>,
    auto_files: Option<Flavor>,
}

impl std::fmt::Debug for Modifiers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Modifiers")
            .field("list", &self.list)
            .field("before_file_upload", &self.file_upload.as_ref().map(|_| "<callback>"))
            .field("auto_files", &self.auto_files)
            .finish()
    }
}

impl Modifiers {
    /// No modifiers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a modifier at the end.
    pub fn push(&mut self, m: Modifier) -> &mut Self {
        self.list.push(m);
        self
    }

    /// Adds a modifier and returns the list (builder style).
    pub fn with(mut self, m: Modifier) -> Self {
        self.list.push(m);
        self
    }

    /// Sets the hook called before each file argument is uploaded (the
    /// official SDKs' `before_file_upload` / `beforeFileUpload`). It runs in
    /// the upload stage, once per file argument, before the before-execute
    /// stage; it may return another path or URL, or an error to abort the
    /// execution before anything is executed. Only called when automatic
    /// file handling is on.
    pub fn with_before_file_upload(mut self, hook: impl BeforeFileUpload + 'static) -> Self {
        self.file_upload = Some(Arc::new(hook));
        self
    }

    /// Sets (or clears) the file-upload hook; see
    /// [`Modifiers::with_before_file_upload`].
    pub fn set_before_file_upload(&mut self, hook: Option<Arc<dyn BeforeFileUpload>>) -> &mut Self {
        self.file_upload = hook;
        self
    }

    /// The file-upload hook, if any.
    pub fn before_file_upload(&self) -> Option<&dyn BeforeFileUpload> {
        self.file_upload.as_deref()
    }

    /// Turns automatic file handling on for executions with this list,
    /// whatever the client's configuration says, and picks the shape of
    /// downloaded results: [`Flavor::Python`] replaces each
    /// `file_downloadable` value by the local path (as the configuration
    /// switch does), [`Flavor::TypeScript`] turns every `{s3url}` object into
    /// `{uri, file_downloaded, s3url, mimeType}` (`@composio/core`).
    pub fn with_auto_files(mut self, flavor: Flavor) -> Self {
        self.auto_files = Some(flavor);
        self
    }

    /// Sets (or clears) the automatic-file-handling override; see
    /// [`Modifiers::with_auto_files`].
    pub fn set_auto_files(&mut self, flavor: Option<Flavor>) -> &mut Self {
        self.auto_files = flavor;
        self
    }

    /// The automatic-file-handling override, if any.
    pub fn auto_files(&self) -> Option<Flavor> {
        self.auto_files
    }

    /// Whether executions with this list handle files automatically for
    /// `client`, and with which result shape: the override if set, else
    /// [`Flavor::Python`] when the client's configuration turns it on.
    pub fn file_handling(&self, client: &Composio) -> Option<Flavor> {
        self.auto_files.or(client.config().auto_upload_download_files.then_some(Flavor::Python))
    }

    /// Whether there are no modifiers (the hook and the override are not
    /// counted).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The modifiers, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Modifier> {
        self.list.iter()
    }

    /// This list followed by `other`; the hook and the override are this
    /// list's, else `other`'s.
    pub fn concat(&self, other: &Modifiers) -> Modifiers {
        Modifiers {
            list: self.list.iter().chain(other.list.iter()).cloned().collect(),
            file_upload: self.file_upload.clone().or_else(|| other.file_upload.clone()),
            auto_files: self.auto_files.or(other.auto_files),
        }
    }

    /// Runs the upload stage on `arguments`: every argument whose property
    /// in `tool`'s input schema is `file_uploadable` is passed through the
    /// file-upload hook (if any), uploaded and replaced by
    /// `{name, mimetype, s3key}` (see [`files::upload_file_arguments_with`]).
    /// Callers decide whether automatic file handling is on.
    pub async fn apply_upload(
        &self,
        client: &Composio,
        tool: &Tool,
        arguments: &mut Map<String, Value>,
    ) -> Result<()> {
        files::upload_file_arguments_with(client, tool, arguments, self.file_upload.as_deref()).await
    }

    /// Runs the schema stage on one tool.
    pub async fn apply_schema(&self, mut tool: Tool) -> Result<Tool> {
        for m in &self.list {
            let (slug, toolkit) = (tool.slug.clone(), tool.toolkit.slug.clone());
            if !m.filter.matches(&slug, &toolkit) {
                continue;
            }
            tool = match &m.kind {
                ModifierKind::Schema(f) => f.modify_schema(&slug, &toolkit, tool).await?,
                ModifierKind::Declarative(d) => d.apply_schema(tool)?,
                _ => tool,
            };
        }
        Ok(tool)
    }

    /// Runs the before-execute stage.
    pub async fn apply_before(
        &self,
        tool: &str,
        toolkit: &str,
        mut params: ToolExecuteParams,
    ) -> Result<ToolExecuteParams> {
        for m in &self.list {
            if !m.filter.matches(tool, toolkit) {
                continue;
            }
            params = match &m.kind {
                ModifierKind::BeforeExecute(f) => f.before_execute(tool, toolkit, params).await?,
                ModifierKind::Declarative(d) => {
                    d.apply_arguments(&mut params.arguments)?;
                    params
                }
                _ => params,
            };
        }
        Ok(params)
    }

    /// Runs the after-execute stage.
    pub async fn apply_after(
        &self,
        tool: &str,
        toolkit: &str,
        mut response: ToolExecuteResponse,
    ) -> Result<ToolExecuteResponse> {
        for m in &self.list {
            if !m.filter.matches(tool, toolkit) {
                continue;
            }
            response = match &m.kind {
                ModifierKind::AfterExecute(f) => f.after_execute(tool, toolkit, response).await?,
                ModifierKind::Declarative(d) => {
                    d.apply_result(&mut response);
                    response
                }
                _ => response,
            };
        }
        Ok(response)
    }
}

impl FromIterator<Modifier> for Modifiers {
    fn from_iter<T: IntoIterator<Item = Modifier>>(iter: T) -> Self {
        Self { list: iter.into_iter().collect(), ..Self::default() }
    }
}

fn properties_mut(tool: &mut Tool) -> Option<&mut Map<String, Value>> {
    tool.input_parameters.get_mut("properties").and_then(Value::as_object_mut)
}

fn required_mut(tool: &mut Tool) -> Option<&mut Vec<Value>> {
    let schema = tool.input_parameters.as_object_mut()?;
    let req = schema.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    req.as_array_mut()
}

fn remove_required(tool: &mut Tool, name: &str) {
    if let Some(req) = tool.input_parameters.get_mut("required").and_then(Value::as_array_mut) {
        req.retain(|v| v.as_str() != Some(name));
    }
}

impl DeclarativeModifier {
    /// Applies the schema part of this modifier.
    pub fn apply_schema(&self, mut tool: Tool) -> Result<Tool> {
        match self {
            DeclarativeModifier::HideParameter { name } | DeclarativeModifier::FixValue { name, .. } => {
                if let Some(props) = properties_mut(&mut tool) {
                    props.shift_remove(name);
                }
                remove_required(&mut tool, name);
            }
            DeclarativeModifier::RenameParameter { from, to } => {
                let slug = tool.slug.clone();
                if let Some(props) = properties_mut(&mut tool) {
                    if !props.contains_key(from) {
                        return Ok(tool);
                    }
                    if props.contains_key(to) {
                        return Err(Error::validation(format!(
                            "cannot rename parameter {from:?} of {slug} to {to:?}: the tool already has a parameter named {to:?}"
                        )));
                    }
                    let renamed: Map<String, Value> = std::mem::take(props)
                        .into_iter()
                        .map(|(k, v)| if &k == from { (to.clone(), v) } else { (k, v) })
                        .collect();
                    *props = renamed;
                    if let Some(req) = tool.input_parameters.get_mut("required").and_then(Value::as_array_mut)
                    {
                        for v in req.iter_mut() {
                            if v.as_str() == Some(from.as_str()) {
                                *v = Value::String(to.clone());
                            }
                        }
                    }
                }
            }
            DeclarativeModifier::SetDefault { name, value } => {
                if let Some(prop) =
                    properties_mut(&mut tool).and_then(|p| p.get_mut(name)).and_then(Value::as_object_mut)
                {
                    prop.insert("default".into(), value.clone());
                    remove_required(&mut tool, name);
                }
            }
            DeclarativeModifier::MakeRequired { name } => {
                let exists = properties_mut(&mut tool).is_some_and(|p| p.contains_key(name));
                if exists {
                    if let Some(req) = required_mut(&mut tool) {
                        if !req.iter().any(|v| v.as_str() == Some(name.as_str())) {
                            req.push(Value::String(name.clone()));
                        }
                    }
                }
            }
            DeclarativeModifier::ReplaceDescription { description } => tool.description = description.clone(),
            DeclarativeModifier::AppendDescription { text } => {
                if tool.description.is_empty() {
                    tool.description = text.clone();
                } else {
                    tool.description = format!("{} {}", tool.description, text);
                }
            }
            DeclarativeModifier::SetParameterDescription { name, description } => {
                if let Some(prop) =
                    properties_mut(&mut tool).and_then(|p| p.get_mut(name)).and_then(Value::as_object_mut)
                {
                    prop.insert("description".into(), Value::String(description.clone()));
                }
            }
            DeclarativeModifier::KeepResultFields { .. } => {}
        }
        Ok(tool)
    }

    /// Applies the argument part of this modifier (before execution).
    pub fn apply_arguments(&self, args: &mut Map<String, Value>) -> Result<()> {
        match self {
            DeclarativeModifier::HideParameter { name } => {
                args.shift_remove(name);
            }
            DeclarativeModifier::FixValue { name, value } => {
                args.insert(name.clone(), value.clone());
            }
            DeclarativeModifier::RenameParameter { from, to } => {
                if let Some(v) = args.shift_remove(to) {
                    if args.contains_key(from) {
                        return Err(Error::validation(format!(
                            "arguments contain both {to:?} and its original name {from:?}"
                        )));
                    }
                    args.insert(from.clone(), v);
                }
            }
            DeclarativeModifier::SetDefault { name, value } if args.get(name).is_none_or(Value::is_null) => {
                args.insert(name.clone(), value.clone());
            }
            _ => {}
        }
        Ok(())
    }

    /// Applies the result part of this modifier (after execution).
    pub fn apply_result(&self, response: &mut ToolExecuteResponse) {
        if let DeclarativeModifier::KeepResultFields { pointers } = self {
            let mut out = Value::Null;
            for p in pointers {
                let segments: Vec<String> =
                    p.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
                if let Some(projected) = project(&response.data, &segments) {
                    merge(&mut out, projected);
                }
            }
            response.data = if out.is_null() { Value::Object(Map::new()) } else { out };
        }
    }
}

/// The part of `src` reached by `segments`, with the structure around it kept.
fn project(src: &Value, segments: &[String]) -> Option<Value> {
    let Some((head, rest)) = segments.split_first() else {
        return Some(src.clone());
    };
    match src {
        Value::Object(map) if head == "*" => {
            let out: Map<String, Value> =
                map.iter().filter_map(|(k, v)| project(v, rest).map(|p| (k.clone(), p))).collect();
            Some(Value::Object(out))
        }
        Value::Object(map) => {
            let v = project(map.get(head)?, rest)?;
            let mut out = Map::new();
            out.insert(head.clone(), v);
            Some(Value::Object(out))
        }
        Value::Array(items) if head == "*" => {
            Some(Value::Array(items.iter().map(|v| project(v, rest).unwrap_or(Value::Null)).collect()))
        }
        Value::Array(items) => {
            let idx: usize = head.parse().ok()?;
            let v = project(items.get(idx)?, rest)?;
            let mut out = vec![Value::Null; idx];
            out.push(v);
            Some(Value::Array(out))
        }
        _ => None,
    }
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, v) in b.into_iter().enumerate() {
                if i < a.len() {
                    merge(&mut a[i], v);
                } else {
                    a.push(v);
                }
            }
        }
        (slot @ Value::Null, v) => *slot = v,
        (_, Value::Null) => {}
        (slot, v) => *slot = v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool() -> Tool {
        serde_json::from_value(json!({
            "slug": "GITHUB_LIST_REPOS", "description": "Lists repos.", "toolkit": {"slug": "github"},
            "input_parameters": {"type": "object", "properties": {
                "owner": {"type": "string", "description": "Owner"},
                "per_page": {"type": "integer"},
                "debug": {"type": "boolean"}
            }, "required": ["owner", "debug"]}
        }))
        .unwrap()
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().build().unwrap()
    }

    #[test]
    fn declarative_schema_changes_keep_order_and_required() {
        let m: Modifiers = [
            Modifier::declarative(DeclarativeModifier::RenameParameter {
                from: "owner".into(),
                to: "account".into(),
            }),
            Modifier::declarative(DeclarativeModifier::HideParameter { name: "debug".into() }),
            Modifier::declarative(DeclarativeModifier::MakeRequired { name: "per_page".into() }),
            Modifier::declarative(DeclarativeModifier::AppendDescription { text: "Use sparingly.".into() }),
            Modifier::declarative(DeclarativeModifier::SetParameterDescription {
                name: "per_page".into(),
                description: "Page size".into(),
            }),
        ]
        .into_iter()
        .collect();
        let t = rt().block_on(m.apply_schema(tool())).unwrap();
        let keys: Vec<&String> = t.input_parameters["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["account", "per_page"]);
        assert_eq!(t.input_parameters["required"], json!(["account", "per_page"]));
        assert_eq!(t.description, "Lists repos. Use sparingly.");
        assert_eq!(t.input_parameters["properties"]["per_page"]["description"], "Page size");
    }

    #[test]
    fn declarative_arguments_round_trip() {
        let m: Modifiers = [
            Modifier::declarative(DeclarativeModifier::RenameParameter {
                from: "owner".into(),
                to: "account".into(),
            }),
            Modifier::declarative(DeclarativeModifier::FixValue {
                name: "debug".into(),
                value: json!(false),
            }),
            Modifier::declarative(DeclarativeModifier::SetDefault {
                name: "per_page".into(),
                value: json!(30),
            }),
        ]
        .into_iter()
        .collect();
        let mut p = ToolExecuteParams::default();
        p.arguments.insert("account".into(), json!("octo"));
        p.arguments.insert("debug".into(), json!(true));
        let p = rt().block_on(m.apply_before("GITHUB_LIST_REPOS", "github", p)).unwrap();
        assert_eq!(Value::Object(p.arguments), json!({"owner": "octo", "debug": false, "per_page": 30}));
    }

    #[test]
    fn rename_onto_existing_parameter_is_a_validation_error() {
        let m = Modifiers::new().with(Modifier::declarative(DeclarativeModifier::RenameParameter {
            from: "owner".into(),
            to: "debug".into(),
        }));
        let e = rt().block_on(m.apply_schema(tool())).unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR");
        assert!(e.to_string().contains("debug"));
    }

    #[test]
    fn keep_result_fields_projects_with_wildcards() {
        let d =
            DeclarativeModifier::KeepResultFields { pointers: vec!["/items/*/name".into(), "/total".into()] };
        let mut r = ToolExecuteResponse::success(json!({
            "items": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "total": 2, "noise": "x"
        }));
        d.apply_result(&mut r);
        assert_eq!(r.data, json!({"items": [{"name": "a"}, {"name": "b"}], "total": 2}));
    }

    #[test]
    fn filters_and_order_apply() {
        let upper = Modifier::schema(|_: &str, _: &str, mut t: Tool| {
            t.description = t.description.to_uppercase();
            Ok(t)
        })
        .for_toolkits(["GITHUB"]);
        let other = Modifier::schema(|_: &str, _: &str, mut t: Tool| {
            t.description.push('!');
            Ok(t)
        })
        .for_tools(["SLACK_SEND"]);
        let after = Modifier::declarative(DeclarativeModifier::AppendDescription { text: "end".into() });
        let m: Modifiers = [upper, other, after].into_iter().collect();
        let t = rt().block_on(m.apply_schema(tool())).unwrap();
        assert_eq!(t.description, "LISTS REPOS. end");
    }

    #[test]
    fn file_upload_hook_and_override_travel_with_the_list() {
        let hook = |p: &str, _: &str, _: &str, _: &str| -> Result<String> { Ok(format!("{p}.x")) };
        let with = Modifiers::new().with_before_file_upload(hook).with_auto_files(Flavor::TypeScript);
        let plain = Modifiers::new()
            .with(Modifier::declarative(DeclarativeModifier::HideParameter { name: "debug".into() }));
        assert!(with.is_empty() && plain.before_file_upload().is_none());
        for joined in [plain.concat(&with), with.concat(&plain)] {
            assert_eq!(joined.iter().count(), 1);
            assert_eq!(joined.auto_files(), Some(Flavor::TypeScript));
            let h = joined.before_file_upload().unwrap();
            assert_eq!(rt().block_on(h.before_file_upload("a", "path", "T", "t")).unwrap(), "a.x");
        }
        let shown = format!("{with:?}");
        assert!(shown.contains("<callback>") && shown.contains("TypeScript"), "{shown}");
        let mut cleared = with.clone();
        cleared.set_before_file_upload(None).set_auto_files(None);
        assert!(cleared.before_file_upload().is_none() && cleared.auto_files().is_none());
    }

    #[test]
    fn callback_errors_stop_the_pipeline() {
        let m = Modifiers::new().with(Modifier::before_execute(BeforeFn(
            |_: &str, _: &str, _p: ToolExecuteParams| {
                Err(Error::Callback(crate::error::CallbackError::new("nope")))
            },
        )));
        let e = rt().block_on(m.apply_before("A", "b", ToolExecuteParams::default())).unwrap_err();
        assert_eq!(e.code(), "CALLBACK_ERROR");
    }
}
