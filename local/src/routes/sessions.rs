//! Tool-router sessions (wire contract §2): create, get, meta tools, execute, execute_meta.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::db::{ExecutionLog, SessionRow};
use crate::errors::{codes, ApiError};
use crate::execute::{self, Outcome, Scope};
use crate::extract::{optional_str, required_str, type_name, JsonObject};
use crate::sessions::SessionConfig;
use crate::toolkits::{self, tool_json};
use crate::AppState;

/// The session payload of create/get/attach responses.
pub(crate) fn session_json(state: &AppState, row: &SessionRow, config: &SessionConfig) -> Value {
    session_json_v(state, row, config, 1)
}

/// [`session_json`] with the session's current `config_version`.
pub(crate) fn session_json_v(
    state: &AppState,
    row: &SessionRow,
    config: &SessionConfig,
    version: i64,
) -> Value {
    let mut out = json!({
        "session_id": row.id,
        "mcp": {"type": "http", "url": format!("{}/tool_router/{}/mcp", state.base_url, row.id)},
        "tool_router_tools": config.router_tools(),
        "config": row.config,
        "config_version": version,
    });
    super::omit_nulls(&mut out, &["/config/manage_connections/callback_url"]);
    // The newest official Python SDK (composio 0.30) reads these config fields unconditionally.
    if let Some(cfg) = out["config"].as_object_mut() {
        for (key, default) in [
            ("execute", json!({"enable_multi_execute": true})),
            ("search", json!({"enable": true})),
            ("preload", json!({"tools": []})),
            ("instant", json!(false)),
        ] {
            cfg.entry(key).or_insert(default);
        }
    }
    let (custom_tools, custom_toolkits) = config.custom_tools();
    let has_custom = custom_tools.as_array().is_some_and(|a| !a.is_empty())
        || custom_toolkits.as_array().is_some_and(|a| !a.is_empty());
    let source = config.experimental.as_ref().and_then(|e| e.get("source_session_config")).cloned();
    if config.user_timezone().is_some() || has_custom || source.is_some() {
        let mut exp = Map::new();
        if let Some(source) = source {
            exp.insert("source_session_config".into(), source);
        }
        if let Some(tz) = config.user_timezone() {
            exp.insert(
                "assistive_prompt".into(),
                json!(format!(
                    "You can use Composio tools through the tool router. The user's time zone is {tz}. \
                     Search with COMPOSIO_SEARCH_TOOLS, then run tools with COMPOSIO_MULTI_EXECUTE_TOOL."
                )),
            );
        }
        exp.insert("custom_tools".into(), custom_tools);
        exp.insert("custom_toolkits".into(), custom_toolkits);
        out["experimental"] = Value::Object(exp);
    }
    out
}

/// Load a session and its configuration (404 when unknown).
pub async fn load(state: &AppState, id: &str) -> Result<(SessionRow, SessionConfig), ApiError> {
    let row = state
        .db
        .get_session(id)
        .await?
        .ok_or_else(|| ApiError::not_found(codes::SESSION_NOT_FOUND, "Tool router session", id))?;
    let config: SessionConfig = serde_json::from_value(row.config.clone())
        .map_err(|e| ApiError::internal(format!("stored config of session {id} is invalid: {e}")))?;
    Ok((row, config))
}

/// `POST /tool_router/session`.
pub async fn create(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let config = match saved_config_id(&body)? {
        None => SessionConfig::from_request(&body)?,
        Some(id) => with_saved_config(&state, body, id).await?,
    };
    let stored = serde_json::to_value(&config).map_err(ApiError::internal)?;
    let row = SessionRow {
        id: crate::ids::new_id("trs"),
        user_id: config.user_id.clone(),
        config: stored,
        created_at: crate::ids::now_iso(),
    };
    state.db.insert_session(row.clone()).await?;
    Ok(Json(session_json(&state, &row, &config)))
}

/// `experimental.session_config_id` of a create body, if given (a non-empty string).
fn saved_config_id(body: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let Some(Value::Object(exp)) = body.get("experimental") else { return Ok(None) };
    match exp.get("session_config_id") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(other) => Err(ApiError::bad_request(format!(
            "field `experimental.session_config_id` must be a non-empty string, got {}",
            if other.is_string() { "an empty string".to_owned() } else { type_name(other).to_owned() }
        ))),
    }
}

/// A create body that names a saved session config: the config's access policy (`toolkits`,
/// `tools`, `tags`) stands in for the inline fields, which may not be given alongside it (nor
/// session custom tools), as `@composio/core` 0.21 and the hosted API require; the per-session
/// fields (auth configs, connected accounts, connection management, workbench, multi-account,
/// assistive prompt) apply as usual. The session records the config it came from
/// (`experimental.source_session_config.id`); later edits to the saved config do not change it.
async fn with_saved_config(
    state: &AppState,
    mut body: Map<String, Value>,
    id: String,
) -> Result<SessionConfig, ApiError> {
    let exp = body.get("experimental").and_then(Value::as_object);
    let conflicts: Vec<&str> = [
        ("toolkits", body.get("toolkits")),
        ("tools", body.get("tools")),
        ("tags", body.get("tags")),
        ("experimental.custom_tools", exp.and_then(|e| e.get("custom_tools"))),
        ("experimental.custom_toolkits", exp.and_then(|e| e.get("custom_toolkits"))),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some_and(|v| !v.is_null()))
    .map(|(k, _)| k)
    .collect();
    if !conflicts.is_empty() {
        return Err(ApiError::bad_request(format!(
            "`experimental.session_config_id` cannot be combined with {}",
            conflicts.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ))
        .fix("The saved session config sets the access policy; drop the inline fields or the config id."));
    }
    let policy = super::session_configs::policy_for_session(state, &id).await?;
    // The saved policy is checked on its own first, so its errors name the config.
    let mut only_policy = policy.clone();
    only_policy.insert("user_id".into(), body.get("user_id").cloned().unwrap_or(Value::Null));
    if body.get("user_id").and_then(Value::as_str).is_some() {
        SessionConfig::from_request(&only_policy).map_err(|mut e| {
            e.message = format!("saved session config `{id}`: {}", e.message);
            e
        })?;
    }
    if let Some(Value::Object(exp)) = body.get_mut("experimental") {
        exp.remove("session_config_id");
    }
    body.extend(policy);
    let mut config = SessionConfig::from_request(&body)?;
    let mut exp = match config.experimental.take() {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    exp.insert("source_session_config".into(), json!({ "id": id }));
    config.experimental = Some(Value::Object(exp));
    Ok(config)
}

/// `GET /tool_router/session/{id}`.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (row, config) = load(&state, &id).await?;
    let version = super::session_update::config_version(&state, &id).await?;
    Ok(Json(session_json_v(&state, &row, &config, version)))
}

/// `GET /tool_router/session/{id}/tools`: the meta tools, then the preloaded app tools.
pub async fn tools(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (_, config) = load(&state, &id).await?;
    let items: Vec<Value> = config
        .router_tools()
        .into_iter()
        .filter_map(|slug| toolkits::find_tool(slug).map(|(tk, t)| tool_json(tk, t)))
        .chain(config.preloaded_tools().into_iter().map(|(tk, t)| tool_json(tk, t)))
        .collect();
    let n = items.len();
    Ok(Json(
        json!({"items": items, "next_cursor": null, "total_pages": 1, "current_page": 1, "total_items": n}),
    ))
}

fn arguments_of(body: &Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    match body.get("arguments") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(other) => Err(ApiError::bad_request(format!(
            "field `arguments` must be an object, got {}",
            type_name(other)
        ))),
    }
}

async fn respond(
    state: &AppState,
    session: &SessionRow,
    slug: &str,
    outcome: Outcome,
) -> Result<Json<Value>, ApiError> {
    let log_id = crate::ids::new_id("log");
    state
        .db
        .log_execution(ExecutionLog {
            log_id: &log_id,
            tool_slug: slug,
            session_id: Some(&session.id),
            user_id: Some(&session.user_id),
            successful: outcome.successful(),
            error: outcome.error.as_deref(),
        })
        .await?;
    // `result_type` is required by the newest official Python SDK (composio 0.30).
    let result_type = if outcome.successful() { "completed" } else { "failed" };
    Ok(Json(
        json!({"data": outcome.data, "error": outcome.error, "log_id": log_id, "result_type": result_type}),
    ))
}

/// `POST /tool_router/session/{id}/execute` — body `{tool_slug, arguments?, account?}`.
pub async fn execute(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (row, config) = load(&state, &id).await?;
    for key in body.keys().filter(|k| !["tool_slug", "arguments", "account"].contains(&k.as_str())) {
        tracing::warn!(field = %key, "ignoring unknown field in session execute request");
    }
    let slug = required_str(&body, "tool_slug")?;
    let arguments = arguments_of(&body)?;
    let account = optional_str(&body, "account")?;
    let (tk, tool) = toolkits::find_tool(&slug).ok_or_else(|| {
        ApiError::not_found(codes::TOOL_NOT_FOUND, "Tool", &slug)
            .fix("Find tools with COMPOSIO_SEARCH_TOOLS or GET /api/v3/tools.")
    })?;
    let scope =
        Scope { state: &state, session_id: Some(&row.id), config: &config, account: account.as_deref() };
    let outcome = execute::run(tk, tool, &arguments, &scope).await?;
    respond(&state, &row, tool.slug, outcome).await
}

/// `POST /tool_router/session/{id}/execute_meta` — body `{slug, arguments?}`.
pub async fn execute_meta(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (row, config) = load(&state, &id).await?;
    for key in body.keys().filter(|k| !["slug", "arguments"].contains(&k.as_str())) {
        tracing::warn!(field = %key, "ignoring unknown field in session execute_meta request");
    }
    let slug = required_str(&body, "slug")?;
    let arguments = arguments_of(&body)?;
    let scope = Scope { state: &state, session_id: Some(&row.id), config: &config, account: None };
    let outcome = execute::run_slug(&slug, &arguments, &scope).await?;
    respond(&state, &row, &slug, outcome).await
}
