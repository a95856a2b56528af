//! The client object and the provider formatting functions.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use composio_core::custom_tools::CustomTool;
use composio_core::models::{SessionConfig, Tool, ToolExecuteParams};
use composio_core::providers::{self, Flavor, Provider};
use composio_core::tools::GetToolsParams;
use composio_core::{Composio, ComposioConfig, Error as CoreError, ToolkitVersions};
use serde_json::Value;

use crate::callbacks::{FfiToolHandler, ToolHandler};
use crate::error::FfiResult;
use crate::json;
use crate::modifiers::{self as mods, FfiModifier};
use crate::session::{FfiLocalTool, FfiLocalToolkit, FfiSession};

/// An LLM provider whose tool format `tools(provider:)` produces
/// (TypeScript SDK flavour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ProviderKind {
    /// OpenAI Chat Completions.
    OpenAi,
    /// OpenAI Responses API.
    OpenAiResponses {
        /// Emit strict tools.
        strict: bool,
    },
    /// Anthropic Messages API.
    Anthropic {
        /// Attach `cache_control` to every tool.
        cache_tools: bool,
    },
    /// Google Gemini.
    Google,
}

impl From<ProviderKind> for Provider {
    fn from(p: ProviderKind) -> Self {
        match p {
            ProviderKind::OpenAi => Provider::OpenAI,
            ProviderKind::OpenAiResponses { strict } => Provider::OpenAIResponses { strict },
            ProviderKind::Anthropic { cache_tools } => Provider::Anthropic { cache_tools },
            ProviderKind::Google => Provider::Google,
        }
    }
}

/// Formats wire tools (a JSON array) for a provider, the way the
/// TypeScript SDK's `tools.get` returns them; returns a JSON array.
#[uniffi::export]
pub fn format_tools(provider: ProviderKind, tools: String) -> FfiResult<String> {
    let tools: Vec<Tool> = json::decode("tools", &tools)?;
    Ok(json::encode(&format(provider, &tools))?)
}

/// Formats tools for a provider (TypeScript flavour).
pub fn format(provider: ProviderKind, tools: &[Tool]) -> Vec<Value> {
    providers::format_tools(&provider.into(), tools, Flavor::TypeScript)
}

/// A timeout in seconds from Swift.
pub fn seconds(what: &str, secs: f64) -> Result<Duration, CoreError> {
    Duration::try_from_secs_f64(secs).map_err(|_| {
        CoreError::validation(format!("{what} must be a non-negative number of seconds, got {secs}"))
    })
}

/// The Composio client.
#[derive(uniffi::Object)]
pub struct FfiComposio {
    pub(crate) client: Composio,
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiComposio {
    /// A client; `None` values come from the environment
    /// (`COMPOSIO_API_KEY`, `COMPOSIO_BASE_URL`,
    /// `COMPOSIO_TOOLKIT_VERSION_<TOOLKIT>`).
    #[uniffi::constructor]
    pub fn new(
        api_key: Option<String>,
        base_url: Option<String>,
        toolkit_versions: Option<HashMap<String, String>>,
    ) -> FfiResult<Arc<Self>> {
        let mut config = ComposioConfig::from_env();
        if let Some(key) = api_key {
            config = config.with_api_key(key);
        }
        if let Some(url) = base_url {
            config = config.with_base_url(url);
        }
        if let Some(v) = toolkit_versions {
            config = config.with_toolkit_versions(ToolkitVersions::per_toolkit(v));
        }
        Ok(Arc::new(Self { client: Composio::new(config)? }))
    }

    /// The base URL in use.
    pub fn base_url(&self) -> String {
        self.client.config().base_url.clone()
    }

    /// Creates a tool-router session; `config` is the engine's
    /// `SessionConfig` as JSON (snake_case keys), or `None`;
    /// `custom_tools` / `custom_toolkits` are the session's own tools,
    /// run in-process by the session.
    pub async fn create_session(
        &self,
        user_id: String,
        config: Option<String>,
        custom_tools: Vec<Arc<FfiLocalTool>>,
        custom_toolkits: Vec<Arc<FfiLocalToolkit>>,
    ) -> FfiResult<Arc<FfiSession>> {
        let mut config: SessionConfig = match config {
            None => SessionConfig::default(),
            Some(s) => json::decode("session config", &s)?,
        };
        config.custom_tools.extend(custom_tools.iter().map(|t| t.tool.clone()));
        config.custom_toolkits.extend(custom_toolkits.iter().map(|t| t.toolkit.clone()));
        let session = self.client.create_session(&user_id, config).await?;
        Ok(Arc::new(FfiSession::new(session)))
    }

    /// Deletes a session by id; returns `{"session_id", "deleted": true}`.
    pub async fn delete_session(&self, session_id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.delete_session(&session_id).await?)?)
    }

    /// Restores a session by id.
    pub async fn use_session(&self, session_id: String) -> FfiResult<Arc<FfiSession>> {
        Ok(Arc::new(FfiSession::new(self.client.use_session(&session_id).await?)))
    }

    /// Tools by slug and/or by toolkit/search, as wire tools (JSON array).
    pub async fn get_tools(
        &self,
        tools: Vec<String>,
        toolkits: Vec<String>,
        search: Option<String>,
        limit: Option<u32>,
        modifiers: Vec<Arc<FfiModifier>>,
    ) -> FfiResult<String> {
        let params = GetToolsParams { tools, toolkits, search, limit, ..GetToolsParams::default() };
        Ok(json::encode(&self.client.tools().get(&params, &mods::modifiers(&modifiers)).await?)?)
    }

    /// One tool's wire schema (custom tools first).
    pub async fn get_tool(&self, slug: String, version: Option<String>) -> FfiResult<String> {
        Ok(json::encode(&self.client.tools().get_tool(&slug, version.as_deref()).await?)?)
    }

    /// Executes a tool. `params` is the engine's execute parameters as
    /// JSON (`{arguments, user_id?, connected_account_id?, version?, ...}`);
    /// returns `{data, error, successful, log_id}`.
    pub async fn execute(
        &self,
        slug: String,
        params: String,
        modifiers: Vec<Arc<FfiModifier>>,
    ) -> FfiResult<String> {
        let params: ToolExecuteParams = json::decode("execute params", &params)?;
        Ok(json::encode(&self.client.tools().execute(&slug, params, &mods::modifiers(&modifiers)).await?)?)
    }

    /// Registers a custom tool implemented in Swift. `input_parameters` is
    /// its JSON Schema (an object schema).
    pub fn register_custom_tool(
        &self,
        slug: String,
        name: String,
        description: String,
        input_parameters: String,
        toolkit: Option<String>,
        handler: Arc<dyn FfiToolHandler>,
    ) -> FfiResult<()> {
        let input = json::parse("inputParameters", &input_parameters)?;
        let mut tool = CustomTool::new(slug, name, description, input, ToolHandler(handler))?;
        if let Some(t) = toolkit {
            tool = tool.with_toolkit(t);
        }
        Ok(self.client.register_custom_tool(tool)?)
    }

    /// Removes a custom tool; `true` when one was registered.
    pub fn remove_custom_tool(&self, slug: String) -> bool {
        self.client.custom_tools().remove(&slug)
    }

    /// Waits until a connected account is ACTIVE; returns the account JSON.
    pub async fn wait_for_connection(&self, id: String, timeout_seconds: f64) -> FfiResult<String> {
        let timeout = seconds("timeout", timeout_seconds)?;
        Ok(json::encode(&self.client.connected_accounts().wait_for_connection(&id, timeout).await?)?)
    }
}
