//! `/webhook_subscriptions` (wire contract §7.4): create (the secret is shown once), list, get,
//! update, delete, rotate the secret, event types — plus `GET /webhook_subscriptions/{id}/deliveries`,
//! a composio-local extension showing the delivery queue and every attempt.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::errors::{codes, ApiError};
use crate::extract::{optional_str, reject_unknown, required_str, type_name, JsonObject, QueryParams};
use crate::webhooks::subscriptions::{self, SubscriptionRow, CONNECTION_EXPIRED, VERSIONS};
use crate::webhooks::{delivery, signing};
use crate::AppState;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(codes::WEBHOOK_SUBSCRIPTION_NOT_FOUND, "Webhook subscription", id)
}

fn check_url(url: &str) -> Result<String, ApiError> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| {
        ApiError::bad_request(format!("field `webhook_url` is not a valid URL (`{url}`): {e}"))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::bad_request(format!(
            "field `webhook_url` must be an http:// or https:// URL with a host, got `{url}`"
        )));
    }
    Ok(parsed.to_string())
}

fn check_version(version: Option<String>) -> Result<Option<String>, ApiError> {
    version
        .map(|v| {
            let upper = v.trim().to_ascii_uppercase();
            if VERSIONS.contains(&upper.as_str()) {
                Ok(upper)
            } else {
                Err(ApiError::bad_request(format!("field `version` must be one of V1, V2, V3, got `{v}`")))
            }
        })
        .transpose()
}

fn check_events(body: &Map<String, Value>) -> Result<Option<Vec<String>>, ApiError> {
    let list = match body.get("enabled_events") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `enabled_events` must be an array of event types, got {}",
                type_name(other)
            )))
        }
    };
    let mut out: Vec<String> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let Some(event) = item.as_str() else {
            return Err(ApiError::bad_request(format!(
                "field `enabled_events[{i}]` must be a string, got {}",
                type_name(item)
            )));
        };
        if !subscriptions::known_event_type(event) {
            return Err(ApiError::bad_request(format!(
                "field `enabled_events[{i}]`: unknown event type `{event}`"
            ))
            .fix("See GET /api/v3/webhook_subscriptions/event_types."));
        }
        if !out.iter().any(|e| e == event) {
            out.push(event.to_owned());
        }
    }
    if out.is_empty() {
        return Err(ApiError::bad_request("field `enabled_events` must name at least one event type"));
    }
    Ok(Some(out))
}

fn check_combination(row: &SubscriptionRow) -> Result<(), ApiError> {
    if row.version != "V3" && row.wants(CONNECTION_EXPIRED) {
        return Err(ApiError::bad_request(format!(
            "event type `{CONNECTION_EXPIRED}` exists only in V3 payloads, but the subscription's version is {}",
            row.version
        )));
    }
    Ok(())
}

/// `POST /webhook_subscriptions` — `{webhook_url, enabled_events, version?}`; the response holds
/// the secret in full (the only time besides `rotate_secret`).
pub async fn create(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["webhook_url", "enabled_events", "version"], "")?;
    let webhook_url = check_url(&required_str(&body, "webhook_url")?)?;
    let enabled_events = check_events(&body)?
        .ok_or_else(|| ApiError::bad_request("missing required field `enabled_events`"))?;
    let version = check_version(optional_str(&body, "version")?)?.unwrap_or_else(|| "V3".to_owned());
    let now = crate::ids::now_iso();
    let row = SubscriptionRow {
        id: crate::ids::new_id("ws"),
        webhook_url,
        version,
        enabled_events,
        secret: signing::new_secret(),
        created_at: now.clone(),
        updated_at: now,
    };
    check_combination(&row)?;
    let stored = row.clone();
    state.db.call(move |c| subscriptions::insert(c, &stored)).await?;
    Ok(Json(row.to_json(true)))
}

/// `GET /webhook_subscriptions` — `limit`, `cursor`; secrets masked.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["limit", "cursor"], "GET /webhook_subscriptions");
    let rows = state.db.call(|c| subscriptions::list(c)).await?;
    let items = rows.iter().map(|r| r.to_json(false)).collect();
    Ok(Json(super::paginate(items, &query, 20)?))
}

async fn load(state: &AppState, id: &str) -> Result<SubscriptionRow, ApiError> {
    let key = id.to_owned();
    state.db.call(move |c| subscriptions::get(c, &key)).await?.ok_or_else(|| not_found(id))
}

/// `GET /webhook_subscriptions/{id}` — secret masked.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    Ok(Json(load(&state, &id).await?.to_json(false)))
}

/// `PATCH /webhook_subscriptions/{id}` — any of `webhook_url`, `enabled_events`, `version`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["webhook_url", "enabled_events", "version"], "")?;
    let mut row = load(&state, &id).await?;
    if let Some(url) = optional_str(&body, "webhook_url")? {
        row.webhook_url = check_url(&url)?;
    }
    if let Some(events) = check_events(&body)? {
        row.enabled_events = events;
    }
    if let Some(version) = check_version(optional_str(&body, "version")?)? {
        row.version = version;
    }
    check_combination(&row)?;
    let row = state
        .db
        .call(move |c| {
            subscriptions::update(c, &mut row)?;
            Ok(row)
        })
        .await?;
    Ok(Json(row.to_json(false)))
}

/// `DELETE /webhook_subscriptions/{id}` — `{"success": true}`; its pending deliveries are dropped.
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let key = id.clone();
    if !state.db.call(move |c| subscriptions::delete(c, &key)).await? {
        return Err(not_found(&id));
    }
    Ok(Json(json!({"success": true})))
}

/// `POST /webhook_subscriptions/{id}/rotate_secret` — `{id, secret}`; later deliveries (retries
/// of earlier events included) are signed with the new secret only.
pub async fn rotate_secret(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut row = load(&state, &id).await?;
    row.secret = signing::new_secret();
    let row = state
        .db
        .call(move |c| {
            subscriptions::update(c, &mut row)?;
            Ok(row)
        })
        .await?;
    Ok(Json(json!({"id": row.id, "secret": row.secret})))
}

/// `GET /webhook_subscriptions/event_types`.
pub async fn event_types() -> Json<Value> {
    Json(json!({"items": subscriptions::event_types()}))
}

/// `GET /webhook_subscriptions/{id}/deliveries` (composio-local extension) — the subscription's
/// deliveries, newest first, each with its attempts.
pub async fn deliveries(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = load(&state, &id).await?;
    let items = state.db.call(move |c| delivery::list_for(c, &row.id)).await?;
    Ok(Json(json!({"items": items})))
}
