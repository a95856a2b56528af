//! v3.1 session update, config history and delete (wire contract §16):
//! `PATCH /tool_router/session/{id}`, `GET /tool_router/session/{id}/config_history`,
//! `DELETE /tool_router/session/{id}`.
//!
//! A PATCH changes only the fields it names; a field set to `null` removes the stored override;
//! maps (`tools`, `auth_configs`, `connected_accounts`) replace the stored map. Every successful
//! PATCH bumps `config_version` and records the new config in the history. `instant`,
//! `proxy_execute`, `hooks`, `search` and `execute` are stored and echoed but not enforced.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Map, Value};

use crate::errors::{codes, ApiError};
use crate::extract::{type_name, JsonObject, QueryParams};
use crate::sessions::{SessionConfig, CREATE_FIELDS};
use crate::AppState;

/// Composio-local's error code for a stale `expected_config_version` (HTTP 409).
pub const SESSION_CONFIG_CONFLICT: u32 = 1227;

/// Fields parsed like the create request's: its fields but `user_id` (fixed) and `preload`
/// (stored as given).
fn parsed_fields() -> impl Iterator<Item = &'static str> {
    CREATE_FIELDS.iter().copied().filter(|k| !matches!(*k, "user_id" | "preload"))
}
/// Fields stored and echoed as given.
const ECHOED: &[&str] = &["instant", "premium_usage", "proxy_execute", "hooks", "search", "execute"];

/// The stored `config_version` of a session (1 when never updated).
pub async fn config_version(state: &AppState, id: &str) -> Result<i64, ApiError> {
    let id = id.to_owned();
    state
        .db
        .call(move |c| {
            Ok(c.query_row("SELECT config_version FROM sessions WHERE id = ?1", params![id], |r| r.get(0))
                .optional()?
                .unwrap_or(1))
        })
        .await
}

fn expected_version(body: &Map<String, Value>) -> Result<Option<i64>, ApiError> {
    match body.get("expected_config_version") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 1) => Ok(n.as_i64()),
        Some(other) => Err(ApiError::bad_request(format!(
            "field `expected_config_version` must be a positive integer, got {}",
            if other.is_number() { other.to_string() } else { type_name(other).to_owned() }
        ))),
    }
}

/// Accept `connected_accounts` values as one id or a one-element id list (the v3.1 shape).
fn single_ids(value: &Value) -> Result<Value, ApiError> {
    let Value::Object(m) = value else { return Ok(value.clone()) };
    let mut out = Map::new();
    for (k, v) in m {
        let id = match v {
            Value::Array(items) if items.len() == 1 => items[0].clone(),
            Value::Array(items) => {
                return Err(ApiError::bad_request(format!(
                "field `connected_accounts.{k}` must list exactly one account id in composio-local, got {}",
                items.len()
            )))
            }
            other => other.clone(),
        };
        out.insert(k.clone(), id);
    }
    Ok(Value::Object(out))
}

/// `PATCH /tool_router/session/{id}`.
pub async fn patch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (row, old) = super::sessions::load(&state, &id).await?;
    let expected = expected_version(&body)?;
    let allowed: Vec<&str> =
        parsed_fields().chain(ECHOED.iter().copied()).chain(["preload", "expected_config_version"]).collect();
    if let Some(key) = body.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!("unknown field `{key}` in session update"))
            .fix(format!("Updatable fields: {}.", allowed.join(", "))));
    }
    for key in ["instant", "premium_usage"] {
        if body.get(key).is_some_and(Value::is_null) {
            return Err(ApiError::bad_request(format!(
                "field `{key}` does not accept null; pass false or an object"
            )));
        }
    }
    // Parse the named fields on their own (null parses as "not given", i.e. the default).
    let mut mini = Map::new();
    mini.insert("user_id".into(), Value::String(old.user_id.clone()));
    let mut saved_policy = None;
    for key in parsed_fields() {
        if let Some(v) = body.get(key) {
            let v = if key == "connected_accounts" { single_ids(v)? } else { v.clone() };
            mini.insert(key.to_owned(), v);
        }
    }
    if let Some(Value::Object(exp)) = mini.get_mut("experimental") {
        if let Some(Value::String(cid)) = exp.remove("session_config_id") {
            saved_policy = Some(super::session_configs::policy_for_session(&state, &cid).await?);
        }
    }
    if let Some(policy) = &saved_policy {
        mini.extend(policy.clone());
    }
    let parsed = SessionConfig::from_request(&mini)?;
    let mut new = old.clone();
    let given = |k: &str| body.contains_key(k) || saved_policy.as_ref().is_some_and(|p| p.contains_key(k));
    if given("toolkits") {
        new.toolkits = parsed.toolkits;
    }
    if given("tools") {
        new.tools = parsed.tools;
    }
    if given("tags") {
        new.tags = parsed.tags;
    }
    if given("manage_connections") {
        new.manage_connections = parsed.manage_connections;
    }
    if given("auth_configs") {
        new.auth_configs = parsed.auth_configs;
    }
    if given("connected_accounts") {
        new.connected_accounts = parsed.connected_accounts;
    }
    if given("workbench") {
        new.workbench = parsed.workbench;
    }
    if given("multi_account") {
        new.multi_account = parsed.multi_account;
    }
    if given("experimental") {
        new.experimental = parsed.experimental;
    }
    if let Some(p) = body.get("preload") {
        let mut pb = Map::new();
        pb.insert("preload".into(), p.clone());
        new.preload = new.parse_preload(&pb)?;
    }
    let mut stored = serde_json::to_value(&new).map_err(ApiError::internal)?;
    if let Value::Object(m) = &mut stored {
        for key in ECHOED {
            let value = match body.get(*key) {
                Some(v) => Some(v.clone()),
                None => row.config.get(*key).cloned(),
            };
            match value {
                None | Some(Value::Null) => {}
                Some(Value::Bool(b)) if *key == "proxy_execute" => {
                    m.insert((*key).to_owned(), json!({ "enable": b }));
                }
                Some(v) => {
                    m.insert((*key).to_owned(), v);
                }
            }
        }
    }
    let now = crate::ids::now_iso();
    let (sid, old_cfg, new_cfg, created) =
        (id.clone(), row.config.to_string(), stored.to_string(), row.created_at.clone());
    let version = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let current: i64 = tx
                .query_row("SELECT config_version FROM sessions WHERE id = ?1", params![sid], |r| r.get(0))
                .optional()?
                .ok_or_else(|| ApiError::not_found(codes::SESSION_NOT_FOUND, "Tool router session", &sid))?;
            if let Some(e) = expected {
                if e != current {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        SESSION_CONFIG_CONFLICT,
                        format!(
                            "session `{sid}` config is at version {current}, not the expected version {e}"
                        ),
                    )
                    .fix("Re-fetch the session and retry the update with its current config_version."));
                }
            }
            // Sessions never updated before get their first version recorded now.
            tx.execute(
                "INSERT OR IGNORE INTO session_config_history (session_id, version, config, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![sid, current, old_cfg, created],
            )?;
            let next = current + 1;
            tx.execute(
                "UPDATE sessions SET config = ?1, config_version = ?2 WHERE id = ?3",
                params![new_cfg, next, sid],
            )?;
            tx.execute(
                "INSERT INTO session_config_history (session_id, version, config, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![sid, next, new_cfg, now],
            )?;
            tx.commit()?;
            Ok(next)
        })
        .await?;
    let (row, config) = super::sessions::load(&state, &id).await?;
    Ok(Json(super::sessions::session_json_v(&state, &row, &config, version)))
}

/// `GET /tool_router/session/{id}/config_history?limit&cursor`: newest first.
pub async fn history(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["limit", "cursor"], "GET /tool_router/session/{id}/config_history");
    let limit = match query.get("limit") {
        None | Some("") => 20,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "query parameter `limit` must be an integer from 1 to 100, got `{v}`"
                )))
            }
        },
    };
    let offset = query.offset()?;
    let (row, _) = super::sessions::load(&state, &id).await?;
    let current = config_version(&state, &id).await?;
    let sid = id.clone();
    let mut entries: Vec<(i64, String, String)> = state
        .db
        .call(move |c| {
            let mut stmt = c.prepare(
                "SELECT version, config, created_at FROM session_config_history WHERE session_id = ?1
                 ORDER BY version DESC",
            )?;
            let rows = stmt
                .query_map(params![sid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await?;
    if entries.is_empty() {
        entries.push((current, row.config.to_string(), row.created_at.clone()));
    }
    let total = entries.len();
    if offset > total {
        return Err(ApiError::bad_request(format!(
            "query parameter `cursor` points past the end of the list ({total} items)"
        )));
    }
    let end = (offset + limit).min(total);
    let mut items = Vec::new();
    for (version, config, created_at) in &entries[offset..end] {
        let parsed: Value = serde_json::from_str(config).map_err(ApiError::internal)?;
        let cfg: SessionConfig = serde_json::from_value(parsed.clone()).map_err(ApiError::internal)?;
        let shown = super::sessions::session_json_v(
            &state,
            &crate::db::SessionRow { config: parsed, ..row.clone() },
            &cfg,
            *version,
        );
        items.push(json!({
            "version": version,
            "is_current": *version == current,
            "config": shown["config"],
            "created_at": created_at,
        }));
    }
    let next_cursor = if end < total { Value::String(crate::ids::encode_cursor(end)) } else { Value::Null };
    let pages = total.div_ceil(limit).max(1);
    Ok(Json(json!({
        "items": items,
        "next_cursor": next_cursor,
        "total_items": total,
        "total_pages": pages,
        "current_page": offset / limit + 1,
    })))
}

/// `DELETE /tool_router/session/{id}` → `{session_id, deleted: true}`; 404 when unknown.
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let sid = id.clone();
    let removed = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let n = tx.execute("DELETE FROM sessions WHERE id = ?1", params![sid])?;
            tx.execute("DELETE FROM session_config_history WHERE session_id = ?1", params![sid])?;
            tx.commit()?;
            Ok(n)
        })
        .await?;
    if removed == 0 {
        return Err(ApiError::not_found(codes::SESSION_NOT_FOUND, "Tool router session", &id));
    }
    Ok(Json(json!({"session_id": id, "deleted": true})))
}
