//! Request extractors whose failures are API error envelopes naming the problem, and helpers
//! to read typed fields out of JSON objects.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::errors::{codes, ApiError};

/// A request body that must be a JSON object.
#[derive(Debug)]
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            let status = rejection.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(status, codes::PAYLOAD_TOO_LARGE, "request body is too large (limit 2 MiB)")
            } else {
                ApiError::bad_request(format!("could not read the request body: {}", rejection.body_text()))
            }
        })?;
        parse_object(&bytes).map(JsonObject)
    }
}

/// Parse bytes as a JSON object, with errors naming what is wrong.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("request body is empty; expected a JSON object")
            .fix("Send a JSON object with `Content-Type: application/json`."));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!("malformed JSON body: {e}")).fix("Send a valid JSON object.")
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(ApiError::bad_request(format!(
            "request body must be a JSON object, got {}",
            type_name(&other)
        ))),
    }
}

/// The query string as ordered (name, value) pairs.
#[derive(Debug, Default)]
pub struct QueryParams(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let pairs = parts
            .uri
            .query()
            .map(|q| {
                form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
            })
            .unwrap_or_default();
        Ok(QueryParams(pairs))
    }
}

impl QueryParams {
    /// The last value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A comma-separated (or repeated) list parameter, trimmed, empties removed.
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        let mut found = false;
        let mut out = Vec::new();
        for (k, v) in &self.0 {
            if k == name || k.strip_suffix("[]") == Some(name) {
                found = true;
                out.extend(v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
            }
        }
        found.then_some(out)
    }

    /// A boolean parameter (`true`/`false`, case-insensitive).
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::bad_request(format!(
                "query parameter `{name}` must be `true` or `false`, got `{v}`"
            ))),
        }
    }

    /// `limit` (1..=10000, default `default`).
    pub fn limit(&self, default: usize) -> Result<usize, ApiError> {
        match self.get("limit") {
            None | Some("") => Ok(default),
            Some(v) => match v.parse::<f64>() {
                Ok(n) if n.fract() == 0.0 && (1.0..=10000.0).contains(&n) => Ok(n as usize),
                _ => Err(ApiError::bad_request(format!(
                    "query parameter `limit` must be an integer between 1 and 10000, got `{v}`"
                ))),
            },
        }
    }

    /// The offset encoded in `cursor` (0 when absent).
    pub fn offset(&self) -> Result<usize, ApiError> {
        match self.get("cursor") {
            None | Some("") => Ok(0),
            Some(c) => crate::ids::decode_cursor(c).ok_or_else(|| {
                ApiError::bad_request(format!("query parameter `cursor` is not a valid cursor: `{c}`"))
                    .fix("Pass back the `next_cursor` value of a previous page unchanged.")
            }),
        }
    }

    /// Names of parameters that are not in `known` (bracketed names like `toolkit_versions[x]` match `toolkit_versions`).
    pub fn unknown(&self, known: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, _) in &self.0 {
            let base = k.split('[').next().unwrap_or(k);
            if !known.contains(&base) && !out.contains(k) {
                out.push(k.clone());
            }
        }
        out
    }
}

/// The JSON type name of a value, for error messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A required, non-empty string field.
pub fn required_str(map: &Map<String, Value>, field: &str) -> Result<String, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Err(ApiError::bad_request(format!("missing required field `{field}`"))),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(ApiError::bad_request(format!("field `{field}` must not be empty")))
        }
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => {
            Err(ApiError::bad_request(format!("field `{field}` must be a string, got {}", type_name(other))))
        }
    }
}

/// An optional string field (null counts as absent).
pub fn optional_str(map: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            Err(ApiError::bad_request(format!("field `{field}` must be a string, got {}", type_name(other))))
        }
    }
}

/// An optional boolean field (null counts as absent).
pub fn optional_bool(map: &Map<String, Value>, field: &str) -> Result<Option<bool>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => {
            Err(ApiError::bad_request(format!("field `{field}` must be a boolean, got {}", type_name(other))))
        }
    }
}

/// An optional object field (null counts as absent).
pub fn optional_object<'a>(
    map: &'a Map<String, Value>,
    field: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(other) => {
            Err(ApiError::bad_request(format!("field `{field}` must be an object, got {}", type_name(other))))
        }
    }
}

/// An optional array of strings (null counts as absent).
pub fn optional_str_list(map: &Map<String, Value>, field: &str) -> Result<Option<Vec<String>>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(ApiError::bad_request(format!(
                    "field `{field}[{i}]` must be a string, got {}",
                    type_name(other)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(ApiError::bad_request(format!(
            "field `{field}` must be an array of strings, got {}",
            type_name(other)
        ))),
    }
}

/// Fail when the object has keys outside `known`, naming them (`path` prefixes the names).
pub fn reject_unknown(map: &Map<String, Value>, known: &[&str], path: &str) -> Result<(), ApiError> {
    let unknown: Vec<String> =
        map.keys().filter(|k| !known.contains(&k.as_str())).map(|k| format!("`{path}{k}`")).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("unknown field(s) {}", unknown.join(", "))).fix(format!(
            "Allowed fields here: {}.",
            known.iter().map(|k| format!("`{path}{k}`")).collect::<Vec<_>>().join(", ")
        )))
    }
}
