//! JSON strings in and out.

use composio_core::Error as CoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// Parses a JSON string the caller passed; `what` names the argument.
pub fn parse(what: &str, s: &str) -> Result<Value, CoreError> {
    serde_json::from_str(s).map_err(|e| CoreError::validation(format!("{what} is not valid JSON: {e}")))
}

/// Parses an optional JSON object argument (`null` or absent is empty).
pub fn object(what: &str, s: Option<&str>) -> Result<Map<String, Value>, CoreError> {
    match s.map(|s| parse(what, s)).transpose()? {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m),
        Some(other) => {
            Err(CoreError::validation(format!("{what} must be a JSON object, got {}", kind(&other))))
        }
    }
}

/// Decodes a JSON string into an engine type.
pub fn decode<T: DeserializeOwned>(what: &str, s: &str) -> Result<T, CoreError> {
    serde_json::from_str(s).map_err(|e| CoreError::validation(format!("{what} is invalid: {e}")))
}

/// Serialises an engine value to a JSON string.
pub fn encode<T: Serialize>(v: &T) -> Result<String, CoreError> {
    serde_json::to_string(v).map_err(|e| CoreError::internal(format!("could not serialise a result: {e}")))
}

pub use composio_core::error::json_kind as kind;
