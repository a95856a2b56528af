//! The rmcp server handler: `tools/list` and `tools/call` for a session or an MCP server.
//! Execution reuses the REST code paths (the session routes' handlers, [`crate::execute::run`]).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{json, Map, Value};

use super::store::{self, McpServerRow};
use super::Target;
use crate::db::ExecutionLog;
use crate::errors::ApiError;
use crate::execute::{self, Scope};
use crate::extract::JsonObject as Body;
use crate::routes::sessions;
use crate::sessions::{SessionConfig, ToolFilter, ToolkitFilter};
use crate::toolkits::{self, ToolDef, Toolkit};
use crate::AppState;

/// One MCP request's handler (rmcp makes one per request in stateless mode).
#[derive(Debug, Clone)]
pub struct LocalMcp {
    state: AppState,
}

impl LocalMcp {
    /// A handler over the server's state.
    pub fn new(state: AppState) -> Self {
        LocalMcp { state }
    }
}

fn target(ctx: &RequestContext<RoleServer>) -> Result<Target, ErrorData> {
    ctx.extensions
        .get::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<Target>())
        .cloned()
        .ok_or_else(|| {
            ErrorData::internal_error("MCP request reached the handler without a resolved target", None)
        })
}

fn rpc_error(e: ApiError) -> ErrorData {
    let data = Some(json!({"status": e.status.as_u16(), "code": e.code, "suggested_fix": e.suggested_fix}));
    if e.status.is_client_error() {
        ErrorData::invalid_params(e.message, data)
    } else {
        ErrorData::internal_error(e.message, data)
    }
}

/// The MCP tool for a tool's wire JSON (`tool_json`): name = slug, title = display name,
/// input schema = `input_parameters`, annotations from the tool's MCP hint tags.
fn mcp_tool(wire: &Value) -> Tool {
    let schema: JsonObject = wire["input_parameters"].as_object().cloned().unwrap_or_else(|| {
        let mut m = Map::new();
        m.insert("type".into(), json!("object"));
        m
    });
    let name = wire["slug"].as_str().unwrap_or_default().to_owned();
    let description = wire["description"].as_str().unwrap_or_default().to_owned();
    let title = wire["name"].as_str().unwrap_or_default().to_owned();
    let tags: Vec<&str> = wire["tags"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let hint = |tag: &str| tags.contains(&tag).then_some(true);
    let mut annotations = ToolAnnotations::with_title(title.clone());
    annotations.read_only_hint = hint("readOnlyHint");
    annotations.destructive_hint = hint("destructiveHint");
    annotations.idempotent_hint = hint("idempotentHint");
    annotations.open_world_hint = hint("openWorldHint");
    Tool::new(name, description, Arc::new(schema)).with_title(title).with_annotations(annotations)
}

/// A tool result as MCP content: the JSON response as text (and as structured content), with
/// `isError` when the tool failed.
fn result(body: Value, failed: bool) -> CallToolResult {
    let text = body.to_string();
    let mut out = if failed {
        CallToolResult::error(vec![ContentBlock::text(text)])
    } else {
        CallToolResult::success(vec![ContentBlock::text(text)])
    };
    out.structured_content = Some(body);
    out
}

/// A request-level failure (no connected account, unknown account, ...) as an MCP error result.
fn failure(e: &ApiError) -> CallToolResult {
    let body = json!({
        "data": {},
        "error": e.message,
        "successful": false,
        "code": e.code,
        "suggested_fix": e.suggested_fix,
    });
    result(body, true)
}

/// The tools an MCP server offers: its allowed tools, or every tool of its toolkits.
pub fn server_tools(row: &McpServerRow) -> Vec<(&'static Toolkit, &'static ToolDef)> {
    row.toolkits
        .iter()
        .filter_map(|slug| toolkits::find_toolkit(slug))
        .flat_map(|tk| tk.tools.iter().map(move |t| (tk, t)))
        .filter(|(_, t)| row.allowed_tools.is_empty() || row.allowed_tools.iter().any(|a| a == t.slug))
        .collect()
}

/// The rules a server's tools run under: only its toolkits and tools, its auth configs, the user.
fn server_config(row: &McpServerRow, user_id: &str, auth_configs: &[(String, String)]) -> SessionConfig {
    let mut config = SessionConfig::unrestricted(Some(user_id.to_owned()));
    config.toolkits = Some(ToolkitFilter::Enabled(row.toolkits.clone()));
    if !row.allowed_tools.is_empty() {
        for tk in &row.toolkits {
            let enabled: Vec<String> = server_tools(row)
                .into_iter()
                .filter(|(t, _)| t.slug == tk)
                .map(|(_, tool)| tool.slug.to_owned())
                .collect();
            let filter = ToolFilter { enabled: Some(enabled), disabled: None, tags: None };
            if let Ok(v) = serde_json::to_value(filter) {
                config.tools.insert(tk.clone(), v);
            }
        }
    }
    for (toolkit, ac) in auth_configs {
        if !config.auth_configs.contains_key(toolkit) {
            config.auth_configs.insert(toolkit.clone(), Value::String(ac.clone()));
        }
    }
    config
}

impl LocalMcp {
    async fn load_server(&self, id: &str) -> Result<(McpServerRow, Vec<(String, String)>), ErrorData> {
        let key = id.to_owned();
        self.state
            .db
            .call(move |c| {
                let row = store::get(c, &key)?.ok_or_else(|| {
                    ApiError::not_found(crate::errors::codes::MCP_SERVER_NOT_FOUND, "MCP server", &key)
                })?;
                let mut acs = Vec::new();
                for id in &row.auth_config_ids {
                    if let Some(cfg) = crate::auth_configs::get(c, id)? {
                        acs.push((cfg.toolkit, cfg.id));
                    }
                }
                Ok((row, acs))
            })
            .await
            .map_err(rpc_error)
    }

    async fn list(&self, target: Target) -> Result<Vec<Tool>, ErrorData> {
        match target {
            Target::Session { session_id } => {
                let Json(body) =
                    sessions::tools(State(self.state.clone()), Path(session_id)).await.map_err(rpc_error)?;
                Ok(body["items"].as_array().into_iter().flatten().map(mcp_tool).collect())
            }
            Target::Server { server_id, .. } => {
                let (row, _) = self.load_server(&server_id).await?;
                Ok(server_tools(&row)
                    .into_iter()
                    .map(|(tk, t)| mcp_tool(&toolkits::tool_json(tk, t)))
                    .collect())
            }
        }
    }

    async fn call(
        &self,
        target: Target,
        name: &str,
        arguments: Map<String, Value>,
    ) -> Result<CallToolResult, ErrorData> {
        match target {
            Target::Session { session_id } => {
                let state = State(self.state.clone());
                let regular = toolkits::find_tool(name).filter(|(tk, _)| tk.slug != "composio");
                let response = if regular.is_some() {
                    let mut body = Map::new();
                    body.insert("tool_slug".into(), json!(name));
                    body.insert("arguments".into(), Value::Object(arguments));
                    sessions::execute(state, Path(session_id), Body(body)).await
                } else {
                    let mut body = Map::new();
                    body.insert("slug".into(), json!(name));
                    body.insert("arguments".into(), Value::Object(arguments));
                    sessions::execute_meta(state, Path(session_id), Body(body)).await
                };
                Ok(match response {
                    Ok(Json(mut body)) => {
                        let failed = !body["error"].is_null();
                        body["successful"] = json!(!failed);
                        result(body, failed)
                    }
                    Err(e) if e.status.is_client_error() => failure(&e),
                    Err(e) => return Err(rpc_error(e)),
                })
            }
            Target::Server { server_id, user_id, connected_account_id } => {
                let (row, acs) = self.load_server(&server_id).await?;
                let Some((tk, tool)) =
                    server_tools(&row).into_iter().find(|(_, t)| t.slug.eq_ignore_ascii_case(name))
                else {
                    return Err(ErrorData::invalid_params(
                        format!(
                            "MCP server `{}` has no tool `{name}`; call tools/list for its tools",
                            row.id
                        ),
                        None,
                    ));
                };
                let config = server_config(&row, &user_id, &acs);
                let scope = Scope {
                    state: &self.state,
                    session_id: None,
                    config: &config,
                    account: connected_account_id.as_deref(),
                };
                let outcome = match execute::run(tk, tool, &arguments, &scope).await {
                    Ok(o) => o,
                    Err(e) if e.status.is_client_error() => return Ok(failure(&e)),
                    Err(e) => return Err(rpc_error(e)),
                };
                let log_id = crate::ids::new_id("log");
                self.state
                    .db
                    .log_execution(ExecutionLog {
                        log_id: &log_id,
                        tool_slug: tool.slug,
                        session_id: None,
                        user_id: (!user_id.is_empty()).then_some(user_id.as_str()),
                        successful: outcome.successful(),
                        error: outcome.error.as_deref(),
                    })
                    .await
                    .map_err(rpc_error)?;
                let failed = !outcome.successful();
                Ok(result(
                    json!({"data": outcome.data, "error": outcome.error, "successful": !failed, "log_id": log_id}),
                    failed,
                ))
            }
        }
    }
}

impl ServerHandler for LocalMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("composio-local", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Composio tools served by composio-local. In a tool-router session, search with \
                 COMPOSIO_SEARCH_TOOLS, then run tools with COMPOSIO_MULTI_EXECUTE_TOOL.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let target = target(&context)?;
        Ok(ListToolsResult::with_all_items(self.list(target).await?))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let target = target(&context)?;
        let arguments = request.arguments.unwrap_or_default();
        Ok(self.call(target, &request.name, arguments).await?.into())
    }
}
