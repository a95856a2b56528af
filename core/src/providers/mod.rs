//! Provider formats: turning Composio tools into model-native tool
//! definitions (OpenAI Chat Completions, OpenAI Responses, Anthropic, Google
//! Gemini), reading a model response's tool calls, and shaping tool results
//! the way the official SDKs hand them back.
//!
//! The official Python (`composio` 0.30) and TypeScript (`@composio/core`
//! 0.21 with `@composio/openai`, `@composio/anthropic`, `@composio/google`)
//! SDKs format differently, so every function takes a [`Flavor`]. The
//! output is checked against goldens produced by the official packages
//! (`tests/fixtures/providers`), including key order.

mod client;
pub mod schema;

pub use client::{ClientToolCallExecutor, HandleToolCallsOptions};

use std::fmt;
use std::str::FromStr;

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::models::{Tool, ToolExecuteResponse};

/// Which official SDK's output to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// The Python SDK (`composio`): used by the Python binding.
    Python,
    /// The TypeScript SDK (`@composio/core`): used by the Node and Swift bindings.
    TypeScript,
}

/// A non-agentic provider: the model receives tool definitions and the
/// application hands the model's response back to [`handle_tool_calls`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// OpenAI Chat Completions (the default provider).
    OpenAI,
    /// OpenAI Responses API.
    OpenAIResponses {
        /// Emit `strict: true` tools (TypeScript keeps only required properties).
        strict: bool,
    },
    /// Anthropic Messages API.
    Anthropic {
        /// Attach `cache_control: {"type": "ephemeral"}` (TypeScript: every tool and
        /// result; Python: the last tool of a list).
        cache_tools: bool,
    },
    /// Google Gemini (Vertex AI / GenAI function declarations).
    Google,
}

impl Provider {
    /// The provider name sent as the `x-framework` header (Python class names:
    /// `openai`, `openai_responses`, `anthropic`, `google`).
    pub fn name(&self) -> &'static str {
        match self {
            Provider::OpenAI => "openai",
            Provider::OpenAIResponses { .. } => "openai_responses",
            Provider::Anthropic { .. } => "anthropic",
            Provider::Google => "google",
        }
    }

    /// The name the given SDK uses (TypeScript's Responses provider calls itself `openai`).
    pub fn name_for(&self, flavor: Flavor) -> &'static str {
        match (self, flavor) {
            (Provider::OpenAIResponses { .. }, Flavor::TypeScript) => "openai",
            _ => self.name(),
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Provider {
    type Err = Error;

    /// Parses `openai`, `openai_responses` (also `openai-responses`,
    /// `responses`), `anthropic` or `google` (also `gemini`), case-insensitively,
    /// with default options.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "openai" | "openai_chat" | "openai-chat" => Ok(Provider::OpenAI),
            "openai_responses" | "openai-responses" | "responses" => {
                Ok(Provider::OpenAIResponses { strict: false })
            }
            "anthropic" => Ok(Provider::Anthropic { cache_tools: false }),
            "google" | "gemini" => Ok(Provider::Google),
            other => Err(Error::validation(format!(
                "unknown provider '{other}': expected one of openai, openai_responses, anthropic, google"
            ))),
        }
    }
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn ephemeral() -> Value {
    obj(vec![("type", Value::from("ephemeral"))])
}

/// The Python SDK's description enhancement (`enhance_schema_descriptions`,
/// applied by Python `tools.get` to every tool): for each top-level property
/// of type string/integer/number/boolean the description gets
/// `". Please provide a value of type <type>."`; required properties get
/// `". This parameter is required."` (trailing dots of the old text are
/// removed first; an absent or empty description becomes just the note).
pub fn enhance_schema_descriptions(tool: &mut Tool) {
    enhance_parameters(&mut tool.input_parameters);
}

/// [`enhance_schema_descriptions`] on an input schema, in place.
fn enhance_parameters(input_parameters: &mut Value) {
    let Value::Object(params) = input_parameters else { return };
    let required: Vec<String> = params
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let Some(Value::Object(props)) = params.get_mut("properties") else { return };
    for (name, prop) in props.iter_mut() {
        let Value::Object(p) = prop else { continue };
        let ty = match p.get("type").and_then(Value::as_str) {
            Some(t @ ("string" | "integer" | "number" | "boolean")) => Some(t),
            _ => None,
        };
        let is_required = required.iter().any(|r| r == name);
        if ty.is_none() && !is_required {
            continue;
        }
        let mut text = match p.get("description").and_then(Value::as_str) {
            Some(d) => d.to_owned(),
            None => String::new(),
        };
        if let Some(ty) = ty {
            let old = text.trim_end_matches('.');
            text = if old.is_empty() {
                format!("Please provide a value of type {ty}.")
            } else {
                format!("{old}. Please provide a value of type {ty}.")
            };
        }
        if is_required {
            text = if text.is_empty() {
                "This parameter is required.".to_string()
            } else {
                format!("{}. This parameter is required.", text.trim_end_matches('.'))
            };
        }
        p.insert("description".into(), Value::from(text));
    }
}

/// Wraps one tool exactly as the provider class's own `wrap_tool` /
/// `wrapTool` does (no description enhancement). For TypeScript the tool's
/// parameters first get the shape `@composio/core` gives API tools (see
/// [`schema::ts_normalize_parameters`]).
pub fn wrap_tool(provider: &Provider, tool: &Tool, flavor: Flavor) -> Value {
    match flavor {
        Flavor::Python => wrap_py(provider, tool, tool.input_parameters.clone()),
        Flavor::TypeScript => wrap_ts(provider, tool),
    }
}

/// Wraps tools with the provider's own `wrap_tools` / `wrapTools` (no
/// description enhancement). Python Anthropic with `cache_tools` marks only
/// the last tool.
pub fn wrap_tools(provider: &Provider, tools: &[Tool], flavor: Flavor) -> Vec<Value> {
    let out: Vec<Value> = tools.iter().map(|t| wrap_tool(provider, t, flavor)).collect();
    python_cache_last_only(provider, flavor, out)
}

/// Python's Anthropic provider marks only the last tool of a list.
fn python_cache_last_only(provider: &Provider, flavor: Flavor, mut out: Vec<Value>) -> Vec<Value> {
    if let (Provider::Anthropic { cache_tools: true }, Flavor::Python) = (provider, flavor) {
        let n = out.len();
        for v in out.iter_mut().take(n.saturating_sub(1)) {
            if let Value::Object(o) = v {
                o.shift_remove("cache_control");
            }
        }
    }
    out
}

/// Formats one tool the way the SDK's `tools.get` returns it: Python applies
/// [`enhance_schema_descriptions`] and then the provider's `wrap_tool`;
/// TypeScript wraps directly.
///
/// The input schema is copied once (into the result); nothing is
/// serialised or re-parsed.
pub fn format_tool(provider: &Provider, tool: &Tool, flavor: Flavor) -> Value {
    match flavor {
        Flavor::Python => {
            let mut params = tool.input_parameters.clone();
            enhance_parameters(&mut params);
            wrap_py(provider, tool, params)
        }
        Flavor::TypeScript => wrap_ts(provider, tool),
    }
}

/// Formats tools the way the SDK's `tools.get` returns them (see [`format_tool`]).
pub fn format_tools(provider: &Provider, tools: &[Tool], flavor: Flavor) -> Vec<Value> {
    format_tool_refs(provider, tools, flavor)
}

/// [`format_tools`] over borrowed tools (for example the shared tools of
/// [`crate::tools::Tools::get_shared`]): each schema is copied once, into
/// the result.
pub fn format_tool_refs<'a, I, T>(provider: &Provider, tools: I, flavor: Flavor) -> Vec<Value>
where
    I: IntoIterator<Item = &'a T>,
    T: AsRef<Tool> + 'a + ?Sized,
{
    let out: Vec<Value> = tools.into_iter().map(|t| format_tool(provider, t.as_ref(), flavor)).collect();
    python_cache_last_only(provider, flavor, out)
}

/// Python wrapping; `params` is the tool's (possibly enhanced) input schema,
/// owned, and is moved into the result.
fn wrap_py(provider: &Provider, tool: &Tool, params: Value) -> Value {
    let name = Value::from(tool.slug.as_str());
    let description = Value::from(tool.description.as_str());
    match provider {
        Provider::OpenAI => obj(vec![
            (
                "function",
                obj(vec![
                    ("name", name),
                    ("description", description),
                    ("parameters", params),
                    ("strict", Value::Null),
                ]),
            ),
            ("type", Value::from("function")),
        ]),
        Provider::OpenAIResponses { strict } => {
            if *strict {
                // The Python SDK's strict rewrite (`to_strict_json_schema`) is not
                // reproduced; this is the shape it falls back to for schemas it
                // cannot make strict.
                tracing::warn!(tool = %tool.slug, "Python-flavour strict Responses schemas are not rewritten; sending strict: false");
            }
            let params = if params.is_null() { Value::Object(Map::new()) } else { params };
            obj(vec![
                ("type", Value::from("function")),
                ("name", name),
                ("description", description),
                ("parameters", params),
                ("strict", Value::Bool(false)),
            ])
        }
        Provider::Anthropic { cache_tools } => {
            let schema =
                if params.is_null() { Value::Object(Map::new()) } else { schema::dereference_owned(params) };
            let mut v = vec![("input_schema", schema), ("name", name), ("description", description)];
            if *cache_tools {
                v.push(("cache_control", ephemeral()));
            }
            obj(v)
        }
        Provider::Google => {
            let mut ip = schema::dereference_owned(params);
            let (props, required) = match &mut ip {
                Value::Object(o) => (o.shift_remove("properties"), o.shift_remove("required")),
                _ => (None, None),
            };
            let props: Map<String, Value> = match props {
                Some(Value::Object(p)) => p
                    .into_iter()
                    .map(|(k, mut v)| {
                        if let Value::Object(o) = &mut v {
                            o.shift_remove("examples");
                        }
                        (k, v)
                    })
                    .collect(),
                _ => Map::new(),
            };
            let required = required.unwrap_or_else(|| Value::Array(vec![]));
            obj(vec![
                ("name", name),
                ("description", description),
                (
                    "parameters",
                    obj(vec![
                        ("type", Value::from("object")),
                        ("properties", Value::Object(props)),
                        ("required", required),
                    ]),
                ),
            ])
        }
    }
}

fn wrap_ts(provider: &Provider, tool: &Tool) -> Value {
    // One copy of the schema (the normalised one), then everything in place.
    let params = schema::ts_normalize_parameters(&tool.input_parameters);
    let name = Value::from(tool.slug.as_str());
    let description = Value::from(tool.description.as_str());
    match provider {
        Provider::OpenAI => {
            let mut f = vec![("name", name), ("description", description)];
            if let Some(p) = params {
                // Already deduplicated by the normalisation.
                f.push(("parameters", p));
            }
            obj(vec![("type", Value::from("function")), ("function", obj(f))])
        }
        Provider::OpenAIResponses { strict } => {
            let parameters = match params {
                Some(p) if *strict && p.get("type").and_then(Value::as_str) == Some("object") => {
                    schema::remove_non_required(&p)
                }
                Some(p) => p,
                None => Value::Object(Map::new()),
            };
            obj(vec![
                ("name", name),
                ("description", description),
                ("parameters", parameters),
                ("strict", Value::Bool(*strict)),
                ("type", Value::from("function")),
            ])
        }
        Provider::Anthropic { cache_tools } => {
            let p = params.unwrap_or_else(|| {
                obj(vec![
                    ("type", Value::from("object")),
                    ("properties", Value::Object(Map::new())),
                    ("required", Value::Array(vec![])),
                ])
            });
            let schema = ts_deref_dedup(p);
            let mut v = vec![("name", name), ("description", description), ("input_schema", schema)];
            if *cache_tools {
                v.push(("cache_control", ephemeral()));
            }
            obj(v)
        }
        Provider::Google => {
            let p = params.unwrap_or_else(|| {
                obj(vec![("type", Value::from("object")), ("properties", Value::Object(Map::new()))])
            });
            let mut ip = ts_deref_dedup(p);
            schema::ensure_object_type_in_place(&mut ip);
            let (props, required) = match &mut ip {
                Value::Object(o) => (o.shift_remove("properties"), o.shift_remove("required")),
                _ => (None, None),
            };
            let props = props.filter(|v| !v.is_null()).unwrap_or_else(|| Value::Object(Map::new()));
            let required = required.filter(|v| !v.is_null()).unwrap_or_else(|| Value::Array(vec![]));
            obj(vec![
                ("name", name),
                ("description", description.clone()),
                (
                    "parameters",
                    obj(vec![
                        ("type", Value::from("object")),
                        ("description", description),
                        ("properties", props),
                        ("required", required),
                    ]),
                ),
            ])
        }
    }
}

/// `dedup_required(dereference(p))` for an already deduplicated schema:
/// without internal refs both are no-ops apart from dropping the root
/// `$defs` / `definitions`, done in place.
fn ts_deref_dedup(p: Value) -> Value {
    if p.is_object() && schema::needs_deref(&p) {
        let mut out = schema::dereference(&p);
        schema::dedup_required_in_place(&mut out);
        out
    } else {
        schema::dereference_owned(p)
    }
}

/// One tool call read from a model response.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    /// The call id the result must refer to (`tool_call_id`, `call_id`,
    /// `tool_use_id`; Google calls usually have none).
    pub id: Option<String>,
    /// The tool slug the model called.
    pub slug: String,
    /// The call's arguments.
    pub arguments: Map<String, Value>,
}

/// Normalises model-supplied arguments like the official SDKs
/// (`normalizeToolArguments` / `normalize_tool_arguments`): null → `{}`,
/// a string is trimmed and JSON-parsed (empty → `{}`), and the result must
/// be an object.
pub fn normalize_arguments(input: Option<&Value>, slug: &str) -> Result<Map<String, Value>> {
    match input {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(Map::new());
            }
            let parsed: Value = serde_json::from_str(t).map_err(|e| {
                Error::validation(format!(
                    "tool call {slug}: arguments are a string that is not valid JSON: {e}"
                ))
            })?;
            as_object(parsed, slug)
        }
        Some(other) => as_object(other.clone(), slug),
    }
}

fn as_object(v: Value, slug: &str) -> Result<Map<String, Value>> {
    match v {
        Value::Object(o) => Ok(o),
        other => Err(Error::validation(format!(
            "tool call {slug}: arguments must be a JSON object, got {}",
            json_type(&other)
        ))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn call_name(v: &Value, what: &str) -> Result<String> {
    match v.get("name") {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(Error::validation(format!("{what} has no tool name"))),
    }
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Reads the tool calls out of a model response, in order.
///
/// * OpenAI Chat Completions: the first choice's `message.tool_calls` (both
///   SDKs ignore other choices); TypeScript skips calls whose `type` is not
///   `function`, Python rejects them.
/// * OpenAI Responses: `output` items of type `function_call` (a bare array of
///   output items is accepted too); the id is `call_id`.
/// * Anthropic: content blocks of type `tool_use` (`input` may be an object or
///   a JSON string).
/// * Google: `candidates[*].content.parts[*].functionCall` (or
///   `function_call`), every candidate.
///
/// Malformed calls (no name, arguments that are not a JSON object) are
/// [`Error::Validation`] naming the call.
pub fn parse_tool_calls(provider: &Provider, response: &Value, flavor: Flavor) -> Result<Vec<ToolCall>> {
    let mut calls = Vec::new();
    match provider {
        Provider::OpenAI => {
            let choices = response
                .get("choices")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::validation("OpenAI chat completion has no 'choices' array"))?;
            let Some(choice) = choices.first() else { return Ok(calls) };
            let tool_calls = choice.get("message").and_then(|m| m.get("tool_calls"));
            let list = match tool_calls {
                None | Some(Value::Null) => return Ok(calls),
                Some(Value::Array(a)) => a,
                Some(_) => return Err(Error::validation("choices[0].message.tool_calls is not an array")),
            };
            for (i, tc) in list.iter().enumerate() {
                let what = format!("choices[0].message.tool_calls[{i}]");
                let ty = tc.get("type").and_then(Value::as_str);
                if ty != Some("function") {
                    if flavor == Flavor::TypeScript {
                        continue;
                    }
                    return Err(Error::validation(format!(
                        "{what} has type {:?}; only function tool calls can be executed",
                        ty.unwrap_or("<missing>")
                    )));
                }
                let f = tc
                    .get("function")
                    .ok_or_else(|| Error::validation(format!("{what} has no 'function'")))?;
                let slug = call_name(f, &what)?;
                let arguments = normalize_arguments(f.get("arguments"), &format!("{what} ({slug})"))?;
                calls.push(ToolCall { id: opt_str(tc, "id"), slug, arguments });
            }
        }
        Provider::OpenAIResponses { .. } => {
            let items = match response {
                Value::Array(a) => a,
                Value::Object(o) => match o.get("output") {
                    Some(Value::Array(a)) => a,
                    None | Some(Value::Null) => return Ok(calls),
                    Some(_) => return Err(Error::validation("Responses 'output' is not an array")),
                },
                _ => {
                    return Err(Error::validation(
                        "a Responses response must be an object or an array of output items",
                    ))
                }
            };
            for (i, item) in items.iter().enumerate() {
                if item.get("type").and_then(Value::as_str) != Some("function_call") {
                    continue;
                }
                let what = format!("output[{i}]");
                let slug = call_name(item, &what)?;
                let arguments = normalize_arguments(item.get("arguments"), &format!("{what} ({slug})"))?;
                calls.push(ToolCall { id: opt_str(item, "call_id"), slug, arguments });
            }
        }
        Provider::Anthropic { .. } => {
            let content = response
                .get("content")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::validation("Anthropic message has no 'content' array"))?;
            for (i, block) in content.iter().enumerate() {
                if block.get("type").and_then(Value::as_str) != Some("tool_use") {
                    continue;
                }
                let what = format!("content[{i}]");
                let slug = call_name(block, &what)?;
                let arguments = normalize_arguments(block.get("input"), &format!("{what} ({slug})"))?;
                calls.push(ToolCall { id: opt_str(block, "id"), slug, arguments });
            }
        }
        Provider::Google => {
            let candidates = match response.get("candidates") {
                Some(Value::Array(a)) => a.as_slice(),
                None | Some(Value::Null) => &[],
                Some(_) => return Err(Error::validation("Gemini response 'candidates' is not an array")),
            };
            for (c, cand) in candidates.iter().enumerate() {
                let parts = cand.get("content").and_then(|x| x.get("parts")).and_then(Value::as_array);
                for (p, part) in parts.into_iter().flatten().enumerate() {
                    let fc = match part.get("functionCall").or_else(|| part.get("function_call")) {
                        None | Some(Value::Null) => continue,
                        Some(fc) => fc,
                    };
                    let what = format!("candidates[{c}].content.parts[{p}].functionCall");
                    let slug = call_name(fc, &what)?;
                    let arguments = normalize_arguments(fc.get("args"), &format!("{what} ({slug})"))?;
                    calls.push(ToolCall { id: opt_str(fc, "id"), slug, arguments });
                }
            }
        }
    }
    Ok(calls)
}

/// The result object the TypeScript SDK serialises (`{data, error,
/// successful, logId?, sessionInfo?}`).
fn ts_result(r: &ToolExecuteResponse) -> Value {
    let mut v = vec![
        ("data", r.data.clone()),
        ("error", r.error.clone().map(Value::from).unwrap_or(Value::Null)),
        ("successful", Value::Bool(r.successful)),
    ];
    if let Some(id) = &r.log_id {
        v.push(("logId", Value::from(id.clone())));
    }
    if let Some(s) = &r.session_info {
        v.push(("sessionInfo", s.clone()));
    }
    obj(v)
}

/// One call's outcome inside [`handle_tool_calls`] (TypeScript's Responses
/// provider reports failures per call instead of failing the whole batch).
enum Outcome {
    Done(Box<ToolExecuteResponse>),
    Failed(String),
}

/// Shapes executed calls' results as the SDK's `handle_tool_calls` returns
/// them (`results[i]` belongs to `calls[i]`):
///
/// * Python, every provider: `[{data, error, successful}, ...]`.
/// * TypeScript OpenAI: `[{role:"tool", tool_call_id, content: JSON.stringify(result)}]`.
/// * TypeScript Responses: `[{call_id, type:"function_call_output", output, status:"completed"}]`.
/// * TypeScript Anthropic: `[{role:"user", content:[{type:"tool_result", tool_use_id,
///   content: JSON.stringify(result.data), cache_control?}]}]`, or `[]` without calls.
/// * TypeScript Google: `[JSON.stringify(result), ...]` (one string per call,
///   as `GoogleProvider.executeToolCall` returns).
///
/// `result` is `{data, error, successful, logId?, sessionInfo?}`, serialised
/// like `JSON.stringify` (see [`js_json_stringify`]).
pub fn format_tool_results(
    provider: &Provider,
    calls: &[ToolCall],
    results: &[ToolExecuteResponse],
    flavor: Flavor,
) -> Result<Value> {
    if calls.len() != results.len() {
        return Err(Error::validation(format!("{} tool calls but {} results", calls.len(), results.len())));
    }
    let outcomes: Vec<Outcome> = results.iter().map(|r| Outcome::Done(Box::new(r.clone()))).collect();
    Ok(format_outcomes(provider, calls, &outcomes, flavor))
}

fn format_outcomes(provider: &Provider, calls: &[ToolCall], outcomes: &[Outcome], flavor: Flavor) -> Value {
    if flavor == Flavor::Python {
        return Value::Array(
            outcomes
                .iter()
                .map(|o| match o {
                    Outcome::Done(r) => r.to_result_json(),
                    Outcome::Failed(m) => obj(vec![
                        ("data", Value::Object(Map::new())),
                        ("error", Value::from(m.clone())),
                        ("successful", Value::Bool(false)),
                    ]),
                })
                .collect(),
        );
    }
    let pairs = calls.iter().zip(outcomes);
    match provider {
        Provider::OpenAI => Value::Array(
            pairs
                .map(|(c, o)| {
                    let content = match o {
                        Outcome::Done(r) => js_json_stringify(&ts_result(r)),
                        Outcome::Failed(m) => m.clone(),
                    };
                    let mut v = vec![("role", Value::from("tool"))];
                    if let Some(id) = &c.id {
                        v.push(("tool_call_id", Value::from(id.clone())));
                    }
                    v.push(("content", Value::from(content)));
                    obj(v)
                })
                .collect(),
        ),
        Provider::OpenAIResponses { .. } => Value::Array(
            pairs
                .map(|(c, o)| {
                    let (output, status) = match o {
                        Outcome::Done(r) => (js_json_stringify(&ts_result(r)), "completed"),
                        Outcome::Failed(m) => (m.clone(), "incomplete"),
                    };
                    obj(vec![
                        ("call_id", Value::from(c.id.clone().unwrap_or_default())),
                        ("type", Value::from("function_call_output")),
                        ("output", Value::from(output)),
                        ("status", Value::from(status)),
                    ])
                })
                .collect(),
        ),
        Provider::Anthropic { cache_tools } => {
            let blocks: Vec<Value> = pairs
                .map(|(c, o)| {
                    let content = match o {
                        Outcome::Done(r) => js_json_stringify(&r.data),
                        Outcome::Failed(m) => m.clone(),
                    };
                    let mut v = vec![("type", Value::from("tool_result"))];
                    if let Some(id) = &c.id {
                        v.push(("tool_use_id", Value::from(id.clone())));
                    }
                    v.push(("content", Value::from(content)));
                    if *cache_tools {
                        v.push(("cache_control", ephemeral()));
                    }
                    obj(v)
                })
                .collect();
            if blocks.is_empty() {
                Value::Array(vec![])
            } else {
                Value::Array(vec![obj(vec![
                    ("role", Value::from("user")),
                    ("content", Value::Array(blocks)),
                ])])
            }
        }
        Provider::Google => Value::Array(
            pairs
                .map(|(_, o)| match o {
                    Outcome::Done(r) => Value::from(js_json_stringify(&ts_result(r))),
                    Outcome::Failed(m) => Value::from(m.clone()),
                })
                .collect(),
        ),
    }
}

/// Executes one tool call for [`handle_tool_calls`]. The client implements
/// this over `tools.execute` (with `dangerously_skip_version_check`, the
/// caller's user id, and the caller's before/after-execute modifiers, which
/// therefore run once per call, in call order).
#[async_trait]
pub trait ToolCallExecutor: Send + Sync {
    /// Runs the tool `slug` with these arguments.
    async fn execute_tool_call(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
    ) -> Result<ToolExecuteResponse>;
}

/// Parses the response's tool calls, executes each (sequentially, in call
/// order) and formats the results as the SDK's `handle_tool_calls` /
/// `handleToolCalls` returns them (see [`format_tool_results`]).
///
/// An execution error fails the whole call, except for the TypeScript
/// Responses provider, which reports it in that call's item
/// (`output: <message>`, `status: "incomplete"`) like the official SDK.
pub async fn handle_tool_calls(
    executor: &dyn ToolCallExecutor,
    provider: &Provider,
    response: &Value,
    flavor: Flavor,
) -> Result<Value> {
    let calls = parse_tool_calls(provider, response, flavor)?;
    let mut outcomes = Vec::with_capacity(calls.len());
    for call in &calls {
        match executor.execute_tool_call(&call.slug, call.arguments.clone()).await {
            Ok(r) => outcomes.push(Outcome::Done(Box::new(r))),
            Err(e)
                if matches!(provider, Provider::OpenAIResponses { .. }) && flavor == Flavor::TypeScript =>
            {
                outcomes.push(Outcome::Failed(e.to_string()))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(format_outcomes(provider, &calls, &outcomes, flavor))
}

/// Formats an MCP server for the provider (TypeScript
/// `wrapMcpServerResponse`): OpenAI and Google `{url, name}`, Anthropic
/// `{url, name, type:"url"}`, Responses `{type:"mcp", server_label,
/// server_url, require_approval:"never"}`.
pub fn wrap_mcp_server(provider: &Provider, url: &str, name: &str) -> Value {
    match provider {
        Provider::OpenAI | Provider::Google => {
            obj(vec![("url", Value::from(url)), ("name", Value::from(name))])
        }
        Provider::Anthropic { .. } => {
            obj(vec![("url", Value::from(url)), ("name", Value::from(name)), ("type", Value::from("url"))])
        }
        Provider::OpenAIResponses { .. } => obj(vec![
            ("type", Value::from("mcp")),
            ("server_label", Value::from(name)),
            ("server_url", Value::from(url)),
            ("require_approval", Value::from("never")),
        ]),
    }
}

/// Serialises a value exactly like JavaScript's `JSON.stringify` (compact,
/// non-ASCII kept, numbers in JavaScript's format: `1.0` → `1`,
/// `1e21` → `1e+21`, `1e-7` → `1e-7`).
pub fn js_json_stringify(v: &Value) -> String {
    let mut s = String::new();
    write_js(v, &mut s);
    s
}

fn write_js(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                out.push_str(&n.to_string());
            } else {
                out.push_str(&js_number(n.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js(x, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write_js(x, out);
            }
            out.push('}');
        }
    }
}

fn js_number(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == 0.0 {
        return "0".into();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-6..21).contains(&exp) {
        format!("{f}")
    } else {
        format!("{mantissa}e{}{exp}", if exp >= 0 { "+" } else { "" })
    }
}
