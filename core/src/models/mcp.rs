//! Wire types of the MCP servers API (`/mcp/…`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A toolkit of an MCP server: a bare slug, or a slug with the auth config
/// its tools use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum McpToolkit {
    /// A toolkit slug.
    Slug(String),
    /// `{toolkit, auth_config_id?}`.
    WithAuthConfig {
        /// Toolkit slug.
        toolkit: String,
        /// Auth config id (`ac_…`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        auth_config_id: Option<String>,
    },
}

impl McpToolkit {
    /// A toolkit that uses this auth config.
    pub fn with_auth_config(toolkit: impl Into<String>, auth_config_id: impl Into<String>) -> Self {
        Self::WithAuthConfig { toolkit: toolkit.into(), auth_config_id: Some(auth_config_id.into()) }
    }

    /// The toolkit slug.
    pub fn toolkit(&self) -> &str {
        match self {
            Self::Slug(s) => s,
            Self::WithAuthConfig { toolkit, .. } => toolkit,
        }
    }

    /// The auth config id, if given.
    pub fn auth_config_id(&self) -> Option<&str> {
        match self {
            Self::Slug(_) => None,
            Self::WithAuthConfig { auth_config_id, .. } => auth_config_id.as_deref(),
        }
    }
}

impl From<&str> for McpToolkit {
    fn from(s: &str) -> Self {
        Self::Slug(s.to_string())
    }
}

impl From<String> for McpToolkit {
    fn from(s: String) -> Self {
        Self::Slug(s)
    }
}

/// Options of `McpServers::create`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpCreateParams {
    /// The toolkits (at least one).
    pub toolkits: Vec<McpToolkit>,
    /// When `true`, users' connections are managed by you, not through
    /// Composio (wire `managed_auth_via_composio = !this`).
    #[serde(default)]
    pub manually_manage_connections: bool,
    /// Only these tools (all tools of the toolkits when `None`).
    #[serde(default)]
    pub allowed_tools: Option<Vec<String>>,
}

/// Options of `McpServers::update`; `None` fields are left unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpUpdateParams {
    /// New name (4–30 characters).
    #[serde(default)]
    pub name: Option<String>,
    /// New toolkits (replaces `toolkits` and `auth_config_ids`).
    #[serde(default)]
    pub toolkits: Option<Vec<McpToolkit>>,
    /// New connection management mode.
    #[serde(default)]
    pub manually_manage_connections: Option<bool>,
    /// New allowed tools.
    #[serde(default)]
    pub allowed_tools: Option<Vec<String>>,
}

/// Query of `McpServers::list` (page-number pagination).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpListParams {
    /// Page number (1-based).
    #[serde(default)]
    pub page_no: Option<u32>,
    /// Page size.
    #[serde(default)]
    pub limit: Option<u32>,
    /// Only servers with these toolkits (comma-joined on the wire).
    #[serde(default)]
    pub toolkits: Vec<String>,
    /// Only servers with these auth configs (comma-joined on the wire).
    #[serde(default)]
    pub auth_config_ids: Vec<String>,
    /// Name filter (partial match).
    #[serde(default)]
    pub name: Option<String>,
    /// `created_at` or `updated_at`.
    #[serde(default)]
    pub order_by: Option<String>,
    /// `asc` or `desc`.
    #[serde(default)]
    pub order_direction: Option<String>,
}

/// Setup commands for MCP clients.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct McpCommands {
    /// Claude setup command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claude: Option<String>,
    /// Cursor setup command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Windsurf setup command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windsurf: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An MCP server configuration (create, get, update and list items).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct McpServer {
    /// Server id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Tools the server exposes.
    #[serde(default)]
    pub allowed_tools: Vec<String>,
    /// Auth configs the server uses.
    #[serde(default)]
    pub auth_config_ids: Vec<String>,
    /// Toolkit slugs.
    #[serde(default)]
    pub toolkits: Vec<String>,
    /// Toolkit icons by slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toolkit_icons: Option<Value>,
    /// Client setup commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commands: Option<McpCommands>,
    /// The server's base URL.
    #[serde(default)]
    pub mcp_url: String,
    /// Number of user instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_instance_count: Option<f64>,
    /// Whether Composio manages users' connections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_auth_via_composio: Option<bool>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Whether the server was deleted (on `get`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A page of MCP servers (page-number pagination).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct McpServerList {
    /// The servers.
    #[serde(default)]
    pub items: Vec<McpServer>,
    /// Current page number.
    #[serde(default)]
    pub current_page: Option<f64>,
    /// Total number of pages.
    #[serde(default)]
    pub total_pages: Option<f64>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of deleting an MCP server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct McpDeleteResponse {
    /// The deleted server's id.
    #[serde(default)]
    pub id: String,
    /// Whether it was deleted (`true` when the API does not say).
    #[serde(default = "default_true")]
    pub deleted: bool,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn default_true() -> bool {
    true
}

/// The result of `POST /mcp/servers/generate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct McpGenerateResponse {
    /// The server's base URL.
    #[serde(default)]
    pub mcp_url: Option<String>,
    /// One URL per requested user id.
    #[serde(default)]
    pub user_ids_url: Vec<String>,
    /// One URL per requested connected account id.
    #[serde(default)]
    pub connected_account_urls: Vec<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An MCP server instance for one user, as the official SDKs return it from
/// `generate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpServerInstance {
    /// Server id.
    pub id: String,
    /// Server name.
    pub name: String,
    /// Always `streamable_http`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The user's MCP URL.
    pub url: String,
    /// The user.
    pub user_id: String,
    /// Tools the server exposes.
    pub allowed_tools: Vec<String>,
    /// Auth config ids of the server.
    pub auth_configs: Vec<String>,
}
