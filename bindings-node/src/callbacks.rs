//! User callbacks (modifiers, custom tools) called from the engine.
//!
//! Each JavaScript function reaches Rust as a *weak* threadsafe function:
//! it never keeps the Node.js event loop alive, and it is released as soon
//! as the last Rust owner drops it (modifiers when the call that received
//! them finishes, custom tools when they are removed or the client is
//! collected).
//!
//! The TypeScript layer wraps every user function so that it is always
//! async and never throws: it resolves to `{ok: value}` or, when the user
//! code threw, to `{err: {id, message}}` where `id` names the thrown object
//! in the TypeScript error registry. The id travels through the engine in
//! `Error::Callback` and comes back to TypeScript, which rethrows the same
//! object.

use std::sync::Arc;

use async_trait::async_trait;
use composio_core::custom_tools::{CustomToolContext, CustomToolHandler};
use composio_core::models::{Tool, ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::{AfterExecute, BeforeExecute, SchemaModifier};
use composio_core::{CallbackError, Error as CoreError, Result as CoreResult};
use napi::bindgen_prelude::Promise;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;
use serde_json::{json, Map, Value};

use crate::error::JsErrorId;

/// A weak, non-throwing-by-contract JavaScript callback taking and
/// returning JSON.
pub type JsCallback = ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>;

/// Calls a wrapped user function and decodes its `{ok}` / `{err}` answer.
pub async fn invoke(f: &JsCallback, arg: Value) -> CoreResult<Value> {
    let promise = f.call_async_catch(arg).await.map_err(|e| {
        CoreError::Callback(CallbackError::new(format!("callback could not be called: {}", e.reason)))
    })?;
    let answer = promise
        .await
        .map_err(|e| CoreError::Callback(CallbackError::new(format!("callback failed: {}", e.reason))))?;
    decode(answer)
}

fn decode(answer: Value) -> CoreResult<Value> {
    let Value::Object(mut m) = answer else {
        return Err(CoreError::internal("callback wrapper returned a non-object"));
    };
    if let Some(err) = m.remove("err") {
        let message = err.get("message").and_then(Value::as_str).unwrap_or("callback failed").to_string();
        return Err(match err.get("id").and_then(Value::as_u64).and_then(|i| u32::try_from(i).ok()) {
            Some(id) => CoreError::Callback(CallbackError::with_payload(message, Arc::new(JsErrorId(id)))),
            None => CoreError::Callback(CallbackError::new(message)),
        });
    }
    Ok(m.remove("ok").unwrap_or(Value::Null))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, v: Value) -> CoreResult<T> {
    serde_json::from_value(v)
        .map_err(|e| CoreError::validation(format!("{what} returned an invalid value: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> CoreResult<Value> {
    serde_json::to_value(v)
        .map_err(|e| CoreError::internal(format!("could not serialise a callback argument: {e}")))
}

/// `modifySchema({toolSlug, toolkitSlug, schema})` (schema in wire shape;
/// the TypeScript wrapper converts to and from the SDK's camelCase tool).
pub struct JsSchemaModifier(pub JsCallback);

#[async_trait]
impl SchemaModifier for JsSchemaModifier {
    async fn modify_schema(&self, tool: &str, toolkit: &str, schema: Tool) -> CoreResult<Tool> {
        let arg = json!({ "toolSlug": tool, "toolkitSlug": toolkit, "schema": to_json(&schema)? });
        from_json("modifySchema", invoke(&self.0, arg).await?)
    }
}

/// `beforeExecute({toolSlug, toolkitSlug, params})`.
pub struct JsBeforeExecute(pub JsCallback);

#[async_trait]
impl BeforeExecute for JsBeforeExecute {
    async fn before_execute(
        &self,
        tool: &str,
        toolkit: &str,
        params: ToolExecuteParams,
    ) -> CoreResult<ToolExecuteParams> {
        let arg = json!({ "toolSlug": tool, "toolkitSlug": toolkit, "params": to_json(&params)? });
        from_json("beforeExecute", invoke(&self.0, arg).await?)
    }
}

/// `afterExecute({toolSlug, toolkitSlug, result})`.
pub struct JsAfterExecute(pub JsCallback);

#[async_trait]
impl AfterExecute for JsAfterExecute {
    async fn after_execute(
        &self,
        tool: &str,
        toolkit: &str,
        response: ToolExecuteResponse,
    ) -> CoreResult<ToolExecuteResponse> {
        let arg = json!({ "toolSlug": tool, "toolkitSlug": toolkit, "result": to_json(&response)? });
        from_json("afterExecute", invoke(&self.0, arg).await?)
    }
}

/// A custom tool's `execute`, called with
/// `{arguments, userId, connectedAccount, sessionId}` (plus `key` for
/// session custom tools); the TypeScript layer answers with the whole
/// result `{data, error, successful}`.
///
/// Session custom tools (`experimental_createTool`) of one session share
/// that session's dispatcher and are told apart by `key`.
pub struct JsCustomTool {
    callback: Arc<JsCallback>,
    key: Option<String>,
}

impl JsCustomTool {
    /// A classic custom tool with its own callback.
    pub fn new(callback: JsCallback) -> Self {
        Self { callback: Arc::new(callback), key: None }
    }

    /// One tool of a session's shared dispatcher.
    pub fn keyed(dispatch: &Arc<JsCallback>, key: String) -> Self {
        Self { callback: Arc::clone(dispatch), key: Some(key) }
    }
}

#[async_trait]
impl CustomToolHandler for JsCustomTool {
    async fn execute(&self, arguments: Map<String, Value>, ctx: CustomToolContext) -> CoreResult<Value> {
        Ok(self.execute_full(arguments, ctx).await?.data)
    }

    async fn execute_full(
        &self,
        arguments: Map<String, Value>,
        ctx: CustomToolContext,
    ) -> CoreResult<ToolExecuteResponse> {
        let mut arg = json!({
            "arguments": arguments,
            "userId": ctx.user_id,
            "connectedAccount": ctx.connected_account,
            "sessionId": ctx.session_id(),
        });
        if let (Some(key), Value::Object(m)) = (&self.key, &mut arg) {
            m.insert("key".into(), Value::String(key.clone()));
        }
        from_json("custom tool execute", invoke(&self.callback, arg).await?)
    }
}

/// `beforeFileUpload({path, source, toolSlug, toolkitSlug})`; the
/// TypeScript wrapper answers with the path to upload (it throws
/// `ComposioFileUploadAbortedError` itself when the user returned `false`).
pub struct JsBeforeFileUpload(pub JsCallback);

#[async_trait]
impl composio_core::files::BeforeFileUpload for JsBeforeFileUpload {
    async fn before_file_upload(
        &self,
        path: &str,
        source: &str,
        tool: &str,
        toolkit: &str,
    ) -> CoreResult<String> {
        let arg = json!({ "path": path, "source": source, "toolSlug": tool, "toolkitSlug": toolkit });
        from_json("beforeFileUpload", invoke(&self.0, arg).await?)
    }
}
