//! A tool-router session as a native object.

use composio_core::models::{
    AuthorizeOptions, SessionProxyParams, SessionSearchParams, SessionToolkitsParams,
};
use std::sync::Arc;

use composio_core::custom_tools::CustomTool;
use composio_core::session_tools::SessionCustomToolkit;
use composio_core::{Result as CoreResult, Session, SessionConfig};
use napi_derive::napi;
use serde_json::Value;

use crate::callbacks::{JsCallback, JsCustomTool};
use crate::client::{args_map, connection_request, modifiers, read_custom_tool, to_value};
use crate::convert::{js, kind, Opts};
use crate::error::{guard, invalid};
use napi::bindgen_prelude::Promise;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;

/// One local tool definition (`{key, slug, name, description,
/// input_parameters, output_parameters?, extends_toolkit?}`).
fn local_tool(
    what: &str,
    def: Value,
    dispatch: &Arc<JsCallback>,
    allow_extends: bool,
) -> CoreResult<CustomTool> {
    Opts::read(what, Some(def), |o| {
        let key = o.str("key")?.ok_or_else(|| invalid(format!("{what}: key is required")))?;
        let preload = o.bool("preload")?;
        let handler = JsCustomTool::keyed(dispatch, key);
        let mut tool = read_custom_tool(o, allow_extends.then_some("extends_toolkit"), handler)?;
        tool.preload = preload;
        Ok(tool)
    })
}

/// Adds `{custom_tools, custom_toolkits}` definitions to a session
/// configuration, every tool running through `dispatch`.
pub fn add_local_tools(config: &mut SessionConfig, defs: Value, dispatch: JsCallback) -> CoreResult<()> {
    let dispatch = Arc::new(dispatch);
    let mut o = Opts::new("session custom tools", Some(defs))?;
    let tools = o.value("custom_tools");
    let toolkits = o.value("custom_toolkits");
    o.finish()?;
    for (i, def) in list(tools, "customTools")?.into_iter().enumerate() {
        config.custom_tools.push(local_tool(&format!("customTools[{i}]"), def, &dispatch, true)?);
    }
    for (i, def) in list(toolkits, "customToolkits")?.into_iter().enumerate() {
        let what = format!("customToolkits[{i}]");
        let mut o = Opts::new(&what, Some(def))?;
        let slug = o.str("slug")?.unwrap_or_default();
        let name = o.str("name")?.unwrap_or_default();
        let description = o.str("description")?.unwrap_or_default();
        let tools = o.value("tools");
        let preload = o.bool("preload")?;
        o.finish()?;
        let mut toolkit = SessionCustomToolkit::new(slug, name, description);
        toolkit.preload = preload;
        for (j, t) in list(tools, &format!("{what}.tools"))?.into_iter().enumerate() {
            toolkit = toolkit.with_tool(local_tool(&format!("{what}.tools[{j}]"), t, &dispatch, false)?);
        }
        config.custom_toolkits.push(toolkit);
    }
    Ok(())
}

fn list(v: Option<Value>, what: &str) -> CoreResult<Vec<Value>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(invalid(format!("{what} must be an array, got {}", kind(&other)))),
    }
}

/// A session bound to its client.
#[napi]
pub struct NativeSession {
    pub(crate) inner: Session,
    /// Automatic file handling (downloads of meta tool results).
    pub(crate) auto_files: bool,
}

#[napi]
impl NativeSession {
    /// The session id.
    #[napi(getter)]
    pub fn session_id(&self) -> String {
        self.inner.session_id.clone()
    }

    /// `{type, url, headers}` for MCP clients.
    #[napi(getter)]
    pub fn mcp(&self) -> napi::Result<Value> {
        serde_json::to_value(&self.inner.mcp).map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    /// The session's custom tools (`{slug, original_slug, name,
    /// description, toolkit, input_schema, output_schema}`), optionally of
    /// one toolkit.
    #[napi(catch_unwind)]
    pub fn custom_tools(&self, toolkit: Option<String>) -> napi::Result<Value> {
        crate::error::guard_sync(|| to_value(&self.inner.custom_tools(toolkit.as_deref())))
    }

    /// The session's custom toolkits with their tools (final slugs).
    #[napi(catch_unwind)]
    pub fn custom_toolkits(&self) -> napi::Result<Value> {
        crate::error::guard_sync(|| to_value(&self.inner.custom_toolkits()))
    }

    /// The meta tool slugs of the session.
    #[napi(getter)]
    pub fn tool_router_tools(&self) -> Vec<String> {
        self.inner.tool_router_tools()
    }

    /// The server's echo of the configuration (refreshed by `update`).
    #[napi(getter)]
    pub fn config(&self) -> Value {
        self.inner.config()
    }

    /// Experimental data of the session, if any.
    #[napi(getter)]
    pub fn experimental(&self) -> Option<Value> {
        self.inner.experimental()
    }

    /// The config version of the latest response (1 when the server sent
    /// none; refreshed by `update`).
    #[napi(getter)]
    pub fn config_version(&self) -> i64 {
        self.inner.config_version()
    }

    /// The session's meta tools (wire shape) with schema modifiers applied.
    #[napi(catch_unwind)]
    pub async fn tools(
        &self,
        modify_schema: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
    ) -> napi::Result<js::Value> {
        guard(async {
            let mods = modifiers(modify_schema, None, None, declarative)?;
            js::Value::of(&self.inner.tools(&mods).await?)
        })
        .await
    }

    /// `POST …/execute`: `{data, error, log_id}`.
    #[napi(catch_unwind)]
    pub async fn execute(&self, tool_slug: String, arguments: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let args = match arguments {
                None | Some(Value::Null) => None,
                v => Some(args_map(v, "arguments")?),
            };
            js::Value::of(&self.inner.execute(&tool_slug, args).await?)
        })
        .await
    }

    /// Executes a meta tool with modifiers (toolkit `composio`).
    #[napi(catch_unwind)]
    pub async fn execute_meta(
        &self,
        slug: String,
        arguments: Option<Value>,
        before: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        after: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
    ) -> napi::Result<js::Value> {
        guard(async {
            let args = args_map(arguments, "arguments")?;
            let before = crate::client::exec_modifiers(before, None, None, None, self.auto_files)?;
            let after = crate::client::modifiers(None, None, after, None)?;
            let client = self.inner.client();
            let mut response = self.inner.execute_meta(&slug, args, &before).await?;
            let data = std::mem::take(&mut response.data);
            response.data = crate::files::hydrate_if(client, self.auto_files, &slug, data).await;
            js::Value::of(&after.apply_after(&slug, "composio", response).await?)
        })
        .await
    }

    /// `POST …/search`.
    #[napi(catch_unwind)]
    pub async fn search(&self, params: Value) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("session.search params", Some(params), |o| {
                Ok(SessionSearchParams {
                    query: o.str("query")?.unwrap_or_default(),
                    model: o.str("model")?,
                    toolkits: o.strs("toolkits")?,
                })
            })?;
            js::Value::of(&self.inner.search(p).await?)
        })
        .await
    }

    /// `POST …/link`; returns `{id, status, redirectUrl}`.
    #[napi(catch_unwind)]
    pub async fn authorize(&self, toolkit: String, options: Option<Value>) -> napi::Result<Value> {
        guard(async {
            let mut o = Opts::new("session.authorize options", options)?;
            let opts = AuthorizeOptions { callback_url: o.str("callback_url")?, alias: o.str("alias")? };
            o.finish()?;
            Ok(connection_request(&self.inner.authorize(&toolkit, opts).await?))
        })
        .await
    }

    /// `GET …/toolkits` in the SDK shape.
    #[napi(catch_unwind)]
    pub async fn toolkits(&self, params: Option<Value>) -> napi::Result<js::Value> {
        guard(async {
            let p = Opts::read("session.toolkits options", params, |o| {
                Ok(SessionToolkitsParams {
                    toolkits: o.strs("toolkits")?,
                    cursor: o.str("cursor")?,
                    limit: o.u32("limit")?,
                    is_connected: o.bool("is_connected")?,
                    search: o.str("search")?,
                })
            })?;
            js::Value::of(&self.inner.toolkits(p).await?)
        })
        .await
    }

    /// `PATCH tool_router/session/{id}` with a wire-spelled patch (`null`
    /// removes a stored override; `expected_config_version` is the
    /// precondition); returns the updated config (the server's echo).
    #[napi(catch_unwind)]
    pub async fn update(&self, patch: Value) -> napi::Result<js::Value> {
        guard(async {
            let Value::Object(patch) = patch else {
                return Err(invalid(format!(
                    "session.update() config must be an object, got {}",
                    kind(&patch)
                )));
            };
            Ok(js::Value::from(self.inner.update(&patch).await?.into_config()))
        })
        .await
    }

    /// `GET …/config_history` (`limit` 1..=100).
    #[napi(catch_unwind)]
    pub async fn config_history(
        &self,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> napi::Result<js::Value> {
        guard(async { js::Value::of(&self.inner.config_history(cursor.as_deref(), limit).await?) }).await
    }

    /// `DELETE tool_router/session/{id}`.
    #[napi(catch_unwind)]
    pub async fn delete(&self) -> napi::Result<js::Value> {
        guard(async { js::Value::of(&self.inner.delete().await?) }).await
    }

    /// `POST …/proxy_execute`.
    #[napi(catch_unwind)]
    pub async fn proxy_execute(&self, params: Value) -> napi::Result<js::Value> {
        guard(async {
            let p: SessionProxyParams = serde_json::from_value(params)
                .map_err(|e| invalid(format!("session.proxyExecute params are invalid: {e}")))?;
            js::Value::of(&self.inner.proxy_execute(p).await?)
        })
        .await
    }
}
