//! `/triggers_types` and `/trigger_instances` (wire contract §7.1, §7.2).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::accounts::{self, AccountRow};
use crate::errors::{codes, ApiError};
use crate::extract::{
    optional_object, optional_str, reject_unknown, required_str, type_name, JsonObject, QueryParams,
};
use crate::schema::validate_arguments;
use crate::toolkits::{self, Toolkit};
use crate::triggers::instances::{self, InstanceRow};
use crate::triggers::types::{self, TriggerDef};
use crate::AppState;

const TYPE_LIST_PARAMS: &[&str] = &["toolkit_slugs", "cursor", "limit", "toolkit_versions"];
const ACTIVE_PARAMS: &[&str] = &[
    "trigger_ids",
    "trigger_names",
    "auth_config_ids",
    "connected_account_ids",
    "user_ids",
    "show_disabled",
    "limit",
    "cursor",
    "page",
    "triggerIds",
    "triggerNames",
    "authConfigIds",
    "connectedAccountIds",
    "showDisabled",
    "deprecatedAuthConfigUuids",
    "deprecatedConnectedAccountUuids",
];

fn type_not_found(slug: &str) -> ApiError {
    ApiError::not_found(codes::TRIGGER_TYPE_NOT_FOUND, "Trigger type", slug).fix(format!(
        "Trigger types available in composio-local: {}.",
        types::registry().iter().map(|t| t.slug).collect::<Vec<_>>().join(", ")
    ))
}

fn instance_not_found(id: &str) -> ApiError {
    ApiError::not_found(codes::TRIGGER_INSTANCE_NOT_FOUND, "Trigger instance", id)
}

fn find_type(slug: &str) -> Result<&'static TriggerDef, ApiError> {
    types::find(slug).ok_or_else(|| type_not_found(slug))
}

/// `GET /triggers_types` — `toolkit_slugs` (comma list), `cursor`, `limit`, `toolkit_versions`.
pub async fn list_types(query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, TYPE_LIST_PARAMS, "GET /triggers_types");
    super::tools::check_toolkit_versions(&query)?;
    let filter: Option<Vec<&'static Toolkit>> = match query.list("toolkit_slugs").filter(|s| !s.is_empty()) {
        None => None,
        Some(slugs) => Some(
            slugs
                .iter()
                .map(|s| {
                    toolkits::find_toolkit(s).ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "query parameter `toolkit_slugs`: unknown toolkit `{s}`"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    let items: Vec<Value> = types::registry()
        .iter()
        .filter(|t| filter.as_ref().is_none_or(|f| f.iter().any(|tk| tk.slug == t.toolkit)))
        .map(types::to_json)
        .collect();
    Ok(Json(super::paginate(items, &query, 20)?))
}

/// `GET /triggers_types/{slug}`.
pub async fn get_type(Path(slug): Path<String>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["toolkit_versions"], "GET /triggers_types/{slug}");
    super::tools::check_toolkit_versions(&query)?;
    Ok(Json(types::to_json(find_type(&slug)?)))
}

/// `GET /triggers_types/list/enum` — every trigger slug.
pub async fn list_enum() -> Json<Value> {
    Json(json!(types::registry().iter().map(|t| t.slug).collect::<Vec<_>>()))
}

/// The toolkit version an upsert asks for (`toolkit_versions` string or map, or the deprecated
/// `version`), resolved to a concrete version.
fn requested_version(body: &Map<String, Value>, tk: &Toolkit) -> Result<String, ApiError> {
    let requested = match body.get("toolkit_versions").filter(|v| !v.is_null()) {
        Some(Value::String(v)) => Some((v.clone(), "toolkit_versions")),
        Some(Value::Object(map)) => match map.get(tk.slug).filter(|v| !v.is_null()) {
            None => None,
            Some(Value::String(v)) => Some((v.clone(), "toolkit_versions")),
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "field `toolkit_versions.{}` must be a string, got {}",
                    tk.slug,
                    type_name(other)
                )))
            }
        },
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `toolkit_versions` must be a string or an object, got {}",
                type_name(other)
            )))
        }
        None => optional_str(body, "version")?.map(|v| (v, "version")),
    };
    match requested {
        None => Ok(tk.version.to_owned()),
        Some((v, field)) => {
            super::tools::check_version(tk, &v, &format!("field `{field}`"))?;
            Ok(if v == "latest" { tk.version.to_owned() } else { v })
        }
    }
}

/// `POST /trigger_instances/{slug}/upsert` — create the instance for (account, slug, config), or
/// update and re-enable the existing one.
pub async fn upsert(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let def = find_type(&slug)?;
    reject_unknown(
        &body,
        &[
            "connected_account_id",
            "trigger_config",
            "toolkit_versions",
            "user_id",
            "connectedAuthId",
            "triggerConfig",
            "version",
        ],
        "",
    )?;
    let account_id = if body.get("connected_account_id").is_some_and(|v| !v.is_null()) {
        Some(required_str(&body, "connected_account_id")?)
    } else if body.get("connectedAuthId").is_some_and(|v| !v.is_null()) {
        Some(required_str(&body, "connectedAuthId")?)
    } else {
        None
    };
    // The newest SDKs (Python 0.30, TS 0.21) send `user_id` and, when no account is pinned, let
    // the server pick the user's ACTIVE connection of the trigger's toolkit.
    let user_id = optional_str(&body, "user_id")?.filter(|u| !u.trim().is_empty());
    if account_id.is_none() && user_id.is_none() {
        return Err(ApiError::bad_request("missing required field `connected_account_id` (or `user_id`)").fix(
            "Pass the id (`ca_…`) of an ACTIVE connected account of the trigger's toolkit, or the `user_id` owning one.",
        ));
    }
    let config = match optional_object(&body, "trigger_config")? {
        Some(c) => c.clone(),
        None => optional_object(&body, "triggerConfig")?.cloned().unwrap_or_default(),
    };
    let config = validate_arguments(&def.config, &config).map_err(|e| {
        ApiError::bad_request(format!("invalid `trigger_config` for {}: {e}", def.slug))
            .fix(format!("`trigger_config` must match the trigger type's `config` schema: {}", def.config))
    })?;
    let tk = types::toolkit_of(def)
        .ok_or_else(|| ApiError::internal(format!("trigger type {} names an unknown toolkit", def.slug)))?;
    let version = requested_version(&body, tk)?;
    let row = state
        .db
        .call(move |c| {
            let account = match (&account_id, &user_id) {
                (Some(id), _) => accounts::get(c, id)?.ok_or_else(|| {
                    ApiError::not_found(codes::CONNECTED_ACCOUNT_NOT_FOUND, "Connected account", id)
                })?,
                (None, Some(user)) => accounts::for_user(c, user, def.toolkit)?
                    .into_iter()
                    .find(AccountRow::is_usable)
                    .ok_or_else(|| {
                        ApiError::new(
                            StatusCode::NOT_FOUND,
                            codes::CONNECTED_ACCOUNT_NOT_FOUND,
                            format!(
                                "user `{user}` has no ACTIVE `{}` connected account for trigger {}",
                                def.toolkit, def.slug
                            ),
                        )
                        .fix(format!(
                            "Connect the user to `{}` first, or pass `connected_account_id`.",
                            def.toolkit
                        ))
                    })?,
                (None, None) => return Err(ApiError::internal("trigger upsert without account or user")),
            };
            if let Some(user) = user_id.as_deref().filter(|u| *u != account.user_id) {
                return Err(ApiError::bad_request(format!(
                    "connected account `{}` belongs to another user than `user_id` `{user}`",
                    account.id
                )));
            }
            let unusable =
                |m: String| ApiError::new(StatusCode::BAD_REQUEST, codes::CONNECTED_ACCOUNT_UNUSABLE, m);
            if account.toolkit != def.toolkit {
                return Err(unusable(format!(
                    "connected account `{}` belongs to toolkit `{}`, but trigger {} needs a `{}` account",
                    account.id, account.toolkit, def.slug, def.toolkit
                )));
            }
            if account.is_disabled {
                return Err(unusable(format!("connected account `{}` is disabled", account.id)));
            }
            if account.status != "ACTIVE" {
                return Err(unusable(format!(
                    "connected account `{}` is {}, not ACTIVE; triggers need an ACTIVE account",
                    account.id, account.status
                )));
            }
            instances::upsert(c, &account.id, def.slug, &config, &version)
        })
        .await?;
    Ok(Json(json!({"trigger_id": row.id, "deprecated": {"uuid": row.uuid}})))
}

/// The first present list parameter among `names`.
fn list_param(query: &QueryParams, names: &[&str]) -> Option<Vec<String>> {
    names.iter().find_map(|n| query.list(n)).filter(|l| !l.is_empty())
}

fn matches_any(filter: &Option<Vec<String>>, value: &str, case_insensitive: bool) -> bool {
    filter.as_ref().is_none_or(|f| {
        f.iter().any(|v| if case_insensitive { v.eq_ignore_ascii_case(value) } else { v == value })
    })
}

/// `GET /trigger_instances/active` — filters (comma lists), `show_disabled`, `limit`, `cursor`
/// (or the older 1-based `page`).
pub async fn list_active(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, ACTIVE_PARAMS, "GET /trigger_instances/active");
    let ids = list_param(&query, &["trigger_ids", "triggerIds"]);
    let names = list_param(&query, &["trigger_names", "triggerNames"]);
    let auth_configs = list_param(&query, &["auth_config_ids", "authConfigIds"]);
    let accounts = list_param(&query, &["connected_account_ids", "connectedAccountIds"]);
    let users = list_param(&query, &["user_ids"]);
    let ac_uuids = list_param(&query, &["deprecatedAuthConfigUuids"]);
    let ca_uuids = list_param(&query, &["deprecatedConnectedAccountUuids"]);
    let show_disabled = match query.bool("show_disabled")? {
        Some(b) => b,
        None => query.bool("showDisabled")?.unwrap_or(false),
    };
    let all = state.db.call(|c| instances::list(c)).await?;
    let items: Vec<Value> = all
        .iter()
        .filter(|i: &&InstanceRow| show_disabled || i.is_enabled())
        .filter(|i| matches_any(&ids, &i.id, false))
        .filter(|i| matches_any(&names, &i.trigger_slug, true))
        .filter(|i| matches_any(&auth_configs, &i.auth_config_id, false))
        .filter(|i| matches_any(&accounts, &i.connected_account_id, false))
        .filter(|i| matches_any(&users, &i.user_id, false))
        .filter(|i| matches_any(&ac_uuids, &i.auth_config_uuid, true))
        .filter(|i| matches_any(&ca_uuids, &i.connected_account_uuid, true))
        .map(InstanceRow::to_json)
        .collect();
    let query = page_to_cursor(query)?;
    Ok(Json(super::paginate(items, &query, 20)?))
}

/// Translate the older `page` parameter (1-based) into a cursor when no cursor is given.
fn page_to_cursor(mut query: QueryParams) -> Result<QueryParams, ApiError> {
    let Some(page) = query.get("page").map(str::to_owned) else { return Ok(query) };
    if query.get("cursor").is_some_and(|c| !c.is_empty()) {
        return Ok(query);
    }
    let n: usize = page.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
        ApiError::bad_request(format!("query parameter `page` must be a positive integer, got `{page}`"))
    })?;
    let offset = (n - 1) * query.limit(20)?;
    query.0.push(("cursor".into(), crate::ids::encode_cursor(offset)));
    Ok(query)
}

/// `PATCH /trigger_instances/manage/{id}` — `{"status": "enable" | "disable"}`.
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["status"], "")?;
    let status = required_str(&body, "status")?;
    let enabled = match status.as_str() {
        "enable" => true,
        "disable" => false,
        other => {
            return Err(ApiError::bad_request(format!(
                "field `status` must be `enable` or `disable`, got `{other}`"
            )))
        }
    };
    let found_id = id.clone();
    let found = state.db.call(move |c| instances::set_enabled(c, &found_id, enabled)).await?;
    if !found {
        return Err(instance_not_found(&id));
    }
    Ok(Json(json!({"status": "success"})))
}

/// `DELETE /trigger_instances/manage/{id}`.
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let gone_id = id.clone();
    if !state.db.call(move |c| instances::delete(c, &gone_id)).await? {
        return Err(instance_not_found(&id));
    }
    Ok(Json(json!({"trigger_id": id})))
}
