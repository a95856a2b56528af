//! Mapping engine errors (and panics) to JavaScript errors.
//!
//! Every failure crosses the boundary as a plain `Error` whose message is
//! [`ERROR_PREFIX`] followed by a small JSON record
//! `{code, message, status?, requestId?, suggestedFix?, callbackId?, details?}`.
//! The TypeScript layer (`lib/errors.ts`) parses the record and throws the
//! matching `ComposioError` subclass, or, for `callbackId`, the very error
//! object a user callback threw.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use composio_core::Error as CoreError;
use futures::FutureExt;
use serde_json::{json, Map, Value};

/// Marks a message as a JSON error record.
pub const ERROR_PREFIX: &str = "__COMPOSIO_ERROR__";

/// The id of a JavaScript error kept in the TypeScript error registry,
/// carried through the engine inside `Error::Callback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsErrorId(pub u32);

/// Converts an engine error into a JavaScript error carrying its record.
pub fn to_napi(err: CoreError) -> napi::Error {
    napi::Error::from_reason(format!("{ERROR_PREFIX}{}", record(&err)))
}

/// The JSON record of an engine error.
pub fn record(err: &CoreError) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), Value::from(err.code()));
    m.insert("message".into(), Value::from(err.to_string()));
    if let Some(s) = err.status() {
        m.insert("status".into(), Value::from(s));
    }
    if let Some(r) = err.request_id() {
        m.insert("requestId".into(), Value::from(r));
    }
    if let Some(f) = err.suggested_fix() {
        m.insert("suggestedFix".into(), Value::from(f));
    }
    let details = match err {
        CoreError::Api(api) => Some(json!({
            "apiCode": api.api_code,
            "apiMessage": api.message,
            "errors": api.errors,
        })),
        CoreError::NotFound { kind, id } => Some(json!({ "kind": kind, "id": id })),
        CoreError::SessionConfigConflict {
            session_id, expected_config_version, session_config_id, ..
        } => {
            let mut d = json!({ "sessionId": session_id, "expectedConfigVersion": expected_config_version });
            if let Some(sc) = session_config_id {
                d["sessionConfigId"] = Value::from(sc.as_str());
            }
            Some(d)
        }
        CoreError::ToolVersionRequired { tool } => Some(json!({ "tool": tool })),
        CoreError::ConnectionFailed { id, status, reason } => {
            Some(json!({ "id": id, "status": status, "reason": reason }))
        }
        CoreError::ConnectionTimeout { id, last_status, .. } => {
            Some(json!({ "id": id, "lastStatus": last_status }))
        }
        CoreError::Callback(cb) => {
            if let Some(id) = cb.payload.as_ref().and_then(|p| p.downcast_ref::<JsErrorId>()) {
                m.insert("callbackId".into(), Value::from(id.0));
            }
            None
        }
        _ => None,
    };
    if let Some(d) = details {
        m.insert("details".into(), d);
    }
    Value::Object(m)
}

/// The message of a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// An internal error for a caught panic.
pub fn panic_error(payload: &(dyn Any + Send)) -> CoreError {
    CoreError::internal(format!("panic in composio-rs: {}", panic_message(payload)))
}

/// Runs an engine future, turning its error and any panic into a
/// JavaScript error with a record.
pub async fn guard<T, F>(fut: F) -> napi::Result<T>
where
    F: Future<Output = composio_core::Result<T>>,
{
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(r) => r.map_err(to_napi),
        Err(p) => Err(to_napi(panic_error(p.as_ref()))),
    }
}

/// Runs synchronous engine code, turning its error and any panic into a
/// JavaScript error with a record.
pub fn guard_sync<T>(f: impl FnOnce() -> composio_core::Result<T>) -> napi::Result<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(to_napi),
        Err(p) => Err(to_napi(panic_error(p.as_ref()))),
    }
}

/// A validation error for a bad argument.
pub fn invalid(message: impl Into<String>) -> CoreError {
    CoreError::validation(message)
}
