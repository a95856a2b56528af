//! Realtime trigger events over composio-local's own Pusher-protocol WebSocket, received with the
//! real SDK (`composio_core::triggers().subscribe_channel`), plus the credentials and channel-auth
//! endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{error_message, start, Local};
use composio_core::models::TriggerEvent;
use composio_core::triggers::TriggerSubscriptionFilters;
use composio_core::{Composio, ComposioConfig};
use serde_json::{json, Value};
use tokio::sync::mpsc;

fn sdk(local: &Local) -> Composio {
    Composio::new(ComposioConfig::new(local.server.api_key()).with_base_url(local.server.url())).unwrap()
}

async fn next(rx: &mut mpsc::Receiver<TriggerEvent>) -> TriggerEvent {
    tokio::time::timeout(Duration::from_secs(20), rx.recv()).await.expect("event in time").expect("event")
}

async fn create_task(local: &Local, account: &str, args: Value) -> Value {
    let (s, b) =
        local.exec("TASKS_CREATE_TASK", json!({"connected_account_id": account, "arguments": args})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["successful"], true, "{b}");
    b["data"]["task"].clone()
}

#[tokio::test]
async fn credentials_and_channel_auth() {
    let local = start().await;
    for prefix in ["/api/v3", "/api/v3.1"] {
        let (s, b) =
            local.call_prefix(prefix, reqwest::Method::GET, "/internal/sdk/realtime/credentials", None).await;
        assert_eq!(s, 200, "{b}");
        assert!(b["pusher_key"].as_str().unwrap().starts_with("local"));
        assert!(b["project_id"].as_str().unwrap().starts_with("pr_"));
        assert!(b["pusher_cluster"].is_string());
        let expected = format!("{}/pusher", local.server.url().replace("http://", "ws://"));
        assert_eq!(b["pusher_ws_url"], expected.as_str());
    }
    let (_, creds) = local.get("/internal/sdk/realtime/credentials").await;
    let channel = format!("private-{}_triggers", creds["project_id"].as_str().unwrap());
    let auth_url = format!("{}/api/v3/internal/sdk/realtime/auth?source=python", local.server.url());
    let post = |form: Vec<(&'static str, String)>, key: Option<&str>| {
        let mut req = local.http.post(&auth_url).form(&form);
        if let Some(k) = key {
            req = req.header("x-api-key", k);
        }
        req.send()
    };
    let key = local.server.api_key();
    let resp = post(vec![("socket_id", "123.456".into()), ("channel_name", channel.clone())], Some(key))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let b: Value = resp.json().await.unwrap();
    let auth = b["auth"].as_str().unwrap();
    let (k, sig) = auth.split_once(':').unwrap();
    assert_eq!(k, creds["pusher_key"].as_str().unwrap());
    assert_eq!(sig.len(), 64);
    assert!(sig.bytes().all(|c| c.is_ascii_hexdigit()));

    let resp =
        post(vec![("socket_id", "1.2".into()), ("channel_name", "private-other_triggers".into())], Some(key))
            .await
            .unwrap();
    assert_eq!(resp.status(), 403);
    let b: Value = resp.json().await.unwrap();
    assert!(error_message(&b, 403).contains("private-other_triggers"));
    let resp = post(vec![("channel_name", channel.clone())], Some(key)).await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(error_message(&resp.json().await.unwrap(), 400).contains("socket_id"));
    let resp =
        post(vec![("socket_id", "x".into()), ("channel_name", channel.clone())], Some(key)).await.unwrap();
    assert_eq!(resp.status(), 400);
    let resp = post(vec![("socket_id", "1.2".into()), ("channel_name", channel)], None).await.unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn sdk_subscription_receives_task_events_with_filters() {
    let local = start().await;
    let carol = local.tasks_account("carol", "carol-login").await;
    let created = local.trigger("TASKS_TASK_CREATED", &carol, json!({})).await;
    let completed = local.trigger("TASKS_TASK_COMPLETED", &carol, json!({"label": "home"})).await;
    let client = sdk(&local);
    let (all_sub, mut all) =
        client.triggers().subscribe_channel(TriggerSubscriptionFilters::default()).await.unwrap();
    let (only_sub, mut only_completed) = client
        .triggers()
        .subscribe_channel(
            TriggerSubscriptionFilters::default().trigger_slug("tasks_task_completed").toolkit("TASKS"),
        )
        .await
        .unwrap();

    let task = create_task(&local, &carol, json!({"title": "water plants", "labels": ["home"]})).await;
    let event = next(&mut all).await;
    assert_eq!(event.trigger_slug, "TASKS_TASK_CREATED");
    assert_eq!(event.id, created);
    assert_eq!(event.user_id, "carol");
    assert_eq!(event.toolkit_slug, "TASKS");
    assert_eq!(event.metadata.connected_account.id, carol);
    assert_eq!(event.payload, task);

    let (s, b) = local
        .exec(
            "TASKS_COMPLETE_TASK",
            json!({"connected_account_id": carol, "arguments": {"task_id": task["id"]}}),
        )
        .await;
    assert_eq!((s.as_u16(), &b["successful"]), (200, &json!(true)), "{b}");
    let done = next(&mut only_completed).await;
    assert_eq!(done.trigger_slug, "TASKS_TASK_COMPLETED");
    assert_eq!(done.id, completed);
    assert_eq!(done.payload["status"], "completed");
    let event = next(&mut all).await;
    assert_eq!(event.trigger_slug, "TASKS_TASK_COMPLETED");
    // The filtered subscription saw only the completion.
    assert!(only_completed.try_recv().is_err());
    only_sub.stop();
    all_sub.stop();
}

#[tokio::test]
async fn large_events_arrive_in_chunks() {
    let local = start().await;
    let alice = local.notes_account("alice").await;
    local.trigger("NOTES_NOTE_CREATED", &alice, json!({})).await;
    let client = sdk(&local);
    let (sub, mut rx) = client
        .triggers()
        .subscribe_channel(TriggerSubscriptionFilters::default().connected_account_id(alice.clone()))
        .await
        .unwrap();

    // ~19 KB of text with multi-byte characters, so chunk boundaries fall inside them.
    let content = "é🙂 chunked payload — ".repeat(700);
    let (s, b) = local
        .exec(
            "NOTES_CREATE_NOTE",
            json!({"connected_account_id": alice, "arguments": {"title": "big", "content": content}}),
        )
        .await;
    assert_eq!((s.as_u16(), &b["successful"]), (200, &json!(true)), "{b}");
    let event = next(&mut rx).await;
    assert_eq!(event.trigger_slug, "NOTES_NOTE_CREATED");
    assert_eq!(event.payload["content"], content.as_str());

    // Raw protocol check: the same kind of event is sent as chunked-trigger_to_client frames.
    let frames = composio_local::realtime::pusher::event_frames("c", &format!("\"{content}\""));
    assert!(frames.len() >= 3);
    sub.stop();
}

mod raw {
    use futures::{SinkExt, StreamExt};
    use serde_json::{json, Value};
    use tokio_tungstenite::tungstenite::Message;

    use super::common::{start, Local};

    type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

    async fn recv(ws: &mut Ws) -> Value {
        loop {
            let msg = tokio::time::timeout(std::time::Duration::from_secs(20), ws.next())
                .await
                .expect("frame in time")
                .expect("open")
                .expect("frame");
            if let Message::Text(t) = msg {
                return serde_json::from_str(t.as_str()).unwrap();
            }
        }
    }

    async fn send(ws: &mut Ws, v: Value) {
        ws.send(Message::text(v.to_string())).await.unwrap();
    }

    fn data(frame: &Value) -> Value {
        match &frame["data"] {
            Value::String(s) => serde_json::from_str(s).unwrap(),
            other => other.clone(),
        }
    }

    async fn auth(local: &Local, socket_id: &str, channel: &str) -> String {
        let resp = local
            .http
            .post(format!("{}/api/v3/internal/sdk/realtime/auth", local.server.url()))
            .header("x-api-key", local.server.api_key())
            .form(&[("socket_id", socket_id), ("channel_name", channel)])
            .send()
            .await
            .unwrap();
        resp.json::<Value>().await.unwrap()["auth"].as_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn pusher_protocol_subscribe_ping_and_chunked_frames() {
        let local = start().await;
        let (_, creds) = local.get("/internal/sdk/realtime/credentials").await;
        let base = creds["pusher_ws_url"].as_str().unwrap();
        let key = creds["pusher_key"].as_str().unwrap();
        let channel = format!("private-{}_triggers", creds["project_id"].as_str().unwrap());

        // A wrong app key is refused.
        let (mut bad, _) =
            tokio_tungstenite::connect_async(format!("{base}/app/wrong?protocol=7")).await.unwrap();
        let f = recv(&mut bad).await;
        assert_eq!((f["event"].as_str(), data(&f)["code"].as_i64()), (Some("pusher:error"), Some(4001)));

        let (mut ws, _) =
            tokio_tungstenite::connect_async(format!("{base}/app/{key}?protocol=7")).await.unwrap();
        let f = recv(&mut ws).await;
        assert_eq!(f["event"], "pusher:connection_established");
        assert!(f["data"].is_string(), "Pusher sends data as a JSON string");
        let socket_id = data(&f)["socket_id"].as_str().unwrap().to_owned();
        assert!(data(&f)["activity_timeout"].as_u64().unwrap() > 0);

        send(&mut ws, json!({"event": "pusher:ping", "data": {}})).await;
        assert_eq!(recv(&mut ws).await["event"], "pusher:pong");

        // A forged signature and a foreign channel are refused.
        let forged = format!("{key}:{}", "0".repeat(64));
        send(&mut ws, json!({"event": "pusher:subscribe", "data": {"channel": channel, "auth": forged}}))
            .await;
        let f = recv(&mut ws).await;
        assert_eq!(
            (f["event"].as_str(), data(&f)["status"].as_u64()),
            (Some("pusher:subscription_error"), Some(401))
        );
        send(
            &mut ws,
            json!({"event": "pusher:subscribe", "data": {"channel": "private-x_triggers", "auth": forged}}),
        )
        .await;
        assert_eq!(recv(&mut ws).await["event"], "pusher:subscription_error");

        let good = auth(&local, &socket_id, &channel).await;
        send(&mut ws, json!({"event": "pusher:subscribe", "data": {"channel": channel, "auth": good}})).await;
        let f = recv(&mut ws).await;
        assert_eq!(f["event"], "pusher_internal:subscription_succeeded");
        assert_eq!(f["channel"], channel.as_str());

        let alice = local.notes_account("alice").await;
        let ti = local.trigger("NOTES_NOTE_CREATED", &alice, json!({})).await;
        // Small event: one trigger_to_client frame whose data is the V3 payload as a string.
        local
            .exec(
                "NOTES_CREATE_NOTE",
                json!({"connected_account_id": alice, "arguments": {"title": "small", "content": "x"}}),
            )
            .await;
        let f = recv(&mut ws).await;
        assert_eq!(
            (f["event"].as_str(), f["channel"].as_str()),
            (Some("trigger_to_client"), Some(channel.as_str()))
        );
        let payload = data(&f);
        assert_eq!(payload["type"], "composio.trigger.message");
        assert_eq!(payload["metadata"]["trigger_id"], ti.as_str());

        // Large event: chunks {id, index, chunk, final} that join to the payload.
        let content = "ü".repeat(12_000);
        local
            .exec(
                "NOTES_CREATE_NOTE",
                json!({"connected_account_id": alice, "arguments": {"title": "big", "content": content}}),
            )
            .await;
        let mut joined = String::new();
        let mut id = None;
        for index in 0.. {
            let f = recv(&mut ws).await;
            assert_eq!(f["event"], "chunked-trigger_to_client");
            let d = data(&f);
            assert_eq!(d["index"], index);
            assert!(id.is_none() || id.as_ref() == Some(&d["id"]));
            id = Some(d["id"].clone());
            assert!(f.to_string().len() < 10 * 1024 + 512, "each frame stays near Pusher's 10 KB limit");
            joined.push_str(d["chunk"].as_str().unwrap());
            if d["final"] == true {
                break;
            }
        }
        let payload: Value = serde_json::from_str(&joined).unwrap();
        assert_eq!(payload["data"]["content"], content.as_str());

        // After unsubscribing nothing more arrives; ping still answers.
        send(&mut ws, json!({"event": "pusher:unsubscribe", "data": {"channel": channel}})).await;
        // A ping round trip guarantees the unsubscribe was handled (messages are handled in order).
        send(&mut ws, json!({"event": "pusher:ping", "data": {}})).await;
        assert_eq!(recv(&mut ws).await["event"], "pusher:pong");
        local
            .exec(
                "NOTES_CREATE_NOTE",
                json!({"connected_account_id": alice, "arguments": {"title": "unheard", "content": "x"}}),
            )
            .await;
        send(&mut ws, json!({"event": "pusher:ping", "data": {}})).await;
        assert_eq!(recv(&mut ws).await["event"], "pusher:pong");
    }
}
