//! Tools: list, get, execute and proxy (wire contract §3), toolkit version
//! resolution, the pinned-schema cache and local custom tools.
//!
//! # Versions and the schema cache
//!
//! The version a tool runs at is, in order: the call's `version`, the
//! configured global version, the configured per-toolkit version, else
//! `latest` (see [`ToolkitVersions`]). Schemas of pinned versions never
//! change, so they are cached (bounded) per `(slug, version)`; `latest` is
//! never served from the cache.
//!
//! [`Tools::execute`] needs the schema only when the version depends on the
//! toolkit (a per-toolkit version map and no explicit version), when
//! automatic file handling is on, or when a before/after-execute modifier
//! needs the toolkit slug (callback modifiers receive it; declarative ones
//! only need it when they filter by toolkit). Otherwise it sends only the
//! `POST`. With a pinned version and a warm cache an execution is exactly one
//! request; a cold one is at most a `GET /tools/{slug}` and the `POST`.
//!
//! # Custom tools
//!
//! Tools registered with [`Composio::register_custom_tool`] are answered
//! locally by [`Tools::get`], [`Tools::get_tool`] and [`Tools::execute`]
//! (arguments are validated against their input schema first; the version
//! guard and file handling do not apply to them).

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::client::{CachedSchema, QueryEntry};
use crate::config::{ToolkitVersions, LATEST};
use crate::custom_tools::{CustomTool, CustomToolContext};
use crate::error::{Error, Result};
use crate::files;
use crate::models::{Page, Tool, ToolExecuteParams, ToolExecuteResponse};
use crate::modifiers::{ModifierKind, Modifiers};
use crate::tool_cache::{ListPacker, PackedTool};
use crate::transport::ApiRequest;
use crate::Composio;

impl Composio {
    /// The tools API.
    pub fn tools(&self) -> Tools {
        Tools { client: self.clone() }
    }
}

/// The tools API: list, get, execute, proxy.
#[derive(Debug, Clone)]
pub struct Tools {
    client: Composio,
}

/// Filters of [`Tools::list`] (`GET /tools`), sent as given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolListParams {
    /// Toolkit slugs (wire `toolkit_slug`, comma-joined).
    pub toolkit_slugs: Vec<String>,
    /// Tool slugs (wire `tool_slugs`, comma-joined; overrides other filters
    /// server-side).
    pub tool_slugs: Vec<String>,
    /// Free-text search.
    pub search: Option<String>,
    /// Tags (comma-joined).
    pub tags: Vec<String>,
    /// OAuth scopes (comma-joined).
    pub scopes: Vec<String>,
    /// Auth config ids (comma-joined).
    pub auth_config_ids: Vec<String>,
    /// Only important tools (`"true"`/`"false"`).
    pub important: Option<bool>,
    /// Include deprecated tools (the server's default is true).
    pub include_deprecated: Option<bool>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Toolkit versions to read at; the client's configuration when `None`.
    pub toolkit_versions: Option<ToolkitVersions>,
}

/// What [`Tools::get`] fetches. At least one of `tools`, `toolkits`,
/// `search` or `auth_config_ids` is required.
///
/// `tools` are fetched by slug (custom tools and cached pinned schemas are
/// answered locally). `toolkits`, `search` and `auth_config_ids` form a
/// second query to which `scopes`, `tags`, `limit` and `important` apply.
/// Like the official Python SDK, giving both `tools` and a query makes two
/// requests whose results are concatenated (duplicates removed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GetToolsParams {
    /// Tool slugs.
    pub tools: Vec<String>,
    /// Toolkit slugs.
    pub toolkits: Vec<String>,
    /// Free-text search.
    pub search: Option<String>,
    /// OAuth scopes (query filter).
    pub scopes: Vec<String>,
    /// Tags (query filter).
    pub tags: Vec<String>,
    /// Page size of the query.
    pub limit: Option<u32>,
    /// Auth config ids.
    pub auth_config_ids: Vec<String>,
    /// Only important tools (query filter).
    pub important: Option<bool>,
    /// Toolkit versions to read at; the client's configuration when `None`.
    pub toolkit_versions: Option<ToolkitVersions>,
}

/// Tools returned by [`Tools::get_list`]: cheap to clone.
///
/// A list served from the client's query cache ([`ToolList::is_cached`])
/// holds the cached entry and decodes its tools only when
/// [`ToolList::tools`] is called, so a caller that already converted this
/// very list (see [`ToolList::key`]) pays nothing for it.
#[derive(Debug, Clone)]
pub struct ToolList {
    tools: Option<Arc<[Arc<Tool>]>>,
    entry: Option<Arc<QueryEntry>>,
    auto_files: bool,
}

impl ToolList {
    /// The tools, in the order `tools.get` returns them (decoded from the
    /// cache when this list was served from it; fails only if a cached
    /// schema does not decode, which is an internal error).
    pub fn tools(&self) -> Result<Arc<[Arc<Tool>]>> {
        match (&self.tools, &self.entry) {
            (Some(t), _) => Ok(t.clone()),
            (None, Some(e)) => decode_entry(e, self.auto_files),
            (None, None) => Ok(Arc::from(Vec::new())),
        }
    }

    /// Number of tools.
    pub fn len(&self) -> usize {
        match (&self.tools, &self.entry) {
            (Some(t), _) => t.len(),
            (None, Some(e)) => e.raw.len(),
            (None, None) => 0,
        }
    }

    /// Whether there are no tools.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether this is the client's cached result of the query: the same
    /// call returns the same list (see [`ToolList::same_list`]) until the
    /// bounded cache evicts it. Its tools never change.
    pub fn is_cached(&self) -> bool {
        self.entry.is_some()
    }

    /// Whether both are the client's same cached result (equal lists fetched
    /// separately are not the same list).
    pub fn same_list(&self, other: &ToolList) -> bool {
        matches!((&self.entry, &other.entry), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
    }

    /// For a cached list, a key that recognises later results of the same
    /// cached query without keeping the cached tools alive (a binding can
    /// keep its converted form of the list under it).
    pub fn key(&self) -> Option<CachedListKey> {
        self.entry.as_ref().map(|e| CachedListKey(Arc::downgrade(e)))
    }

    /// Calls `f` with each tool in order. A list served from the cache
    /// decodes each tool just before `f` sees it and drops it right after,
    /// so a large list is never decoded all at once.
    pub fn visit<E: From<Error>>(
        &self,
        mut f: impl FnMut(&Tool) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        match (&self.tools, &self.entry) {
            (Some(tools), _) => tools.iter().try_for_each(|t| f(t)),
            (None, Some(e)) => {
                let mut buf = Vec::new();
                e.raw.iter().try_for_each(|packed| {
                    let mut t = packed.decode_with(&mut buf)?;
                    if self.auto_files {
                        files::rewrite_file_schema(&mut t.input_parameters);
                    }
                    f(&t)
                })
            }
            (None, None) => Ok(()),
        }
    }

    /// The tools as a vector of shared tools.
    pub fn into_vec(self) -> Result<Vec<Arc<Tool>>> {
        Ok(self.tools()?.to_vec())
    }
}

/// Identifies one cached query result of [`Tools::get_list`] (see
/// [`ToolList::key`]). Holds no tools.
#[derive(Debug, Clone)]
pub struct CachedListKey(std::sync::Weak<QueryEntry>);

impl CachedListKey {
    /// Whether `list` is the cached result this key was taken from.
    pub fn matches(&self, list: &ToolList) -> bool {
        list.entry.as_ref().is_some_and(|e| std::ptr::eq(Arc::as_ptr(e), self.0.as_ptr()))
    }

    /// Whether the result is still cached or in use (once it is neither,
    /// no later call can return it and anything kept under the key can go).
    pub fn is_live(&self) -> bool {
        self.0.strong_count() > 0
    }
}

/// A cached entry's tools, decoded, with the file rewrite when `auto_files`.
fn decode_entry(entry: &QueryEntry, auto_files: bool) -> Result<Arc<[Arc<Tool>]>> {
    let mut out = Vec::with_capacity(entry.raw.len());
    let mut buf = Vec::new();
    for packed in &entry.raw {
        let t = Arc::new(packed.decode_with(&mut buf)?);
        out.push(if auto_files { file_rewritten(t) } else { t });
    }
    Ok(out.into())
}

struct QueryResult {
    /// Decoded tools as the API sent them (when just fetched).
    fetched: Option<Vec<Arc<Tool>>>,
    /// The cache entry, when cached.
    entry: Option<Arc<QueryEntry>>,
}

/// The tool with the automatic file handling's schema rewrite applied:
/// the same `Arc` when the rewrite changes nothing (no copy), else a
/// rewritten copy.
fn file_rewritten(tool: Arc<Tool>) -> Arc<Tool> {
    if !files::needs_file_rewrite(&tool.input_parameters) {
        return tool;
    }
    let mut t = Arc::try_unwrap(tool).unwrap_or_else(|t| (*t).clone());
    files::rewrite_file_schema(&mut t.input_parameters);
    Arc::new(t)
}

/// Where a proxy parameter goes (`in`; sent as the wire field `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyParameterIn {
    /// An HTTP header.
    Header,
    /// A query-string parameter.
    Query,
}

/// A header or query parameter added to a proxied request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyParameter {
    /// Parameter name.
    pub name: String,
    /// Header or query (`in`; wire `type`).
    #[serde(rename = "in", alias = "type")]
    pub location: ProxyParameterIn,
    /// Value.
    pub value: String,
}

impl ProxyParameter {
    /// A header parameter.
    pub fn header(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), location: ProxyParameterIn::Header, value: value.into() }
    }

    /// A query parameter.
    pub fn query(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), location: ProxyParameterIn::Query, value: value.into() }
    }
}

/// A binary request body for the proxy: fetched from a URL or given as
/// base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProxyBinaryBody {
    /// The body is downloaded from this URL by the API.
    Url {
        /// Where the bytes are.
        url: String,
        /// Content type to send.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
    },
    /// The body, base64-encoded.
    Base64 {
        /// The bytes, base64.
        base64: String,
        /// Content type to send.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
    },
}

/// A request made through a connected account's credentials
/// (`POST /tools/execute/proxy`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxyParams {
    /// Absolute URL, or a path relative to the connected account's base URL.
    pub endpoint: String,
    /// `GET`, `POST`, `PUT`, `DELETE`, `PATCH` or `HEAD` (any case).
    pub method: String,
    /// JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The connected account to authenticate with (the API's project
    /// default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_account_id: Option<String>,
    /// Extra headers and query parameters.
    #[serde(default)]
    pub parameters: Vec<ProxyParameter>,
    /// Credentials to use instead of a stored account
    /// (`{authScheme, toolkitSlug, val}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_connection_data: Option<Value>,
    /// A binary body instead of `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_body: Option<ProxyBinaryBody>,
}

impl ProxyParams {
    /// A request with this method and endpoint.
    pub fn new(method: impl Into<String>, endpoint: impl Into<String>) -> Self {
        Self { method: method.into(), endpoint: endpoint.into(), ..Self::default() }
    }
}

/// The proxied service's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxyResponse {
    /// HTTP status of the proxied call.
    #[serde(default)]
    pub status: u16,
    /// The response body (JSON or text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Map<String, Value>>,
    /// Where a binary response can be fetched (`{url, content_type, size,
    /// expires_at?}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_data: Option<Value>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The methods the proxy accepts.
pub const PROXY_METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

fn check_slug(what: &str, slug: &str) -> Result<()> {
    if slug.trim().is_empty() {
        return Err(Error::validation(format!("{what} must not be empty")));
    }
    Ok(())
}

fn check_list(name: &str, values: &[String]) -> Result<()> {
    for v in values {
        if v.trim().is_empty() {
            return Err(Error::validation(format!("{name} must not contain empty entries")));
        }
        if v.contains(',') {
            return Err(Error::validation(format!("{name} entry {v:?} must not contain ','")));
        }
    }
    Ok(())
}

fn check_limit(limit: Option<u32>) -> Result<()> {
    if limit == Some(0) {
        return Err(Error::validation("limit must be at least 1"));
    }
    Ok(())
}

/// Whether a before/after-execute modifier of this list needs the tool's
/// toolkit slug to run for `slug`.
fn modifiers_need_toolkit(modifiers: &Modifiers, slug: &str) -> bool {
    modifiers.iter().any(|m| {
        let unfiltered = m.filter.tools.is_empty() && m.filter.toolkits.is_empty();
        let tool_match = m.filter.tools.iter().any(|t| t.eq_ignore_ascii_case(slug));
        match &m.kind {
            ModifierKind::Schema(_) => false,
            ModifierKind::Declarative(_) => !m.filter.toolkits.is_empty() && !tool_match,
            ModifierKind::BeforeExecute(_) | ModifierKind::AfterExecute(_) => {
                unfiltered || tool_match || !m.filter.toolkits.is_empty()
            }
        }
    })
}

fn has_schema_stage(modifiers: &Modifiers) -> bool {
    modifiers.iter().any(|m| matches!(m.kind, ModifierKind::Schema(_) | ModifierKind::Declarative(_)))
}

impl Tools {
    /// One page of tools (`GET /tools`) with every filter; the configured
    /// toolkit versions are sent unless `params.toolkit_versions` overrides
    /// them.
    pub async fn list(&self, params: &ToolListParams) -> Result<Page<Tool>> {
        check_list("toolkit_slugs", &params.toolkit_slugs)?;
        check_list("tool_slugs", &params.tool_slugs)?;
        check_list("tags", &params.tags)?;
        check_list("scopes", &params.scopes)?;
        check_list("auth_config_ids", &params.auth_config_ids)?;
        check_limit(params.limit)?;
        let versions = params.toolkit_versions.as_ref().unwrap_or(&self.client.config().toolkit_versions);
        let req = ApiRequest::get(["tools"])
            .query_list("toolkit_slug", &params.toolkit_slugs)
            .query_list("tool_slugs", &params.tool_slugs)
            .query_opt("search", params.search.as_deref())
            .query_list("tags", &params.tags)
            .query_list("scopes", &params.scopes)
            .query_list("auth_config_ids", &params.auth_config_ids)
            .query_opt("important", params.important)
            .query_opt("include_deprecated", params.include_deprecated)
            .query_opt("limit", params.limit)
            .query_opt("cursor", params.cursor.as_deref())
            .query_pairs(versions.query_pairs());
        self.client.transport().json(&req).await
    }

    /// Tools by slug and/or by query (see [`GetToolsParams`]), with schema
    /// modifiers applied and, when automatic file handling is on, file
    /// arguments rewritten to path strings (§12.2).
    ///
    /// Requested slugs the API does not know are [`Error::NotFound`] (kind
    /// `tool`). The slug request sends `limit` = the number of slugs so no
    /// server page size truncates it.
    pub async fn get(&self, params: &GetToolsParams, modifiers: &Modifiers) -> Result<Vec<Tool>> {
        let shared = self.get_shared(params, modifiers).await?;
        // Tools nobody else holds (not cached) are moved out, not copied.
        Ok(shared.into_iter().map(|t| Arc::try_unwrap(t).unwrap_or_else(|t| (*t).clone())).collect())
    }

    /// [`Tools::get`] without copying schemas: cached tools of pinned
    /// versions are shared with the cache. When schema modifiers or the
    /// automatic file handling change a tool, that tool is a fresh copy.
    /// Feed the result to [`crate::providers::format_tool_refs`] to format
    /// with exactly one copy of each schema.
    pub async fn get_shared(&self, params: &GetToolsParams, modifiers: &Modifiers) -> Result<Vec<Arc<Tool>>> {
        self.get_list(params, modifiers).await?.into_vec()
    }

    /// [`Tools::get_shared`] as a [`ToolList`] that tells whether it is the
    /// client's cached result of this exact query.
    ///
    /// A query by `toolkits` (no `search`, no `auth_config_ids`) whose every
    /// toolkit resolves to a pinned version is cached after its first
    /// request: the same call again makes no request at all and returns the
    /// same cached list ([`ToolList::is_cached`], [`ToolList::same_list`],
    /// [`ToolList::key`]), so a binding can keep its converted form of it.
    /// Cached schemas are kept as compact JSON text and decoded on demand. `latest`
    /// is never cached, and results are cached only when every tool came
    /// back at the version the query resolves it to. The cache is bounded
    /// (32 queries, 20,000 tools, least recently used first). With schema
    /// modifiers, or with `tools` slugs alongside the query, the result is a
    /// fresh list (the query part still comes from the cache).
    pub async fn get_list(&self, params: &GetToolsParams, modifiers: &Modifiers) -> Result<ToolList> {
        let has_query = !params.toolkits.is_empty()
            || params.search.as_deref().is_some_and(|s| !s.trim().is_empty())
            || !params.auth_config_ids.is_empty();
        if params.tools.is_empty() && !has_query {
            return Err(Error::validation(
                "tools.get needs at least one of tools, toolkits, search or auth_config_ids",
            ));
        }
        check_list("tools", &params.tools)?;
        check_list("toolkits", &params.toolkits)?;
        check_list("scopes", &params.scopes)?;
        check_list("tags", &params.tags)?;
        check_list("auth_config_ids", &params.auth_config_ids)?;
        check_limit(params.limit)?;
        if !has_query {
            let mut stray = Vec::new();
            if !params.scopes.is_empty() {
                stray.push("scopes");
            }
            if !params.tags.is_empty() {
                stray.push("tags");
            }
            if params.limit.is_some() {
                stray.push("limit");
            }
            if params.important.is_some() {
                stray.push("important");
            }
            if !stray.is_empty() {
                return Err(Error::validation(format!(
                    "{} filter toolkit, search or auth_config_ids queries and cannot be used with tools alone",
                    stray.join(", ")
                )));
            }
        }
        let versions =
            params.toolkit_versions.clone().unwrap_or_else(|| self.client.config().toolkit_versions.clone());
        let mut found: Vec<Arc<Tool>> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();

        if !params.tools.is_empty() {
            let mut requested: Vec<&str> = Vec::new();
            for slug in &params.tools {
                if !requested.iter().any(|r| r.eq_ignore_ascii_case(slug)) {
                    requested.push(slug);
                }
            }
            let mut slots: Vec<Option<Arc<Tool>>> = requested
                .iter()
                .map(|slug| match self.client.inner.custom_tools.get(slug) {
                    Some(c) => Ok(Some(Arc::new(c.to_tool()))),
                    None => self.cached_pinned(slug, &versions, None),
                })
                .collect::<Result<_>>()?;
            let missing: Vec<String> = requested
                .iter()
                .zip(&slots)
                .filter(|(_, s)| s.is_none())
                .map(|(r, _)| r.to_string())
                .collect();
            if !missing.is_empty() {
                let req = ApiRequest::get(["tools"])
                    .query_list("tool_slugs", &missing)
                    .query("limit", missing.len().to_string())
                    .query_pairs(versions.query_pairs());
                let page: Page<Tool> = self.client.transport().json(&req).await?;
                let fetched: Vec<Arc<Tool>> = page.items.into_iter().map(Arc::new).collect();
                for t in &fetched {
                    self.cache_if_pinned(t, &versions, None);
                }
                for (slot, slug) in slots.iter_mut().zip(&requested) {
                    if slot.is_none() {
                        *slot = fetched.iter().find(|t| t.slug.eq_ignore_ascii_case(slug)).cloned();
                    }
                }
                let unknown: Vec<&str> =
                    requested.iter().zip(&slots).filter(|(_, s)| s.is_none()).map(|(r, _)| *r).collect();
                if !unknown.is_empty() {
                    return Err(Error::NotFound { kind: "tool", id: unknown.join(", ") });
                }
            }
            for t in slots.into_iter().flatten() {
                if seen.insert(t.slug.to_uppercase()) {
                    found.push(t);
                }
            }
        }

        let auto_files = self.client.config().auto_upload_download_files;
        let schema_stage = has_schema_stage(modifiers);
        if has_query {
            let result = self.query_tools(params, &versions).await?;
            if found.is_empty() && !schema_stage {
                let tools = match result.fetched {
                    Some(raw) if auto_files => Some(raw.into_iter().map(file_rewritten).collect()),
                    Some(raw) => Some(raw.into()),
                    None => None,
                };
                return Ok(ToolList { tools, entry: result.entry, auto_files });
            }
            let raw: Vec<Arc<Tool>> = match (result.fetched, &result.entry) {
                (Some(raw), _) => raw,
                (None, Some(e)) => decode_entry(e, false)?.to_vec(),
                (None, None) => Vec::new(),
            };
            for t in raw {
                if seen.insert(t.slug.to_uppercase()) {
                    found.push(t);
                }
            }
        }

        if !auto_files && !schema_stage {
            return Ok(ToolList { tools: Some(found.into()), entry: None, auto_files });
        }
        let mut out = Vec::with_capacity(found.len());
        for t in found {
            if !schema_stage {
                out.push(if auto_files { file_rewritten(t) } else { t });
                continue;
            }
            let t = Arc::try_unwrap(t).unwrap_or_else(|t| (*t).clone());
            let mut tool = modifiers.apply_schema(t).await?;
            if auto_files {
                files::rewrite_file_schema(&mut tool.input_parameters);
            }
            out.push(Arc::new(tool));
        }
        Ok(ToolList { tools: Some(out.into()), entry: None, auto_files })
    }

    /// The query part of [`Tools::get_list`]: from the query cache when
    /// every toolkit is pinned and the query was made before, else one
    /// `GET /tools` (cached when cacheable).
    async fn query_tools(&self, params: &GetToolsParams, versions: &ToolkitVersions) -> Result<QueryResult> {
        let req = ApiRequest::get(["tools"])
            .query_list("toolkit_slug", &params.toolkits)
            .query_opt("search", params.search.as_deref().filter(|s| !s.trim().is_empty()))
            .query_list("scopes", &params.scopes)
            .query_list("tags", &params.tags)
            .query_list("auth_config_ids", &params.auth_config_ids)
            .query_opt("important", params.important)
            .query_opt("limit", params.limit)
            .query_pairs(versions.query_pairs());
        // Only toolkit queries of pinned versions: a search's ranking and
        // auth configs can change, a pinned toolkit version cannot.
        let cacheable = !params.toolkits.is_empty()
            && params.search.as_deref().is_none_or(|s| s.trim().is_empty())
            && params.auth_config_ids.is_empty()
            && params.toolkits.iter().all(|tk| {
                let v = versions.resolve(tk, None);
                v != LATEST && !v.is_empty()
            });
        let cache = &self.client.inner.query_cache;
        if cacheable {
            if let Some(entry) = cache.get(req.query_params()) {
                return Ok(QueryResult { fetched: None, entry: Some(entry) });
            }
        }
        // Each tool's text is kept as sent, compressed, and decoded one at a
        // time (then dropped when the result is cached), so a large list
        // never exists fully decoded: the caches hold compressed text, and
        // callers decode on demand. The items are read in place from the
        // body (compressed straight from it, no copy of any item's text),
        // and the body is dropped as soon as the items are kept.
        let response = self.client.transport().send(&req).await?;
        let body: &[u8] =
            if response.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &response.body };
        let page: Page<&RawValue> = serde_json::from_slice(body).map_err(|e| Error::Decode {
            message: format!("response of HTTP {} is not the expected JSON: {e}", response.status),
            status: Some(response.status),
            request_id: Some(response.request_id.clone()),
        })?;
        let decode_err = |e: serde_json::Error| Error::Decode {
            message: format!("a tool in the GET /tools response is not a tool object: {e}"),
            status: Some(response.status),
            request_id: Some(response.request_id.clone()),
        };
        let mut seen: HashSet<String> = HashSet::with_capacity(page.items.len());
        let mut raw: Vec<Arc<Tool>> = Vec::new();
        let mut texts: Vec<Arc<PackedTool>> = Vec::with_capacity(page.items.len());
        let mut packer = ListPacker::new();
        let mut all_pinned = true;
        for item in page.items {
            let t: Tool = serde_json::from_str(item.get()).map_err(decode_err)?;
            let resolved = versions.resolve(t.toolkit_slug(), None);
            let pinned = resolved != LATEST && t.version.as_deref() == Some(resolved.as_str());
            all_pinned &= pinned;
            if !seen.insert(t.slug.to_uppercase()) {
                continue;
            }
            let keep_text = cacheable && all_pinned;
            if pinned || keep_text {
                let packed = Arc::new(packer.pack(item.get()));
                if pinned {
                    self.client.inner.schema_cache.insert(&t, packed.clone());
                }
                if keep_text {
                    texts.push(packed);
                    continue;
                }
            }
            // Not cacheable: keep the decoded tools (and those kept so far).
            for earlier in texts.drain(..) {
                raw.push(Arc::new(earlier.decode()?));
            }
            raw.push(Arc::new(t));
        }
        drop(response);
        if cacheable && all_pinned {
            let entry = Arc::new(QueryEntry { raw: texts });
            cache.insert(req.query_params().to_vec(), entry.clone());
            return Ok(QueryResult { fetched: None, entry: Some(entry) });
        }
        Ok(QueryResult { fetched: Some(raw), entry: None })
    }

    /// One raw tool: a custom tool, else a cached schema of a pinned version,
    /// else `GET /tools/{slug}` (with `version=<v>` when given, else the
    /// configured `toolkit_versions`).
    pub async fn get_tool(&self, slug: &str, version: Option<&str>) -> Result<Tool> {
        check_slug("tool slug", slug)?;
        if let Some(c) = self.client.inner.custom_tools.get(slug) {
            return Ok(c.to_tool());
        }
        let versions = &self.client.config().toolkit_versions;
        if let Some(t) = self.cached_pinned(slug, versions, version)? {
            return Ok(Arc::try_unwrap(t).unwrap_or_else(|t| (*t).clone()));
        }
        Ok((*self.fetch_tool(slug, version).await?).clone())
    }

    /// A cached schema that the given versions resolve to for `slug`,
    /// decoded.
    fn cached_pinned(
        &self,
        slug: &str,
        versions: &ToolkitVersions,
        explicit: Option<&str>,
    ) -> Result<Option<Arc<Tool>>> {
        match self.cached_schema(slug, versions, explicit) {
            Some(s) => Ok(Some(Arc::new(s.packed.decode()?))),
            None => Ok(None),
        }
    }

    /// A cached schema that the given versions resolve to for `slug`, not
    /// decoded (its toolkit is known without decoding it).
    fn cached_schema(
        &self,
        slug: &str,
        versions: &ToolkitVersions,
        explicit: Option<&str>,
    ) -> Option<CachedSchema> {
        let candidates: Vec<String> = match (explicit, versions) {
            (Some(v), _) => vec![v.to_string()],
            (None, ToolkitVersions::Latest) => Vec::new(),
            (None, ToolkitVersions::Global(v)) => vec![v.clone()],
            (None, ToolkitVersions::PerToolkit(map)) => {
                let mut vs: Vec<String> = map.values().cloned().collect();
                vs.sort();
                vs.dedup();
                vs
            }
        };
        let cache = &self.client.inner.schema_cache;
        candidates
            .into_iter()
            .filter(|c| c != LATEST && !c.is_empty())
            .find_map(|c| cache.get(slug, &c).filter(|s| versions.resolve(&s.toolkit, explicit) == c))
    }

    /// Caches a fetched schema when it is the pinned version the request
    /// resolves to.
    fn cache_if_pinned(&self, tool: &Arc<Tool>, versions: &ToolkitVersions, explicit: Option<&str>) {
        let resolved = versions.resolve(tool.toolkit_slug(), explicit);
        if resolved != LATEST && tool.version.as_deref() == Some(resolved.as_str()) {
            if let Ok(packed) = PackedTool::of_tool(tool) {
                self.client.inner.schema_cache.insert(tool, Arc::new(packed));
            }
        }
    }

    async fn fetch_tool(&self, slug: &str, explicit: Option<&str>) -> Result<Arc<Tool>> {
        let versions = &self.client.config().toolkit_versions;
        let req = ApiRequest::get(["tools", slug]);
        let req = match explicit {
            Some(v) => req.query("version", v),
            None => req.query_pairs(versions.query_pairs()),
        };
        let tool: Arc<Tool> = Arc::new(self.client.transport().json(&req).await?);
        self.cache_if_pinned(&tool, versions, explicit);
        Ok(tool)
    }

    /// Executes a tool (wire contract §3.4), in the order both official
    /// SDKs use: resolve the schema (only when needed, see the module docs)
    /// → upload file arguments (automatic file handling only; against the
    /// schema as the schema modifiers present it, which run once here; each
    /// path first through the modifiers' file-upload hook) → before-execute
    /// modifiers → run a custom tool locally, or check the version and
    /// `POST /tools/execute/{slug}` → download file results (automatic file
    /// handling only, in the shape of [`Modifiers::file_handling`]'s
    /// flavour) → after-execute modifiers.
    ///
    /// Automatic file handling is on when the configuration says so
    /// (Python result shape) or the modifiers turn it on
    /// ([`Modifiers::with_auto_files`]); custom tools never get it. An
    /// error from the file-upload hook aborts before the before-execute
    /// modifiers and before anything is executed.
    ///
    /// A resolved version of `latest` without
    /// `dangerously_skip_version_check` is [`Error::ToolVersionRequired`],
    /// raised before anything is posted. Tool-level failures are returned as
    /// a response with `successful: false`.
    pub async fn execute(
        &self,
        slug: &str,
        params: ToolExecuteParams,
        modifiers: &Modifiers,
    ) -> Result<ToolExecuteResponse> {
        check_slug("tool slug", slug)?;
        let config = self.client.config();
        let versions = &config.toolkit_versions;
        let file_flavor = modifiers.file_handling(&self.client);
        let auto_files = file_flavor.is_some();
        let custom = self.client.inner.custom_tools.get(slug);

        // 1. Resolve the schema, if anything needs it: a cached one is
        //    decoded only for file handling (otherwise its toolkit is all
        //    that is needed, and the cache knows it without decoding).
        let mut tool: Option<Arc<Tool>> = None;
        let mut toolkit: Option<String> = None;
        match &custom {
            Some(c) => {
                let t = c.to_tool();
                toolkit = Some(t.toolkit.slug.clone());
                tool = Some(Arc::new(t));
            }
            None => {
                if let Some(s) = self.cached_schema(slug, versions, params.version.as_deref()) {
                    toolkit = Some(s.toolkit.to_string());
                    if auto_files {
                        tool = Some(Arc::new(s.packed.decode()?));
                    }
                }
            }
        }
        if toolkit.is_none() {
            let version_known =
                params.version.is_some() || !matches!(versions, ToolkitVersions::PerToolkit(_));
            if !version_known || auto_files || modifiers_need_toolkit(modifiers, slug) {
                let t = self.fetch_tool(slug, params.version.as_deref()).await?;
                toolkit = Some(t.toolkit.slug.clone());
                tool = Some(t);
            }
        }

        // 2. Upload files (with the schema as modifiers present it to models;
        //    the schema stage runs once, here), each through the hook.
        let file_tool = match (&tool, file_flavor.filter(|_| custom.is_none())) {
            (Some(t), Some(flavor)) => {
                let t = (**t).clone();
                Some((if has_schema_stage(modifiers) { modifiers.apply_schema(t).await? } else { t }, flavor))
            }
            _ => None,
        };
        let mut params = params;
        if let Some((ft, _)) = &file_tool {
            modifiers.apply_upload(&self.client, ft, &mut params.arguments).await?;
        }

        // 3. Before-execute modifiers.
        let params = modifiers.apply_before(slug, toolkit.as_deref().unwrap_or_default(), params).await?;

        // 4. Execute.
        let mut response = match custom {
            Some(c) => self.run_custom(&c, params).await?,
            None => {
                let version = match (&toolkit, &params.version) {
                    (Some(tk), explicit) => versions.resolve(tk, explicit.as_deref()),
                    (None, Some(v)) => v.clone(),
                    (None, None) => match versions {
                        ToolkitVersions::PerToolkit(_) => {
                            let t = self.fetch_tool(slug, None).await?;
                            versions.resolve(t.toolkit_slug(), None)
                        }
                        other => other.resolve("", None),
                    },
                };
                if version == LATEST && !params.dangerously_skip_version_check {
                    return Err(Error::ToolVersionRequired { tool: slug.to_string() });
                }
                self.post_execute(slug, params, version).await?
            }
        };

        // 5. Download files.
        if let Some((ft, flavor)) = &file_tool {
            files::download_file_results_as(&self.client, ft, &mut response, *flavor).await?;
        }

        // 6. After-execute modifiers.
        modifiers.apply_after(slug, toolkit.as_deref().unwrap_or_default(), response).await
    }

    async fn post_execute(
        &self,
        slug: &str,
        params: ToolExecuteParams,
        version: String,
    ) -> Result<ToolExecuteResponse> {
        let mut body = Map::new();
        body.insert("arguments".into(), Value::Object(params.arguments));
        if let Some(v) = params.user_id {
            body.insert("user_id".into(), Value::String(v));
        }
        if let Some(v) = params.connected_account_id {
            body.insert("connected_account_id".into(), Value::String(v));
        }
        body.insert("version".into(), Value::String(version));
        if let Some(v) = params.text {
            body.insert("text".into(), Value::String(v));
        }
        if let Some(v) = params.custom_auth_params {
            if !v.is_object() {
                return Err(Error::validation("custom_auth_params must be a JSON object"));
            }
            body.insert("custom_auth_params".into(), v);
        }
        if let Some(v) = params.custom_connection_data {
            if !v.is_object() {
                return Err(Error::validation("custom_connection_data must be a JSON object"));
            }
            body.insert("custom_connection_data".into(), v);
        }
        if let Some(v) = params.allow_tracing {
            body.insert("allow_tracing".into(), Value::Bool(v));
        }
        let req = ApiRequest::post(["tools", "execute", slug]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }

    async fn run_custom(&self, tool: &CustomTool, params: ToolExecuteParams) -> Result<ToolExecuteResponse> {
        validate_arguments(&tool.slug, &tool.input_parameters, &params.arguments)?;
        let connected_account = match tool.toolkit.as_deref().filter(|t| !t.eq_ignore_ascii_case("custom")) {
            Some(toolkit) => Some(
                self.find_connected_account(
                    toolkit,
                    params.user_id.as_deref().unwrap_or("default"),
                    params.connected_account_id.as_deref(),
                )
                .await?,
            ),
            None => None,
        };
        let ctx = CustomToolContext {
            user_id: params.user_id.clone(),
            connected_account,
            client: self.client.clone(),
            session: None,
        };
        tool.handler.execute_full(params.arguments, ctx).await
    }

    /// The user's connected account for a toolkit: the one with
    /// `connected_account_id` if given, else the newest by `created_at`.
    async fn find_connected_account(
        &self,
        toolkit: &str,
        user_id: &str,
        wanted: Option<&str>,
    ) -> Result<Value> {
        let req = ApiRequest::get(["connected_accounts"])
            .query("toolkit_slugs", toolkit)
            .query("user_ids", user_id);
        let page: Page<Value> = self.client.transport().json(&req).await?;
        let created = |v: &Value| v.get("created_at").and_then(Value::as_str).unwrap_or_default().to_string();
        let pick = match wanted {
            Some(id) => page.items.into_iter().find(|a| a.get("id").and_then(Value::as_str) == Some(id)),
            None => page.items.into_iter().max_by_key(created),
        };
        pick.ok_or_else(|| Error::ConnectedAccountNotFound {
            user_id: user_id.to_string(),
            toolkit: toolkit.to_string(),
        })
    }

    /// Sends a request through a connected account's credentials
    /// (`POST /tools/execute/proxy`; wire contract §3.7). The method must be
    /// one of [`PROXY_METHODS`] (any case; sent upper-case) and parameters
    /// are sent as `{name, type, value}`.
    pub async fn proxy(&self, params: ProxyParams) -> Result<ProxyResponse> {
        if params.endpoint.trim().is_empty() {
            return Err(Error::validation("proxy endpoint must not be empty"));
        }
        let method = params.method.trim().to_ascii_uppercase();
        if !PROXY_METHODS.contains(&method.as_str()) {
            return Err(Error::validation(format!(
                "proxy method must be one of {}, got {:?}",
                PROXY_METHODS.join(", "),
                params.method
            )));
        }
        let mut body = Map::new();
        body.insert("endpoint".into(), Value::String(params.endpoint));
        body.insert("method".into(), Value::String(method));
        if let Some(b) = params.body {
            body.insert("body".into(), b);
        }
        if let Some(id) = params.connected_account_id {
            body.insert("connected_account_id".into(), Value::String(id));
        }
        if !params.parameters.is_empty() {
            let mut list = Vec::with_capacity(params.parameters.len());
            for p in params.parameters {
                if p.name.trim().is_empty() {
                    return Err(Error::validation("proxy parameter names must not be empty"));
                }
                let kind = match p.location {
                    ProxyParameterIn::Header => "header",
                    ProxyParameterIn::Query => "query",
                };
                list.push(serde_json::json!({"name": p.name, "type": kind, "value": p.value}));
            }
            body.insert("parameters".into(), Value::Array(list));
        }
        if let Some(c) = params.custom_connection_data {
            if !c.is_object() {
                return Err(Error::validation("custom_connection_data must be a JSON object"));
            }
            body.insert("custom_connection_data".into(), c);
        }
        if let Some(b) = params.binary_body {
            let v = serde_json::to_value(b)
                .map_err(|e| Error::validation(format!("binary_body is not serialisable: {e}")))?;
            body.insert("binary_body".into(), v);
        }
        let req = ApiRequest::post(["tools", "execute", "proxy"]).json_value(Value::Object(body));
        self.client.transport().json(&req).await
    }
}

impl CustomToolContext {
    /// Sends a proxy request authenticated with this context's connected
    /// account (used when `params.connected_account_id` is not set).
    pub async fn proxy(&self, mut params: ProxyParams) -> Result<ProxyResponse> {
        if params.connected_account_id.is_none() {
            params.connected_account_id = self
                .connected_account
                .as_ref()
                .and_then(|a| a.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        self.client.tools().proxy(params).await
    }
}

// ---------------------------------------------------------------------------
// Argument validation for custom tools

fn schema_types(schema: &Value) -> Option<Vec<String>> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(vec![t.clone()]),
        Some(Value::Array(ts)) => Some(ts.iter().filter_map(Value::as_str).map(str::to_string).collect()),
        _ => {
            // anyOf/oneOf whose every variant names its type.
            let variants = schema.get("anyOf").or_else(|| schema.get("oneOf"))?.as_array()?;
            let mut out = Vec::new();
            for v in variants {
                out.extend(schema_types(v)?);
            }
            (!out.is_empty()).then_some(out)
        }
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        _ => true,
    }
}

pub(crate) use crate::error::json_kind as value_kind;

/// Checks arguments against a tool's input schema: required properties
/// (recursively in nested objects) and the JSON types of the properties that
/// declare one. Unknown arguments are allowed. Errors name the argument
/// (dotted for nested ones).
pub fn validate_arguments(tool: &str, schema: &Value, arguments: &Map<String, Value>) -> Result<()> {
    validate_object(tool, schema, arguments, "")
}

fn validate_object(tool: &str, schema: &Value, obj: &Map<String, Value>, prefix: &str) -> Result<()> {
    let props = schema.get("properties").and_then(Value::as_object);
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            let null_ok = props
                .and_then(|p| p.get(name))
                .and_then(schema_types)
                .is_some_and(|ts| ts.iter().any(|t| t == "null"));
            match obj.get(name) {
                None => {
                    return Err(Error::validation(format!(
                        "missing required argument {prefix}{name} for tool {tool}"
                    )))
                }
                Some(Value::Null) if !null_ok => {
                    return Err(Error::validation(format!(
                        "required argument {prefix}{name} of tool {tool} must not be null"
                    )))
                }
                _ => {}
            }
        }
    }
    let Some(props) = props else { return Ok(()) };
    for (name, value) in obj {
        let Some(prop) = props.get(name) else { continue };
        let field = format!("{prefix}{name}");
        if let Some(types) = schema_types(prop) {
            // Null is accepted for optional arguments (treated as absent).
            let optional_null = value.is_null() && !schema_requires(schema, name);
            if !optional_null && !types.iter().any(|t| type_matches(t, value)) {
                return Err(Error::validation(format!(
                    "argument {field} of tool {tool} must be {}, got {}",
                    types.join(" or "),
                    value_kind(value)
                )));
            }
        }
        if let Some(inner) = value.as_object() {
            if prop.get("properties").is_some() || prop.get("required").is_some() {
                validate_object(tool, prop, inner, &format!("{field}."))?;
            }
        }
    }
    Ok(())
}

fn schema_requires(schema: &Value, name: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|v| v.as_str() == Some(name)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn argument_validation_names_fields() {
        let schema = json!({"type": "object", "properties": {
            "n": {"type": "integer"}, "s": {"type": "string"},
            "o": {"type": "object", "properties": {"x": {"type": "boolean"}}, "required": ["x"]},
            "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}]}
        }, "required": ["n"]});
        let args = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert!(validate_arguments("T", &schema, &args(json!({"n": 1, "s": "a", "maybe": null}))).is_ok());
        assert!(validate_arguments("T", &schema, &args(json!({"n": 2.0}))).is_ok());
        let e = validate_arguments("T", &schema, &args(json!({}))).unwrap_err();
        assert!(e.to_string().contains("n"), "{e}");
        let e = validate_arguments("T", &schema, &args(json!({"n": "x"}))).unwrap_err();
        assert!(e.to_string().contains("argument n ") && e.to_string().contains("integer"), "{e}");
        let e = validate_arguments("T", &schema, &args(json!({"n": 1, "o": {}}))).unwrap_err();
        assert!(e.to_string().contains("o.x"), "{e}");
        let e = validate_arguments("T", &schema, &args(json!({"n": 1, "o": {"x": 3}}))).unwrap_err();
        assert!(e.to_string().contains("o.x"), "{e}");
    }

    #[test]
    fn modifier_toolkit_needs() {
        use crate::modifiers::{BeforeFn, DeclarativeModifier, Modifier};
        let decl = Modifier::declarative(DeclarativeModifier::HideParameter { name: "x".into() });
        assert!(!modifiers_need_toolkit(&Modifiers::new().with(decl.clone()), "A_B"));
        assert!(modifiers_need_toolkit(&Modifiers::new().with(decl.clone().for_toolkits(["a"])), "A_B"));
        assert!(!modifiers_need_toolkit(
            &Modifiers::new().with(decl.for_toolkits(["a"]).for_tools(["A_B"])),
            "A_B"
        ));
        let cb = Modifier::before_execute(BeforeFn(|_: &str, _: &str, p: ToolExecuteParams| Ok(p)));
        assert!(modifiers_need_toolkit(&Modifiers::new().with(cb.clone()), "A_B"));
        assert!(!modifiers_need_toolkit(&Modifiers::new().with(cb.for_tools(["OTHER"])), "A_B"));
    }
}
