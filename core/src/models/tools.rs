//! Tools: the tool object, execute parameters and execute results.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::take_once;

/// The toolkit a tool belongs to, as embedded in the tool object.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
///
/// Decoding is a single pass over the input: known fields are read
/// directly, unknown ones are kept in [`Tool::extra`] (no intermediate
/// buffering of the whole object, which serde's `flatten` would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

impl<'de> Deserialize<'de> for ToolToolkitRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ToolToolkitRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a toolkit reference object ({slug, name, logo})")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ToolToolkitRef, A::Error> {
                let mut slug: Option<String> = None;
                let mut name: Option<Option<String>> = None;
                let mut logo: Option<Option<String>> = None;
                let mut extra = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "slug" => take_once(&mut map, &mut slug, "slug")?,
                        "name" => take_once(&mut map, &mut name, "name")?,
                        "logo" => take_once(&mut map, &mut logo, "logo")?,
                        _ => {
                            let v: Value = map.next_value()?;
                            extra.insert(key, v);
                        }
                    }
                }
                Ok(ToolToolkitRef {
                    slug: slug.unwrap_or_default(),
                    name: name.flatten(),
                    logo: logo.flatten(),
                    extra,
                })
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for Tool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tool object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tool, A::Error> {
                let mut slug: Option<String> = None;
                let mut name: Option<String> = None;
                let mut description: Option<String> = None;
                let mut input_parameters: Option<Value> = None;
                let mut output_parameters: Option<Value> = None;
                let mut toolkit: Option<ToolToolkitRef> = None;
                let mut version: Option<Option<String>> = None;
                let mut available_versions: Option<Vec<String>> = None;
                let mut tags: Option<Vec<String>> = None;
                let mut scopes: Option<Vec<String>> = None;
                let mut no_auth: Option<bool> = None;
                let mut is_deprecated: Option<bool> = None;
                let mut extra = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "slug" => take_once(&mut map, &mut slug, "slug")?,
                        "name" => take_once(&mut map, &mut name, "name")?,
                        "description" => take_once(&mut map, &mut description, "description")?,
                        "input_parameters" => take_once(&mut map, &mut input_parameters, "input_parameters")?,
                        "output_parameters" => {
                            take_once(&mut map, &mut output_parameters, "output_parameters")?
                        }
                        "toolkit" => take_once(&mut map, &mut toolkit, "toolkit")?,
                        "version" => take_once(&mut map, &mut version, "version")?,
                        "available_versions" => {
                            take_once(&mut map, &mut available_versions, "available_versions")?
                        }
                        "tags" => take_once(&mut map, &mut tags, "tags")?,
                        "scopes" => take_once(&mut map, &mut scopes, "scopes")?,
                        "no_auth" => take_once(&mut map, &mut no_auth, "no_auth")?,
                        "is_deprecated" => take_once(&mut map, &mut is_deprecated, "is_deprecated")?,
                        _ => {
                            let v: Value = map.next_value()?;
                            extra.insert(key, v);
                        }
                    }
                }
                Ok(Tool {
                    slug: slug.ok_or_else(|| serde::de::Error::missing_field("slug"))?,
                    name: name.unwrap_or_default(),
                    description: description.unwrap_or_default(),
                    input_parameters: input_parameters.unwrap_or_else(empty_object_schema),
                    output_parameters: output_parameters.unwrap_or_else(empty_object_schema),
                    toolkit: toolkit.unwrap_or_default(),
                    version: version.flatten(),
                    available_versions: available_versions.unwrap_or_default(),
                    tags: tags.unwrap_or_default(),
                    scopes: scopes.unwrap_or_default(),
                    no_auth: no_auth.unwrap_or_default(),
                    is_deprecated: is_deprecated.unwrap_or_default(),
                    extra,
                })
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl AsRef<Tool> for Tool {
    fn as_ref(&self) -> &Tool {
        self
    }
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
