//! The client: one [`Composio`] per API key, cheap to clone and share
//! across tasks and threads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::config::ComposioConfig;
use crate::custom_tools::{CustomTool, CustomToolRegistry};
use crate::error::Result;
use crate::models::Tool;
use crate::tool_cache::PackedTool;
use crate::transport::Transport;

/// How many tool schemas of pinned versions are kept in memory.
const SCHEMA_CACHE_CAPACITY: usize = 20_000;

/// Tool schemas of pinned toolkit versions (which never change), keyed by
/// `(tool slug, version)`. `latest` is never cached.
///
/// Schemas are kept compressed ([`PackedTool`], shared with [`QueryCache`]
/// entries), not as decoded values: decoded schemas take several times the
/// memory of their text, and a cached schema is decoded only when a caller
/// needs it (one tool at a time, microseconds). Each entry also names its
/// toolkit, which is all an execution needs from a cached schema unless
/// automatic file handling is on.
#[derive(Debug, Default)]
pub(crate) struct SchemaCache {
    map: Mutex<HashMap<(String, String), CachedSchema>>,
}

/// One entry of the [`SchemaCache`].
#[derive(Debug, Clone)]
pub(crate) struct CachedSchema {
    /// The tool's toolkit slug.
    pub(crate) toolkit: Arc<str>,
    /// The tool's JSON text, compressed.
    pub(crate) packed: Arc<PackedTool>,
}

impl SchemaCache {
    /// A cached schema.
    pub(crate) fn get(&self, slug: &str, version: &str) -> Option<CachedSchema> {
        let map = self.map.lock().ok()?;
        map.get(&(slug.to_uppercase(), version.to_string())).cloned()
    }

    /// Caches a schema (`packed`, its compressed JSON text) unless its
    /// version is `latest` or unknown.
    pub(crate) fn insert(&self, tool: &Tool, packed: Arc<PackedTool>) {
        let Some(version) = tool.version.clone() else { return };
        if version == crate::config::LATEST || version.is_empty() {
            return;
        }
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= SCHEMA_CACHE_CAPACITY {
                map.clear();
            }
            let toolkit = Arc::from(tool.toolkit_slug());
            map.insert((tool.slug.to_uppercase(), version), CachedSchema { toolkit, packed });
        }
    }

    /// Number of cached schemas.
    pub(crate) fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }
}

/// How many list queries of pinned toolkit versions are kept.
const QUERY_CACHE_ENTRIES: usize = 32;
/// How many tools the cached list queries hold at most, summed.
const QUERY_CACHE_TOOLS: usize = 20_000;

/// One cached `tools.get` list query (see [`QueryCache`]).
#[derive(Debug)]
pub(crate) struct QueryEntry {
    /// The tools as the API sent them (duplicates removed), as compressed
    /// JSON text shared with the [`SchemaCache`].
    pub(crate) raw: Vec<Arc<PackedTool>>,
}

/// Results of `tools.get` list queries whose every toolkit is pinned to a
/// version (a pinned version's tools never change), keyed by the full query
/// as sent (filters and versions). Bounded by entries and by tools; the
/// least recently used entry goes first. `latest` is never cached.
#[derive(Debug, Default)]
pub(crate) struct QueryCache {
    map: Mutex<QueryMap>,
}

/// A list query as sent: its query parameters in order.
type QueryKey = Vec<(String, String)>;

#[derive(Debug, Default)]
struct QueryMap {
    /// Entries with the tick they were last used at.
    entries: HashMap<QueryKey, (Arc<QueryEntry>, u64)>,
    tick: u64,
    tools: usize,
}

impl QueryCache {
    /// A cached query result (marks it as recently used).
    pub(crate) fn get(&self, key: &[(String, String)]) -> Option<Arc<QueryEntry>> {
        let mut map = self.map.lock().ok()?;
        map.tick += 1;
        let tick = map.tick;
        let (entry, used) = map.entries.get_mut(key)?;
        *used = tick;
        Some(entry.clone())
    }

    /// Caches a query result, evicting least recently used entries to stay
    /// within the bounds. A result larger than the whole budget is not kept.
    pub(crate) fn insert(&self, key: QueryKey, entry: Arc<QueryEntry>) {
        let n = entry.raw.len();
        if n > QUERY_CACHE_TOOLS {
            return;
        }
        let Ok(mut map) = self.map.lock() else { return };
        if let Some((old, _)) = map.entries.remove(&key) {
            map.tools -= old.raw.len();
        }
        while !map.entries.is_empty()
            && (map.entries.len() >= QUERY_CACHE_ENTRIES || map.tools + n > QUERY_CACHE_TOOLS)
        {
            let oldest = map.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { break };
            if let Some((old, _)) = map.entries.remove(&oldest) {
                map.tools -= old.raw.len();
            }
        }
        map.tick += 1;
        let tick = map.tick;
        map.tools += n;
        map.entries.insert(key, (entry, tick));
    }

    /// Number of cached queries.
    pub(crate) fn len(&self) -> usize {
        self.map.lock().map(|m| m.entries.len()).unwrap_or(0)
    }
}

pub(crate) struct Inner {
    pub(crate) config: ComposioConfig,
    pub(crate) transport: Transport,
    pub(crate) custom_tools: CustomToolRegistry,
    pub(crate) schema_cache: SchemaCache,
    pub(crate) query_cache: QueryCache,
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
                query_cache: QueryCache::default(),
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

    /// How many `tools.get` list queries are cached (queries whose every
    /// toolkit is pinned to a version; see [`crate::tools::Tools::get_list`]).
    pub fn cached_query_count(&self) -> usize {
        self.inner.query_cache.len()
    }
}
