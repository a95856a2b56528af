//! Custom tools: tools implemented locally (in Rust here; in Python,
//! JavaScript or Swift through the bindings) that appear next to Composio's
//! tools in `tools.get` and sessions and run on `execute` without a network
//! call.
//!
//! A custom tool may belong to a toolkit (`toolkit: Some("github")`); it then
//! receives the user's connected account for that toolkit and can make
//! authenticated requests through the proxy endpoint.
//!
//! The same [`CustomTool`] definitions also serve as *session* custom tools
//! (given to a session's configuration; see [`crate::session_tools`]). Tools
//! run by a session get the session in [`CustomToolContext::session`] and can
//! call [`CustomToolContext::execute`] and
//! [`CustomToolContext::proxy_execute`].

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::models::{Tool, ToolExecuteResponse, ToolToolkitRef};

/// What a custom tool is given besides its arguments.
#[derive(Clone)]
pub struct CustomToolContext {
    /// The user the tool runs for, if any.
    pub user_id: Option<String>,
    /// The connected account (the API's object) for toolkit-based tools.
    pub connected_account: Option<Value>,
    /// The client, for proxy requests and other calls.
    pub client: crate::Composio,
    /// The tool-router session the tool runs in, when it was executed through
    /// one (see [`CustomToolContext::execute`] and
    /// [`CustomToolContext::proxy_execute`]); `None` for plain
    /// `tools.execute` runs.
    pub session: Option<crate::sessions::Session>,
}

impl std::fmt::Debug for CustomToolContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomToolContext")
            .field("user_id", &self.user_id)
            .field("has_connected_account", &self.connected_account.is_some())
            .field("session_id", &self.session_id())
            .finish()
    }
}

impl CustomToolContext {
    /// The id of the session the tool runs in, if any.
    pub fn session_id(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.session_id.as_str())
    }

    fn require_session(&self, what: &str) -> Result<&crate::sessions::Session> {
        self.session.as_ref().ok_or_else(|| {
            Error::validation(format!(
                "{what} is only available to custom tools executed through a tool-router session"
            ))
        })
    }

    /// Executes another tool from inside a session tool: a local tool of the
    /// session (or of the client's registry) runs in-process, anything else
    /// goes to `POST /tool_router/session/{id}/execute` — exactly
    /// [`crate::sessions::Session::execute`]. Without a session this is an
    /// [`Error::Validation`].
    pub async fn execute(
        &self,
        tool_slug: &str,
        arguments: Map<String, Value>,
    ) -> Result<crate::models::SessionExecuteResponse> {
        let session = self.require_session("ctx.execute")?;
        session.execute(tool_slug, Some(arguments)).await
    }

    /// Sends an HTTP request to a toolkit's API through the session's
    /// connected account (`POST /tool_router/session/{id}/proxy_execute`,
    /// see [`crate::sessions::Session::proxy_execute`]). Without a session
    /// this is an [`Error::Validation`].
    pub async fn proxy_execute(
        &self,
        toolkit: &str,
        endpoint: &str,
        method: &str,
        body: Option<Value>,
        parameters: Vec<crate::models::SessionProxyParameter>,
    ) -> Result<crate::models::SessionProxyResponse> {
        let session = self.require_session("ctx.proxy_execute")?;
        session
            .proxy_execute(crate::models::SessionProxyParams {
                toolkit: toolkit.to_string(),
                endpoint: endpoint.to_string(),
                method: method.to_string(),
                body,
                parameters,
                ..Default::default()
            })
            .await
    }
}

/// The code behind a custom tool.
#[async_trait]
pub trait CustomToolHandler: Send + Sync {
    /// Runs the tool with validated arguments; the returned value becomes the
    /// result's `data`.
    async fn execute(&self, arguments: Map<String, Value>, ctx: CustomToolContext) -> Result<Value>;

    /// Runs the tool and returns the whole result, so a tool can report a
    /// failure as `successful: false` with an `error` (as TypeScript custom
    /// tools do) instead of raising. The default wraps [`Self::execute`]'s
    /// data as a success; the engine always calls this method.
    async fn execute_full(
        &self,
        arguments: Map<String, Value>,
        ctx: CustomToolContext,
    ) -> Result<ToolExecuteResponse> {
        Ok(ToolExecuteResponse::success(self.execute(arguments, ctx).await?))
    }
}

#[async_trait]
impl<F> CustomToolHandler for F
where
    F: Fn(Map<String, Value>, CustomToolContext) -> Result<Value> + Send + Sync,
{
    async fn execute(&self, arguments: Map<String, Value>, ctx: CustomToolContext) -> Result<Value> {
        self(arguments, ctx)
    }
}

/// A locally executed tool.
#[derive(Clone)]
pub struct CustomTool {
    /// Tool slug (unique in the registry, compared case-insensitively).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description shown to models.
    pub description: String,
    /// The toolkit the tool extends, if any (for authenticated proxy calls).
    pub toolkit: Option<String>,
    /// JSON Schema of the arguments.
    pub input_parameters: Value,
    /// JSON Schema of the result.
    pub output_parameters: Value,
    /// The implementation.
    pub handler: Arc<dyn CustomToolHandler>,
    /// As a session custom tool: whether [`Session::tools`](crate::sessions::Session::tools)
    /// lists it (`None`: its toolkit's flag, else the session default; see
    /// [`CustomToolPreload`](crate::session_tools::CustomToolPreload)).
    /// Ignored for tools registered with [`crate::tools::Tools`].
    pub preload: Option<bool>,
}

impl std::fmt::Debug for CustomTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomTool").field("slug", &self.slug).field("toolkit", &self.toolkit).finish()
    }
}

/// Two tools are equal when their definitions are equal and they share the
/// same handler object.
impl PartialEq for CustomTool {
    fn eq(&self, other: &Self) -> bool {
        self.slug == other.slug
            && self.name == other.name
            && self.description == other.description
            && self.toolkit == other.toolkit
            && self.input_parameters == other.input_parameters
            && self.output_parameters == other.output_parameters
            && self.preload == other.preload
            && std::ptr::addr_eq(Arc::as_ptr(&self.handler), Arc::as_ptr(&other.handler))
    }
}

impl CustomTool {
    /// A custom tool; the slug must be letters, digits, `_` or `-`, and the
    /// input schema an object schema.
    pub fn new(
        slug: impl Into<String>,
        name: impl Into<String>,
        description: impl Into<String>,
        input_parameters: Value,
        handler: impl CustomToolHandler + 'static,
    ) -> Result<Self> {
        let tool = Self {
            slug: slug.into(),
            name: name.into(),
            description: description.into(),
            toolkit: None,
            input_parameters,
            output_parameters: crate::models::empty_object_schema(),
            handler: Arc::new(handler),
            preload: None,
        };
        tool.validate()?;
        Ok(tool)
    }

    /// Attaches the tool to a toolkit.
    pub fn with_toolkit(mut self, toolkit: impl Into<String>) -> Self {
        self.toolkit = Some(toolkit.into());
        self
    }

    /// Sets the JSON Schema of the result (sent as `output_schema` for
    /// session custom tools; the default empty object schema is not sent).
    pub fn with_output_parameters(mut self, output_parameters: Value) -> Self {
        self.output_parameters = output_parameters;
        self
    }

    /// Sets the session custom tool's own `preload` flag (see
    /// [`CustomTool::preload`]).
    pub fn with_preload(mut self, preload: bool) -> Self {
        self.preload = Some(preload);
        self
    }

    /// Checks slug, description and schema.
    pub fn validate(&self) -> Result<()> {
        if self.slug.is_empty()
            || !self.slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(Error::validation(format!(
                "custom tool slug {:?} must be non-empty and contain only letters, digits, '_' or '-'",
                self.slug
            )));
        }
        if self.description.trim().is_empty() {
            return Err(Error::validation(format!("custom tool {} needs a description", self.slug)));
        }
        let is_object = self.input_parameters.get("type").and_then(Value::as_str) == Some("object");
        if !is_object {
            return Err(Error::validation(format!(
                "custom tool {}: input_parameters must be a JSON Schema with \"type\": \"object\"",
                self.slug
            )));
        }
        Ok(())
    }

    /// The tool as a [`Tool`] (toolkit `custom` unless it extends one).
    pub fn to_tool(&self) -> Tool {
        Tool {
            slug: self.slug.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            input_parameters: self.input_parameters.clone(),
            output_parameters: self.output_parameters.clone(),
            toolkit: ToolToolkitRef {
                slug: self.toolkit.clone().unwrap_or_else(|| "custom".into()),
                name: Some(self.toolkit.clone().unwrap_or_else(|| "custom".into())),
                logo: Some(String::new()),
                extra: Map::new(),
            },
            version: Some("1.0.0".into()),
            no_auth: self.toolkit.is_none(),
            ..Tool::default()
        }
    }
}

/// The custom tools registered on one client.
#[derive(Debug, Default)]
pub struct CustomToolRegistry {
    tools: RwLock<HashMap<String, Arc<CustomTool>>>,
}

impl CustomToolRegistry {
    /// Registers a tool, replacing one with the same slug.
    pub fn register(&self, tool: CustomTool) -> Result<()> {
        tool.validate()?;
        let mut map =
            self.tools.write().map_err(|_| Error::internal("custom tool registry lock poisoned"))?;
        map.insert(tool.slug.to_uppercase(), Arc::new(tool));
        Ok(())
    }

    /// Removes a tool; returns whether it existed.
    pub fn remove(&self, slug: &str) -> bool {
        self.tools.write().map(|mut m| m.remove(&slug.to_uppercase()).is_some()).unwrap_or(false)
    }

    /// Looks a tool up by slug (case-insensitive).
    pub fn get(&self, slug: &str) -> Option<Arc<CustomTool>> {
        self.tools.read().ok()?.get(&slug.to_uppercase()).cloned()
    }

    /// Every registered tool, sorted by slug.
    pub fn all(&self) -> Vec<Arc<CustomTool>> {
        let mut v: Vec<_> = self.tools.read().map(|m| m.values().cloned().collect()).unwrap_or_default();
        v.sort_by(|a, b| a.slug.cmp(&b.slug));
        v
    }

    /// Whether no tools are registered.
    pub fn is_empty(&self) -> bool {
        self.tools.read().map(|m| m.is_empty()).unwrap_or(true)
    }
}
