//! Native objects for the MCP servers API, webhook subscriptions and
//! realtime trigger subscriptions, plus raw API calls for the few
//! endpoints the engine does not wrap (`tools/enum`, `tools/.../input`).

use std::sync::Mutex;

use composio_core::models::{McpCreateParams, McpListParams, McpUpdateParams, WebhookVersion};
use composio_core::transport::ApiRequest;
use composio_core::triggers::TriggerSubscriptionFilters;
use composio_core::webhook_subscriptions::{WebhookSubscriptionSetParams, WebhookSubscriptionUpdateParams};
use composio_core::{Composio, Result as CoreResult};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use serde_json::Value;

use crate::client::to_value;
use crate::convert::Opts;
use crate::error::{guard, guard_sync, invalid};

fn de<T: serde::de::DeserializeOwned>(what: &str, v: Option<Value>) -> CoreResult<T> {
    let v = match v {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(v) => v,
    };
    serde_json::from_value(v).map_err(|e| invalid(format!("{what} is invalid: {e}")))
}

/// The required `webhook_url` of a subscription body.
fn required_url(o: &mut Opts) -> CoreResult<String> {
    o.str("webhook_url")?.ok_or_else(|| invalid("webhookUrl is required"))
}

/// `enabled_events` (a list of strings) and `version` of a subscription body.
fn events_and_version(o: &mut Opts) -> CoreResult<(Option<Vec<String>>, Option<WebhookVersion>)> {
    let events = o.value("enabled_events").map(|v| de("enabledEvents", Some(v))).transpose()?;
    Ok((events, version(o.str("version")?)?))
}

fn version(v: Option<String>) -> CoreResult<Option<WebhookVersion>> {
    v.map(|s| match s.to_ascii_uppercase().as_str() {
        "V1" => Ok(WebhookVersion::V1),
        "V2" => Ok(WebhookVersion::V2),
        "V3" => Ok(WebhookVersion::V3),
        _ => Err(invalid(format!("webhook version must be V1, V2 or V3, got {s:?}"))),
    })
    .transpose()
}

/// A raw API request: `method` (GET, POST, PATCH, DELETE), path segments
/// under the API prefix, optional query object (string values) and JSON body.
pub async fn api_request(
    client: &Composio,
    method: &str,
    path: Vec<String>,
    query: Option<Value>,
    body: Option<Value>,
) -> CoreResult<Value> {
    if path.is_empty() || path.iter().any(|s| s.is_empty()) {
        return Err(invalid("request path segments must be non-empty"));
    }
    let mut req = match method {
        "GET" => ApiRequest::get(path),
        "POST" => ApiRequest::post(path),
        "PATCH" => ApiRequest::patch(path),
        "DELETE" => ApiRequest::delete(path),
        other => return Err(invalid(format!("unsupported method {other:?}"))),
    };
    match query {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                match v {
                    Value::Null => {}
                    Value::String(s) => req = req.query(k, s),
                    other => req = req.query(k, other.to_string()),
                }
            }
        }
        Some(_) => return Err(invalid("query must be an object")),
    }
    if let Some(b) = body {
        req = req.json_value(b);
    }
    client.transport().json(&req).await
}

/// `composio.mcp` on the engine.
#[napi]
pub struct NativeMcp {
    pub(crate) client: Composio,
}

#[napi]
impl NativeMcp {
    /// `POST mcp/servers/custom`; `params` is `{toolkits, allowed_tools?,
    /// manually_manage_connections?}` (toolkit entries: slugs or
    /// `{toolkit, auth_config_id}`).
    #[napi(catch_unwind)]
    pub async fn create(&self, name: String, params: Value) -> napi::Result<Value> {
        guard(async {
            let p: McpCreateParams = de("MCP create config", Some(params))?;
            to_value(&self.client.mcp().create(&name, p).await?.server)
        })
        .await
    }

    /// `GET mcp/servers`.
    #[napi(catch_unwind)]
    pub async fn list(&self, params: Option<Value>) -> napi::Result<Value> {
        guard(async {
            let p: McpListParams = de("MCP list options", params)?;
            to_value(&self.client.mcp().list(p).await?)
        })
        .await
    }

    /// `GET mcp/{id}`.
    #[napi(catch_unwind)]
    pub async fn get(&self, server_id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.mcp().get(&server_id).await?) }).await
    }

    /// `PATCH mcp/{id}`.
    #[napi(catch_unwind)]
    pub async fn update(&self, server_id: String, params: Value) -> napi::Result<Value> {
        guard(async {
            let p: McpUpdateParams = de("MCP update config", Some(params))?;
            to_value(&self.client.mcp().update(&server_id, p).await?)
        })
        .await
    }

    /// `DELETE mcp/{id}`.
    #[napi(catch_unwind)]
    pub async fn delete(&self, server_id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.mcp().delete(&server_id).await?) }).await
    }

    /// The server's URL for one user (`{id, name, type, url, user_id,
    /// allowed_tools, auth_configs}`).
    #[napi(catch_unwind)]
    pub async fn generate(
        &self,
        user_id: String,
        server_id: String,
        manually_manage_connections: Option<bool>,
    ) -> napi::Result<Value> {
        guard(async {
            to_value(&self.client.mcp().generate(&user_id, &server_id, manually_manage_connections).await?)
        })
        .await
    }
}

/// `composio.webhooks.subscriptions` on the engine.
#[napi]
pub struct NativeWebhookSubscriptions {
    pub(crate) client: Composio,
}

#[napi]
impl NativeWebhookSubscriptions {
    /// `POST webhook_subscriptions` (`{webhook_url, enabled_events, version?}`).
    #[napi(catch_unwind)]
    pub async fn create(&self, params: Value) -> napi::Result<Value> {
        guard(async {
            let (url, events, v) = Opts::read("webhook subscription", Some(params), |o| {
                Ok((required_url(o)?, o.strs("enabled_events")?, version(o.str("version")?)?))
            })?;
            to_value(&self.client.webhook_subscriptions().create(&url, events, v).await?)
        })
        .await
    }

    /// Creates or updates the project's subscription.
    #[napi(catch_unwind)]
    pub async fn set(&self, params: Value) -> napi::Result<Value> {
        guard(async {
            let (url, p) = Opts::read("webhook subscription", Some(params), |o| {
                let url = required_url(o)?;
                let (enabled_events, version) = events_and_version(o)?;
                Ok((url, WebhookSubscriptionSetParams { enabled_events, version }))
            })?;
            to_value(&self.client.webhook_subscriptions().set(&url, p).await?)
        })
        .await
    }

    /// `GET webhook_subscriptions`.
    #[napi(catch_unwind)]
    pub async fn list(&self, limit: Option<u32>, cursor: Option<String>) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_subscriptions().list(limit, cursor).await?) }).await
    }

    /// `GET webhook_subscriptions/{id}`.
    #[napi(catch_unwind)]
    pub async fn get(&self, id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_subscriptions().get(&id).await?) }).await
    }

    /// `PATCH webhook_subscriptions/{id}`.
    #[napi(catch_unwind)]
    pub async fn update(&self, id: String, params: Value) -> napi::Result<Value> {
        guard(async {
            let p = Opts::read("webhook subscription update", Some(params), |o| {
                let webhook_url = o.str("webhook_url")?;
                let (enabled_events, version) = events_and_version(o)?;
                Ok(WebhookSubscriptionUpdateParams { webhook_url, enabled_events, version })
            })?;
            to_value(&self.client.webhook_subscriptions().update(&id, p).await?)
        })
        .await
    }

    /// `DELETE webhook_subscriptions/{id}`.
    #[napi(catch_unwind)]
    pub async fn delete(&self, id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_subscriptions().delete(&id).await?) }).await
    }

    /// `POST webhook_subscriptions/{id}/rotate_secret`.
    #[napi(catch_unwind)]
    pub async fn rotate_secret(&self, id: String) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_subscriptions().rotate_secret(&id).await?) }).await
    }

    /// `GET webhook_subscriptions/event_types`.
    #[napi(catch_unwind)]
    pub async fn list_event_types(&self) -> napi::Result<Value> {
        guard(async { to_value(&self.client.webhook_subscriptions().list_event_types().await?) }).await
    }
}

/// A strong (event-loop-referencing) callback receiving TS-shaped trigger
/// events. Released on `unsubscribe`, so the process can exit.
pub type EventCallback = ThreadsafeFunction<Value, (), Value, Status, false, false>;

struct Running {
    sub: composio_core::triggers::TriggerSubscription,
    task: tokio::task::JoinHandle<()>,
}

/// A realtime trigger subscription.
#[napi]
pub struct NativeTriggerSubscription {
    running: Mutex<Option<Running>>,
}

/// Subscribes to the project's trigger events; `callback` gets each event
/// in `@composio/core`'s shape (filtering is done by the caller).
pub async fn subscribe(client: &Composio, callback: EventCallback) -> CoreResult<NativeTriggerSubscription> {
    let (sub, mut rx) = client.triggers().subscribe_channel(TriggerSubscriptionFilters::default()).await?;
    let task = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            let status = callback.call(event.to_ts_json(), ThreadsafeFunctionCallMode::NonBlocking);
            if status != Status::Ok {
                break;
            }
        }
        // `callback` drops here: the event loop reference is released.
    });
    Ok(NativeTriggerSubscription { running: Mutex::new(Some(Running { sub, task })) })
}

#[napi]
impl NativeTriggerSubscription {
    /// Stops the subscription and releases the callback. Idempotent.
    #[napi(catch_unwind)]
    pub fn unsubscribe(&self) -> napi::Result<()> {
        guard_sync(|| {
            let running = self.running.lock().map(|mut g| g.take()).unwrap_or(None);
            if let Some(r) = running {
                r.sub.stop();
                r.task.abort();
            }
            Ok(())
        })
    }

    /// Whether events are still being delivered.
    #[napi(getter)]
    pub fn is_alive(&self) -> bool {
        self.running.lock().map(|g| g.as_ref().is_some_and(|r| r.sub.is_alive())).unwrap_or(false)
    }
}
