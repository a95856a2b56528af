//! Sessions and connection requests.

use std::sync::Arc;

use composio_core::models::{AuthorizeOptions, SessionToolkitsParams};
use composio_core::{ConnectionRequest, Session};

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
