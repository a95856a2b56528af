//! The API error object (`{"error": {"message", "code", "status", "request_id", "suggested_fix"}}`)
//! and the crate's own startup error type.

use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Numeric Composio-style error codes used by composio-local.
pub mod codes {
    /// The `x-api-key` header is missing.
    pub const MISSING_API_KEY: u32 = 1001;
    /// The `x-api-key` header does not match this instance's key.
    pub const INVALID_API_KEY: u32 = 1002;
    /// The request is malformed (body, query or path).
    pub const BAD_REQUEST: u32 = 1100;
    /// The request body is too large.
    pub const PAYLOAD_TOO_LARGE: u32 = 1101;
    /// A tool slug does not exist.
    pub const TOOL_NOT_FOUND: u32 = 1201;
    /// A toolkit slug does not exist.
    pub const TOOLKIT_NOT_FOUND: u32 = 1202;
    /// A tool-router session id does not exist.
    pub const SESSION_NOT_FOUND: u32 = 1203;
    /// No route matches the request path.
    pub const ROUTE_NOT_FOUND: u32 = 1204;
    /// The route exists but not for this HTTP method.
    pub const METHOD_NOT_ALLOWED: u32 = 1205;
    /// A trigger type slug does not exist.
    pub const TRIGGER_TYPE_NOT_FOUND: u32 = 1206;
    /// A trigger instance id does not exist.
    pub const TRIGGER_INSTANCE_NOT_FOUND: u32 = 1207;
    /// A webhook subscription id does not exist.
    pub const WEBHOOK_SUBSCRIPTION_NOT_FOUND: u32 = 1208;
    /// A realtime channel may not be used with these credentials.
    pub const REALTIME_CHANNEL_FORBIDDEN: u32 = 1209;
    /// A file id is unknown or its upload has not finished.
    pub const FILE_NOT_FOUND: u32 = 1210;
    /// An MCP server id does not exist.
    pub const MCP_SERVER_NOT_FOUND: u32 = 1220;
    /// An MCP server instance does not exist.
    pub const MCP_INSTANCE_NOT_FOUND: u32 = 1221;
    /// An MCP server instance with this id already exists.
    pub const MCP_INSTANCE_EXISTS: u32 = 1222;
    /// A webhook endpoint (`/webhook_endpoints/{nano_id}`) id does not exist.
    pub const WEBHOOK_ENDPOINT_NOT_FOUND: u32 = 1223;
    /// Inbound provider events (`/webhook_ingress/{nano_id}`) are not processed by composio-local.
    pub const INGRESS_NOT_SUPPORTED: u32 = 1224;
    /// A saved session config (`sc_…`) id does not exist.
    pub const SESSION_CONFIG_NOT_FOUND: u32 = 1225;
    /// A saved session config with this name already exists.
    pub const SESSION_CONFIG_NAME_TAKEN: u32 = 1226;
    /// An auth config id does not exist.
    pub const AUTH_CONFIG_NOT_FOUND: u32 = 1802;
    /// A connected account id does not exist, or a user has no usable account for a toolkit
    /// (the code the TS SDK special-cases).
    pub const CONNECTED_ACCOUNT_NOT_FOUND: u32 = 1803;
    /// A connected account exists but cannot be used (not ACTIVE, disabled, other toolkit or user).
    pub const CONNECTED_ACCOUNT_UNUSABLE: u32 = 1804;
    /// Something failed inside composio-local.
    pub const INTERNAL: u32 = 1500;
}

/// An API failure, rendered as the API error envelope. The request id is filled in by the
/// request-id middleware, which is why it is not part of this value.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Composio numeric error code (see [`codes`]).
    pub code: u32,
    /// Human-readable message naming the problem.
    pub message: String,
    /// What the caller can do about it.
    pub suggested_fix: Option<String>,
}

impl ApiError {
    /// A new error with the given status, code and message.
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), suggested_fix: None }
    }

    /// Attach a suggested fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.suggested_fix = Some(fix.into());
        self
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }

    /// 404 for a resource of `kind` with the given `id`.
    pub fn not_found(code: u32, kind: &str, id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, format!("{kind} `{id}` not found"))
    }

    /// 500 Internal Server Error; the detail is logged, and included in the message
    /// (it never contains secrets: it comes from SQLite or the file system).
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            format!("internal error in composio-local: {detail}"),
        )
        .fix("This is a bug in composio-local; please report it with the request id.")
    }

    /// The JSON envelope, with an optional request id.
    pub fn body(&self, request_id: Option<&str>) -> Value {
        let mut err = serde_json::Map::new();
        err.insert("message".into(), json!(self.message));
        err.insert("code".into(), json!(self.code));
        err.insert("status".into(), json!(self.status.as_u16()));
        err.insert("request_id".into(), request_id.map_or(Value::Null, |r| json!(r)));
        let fix = self.suggested_fix.as_deref().unwrap_or_else(|| default_fix(self.status));
        err.insert("suggested_fix".into(), json!(fix));
        json!({ "error": Value::Object(err) })
    }

    /// Render with a known request id.
    pub fn render(&self, request_id: Option<&str>) -> Response {
        (self.status, Json(self.body(request_id))).into_response()
    }
}

/// The hint sent as `suggested_fix` when an error has no specific one (the API object always carries
/// a string there; wire-contract §14.1).
fn default_fix(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "Check the request against the message: it names the field or value that was rejected.",
        401 => "Send the project API key in the `x-api-key` header (composio-local prints it at start).",
        403 => "The API key has no access to this resource.",
        404 => "Check the id or path in the message; list the resources to see what exists.",
        405 => "Use one of the methods this endpoint allows.",
        409 => "The resource changed or already exists; fetch it again and retry.",
        410 => "The resource has expired; create a new one.",
        429 => "Slow down and retry after the time in the Retry-After header.",
        _ => "Retry the request; if it keeps failing, report it with the request id.",
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.status.as_u16(), self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = self.render(None);
        // The request-id middleware re-renders the body with the request id.
        resp.extensions_mut().insert(self);
        resp
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("database: {e}"))
    }
}

/// Errors starting or stopping a composio-local server.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// A file-system or socket operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The SQLite database could not be opened or migrated.
    #[error("database {path}: {source}")]
    Database {
        /// The database file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
    /// The data folder holds something composio-local cannot use.
    #[error("data folder {path}: {message}")]
    DataDir {
        /// The data folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A bad option.
    #[error("invalid option: {0}")]
    InvalidOption(String),
}

impl LocalError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        LocalError::Io { context: context.into(), source }
    }
}
