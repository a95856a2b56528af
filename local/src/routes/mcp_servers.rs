//! The MCP servers API (wire contract §13.2): named MCP server configurations over a set of
//! toolkits, per-user server URLs and instances. The servers themselves are served by
//! [`crate::mcp`] at `{base_url}/v3/mcp/{id}?user_id=…`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::errors::{codes, ApiError};
use crate::extract::{optional_bool, optional_str_list, required_str, type_name, JsonObject, QueryParams};
use crate::mcp::store::{self, InstanceRow, McpServerRow};
use crate::toolkits::{self, Toolkit};
use crate::AppState;

/// Shortest allowed server name.
pub const MIN_NAME_LEN: usize = 4;
/// Longest allowed server name.
pub const MAX_NAME_LEN: usize = 30;

/// The URL a server is served at (without user).
pub fn server_url(state: &AppState, id: &str) -> String {
    format!("{}/v3/mcp/{id}", state.base_url)
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The server object in its wire shape.
pub fn server_json(state: &AppState, row: &McpServerRow, instance_count: i64) -> Value {
    let url = server_url(state, &row.id);
    let command = |client: &str| format!("npx @composio/mcp@latest setup \"{url}\" --client {client}");
    let icons: Map<String, Value> = row
        .toolkits
        .iter()
        .filter_map(|slug| toolkits::find_toolkit(slug).map(|tk| (tk.slug.to_owned(), json!(tk.logo))))
        .collect();
    json!({
        "id": row.id,
        "name": row.name,
        "auth_config_ids": row.auth_config_ids,
        "allowed_tools": row.allowed_tools,
        "mcp_url": url,
        "toolkits": row.toolkits,
        "toolkit_icons": icons,
        "commands": {"claude": command("claude"), "cursor": command("cursor"), "windsurf": command("windsurf")},
        "updated_at": row.updated_at,
        "created_at": row.created_at,
        "server_instance_count": instance_count,
        "managed_auth_via_composio": row.managed_auth,
        "deleted": false,
    })
}

fn instance_json(row: &InstanceRow) -> Value {
    json!({
        "id": row.id,
        "instance_id": row.instance_id,
        "mcp_server_id": row.server_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    })
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(codes::MCP_SERVER_NOT_FOUND, "MCP server", id)
        .fix("List MCP servers with GET /api/v3/mcp/servers.")
}

fn load(c: &Connection, id: &str) -> Result<McpServerRow, ApiError> {
    store::get(c, id)?.ok_or_else(|| not_found(id))
}

fn validate_name(name: &str) -> Result<(), ApiError> {
    let len = name.chars().count();
    if !(MIN_NAME_LEN..=MAX_NAME_LEN).contains(&len) {
        return Err(ApiError::bad_request(format!(
            "field `name` must be {MIN_NAME_LEN} to {MAX_NAME_LEN} characters long, got {len}"
        )));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == ' ')) {
        return Err(ApiError::bad_request(format!(
            "field `name` may contain only letters, digits, spaces and hyphens, got `{bad}`"
        )));
    }
    Ok(())
}

fn find_listed(slug: &str) -> Option<&'static Toolkit> {
    toolkits::listed().find(|t| t.slug.eq_ignore_ascii_case(slug))
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

/// What a create or update request asks for, before validation against the database.
#[derive(Debug, Default)]
struct Draft {
    name: Option<String>,
    toolkits: Option<Vec<String>>,
    auth_config_ids: Option<Vec<String>>,
    allowed_tools: Option<Vec<String>>,
    managed_auth: Option<bool>,
}

fn parse_draft(body: &Map<String, Value>, known: &[&str], endpoint: &str) -> Result<Draft, ApiError> {
    for key in body.keys().filter(|k| !known.contains(&k.as_str())) {
        tracing::warn!(field = %key, endpoint, "ignoring unknown field");
    }
    let name = match body.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            validate_name(s)?;
            Some(s.clone())
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `name` must be a string, got {}",
                type_name(other)
            )))
        }
    };
    let mut toolkits = optional_str_list(body, "toolkits")?;
    if let Some(apps) = optional_str_list(body, "no_auth_apps")? {
        for app in &apps {
            match find_listed(app) {
                Some(tk) if tk.no_auth => {}
                Some(tk) => {
                    return Err(ApiError::bad_request(format!(
                        "field `no_auth_apps`: toolkit `{}` needs authentication; pass an auth config for it in `auth_config_ids`",
                        tk.slug
                    )))
                }
                None => {
                    return Err(ApiError::bad_request(format!("field `no_auth_apps`: unknown toolkit `{app}`")))
                }
            }
        }
        toolkits.get_or_insert_with(Vec::new).extend(apps);
    }
    let mut allowed = optional_str_list(body, "allowed_tools")?;
    if let Some(custom) = optional_str_list(body, "custom_tools")? {
        let list = allowed.get_or_insert_with(Vec::new);
        for tool in custom {
            push_unique(list, &tool);
        }
    }
    Ok(Draft {
        name,
        toolkits,
        auth_config_ids: optional_str_list(body, "auth_config_ids")?,
        allowed_tools: allowed,
        managed_auth: optional_bool(body, "managed_auth_via_composio")?,
    })
}

/// Apply `draft` to `row` (a new or an existing server) after checking every id against the
/// database; the errors name the unknown toolkits, auth configs and tools.
fn apply(c: &Connection, row: &mut McpServerRow, draft: Draft) -> Result<(), ApiError> {
    if let Some(name) = draft.name {
        row.name = name;
    }
    let toolkits_given = draft.toolkits.is_some();
    if let Some(list) = draft.toolkits {
        let unknown: Vec<&str> =
            list.iter().filter(|s| find_listed(s).is_none()).map(String::as_str).collect();
        if !unknown.is_empty() {
            let available = toolkits::listed().map(|t| t.slug).collect::<Vec<_>>().join(", ");
            return Err(ApiError::bad_request(format!(
                "field `toolkits`: unknown toolkit(s) {}",
                unknown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ))
            .fix(format!("Toolkits available in composio-local: {available}.")));
        }
        let mut slugs = Vec::new();
        for s in &list {
            if let Some(tk) = find_listed(s) {
                push_unique(&mut slugs, tk.slug);
            }
        }
        row.toolkits = slugs;
    }
    match draft.auth_config_ids {
        Some(ids) => {
            let mut unknown = Vec::new();
            let mut kept = Vec::new();
            for id in &ids {
                match crate::auth_configs::get(c, id)? {
                    Some(cfg) => {
                        push_unique(&mut row.toolkits, &cfg.toolkit);
                        push_unique(&mut kept, &cfg.id);
                    }
                    None => unknown.push(format!("`{id}`")),
                }
            }
            if !unknown.is_empty() {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    codes::AUTH_CONFIG_NOT_FOUND,
                    format!("field `auth_config_ids`: unknown auth config(s) {}", unknown.join(", ")),
                )
                .fix("List auth configs with GET /api/v3/auth_configs."));
            }
            row.auth_config_ids = kept;
        }
        None if toolkits_given => {
            // Keep the auth configs of toolkits the server still has.
            let mut kept = Vec::new();
            for id in &row.auth_config_ids {
                if let Some(cfg) = crate::auth_configs::get(c, id)? {
                    if row.toolkits.contains(&cfg.toolkit) {
                        kept.push(cfg.id);
                    }
                }
            }
            row.auth_config_ids = kept;
        }
        None => {}
    }
    if row.toolkits.is_empty() {
        return Err(ApiError::bad_request(
            "an MCP server needs at least one toolkit: pass `toolkits` or `auth_config_ids`",
        ));
    }
    match draft.allowed_tools {
        Some(tools) => {
            let mut unknown = Vec::new();
            let mut outside = Vec::new();
            let mut slugs = Vec::new();
            for slug in &tools {
                match toolkits::find_tool(slug) {
                    Some((tk, tool)) if tk.listed => {
                        if row.toolkits.iter().any(|t| t == tk.slug) {
                            push_unique(&mut slugs, tool.slug);
                        } else {
                            outside.push(format!("`{}` (toolkit `{}`)", tool.slug, tk.slug));
                        }
                    }
                    _ => unknown.push(format!("`{slug}`")),
                }
            }
            if !unknown.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "field `allowed_tools`: unknown tool(s) {}",
                    unknown.join(", ")
                ))
                .fix("List tools with GET /api/v3/tools?toolkit_slug=<toolkit>."));
            }
            if !outside.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "field `allowed_tools`: tool(s) {} belong to toolkits this server does not have ({})",
                    outside.join(", "),
                    row.toolkits.join(", ")
                )));
            }
            row.allowed_tools = slugs;
        }
        None if toolkits_given => {
            let toolkits = row.toolkits.clone();
            row.allowed_tools.retain(|slug| {
                toolkits::find_tool(slug).is_some_and(|(tk, _)| toolkits.iter().any(|t| t == tk.slug))
            });
        }
        None => {}
    }
    if let Some(m) = draft.managed_auth {
        row.managed_auth = m;
    }
    Ok(())
}

async fn create_with(state: &AppState, draft: Draft) -> Result<(StatusCode, Json<Value>), ApiError> {
    if draft.name.is_none() {
        return Err(ApiError::bad_request("missing required field `name`"));
    }
    let now = crate::ids::now_iso();
    let mut row = McpServerRow {
        id: uuid::Uuid::new_v4().to_string(),
        name: String::new(),
        toolkits: Vec::new(),
        auth_config_ids: Vec::new(),
        allowed_tools: Vec::new(),
        managed_auth: true,
        created_at: now.clone(),
        updated_at: now,
    };
    let row = state
        .db
        .call(move |c| {
            apply(c, &mut row, draft)?;
            store::insert(c, &row)?;
            Ok(row)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(server_json(state, &row, 0))))
}

const CUSTOM_FIELDS: &[&str] =
    &["name", "toolkits", "auth_config_ids", "allowed_tools", "custom_tools", "managed_auth_via_composio"];

/// `POST /mcp/servers/custom` — `{name*, toolkits?, auth_config_ids?, allowed_tools?, custom_tools?, managed_auth_via_composio?}`.
pub async fn create_custom(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let draft = parse_draft(&body, CUSTOM_FIELDS, "POST /mcp/servers/custom")?;
    create_with(&state, draft).await
}

/// `POST /mcp/servers` — `{name*, auth_config_ids*, no_auth_apps?, allowed_tools?, managed_auth_via_composio?}`.
pub async fn create(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    const FIELDS: &[&str] =
        &["name", "auth_config_ids", "no_auth_apps", "allowed_tools", "managed_auth_via_composio"];
    if body.get("auth_config_ids").is_none_or(Value::is_null) {
        return Err(ApiError::bad_request("missing required field `auth_config_ids`"));
    }
    let draft = parse_draft(&body, FIELDS, "POST /mcp/servers")?;
    create_with(&state, draft).await
}

/// The list filters shared by `GET /mcp/servers` and `GET /mcp/app/{appKey}`.
fn filtered(
    rows: Vec<McpServerRow>,
    query: &QueryParams,
    app: Option<&str>,
) -> Result<Vec<McpServerRow>, ApiError> {
    let toolkits = query.list("toolkits").unwrap_or_default();
    let acs = query.list("auth_config_ids").unwrap_or_default();
    let name = query.get("name").map(str::to_lowercase).filter(|n| !n.is_empty());
    let mut rows: Vec<McpServerRow> = rows
        .into_iter()
        .filter(|r| app.is_none_or(|a| r.toolkits.iter().any(|t| t.eq_ignore_ascii_case(a))))
        .filter(|r| {
            toolkits.is_empty()
                || r.toolkits.iter().any(|t| toolkits.iter().any(|f| f.eq_ignore_ascii_case(t)))
        })
        .filter(|r| acs.is_empty() || r.auth_config_ids.iter().any(|a| acs.contains(a)))
        .filter(|r| name.as_ref().is_none_or(|n| r.name.to_lowercase().contains(n)))
        .collect();
    sort(&mut rows, query, |r| (r.created_at.clone(), r.updated_at.clone()))?;
    Ok(rows)
}

/// Sort by `order_by` (`created_at` | `updated_at`, default `updated_at`) and `order_direction`
/// (`asc` | `desc`, default `desc`); ties keep insertion order (reversed for `desc`).
fn sort<T>(
    rows: &mut Vec<T>,
    query: &QueryParams,
    times: impl Fn(&T) -> (String, String),
) -> Result<(), ApiError> {
    let by_created = match query.get("order_by") {
        None | Some("") | Some("updated_at") => false,
        Some("created_at") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "query parameter `order_by` must be `created_at` or `updated_at`, got `{other}`"
            )))
        }
    };
    let desc = match query.get("order_direction") {
        None | Some("") | Some("desc") => true,
        Some("asc") => false,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "query parameter `order_direction` must be `asc` or `desc`, got `{other}`"
            )))
        }
    };
    let mut keyed: Vec<(String, usize, T)> = rows
        .drain(..)
        .enumerate()
        .map(|(i, r)| {
            let (created, updated) = times(&r);
            (if by_created { created } else { updated }, i, r)
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    if desc {
        keyed.reverse();
    }
    rows.extend(keyed.into_iter().map(|(_, _, r)| r));
    Ok(())
}

/// `page_no` (≥ 1, default 1) and `limit` (1..=1000, default `default_limit`).
fn page_of(query: &QueryParams, default_limit: usize) -> Result<(usize, usize), ApiError> {
    let page = match query.get("page_no") {
        None | Some("") => 1,
        Some(v) => match v.parse::<f64>() {
            Ok(n) if n.fract() == 0.0 && (1.0..=1e9).contains(&n) => n as usize,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "query parameter `page_no` must be a whole number of at least 1, got `{v}`"
                )))
            }
        },
    };
    Ok((page, query.limit(default_limit)?))
}

fn page_slice<T>(items: Vec<T>, page: usize, limit: usize) -> (Vec<T>, usize) {
    let total_pages = items.len().div_ceil(limit).max(1);
    let slice = items.into_iter().skip((page - 1).saturating_mul(limit)).take(limit).collect();
    (slice, total_pages)
}

const LIST_PARAMS: &[&str] =
    &["page_no", "limit", "toolkits", "auth_config_ids", "name", "order_by", "order_direction"];

async fn list_with(
    state: &AppState,
    query: QueryParams,
    app: Option<String>,
) -> Result<Json<Value>, ApiError> {
    let (page, limit) = page_of(&query, 10)?;
    let (rows, counts) = state
        .db
        .call(move |c| {
            let rows = filtered(store::list(c)?, &query, app.as_deref())?;
            let (rows, total_pages) = page_slice(rows, page, limit);
            let counts =
                rows.iter().map(|r| store::instance_count(c, &r.id)).collect::<Result<Vec<_>, _>>()?;
            Ok(((rows, total_pages), counts))
        })
        .await?;
    let (rows, total_pages) = rows;
    let items: Vec<Value> = rows.iter().zip(counts).map(|(r, n)| server_json(state, r, n)).collect();
    Ok(Json(json!({"items": items, "current_page": page, "total_pages": total_pages})))
}

/// `GET /mcp/servers` — page-number pagination (`page_no`, `limit`), filters `toolkits`,
/// `auth_config_ids` (comma-separated), `name` (substring), `order_by`, `order_direction`.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, LIST_PARAMS, "GET /mcp/servers");
    list_with(&state, query, None).await
}

/// `GET /mcp/app/{appKey}` — the servers that include a toolkit (same query as the list).
pub async fn list_for_app(
    State(state): State<AppState>,
    Path(app): Path<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(&query, LIST_PARAMS, "GET /mcp/app/{appKey}");
    let tk =
        find_listed(&app).ok_or_else(|| ApiError::not_found(codes::TOOLKIT_NOT_FOUND, "Toolkit", &app))?;
    list_with(&state, query, Some(tk.slug.to_owned())).await
}

/// `GET /mcp/{id}`.
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let (row, n) = state
        .db
        .call(move |c| {
            let row = load(c, &id)?;
            let n = store::instance_count(c, &row.id)?;
            Ok((row, n))
        })
        .await?;
    Ok(Json(server_json(&state, &row, n)))
}

/// `PATCH /mcp/{id}` — `{name?, toolkits?, auth_config_ids?, allowed_tools?, custom_tools?, managed_auth_via_composio?}`.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let draft = parse_draft(&body, CUSTOM_FIELDS, "PATCH /mcp/{id}")?;
    let (row, n) = state
        .db
        .call(move |c| {
            let mut row = load(c, &id)?;
            apply(c, &mut row, draft)?;
            row.updated_at = crate::ids::now_iso();
            store::update(c, &row)?;
            let n = store::instance_count(c, &row.id)?;
            Ok((row, n))
        })
        .await?;
    Ok(Json(server_json(&state, &row, n)))
}

/// `DELETE /mcp/{id}` → `{id, deleted: true}`.
pub async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let key = id.clone();
    let existed = state.db.call(move |c| store::delete(c, &key)).await?;
    if !existed {
        return Err(not_found(&id));
    }
    Ok(Json(json!({"id": id, "deleted": true})))
}

/// `POST /mcp/servers/generate` — `{mcp_server_id*, user_ids?, connected_account_ids?, managed_auth_by_composio?}`
/// → `{mcp_url, user_ids_url[], connected_account_urls[]}`; each user becomes an instance of the server.
pub async fn generate(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    const FIELDS: &[&str] =
        &["mcp_server_id", "user_ids", "connected_account_ids", "managed_auth_by_composio"];
    for key in body.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        tracing::warn!(field = %key, "ignoring unknown field in MCP generate request");
    }
    let id = required_str(&body, "mcp_server_id")?;
    let users = optional_str_list(&body, "user_ids")?.unwrap_or_default();
    if let Some(i) = users.iter().position(|u| u.trim().is_empty()) {
        return Err(ApiError::bad_request(format!("field `user_ids[{i}]` must not be empty")));
    }
    let accounts = optional_str_list(&body, "connected_account_ids")?.unwrap_or_default();
    optional_bool(&body, "managed_auth_by_composio")?;
    let (server_id, user_list, account_list) = (id.clone(), users.clone(), accounts.clone());
    state
        .db
        .call(move |c| {
            let row = load(c, &server_id)?;
            let unknown: Vec<String> = account_list
                .iter()
                .filter_map(|a| match crate::accounts::get(c, a) {
                    Ok(Some(_)) => None,
                    Ok(None) => Some(Ok(format!("`{a}`"))),
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<_, _>>()?;
            if !unknown.is_empty() {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    codes::CONNECTED_ACCOUNT_NOT_FOUND,
                    format!(
                        "field `connected_account_ids`: unknown connected account(s) {}",
                        unknown.join(", ")
                    ),
                ));
            }
            for user in &user_list {
                store::insert_instance(c, &row.id, user)?;
            }
            Ok(())
        })
        .await?;
    let url = server_url(&state, &id);
    let user_urls: Vec<String> = users.iter().map(|u| format!("{url}?user_id={}", encode(u))).collect();
    let account_urls: Vec<String> =
        accounts.iter().map(|a| format!("{url}?connected_account_id={}", encode(a))).collect();
    Ok(Json(json!({"mcp_url": url, "user_ids_url": user_urls, "connected_account_urls": account_urls})))
}

/// `GET /mcp/servers/{serverId}/instances` — `page_no`, `limit` (default 20), `search`, `order_by`, `order_direction`.
pub async fn list_instances(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    super::warn_unknown_params(
        &query,
        &["page_no", "limit", "search", "order_by", "order_direction"],
        "GET /mcp/servers/{serverId}/instances",
    );
    let (page, limit) = page_of(&query, 20)?;
    let search = query.get("search").map(str::to_lowercase).filter(|s| !s.is_empty());
    let (row, items, total_pages) = state
        .db
        .call(move |c| {
            let row = load(c, &id)?;
            let mut items: Vec<InstanceRow> = store::instances(c, &row.id)?
                .into_iter()
                .filter(|i| {
                    search.as_ref().is_none_or(|s| {
                        i.instance_id.to_lowercase().contains(s) || i.id.to_lowercase().contains(s)
                    })
                })
                .collect();
            sort(&mut items, &query, |i| (i.created_at.clone(), i.updated_at.clone()))?;
            let (items, total_pages) = page_slice(items, page, limit);
            Ok((row, items, total_pages))
        })
        .await?;
    Ok(Json(json!({
        "instances": items.iter().map(instance_json).collect::<Vec<_>>(),
        "server_id": row.id,
        "server_name": row.name,
        "total_pages": total_pages,
        "current_page": page,
    })))
}

/// `POST /mcp/servers/{serverId}/instances` — `{user_id*}` → 201 with the instance; 409 when it exists.
pub async fn create_instance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    for key in body.keys().filter(|k| k.as_str() != "user_id") {
        tracing::warn!(field = %key, "ignoring unknown field in MCP instance create request");
    }
    let user = required_str(&body, "user_id")?;
    let row = state
        .db
        .call(move |c| {
            let server = load(c, &id)?;
            store::insert_instance(c, &server.id, &user)?.ok_or_else(|| {
                ApiError::new(
                    StatusCode::CONFLICT,
                    codes::MCP_INSTANCE_EXISTS,
                    format!("MCP server `{}` already has an instance for user `{user}`", server.id),
                )
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(instance_json(&row))))
}

/// `DELETE /mcp/servers/{serverId}/instances/{instanceId}` → `{message, deleted_connected_accounts}`.
/// composio-local keeps the user's connected accounts (they may serve other servers and sessions).
pub async fn delete_instance(
    State(state): State<AppState>,
    Path((id, instance)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (server_id, user) = (id.clone(), instance.clone());
    state
        .db
        .call(move |c| {
            let server = load(c, &server_id)?;
            if !store::delete_instance(c, &server.id, &user)? {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    codes::MCP_INSTANCE_NOT_FOUND,
                    format!("MCP server `{}` has no instance `{user}`", server.id),
                ));
            }
            Ok(())
        })
        .await?;
    Ok(Json(json!({
        "message": format!("Removed instance `{instance}` from MCP server `{id}`; its connected accounts are kept"),
        "deleted_connected_accounts": 0,
    })))
}
