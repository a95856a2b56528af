//! `/webhook_endpoints` (v3.1): inbound webhook endpoints, one per toolkit + OAuth app
//! (`client_id`) pair, as `@composio/core` 0.21's `composio.webhooks.endpoints` manages them.
//!
//! * `POST /webhook_endpoints` `{toolkit_slug, client_id}` — 201 with a new endpoint, or 200
//!   with the existing one for that pair.
//! * `GET /webhook_endpoints?toolkit_slug=` — `{items: [{id, toolkit_slug, client_id}]}`.
//! * `GET /webhook_endpoints/{nano_id}` — `{id, toolkit_slug, client_id, webhook_url, data,
//!   created_at}`; `data` (the setup fields, `null` until configured) has secret values masked.
//! * `POST /webhook_endpoints/{nano_id}` `{data}` — replace: every required setup field.
//! * `PATCH /webhook_endpoints/{nano_id}` `{data}` — merge: omitted fields are kept.
//!
//! Setup fields: every composio-local toolkit has one, `signing_secret` (required, secret): the
//! secret the provider signs its inbound events with. `webhook_url` is
//! `{base}/webhook_ingress/{nano_id}`; composio-local does not process inbound provider events,
//! and that URL answers 501 saying so.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Map, Value};

use crate::errors::codes::{INGRESS_NOT_SUPPORTED, WEBHOOK_ENDPOINT_NOT_FOUND};
use crate::errors::ApiError;
use crate::extract::{reject_unknown, required_str, type_name, JsonObject, QueryParams};
use crate::AppState;

/// One setup field of a toolkit's webhook endpoint.
struct SetupField {
    name: &'static str,
    required: bool,
    secret: bool,
}

const SETUP_FIELDS: &[SetupField] = &[SetupField { name: "signing_secret", required: true, secret: true }];

struct Row {
    id: String,
    toolkit_slug: String,
    client_id: String,
    data: Option<Map<String, Value>>,
    created_at: String,
}

const SELECT: &str = "SELECT id, toolkit_slug, client_id, data, created_at FROM webhook_endpoints";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, Option<String>, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_row(raw: (String, String, String, Option<String>, String)) -> Result<Row, ApiError> {
    let (id, toolkit_slug, client_id, data, created_at) = raw;
    let data = data
        .map(|d| {
            serde_json::from_str::<Map<String, Value>>(&d).map_err(|e| {
                ApiError::internal(format!("stored setup fields of webhook endpoint {id} are not JSON: {e}"))
            })
        })
        .transpose()?;
    Ok(Row { id, toolkit_slug, client_id, data, created_at })
}

/// A secret value shown masked: its last four characters when it is long enough, else nothing.
fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() >= 12 {
        format!("****{}", chars[chars.len() - 4..].iter().collect::<String>())
    } else {
        "****".to_owned()
    }
}

impl Row {
    fn json(&self, state: &AppState) -> Value {
        let data = self.data.as_ref().map(|d| {
            d.iter()
                .map(|(k, v)| {
                    let text = v.as_str().unwrap_or_default();
                    let secret = SETUP_FIELDS.iter().any(|f| f.name == k && f.secret);
                    (k.clone(), Value::String(if secret { mask(text) } else { text.to_owned() }))
                })
                .collect::<Map<String, Value>>()
        });
        json!({
            "id": self.id,
            "toolkit_slug": self.toolkit_slug,
            "client_id": self.client_id,
            "webhook_url": format!("{}/webhook_ingress/{}", state.base_url, self.id),
            "data": data,
            "created_at": self.created_at,
        })
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(WEBHOOK_ENDPOINT_NOT_FOUND, "Webhook endpoint", id)
}

async fn load(state: &AppState, id: &str) -> Result<Row, ApiError> {
    let key = id.to_owned();
    let raw = state
        .db
        .call(move |c| {
            Ok(c.query_row(&format!("{SELECT} WHERE id = ?1"), params![key], read_row).optional()?)
        })
        .await?
        .ok_or_else(|| not_found(id))?;
    to_row(raw)
}

/// `POST /webhook_endpoints`.
pub async fn create(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    reject_unknown(&body, &["toolkit_slug", "client_id"], "")?;
    let toolkit = required_str(&body, "toolkit_slug")?;
    let client_id = required_str(&body, "client_id")?;
    if client_id.trim().is_empty() {
        return Err(ApiError::bad_request("field `client_id` must not be empty"));
    }
    let tk = crate::toolkits::find_toolkit(&toolkit).ok_or_else(|| {
        ApiError::not_found(crate::errors::codes::TOOLKIT_NOT_FOUND, "Toolkit", &toolkit)
            .fix("List toolkits with GET /api/v3/toolkits.")
    })?;
    let toolkit_slug = tk.slug.to_owned();
    let new_id = crate::ids::new_id("we");
    let now = crate::ids::now_iso();
    let (created, raw) = state
        .db
        .call(move |c| {
            let existing = c
                .query_row(
                    &format!("{SELECT} WHERE toolkit_slug = ?1 AND client_id = ?2"),
                    params![toolkit_slug, client_id],
                    read_row,
                )
                .optional()?;
            if let Some(raw) = existing {
                return Ok((false, raw));
            }
            c.execute(
                "INSERT INTO webhook_endpoints (id, toolkit_slug, client_id, data, created_at) VALUES (?1, ?2, ?3, NULL, ?4)",
                params![new_id, toolkit_slug, client_id, now],
            )?;
            Ok((true, (new_id, toolkit_slug, client_id, None, now)))
        })
        .await?;
    let row = to_row(raw)?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(row.json(&state))))
}

/// `GET /webhook_endpoints`.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["toolkit_slug"], "GET /webhook_endpoints");
    let filter = query.get("toolkit_slug").filter(|s| !s.is_empty()).map(str::to_lowercase);
    let raws = state
        .db
        .call(|c| {
            let mut stmt = c.prepare(&format!("{SELECT} ORDER BY created_at, id"))?;
            let rows = stmt.query_map([], read_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await?;
    let items: Vec<Value> = raws
        .into_iter()
        .filter(|r| filter.as_ref().is_none_or(|f| r.1.to_lowercase() == *f))
        .map(|(id, toolkit_slug, client_id, _, _)| json!({"id": id, "toolkit_slug": toolkit_slug, "client_id": client_id}))
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `GET /webhook_endpoints/{nano_id}`.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    Ok(Json(load(&state, &id).await?.json(&state)))
}

/// The `data` object of a replace/update body: known setup fields with string values.
fn setup_data(body: &Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    reject_unknown(body, &["data"], "")?;
    let data = match body.get("data") {
        None | Some(Value::Null) => return Err(ApiError::bad_request("missing required field `data`")),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `data` must be an object, got {}",
                type_name(other)
            )))
        }
    };
    let known: Vec<&str> = SETUP_FIELDS.iter().map(|f| f.name).collect();
    reject_unknown(data, &known, "data.")?;
    for (k, v) in data {
        match v {
            Value::String(s) if !s.is_empty() => {}
            Value::String(_) => {
                return Err(ApiError::bad_request(format!("field `data.{k}` must not be empty")))
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "field `data.{k}` must be a string, got {}",
                    type_name(other)
                )))
            }
        }
    }
    Ok(data.clone())
}

async fn store(state: &AppState, mut row: Row, data: Map<String, Value>) -> Result<Json<Value>, ApiError> {
    let (id, text) = (row.id.clone(), Value::Object(data.clone()).to_string());
    state
        .db
        .call(move |c| {
            c.execute("UPDATE webhook_endpoints SET data = ?1 WHERE id = ?2", params![text, id])?;
            Ok(())
        })
        .await?;
    row.data = Some(data);
    Ok(Json(row.json(state)))
}

/// `POST /webhook_endpoints/{nano_id}` — replace the setup fields (all required ones).
pub async fn replace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let data = setup_data(&body)?;
    let missing: Vec<String> = SETUP_FIELDS
        .iter()
        .filter(|f| f.required && !data.contains_key(f.name))
        .map(|f| format!("`data.{}`", f.name))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::bad_request(format!("missing required setup field(s) {}", missing.join(", ")))
            .fix("Replacing sets every required field; use PATCH to change only some."));
    }
    let row = load(&state, &id).await?;
    store(&state, row, data).await
}

/// `PATCH /webhook_endpoints/{nano_id}` — merge setup fields.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let changes = setup_data(&body)?;
    let row = load(&state, &id).await?;
    let mut data = row.data.clone().unwrap_or_default();
    for (k, v) in changes {
        data.insert(k, v);
    }
    store(&state, row, data).await
}

/// `POST /webhook_ingress/{nano_id}` — where providers would send inbound events: answers 404
/// for an unknown endpoint and 501 otherwise (composio-local does not process them).
pub async fn ingress(State(state): State<AppState>, Path(id): Path<String>) -> ApiError {
    match load(&state, &id).await {
        Err(e) => e,
        Ok(row) => ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            INGRESS_NOT_SUPPORTED,
            format!(
                "composio-local does not process inbound provider events (webhook endpoint `{}` of toolkit `{}`)",
                row.id, row.toolkit_slug
            ),
        )
        .fix("Fire triggers locally instead; see composio-local's trigger documentation."),
    }
}
