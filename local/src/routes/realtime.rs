//! The SDK realtime endpoints (wire contract §7.3, §16): credentials and Pusher channel
//! authorisation. The WebSocket itself is [`crate::realtime::pusher`].

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use crate::errors::{codes, ApiError};
use crate::AppState;

/// `GET /internal/sdk/realtime/credentials` —
/// `{pusher_key, pusher_cluster, project_id, pusher_ws_url}`. The WebSocket URL uses the host the
/// client reached this server by.
pub async fn credentials(State(state): State<AppState>, headers: HeaderMap) -> Json<Value> {
    let keys = &state.hub.keys;
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| state.base_url.trim_start_matches("http://").to_owned());
    Json(json!({
        "pusher_key": keys.pusher_key,
        "pusher_cluster": "local",
        "project_id": keys.project_id,
        "pusher_ws_url": format!("ws://{host}/pusher"),
    }))
}

/// `POST /internal/sdk/realtime/auth` — form `socket_id`, `channel_name` → `{"auth"}`. Only the
/// project's own `private-<project_id>_triggers` channel is authorised.
pub async fn auth(State(state): State<AppState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let mut socket_id = None;
    let mut channel = None;
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "socket_id" => socket_id = Some(v.into_owned()),
            "channel_name" => channel = Some(v.into_owned()),
            _ => {}
        }
    }
    let fix = "Send a form body `socket_id=<id>&channel_name=<channel>`.";
    let socket_id = socket_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("missing form field `socket_id`").fix(fix))?;
    let channel = channel
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("missing form field `channel_name`").fix(fix))?;
    if !crate::realtime::valid_socket_id(&socket_id) {
        return Err(ApiError::bad_request(format!(
            "form field `socket_id` must look like `123.456`, got `{socket_id}`"
        )));
    }
    let keys = &state.hub.keys;
    let own = keys.channel();
    if channel != own {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            codes::REALTIME_CHANNEL_FORBIDDEN,
            format!("channel `{channel}` is not this project's trigger channel"),
        )
        .fix(format!("Subscribe to `{own}`.")));
    }
    Ok(Json(json!({"auth": keys.auth(&socket_id, &channel)})))
}
