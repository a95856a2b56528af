//! The `@composio/core` 0.21 entry points added on the engine's v3.1 APIs:
//! `composio.use(id, {customTools})` (session attach),
//! `composio.webhooks.endpoints`, `composio.sessionConfigs` and the raw
//! calls behind `composio.getClient()`.

use std::collections::BTreeMap;

use composio_core::raw::RawRequest;
use composio_core::session_configs::SessionConfigListParams;
use composio_core::{Composio, Result as CoreResult, SessionConfig};
use napi::bindgen_prelude::Promise;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;
use napi_derive::napi;
use serde_json::Value;

use crate::client::{to_value, NativeComposio};
use crate::error::{guard, invalid};
use crate::session::NativeSession;

use composio_core::error::json_kind as kind;

/// `{key: string}` setup fields of a webhook endpoint body.
fn setup_data(v: Value) -> CoreResult<BTreeMap<String, String>> {
    let Value::Object(m) = v else {
        return Err(invalid(format!("data must be an object, got {}", kind(&v))));
    };
    m.into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k, s)),
            other => Err(invalid(format!("data.{k} must be a string, got {}", kind(&other)))),
        })
        .collect()
}

#[napi]
impl NativeComposio {
    /// Restores a session and attaches session custom tools to it (`POST
    /// tool_router/session/{id}/attach`); `local_tools` is
    /// `{custom_tools, custom_toolkits}` as for `create_session` (each
    /// definition with its own `preload` flag). Without definitions this is
    /// `use_session` (a plain `GET`).
    #[napi(catch_unwind)]
    pub async fn attach_session(
        &self,
        session_id: String,
        local_tools: Value,
        dispatch: ThreadsafeFunction<Value, Promise<Value>, Value, Status, false, true>,
    ) -> napi::Result<NativeSession> {
        guard(async {
            let mut config = SessionConfig::default();
            crate::session::add_local_tools(&mut config, local_tools, dispatch)?;
            let session =
                self.client.attach_session(&session_id, config.custom_tools, config.custom_toolkits).await?;
            Ok(NativeSession { inner: session, auto_files: self.auto_upload_download_files() })
        })
        .await
    }

    /// The inbound webhook endpoints API.
    #[napi]
    pub fn webhook_endpoints(&self) -> NativeWebhookEndpoints {
        NativeWebhookEndpoints { client: self.client.clone() }
    }

    /// The saved Session configs API.
    #[napi]
    pub fn session_configs(&self) -> NativeSessionConfigs {
        NativeSessionConfigs { client: self.client.clone() }
    }

    /// A raw API call (`getClient()`): `method`, `path` (`/from/base` or
    /// `under/prefix`, optional `?query`), query object and JSON body.
    #[napi(catch_unwind)]
    pub async fn raw_request(
        &self,
        method: String,
        path: String,
        query: Option<Value>,
        body: Option<Value>,
    ) -> napi::Result<Value> {
        guard(async {
            let mut req = RawRequest::new(method, path);
            match query {
                None | Some(Value::Null) => {}
                Some(Value::Object(m)) => {
                    for (k, v) in m {
                        match v {
                            Value::Null => {}
                            Value::String(s) => req = req.query(k, s),
                            Value::Array(items) => {
                                for item in items {
                                    req = req.query(
                                        k.clone(),
                                        match item {
                                            Value::String(s) => s,
                                            other => other.to_string(),
                                        },
                                    );
                                }
                            }
                            other => req = req.query(k, other.to_string()),
                        }
                    }
                }
                Some(other) => return Err(invalid(format!("query must be an object, got {}", kind(&other)))),
            }
            if let Some(b) = body {
                req = req.body(b);
            }
            self.client.raw_request(req).await
        })
        .await
    }
}

/// `composio.webhooks.endpoints` on the engine.
#[napi]
pub struct NativeWebhookEndpoints {
    client: Composio,
}

#[napi]
impl NativeWebhookEndpoints {
    /// `GET webhook_endpoints` (`toolkit_slug` filter).
    #[napi(catch_unwind)]
    pub async fn list(&self, toolkit_slug: Option<String>) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_endpoints().list(toolkit_slug.as_deref()).await?) }).await
    }

    /// `GET webhook_endpoints/{nano_id}`.
    #[napi(catch_unwind)]
    pub async fn get(&self, nano_id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_endpoints().get(&nano_id).await?) }).await
    }

    /// `POST webhook_endpoints`.
    #[napi(catch_unwind)]
    pub async fn create(&self, toolkit_slug: String, client_id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_endpoints().create(&toolkit_slug, &client_id).await?) })
            .await
    }

    /// `POST webhook_endpoints/{nano_id}` (all required setup fields).
    #[napi(catch_unwind)]
    pub async fn replace(&self, nano_id: String, data: Value) -> napi::Result<Value> {
        guard(async {
            to_value(&self.client.webhook_endpoints().replace(&nano_id, setup_data(data)?).await?)
        })
        .await
    }

    /// `PATCH webhook_endpoints/{nano_id}` (merge).
    #[napi(catch_unwind)]
    pub async fn update(&self, nano_id: String, data: Value) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_endpoints().update(&nano_id, setup_data(data)?).await?) })
            .await
    }
}

/// `composio.sessionConfigs` on the engine.
#[napi]
pub struct NativeSessionConfigs {
    client: Composio,
}

#[napi]
impl NativeSessionConfigs {
    /// `GET session_configs`.
    #[napi(catch_unwind)]
    pub async fn list(
        &self,
        search: Option<String>,
        archived: Option<bool>,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> napi::Result<Value> {
        guard(async {
            let params = SessionConfigListParams { search, archived, limit, cursor };
            to_value(&self.client.session_configs().list(params).await?)
        })
        .await
    }

    /// `GET session_configs/{id}`.
    #[napi(catch_unwind)]
    pub async fn get(&self, id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.session_configs().get(&id).await?) }).await
    }
}
