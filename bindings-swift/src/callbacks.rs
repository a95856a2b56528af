//! Foreign traits implemented in Swift (custom tools and modifiers) and
//! their adapters to the core's extension traits.
//!
//! Every value crosses as a JSON string. The Swift layer catches whatever
//! the user's code throws, keeps it under an id and throws
//! `ComposioError.Callback { callback_id }`; the id travels through the
//! engine in `Error::Callback` so the original error reaches the caller.

use std::sync::Arc;

use async_trait::async_trait;
use composio_core::custom_tools::{CustomToolContext, CustomToolHandler};
use composio_core::models::{ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::{AfterExecute, BeforeExecute};
use composio_core::Result as CoreResult;
use serde_json::{json, Map, Value};

use crate::error::ComposioError;
use crate::json;
use crate::session::FfiSession;

/// The code of a custom tool, implemented in Swift.
#[uniffi::export(foreign)]
#[async_trait]
pub trait FfiToolHandler: Send + Sync {
    /// Runs the tool. `arguments` is the validated JSON object;
    /// `context` is `{"userId", "connectedAccount", "sessionId"}`;
    /// `session` is the tool-router session the tool runs in (for
    /// `ctx.execute` / `ctx.proxyExecute`), `None` outside sessions.
    /// Returns the result's `data` as JSON.
    async fn execute(
        &self,
        arguments: String,
        context: String,
        session: Option<Arc<FfiSession>>,
    ) -> Result<String, ComposioError>;
}

/// Before/after-execute hooks implemented in Swift.
#[uniffi::export(foreign)]
#[async_trait]
pub trait FfiExecuteModifier: Send + Sync {
    /// Rewrites the execute parameters (`{arguments, user_id, ...}`).
    async fn before_execute(
        &self,
        tool: String,
        toolkit: String,
        params: String,
    ) -> Result<String, ComposioError>;
    /// Rewrites the execute response (`{data, error, successful, log_id}`).
    async fn after_execute(
        &self,
        tool: String,
        toolkit: String,
        response: String,
    ) -> Result<String, ComposioError>;
}

/// Adapts a Swift tool handler to the core.
pub struct ToolHandler(pub Arc<dyn FfiToolHandler>);

#[async_trait]
impl CustomToolHandler for ToolHandler {
    async fn execute(&self, arguments: Map<String, Value>, ctx: CustomToolContext) -> CoreResult<Value> {
        let context = json!({
            "userId": ctx.user_id,
            "connectedAccount": ctx.connected_account,
            "sessionId": ctx.session_id(),
        });
        let session = ctx.session.map(|s| Arc::new(FfiSession::new(s)));
        let out = self.0.execute(json::encode(&arguments)?, json::encode(&context)?, session).await?;
        json::parse("the custom tool's result", &out)
    }
}

/// Adapts the before half of a Swift modifier.
pub struct Before(pub Arc<dyn FfiExecuteModifier>);

#[async_trait]
impl BeforeExecute for Before {
    async fn before_execute(
        &self,
        tool: &str,
        toolkit: &str,
        params: ToolExecuteParams,
    ) -> CoreResult<ToolExecuteParams> {
        let out =
            self.0.before_execute(tool.to_string(), toolkit.to_string(), json::encode(&params)?).await?;
        json::decode("beforeExecute's result", &out)
    }
}

/// Adapts the after half of a Swift modifier.
pub struct After(pub Arc<dyn FfiExecuteModifier>);

#[async_trait]
impl AfterExecute for After {
    async fn after_execute(
        &self,
        tool: &str,
        toolkit: &str,
        response: ToolExecuteResponse,
    ) -> CoreResult<ToolExecuteResponse> {
        let out =
            self.0.after_execute(tool.to_string(), toolkit.to_string(), json::encode(&response)?).await?;
        json::decode("afterExecute's result", &out)
    }
}
