//! A small validator of JSON values against the response schemas of an OpenAPI 3.0 document:
//! `$ref` (local `#/...` pointers), `type` with `nullable`, `properties` / `required` /
//! `additionalProperties`, `items`, `enum`, `allOf` / `oneOf` / `anyOf`, `minLength` /
//! `maxLength`, `minimum` / `maximum` (with OpenAPI 3.0's boolean `exclusiveMinimum` /
//! `exclusiveMaximum`). Annotations (`description`, `example`, `default`, `format`,
//! `deprecated`) are not assertions and are ignored.
#![allow(dead_code, missing_docs)]

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

/// The OpenAPI document.
pub struct Spec {
    pub doc: Value,
}

/// One place where a response does not match the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// `METHOD /path/template` of the operation.
    pub operation: String,
    /// The HTTP status of the response that was checked.
    pub status: u16,
    /// JSON pointer into the response body (`""` is the whole body).
    pub pointer: String,
    /// What the document expects there, and what was found.
    pub expected: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ptr = if self.pointer.is_empty() { "(body)" } else { self.pointer.as_str() };
        write!(f, "{} -> {}: at {}: {}", self.operation, self.status, ptr, self.expected)
    }
}

impl Spec {
    /// Load the in-repo copy `tests/fixtures/composio-v3-openapi.json`.
    pub fn load() -> Spec {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/composio-v3-openapi.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the OpenAPI document {}: {e}", path.display()));
        let doc: Value = serde_json::from_str(&text).expect("the OpenAPI document is JSON");
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "{} is not an OpenAPI 3.x document",
            path.display()
        );
        Spec { doc }
    }

    /// The operation object for `method` (lower case) and a path template as written in the document.
    pub fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.doc["paths"].get(path)?.get(method.to_ascii_lowercase())
    }

    /// The documented statuses of an operation, e.g. `["200", "400", ...]`.
    pub fn statuses(&self, method: &str, path: &str) -> Vec<String> {
        self.operation(method, path)
            .and_then(|op| op["responses"].as_object())
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The JSON schema of the `application/json` response for `status` (or `default`).
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Option<&Value> {
        let responses = &self.operation(method, path)?["responses"];
        let resp = responses.get(status.to_string()).or_else(|| responses.get("default"))?;
        let resp = self.deref(resp);
        resp.get("content")?.get("application/json")?.get("schema")
    }

    /// Follow `$ref` chains (local pointers only).
    pub fn deref<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else { return schema };
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref `{r}`"));
            schema = self.doc.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref `{r}`"));
        }
        panic!("$ref chain too long")
    }

    /// Validate `value` against `schema`; every mismatch is pushed as `(pointer, expected)`.
    pub fn validate(&self, schema: &Value, value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
        let schema = self.deref(schema);
        let Some(obj) = schema.as_object() else { return };
        if value.is_null() {
            let nullable = obj.get("nullable").and_then(Value::as_bool).unwrap_or(false);
            let typed = obj.contains_key("type") || obj.contains_key("enum");
            if nullable {
                return;
            }
            if typed {
                out.push((pointer.to_owned(), format!("{} (not nullable), got null", describe(schema))));
                return;
            }
        }
        if let Some(variants) = obj.get("enum").and_then(Value::as_array) {
            if !variants.contains(value) {
                let allowed: Vec<String> = variants.iter().map(Value::to_string).collect();
                out.push((
                    pointer.to_owned(),
                    format!("one of [{}], got {}", allowed.join(", "), short(value)),
                ));
            }
        }
        if let Some(t) = obj.get("type").and_then(Value::as_str) {
            if !type_matches(t, value) {
                out.push((pointer.to_owned(), format!("type {t}, got {}", short(value))));
                return;
            }
        }
        if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.validate(s, value, pointer, out);
            }
        }
        if let Some(any) = obj.get("anyOf").and_then(Value::as_array) {
            let fits = any.iter().filter(|s| self.matches(s, value, pointer)).count();
            if fits == 0 {
                out.push((pointer.to_owned(), self.no_variant("anyOf", any, value, pointer)));
            }
        }
        if let Some(one) = obj.get("oneOf").and_then(Value::as_array) {
            let fits = one.iter().filter(|s| self.matches(s, value, pointer)).count();
            if fits == 0 {
                out.push((pointer.to_owned(), self.no_variant("oneOf", one, value, pointer)));
            } else if fits > 1 {
                out.push((
                    pointer.to_owned(),
                    format!("exactly one oneOf variant to match, but {fits} of {} match", one.len()),
                ));
            }
        }
        match value {
            Value::Object(map) => {
                let props = obj.get("properties").and_then(Value::as_object);
                if let Some(required) = obj.get("required").and_then(Value::as_array) {
                    for name in required.iter().filter_map(Value::as_str) {
                        if !map.contains_key(name) {
                            out.push((pointer.to_owned(), format!("required property `{name}` is missing")));
                        }
                    }
                }
                for (k, v) in map {
                    let child = format!("{pointer}/{}", escape_pointer(k));
                    if let Some(p) = props.and_then(|p| p.get(k)) {
                        self.validate(p, v, &child, out);
                        continue;
                    }
                    match obj.get("additionalProperties") {
                        Some(Value::Bool(false)) => out.push((
                            pointer.to_owned(),
                            format!("no property `{k}` (additionalProperties: false)"),
                        )),
                        Some(extra @ Value::Object(_)) => self.validate(extra, v, &child, out),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = obj.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.validate(item, v, &format!("{pointer}/{i}"), out);
                    }
                }
            }
            Value::String(s) => {
                let len = s.chars().count() as u64;
                if let Some(max) = obj.get("maxLength").and_then(Value::as_u64) {
                    if len > max {
                        out.push((pointer.to_owned(), format!("at most {max} characters, got {len}")));
                    }
                }
                if let Some(min) = obj.get("minLength").and_then(Value::as_u64) {
                    if len < min {
                        out.push((pointer.to_owned(), format!("at least {min} characters, got {len}")));
                    }
                }
            }
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                let excl = |k: &str| obj.get(k).and_then(Value::as_bool).unwrap_or(false);
                if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
                    if x < min || (excl("exclusiveMinimum") && x == min) {
                        out.push((pointer.to_owned(), format!("a number >= {min}, got {n}")));
                    }
                }
                if let Some(max) = obj.get("maximum").and_then(Value::as_f64) {
                    if x > max || (excl("exclusiveMaximum") && x == max) {
                        out.push((pointer.to_owned(), format!("a number <= {max}, got {n}")));
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether `value` matches `schema` without mismatches.
    pub fn matches(&self, schema: &Value, value: &Value, pointer: &str) -> bool {
        let mut scratch = Vec::new();
        self.validate(schema, value, pointer, &mut scratch);
        scratch.is_empty()
    }

    /// "no variant matched" with the closest variant's first problems.
    fn no_variant(&self, keyword: &str, variants: &[Value], value: &Value, pointer: &str) -> String {
        let mut best: Option<Vec<(String, String)>> = None;
        for s in variants {
            let mut errs = Vec::new();
            self.validate(s, value, pointer, &mut errs);
            if best.as_ref().is_none_or(|b| errs.len() < b.len()) {
                best = Some(errs);
            }
        }
        let detail: Vec<String> = best
            .unwrap_or_default()
            .into_iter()
            .take(3)
            .map(|(p, e)| format!("{}: {e}", if p.is_empty() { "(body)" } else { &p }))
            .collect();
        format!(
            "a value matching one of {} {keyword} variants; closest: {}",
            variants.len(),
            detail.join("; ")
        )
    }
}

fn type_matches(t: &str, value: &Value) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn describe(schema: &Value) -> String {
    match schema.get("type").and_then(Value::as_str) {
        Some(t) => format!("type {t}"),
        None => "an enum value".to_owned(),
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A short rendering of a value for messages.
pub fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}
