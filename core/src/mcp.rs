//! The MCP servers API (`composio.mcp`): named MCP server configurations
//! over a set of toolkits, and per-user server URLs.
//!
//! For agents, the session MCP endpoint ([`crate::sessions::SessionMcp`]) is
//! the recommended path; this API manages standalone servers.
//!
//! Differences from the official SDKs, on purpose:
//! * the allowed tool list is sent under `allowed_tools`, its current name;
//!   the official SDKs send it under the deprecated `custom_tools` key on
//!   create (and Python fails on update whenever `allowed_tools` is given);
//! * `update` sends `managed_auth_via_composio = !manually_manage_connections`,
//!   like `create`; the TS SDK sends the flag without negating it (a bug);
//! * failures keep their own error (API status, network, ...) instead of
//!   being wrapped in a generic validation error as in Python.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::models::{
    McpCreateParams, McpDeleteResponse, McpGenerateResponse, McpListParams, McpServer, McpServerInstance,
    McpServerList, McpToolkit, McpUpdateParams,
};
use crate::transport::ApiRequest;
use crate::Composio;

/// Shortest allowed server name.
pub const MIN_NAME_LEN: usize = 4;
/// Longest allowed server name.
pub const MAX_NAME_LEN: usize = 30;

/// The MCP servers API. Get it with [`Composio::mcp`].
#[derive(Debug, Clone)]
pub struct McpServers {
    client: Composio,
}

/// A server returned by [`McpServers::create`], with `generate`.
#[derive(Debug, Clone)]
pub struct CreatedMcpServer {
    /// The server as the API returned it.
    pub server: McpServer,
    client: Composio,
}

impl CreatedMcpServer {
    /// The server's URL for one user (same as [`McpServers::generate`]).
    pub async fn generate(
        &self,
        user_id: &str,
        manually_manage_connections: Option<bool>,
    ) -> Result<McpServerInstance> {
        self.client.mcp().generate(user_id, &self.server.id, manually_manage_connections).await
    }
}

impl std::ops::Deref for CreatedMcpServer {
    type Target = McpServer;

    fn deref(&self) -> &McpServer {
        &self.server
    }
}

impl Composio {
    /// The MCP servers API.
    pub fn mcp(&self) -> McpServers {
        McpServers { client: self.clone() }
    }
}

fn validate_name(name: &str) -> Result<()> {
    let len = name.chars().count();
    if !(MIN_NAME_LEN..=MAX_NAME_LEN).contains(&len) {
        return Err(Error::validation(format!(
            "MCP server name must be {MIN_NAME_LEN} to {MAX_NAME_LEN} characters long, got {len}"
        )));
    }
    Ok(())
}

fn validate_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::validation("MCP server id must not be empty"));
    }
    Ok(())
}

/// Splits toolkit entries into unique toolkit slugs and unique auth config
/// ids, in order of first appearance.
fn split_toolkits(toolkits: &[McpToolkit]) -> Result<(Vec<String>, Vec<String>)> {
    let mut slugs: Vec<String> = Vec::new();
    let mut auth_configs: Vec<String> = Vec::new();
    for entry in toolkits {
        let slug = entry.toolkit();
        if slug.trim().is_empty() {
            return Err(Error::validation("MCP toolkit entries need a non-empty toolkit slug"));
        }
        if !slugs.iter().any(|s| s == slug) {
            slugs.push(slug.to_string());
        }
        if let Some(ac) = entry.auth_config_id() {
            if ac.trim().is_empty() {
                return Err(Error::validation(format!(
                    "auth_config_id of toolkit {slug:?} must not be empty"
                )));
            }
            if !auth_configs.iter().any(|a| a == ac) {
                auth_configs.push(ac.to_string());
            }
        }
    }
    Ok((slugs, auth_configs))
}

impl McpServers {
    /// Creates a server (`POST mcp/servers/custom`). The name must be 4–30
    /// characters and at least one toolkit is required.
    pub async fn create(&self, name: &str, params: McpCreateParams) -> Result<CreatedMcpServer> {
        validate_name(name)?;
        if params.toolkits.is_empty() {
            return Err(Error::validation("at least one toolkit is required to create an MCP server"));
        }
        let (toolkits, auth_config_ids) = split_toolkits(&params.toolkits)?;
        let mut body = Map::new();
        body.insert("name".into(), Value::String(name.to_string()));
        body.insert("toolkits".into(), serde_json::json!(toolkits));
        body.insert("auth_config_ids".into(), serde_json::json!(auth_config_ids));
        if let Some(tools) = params.allowed_tools {
            body.insert("allowed_tools".into(), serde_json::json!(tools));
        }
        body.insert("managed_auth_via_composio".into(), Value::Bool(!params.manually_manage_connections));
        let req = ApiRequest::post(["mcp", "servers", "custom"]).json_value(Value::Object(body));
        let server: McpServer = self.client.transport().json(&req).await?;
        Ok(CreatedMcpServer { server, client: self.client.clone() })
    }

    /// Lists servers (`GET mcp/servers`, page-number pagination).
    pub async fn list(&self, params: McpListParams) -> Result<McpServerList> {
        let req = ApiRequest::get(["mcp", "servers"])
            .query_opt("page_no", params.page_no)
            .query_opt("limit", params.limit)
            .query_list("toolkits", &params.toolkits)
            .query_list("auth_config_ids", &params.auth_config_ids)
            .query_opt("name", params.name)
            .query_opt("order_by", params.order_by)
            .query_opt("order_direction", params.order_direction);
        self.client.transport().json(&req).await
    }

    /// One server (`GET mcp/{id}`).
    pub async fn get(&self, server_id: &str) -> Result<McpServer> {
        validate_id(server_id)?;
        self.client.transport().json(&ApiRequest::get(["mcp", server_id])).await
    }

    /// Changes a server (`PATCH mcp/{id}`); only given fields are sent.
    pub async fn update(&self, server_id: &str, params: McpUpdateParams) -> Result<McpServer> {
        validate_id(server_id)?;
        let mut body = Map::new();
        if let Some(name) = params.name {
            validate_name(&name)?;
            body.insert("name".into(), Value::String(name));
        }
        if let Some(entries) = params.toolkits {
            let (toolkits, auth_config_ids) = split_toolkits(&entries)?;
            body.insert("toolkits".into(), serde_json::json!(toolkits));
            body.insert("auth_config_ids".into(), serde_json::json!(auth_config_ids));
        }
        if let Some(tools) = params.allowed_tools {
            body.insert("allowed_tools".into(), serde_json::json!(tools));
        }
        if let Some(manual) = params.manually_manage_connections {
            body.insert("managed_auth_via_composio".into(), Value::Bool(!manual));
        }
        let req = ApiRequest::patch(["mcp", server_id]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Deletes a server (`DELETE mcp/{id}`).
    pub async fn delete(&self, server_id: &str) -> Result<McpDeleteResponse> {
        validate_id(server_id)?;
        let mut resp: McpDeleteResponse =
            self.client.transport().json(&ApiRequest::delete(["mcp", server_id])).await?;
        if resp.id.is_empty() {
            resp.id = server_id.to_string();
        }
        Ok(resp)
    }

    /// The server's URL for one user: `GET mcp/{id}`, then `POST
    /// mcp/servers/generate {mcp_server_id, user_ids: [user_id],
    /// managed_auth_by_composio: !manually_manage_connections}` (default:
    /// managed by Composio).
    pub async fn generate(
        &self,
        user_id: &str,
        server_id: &str,
        manually_manage_connections: Option<bool>,
    ) -> Result<McpServerInstance> {
        if user_id.trim().is_empty() {
            return Err(Error::validation("user_id must not be empty"));
        }
        let server = self.get(server_id).await?;
        let body = serde_json::json!({
            "mcp_server_id": server_id,
            "user_ids": [user_id],
            "managed_auth_by_composio": !manually_manage_connections.unwrap_or(false),
        });
        let req = ApiRequest::post(["mcp", "servers", "generate"]).json_value(body);
        let resp: McpGenerateResponse = self.client.transport().json(&req).await?;
        let url =
            resp.user_ids_url.into_iter().next().ok_or_else(|| {
                Error::decode("MCP generate response has no user URL (user_ids_url is empty)")
            })?;
        Ok(McpServerInstance {
            id: server.id,
            name: server.name,
            r#type: "streamable_http".to_string(),
            url,
            user_id: user_id.to_string(),
            allowed_tools: server.allowed_tools,
            auth_configs: server.auth_config_ids,
        })
    }
}
