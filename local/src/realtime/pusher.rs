//! The Pusher-protocol WebSocket endpoint `/pusher/app/{key}`: connection set-up, channel
//! subscription with signature checks, ping/pong, and trigger events as `trigger_to_client`
//! (or `chunked-trigger_to_client` chunks when the payload is large).

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use rand::RngExt;
use serde_json::{json, Value};
use tokio::sync::broadcast;

use crate::AppState;

/// Seconds of silence after which clients should ping.
pub const ACTIVITY_TIMEOUT_SECS: u64 = 120;
/// Payloads longer than this (bytes of JSON text) are sent in chunks.
pub const CHUNK_THRESHOLD: usize = 10 * 1024;
/// Bytes of payload text per chunk.
pub const CHUNK_SIZE: usize = 8 * 1024;

/// `GET /pusher/app/{key}` — upgrade to a Pusher-protocol WebSocket.
pub async fn connect(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| serve(state, key, socket))
}

fn frame(event: &str, channel: Option<&str>, data: Value) -> Message {
    let mut msg = json!({"event": event, "data": data});
    if let Some(c) = channel {
        msg["channel"] = json!(c);
    }
    Message::Text(msg.to_string().into())
}

/// Split `text` into pieces of at most `size` bytes, on character boundaries.
pub fn chunks(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = size.min(rest.len());
        while end < rest.len() && !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i);
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The frames that carry one realtime payload on `channel`.
pub fn event_frames(channel: &str, payload: &str) -> Vec<Message> {
    if payload.len() <= CHUNK_THRESHOLD {
        return vec![frame("trigger_to_client", Some(channel), json!(payload))];
    }
    let id = crate::ids::new_id("chunk");
    let parts = chunks(payload, CHUNK_SIZE);
    let last = parts.len().saturating_sub(1);
    parts
        .into_iter()
        .enumerate()
        .map(|(index, chunk)| {
            let data = json!({"id": id, "index": index, "chunk": chunk, "final": index == last});
            frame("chunked-trigger_to_client", Some(channel), json!(data.to_string()))
        })
        .collect()
}

async fn next_event(
    rx: &mut Option<broadcast::Receiver<Arc<str>>>,
) -> Result<Arc<str>, broadcast::error::RecvError> {
    match rx {
        Some(r) => r.recv().await,
        None => std::future::pending().await,
    }
}

/// Resolves when the server shuts down.
pub async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

async fn serve(state: AppState, key: String, mut socket: WebSocket) {
    let keys = state.hub.keys.clone();
    if key != keys.pusher_key {
        let _ = socket
            .send(frame(
                "pusher:error",
                None,
                json!({"code": 4001, "message": format!("App key {key} not in this app")}),
            ))
            .await;
        let _ = socket.send(Message::Close(None)).await;
        return;
    }
    let socket_id = {
        let mut rng = rand::rng();
        format!("{}.{}", rng.random_range(1..1_000_000_000u32), rng.random_range(1..1_000_000_000u32))
    };
    let established = json!({"socket_id": socket_id, "activity_timeout": ACTIVITY_TIMEOUT_SECS}).to_string();
    if socket.send(frame("pusher:connection_established", None, json!(established))).await.is_err() {
        return;
    }
    let channel = keys.channel();
    let mut events: Option<broadcast::Receiver<Arc<str>>> = None;
    let mut stop = state.stop.clone();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
            event = next_event(&mut events) => match event {
                Ok(payload) => {
                    for f in event_frames(&channel, &payload) {
                        if socket.send(f).await.is_err() {
                            return;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, socket_id = %socket_id, "realtime subscriber fell behind; events dropped");
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            msg = socket.recv() => {
                let text = match msg {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(Message::Text(t))) => t.as_str().to_owned(),
                    Some(Ok(_)) => continue,
                };
                let replies = handle(&keys, &socket_id, &channel, &text, &mut events, &state);
                for r in replies {
                    if socket.send(r).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// The `data` of a client message, decoded when sent as a JSON string.
fn data_of(msg: &Value) -> Value {
    match msg.get("data") {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::String(s.clone())),
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

fn handle(
    keys: &crate::realtime::RealtimeKeys,
    socket_id: &str,
    channel: &str,
    text: &str,
    events: &mut Option<broadcast::Receiver<Arc<str>>>,
    state: &AppState,
) -> Vec<Message> {
    let Ok(msg) = serde_json::from_str::<Value>(text) else {
        return vec![frame("pusher:error", None, json!({"code": null, "message": "message is not JSON"}))];
    };
    let event = msg.get("event").and_then(Value::as_str).unwrap_or_default();
    match event {
        "pusher:ping" => vec![frame("pusher:pong", None, json!("{}"))],
        "pusher:pong" => Vec::new(),
        "pusher:subscribe" => {
            let data = data_of(&msg);
            let wanted = data.get("channel").and_then(Value::as_str).unwrap_or_default();
            let auth = data.get("auth").and_then(Value::as_str).unwrap_or_default();
            let refuse = |error: String, status: u16| {
                frame(
                    "pusher:subscription_error",
                    Some(wanted),
                    json!({"type": "AuthError", "error": error, "status": status}),
                )
            };
            if wanted != channel {
                return vec![refuse(
                    format!("channel `{wanted}` does not exist; subscribe to `{channel}`"),
                    404,
                )];
            }
            if !keys.verify(socket_id, channel, auth) {
                return vec![refuse("invalid channel authorisation signature".to_owned(), 401)];
            }
            if events.is_none() {
                *events = Some(state.hub.realtime_events());
            }
            vec![frame("pusher_internal:subscription_succeeded", Some(channel), json!("{}"))]
        }
        "pusher:unsubscribe" => {
            if data_of(&msg).get("channel").and_then(Value::as_str) == Some(channel) {
                *events = None;
            }
            Vec::new()
        }
        other if other.starts_with("client-") => vec![frame(
            "pusher:error",
            None,
            json!({"code": 4301, "message": "client events are not supported by composio-local"}),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn chunking_respects_char_boundaries() {
        let text = "aé".repeat(10);
        let parts = chunks(&text, 4);
        assert_eq!(parts.concat(), text);
        assert!(parts.iter().all(|p| p.len() <= 4));
        assert!(chunks("", 4).is_empty());
        assert_eq!(event_frames("c", "{}").len(), 1);
        let big = format!("\"{}\"", "x".repeat(CHUNK_THRESHOLD * 2));
        assert_eq!(event_frames("c", &big).len(), 3);
    }
}
