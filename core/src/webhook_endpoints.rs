//! Inbound webhook endpoints (`/webhook_endpoints`, API v3.1): the ingress
//! URL Composio exposes for one toolkit + OAuth app (`client_id`) pair, which
//! you register with the third-party provider so it can push events to
//! Composio. This is `@composio/core` 0.21's `composio.webhooks.endpoints`.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use std::collections::BTreeMap;
//! use composio_core::{Composio, ComposioConfig};
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! let endpoint = composio.webhook_endpoints().create("slack", "my-slack-app-client-id").await?;
//! println!("register {} with Slack", endpoint.webhook_url);
//! let data = BTreeMap::from([("signing_secret".to_string(), "from-slack".to_string())]);
//! composio.webhook_endpoints().replace(&endpoint.id, data).await?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::transport::ApiRequest;
use crate::Composio;

/// A webhook endpoint as listed (`GET /webhook_endpoints`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpointSummary {
    /// Endpoint nano id (`we_…`).
    pub id: String,
    /// The toolkit the endpoint is for.
    #[serde(default)]
    pub toolkit_slug: String,
    /// The OAuth app's client id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A webhook endpoint with its URL and (masked) setup fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    /// Endpoint nano id (`we_…`).
    pub id: String,
    /// The toolkit the endpoint is for.
    #[serde(default)]
    pub toolkit_slug: String,
    /// The OAuth app's client id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The inbound URL to register with the provider.
    #[serde(default)]
    pub webhook_url: String,
    /// Configured setup fields, secret values masked by the server; `None`
    /// until configured.
    #[serde(default)]
    pub data: Option<BTreeMap<String, String>>,
    /// Creation time (ISO-8601).
    #[serde(default)]
    pub created_at: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct EndpointList {
    #[serde(default)]
    items: Vec<WebhookEndpointSummary>,
}

/// The webhook endpoints API (`/webhook_endpoints`).
#[derive(Debug, Clone)]
pub struct WebhookEndpoints {
    client: Composio,
}

impl Composio {
    /// The inbound webhook endpoints API.
    pub fn webhook_endpoints(&self) -> WebhookEndpoints {
        WebhookEndpoints { client: self.clone() }
    }
}

fn require(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(format!("{what} must not be empty")));
    }
    Ok(())
}

fn data_body(data: BTreeMap<String, String>) -> Result<Value> {
    if let Some(key) = data.keys().find(|k| k.trim().is_empty()) {
        return Err(Error::validation(format!("setup field names must not be empty (got {key:?})")));
    }
    Ok(serde_json::json!({ "data": data }))
}

impl WebhookEndpoints {
    /// Lists endpoints (`GET /webhook_endpoints`), only those of
    /// `toolkit_slug` when given.
    pub async fn list(&self, toolkit_slug: Option<&str>) -> Result<Vec<WebhookEndpointSummary>> {
        let req = ApiRequest::get(["webhook_endpoints"]).query_opt("toolkit_slug", toolkit_slug);
        let list: EndpointList = self.client.transport().json(&req).await?;
        Ok(list.items)
    }

    /// One endpoint (`GET /webhook_endpoints/{nano_id}`).
    pub async fn get(&self, nano_id: &str) -> Result<WebhookEndpoint> {
        require("webhook endpoint id", nano_id)?;
        let req = ApiRequest::get(["webhook_endpoints", nano_id]);
        self.client.transport().json(&req).await
    }

    /// Creates the endpoint of a toolkit + OAuth app pair (`POST
    /// /webhook_endpoints`); the server returns the existing one when the
    /// pair has one already.
    pub async fn create(&self, toolkit_slug: &str, client_id: &str) -> Result<WebhookEndpoint> {
        require("toolkit_slug", toolkit_slug)?;
        require("client_id", client_id)?;
        let body = serde_json::json!({"toolkit_slug": toolkit_slug, "client_id": client_id});
        let req = ApiRequest::post(["webhook_endpoints"]).json_value(body);
        self.client.transport().json(&req).await
    }

    /// Sets every setup field (`POST /webhook_endpoints/{nano_id}`, put
    /// semantics): all required fields of the toolkit must be given.
    pub async fn replace(&self, nano_id: &str, data: BTreeMap<String, String>) -> Result<WebhookEndpoint> {
        require("webhook endpoint id", nano_id)?;
        let req = ApiRequest::post(["webhook_endpoints", nano_id]).json_value(data_body(data)?);
        self.client.transport().json(&req).await
    }

    /// Merges setup fields (`PATCH /webhook_endpoints/{nano_id}`); omitted
    /// fields are kept.
    pub async fn update(&self, nano_id: &str, data: BTreeMap<String, String>) -> Result<WebhookEndpoint> {
        require("webhook endpoint id", nano_id)?;
        let req = ApiRequest::patch(["webhook_endpoints", nano_id]).json_value(data_body(data)?);
        self.client.transport().json(&req).await
    }
}
