//! `/connected_accounts` (wire contract §6): initiate, link, list, get, delete, status, refresh, update.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::accounts::{self, AccountRow, STATUSES};
use crate::auth_configs::{self, AuthConfigRow};
use crate::connect::{self, NewConnection};
use crate::errors::{codes, ApiError};
use crate::extract::{
    optional_bool, optional_object, optional_str, parse_object, reject_unknown, required_str, JsonObject,
    QueryParams,
};
use crate::AppState;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(codes::CONNECTED_ACCOUNT_NOT_FOUND, "Connected account", id)
        .fix("List connected accounts with GET /api/v3/connected_accounts.")
}

async fn load(state: &AppState, id: &str) -> Result<(AccountRow, Option<AuthConfigRow>), ApiError> {
    let key = id.to_owned();
    state
        .db
        .call(move |c| {
            let Some(row) = accounts::get(c, &key)? else { return Ok(None) };
            let cfg = auth_configs::get(c, &row.auth_config_id)?;
            Ok(Some((row, cfg)))
        })
        .await?
        .ok_or_else(|| not_found(id))
}

async fn usable_auth_config(state: &AppState, id: &str, field: &str) -> Result<AuthConfigRow, ApiError> {
    let key = id.to_owned();
    let cfg = state.db.call(move |c| auth_configs::get(c, &key)).await?.ok_or_else(|| {
        ApiError::not_found(codes::AUTH_CONFIG_NOT_FOUND, "Auth config", id)
            .fix(format!("`{field}` must name an auth config from GET /api/v3/auth_configs."))
    })?;
    if !cfg.is_enabled() {
        return Err(ApiError::bad_request(format!("{field}: auth config `{id}` is disabled"))
            .fix("Enable it with PATCH /api/v3/auth_configs/{id}/ENABLED."));
    }
    Ok(cfg)
}

/// Read `connection.state` (`{authScheme, val}`) and check it matches the auth config's scheme.
fn read_state(
    obj: &Map<String, Value>,
    field: &str,
    cfg: &AuthConfigRow,
) -> Result<Map<String, Value>, ApiError> {
    reject_unknown(obj, &["authScheme", "auth_scheme", "val"], &format!("{field}."))?;
    let scheme = optional_str(obj, "authScheme")?.or(optional_str(obj, "auth_scheme")?);
    let scheme = scheme
        .ok_or_else(|| ApiError::bad_request(format!("missing required field `{field}.authScheme`")))?;
    if !scheme.eq_ignore_ascii_case(&cfg.auth_scheme) {
        return Err(ApiError::bad_request(format!(
            "field `{field}.authScheme` is `{scheme}`, but auth config `{}` uses `{}`",
            cfg.id, cfg.auth_scheme
        )));
    }
    Ok(optional_object(obj, "val")?.cloned().unwrap_or_default())
}

/// `POST /connected_accounts`.
pub async fn initiate(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["auth_config", "connection", "validate_credentials"], "")?;
    let ac = optional_object(&body, "auth_config")?
        .ok_or_else(|| ApiError::bad_request("missing required field `auth_config`"))?;
    reject_unknown(ac, &["id"], "auth_config.")?;
    let ac_id = optional_str(ac, "id")?
        .ok_or_else(|| ApiError::bad_request("missing required field `auth_config.id`"))?;
    optional_bool(&body, "validate_credentials")?;
    let empty = Map::new();
    let conn = optional_object(&body, "connection")?.unwrap_or(&empty);
    reject_unknown(
        conn,
        &["user_id", "callback_url", "alias", "state", "data", "redirect_uri", "deprecated_is_v1_rerouted"],
        "connection.",
    )?;
    let pre = |e: ApiError| ApiError { message: e.message.replacen("field `", "field `connection.", 1), ..e };
    let user_id = required_str(conn, "user_id").map_err(pre)?;
    let callback_url =
        optional_str(conn, "callback_url").map_err(pre)?.or(optional_str(conn, "redirect_uri").map_err(pre)?);
    let alias = optional_str(conn, "alias").map_err(pre)?;
    let cfg = usable_auth_config(&state, &ac_id, "auth_config.id").await?;
    let credentials =
        match (optional_object(conn, "state").map_err(pre)?, optional_object(conn, "data").map_err(pre)?) {
            (Some(s), _) => Some(read_state(s, "connection.state", &cfg)?),
            (None, Some(d)) => Some(read_state(d, "connection.data", &cfg)?),
            (None, None) => None,
        };
    let ttl = state.settings.link_ttl.as_secs();
    let new = NewConnection { user_id, callback_url, alias, data: Map::new(), credentials };
    let c2 = cfg.clone();
    let (row, link) = state.db.call(move |c| connect::start(c, ttl, &c2, new)).await?;
    Ok(Json(connect::initiate_json(&state, &row, &cfg, link.as_ref())))
}

/// `POST /connected_accounts/link`.
pub async fn link(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["auth_config_id", "user_id", "callback_url", "alias", "connection_data"], "")?;
    let ac_id = required_str(&body, "auth_config_id")?;
    let user_id = required_str(&body, "user_id")?;
    let callback_url = optional_str(&body, "callback_url")?.filter(|s| !s.is_empty());
    let alias = optional_str(&body, "alias")?;
    let data = optional_object(&body, "connection_data")?.cloned().unwrap_or_default();
    let cfg = usable_auth_config(&state, &ac_id, "auth_config_id").await?;
    let ttl = state.settings.link_ttl.as_secs();
    let new = NewConnection { user_id, callback_url, alias, data, credentials: None };
    let (row, link) = state.db.call(move |c| connect::start(c, ttl, &cfg, new)).await?;
    let link = link.ok_or_else(|| ApiError::internal("a link request produced no link"))?;
    Ok(Json(json!({
        "connected_account_id": row.id,
        "redirect_url": link.url(&state.base_url),
        "link_token": link.token,
        "expires_at": link.expires_iso(),
    })))
}

/// `GET /connected_accounts`.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(
        &query,
        &[
            "user_ids",
            "toolkit_slugs",
            "auth_config_ids",
            "connected_account_ids",
            "statuses",
            "order_by",
            "order_direction",
            "limit",
            "cursor",
        ],
        "GET /connected_accounts",
    );
    let list = |name: &str| query.list(name).filter(|l| !l.is_empty());
    let (users, toolkits, configs, ids) =
        (list("user_ids"), list("toolkit_slugs"), list("auth_config_ids"), list("connected_account_ids"));
    let statuses = list("statuses").map(|l| l.iter().map(|s| s.to_uppercase()).collect::<Vec<_>>());
    if let Some(bad) = statuses.iter().flatten().find(|s| !STATUSES.contains(&s.as_str())) {
        return Err(ApiError::bad_request(format!(
            "query parameter `statuses`: unknown status `{bad}`; allowed: {}",
            STATUSES.join(", ")
        )));
    }
    let order_by = query.get("order_by").unwrap_or("created_at");
    if order_by != "created_at" && order_by != "updated_at" {
        return Err(ApiError::bad_request(format!(
            "query parameter `order_by` must be `created_at` or `updated_at`, got `{order_by}`"
        )));
    }
    let direction = query.get("order_direction").unwrap_or("desc");
    if direction != "asc" && direction != "desc" {
        return Err(ApiError::bad_request(format!(
            "query parameter `order_direction` must be `asc` or `desc`, got `{direction}`"
        )));
    }
    let rows = state
        .db
        .call(|c| {
            let configs: std::collections::HashMap<String, AuthConfigRow> =
                auth_configs::list(c)?.into_iter().map(|a| (a.id.clone(), a)).collect();
            Ok(accounts::list(c)?
                .into_iter()
                .map(|a| {
                    let cfg = configs.get(&a.auth_config_id).cloned();
                    (a, cfg)
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let within = |filter: &Option<Vec<String>>, value: &str| {
        filter.as_ref().is_none_or(|f| f.iter().any(|x| x == value))
    };
    let mut rows: Vec<(AccountRow, Option<AuthConfigRow>)> = rows
        .into_iter()
        .filter(|(a, _)| within(&users, &a.user_id))
        .filter(|(a, _)| {
            toolkits.as_ref().is_none_or(|f| f.iter().any(|x| x.eq_ignore_ascii_case(&a.toolkit)))
        })
        .filter(|(a, _)| within(&configs, &a.auth_config_id))
        .filter(|(a, _)| within(&ids, &a.id))
        .filter(|(a, _)| within(&statuses, &a.status))
        .collect();
    // Stored oldest first; a stable sort keeps insertion order for equal times.
    if order_by == "updated_at" {
        rows.sort_by(|x, y| x.0.updated_at.cmp(&y.0.updated_at));
    }
    if direction == "desc" {
        rows.reverse();
    }
    let items = rows.iter().map(|(a, cfg)| account_json(a, cfg.as_ref())).collect();
    super::paginate(items, &query, 20).map(Json)
}

/// `GET /connected_accounts/{id}`.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (row, cfg) = load(&state, &id).await?;
    Ok(Json(account_json(&row, cfg.as_ref())))
}

/// `DELETE /connected_accounts/{id}`.
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let key = id.clone();
    if !state.db.call(move |c| accounts::delete(c, &key)).await? {
        return Err(not_found(&id));
    }
    Ok(Json(json!({"success": true})))
}

/// `PATCH /connected_accounts/{id}/status` — body `{"enabled": bool}`.
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["enabled"], "")?;
    let enabled = optional_bool(&body, "enabled")?
        .ok_or_else(|| ApiError::bad_request("missing required field `enabled`"))?;
    let (mut row, _) = load(&state, &id).await?;
    row.is_disabled = !enabled;
    match (enabled, row.status.as_str()) {
        (false, "ACTIVE") => row.status = "INACTIVE".to_owned(),
        (true, "INACTIVE") => row.status = "ACTIVE".to_owned(),
        _ => {}
    }
    state.db.call(move |c| accounts::update(c, &mut row)).await?;
    Ok(Json(json!({"success": true})))
}

/// `POST /connected_accounts/{id}/refresh` — query/body `redirect_url`. OAuth2 accounts with a
/// refresh token get new tokens; otherwise (or when that fails) the account is re-initiated with a
/// new connect link.
pub async fn refresh(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { Map::new() } else { parse_object(&body)? };
    reject_unknown(&body, &["redirect_url", "validate_credentials"], "")?;
    optional_bool(&body, "validate_credentials")?;
    let redirect = optional_str(&body, "redirect_url")?
        .or(query.get("redirect_url").map(str::to_owned))
        .filter(|s| !s.is_empty());
    let (mut row, cfg) = load(&state, &id).await?;
    let cfg =
        cfg.ok_or_else(|| ApiError::internal(format!("auth config of connected account {id} is missing")))?;
    if cfg.auth_scheme == "OAUTH2" && row.state.contains_key("refresh_token") && !row.is_disabled {
        let _guard = state.refresh_lock.lock().await;
        if crate::credentials::refresh_account(&state, &mut row, &cfg).await.is_ok() {
            row.status = "ACTIVE".to_owned();
            row.status_reason = None;
            let mut copy = row.clone();
            state.db.call(move |c| accounts::update(c, &mut copy)).await?;
            return Ok(Json(json!({"id": row.id, "status": "ACTIVE", "redirect_url": null})));
        }
    }
    let ttl = state.settings.link_ttl.as_secs();
    let (row, link) = state
        .db
        .call(move |c| {
            let mut row = accounts::get(c, &id)?.ok_or_else(|| not_found(&id))?;
            row.status = "INITIATED".to_owned();
            row.status_reason = None;
            row.state = Map::new();
            if redirect.is_some() {
                row.callback_url = redirect;
            }
            accounts::update(c, &mut row)?;
            let link = connect::new_link(c, &row.id, ttl)?;
            Ok((row, link))
        })
        .await?;
    Ok(Json(json!({"id": row.id, "status": row.status, "redirect_url": link.url(&state.base_url)})))
}

/// `PATCH /connected_accounts/{id}` — `{"alias"?, "connection"?: {"state": {authScheme, val}}}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["alias", "connection"], "")?;
    let (mut row, cfg) = load(&state, &id).await?;
    let cfg =
        cfg.ok_or_else(|| ApiError::internal(format!("auth config of connected account {id} is missing")))?;
    if let Some(alias) = optional_str(&body, "alias")? {
        row.alias = Some(alias);
    }
    if let Some(conn) = optional_object(&body, "connection")? {
        reject_unknown(conn, &["state"], "connection.")?;
        if let Some(s) = optional_object(conn, "state")? {
            let val = read_state(s, "connection.state", &cfg)?;
            if !connect::credentials_complete(&cfg.auth_scheme, &val) {
                return Err(ApiError::bad_request(format!(
                    "field `connection.state.val` has no complete `{}` credentials (API_KEY needs `api_key`, OAUTH2 `access_token`)",
                    cfg.auth_scheme
                )));
            }
            row.state = val.into_iter().filter(|(k, _)| k != "status").collect();
            if !row.is_disabled {
                row.status = "ACTIVE".to_owned();
                row.status_reason = None;
            }
        }
    }
    let mut copy = row.clone();
    state.db.call(move |c| accounts::update(c, &mut copy)).await?;
    let (row, cfg) = load(&state, &row.id).await?;
    Ok(Json(account_json(&row, cfg.as_ref())))
}

/// A connected account as the API returns it: `test_request_endpoint` (optional, never null
/// in the API) is left out while composio-local has none.
fn account_json(row: &AccountRow, cfg: Option<&AuthConfigRow>) -> Value {
    let mut v = row.to_json(cfg);
    super::omit_nulls(&mut v, &["/test_request_endpoint"]);
    v
}
