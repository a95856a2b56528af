//! One error type for the whole engine.
//!
//! Every failure the SDK can report is a variant of [`Error`], and every
//! variant has a stable string [`Error::code`] that the language bindings map
//! to their own exception classes. API failures keep the fields of Composio's
//! error object (`status`, `message`, `request_id`, `suggested_fix`).
//!
//! No variant ever carries an API key, token or webhook secret: messages are
//! built from ids, slugs, statuses and the server's own message only.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error object Composio's API returns for 4xx/5xx responses.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status of the response.
    pub status: u16,
    /// Composio's numeric error code (for example `1803`, connected account
    /// not found), when the body had one.
    pub api_code: Option<i64>,
    /// Human-readable message from the API (or a summary of the body).
    pub message: String,
    /// The request id: from the error body, the `x-request-id` response
    /// header, or the id this SDK sent.
    pub request_id: Option<String>,
    /// The API's `suggested_fix`, when present.
    pub suggested_fix: Option<String>,
    /// Extra error strings from the API's `errors` array.
    pub errors: Vec<String>,
    /// How long the server asked us to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
}

/// An error raised by user code (a modifier, a custom tool, a callback) that
/// the engine called.
///
/// Bindings put the foreign error object (a Python exception, a JavaScript
/// error, a Swift error) in [`CallbackError::payload`] so that it can be
/// handed back to the caller unchanged when the engine returns.
#[derive(Clone)]
pub struct CallbackError {
    /// A description of the failure, for logs and for callers that do not
    /// understand the payload.
    pub message: String,
    /// The original foreign error, opaque to the engine.
    pub payload: Option<Arc<dyn Any + Send + Sync>>,
}

impl CallbackError {
    /// A callback error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), payload: None }
    }

    /// A callback error carrying the foreign error object.
    pub fn with_payload(message: impl Into<String>, payload: Arc<dyn Any + Send + Sync>) -> Self {
        Self { message: message.into(), payload: Some(payload) }
    }
}

impl fmt::Debug for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackError")
            .field("message", &self.message)
            .field("has_payload", &self.payload.is_some())
            .finish()
    }
}

/// Every error the engine can return.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No API key was configured (argument or `COMPOSIO_API_KEY`).
    #[error("no API key provided: pass an api key or set COMPOSIO_API_KEY")]
    MissingApiKey,

    /// The client configuration is invalid (bad base URL, bad header, ...).
    #[error("invalid configuration: {message}")]
    InvalidConfig {
        /// What is wrong, naming the setting.
        message: String,
    },

    /// An argument the caller passed is invalid; the message names it.
    #[error("invalid input: {message}")]
    Validation {
        /// What is wrong, naming the argument.
        message: String,
    },

    /// The API answered with an error status.
    #[error("{}", format_api_error(.0))]
    Api(Box<ApiError>),

    /// The request could not be completed at the network level.
    #[error("network error: {message}")]
    Network {
        /// What failed.
        message: String,
        /// The request id this SDK sent.
        request_id: Option<String>,
    },

    /// The request did not finish within the configured timeout.
    #[error("request timed out after {} ms", .timeout.as_millis())]
    Timeout {
        /// The timeout that elapsed.
        timeout: Duration,
        /// The request id this SDK sent.
        request_id: Option<String>,
    },

    /// A response (or other input) could not be decoded.
    #[error("could not decode response: {message}")]
    Decode {
        /// What could not be decoded and why.
        message: String,
        /// HTTP status of the response, if there was one.
        status: Option<u16>,
        /// Request id of the response.
        request_id: Option<String>,
    },

    /// Something the caller named does not exist (a tool, a toolkit's auth
    /// scheme, a custom tool, ...), found without asking the API.
    #[error("{kind} not found: {id}")]
    NotFound {
        /// What kind of thing was looked up (`tool`, `auth config`, ...).
        kind: &'static str,
        /// The id or slug that was looked up.
        id: String,
    },

    /// A manual tool execution resolved to toolkit version `latest`.
    #[error(
        "tool {tool} resolves to toolkit version 'latest'; pin a version (toolkit_versions, \
         COMPOSIO_TOOLKIT_VERSION_<TOOLKIT> or the version argument) or set \
         dangerously_skip_version_check"
    )]
    ToolVersionRequired {
        /// The tool slug.
        tool: String,
    },

    /// `initiate` found an existing ACTIVE account and multiple accounts were
    /// not allowed.
    #[error(
        "user {user_id} already has {count} active connected account(s) for auth config \
         {auth_config_id}; pass allow_multiple to create another"
    )]
    MultipleConnectedAccounts {
        /// The user id.
        user_id: String,
        /// The auth config id.
        auth_config_id: String,
        /// How many ACTIVE accounts exist.
        count: usize,
    },

    /// No connected account matched where one was required.
    #[error("no connected account found for user {user_id} and toolkit {toolkit}")]
    ConnectedAccountNotFound {
        /// The user id.
        user_id: String,
        /// The toolkit slug.
        toolkit: String,
    },

    /// A connection request ended in FAILED or EXPIRED.
    #[error("connection {id} ended with status {status}{}", .reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default())]
    ConnectionFailed {
        /// The connected account id.
        id: String,
        /// The terminal status (`FAILED` or `EXPIRED`).
        status: String,
        /// The API's `status_reason`, if any.
        reason: Option<String>,
    },

    /// A connection request did not become ACTIVE in time.
    #[error("timed out after {} ms waiting for connection {id} to become ACTIVE (last status {last_status})", .timeout.as_millis())]
    ConnectionTimeout {
        /// The connected account id.
        id: String,
        /// The timeout that elapsed.
        timeout: Duration,
        /// The last status seen.
        last_status: String,
    },

    /// A webhook's signature, timestamp or headers did not verify.
    #[error("webhook signature verification failed: {message}")]
    WebhookSignature {
        /// Why verification failed.
        message: String,
    },

    /// A webhook's body is not a payload this SDK understands.
    #[error("invalid webhook payload: {message}")]
    WebhookPayload {
        /// Why the payload was rejected.
        message: String,
    },

    /// User code called by the engine failed.
    #[error("callback failed: {}", .0.message)]
    Callback(CallbackError),

    /// The realtime (Pusher) trigger subscription failed.
    #[error("realtime subscription error: {message}")]
    Realtime {
        /// What failed.
        message: String,
    },

    /// Uploading or downloading a file failed.
    #[error("file error: {message}")]
    File {
        /// What failed, naming the file.
        message: String,
    },

    /// A session update was rejected with HTTP 409: the session's config
    /// changed since it was read (a stale `expected_config_version`).
    #[error("{message}")]
    SessionConfigConflict {
        /// What happened, naming the session and the expected version.
        message: String,
        /// The session that was being updated.
        session_id: String,
        /// The version the update was conditioned on, if any.
        expected_config_version: Option<i64>,
        /// The saved Session config the update applied, if any.
        session_config_id: Option<String>,
        /// The API error (status 409, request id).
        api: Box<ApiError>,
    },

    /// An internal invariant failed (a panic caught at a boundary, a task
    /// that died). Always a bug in this SDK.
    #[error("internal error: {message}")]
    Internal {
        /// What failed.
        message: String,
    },
}

fn format_api_error(e: &ApiError) -> String {
    let mut s = format!("API error {}: {}", e.status, e.message);
    if let Some(fix) = &e.suggested_fix {
        s.push_str(&format!(" (suggested fix: {fix})"));
    }
    if let Some(id) = &e.request_id {
        s.push_str(&format!(" [request id {id}]"));
    }
    s
}

impl Error {
    /// The stable, language-neutral code of this error.
    ///
    /// API errors map from their HTTP status (`BAD_REQUEST`,
    /// `AUTHENTICATION_FAILED`, `NOT_FOUND`, `RATE_LIMITED`, `SERVER_ERROR`,
    /// ...), except Composio code 1803, which is `CONNECTED_ACCOUNT_NOT_FOUND`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::MissingApiKey => "MISSING_API_KEY",
            Error::InvalidConfig { .. } => "INVALID_CONFIG",
            Error::Validation { .. } => "VALIDATION_ERROR",
            Error::Api(e) => match (e.api_code, e.status) {
                (Some(1803), _) => "CONNECTED_ACCOUNT_NOT_FOUND",
                (_, 400) => "BAD_REQUEST",
                (_, 401) => "AUTHENTICATION_FAILED",
                (_, 403) => "PERMISSION_DENIED",
                (_, 404) => "NOT_FOUND",
                (_, 408) => "REQUEST_TIMEOUT",
                (_, 409) => "CONFLICT",
                (_, 422) => "UNPROCESSABLE_ENTITY",
                (_, 429) => "RATE_LIMITED",
                (_, s) if s >= 500 => "SERVER_ERROR",
                _ => "API_ERROR",
            },
            Error::Network { .. } => "NETWORK_ERROR",
            Error::Timeout { .. } => "TIMEOUT",
            Error::Decode { .. } => "DECODE_ERROR",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::ToolVersionRequired { .. } => "TOOL_VERSION_REQUIRED",
            Error::MultipleConnectedAccounts { .. } => "MULTIPLE_CONNECTED_ACCOUNTS",
            Error::ConnectedAccountNotFound { .. } => "CONNECTED_ACCOUNT_NOT_FOUND",
            Error::ConnectionFailed { .. } => "CONNECTION_REQUEST_FAILED",
            Error::ConnectionTimeout { .. } => "CONNECTION_REQUEST_TIMEOUT",
            Error::WebhookSignature { .. } => "WEBHOOK_SIGNATURE_VERIFICATION_FAILED",
            Error::WebhookPayload { .. } => "WEBHOOK_PAYLOAD_INVALID",
            Error::Callback(_) => "CALLBACK_ERROR",
            Error::Realtime { .. } => "REALTIME_ERROR",
            Error::File { .. } => "FILE_ERROR",
            Error::Internal { .. } => "INTERNAL_ERROR",
            Error::SessionConfigConflict { .. } => "SESSION_CONFIG_CONFLICT",
        }
    }

    /// The HTTP status, for API errors (and decode errors of a response).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::SessionConfigConflict { api, .. } => Some(api.status),
            Error::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// The request id associated with the failure, when there was a request.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::SessionConfigConflict { api, .. } => api.request_id.as_deref(),
            Error::Network { request_id, .. }
            | Error::Timeout { request_id, .. }
            | Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The API's suggested fix, for API errors that carry one.
    pub fn suggested_fix(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.suggested_fix.as_deref(),
            Error::SessionConfigConflict { api, .. } => Some(api.suggested_fix.as_deref().unwrap_or(
                "Re-fetch the session (sessions.use(session_id)) to read the current config version, then retry the update",
            )),
            _ => None,
        }
    }

    /// The API error object, for [`Error::Api`] and [`Error::SessionConfigConflict`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::SessionConfigConflict { api, .. } => Some(api),
            _ => None,
        }
    }

    /// Shorthand for a [`Error::Validation`] error.
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation { message: message.into() }
    }

    /// Shorthand for a [`Error::Decode`] error without a response.
    pub fn decode(message: impl Into<String>) -> Self {
        Error::Decode { message: message.into(), status: None, request_id: None }
    }

    /// Shorthand for an [`Error::Internal`] error.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal { message: message.into() }
    }

    /// Parses an API error from a response's status and body.
    ///
    /// Accepts the documented `{"error": {...}}` envelope, a bare
    /// `{"message": ...}` object, or any other body (summarised, never
    /// echoed at length).
    pub fn from_api_response(
        status: u16,
        body: &[u8],
        request_id: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let obj = parsed.as_ref().and_then(|v| match v.get("error") {
            Some(inner @ Value::Object(_)) => Some(inner),
            _ => v.as_object().map(|_| v),
        });
        let get_str = |k: &str| obj.and_then(|o| o.get(k)).and_then(Value::as_str).map(str::to_owned);
        let message = get_str("message")
            .or_else(|| {
                parsed.as_ref().and_then(|v| v.get("error")).and_then(Value::as_str).map(str::to_owned)
            })
            .unwrap_or_else(|| summarize_body(status, body));
        let api_code = obj.and_then(|o| o.get("code")).and_then(Value::as_i64);
        let errors = obj
            .and_then(|o| o.get("errors"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        Error::Api(Box::new(ApiError {
            status,
            api_code,
            message,
            request_id: get_str("request_id").or(request_id),
            suggested_fix: get_str("suggested_fix"),
            errors,
            retry_after,
        }))
    }
}

fn summarize_body(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return format!("HTTP {status} with an empty body");
    }
    let mut short: String = text.chars().take(200).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("HTTP {status}: {short}")
}

/// How a JSON value's kind reads in an error message: `null`, `a boolean`,
/// `a number`, `a string`, `an array` or `an object`.
///
/// ```
/// assert_eq!(composio_core::error::json_kind(&serde_json::json!([1])), "an array");
/// ```
pub fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_envelope() {
        let body = br#"{"error":{"message":"No connected account","code":1803,"status":400,"request_id":"req_1","suggested_fix":"Connect first","errors":["a"]}}"#;
        let e = Error::from_api_response(400, body, Some("mine".into()), None);
        assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.request_id(), Some("req_1"));
        assert_eq!(e.suggested_fix(), Some("Connect first"));
        assert_eq!(e.api_error().map(|a| a.errors.clone()), Some(vec!["a".to_string()]));
        assert!(e.to_string().contains("No connected account"));
    }

    #[test]
    fn falls_back_to_header_request_id_and_body_summary() {
        let e = Error::from_api_response(502, b"<html>bad gateway</html>", Some("rid".into()), None);
        assert_eq!(e.code(), "SERVER_ERROR");
        assert_eq!(e.request_id(), Some("rid"));
        assert!(e.to_string().contains("bad gateway"));
        let e = Error::from_api_response(429, b"", None, None);
        assert_eq!(e.code(), "RATE_LIMITED");
        assert!(e.to_string().contains("empty body"));
    }

    #[test]
    fn callback_debug_hides_payload() {
        let e = Error::Callback(CallbackError::with_payload("boom", Arc::new(42u8)));
        let d = format!("{e:?}");
        assert!(d.contains("boom") && d.contains("has_payload: true"));
        assert_eq!(e.code(), "CALLBACK_ERROR");
    }
}
