//! Realtime trigger events over the Pusher Channels protocol (the SDK
//! "subscribe" feature of the official SDKs).
//!
//! Flow of one connection:
//!
//! 1. `GET /api/v3/internal/sdk/realtime/credentials` →
//!    `{pusher_key, pusher_cluster, project_id, pusher_ws_url?}`.
//! 2. WebSocket to `<base>/app/<pusher_key>?protocol=7&client=composio-rs&version=<v>&flash=false`
//!    where `<base>` is, first match wins, [`RealtimeOptions::ws_url_override`],
//!    the credentials' optional `pusher_ws_url` (sent by `composio-local`,
//!    which serves its own Pusher-protocol endpoint), or
//!    `wss://ws-<pusher_cluster>.pusher.com:443`.
//! 3. Wait for `pusher:connection_established` (socket id, activity timeout).
//! 4. Channel auth: `POST /api/v3/internal/sdk/realtime/auth`, form body
//!    `socket_id` and `channel_name` → `{"auth"}`.
//! 5. `pusher:subscribe` to `private-<project_id>_triggers` with that auth and
//!    wait for `pusher_internal:subscription_succeeded`.
//! 6. Deliver `trigger_to_client` events and reassembled
//!    `chunked-trigger_to_client` events; answer `pusher:ping`; send
//!    `pusher:ping` after the activity timeout of silence and reconnect when
//!    no answer comes.
//!
//! Dropped connections are re-established with exponential backoff (500 ms
//! doubling, capped at 30 s, with jitter), re-authenticating and
//! re-subscribing.
//!
//! Failures before the first successful subscribe fail `subscribe` itself.
//! Failures after it (a dropped connection, a reconnect that cannot reach
//! the server, a channel authorisation refused on resubscribe, a revoked
//! API key) are retried; to be told about them use
//! [`Triggers::subscribe_with_error_handler`] or
//! [`Triggers::subscribe_stream`], which report each one as a
//! [`RealtimeError`] (in order with the events) before the retry.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::Triggers;
use crate::error::{Error, Result};
use crate::models::{TriggerEvent, TriggerEventConnectedAccount, TriggerEventMetadata};
use crate::transport::ApiRequest;
use crate::Composio;

/// Path prefix of the realtime endpoints (they stay on v3 in every SDK).
const REALTIME_PREFIX: &str = "/api/v3";
/// Pusher's default activity timeout, used when the server names none.
const DEFAULT_ACTIVITY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a stop waits for the close handshake.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Partially received chunked events older than this are dropped.
const CHUNK_TTL: Duration = Duration::from_secs(600);
/// At most this many chunked events are buffered at once.
const MAX_PENDING_CHUNKED: usize = 256;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Response of `GET /api/v3/internal/sdk/realtime/credentials`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RealtimeCredentials {
    /// The Pusher app key.
    #[serde(default)]
    pub pusher_key: String,
    /// The Pusher cluster (for example `mt1`).
    #[serde(default)]
    pub pusher_cluster: String,
    /// The project id; the channel is `private-<project_id>_triggers`.
    #[serde(default)]
    pub project_id: String,
    /// Optional full WebSocket base URL of a Pusher-protocol server
    /// (scheme, host, port and optional path, for example
    /// `ws://127.0.0.1:9900/pusher`), to which `/app/<pusher_key>?…` is
    /// appended. Sent by `composio-local`; the hosted API omits it and the
    /// SDK then uses `wss://ws-<pusher_cluster>.pusher.com:443`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pusher_ws_url: Option<String>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Settings of a realtime subscription. Build with struct update syntax:
///
/// ```
/// use std::time::Duration;
/// use composio_core::triggers::RealtimeOptions;
/// let options = RealtimeOptions {
///     connect_timeout: Duration::from_secs(5),
///     ..RealtimeOptions::default()
/// };
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RealtimeOptions {
    /// WebSocket base URL to use instead of the credentials' `pusher_ws_url`
    /// or the Pusher cluster host (`/app/<key>?…` is appended).
    pub ws_url_override: Option<String>,
    /// How long `subscribe` waits for the first channel subscription to
    /// succeed (default 15 s). Also bounds each connection step.
    pub connect_timeout: Duration,
    /// First reconnect delay (default 500 ms), doubled per failed attempt.
    pub initial_backoff: Duration,
    /// Upper bound of the reconnect delay (default 30 s).
    pub max_backoff: Duration,
    /// Silence after which the client pings the server; the smaller of
    /// this and the server's `activity_timeout` is used (default: the
    /// server's value, 120 s if it names none).
    pub activity_timeout: Option<Duration>,
    /// How long to wait for any message after our `pusher:ping` before the
    /// connection is considered dead (default 30 s).
    pub pong_timeout: Duration,
    /// Capacity of the event queue between the socket and the handler or
    /// receiver (default 1024).
    pub channel_capacity: usize,
}

impl Default for RealtimeOptions {
    fn default() -> Self {
        Self {
            ws_url_override: None,
            connect_timeout: Duration::from_secs(15),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            activity_timeout: None,
            pong_timeout: Duration::from_secs(30),
            channel_capacity: 1024,
        }
    }
}

impl RealtimeOptions {
    fn validate(&self) -> Result<()> {
        if self.connect_timeout.is_zero() {
            return Err(Error::validation("realtime connect_timeout must be greater than zero"));
        }
        if self.pong_timeout.is_zero() {
            return Err(Error::validation("realtime pong_timeout must be greater than zero"));
        }
        if self.activity_timeout.is_some_and(|d| d.is_zero()) {
            return Err(Error::validation("realtime activity_timeout must be greater than zero"));
        }
        if self.channel_capacity == 0 {
            return Err(Error::validation("realtime channel_capacity must be at least 1"));
        }
        if self.initial_backoff > self.max_backoff {
            return Err(Error::validation("realtime initial_backoff must not exceed max_backoff"));
        }
        if let Some(url) = &self.ws_url_override {
            parse_ws_base(url, "ws_url_override").map_err(|e| Error::validation(e.message))?;
        }
        Ok(())
    }
}

/// Which events a subscription delivers. Every filter is optional (empty =
/// any); a filter with several values matches any of them; comparison is
/// case-insensitive string equality (the Python SDK's filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriggerSubscriptionFilters {
    /// Trigger slugs (`GITHUB_COMMIT_EVENT`).
    pub trigger_slug: Vec<String>,
    /// Trigger instance ids (`ti_…`).
    pub trigger_id: Vec<String>,
    /// Toolkit slugs (`github`).
    pub toolkit: Vec<String>,
    /// User ids.
    pub user_id: Vec<String>,
    /// Auth config ids (`ac_…`).
    pub auth_config_id: Vec<String>,
    /// Connected account ids (`ca_…`).
    pub connected_account_id: Vec<String>,
    /// Values of `metadata.trigger_data` (the TS SDK's `triggerData`
    /// filter). Unlike the other filters this is **exact**,
    /// case-sensitive string equality; an event without trigger data never
    /// matches a set filter.
    pub trigger_data: Vec<String>,
}

impl TriggerSubscriptionFilters {
    /// Also accept this trigger slug.
    pub fn trigger_slug(mut self, value: impl Into<String>) -> Self {
        self.trigger_slug.push(value.into());
        self
    }

    /// Also accept this trigger instance id.
    pub fn trigger_id(mut self, value: impl Into<String>) -> Self {
        self.trigger_id.push(value.into());
        self
    }

    /// Also accept this toolkit.
    pub fn toolkit(mut self, value: impl Into<String>) -> Self {
        self.toolkit.push(value.into());
        self
    }

    /// Also accept this user id.
    pub fn user_id(mut self, value: impl Into<String>) -> Self {
        self.user_id.push(value.into());
        self
    }

    /// Also accept this auth config id.
    pub fn auth_config_id(mut self, value: impl Into<String>) -> Self {
        self.auth_config_id.push(value.into());
        self
    }

    /// Also accept this connected account id.
    pub fn connected_account_id(mut self, value: impl Into<String>) -> Self {
        self.connected_account_id.push(value.into());
        self
    }

    /// Also accept this `metadata.trigger_data` value (exact match).
    pub fn trigger_data(mut self, value: impl Into<String>) -> Self {
        self.trigger_data.push(value.into());
        self
    }

    /// Whether an event passes every filter.
    pub fn matches(&self, event: &TriggerEvent) -> bool {
        fn first<'a>(a: &'a str, b: &'a str) -> &'a str {
            if a.is_empty() {
                b
            } else {
                a
            }
        }
        fn ok(filter: &[String], value: &str) -> bool {
            filter.is_empty() || filter.iter().any(|f| f.eq_ignore_ascii_case(value))
        }
        let m = &event.metadata;
        let ca = &m.connected_account;
        ok(&self.trigger_slug, first(&event.trigger_slug, &m.trigger_slug))
            && ok(&self.trigger_id, first(&m.id, &event.id))
            && ok(&self.toolkit, first(&event.toolkit_slug, &m.toolkit_slug))
            && ok(&self.user_id, first(&event.user_id, &ca.user_id))
            && ok(&self.auth_config_id, &ca.auth_config_id)
            && ok(&self.connected_account_id, &ca.id)
            && (self.trigger_data.is_empty() || {
                let data = match &m.trigger_data {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Null) | None => None,
                    Some(other) => Some(other.to_string()),
                };
                data.is_some_and(|d| self.trigger_data.contains(&d))
            })
    }

    fn validate(&self) -> Result<()> {
        let lists = [
            ("trigger_slug", &self.trigger_slug),
            ("trigger_id", &self.trigger_id),
            ("toolkit", &self.toolkit),
            ("user_id", &self.user_id),
            ("auth_config_id", &self.auth_config_id),
            ("connected_account_id", &self.connected_account_id),
            ("trigger_data", &self.trigger_data),
        ];
        for (name, values) in lists {
            if values.iter().any(|v| v.trim().is_empty()) {
                return Err(Error::validation(format!("subscription filter {name} contains an empty value")));
            }
        }
        Ok(())
    }
}

/// A failure a running subscription hit after its first successful
/// subscribe. The subscription keeps retrying (with backoff) after
/// reporting it; call [`TriggerSubscription::stop`] to give up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RealtimeError {
    /// What went wrong (no secrets).
    pub message: String,
    /// Retrying is unlikely to help without outside action (credentials or
    /// channel authorisation refused with a client error, a bad URL, a
    /// rejected channel subscription). Retried all the same: the key may be
    /// restored, the server may come back with another configuration.
    pub fatal: bool,
    /// How many connection attempts have failed in a row, this one
    /// included (1 for the first failure after a working connection).
    pub attempt: u32,
}

impl RealtimeError {
    /// The same failure as an [`Error::Realtime`].
    pub fn to_error(&self) -> Error {
        Error::Realtime { message: self.message.clone() }
    }
}

impl std::fmt::Display for RealtimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One item of [`Triggers::subscribe_stream`]: an event or a failure of the
/// running subscription, in the order they happened.
#[derive(Debug, Clone)]
pub enum RealtimeItem {
    /// A trigger event that passed the filters (boxed: events are large).
    Event(Box<TriggerEvent>),
    /// The connection failed after the first subscribe; a reconnect
    /// follows.
    Error(RealtimeError),
}

/// Where a worker puts what it has to tell.
enum Sink {
    /// Events only (errors are logged).
    Events(mpsc::Sender<TriggerEvent>),
    /// Events and errors.
    Items(mpsc::Sender<RealtimeItem>),
}

/// A running realtime subscription. Events flow until [`stop`] is called
/// or the value is dropped (dropping it stops the background task).
///
/// [`stop`]: TriggerSubscription::stop
#[derive(Debug)]
pub struct TriggerSubscription {
    stop: watch::Sender<bool>,
    done: watch::Receiver<bool>,
}

impl TriggerSubscription {
    /// Stops the subscription: the socket is closed (with a close frame)
    /// and no more events are delivered. Idempotent.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Whether the subscription is still running (connected or
    /// reconnecting).
    pub fn is_alive(&self) -> bool {
        !*self.stop.borrow() && !*self.done.borrow()
    }

    /// Waits until the subscription has ended (after [`stop`], or when the
    /// event receiver was dropped). Like Python's `wait_forever`.
    ///
    /// [`stop`]: TriggerSubscription::stop
    pub async fn wait(&self) {
        let mut done = self.done.clone();
        let _ = done.wait_for(|d| *d).await;
    }
}

impl Drop for TriggerSubscription {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Triggers {
    /// Fetches the realtime credentials
    /// (`GET /api/v3/internal/sdk/realtime/credentials`).
    pub async fn realtime_credentials(&self) -> Result<RealtimeCredentials> {
        let req =
            ApiRequest::get(["internal", "sdk", "realtime", "credentials"]).with_prefix(REALTIME_PREFIX);
        self.client.transport().json(&req).await
    }

    /// Subscribes to the project's trigger events and calls `handler` for
    /// each event that passes `filters`, with default [`RealtimeOptions`].
    /// Returns once the channel subscription succeeded.
    ///
    /// The handler runs on a dedicated thread, one event at a time, in
    /// arrival order; a panicking handler is logged and does not stop the
    /// subscription.
    pub async fn subscribe<F>(
        &self,
        filters: TriggerSubscriptionFilters,
        handler: F,
    ) -> Result<TriggerSubscription>
    where
        F: Fn(TriggerEvent) + Send + Sync + 'static,
    {
        self.subscribe_with_options(filters, RealtimeOptions::default(), handler).await
    }

    /// Like [`Triggers::subscribe`], with explicit options.
    pub async fn subscribe_with_options<F>(
        &self,
        filters: TriggerSubscriptionFilters,
        options: RealtimeOptions,
        handler: F,
    ) -> Result<TriggerSubscription>
    where
        F: Fn(TriggerEvent) + Send + Sync + 'static,
    {
        filters.validate()?;
        options.validate()?;
        let (tx, mut rx) = mpsc::channel::<TriggerEvent>(options.channel_capacity);
        std::thread::Builder::new()
            .name("composio-trigger-events".into())
            .spawn(move || {
                while let Some(event) = rx.blocking_recv() {
                    call_handler(&handler, event);
                }
            })
            .map_err(|e| Error::internal(format!("could not start the trigger event thread: {e}")))?;
        start(self.client.clone(), filters, options, Sink::Events(tx)).await
    }

    /// Like [`Triggers::subscribe_with_options`], and also calls `on_error`
    /// for every failure after the first successful subscribe (see
    /// [`RealtimeError`]); the subscription retries after each. Both
    /// callbacks run on the same dedicated thread, one at a time, in the
    /// order things happened; a panic in either is logged.
    pub async fn subscribe_with_error_handler<F, E>(
        &self,
        filters: TriggerSubscriptionFilters,
        options: RealtimeOptions,
        handler: F,
        on_error: E,
    ) -> Result<TriggerSubscription>
    where
        F: Fn(TriggerEvent) + Send + Sync + 'static,
        E: Fn(RealtimeError) + Send + Sync + 'static,
    {
        filters.validate()?;
        options.validate()?;
        let (tx, mut rx) = mpsc::channel::<RealtimeItem>(options.channel_capacity);
        std::thread::Builder::new()
            .name("composio-trigger-events".into())
            .spawn(move || {
                while let Some(item) = rx.blocking_recv() {
                    match item {
                        RealtimeItem::Event(event) => call_handler(&handler, *event),
                        RealtimeItem::Error(error) => {
                            if std::panic::catch_unwind(AssertUnwindSafe(|| on_error(error))).is_err() {
                                tracing::error!("trigger subscription error handler panicked; continuing");
                            }
                        }
                    }
                }
            })
            .map_err(|e| Error::internal(format!("could not start the trigger event thread: {e}")))?;
        start(self.client.clone(), filters, options, Sink::Items(tx)).await
    }

    /// Subscribes and returns a receiver of events and of failures after
    /// the first subscribe ([`RealtimeItem`]), in order. Dropping the
    /// receiver ends the subscription. When the receiver is full, errors
    /// are logged instead of queued (events wait for room).
    pub async fn subscribe_stream(
        &self,
        filters: TriggerSubscriptionFilters,
        options: RealtimeOptions,
    ) -> Result<(TriggerSubscription, mpsc::Receiver<RealtimeItem>)> {
        filters.validate()?;
        options.validate()?;
        let (tx, rx) = mpsc::channel(options.channel_capacity);
        let sub = start(self.client.clone(), filters, options, Sink::Items(tx)).await?;
        Ok((sub, rx))
    }

    /// Subscribes and returns a receiver of the events that pass `filters`
    /// (default [`RealtimeOptions`]). Dropping the receiver ends the
    /// subscription.
    pub async fn subscribe_channel(
        &self,
        filters: TriggerSubscriptionFilters,
    ) -> Result<(TriggerSubscription, mpsc::Receiver<TriggerEvent>)> {
        self.subscribe_channel_with_options(filters, RealtimeOptions::default()).await
    }

    /// Like [`Triggers::subscribe_channel`], with explicit options.
    pub async fn subscribe_channel_with_options(
        &self,
        filters: TriggerSubscriptionFilters,
        options: RealtimeOptions,
    ) -> Result<(TriggerSubscription, mpsc::Receiver<TriggerEvent>)> {
        filters.validate()?;
        options.validate()?;
        let (tx, rx) = mpsc::channel(options.channel_capacity);
        let sub = start(self.client.clone(), filters, options, Sink::Events(tx)).await?;
        Ok((sub, rx))
    }
}

fn call_handler<F: Fn(TriggerEvent)>(handler: &F, event: TriggerEvent) {
    let slug = event.trigger_slug.clone();
    if std::panic::catch_unwind(AssertUnwindSafe(|| handler(event))).is_err() {
        tracing::error!(trigger_slug = %slug, "trigger event handler panicked; continuing");
    }
}

/// Normalises one realtime event payload (the JSON inside
/// `trigger_to_client`): the webhook shapes (V3, V2, V1) are tried first,
/// then the legacy camelCase realtime shape.
pub fn parse_realtime_event(value: &Value) -> Result<TriggerEvent> {
    if let Ok((_, event)) = crate::webhooks::parse_payload(value) {
        return Ok(event);
    }
    parse_legacy_event(value)
}

/// Normalises the legacy camelCase realtime payload (`appName`,
/// `metadata.nanoId`, `metadata.connection.clientUniqueUserId`, …).
pub fn parse_legacy_event(value: &Value) -> Result<TriggerEvent> {
    let obj =
        value.as_object().ok_or_else(|| Error::decode("realtime trigger event is not a JSON object"))?;
    let meta = obj
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::decode("realtime trigger event has no metadata object"))?;
    if !obj.contains_key("appName") && !meta.contains_key("nanoId") && !meta.contains_key("triggerName") {
        return Err(Error::decode("realtime trigger event matches no known shape"));
    }
    let s = |o: Option<&Map<String, Value>>, k: &str| -> String {
        o.and_then(|o| o.get(k)).and_then(Value::as_str).unwrap_or_default().to_owned()
    };
    let or = |a: String, b: String| if a.is_empty() { b } else { a };
    let meta = Some(meta);
    let conn = meta.and_then(|m| m.get("connection")).and_then(Value::as_object);
    let nano_id = s(meta, "nanoId");
    let uuid = s(meta, "id");
    let toolkit = s(Some(obj), "appName");
    let trigger_slug = s(meta, "triggerName");
    let user_id = s(conn, "clientUniqueUserId");
    let trigger_data = meta.and_then(|m| m.get("triggerData")).filter(|v| !v.is_null()).cloned();
    let trigger_config =
        meta.and_then(|m| m.get("triggerConfig")).and_then(Value::as_object).cloned().unwrap_or_default();
    let connected_account = TriggerEventConnectedAccount {
        id: or(s(conn, "connectedAccountNanoId"), s(meta, "connectionNanoId")),
        uuid: or(s(conn, "id"), s(meta, "connectionId")),
        auth_config_id: s(conn, "authConfigNanoId"),
        auth_config_uuid: s(conn, "integrationId"),
        user_id: user_id.clone(),
        status: s(conn, "status"),
    };
    Ok(TriggerEvent {
        id: nano_id.clone(),
        uuid: uuid.clone(),
        user_id,
        toolkit_slug: toolkit.clone(),
        trigger_slug: trigger_slug.clone(),
        payload: obj.get("payload").cloned().unwrap_or(Value::Null),
        original_payload: obj.get("originalPayload").filter(|v| !v.is_null()).cloned(),
        metadata: TriggerEventMetadata {
            id: nano_id,
            uuid,
            toolkit_slug: toolkit,
            trigger_slug,
            trigger_data,
            trigger_config,
            connected_account,
        },
    })
}

async fn start(
    client: Composio,
    filters: TriggerSubscriptionFilters,
    options: RealtimeOptions,
    events: Sink,
) -> Result<TriggerSubscription> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, done_rx) = watch::channel(false);
    let (ready_tx, ready_rx) = oneshot::channel();
    let last_error = Arc::new(Mutex::new(None::<String>));
    let connect_timeout = options.connect_timeout;
    let worker = Worker {
        client,
        filters,
        options,
        events,
        stop: stop_rx,
        ready: Some(ready_tx),
        last_error: last_error.clone(),
        creds: None,
    };
    tokio::spawn(async move {
        let _done = DoneGuard(done_tx);
        worker.run().await;
    });
    let sub = TriggerSubscription { stop: stop_tx, done: done_rx };
    match tokio::time::timeout(connect_timeout, ready_rx).await {
        Ok(Ok(Ok(()))) => Ok(sub),
        Ok(Ok(Err(e))) => Err(e),
        Ok(Err(_)) => Err(Error::Realtime { message: "the realtime task ended before subscribing".into() }),
        Err(_) => {
            sub.stop();
            let last = last_error.lock().ok().and_then(|g| g.clone());
            Err(Error::Realtime {
                message: format!(
                    "timed out after {} ms waiting for the trigger channel subscription{}",
                    connect_timeout.as_millis(),
                    last.map(|l| format!(" (last error: {l})")).unwrap_or_default()
                ),
            })
        }
    }
}

/// Marks the subscription done when the task ends, even by a panic.
struct DoneGuard(watch::Sender<bool>);

impl Drop for DoneGuard {
    fn drop(&mut self) {
        self.0.send_replace(true);
    }
}

/// Why a connection ended.
enum Ended {
    /// `stop()` was called (or the subscription dropped).
    Stopped,
    /// Nobody receives events any more.
    ReceiverGone,
}

/// A failed connection attempt or a dropped connection.
struct Failure {
    message: String,
    /// Retrying cannot help (bad credentials, rejected auth, bad URL).
    fatal: bool,
}

impl Failure {
    fn transient(message: impl Into<String>) -> Self {
        Self { message: message.into(), fatal: false }
    }

    fn fatal(message: impl Into<String>) -> Self {
        Self { message: message.into(), fatal: true }
    }

    /// An API call failed: client errors other than 408/409/429 are fatal.
    fn from_api(what: &str, e: &Error) -> Self {
        let fatal = match e {
            Error::Api(a) => (400..500).contains(&a.status) && !matches!(a.status, 408 | 409 | 429),
            Error::Decode { .. } => true,
            _ => false,
        };
        Self { message: format!("{what}: {e}"), fatal }
    }
}

struct Worker {
    client: Composio,
    filters: TriggerSubscriptionFilters,
    options: RealtimeOptions,
    events: Sink,
    stop: watch::Receiver<bool>,
    ready: Option<oneshot::Sender<Result<()>>>,
    last_error: Arc<Mutex<Option<String>>>,
    creds: Option<RealtimeCredentials>,
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    // Resolves on stop() and when the subscription (the sender) is gone.
    let _ = stop.wait_for(|s| *s).await;
}

impl Worker {
    async fn run(mut self) {
        let mut attempt: u32 = 0;
        loop {
            if *self.stop.borrow() {
                return;
            }
            match self.connection(&mut attempt).await {
                Ok(Ended::Stopped) => {
                    tracing::debug!("trigger subscription stopped");
                    return;
                }
                Ok(Ended::ReceiverGone) => {
                    tracing::debug!("trigger event receiver dropped; ending the subscription");
                    return;
                }
                Err(failure) => {
                    if let Some(ready) = self.ready.take() {
                        if failure.fatal {
                            let _ = ready.send(Err(Error::Realtime { message: failure.message }));
                            return;
                        }
                        self.ready = Some(ready);
                    }
                    tracing::warn!(error = %failure.message, attempt, "trigger subscription connection failed; reconnecting");
                    if self.ready.is_none() {
                        self.report(&failure, attempt.saturating_add(1));
                    }
                    if let Ok(mut last) = self.last_error.lock() {
                        *last = Some(failure.message);
                    }
                }
            }
            let delay = self.backoff(attempt);
            attempt = attempt.saturating_add(1);
            tokio::select! {
                _ = stopped(&mut self.stop) => return,
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// Tells an error-aware sink about a failure after the first
    /// subscribe. Never waits: when the queue is full the error is only
    /// logged (above).
    fn report(&self, failure: &Failure, attempt: u32) {
        if let Sink::Items(tx) = &self.events {
            let error = RealtimeError { message: failure.message.clone(), fatal: failure.fatal, attempt };
            if let Err(mpsc::error::TrySendError::Full(_)) = tx.try_send(RealtimeItem::Error(error)) {
                tracing::debug!("trigger subscription error not queued: the receiver is full");
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.options.initial_backoff.saturating_mul(2u32.saturating_pow(attempt.min(20)));
        let capped = base.min(self.options.max_backoff);
        // Jitter: between half and all of the delay.
        capped.mul_f64(0.5 + rand::random::<f64>() * 0.5)
    }

    async fn credentials(&mut self) -> std::result::Result<RealtimeCredentials, Failure> {
        if let Some(c) = &self.creds {
            return Ok(c.clone());
        }
        let creds = self
            .client
            .triggers()
            .realtime_credentials()
            .await
            .map_err(|e| Failure::from_api("fetching realtime credentials failed", &e))?;
        if creds.pusher_key.is_empty() {
            return Err(Failure::fatal("the realtime credentials have an empty pusher_key"));
        }
        if creds.project_id.is_empty() {
            return Err(Failure::fatal("the realtime credentials have an empty project_id"));
        }
        self.creds = Some(creds.clone());
        Ok(creds)
    }

    fn ws_url(&self, creds: &RealtimeCredentials) -> std::result::Result<url::Url, Failure> {
        let mut url = if let Some(o) = &self.options.ws_url_override {
            parse_ws_base(o, "ws_url_override")?
        } else if let Some(u) = creds.pusher_ws_url.as_deref().filter(|u| !u.is_empty()) {
            parse_ws_base(u, "pusher_ws_url")?
        } else {
            if creds.pusher_cluster.is_empty() {
                return Err(Failure::fatal("the realtime credentials have an empty pusher_cluster"));
            }
            parse_ws_base(&format!("wss://ws-{}.pusher.com:443", creds.pusher_cluster), "pusher_cluster")?
        };
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty().push("app").push(&creds.pusher_key);
        }
        url.query_pairs_mut()
            .append_pair("protocol", "7")
            .append_pair("client", "composio-rs")
            .append_pair("version", env!("CARGO_PKG_VERSION"))
            .append_pair("flash", "false");
        Ok(url)
    }

    async fn authorize(&self, socket_id: &str, channel: &str) -> std::result::Result<String, Failure> {
        #[derive(Deserialize)]
        struct AuthResponse {
            #[serde(default)]
            auth: String,
        }
        let req = ApiRequest::post(["internal", "sdk", "realtime", "auth"])
            .form(vec![
                ("socket_id".to_string(), socket_id.to_string()),
                ("channel_name".to_string(), channel.to_string()),
            ])
            .with_prefix(REALTIME_PREFIX);
        let resp: AuthResponse = self
            .client
            .transport()
            .json(&req)
            .await
            .map_err(|e| Failure::from_api("realtime channel authorisation failed", &e))?;
        if resp.auth.is_empty() {
            return Err(Failure::fatal("realtime channel authorisation returned no auth"));
        }
        Ok(resp.auth)
    }

    /// One connection: connect, authenticate, subscribe, deliver events.
    async fn connection(&mut self, attempt: &mut u32) -> std::result::Result<Ended, Failure> {
        let step = self.options.connect_timeout;
        let creds = self.credentials().await?;
        let url = self.ws_url(&creds)?;
        let connect = tokio::time::timeout(step, tokio_tungstenite::connect_async(url.as_str()));
        let mut ws: Socket = tokio::select! {
            _ = stopped(&mut self.stop) => return Ok(Ended::Stopped),
            r = connect => match r {
                Ok(Ok((ws, _))) => ws,
                Ok(Err(e)) => {
                    // The endpoint may have moved: fetch credentials again.
                    self.creds = None;
                    return Err(Failure::transient(format!("could not open the realtime WebSocket at {}: {e}", redact(&url))));
                }
                Err(_) => {
                    self.creds = None;
                    return Err(Failure::transient(format!("opening the realtime WebSocket at {} timed out", redact(&url))));
                }
            },
        };
        let result = self.serve(&mut ws, &creds, attempt).await;
        // Close politely when we end the connection on purpose; a broken
        // connection is just dropped.
        let polite = match &result {
            Ok(_) => true,
            Err(f) => f.fatal,
        };
        if polite {
            let _ = tokio::time::timeout(CLOSE_GRACE, ws.close(None)).await;
            // Read the server's close reply so the handshake completes.
            let _ =
                tokio::time::timeout(CLOSE_GRACE, async { while let Some(Ok(_)) = ws.next().await {} }).await;
        }
        result
    }

    async fn serve(
        &mut self,
        ws: &mut Socket,
        creds: &RealtimeCredentials,
        attempt: &mut u32,
    ) -> std::result::Result<Ended, Failure> {
        let step = self.options.connect_timeout;
        // 1. connection_established
        let deadline = Instant::now() + step;
        let (socket_id, server_activity) = loop {
            let msg = tokio::select! {
                _ = stopped(&mut self.stop) => return Ok(Ended::Stopped),
                _ = tokio::time::sleep_until(deadline) => {
                    return Err(Failure::transient("the realtime server did not confirm the connection in time"));
                }
                m = ws.next() => m,
            };
            let Some(frame) = next_pusher_message(msg)? else { continue };
            match frame.event.as_str() {
                "pusher:connection_established" => {
                    let data = frame.data_json();
                    let socket_id =
                        data.get("socket_id").and_then(Value::as_str).unwrap_or_default().to_owned();
                    if socket_id.is_empty() {
                        return Err(Failure::transient("pusher:connection_established carried no socket_id"));
                    }
                    let activity = data
                        .get("activity_timeout")
                        .and_then(Value::as_f64)
                        .filter(|s| *s > 0.0)
                        .map(Duration::from_secs_f64);
                    break (socket_id, activity);
                }
                "pusher:error" => return Err(pusher_error(&frame.data_json())),
                "pusher:ping" => send_json(ws, &json!({"event": "pusher:pong", "data": {}})).await?,
                _ => {}
            }
        };
        let mut activity = server_activity.unwrap_or(DEFAULT_ACTIVITY_TIMEOUT);
        if let Some(mine) = self.options.activity_timeout {
            activity = activity.min(mine);
        }

        // 2. channel auth and subscribe
        let channel = format!("private-{}_triggers", creds.project_id);
        let mut stop = self.stop.clone();
        let auth = tokio::select! {
            _ = stopped(&mut stop) => return Ok(Ended::Stopped),
            a = self.authorize(&socket_id, &channel) => a?,
        };
        send_json(ws, &json!({"event": "pusher:subscribe", "data": {"channel": channel, "auth": auth}}))
            .await?;

        // 3. events
        let subscribe_deadline = Instant::now() + step;
        let mut subscribed = false;
        let mut last_activity = Instant::now();
        let mut ping_sent: Option<Instant> = None;
        let mut chunks = ChunkBuffer::default();
        loop {
            let timer = match ping_sent {
                Some(at) => at + self.options.pong_timeout,
                None => last_activity + activity,
            };
            let msg = tokio::select! {
                _ = stopped(&mut self.stop) => return Ok(Ended::Stopped),
                _ = tokio::time::sleep_until(subscribe_deadline), if !subscribed => {
                    return Err(Failure::transient(format!("subscribing to {channel} was not confirmed in time")));
                }
                _ = tokio::time::sleep_until(timer) => {
                    if ping_sent.is_some() {
                        return Err(Failure::transient("the realtime server did not answer our ping"));
                    }
                    send_json(ws, &json!({"event": "pusher:ping", "data": {}})).await?;
                    ping_sent = Some(Instant::now());
                    continue;
                }
                m = ws.next() => m,
            };
            last_activity = Instant::now();
            ping_sent = None;
            let Some(frame) = next_pusher_message(msg)? else { continue };
            let on_our_channel = frame.channel.as_deref().is_none_or(|c| c == channel);
            match frame.event.as_str() {
                "pusher:ping" => send_json(ws, &json!({"event": "pusher:pong", "data": {}})).await?,
                "pusher:pong" => {}
                "pusher_internal:subscription_succeeded" if on_our_channel => {
                    subscribed = true;
                    *attempt = 0;
                    tracing::info!(channel = %channel, "subscribed to trigger events");
                    if let Ok(mut last) = self.last_error.lock() {
                        *last = None;
                    }
                    if let Some(ready) = self.ready.take() {
                        let _ = ready.send(Ok(()));
                    }
                }
                "pusher:subscription_error" if on_our_channel => {
                    return Err(Failure::fatal(format!(
                        "subscribing to {channel} was rejected: {}",
                        describe(&frame.data_json())
                    )));
                }
                "pusher:error" => {
                    if !subscribed {
                        return Err(pusher_error(&frame.data_json()));
                    }
                    tracing::warn!(error = %describe(&frame.data_json()), "realtime server reported an error");
                }
                "trigger_to_client" if on_our_channel => match frame.data_json() {
                    Value::Null => tracing::warn!("trigger_to_client event without data dropped"),
                    v => {
                        if self.deliver(&v).await.is_err() {
                            return Ok(Ended::ReceiverGone);
                        }
                    }
                },
                "chunked-trigger_to_client" if on_our_channel => {
                    if let Some(joined) = chunks.push(&frame.data_json()) {
                        match serde_json::from_str::<Value>(&joined) {
                            Ok(v) => {
                                if self.deliver(&v).await.is_err() {
                                    return Ok(Ended::ReceiverGone);
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "reassembled chunked trigger event is not JSON; dropped")
                            }
                        }
                    }
                }
                other => tracing::debug!(event = other, "ignored realtime message"),
            }
        }
    }

    /// Normalises, filters and queues one event. `Err` when the receiver is
    /// gone or the subscription was stopped while waiting for room.
    async fn deliver(&mut self, value: &Value) -> std::result::Result<(), ()> {
        let event = match parse_realtime_event(value) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "unrecognised realtime trigger event dropped");
                return Ok(());
            }
        };
        if !self.filters.matches(&event) {
            tracing::trace!(trigger_slug = %event.trigger_slug, "trigger event filtered out");
            return Ok(());
        }
        match &self.events {
            Sink::Events(tx) => tokio::select! {
                r = tx.send(event) => r.map_err(|_| ()),
                _ = stopped(&mut self.stop) => Err(()),
            },
            Sink::Items(tx) => tokio::select! {
                r = tx.send(RealtimeItem::Event(Box::new(event))) => r.map_err(|_| ()),
                _ = stopped(&mut self.stop) => Err(()),
            },
        }
    }
}

/// The URL without its query (which is not secret, but keeps logs short).
fn redact(url: &url::Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.to_string()
}

fn parse_ws_base(raw: &str, what: &str) -> std::result::Result<url::Url, Failure> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Failure::fatal(format!("{what} is not a valid WebSocket URL: {e}")))?;
    match url.scheme() {
        "ws" | "wss" => Ok(url),
        other => Err(Failure::fatal(format!("{what} must use ws:// or wss://, not {other}://"))),
    }
}

fn describe(data: &Value) -> String {
    let code = data.get("code").filter(|c| !c.is_null()).map(|c| format!("code {c}: ")).unwrap_or_default();
    let message = data.get("message").and_then(Value::as_str).unwrap_or("no message");
    format!("{code}{message}")
}

/// A `pusher:error` before the subscription: codes 4000–4099 mean "do not
/// reconnect".
fn pusher_error(data: &Value) -> Failure {
    let code = data.get("code").and_then(Value::as_i64);
    let message = format!("the realtime server reported an error ({})", describe(data));
    if code.is_some_and(|c| (4000..4100).contains(&c)) {
        Failure::fatal(message)
    } else {
        Failure::transient(message)
    }
}

async fn send_json(ws: &mut Socket, value: &Value) -> std::result::Result<(), Failure> {
    ws.send(Message::text(value.to_string()))
        .await
        .map_err(|e| Failure::transient(format!("writing to the realtime WebSocket failed: {e}")))
}

/// One Pusher protocol message.
struct PusherFrame {
    event: String,
    channel: Option<String>,
    data: Value,
}

impl PusherFrame {
    /// `data`, decoded when it is a JSON string (Pusher sends most `data`
    /// fields as encoded JSON); a string that is not JSON stays a string.
    fn data_json(&self) -> Value {
        match &self.data {
            Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())),
            other => other.clone(),
        }
    }
}

/// Turns a WebSocket read into a Pusher message; `Ok(None)` for frames that
/// carry none (pings, pongs, unparsable text).
fn next_pusher_message(
    msg: Option<std::result::Result<Message, tokio_tungstenite::tungstenite::Error>>,
) -> std::result::Result<Option<PusherFrame>, Failure> {
    let text = match msg {
        None => return Err(Failure::transient("the realtime server closed the connection")),
        Some(Err(e)) => return Err(Failure::transient(format!("the realtime connection failed: {e}"))),
        Some(Ok(Message::Close(frame))) => {
            let why =
                frame.map(|f| format!(" (code {}: {})", u16::from(f.code), f.reason)).unwrap_or_default();
            return Err(Failure::transient(format!("the realtime server closed the connection{why}")));
        }
        Some(Ok(Message::Text(t))) => t.as_str().to_owned(),
        Some(Ok(Message::Binary(b))) => match String::from_utf8(b.to_vec()) {
            Ok(t) => t,
            Err(_) => return Ok(None),
        },
        Some(Ok(_)) => return Ok(None),
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "realtime message is not JSON; ignored");
            return Ok(None);
        }
    };
    let Some(event) = value.get("event").and_then(Value::as_str) else {
        return Ok(None);
    };
    Ok(Some(PusherFrame {
        event: event.to_owned(),
        channel: value.get("channel").and_then(Value::as_str).map(str::to_owned),
        data: value.get("data").cloned().unwrap_or(Value::Null),
    }))
}

/// Reassembles `chunked-trigger_to_client` messages.
#[derive(Default)]
struct ChunkBuffer {
    pending: HashMap<String, PartialEvent>,
}

struct PartialEvent {
    parts: BTreeMap<u64, String>,
    last: Option<u64>,
    started: Instant,
}

impl ChunkBuffer {
    /// Adds one chunk (`{id, index, chunk, final}`); returns the joined text
    /// once the final chunk and every chunk before it have arrived.
    fn push(&mut self, data: &Value) -> Option<String> {
        let id = match data.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                tracing::warn!("chunked trigger event without id dropped");
                return None;
            }
        };
        let index = match data.get("index") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        let (Some(index), Some(chunk)) = (index, data.get("chunk").and_then(Value::as_str)) else {
            tracing::warn!(id = %id, "malformed chunk of a chunked trigger event dropped");
            return None;
        };
        let is_final = match data.get("final") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        let now = Instant::now();
        self.pending.retain(|_, p| now.duration_since(p.started) < CHUNK_TTL);
        if !self.pending.contains_key(&id) && self.pending.len() >= MAX_PENDING_CHUNKED {
            if let Some(oldest) = self.pending.iter().min_by_key(|(_, p)| p.started).map(|(k, _)| k.clone()) {
                tracing::warn!(id = %oldest, "too many incomplete chunked trigger events; dropping the oldest");
                self.pending.remove(&oldest);
            }
        }
        let entry = self.pending.entry(id.clone()).or_insert_with(|| PartialEvent {
            parts: BTreeMap::new(),
            last: None,
            started: now,
        });
        entry.parts.insert(index, chunk.to_owned());
        if is_final {
            entry.last = Some(index);
        }
        let last = entry.last?;
        let complete = entry.parts.len() as u64 == last.saturating_add(1)
            && entry.parts.keys().next_back() == Some(&last);
        if !complete {
            return None;
        }
        let parts = self.pending.remove(&id)?.parts;
        Some(parts.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_join_in_index_order_only_without_gaps() {
        let mut b = ChunkBuffer::default();
        assert_eq!(b.push(&json!({"id": "a", "index": 2, "chunk": "c", "final": true})), None);
        assert_eq!(b.push(&json!({"id": "a", "index": 0, "chunk": "a", "final": false})), None);
        assert_eq!(b.push(&json!({"id": "a", "index": 1, "chunk": "b", "final": false})), Some("abc".into()));
        assert!(b.pending.is_empty());
        assert_eq!(b.push(&json!({"id": "b", "index": 0, "chunk": "x", "final": true})), Some("x".into()));
        assert_eq!(b.push(&json!({"id": "c", "chunk": "x"})), None);
    }

    #[test]
    fn filters_are_case_insensitive_and_any_of() {
        let event = TriggerEvent {
            id: "ti_1".into(),
            toolkit_slug: "github".into(),
            trigger_slug: "GITHUB_COMMIT_EVENT".into(),
            user_id: "u1".into(),
            metadata: TriggerEventMetadata {
                id: "ti_1".into(),
                connected_account: TriggerEventConnectedAccount {
                    id: "ca_1".into(),
                    auth_config_id: "ac_1".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(TriggerSubscriptionFilters::default().matches(&event));
        assert!(TriggerSubscriptionFilters::default().toolkit("GITHUB").matches(&event));
        assert!(TriggerSubscriptionFilters::default().toolkit("slack").toolkit("GitHub").matches(&event));
        assert!(!TriggerSubscriptionFilters::default().toolkit("slack").matches(&event));
        assert!(TriggerSubscriptionFilters::default()
            .trigger_id("TI_1")
            .auth_config_id("AC_1")
            .matches(&event));
        assert!(!TriggerSubscriptionFilters::default().connected_account_id("ca_2").matches(&event));
        assert!(!TriggerSubscriptionFilters::default().user_id("u2").matches(&event));
    }
}
