//! Proxy execution (wire contract §3.7, §2.8) and the small REST APIs of the built-in toolkits
//! it proxies to.
//!
//! `POST /tools/execute/proxy` and `POST /tool_router/session/{id}/proxy_execute` send a request
//! to a toolkit's API with a connected account's credential injected the way the hosted proxy
//! does: `x-api-key: <key>` for the API-key toolkit `notes`, `Authorization: Bearer <access token>`
//! (refreshed first when it has expired) for the OAuth2 toolkit `tasks`. The answer is
//! `{status, data, headers}`.
//!
//! The toolkit APIs are served by composio-local itself under `/toolkit-api/{toolkit}` and act on
//! the same per-account data as the tools:
//!
//! | Method and path                               | Same as               |
//! |-----------------------------------------------|-----------------------|
//! | `GET /toolkit-api/notes/notes`                | `NOTES_LIST_NOTES` (query parameters are its arguments) |
//! | `POST /toolkit-api/notes/notes`               | `NOTES_CREATE_NOTE` (JSON body)   |
//! | `GET /toolkit-api/notes/notes/{id}`           | `NOTES_GET_NOTE`      |
//! | `DELETE /toolkit-api/notes/notes/{id}`        | `NOTES_DELETE_NOTE`   |
//! | `GET /toolkit-api/tasks/tasks`                | `TASKS_LIST_TASKS`    |
//! | `POST /toolkit-api/tasks/tasks`               | `TASKS_CREATE_TASK`   |
//! | `POST /toolkit-api/tasks/tasks/{id}/complete` | `TASKS_COMPLETE_TASK` |
//!
//! `notes` identifies the account by its API key (`x-api-key`), `tasks` by the bearer token of
//! composio-local's OAuth2 server (whose scopes must cover the operation).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::accounts::{self, AccountRow};
use crate::auth_configs::AuthConfigRow;
use crate::credentials;
use crate::errors::{codes, ApiError};
use crate::extract::{optional_str, reject_unknown, required_str, type_name, JsonObject, QueryParams};
use crate::oauth2::store;
use crate::schema::validate_arguments;
use crate::sessions::SessionConfig;
use crate::toolkits::{self, AccountCtx, Runner, Toolkit};
use crate::AppState;

/// Methods the proxy accepts.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// Where a toolkit's API lives on this server.
pub fn toolkit_base(state: &AppState, toolkit: &str) -> String {
    format!("{}/toolkit-api/{toolkit}", state.base_url)
}

/// The credential injected into a proxied request.
enum Credential {
    ApiKey(String),
    Bearer(String),
}

/// The parts of a proxy request common to both endpoints.
struct ProxyRequest {
    endpoint: String,
    method: reqwest::Method,
    body: Option<Value>,
    binary: Option<(Vec<u8>, Option<String>)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(String, String)>,
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

async fn parse_request(state: &AppState, body: &Map<String, Value>) -> Result<ProxyRequest, ApiError> {
    let endpoint = required_str(body, "endpoint")?;
    let method_text = required_str(body, "method")?;
    let upper = method_text.trim().to_ascii_uppercase();
    if !METHODS.contains(&upper.as_str()) {
        return Err(ApiError::bad_request(format!(
            "field `method` must be one of {}, got `{method_text}`",
            METHODS.join(", ")
        )));
    }
    let method = reqwest::Method::from_bytes(upper.as_bytes()).map_err(|_| {
        ApiError::bad_request(format!("field `method`: `{method_text}` is not an HTTP method"))
    })?;
    let mut headers = Vec::new();
    let mut query = Vec::new();
    match body.get("parameters") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let obj = item.as_object().ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "field `parameters[{i}]` must be an object, got {}",
                        type_name(item)
                    ))
                })?;
                reject_unknown(obj, &["name", "type", "in", "value"], &format!("parameters[{i}]."))?;
                let name = required_str(obj, "name").map_err(|e| ApiError {
                    message: e.message.replacen('`', &format!("`parameters[{i}]."), 1),
                    ..e
                })?;
                let kind = match (obj.get("type"), obj.get("in")) {
                    (Some(Value::String(t)), _) | (None, Some(Value::String(t))) => t.to_ascii_lowercase(),
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "field `parameters[{i}].type` is required and must be \"header\" or \"query\""
                        )))
                    }
                };
                let value = obj.get("value").and_then(scalar_string).ok_or_else(|| {
                    ApiError::bad_request(format!("field `parameters[{i}].value` must be a string"))
                })?;
                match kind.as_str() {
                    "header" => {
                        let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                            ApiError::bad_request(format!(
                                "field `parameters[{i}].name`: `{name}` is not a valid header name"
                            ))
                        })?;
                        let v = HeaderValue::from_str(&value).map_err(|_| {
                            ApiError::bad_request(format!(
                                "field `parameters[{i}].value` is not a valid header value"
                            ))
                        })?;
                        headers.push((n, v));
                    }
                    "query" => query.push((name, value)),
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "field `parameters[{i}].type` must be \"header\" or \"query\", got `{other}`"
                        )))
                    }
                }
            }
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `parameters` must be an array, got {}",
                type_name(other)
            )))
        }
    }
    let json_body = body.get("body").filter(|v| !v.is_null()).cloned();
    let binary = match body.get("binary_body") {
        None | Some(Value::Null) => None,
        Some(Value::Object(b)) => {
            if json_body.is_some() {
                return Err(ApiError::bad_request(
                    "send either field `body` or field `binary_body`, not both",
                ));
            }
            reject_unknown(b, &["url", "base64", "content_type"], "binary_body.")?;
            let content_type = optional_str(b, "content_type")?;
            let bytes = match (optional_str(b, "base64")?, optional_str(b, "url")?) {
                (Some(data), None) => {
                    base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|e| {
                        ApiError::bad_request(format!("field `binary_body.base64` is not base64: {e}"))
                    })?
                }
                (None, Some(url)) => fetch_binary(state, &url).await?,
                _ => {
                    return Err(ApiError::bad_request(
                        "field `binary_body` needs exactly one of `url` and `base64`",
                    ))
                }
            };
            Some((bytes, content_type))
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `binary_body` must be an object, got {}",
                type_name(other)
            )))
        }
    };
    Ok(ProxyRequest { endpoint, method, body: json_body, binary, headers, query })
}

async fn fetch_binary(state: &AppState, url: &str) -> Result<Vec<u8>, ApiError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ApiError::bad_request(format!(
            "field `binary_body.url` must be an http(s) URL, got `{url}`"
        )));
    }
    let resp = state.http.get(url).send().await.map_err(|e| {
        ApiError::bad_request(format!("field `binary_body.url`: fetching it failed: {}", e.without_url()))
    })?;
    if !resp.status().is_success() {
        return Err(ApiError::bad_request(format!(
            "field `binary_body.url`: fetching it answered HTTP {}",
            resp.status().as_u16()
        )));
    }
    Ok(resp
        .bytes()
        .await
        .map_err(|e| {
            ApiError::bad_request(format!("field `binary_body.url`: reading it failed: {}", e.without_url()))
        })?
        .to_vec())
}

/// The URL a request goes to: a path under the toolkit's base URL, or an absolute URL inside it.
fn target_url(base: &str, endpoint: &str, toolkit: &str) -> Result<String, ApiError> {
    let endpoint = endpoint.trim();
    let path = if endpoint.starts_with("http://") || endpoint.starts_with("https://") {
        match endpoint.strip_prefix(base) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') => rest.to_owned(),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "field `endpoint`: composio-local proxies only to the `{toolkit}` toolkit's API at {base}; `{endpoint}` is outside it"
                ))
                .fix("Pass a path relative to the toolkit's API, e.g. `/notes`."))
            }
        }
    } else {
        format!("/{}", endpoint.trim_start_matches('/'))
    };
    if path.split(['/', '?']).any(|seg| seg == ".." || seg == ".") {
        return Err(ApiError::bad_request(format!(
            "field `endpoint` must not contain `.` or `..` segments, got `{endpoint}`"
        )));
    }
    Ok(format!("{base}{path}"))
}

/// The credential of a resolved account (refreshing OAuth2 tokens first when needed).
async fn credential_of(
    state: &AppState,
    row: AccountRow,
    cfg: &AuthConfigRow,
) -> Result<Credential, ApiError> {
    let id = row.id.clone();
    let unusable = |m: String| ApiError::new(StatusCode::BAD_REQUEST, codes::CONNECTED_ACCOUNT_UNUSABLE, m);
    match cfg.auth_scheme.as_str() {
        "API_KEY" => row
            .state
            .get("api_key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
            .map(|k| Credential::ApiKey(k.to_owned()))
            .ok_or_else(|| unusable(format!("connected account `{id}` has no API key"))),
        "OAUTH2" => {
            credentials::context(state, row, cfg).await.map_err(unusable)?;
            let key = id.clone();
            let fresh = state.db.call(move |c| accounts::get(c, &key)).await?.ok_or_else(|| {
                ApiError::not_found(codes::CONNECTED_ACCOUNT_NOT_FOUND, "Connected account", &id)
            })?;
            fresh
                .state
                .get("access_token")
                .and_then(Value::as_str)
                .map(|t| Credential::Bearer(t.to_owned()))
                .ok_or_else(|| unusable(format!("connected account `{id}` has no access token")))
        }
        other => {
            Err(unusable(format!("auth scheme `{other}` of connected account `{id}` cannot be proxied")))
        }
    }
}

/// `custom_connection_data`: `{authScheme, toolkitSlug?, val: {api_key | access_token | token}}`.
fn custom_credential(
    data: &Map<String, Value>,
    toolkit_hint: Option<&str>,
) -> Result<(&'static Toolkit, Credential), ApiError> {
    let scheme =
        data.get("authScheme").or_else(|| data.get("auth_scheme")).and_then(Value::as_str).ok_or_else(
            || ApiError::bad_request("missing required field `custom_connection_data.authScheme`"),
        )?;
    let toolkit = toolkit_hint
        .map(str::to_owned)
        .or_else(|| {
            data.get("toolkitSlug")
                .or_else(|| data.get("toolkit_slug"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            ApiError::bad_request("missing required field `custom_connection_data.toolkitSlug`")
        })?;
    let tk = toolkits::find_toolkit(&toolkit)
        .filter(|t| t.listed)
        .ok_or_else(|| ApiError::not_found(codes::TOOLKIT_NOT_FOUND, "Toolkit", &toolkit))?;
    let val = data
        .get("val")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::bad_request("missing required field `custom_connection_data.val`"))?;
    let get = |k: &str| val.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let cred = match scheme.to_ascii_uppercase().as_str() {
        "API_KEY" => Credential::ApiKey(get("api_key").or_else(|| get("generic_api_key")).ok_or_else(|| {
            ApiError::bad_request("missing required field `custom_connection_data.val.api_key`")
        })?),
        "OAUTH2" | "BEARER_TOKEN" => Credential::Bearer(get("access_token").or_else(|| get("token")).ok_or_else(|| {
            ApiError::bad_request("missing required field `custom_connection_data.val.access_token`")
        })?),
        other => {
            return Err(ApiError::bad_request(format!(
                "field `custom_connection_data.authScheme`: `{other}` is not supported by composio-local's proxy (API_KEY, OAUTH2, BEARER_TOKEN)"
            )))
        }
    };
    Ok((tk, cred))
}

async fn send(
    state: &AppState,
    tk: &Toolkit,
    credential: Credential,
    req: ProxyRequest,
) -> Result<Json<Value>, ApiError> {
    if tk.no_auth {
        return Err(ApiError::bad_request(format!("toolkit `{}` has no API to proxy to", tk.slug)));
    }
    let base = toolkit_base(state, tk.slug);
    let url = target_url(&base, &req.endpoint, tk.slug)?;
    let is_head = req.method == reqwest::Method::HEAD;
    let mut builder = state.http.request(req.method, &url).query(&req.query);
    for (name, value) in req.headers {
        builder = builder.header(name, value);
    }
    builder = match credential {
        Credential::ApiKey(k) => builder.header("x-api-key", k),
        Credential::Bearer(t) => builder.bearer_auth(t),
    };
    if let Some(body) = req.body {
        builder = builder.json(&body);
    } else if let Some((bytes, content_type)) = req.binary {
        builder = builder.header(
            reqwest::header::CONTENT_TYPE,
            content_type.unwrap_or_else(|| "application/octet-stream".to_owned()),
        );
        builder = builder.body(bytes);
    }
    let resp = builder.send().await.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            codes::INTERNAL,
            format!("the `{}` toolkit API did not answer: {}", tk.slug, e.without_url()),
        )
    })?;
    let status = resp.status().as_u16();
    let mut headers = Map::new();
    for (name, value) in resp.headers() {
        if let Ok(v) = value.to_str() {
            headers.insert(name.as_str().to_owned(), Value::String(v.to_owned()));
        }
    }
    let bytes = resp.bytes().await.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            codes::INTERNAL,
            format!("reading the `{}` toolkit API's answer failed: {e}", tk.slug),
        )
    })?;
    let data = if is_head || bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Ok(Json(json!({"data": data, "status": status, "headers": headers})))
}

const PROXY_FIELDS: &[&str] = &[
    "endpoint",
    "method",
    "body",
    "connected_account_id",
    "parameters",
    "custom_connection_data",
    "binary_body",
];

/// `POST /tools/execute/proxy`.
pub async fn proxy(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, PROXY_FIELDS, "")?;
    let req = parse_request(&state, &body).await?;
    let account = optional_str(&body, "connected_account_id")?.filter(|s| !s.is_empty());
    let custom = crate::extract::optional_object(&body, "custom_connection_data")?;
    let (tk, credential) = match (account, custom) {
        (Some(id), _) => {
            let key = id.clone();
            let row = state.db.call(move |c| accounts::get(c, &key)).await?.ok_or_else(|| {
                ApiError::not_found(codes::CONNECTED_ACCOUNT_NOT_FOUND, "Connected account", &id)
            })?;
            let tk = toolkits::find_toolkit(&row.toolkit)
                .ok_or_else(|| ApiError::internal(format!("toolkit of connected account {id} is unknown")))?;
            let config = SessionConfig::unrestricted(None);
            let (row, cfg) = credentials::resolve(&state, tk, &config, Some(&id)).await?;
            (tk, credential_of(&state, row, &cfg).await?)
        }
        (None, Some(custom)) => custom_credential(custom, None)?,
        (None, None) => return Err(ApiError::bad_request(
            "missing required field `connected_account_id` (composio-local has no project default account)",
        )
        .fix("Pass the id of an ACTIVE connected account, or `custom_connection_data`.")),
    };
    send(&state, tk, credential, req).await
}

/// `POST /tool_router/session/{id}/proxy_execute` — `{toolkit_slug, endpoint, method, body?,
/// parameters?, binary_body?, custom_connection_data?}`, with the session user's account.
pub async fn session_proxy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let (_, config) = crate::routes::sessions::load(&state, &id).await?;
    reject_unknown(
        &body,
        &[
            "toolkit_slug",
            "endpoint",
            "method",
            "body",
            "parameters",
            "binary_body",
            "custom_connection_data",
        ],
        "",
    )?;
    let slug = required_str(&body, "toolkit_slug")?;
    let req = parse_request(&state, &body).await?;
    let tk = toolkits::find_toolkit(&slug)
        .filter(|t| t.listed)
        .ok_or_else(|| ApiError::not_found(codes::TOOLKIT_NOT_FOUND, "Toolkit", &slug))?;
    config.check_toolkit(tk).map_err(ApiError::bad_request)?;
    let (tk, credential) = match crate::extract::optional_object(&body, "custom_connection_data")? {
        Some(custom) => custom_credential(custom, Some(tk.slug))?,
        None => {
            let (row, cfg) = credentials::resolve(&state, tk, &config, None).await?;
            (tk, credential_of(&state, row, &cfg).await?)
        }
    };
    send(&state, tk, credential, req).await
}

// ---------------------------------------------------------------------------
// The toolkit APIs.

fn api_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": {"message": message.into(), "status": status.as_u16()}}))).into_response()
}

/// A toolkit-API failure: status and message.
type Fail = (StatusCode, String);

fn fail(status: StatusCode, message: impl Into<String>) -> Fail {
    (status, message.into())
}

/// Who is calling a toolkit API, from the credential it carries.
async fn caller(state: &AppState, toolkit: &str, headers: &HeaderMap) -> Result<AccountCtx, Fail> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    match toolkit {
        "notes" => {
            let key = header("x-api-key").filter(|k| !k.is_empty()).ok_or_else(|| {
                fail(StatusCode::UNAUTHORIZED, "missing API key: send the account's key in `x-api-key`")
            })?;
            let found = state
                .db
                .call(move |c| {
                    Ok(accounts::list(c)?
                        .into_iter()
                        .filter(|a| a.toolkit == "notes" && a.is_usable())
                        .filter(|a| {
                            a.state
                                .get("api_key")
                                .and_then(Value::as_str)
                                .is_some_and(|k| crate::secrets::same_secret(k, &key))
                        })
                        .collect::<Vec<_>>())
                })
                .await
                .map_err(|e| fail(StatusCode::INTERNAL_SERVER_ERROR, e.message))?;
            match found.as_slice() {
                [one] => Ok(AccountCtx {
                    connected_account_id: one.id.clone(),
                    user_id: one.user_id.clone(),
                    owner: one.id.clone(),
                    scopes: Vec::new(),
                }),
                [] => Err(fail(
                    StatusCode::UNAUTHORIZED,
                    "invalid API key: no active Local Notes account has this key",
                )),
                _ => Err(fail(
                    StatusCode::CONFLICT,
                    "this API key belongs to several Local Notes accounts; give each account its own key",
                )),
            }
        }
        _ => {
            let token = header("authorization")
                .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    fail(
                        StatusCode::UNAUTHORIZED,
                        "missing bearer token: send `Authorization: Bearer <access token>`",
                    )
                })?;
            let t2 = token.clone();
            let checked = state
                .db
                .call(move |c| store::validate_access_token(c, &t2))
                .await
                .map_err(|e| fail(StatusCode::INTERNAL_SERVER_ERROR, e.message))?;
            let (subject, scope) = checked.map_err(|reason| fail(StatusCode::UNAUTHORIZED, reason))?;
            // The account holding this token, for trigger events.
            let account = state
                .db
                .call(move |c| {
                    Ok(accounts::list(c)?.into_iter().find(|a| {
                        a.toolkit == "tasks"
                            && a.state.get("access_token").and_then(Value::as_str) == Some(token.as_str())
                    }))
                })
                .await
                .map_err(|e| fail(StatusCode::INTERNAL_SERVER_ERROR, e.message))?;
            Ok(AccountCtx {
                connected_account_id: account.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
                user_id: account.map(|a| a.user_id).unwrap_or_default(),
                owner: subject,
                scopes: scope.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            })
        }
    }
}

/// Convert query parameters to arguments typed by the tool's schema.
fn query_args(schema: &Value, query: &QueryParams) -> Result<Map<String, Value>, String> {
    let props = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut args = Map::new();
    for (name, raw) in &query.0 {
        let prop = props.get(name).ok_or_else(|| format!("unknown query parameter `{name}`"))?;
        let kind = match prop.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(ts)) => {
                ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("string")
            }
            _ => "string",
        };
        let value = match kind {
            "integer" => raw
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| format!("query parameter `{name}` must be an integer, got `{raw}`"))?,
            "number" => raw
                .parse::<f64>()
                .map(Value::from)
                .map_err(|_| format!("query parameter `{name}` must be a number, got `{raw}`"))?,
            "boolean" => match raw.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(format!("query parameter `{name}` must be true or false, got `{raw}`")),
            },
            "array" => Value::Array(raw.split(',').map(|s| Value::String(s.to_owned())).collect()),
            _ => Value::String(raw.clone()),
        };
        args.insert(name.clone(), value);
    }
    Ok(args)
}

async fn run_api(
    state: &AppState,
    toolkit: &str,
    headers: &HeaderMap,
    slug: &str,
    args: Map<String, Value>,
    created: StatusCode,
) -> Response {
    let ctx = match caller(state, toolkit, headers).await {
        Ok(ctx) => ctx,
        Err((status, message)) => return api_error(status, message),
    };
    let Some((_, tool)) = toolkits::find_tool(slug) else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, format!("tool {slug} is missing"));
    };
    if !ctx.scopes.is_empty() {
        if let Some(missing) = tool.scopes.iter().find(|s| !ctx.scopes.iter().any(|g| g == *s)) {
            return api_error(StatusCode::FORBIDDEN, format!("this token lacks the `{missing}` scope"));
        }
    }
    let args = match validate_arguments(&tool.input_parameters, &args) {
        Ok(a) => a,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let Runner::Account(f) = tool.run else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, format!("tool {slug} is not an account tool"));
    };
    let account = ctx.connected_account_id.clone();
    let result = state.db.call(move |c| Ok(f(c, &ctx, &args))).await;
    match result {
        Ok(Ok(data)) => {
            if !account.is_empty() {
                crate::triggers::fire::after_tool(state, slug, &account, &data).await;
            }
            (created, Json(data)).into_response()
        }
        Ok(Err(e)) if e.contains("not found") => api_error(StatusCode::NOT_FOUND, e),
        Ok(Err(e)) => api_error(StatusCode::BAD_REQUEST, e),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, e.message),
    }
}

fn body_args(body: &Bytes) -> Result<Map<String, Value>, Fail> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(fail(
            StatusCode::BAD_REQUEST,
            format!("the body must be a JSON object, got {}", type_name(&other)),
        )),
        Err(e) => Err(fail(StatusCode::BAD_REQUEST, format!("malformed JSON body: {e}"))),
    }
}

async fn list_items(
    state: &AppState,
    toolkit: &str,
    slug: &str,
    headers: &HeaderMap,
    query: &QueryParams,
) -> Response {
    let Some((_, tool)) = toolkits::find_tool(slug) else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, format!("tool {slug} is missing"));
    };
    match query_args(&tool.input_parameters, query) {
        Ok(args) => run_api(state, toolkit, headers, slug, args, StatusCode::OK).await,
        Err(e) => api_error(StatusCode::BAD_REQUEST, e),
    }
}

async fn notes_list(State(state): State<AppState>, headers: HeaderMap, query: QueryParams) -> Response {
    list_items(&state, "notes", "NOTES_LIST_NOTES", &headers, &query).await
}

async fn notes_create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match body_args(&body) {
        Ok(args) => run_api(&state, "notes", &headers, "NOTES_CREATE_NOTE", args, StatusCode::CREATED).await,
        Err((status, message)) => api_error(status, message),
    }
}

async fn notes_get(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let args = Map::from_iter([("note_id".to_owned(), Value::String(id))]);
    run_api(&state, "notes", &headers, "NOTES_GET_NOTE", args, StatusCode::OK).await
}

async fn notes_delete(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let args = Map::from_iter([("note_id".to_owned(), Value::String(id))]);
    run_api(&state, "notes", &headers, "NOTES_DELETE_NOTE", args, StatusCode::OK).await
}

async fn tasks_list(State(state): State<AppState>, headers: HeaderMap, query: QueryParams) -> Response {
    list_items(&state, "tasks", "TASKS_LIST_TASKS", &headers, &query).await
}

async fn tasks_create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match body_args(&body) {
        Ok(args) => run_api(&state, "tasks", &headers, "TASKS_CREATE_TASK", args, StatusCode::CREATED).await,
        Err((status, message)) => api_error(status, message),
    }
}

async fn tasks_complete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let args = Map::from_iter([("task_id".to_owned(), Value::String(id))]);
    run_api(&state, "tasks", &headers, "TASKS_COMPLETE_TASK", args, StatusCode::OK).await
}

async fn api_fallback(uri: axum::http::Uri, method: axum::http::Method) -> Response {
    api_error(StatusCode::NOT_FOUND, format!("no toolkit API endpoint {method} {}", uri.path()))
}

/// The routes of the built-in toolkits' APIs (authorised by the account credential they carry).
pub fn toolkit_api_routes() -> Router<AppState> {
    Router::new()
        .route("/toolkit-api/notes/notes", get(notes_list).post(notes_create))
        .route("/toolkit-api/notes/notes/{id}", get(notes_get).delete(notes_delete))
        .route("/toolkit-api/tasks/tasks", get(tasks_list).post(tasks_create))
        .route("/toolkit-api/tasks/tasks/{id}/complete", post(tasks_complete))
        .route(
            "/toolkit-api/{*rest}",
            get(api_fallback).post(api_fallback).put(api_fallback).delete(api_fallback).patch(api_fallback),
        )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn targets_stay_inside_the_toolkit_api() {
        let base = "http://127.0.0.1:1/toolkit-api/notes";
        assert_eq!(target_url(base, "/notes", "notes").unwrap(), format!("{base}/notes"));
        assert_eq!(target_url(base, "notes?x=1", "notes").unwrap(), format!("{base}/notes?x=1"));
        assert_eq!(
            target_url(base, &format!("{base}/notes/n1"), "notes").unwrap(),
            format!("{base}/notes/n1")
        );
        assert!(target_url(base, "https://evil.example/notes", "notes")
            .unwrap_err()
            .message
            .contains("`endpoint`"));
        assert!(target_url(base, "http://127.0.0.1:1/toolkit-api/notesx", "notes").is_err());
        assert!(target_url(base, "/../../api/v3/tools", "notes").is_err());
    }
}
