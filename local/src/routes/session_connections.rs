//! Session connection endpoints (wire contract §2.6–§2.8): `POST …/link`, `GET …/toolkits`,
//! `POST …/search`.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::sessions::load;
use crate::auth_configs;
use crate::errors::ApiError;
use crate::execute::{self, Scope};
use crate::extract::{optional_str, reject_unknown, required_str, type_name, JsonObject, QueryParams};
use crate::toolkits::{self, Toolkit};
use crate::AppState;

fn session_toolkit(slug: &str) -> Result<&'static Toolkit, ApiError> {
    toolkits::listed().find(|t| t.slug.eq_ignore_ascii_case(slug)).ok_or_else(|| {
        ApiError::bad_request(format!("unknown toolkit `{slug}`")).fix(format!(
            "Toolkits available in composio-local: {}.",
            toolkits::listed().map(|t| t.slug).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// `POST /tool_router/session/{id}/link` — `{toolkit, callback_url?, alias?}`.
pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (_, config) = load(&state, &id).await?;
    reject_unknown(&body, &["toolkit", "callback_url", "alias"], "")?;
    let slug = required_str(&body, "toolkit")?;
    let tk = session_toolkit(&slug)
        .map_err(|e| ApiError { message: format!("field `toolkit`: {}", e.message), ..e })?;
    config.check_toolkit(tk).map_err(ApiError::bad_request)?;
    if tk.no_auth {
        return Err(ApiError::bad_request(format!(
            "toolkit `{}` needs no authentication, so there is nothing to connect",
            tk.slug
        )));
    }
    let callback = optional_str(&body, "callback_url")?.filter(|s| !s.is_empty());
    let alias = optional_str(&body, "alias")?;
    let (account_id, url, link) = execute::start_link(&state, &config, tk, callback, alias).await?;
    Ok(Json(json!({"connected_account_id": account_id, "link_token": link.token, "redirect_url": url})))
}

/// `GET /tool_router/session/{id}/toolkits`.
pub async fn toolkits(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(
        &query,
        &["cursor", "limit", "toolkits", "is_connected", "search"],
        "GET /tool_router/session/{id}/toolkits",
    );
    let (_, config) = load(&state, &id).await?;
    let is_connected = query.bool("is_connected")?;
    let search = query.get("search").map(str::to_lowercase).filter(|s| !s.is_empty());
    let selected: Vec<&'static Toolkit> = match query.list("toolkits").filter(|l| !l.is_empty()) {
        Some(slugs) => slugs
            .iter()
            .map(|s| {
                session_toolkit(s).map_err(|e| ApiError {
                    message: format!("query parameter `toolkits`: {}", e.message),
                    ..e
                })
            })
            .collect::<Result<_, _>>()?,
        None => toolkits::listed().filter(|tk| config.check_toolkit(tk).is_ok()).collect(),
    };
    let accounts = execute::session_accounts(&state, &config).await?;
    let configs: std::collections::HashMap<String, auth_configs::AuthConfigRow> = state
        .db
        .call(|c| Ok(auth_configs::list(c)?.into_iter().map(|a| (a.id.clone(), a)).collect()))
        .await?;
    let mut items = Vec::new();
    for tk in selected {
        if let Some(s) = &search {
            if !(tk.slug.contains(s.as_str()) || tk.name.to_lowercase().contains(s.as_str())) {
                continue;
            }
        }
        let account = accounts.get(tk.slug);
        let connected = tk.no_auth || account.is_some_and(|a| a.is_usable());
        if is_connected.is_some_and(|want| want != connected) {
            continue;
        }
        let mut item = json!({
            "slug": tk.slug,
            "name": tk.name,
            "enabled": true,
            "is_no_auth": tk.no_auth,
            "composio_managed_auth_schemes": tk.auth_schemes,
            "meta": {"logo": tk.logo, "description": tk.description},
        });
        if !tk.no_auth {
            item["connected_account"] = match account {
                Some(a) => {
                    let cfg = configs.get(&a.auth_config_id);
                    json!({
                        "id": a.id,
                        "status": a.status,
                        "user_id": a.user_id,
                        "created_at": a.created_at,
                        "auth_config": {
                            "id": a.auth_config_id,
                            "auth_scheme": cfg.map(|c| c.auth_scheme.clone()),
                            "is_composio_managed": cfg.is_some_and(|c| c.is_composio_managed()),
                        },
                    })
                }
                None => Value::Null,
            };
        }
        items.push(item);
    }
    super::paginate(items, &query, 20).map(Json)
}

/// `POST /tool_router/session/{id}/search` — `{queries: [{use_case, known_fields?}], model?, toolkits?}`.
pub async fn search(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (row, config) = load(&state, &id).await?;
    reject_unknown(&body, &["queries", "model", "toolkits", "session"], "")?;
    optional_str(&body, "model")?;
    let queries = match body.get("queries") {
        Some(Value::Array(q)) if !q.is_empty() => q,
        Some(Value::Array(_)) => return Err(ApiError::bad_request("field `queries` must not be empty")),
        None | Some(Value::Null) => return Err(ApiError::bad_request("missing required field `queries`")),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `queries` must be an array, got {}",
                type_name(other)
            )))
        }
    };
    for (i, q) in queries.iter().enumerate() {
        let Some(obj) = q.as_object() else {
            return Err(ApiError::bad_request(format!(
                "field `queries[{i}]` must be an object, got {}",
                type_name(q)
            )));
        };
        reject_unknown(obj, &["use_case", "known_fields"], &format!("queries[{i}]."))?;
        required_str(obj, "use_case").map_err(|e| ApiError {
            message: e.message.replace("`use_case`", &format!("`queries[{i}].use_case`")),
            ..e
        })?;
    }
    let mut config = config;
    if let Some(list) = crate::extract::optional_str_list(&body, "toolkits")?.filter(|l| !l.is_empty()) {
        let mut slugs = Vec::new();
        for s in &list {
            let tk = session_toolkit(s)
                .map_err(|e| ApiError { message: format!("field `toolkits`: {}", e.message), ..e })?;
            config.check_toolkit(tk).map_err(ApiError::bad_request)?;
            slugs.push(tk.slug.to_owned());
        }
        config.toolkits = Some(crate::sessions::ToolkitFilter::Enabled(slugs));
    }
    let mut args = Map::new();
    args.insert("queries".into(), Value::Array(queries.clone()));
    if let Some(s) = body.get("session") {
        args.insert("session".into(), s.clone());
    }
    let scope = Scope { state: &state, session_id: Some(&row.id), config: &config, account: None };
    let mut data = execute::search(&args, &scope).await?;
    if let Some(obj) = data.as_object_mut() {
        obj.remove("router_session_id");
    }
    Ok(Json(data))
}
