//! Sessions and connection requests.

use std::sync::Arc;

use composio_core::models::AuthorizeOptions;
use composio_core::modifiers::Modifiers;
use composio_core::{ConnectionRequest, Session};

use crate::client::{format, seconds, ProviderKind};
use crate::error::FfiResult;
use crate::json;

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
    pub async fn tools(&self, provider: ProviderKind) -> FfiResult<String> {
        let tools = self.inner.tools(&Modifiers::new()).await?;
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
