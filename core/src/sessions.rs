//! Tool-router sessions: one user, a set of toolkits and tools, auth
//! overrides and a hosted MCP endpoint.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//! use composio_core::models::SessionConfig;
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! let session = composio.create_session("user_123", SessionConfig::new().toolkits(["github"])).await?;
//! println!("{}", session.mcp.url);
//! let request = session.authorize("github", Default::default()).await?;
//! println!("{:?}", request.redirect_url);
//! # Ok(()) }
//! ```
//!
//! Endpoints (under the configured prefix, `/api/v3.1` by default):
//! `POST tool_router/session`, `GET tool_router/session/{id}` and
//! `…/{id}/tools`, `…/execute`, `…/execute_meta`, `…/link`, `…/toolkits`,
//! `…/search`, `…/proxy_execute`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::connected_accounts::ConnectionRequest;
use crate::error::{Error, Result};
use crate::models::{
    AuthorizeOptions, Page, SessionConfig, SessionExecuteResponse, SessionLinkResponse, SessionProxyParams,
    SessionProxyResponse, SessionResponse, SessionSearchParams, SessionSearchResponse, SessionToolkit,
    SessionToolkitItem, SessionToolkitsParams, Tool, ToolExecuteParams, ToolExecuteResponse,
};
use crate::modifiers::Modifiers;
use crate::transport::ApiRequest;
use crate::Composio;

/// The toolkit slug of the session meta tools (`COMPOSIO_SEARCH_TOOLS`, ...),
/// as seen by modifiers.
pub const META_TOOLKIT: &str = "composio";

/// HTTP methods a session proxy call accepts.
pub const PROXY_METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// How an MCP client reaches the session: `{type, url, headers}` where
/// `headers` carries the client's API key as `x-api-key`.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionMcp {
    /// Transport type from the API (`http`, or `sse`).
    #[serde(rename = "type")]
    pub r#type: String,
    /// The MCP endpoint.
    pub url: String,
    /// Headers an MCP client must send (`x-api-key`). Secret: never log.
    pub headers: BTreeMap<String, String>,
}

impl std::fmt::Debug for SessionMcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: BTreeMap<&str, &str> = self.headers.keys().map(|k| (k.as_str(), "***")).collect();
        f.debug_struct("SessionMcp")
            .field("type", &self.r#type)
            .field("url", &self.url)
            .field("headers", &headers)
            .finish()
    }
}

/// A tool-router session bound to the client that created or restored it.
#[derive(Clone)]
pub struct Session {
    /// Session id (`trs_…`).
    pub session_id: String,
    /// The session's MCP endpoint and the headers to reach it.
    pub mcp: SessionMcp,
    /// Meta-tool slugs available in the session.
    pub tool_router_tools: Vec<String>,
    /// The server's echo of the configuration (its own key names).
    pub config: Value,
    /// Experimental data from the API (`assistive_prompt`, custom tools).
    pub experimental: Option<Value>,
    /// Other fields of the session response, kept as sent.
    pub extra: Map<String, Value>,
    client: Composio,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("session_id", &self.session_id)
            .field("mcp", &self.mcp)
            .field("tool_router_tools", &self.tool_router_tools)
            .field("config", &self.config)
            .field("experimental", &self.experimental)
            .finish_non_exhaustive()
    }
}

impl Composio {
    /// Creates a tool-router session for a user (`POST
    /// tool_router/session`). The configuration is validated first; an empty
    /// `user_id` or an invalid combination is an [`Error::Validation`].
    pub async fn create_session(&self, user_id: &str, config: SessionConfig) -> Result<Session> {
        let body = config.to_request_body(user_id)?;
        let req = ApiRequest::post(["tool_router", "session"]).json_value(body);
        let resp: SessionResponse = self.transport().json(&req).await?;
        Ok(Session::from_response(self, resp))
    }

    /// Restores an existing session by id (`GET tool_router/session/{id}`).
    pub async fn use_session(&self, session_id: &str) -> Result<Session> {
        if session_id.trim().is_empty() {
            return Err(Error::validation("session_id must not be empty"));
        }
        let req = ApiRequest::get(["tool_router", "session", session_id]);
        let resp: SessionResponse = self.transport().json(&req).await?;
        Ok(Session::from_response(self, resp))
    }
}

fn non_empty(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(format!("{what} must not be empty")));
    }
    Ok(())
}

fn stringify(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(serde::Deserialize)]
struct ToolItems {
    #[serde(default)]
    items: Vec<Tool>,
}

impl Session {
    /// Builds a session from an API response.
    pub fn from_response(client: &Composio, resp: SessionResponse) -> Self {
        let mut headers = BTreeMap::new();
        let key = client.api_key();
        if !key.is_empty() {
            headers.insert("x-api-key".to_string(), key.to_string());
        }
        Self {
            session_id: resp.session_id,
            mcp: SessionMcp { r#type: resp.mcp.r#type, url: resp.mcp.url, headers },
            tool_router_tools: resp.tool_router_tools,
            config: resp.config,
            experimental: resp.experimental,
            extra: resp.extra,
            client: client.clone(),
        }
    }

    /// The client this session calls through.
    pub fn client(&self) -> &Composio {
        &self.client
    }

    fn path<'a>(&'a self, tail: &'a str) -> [&'a str; 4] {
        ["tool_router", "session", self.session_id.as_str(), tail]
    }

    /// The session's meta tools (`GET …/tools`) with schema modifiers
    /// applied. Meta tools belong to toolkit `composio`; a tool the API sends
    /// without a toolkit slug gets that one.
    pub async fn tools(&self, modifiers: &Modifiers) -> Result<Vec<Tool>> {
        let req = ApiRequest::get(self.path("tools"));
        let resp: ToolItems = self.client.transport().json(&req).await?;
        let mut out = Vec::with_capacity(resp.items.len());
        for mut tool in resp.items {
            if tool.toolkit.slug.is_empty() {
                tool.toolkit.slug = META_TOOLKIT.to_string();
            }
            out.push(modifiers.apply_schema(tool).await?);
        }
        Ok(out)
    }

    /// Executes a regular tool in the session (`POST …/execute`
    /// `{tool_slug, arguments?}`); tool failures come back in `error`.
    pub async fn execute(
        &self,
        tool_slug: &str,
        arguments: Option<Map<String, Value>>,
    ) -> Result<SessionExecuteResponse> {
        non_empty("tool_slug", tool_slug)?;
        let mut body = Map::new();
        body.insert("tool_slug".into(), Value::String(tool_slug.to_string()));
        if let Some(args) = arguments {
            body.insert("arguments".into(), Value::Object(args));
        }
        let req = ApiRequest::post(self.path("execute")).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Executes a meta tool (`POST …/execute_meta` `{slug, arguments}`), the
    /// way agentic providers do. Before/after modifiers run with toolkit
    /// `composio`; before-modifiers act on the arguments only (other fields
    /// of [`ToolExecuteParams`] are not sent by this endpoint). The result is
    /// `{data (or {}), error, successful: error is null, log_id}`.
    pub async fn execute_meta(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
        modifiers: &Modifiers,
    ) -> Result<ToolExecuteResponse> {
        non_empty("slug", slug)?;
        let params = ToolExecuteParams { arguments, ..ToolExecuteParams::default() };
        let params = modifiers.apply_before(slug, META_TOOLKIT, params).await?;
        let body = serde_json::json!({ "slug": slug, "arguments": params.arguments });
        let req = ApiRequest::post(self.path("execute_meta")).json_value(body);
        let raw: SessionExecuteResponse = self.client.transport().json(&req).await?;
        let data = match raw.data {
            Value::Null => Value::Object(Map::new()),
            d => d,
        };
        let response = ToolExecuteResponse {
            data,
            successful: raw.error.is_none(),
            error: raw.error,
            log_id: raw.log_id,
            session_info: None,
            extra: raw.extra,
        };
        modifiers.apply_after(slug, META_TOOLKIT, response).await
    }

    /// Searches tools for a use case (`POST …/search`
    /// `{"queries":[{"use_case"}], "model"?, "toolkits"?}`).
    pub async fn search(&self, params: SessionSearchParams) -> Result<SessionSearchResponse> {
        non_empty("query", &params.query)?;
        let mut body = Map::new();
        body.insert("queries".into(), serde_json::json!([{ "use_case": params.query }]));
        if let Some(model) = params.model {
            body.insert("model".into(), Value::String(model));
        }
        if !params.toolkits.is_empty() {
            body.insert("toolkits".into(), serde_json::json!(params.toolkits));
        }
        let req = ApiRequest::post(self.path("search")).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Starts connecting the user to a toolkit (`POST …/link`
    /// `{toolkit, callback_url?, alias?}`; an empty `callback_url` is not
    /// sent). Wait for it with the returned request.
    pub async fn authorize(&self, toolkit: &str, options: AuthorizeOptions) -> Result<ConnectionRequest> {
        non_empty("toolkit", toolkit)?;
        let mut body = Map::new();
        body.insert("toolkit".into(), Value::String(toolkit.to_string()));
        if let Some(cb) = options.callback_url.filter(|c| !c.is_empty()) {
            body.insert("callback_url".into(), Value::String(cb));
        }
        if let Some(alias) = options.alias {
            body.insert("alias".into(), Value::String(alias));
        }
        let req = ApiRequest::post(self.path("link")).json_value(Value::Object(body));
        let resp: SessionLinkResponse = self.client.transport().json(&req).await?;
        Ok(ConnectionRequest::new(&self.client, resp.connected_account_id, "INITIATED", resp.redirect_url))
    }

    /// Lists toolkits with the user's connection status (`GET …/toolkits`),
    /// transformed as the official SDKs do (see [`SessionToolkit`]).
    pub async fn toolkits(&self, params: SessionToolkitsParams) -> Result<Page<SessionToolkit>> {
        let req = ApiRequest::get(self.path("toolkits"))
            .query_opt("cursor", params.cursor)
            .query_opt("limit", params.limit)
            .query_list("toolkits", &params.toolkits)
            .query_opt("is_connected", params.is_connected)
            .query_opt("search", params.search);
        let page: Page<SessionToolkitItem> = self.client.transport().json(&req).await?;
        Ok(Page {
            items: page.items.into_iter().map(SessionToolkit::from).collect(),
            next_cursor: page.next_cursor,
            total_pages: page.total_pages,
            current_page: page.current_page,
            total_items: page.total_items,
            extra: page.extra,
        })
    }

    /// Sends an HTTP request to a toolkit's API through the session's
    /// connected account (`POST …/proxy_execute`). The method must be one
    /// of GET, POST, PUT, DELETE, PATCH (any case; sent upper-case).
    pub async fn proxy_execute(&self, params: SessionProxyParams) -> Result<SessionProxyResponse> {
        non_empty("toolkit", &params.toolkit)?;
        non_empty("endpoint", &params.endpoint)?;
        let method = params.method.to_ascii_uppercase();
        if !PROXY_METHODS.contains(&method.as_str()) {
            return Err(Error::validation(format!(
                "method {:?} is not supported; expected one of {}",
                params.method,
                PROXY_METHODS.join(", ")
            )));
        }
        let mut body = Map::new();
        body.insert("toolkit_slug".into(), Value::String(params.toolkit));
        body.insert("endpoint".into(), Value::String(params.endpoint));
        body.insert("method".into(), Value::String(method));
        if let Some(b) = params.body {
            body.insert("body".into(), b);
        }
        if !params.parameters.is_empty() {
            let mut list = Vec::with_capacity(params.parameters.len());
            for p in &params.parameters {
                non_empty("proxy parameter name", &p.name)?;
                let location =
                    serde_json::to_value(p.location).map_err(|e| Error::internal(e.to_string()))?;
                list.push(
                    serde_json::json!({ "name": p.name, "type": location, "value": stringify(&p.value) }),
                );
            }
            body.insert("parameters".into(), Value::Array(list));
        }
        if let Some(b) = params.binary_body {
            body.insert("binary_body".into(), b);
        }
        if let Some(c) = params.custom_connection_data {
            body.insert("custom_connection_data".into(), c);
        }
        let req = ApiRequest::post(self.path("proxy_execute")).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }
}
