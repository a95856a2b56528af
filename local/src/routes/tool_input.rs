//! `GET /tools/enum` and `POST /tools/execute/{slug}/input` (wire contract §3.1).
//!
//! The hosted `/input` endpoint asks a language model to turn `text` into arguments.
//! composio-local answers deterministically instead, without a model:
//!
//! 1. Every `name: value` or `name = value` in `text` whose `name` is a property of the tool's
//!    input schema (its name, the name with spaces for underscores, or its `title`; any case)
//!    sets that argument. A value runs to the next such `name:`, a line break or `;`; a value in
//!    double quotes runs to the closing quote.
//! 2. Values are converted to the property's type: integers, numbers, booleans
//!    (`true/false/yes/no`), arrays (comma-separated), objects (JSON); strings with an `enum`
//!    must match one of its values (any case).
//! 3. When nothing matched, the whole text becomes the first required string property (so
//!    `"hello world"` is the `text` of `TEXT_WORD_COUNT`).
//!
//! Required arguments that could not be found are named in `error` (HTTP 200, like the hosted
//! API); `custom_description` and `system_prompt` are accepted and have no effect.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::errors::{codes, ApiError};
use crate::extract::{optional_str, reject_unknown, required_str, JsonObject};
use crate::toolkits;
use crate::AppState;

/// `GET /tools/enum` — the slugs of every tool (latest version of each toolkit).
pub async fn tools_enum(State(_state): State<AppState>) -> Json<Value> {
    Json(Value::Array(toolkits::regular_tools().map(|(_, t)| Value::String(t.slug.to_owned())).collect()))
}

/// `POST /tools/execute/{slug}/input` — `{text, custom_description?, system_prompt?, version?}`.
pub async fn tool_input(
    Path(slug): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["text", "custom_description", "system_prompt", "version"], "")?;
    let (tk, tool) = toolkits::find_tool(&slug).ok_or_else(|| {
        ApiError::not_found(codes::TOOL_NOT_FOUND, "Tool", &slug)
            .fix("List the available tools with GET /api/v3/tools.")
    })?;
    let text = required_str(&body, "text")?;
    optional_str(&body, "custom_description")?;
    optional_str(&body, "system_prompt")?;
    if let Some(version) = optional_str(&body, "version")? {
        crate::routes::tools::check_version(tk, &version, "field `version`")?;
    }
    let (arguments, problems) = derive_arguments(&tool.input_parameters, &text);
    let error = (!problems.is_empty()).then(|| problems.join("; "));
    Ok(Json(json!({"arguments": arguments, "error": error})))
}

struct Found {
    prop: String,
    label_start: usize,
    value_start: usize,
}

fn labels(name: &str, schema: &Value) -> Vec<String> {
    let mut out = vec![name.to_lowercase(), name.replace('_', " ").to_lowercase()];
    if let Some(title) = schema.get("title").and_then(Value::as_str) {
        out.push(title.to_lowercase());
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.len()));
    out.dedup();
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every `label:` / `label =` occurrence in `lower` (the lower-cased text).
fn find_labels(lower: &str, props: &Map<String, Value>) -> Vec<Found> {
    let bytes = lower.as_bytes();
    let mut found: Vec<Found> = Vec::new();
    for (name, schema) in props {
        for label in labels(name, schema) {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(&label) {
                let start = from + pos;
                let end = start + label.len();
                from = end;
                if start > 0 && is_word_byte(bytes[start - 1]) {
                    continue;
                }
                let mut i = end;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b':' || bytes[i] == b'=') {
                    let overlaps = found.iter().any(|f| start < f.value_start && f.label_start < end);
                    if !overlaps {
                        found.push(Found { prop: name.clone(), label_start: start, value_start: i + 1 });
                    }
                }
            }
        }
    }
    found.sort_by_key(|f| f.label_start);
    found
}

fn convert(name: &str, schema: &Value, raw: &str) -> Result<Value, String> {
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("string")
        }
        _ => "string",
    };
    let bad = |what: &str| format!("`{name}` must be {what}, got `{raw}`");
    match kind {
        "integer" => raw.parse::<i64>().map(Value::from).map_err(|_| bad("an integer")),
        "number" => raw.parse::<f64>().map(Value::from).map_err(|_| bad("a number")),
        "boolean" => match raw.to_lowercase().as_str() {
            "true" | "yes" => Ok(Value::Bool(true)),
            "false" | "no" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        "array" => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| convert(name, &items, s))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        "object" => serde_json::from_str::<Value>(raw)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| bad("a JSON object")),
        _ => match schema.get("enum").and_then(Value::as_array) {
            Some(options) => options
                .iter()
                .filter_map(Value::as_str)
                .find(|o| o.eq_ignore_ascii_case(raw))
                .map(|o| Value::String(o.to_owned()))
                .ok_or_else(|| {
                    let list: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
                    format!("`{name}` must be one of {}, got `{raw}`", list.join(", "))
                }),
            None => Ok(Value::String(raw.to_owned())),
        },
    }
}

/// Arguments derived from `text` for a tool with input schema `schema`, and the problems found
/// (unconvertible values, required arguments that are missing).
pub fn derive_arguments(schema: &Value, text: &str) -> (Map<String, Value>, Vec<String>) {
    let props = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    // Lower-casing keeps byte offsets only for ASCII-compatible lengths; fall back to the text itself.
    let lowered = text.to_lowercase();
    let lower = if lowered.len() == text.len() { lowered } else { text.to_owned() };
    let found = find_labels(&lower, &props);
    let mut args = Map::new();
    let mut problems = Vec::new();
    for (i, f) in found.iter().enumerate() {
        if args.contains_key(&f.prop) {
            continue;
        }
        let limit = found.get(i + 1).map_or(text.len(), |n| n.label_start);
        let rest = &text[f.value_start..limit];
        let trimmed = rest.trim_start();
        let raw = if let Some(quoted) = trimmed.strip_prefix('"') {
            quoted.split('"').next().unwrap_or_default().to_owned()
        } else {
            let end = trimmed.find(['\n', ';']).unwrap_or(trimmed.len());
            trimmed[..end].trim().trim_end_matches(',').trim().to_owned()
        };
        let schema = props.get(&f.prop).cloned().unwrap_or(Value::Null);
        match convert(&f.prop, &schema, &raw) {
            Ok(v) => {
                args.insert(f.prop.clone(), v);
            }
            Err(e) => problems.push(e),
        }
    }
    if found.is_empty() {
        let first_string = required.iter().find(|r| {
            props.get(*r).and_then(|p| p.get("type")).and_then(Value::as_str) == Some("string")
                && props.get(*r).and_then(|p| p.get("enum")).is_none()
        });
        if let Some(name) = first_string {
            if !text.trim().is_empty() {
                args.insert(name.clone(), Value::String(text.trim().to_owned()));
            }
        }
    }
    let missing: Vec<String> =
        required.iter().filter(|r| !args.contains_key(*r)).map(|r| format!("`{r}`")).collect();
    if !missing.is_empty() {
        problems.push(format!(
            "could not determine the required argument(s) {} from `text`; write them as `name: value`",
            missing.join(", ")
        ));
    }
    (args, problems)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn derives_typed_arguments_from_labels() {
        let schema = json!({"type":"object","properties":{
            "title":{"type":"string"},"content":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},
            "pinned":{"type":"boolean"},"color":{"type":"string","enum":["default","yellow"]},
            "max_replacements":{"type":"integer"}},"required":["title","content"]});
        let (a, p) = derive_arguments(
            &schema,
            "Title: Groceries; content: \"milk; eggs\" tags: home, food pinned=yes Color: YELLOW max replacements: 3",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(
            Value::Object(a),
            json!({"title":"Groceries","content":"milk; eggs","tags":["home","food"],
            "pinned":true,"color":"yellow","max_replacements":3})
        );
        let (a, p) = derive_arguments(&schema, "content: x\npinned: maybe");
        assert_eq!(a["content"], "x");
        assert!(p.iter().any(|m| m.contains("`pinned`")) && p.iter().any(|m| m.contains("`title`")), "{p:?}");
    }

    #[test]
    fn whole_text_fills_the_single_required_string() {
        let schema = json!({"type":"object","properties":{"text":{"type":"string"}},"required":["text"]});
        let (a, p) = derive_arguments(&schema, "  the quick brown fox ");
        assert!(p.is_empty());
        assert_eq!(a["text"], "the quick brown fox");
    }
}
