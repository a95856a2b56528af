//! The native client: one [`NativeComposio`] per `Composio` instance of the
//! TypeScript layer. Every I/O method is an `async fn` on napi's tokio
//! runtime, so it returns a Promise and never blocks the event loop.

use std::time::Duration;

use composio_core::connected_accounts::DEFAULT_WAIT_TIMEOUT;
use composio_core::custom_tools::{CustomTool, CustomToolHandler};
use composio_core::models::{
    AuthConfigCreate, AuthConfigListParams, AuthConfigUpdate, ConnectedAccountListParams, InitiateOptions,
    LinkOptions, RefreshOptions, SessionConfig, ToolExecuteParams,
};
use composio_core::modifiers::{DeclarativeModifier, Modifier, ModifierFilter, ModifierKind, Modifiers};
use composio_core::providers::{self, Flavor, HandleToolCallsOptions, Provider};
use composio_core::toolkits::ToolkitListParams;
use composio_core::tools::{GetToolsParams, ProxyParams, ToolListParams};
use composio_core::triggers::{TriggerCreateParams, TriggerListActiveParams, TriggerTypeListParams};
use composio_core::{Composio, ConnectionRequest, Error as CoreError, Result as CoreResult};
use napi_derive::napi;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::callbacks::{JsAfterExecute, JsBeforeExecute, JsCallback, JsCustomTool, JsSchemaModifier};
use crate::convert::{self, js, Opts};
use crate::error::{guard, guard_sync, invalid};
use crate::extras::{NativeMcp, NativeTriggerSubscription, NativeWebhookSubscriptions};
use crate::session::NativeSession;
use napi::bindgen_prelude::Promise;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;

/// Serialises an engine value for JavaScript.
pub fn to_value<T: Serialize>(v: &T) -> CoreResult<Value> {
    serde_json::to_value(v).map_err(|e| CoreError::internal(format!("could not serialise a result: {e}")))
}

fn from_value<T: serde::de::DeserializeOwned>(what: &str, v: Value) -> CoreResult<T> {
    serde_json::from_value(v).map_err(|e| invalid(format!("{what} is invalid: {e}")))
}

/// Builds a modifier list from the wrapped callbacks and declarative
/// modifiers (`[{type, ..., tools?, toolkits?}]`).
pub fn modifiers(
    schema: Option<JsCallback>,
    before: Option<JsCallback>,
    after: Option<JsCallback>,
    declarative: Option<Value>,
) -> CoreResult<Modifiers> {
    let mut list = Modifiers::new();
    if let Some(v) = declarative {
        let Value::Array(items) = v else {
            return Err(invalid("modifiers.declarative must be an array"));
        };
        for item in items {
            let Value::Object(mut m) = item else {
                return Err(invalid("every declarative modifier must be an object"));
            };
            let mut filter = ModifierFilter::default();
            for (key, slot) in [("tools", &mut filter.tools), ("toolkits", &mut filter.toolkits)] {
                if let Some(v) = m.shift_remove(key) {
                    if !v.is_null() {
                        *slot = from_value(&format!("declarative modifier {key}"), v)?;
                    }
                }
            }
            let d: DeclarativeModifier = from_value("declarative modifier", Value::Object(m))?;
            list.push(Modifier { filter, kind: ModifierKind::Declarative(d) });
        }
    }
    if let Some(f) = schema {
        list.push(Modifier::schema(JsSchemaModifier(f)));
    }
    if let Some(f) = before {
        list.push(Modifier::before_execute(JsBeforeExecute(f)));
    }
    if let Some(f) = after {
        list.push(Modifier::after_execute(JsAfterExecute(f)));
    }
    Ok(list)
}

/// An execution's modifiers: `beforeFileUpload` as the file-upload hook,
/// and automatic file handling in the TypeScript shape when `auto_files`
/// (see [`crate::files`]).
pub fn exec_modifiers(
    before: Option<JsCallback>,
    after: Option<JsCallback>,
    declarative: Option<Value>,
    file_upload: Option<JsCallback>,
    auto_files: bool,
) -> CoreResult<Modifiers> {
    let mut mods = modifiers(None, before, after, declarative)?;
    if let Some(f) = file_upload {
        mods.set_before_file_upload(Some(std::sync::Arc::new(crate::callbacks::JsBeforeFileUpload(f))));
    }
    Ok(if auto_files { mods.with_auto_files(Flavor::TypeScript) } else { mods })
}

/// A provider from `{name, strict?, cacheTools?}`.
pub fn provider(v: Value) -> CoreResult<Provider> {
    let mut o = Opts::new("provider", Some(v))?;
    let name = o.str("name")?.ok_or_else(|| invalid("provider.name is required"))?;
    let p = match name.as_str() {
        "openai" => Provider::OpenAI,
        "openai_responses" => Provider::OpenAIResponses { strict: o.bool("strict")?.unwrap_or(false) },
        "anthropic" => Provider::Anthropic { cache_tools: o.bool("cache_tools")?.unwrap_or(false) },
        "google" => Provider::Google,
        other => return Err(invalid(format!("unknown provider {other:?}"))),
    };
    o.finish()?;
    Ok(p)
}

/// A connection request as `{id, status, redirectUrl}`.
pub fn connection_request(r: &ConnectionRequest) -> Value {
    json!({ "id": r.id, "status": r.status, "redirectUrl": r.redirect_url })
}

/// A custom tool from `{slug, name, description, input_parameters,
/// output_parameters?}` plus, when `toolkit_key` is given, the toolkit it
/// extends under that key.
pub fn read_custom_tool(
    o: &mut Opts,
    toolkit_key: Option<&str>,
    handler: impl CustomToolHandler + 'static,
) -> CoreResult<CustomTool> {
    let slug = o.str("slug")?.unwrap_or_default();
    let name = o.str("name")?.unwrap_or_default();
    let description = o.str("description")?.unwrap_or_default();
    let input = o.value("input_parameters").unwrap_or_else(composio_core::models::empty_object_schema);
    let output = o.value("output_parameters");
    let toolkit = match toolkit_key {
        Some(k) => o.str(k)?,
        None => None,
    };
    let mut tool = CustomTool::new(slug, name, description, input, handler)?;
    if let Some(t) = toolkit {
        tool = tool.with_toolkit(t);
    }
    if let Some(out) = output {
        tool = tool.with_output_parameters(out);
    }
    Ok(tool)
}

/// Tool arguments: an object, or nothing (an empty object).
pub fn args_map(v: Option<Value>, what: &str) -> CoreResult<Map<String, Value>> {
    match v {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m),
        Some(other) => Err(invalid(format!("{what} must be an object, got {}", convert::kind(&other)))),
    }
}

/// Wraps tools in a provider's TypeScript format (what `tools.get` returns).
#[napi(catch_unwind)]
pub fn format_tools(provider: Value, tools: Value) -> napi::Result<js::Value> {
    guard_sync(|| {
        let p = self::provider(provider)?;
        let tools: Vec<composio_core::models::Tool> = from_value("tools", tools)?;
        Ok(Value::Array(providers::format_tools(&p, &tools, Flavor::TypeScript)).into())
    })
}

/// The provider's own `wrapTools` over wire tools.
#[napi(catch_unwind)]
pub fn wrap_tools(provider: Value, tools: Value) -> napi::Result<js::Value> {
    guard_sync(|| {
        let p = self::provider(provider)?;
        let tools: Vec<composio_core::models::Tool> = from_value("tools", tools)?;
        Ok(Value::Array(providers::wrap_tools(&p, &tools, Flavor::TypeScript)).into())
    })
}

/// The provider's `wrapMcpServerResponse` for one server.
#[napi(catch_unwind)]
pub fn wrap_mcp_server(provider: Value, url: String, name: String) -> napi::Result<Value> {
    guard_sync(|| Ok(providers::wrap_mcp_server(&self::provider(provider)?, &url, &name)))
}

/// Parses a model response's tool calls (`[{id, slug, arguments}]`).
#[napi(catch_unwind)]
pub fn parse_tool_calls(provider: Value, response: Value) -> napi::Result<Value> {
    guard_sync(|| {
        let calls = providers::parse_tool_calls(&self::provider(provider)?, &response, Flavor::TypeScript)?;
        Ok(Value::Array(
            calls
                .into_iter()
                .map(|c| json!({ "id": c.id, "slug": c.slug, "arguments": c.arguments }))
                .collect(),
        ))
    })
}

/// The `tools.get` filters (snake_case keys) as engine parameters.
fn get_tools_params(params: Value) -> composio_core::Result<GetToolsParams> {
    Opts::read("tools.get filters", Some(params), |o| {
        Ok(GetToolsParams {
            tools: o.strs("tools")?,
            toolkits: o.strs("toolkits")?,
            search: o.str("search")?,
            scopes: o.strs("scopes")?,
            tags: o.strs("tags")?,
            limit: o.u32("limit")?,
            auth_config_ids: o.strs("auth_config_ids")?,
            important: o.bool("important")?,
            toolkit_versions: o.value("toolkit_versions").map(convert::toolkit_versions).transpose()?,
        })
    })
}

/// Checks tool arguments against a tool's JSON Schema with the engine's
/// rules (the error names the argument and the problem).
#[napi(catch_unwind)]
pub fn validate_arguments(tool_slug: String, schema: Value, arguments: Value) -> napi::Result<()> {
    guard_sync(|| {
        let args = match arguments {
            Value::Object(m) => m,
            other => {
                return Err(invalid(format!("arguments must be an object, got {}", convert::kind(&other))))
            }
        };
        composio_core::tools::validate_arguments(&tool_slug, &schema, &args)
    })
}

/// Panics on purpose, synchronously or inside a future; the test suite
/// uses it to prove that a panic becomes a `ComposioError`.
#[napi(catch_unwind)]
pub async fn debug_panic(in_future: bool) -> napi::Result<()> {
    if in_future {
        guard(async {
            tokio::task::yield_now().await;
            #[allow(clippy::panic)]
            if in_future {
                panic!("deliberate panic for tests");
            }
            Ok(())
        })
        .await
    } else {
        guard_sync(|| {
            #[allow(clippy::panic)]
            if !in_future {
                panic!("deliberate synchronous panic for tests");
            }
            Ok(())
        })
    }
}

/// The native client.
#[napi]
pub struct NativeComposio {
    pub(crate) client: Composio,
    /// Automatic file handling (done here with the TypeScript SDK's result
    /// shape; the engine's own, Python-shaped, handling stays off).
    auto_files: bool,
}

#[napi]
impl NativeComposio {
    /// Builds a client from `{api_key, base_url, toolkit_versions, ...}`
    /// (environment variables fill what is missing).
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<Value>) -> napi::Result<Self> {
        guard_sync(|| {
            let mut config = convert::config(options)?;
            let auto_files = config.auto_upload_download_files;
            config.auto_upload_download_files = false;
            Ok(Self { client: Composio::new(config)?, auto_files })
        })
    }

    /// Whether file arguments/results are handled automatically.
    #[napi(getter)]
    pub fn auto_upload_download_files(&self) -> bool {
        self.auto_files
    }

    /// The MCP servers API.
    #[napi]
    pub fn mcp(&self) -> NativeMcp {
        NativeMcp { client: self.client.clone() }
    }

    /// The webhook subscriptions API.
    #[napi]
    pub fn webhook_subscriptions(&self) -> NativeWebhookSubscriptions {
        NativeWebhookSubscriptions { client: self.client.clone() }
    }

    /// Subscribes to realtime trigger events (Pusher protocol); `callback`
    /// receives each event in `@composio/core`'s shape and keeps the
    /// process alive until `unsubscribe()`.
    #[napi(catch_unwind)]
    pub async fn subscribe_triggers(
        &self,
        callback: ThreadsafeFunction<Value, (), Value, Status, false, false>,
    ) -> napi::Result<NativeTriggerSubscription> {
        guard(async { crate::extras::subscribe(&self.client, callback).await }).await
    }

    /// A raw API call for endpoints the engine does not wrap.
    #[napi(catch_unwind)]
    pub async fn api_request(
        &self,
        method: String,
        path: Vec<String>,
        query: Option<Value>,
        body: Option<Value>,
    ) -> napi::Result<js::Value> {
        guard(async {
            Ok(crate::extras::api_request(&self.client, &method, path, query, body).await?.into())
        })
        .await
    }

    /// Uploads one local file or URL for a tool (`composio.files.upload`);
    /// returns `{name, mimetype, s3key}`.
    #[napi(catch_unwind)]
    pub async fn upload_file(
        &self,
        file: String,
        tool_slug: String,
        toolkit_slug: String,
    ) -> napi::Result<Value> {
        guard(async {
            let tool: composio_core::models::Tool = from_value(
                "file upload",
                json!({
                    "slug": tool_slug, "name": tool_slug, "description": "",
                    "toolkit": {"slug": toolkit_slug, "name": toolkit_slug},
                    "input_parameters": {"type": "object", "properties": {"file": {"type": "string", "file_uploadable": true}}},
                    "output_parameters": {"type": "object", "properties": {}},
                }),
            )?;
            let mut args = Map::new();
            args.insert("file".into(), Value::String(file));
            composio_core::files::upload_file_arguments(&self.client, &tool, &mut args).await?;
            Ok(args.shift_remove("file").unwrap_or(Value::Null))
        })
        .await
    }

    /// Downloads one file like `@composio/core`'s `files.download`; returns
    /// the local path (`<dir>/<toolSlug>_<ms><id>.<ext>`).
    #[napi(catch_unwind)]
    pub async fn download_file(
        &self,
        tool_slug: String,
        s3url: String,
        mimetype: String,
    ) -> napi::Result<String> {
        guard(async {
            let path =
                composio_core::files::download_file_ts(&self.client, &tool_slug, &s3url, &mimetype).await?;
            Ok(path.to_string_lossy().into_owned())
        })
        .await
    }
}

impl NativeComposio {
    fn rewrite_files(&self, tool: &mut composio_core::models::Tool) {
        if self.auto_files && self.client.custom_tools().get(&tool.slug).is_none() {
            composio_core::files::rewrite_file_schema(&mut tool.input_parameters);
        }
    }
}

#[napi]
impl NativeComposio {
    /// The base URL in use.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.config().base_url.clone()
    }

    /// Lists one page of tools (`GET /tools`), wire shape.
    #[napi(catch_unwind)]
    pub async fn list_tools(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("tools.list params", params, |o| {
                Ok(ToolListParams {
                    toolkit_slugs: o.strs("toolkit_slugs")?,
                    tool_slugs: o.strs("tool_slugs")?,
                    search: o.str("search")?,
                    tags: o.strs("tags")?,
                    scopes: o.strs("scopes")?,
                    auth_config_ids: o.strs("auth_config_ids")?,
                    important: o.bool("important")?,
                    include_deprecated: o.bool("include_deprecated")?,
                    limit: o.u32("limit")?,
                    cursor: o.str("cursor")?,
                    toolkit_versions: o
                        .value("toolkit_versions")
                        .map(convert::toolkit_versions)
                        .transpose()?,
                })
            })?;
            js::Value::of(&self.client.tools().list(&p).await?)
        })
        .await
    }

    /// Tools by slug and/or query with schema modifiers applied (wire
    /// shape; the TypeScript layer wraps them for the provider).
    #[napi(catch_unwind)]
    pub async fn get_tools(
        &self,
        params: Value,
        modify_schema: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
    ) -> napi::Result<js::Value> {
        guard(async {
            let p = get_tools_params(params)?;
            let mods = modifiers(modify_schema, None, None, declarative)?;
            let mut tools = self.client.tools().get(&p, &mods).await?;
            for t in &mut tools {
                self.rewrite_files(t);
            }
            js::Value::of(&tools)
        })
        .await
    }

    /// `tools.get` for a built-in (non-agentic) provider in one step: the
    /// engine's tools are formatted one by one straight into the result's
    /// JSON text, and a repeated query of pinned versions reuses that text
    /// (see [`crate::tools_text`]).
    #[napi(catch_unwind)]
    pub async fn get_tools_formatted(
        &self,
        params: Value,
        provider: Value,
        modify_schema: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
    ) -> napi::Result<crate::tools_text::Value> {
        guard(async {
            let p = get_tools_params(params)?;
            let spec = self::provider(provider)?;
            let mods = modifiers(modify_schema, None, None, declarative)?;
            let list = self.client.tools().get_list(&p, &mods).await?;
            crate::tools_text::formatted(&self.client, list, &spec, self.auto_files)
        })
        .await
    }

    /// One tool by slug (custom tools first, then `GET /tools/{slug}`),
    /// with schema modifiers applied.
    #[napi(catch_unwind)]
    pub async fn get_tool(
        &self,
        slug: String,
        version: Option<String>,
        modify_schema: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
    ) -> napi::Result<js::Value> {
        guard(async {
            let tool = self.client.tools().get_tool(&slug, version.as_deref()).await?;
            let mods = modifiers(modify_schema, None, None, declarative)?;
            let mut tool = mods.apply_schema(tool).await?;
            self.rewrite_files(&mut tool);
            js::Value::of(&tool)
        })
        .await
    }

    /// Executes a tool; `params` is the engine's execute parameters
    /// (`arguments`, `user_id`, ...). Returns the wire response.
    #[napi(catch_unwind)]
    pub async fn execute(
        &self,
        slug: String,
        params: Value,
        before: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        after: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
        before_file_upload: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
    ) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("tools.execute params", Some(params), |o| {
                Ok(ToolExecuteParams {
                    arguments: args_map(o.value("arguments"), "arguments")?,
                    user_id: o.str("user_id")?,
                    connected_account_id: o.str("connected_account_id")?,
                    custom_auth_params: o.value("custom_auth_params"),
                    custom_connection_data: o.value("custom_connection_data"),
                    version: o.str("version")?,
                    text: o.str("text")?,
                    dangerously_skip_version_check: o
                        .bool("dangerously_skip_version_check")?
                        .unwrap_or(false),
                    allow_tracing: o.bool("allow_tracing")?,
                })
            })?;
            let mods = exec_modifiers(before, after, declarative, before_file_upload, self.auto_files)?;
            js::Value::of(&self.client.tools().execute(&slug, p, &mods).await?)
        })
        .await
    }

    /// `POST /tools/execute/proxy` with the engine's proxy parameters.
    #[napi(catch_unwind)]
    pub async fn proxy(&self, params: Value) -> napi::Result<js::Value> {
        guard(async {
            let p: ProxyParams = from_value("proxyExecute params", params)?;
            js::Value::of(&self.client.tools().proxy(p).await?)
        })
        .await
    }

    /// Registers a custom tool (`{slug, name, description,
    /// input_parameters, output_parameters?, toolkit?}`) whose `execute`
    /// is the wrapped JavaScript function.
    #[napi(catch_unwind)]
    pub fn register_custom_tool(
        &self,
        definition: Value,
        execute: ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>,
    ) -> napi::Result<Value> {
        guard_sync(|| {
            let tool = Opts::read("custom tool", Some(definition), |o| {
                read_custom_tool(o, Some("toolkit"), JsCustomTool::new(execute))
            })?;
            let wire = to_value(&tool.to_tool())?;
            self.client.register_custom_tool(tool)?;
            Ok(wire)
        })
    }

    /// Removes a custom tool (releasing its callback); returns whether it
    /// existed.
    #[napi]
    pub fn remove_custom_tool(&self, slug: String) -> bool {
        self.client.custom_tools().remove(&slug)
    }

    /// Executes every tool call of a model response and formats the
    /// results like the TypeScript provider's `handleToolCalls`.
    #[allow(clippy::too_many_arguments)]
    #[napi(catch_unwind)]
    pub async fn handle_tool_calls(
        &self,
        user_id: String,
        provider: Value,
        response: Value,
        options: Option<Value>,
        before: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        after: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
        before_file_upload: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
    ) -> napi::Result<js::Value> {
        guard(async {
            let p = self::provider(provider)?;
            let opts = Opts::read("handleToolCalls options", options, |o| {
                Ok(HandleToolCallsOptions {
                    connected_account_id: o.str("connected_account_id")?,
                    custom_auth_params: o.value("custom_auth_params"),
                    custom_connection_data: o.value("custom_connection_data"),
                })
            })?;
            let mods = exec_modifiers(before, after, declarative, before_file_upload, self.auto_files)?;
            let executor = providers::ClientToolCallExecutor::new(&self.client, &user_id, opts, mods);
            Ok(providers::handle_tool_calls(&executor, &p, &response, Flavor::TypeScript).await?.into())
        })
        .await
    }

    /// Creates a tool-router session (`config` in the engine's snake_case
    /// input shape). `local_tools` (`{custom_tools, custom_toolkits}`, see
    /// [`crate::session::add_local_tools`]) run through `dispatch`.
    #[napi(catch_unwind)]
    pub async fn create_session(
        &self,
        user_id: String,
        config: Option<Value>,
        local_tools: Option<Value>,
        dispatch: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
    ) -> napi::Result<NativeSession> {
        guard(async {
            let mut config: SessionConfig = match config {
                None | Some(Value::Null) => SessionConfig::default(),
                Some(v) => from_value("session config", v)?,
            };
            match (local_tools, dispatch) {
                (Some(defs), Some(f)) if !defs.is_null() => {
                    crate::session::add_local_tools(&mut config, defs, f)?
                }
                (Some(defs), None) if !defs.is_null() => {
                    return Err(invalid("session custom tools need an execute dispatcher"))
                }
                _ => {}
            }
            let session = self.client.create_session(&user_id, config).await?;
            Ok(NativeSession { inner: session, auto_files: self.auto_files })
        })
        .await
    }

    /// Deletes a session by id (`DELETE tool_router/session/{id}`).
    #[napi(catch_unwind)]
    pub async fn delete_session(&self, session_id: String) -> napi::Result<js::Value> {
        guard(async { js::Value::of(&self.client.delete_session(&session_id).await?) }).await
    }

    /// Restores a session by id.
    #[napi(catch_unwind)]
    pub async fn use_session(&self, session_id: String) -> napi::Result<NativeSession> {
        guard(async {
            Ok(NativeSession {
                inner: self.client.use_session(&session_id).await?,
                auto_files: self.auto_files,
            })
        })
        .await
    }

    /// Polls a connected account until it is ACTIVE (default 60 s).
    #[napi(catch_unwind)]
    pub async fn wait_for_connection(&self, id: String, timeout_ms: Option<f64>) -> napi::Result<Value> {
        guard(async {
            let timeout = match timeout_ms {
                Some(ms) if ms.is_finite() && ms >= 0.0 => Duration::from_millis(ms as u64),
                Some(ms) => return Err(invalid(format!("timeout must be a non-negative number, got {ms}"))),
                None => DEFAULT_WAIT_TIMEOUT,
            };
            to_value(&self.client.connected_accounts().wait_for_connection(&id, timeout).await?)
        })
        .await
    }

    // ----- toolkits -----

    /// `GET /toolkits` (one page).
    #[napi(catch_unwind)]
    pub async fn list_toolkits(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("toolkits.get query", params, |o| {
                Ok(ToolkitListParams {
                    category: o.str("category")?,
                    managed_by: o.str("managed_by")?,
                    sort_by: o.str("sort_by")?,
                    search: o.str("search")?,
                    include_deprecated: o.bool("include_deprecated")?,
                    limit: o.u32("limit")?,
                    cursor: o.str("cursor")?,
                })
            })?;
            js::Value::of(&self.client.toolkits().list(&p).await?)
        })
        .await
    }

    /// `GET /toolkits/{slug}`.
    #[napi(catch_unwind)]
    pub async fn get_toolkit(&self, slug: String) -> napi::Result<js::Value> {
        guard(async { js::Value::of(&self.client.toolkits().get(&slug).await?) }).await
    }

    /// `GET /toolkits/categories`.
    #[napi(catch_unwind)]
    pub async fn list_toolkit_categories(&self) -> napi::Result<Value> {
        guard(async { to_value(&self.client.toolkits().list_categories().await?) }).await
    }

    /// Connects a user to a toolkit with its (possibly new) default auth config.
    #[napi(catch_unwind)]
    pub async fn authorize_toolkit(&self, user_id: String, toolkit: String) -> napi::Result<Value> {
        guard(async { Ok(connection_request(&self.client.toolkits().authorize(&user_id, &toolkit).await?)) })
            .await
    }

    /// Auth config creation (or connected account initiation) fields.
    #[napi(catch_unwind)]
    pub async fn toolkit_auth_fields(
        &self,
        toolkit: String,
        auth_scheme: String,
        required_only: bool,
        for_connected_account: bool,
    ) -> napi::Result<Value> {
        guard(async {
            let t = self.client.toolkits();
            let fields = if for_connected_account {
                t.get_connected_account_initiation_fields(&toolkit, &auth_scheme, required_only).await?
            } else {
                t.get_auth_config_creation_fields(&toolkit, &auth_scheme, required_only).await?
            };
            to_value(&fields)
        })
        .await
    }

    // ----- auth configs -----

    /// `POST /auth_configs`.
    #[napi(catch_unwind)]
    pub async fn create_auth_config(&self, toolkit: String, options: Option<Value>) -> napi::Result<Value> {
        guard(async {
            let create: AuthConfigCreate = match options {
                None | Some(Value::Null) => {
                    from_value("auth config options", json!({"type": "use_composio_managed_auth"}))?
                }
                Some(v) => from_value("auth config options", v)?,
            };
            to_value(&self.client.auth_configs().create(&toolkit, create).await?)
        })
        .await
    }

    /// `GET /auth_configs` (one page).
    #[napi(catch_unwind)]
    pub async fn list_auth_configs(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("authConfigs.list query", params, |o| {
                Ok(AuthConfigListParams {
                    toolkit_slug: o.str("toolkit_slug")?,
                    is_composio_managed: o.bool("is_composio_managed")?,
                    show_disabled: o.bool("show_disabled")?,
                    search: o.str("search")?,
                    limit: o.u32("limit")?,
                    cursor: o.str("cursor")?,
                })
            })?;
            js::Value::of(&self.client.auth_configs().list(&p).await?)
        })
        .await
    }

    /// `GET /auth_configs/{id}`.
    #[napi(catch_unwind)]
    pub async fn get_auth_config(&self, id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.auth_configs().get(&id).await?) }).await
    }

    /// `PATCH /auth_configs/{id}`.
    #[napi(catch_unwind)]
    pub async fn update_auth_config(&self, id: String, update: Value) -> napi::Result<Value> {
        guard(async {
            let u: AuthConfigUpdate = from_value("auth config update", update)?;
            self.client.auth_configs().update(&id, u).await
        })
        .await
    }

    /// Deletes, enables or disables an auth config (`action`: `delete`,
    /// `enable`, `disable`).
    #[napi(catch_unwind)]
    pub async fn auth_config_action(&self, id: String, action: String) -> napi::Result<Value> {
        guard(async {
            let a = self.client.auth_configs();
            match action.as_str() {
                "delete" => a.delete(&id).await,
                "enable" => a.enable(&id).await,
                "disable" => a.disable(&id).await,
                other => Err(invalid(format!("unknown auth config action {other:?}"))),
            }
        })
        .await
    }

    // ----- connected accounts -----

    /// Starts a connection (`initiate`); returns `{id, status, redirectUrl}`.
    #[napi(catch_unwind)]
    pub async fn initiate_connection(
        &self,
        user_id: String,
        auth_config_id: String,
        options: Option<Value>,
    ) -> napi::Result<Value> {
        guard(async {
            let opts = Opts::read("connectedAccounts.initiate options", options, |o| {
                Ok(InitiateOptions {
                    callback_url: o.str("callback_url")?,
                    allow_multiple: o.bool("allow_multiple")?.unwrap_or(false),
                    config: o.de("config")?,
                    alias: o.str("alias")?,
                })
            })?;
            let r = self.client.connected_accounts().initiate(&user_id, &auth_config_id, opts).await?;
            Ok(connection_request(&r))
        })
        .await
    }

    /// Creates a Connect Link; returns `{id, status, redirectUrl}`.
    #[napi(catch_unwind)]
    pub async fn link_connection(
        &self,
        user_id: String,
        auth_config_id: String,
        options: Option<Value>,
    ) -> napi::Result<Value> {
        guard(async {
            let opts = Opts::read("connectedAccounts.link options", options, |o| {
                Ok(LinkOptions {
                    callback_url: o.str("callback_url")?,
                    alias: o.str("alias")?,
                    connection_data: o.obj("connection_data")?,
                })
            })?;
            let r = self.client.connected_accounts().link(&user_id, &auth_config_id, opts).await?;
            Ok(connection_request(&r))
        })
        .await
    }

    /// `GET /connected_accounts/{id}`.
    #[napi(catch_unwind)]
    pub async fn get_connected_account(&self, id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.connected_accounts().get(&id).await?) }).await
    }

    /// `GET /connected_accounts` (one page).
    #[napi(catch_unwind)]
    pub async fn list_connected_accounts(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("connectedAccounts.list query", params, |o| {
                Ok(ConnectedAccountListParams {
                    user_ids: o.strs("user_ids")?,
                    toolkit_slugs: o.strs("toolkit_slugs")?,
                    auth_config_ids: o.strs("auth_config_ids")?,
                    connected_account_ids: o.strs("connected_account_ids")?,
                    statuses: o.strs("statuses")?,
                    order_by: o.str("order_by")?,
                    order_direction: o.str("order_direction")?,
                    limit: o.u32("limit")?,
                    cursor: o.str("cursor")?,
                })
            })?;
            js::Value::of(&self.client.connected_accounts().list(&p).await?)
        })
        .await
    }

    /// Deletes, enables or disables a connected account.
    #[napi(catch_unwind)]
    pub async fn connected_account_action(&self, id: String, action: String) -> napi::Result<Value> {
        guard(async {
            let a = self.client.connected_accounts();
            match action.as_str() {
                "delete" => to_value(&a.delete(&id).await?),
                "enable" => to_value(&a.enable(&id).await?),
                "disable" => to_value(&a.disable(&id).await?),
                other => Err(invalid(format!("unknown connected account action {other:?}"))),
            }
        })
        .await
    }

    /// `POST /connected_accounts/{id}/refresh`.
    #[napi(catch_unwind)]
    pub async fn refresh_connected_account(&self, id: String, options: Option<Value>) -> napi::Result<Value> {
        guard(async {
            let opts = Opts::read("connectedAccounts.refresh options", options, |o| {
                Ok(RefreshOptions {
                    redirect_url: o.str("redirect_url")?,
                    validate_credentials: o.bool("validate_credentials")?,
                })
            })?;
            to_value(&self.client.connected_accounts().refresh(&id, opts).await?)
        })
        .await
    }

    /// `PATCH /connected_accounts/{id}` (`{alias?, connection?: {state}}`).
    #[napi(catch_unwind)]
    pub async fn update_connected_account(&self, id: String, params: Value) -> napi::Result<Value> {
        guard(async {
            let mut o = Opts::new("connectedAccounts.update params", Some(params))?;
            let alias = o.str("alias")?;
            let state = o.de("state")?;
            o.finish()?;
            to_value(&self.client.connected_accounts().update(&id, alias, state).await?)
        })
        .await
    }

    // ----- triggers -----

    /// `GET /triggers_types` (one page).
    #[napi(catch_unwind)]
    pub async fn list_trigger_types(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("triggers.listTypes query", params, |o| {
                Ok(TriggerTypeListParams {
                    cursor: o.str("cursor")?,
                    limit: o.u32("limit")?,
                    toolkit_slugs: o.strs("toolkit_slugs")?,
                })
            })?;
            js::Value::of(&self.client.triggers().list_types(p).await?)
        })
        .await
    }

    /// `GET /triggers_types/{slug}`.
    #[napi(catch_unwind)]
    pub async fn get_trigger_type(&self, slug: String) -> napi::Result<js::Value> {
        guard(async { js::Value::of(&self.client.triggers().get_type(&slug).await?) }).await
    }

    /// `GET /triggers_types/list/enum`.
    #[napi(catch_unwind)]
    pub async fn list_trigger_enum(&self) -> napi::Result<Value> {
        guard(async { to_value(&self.client.triggers().list_enum().await?) }).await
    }

    /// Creates (upserts) a trigger instance.
    #[napi(catch_unwind)]
    pub async fn create_trigger(&self, slug: String, params: Value) -> napi::Result<Value> {
        guard(async {
            let p = Opts::read("triggers.create body", Some(params), |o| {
                Ok(TriggerCreateParams {
                    user_id: o.str("user_id")?,
                    connected_account_id: o.str("connected_account_id")?,
                    trigger_config: o.obj("trigger_config")?,
                })
            })?;
            to_value(&self.client.triggers().create(&slug, p).await?)
        })
        .await
    }

    /// Lists active trigger instances (one page).
    #[napi(catch_unwind)]
    pub async fn list_active_triggers(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("triggers.listActive query", params, |o| {
                Ok(TriggerListActiveParams {
                    trigger_ids: o.strs("trigger_ids")?,
                    trigger_names: o.strs("trigger_names")?,
                    auth_config_ids: o.strs("auth_config_ids")?,
                    connected_account_ids: o.strs("connected_account_ids")?,
                    user_ids: o.strs("user_ids")?,
                    show_disabled: o.bool("show_disabled")?,
                    limit: o.u32("limit")?,
                    cursor: o.str("cursor")?,
                })
            })?;
            js::Value::of(&self.client.triggers().list_active(p).await?)
        })
        .await
    }

    /// Enables, disables or deletes a trigger instance.
    #[napi(catch_unwind)]
    pub async fn trigger_action(&self, id: String, action: String) -> napi::Result<Value> {
        guard(async {
            let t = self.client.triggers();
            match action.as_str() {
                "enable" => to_value(&t.enable(&id).await?),
                "disable" => to_value(&t.disable(&id).await?),
                "delete" => to_value(&t.delete(&id).await?),
                other => Err(invalid(format!("unknown trigger action {other:?}"))),
            }
        })
        .await
    }
}
