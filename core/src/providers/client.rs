//! Tool calls executed through a client: the glue between a model's
//! response, [`crate::tools::Tools::execute`] and the provider's result
//! format, as the official SDKs' `provider.handle_tool_calls` does it.

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::{handle_tool_calls, Flavor, Provider, ToolCallExecutor};
use crate::error::Result;
use crate::models::{ToolExecuteParams, ToolExecuteResponse};
use crate::modifiers::Modifiers;
use crate::Composio;

/// Options of [`Composio::handle_tool_calls`] besides the user id (the TS
/// SDK's `options` argument).
#[derive(Debug, Clone, Default)]
pub struct HandleToolCallsOptions {
    /// Execute with this connected account.
    pub connected_account_id: Option<String>,
    /// `custom_auth_params` sent with every call.
    pub custom_auth_params: Option<Value>,
    /// `custom_connection_data` sent with every call.
    pub custom_connection_data: Option<Value>,
}

impl HandleToolCallsOptions {
    /// The execute parameters of one model tool call for `user_id`: these options' account and
    /// auth fields, and the version check skipped, as the official SDKs do for model-driven calls.
    pub fn execute_params(&self, user_id: &str, arguments: Map<String, Value>) -> ToolExecuteParams {
        ToolExecuteParams {
            arguments,
            user_id: Some(user_id.to_string()),
            connected_account_id: self.connected_account_id.clone(),
            custom_auth_params: self.custom_auth_params.clone(),
            custom_connection_data: self.custom_connection_data.clone(),
            dangerously_skip_version_check: true,
            ..ToolExecuteParams::default()
        }
    }
}

/// Runs tool calls with a client's `tools.execute`, for one user, with the
/// caller's modifiers (including their file-upload hook and
/// automatic-file-handling override, so each call gets the whole execute
/// pipeline of [`crate::tools::Tools::execute`]). Like the official SDKs,
/// model-driven executions skip the toolkit version check.
#[derive(Debug, Clone)]
pub struct ClientToolCallExecutor {
    client: Composio,
    user_id: String,
    options: HandleToolCallsOptions,
    modifiers: Modifiers,
}

impl ClientToolCallExecutor {
    /// An executor for `user_id`.
    pub fn new(
        client: &Composio,
        user_id: &str,
        options: HandleToolCallsOptions,
        modifiers: Modifiers,
    ) -> Self {
        Self { client: client.clone(), user_id: user_id.to_string(), options, modifiers }
    }
}

#[async_trait]
impl ToolCallExecutor for ClientToolCallExecutor {
    async fn execute_tool_call(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
    ) -> Result<ToolExecuteResponse> {
        let params = self.options.execute_params(&self.user_id, arguments);
        self.client.tools().execute(slug, params, &self.modifiers).await
    }
}

impl Composio {
    /// Executes every tool call in a model response for `user_id` and
    /// returns the results in the provider's format (see
    /// [`super::format_tool_results`]). Each call runs
    /// [`crate::tools::Tools::execute`]'s pipeline (file upload with the
    /// modifiers' hook → before-execute → execute → download →
    /// after-execute), once per call, in call order.
    pub async fn handle_tool_calls(
        &self,
        user_id: &str,
        provider: &Provider,
        response: &Value,
        flavor: Flavor,
        options: HandleToolCallsOptions,
        modifiers: &Modifiers,
    ) -> Result<Value> {
        let executor = ClientToolCallExecutor::new(self, user_id, options, modifiers.clone());
        handle_tool_calls(&executor, provider, response, flavor).await
    }
}
