//! Saved Session configs (`/session_configs`, API v3.1): named access
//! policies (`sc_…`) built in the Composio Dashboard, read with
//! `@composio/core` 0.21's `composio.sessionConfigs.list/get`. The hosted
//! API answers 403 when Session configs are not enabled for the project.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//! use composio_core::session_configs::SessionConfigListParams;
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! let page = composio
//!     .session_configs()
//!     .list(SessionConfigListParams { search: Some("support".into()), ..Default::default() })
//!     .await?;
//! for item in &page.items {
//!     let saved = composio.session_configs().get(&item.id).await?;
//!     println!("{} {}", saved.name, saved.config);
//! }
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::transport::ApiRequest;
use crate::Composio;

/// Query of [`SessionConfigs::list`]; `None` leaves the server default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionConfigListParams {
    /// Case-insensitive substring of the name.
    pub search: Option<String>,
    /// `Some(true)`: only archived configs (default: only active ones).
    pub archived: Option<bool>,
    /// Page size (server default 20; the server caps it at 100).
    pub limit: Option<u32>,
    /// `next_cursor` of a previous page.
    pub cursor: Option<String>,
}

/// A saved Session config as listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSessionConfigSummary {
    /// `sc_…` id.
    pub id: String,
    /// Project-unique display name.
    #[serde(default)]
    pub name: String,
    /// Whether the config is archived.
    #[serde(default)]
    pub archived: bool,
    /// Creation time (ISO-8601).
    #[serde(default)]
    pub created_at: String,
    /// Last update time (ISO-8601).
    #[serde(default)]
    pub updated_at: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of [`SessionConfigs::list`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSessionConfigPage {
    /// The configs of this page.
    #[serde(default)]
    pub items: Vec<SavedSessionConfigSummary>,
    /// Cursor of the next page; `None` on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A saved Session config with its description and access policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSessionConfig {
    /// `sc_…` id.
    pub id: String,
    /// Project-unique display name.
    #[serde(default)]
    pub name: String,
    /// Description, if any.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether the config is archived.
    #[serde(default)]
    pub archived: bool,
    /// The access policy (`toolkits`, `tools`, `tags` in the backend's
    /// `enable`/`disable` shape), kept exactly as sent.
    #[serde(default)]
    pub config: Value,
    /// Creation time (ISO-8601).
    #[serde(default)]
    pub created_at: String,
    /// Last update time (ISO-8601).
    #[serde(default)]
    pub updated_at: String,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The saved Session configs API (`/session_configs`).
#[derive(Debug, Clone)]
pub struct SessionConfigs {
    client: Composio,
}

impl Composio {
    /// The saved Session configs API.
    pub fn session_configs(&self) -> SessionConfigs {
        SessionConfigs { client: self.clone() }
    }
}

impl SessionConfigs {
    /// Lists saved configs (`GET /session_configs`), one page at a time.
    /// A `limit` of 0 is an [`Error::Validation`].
    pub async fn list(&self, params: SessionConfigListParams) -> Result<SavedSessionConfigPage> {
        if params.limit == Some(0) {
            return Err(Error::validation("limit must be at least 1, got 0"));
        }
        let req = ApiRequest::get(["session_configs"])
            .query_opt("search", params.search)
            .query_opt("archived", params.archived)
            .query_opt("limit", params.limit)
            .query_opt("cursor", params.cursor);
        self.client.transport().json(&req).await
    }

    /// One saved config (`GET /session_configs/{id}`). An empty id is an
    /// [`Error::Validation`] (it would address the list).
    pub async fn get(&self, id: &str) -> Result<SavedSessionConfig> {
        if id.trim().is_empty() {
            return Err(Error::validation("Session config id must be a non-empty string"));
        }
        let req = ApiRequest::get(["session_configs", id]);
        self.client.transport().json(&req).await
    }
}
