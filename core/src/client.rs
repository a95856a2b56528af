//! The client: one [`Composio`] per API key, cheap to clone and share
//! across tasks and threads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::config::ComposioConfig;
use crate::custom_tools::{CustomTool, CustomToolRegistry};
use crate::error::Result;
use crate::models::Tool;
use crate::transport::Transport;

/// How many tool schemas of pinned versions are kept in memory.
const SCHEMA_CACHE_CAPACITY: usize = 20_000;

/// Tool schemas of pinned toolkit versions (which never change), keyed by
/// `(tool slug, version)`. `latest` is never cached.
#[derive(Debug, Default)]
pub(crate) struct SchemaCache {
    map: Mutex<HashMap<(String, String), Arc<Tool>>>,
}

impl SchemaCache {
    /// A cached schema.
    pub(crate) fn get(&self, slug: &str, version: &str) -> Option<Arc<Tool>> {
        let map = self.map.lock().ok()?;
        map.get(&(slug.to_uppercase(), version.to_string())).cloned()
    }

    /// Caches a schema unless its version is `latest` or unknown.
    pub(crate) fn insert(&self, tool: Arc<Tool>) {
        let Some(version) = tool.version.clone() else { return };
        if version == crate::config::LATEST || version.is_empty() {
            return;
        }
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= SCHEMA_CACHE_CAPACITY {
                map.clear();
            }
            map.insert((tool.slug.to_uppercase(), version), tool);
        }
    }

    /// Number of cached schemas.
    pub(crate) fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }
}

pub(crate) struct Inner {
    pub(crate) config: ComposioConfig,
    pub(crate) transport: Transport,
    pub(crate) custom_tools: CustomToolRegistry,
    pub(crate) schema_cache: SchemaCache,
}

/// The Composio client.
///
/// ```no_run
/// # async fn run() -> composio_core::Result<()> {
/// use composio_core::{Composio, ComposioConfig};
/// let composio = Composio::new(ComposioConfig::new("my-key"))?;
/// # let _ = composio; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Composio {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Composio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composio")
            .field("base_url", &self.inner.config.base_url)
            .field("api_prefix", &self.inner.config.api_prefix)
            .finish_non_exhaustive()
    }
}

impl Composio {
    /// Builds a client. Fails with [`crate::Error::MissingApiKey`] or
    /// [`crate::Error::InvalidConfig`] before any I/O.
    pub fn new(config: ComposioConfig) -> Result<Self> {
        let transport = Transport::new(&config)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                transport,
                custom_tools: CustomToolRegistry::default(),
                schema_cache: SchemaCache::default(),
            }),
        })
    }

    /// Builds a client from the environment (see [`ComposioConfig::from_env`]).
    pub fn from_env() -> Result<Self> {
        Self::new(ComposioConfig::from_env())
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &ComposioConfig {
        &self.inner.config
    }

    /// The HTTP transport (for raw API calls).
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The API key, for places that must hand it on (the session MCP
    /// headers). Never log it.
    pub fn api_key(&self) -> &str {
        self.inner.config.api_key.as_ref().map(|k| k.expose()).unwrap_or_default()
    }

    /// Registers a custom tool on this client.
    pub fn register_custom_tool(&self, tool: CustomTool) -> Result<()> {
        self.inner.custom_tools.register(tool)
    }

    /// The custom tools registered on this client.
    pub fn custom_tools(&self) -> &CustomToolRegistry {
        &self.inner.custom_tools
    }

    /// How many tool schemas are cached (pinned versions only).
    pub fn cached_schema_count(&self) -> usize {
        self.inner.schema_cache.len()
    }
}
