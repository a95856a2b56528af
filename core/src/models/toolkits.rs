//! Wire types of the `toolkits` domain: toolkit list items and details,
//! categories, and the auth fields a toolkit's auth schemes need.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A toolkit category. List items carry `{id, name}`, toolkit details
/// `{slug, name}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolkitCategory {
    /// Category id (list endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Category slug (toolkit details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A toolkit's `meta` block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolkitMeta {
    /// Logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// What the toolkit is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Categories.
    #[serde(default)]
    pub categories: Vec<ToolkitCategory>,
    /// Number of tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools_count: Option<f64>,
    /// Number of trigger types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triggers_count: Option<f64>,
    /// Creation time (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update time (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Current toolkit version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Every version of the toolkit (details only).
    #[serde(default)]
    pub available_versions: Vec<String>,
    /// The service's web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_url: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One field an auth scheme needs (`{name, displayName, description, type,
/// required, default?, legacy_template_name?}`; `displayName` is camelCase
/// on the wire).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolkitAuthField {
    /// Field name (the key to send).
    #[serde(default)]
    pub name: String,
    /// Human-readable name (wire `displayName`).
    #[serde(default, rename = "displayName")]
    pub display_name: String,
    /// What the field is.
    #[serde(default)]
    pub description: String,
    /// Field type (`string`, `boolean`, ...).
    #[serde(default, rename = "type")]
    pub field_type: String,
    /// Whether the field must be given.
    #[serde(default)]
    pub required: bool,
    /// Default value, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Old name of the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_template_name: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Required and optional fields of one stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolkitFieldGroup {
    /// Fields that must be given.
    #[serde(default)]
    pub required: Vec<ToolkitAuthField>,
    /// Fields that may be given.
    #[serde(default)]
    pub optional: Vec<ToolkitAuthField>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fields of an auth scheme, per stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolkitAuthFields {
    /// Fields needed to create an auth config.
    #[serde(default)]
    pub auth_config_creation: ToolkitFieldGroup,
    /// Fields needed to initiate a connected account.
    #[serde(default)]
    pub connected_account_initiation: ToolkitFieldGroup,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One auth scheme a toolkit supports (an `auth_config_details` entry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolkitAuthConfigDetail {
    /// The auth scheme (`OAUTH2`, `API_KEY`, ...).
    #[serde(default)]
    pub mode: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Where to read about setting it up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_hint_url: Option<String>,
    /// Proxy settings (`{base_url}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Value>,
    /// The fields, per stage.
    #[serde(default)]
    pub fields: ToolkitAuthFields,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A toolkit: a list item of `GET /toolkits` or the details of
/// `GET /toolkits/{slug}` (fields only the details carry are empty in list
/// items).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Toolkit {
    /// Toolkit slug, e.g. `github`.
    pub slug: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Whether the toolkit is enabled (details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether the toolkit is local to the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_local_toolkit: Option<bool>,
    /// Whether the toolkit needs no authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_auth: Option<bool>,
    /// Auth schemes the toolkit supports (list items).
    #[serde(default)]
    pub auth_schemes: Vec<String>,
    /// Auth schemes Composio manages credentials for.
    #[serde(default)]
    pub composio_managed_auth_schemes: Vec<String>,
    /// Setup guide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_guide_url: Option<String>,
    /// Base URL of the service's API (details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Metadata.
    #[serde(default)]
    pub meta: ToolkitMeta,
    /// Auth schemes with their fields (details).
    #[serde(default)]
    pub auth_config_details: Vec<ToolkitAuthConfigDetail>,
    /// Fields this SDK does not know (`deprecated`, `get_current_user_endpoint`,
    /// ...), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Toolkit {
    /// The `auth_config_details` entry for an auth scheme (compared
    /// case-insensitively).
    pub fn auth_config_detail(&self, auth_scheme: &str) -> Option<&ToolkitAuthConfigDetail> {
        self.auth_config_details.iter().find(|d| d.mode.eq_ignore_ascii_case(auth_scheme))
    }
}
