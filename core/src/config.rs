//! Client configuration: API key, base URL, path prefix, toolkit versions,
//! timeouts, retry policy and extra headers, from code or the environment.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};

/// The hosted Composio API.
pub const DEFAULT_BASE_URL: &str = "https://backend.composio.dev";
/// The path prefix the newest official SDKs use (same suffixes as `/api/v3`).
pub const DEFAULT_API_PREFIX: &str = "/api/v3.1";
/// The version string that means "whatever is newest".
pub const LATEST: &str = "latest";

/// A secret string (API key, token, webhook secret) whose `Debug` and
/// `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Call only where the value must be sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

/// Which toolkit versions tools are fetched and executed at.
///
/// Resolution follows the official SDKs: an explicit per-call version wins;
/// otherwise a global version applies to every toolkit; otherwise the
/// per-toolkit map (keys lower-cased) is consulted; anything missing is
/// [`LATEST`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ToolkitVersions {
    /// Every toolkit at `latest`.
    #[default]
    Latest,
    /// One version for every toolkit (environment variables are ignored).
    Global(String),
    /// A version per toolkit slug (lower-cased); others are `latest`.
    PerToolkit(BTreeMap<String, String>),
}

impl ToolkitVersions {
    /// Builds a per-toolkit map, lower-casing the keys. An empty map is
    /// [`ToolkitVersions::Latest`].
    pub fn per_toolkit<I, K, V>(entries: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let map: BTreeMap<String, String> =
            entries.into_iter().map(|(k, v)| (k.as_ref().to_lowercase(), v.into())).collect();
        if map.is_empty() {
            ToolkitVersions::Latest
        } else {
            ToolkitVersions::PerToolkit(map)
        }
    }

    /// A global version string (`"latest"` becomes [`ToolkitVersions::Latest`]).
    pub fn global(version: impl Into<String>) -> Self {
        let v = version.into();
        if v == LATEST {
            ToolkitVersions::Latest
        } else {
            ToolkitVersions::Global(v)
        }
    }

    /// The version for `toolkit`, given an optional per-call override.
    pub fn resolve(&self, toolkit: &str, explicit: Option<&str>) -> String {
        if let Some(v) = explicit {
            return v.to_string();
        }
        match self {
            ToolkitVersions::Latest => LATEST.to_string(),
            ToolkitVersions::Global(v) => v.clone(),
            ToolkitVersions::PerToolkit(map) => {
                map.get(&toolkit.to_lowercase()).cloned().unwrap_or_else(|| LATEST.to_string())
            }
        }
    }

    /// Merges environment entries under explicit ones (explicit wins). A
    /// global version ignores the environment.
    pub fn merged_over(self, env: BTreeMap<String, String>) -> Self {
        match self {
            ToolkitVersions::Global(v) => ToolkitVersions::Global(v),
            ToolkitVersions::Latest => ToolkitVersions::per_toolkit(env),
            ToolkitVersions::PerToolkit(explicit) => {
                let mut merged = env;
                merged.extend(explicit);
                ToolkitVersions::per_toolkit(merged)
            }
        }
    }

    /// Query parameters the official SDKs send on reads: `toolkit_versions=v`
    /// for a single version, `toolkit_versions[slug]=v` per toolkit.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        match self {
            ToolkitVersions::Latest => vec![("toolkit_versions".into(), LATEST.into())],
            ToolkitVersions::Global(v) => vec![("toolkit_versions".into(), v.clone())],
            ToolkitVersions::PerToolkit(map) => {
                map.iter().map(|(k, v)| (format!("toolkit_versions[{k}]"), v.clone())).collect()
            }
        }
    }

    /// The JSON form sent in request bodies (trigger upsert): a string or a map.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ToolkitVersions::Latest => serde_json::Value::String(LATEST.into()),
            ToolkitVersions::Global(v) => serde_json::Value::String(v.clone()),
            ToolkitVersions::PerToolkit(map) => serde_json::Value::Object(
                map.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
            ),
        }
    }
}

/// Reads `COMPOSIO_TOOLKIT_VERSION_<TOOLKIT>` variables from an iterator of
/// `(name, value)` pairs (usually `std::env::vars()`).
pub fn toolkit_versions_from_vars<I>(vars: I) -> BTreeMap<String, String>
where
    I: IntoIterator<Item = (String, String)>,
{
    const PREFIX: &str = "COMPOSIO_TOOLKIT_VERSION_";
    vars.into_iter()
        .filter_map(|(k, v)| {
            let slug = k.strip_prefix(PREFIX)?;
            (!slug.is_empty() && !v.is_empty()).then(|| (slug.to_lowercase(), v))
        })
        .collect()
}

/// When and how often requests are retried.
///
/// Reads (GET) are retried on connection errors, timeouts, 408, 429 and 5xx.
/// Calls with side effects are retried only when the server provably did not
/// act: a 429, or a connection that failed before the request was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `2` means at most 3 attempts).
    pub max_retries: u32,
    /// First backoff delay; doubled each retry.
    pub initial_backoff: Duration,
    /// Upper bound of the exponential backoff.
    pub max_backoff: Duration,
    /// `Retry-After` values up to this are honoured exactly; longer ones
    /// fall back to the exponential backoff.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }
}

/// Everything a [`crate::Composio`] client is built from.
///
/// Build one with [`ComposioConfig::new`] or [`ComposioConfig::from_env`] and
/// adjust fields or use the `with_*` helpers:
///
/// ```
/// use std::time::Duration;
/// use composio_core::ComposioConfig;
///
/// let config = ComposioConfig::new("my-key")
///     .with_base_url("http://127.0.0.1:9900")
///     .with_request_timeout(Duration::from_secs(5));
/// assert_eq!(config.base_url, "http://127.0.0.1:9900");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ComposioConfig {
    /// The project API key (`x-api-key`). Required.
    pub api_key: Option<Secret>,
    /// Scheme, host and port of the API, without a path prefix.
    pub base_url: String,
    /// The API path prefix (`/api/v3.1` by default; `/api/v3` also works).
    pub api_prefix: String,
    /// Toolkit version selection.
    pub toolkit_versions: ToolkitVersions,
    /// Time allowed to establish a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, including reading the body.
    pub request_timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
    /// Extra headers sent with every request.
    pub extra_headers: Vec<(String, String)>,
    /// The `x-source` header (`RUST_SDK`; bindings set their own).
    pub source: String,
    /// The `x-sdk-version` header.
    pub sdk_version: String,
    /// The `x-framework` header: the provider name, when one is in use.
    pub framework: Option<String>,
    /// Where downloaded files go (default `~/.composio/files`).
    pub file_download_dir: Option<PathBuf>,
    /// Upload file arguments and download file results automatically.
    pub auto_upload_download_files: bool,
    /// Refuse to upload files that look like credentials (`~/.ssh`, `.env`,
    /// `id_rsa`, ...; see [`crate::files`]). On by default.
    pub sensitive_file_upload_protection: bool,
    /// More path segments (directory or file names) never to upload, on top
    /// of the built-in list; compared case-insensitively.
    pub file_upload_path_deny_segments: Vec<String>,
    /// When set, local files are uploaded only from inside these
    /// directories (the official Python SDK defaults to
    /// `~/.composio/temp`; this engine defaults to no restriction and lets
    /// each language package choose).
    pub file_upload_dirs: Option<Vec<PathBuf>>,
}

impl Default for ComposioConfig {
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            api_prefix: DEFAULT_API_PREFIX.to_string(),
            toolkit_versions: ToolkitVersions::Latest,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            extra_headers: Vec::new(),
            source: "RUST_SDK".to_string(),
            sdk_version: env!("CARGO_PKG_VERSION").to_string(),
            framework: None,
            file_download_dir: None,
            auto_upload_download_files: false,
            sensitive_file_upload_protection: true,
            file_upload_path_deny_segments: Vec::new(),
            file_upload_dirs: None,
        }
    }
}

impl ComposioConfig {
    /// A configuration with this API key and every other setting at its
    /// default.
    pub fn new(api_key: impl Into<Secret>) -> Self {
        Self { api_key: Some(api_key.into()), ..Self::default() }
    }

    /// A configuration from the environment: `COMPOSIO_API_KEY`,
    /// `COMPOSIO_BASE_URL`, `COMPOSIO_API_PREFIX` and
    /// `COMPOSIO_TOOLKIT_VERSION_<TOOLKIT>`. A missing key is reported when
    /// the client is built, before any I/O.
    pub fn from_env() -> Self {
        Self::from_vars(std::env::vars())
    }

    /// Like [`ComposioConfig::from_env`], from explicit `(name, value)` pairs.
    pub fn from_vars<I>(vars: I) -> Self
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let vars: Vec<(String, String)> = vars.into_iter().collect();
        let get = |name: &str| vars.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone());
        let mut config = Self { api_key: get("COMPOSIO_API_KEY").map(Secret::new), ..Self::default() };
        if let Some(url) = get("COMPOSIO_BASE_URL") {
            config.base_url = url;
        }
        if let Some(prefix) = get("COMPOSIO_API_PREFIX") {
            config.api_prefix = prefix;
        }
        config.toolkit_versions = ToolkitVersions::Latest.merged_over(toolkit_versions_from_vars(vars));
        config
    }

    /// Sets the API key.
    pub fn with_api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the base URL (scheme, host, port).
    pub fn with_base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sets the API path prefix.
    pub fn with_api_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.api_prefix = prefix.into();
        self
    }

    /// Sets toolkit versions; per-toolkit maps are merged over the
    /// `COMPOSIO_TOOLKIT_VERSION_*` values already in this config's map.
    pub fn with_toolkit_versions(mut self, versions: ToolkitVersions) -> Self {
        let env = match std::mem::take(&mut self.toolkit_versions) {
            ToolkitVersions::PerToolkit(m) => m,
            _ => BTreeMap::new(),
        };
        self.toolkit_versions = versions.merged_over(env);
        self
    }

    /// Sets the whole-request timeout.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Adds a header sent with every request.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Checks the configuration; called by [`crate::Composio::new`].
    pub fn validate(&self) -> Result<()> {
        match &self.api_key {
            Some(k) if !k.expose().trim().is_empty() => {}
            _ => return Err(Error::MissingApiKey),
        }
        let url = url::Url::parse(&self.base_url).map_err(|e| Error::InvalidConfig {
            message: format!("base_url {:?} is not a valid URL: {e}", self.base_url),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidConfig {
                message: format!("base_url {:?} must use http or https", self.base_url),
            });
        }
        if !self.api_prefix.is_empty() && !self.api_prefix.starts_with('/') {
            return Err(Error::InvalidConfig {
                message: format!("api_prefix {:?} must start with '/'", self.api_prefix),
            });
        }
        if self.request_timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::InvalidConfig {
                message: "request_timeout and connect_timeout must be greater than zero".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn env_reads_key_url_and_toolkit_versions() {
        let c = ComposioConfig::from_vars(vars(&[
            ("COMPOSIO_API_KEY", "k1"),
            ("COMPOSIO_BASE_URL", "http://127.0.0.1:1"),
            ("COMPOSIO_TOOLKIT_VERSION_GITHUB", "20251027_00"),
            ("COMPOSIO_TOOLKIT_VERSION_", "x"),
            ("OTHER", "y"),
        ]));
        assert_eq!(c.api_key.as_ref().map(Secret::expose), Some("k1"));
        assert_eq!(c.base_url, "http://127.0.0.1:1");
        assert_eq!(c.toolkit_versions.resolve("GitHub", None), "20251027_00");
        assert_eq!(c.toolkit_versions.resolve("slack", None), "latest");
        assert_eq!(c.toolkit_versions.resolve("github", Some("20250101_01")), "20250101_01");
    }

    #[test]
    fn explicit_map_wins_over_env_and_global_ignores_env() {
        let env = toolkit_versions_from_vars(vars(&[
            ("COMPOSIO_TOOLKIT_VERSION_GITHUB", "env_gh"),
            ("COMPOSIO_TOOLKIT_VERSION_SLACK", "env_sl"),
        ]));
        let merged = ToolkitVersions::per_toolkit([("GITHUB", "mine")]).merged_over(env.clone());
        assert_eq!(merged.resolve("github", None), "mine");
        assert_eq!(merged.resolve("slack", None), "env_sl");
        let global = ToolkitVersions::global("20250909_00").merged_over(env);
        assert_eq!(global.resolve("slack", None), "20250909_00");
        assert_eq!(ToolkitVersions::per_toolkit(Vec::<(String, String)>::new()), ToolkitVersions::Latest);
    }

    #[test]
    fn query_pairs_use_bracket_format() {
        let v = ToolkitVersions::per_toolkit([("github", "a"), ("slack", "b")]);
        assert_eq!(
            v.query_pairs(),
            vec![
                ("toolkit_versions[github]".to_string(), "a".to_string()),
                ("toolkit_versions[slack]".to_string(), "b".to_string())
            ]
        );
        assert_eq!(ToolkitVersions::Latest.query_pairs()[0].1, "latest");
    }

    #[test]
    fn validate_reports_missing_key_and_bad_url() {
        assert!(matches!(ComposioConfig::default().validate(), Err(Error::MissingApiKey)));
        assert!(matches!(ComposioConfig::new("  ").validate(), Err(Error::MissingApiKey)));
        let e = ComposioConfig::new("k").with_base_url("ftp://x").validate();
        assert!(matches!(e, Err(Error::InvalidConfig { .. })));
        let e = ComposioConfig::new("k").with_base_url("not a url").validate();
        assert!(matches!(e, Err(Error::InvalidConfig { .. })));
        assert!(ComposioConfig::new("k").validate().is_ok());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let c = ComposioConfig::new("sk_live_very_secret");
        let d = format!("{c:?}");
        assert!(!d.contains("sk_live_very_secret"), "{d}");
        assert!(d.contains("***"));
    }
}
