//! Realtime trigger subscriptions against a small Pusher-protocol WebSocket
//! server (below) and a mock API for the credentials and channel auth.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use composio_core::models::TriggerEvent;
use composio_core::triggers::realtime::{RealtimeError, RealtimeItem};
use composio_core::triggers::{RealtimeOptions, TriggerSubscriptionFilters};
use composio_core::{Composio, ComposioConfig, RetryPolicy};
use composio_testkit::{MockServer, Reply};
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(10);
const CHANNEL: &str = "private-pr_1_triggers";

// ---------------------------------------------------------------------------
// A minimal Pusher-protocol server.

#[derive(Debug, Clone)]
enum OnSubscribe {
    Succeed,
    Ignore,
    Error(Value),
}

#[derive(Debug, Clone)]
struct ServerConfig {
    activity_timeout: u64,
    auto_pong: bool,
    on_subscribe: OnSubscribe,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self { activity_timeout: 120, auto_pong: true, on_subscribe: OnSubscribe::Succeed }
    }
}

#[derive(Debug)]
enum Cmd {
    Send(Value),
    /// Drop the TCP connection without a close handshake.
    Drop,
}

#[derive(Debug, Clone)]
enum SrvEvent {
    /// A client connected; the request's path and query.
    Connected(usize, String),
    /// A JSON text message from the client.
    Received(usize, Value),
    /// The connection ended; `true` when the client sent a close frame.
    Closed(usize, bool),
}

struct PusherServer {
    addr: std::net::SocketAddr,
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<SrvEvent>>,
    conns: Arc<Mutex<Vec<mpsc::UnboundedSender<Cmd>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for PusherServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl PusherServer {
    async fn start(config: ServerConfig) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let conns: Arc<Mutex<Vec<mpsc::UnboundedSender<Cmd>>>> = Arc::default();
        let conns2 = conns.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
                let id = {
                    let mut c = conns2.lock().unwrap();
                    c.push(cmd_tx);
                    c.len() - 1
                };
                tokio::spawn(serve_conn(id, sock, config.clone(), ev_tx.clone(), cmd_rx));
            }
        });
        Self { addr, events: tokio::sync::Mutex::new(ev_rx), conns, task }
    }

    fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    fn send(&self, conn: usize, msg: Value) {
        self.conns.lock().unwrap()[conn].send(Cmd::Send(msg)).unwrap();
    }

    fn send_event(&self, conn: usize, event: &str, data: Value) {
        self.send(conn, json!({"event": event, "channel": CHANNEL, "data": data}));
    }

    /// Sends one trigger event the way Composio does (data is a JSON string).
    fn send_trigger(&self, conn: usize, payload: &Value) {
        self.send_event(conn, "trigger_to_client", Value::String(payload.to_string()));
    }

    fn drop_conn(&self, conn: usize) {
        self.conns.lock().unwrap()[conn].send(Cmd::Drop).unwrap();
    }

    async fn next(&self) -> SrvEvent {
        tokio::time::timeout(WAIT, self.events.lock().await.recv())
            .await
            .expect("timed out waiting for the WebSocket server")
            .expect("server gone")
    }

    /// Waits for a client message with this event name (skipping others).
    async fn expect_msg(&self, event: &str) -> (usize, Value) {
        loop {
            if let SrvEvent::Received(id, v) = self.next().await {
                if v["event"] == event {
                    return (id, v);
                }
            }
        }
    }

    async fn expect_connected(&self) -> (usize, String) {
        loop {
            if let SrvEvent::Connected(id, path) = self.next().await {
                return (id, path);
            }
        }
    }

    async fn expect_closed(&self) -> (usize, bool) {
        loop {
            if let SrvEvent::Closed(id, clean) = self.next().await {
                return (id, clean);
            }
        }
    }
}

async fn serve_conn(
    id: usize,
    sock: tokio::net::TcpStream,
    config: ServerConfig,
    events: mpsc::UnboundedSender<SrvEvent>,
    mut cmds: mpsc::UnboundedReceiver<Cmd>,
) {
    let path = Arc::new(Mutex::new(String::new()));
    let path2 = path.clone();
    #[allow(clippy::result_large_err)] // the error type is tungstenite's
    let callback = move |req: &Request, resp: Response| {
        *path2.lock().unwrap() = req.uri().to_string();
        Ok(resp)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(sock, callback).await else { return };
    let uri = path.lock().unwrap().clone();
    let _ = events.send(SrvEvent::Connected(id, uri));
    let established =
        json!({"socket_id": format!("1.{}", id + 1), "activity_timeout": config.activity_timeout});
    let hello = json!({"event": "pusher:connection_established", "data": established.to_string()});
    if ws.send(Message::text(hello.to_string())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            cmd = cmds.recv() => match cmd {
                Some(Cmd::Send(v)) => {
                    if ws.send(Message::text(v.to_string())).await.is_err() {
                        let _ = events.send(SrvEvent::Closed(id, false));
                        return;
                    }
                }
                Some(Cmd::Drop) | None => {
                    let _ = events.send(SrvEvent::Closed(id, false));
                    return;
                }
            },
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(t.as_str()).unwrap_or(Value::Null);
                    let _ = events.send(SrvEvent::Received(id, v.clone()));
                    let reply = match v["event"].as_str() {
                        Some("pusher:subscribe") => match &config.on_subscribe {
                            OnSubscribe::Succeed => Some(json!({
                                "event": "pusher_internal:subscription_succeeded",
                                "channel": v["data"]["channel"],
                                "data": "{}"
                            })),
                            OnSubscribe::Ignore => None,
                            OnSubscribe::Error(data) => Some(json!({"event": "pusher:error", "data": data})),
                        },
                        Some("pusher:ping") if config.auto_pong => Some(json!({"event": "pusher:pong", "data": "{}"})),
                        _ => None,
                    };
                    if let Some(r) = reply {
                        let _ = ws.send(Message::text(r.to_string())).await;
                    }
                }
                Some(Ok(Message::Close(_))) => {
                    let _ = events.send(SrvEvent::Closed(id, true));
                    let _ = ws.close(None).await;
                    return;
                }
                Some(Ok(_)) => {}
                None | Some(Err(_)) => {
                    let _ = events.send(SrvEvent::Closed(id, false));
                    return;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers.

struct Env {
    api: MockServer,
    ws: PusherServer,
    client: Composio,
}

async fn env(config: ServerConfig) -> Env {
    let ws = PusherServer::start(config).await;
    let api = MockServer::start().await;
    api.mock(
        "GET",
        "/api/v3/internal/sdk/realtime/credentials",
        Reply::json(
            200,
            json!({"pusher_key": "key1", "pusher_cluster": "mt1", "project_id": "pr_1", "pusher_ws_url": ws.ws_url()}),
        ),
    );
    api.mock_fn("POST", "/api/v3/internal/sdk/realtime/auth", |req| {
        let socket =
            req.form_pairs().into_iter().find(|(k, _)| k == "socket_id").map(|(_, v)| v).unwrap_or_default();
        Reply::json(200, json!({"auth": format!("key1:sig-{socket}")}))
    });
    let client = Composio::new(
        ComposioConfig::new("test-key").with_base_url(api.url()).with_retry(RetryPolicy::none()),
    )
    .unwrap();
    Env { api, ws, client }
}

fn fast() -> RealtimeOptions {
    RealtimeOptions {
        connect_timeout: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        ..RealtimeOptions::default()
    }
}

/// A realtime event in the legacy camelCase shape.
fn legacy_event(toolkit: &str, slug: &str, trigger_id: &str, user: &str, marker: i64) -> Value {
    json!({
        "appName": toolkit,
        "clientId": 42,
        "payload": {"n": marker, "text": "hello"},
        "originalPayload": {"raw": marker},
        "metadata": {
            "id": format!("uuid-{trigger_id}"),
            "nanoId": trigger_id,
            "triggerName": slug,
            "triggerData": "{\"x\":1}",
            "triggerConfig": {"repo": "composio"},
            "connectionId": "conn-uuid",
            "connectionNanoId": "ca_legacy",
            "connection": {
                "id": "conn-uuid",
                "connectedAccountNanoId": "ca_1",
                "integrationId": "int-uuid",
                "authConfigNanoId": "ac_1",
                "clientUniqueUserId": user,
                "status": "ACTIVE"
            }
        }
    })
}

async fn recv(rx: &mut mpsc::Receiver<TriggerEvent>) -> TriggerEvent {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("timed out waiting for an event")
        .expect("channel closed")
}

async fn recv_unbounded(rx: &mut mpsc::UnboundedReceiver<TriggerEvent>) -> TriggerEvent {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("timed out waiting for an event")
        .expect("channel closed")
}

// ---------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn subscribe_authenticates_subscribes_and_delivers_events() {
    let e = env(ServerConfig::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sub = e
        .client
        .triggers()
        .subscribe_with_options(TriggerSubscriptionFilters::default(), fast(), move |ev| {
            let _ = tx.send(ev);
        })
        .await
        .unwrap();
    assert!(sub.is_alive());

    // Credentials come from /api/v3 with the API key.
    let creds = e.api.requests_to("GET", "/api/v3/internal/sdk/realtime/credentials");
    assert_eq!(creds.len(), 1);
    assert_eq!(creds[0].header("x-api-key"), Some("test-key"));

    // The WebSocket URL follows the Pusher protocol.
    let (conn, uri) = e.ws.expect_connected().await;
    let url = url::Url::parse(&format!("ws://h{uri}")).unwrap();
    assert_eq!(url.path(), "/app/key1");
    let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("protocol"), Some("7"));
    assert_eq!(get("client"), Some("composio-rs"));
    assert_eq!(get("version"), Some(env!("CARGO_PKG_VERSION")));
    assert_eq!(get("flash"), Some("false"));

    // Channel auth: form body with socket id and channel, x-api-key.
    let auth = e.api.requests_to("POST", "/api/v3/internal/sdk/realtime/auth");
    assert_eq!(auth.len(), 1);
    assert_eq!(auth[0].header("x-api-key"), Some("test-key"));
    assert!(auth[0].header("content-type").unwrap().starts_with("application/x-www-form-urlencoded"));
    let form = auth[0].form_pairs();
    assert!(form.contains(&("socket_id".to_string(), "1.1".to_string())), "{form:?}");
    assert!(form.contains(&("channel_name".to_string(), CHANNEL.to_string())), "{form:?}");

    // The subscribe message carries that auth.
    let (_, subscribe) = e.ws.expect_msg("pusher:subscribe").await;
    assert_eq!(subscribe["data"]["channel"], CHANNEL);
    assert_eq!(subscribe["data"]["auth"], "key1:sig-1.1");

    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1));
    let ev = recv_unbounded(&mut rx).await;
    assert_eq!(ev.id, "ti_1");
    assert_eq!(ev.uuid, "uuid-ti_1");
    assert_eq!(ev.user_id, "user-1");
    assert_eq!(ev.toolkit_slug, "github");
    assert_eq!(ev.trigger_slug, "GITHUB_COMMIT_EVENT");
    assert_eq!(ev.payload, json!({"n": 1, "text": "hello"}));
    assert_eq!(ev.original_payload, Some(json!({"raw": 1})));
    let m = &ev.metadata;
    assert_eq!(m.id, "ti_1");
    assert_eq!(m.uuid, "uuid-ti_1");
    assert_eq!(m.toolkit_slug, "github");
    assert_eq!(m.trigger_slug, "GITHUB_COMMIT_EVENT");
    assert_eq!(m.trigger_data, Some(json!("{\"x\":1}")));
    assert_eq!(m.trigger_config["repo"], "composio");
    let ca = &m.connected_account;
    assert_eq!(ca.id, "ca_1");
    assert_eq!(ca.uuid, "conn-uuid");
    assert_eq!(ca.auth_config_id, "ac_1");
    assert_eq!(ca.auth_config_uuid, "int-uuid");
    assert_eq!(ca.user_id, "user-1");
    assert_eq!(ca.status, "ACTIVE");

    // V3 webhook-shaped events on the channel are normalised like webhooks.
    e.ws.send_trigger(
        conn,
        &json!({"id": "msg_1", "type": "composio.trigger.message", "timestamp": "2026-01-15T10:30:00Z",
                "metadata": {"log_id": "log_1", "trigger_slug": "GITHUB_COMMIT_EVENT", "trigger_id": "ti_v3",
                             "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "user-1"},
                "data": {"n": 3}}),
    );
    let ev = recv_unbounded(&mut rx).await;
    assert_eq!(ev.id, "ti_v3");
    assert_eq!(ev.toolkit_slug, "GITHUB");
    assert_eq!(ev.payload, json!({"n": 3}));
    assert_eq!(ev.metadata.connected_account.auth_config_id, "ac_1");

    // Events on other channels and unknown shapes are ignored.
    e.ws.send(
        conn,
        json!({"event": "trigger_to_client", "channel": "private-other_triggers",
        "data": legacy_event("github", "OTHER", "ti_x", "user-1", 9).to_string()}),
    );
    e.ws.send_trigger(conn, &json!({"something": "else"}));
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_2", "user-1", 2));
    assert_eq!(recv_unbounded(&mut rx).await.id, "ti_2");
    sub.stop();
}

#[tokio::test]
async fn filters_are_case_insensitive_and_combine() {
    let e = env(ServerConfig::default()).await;
    let filters = TriggerSubscriptionFilters::default().toolkit("GITHUB").toolkit("notion").user_id("USER-1");
    let (sub, mut rx) = e.client.triggers().subscribe_channel_with_options(filters, fast()).await.unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1));
    e.ws.send_trigger(conn, &legacy_event("slack", "SLACK_EVENT", "ti_2", "user-1", 2));
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_3", "user-2", 3));
    e.ws.send_trigger(conn, &legacy_event("Notion", "NOTION_PAGE", "ti_4", "user-1", 4));
    // Events arrive in order, so only the matching ones come through.
    assert_eq!(recv(&mut rx).await.id, "ti_1");
    assert_eq!(recv(&mut rx).await.id, "ti_4");

    // Other filters: trigger slug, trigger id, auth config, connected account.
    drop(sub);
    let filters = TriggerSubscriptionFilters::default()
        .trigger_slug("github_commit_event")
        .trigger_id("TI_9")
        .auth_config_id("AC_1")
        .connected_account_id("ca_1");
    let (_sub, mut rx) = e.client.triggers().subscribe_channel_with_options(filters, fast()).await.unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_8", "user-1", 8));
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_STAR_EVENT", "ti_9", "user-1", 9));
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_9", "user-1", 10));
    let ev = recv(&mut rx).await;
    assert_eq!((ev.id.as_str(), ev.payload["n"].as_i64()), ("ti_9", Some(10)));
}

#[tokio::test]
async fn chunked_events_are_reassembled_in_index_order() {
    let e = env(ServerConfig::default()).await;
    let (_sub, mut rx) = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), fast())
        .await
        .unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    let text = legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_big", "user-1", 77).to_string();
    let third = text.len() / 3;
    let parts = [&text[..third], &text[third..2 * third], &text[2 * third..]];
    let chunk = |id: &str, index: usize, chunk: &str, last: bool| {
        Value::String(json!({"id": id, "index": index, "chunk": chunk, "final": last}).to_string())
    };
    // Out of order; the final chunk arrives before the middle one.
    e.ws.send_event(conn, "chunked-trigger_to_client", chunk("m1", 0, parts[0], false));
    e.ws.send_event(conn, "chunked-trigger_to_client", chunk("m1", 2, parts[2], true));
    // A message with a gap never completes.
    e.ws.send_event(conn, "chunked-trigger_to_client", chunk("gap", 0, parts[0], false));
    e.ws.send_event(conn, "chunked-trigger_to_client", chunk("gap", 2, parts[2], true));
    e.ws.send_event(conn, "chunked-trigger_to_client", chunk("m1", 1, parts[1], false));
    // An object `data` (not a JSON string) is accepted too.
    let small = legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_small", "user-1", 5).to_string();
    e.ws.send_event(
        conn,
        "chunked-trigger_to_client",
        json!({"id": "m2", "index": 0, "chunk": small, "final": true}),
    );

    let ev = recv(&mut rx).await;
    assert_eq!(ev.id, "ti_big");
    assert_eq!(ev.payload["n"], 77);
    assert_eq!(recv(&mut rx).await.id, "ti_small");
    // Nothing else: the gapped message was not delivered.
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_marker", "user-1", 0));
    assert_eq!(recv(&mut rx).await.id, "ti_marker");
}

#[tokio::test]
async fn answers_server_pings_and_pings_an_idle_server() {
    let e = env(ServerConfig { activity_timeout: 1, ..ServerConfig::default() }).await;
    let (sub, mut rx) = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), fast())
        .await
        .unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    e.ws.send(conn, json!({"event": "pusher:ping", "data": "{}"}));
    let (c, pong) = e.ws.expect_msg("pusher:pong").await;
    assert_eq!(c, conn);
    assert_eq!(pong["data"], json!({}));
    // After the activity timeout of silence the client pings us.
    let (c, _) = e.ws.expect_msg("pusher:ping").await;
    assert_eq!(c, conn);
    // The server answered (auto pong), so the same connection still works.
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1));
    assert_eq!(recv(&mut rx).await.id, "ti_1");
    assert!(sub.is_alive());
}

#[tokio::test]
async fn a_missing_pong_makes_the_client_reconnect() {
    let e = env(ServerConfig { activity_timeout: 1, auto_pong: false, ..ServerConfig::default() }).await;
    let options = RealtimeOptions { pong_timeout: Duration::from_millis(500), ..fast() };
    let (_sub, mut rx) = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), options)
        .await
        .unwrap();
    let (first, _) = e.ws.expect_connected().await;
    let (c, _) = e.ws.expect_msg("pusher:ping").await;
    assert_eq!(c, first);
    let (second, _) = e.ws.expect_connected().await;
    assert_ne!(first, second);
    let (c, subscribe) = e.ws.expect_msg("pusher:subscribe").await;
    assert_eq!(c, second);
    assert_eq!(subscribe["data"]["auth"], format!("key1:sig-1.{}", second + 1));
    e.ws.send_trigger(second, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_after", "user-1", 1));
    assert_eq!(recv(&mut rx).await.id, "ti_after");
}

#[tokio::test]
async fn reconnects_after_the_server_drops_and_resubscribes() {
    let e = env(ServerConfig::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let sub = e
        .client
        .triggers()
        .subscribe_with_options(TriggerSubscriptionFilters::default(), fast(), move |ev| {
            let _ = tx.send(ev);
        })
        .await
        .unwrap();
    let (first, _) = e.ws.expect_connected().await;
    e.ws.expect_msg("pusher:subscribe").await;
    e.ws.send_trigger(first, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_before", "user-1", 1));
    assert_eq!(recv_unbounded(&mut rx).await.id, "ti_before");

    e.ws.drop_conn(first);
    let (second, _) = e.ws.expect_connected().await;
    let (c, subscribe) = e.ws.expect_msg("pusher:subscribe").await;
    assert_eq!(c, second);
    assert_eq!(subscribe["data"]["channel"], CHANNEL);
    assert_eq!(subscribe["data"]["auth"], "key1:sig-1.2");
    // Re-authenticated with the new socket id.
    let auths = e.api.requests_to("POST", "/api/v3/internal/sdk/realtime/auth");
    assert_eq!(auths.len(), 2);
    assert!(auths[1].form_pairs().contains(&("socket_id".to_string(), "1.2".to_string())));

    // Give the client a moment to see the subscription confirmation, then
    // deliver on the new connection.
    e.ws.send_trigger(second, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_after", "user-1", 2));
    assert_eq!(recv_unbounded(&mut rx).await.id, "ti_after");
    assert!(sub.is_alive());
}

#[tokio::test]
async fn stop_closes_the_socket_and_ends_the_subscription() {
    let e = env(ServerConfig::default()).await;
    let (sub, mut rx) = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), fast())
        .await
        .unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    sub.stop();
    assert!(!sub.is_alive());
    let (c, clean) = e.ws.expect_closed().await;
    assert_eq!(c, conn);
    assert!(clean, "the client should send a close frame");
    tokio::time::timeout(WAIT, sub.wait()).await.expect("wait() should return after stop");
    // The receiver ends once the task is gone.
    assert!(tokio::time::timeout(WAIT, rx.recv()).await.unwrap().is_none());
    sub.stop(); // idempotent
}

#[tokio::test]
async fn dropping_the_subscription_stops_it() {
    let e = env(ServerConfig::default()).await;
    let sub = e
        .client
        .triggers()
        .subscribe_with_options(TriggerSubscriptionFilters::default(), fast(), |_| {})
        .await
        .unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    drop(sub);
    let (c, clean) = e.ws.expect_closed().await;
    assert_eq!((c, clean), (conn, true));
}

#[tokio::test]
async fn dropping_the_receiver_ends_the_subscription() {
    let e = env(ServerConfig::default()).await;
    let (sub, rx) = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), fast())
        .await
        .unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    drop(rx);
    // The next event finds nobody listening and the subscription ends.
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1));
    tokio::time::timeout(WAIT, sub.wait()).await.expect("subscription should end");
    assert!(!sub.is_alive());
    let (_, clean) = e.ws.expect_closed().await;
    assert!(clean);
}

#[tokio::test]
async fn a_panicking_handler_does_not_stop_delivery() {
    let e = env(ServerConfig::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let calls = Arc::new(AtomicUsize::new(0));
    let calls2 = calls.clone();
    let _sub = e
        .client
        .triggers()
        .subscribe_with_options(TriggerSubscriptionFilters::default(), fast(), move |ev| {
            if calls2.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("handler bug (expected in this test)");
            }
            let _ = tx.send(ev);
        })
        .await
        .unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1));
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_2", "user-1", 2));
    assert_eq!(recv_unbounded(&mut rx).await.id, "ti_2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_channel_auth_fails_subscribe() {
    let e = env(ServerConfig::default()).await;
    e.api.mock("POST", "/api/v3/internal/sdk/realtime/auth", Reply::api_error(403, "Forbidden channel"));
    let err = e
        .client
        .triggers()
        .subscribe_with_options(TriggerSubscriptionFilters::default(), fast(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "REALTIME_ERROR");
    assert!(
        err.to_string().contains("authorisation") && err.to_string().contains("Forbidden channel"),
        "{err}"
    );
    assert!(!err.to_string().contains("test-key"));
    assert_eq!(e.api.hits("POST", "/api/v3/internal/sdk/realtime/auth"), 1);
    // The socket is closed again (without subscribing).
    let (_, _) = e.ws.expect_closed().await;
}

#[tokio::test]
async fn failed_credentials_fail_subscribe() {
    let api = MockServer::start().await;
    api.mock("GET", "/api/v3/internal/sdk/realtime/credentials", Reply::api_error(401, "Invalid API key"));
    let client = Composio::new(
        ComposioConfig::new("test-key").with_base_url(api.url()).with_retry(RetryPolicy::none()),
    )
    .unwrap();
    let err = client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), fast())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "REALTIME_ERROR");
    assert!(err.to_string().contains("credentials"), "{err}");
}

#[tokio::test]
async fn a_pusher_error_on_subscribe_fails_subscribe() {
    let e = env(ServerConfig {
        on_subscribe: OnSubscribe::Error(json!({"code": 4009, "message": "Connection not authorized"})),
        ..ServerConfig::default()
    })
    .await;
    let err = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), fast())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "REALTIME_ERROR");
    assert!(err.to_string().contains("4009") && err.to_string().contains("not authorized"), "{err}");
}

#[tokio::test]
async fn subscribe_times_out_when_never_confirmed() {
    let e = env(ServerConfig { on_subscribe: OnSubscribe::Ignore, ..ServerConfig::default() }).await;
    let options = RealtimeOptions { connect_timeout: Duration::from_millis(800), ..fast() };
    let err = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), options)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "REALTIME_ERROR");
    assert!(err.to_string().contains("timed out"), "{err}");
    // The background task gives up and closes its socket.
    let (_, clean) = e.ws.expect_closed().await;
    assert!(clean);
}

#[tokio::test]
async fn ws_url_override_wins_over_the_credentials() {
    let e = env(ServerConfig::default()).await;
    // Credentials without pusher_ws_url would point at pusher.com.
    e.api.mock(
        "GET",
        "/api/v3/internal/sdk/realtime/credentials",
        Reply::json(200, json!({"pusher_key": "key1", "pusher_cluster": "mt1", "project_id": "pr_1"})),
    );
    let options = RealtimeOptions { ws_url_override: Some(e.ws.ws_url()), ..fast() };
    let (sub, _rx) = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), options)
        .await
        .unwrap();
    let (_, uri) = e.ws.expect_connected().await;
    assert!(uri.starts_with("/app/key1?"), "{uri}");
    assert!(sub.is_alive());

    // Invalid options and filters are rejected before any I/O.
    let bad = RealtimeOptions { ws_url_override: Some("http://x".into()), ..fast() };
    let err = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default(), bad)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "VALIDATION_ERROR");
    let err = e
        .client
        .triggers()
        .subscribe_channel_with_options(TriggerSubscriptionFilters::default().toolkit(""), fast())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn realtime_credentials_are_read_from_api_v3() {
    let e = env(ServerConfig::default()).await;
    let creds = e.client.triggers().realtime_credentials().await.unwrap();
    assert_eq!(creds.pusher_key, "key1");
    assert_eq!(creds.pusher_cluster, "mt1");
    assert_eq!(creds.project_id, "pr_1");
    assert_eq!(creds.pusher_ws_url.as_deref(), Some(e.ws.ws_url().as_str()));
}

// ---------------------------------------------------------------------------
// Errors after the first subscribe, and the trigger_data filter.

#[derive(Debug)]
enum Seen {
    Event(Box<TriggerEvent>),
    Error(RealtimeError),
}

async fn next_seen(rx: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    tokio::time::timeout(WAIT, rx.recv()).await.expect("timed out").expect("closed")
}

#[tokio::test]
async fn failures_after_subscribe_reach_the_error_handler_in_order_with_events() {
    let e = env(ServerConfig::default()).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let tx2 = tx.clone();
    let sub = e
        .client
        .triggers()
        .subscribe_with_error_handler(
            TriggerSubscriptionFilters::default(),
            fast(),
            move |ev| {
                let _ = tx.send(Seen::Event(Box::new(ev)));
            },
            move |err| {
                let _ = tx2.send(Seen::Error(err));
            },
        )
        .await
        .unwrap();
    let (first, _) = e.ws.expect_connected().await;
    e.ws.expect_msg("pusher:subscribe").await;
    e.ws.send_trigger(first, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1));
    assert!(matches!(next_seen(&mut rx).await, Seen::Event(ev) if ev.id == "ti_1"));

    // Revoke the channel authorisation, then drop the connection: the drop
    // is reported, then every refused resubscribe (a fatal client error).
    e.api.mock("POST", "/api/v3/internal/sdk/realtime/auth", Reply::api_error(403, "Forbidden channel"));
    e.ws.drop_conn(first);
    match next_seen(&mut rx).await {
        Seen::Error(err) => {
            assert!(err.message.contains("connection"), "{err}");
            assert!(!err.fatal);
            assert_eq!(err.attempt, 1);
            assert_eq!(err.to_error().code(), "REALTIME_ERROR");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    match next_seen(&mut rx).await {
        Seen::Error(err) => {
            assert!(
                err.message.contains("authorisation") && err.message.contains("Forbidden channel"),
                "{err}"
            );
            assert!(err.fatal);
            assert_eq!(err.attempt, 2);
            assert!(!err.message.contains("test-key"));
        }
        other => panic!("expected an error, got {other:?}"),
    }
    assert!(sub.is_alive(), "the subscription keeps retrying after a reported error");

    // Restore it: the subscription recovers and delivers again.
    e.api.mock_fn("POST", "/api/v3/internal/sdk/realtime/auth", |req| {
        let socket =
            req.form_pairs().into_iter().find(|(k, _)| k == "socket_id").map(|(_, v)| v).unwrap_or_default();
        Reply::json(200, json!({"auth": format!("key1:sig-{socket}")}))
    });
    let conn = loop {
        // Connections whose authorisation was refused never subscribe.
        let (c, _) = e.ws.expect_msg("pusher:subscribe").await;
        if c != first {
            break c;
        }
    };
    // Errors reported while we waited are fine; the event must come after them.
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_2", "user-1", 2));
    loop {
        match next_seen(&mut rx).await {
            Seen::Event(ev) => {
                assert_eq!(ev.id, "ti_2");
                break;
            }
            Seen::Error(err) => assert!(err.message.contains("Forbidden channel"), "{err}"),
        }
    }
    sub.stop();
    sub.wait().await;
}

#[tokio::test]
async fn a_failure_before_the_first_subscribe_fails_subscribe_not_the_error_handler() {
    let e = env(ServerConfig::default()).await;
    e.api.mock("POST", "/api/v3/internal/sdk/realtime/auth", Reply::api_error(403, "Forbidden channel"));
    let errors = Arc::new(AtomicUsize::new(0));
    let errors2 = errors.clone();
    let err = e
        .client
        .triggers()
        .subscribe_with_error_handler(
            TriggerSubscriptionFilters::default(),
            fast(),
            |_| {},
            move |_| {
                errors2.fetch_add(1, Ordering::SeqCst);
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Forbidden channel"), "{err}");
    e.ws.expect_closed().await;
    assert_eq!(errors.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn subscribe_stream_yields_events_and_errors_and_a_panicking_error_handler_is_survived() {
    let e = env(ServerConfig::default()).await;
    let (sub, mut rx) =
        e.client.triggers().subscribe_stream(TriggerSubscriptionFilters::default(), fast()).await.unwrap();
    let (first, _) = e.ws.expect_connected().await;
    e.ws.drop_conn(first);
    let item = tokio::time::timeout(WAIT, rx.recv()).await.unwrap().unwrap();
    assert!(matches!(&item, RealtimeItem::Error(err) if err.attempt == 1 && !err.fatal), "{item:?}");
    let (second, _) = e.ws.expect_connected().await;
    e.ws.expect_msg("pusher:subscribe").await;
    e.ws.send_trigger(second, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_3", "user-1", 3));
    let item = tokio::time::timeout(WAIT, rx.recv()).await.unwrap().unwrap();
    assert!(matches!(&item, RealtimeItem::Event(ev) if ev.id == "ti_3"), "{item:?}");
    drop(sub);

    // An error handler that panics does not stop event delivery.
    let (tx, mut events) = mpsc::unbounded_channel();
    let _sub = e
        .client
        .triggers()
        .subscribe_with_error_handler(
            TriggerSubscriptionFilters::default(),
            fast(),
            move |ev| {
                let _ = tx.send(ev);
            },
            |_| panic!("error handler failure"),
        )
        .await
        .unwrap();
    let (conn, _) = loop {
        // the stream's connection closes; wait for the new subscription's
        let (c, v) = e.ws.expect_msg("pusher:subscribe").await;
        if c > second {
            break (c, v);
        }
    };
    e.ws.drop_conn(conn);
    let (conn, _) = e.ws.expect_msg("pusher:subscribe").await;
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_4", "user-1", 4));
    assert_eq!(recv_unbounded(&mut events).await.id, "ti_4");
}

#[tokio::test]
async fn trigger_data_filter_is_exact() {
    let e = env(ServerConfig::default()).await;
    let mut other = legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_1", "user-1", 1);
    other["metadata"]["triggerData"] = json!("{\"X\":1}");
    let mut none = legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_2", "user-1", 2);
    none["metadata"]["triggerData"] = Value::Null;
    let filters = TriggerSubscriptionFilters::default().trigger_data("{\"x\":1}");
    let (_sub, mut rx) = e.client.triggers().subscribe_channel_with_options(filters, fast()).await.unwrap();
    let (conn, _) = e.ws.expect_connected().await;
    e.ws.send_trigger(conn, &other);
    e.ws.send_trigger(conn, &none);
    e.ws.send_trigger(conn, &legacy_event("github", "GITHUB_COMMIT_EVENT", "ti_3", "user-1", 3));
    assert_eq!(recv(&mut rx).await.id, "ti_3");

    let err = e
        .client
        .triggers()
        .subscribe_channel(TriggerSubscriptionFilters::default().trigger_data(" "))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("trigger_data"), "{err}");
}
