//! The built-in authorization server's endpoints: consent page, token endpoint (authorization
//! code + PKCE S256, refresh token with rotation), client registration, userinfo and metadata.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};

use super::store::{self, Client, PendingRequest};
use super::{pkce, DEFAULT_SCOPES, SCOPES};
use crate::errors::ApiError;
use crate::extract::{optional_str, optional_str_list, parse_object, QueryParams};
use crate::html::{self, escape};
use crate::secrets::same_secret;
use crate::AppState;

fn form(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

fn redirect_allowed(state: &AppState, client: &Client, uri: &str) -> bool {
    if client.builtin {
        uri.starts_with(&format!("{}/", state.base_url))
    } else {
        client.redirect_uris.iter().any(|u| u == uri)
    }
}

fn error_redirect(redirect_uri: &str, error: &str, description: &str, state: Option<&str>) -> Response {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    html::redirect(&html::append_query(redirect_uri, &params))
}

/// `GET /oauth2/authorize`: validate the request and show the consent page.
pub async fn authorize_page(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let bad =
        |msg: String| Ok(html::error_page(StatusCode::BAD_REQUEST, "Authorization request rejected", &msg));
    let Some(client_id) = query.get("client_id").filter(|s| !s.is_empty()).map(str::to_owned) else {
        return bad("The request has no client_id.".into());
    };
    let id = client_id.clone();
    let Some(client) = state.db.call(move |c| store::client(c, &id)).await? else {
        return bad(format!("Unknown client_id `{client_id}`."));
    };
    let redirect_uri = match query.get("redirect_uri").filter(|s| !s.is_empty()) {
        Some(u) => u.to_owned(),
        None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
        None => return bad("The request has no redirect_uri.".into()),
    };
    if !redirect_allowed(&state, &client, &redirect_uri) {
        return bad(format!("redirect_uri `{redirect_uri}` is not registered for client `{client_id}`."));
    }
    let client_state = query.get("state").map(str::to_owned);
    let cs = client_state.as_deref();
    match query.get("response_type") {
        Some("code") => {}
        other => {
            return Ok(error_redirect(
                &redirect_uri,
                "unsupported_response_type",
                &format!("response_type must be `code`, got `{}`", other.unwrap_or("")),
                cs,
            ))
        }
    }
    let Some(challenge) = query.get("code_challenge").filter(|s| !s.is_empty()) else {
        return Ok(error_redirect(
            &redirect_uri,
            "invalid_request",
            "PKCE is required: send code_challenge with code_challenge_method=S256",
            cs,
        ));
    };
    if query.get("code_challenge_method") != Some("S256") {
        return Ok(error_redirect(
            &redirect_uri,
            "invalid_request",
            "code_challenge_method must be S256",
            cs,
        ));
    }
    let scope = query
        .get("scope")
        .map(|s| s.split([' ', ',']).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_SCOPES.to_owned());
    if let Some(unknown) = scope.split(' ').find(|s| !SCOPES.iter().any(|(k, _)| k == s)) {
        return Ok(error_redirect(&redirect_uri, "invalid_scope", &format!("unknown scope `{unknown}`"), cs));
    }
    let request = PendingRequest {
        id: format!("req_{}", crate::ids::random_base62(24)),
        client_id: client.client_id.clone(),
        redirect_uri,
        scope: scope.clone(),
        state: client_state,
        code_challenge: challenge.to_owned(),
        expires_at: crate::ids::now_unix() + 600,
    };
    let stored = request.clone();
    state.db.call(move |c| store::insert_request(c, &stored)).await?;
    let scopes: String = scope
        .split(' ')
        .map(|s| {
            let what = SCOPES.iter().find(|(k, _)| *k == s).map_or("", |(_, d)| *d);
            format!("<li><code>{}</code> — {}</li>", escape(s), escape(what))
        })
        .collect();
    let login = format!("user-{}", crate::ids::random_base62(6).to_lowercase());
    let body = format!(
        "<p><strong id=\"client-name\">{client}</strong> wants to access your <strong>Local Tasks</strong> account.</p>\
         <ul id=\"scopes\">{scopes}</ul>\
         <form method=\"post\" action=\"/oauth2/authorize\">\
         <input type=\"hidden\" name=\"request_id\" value=\"{rid}\">\
         <label for=\"login\">Sign in to Local Tasks as</label>\
         <input type=\"text\" id=\"login\" name=\"login\" value=\"{login}\" maxlength=\"64\" required>\
         <p class=\"muted\">Each name is a separate Local Tasks account with its own tasks.</p>\
         <button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">Approve</button>\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\
         </form>",
        client = escape(&client.name),
        rid = escape(&request.id),
    );
    Ok(html::page(StatusCode::OK, "Authorize access to Local Tasks", &body))
}

fn valid_login(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 64
        && login.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
}

/// `POST /oauth2/authorize`: the consent form's Approve / Deny.
pub async fn authorize_decision(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let pairs = form(&body);
    let Some(request_id) = field(&pairs, "request_id").map(str::to_owned) else {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Authorization failed",
            "The form has no request_id.",
        ));
    };
    let Some(request) = state.db.call(move |c| store::take_request(c, &request_id)).await? else {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Authorization failed",
            "This authorization request is unknown or was already answered. Start the connection again.",
        ));
    };
    if request.expires_at <= crate::ids::now_unix() {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Authorization expired",
            "This authorization request has expired. Start the connection again.",
        ));
    }
    let cs = request.state.as_deref();
    match field(&pairs, "decision") {
        Some("approve") => {}
        Some("deny") => {
            return Ok(error_redirect(
                &request.redirect_uri,
                "access_denied",
                "The user denied the authorization request",
                cs,
            ))
        }
        other => {
            return Ok(html::error_page(
                StatusCode::BAD_REQUEST,
                "Authorization failed",
                &format!("decision must be `approve` or `deny`, got `{}`", other.unwrap_or("")),
            ))
        }
    }
    let login = field(&pairs, "login").unwrap_or("").trim().to_owned();
    if !valid_login(&login) {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Authorization failed",
            "The account name must be 1–64 letters, digits, dots, dashes, underscores or @.",
        ));
    }
    let req = request.clone();
    let code = state.db.call(move |c| store::issue_code(c, &req, &login)).await?;
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = cs {
        params.push(("state", s));
    }
    Ok(html::redirect(&html::append_query(&request.redirect_uri, &params)))
}

/// An RFC 6749 §5.2 error response.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut resp = (status, Json(json!({"error": error, "error_description": description}))).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"composio-local\""));
    }
    resp
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape =
        |s: &str| form_urlencoded::parse(format!("v={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

enum TokenError {
    Client(&'static str, String),
    Api(ApiError),
}

impl From<ApiError> for TokenError {
    fn from(e: ApiError) -> Self {
        TokenError::Api(e)
    }
}

/// `POST /oauth2/token`.
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let pairs = form(&body);
    let (client_id, client_secret) =
        match (basic_credentials(&headers), field(&pairs, "client_id"), field(&pairs, "client_secret")) {
            (Some(_), _, Some(_)) => {
                return Ok(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "use one client authentication method, not both",
                ))
            }
            (Some((id, secret)), _, None) => (id, secret),
            (None, Some(id), Some(secret)) => (id.to_owned(), secret.to_owned()),
            (None, _, _) => return Ok(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication is required (HTTP Basic or client_id and client_secret in the body)",
            )),
        };
    let grant_type = field(&pairs, "grant_type").unwrap_or("").to_owned();
    let ttl = state.settings.access_token_ttl.as_secs().max(1);
    let result = state
        .db
        .call(move |c| {
            let outcome = (|| -> Result<store::Issued, TokenError> {
                let client = store::client(c, &client_id)?
                    .filter(|cl| same_secret(&cl.client_secret, &client_secret))
                    .ok_or(TokenError::Client(
                        "invalid_client",
                        "unknown client or wrong client secret".into(),
                    ))?;
                let grant = |msg: &str| TokenError::Client("invalid_grant", msg.to_owned());
                match grant_type.as_str() {
                    "authorization_code" => {
                        let code = field(&pairs, "code")
                            .ok_or(TokenError::Client("invalid_request", "missing `code`".into()))?;
                        let row =
                            store::take_code(c, code)?.ok_or_else(|| grant("unknown authorization code"))?;
                        if row.used {
                            store::revoke_grant(c, &row.grant_id)?;
                            return Err(grant("the authorization code was already used"));
                        }
                        if row.expires_at <= crate::ids::now_unix() {
                            return Err(grant("the authorization code has expired"));
                        }
                        if row.client_id != client.client_id {
                            return Err(grant("the authorization code was issued to another client"));
                        }
                        if field(&pairs, "redirect_uri") != Some(row.redirect_uri.as_str()) {
                            return Err(grant("redirect_uri does not match the authorization request"));
                        }
                        let verifier = field(&pairs, "code_verifier")
                            .ok_or_else(|| grant("PKCE verification failed: code_verifier is missing"))?;
                        if !pkce::valid_verifier(verifier) || pkce::challenge(verifier) != row.code_challenge
                        {
                            return Err(grant(
                                "PKCE verification failed: code_verifier does not match the code_challenge",
                            ));
                        }
                        Ok(store::issue_tokens(
                            c,
                            &row.grant_id,
                            &client.client_id,
                            &row.subject,
                            &row.scope,
                            ttl,
                        )?)
                    }
                    "refresh_token" => {
                        let plain = field(&pairs, "refresh_token")
                            .ok_or(TokenError::Client("invalid_request", "missing `refresh_token`".into()))?;
                        let row = store::token(c, plain)?
                            .filter(|t| t.kind == "refresh")
                            .ok_or_else(|| grant("unknown refresh token"))?;
                        if row.client_id != client.client_id {
                            return Err(grant("the refresh token was issued to another client"));
                        }
                        if row.revoked {
                            // Reuse of a rotated token: revoke the whole grant.
                            store::revoke_grant(c, &row.grant_id)?;
                            return Err(grant("the refresh token was already used or revoked"));
                        }
                        store::revoke_token(c, plain)?;
                        Ok(store::issue_tokens(
                            c,
                            &row.grant_id,
                            &client.client_id,
                            &row.subject,
                            &row.scope,
                            ttl,
                        )?)
                    }
                    "" => Err(TokenError::Client("invalid_request", "missing `grant_type`".into())),
                    other => Err(TokenError::Client(
                        "unsupported_grant_type",
                        format!(
                            "grant_type `{other}` is not supported; use authorization_code or refresh_token"
                        ),
                    )),
                }
            })();
            Ok(outcome)
        })
        .await?;
    match result {
        Ok(issued) => {
            let mut resp = Json(json!({
                "access_token": issued.access_token,
                "token_type": "Bearer",
                "expires_in": issued.expires_in,
                "refresh_token": issued.refresh_token,
                "scope": issued.scope,
            }))
            .into_response();
            resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(resp)
        }
        Err(TokenError::Client(error, description)) => {
            let status =
                if error == "invalid_client" { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
            Ok(oauth_error(status, error, &description))
        }
        Err(TokenError::Api(e)) => Err(e),
    }
}

/// `POST /oauth2/register` (needs `x-api-key`): register a confidential client,
/// body `{"client_name"?, "redirect_uris": [...]}`.
pub async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::auth::check_key(&state, &headers)?;
    let body = parse_object(&body)?;
    crate::extract::reject_unknown(
        &body,
        &["client_name", "redirect_uris", "grant_types", "token_endpoint_auth_method", "scope"],
        "",
    )?;
    let name = optional_str(&body, "client_name")?.unwrap_or_else(|| "OAuth2 client".to_owned());
    let uris = optional_str_list(&body, "redirect_uris")?.unwrap_or_default();
    if uris.is_empty() {
        return Err(ApiError::bad_request(
            "missing required field `redirect_uris` (a non-empty list of URLs)",
        )
        .fix(format!("Composio's callback on this server is {}/oauth2/callback.", state.base_url)));
    }
    for (i, u) in uris.iter().enumerate() {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            return Err(ApiError::bad_request(format!(
                "field `redirect_uris[{i}]` must be an http(s) URL, got `{u}`"
            )));
        }
    }
    let client = state.db.call(move |c| store::register_client(c, &name, &uris)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "client_name": client.name,
            "redirect_uris": client.redirect_uris,
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "client_secret_post",
        })),
    )
        .into_response())
}

/// `GET /oauth2/userinfo` with `Authorization: Bearer <access token>`.
pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let Some(token) = token else {
        return Ok(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "send `Authorization: Bearer <access token>`",
        ));
    };
    match state.db.call(move |c| store::validate_access_token(c, &token)).await? {
        Ok((subject, scope)) => {
            Ok(Json(json!({"sub": subject, "login": subject, "scope": scope})).into_response())
        }
        Err(e) => Ok(oauth_error(StatusCode::UNAUTHORIZED, "invalid_token", &e)),
    }
}

/// `GET /.well-known/oauth-authorization-server` (RFC 8414).
pub async fn metadata(State(state): State<AppState>) -> Json<Value> {
    let base = &state.base_url;
    Json(json!({
        "issuer": base.to_string(),
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "token_endpoint": format!("{base}/oauth2/token"),
        "registration_endpoint": format!("{base}/oauth2/register"),
        "userinfo_endpoint": format!("{base}/oauth2/userinfo"),
        "scopes_supported": SCOPES.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
    }))
}
