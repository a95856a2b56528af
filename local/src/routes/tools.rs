//! `GET /tools`, `GET /tools/{slug}`, `POST /tools/execute/{slug}` (wire contract §3).

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::db::ExecutionLog;
use crate::errors::{codes, ApiError};
use crate::execute::{self, Scope};
use crate::extract::{optional_object, optional_str, type_name, JsonObject, QueryParams};
use crate::sessions::SessionConfig;
use crate::toolkits::{self, tool_json, Toolkit};
use crate::AppState;

const LIST_PARAMS: &[&str] = &[
    "toolkit_slug",
    "tool_slugs",
    "search",
    "query",
    "tags",
    "scopes",
    "auth_config_ids",
    "important",
    "include_deprecated",
    "limit",
    "cursor",
    "toolkit_versions",
];

fn is_version_format(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 11 && b[8] == b'_' && b[..8].iter().chain(&b[9..]).all(u8::is_ascii_digit)
}

/// Validate `toolkit_versions` (a string, or `toolkit_versions[slug]=version` entries).
pub fn check_toolkit_versions(query: &QueryParams) -> Result<(), ApiError> {
    for (key, value) in &query.0 {
        if key == "toolkit_versions" {
            if value != "latest" && !is_version_format(value) {
                return Err(ApiError::bad_request(format!(
                    "query parameter `toolkit_versions` must be `latest` or a version like `20251201_00`, got `{value}`"
                )));
            }
        } else if let Some(slug) = key.strip_prefix("toolkit_versions[").and_then(|k| k.strip_suffix(']')) {
            let tk = toolkits::find_toolkit(slug).ok_or_else(|| {
                ApiError::bad_request(format!("query parameter `{key}`: unknown toolkit `{slug}`"))
            })?;
            check_version(tk, value, key)?;
        }
    }
    Ok(())
}

/// Fail unless `version` is `latest` or one of the toolkit's versions.
pub fn check_version(tk: &Toolkit, version: &str, field: &str) -> Result<(), ApiError> {
    if toolkits::version_known(tk, version) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{field}: version `{version}` is not available for toolkit `{}`; available: latest, {}",
            tk.slug,
            tk.available_versions.join(", ")
        )))
    }
}

/// `GET /tools`.
pub async fn list(query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, LIST_PARAMS, "GET /tools");
    check_toolkit_versions(&query)?;
    let mut tools: Vec<(&'static Toolkit, &'static toolkits::ToolDef)> = Vec::new();
    if let Some(slugs) = query.list("tool_slugs").filter(|s| !s.is_empty()) {
        // `tool_slugs` overrides the other filters.
        for slug in &slugs {
            let found = toolkits::find_tool(slug).ok_or_else(|| {
                ApiError::bad_request(format!("query parameter `tool_slugs`: unknown tool `{slug}`"))
            })?;
            if !tools.iter().any(|(_, t)| t.slug == found.1.slug) {
                tools.push(found);
            }
        }
    } else {
        let toolkit_filter: Option<Vec<&'static Toolkit>> =
            match query.list("toolkit_slug").filter(|s| !s.is_empty()) {
                None => None,
                Some(slugs) => Some(
                    slugs
                        .iter()
                        .map(|s| {
                            toolkits::find_toolkit(s).ok_or_else(|| {
                                ApiError::bad_request(format!(
                                    "query parameter `toolkit_slug`: unknown toolkit `{s}`"
                                ))
                                .fix(format!(
                                    "Toolkits available in composio-local: {}.",
                                    toolkits::listed().map(|t| t.slug).collect::<Vec<_>>().join(", ")
                                ))
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?
                        .into_iter()
                        .fold(Vec::new(), |mut acc: Vec<&'static Toolkit>, tk| {
                            if !acc.iter().any(|t| t.slug == tk.slug) {
                                acc.push(tk);
                            }
                            acc
                        }),
                ),
            };
        let search = query
            .get("search")
            .or_else(|| query.get("query"))
            .map(str::to_lowercase)
            .filter(|s| !s.is_empty());
        let tags = query.list("tags").filter(|t| !t.is_empty());
        let important = match query.get("important") {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
            Some(v) => {
                return Err(ApiError::bad_request(format!(
                    "query parameter `important` must be `true` or `false`, got `{v}`"
                )))
            }
        };
        query.bool("include_deprecated")?;
        let candidates: Box<dyn Iterator<Item = (&'static Toolkit, &'static toolkits::ToolDef)>> =
            match &toolkit_filter {
                Some(tks) => Box::new(tks.iter().flat_map(|tk| tk.tools.iter().map(move |t| (*tk, t)))),
                None => Box::new(toolkits::regular_tools()),
            };
        for (tk, tool) in candidates {
            if let Some(s) = &search {
                let hit = tool.slug.to_lowercase().contains(s)
                    || tool.name.to_lowercase().contains(s)
                    || tool.description.to_lowercase().contains(s);
                if !hit {
                    continue;
                }
            }
            if let Some(tags) = &tags {
                if !tool.tags.iter().any(|t| tags.iter().any(|q| q.eq_ignore_ascii_case(t))) {
                    continue;
                }
            }
            if important == Some(true) && !tool.important {
                continue;
            }
            tools.push((tk, tool));
        }
    }
    let items: Vec<Value> = tools.iter().map(|(tk, t)| tool_json(tk, t)).collect();
    super::paginate(items, &query, 20).map(Json)
}

fn find_or_404(slug: &str) -> Result<(&'static Toolkit, &'static toolkits::ToolDef), ApiError> {
    toolkits::find_tool(slug).ok_or_else(|| {
        ApiError::not_found(codes::TOOL_NOT_FOUND, "Tool", slug)
            .fix("List the available tools with GET /api/v3/tools.")
    })
}

/// `GET /tools/{slug}`.
pub async fn get_one(Path(slug): Path<String>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, &["toolkit_versions", "version"], "GET /tools/{slug}");
    let (tk, tool) = find_or_404(&slug)?;
    check_toolkit_versions(&query)?;
    if let Some(v) = query.get("version") {
        check_version(tk, v, "query parameter `version`")?;
    }
    Ok(Json(tool_json(tk, tool)))
}

const EXECUTE_FIELDS: &[&str] = &[
    "arguments",
    "user_id",
    "entity_id",
    "connected_account_id",
    "version",
    "text",
    "custom_auth_params",
    "custom_connection_data",
    "allow_tracing",
    "dangerously_skip_version_check",
];

/// `POST /tools/execute/{slug}`.
pub async fn execute(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (tk, tool) = find_or_404(&slug)?;
    for key in body.keys().filter(|k| !EXECUTE_FIELDS.contains(&k.as_str())) {
        tracing::warn!(field = %key, "ignoring unknown field in tool execute request");
    }
    let arguments = match body.get("arguments") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `arguments` must be an object, got {}",
                type_name(other)
            )))
        }
    };
    if optional_str(&body, "text")?.is_some() {
        return Err(ApiError::bad_request(
            "field `text`: natural-language execution is not available in composio-local",
        )
        .fix("Pass structured `arguments` instead."));
    }
    let user_id = optional_str(&body, "user_id")?.or(optional_str(&body, "entity_id")?);
    if let Some(version) = optional_str(&body, "version")? {
        check_version(tk, &version, "field `version`")?;
    }
    let account = optional_str(&body, "connected_account_id")?.filter(|s| !s.is_empty());
    if let Some(id) = account.clone() {
        // Authenticated tools check the account when they resolve it; others still need it to exist.
        if !matches!(tool.run, toolkits::Runner::Account(_)) {
            let key = id.clone();
            if state.db.call(move |c| crate::accounts::get(c, &key)).await?.is_none() {
                return Err(ApiError::not_found(
                    codes::CONNECTED_ACCOUNT_NOT_FOUND,
                    "Connected account",
                    &id,
                ));
            }
        }
    }
    optional_object(&body, "custom_auth_params")?;
    optional_object(&body, "custom_connection_data")?;

    let config = SessionConfig::unrestricted(user_id.clone());
    let scope = Scope { state: &state, session_id: None, config: &config, account: account.as_deref() };
    let outcome = execute::run(tk, tool, &arguments, &scope).await?;
    let log_id = crate::ids::new_id("log");
    state
        .db
        .log_execution(ExecutionLog {
            log_id: &log_id,
            tool_slug: tool.slug,
            session_id: None,
            user_id: user_id.as_deref(),
            successful: outcome.successful(),
            error: outcome.error.as_deref(),
        })
        .await?;
    Ok(Json(json!({
        "data": outcome.data,
        "error": outcome.error,
        "successful": outcome.error.is_none(),
        "log_id": log_id,
        "session_info": null,
    })))
}
