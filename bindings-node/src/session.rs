//! A tool-router session as a native object.

use composio_core::models::{
    AuthorizeOptions, SessionProxyParams, SessionSearchParams, SessionToolkitsParams,
};
use composio_core::Session;
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::client::{connection_request, modifiers, to_value};
use crate::convert::{kind, Opts};
use crate::error::{guard, invalid};
use napi::bindgen_prelude::Promise;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;

/// A session bound to its client.
#[napi]
pub struct NativeSession {
    pub(crate) inner: Session,
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

    /// The meta tool slugs of the session.
    #[napi(getter)]
    pub fn tool_router_tools(&self) -> Vec<String> {
        self.inner.tool_router_tools.clone()
    }

    /// The server's echo of the configuration.
    #[napi(getter)]
    pub fn config(&self) -> Value {
        self.inner.config.clone()
    }

    /// Experimental data of the session, if any.
    #[napi(getter)]
    pub fn experimental(&self) -> Option<Value> {
        self.inner.experimental.clone()
    }

    /// The session's meta tools (wire shape) with schema modifiers applied.
    #[napi(catch_unwind)]
    pub async fn tools(
        &self,
        modify_schema: Option<ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>>,
        declarative: Option<Value>,
    ) -> napi::Result<Value> {
        guard(async {
            let mods = modifiers(modify_schema, None, None, declarative)?;
            to_value(&self.inner.tools(&mods).await?)
        })
        .await
    }

    /// `POST …/execute`: `{data, error, log_id}`.
    #[napi(catch_unwind)]
    pub async fn execute(&self, tool_slug: String, arguments: Option<Value>) -> napi::Result<Value> {
        guard(async {
            let args = match arguments {
                None | Some(Value::Null) => None,
                Some(Value::Object(m)) => Some(m),
                Some(other) => {
                    return Err(invalid(format!("arguments must be an object, got {}", kind(&other))))
                }
            };
            to_value(&self.inner.execute(&tool_slug, args).await?)
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
    ) -> napi::Result<Value> {
        guard(async {
            let args = match arguments {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m,
                Some(other) => {
                    return Err(invalid(format!("arguments must be an object, got {}", kind(&other))))
                }
            };
            let mods = modifiers(None, before, after, None)?;
            to_value(&self.inner.execute_meta(&slug, args, &mods).await?)
        })
        .await
    }

    /// `POST …/search`.
    #[napi(catch_unwind)]
    pub async fn search(&self, params: Value) -> napi::Result<Value> {
        guard(async {
            let mut o = Opts::new("session.search params", Some(params))?;
            let p = SessionSearchParams {
                query: o.str("query")?.unwrap_or_default(),
                model: o.str("model")?,
                toolkits: o.strs("toolkits")?,
            };
            o.finish()?;
            to_value(&self.inner.search(p).await?)
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
    pub async fn toolkits(&self, params: Option<Value>) -> napi::Result<Value> {
        guard(async {
            let mut o = Opts::new("session.toolkits options", params)?;
            let p = SessionToolkitsParams {
                toolkits: o.strs("toolkits")?,
                cursor: o.str("cursor")?,
                limit: o.u32("limit")?,
                is_connected: o.bool("is_connected")?,
                search: o.str("search")?,
            };
            o.finish()?;
            to_value(&self.inner.toolkits(p).await?)
        })
        .await
    }

    /// `POST …/proxy_execute`.
    #[napi(catch_unwind)]
    pub async fn proxy_execute(&self, params: Value) -> napi::Result<Value> {
        guard(async {
            let p: SessionProxyParams = serde_json::from_value(params)
                .map_err(|e| invalid(format!("session.proxyExecute params are invalid: {e}")))?;
            to_value(&self.inner.proxy_execute(p).await?)
        })
        .await
    }
}
