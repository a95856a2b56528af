//! HTTP routes, one module per API domain, mounted under both `/api/v3` and `/api/v3.1`.

pub mod auth_configs;
pub mod connect;
pub mod connected_accounts;
pub mod files;
pub mod mcp_servers;
pub mod proxy;
pub mod realtime;
pub mod session_attach;
pub mod session_configs;
pub mod session_connections;
pub mod session_update;
pub mod sessions;
pub mod tool_input;
pub mod toolkits;
pub mod tools;
pub mod triggers;
pub mod webhook_endpoints;
pub mod webhook_subscriptions;

use axum::extract::OriginalUri;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::errors::{codes, ApiError};
use crate::extract::QueryParams;
use crate::AppState;

/// The API prefixes every endpoint is served under.
pub const PREFIXES: &[&str] = &["/api/v3", "/api/v3.1"];

/// Build the whole application.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/tools", get(tools::list))
        .route("/tools/{slug}", get(tools::get_one))
        .route("/tools/execute/{slug}", post(tools::execute))
        .route("/tools/enum", get(tool_input::tools_enum))
        .route("/tools/execute/{slug}/input", post(tool_input::tool_input))
        .route("/tools/execute/proxy", post(proxy::proxy))
        .route("/tool_router/session/{id}/proxy_execute", post(proxy::session_proxy))
        .route("/files/upload/request", post(files::upload_request))
        .route("/files/list", get(files::list))
        .route("/toolkits", get(toolkits::list))
        .route("/toolkits/categories", get(toolkits::categories))
        .route("/toolkits/{slug}", get(toolkits::get_one))
        .route("/tool_router/session", post(sessions::create))
        .route(
            "/tool_router/session/{id}",
            get(sessions::get_one).patch(session_update::patch).delete(session_update::delete),
        )
        .route("/tool_router/session/{id}/config_history", get(session_update::history))
        .route("/tool_router/session/{id}/tools", get(sessions::tools))
        .route("/tool_router/session/{id}/execute", post(sessions::execute))
        .route("/tool_router/session/{id}/execute_meta", post(sessions::execute_meta))
        .route("/tool_router/session/{id}/link", post(session_connections::link))
        .route("/tool_router/session/{id}/toolkits", get(session_connections::toolkits))
        .route("/tool_router/session/{id}/search", post(session_connections::search))
        .route("/tool_router/session/{id}/attach", post(session_attach::attach))
        .route("/session_configs", get(session_configs::list).post(session_configs::create))
        .route("/session_configs/{id}", get(session_configs::get_one))
        .route("/webhook_endpoints", get(webhook_endpoints::list).post(webhook_endpoints::create))
        .route(
            "/webhook_endpoints/{nano_id}",
            get(webhook_endpoints::get_one).post(webhook_endpoints::replace).patch(webhook_endpoints::update),
        )
        .route("/auth_configs", post(auth_configs::create).get(auth_configs::list))
        .route(
            "/auth_configs/{id}",
            get(auth_configs::get_one).patch(auth_configs::update).delete(auth_configs::delete),
        )
        .route("/auth_configs/{id}/{status}", patch(auth_configs::set_status))
        .route("/connected_accounts", post(connected_accounts::initiate).get(connected_accounts::list))
        .route("/connected_accounts/link", post(connected_accounts::link))
        .route(
            "/connected_accounts/{id}",
            get(connected_accounts::get_one)
                .patch(connected_accounts::update)
                .delete(connected_accounts::delete),
        )
        .route("/connected_accounts/{id}/status", patch(connected_accounts::set_status))
        .route("/connected_accounts/{id}/refresh", post(connected_accounts::refresh))
        .route("/triggers_types", get(triggers::list_types))
        .route("/triggers_types/list/enum", get(triggers::list_enum))
        .route("/triggers_types/{slug}", get(triggers::get_type))
        .route("/trigger_instances/active", get(triggers::list_active))
        .route("/trigger_instances/{slug}/upsert", post(triggers::upsert))
        .route("/trigger_instances/manage/{id}", patch(triggers::set_status).delete(triggers::delete))
        .route("/webhook_subscriptions", post(webhook_subscriptions::create).get(webhook_subscriptions::list))
        .route("/webhook_subscriptions/event_types", get(webhook_subscriptions::event_types))
        .route(
            "/webhook_subscriptions/{id}",
            get(webhook_subscriptions::get_one)
                .patch(webhook_subscriptions::update)
                .delete(webhook_subscriptions::delete),
        )
        .route("/webhook_subscriptions/{id}/rotate_secret", post(webhook_subscriptions::rotate_secret))
        .route("/webhook_subscriptions/{id}/deliveries", get(webhook_subscriptions::deliveries))
        .route("/mcp/servers", post(mcp_servers::create).get(mcp_servers::list))
        .route("/mcp/servers/custom", post(mcp_servers::create_custom))
        .route("/mcp/servers/generate", post(mcp_servers::generate))
        .route(
            "/mcp/servers/{server_id}/instances",
            get(mcp_servers::list_instances).post(mcp_servers::create_instance),
        )
        .route("/mcp/servers/{server_id}/instances/{instance_id}", delete(mcp_servers::delete_instance))
        .route("/mcp/app/{app_key}", get(mcp_servers::list_for_app))
        .route("/mcp/{id}", get(mcp_servers::get_one).patch(mcp_servers::update).delete(mcp_servers::delete))
        .route("/internal/sdk/realtime/credentials", get(realtime::credentials))
        .route("/internal/sdk/realtime/auth", post(realtime::auth))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), crate::auth::require_api_key))
        .with_state(state.clone());
    let pages = Router::new()
        .route("/link/{token}", get(connect::link_page).post(connect::link_submit))
        .route("/oauth2/callback", get(connect::oauth_callback))
        .route("/webhook_ingress/{nano_id}", post(webhook_endpoints::ingress))
        .route("/pusher/app/{key}", get(crate::realtime::pusher::connect))
        .merge(crate::oauth2::routes())
        .merge(files::storage_routes())
        .merge(proxy::toolkit_api_routes())
        .with_state(state.clone());
    let pages = pages.merge(crate::mcp::routes(state));
    let mut app = Router::new().route("/health", get(health)).merge(pages);
    for prefix in PREFIXES {
        app = app.nest(prefix, api.clone());
    }
    app.fallback(not_found).layer(from_fn(crate::request_id::request_id))
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "service": "composio-local", "version": env!("CARGO_PKG_VERSION")}))
}

async fn api_not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        codes::ROUTE_NOT_FOUND,
        format!("no endpoint {method} {}", uri.path()),
    )
    .fix("This endpoint is not (yet) served by composio-local; see the project's endpoint list.")
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        format!("method {method} is not allowed on {}", uri.path()),
    )
}

async fn not_found(method: Method, uri: Uri) -> impl IntoResponse {
    let path = uri.path();
    ApiError::new(StatusCode::NOT_FOUND, codes::ROUTE_NOT_FOUND, format!("no endpoint {method} {path}"))
        .fix("API endpoints live under /api/v3 and /api/v3.1.")
}

/// Slice `items` by the `limit`/`cursor` query parameters into the list wrapper
/// `{items, next_cursor, total_pages, current_page, total_items}`.
pub fn paginate(items: Vec<Value>, query: &QueryParams, default_limit: usize) -> Result<Value, ApiError> {
    let limit = query.limit(default_limit)?;
    let offset = query.offset()?;
    let total = items.len();
    if offset > total {
        return Err(ApiError::bad_request(format!(
            "query parameter `cursor` points past the end of the list ({total} items)"
        )));
    }
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    let end = offset + page.len();
    let next_cursor = if end < total { Value::String(crate::ids::encode_cursor(end)) } else { Value::Null };
    Ok(json!({
        "items": page,
        "next_cursor": next_cursor,
        "total_pages": total.div_ceil(limit).max(1),
        "current_page": offset / limit + 1,
        "total_items": total,
    }))
}

/// Leave out the fields at `pointers` (JSON pointers into `value`) when they are `null`: the
/// published OpenAPI document makes them optional but not nullable, so an unknown value is
/// omitted rather than sent as `null` (checked by `local/tests/openapi.rs`).
pub fn omit_nulls(value: &mut Value, pointers: &[&str]) {
    for pointer in pointers {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        if let Some(Value::Object(map)) = value.pointer_mut(parent) {
            if map.get(key).is_some_and(Value::is_null) {
                map.remove(key);
            }
        }
    }
}

/// Log (and otherwise accept) query parameters this server does not understand.
pub fn warn_unknown_params(query: &QueryParams, known: &[&str], endpoint: &str) {
    for name in query.unknown(known) {
        tracing::warn!(parameter = %name, endpoint, "ignoring unknown query parameter");
    }
}
