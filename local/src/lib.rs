//! composio-local: a Composio-compatible backend on your own machine — one process, one SQLite
//! file. Start it in-process with [`spawn`] (tests, examples) or run the `composio-local serve`
//! binary.
//!
//! ```no_run
//! # async fn demo() -> Result<(), composio_local::LocalError> {
//! let server = composio_local::spawn(composio_local::LocalOptions::default()).await?;
//! println!("{} {}", server.url(), server.api_key());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

pub mod accounts;
pub mod auth;
pub mod auth_configs;
pub mod connect;
pub mod credentials;
pub mod custom_tools;
pub mod db;
pub mod errors;
pub mod events;
pub mod execute;
pub mod extract;
pub mod html;
pub mod ids;
pub mod mcp;
pub mod oauth2;
pub mod realtime;
pub mod request_id;
pub mod routes;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod toolkits;
pub mod triggers;
pub mod vault;
pub mod webhooks;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use errors::{ApiError, LocalError};
pub use webhooks::RetryPolicy;

/// Shared state of the running server.
#[derive(Clone)]
pub struct AppState {
    /// The development API key requests must carry.
    pub api_key: Arc<str>,
    /// `http://host:port` of this server (no trailing slash).
    pub base_url: Arc<str>,
    /// The database.
    pub db: db::Db,
    /// Outgoing HTTP (OAuth2 code exchange and token refresh, also against real providers).
    pub http: reqwest::Client,
    /// Lifetimes and other tunables.
    pub settings: Arc<Settings>,
    /// Serialises OAuth2 token refreshes so concurrent tool calls never race on a rotating refresh token.
    pub refresh_lock: Arc<tokio::sync::Mutex<()>>,
    /// Event plumbing: the delivery worker's wake-up, realtime subscribers, the realtime identity.
    pub hub: Arc<events::Hub>,
    /// Turns true when the server shuts down (ends WebSockets and the delivery worker).
    pub stop: watch::Receiver<bool>,
}

/// Tunables of a running server, resolved from [`LocalOptions`] and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Lifetime of access tokens issued by the built-in OAuth2 server.
    pub access_token_ttl: Duration,
    /// Lifetime of connect-link tokens.
    pub link_ttl: Duration,
    /// Retry schedule of webhook deliveries.
    pub webhook_retry: RetryPolicy,
}

/// Environment variable overriding the access-token lifetime (seconds).
pub const ACCESS_TOKEN_TTL_ENV: &str = "COMPOSIO_LOCAL_ACCESS_TOKEN_TTL";
/// Environment variable overriding the connect-link lifetime (seconds).
pub const LINK_TTL_ENV: &str = "COMPOSIO_LOCAL_LINK_TTL";
/// Environment variable overriding the first webhook retry delay (milliseconds).
pub const WEBHOOK_RETRY_INITIAL_ENV: &str = "COMPOSIO_LOCAL_WEBHOOK_RETRY_INITIAL_MS";
/// Environment variable overriding the longest webhook retry delay (milliseconds).
pub const WEBHOOK_RETRY_MAX_ENV: &str = "COMPOSIO_LOCAL_WEBHOOK_RETRY_MAX_MS";
/// Environment variable overriding the number of delivery attempts before a webhook delivery fails.
pub const WEBHOOK_MAX_ATTEMPTS_ENV: &str = "COMPOSIO_LOCAL_WEBHOOK_MAX_ATTEMPTS";
/// Default access-token lifetime: one hour.
pub const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Default connect-link lifetime: one hour.
pub const DEFAULT_LINK_TTL: Duration = Duration::from_secs(3600);

fn ttl_from(option: Option<Duration>, env: &str, default: Duration) -> Result<Duration, LocalError> {
    if let Some(d) = option {
        return Ok(d);
    }
    match std::env::var(env) {
        Ok(v) if !v.trim().is_empty() => {
            v.trim().parse::<u64>().ok().filter(|n| *n > 0).map(Duration::from_secs).ok_or_else(|| {
                LocalError::InvalidOption(format!("{env} must be a positive number of seconds, got `{v}`"))
            })
        }
        _ => Ok(default),
    }
}

fn positive_env(env: &str, unit: &str) -> Result<Option<u64>, LocalError> {
    match std::env::var(env) {
        Ok(v) if !v.trim().is_empty() => {
            v.trim().parse::<u64>().ok().filter(|n| *n > 0).map(Some).ok_or_else(|| {
                LocalError::InvalidOption(format!("{env} must be a positive number of {unit}, got `{v}`"))
            })
        }
        _ => Ok(None),
    }
}

/// The webhook retry policy: `option`, else the environment, else [`RetryPolicy::default`].
fn retry_from(option: Option<RetryPolicy>) -> Result<RetryPolicy, LocalError> {
    let policy = match option {
        Some(p) => p,
        None => {
            let mut p = RetryPolicy::default();
            if let Some(ms) = positive_env(WEBHOOK_RETRY_INITIAL_ENV, "milliseconds")? {
                p.initial_delay = Duration::from_millis(ms);
                p.max_delay = p.max_delay.max(p.initial_delay);
            }
            if let Some(ms) = positive_env(WEBHOOK_RETRY_MAX_ENV, "milliseconds")? {
                p.max_delay = Duration::from_millis(ms);
            }
            if let Some(n) = positive_env(WEBHOOK_MAX_ATTEMPTS_ENV, "attempts")? {
                p.max_attempts = u32::try_from(n).unwrap_or(u32::MAX);
            }
            p
        }
    };
    if policy.max_attempts == 0 {
        return Err(LocalError::InvalidOption("webhook retry max_attempts must be at least 1".into()));
    }
    if policy.initial_delay.is_zero() || policy.timeout.is_zero() {
        return Err(LocalError::InvalidOption(
            "webhook retry delays and timeout must be greater than zero".into(),
        ));
    }
    if policy.max_delay < policy.initial_delay {
        return Err(LocalError::InvalidOption(
            "webhook retry max_delay must not be shorter than initial_delay".into(),
        ));
    }
    Ok(policy)
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("api_key", &"<redacted>").field("base_url", &self.base_url).finish()
    }
}

/// How to start a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOptions {
    /// Port to listen on; `None` or `Some(0)` picks a free port.
    pub port: Option<u16>,
    /// Where state lives; `None` makes a fresh temporary folder that is deleted on shutdown.
    pub data_dir: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1).
    pub host: IpAddr,
    /// Lifetime of access tokens of the built-in OAuth2 server; `None` reads
    /// `COMPOSIO_LOCAL_ACCESS_TOKEN_TTL` (seconds), else one hour.
    pub access_token_ttl: Option<Duration>,
    /// Lifetime of connect links; `None` reads `COMPOSIO_LOCAL_LINK_TTL` (seconds), else one hour.
    pub link_ttl: Option<Duration>,
    /// Retry schedule of webhook deliveries; `None` reads `COMPOSIO_LOCAL_WEBHOOK_RETRY_INITIAL_MS`,
    /// `COMPOSIO_LOCAL_WEBHOOK_RETRY_MAX_MS` and `COMPOSIO_LOCAL_WEBHOOK_MAX_ATTEMPTS`, else
    /// 1 s doubling up to 60 s, 8 attempts.
    pub webhook_retry: Option<RetryPolicy>,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            port: None,
            data_dir: None,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            access_token_ttl: None,
            link_ttl: None,
            webhook_retry: None,
        }
    }
}

impl LocalOptions {
    /// Options with a fixed data folder (state persists across restarts).
    pub fn with_data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Options with a fixed port.
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Options with a given access-token lifetime for the built-in OAuth2 server.
    pub fn with_access_token_ttl(mut self, ttl: Duration) -> Self {
        self.access_token_ttl = Some(ttl);
        self
    }

    /// Options with a given webhook retry schedule.
    pub fn with_webhook_retry(mut self, retry: RetryPolicy) -> Self {
        self.webhook_retry = Some(retry);
        self
    }

    /// Options with a given connect-link lifetime.
    pub fn with_link_ttl(mut self, ttl: Duration) -> Self {
        self.link_ttl = Some(ttl);
        self
    }
}

/// The per-user default data folder: `$XDG_DATA_HOME/composio-local`, else
/// `~/.local/share/composio-local`.
pub fn default_data_dir() -> Result<PathBuf, LocalError> {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("composio-local"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".local").join("share").join("composio-local"))
        .ok_or_else(|| {
            LocalError::InvalidOption(
                "neither XDG_DATA_HOME nor HOME is set; pass a data folder explicitly".into(),
            )
        })
}

fn create_data_dir(dir: &Path) -> Result<(), LocalError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| LocalError::io(format!("creating data folder {}", dir.display()), e))
}

/// A running composio-local server. Dropping it stops the server (use [`RunningServer::shutdown`]
/// to wait for that).
pub struct RunningServer {
    url: String,
    api_key: String,
    data_dir: PathBuf,
    addr: SocketAddr,
    temp_dir: bool,
    stop: Option<watch::Sender<bool>>,
    task: Option<JoinHandle<()>>,
    worker: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer")
            .field("url", &self.url)
            .field("api_key", &"<redacted>")
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

impl RunningServer {
    /// Base URL, e.g. `http://127.0.0.1:9900` (no trailing slash; the API is under `/api/v3` and `/api/v3.1`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The development API key to send as `x-api-key`.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The data folder holding the SQLite file and the key.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stop accepting requests, close realtime sockets, stop the webhook worker (pending deliveries
    /// stay queued in the data folder), finish in-flight requests (up to 10 s), and wait for the
    /// server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send_replace(true);
        }
        for mut task in [self.worker.take(), self.task.take()].into_iter().flatten() {
            if tokio::time::timeout(Duration::from_secs(10), &mut task).await.is_err() {
                task.abort();
            }
        }
        self.remove_temp_dir();
    }

    /// Wait until the server stops (it only stops through [`RunningServer::shutdown`] or drop, so this
    /// is "run forever" for the binary).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn remove_temp_dir(&self) {
        if self.temp_dir {
            if let Err(e) = std::fs::remove_dir_all(&self.data_dir) {
                tracing::warn!(dir = %self.data_dir.display(), error = %e, "could not remove temporary data folder");
            }
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send_replace(true);
        }
        if self.task.is_some() {
            self.remove_temp_dir();
        }
    }
}

/// Start a server on a Tokio runtime: open (or create) the data folder, its API key and
/// database, bind the port, and serve in a background task.
pub async fn spawn(options: LocalOptions) -> Result<RunningServer, LocalError> {
    let (data_dir, temp_dir) = match options.data_dir {
        Some(dir) => (dir, false),
        None => {
            (std::env::temp_dir().join(format!("composio-local-{}", uuid::Uuid::new_v4().simple())), true)
        }
    };
    let settings = Settings {
        access_token_ttl: ttl_from(options.access_token_ttl, ACCESS_TOKEN_TTL_ENV, DEFAULT_ACCESS_TOKEN_TTL)?,
        link_ttl: ttl_from(options.link_ttl, LINK_TTL_ENV, DEFAULT_LINK_TTL)?,
        webhook_retry: retry_from(options.webhook_retry)?,
    };
    create_data_dir(&data_dir)?;
    let result = start(&data_dir, options.host, options.port.unwrap_or(0), settings).await;
    match result {
        Ok(Started { url, api_key, addr, stop, task, worker }) => Ok(RunningServer {
            url,
            api_key,
            data_dir,
            addr,
            temp_dir,
            stop: Some(stop),
            task: Some(task),
            worker: Some(worker),
        }),
        Err(e) => {
            if temp_dir {
                let _ = std::fs::remove_dir_all(&data_dir);
            }
            Err(e)
        }
    }
}

struct Started {
    url: String,
    api_key: String,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    worker: JoinHandle<()>,
}

async fn start(data_dir: &Path, host: IpAddr, port: u16, settings: Settings) -> Result<Started, LocalError> {
    let api_key = auth::load_or_create_key(data_dir)?;
    let dir = data_dir.to_path_buf();
    let db = tokio::task::spawn_blocking(move || db::Db::open(&dir))
        .await
        .map_err(|e| LocalError::InvalidOption(format!("database task failed: {e}")))??;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(host, port))
        .await
        .map_err(|e| LocalError::io(format!("binding {host}:{port}"), e))?;
    let addr = listener.local_addr().map_err(|e| LocalError::io("reading the bound address", e))?;
    let url = match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", addr.port()),
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("composio-local/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LocalError::InvalidOption(format!("building the HTTP client: {e}")))?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let hub = Arc::new(events::Hub::new(&api_key));
    let retry = settings.webhook_retry;
    let worker =
        tokio::spawn(webhooks::delivery::run(db.clone(), http.clone(), retry, hub.clone(), stop_rx.clone()));
    let state = AppState {
        api_key: Arc::from(api_key.as_str()),
        base_url: Arc::from(url.as_str()),
        db,
        http,
        settings: Arc::new(settings),
        refresh_lock: Arc::new(tokio::sync::Mutex::new(())),
        hub,
        stop: stop_rx.clone(),
    };
    let app = routes::app(state);
    let mut server_stop = stop_rx;
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = server_stop.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
            tracing::error!(error = %e, "composio-local server stopped with an error");
        }
    });
    tracing::info!(%url, data_dir = %data_dir.display(), "composio-local listening");
    Ok(Started { url, api_key, addr, stop: stop_tx, task, worker })
}
