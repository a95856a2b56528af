//! Session custom tools and toolkits (wire contract §11.3): the SDK announces them in the session
//! create body (`experimental.custom_tools`, `experimental.custom_toolkits`); they run in the SDK's
//! process. The server checks each definition, gives every tool its final slug
//! (`LOCAL_` + toolkit + `_` + slug, upper-case, at most 60 characters) and echoes the lists with
//! `slug` (final) and `original_slug`, which the SDKs map their local tools by.
//!
//! `preload` (a boolean on a tool, a toolkit, or a toolkit's tool; `@composio/core` 0.21) asks for
//! the tool to be listed in `session.tools()` without searching first. That listing is built by
//! the SDK (from its own definitions); the server stores the hint with the definition and echoes
//! it unchanged, so a later read of the session shows what was asked for.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::extract::{optional_bool, optional_object, optional_str, reject_unknown, required_str, type_name};

/// The longest final slug a custom tool may have.
pub const MAX_FINAL_SLUG_LEN: usize = 60;

const TOOL_FIELDS: &[&str] =
    &["slug", "name", "description", "input_schema", "output_schema", "extends_toolkit", "preload"];
/// The fields of a tool inside a custom toolkit (no `extends_toolkit`: the toolkit is its own).
const TOOLKIT_TOOL_FIELDS: &[&str] =
    &["slug", "name", "description", "input_schema", "output_schema", "preload"];
const TOOLKIT_FIELDS: &[&str] = &["slug", "name", "description", "tools", "preload"];

/// Checked `(custom_tools, custom_toolkits)` lists with final slugs, from the create body's
/// `experimental` object; both empty when neither field is given.
pub fn parse(experimental: &Map<String, Value>) -> Result<(Vec<Value>, Vec<Value>), ApiError> {
    let mut seen = Seen::default();
    let mut tools = Vec::new();
    for (i, entry) in array(experimental, "custom_tools")?.iter().enumerate() {
        let path = format!("experimental.custom_tools[{i}]");
        let def = object(entry, &path)?;
        reject_unknown(def, TOOL_FIELDS, &format!("{path}."))?;
        let toolkit = optional_str(def, "extends_toolkit").map_err(|e| at(e, &path))?;
        if let Some(tk) = &toolkit {
            check_slug_text(tk, &format!("{path}.extends_toolkit"))?;
        }
        tools.push(tool(def, toolkit.as_deref(), &path, &mut seen)?);
    }
    let mut toolkits = Vec::new();
    for (i, entry) in array(experimental, "custom_toolkits")?.iter().enumerate() {
        let path = format!("experimental.custom_toolkits[{i}]");
        let def = object(entry, &path)?;
        reject_unknown(def, TOOLKIT_FIELDS, &format!("{path}."))?;
        let slug = required_str(def, "slug").map_err(|e| at(e, &path))?;
        check_slug_text(&slug, &format!("{path}.slug"))?;
        if !seen.toolkits.insert(slug.to_uppercase()) {
            return Err(ApiError::bad_request(format!(
                "{path}.slug: duplicate custom toolkit slug `{slug}`"
            )));
        }
        let name = required_str(def, "name").map_err(|e| at(e, &path))?;
        let description = required_str(def, "description").map_err(|e| at(e, &path))?;
        let preload = optional_bool(def, "preload").map_err(|e| at(e, &path))?;
        let entries = array(def, "tools").map_err(|e| at(e, &path))?;
        if entries.is_empty() {
            return Err(ApiError::bad_request(format!("{path}.tools: custom toolkit `{slug}` has no tools")));
        }
        let mut members = Vec::new();
        for (j, entry) in entries.iter().enumerate() {
            let tpath = format!("{path}.tools[{j}]");
            let tdef = object(entry, &tpath)?;
            reject_unknown(tdef, TOOLKIT_TOOL_FIELDS, &format!("{tpath}."))?;
            members.push(tool(tdef, Some(&slug), &tpath, &mut seen)?);
        }
        let mut out = json!({
            "slug": slug,
            "original_slug": slug,
            "name": name,
            "description": description,
            "tools": members,
        });
        if let Some(p) = preload {
            out["preload"] = json!(p);
        }
        toolkits.push(out);
    }
    Ok((tools, toolkits))
}

#[derive(Default)]
struct Seen {
    originals: HashSet<String>,
    finals: HashSet<String>,
    toolkits: HashSet<String>,
}

/// One checked tool definition with its final slug.
fn tool(
    def: &Map<String, Value>,
    toolkit: Option<&str>,
    path: &str,
    seen: &mut Seen,
) -> Result<Value, ApiError> {
    let slug = required_str(def, "slug").map_err(|e| at(e, path))?;
    check_slug_text(&slug, &format!("{path}.slug"))?;
    let name = required_str(def, "name").map_err(|e| at(e, path))?;
    let description = required_str(def, "description").map_err(|e| at(e, path))?;
    let input_schema = schema(def, "input_schema", path)?.ok_or_else(|| {
        ApiError::bad_request(format!("{path}: missing required field `input_schema` (a JSON Schema object)"))
    })?;
    let output_schema = schema(def, "output_schema", path)?;
    let preload = optional_bool(def, "preload").map_err(|e| at(e, path))?;
    let final_slug = match toolkit {
        Some(tk) => format!("LOCAL_{}_{}", tk.to_uppercase(), slug.to_uppercase()),
        None => format!("LOCAL_{}", slug.to_uppercase()),
    };
    if final_slug.len() > MAX_FINAL_SLUG_LEN {
        return Err(ApiError::bad_request(format!(
            "{path}.slug: the final slug {final_slug} has {} characters (at most {MAX_FINAL_SLUG_LEN})",
            final_slug.len()
        )));
    }
    if !seen.originals.insert(slug.to_uppercase()) {
        return Err(ApiError::bad_request(format!("{path}.slug: duplicate custom tool slug `{slug}`")));
    }
    if !seen.finals.insert(final_slug.clone()) {
        return Err(ApiError::bad_request(format!(
            "{path}.slug: `{slug}` collides with another custom tool's final slug {final_slug}"
        )));
    }
    let mut out = Map::new();
    out.insert("slug".into(), json!(final_slug));
    out.insert("original_slug".into(), json!(slug));
    out.insert("name".into(), json!(name));
    out.insert("description".into(), json!(description));
    out.insert("input_schema".into(), input_schema);
    if let Some(o) = output_schema {
        out.insert("output_schema".into(), o);
    }
    if let Some(tk) = toolkit {
        out.insert("toolkit".into(), json!(tk));
    }
    if let Some(p) = preload {
        out.insert("preload".into(), json!(p));
    }
    Ok(Value::Object(out))
}

/// The slug rules: `^[A-Za-z0-9_-]+$`, not starting with `LOCAL_` or `COMPOSIO_`.
fn check_slug_text(slug: &str, path: &str) -> Result<(), ApiError> {
    if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(ApiError::bad_request(format!("{path}: slug `{slug}` must match ^[A-Za-z0-9_-]+$")));
    }
    let upper = slug.to_uppercase();
    if let Some(p) = ["LOCAL_", "COMPOSIO_"].into_iter().find(|p| upper.starts_with(p)) {
        return Err(ApiError::bad_request(format!(
            "{path}: slug `{slug}` must not start with the reserved prefix {p}"
        )));
    }
    Ok(())
}

fn schema(def: &Map<String, Value>, field: &str, path: &str) -> Result<Option<Value>, ApiError> {
    optional_object(def, field).map_err(|e| at(e, path)).map(|o| o.map(|o| Value::Object(o.clone())))
}

fn array<'a>(map: &'a Map<String, Value>, field: &str) -> Result<&'a [Value], ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(other) => {
            Err(ApiError::bad_request(format!("field `{field}` must be an array, got {}", type_name(other))))
        }
    }
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ApiError> {
    v.as_object()
        .ok_or_else(|| ApiError::bad_request(format!("{path} must be an object, got {}", type_name(v))))
}

/// Prefix an error's message with where in the body it happened.
fn at(mut e: ApiError, path: &str) -> ApiError {
    e.message = format!("{path}: {}", e.message);
    e
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn exp(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn def(slug: &str) -> Value {
        json!({"slug": slug, "name": "N", "description": "D", "input_schema": {"type": "object"}})
    }

    #[test]
    fn final_slugs_and_echo() {
        let (tools, toolkits) = parse(&exp(json!({
            "custom_tools": [def("get_weather"), {
                "slug": "lookup", "name": "L", "description": "D", "input_schema": {"type": "object"},
                "extends_toolkit": "notes", "output_schema": {"type": "object"}}],
            "custom_toolkits": [{"slug": "crm", "name": "CRM", "description": "D", "tools": [def("find")]}],
        })))
        .unwrap();
        assert_eq!(tools[0]["slug"], "LOCAL_GET_WEATHER");
        assert_eq!(tools[0]["original_slug"], "get_weather");
        assert_eq!(tools[1]["slug"], "LOCAL_NOTES_LOOKUP");
        assert_eq!(tools[1]["output_schema"], json!({"type": "object"}));
        assert_eq!(toolkits[0]["tools"][0]["slug"], "LOCAL_CRM_FIND");
        assert_eq!(toolkits[0]["original_slug"], "crm");
        assert!(tools[0].get("preload").is_none());
    }

    #[test]
    fn preload_is_stored_and_echoed() {
        let mut with = def("a");
        with["preload"] = json!(true);
        let mut off = def("b");
        off["preload"] = json!(false);
        let (tools, toolkits) = parse(&exp(json!({
            "custom_tools": [with],
            "custom_toolkits": [{"slug": "crm", "name": "CRM", "description": "D", "preload": true, "tools": [off]}],
        })))
        .unwrap();
        assert_eq!(tools[0]["preload"], true);
        assert_eq!(toolkits[0]["preload"], true);
        assert_eq!(toolkits[0]["tools"][0]["preload"], false);
    }

    #[test]
    fn errors_name_the_problem() {
        let msg = |v: Value| parse(&exp(v)).unwrap_err().message;
        assert!(msg(json!({"custom_tools": [def("local_x")]})).contains("reserved prefix LOCAL_"));
        assert!(msg(json!({"custom_tools": [def("Composio_x")]})).contains("reserved prefix COMPOSIO_"));
        assert!(msg(json!({"custom_tools": [def("a b")]})).contains("experimental.custom_tools[0].slug"));
        assert!(msg(json!({"custom_tools": [def("x"), def("X")]})).contains("duplicate custom tool slug"));
        assert!(msg(json!({"custom_tools": [def(&"a".repeat(60))]})).contains("at most 60"));
        assert!(msg(json!({"custom_tools": [{"slug": "x", "name": "n", "description": "d"}]}))
            .contains("`input_schema`"));
        assert!(msg(json!({"custom_tools": [{"slug": "x", "name": "n"}]})).contains("`description`"));
        assert!(msg(json!({"custom_tools": [{"slug": "x", "nme": "n"}]})).contains("custom_tools[0].nme"));
        assert!(msg(
            json!({"custom_toolkits": [{"slug": "k", "name": "n", "description": "d", "tools": []}]})
        )
        .contains("has no tools"));
        assert!(msg(json!({"custom_tools": {}})).contains("must be an array"));
        let bad_preload = msg(json!({"custom_tools": [{"slug": "x", "name": "n", "description": "d",
            "input_schema": {"type": "object"}, "preload": "yes"}]}));
        assert!(bad_preload.contains("custom_tools[0]") && bad_preload.contains("preload"), "{bad_preload}");
        assert!(msg(json!({"custom_toolkits": [{"slug": "k", "name": "n", "description": "d",
            "tools": [{"slug": "t", "name": "n", "description": "d", "input_schema": {}, "extends_toolkit": "x"}]}]}))
        .contains("extends_toolkit"));
    }
}
