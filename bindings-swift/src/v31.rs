//! The v3.1 entry points of `@composio/core` 0.21: session attach
//! (`composio.use(id, {customTools, customToolkits})`), webhook endpoints,
//! saved session configs and raw API calls (`getClient()`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use composio_core::raw::RawRequest;
use composio_core::session_configs::SessionConfigListParams;

use crate::client::FfiComposio;
use crate::error::FfiResult;
use crate::json;
use crate::session::{FfiLocalTool, FfiLocalToolkit, FfiSession};

/// A query pair of [`FfiComposio::raw_request`].
#[derive(Debug, Clone, uniffi::Record)]
pub struct FfiQueryPair {
    /// Parameter name.
    pub key: String,
    /// Parameter value.
    pub value: String,
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiComposio {
    /// Restores a session and attaches session custom tools/toolkits to it
    /// (`POST tool_router/session/{id}/attach`); with none, a plain restore.
    pub async fn attach_session(
        &self,
        session_id: String,
        custom_tools: Vec<Arc<FfiLocalTool>>,
        custom_toolkits: Vec<Arc<FfiLocalToolkit>>,
    ) -> FfiResult<Arc<FfiSession>> {
        let tools = custom_tools.iter().map(|t| t.tool.clone()).collect();
        let kits = custom_toolkits.iter().map(|t| t.toolkit.clone()).collect();
        Ok(Arc::new(FfiSession::new(self.client.attach_session(&session_id, tools, kits).await?)))
    }

    /// `GET /webhook_endpoints` (JSON array of `{id, toolkit_slug, client_id}`).
    pub async fn webhook_endpoints_list(&self, toolkit_slug: Option<String>) -> FfiResult<String> {
        Ok(json::encode(&self.client.webhook_endpoints().list(toolkit_slug.as_deref()).await?)?)
    }

    /// `GET /webhook_endpoints/{nano_id}` (JSON).
    pub async fn webhook_endpoints_get(&self, nano_id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.webhook_endpoints().get(&nano_id).await?)?)
    }

    /// `POST /webhook_endpoints` (JSON).
    pub async fn webhook_endpoints_create(
        &self,
        toolkit_slug: String,
        client_id: String,
    ) -> FfiResult<String> {
        Ok(json::encode(&self.client.webhook_endpoints().create(&toolkit_slug, &client_id).await?)?)
    }

    /// `POST /webhook_endpoints/{nano_id}` (replace; `merge` = `PATCH`, update).
    pub async fn webhook_endpoints_set_data(
        &self,
        nano_id: String,
        data: HashMap<String, String>,
        merge: bool,
    ) -> FfiResult<String> {
        let data: BTreeMap<String, String> = data.into_iter().collect();
        let endpoints = self.client.webhook_endpoints();
        let out = if merge {
            endpoints.update(&nano_id, data).await?
        } else {
            endpoints.replace(&nano_id, data).await?
        };
        Ok(json::encode(&out)?)
    }

    /// `GET /session_configs` (JSON `{items, next_cursor}`).
    pub async fn session_configs_list(
        &self,
        search: Option<String>,
        archived: Option<bool>,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> FfiResult<String> {
        let params = SessionConfigListParams { search, archived, limit, cursor };
        Ok(json::encode(&self.client.session_configs().list(params).await?)?)
    }

    /// `GET /session_configs/{id}` (JSON).
    pub async fn session_configs_get(&self, id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.session_configs().get(&id).await?)?)
    }

    /// A raw API call; `body` is JSON. Returns the JSON answer.
    pub async fn raw_request(
        &self,
        method: String,
        path: String,
        query: Vec<FfiQueryPair>,
        body: Option<String>,
    ) -> FfiResult<String> {
        let mut request = RawRequest::new(method, path);
        request.query = query.into_iter().map(|p| (p.key, p.value)).collect();
        request.body = body.map(|b| json::parse("body", &b)).transpose()?;
        Ok(json::encode(&self.client.raw_request(request).await?)?)
    }
}
