//! `/session_configs` (v3.1): the project's saved Session configs — named access policies
//! (`sc_…`) that `@composio/core` 0.21 reads with `composio.sessionConfigs.list/get`.
//!
//! * `GET /session_configs` — query `search` (case-insensitive substring of the name),
//!   `archived` (`true`: only archived; default: only active), `limit` (default 20; larger
//!   values are capped at 100, as the hosted API does),
//!   `cursor`; answers `{items: [{id, name, archived, created_at, updated_at}], next_cursor}`.
//! * `GET /session_configs/{id}` — the summary plus `description` and the policy `config`.
//! * `POST /session_configs` — a composio-local extension standing in for the Dashboard
//!   (Sessions → Configs): `{name, description?, config, archived?}`; names are unique (409).
//!
//! The policy is checked in the shape the SDK documents: `toolkits` is `{enable: [...]}` or
//! `{disable: [...]}`; `tools` maps a toolkit slug to `{enable}`, `{disable}` or
//! `{tags: {enable?, disable?}}`; `tags` is `{enable?, disable?}`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Map, Value};

use crate::errors::codes::{SESSION_CONFIG_NAME_TAKEN, SESSION_CONFIG_NOT_FOUND};
use crate::errors::ApiError;
use crate::extract::{
    optional_bool, optional_str, reject_unknown, required_str, type_name, JsonObject, QueryParams,
};
use crate::AppState;

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;

struct Row {
    id: String,
    name: String,
    description: Option<String>,
    archived: bool,
    config: String,
    created_at: String,
    updated_at: String,
}

impl Row {
    fn summary(&self) -> Value {
        json!({
            "id": self.id, "name": self.name, "archived": self.archived,
            "created_at": self.created_at, "updated_at": self.updated_at,
        })
    }

    fn full(&self) -> Result<Value, ApiError> {
        let config: Value = serde_json::from_str(&self.config).map_err(|e| {
            ApiError::internal(format!("stored policy of session config {} is not JSON: {e}", self.id))
        })?;
        Ok(json!({
            "id": self.id, "name": self.name, "description": self.description, "archived": self.archived,
            "config": config, "created_at": self.created_at, "updated_at": self.updated_at,
        }))
    }
}

const SELECT: &str =
    "SELECT id, name, description, archived, config, created_at, updated_at FROM session_configs";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        archived: r.get::<_, i64>(3)? != 0,
        config: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

fn string_list(v: &Value, path: &str) -> Result<(), ApiError> {
    let Value::Array(items) = v else {
        return Err(ApiError::bad_request(format!(
            "`{path}` must be an array of strings, got {}",
            type_name(v)
        )));
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_string() {
            return Err(ApiError::bad_request(format!(
                "`{path}[{i}]` must be a string, got {}",
                type_name(item)
            )));
        }
    }
    Ok(())
}

/// `{enable: [...]}` or `{disable: [...]}` (exactly one key).
fn enable_or_disable(v: &Value, path: &str, allow_tags: bool) -> Result<(), ApiError> {
    let Value::Object(m) = v else {
        return Err(ApiError::bad_request(format!("`{path}` must be an object, got {}", type_name(v))));
    };
    let allowed: &[&str] = if allow_tags { &["enable", "disable", "tags"] } else { &["enable", "disable"] };
    reject_unknown(m, allowed, &format!("{path}."))?;
    if m.len() != 1 {
        return Err(ApiError::bad_request(format!(
            "`{path}` must have exactly one of {}",
            allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    for (k, val) in m {
        if k == "tags" {
            tag_policy(val, &format!("{path}.tags"))?;
        } else {
            string_list(val, &format!("{path}.{k}"))?;
        }
    }
    Ok(())
}

/// `{enable?: [...], disable?: [...]}`.
fn tag_policy(v: &Value, path: &str) -> Result<(), ApiError> {
    let Value::Object(m) = v else {
        return Err(ApiError::bad_request(format!("`{path}` must be an object, got {}", type_name(v))));
    };
    reject_unknown(m, &["enable", "disable"], &format!("{path}."))?;
    for (k, val) in m {
        string_list(val, &format!("{path}.{k}"))?;
    }
    Ok(())
}

/// Checks a policy object (see the module docs).
pub fn check_policy(policy: &Map<String, Value>) -> Result<(), ApiError> {
    reject_unknown(policy, &["toolkits", "tools", "tags"], "config.")?;
    if let Some(tk) = policy.get("toolkits") {
        enable_or_disable(tk, "config.toolkits", false)?;
    }
    match policy.get("tools") {
        None => {}
        Some(Value::Object(per_toolkit)) => {
            for (slug, rule) in per_toolkit {
                enable_or_disable(rule, &format!("config.tools.{slug}"), true)?;
            }
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "`config.tools` must be an object keyed by toolkit slug, got {}",
                type_name(other)
            )))
        }
    }
    if let Some(tags) = policy.get("tags") {
        tag_policy(tags, "config.tags")?;
    }
    Ok(())
}

/// `POST /session_configs` (composio-local extension; see the module docs).
pub async fn create(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    reject_unknown(&body, &["name", "description", "config", "archived"], "")?;
    let name = required_str(&body, "name")?;
    if name.trim().is_empty() {
        return Err(ApiError::bad_request("field `name` must not be empty"));
    }
    let description = optional_str(&body, "description")?;
    let archived = optional_bool(&body, "archived")?.unwrap_or(false);
    let policy = match body.get("config") {
        None | Some(Value::Null) => return Err(ApiError::bad_request("missing required field `config`")),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `config` must be an object, got {}",
                type_name(other)
            )))
        }
    };
    check_policy(&policy)?;
    let now = crate::ids::now_iso();
    let row = Row {
        id: crate::ids::new_id("sc"),
        name,
        description,
        archived,
        config: Value::Object(policy).to_string(),
        created_at: now.clone(),
        updated_at: now,
    };
    let out = row.full()?;
    state
        .db
        .call(move |c| {
            let taken: Option<String> = c
                .query_row("SELECT id FROM session_configs WHERE name = ?1", params![row.name], |r| r.get(0))
                .optional()?;
            if let Some(existing) = taken {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    SESSION_CONFIG_NAME_TAKEN,
                    format!("a session config named `{}` already exists (`{existing}`)", row.name),
                ));
            }
            c.execute(
                "INSERT INTO session_configs (id, name, description, archived, config, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![row.id, row.name, row.description, row.archived as i64, row.config, row.created_at, row.updated_at],
            )?;
            Ok(())
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `GET /session_configs`.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["search", "archived", "limit", "cursor"], "GET /session_configs");
    let limit = match query.get("limit") {
        None | Some("") => DEFAULT_LIMIT,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n >= 1 => n.min(MAX_LIMIT),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "query parameter `limit` must be a positive integer, got `{v}`"
                )))
            }
        },
    };
    let offset = query.offset()?;
    let archived = query.bool("archived")?.unwrap_or(false);
    let search = query.get("search").map(str::to_lowercase).filter(|s| !s.is_empty());
    let rows = state
        .db
        .call(move |c| {
            let mut stmt = c.prepare(&format!("{SELECT} WHERE archived = ?1 ORDER BY created_at, id"))?;
            let rows = stmt.query_map(params![archived as i64], read_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await?;
    let matching: Vec<Row> = rows
        .into_iter()
        .filter(|r| search.as_ref().is_none_or(|s| r.name.to_lowercase().contains(s.as_str())))
        .collect();
    let total = matching.len();
    if offset > total {
        return Err(ApiError::bad_request(format!(
            "query parameter `cursor` points past the end of the list ({total} items)"
        )));
    }
    let items: Vec<Value> = matching.iter().skip(offset).take(limit).map(Row::summary).collect();
    let end = offset + items.len();
    let next_cursor = if end < total { Value::String(crate::ids::encode_cursor(end)) } else { Value::Null };
    Ok(Json(json!({"items": items, "next_cursor": next_cursor})))
}

/// The policy of saved config `id` for a session create (`experimental.session_config_id`):
/// 404 naming the id when unknown, 400 when archived.
pub(crate) async fn policy_for_session(state: &AppState, id: &str) -> Result<Map<String, Value>, ApiError> {
    let key = id.to_owned();
    let row = state
        .db
        .call(move |c| {
            Ok(c.query_row(&format!("{SELECT} WHERE id = ?1"), params![key], read_row).optional()?)
        })
        .await?
        .ok_or_else(|| {
            ApiError::not_found(SESSION_CONFIG_NOT_FOUND, "Session config", id)
                .fix("List saved session configs with GET /api/v3.1/session_configs.")
        })?;
    if row.archived {
        return Err(ApiError::bad_request(format!(
            "field `experimental.session_config_id`: session config `{}` (`{}`) is archived",
            row.id, row.name
        ))
        .fix("Use an active session config, or set the access fields inline."));
    }
    match row.full()?.get("config") {
        Some(Value::Object(m)) => Ok(m.clone()),
        _ => Err(ApiError::internal(format!("stored policy of session config {} is not an object", row.id))),
    }
}

/// `GET /session_configs/{id}`.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let key = id.clone();
    let row = state
        .db
        .call(move |c| {
            Ok(c.query_row(&format!("{SELECT} WHERE id = ?1"), params![key], read_row).optional()?)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(SESSION_CONFIG_NOT_FOUND, "Session config", &id))?;
    Ok(Json(row.full()?))
}
