//! `GET /toolkits`, `GET /toolkits/{slug}`, `GET /toolkits/categories` (wire contract §4).

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::errors::{codes, ApiError};
use crate::extract::QueryParams;
use crate::toolkits::{self, Toolkit};
use crate::AppState;

fn base_meta(tk: &Toolkit) -> serde_json::Map<String, Value> {
    let mut meta = serde_json::Map::new();
    meta.insert("logo".into(), json!(tk.logo));
    meta.insert("description".into(), json!(tk.description));
    meta.insert("tools_count".into(), json!(tk.tools.len()));
    meta.insert("triggers_count".into(), json!(0));
    meta.insert("created_at".into(), json!(tk.created_at));
    meta.insert("updated_at".into(), json!(tk.updated_at));
    meta.insert("version".into(), json!(tk.version));
    meta.insert("available_versions".into(), json!(tk.available_versions));
    meta.insert("app_url".into(), Value::Null);
    meta
}

fn managed_schemes(tk: &Toolkit) -> Vec<&'static str> {
    tk.auth_schemes.clone()
}

/// A toolkit as a list item.
pub fn list_item(tk: &Toolkit) -> Value {
    let mut meta = base_meta(tk);
    meta.insert(
        "categories".into(),
        json!(tk.categories.iter().map(|c| json!({"id": c.id, "name": c.name})).collect::<Vec<_>>()),
    );
    json!({
        "slug": tk.slug,
        "name": tk.name,
        "is_local_toolkit": false,
        "no_auth": tk.no_auth,
        "auth_schemes": tk.auth_schemes,
        "composio_managed_auth_schemes": managed_schemes(tk),
        "auth_guide_url": null,
        "meta": meta,
        "deprecated": {"toolkitId": format!("tk_local_{}", tk.slug)},
    })
}

/// A toolkit as returned by `GET /toolkits/{slug}`; `base_url` locates built-in OAuth2 endpoints.
pub fn detail(tk: &Toolkit, base_url: &str) -> Value {
    let mut meta = base_meta(tk);
    meta.insert(
        "categories".into(),
        json!(tk.categories.iter().map(|c| json!({"slug": c.id, "name": c.name})).collect::<Vec<_>>()),
    );
    // No `base_url` / `get_current_user_endpoint`: optional, non-nullable strings in the API.
    let mut details = toolkits::auth_config_details(tk, base_url);
    for d in &mut details {
        // `proxy` requires a string `base_url`; without one there is no proxy to describe.
        if d.pointer("/proxy/base_url").is_some_and(Value::is_null) {
            if let Some(m) = d.as_object_mut() {
                m.remove("proxy");
            }
        }
    }
    json!({
        "slug": tk.slug,
        "name": tk.name,
        "enabled": true,
        "is_local_toolkit": false,
        "no_auth": tk.no_auth,
        "auth_guide_url": null,
        "composio_managed_auth_schemes": managed_schemes(tk),
        "meta": meta,
        "auth_config_details": details,
        "deprecated": {
            "toolkitId": format!("tk_local_{}", tk.slug),
            "rawProxyInfoByAuthSchemes": [],
        },
    })
}

/// `GET /toolkits`.
pub async fn list(query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(
        &query,
        &["category", "managed_by", "sort_by", "search", "include_deprecated", "limit", "cursor"],
        "GET /toolkits",
    );
    if let Some(m) = query.get("managed_by") {
        if !["composio", "all", "project"].contains(&m) {
            return Err(ApiError::bad_request(format!(
                "query parameter `managed_by` must be one of composio, all, project; got `{m}`"
            )));
        }
    }
    let sort = query.get("sort_by").unwrap_or("usage");
    if !["usage", "alphabetically"].contains(&sort) {
        return Err(ApiError::bad_request(format!(
            "query parameter `sort_by` must be `usage` or `alphabetically`, got `{sort}`"
        )));
    }
    query.bool("include_deprecated")?;
    let category = query.get("category").map(str::to_lowercase);
    let search = query.get("search").map(str::to_lowercase).filter(|s| !s.is_empty());
    let mut tks: Vec<&Toolkit> = toolkits::listed()
        .filter(|tk| {
            category.as_ref().is_none_or(|c| {
                tk.categories
                    .iter()
                    .any(|cat| cat.id.eq_ignore_ascii_case(c) || cat.name.eq_ignore_ascii_case(c))
            })
        })
        .filter(|tk| {
            search.as_ref().is_none_or(|s| {
                tk.slug.contains(s.as_str())
                    || tk.name.to_lowercase().contains(s.as_str())
                    || tk.description.to_lowercase().contains(s.as_str())
            })
        })
        .collect();
    if sort == "alphabetically" {
        tks.sort_by_key(|tk| tk.name.to_lowercase());
    }
    super::paginate(tks.into_iter().map(list_item).collect(), &query, 20).map(Json)
}

/// `GET /toolkits/{slug}`.
pub async fn get_one(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["version"], "GET /toolkits/{slug}");
    let tk = toolkits::listed()
        .find(|t| t.slug.eq_ignore_ascii_case(&slug))
        .ok_or_else(|| ApiError::not_found(codes::TOOLKIT_NOT_FOUND, "Toolkit", &slug))?;
    if let Some(v) = query.get("version") {
        super::tools::check_version(tk, v, "query parameter `version`")?;
    }
    Ok(Json(detail(tk, &state.base_url)))
}

/// `GET /toolkits/categories`.
pub async fn categories(query: QueryParams) -> Result<Json<Value>, ApiError> {
    let mut items: Vec<Value> = Vec::new();
    for tk in toolkits::listed() {
        for c in &tk.categories {
            let item = json!({"id": c.id, "name": c.name});
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    super::paginate(items, &query, 1000).map(Json)
}
