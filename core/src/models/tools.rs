//! Tools: the tool object, execute parameters and execute results.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The toolkit a tool belongs to, as embedded in the tool object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolToolkitRef {
    /// Toolkit slug (lower-case for Composio toolkits, e.g. `github`).
    #[serde(default)]
    pub slug: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool as the API describes it (`GET /tools`, `GET /tools/{slug}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// Tool slug, e.g. `GITHUB_STAR_REPO`.
    pub slug: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// What the tool does (shown to models).
    #[serde(default)]
    pub description: String,
    /// JSON Schema of the arguments (`type: object`).
    #[serde(default = "empty_object_schema")]
    pub input_parameters: Value,
    /// JSON Schema of the result.
    #[serde(default = "empty_object_schema")]
    pub output_parameters: Value,
    /// The toolkit.
    #[serde(default)]
    pub toolkit: ToolToolkitRef,
    /// The toolkit version this schema belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Other versions of the tool.
    #[serde(default)]
    pub available_versions: Vec<String>,
    /// Tags (including MCP hints like `readOnlyHint`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// OAuth scopes the tool needs.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Whether the tool runs without a connected account.
    #[serde(default)]
    pub no_auth: bool,
    /// Whether the tool is deprecated.
    #[serde(default)]
    pub is_deprecated: bool,
    /// Fields this SDK does not know (`status`, `deprecated`, ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{"type": "object", "properties": {}}`, the schema of a tool without
/// parameters.
pub fn empty_object_schema() -> Value {
    serde_json::json!({"type": "object", "properties": {}})
}

impl Tool {
    /// The toolkit slug.
    pub fn toolkit_slug(&self) -> &str {
        &self.toolkit.slug
    }

    /// Whether the whole tool is marked deprecated, in either place the API
    /// reports it (`is_deprecated` or `deprecated.is_deprecated`).
    pub fn deprecated(&self) -> bool {
        self.is_deprecated
            || self
                .extra
                .get("deprecated")
                .and_then(|d| d.get("is_deprecated"))
                .and_then(Value::as_bool)
                .unwrap_or(false)
    }
}

/// Everything a tool execution can be given; this is what before-execute
/// modifiers see and may change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolExecuteParams {
    /// The tool's arguments (a JSON object).
    #[serde(default)]
    pub arguments: Map<String, Value>,
    /// Whose connected account to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// An explicit connected account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_account_id: Option<String>,
    /// `custom_auth_params` (`{base_url?, parameters:[{name,in,value}], body?}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth_params: Option<Value>,
    /// `custom_connection_data` (`{authScheme, toolkitSlug, val}`; camelCase keys on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_connection_data: Option<Value>,
    /// Explicit toolkit version for this call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A natural-language task instead of arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Allow executing at toolkit version `latest`.
    #[serde(default)]
    pub dangerously_skip_version_check: bool,
    /// Ask the API to trace the execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_tracing: Option<bool>,
}

impl ToolExecuteParams {
    /// Parameters with these arguments for this user.
    pub fn new(user_id: impl Into<String>, arguments: Map<String, Value>) -> Self {
        Self { arguments, user_id: Some(user_id.into()), ..Self::default() }
    }
}

/// The result of executing a tool (`{data, error, successful}`).
///
/// Tool-level failures come back here with `successful: false`; only API
/// failures are errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolExecuteResponse {
    /// The tool's output.
    #[serde(default)]
    pub data: Value,
    /// The tool's error message, if it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// Whether the tool succeeded.
    #[serde(default)]
    pub successful: bool,
    /// The API's execution log id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_id: Option<String>,
    /// Session information the API attaches, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_info: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for ToolExecuteResponse {
    fn default() -> Self {
        Self {
            data: Value::Object(Map::new()),
            error: None,
            successful: true,
            log_id: None,
            session_info: None,
            extra: Map::new(),
        }
    }
}

impl ToolExecuteResponse {
    /// A successful result with this data.
    pub fn success(data: Value) -> Self {
        Self { data, ..Self::default() }
    }

    /// A failed result with this message.
    pub fn failure(error: impl Into<String>) -> Self {
        Self { error: Some(error.into()), successful: false, ..Self::default() }
    }

    /// The `{data, error, successful}` object the official Python SDK returns.
    pub fn to_result_json(&self) -> Value {
        serde_json::json!({"data": self.data, "error": self.error, "successful": self.successful})
    }
}
