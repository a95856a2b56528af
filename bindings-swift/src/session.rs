//! Sessions and connection requests.

use std::sync::Arc;

use composio_core::custom_tools::CustomTool;
use composio_core::models::{AuthorizeOptions, SessionProxyParams, SessionToolkitsParams};
use composio_core::session_tools::SessionCustomToolkit;
use composio_core::{ConnectionRequest, Session};

use crate::callbacks::{FfiToolHandler, ToolHandler};

use crate::client::{format, seconds, ProviderKind};
use crate::error::FfiResult;
use crate::json;
use crate::modifiers::{modifiers as mods, FfiModifier};

/// A tool-router session.
#[derive(uniffi::Object)]
pub struct FfiSession {
    inner: Session,
}

impl FfiSession {
    /// Wraps an engine session.
    pub fn new(inner: Session) -> Self {
        Self { inner }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiSession {
    /// The session id.
    pub fn session_id(&self) -> String {
        self.inner.session_id.clone()
    }

    /// `{"type", "url", "headers"}` for MCP clients (headers carry the API key).
    pub fn mcp(&self) -> FfiResult<String> {
        Ok(json::encode(&self.inner.mcp)?)
    }

    /// The session's tools formatted for `provider` (JSON array).
    pub async fn tools(&self, provider: ProviderKind, modifiers: Vec<Arc<FfiModifier>>) -> FfiResult<String> {
        let tools = self.inner.tools(&mods(&modifiers)).await?;
        Ok(json::encode(&format(provider, &tools))?)
    }

    /// Executes a tool in the session; `arguments` is a JSON object or
    /// `None`. Returns `{data, error, log_id}`.
    pub async fn execute(&self, tool_slug: String, arguments: Option<String>) -> FfiResult<String> {
        let args = match arguments {
            None => None,
            Some(s) => Some(json::object("arguments", Some(&s))?),
        };
        Ok(json::encode(&self.inner.execute(&tool_slug, args).await?)?)
    }

    /// The session's tools in the API's wire shape (JSON array).
    pub async fn tools_raw(&self, modifiers: Vec<Arc<FfiModifier>>) -> FfiResult<String> {
        Ok(json::encode(&self.inner.tools(&mods(&modifiers)).await?)?)
    }

    /// Executes a meta tool (`COMPOSIO_SEARCH_TOOLS`, ...) the way agentic
    /// providers do; returns `{data, error, successful, log_id}`.
    pub async fn execute_meta(
        &self,
        slug: String,
        arguments: Option<String>,
        modifiers: Vec<Arc<FfiModifier>>,
    ) -> FfiResult<String> {
        let args = json::object("arguments", arguments.as_deref())?;
        Ok(json::encode(&self.inner.execute_meta(&slug, args, &mods(&modifiers)).await?)?)
    }

    /// The session's toolkits with their connection state (one page);
    /// `params` is `{toolkits?, next_cursor?, limit?, is_connected?, search?}` JSON.
    pub async fn toolkits(&self, params: Option<String>) -> FfiResult<String> {
        let params: SessionToolkitsParams = match params {
            None => SessionToolkitsParams::default(),
            Some(s) => json::decode("session toolkits params", &s)?,
        };
        Ok(json::encode(&self.inner.toolkits(params).await?)?)
    }

    /// The API's `experimental` block of the session (JSON object or
    /// `null`): assistive prompt, custom tool echoes, `source_session_config`.
    pub fn experimental(&self) -> FfiResult<String> {
        Ok(json::encode(&self.inner.experimental())?)
    }

    /// The session configuration as the API last echoed it (JSON object,
    /// wire spelling); refreshed by `update`.
    pub fn config(&self) -> FfiResult<String> {
        Ok(json::encode(&self.inner.config())?)
    }

    /// The config version of the latest response (refreshed by `update`).
    pub fn config_version(&self) -> i64 {
        self.inner.config_version()
    }

    /// Partially updates the configuration (`PATCH tool_router/session/{id}`):
    /// `patch` is a JSON object in wire spelling; a key set to `null`
    /// removes the stored override; `expected_config_version` makes the
    /// update conditional. Returns the updated config (JSON object).
    pub async fn update(&self, patch: String) -> FfiResult<String> {
        let patch = json::object("session update", Some(&patch))?;
        Ok(json::encode(self.inner.update(&patch).await?.config())?)
    }

    /// One page of the config history, newest first (JSON
    /// `{items, next_cursor, total_items, ...}`); `limit` 1..=100.
    pub async fn config_history(&self, cursor: Option<String>, limit: Option<u32>) -> FfiResult<String> {
        Ok(json::encode(&self.inner.config_history(cursor.as_deref(), limit).await?)?)
    }

    /// Deletes the session; returns `{"session_id", "deleted": true}`.
    pub async fn delete(&self) -> FfiResult<String> {
        Ok(json::encode(&self.inner.delete().await?)?)
    }

    /// The user the session belongs to, if known.
    pub fn user_id(&self) -> Option<String> {
        self.inner.user_id().map(str::to_string)
    }

    /// The session's custom tools (JSON array of `{slug, original_slug,
    /// name, description, toolkit, input_schema, output_schema}`), in
    /// definition order; with `toolkit`, only that toolkit's.
    pub fn custom_tools(&self, toolkit: Option<String>) -> FfiResult<String> {
        Ok(json::encode(&self.inner.custom_tools(toolkit.as_deref()))?)
    }

    /// The session's custom toolkits with their tools (JSON array).
    pub fn custom_toolkits(&self) -> FfiResult<String> {
        Ok(json::encode(&self.inner.custom_toolkits())?)
    }

    /// A request to a toolkit's API through the session's connected
    /// account; `params` is `{toolkit, endpoint, method, body?,
    /// parameters?}` JSON. Returns `{status, data, headers, ...}`.
    pub async fn proxy_execute(&self, params: String) -> FfiResult<String> {
        let params: SessionProxyParams = json::decode("session proxy params", &params)?;
        Ok(json::encode(&self.inner.proxy_execute(params).await?)?)
    }

    /// Starts connecting the session's user to a toolkit.
    pub async fn authorize(
        &self,
        toolkit: String,
        callback_url: Option<String>,
    ) -> FfiResult<Arc<FfiConnectionRequest>> {
        let opts = AuthorizeOptions { callback_url, alias: None };
        Ok(Arc::new(FfiConnectionRequest { inner: self.inner.authorize(&toolkit, opts).await? }))
    }
}

/// A started connection.
#[derive(uniffi::Object)]
pub struct FfiConnectionRequest {
    inner: ConnectionRequest,
}

impl FfiConnectionRequest {
    /// Wraps an engine connection request.
    pub fn new(inner: ConnectionRequest) -> Self {
        Self { inner }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiConnectionRequest {
    /// The connected account id.
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// The status when the request was made.
    pub fn status(&self) -> String {
        self.inner.status.clone()
    }

    /// Where the user completes the connection.
    pub fn redirect_url(&self) -> Option<String> {
        self.inner.redirect_url.clone()
    }

    /// Waits until the account is ACTIVE; returns the account JSON.
    pub async fn wait_for_connection(&self, timeout_seconds: f64) -> FfiResult<String> {
        let timeout = seconds("timeout", timeout_seconds)?;
        Ok(json::encode(&self.inner.wait_for_connection(timeout).await?)?)
    }
}

/// A session custom tool implemented in Swift (wire
/// `experimental.custom_tools[]`), given to `create_session`.
#[derive(uniffi::Object)]
pub struct FfiLocalTool {
    pub(crate) tool: CustomTool,
}

#[uniffi::export]
impl FfiLocalTool {
    /// A session custom tool. `input_parameters` (and
    /// `output_parameters`, when given) are JSON Schemas; `extends_toolkit`
    /// names the toolkit whose connected account it uses; `preload` is the
    /// tool's own flag (listed by `session.tools()`; `None`: its toolkit's,
    /// else the session default).
    #[uniffi::constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        slug: String,
        name: String,
        description: String,
        input_parameters: String,
        output_parameters: Option<String>,
        extends_toolkit: Option<String>,
        preload: Option<bool>,
        handler: Arc<dyn FfiToolHandler>,
    ) -> FfiResult<Arc<Self>> {
        let input = json::parse("inputParameters", &input_parameters)?;
        let mut tool = CustomTool::new(slug, name, description, input, ToolHandler(handler))?;
        if let Some(out) = output_parameters {
            tool = tool.with_output_parameters(json::parse("outputParameters", &out)?);
        }
        if let Some(t) = extends_toolkit {
            tool = tool.with_toolkit(t);
        }
        tool.preload = preload;
        Ok(Arc::new(Self { tool }))
    }
}

/// A session custom toolkit (wire `experimental.custom_toolkits[]`).
#[derive(uniffi::Object)]
pub struct FfiLocalToolkit {
    pub(crate) toolkit: SessionCustomToolkit,
}

#[uniffi::export]
impl FfiLocalToolkit {
    /// A toolkit of session custom tools; `preload` is inherited by its
    /// tools without a flag of their own.
    #[uniffi::constructor]
    pub fn new(
        slug: String,
        name: String,
        description: String,
        tools: Vec<Arc<FfiLocalTool>>,
        preload: Option<bool>,
    ) -> Arc<Self> {
        let mut toolkit = SessionCustomToolkit::new(slug, name, description);
        toolkit.preload = preload;
        for t in tools {
            toolkit = toolkit.with_tool(t.tool.clone());
        }
        Arc::new(Self { toolkit })
    }
}
