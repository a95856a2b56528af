//! `/auth_configs` (wire contract §5): create, list, get, update, delete, enable/disable.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::auth_configs::{self, AuthConfigRow};
use crate::errors::{codes, ApiError};
use crate::extract::{JsonObject, QueryParams};
use crate::AppState;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(codes::AUTH_CONFIG_NOT_FOUND, "Auth config", id)
        .fix("List auth configs with GET /api/v3/auth_configs.")
}

async fn load(state: &AppState, id: &str) -> Result<AuthConfigRow, ApiError> {
    let key = id.to_owned();
    state.db.call(move |c| auth_configs::get(c, &key)).await?.ok_or_else(|| not_found(id))
}

/// `POST /auth_configs`.
pub async fn create(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let row = auth_configs::parse_create(&body)?;
    let stored = row.clone();
    state.db.call(move |c| auth_configs::insert(c, &stored)).await?;
    Ok(Json(json!({
        "auth_config": {
            "id": row.id,
            "auth_scheme": row.auth_scheme,
            "is_composio_managed": row.is_composio_managed(),
            "restrict_to_following_tools": row.settings.get("restrict_to_following_tools").cloned().unwrap_or(json!([])),
        },
        "toolkit": {"slug": row.toolkit},
    })))
}

/// `GET /auth_configs`.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(
        &query,
        &[
            "toolkit_slug",
            "is_composio_managed",
            "show_disabled",
            "search",
            "limit",
            "cursor",
            "deprecated_app_id",
            "deprecated_status",
        ],
        "GET /auth_configs",
    );
    let toolkits = query.list("toolkit_slug").filter(|l| !l.is_empty());
    let managed = query.bool("is_composio_managed")?;
    let show_disabled = query.bool("show_disabled")?.unwrap_or(false);
    let search = query.get("search").map(str::to_lowercase).filter(|s| !s.is_empty());
    let rows = state
        .db
        .call(|c| {
            auth_configs::list(c)?
                .into_iter()
                .map(|r| {
                    let n = auth_configs::connection_count(c, &r.id)?;
                    Ok((r, n))
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    let items: Vec<Value> = rows
        .into_iter()
        .filter(|(r, _)| {
            toolkits.as_ref().is_none_or(|t| t.iter().any(|s| s.eq_ignore_ascii_case(&r.toolkit)))
        })
        .filter(|(r, _)| managed.is_none_or(|m| r.is_composio_managed() == m))
        .filter(|(r, _)| show_disabled || r.is_enabled())
        .filter(|(r, _)| {
            search.as_ref().is_none_or(|s| {
                r.name.to_lowercase().contains(s) || r.id.to_lowercase().contains(s) || r.toolkit.contains(s)
            })
        })
        .map(|(r, n)| auth_config_json(&r, n))
        .collect();
    super::paginate(items, &query, 20).map(Json)
}

/// `GET /auth_configs/{id}`.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let row = load(&state, &id).await?;
    let key = row.id.clone();
    let n = state.db.call(move |c| auth_configs::connection_count(c, &key)).await?;
    Ok(Json(auth_config_json(&row, n)))
}

/// An auth config as `GET /auth_configs[/{id}]` return it: unset optional fields are left out.
fn auth_config_json(row: &AuthConfigRow, no_of_connections: i64) -> Value {
    let mut v = row.to_json(no_of_connections);
    super::omit_nulls(
        &mut v,
        &[
            "/shared_credentials",
            "/proxy_config",
            "/restrict_to_following_tools",
            "/deprecated_params/member_uuid",
            "/deprecated_params/toolkit_id",
        ],
    );
    v
}

/// `PATCH /auth_configs/{id}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let mut row = load(&state, &id).await?;
    auth_configs::apply_update(&mut row, &body)?;
    state.db.call(move |c| auth_configs::update(c, &row)).await?;
    Ok(Json(json!({})))
}

/// `DELETE /auth_configs/{id}` (its connected accounts are deleted with it).
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let key = id.clone();
    if !state.db.call(move |c| auth_configs::delete(c, &key)).await? {
        return Err(not_found(&id));
    }
    Ok(Json(json!({})))
}

/// `PATCH /auth_configs/{id}/{ENABLED|DISABLED}`.
pub async fn set_status(
    State(state): State<AppState>,
    Path((id, status)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    if status != "ENABLED" && status != "DISABLED" {
        return Err(ApiError::bad_request(format!(
            "path segment `status` must be `ENABLED` or `DISABLED` (upper-case), got `{status}`"
        )));
    }
    let mut row = load(&state, &id).await?;
    row.status = status;
    row.updated_at = crate::ids::now_iso();
    state.db.call(move |c| auth_configs::update(c, &row)).await?;
    Ok(Json(json!({})))
}
