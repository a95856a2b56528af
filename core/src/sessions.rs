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
//! `…/search`, `…/proxy_execute`, `…/attach`.
//!
//! # Local tools
//!
//! A session created with custom tools or toolkits
//! ([`SessionConfig::custom_tools`], [`SessionConfig::custom_toolkits`];
//! see [`crate::session_tools`]) runs them in-process: [`Session::execute`]
//! and [`Session::execute_meta`] look a slug up, in this order, among
//!
//! 1. the session's own custom tools (by final `LOCAL_…` slug or by the slug
//!    they were defined with, case-insensitive),
//! 2. the client's registered custom tools
//!    ([`Composio::register_custom_tool`]),
//!
//! and only send what matches neither to the API. A `COMPOSIO_MULTI_EXECUTE_TOOL`
//! call is split: local items run concurrently in-process, the others go in
//! one `execute_meta` request (none when every item is local).
//!
//! Sessions restored with [`Composio::use_session`] have no session custom
//! tools (their handlers live only in the process that created the session);
//! the client's registered custom tools still apply to them. To give a
//! restored session local tools, attach them with
//! [`Composio::attach_session`] (`POST …/{id}/attach`).

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use crate::connected_accounts::ConnectionRequest;
use crate::custom_tools::{CustomTool, CustomToolContext};
use crate::error::{Error, Result};
use crate::models::{
    AuthorizeOptions, Page, SessionConfig, SessionExecuteResponse, SessionLinkResponse, SessionProxyParams,
    SessionProxyResponse, SessionResponse, SessionSearchParams, SessionSearchResponse, SessionToolkit,
    SessionToolkitItem, SessionToolkitsParams, Tool, ToolExecuteParams, ToolExecuteResponse,
};
use crate::modifiers::Modifiers;
use crate::session_tools::{
    merge_multi_execute, CustomToolPreload, LocalOutcome, LocalTools, SessionCustomToolInfo,
    SessionCustomToolkitInfo, MULTI_EXECUTE_TOOL,
};
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

/// The parts of a session that an update changes.
#[derive(Debug, Clone)]
struct Observed {
    tool_router_tools: Vec<String>,
    config: Value,
    experimental: Option<Value>,
    config_version: i64,
}

/// A tool-router session bound to the client that created or restored it.
///
/// Clones are handles to the same session: an [`Session::update`] through
/// one refreshes [`Session::config`], [`Session::config_version`],
/// [`Session::experimental`] and [`Session::tool_router_tools`] of all.
#[derive(Clone)]
pub struct Session {
    /// Session id (`trs_…`).
    pub session_id: String,
    /// The session's MCP endpoint and the headers to reach it.
    pub mcp: SessionMcp,
    /// Other fields of the session response, kept as sent (less
    /// `config_version`, which [`Session::config_version`] keeps current).
    pub extra: Map<String, Value>,
    /// What the latest response (create, restore or update) said; shared by
    /// clones, refreshed by [`Session::update`].
    observed: Arc<Mutex<Observed>>,
    client: Composio,
    user_id: Option<String>,
    local_tools: Arc<LocalTools>,
}

/// A tool that runs in-process: a session custom tool or one of the
/// client's registered custom tools.
struct LocalRun {
    tool: Arc<CustomTool>,
    /// The final slug (session tools) or the registered slug.
    slug: String,
    /// Whether it comes from the client registry (toolkit-based ones then
    /// get the user's connected account, as with `tools.execute`).
    from_client: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("session_id", &self.session_id)
            .field("mcp", &self.mcp)
            .field("observed", &*self.observed())
            .field(
                "custom_tools",
                &self.local_tools.infos(None).iter().map(|t| t.slug.clone()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Composio {
    /// Creates a tool-router session for a user (`POST
    /// tool_router/session`). The configuration is validated first; an empty
    /// `user_id` or an invalid combination is an [`Error::Validation`].
    ///
    /// Session custom tools and toolkits of the configuration are announced
    /// in `experimental` and become the session's local tools, keyed by the
    /// final slugs the response reports (derived locally when it reports
    /// none).
    pub async fn create_session(&self, user_id: &str, config: SessionConfig) -> Result<Session> {
        let body = config.to_request_body(user_id)?;
        let req = ApiRequest::post(["tool_router", "session"]).json_value(body);
        let resp: SessionResponse = self.transport().json(&req).await?;
        let mut session = Session::from_response(self, resp);
        session.user_id = Some(user_id.to_string());
        if !config.custom_tools.is_empty() || !config.custom_toolkits.is_empty() {
            let preload =
                config.custom_tool_preload.with_definitions(&config.custom_tools, &config.custom_toolkits)?;
            session.local_tools = Arc::new(
                LocalTools::build(
                    &config.custom_tools,
                    &config.custom_toolkits,
                    session.experimental().as_ref(),
                )
                .with_preload(&preload, config.preloads_all()),
            );
        }
        Ok(session)
    }

    /// Restores an existing session by id (`GET tool_router/session/{id}`).
    /// The restored session has no session custom tools (see the module
    /// docs).
    pub async fn use_session(&self, session_id: &str) -> Result<Session> {
        if session_id.trim().is_empty() {
            return Err(Error::validation("session_id must not be empty"));
        }
        let req = ApiRequest::get(["tool_router", "session", session_id]);
        let resp: SessionResponse = self.transport().json(&req).await?;
        Ok(Session::from_response(self, resp))
    }

    /// Restores an existing session and attaches session custom tools and
    /// toolkits to it (`POST tool_router/session/{id}/attach` with
    /// `{experimental: {custom_tools, custom_toolkits}}`), as `@composio/core`
    /// 0.21's `composio.use(id, {customTools, customToolkits})` does. The
    /// definitions are validated like [`Composio::create_session`]'s and run
    /// in this process, keyed by the final slugs the response reports; each
    /// definition's own `preload` flag is sent and decides whether
    /// [`Session::tools`] lists it (else the stored session's
    /// `preload.tools == "all"`). With no definitions this is
    /// [`Composio::use_session`] (a plain `GET`).
    pub async fn attach_session(
        &self,
        session_id: &str,
        custom_tools: Vec<CustomTool>,
        custom_toolkits: Vec<crate::session_tools::SessionCustomToolkit>,
    ) -> Result<Session> {
        self.attach_session_with_preload(
            session_id,
            custom_tools,
            custom_toolkits,
            &CustomToolPreload::default(),
        )
        .await
    }

    /// [`Composio::attach_session`] with `preload` flags by slug on top of
    /// the definitions' own (see [`CustomToolPreload`]), as `@composio/core` 0.21's
    /// `use(id, {customTools})` honours each tool's `preload`: every tool is
    /// sent with its flag (its toolkit's, else `false`), and the tools whose
    /// flag, else their toolkit's, else the stored session's
    /// `preload.tools == "all"` is `true` are listed by
    /// [`Session::tools`]. A flag naming no attached tool or toolkit is an
    /// [`Error::Validation`] before any request.
    pub async fn attach_session_with_preload(
        &self,
        session_id: &str,
        custom_tools: Vec<CustomTool>,
        custom_toolkits: Vec<crate::session_tools::SessionCustomToolkit>,
        preload: &CustomToolPreload,
    ) -> Result<Session> {
        if custom_tools.is_empty() && custom_toolkits.is_empty() {
            if !preload.is_empty() {
                // Flags with nothing to attach name unknown tools.
                crate::session_tools::experimental_wire_with_preload(&[], &[], preload, false)?;
            }
            return self.use_session(session_id).await;
        }
        if session_id.trim().is_empty() {
            return Err(Error::validation("session_id must not be empty"));
        }
        let (tools, toolkits) = crate::session_tools::experimental_wire_with_preload(
            &custom_tools,
            &custom_toolkits,
            preload,
            false,
        )?;
        let body = serde_json::json!({"experimental": {"custom_tools": tools, "custom_toolkits": toolkits}});
        let req = ApiRequest::post(["tool_router", "session", session_id, "attach"]).json_value(body);
        let resp: SessionResponse = self.transport().json(&req).await?;
        let mut session = Session::from_response(self, resp);
        // A stored `preload.tools = "all"` is the default for tools without
        // a flag of their own (as `@composio/core` 0.21's `use` does).
        let preload_all =
            session.observed().config.get("preload").and_then(|p| p.get("tools")).and_then(Value::as_str)
                == Some("all");
        let preload = preload.with_definitions(&custom_tools, &custom_toolkits)?;
        session.local_tools = Arc::new(
            LocalTools::build(&custom_tools, &custom_toolkits, session.experimental().as_ref())
                .with_preload(&preload, preload_all),
        );
        Ok(session)
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

mod update;
pub use update::{SessionConfigHistory, SessionConfigUpdate, SessionDeleteResponse};

impl Session {
    /// Builds a session from an API response (without session custom tools;
    /// the user id is read from the response's `config.user_id`).
    pub fn from_response(client: &Composio, resp: SessionResponse) -> Self {
        let mut headers = BTreeMap::new();
        let key = client.api_key();
        if !key.is_empty() {
            headers.insert("x-api-key".to_string(), key.to_string());
        }
        let user_id = resp.config.get("user_id").and_then(Value::as_str).map(str::to_string);
        let mut extra = resp.extra;
        let observed = Observed {
            config_version: extra.remove("config_version").and_then(|v| v.as_i64()).unwrap_or(1),
            tool_router_tools: resp.tool_router_tools,
            config: resp.config,
            experimental: resp.experimental,
        };
        Self {
            session_id: resp.session_id,
            mcp: SessionMcp { r#type: resp.mcp.r#type, url: resp.mcp.url, headers },
            extra,
            observed: Arc::new(Mutex::new(observed)),
            client: client.clone(),
            user_id,
            local_tools: Arc::new(LocalTools::default()),
        }
    }

    /// The same session bound to another client (e.g. one rebuilt in a
    /// forked child process): custom tools and the observed config are
    /// kept and shared with `self`.
    pub fn with_client(&self, client: &Composio) -> Self {
        Self { client: client.clone(), ..self.clone() }
    }

    fn observed(&self) -> MutexGuard<'_, Observed> {
        // Nothing that can panic runs while the lock is held (only clones
        // and assignments), so a poisoned lock still holds a consistent value.
        self.observed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server's echo of the configuration (its own key names), as of
    /// the latest create, restore or update.
    pub fn config(&self) -> Value {
        self.observed().config.clone()
    }

    /// Meta-tool slugs available in the session, as of the latest response.
    pub fn tool_router_tools(&self) -> Vec<String> {
        self.observed().tool_router_tools.clone()
    }

    /// Experimental data from the API (`assistive_prompt`, custom tools), as
    /// of the latest response that carried it.
    pub fn experimental(&self) -> Option<Value> {
        self.observed().experimental.clone()
    }

    /// The session's config version as of the latest response (1 when the
    /// server sent none); pass it as `expected_config_version`.
    pub fn config_version(&self) -> i64 {
        self.observed().config_version
    }

    /// Records what an update response said.
    fn observe(&self, update: &SessionConfigUpdate) {
        let mut o = self.observed();
        o.config = update.config().clone();
        o.config_version = update.config_version;
        if update.response.experimental.is_some() {
            o.experimental = update.response.experimental.clone();
        }
        o.tool_router_tools = update.response.tool_router_tools.clone();
    }

    /// The user the session belongs to (from the create call, else the
    /// response's `config.user_id`).
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// The session's custom tools (final slugs), in definition order;
    /// with `toolkit`, only those belonging to or extending that toolkit
    /// (case-insensitive).
    pub fn custom_tools(&self, toolkit: Option<&str>) -> Vec<SessionCustomToolInfo> {
        self.local_tools.infos(toolkit)
    }

    /// The session's custom toolkits with their tools.
    pub fn custom_toolkits(&self) -> Vec<SessionCustomToolkitInfo> {
        self.local_tools.toolkit_infos()
    }

    /// The in-process tool for a slug, if any: a session custom tool first,
    /// then a custom tool registered on the client.
    fn resolve_local(&self, slug: &str) -> Option<LocalRun> {
        if let Some(t) = self.local_tools.get(slug) {
            return Some(LocalRun { tool: t.tool.clone(), slug: t.info.slug.clone(), from_client: false });
        }
        self.client.custom_tools().get(slug).map(|tool| LocalRun {
            slug: tool.slug.clone(),
            tool,
            from_client: true,
        })
    }

    /// Whether `slug` runs in-process in this session (a session custom
    /// tool or a client-registered custom tool).
    pub fn is_local_tool(&self, slug: &str) -> bool {
        self.resolve_local(slug).is_some()
    }

    /// Runs a local tool. Argument validation failures are the inner `Err`
    /// (an error message for the result); handler failures are the outer
    /// error, unchanged.
    async fn run_local(
        &self,
        run: &LocalRun,
        arguments: Map<String, Value>,
    ) -> Result<std::result::Result<Value, String>> {
        if let Err(e) = crate::tools::validate_arguments(&run.slug, &run.tool.input_parameters, &arguments) {
            return Ok(Err(match e {
                Error::Validation { message } => message,
                other => other.to_string(),
            }));
        }
        let toolkit =
            run.tool.toolkit.as_deref().filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("custom"));
        let connected_account = match (run.from_client, toolkit) {
            (true, Some(toolkit)) => Some(self.newest_connected_account(toolkit).await?),
            _ => None,
        };
        let ctx = CustomToolContext {
            user_id: self.user_id.clone(),
            connected_account,
            client: self.client.clone(),
            session: Some(self.clone()),
        };
        let result = run.tool.handler.execute_full(arguments, ctx).await?;
        Ok(if result.successful {
            Ok(result.data)
        } else {
            Err(result.error.unwrap_or_else(|| format!("custom tool {} failed", run.slug)))
        })
    }

    /// The session user's newest connected account for a toolkit (for
    /// client-registered toolkit custom tools, as `tools.execute` does).
    async fn newest_connected_account(&self, toolkit: &str) -> Result<Value> {
        let user_id = self.user_id.as_deref().unwrap_or("default");
        let req = ApiRequest::get(["connected_accounts"])
            .query("toolkit_slugs", toolkit)
            .query("user_ids", user_id);
        let page: Page<Value> = self.client.transport().json(&req).await?;
        let created = |v: &Value| v.get("created_at").and_then(Value::as_str).unwrap_or_default().to_string();
        page.items.into_iter().max_by_key(created).ok_or_else(|| Error::ConnectedAccountNotFound {
            user_id: user_id.to_string(),
            toolkit: toolkit.to_string(),
        })
    }

    /// Runs one local item of a multi-execute call; every failure becomes
    /// the item's error.
    async fn run_local_item(
        &self,
        tool_slug: String,
        run: LocalRun,
        arguments: Option<Value>,
    ) -> LocalOutcome {
        let arguments = match arguments {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => {
                return LocalOutcome {
                    tool_slug,
                    data: Value::Object(Map::new()),
                    error: Some(format!("arguments of tool {} must be a JSON object", run.slug)),
                }
            }
        };
        let (data, error) = match self.run_local(&run, arguments).await {
            Ok(Ok(data)) => (data, None),
            Ok(Err(msg)) => (Value::Object(Map::new()), Some(msg)),
            Err(Error::Callback(c)) => (Value::Object(Map::new()), Some(c.message)),
            Err(e) => (Value::Object(Map::new()), Some(e.to_string())),
        };
        LocalOutcome { tool_slug, data, error }
    }

    /// The client this session calls through.
    pub fn client(&self) -> &Composio {
        &self.client
    }

    fn path<'a>(&'a self, tail: &'a str) -> [&'a str; 4] {
        ["tool_router", "session", self.session_id.as_str(), tail]
    }

    /// The session's tools (`GET …/tools`: meta tools plus the app tools
    /// preloaded by the session's `preload`), then the preloaded session
    /// custom tools not already listed, with schema modifiers applied. Meta
    /// tools belong to toolkit `composio`; a tool the API sends without a
    /// toolkit slug gets that one. A preloaded custom tool is listed under
    /// its final slug with its description prefixed by
    /// [`crate::session_tools::DIRECT_CUSTOM_TOOL_DESCRIPTION_PREFIX`].
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
        let listed: HashSet<String> = out.iter().map(|t| t.slug.to_uppercase()).collect();
        for tool in self.local_tools.preloaded_tools() {
            if !listed.contains(&tool.slug.to_uppercase()) {
                out.push(modifiers.apply_schema(tool).await?);
            }
        }
        Ok(out)
    }

    /// Executes a regular tool in the session (`POST …/execute`
    /// `{tool_slug, arguments?}`); tool failures come back in `error`.
    ///
    /// A local tool (session custom tool first, then a client-registered
    /// custom tool; see the module docs) runs in-process without any
    /// request: its arguments are validated against its input schema (a
    /// failure is a result whose `error` names the argument, like the Python
    /// SDK), and the result is `{data, error: null, log_id: ""}`. An error
    /// returned by the tool's handler is returned unchanged (an
    /// [`Error::Callback`] keeps its payload so bindings can re-raise the
    /// original exception).
    pub async fn execute(
        &self,
        tool_slug: &str,
        arguments: Option<Map<String, Value>>,
    ) -> Result<SessionExecuteResponse> {
        non_empty("tool_slug", tool_slug)?;
        if let Some(run) = self.resolve_local(tool_slug) {
            let (data, error) = match self.run_local(&run, arguments.unwrap_or_default()).await? {
                Ok(data) => (data, None),
                Err(msg) => (Value::Object(Map::new()), Some(msg)),
            };
            return Ok(SessionExecuteResponse {
                data,
                error,
                log_id: Some(String::new()),
                extra: Map::new(),
            });
        }
        let mut body = Map::new();
        body.insert("tool_slug".into(), Value::String(tool_slug.to_string()));
        if let Some(args) = arguments {
            body.insert("arguments".into(), Value::Object(args));
        }
        let req = ApiRequest::post(self.path("execute")).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    /// Executes a tool in the session the way the official SDKs' agentic
    /// session tools do (Python's session execute function): upload file
    /// arguments (automatic file handling only, see below) →
    /// before-execute modifiers (toolkit `composio`, acting on the
    /// arguments only) → [`Session::execute`] (`POST …/execute`, or a local
    /// tool in-process) → after-execute modifiers on `{data, error,
    /// successful: error is null, log_id}`.
    ///
    /// Automatic file handling (the client's configuration, or
    /// [`Modifiers::with_auto_files`]): the tool's schema is fetched
    /// (`GET /tools/{slug}`, cached like [`crate::tools::Tools::get_tool`]),
    /// the schema modifiers are applied to it, and every `file_uploadable`
    /// argument goes through the modifiers' file-upload hook and is
    /// uploaded, as in [`crate::tools::Tools::execute`]. A slug the API has
    /// no schema for (404) is sent without this step; local tools never get
    /// it. File results are not downloaded here (neither official SDK does
    /// in its session path).
    pub async fn execute_with_modifiers(
        &self,
        tool_slug: &str,
        arguments: Option<Map<String, Value>>,
        modifiers: &Modifiers,
    ) -> Result<ToolExecuteResponse> {
        non_empty("tool_slug", tool_slug)?;
        let mut arguments = arguments.unwrap_or_default();
        self.upload_files(tool_slug, &mut arguments, modifiers).await?;
        let params = ToolExecuteParams { arguments, ..ToolExecuteParams::default() };
        let params = modifiers.apply_before(tool_slug, META_TOOLKIT, params).await?;
        let r = self.execute(tool_slug, Some(params.arguments)).await?;
        let response = ToolExecuteResponse {
            successful: r.error.is_none(),
            data: r.data,
            error: r.error,
            log_id: r.log_id,
            session_info: None,
            extra: r.extra,
        };
        modifiers.apply_after(tool_slug, META_TOOLKIT, response).await
    }

    /// The upload stage of the agentic session paths (see
    /// [`Session::execute_with_modifiers`]).
    async fn upload_files(
        &self,
        slug: &str,
        arguments: &mut Map<String, Value>,
        modifiers: &Modifiers,
    ) -> Result<()> {
        if modifiers.file_handling(&self.client).is_none() || self.resolve_local(slug).is_some() {
            return Ok(());
        }
        let mut tool = match self.client.tools().get_tool(slug, None).await {
            Ok(t) => t,
            Err(e) if e.status() == Some(404) || matches!(e, Error::NotFound { .. }) => return Ok(()),
            Err(e) => return Err(e),
        };
        if tool.toolkit.slug.is_empty() {
            tool.toolkit.slug = META_TOOLKIT.to_string();
        }
        let tool = if modifiers.is_empty() { tool } else { modifiers.apply_schema(tool).await? };
        modifiers.apply_upload(&self.client, &tool, arguments).await
    }

    /// Executes a meta tool (`POST …/execute_meta` `{slug, arguments}`), the
    /// way agentic providers do. File arguments are uploaded first, as in
    /// [`Session::execute_with_modifiers`] (automatic file handling only,
    /// through the modifiers' file-upload hook). Before/after modifiers run
    /// with toolkit `composio`; before-modifiers act on the arguments only
    /// (other fields of [`ToolExecuteParams`] are not sent by this
    /// endpoint). The result is `{data (or {}), error, successful: error is
    /// null, log_id}`.
    ///
    /// A slug that is not a `COMPOSIO_` meta tool (a tool preloaded into
    /// the session, see [`Session::tools`]) is sent to `POST …/execute`
    /// (`{tool_slug, arguments}`) instead, with the same result shape.
    ///
    /// Local tools (see the module docs): a `slug` naming one runs it
    /// in-process, as [`Session::execute`] does (validation failures in the
    /// result, handler errors returned unchanged). A `COMPOSIO_MULTI_EXECUTE_TOOL` call
    /// (`{"tools": [{"tool_slug", "arguments"}], ...}`) whose items name
    /// local tools is split (wire contract §11.3): local items run
    /// concurrently in-process, the rest go in one request with `tools`
    /// filtered (other arguments kept), and the results are merged —
    /// `data.results` = remote results then local entries
    /// `{response: {successful, data, error?}, tool_slug, error?}`, all
    /// re-indexed; `total_count` / `success_count` / `error_count`
    /// recomputed when the remote data has them; `error` = the remote error
    /// if no item failed, else `"<failed> out of <total> tools failed"`. A
    /// single local item and no remote ones returns the local result
    /// unwrapped; no remote items means no request. Inside a multi-execute
    /// call every local failure (validation or handler error) becomes that
    /// item's `error` so the other results are not lost. Modifiers see the
    /// whole call (slug `COMPOSIO_MULTI_EXECUTE_TOOL`, toolkit `composio`).
    pub async fn execute_meta(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
        modifiers: &Modifiers,
    ) -> Result<ToolExecuteResponse> {
        non_empty("slug", slug)?;
        let mut arguments = arguments;
        self.upload_files(slug, &mut arguments, modifiers).await?;
        let params = ToolExecuteParams { arguments, ..ToolExecuteParams::default() };
        let params = modifiers.apply_before(slug, META_TOOLKIT, params).await?;
        let response = if let Some(run) = self.resolve_local(slug) {
            let (data, error) = match self.run_local(&run, params.arguments).await? {
                Ok(data) => (data, None),
                Err(msg) => (Value::Object(Map::new()), Some(msg)),
            };
            local_response(LocalOutcome { tool_slug: slug.to_string(), data, error })
        } else if slug.eq_ignore_ascii_case(MULTI_EXECUTE_TOOL) {
            self.multi_execute(slug, params.arguments).await?
        } else {
            self.post_execute_meta(slug, params.arguments).await?
        };
        modifiers.apply_after(slug, META_TOOLKIT, response).await
    }

    async fn multi_execute(
        &self,
        slug: &str,
        mut arguments: Map<String, Value>,
    ) -> Result<ToolExecuteResponse> {
        let items = arguments.get("tools").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut local = Vec::new();
        let mut remote = Vec::new();
        for item in items {
            let tool_slug = item.get("tool_slug").and_then(Value::as_str).map(str::to_string);
            match tool_slug.and_then(|s| self.resolve_local(&s).map(|run| (s, run))) {
                Some((s, run)) => local.push((s, run, item.get("arguments").cloned())),
                None => remote.push(item),
            }
        }
        if local.is_empty() {
            return self.post_execute_meta(slug, arguments).await;
        }
        let remote_fut = async {
            if remote.is_empty() {
                return Ok(None);
            }
            arguments.insert("tools".into(), Value::Array(remote));
            self.post_execute_meta(slug, arguments).await.map(Some)
        };
        let local_fut = futures::future::join_all(
            local.into_iter().map(|(s, run, args)| self.run_local_item(s, run, args)),
        );
        let (remote, outcomes) = futures::join!(remote_fut, local_fut);
        let remote = remote?;
        if remote.is_none() && outcomes.len() == 1 {
            if let Some(outcome) = outcomes.into_iter().next() {
                return Ok(local_response(outcome));
            }
            return Err(Error::internal("multi-execute lost its only local result"));
        }
        Ok(merge_multi_execute(remote, &outcomes))
    }

    /// `POST …/execute_meta` and the SDKs' response conversion.
    async fn post_execute_meta(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
    ) -> Result<ToolExecuteResponse> {
        // A preloaded app tool (listed by `tools()` next to the meta tools)
        // runs through `POST …/execute`, as `@composio/core` 0.21 runs every
        // session tool a provider calls; meta tools use `execute_meta`.
        let raw: SessionExecuteResponse = if slug.to_uppercase().starts_with("COMPOSIO_") {
            let body = serde_json::json!({ "slug": slug, "arguments": arguments });
            let req = ApiRequest::post(self.path("execute_meta")).json_value(body);
            self.client.transport().json(&req).await?
        } else {
            let body = serde_json::json!({ "tool_slug": slug, "arguments": arguments });
            let req = ApiRequest::post(self.path("execute")).json_value(body);
            self.client.transport().json(&req).await?
        };
        let data = match raw.data {
            Value::Null => Value::Object(Map::new()),
            d => d,
        };
        Ok(ToolExecuteResponse {
            data,
            successful: raw.error.is_none(),
            error: raw.error,
            log_id: raw.log_id,
            session_info: None,
            extra: raw.extra,
        })
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

/// A local outcome as a meta-tool result (`log_id ""`).
fn local_response(outcome: LocalOutcome) -> ToolExecuteResponse {
    ToolExecuteResponse {
        data: outcome.data,
        successful: outcome.error.is_none(),
        error: outcome.error,
        log_id: Some(String::new()),
        session_info: None,
        extra: Map::new(),
    }
}
