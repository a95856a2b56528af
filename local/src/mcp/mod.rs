//! The Model Context Protocol over streamable HTTP (served with the `rmcp` SDK, stateless, JSON
//! responses):
//!
//! * `{base_url}/tool_router/{session_id}/mcp` — a tool-router session (its `mcp.url`). Needs the
//!   `x-api-key` header; `tools/list` is the session's meta tools and preloaded app tools (the set of
//!   `GET /tool_router/session/{id}/tools`) and `tools/call` runs through the same handlers as
//!   `POST …/execute_meta` (meta tools) and `POST …/execute` (regular tools).
//! * `{base_url}/v3/mcp/{server_id}?user_id=…` (or `?connected_account_id=…`) — an MCP server of
//!   the MCP servers API. Like the hosted service, the URL itself is the credential (the server id
//!   is a random UUID); a wrong `x-api-key`, when one is sent, is still refused. `tools/list` is the
//!   server's allowed tools (all tools of its toolkits when none are listed) and `tools/call` runs
//!   them for the user with the user's connected account.

pub mod handler;
pub mod store;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use crate::errors::{codes, ApiError};
use crate::AppState;

/// Path of a session's MCP endpoint (axum syntax).
pub const SESSION_PATH: &str = "/tool_router/{session_id}/mcp";
/// Path of an MCP server's endpoint (axum syntax).
pub const SERVER_PATH: &str = "/v3/mcp/{server_id}";

/// What an MCP request is for, resolved (and authorised) before rmcp sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A tool-router session.
    Session {
        /// `trs_…` id.
        session_id: String,
    },
    /// An MCP server of the MCP servers API, for one user.
    Server {
        /// The server's UUID.
        server_id: String,
        /// The user the tools run for (`default` when the URL names none).
        user_id: String,
        /// A connected account named in the URL (`connected_account_id`).
        connected_account_id: Option<String>,
    },
}

/// The user an MCP server URL runs tools for when it names none (as the hosted service does).
pub const DEFAULT_USER: &str = "default";

fn allowed_hosts(base_url: &str) -> Option<Vec<String>> {
    let authority = base_url.split("://").nth(1).unwrap_or(base_url);
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest).to_owned()
    } else {
        authority.split(':').next().unwrap_or(authority).to_owned()
    };
    if host == "0.0.0.0" || host == "::" {
        return None;
    }
    let mut hosts: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    if !hosts.contains(&host) {
        hosts.push(host);
    }
    Some(hosts)
}

/// The MCP endpoints (merged into the application by [`crate::routes::app`]).
pub fn routes(state: AppState) -> Router {
    let mut config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None);
    config = match allowed_hosts(&state.base_url) {
        Some(hosts) => config.with_allowed_hosts(hosts),
        None => config.disable_allowed_hosts(),
    };
    // End in-flight MCP streams when the server shuts down.
    let token = config.cancellation_token.clone();
    let mut stop = state.stop.clone();
    tokio::spawn(async move {
        let _ = stop.wait_for(|s| *s).await;
        token.cancel();
    });
    let factory_state = state.clone();
    let service = StreamableHttpService::new(
        move || Ok(handler::LocalMcp::new(factory_state.clone())),
        NeverSessionManager::default().into(),
        config,
    );
    Router::new()
        .route_service(SESSION_PATH, service.clone())
        .route_service(SERVER_PATH, service)
        .layer(from_fn_with_state(state, guard))
}

fn query_value(uri: &Uri, name: &str) -> Option<String> {
    let query = uri.query()?;
    form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).last()
}

/// Middleware: authorise the request and resolve its [`Target`] (401 for a wrong or missing key on
/// a session, 404 for an unknown session or server), as API errors naming the problem.
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let (uri, headers) = (req.uri().clone(), req.headers().clone());
    match resolve(&state, &uri, &headers).await {
        Ok(target) => {
            req.extensions_mut().insert(target);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn resolve(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Result<Target, ApiError> {
    let path = uri.path().to_owned();
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["tool_router", session_id, "mcp"] => {
            crate::auth::check_key(state, headers).map_err(|e| {
                e.fix("Send the session's `mcp.headers` (the `x-api-key` header with the key printed by `composio-local serve`).")
            })?;
            let session_id = (*session_id).to_owned();
            if state.db.get_session(&session_id).await?.is_none() {
                return Err(ApiError::not_found(
                    codes::SESSION_NOT_FOUND,
                    "Tool router session",
                    &session_id,
                )
                .fix("Create a session with POST /api/v3/tool_router/session and use its `mcp.url`."));
            }
            Ok(Target::Session { session_id })
        }
        ["v3", "mcp", server_id] => {
            if headers.contains_key("x-api-key") {
                crate::auth::check_key(state, headers)?;
            }
            let server_id = (*server_id).to_owned();
            let key = server_id.clone();
            if state.db.call(move |c| store::get(c, &key)).await?.is_none() {
                return Err(ApiError::not_found(
                    crate::errors::codes::MCP_SERVER_NOT_FOUND,
                    "MCP server",
                    &server_id,
                )
                .fix("Create a server with POST /api/v3/mcp/servers/custom and use the URL from /mcp/servers/generate."));
            }
            let account = query_value(uri, "connected_account_id")
                .or_else(|| query_value(uri, "connected_account_ids"))
                .and_then(|v| v.split(',').map(str::trim).find(|s| !s.is_empty()).map(str::to_owned));
            let user_id = query_value(uri, "user_id")
                .and_then(|v| v.split(',').map(str::trim).find(|s| !s.is_empty()).map(str::to_owned));
            let user_id = match (user_id, &account) {
                (Some(u), _) => u,
                (None, Some(_)) => String::new(),
                (None, None) => DEFAULT_USER.to_owned(),
            };
            Ok(Target::Server { server_id, user_id, connected_account_id: account })
        }
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            codes::ROUTE_NOT_FOUND,
            format!("no MCP endpoint {path}"),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(allowed_hosts("http://127.0.0.1:9000").unwrap(), vec!["localhost", "127.0.0.1", "::1"]);
        assert!(allowed_hosts("http://[::1]:9000").unwrap().contains(&"::1".to_owned()));
        assert!(allowed_hosts("http://192.168.1.5:80").unwrap().contains(&"192.168.1.5".to_owned()));
        assert!(allowed_hosts("http://0.0.0.0:80").is_none());
    }
}
